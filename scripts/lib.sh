# Shared by run.sh and test.sh: installs what is missing (idempotent, quick when
# everything is present) and sets up the environment. Sourced, not executed.
#
# Installs: the wasm32 target, binaryen's wasm-opt >= 116 and esbuild from npm (first on
# PATH: Debian's binaryen 108 silently breaks hydration), Debian's chromium, the npm
# packages. The build itself is `cargo xtask build` (xtask/): no cargo-leptos, no wasm-bindgen-cli.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Build output lives outside the clone so fresh clones (CI) reuse it; ./target points there.
CACHE_DIR="${MARKTCHAT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/marktchat}"

step() { printf '\n\033[1;36m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root for: $* (install it yourself or run as root)"; fi
}

ensure_target_dir() {
  mkdir -p "$CACHE_DIR/target"
  if [ -L target ]; then
    [ "$(readlink target)" = "$CACHE_DIR/target" ] || { rm target; ln -s "$CACHE_DIR/target" target; }
  elif [ ! -e target ]; then
    ln -s "$CACHE_DIR/target" target
  fi
  note "build output: $(readlink -f target)"
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first (https://rustup.rs)"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt
}

# npm install only when package.json/package-lock.json changed since the last install.
npm_ready() {
  local dir="$1" stamp="$1/node_modules/.marktchat-stamp" sum
  sum="$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    step "Installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" > "$stamp"
  fi
}

ensure_wasm_opt() {
  command -v node >/dev/null || { step "Installing Node.js"; as_root apt-get update -qq; as_root apt-get install -y -qq nodejs npm; }
  npm_ready tools
  export PATH="$ROOT/tools/node_modules/.bin:$PATH"
  local v
  v="$(wasm-opt --version | grep -o '[0-9]\+' | head -1)"
  [ "${v:-0}" -ge 116 ] || die "wasm-opt $v on PATH is older than 116 (breaks hydration)"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "Installing Debian's chromium (for the browser tests)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium
  fi
}

ensure_build_tools() {
  step "Checking tools"
  ensure_target_dir
  ensure_rust
  ensure_wasm_opt
  note "$(cargo --version), wasm-opt $(wasm-opt --version | grep -o '[0-9]\+' | head -1)"
}

# The front end (WASM, JS, CSS into target/site) and the server, stage by stage with
# their times (xtask/src/main.rs).
build_release() {
  step "Building the release (WASM front end + server: cargo xtask build --release)"
  cargo xtask build --release
}

# PostgreSQL for the tests. If MARKTCHAT_TEST_DATABASE_URL names a server, the tests
# create (and drop) one database per test there. Otherwise a throwaway server is started
# here: Debian's postgresql is installed if missing, `initdb` goes into a temporary
# folder, the server listens only on a socket in that folder (no port is taken), and it
# is stopped and removed when the script exits. A server that happens to run on the
# machine is never used. No PostgreSQL and no way to install it is an error, not a skip.
start_test_postgres() {
  if [ -n "${MARKTCHAT_TEST_DATABASE_URL:-}" ]; then
    [ -n "${PG_TMP:-}" ] || note "PostgreSQL: the server in MARKTCHAT_TEST_DATABASE_URL"
    return
  fi
  step "Starting a throwaway PostgreSQL for the tests"
  local bin
  bin="$(find_pg_bin)"
  if [ -z "$bin" ]; then
    note "no PostgreSQL server programs found: installing Debian's postgresql"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
    bin="$(find_pg_bin)"
    [ -n "$bin" ] || die "postgresql was installed but initdb is still missing"
  fi
  PG_TMP="$(mktemp -d /tmp/marktchat-pg.XXXXXX)"
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: use the package's postgres user.
    id postgres >/dev/null 2>&1 || die "running as root and there is no postgres user to run PostgreSQL"
    chown postgres "$PG_TMP"
    run=(runuser -u postgres --)
  fi
  PG_RUN=("${run[@]}")
  PG_BIN="$bin"
  trap cleanup_all EXIT
  "${run[@]}" "$bin/initdb" -D "$PG_TMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_TMP/initdb.log" 2>&1 || { cat "$PG_TMP/initdb.log"; die "initdb failed"; }
  # Tests need no durability (fast); benchmarks keep PostgreSQL's defaults (PG_DURABLE=1).
  local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${PG_DURABLE:-0}" = 1 ] && speed=""
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $PG_TMP $speed -c max_connections=200" \
    start >/dev/null || { cat "$PG_TMP/server.log"; die "PostgreSQL did not start"; }
  export MARKTCHAT_TEST_DATABASE_URL="postgres://postgres@localhost/postgres?host=$PG_TMP"
  note "$("$bin/postgres" --version), socket in $PG_TMP"
}

# nats-server for the tests of several instances (server/tests/instances.rs): each
# test starts its own throwaway server from it (a free port, a temporary folder,
# stopped when the test ends), so a test can stop and restart it. Never one that
# happens to run on the machine. Installs Debian's nats-server when missing.
ensure_nats_server() {
  local bin
  bin="$(command -v nats-server || true)"
  for candidate in /usr/sbin/nats-server /usr/bin/nats-server; do
    [ -n "$bin" ] || { [ -x "$candidate" ] && bin="$candidate"; }
  done
  if [ -z "$bin" ]; then
    step "Installing Debian's nats-server (for the tests of several instances)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nats-server >/dev/null
    bin="$(command -v nats-server || echo /usr/sbin/nats-server)"
    [ -x "$bin" ] || die "nats-server was installed but cannot be found"
  fi
  export MARKTCHAT_TEST_NATS_SERVER="$bin"
  note "NATS for the tests: $("$bin" --version 2>&1 | head -1) (one throwaway server per test)"
}

# s3s-fs (crates.io), an S3-compatible server on a folder, for the tests of the
# object-store seam: each test starts its own throwaway one (server/tests/common/s3.rs).
# Installed with cargo when missing (about 2.5 minutes on 2 cores, once per machine).
S3S_FS_VERSION=0.14.1
ensure_s3s_fs() {
  local bin
  bin="$(command -v s3s-fs || true)"
  [ -n "$bin" ] || { [ -x "$HOME/.cargo/bin/s3s-fs" ] && bin="$HOME/.cargo/bin/s3s-fs"; }
  if [ -z "$bin" ] || [ "$("$bin" --version 2>/dev/null | awk '{print $2}')" != "$S3S_FS_VERSION" ]; then
    step "Installing s3s-fs $S3S_FS_VERSION (an S3 server for the object-store tests)"
    cargo install s3s-fs --version "$S3S_FS_VERSION" --features binary --locked
    bin="$HOME/.cargo/bin/s3s-fs"
  fi
  export MARKTCHAT_TEST_S3S_FS="$bin"
  note "S3 for the tests: s3s-fs $S3S_FS_VERSION (one throwaway server per test)"
}

# Fresh databases for the browser tests on PostgreSQL, on the server the Rust tests
# use; dropped when the script exits. Sets MARKTCHAT_E2E_POSTGRES_URL (the routes test
# on PostgreSQL) and MARKTCHAT_E2E_INSTANCES_POSTGRES_URL (three instances on one
# database, tests/instances.spec.ts).
create_e2e_postgres_database() {
  [ -n "${MARKTCHAT_E2E_POSTGRES_URL:-}" ] && return
  local name="marktchat_e2e_$$" psql="psql"
  [ -n "${PG_BIN:-}" ] && psql="$PG_BIN/psql"
  command -v "$psql" >/dev/null || die "psql is needed to create the browser tests' PostgreSQL database"
  local db
  for db in "$name" "${name}_instances"; do
    "$psql" -q "$MARKTCHAT_TEST_DATABASE_URL" -c "CREATE DATABASE $db" >/dev/null \
      || die "cannot create a database on $MARKTCHAT_TEST_DATABASE_URL"
  done
  E2E_DB_DROP=("$psql" -q "$MARKTCHAT_TEST_DATABASE_URL"
    -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"
    -c "DROP DATABASE IF EXISTS ${name}_instances WITH (FORCE)")
  trap cleanup_all EXIT
  # the same server URL with the database name replaced
  export MARKTCHAT_E2E_POSTGRES_URL MARKTCHAT_E2E_INSTANCES_POSTGRES_URL
  MARKTCHAT_E2E_POSTGRES_URL="$(sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/$name#" <<<"$MARKTCHAT_TEST_DATABASE_URL")"
  MARKTCHAT_E2E_INSTANCES_POSTGRES_URL="$(sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/${name}_instances#" <<<"$MARKTCHAT_TEST_DATABASE_URL")"
  note "browser tests on PostgreSQL: databases $name and ${name}_instances"
}

drop_e2e_database() {
  [ -n "${E2E_DB_DROP:-}" ] && "${E2E_DB_DROP[@]}" >/dev/null 2>&1 || true
  E2E_DB_DROP=()
}

find_pg_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
}

stop_test_postgres() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP/data" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [ -n "${PG_TMP:-}" ] && rm -rf "$PG_TMP"
  PG_TMP=""
}

# A virtualenv in the build cache at `$1` with the packages of the requirements file
# `$2` (named `$3` in the progress output), made again when that file changes or its
# Python no longer runs; Debian's python3-venv is installed if `python3 -m venv`
# cannot work without it.
ensure_venv() {
  local venv="$1" requirements="$2" what="$3" stamp sum
  stamp="$venv/.marktchat-stamp"
  sum="$(sha256sum "$requirements" | cut -d' ' -f1)"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && "$venv/bin/python" -c '' 2>/dev/null \
    && return
  step "Installing $what (PyPI) into $venv"
  command -v python3 >/dev/null || die "python3 is needed for $what"
  rm -rf "$venv"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    note "python3 -m venv failed: installing Debian's python3-venv"
    rm -rf "$venv"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$sum" > "$stamp"
}

# The Sync API as generic tools see it (server/tests/openapi/): openapi-spec-validator
# and openapi-python-client at the versions of requirements.txt.
OPENAPI_REQUIREMENTS="server/tests/openapi/requirements.txt"
OPENAPI_VENV="$CACHE_DIR/venv-openapi"
ensure_openapi_venv() {
  ensure_venv "$OPENAPI_VENV" "$OPENAPI_REQUIREMENTS" "openapi-spec-validator and openapi-python-client"
}

# A throwaway SMTP server for the browser tests of mail: aiosmtpd (PyPI) on a free
# port, every mail it accepts a file in a Maildir. Sets MARKTCHAT_E2E_SMTP_URL (the
# browser tests' servers send through it) and MARKTCHAT_E2E_MAILDIR (where the tests
# read the mails); stopped, and its folder removed, when the script exits.
SMTP_REQUIREMENTS="end2end/smtp-requirements.txt"
SMTP_VENV="$CACHE_DIR/venv-smtp"
start_smtp_sink() {
  [ -n "${MARKTCHAT_E2E_SMTP_URL:-}" ] && return
  ensure_venv "$SMTP_VENV" "$SMTP_REQUIREMENTS" "aiosmtpd (an SMTP server for the browser tests)"
  step "Starting a throwaway SMTP server for the browser tests"
  SMTP_TMP="$(mktemp -d /tmp/marktchat-smtp.XXXXXX)"
  mkdir -p "$SMTP_TMP/maildir/tmp" "$SMTP_TMP/maildir/new" "$SMTP_TMP/maildir/cur"
  local port
  port="$("$SMTP_VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$SMTP_VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$port" \
    -c aiosmtpd.handlers.Mailbox "$SMTP_TMP/maildir" >"$SMTP_TMP/smtp.log" 2>&1 &
  SMTP_PID=$!
  trap cleanup_all EXIT
  local i
  for i in $(seq 100); do
    "$SMTP_VENV/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
      2>/dev/null && break
    kill -0 "$SMTP_PID" 2>/dev/null || { cat "$SMTP_TMP/smtp.log"; die "aiosmtpd did not start"; }
    sleep 0.1
  done
  "$SMTP_VENV/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
    2>/dev/null || { cat "$SMTP_TMP/smtp.log"; die "aiosmtpd does not answer on port $port"; }
  export MARKTCHAT_E2E_SMTP_URL="smtp://127.0.0.1:$port" MARKTCHAT_E2E_MAILDIR="$SMTP_TMP/maildir"
  note "aiosmtpd on 127.0.0.1:$port, mails in $MARKTCHAT_E2E_MAILDIR"
}

stop_smtp_sink() {
  if [ -n "${SMTP_PID:-}" ]; then
    kill "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
  fi
  SMTP_PID=""
  if [ -n "${SMTP_TMP:-}" ]; then rm -rf "$SMTP_TMP"; fi
  SMTP_TMP=""
}

# Whatever the script started, stopped when it exits (each part does nothing when it
# was not started).
cleanup_all() {
  stop_smtp_sink
  drop_e2e_database
  stop_test_postgres
}

# The release server on a free port with a fresh SQLite database in a temporary folder,
# six users ("User 1" to "User 6") and an API client with every scope made with the
# CLI, then server/tests/openapi/sync_client.py against it with the client's token.
# The server and the folder are gone afterwards, whatever happened. A subshell, so
# that its trap leaves the script's own alone.
run_openapi_test() (
  local bin="$ROOT/target/release/marktchat" tmp pid="" port="" token n
  [ -x "$bin" ] || die "$bin is missing: build the release first"
  tmp="$(mktemp -d /tmp/marktchat-openapi.XXXXXX)"
  trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
  export MARKTCHAT_DATABASE_URL="sqlite://$tmp/marktchat.db" RUST_LOG="info,sqlx=warn"
  "$bin" migrate >/dev/null
  for n in 1 2 3 4 5 6; do
    "$bin" user create --email "user$n@example.org" --name "User $n" \
      --password "openapi-test-$RANDOM-$RANDOM" >/dev/null
  done
  token="$("$bin" api-client create --name "openapi test" \
    --scopes TAG_RULE_READ,TAG_RULE_WRITE,USER_READ,USER_WRITE | tail -1)"
  "$bin" serve --addr 127.0.0.1:0 --data-dir "$tmp/data" >"$tmp/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    port="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$tmp/server.log" | grep -o '[0-9]*$' || true)"
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$tmp/server.log"; die "the server did not start (log above)"; }
  note "server on port $port, database in $tmp"
  "$OPENAPI_VENV/bin/python" server/tests/openapi/sync_client.py --base-url "http://127.0.0.1:$port" \
    --token "$token" --example shared/tests/data/rules-example.json --workdir "$tmp" \
    || { tail -20 "$tmp/server.log"; die "the OpenAPI test failed (the server's last lines above)"; }
)
