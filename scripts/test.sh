#!/usr/bin/env bash
# The whole test suite: builds Release and ASan+UBSan (both with -Werror) and
# runs every ctest test (unit, CLI end-to-end, fuzz-corpus replay) on both.
# Usage: scripts/test.sh [release|asan]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
which=${1:-all}
run() {
    local preset=$1 dir=$2
    echo "== $preset: configure and build =="
    cmake --preset "$preset" >/dev/null
    cmake --build "$dir" -j"$jobs"
    echo "== $preset: ctest =="
    ctest --test-dir "$dir" --output-on-failure -j"$jobs"
}
case $which in
    release) run release build ;;
    asan) run asan-ubsan build-asan ;;
    all) run release build; run asan-ubsan build-asan ;;
    *) echo "usage: scripts/test.sh [release|asan]" >&2; exit 2 ;;
esac
