#!/usr/bin/env bash
# Runs every test: native (core, endpoint, app), browser unit tests in headless Chromium, and
# the end-to-end suite against the real endpoint serving the release build. Fails if any fails.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
setup_test

step "a single-node Ceph RADOS Gateway (S3) for the object-store tests"
CEPH_DIR="$(mktemp -d /tmp/networkshop-ceph.XXXXXX)"
trap 'ceph_stop "$CEPH_DIR"; rm -rf "$CEPH_DIR"' EXIT
# ceph-mon once failed to come up in about ten starts (a failed start now prints its logs);
# one more start, in a fresh directory, is tried before giving up.
if ! ceph_start "$CEPH_DIR"; then
  rm -rf "$CEPH_DIR"
  CEPH_DIR="$(mktemp -d /tmp/networkshop-ceph.XXXXXX)"
  ceph_start "$CEPH_DIR"
fi
# The S3 tests fail rather than skip when the gateway is missing.
export NETWORKSHOP_REQUIRE_S3=1

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
