#!/usr/bin/env bash
# Builds the web app (web/) to web/dist: index.html, boot.js, style.css, app.js and app_bg.wasm.
#
# The wasm32 standard library comes from rustup where it can (`rustup target add wasm32-unknown-unknown`);
# where rustup cannot download it, from Debian's rustc-web packages, building std from source (-Zbuild-std).
# The wasm-bindgen CLI is installed at exactly the version Cargo.lock pins. Every step is idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

TARGET=wasm32-unknown-unknown
PROFILE=wasm-release
DIST="$ROOT/web/dist"
export CARGO_TARGET_DIR="$ROOT/target/wasm"

# Route 1: rustup's own target. Route 2: Debian's toolchain with std built from source
# (CREDIT_WASM_ROUTE=debian forces route 2, to check it on a machine where route 1 works).
if [ "${CREDIT_WASM_ROUTE:-}" != debian ] && command -v rustup >/dev/null 2>&1 \
  && { rustup target list --installed 2>/dev/null | grep -qx "$TARGET" || rustup target add "$TARGET" >/dev/null 2>&1; }; then
  say "building the web app with rustup's $TARGET target"
  cargo build --locked -p credit-web --target "$TARGET" --profile "$PROFILE"
elif command -v apt-get >/dev/null 2>&1; then
  say "rustup cannot provide $TARGET here: using Debian's rustc-web with -Zbuild-std"
  apt_install rustc-web cargo-web rust-web-src lld-19
  # Debian's cargo and rustc by full path: rustup's shims come first on PATH.
  env -u RUSTUP_TOOLCHAIN RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-19/bin/wasm-ld \
    /usr/bin/cargo build --locked -p credit-web --target "$TARGET" --profile "$PROFILE" -Zbuild-std=std,panic_abort
else
  die "no way to get the $TARGET target: install it with 'rustup target add $TARGET'"
fi
WASM="$CARGO_TARGET_DIR/$TARGET/$PROFILE/credit-web.wasm"
[ -f "$WASM" ] || die "build produced no $WASM"

# The CLI must match the wasm-bindgen crate exactly, or the glue it writes does not fit the module.
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$BINDGEN_VERSION" ] || die "no wasm-bindgen version in Cargo.lock"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION"
  # Not --locked: the registry mirror may lack a dependency version its lock file pins.
  env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

say "writing $DIST"
rm -rf "$DIST.tmp"
mkdir -p "$DIST.tmp"
wasm-bindgen --target web --no-typescript --out-dir "$DIST.tmp" --out-name app "$WASM"
if command -v wasm-opt >/dev/null 2>&1; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o "$DIST.tmp/app_bg.wasm" "$DIST.tmp/app_bg.wasm" \
    || say "wasm-opt failed; keeping the unoptimised module"
fi
cp web/index.html web/boot.js web/style.css "$DIST.tmp/"
# Swap in one step, so a running server never serves a half-written app.
rm -rf "$DIST.old"
[ -d "$DIST" ] && mv "$DIST" "$DIST.old"
mv "$DIST.tmp" "$DIST"
rm -rf "$DIST.old"
say "web app built: $(du -h "$DIST/app_bg.wasm" | cut -f1) of wasm in $DIST"
