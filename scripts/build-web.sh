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
# Leptos erases component types behind one boxed type instead of nesting them: the module is about an eighth
# smaller and compiles faster. Only the wasm target sees the flag (build scripts and macros are built without it).
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--cfg erase_components"

# Route 1: rustup's own target. Route 2: Debian's toolchain with std built from source
# (CREDIT_WASM_ROUTE=debian forces route 2, to check it on a machine where route 1 works).
if [ "${CREDIT_WASM_ROUTE:-}" != debian ] && command -v rustup >/dev/null 2>&1 \
  && { rustup target list --installed 2>/dev/null | grep -qx "$TARGET" || rustup target add "$TARGET" >/dev/null 2>&1; }; then
  say "building the web app with rustup's $TARGET target"
  cargo build --locked -p credit-web --target "$TARGET" --profile "$PROFILE"
elif command -v apt-get >/dev/null 2>&1; then
  if [ "${CREDIT_WASM_ROUTE:-}" = debian ]; then reason="CREDIT_WASM_ROUTE=debian"; else reason="rustup cannot provide $TARGET here"; fi
  say "$reason: using Debian's rustc-web with -Zbuild-std"
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
# A private staging directory (two builds at once must not share one), removed on any exit.
STAGE=$(mktemp -d "$ROOT/web/.dist-stage.XXXXXX")
OLD="$STAGE.old"
trap 'rm -rf "$STAGE" "$OLD"' EXIT
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$STAGE" --out-name app "$WASM"
# wasm-opt only on request (CREDIT_WASM_OPT=1): it saves about 1 % gzipped here, and Debian 12's binaryen 108
# writes a module whose externref table no longer loads in the browser.
if [ "${CREDIT_WASM_OPT:-0}" = 1 ]; then
  command -v wasm-opt >/dev/null 2>&1 || die "CREDIT_WASM_OPT=1 but no wasm-opt on PATH"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue -o "$STAGE/app_bg.opt.wasm" "$STAGE/app_bg.wasm" \
    && mv "$STAGE/app_bg.opt.wasm" "$STAGE/app_bg.wasm" \
    || say "wasm-opt failed; keeping the module as wasm-bindgen wrote it"
fi
cp web/index.html web/boot.js web/style.css "$STAGE/"
chmod 755 "$STAGE"
# Swap in with two renames, so a running server never serves a half-written app.
if [ -d "$DIST" ]; then mv "$DIST" "$OLD"; fi
mv "$STAGE" "$DIST"
rm -rf "$OLD"
bytes=$(wc -c <"$DIST/app_bg.wasm")
gzipped=$(gzip -9c "$DIST/app_bg.wasm" | wc -c)
say "web app built in $DIST: app_bg.wasm $((bytes / 1024)) KiB ($((gzipped / 1024)) KiB gzipped)"
