#!/usr/bin/env bash
# Serving benchmark, "a crowded room": 300 concurrent clients on loopback fetch the app's
# first-load files (index.html and every js, wasm and css file it loads or preloads) with
# `Accept-Encoding: br`, in turn, from the endpoint and from Debian's nginx serving the same
# dist/ (sendfile, brotli_static and gzip_static when the modules are there), in alternating
# rounds. Prints the encoding each server sent for each file, each round, and the median as
#   serve: endpoint rps=… p99=…ms nginx rps=… p99=…ms ratio=…
# Options: --connections N (300), --duration SECONDS per round (10), --rounds N (3),
#          --threads N (wrk threads, 2). Expects a built app in dist/; builds the endpoint.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

CONNECTIONS=300
DURATION=10
ROUNDS=3
THREADS=2
ENCODING="br"
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench-serve: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

DIST="$ROOT/dist"
if [ ! -f "$DIST/index.html" ]; then
  echo "bench-serve: $DIST/index.html is missing: build the app first (trunk build --release, or scripts/run.sh once)" >&2
  exit 1
fi

apt_install nginx wrk
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
if [ ! -f "$BROTLI_MODULE" ]; then
  # Debian ships it for its own nginx; without it nginx sends what gzip_static or the file has.
  apt_install libnginx-mod-http-brotli-static || echo "bench-serve: no brotli_static module for this nginx"
fi

step "building the endpoint (release)"
cargo build --release -p networkshop-endpoint
ENDPOINT_BIN="$ROOT/target/release/networkshop-endpoint"

# The first-load files: the page, and every script, wasm and style sheet it names.
mapfile -t PATHS < <(
  echo /
  grep -oE "(href|src)=\"/[^\"]+\.(js|wasm|css)\"|from '/[^']+\.js'|'/[^']+_bg\.wasm'" "$DIST/index.html" |
    grep -oE "/[^\"']+" | awk '!seen[$0]++'
)
if [ ${#PATHS[@]} -lt 2 ]; then
  echo "bench-serve: found no script, wasm or css in $DIST/index.html" >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-serve.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

wait_for() {
  local url="$1" what="$2" log="$3"
  for _ in $(seq 600); do
    curl -sf -o /dev/null "$url" && return 0
    sleep 0.2
  done
  echo "bench-serve: $what did not answer at $url; its log:" >&2
  cat "$log" >&2
  exit 1
}

step "starting the endpoint (it writes dist/'s missing .br and .gz copies first)"
ENDPOINT_PORT="$(free_port)"
mkdir -p "$WORK/data"
RUST_LOG=info "$ENDPOINT_BIN" --addr "127.0.0.1:$ENDPOINT_PORT" --dist "$DIST" --data "$WORK/data" \
  >"$WORK/endpoint.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$ENDPOINT_PORT/" endpoint "$WORK/endpoint.log"
grep -ohE "precompressed.*|cannot write compressed.*" "$WORK/endpoint.log" | sed 's/\x1b\[[0-9;]*m//g' | sed 's/^/  /' || true

step "starting nginx on the same dist/"
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx"
LOAD_BROTLI=""
BROTLI_STATIC=""
if [ -f "$BROTLI_MODULE" ]; then
  LOAD_BROTLI="load_module $BROTLI_MODULE;"
  BROTLI_STATIC="brotli_static on;"
fi
cat >"$WORK/nginx/nginx.conf" <<EOF
$LOAD_BROTLI
daemon off;
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  gzip_static on;
  $BROTLI_STATIC
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $DIST;
    location / { try_files \$uri /index.html; }
  }
}
EOF
/usr/sbin/nginx -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
PIDS+=($!)
wait_for "http://127.0.0.1:$NGINX_PORT/" nginx "$WORK/nginx/error.log"

step "what each server sends for Accept-Encoding: $ENCODING"
declare -A SERVED
for server in endpoint nginx; do
  port=$ENDPOINT_PORT
  [ "$server" = nginx ] && port=$NGINX_PORT
  line=""
  for path in "${PATHS[@]}"; do
    read -r encoding size < <(curl -s -o /dev/null -H "Accept-Encoding: $ENCODING" \
      -w '%header{content-encoding} %{size_download}\n' "http://127.0.0.1:$port$path" |
      awk '{ if (NF == 1) print "identity", $1; else print $1, $2 }')
    name="${path##*/}"
    line+=" ${name:-index.html}=${encoding:-identity}(${size}B)"
    SERVED[$server]+="${encoding:-identity}"$'\n'
  done
  echo "  $server:$line"
done
encodings() { sort <<<"${SERVED[$1]}" | uniq -c | awk 'NF == 2 { printf "%s%s×%d", sep, $2, $1; sep = "," }'; }
NGINX_MODULES="gzip_static"
[ -f "$BROTLI_MODULE" ] && NGINX_MODULES="brotli_static, gzip_static"

cat >"$WORK/rotate.lua" <<EOF
local paths = { $(printf '"%s", ' "${PATHS[@]}") }
local next_path = 0
wrk.headers["Accept-Encoding"] = "$ENCODING"
request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p99_us=%d p50_us=%d errors=%d bytes_per_response=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(99), latency:percentile(50),
    errors, summary.bytes / math.max(summary.requests, 1)))
end
EOF

run_wrk() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" --timeout 10s -s "$WORK/rotate.lua" "http://127.0.0.1:$2" |
    grep '^RESULT'
}

field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

step "$ROUNDS rounds of ${DURATION}s per server, $CONNECTIONS connections, $THREADS wrk threads, paths: ${PATHS[*]}"
declare -a ENDPOINT_RPS ENDPOINT_P99 NGINX_RPS NGINX_P99
for round in $(seq "$ROUNDS"); do
  for server in endpoint nginx; do
    port=$ENDPOINT_PORT
    [ "$server" = nginx ] && port=$NGINX_PORT
    run_wrk 2 "$port" >/dev/null # warm-up: connections, page cache
    result="$(run_wrk "$DURATION" "$port")"
    echo "  round $round $server: ${result#RESULT }"
    if [ "$(field errors "$result")" != 0 ]; then
      echo "bench-serve: $server had errors in round $round" >&2
    fi
    if [ "$server" = endpoint ]; then
      ENDPOINT_RPS+=("$(field rps "$result")")
      ENDPOINT_P99+=("$(field p99_us "$result")")
    else
      NGINX_RPS+=("$(field rps "$result")")
      NGINX_P99+=("$(field p99_us "$result")")
    fi
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

e_rps="$(median "${ENDPOINT_RPS[@]}")"
e_p99="$(median "${ENDPOINT_P99[@]}")"
n_rps="$(median "${NGINX_RPS[@]}")"
n_p99="$(median "${NGINX_P99[@]}")"
echo
echo "encodings sent for Accept-Encoding: $ENCODING: endpoint $(encodings endpoint); nginx $(encodings nginx) ($NGINX_MODULES)"
awk -v er="$e_rps" -v ep="$e_p99" -v nr="$n_rps" -v np="$n_p99" 'BEGIN {
  printf "serve: endpoint rps=%.0f p99=%.1fms nginx rps=%.0f p99=%.1fms ratio=%.2f\n", er, ep / 1000, nr, np / 1000, er / nr
}'
