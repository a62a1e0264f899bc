#!/usr/bin/env bash
# Runs every test: formatting and lints, the Rust unit and integration tests, then the
# end-to-end browser test (builds the page, serves it on 127.0.0.1, drives Debian chromium
# with playwright-core, and compares the page's result with the CLI's on the same files).
# Installs what is missing first (scripts/ensure-tools.sh --test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

scripts/ensure-tools.sh --test
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

echo "== cargo fmt --check" >&2
cargo fmt --all -- --check
echo "== cargo clippy" >&2
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test" >&2
cargo test --workspace
echo "== build the page and the CLI" >&2
cargo build --release -p faers-cli
target/release/faers synth --demo web/demo
cargo fetch
trunk build --release
echo "== browser end-to-end test" >&2
FAERS_DIST="$PWD/dist" FAERS_BIN="$PWD/target/release/faers" FAERS_DEMO="$PWD/dist/web/demo" \
  node --test tests/e2e/
