#!/usr/bin/env bash
# The whole test suite; CI runs it without an argument (all).
#   release   Release build (-Werror): every ctest test (unit, CLI end-to-end,
#             fuzz-corpus replay)
#   asan      ASan+UBSan build (-Werror): every ctest test
#   valgrind  the CLI tests on the Release build, each run of the binary
#             under valgrind memcheck (errors and definite leaks fail)
#   tsan      ThreadSanitizer build (-Werror): the threaded tests (ctest
#             label "threads": tests/cli/threads.sh, tests/unit/test_parallel.c)
#   pgo       the profile-guided build (scripts/build-pgo.sh): unit tests, and
#             output byte-identical to the Release build's
#   fuzz      every libFuzzer harness for 60 s (scripts/fuzz.sh; clang)
#   all       release, asan, valgrind, tsan, pgo and fuzz, in that order
# Usage: scripts/test.sh [release|asan|valgrind|tsan|pgo|fuzz|all]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
which=${1:-all}

# build PRESET DIR [TARGET...]: configure and build (every target by default)
build() {
    local preset=$1 dir=$2
    shift 2
    echo "== $preset: configure and build =="
    cmake --preset "$preset" >/dev/null
    if [ $# -gt 0 ]; then
        cmake --build "$dir" -j"$jobs" --target "$@"
    else
        cmake --build "$dir" -j"$jobs"
    fi
}
# check NAME DIR [CTEST-ARGS...]: run ctest; an empty selection is an error
check() {
    local name=$1 dir=$2
    shift 2
    echo "== $name: ctest =="
    local start=$SECONDS
    ctest --test-dir "$dir" --output-on-failure --no-tests=error -j"$jobs" "$@"
    echo "== $name: $((SECONDS - start)) s =="
}

release() { build release build && check release build; }
asan() { build asan-ubsan build-asan && check asan build-asan; }
valgrind() {
    command -v valgrind >/dev/null || { echo "valgrind is not installed (scripts/install-deps.sh)" >&2; exit 1; }
    build release build
    # tests registered for the configuration "valgrind" only (tests/CMakeLists.txt)
    check valgrind build -C valgrind -L valgrind
}
tsan() {
    build tsan build-tsan piiscrub test_parallel
    # halt_on_error: the first race fails the run, whichever process it is in
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
        check tsan build-tsan -L threads
}

pgo() {
    local start=$SECONDS
    build release build piiscrub
    echo "== pgo: scripts/build-pgo.sh build-pgo =="
    scripts/build-pgo.sh build-pgo
    check pgo build-pgo -L unit
    # a profile changes speed, never output
    python3 tests/bench/gen_logs.py --size 3000000 --density dense --seed 3 \
        -o build-pgo/check.txt 2>/dev/null
    cmp <(build/piiscrub build-pgo/check.txt) <(build-pgo/piiscrub build-pgo/check.txt)
    echo "== pgo: $((SECONDS - start)) s =="
}

fuzz() {
    local start=$SECONDS
    scripts/fuzz.sh 60
    echo "== fuzz: $((SECONDS - start)) s =="
}

case $which in
    release) release ;;
    asan) asan ;;
    valgrind) valgrind ;;
    tsan) tsan ;;
    pgo) pgo ;;
    fuzz) fuzz ;;
    all) release; asan; valgrind; tsan; pgo; fuzz ;;
    *) echo "usage: scripts/test.sh [release|asan|valgrind|tsan|pgo|fuzz|all]" >&2; exit 2 ;;
esac
