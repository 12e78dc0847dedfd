#!/usr/bin/env bash
# Build the fuzz preset (clang, libFuzzer) and run each harness for a while.
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS...]
#   SECONDS   per harness, default 60
#   HARNESS   names from fuzz/harnesses.cmake, default all of them
# Runs $(nproc) harnesses at a time, each with its dictionary, a scratch
# corpus (first corpus directory: libFuzzer writes new inputs there) and
# fuzz/corpora/NAME (read only), -timeout=30. Prints one line per harness
# with its executed-unit count. Exits 1 if any harness crashed, leaked or
# timed out, naming the saved input(s) (kept, with the logs, in a
# directory under ${TMPDIR:-/tmp}); 2 on a usage or build error.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-60}
if [[ ! $secs =~ ^[0-9]+$ ]] || [ "$secs" -eq 0 ]; then
    echo "usage: scripts/fuzz.sh [SECONDS] [HARNESS...]" >&2
    exit 2
fi
shift $(($# > 0 ? 1 : 0))

mapfile -t all < <(sed -n '/^set(PII_FUZZ_HARNESSES/,/^)/s/^ *\(fuzz_[a-z0-9_]*\) *$/\1/p' \
    fuzz/harnesses.cmake)
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
    harnesses=("${all[@]}")
fi
for h in "${harnesses[@]}"; do
    if [[ ! " ${all[*]} " == *" $h "* ]]; then
        echo "scripts/fuzz.sh: unknown harness '$h' (fuzz/harnesses.cmake lists: ${all[*]})" >&2
        exit 2
    fi
done

if ! command -v clang >/dev/null 2>&1; then
    echo "scripts/fuzz.sh: clang not found; the libFuzzer harnesses need clang" \
        "(Debian: apt-get install clang)" >&2
    exit 2
fi

jobs=$(nproc)
work=$(mktemp -d "${TMPDIR:-/tmp}/piiscrub-fuzz.XXXXXX")
echo "== build (fuzz preset, build-fuzz/; log: $work/build.log)"
if ! { cmake --preset fuzz && cmake --build build-fuzz -j"$jobs"; } >"$work/build.log" 2>&1; then
    tail -n 40 "$work/build.log" >&2
    echo "scripts/fuzz.sh: build failed (log: $work/build.log)" >&2
    exit 2
fi

dict_for() {
    case $1 in
    fuzz_generalize) echo fuzz/dict/generalize.dict ;;
    fuzz_policy) echo fuzz/dict/policy.dict ;;
    fuzz_ff1) ;; # binary parameters: no tokens to offer
    *) echo fuzz/dict/piiscrub.dict ;;
    esac
}

# One harness; its result goes to $work/NAME/status.
run_one() {
    local h=$1 dir=$work/$1
    local args=(-max_total_time="$secs" -timeout=30 -print_final_stats=1
        -artifact_prefix="$dir/")
    local dict
    dict=$(dict_for "$h")
    if [ -n "$dict" ]; then
        args+=(-dict="$dict")
    fi
    if [ "$h" = fuzz_stream_window ]; then
        # each input is processed as a 1 MiB record, several times over:
        # seconds per input under ASan, more on a loaded machine
        args+=(-rss_limit_mb=4096 -timeout=300)
    fi
    mkdir -p "$dir/corpus"
    local rc=0 t0=$SECONDS
    build-fuzz/fuzz/"$h" "${args[@]}" "$dir/corpus" fuzz/corpora/"$h" >"$dir/log" 2>&1 || rc=$?
    echo "$rc $((SECONDS - t0))" >"$dir/status"
}

for h in "${harnesses[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n || true
    done
    run_one "$h" &
done
wait

failed=0
for h in "${harnesses[@]}"; do
    dir=$work/$h
    read -r rc took <"$dir/status"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        printf '%-22s ok     %10s execs in %ss\n' "$h" "${execs:-?}" "$took"
        continue
    fi
    failed=1
    printf '%-22s FAILED %10s execs in %ss (exit %s, log %s)\n' "$h" "${execs:-?}" "$took" "$rc" \
        "$dir/log"
    sed -n 's/^.*Test unit written to \(.*\)$/    saved input: \1/p' "$dir/log"
done

if [ "$failed" -ne 0 ]; then
    echo "scripts/fuzz.sh: failures above; inputs and logs kept in $work" >&2
    exit 1
fi
rm -rf "$work"
