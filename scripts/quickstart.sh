#!/usr/bin/env bash
# Quick start: install dependencies (Debian 12, as root), build a Release
# piiscrub, and show it on the bundled sample: before, then after.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then
    scripts/install-deps.sh
else
    echo "not root: skipping apt-get; make sure the dependencies in scripts/install-deps.sh are installed" >&2
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "== before (examples/sample.txt) =="
cat examples/sample.txt
echo
echo "== after (build/piiscrub < examples/sample.txt) =="
build/piiscrub < examples/sample.txt
