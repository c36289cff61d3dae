#!/usr/bin/env bash
# Store benchmark: N authors x M records published through the endpoint on the data folder (one
# process) and on an S3 bucket of a single-node Ceph RADOS Gateway (two processes on one prefix),
# in the same run. Prints per store: PUTs per second, ?since latency for a small delta, the
# time and size of a checkpoint of everything, and a cold pull (?since=0 + its checkpoint).
# Options: --authors N (10000), --per-author M (20), --concurrency C (32).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

case "${1:-}" in -h|--help) sed -n '2,6p' "$0"; exit 0 ;; esac
ceph_install
step "building the endpoint and the benchmark (release)"
cargo build --release -p networkshop-endpoint --bin networkshop-endpoint --example bench_store

CEPH_DIR="$(mktemp -d /tmp/networkshop-ceph.XXXXXX)"
trap 'ceph_stop "$CEPH_DIR"; rm -rf "$CEPH_DIR"' EXIT
ceph_start "$CEPH_DIR"
step "bench-store"
"$ROOT/target/release/examples/bench_store" --endpoint-bin "$ROOT/target/release/networkshop-endpoint" "$@"
