#!/usr/bin/env bash
# Builds the release app and serves it with its file endpoint on http://127.0.0.1:8080.
# Flags go to the endpoint: --addr, --data, --dist (or NETWORKSHOP_ADDR/_DATA/_DIST); --help lists them.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
setup_build
step "building the app (scripts/build-app.sh: trunk build of both apps)"
"$ROOT/scripts/build-app.sh"
step "building the endpoint"
cargo build --release -p networkshop-endpoint
exec "$ROOT/target/release/networkshop-endpoint" "$@"
