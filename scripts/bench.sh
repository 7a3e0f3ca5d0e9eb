#!/usr/bin/env bash
# Runs the load benchmark (docs/performance.md): builds the web app when web/dist is missing (for its size), builds
# the server and the benchmark in release, then loads a million records and measures. Arguments go to
# credit-bench, e.g. `scripts/bench.sh --backend sqlite --duration 20s`. PostgreSQL: BENCH_DATABASE_URL, else the
# server on 127.0.0.1:5432 (trust authentication); the benchmark creates its own database there and drops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if [ ! -f web/dist/app_bg.wasm ]; then
  say "building the web app (scripts/build-web.sh), to report its size"
  bash scripts/build-web.sh
fi
say "building credit-api and credit-bench (release)"
cargo build --release --locked -p credit-api -p credit-bench
exec "$ROOT/target/release/credit-bench" --server-bin "$ROOT/target/release/credit-api" "$@"
