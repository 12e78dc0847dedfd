# shellcheck shell=bash
#
# lib.sh - helpers shared by the end-to-end CLI tests (sourced, not run).
#
# Every test script is run as `bash tests/cli/NAME.sh /abs/path/to/piiscrub`
# (see tests/CMakeLists.txt) and starts with
#
#     . "$(dirname "$0")/lib.sh"
#
# which gives it:
#   BIN        the piiscrub binary under test ($1), or the wrapper below
#   REAL_BIN   the binary itself ($1), also when BIN is a wrapper
#   SANITIZED  1 when built with ASan/UBSan (PII_SANITIZED), else 0
#   WRAPPED    1 when PII_WRAP is set, else 0
#   TMP        a private scratch directory, removed on exit
#   RC         exit status of the last run_pii
# and the check helpers below. Each check prints "ok - ..." or "FAIL - ..."
# with details; the script must end with `finish`, which prints exactly
# "N passed, M failed" and exits non-zero when any check failed. A script
# that dies before reaching `finish` exits non-zero too.
#
# Output is always compared as bytes, through files and cmp: never through
# $(...), which strips trailing newlines and cannot hold NUL bytes.
#
# PII_WRAP, when set, is a command prefix (split on spaces) for every run of
# the binary, e.g. "valgrind --error-exitcode=99 ...": BIN then names a
# wrapper script in TMP that runs "$PII_WRAP $REAL_BIN ARGS", so that tests
# calling "$BIN" directly are wrapped too. Tests that cannot run wrapped (a
# memory limit, a 1 GiB input) test WRAPPED and say what they skip.
#
# Checking tools write their reports into the directory $PII_TOOL_LOGS:
# valgrind through its own option (-q --log-file=%q{PII_TOOL_LOGS}/%p.log),
# ThreadSanitizer, AddressSanitizer and UBSan through log_path, which is
# added to TSAN_OPTIONS, ASAN_OPTIONS and UBSAN_OPTIONS here.
# finish fails the script if any file there is non-empty, so a report counts
# even from a run whose exit status and stderr no check looks at.

set -u
export LC_ALL=C # byte semantics for tr, grep, sed, sort, wc

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
    echo "usage: bash $0 /abs/path/to/piiscrub  (got '${BIN}')" >&2
    exit 2
fi
REAL_BIN=$BIN
SANITIZED=${PII_SANITIZED:-0}
case $SANITIZED in 1 | ON | on | TRUE | true | YES | yes) SANITIZED=1 ;; *) SANITIZED=0 ;; esac

# Generous per-run time limit: a hang must fail the test, not stall ctest.
PII_TIMEOUT=${PII_TIMEOUT:-120}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/piiscrub-cli.XXXXXX") || exit 2
PASS=0
FAIL=0
RC=0
_FINISHED=0

_lib_on_exit() {
    local st=$?
    rm -rf "$TMP"
    if [ "$_FINISHED" != 1 ]; then
        echo "FAIL - ${0##*/} ended before finish (status $st) after $PASS passed, $FAIL failed"
        echo "$PASS passed, $((FAIL + 1)) failed"
        exit 1
    fi
}
trap _lib_on_exit EXIT
trap 'exit 130' INT TERM

export PII_TOOL_LOGS=$TMP/tool-logs
mkdir "$PII_TOOL_LOGS" || exit 2
export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS }log_path=$PII_TOOL_LOGS/tsan"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$PII_TOOL_LOGS/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$PII_TOOL_LOGS/ubsan"
WRAPPED=0
if [ -n "${PII_WRAP:-}" ]; then
    WRAPPED=1
    # the binary's path is fixed here; PII_WRAP is read when the wrapper runs
    printf '#!/usr/bin/env bash\n# shellcheck disable=SC2086\nexec $PII_WRAP %q "$@"\n' \
        "$REAL_BIN" >"$TMP/piiscrub" && chmod +x "$TMP/piiscrub" || exit 2
    BIN=$TMP/piiscrub
    echo "# every run of piiscrub is wrapped: $PII_WRAP"
fi

need_cmd() {
    local c
    for c in "$@"; do
        if ! command -v "$c" >/dev/null 2>&1; then
            echo "FAIL - required tool '$c' not found"
            FAIL=$((FAIL + 1))
            finish
        fi
    done
}
pass() {
    PASS=$((PASS + 1))
    echo "ok - $1"
}

# fail DESC [DETAIL-LINE...]
fail() {
    FAIL=$((FAIL + 1))
    echo "FAIL - $1"
    shift
    local l
    for l in "$@"; do
        printf '       %s\n' "$l"
    done
}

# Print DETAIL: up to 48 bytes of FILE around byte offset OFF (0-based).
_dump_around() {
    local file=$1 off=$2 from
    from=$((off > 16 ? off - 16 : 0))
    printf '       %s @%d:\n' "$file" "$from"
    od -An -c -j "$from" -N 48 "$file" 2>/dev/null | sed 's/^/         /'
}

# expect_eq DESC EXPECTED_FILE ACTUAL_FILE: byte-for-byte equality.
expect_eq() {
    local desc=$1 exp=$2 act=$3 out byte
    if out=$(cmp -- "$exp" "$act" 2>&1); then
        pass "$desc"
        return 0
    fi
    fail "$desc" "expected $(wc -c <"$exp" 2>/dev/null || echo '?') bytes ($exp)," \
        "got      $(wc -c <"$act" 2>/dev/null || echo '?') bytes ($act)" "cmp: $out"
    byte=$(printf '%s\n' "$out" | sed -n 's/.*differ: \(char\|byte\) \([0-9]*\).*/\2/p')
    if [ -z "$byte" ]; then # "EOF on X after byte N" or similar
        byte=$(printf '%s\n' "$out" | sed -n 's/.*after \(char\|byte\) \([0-9]*\).*/\2/p')
        byte=$((${byte:-0} + 1))
    fi
    if [ -n "$byte" ]; then
        _dump_around "$exp" $((byte - 1))
        _dump_around "$act" $((byte - 1))
    fi
    return 1
}

# expect_rc DESC WANT GOT: exit status.
expect_rc() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "expected exit status $2, got $3"
        return 1
    fi
}

# expect_str DESC WANT GOT: small scalar values (counts, sizes, names).
expect_str() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "expected '$2'" "got      '$3'"
        return 1
    fi
}

# expect_le DESC VALUE LIMIT: integer VALUE <= LIMIT.
expect_le() {
    if [ "$2" -le "$3" ] 2>/dev/null; then
        pass "$1"
    else
        fail "$1" "expected <= $3, got '$2'"
        return 1
    fi
}

# expect_grep DESC FILE STRING: FILE contains STRING (fixed string).
expect_grep() {
    if grep -qF -- "$3" "$2"; then
        pass "$1"
    else
        fail "$1" "'$3' not found in $2, which holds:" "$(head -c 600 "$2" | cat -v)"
        return 1
    fi
}

# expect_grep_re DESC FILE ERE: a line of FILE matches the extended regex ERE.
expect_grep_re() {
    if grep -qE -- "$3" "$2"; then
        pass "$1"
    else
        fail "$1" "/$3/ matches no line of $2, which holds:" "$(head -c 600 "$2" | cat -v)"
        return 1
    fi
}

# expect_no_grep DESC FILE STRING: FILE does not contain STRING.
expect_no_grep() {
    if ! grep -qF -- "$3" "$2"; then
        pass "$1"
    else
        fail "$1" "'$3' unexpectedly found in $2:" "$(grep -F -m3 -- "$3" "$2" | head -c 600)"
        return 1
    fi
}

# expect_empty DESC FILE: FILE exists and has no bytes.
expect_empty() {
    if [ -f "$2" ] && [ ! -s "$2" ]; then
        pass "$1"
    else
        fail "$1" "expected $2 to be empty; it holds $(wc -c <"$2" 2>/dev/null || echo '?') bytes:" \
            "$(head -c 600 "$2" 2>/dev/null)"
        return 1
    fi
}

# expect_nonempty DESC FILE
expect_nonempty() {
    if [ -s "$2" ]; then
        pass "$1"
    else
        fail "$1" "expected $2 to be non-empty"
        return 1
    fi
}

# bytes ESCAPED > FILE: write bytes given with printf %b escapes
# (\n, \r, \t, \xHH, \\). Write NUL as \x00, never \0: %b reads \0NNN as
# an octal escape, so "\0$PHONE" would swallow the phone's first digits.
bytes() {
    printf '%b' "$1"
}

# run_pii IN OUT ERR [ARGS...]: run piiscrub ARGS with stdin from IN (a file
# or /dev/null), stdout to OUT, stderr to ERR; sets RC. A run that exceeds
# PII_TIMEOUT seconds gets RC 124 (or 137) and fails whatever checks follow.
run_pii() {
    local in=$1 out=$2 err=$3
    shift 3
    timeout -k 5 "$PII_TIMEOUT" "$BIN" "$@" <"$in" >"$out" 2>"$err"
    RC=$?
}

# stop_and_wait PID SIG: send SIG to PID (a piiscrub started in the
# background with "$BIN" ... &) and give it PII_TIMEOUT seconds to
# exit (then SIGKILL: status 137); sets RC to its exit status. The signal
# goes to piiscrub itself, not through timeout(1), which would start its
# own kill timer.
stop_and_wait() {
    kill -"$2" "$1"
    wait_bounded "$1"
}

# wait_bounded PID: wait up to PII_TIMEOUT seconds for PID (a background
# job of this shell) to exit, then SIGKILL it; sets RC to its exit status.
wait_bounded() {
    local k=0
    while kill -0 "$1" 2>/dev/null && [ $k -lt $((PII_TIMEOUT * 10)) ]; do
        sleep 0.1
        k=$((k + 1))
    done
    kill -KILL "$1" 2>/dev/null
    wait "$1"
    RC=$?
}

# check_filter DESC IN_ESC EXP_ESC [ARGS...]: piiscrub ARGS turns the bytes
# IN_ESC into exactly EXP_ESC (both in printf %b notation), exits 0 and is
# silent on stderr. Counts as one check.
_CF_N=0
check_filter() {
    local desc=$1 inesc=$2 expesc=$3
    shift 3
    _CF_N=$((_CF_N + 1))
    local d=$TMP/cf.$_CF_N
    bytes "$inesc" >"$d.in"
    bytes "$expesc" >"$d.exp"
    run_pii "$d.in" "$d.out" "$d.err" "$@"
    if [ "$RC" != 0 ]; then
        fail "$desc" "exit status $RC (want 0); stderr: $(head -c 300 "$d.err")"
        return 1
    fi
    if [ -s "$d.err" ]; then
        fail "$desc" "unexpected stderr: $(head -c 300 "$d.err")"
        return 1
    fi
    expect_eq "$desc" "$d.exp" "$d.out"
}

# make_big_fixture: $TMP/big.in, ~6 MiB of 50-byte lines with a phone and an
# e-mail each (150,000 lines, numbered), and $TMP/big.exp, its default output.
make_big_fixture() {
    perl -e '
        binmode STDOUT;
        for my $i (1 .. 150000) { printf "%06d tel 13812345678 mail zhang.san\@example.com\n", $i }' \
        >"$TMP/big.in" || exit 2
    perl -e '
        binmode STDOUT;
        for my $i (1 .. 150000) { printf "%06d tel 138****5678 mail z********\@example.com\n", $i }' \
        >"$TMP/big.exp" || exit 2
}

# skip_all REASON: the test cannot run here (a tool it needs is missing);
# exits 77, which tests/CMakeLists.txt registers as ctest's SKIP_RETURN_CODE.
skip_all() {
    _FINISHED=1
    echo "SKIP - $1"
    exit 77
}

# finish: print the summary line and exit (non-zero on any failure).
finish() {
    local f
    for f in "$PII_TOOL_LOGS"/*; do
        [ -s "$f" ] || continue
        fail "a checking tool reported errors (${f##*/})" "$(head -n 80 "$f")"
    done
    _FINISHED=1
    echo "$PASS passed, $FAIL failed"
    if [ "$FAIL" -ne 0 ] || [ "$PASS" -eq 0 ]; then
        exit 1
    fi
    exit 0
}

need_cmd cmp od timeout head tr wc grep sed
