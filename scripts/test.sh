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

# Colours for a person at a terminal; plain text in logs (CI).
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
else
  export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}" NO_COLOR="${NO_COLOR:-1}"
fi
under_ci() { [ -n "${CI:-}" ] && [ "${CI:-}" != false ]; }

# --- steps, timings and the summary ---------------------------------------------------------------------
started=$(date +%s)
SUMMARY=()
STEP=""
step() {
  end_step
  STEP="$1"
  STEP_STARTED=$(date +%s)
  say "$1"
}
end_step() {
  [ -n "$STEP" ] || return 0
  SUMMARY+=("$(printf '  %-62s %5d s' "$STEP" $(( $(date +%s) - STEP_STARTED )))")
  STEP=""
}
PG_MODE="not set up"

PG_DIR=""
PG_STOP=()
on_exit() {
  local status=$?
  if [ ${#PG_STOP[@]} -gt 0 ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; fi
  if [ -n "$PG_DIR" ]; then rm -rf "$PG_DIR"; fi
  local failed="$STEP"
  end_step
  printf '\nsummary (PostgreSQL: %s):\n' "$PG_MODE" >&2
  if [ ${#SUMMARY[@]} -gt 0 ]; then printf '%s\n' "${SUMMARY[@]}" >&2; fi
  if [ -n "${RESULTS:-}" ] && [ -f "$RESULTS" ]; then
    # One closing line over both runners: cargo's "test result: … N passed; M failed" and node's "# pass N".
    local passed failed_count
    passed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed;?$/) s += $i } /^# pass / { s += $3 } END { print s + 0 }' "$RESULTS")
    failed_count=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed;?$/) s += $i } /^# fail / { s += $3 } END { print s + 0 }' "$RESULTS")
    rm -f "$RESULTS"
  fi
  if [ "$status" -eq 0 ]; then
    say "all tests passed in $(( $(date +%s) - started )) s"
  else
    printf '\nFAILED%s (exit status %d) after %d s\n' "${failed:+ at: $failed}" "$status" \
      $(( $(date +%s) - started )) >&2
  fi
  if [ -n "${passed:-}" ]; then printf 'tests: %d passed, %d failed\n' "$passed" "$failed_count"; fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- prerequisites ---------------------------------------------------------------------------------------
step "prerequisites"
command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust from https://rustup.rs first"
if command -v rustup >/dev/null 2>&1; then
  installed=$(rustup component list --installed 2>/dev/null || true)
  for component in clippy rustfmt; do
    grep -q "^$component" <<<"$installed" || rustup component add "$component"
  done
fi
cargo fmt --version >/dev/null 2>&1 || die "cargo fmt is missing: rustup component add rustfmt"
cargo clippy --version >/dev/null 2>&1 || die "cargo clippy is missing: rustup component add clippy"
# Chromium drives the browser test; a CJK font makes its screenshots readable.
apt_install chromium fonts-wqy-microhei
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || say "WARNING: Node.js $(node --version) is older than playwright-core supports (20)"
if [ ! -d tests/e2e/node_modules/playwright-core ] \
  || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund) || die "npm ci in tests/e2e failed"
fi

# --- PostgreSQL --------------------------------------------------------------------------------------------
# shellcheck disable=SC2016 # $0 and $1 belong to the inner shell
port_answers() { timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }
# Whether a PostgreSQL server accepts connections at host:port (pg_isready when there is one).
pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then pg_isready -q -h "$1" -p "$2" -t 5
  else port_answers "$1" "$2"
  fi
}
# Whether we can log in with the URL (when psql is there to try; otherwise the server answering must do).
pg_login_works() {
  command -v psql >/dev/null 2>&1 || return 0
  PGCONNECT_TIMEOUT=5 psql "$1" -XAtqc 'select 1' >/dev/null 2>&1
}
pg_bin_dir() {
  local dir
  # shellcheck disable=SC2012 # Debian's paths: /usr/lib/postgresql/<major>/bin
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

# Starts a cluster of our own in a temp dir, on a free port, on 127.0.0.1 only; on_exit stops and removes it.
# Returns non-zero (after saying why) when it cannot.
start_throwaway_postgres() {
  local bin
  if ! bin=$(pg_bin_dir); then
    command -v apt-get >/dev/null 2>&1 || { say "no PostgreSQL binaries and no apt-get to install them"; return 1; }
    ( apt_install postgresql ) || return 1
    bin=$(pg_bin_dir) || { say "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"; return 1; }
  fi
  PG_DIR=$(mktemp -d /tmp/credit-pg.XXXXXX)
  local port=55432
  while port_answers 127.0.0.1 "$port"; do port=$((port + 1)); done
  # PostgreSQL refuses to run as root: then its binaries run as its own system user.
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    local user
    for user in postgres nobody; do id "$user" >/dev/null 2>&1 && break; user=""; done
    [ -n "$user" ] || { say "no 'postgres' system user to run the throwaway cluster as"; return 1; }
    chown "$user" "$PG_DIR"
    # shellcheck disable=SC2016 # "$0" "$@" are expanded by the other user's shell
    if command -v runuser >/dev/null 2>&1; then run=(runuser -u "$user" --)
    else run=(su -s /bin/sh "$user" -c '"$0" "$@"')
    fi
  fi
  say "starting a throwaway PostgreSQL ($bin) on 127.0.0.1:$port in $PG_DIR"
  # The binaries run from inside PG_DIR: the other user may not be allowed into the current directory.
  if ! (cd "$PG_DIR" && "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1); then
    # A system without the C.UTF-8 locale: the plain C locale with UTF-8 encoding will do.
    rm -rf "$PG_DIR/data"
    (cd "$PG_DIR" && "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C \
      --no-sync >"$PG_DIR/initdb.log" 2>&1) || { cat "$PG_DIR/initdb.log" >&2; say "initdb failed"; return 1; }
  fi
  if ! (cd "$PG_DIR" && "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off" start >/dev/null); then
    cat "$PG_DIR/server.log" >&2 || true
    say "the throwaway PostgreSQL did not start"
    return 1
  fi
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop)
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  pg_login_works "$TEST_DATABASE_URL" || { say "cannot connect to the throwaway PostgreSQL"; return 1; }
}

LOCAL_PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
# The machine's own server on 127.0.0.1:5432, when it lets the postgres user in without a password.
local_postgres_usable() {
  pg_answers 127.0.0.1 5432 || return 1
  pg_login_works "$LOCAL_PG_URL" && return 0
  say "a PostgreSQL server answers on 127.0.0.1:5432 but refuses $LOCAL_PG_URL: starting one of our own"
  return 1
}

no_postgres() {
  if under_ci; then
    die "no PostgreSQL for the tests: set TEST_DATABASE_URL (under CI the PostgreSQL tests are never skipped)"
  fi
  say "WARNING: no PostgreSQL available: the PostgreSQL half of the tests will be SKIPPED"
  say "WARNING: set TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB to run it"
  unset TEST_DATABASE_URL
  export CREDIT_TEST_SKIP_POSTGRES=1
  PG_MODE="NONE, its tests were SKIPPED"
}

step "PostgreSQL for the tests"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -d "$TEST_DATABASE_URL" -t 5; then
    say "WARNING: the server of TEST_DATABASE_URL does not answer (yet); using it all the same"
  fi
  PG_MODE="TEST_DATABASE_URL, set by the caller"
elif [ "${CREDIT_TEST_PG:-}" != throwaway ] && local_postgres_usable; then
  export TEST_DATABASE_URL="$LOCAL_PG_URL"
  PG_MODE="the local server on 127.0.0.1:5432"
elif start_throwaway_postgres; then
  PG_MODE="a throwaway cluster on 127.0.0.1:${TEST_DATABASE_URL##*:}"
  PG_MODE="${PG_MODE%/postgres}, removed on exit"
else
  no_postgres
fi
say "PostgreSQL for the tests: ${TEST_DATABASE_URL:-none}"

# --- build, lint, test -------------------------------------------------------------------------------------
step "building the web app (scripts/build-web.sh)"
bash scripts/build-web.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "dependency checks (scripts/deny.sh: licences, bans, sources; advisories with a local database)"
bash scripts/deny.sh

step "cargo test (unit tests; HTTP tests on SQLite and PostgreSQL)"
RESULTS=$(mktemp /tmp/credit-test-results.XXXXXX)
# Snapshot tests compare with the committed snapshots only; a changed answer fails instead of writing a new file
# (review one with `cargo insta review` or by hand, then commit it).
export INSTA_UPDATE=no
cargo test --workspace --locked 2>&1 | tee -a "$RESULTS"

step "browser test (tests/e2e, Chromium)"
# `cargo test` built the server binary already (the CLI tests run it); building it alone would re-resolve
# features and compile it a second time.
[ -x "$ROOT/target/debug/credit-api" ] || cargo build --workspace --locked
(cd tests/e2e && CREDIT_API_BIN="$ROOT/target/debug/credit-api" \
  timeout --kill-after=30 1200 node --test --test-concurrency=1) 2>&1 | tee -a "$RESULTS"
end_step
