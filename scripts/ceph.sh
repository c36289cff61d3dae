#!/usr/bin/env bash
# A throwaway single-node Ceph RADOS Gateway (S3) for tests: one ceph-mon, one memstore ceph-osd
# and radosgw, without systemd or a mgr, everything (config, keyring, monitor store, logs, admin
# sockets, pid files) under one directory the caller owns. Nothing touches /etc/ceph,
# /var/lib/ceph or /var/run/ceph, and every port is picked free, so several runs can coexist.
#
# As a library (source it):
#   ceph_install          installs ceph-mon, ceph-osd, radosgw and ceph-common unless already there
#   ceph_start DIR [PORT] starts the daemons under DIR (an existing, fresh directory: mktemp -d),
#                         S3 on 127.0.0.1:PORT (default: a free port), creates a test user, waits
#                         until S3 answers, exports CEPH_S3_ENDPOINT, CEPH_S3_ACCESS_KEY,
#                         CEPH_S3_SECRET_KEY and CEPH_S3_REGION, and writes the daemons' PIDs to
#                         DIR/pids. Takes about 2.5 s.
#   ceph_stop DIR         stops the daemons listed in DIR/pids (TERM, then KILL after 5 s), never
#                         anything else; safe to call twice
# As a command:
#   bash scripts/ceph.sh install
#   bash scripts/ceph.sh start DIR [PORT]   prints the export lines
#   bash scripts/ceph.sh stop DIR
#
# Objects live in memory (memstore, capacity CEPH_MEMSTORE_BYTES, default 1 GiB) and are gone once
# the OSD stops; DIR stays a few MB. Any SigV4 region signs (RGW does not check it); "default" is
# the zonegroup's name, the only LocationConstraint CreateBucket accepts besides none.
# Ceph 16's S3 differs from AWS on conditional PUTs: If-Match matches only the bare ETag (the
# quoted form gives 412) and If-Match on a missing key gives 412; If-None-Match: * works.
# curl --aws-sigv4 (7.88) needs -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' and query values
# percent-encoded ('/' as %2F), else RGW answers SignatureDoesNotMatch.

CEPH_S3_TEST_ACCESS_KEY="NETWORKSHOPTESTKEY01"
CEPH_S3_TEST_SECRET_KEY="networkshopTestSecretKey0123456789abcdef"

_ceph_log() { printf 'ceph: %s\n' "$*" >&2; }

_ceph_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ceph_install() {
  local b missing=()
  for b in radosgw ceph-mon ceph-osd ceph monmaptool ceph-authtool radosgw-admin; do
    command -v "$b" >/dev/null 2>&1 || missing+=("$b")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    _ceph_log "ceph-mon, ceph-osd, radosgw and the ceph tools are installed, nothing to do"
    return 0
  fi
  local packages=(ceph-mon ceph-osd radosgw ceph-common) update=""
  # apt-get update only when apt does not know a package yet.
  if [ "$(apt-cache policy "${packages[@]}" 2>/dev/null | grep -c 'Candidate: [^(]')" != ${#packages[@]} ]; then
    update=1
  fi
  _ceph_log "installing ${packages[*]} (missing: ${missing[*]})${update:+ after apt-get update}"
  if [ -n "$update" ]; then _ceph_as_root apt-get update -qq || return 1; fi
  _ceph_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null || return 1
}

# A TCP port nobody listens on, from a random spot in 20000-31999, other than the ports in $*.
_ceph_free_port() {
  local used port tries
  used=" $(ss -Htln 2>/dev/null | awk '{n = split($4, a, ":"); print a[n]}' | tr '\n' ' ') $* "
  for ((tries = 0; tries < 500; tries++)); do
    # Below the kernel's ephemeral range (32768 and up), so no outgoing connection of another
    # program can take the port between this check and the daemon's bind.
    port=$((20000 + RANDOM % 12000))
    case "$used" in *" $port "*) ;; *) echo "$port"; return 0 ;; esac
  done
  return 1
}

# Runs a command every 0.1 s until it succeeds, for at most $1 seconds.
_ceph_retry() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}

# Whether pid $1 is a live daemon of the run in directory $2 (its command line names $2/ceph.conf),
# so that a pid the system reused after the daemon ended is never signalled.
_ceph_ours() {
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) && [[ "$cmdline" == *"-c $2/ceph.conf "* ]]
}

# Appends the pid in a daemon's pid file to DIR/pids, once the daemon has written it.
_ceph_record_pid() {
  local dir=$1 name=$2
  _ceph_retry 10 test -s "$dir/run/$name.pid" || return 1
  cat "$dir/run/$name.pid" >>"$dir/pids"
}

_ceph_osd_up() {
  local stat
  stat=$(ceph -c "$1" osd stat 2>/dev/null) && [[ "$stat" == *" 1 up"* ]]
}

# An authenticated ListBuckets answers 200.
_ceph_s3_ok() {
  curl -sf -o /dev/null --max-time 5 -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
    --aws-sigv4 "aws:amz:$CEPH_S3_REGION:s3" --user "$CEPH_S3_ACCESS_KEY:$CEPH_S3_SECRET_KEY" \
    "$CEPH_S3_ENDPOINT/"
}

_ceph_fail() {
  local dir=$1 log
  shift
  _ceph_log "$* (logs in $dir/log)"
  # The caller may remove DIR at once: the logs' last lines are all that would tell why.
  for log in "$dir"/log/*.log; do
    [ -s "$log" ] || continue
    printf -- '--- %s\n' "$log" >&2
    tail -n 12 "$log" >&2
  done
  ceph_stop "$dir"
  return 1
}

ceph_start() {
  local dir=${1:?usage: ceph_start DIR [PORT]} port=${2:-}
  [ -d "$dir" ] || { _ceph_log "no directory $dir"; return 1; }
  dir=$(cd "$dir" && pwd)
  local conf="$dir/ceph.conf" keyring="$dir/keyring" fsid osd_uuid mon_port t0
  t0=$(date +%s%N)

  if [ -e "$conf" ]; then
    _ceph_log "$dir already holds a Ceph run; give ceph_start a fresh directory"
    return 1
  fi
  if [ -n "$port" ] && ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
    _ceph_log "port $port is in use"
    return 1
  fi
  mkdir -p "$dir/mon" "$dir/osd/ceph-0" "$dir/run" "$dir/log" "$dir/crash" "$dir/rgw"
  : >"$dir/pids"

  mon_port=$(_ceph_free_port "$port") &&
    if [ -z "$port" ]; then port=$(_ceph_free_port "$mon_port"); fi ||
    { _ceph_log "no free port"; return 1; }
  fsid=$(cat /proc/sys/kernel/random/uuid)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)

  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
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
# one OSD: pools of size 1, few PGs, no autoscaler (no mgr)
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon max pg per osd = 1000
# commit monitor changes fast: RGW creates its pools while starting and on first requests
paxos propose interval = 0.1
# a small monitor store, and a full host disk never stops the monitor
mon rocksdb options = write_buffer_size=4194304,compression=kNoCompression,level_compaction_dynamic_level_bytes=true
mon data avail warn = 0
mon data avail crit = 0
mon warn on insecure global id reclaim allowed = false
# objects in memory; fast shutdown skips memstore's dump of every object into DIR at exit
osd objectstore = memstore
memstore device bytes = ${CEPH_MEMSTORE_BYTES:-1073741824}
osd fast shutdown = true

[client]
# no admin sockets for the ceph and radosgw-admin commands
admin socket =

[client.rgw]
admin socket = $dir/run/\$cluster-\$name.asok
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
EOF

  # One keyring: ceph-mon --mkfs imports every key in it.
  ceph-authtool --create-keyring "$keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null &&
    ceph-authtool "$keyring" --gen-key -n client.admin \
      --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null &&
    ceph-authtool "$keyring" --gen-key -n osd.0 \
      --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null &&
    ceph-authtool "$keyring" --gen-key -n client.rgw \
      --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null ||
    _ceph_fail "$dir" "creating the keyring failed" || return 1
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null ||
    _ceph_fail "$dir" "monmaptool failed" || return 1
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$keyring" ||
    _ceph_fail "$dir" "ceph-mon --mkfs failed" || return 1
  ceph-mon -c "$conf" -i a && _ceph_record_pid "$dir" mon.a ||
    _ceph_fail "$dir" "ceph-mon did not start" || return 1

  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1 ||
    _ceph_fail "$dir" "ceph-osd --mkfs failed" || return 1
  ceph -c "$conf" osd new "$osd_uuid" 0 >/dev/null ||
    _ceph_fail "$dir" "ceph osd new failed" || return 1
  ceph-osd -c "$conf" -i 0 && _ceph_record_pid "$dir" osd.0 ||
    _ceph_fail "$dir" "ceph-osd did not start" || return 1
  _ceph_retry 30 _ceph_osd_up "$conf" || _ceph_fail "$dir" "the OSD did not come up" || return 1

  radosgw -c "$conf" -n client.rgw && _ceph_record_pid "$dir" client.rgw ||
    _ceph_fail "$dir" "radosgw did not start" || return 1
  radosgw-admin -c "$conf" user create --uid=test --display-name=test \
    --access-key="$CEPH_S3_TEST_ACCESS_KEY" --secret-key="$CEPH_S3_TEST_SECRET_KEY" >/dev/null ||
    _ceph_fail "$dir" "radosgw-admin user create failed" || return 1

  export CEPH_S3_ENDPOINT="http://127.0.0.1:$port"
  export CEPH_S3_ACCESS_KEY="$CEPH_S3_TEST_ACCESS_KEY"
  export CEPH_S3_SECRET_KEY="$CEPH_S3_TEST_SECRET_KEY"
  export CEPH_S3_REGION="default"
  # Until our radosgw listens on the port and S3 answers there. A daemon that died (say radosgw,
  # the port being taken meanwhile) fails at once rather than after the timeout.
  local deadline=$((SECONDS + 60)) pid ok rgw_pid
  rgw_pid=$(tail -n 1 "$dir/pids")
  while :; do
    ok=""
    [[ "$(ss -Htlnp "sport = :$port" 2>/dev/null)" == *"pid=$rgw_pid,"* ]] && _ceph_s3_ok && ok=1
    for pid in $(cat "$dir/pids"); do
      _ceph_ours "$pid" "$dir" || { _ceph_fail "$dir" "pid $pid exited"; return 1; }
    done
    [ -z "$ok" ] || break
    [ $SECONDS -lt $deadline ] || { _ceph_fail "$dir" "S3 on $CEPH_S3_ENDPOINT does not answer"; return 1; }
    sleep 0.1
  done
  t0=$((($(date +%s%N) - t0) / 1000000))
  _ceph_log "RGW answers on $CEPH_S3_ENDPOINT after $((t0 / 1000)).$(printf %03d $((t0 % 1000))) s (pids $(tr '\n' ' ' <"$dir/pids")in $dir/pids)"
}

# Stops the daemons in reverse start order (radosgw, OSD, monitor), each with TERM and, if it is
# still there 5 s later, KILL. One at a time: the OSD tells the monitor it is going down.
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
    kill -KILL "$pid" 2>/dev/null || true
  done
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    install) ceph_install ;;
    start)
      ceph_start "${2:?usage: $0 start DIR [PORT]}" "${3:-}"
      echo "export CEPH_S3_ENDPOINT=$CEPH_S3_ENDPOINT"
      echo "export CEPH_S3_ACCESS_KEY=$CEPH_S3_ACCESS_KEY"
      echo "export CEPH_S3_SECRET_KEY=$CEPH_S3_SECRET_KEY"
      echo "export CEPH_S3_REGION=$CEPH_S3_REGION"
      ;;
    stop) ceph_stop "${2:?usage: $0 stop DIR}" ;;
    *)
      echo "usage: $0 install | start DIR [PORT] | stop DIR" >&2
      exit 2
      ;;
  esac
fi
