#!/usr/bin/env bash
# First-contact benchmark: builds the release app and endpoint, then prints how long the
# participant page takes to accept typing, cold and warm, at 400 kbit/s, 1.6 Mbit/s and
# unthrottled (headless Chromium, CDP throttling), the bytes of each resource of a cold visit,
# a return visit on a silent network, when the rest of the page (its wasm chunk) follows, and
# the size of each wasm with the participant's top contributors. Figures only; see
# e2e/bench/load.mjs.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
setup_test
if ! command -v twiggy >/dev/null; then
  step "installing twiggy (what makes the wasm big; about 2 minutes)"
  cargo install twiggy --locked
fi
step "building the app and the endpoint"
"$ROOT/scripts/build-app.sh"
cargo build --release -p networkshop-endpoint
step "benchmark"
node e2e/bench/load.mjs "$@"
