#!/usr/bin/env bash
# Map benchmark: builds the release app and endpoint, publishes 2,000 authors × 10 resources to
# it and prints what headless Chromium measures (open → drawn, one new bundle, a filter change).
# Arguments go to e2e/bench/map.mjs (--authors N --per-author M).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
setup_test
step "building the app and the endpoint"
"$ROOT/scripts/build-app.sh"
cargo build --release -p networkshop-endpoint
step "benchmark"
node e2e/bench/map.mjs "$@"
