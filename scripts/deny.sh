#!/usr/bin/env bash
# Dependency checks (R-11.1): cargo-deny judges every crate in Cargo.lock against deny.toml — licences, banned
# crates and versions, and sources (crates.io only) — without network access beyond what cargo itself uses. The
# advisories check (known vulnerabilities, RustSec) runs when a local copy of the advisory database is present:
# CREDIT_ADVISORY_DB, else ~/.cargo/advisory-db (a git clone of https://github.com/rustsec/advisory-db, as
# cargo-audit keeps it); otherwise it is skipped, saying so. cargo-deny is installed once (`cargo install --locked`,
# at the pinned version) and reused.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

CARGO_DENY_VERSION=0.20.2
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"
if [ "$(cargo deny --version 2>/dev/null | awk '{print $2}')" != "$CARGO_DENY_VERSION" ]; then
  say "installing cargo-deny $CARGO_DENY_VERSION"
  env -u CARGO_TARGET_DIR cargo install --locked cargo-deny --version "$CARGO_DENY_VERSION" --force
fi

say "cargo deny: licences, bans, sources (deny.toml)"
cargo deny --frozen check licenses bans sources

# cargo-deny keeps the database of https://github.com/rustsec/advisory-db in this directory of its `db-path` (a hash of
# the URL, as cargo-deny $CARGO_DENY_VERSION names it).
DB_DIR=advisory-db-3157b0e258782691
ADVISORY_DB=""
for candidate in "${CREDIT_ADVISORY_DB:-}" "$HOME/.cargo/advisory-db" "${CARGO_HOME:-$HOME/.cargo}/advisory-dbs/$DB_DIR"; do
  if [ -n "$candidate" ] && [ -d "$candidate/crates" ] && [ -e "$candidate/.git" ]; then ADVISORY_DB="$candidate"; break; fi
done
if [ -n "$ADVISORY_DB" ]; then
  say "cargo deny: advisories from the local database $ADVISORY_DB (not fetched)"
  # A copy of deny.toml whose database directory holds the local clone under the name cargo-deny looks for.
  work=$(mktemp -d /tmp/credit-deny.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  mkdir "$work/dbs"
  ln -s "$(cd "$ADVISORY_DB" && pwd)" "$work/dbs/$DB_DIR"
  cp deny.toml "$work/deny.toml"
  printf 'db-path = "%s"\n' "$work/dbs" >>"$work/deny.toml"
  cargo deny --frozen --config "$work/deny.toml" check advisories
else
  say "SKIPPED cargo deny advisories: no local advisory database (set CREDIT_ADVISORY_DB to a git clone of https://github.com/rustsec/advisory-db, or keep one at ~/.cargo/advisory-db)"
fi
