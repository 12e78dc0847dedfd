#!/usr/bin/env bash
# Install piiscrub's build and test dependencies on Debian 12 (run as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config git ca-certificates \
    libpcre2-dev libssl-dev libsodium-dev libyaml-dev libcriterion-dev \
    time valgrind procps clang libclang-rt-14-dev \
    man-db groff-base zsh parallel >/dev/null
# clang and libclang-rt-14-dev (libFuzzer): scripts/fuzz.sh; procps (pkill):
# tests/cli/signals.sh; man-db, groff-base: tests/cli/manpage.sh; zsh:
# tests/cli/completion.sh; parallel (GNU parallel): tests/cli/cluster.sh
# Optional, not installed here: the benchmark (tests/bench/run.sh, `bench` target)
# also needs ripgrep as its regex baseline: apt-get install ripgrep
echo "dependencies installed"
