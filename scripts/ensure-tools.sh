#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing; skips what is present.
# Everything comes from package registries (crates.io, npm, Debian) at pinned versions:
# nothing is downloaded from anywhere else, so this works on the project's offline machines.
#
#   scripts/ensure-tools.sh          # Rust wasm target, wasm-bindgen CLI, trunk
#   scripts/ensure-tools.sh --test   # ... plus Debian chromium and npm playwright-core
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '[ensure-tools] %s\n' "$*" >&2; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Without --locked: the registry lacks one of its locked dependencies (toolchain.md).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$want_test" = 1 ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d "$here/tests/e2e/node_modules/playwright-core" ]; then
    say "installing playwright-core (npm)"
    (cd "$here/tests/e2e" && npm ci --no-audit --no-fund --silent)
  fi
fi
