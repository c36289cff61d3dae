#!/usr/bin/env bash
# A throwaway single-node Ceph RADOS Gateway (S3) for tests: one ceph-mon, one memstore ceph-osd
# and radosgw, no systemd, no mgr, everything (config, keyring, data, logs, sockets) under one
# directory the caller owns. Nothing touches /etc/ceph, /var/lib/ceph or /var/run/ceph, and every
# port is picked free, so several runs can coexist.
#
# As a library (source it):
#   ceph_install          installs ceph-mon, ceph-osd, radosgw, ceph-common unless already there
#   ceph_start DIR [PORT] starts the cluster under DIR (an existing, preferably empty directory),
#                         S3 on 127.0.0.1:PORT (default: a free port), creates a test user, waits
#                         until S3 answers, exports CEPH_S3_ENDPOINT, CEPH_S3_ACCESS_KEY,
#                         CEPH_S3_SECRET_KEY, CEPH_S3_REGION and writes the daemons' PIDs to DIR/pids
#   ceph_stop DIR         stops the daemons listed in DIR/pids (TERM, then KILL); safe to repeat
# As a command:
#   bash scripts/ceph.sh start DIR [PORT]   prints the export lines
#   bash scripts/ceph.sh stop DIR
#
# Data lives in memory (memstore, capacity CEPH_MEMSTORE_BYTES, default 1 GiB) and is gone once
# the daemons stop. Ceph 16's S3 differs from AWS on conditional writes: If-Match on PUT matches
# only the bare ETag (a quoted one gives 412), and If-Match on a missing key gives 412.

CEPH_S3_TEST_ACCESS_KEY="NETWORKSHOPTESTKEY01"
CEPH_S3_TEST_SECRET_KEY="networkshopTestSecretKey0123456789abcdef"

_ceph_log() { printf 'ceph: %s\n' "$*" >&2; }

_ceph_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ceph_install() {
  local bins=(radosgw ceph-mon ceph-osd ceph monmaptool ceph-authtool radosgw-admin) b missing=0
  for b in "${bins[@]}"; do command -v "$b" >/dev/null 2>&1 || missing=1; done
  if [ "$missing" = 0 ]; then
    _ceph_log "ceph-mon, ceph-osd, radosgw and ceph tools already installed"
    return 0
  fi
  local packages=(ceph-mon ceph-osd radosgw ceph-common)
  if apt-cache policy "${packages[@]}" 2>/dev/null | grep -q 'Candidate: (none)' ||
    [ "$(apt-cache policy "${packages[@]}" 2>/dev/null | grep -c 'Candidate:')" != "${#packages[@]}" ]; then
    _ceph_log "installing ${packages[*]} (apt-get update first)"
    _ceph_as_root apt-get update -qq || return 1
  else
    _ceph_log "installing ${packages[*]}"
  fi
  _ceph_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null || return 1
}

# A TCP port nobody listens on, from a random spot in 20000-59999 (skipping ports in $*).
_ceph_free_port() {
  local used port tries=0
  used=" $(ss -Htln 2>/dev/null | awk '{n=split($4,a,":"); print a[n]}' | tr '\n' ' ') $* "
  while [ $tries -lt 200 ]; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    case "$used" in *" $port "*) ;; *) echo "$port"; return 0 ;; esac
    tries=$((tries + 1))
  done
  return 1
}

# Runs a command until it succeeds, every 0.1 s, for at most $1 seconds.
_ceph_retry() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}

# A pid from DIR/pids still running one of this run's daemons (its command line names DIR).
_ceph_ours() {
  local pid=$1 dir=$2
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/ceph.conf"
}

_ceph_fail() {
  local dir=$1; shift
  _ceph_log "$* (logs in $dir/log)"
  ceph_stop "$dir"
  return 1
}

ceph_start() {
  local dir=${1:?usage: ceph_start DIR [PORT]} port=${2:-}
  [ -d "$dir" ] || { _ceph_log "no directory $dir"; return 1; }
  dir=$(cd "$dir" && pwd)
  local conf="$dir/ceph.conf" keyring="$dir/keyring" fsid osd_uuid mon_port t0=$SECONDS
  local start_ns
  start_ns=$(date +%s%N)
  mon_port=$(_ceph_free_port "$port") || { _ceph_log "no free port"; return 1; }
  [ -n "$port" ] || port=$(_ceph_free_port "$mon_port") || { _ceph_log "no free port"; return 1; }
  fsid=$(cat /proc/sys/kernel/random/uuid)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  mkdir -p "$dir/mon" "$dir/osd/ceph-0" "$dir/run" "$dir/log" "$dir/crash" "$dir/rgw"
  : >"$dir/pids"

  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $keyring
run dir = $dir/run
admin socket = $dir/run/\$cluster-\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
log to stderr = false
err to stderr = false
mon cluster log file = $dir/log/cluster.log
crash dir = $dir/crash
exec dir = $dir/run
mon data = $dir/mon/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
rgw data = $dir/rgw
# one OSD, so pools of size 1, few PGs, no autoscaler and no mgr
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon max pg per osd = 1000
mon rocksdb options = write_buffer_size=4194304,compression=kNoCompression,level_compaction_dynamic_level_bytes=true
# commit monitor changes fast: RGW creates its pools on the first requests
paxos propose interval = 0.1
# in-memory object store
osd objectstore = memstore
memstore device bytes = ${CEPH_MEMSTORE_BYTES:-1073741824}
osd fast shutdown = false

[client]
admin socket =

[client.rgw]
admin socket = $dir/run/\$cluster-\$name.asok
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
EOF

  ceph-authtool --create-keyring "$keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null &&
    ceph-authtool "$keyring" --gen-key -n client.admin \
      --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null &&
    ceph-authtool "$keyring" --gen-key -n osd.0 \
      --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null &&
    ceph-authtool "$keyring" --gen-key -n client.rgw \
      --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null ||
    _ceph_fail "$dir" "keyring creation failed" || return 1
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null ||
    _ceph_fail "$dir" "monmaptool failed" || return 1
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$keyring" ||
    _ceph_fail "$dir" "ceph-mon --mkfs failed" || return 1
  ceph-mon -c "$conf" -i a || _ceph_fail "$dir" "ceph-mon did not start" || return 1
  cat "$dir/run/mon.a.pid" >>"$dir/pids"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1 ||
    _ceph_fail "$dir" "ceph-osd --mkfs failed" || return 1
  ceph -c "$conf" osd new "$osd_uuid" 0 >/dev/null || _ceph_fail "$dir" "ceph osd new failed" || return 1
  ceph-osd -c "$conf" -i 0 || _ceph_fail "$dir" "ceph-osd did not start" || return 1
  cat "$dir/run/osd.0.pid" >>"$dir/pids"
  echo "$(( ($(date +%s%N) - start_ns) / 1000000 )) ms osd started" >&2
  _ceph_retry 20 _ceph_osd_up "$conf" || _ceph_fail "$dir" "the OSD did not come up" || return 1
  echo "$(( ($(date +%s%N) - start_ns) / 1000000 )) ms osd up" >&2
  radosgw -c "$conf" -n client.rgw || _ceph_fail "$dir" "radosgw did not start" || return 1
  cat "$dir/run/client.rgw.pid" >>"$dir/pids"
  echo "$(( ($(date +%s%N) - start_ns) / 1000000 )) ms rgw started" >&2
  radosgw-admin -c "$conf" user create --uid=test --display-name=test \
    --access-key="$CEPH_S3_TEST_ACCESS_KEY" --secret-key="$CEPH_S3_TEST_SECRET_KEY" >/dev/null ||
    _ceph_fail "$dir" "radosgw-admin user create failed" || return 1
  echo "$(( ($(date +%s%N) - start_ns) / 1000000 )) ms user" >&2
  export CEPH_S3_ENDPOINT="http://127.0.0.1:$port"
  export CEPH_S3_ACCESS_KEY="$CEPH_S3_TEST_ACCESS_KEY"
  export CEPH_S3_SECRET_KEY="$CEPH_S3_TEST_SECRET_KEY"
  export CEPH_S3_REGION="default"
  _ceph_retry 60 _ceph_s3_ok || _ceph_fail "$dir" "S3 on $CEPH_S3_ENDPOINT does not answer" || return 1
  echo "$(( ($(date +%s%N) - start_ns) / 1000000 )) ms s3 ok" >&2
}

_ceph_osd_up() {
  ceph -c "$1" osd stat 2>/dev/null | grep -q ' 1 up'
}

# An authenticated ListBuckets answers 200.
_ceph_s3_ok() {
  curl -sf -o /dev/null --max-time 5 -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --aws-sigv4 "aws:amz:$CEPH_S3_REGION:s3" \
    --user "$CEPH_S3_ACCESS_KEY:$CEPH_S3_SECRET_KEY" "$CEPH_S3_ENDPOINT/"
}

# Stops the daemons in reverse start order (radosgw, OSD, monitor), each with TERM, then KILL if
# it is still there after 5 s. The OSD needs the monitor while it shuts down, hence one at a time.
ceph_stop() {
  local dir=${1:?usage: ceph_stop DIR}
  [ -f "$dir/pids" ] || return 0
  dir=$(cd "$dir" && pwd)
  local pid i
  for pid in $(tac "$dir/pids"); do
    _ceph_ours "$pid" "$dir" || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for ((i = 0; i < 50; i++)); do
      _ceph_ours "$pid" "$dir" || continue 2
      sleep 0.1
    done
    _ceph_log "pid $pid did not stop on TERM, killing it"
    kill -KILL "$pid" 2>/dev/null
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      ceph_start "${2:?usage: $0 start DIR [PORT]}" "${3:-}"
      echo "export CEPH_S3_ENDPOINT=$CEPH_S3_ENDPOINT"
      echo "export CEPH_S3_ACCESS_KEY=$CEPH_S3_ACCESS_KEY"
      echo "export CEPH_S3_SECRET_KEY=$CEPH_S3_SECRET_KEY"
      echo "export CEPH_S3_REGION=$CEPH_S3_REGION"
      ;;
    stop) ceph_stop "${2:?usage: $0 stop DIR}" ;;
    install) ceph_install ;;
    *) echo "usage: $0 install | start DIR [PORT] | stop DIR" >&2; exit 2 ;;
  esac
fi
