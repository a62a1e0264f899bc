#!/usr/bin/env bash
# Builds the page (Rust core → wasm), writes the synthetic demo data, and serves the app on
# http://127.0.0.1:${PORT:-8080}. Installs what is missing first (scripts/ensure-tools.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
PORT="${PORT:-8080}"

scripts/ensure-tools.sh
cargo build --release -p faers-cli
target/release/faers synth --demo web/demo
cargo fetch
echo "[serve] open http://127.0.0.1:$PORT/" >&2
exec trunk serve --release --address 127.0.0.1 --port "$PORT" --no-autoreload
