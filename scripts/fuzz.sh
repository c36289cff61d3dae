#!/usr/bin/env bash
# Fuzzes bundle decoding, validation, signature checking, trust and merge with AFL++ (afl.rs,
# stable Rust) until N executions are done, then prints one summary line:
#   fuzz: executions=… crashes=… hangs=… seconds=… execs_per_sec=…
# and exits non-zero if AFL++ found a crash or a hang (each crash is minimised and replayed
# through the harness to name what broke). The harness is fuzz/src/lib.rs; outputs go in
# fuzz/out/ (gitignored), the previous run's in fuzz/out/afl.prev/.
#
#   scripts/fuzz.sh [--executions N] [--timeout MS]
#
# Installs cargo-afl and builds AFL++ the first time, then skips those steps. It takes both
# cores' worth of nothing: one afl-fuzz process. Run it under `nice -n 19` beside other work.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FUZZ="$ROOT/fuzz"
OUT="$FUZZ/out"
EXECUTIONS=10000000
TIMEOUT_MS=3000

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --executions) EXECUTIONS="${2:?--executions needs a number}"; shift 2 ;;
        --executions=*) EXECUTIONS="${1#*=}"; shift ;;
        --timeout) TIMEOUT_MS="${2:?--timeout needs milliseconds}"; shift 2 ;;
        --timeout=*) TIMEOUT_MS="${1#*=}"; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "fuzz: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$EXECUTIONS$TIMEOUT_MS" in *[!0-9]*) echo "fuzz: numbers only" >&2; exit 2 ;; esac

export PATH="$HOME/.cargo/bin:$PATH"
say() { printf 'fuzz: %s\n' "$*" >&2; }

# --- setup (idempotent) ---------------------------------------------------------------------
if ! cargo afl --version >/dev/null 2>&1; then
    say "installing cargo-afl (AFL++ is built from the source it ships)"
    cargo install cargo-afl --locked
fi
# AFL++ and its runtime for this Rust toolchain; cargo-afl refuses to rebuild what exists.
if ! config_log="$(cargo afl config --build 2>&1)"; then
    if ! grep -q "already built" <<<"$config_log"; then
        printf '%s\n' "$config_log" >&2
        say "could not build AFL++"
        exit 1
    fi
fi

cd "$FUZZ"
say "smoke test: the harness on the seeds and on mutations of them (cargo test)"
cargo test --quiet
cargo build --quiet --bin seeds
say "building the instrumented target (cargo afl build --release)"
cargo afl build --quiet --release --features afl --bin afl_target
TARGET="$FUZZ/target/release/afl_target"

mkdir -p "$OUT"
rm -rf "$OUT/corpus" "$OUT/afl.prev" "$OUT/minimised"
[ -d "$OUT/afl" ] && mv "$OUT/afl" "$OUT/afl.prev"
"$FUZZ/target/debug/seeds" "$OUT/corpus" "$OUT/bundle.dict" >&2

# --- fuzz ---------------------------------------------------------------------------------
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    AFL_NO_AFFINITY=1 AFL_NO_CRASH_README=1
STATS="$OUT/afl/default/fuzzer_stats"
stat_of() { sed -n "s/^$1 *: *//p" "$STATS" 2>/dev/null | head -n1; }

say "afl-fuzz until $EXECUTIONS executions (log: fuzz/out/afl.log)"
start=$(date +%s)
cargo afl fuzz -i "$OUT/corpus" -o "$OUT/afl" -x "$OUT/bundle.dict" -E "$EXECUTIONS" \
    -t "$TIMEOUT_MS" -m none -- "$TARGET" >"$OUT/afl.log" 2>&1 &
afl_pid=$!
# Ctrl-C or TERM: afl-fuzz (cargo-afl's child) stops cleanly and the summary still prints.
trap 'pkill -INT -P "$afl_pid" 2>/dev/null || kill -INT "$afl_pid" 2>/dev/null || true' INT TERM
while kill -0 "$afl_pid" 2>/dev/null; do
    sleep 60 &
    wait $! 2>/dev/null || true
    kill -0 "$afl_pid" 2>/dev/null || break
    [ -f "$STATS" ] && say "progress executions=$(stat_of execs_done) crashes=$(stat_of saved_crashes) hangs=$(stat_of saved_hangs) execs_per_sec=$(stat_of execs_per_sec) corpus=$(stat_of corpus_count)"
done
afl_status=0
wait "$afl_pid" || afl_status=$?
trap - INT TERM
seconds=$(( $(date +%s) - start ))

if [ ! -f "$STATS" ]; then
    tail -n 30 "$OUT/afl.log" >&2
    say "afl-fuzz did not start (status $afl_status)"
    exit 1
fi
count() { find "$1" -maxdepth 1 -type f -name 'id:*' 2>/dev/null | wc -l; }
executions=$(stat_of execs_done)
crashes=$(count "$OUT/afl/default/crashes")
hangs=$(count "$OUT/afl/default/hangs")

# Each crash (the first ten): minimised with afl-tmin, then replayed through the harness.
if [ "$crashes" -gt 0 ]; then
    mkdir -p "$OUT/minimised"
    find "$OUT/afl/default/crashes" -maxdepth 1 -type f -name 'id:*' | sort | head -n 10 |
        while read -r crash; do
            min="$OUT/minimised/$(basename "$crash" | tr ':,' '__')"
            cargo afl tmin -i "$crash" -o "$min" -t "$TIMEOUT_MS" -- "$TARGET" >/dev/null 2>&1 ||
                cp "$crash" "$min"
            "$FUZZ/target/debug/seeds" --check "$min" 2>&1 | tail -n 3 >&2 || true
        done
    say "crashes saved in fuzz/out/afl/default/crashes, minimised in fuzz/out/minimised"
fi
if [ "$hangs" -gt 0 ]; then
    say "hangs saved in fuzz/out/afl/default/hangs"
fi

rate=$(awk -v e="$executions" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? e / s : 0) }')
echo "fuzz: executions=$executions crashes=$crashes hangs=$hangs seconds=$seconds execs_per_sec=$rate"

if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
    exit 1
fi
if [ "$afl_status" -ne 0 ] || [ "$executions" -lt "$EXECUTIONS" ]; then
    tail -n 20 "$OUT/afl.log" >&2
    say "stopped before $EXECUTIONS executions (afl-fuzz status $afl_status)"
    exit 1
fi
