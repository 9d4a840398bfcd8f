#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, clippy (-D warnings), the
# wasm32 purity check of `shared`, all Rust tests (unit + integration against the real
# server) on SQLite and on PostgreSQL, then the Playwright tests against the release
# build with fresh databases (the routes test on PostgreSQL too); where cargo-leptos is
# installed, the routes test again against the site it builds.
#
#   ./scripts/test.sh                      everything (what CI runs: .ci/run)
#   ./scripts/test.sh --only rust          only the Rust tests (also: lint, e2e; comma-separated)
#   ./scripts/test.sh --db sqlite          database tests on one backend only (sqlite | postgres)
#   ./scripts/test.sh --only rust -- name  extra arguments go to the test binaries (a filter)
#
# PostgreSQL: MARKTCHAT_TEST_DATABASE_URL=postgres://… uses that server (one fresh
# database per test, dropped afterwards); without it a throwaway server is started.
source "$(dirname "$0")/lib.sh"
START=$(date +%s)

ONLY="lint,rust,e2e"
DB="both"
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY="${2:?--only needs lint, rust or e2e}"; shift 2 ;;
    --db) DB="${2:?--db needs sqlite or postgres}"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
case "$DB" in both|sqlite|postgres) ;; *) die "--db takes sqlite or postgres, not $DB" ;; esac
for s in ${ONLY//,/ }; do
  case "$s" in lint|rust|e2e) ;; *) die "--only takes lint, rust or e2e, not $s" ;; esac
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

if wants e2e; then
  ensure_build_tools
  ensure_chromium
  npm_ready end2end
else
  step "Checking tools"
  ensure_target_dir
  ensure_rust
fi

if wants lint; then
  step "Formatting (cargo fmt --check)"
  cargo fmt --all -- --check

  step "Clippy, server side (-D warnings)"
  cargo clippy --workspace --all-targets -- -D warnings
  step "Clippy, browser side (app with hydrate, wasm32)"
  cargo clippy -p marktchat-app --no-default-features --features hydrate \
    --target wasm32-unknown-unknown -- -D warnings

  step "shared builds for wasm32 with no I/O crates in its tree"
  cargo build -p marktchat-shared --target wasm32-unknown-unknown
  if cargo tree -p marktchat-shared --target wasm32-unknown-unknown -e normal --prefix none \
    | grep -E '^(tokio|sqlx[a-z-]*|mio|axum|hyper) '; then
    die "shared pulls an I/O crate into its wasm32 tree (see above)"
  fi
  note "ok: no tokio, sqlx, mio, axum or hyper"
fi

if wants rust; then
  # Every database test exists twice, as `<test>::sqlite` and `<test>::postgres`.
  SKIP=()
  case "$DB" in
    sqlite) SKIP=(--skip ::postgres) ;;
    postgres) SKIP=(--skip ::sqlite) ;;
  esac
  if [ "$DB" != "sqlite" ]; then
    start_test_postgres
    ensure_nats_server
    ensure_s3s_fs
  fi
  step "Rust tests (unit + integration; databases: $DB)"
  cargo test --workspace --no-fail-fast -- "${SKIP[@]}" "${EXTRA[@]}"
fi

if wants e2e; then
  build_release
  if [ "$DB" != "sqlite" ]; then
    # The routes test also runs against a server on PostgreSQL, and three instances
    # on PostgreSQL, NATS and S3 are tested in browsers (playwright.config.ts).
    start_test_postgres
    create_e2e_postgres_database
    ensure_nats_server
    ensure_s3s_fs
  fi
  step "Browser tests (Playwright, release build, fresh databases)"
  # The test of three instances starts five processes of its own: it runs after the
  # others, alone, so that it and they do not share two cores at once.
  (cd end2end && env -u MARKTCHAT_E2E_INSTANCES_POSTGRES_URL npx playwright test)
  if [ -n "${MARKTCHAT_E2E_INSTANCES_POSTGRES_URL:-}" ]; then
    step "Browser tests of three instances (PostgreSQL, NATS, S3)"
    (cd end2end && npx playwright test --project instances)
  fi

  # cargo-leptos is optional (README, "Developing"); where it is installed, its build
  # must give a site whose every page hydrates too. It writes the same places
  # (target/site, target/release/marktchat), so the release is built again afterwards.
  if command -v cargo-leptos >/dev/null; then
    step "cargo-leptos builds a site that hydrates as well ($(cargo leptos --version))"
    cargo leptos build --release --split
    (cd end2end && npx playwright test routes.spec.ts --project hydrated)
    build_release
  else
    note "cargo-leptos is not installed: the check that its build hydrates too is skipped"
  fi
fi

step "All tests passed in $(( $(date +%s) - START )) s"
