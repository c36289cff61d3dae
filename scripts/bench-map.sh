#!/usr/bin/env bash
# Map benchmark: builds the release app and endpoint, publishes N authors × M resources to it
# and prints what headless Chromium measures (open → drawn, one new bundle, a filter change, a
# depth change, opening again from IndexedDB, long tasks, memory). Without arguments, two sizes:
# 2,000 authors × 10 and 10,000 × 20 (200,000 records); arguments go to e2e/bench/map.mjs
# (--authors N --per-author M). Beside ours, PouchDB replicating the same bundles from
# express-pouchdb (e2e/bench/peer, installed here only: the tests do not need it).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
setup_test
npm_install e2e/bench/peer
step "building the app and the endpoint"
"$ROOT/scripts/build-app.sh"
cargo build --release -p networkshop-endpoint
step "benchmark"
if [ $# -gt 0 ]; then
    node e2e/bench/map.mjs "$@"
else
    node e2e/bench/map.mjs --authors 2000 --per-author 10
    node e2e/bench/map.mjs --authors 10000 --per-author 20
fi
