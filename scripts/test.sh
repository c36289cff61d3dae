#!/usr/bin/env bash
# Runs every test: native (core, endpoint, app), browser unit tests in headless Chromium, and
# the end-to-end suite against the real endpoint serving the release build. Fails if any fails.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
setup_test

step "native tests (cargo test --workspace)"
cargo test --workspace

step "browser unit tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p networkshop --target wasm32-unknown-unknown --test web

step "release build for the end-to-end suite"
"$ROOT/scripts/build-app.sh"
cargo build --release -p networkshop-endpoint

step "end-to-end tests (Playwright + Chromium against the endpoint)"
cd "$ROOT/e2e"
npm test
