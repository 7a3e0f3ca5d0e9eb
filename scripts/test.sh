#!/usr/bin/env bash
# Runs every test of the platform: format and lint checks, unit tests, HTTP tests against the real app on SQLite
# and on PostgreSQL, and the browser test. Installs what it needs first (idempotently; see README.md).
#
# PostgreSQL: TEST_DATABASE_URL when set; else the server on 127.0.0.1:5432 when it answers; else a throwaway
# cluster from Debian's PostgreSQL binaries, started here and removed on exit (CREDIT_TEST_PG=throwaway forces
# that). Without any PostgreSQL the run fails under CI and skips those tests elsewhere, loudly.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
started=$(date +%s)

# --- prerequisites -----------------------------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust from https://rustup.rs first"
say "checking prerequisites"
if command -v rustup >/dev/null 2>&1; then
  for component in clippy rustfmt; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
  done
fi
# Chromium drives the browser test; a CJK font makes its screenshots readable.
apt_install chromium fonts-wqy-microhei
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi

# --- PostgreSQL ----------------------------------------------------------------------------------------------
port_answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

start_throwaway_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    apt_install postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  PG_DIR=$(mktemp -d /tmp/credit-pg.XXXXXX)
  local port=55432
  while port_answers 127.0.0.1 "$port"; do port=$((port + 1)); done
  # PostgreSQL refuses to run as root: use its own system user then.
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' system user to run the throwaway cluster"
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  say "starting a throwaway PostgreSQL ($bin) on 127.0.0.1:$port"
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; die "initdb failed"; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || { cat "$PG_DIR/server.log"; die "PostgreSQL did not start"; }
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

cleanup() {
  if [ -n "${PG_STOP+x}" ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; fi
  if [ -n "${PG_DIR:-}" ]; then rm -rf "$PG_DIR"; fi
}
trap cleanup EXIT

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  say "PostgreSQL: TEST_DATABASE_URL"
elif [ "${CREDIT_TEST_PG:-}" != throwaway ] && port_answers 127.0.0.1 5432; then
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
  say "PostgreSQL: the local server on 127.0.0.1:5432"
elif command -v apt-get >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  start_throwaway_postgres
elif [ -n "${CI:-}" ]; then
  die "no PostgreSQL: set TEST_DATABASE_URL (CI does not skip the PostgreSQL tests)"
else
  say "WARNING: no PostgreSQL available; its tests will be SKIPPED (set TEST_DATABASE_URL to run them)"
fi

# --- build, lint, test ---------------------------------------------------------------------------------------
say "building the web app"
bash scripts/build-web.sh

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "cargo test (unit tests; HTTP tests on SQLite and PostgreSQL)"
cargo test --workspace --locked

say "browser test"
# `cargo test` built the server binary already (the CLI tests run it); building it alone would re-resolve features.
[ -x "$ROOT/target/debug/credit-api" ] || cargo build --workspace --locked
(cd tests/e2e && CREDIT_API_BIN="$ROOT/target/debug/credit-api" node --test --test-concurrency=1)

say "all tests passed in $(( $(date +%s) - started )) s"
