#!/usr/bin/env bash
# build-pgo.sh - a Release build optimized with a profile of piiscrub's own
# run on generated logs (GCC profile-guided optimization).
#
#   scripts/build-pgo.sh [BUILD_DIR]          (default: build-pgo)
#
# 1. builds piiscrub instrumented (-DPII_PGO=generate) in BUILD_DIR;
# 2. trains it: logs from tests/bench/gen_logs.py with a seed of their own
#    (not the benchmark's), sparse and dense, as text, and the dev sample as
#    CSV and JSON Lines; mask (the default), token and fpe; -j1 and -j2;
# 3. rebuilds everything in BUILD_DIR with the profile (-DPII_PGO=use).
#
# The result behaves exactly like any other build (the same tests pass);
# it is faster where the training's branches are typical of the input.
# Needs gcc, cmake, python3 and the build dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-build-pgo}
CC_NAME=$(basename "${CC:-cc}")
if ! "${CC:-cc}" --version 2>/dev/null | grep -qi 'gcc\|free software foundation'; then
    echo "build-pgo.sh: needs GCC (${CC:-cc} is not); clang's PGO takes other flags" >&2
    exit 2
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

rm -rf "$DIR/pgo-profile"
cmake -S . -B "$DIR" -DCMAKE_BUILD_TYPE=Release -DPII_PGO=generate >/dev/null
cmake --build "$DIR" -j"$(nproc)" --target piiscrub >/dev/null
BIN=$DIR/piiscrub

echo "build-pgo.sh: training ($CC_NAME) ..." >&2
python3 tests/bench/gen_logs.py --size 15000000 --density sparse --seed 7 -o "$TMP/sparse.txt" 2>/dev/null
python3 tests/bench/gen_logs.py --size 15000000 --density dense --seed 7 -o "$TMP/dense.txt" 2>/dev/null
"$BIN" keygen -o "$TMP/key" >/dev/null 2>&1
for f in "$TMP/sparse.txt" "$TMP/dense.txt"; do
    "$BIN" -j1 "$f" >/dev/null
    "$BIN" -j2 "$f" >/dev/null
    "$BIN" -j1 --key-file "$TMP/key" --action all=token "$f" >/dev/null
done
"$BIN" -j1 --key-file "$TMP/key" --action cn_mobile=fpe --action bank_card=fpe \
    --action cn_id=fpe "$TMP/dense.txt" >/dev/null
# CSV and JSON Lines: the sample, and lines of the logs as records
{ echo 'id,note'; head -n 20000 "$TMP/dense.txt" | tr -d '",' | awk '{ print NR ",\"" $0 "\"" }'; } \
    >"$TMP/t.csv"
"$BIN" -f csv "$TMP/t.csv" >/dev/null
head -n 20000 "$TMP/dense.txt" | python3 -c '
import json, sys
for i, l in enumerate(sys.stdin):
    print(json.dumps({"id": i, "msg": l.rstrip("\n")}, ensure_ascii=False))' >"$TMP/t.jsonl"
"$BIN" -f jsonl "$TMP/t.jsonl" >/dev/null
"$BIN" examples/sample.txt >/dev/null

cmake -S . -B "$DIR" -DPII_PGO=use >/dev/null
cmake --build "$DIR" -j"$(nproc)" >/dev/null
echo "build-pgo.sh: built $BIN with the profile in $DIR/pgo-profile" >&2
