#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, clippy (-D warnings), the
# wasm32 purity check of `shared`, all Rust tests (unit + integration against the real
# server), then the Playwright tests against the release build with a fresh database.
source "$(dirname "$0")/lib.sh"
START=$(date +%s)

ensure_build_tools
ensure_chromium
npm_ready end2end

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

step "Rust tests (unit + integration)"
cargo test --workspace

build_release

step "Browser tests (Playwright, release build, fresh database)"
(cd end2end && npx playwright test)

step "All tests passed in $(( $(date +%s) - START )) s"
