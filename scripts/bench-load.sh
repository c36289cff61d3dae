#!/usr/bin/env bash
# First-contact benchmark: builds the release app and endpoint, then prints how long the
# participant page takes to accept typing, cold and warm, at 400 kbit/s, 1.6 Mbit/s and
# unthrottled (headless Chromium, CDP throttling), the bytes of each resource of a cold visit,
# and a return visit on a silent network. Figures only; see e2e/bench/load.mjs.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
setup_test
step "building the app and the endpoint"
"$ROOT/scripts/build-app.sh"
cargo build --release -p networkshop-endpoint
step "benchmark"
node e2e/bench/load.mjs "$@"
