#!/usr/bin/env bash
# Runs the platform on this machine: builds the web app and the server (release), then serves API, API docs
# and web app on 127.0.0.1:8080 with an embedded SQLite database under ./data (created on first run).
# Every argument is passed to `credit-api serve` (e.g. --bind 0.0.0.0:8080); see `credit-api serve --help`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust from https://rustup.rs first"

say "building the web app (web/dist)"
bash scripts/build-web.sh

say "building the server (release)"
cargo build --release --locked -p credit-api

export CREDIT_WEB_DIR="${CREDIT_WEB_DIR:-$ROOT/web/dist}"
say "starting: http://${CREDIT_BIND:-127.0.0.1:8080}/ (Ctrl-C stops)"
exec "$ROOT/target/release/credit-api" serve "$@"
