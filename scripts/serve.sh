#!/usr/bin/env bash
# Runs the platform on this machine: builds the web app and the server (release), then serves API, API docs
# and web app on 127.0.0.1:8080 with an embedded SQLite database under ./data (created on first run).
# Every argument is passed to `credit-api serve` (e.g. --bind 0.0.0.0:8080); see `credit-api serve --help`.
# With --demo the database is first filled with demo data and demo accounts (`credit-api seed-demo --if-empty`:
# once, and never into a database holding real data), then served in demo mode.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust from https://rustup.rs first"

# --demo, and the storage flags seed-demo must share with serve.
demo=false
storage=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --demo) demo=true ;;
    --database-url | --data-dir) storage+=("${args[i]}" "${args[i + 1]:-}") ;;
    --database-url=* | --data-dir=*) storage+=("${args[i]}") ;;
  esac
done

say "building the web app (web/dist)"
bash scripts/build-web.sh

say "building the server (release)"
cargo build --release --locked -p credit-api

if $demo; then
  say "demo data: seeded once, refused when the database holds real data"
  "$ROOT/target/release/credit-api" seed-demo --if-empty "${storage[@]}" || die "seed-demo failed (see above)"
fi

export CREDIT_WEB_DIR="${CREDIT_WEB_DIR:-$ROOT/web/dist}"
say "starting: http://${CREDIT_BIND:-127.0.0.1:8080}/ (Ctrl-C stops)"
exec "$ROOT/target/release/credit-api" serve "$@"
