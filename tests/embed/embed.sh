#!/usr/bin/env bash
# embed.sh - examples/embed.c, a program that embeds libpiiscrub through its
# public API, works against the build tree and against an installed copy:
#   1. EMBED (examples/embed.c built by CMake against the build tree's
#      shared library) redacts its built-in line, and streams stdin to
#      stdout, exactly as `piiscrub -a cn_mobile=redact` does;
#   2. `cmake --install BUILD --prefix TMP` installs the binary, header,
#      libraries, piiscrub.pc, man page and completions where the README
#      says; embed.c compiled with `cc $(pkg-config --cflags --libs
#      piiscrub)` from that prefix links the installed shared library and
#      gives the same output;
#   3. with the shared library removed, `pkg-config --static` links the
#      static library with its private dependencies (Requires.private,
#      Libs.private), and the program gives the same output again.
# Usage (tests/CMakeLists.txt): embed.sh PIISCRUB EMBED BUILD_DIR LIBDIR CMAKE [CFLAGS]
# CFLAGS: the sanitizer flags of the build, which the compiled example needs too.
. "$(dirname "$0")/../cli/lib.sh"
EMBED=$2 BUILD=$3 LIBDIR=$4 CMAKE=$5 CFLAGS=${6:-}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
need_cmd cc pkg-config ldd "$CMAKE"

LINE='tel 13812345678, mail zhang.san@example.com\n'
bytes "$LINE" >"$TMP/line"
run_pii "$TMP/line" "$TMP/line.exp" "$TMP/e" -a cn_mobile=redact
expect_rc "piiscrub -a cn_mobile=redact: exit 0" 0 "$RC"
expect_grep "the reference redacts the mobile" "$TMP/line.exp" "tel [CN_MOBILE], mail z"
# stream input: the sample, 300 times (over 256 KiB, several reads and
# output buffers), and the reference
for _ in $(seq 300); do cat "$SRC/examples/sample.txt"; done >"$TMP/big"
run_pii "$TMP/big" "$TMP/big.exp" "$TMP/e" -a cn_mobile=redact -j 1
expect_rc "reference over the repeated sample: exit 0" 0 "$RC"

# check_embed NAME PROGRAM [ENV...]: PROGRAM's output equals the CLI's
check_embed() {
    local name=$1 prog=$2
    shift 2
    env "$@" "$prog" >"$TMP/o" 2>"$TMP/e"
    expect_rc "$name: exit 0" 0 $?
    expect_empty "$name: nothing on stderr" "$TMP/e"
    expect_eq "$name: pii_redact_buffer output = piiscrub's" "$TMP/line.exp" "$TMP/o"
    env "$@" "$prog" - <"$TMP/big" >"$TMP/o" 2>"$TMP/e"
    expect_rc "$name -: exit 0" 0 $?
    expect_eq "$name -: pii_stream output = piiscrub's, byte for byte" "$TMP/big.exp" "$TMP/o"
}

# ---- 1. the build tree ----------------------------------------------------------
check_embed "build tree" "$EMBED"
ldd "$EMBED" | grep -F libpiiscrub >"$TMP/ldd"
expect_grep "build tree: linked to the build's libpiiscrub.so" "$TMP/ldd" "$BUILD/libpiiscrub.so"

# ---- 2. installed, through pkg-config ------------------------------------------------
P=$TMP/prefix
"$CMAKE" --install "$BUILD" --prefix "$P" >"$TMP/install.log" 2>&1
expect_rc "cmake --install --prefix TMP: exit 0" 0 $?
for f in bin/piiscrub include/piiscrub/piiscrub.h "$LIBDIR/libpiiscrub.a" "$LIBDIR/libpiiscrub.so" \
    "$LIBDIR/pkgconfig/piiscrub.pc" share/man/man1/piiscrub.1 \
    share/bash-completion/completions/piiscrub share/zsh/site-functions/_piiscrub \
    share/doc/piiscrub/examples/embed.c share/doc/piiscrub/examples/policy.yaml bin/piiscrub-task; do
    if [ -e "$P/$f" ]; then pass "installed: $f"; else fail "installed: $f" "$(cat "$TMP/install.log")"; fi
done
export PKG_CONFIG_PATH="$P/$LIBDIR/pkgconfig"
# shellcheck disable=SC2046
pkg-config --cflags --libs piiscrub >"$TMP/pc" 2>&1
expect_rc "pkg-config --cflags --libs piiscrub: exit 0" 0 $?
expect_grep "pkg-config: -I names the install prefix" "$TMP/pc" "-I$P/include"
expect_grep "pkg-config: -L names the install prefix" "$TMP/pc" "-L$P/$LIBDIR"
expect_str "pkg-config --modversion = piiscrub --version" \
    "$("$BIN" --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)" \
    "$(pkg-config --modversion piiscrub 2>&1)"
# shellcheck disable=SC2046,SC2086
cc -std=c11 -Wall -Wextra -Werror $CFLAGS -o "$TMP/embed-shared" "$P/share/doc/piiscrub/examples/embed.c" \
    $(pkg-config --cflags --libs piiscrub) >"$TMP/cc.log" 2>&1
expect_rc "cc embed.c \$(pkg-config --cflags --libs piiscrub)" 0 $? || cat "$TMP/cc.log"
check_embed "installed, shared" "$TMP/embed-shared" LD_LIBRARY_PATH="$P/$LIBDIR"
LD_LIBRARY_PATH="$P/$LIBDIR" ldd "$TMP/embed-shared" | grep -F libpiiscrub >"$TMP/ldd"
expect_grep "installed, shared: linked to the installed libpiiscrub.so" "$TMP/ldd" "$P/$LIBDIR/libpiiscrub.so"

# ---- 3. installed, static ----------------------------------------------------------
rm -f "$P/$LIBDIR"/libpiiscrub.so*
# shellcheck disable=SC2046,SC2086
cc -std=c11 -Wall -Wextra -Werror $CFLAGS -o "$TMP/embed-static" "$P/share/doc/piiscrub/examples/embed.c" \
    $(pkg-config --static --cflags --libs piiscrub) >"$TMP/cc.log" 2>&1
expect_rc "cc embed.c \$(pkg-config --static --cflags --libs piiscrub)" 0 $? || cat "$TMP/cc.log"
check_embed "installed, static" "$TMP/embed-static"
ldd "$TMP/embed-static" >"$TMP/ldd" 2>&1
expect_no_grep "installed, static: no libpiiscrub.so needed" "$TMP/ldd" "libpiiscrub"
finish
