#!/usr/bin/env bash
# Installs whatever Taskdesk's build and tests need and is missing; safe to run again and again.
#   scripts/setup.sh run    what `make run` needs: the wasm target, Trunk, wasm-bindgen-cli, npm packages
#   scripts/setup.sh test   the same, plus Chromium and ChromeDriver for the browser tiers
#   scripts/setup.sh bench  the same as test, plus twiggy for the bundle's breakdown
# Versions are pinned (see TOOLCHAIN notes in the README); nothing downloads a prebuilt binary.
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-test}"
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14
TWIGGY_VERSION=0.8.0
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

step() { printf '\n== setup: %s\n' "$*"; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# make test checks formatting and lints (rustup's default profile has both; a minimal one does not).
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    step "adding the $component component"
    rustup component add "$component"
  fi
done

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "building Trunk $TRUNK_VERSION from source (8 to 30 minutes on two cores; only once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "building wasm-bindgen-cli $WASM_BINDGEN_VERSION from source (only once)"
  # Not --locked: its lock file pins a webpki-roots version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm packages (wasm-opt from binaryen 132, Playwright, pouchdb-server, benchmark peers)"
  # No install scripts: the only packages with one (leveldown, sqlite3 under pouchdb-server) would
  # compile or download native code; leveldown loads its bundled build without it.
  npm ci --no-audit --no-fund --ignore-scripts
fi

if [ "$want" = bench ] && [ "$(twiggy --version 2>/dev/null)" != "twiggy-opt $TWIGGY_VERSION" ]; then
  step "building twiggy $TWIGGY_VERSION from source (the bundle's breakdown in make bench; only once)"
  cargo install twiggy --version "$TWIGGY_VERSION" --locked
fi

if [ "$want" != run ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  step "installing Debian's Chromium and ChromeDriver"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

step "ready ($want)"
