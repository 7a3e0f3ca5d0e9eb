#!/usr/bin/env bash
# The server's software bill of materials (R-11.1): a CycloneDX document (JSON) of credit-api and every crate it is
# built from, written to target/sbom/credit-api.cdx.json. cargo-cyclonedx is installed once (`cargo install
# --locked`, at the pinned version) and reused.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

CARGO_CYCLONEDX_VERSION=0.5.9
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"
if [ "$(cargo cyclonedx --version 2>/dev/null | awk '{print $2}')" != "$CARGO_CYCLONEDX_VERSION" ]; then
  say "installing cargo-cyclonedx $CARGO_CYCLONEDX_VERSION"
  env -u CARGO_TARGET_DIR cargo install --locked cargo-cyclonedx --version "$CARGO_CYCLONEDX_VERSION" --force
fi

OUT="$ROOT/target/sbom"
mkdir -p "$OUT"
# cargo-cyclonedx writes beside each workspace member's manifest: the server's document is moved to target/sbom,
# the other members' are removed.
say "writing the CycloneDX SBOM of credit-api"
cargo cyclonedx --manifest-path api/Cargo.toml --format json --spec-version 1.5 --target x86_64-unknown-linux-gnu \
  --override-filename credit-api.cdx
mv api/credit-api.cdx.json "$OUT/credit-api.cdx.json"
for member in */credit-api.cdx.json; do rm -f "$member"; done
components=$(grep -c '"bom-ref"' "$OUT/credit-api.cdx.json" || true)
say "SBOM written to target/sbom/credit-api.cdx.json ($components entries)"
