#!/usr/bin/env bash
# io.sh - files, stdin, output errors and exit codes 0 / 3 / 4:
#   0 success, also when the reader of stdout goes away (EPIPE)
#   3 input error (missing or unreadable FILE)
#   4 output error (e.g. stdout is /dev/full)
. "$(dirname "$0")/lib.sh"
need_cmd mkfifo perl

PHONE=13812345678 PHONE_M='138****5678'
MAIL=zhang.san@example.com MAIL_M='z********@example.com'
ID=11010519491231002X ID_M='110***********002X'

make_big_fixture # $TMP/big.in, $TMP/big.exp

# ---- several files, '-' for stdin, order kept -------------------------------
bytes "f1 $PHONE\nsecond line of f1\n" >"$TMP/f1"
bytes "f2 $MAIL\r\n" >"$TMP/f2"
bytes "f3 no newline $ID" >"$TMP/f3"
bytes "stdin $PHONE\n" >"$TMP/stdin"
bytes "f1 $PHONE_M\nsecond line of f1\n" >"$TMP/f1.exp"
bytes "f2 $MAIL_M\r\n" >"$TMP/f2.exp"
bytes "f3 no newline $ID_M" >"$TMP/f3.exp"
bytes "stdin $PHONE_M\n" >"$TMP/stdin.exp"

run_pii /dev/null "$TMP/o" "$TMP/e" "$TMP/f1"
expect_rc "one FILE: exit 0" 0 "$RC"
expect_eq "one FILE: masked output" "$TMP/f1.exp" "$TMP/o"

run_pii /dev/null "$TMP/o" "$TMP/e" "$TMP/f1" "$TMP/f2" "$TMP/f3"
cat "$TMP/f1.exp" "$TMP/f2.exp" "$TMP/f3.exp" >"$TMP/x"
expect_rc "three FILEs: exit 0" 0 "$RC"
expect_eq "three FILEs: outputs concatenated in order" "$TMP/x" "$TMP/o"
expect_empty "three FILEs: nothing on stderr" "$TMP/e"

run_pii /dev/null "$TMP/o" "$TMP/e" "$TMP/f3" "$TMP/f2" "$TMP/f1"
cat "$TMP/f3.exp" "$TMP/f2.exp" "$TMP/f1.exp" >"$TMP/x"
expect_eq "three FILEs in another order: that order" "$TMP/x" "$TMP/o"

run_pii "$TMP/stdin" "$TMP/o" "$TMP/e" "$TMP/f1" - "$TMP/f2"
cat "$TMP/f1.exp" "$TMP/stdin.exp" "$TMP/f2.exp" >"$TMP/x"
expect_rc "FILE - FILE: exit 0" 0 "$RC"
expect_eq "FILE - FILE: stdin read in place of '-'" "$TMP/x" "$TMP/o"

run_pii "$TMP/stdin" "$TMP/o" "$TMP/e" -
expect_eq "'-' alone reads stdin" "$TMP/stdin.exp" "$TMP/o"
run_pii "$TMP/stdin" "$TMP/o" "$TMP/e"
expect_eq "no FILE reads stdin" "$TMP/stdin.exp" "$TMP/o"

run_pii "$TMP/stdin" "$TMP/o" "$TMP/e" "$TMP/f1" "$TMP/f1"
cat "$TMP/f1.exp" "$TMP/f1.exp" >"$TMP/x"
expect_eq "the same FILE twice is read twice" "$TMP/x" "$TMP/o"

# A file whose name starts with '-' after '--'.
bytes "dash $PHONE\n" >"$TMP/-dash"
bytes "dash $PHONE_M\n" >"$TMP/-dash.exp"
(cd "$TMP" && timeout -k 5 "$PII_TIMEOUT" "$BIN" -- -dash </dev/null >"$TMP/o" 2>"$TMP/e")
expect_rc "'-- -dash' treats -dash as a FILE: exit 0" 0 $?
expect_eq "'-- -dash' output" "$TMP/-dash.exp" "$TMP/o"

run_pii "$TMP/big.in" "$TMP/o" "$TMP/e" "$TMP/big.in"
expect_eq "6 MiB FILE: every line masked" "$TMP/big.exp" "$TMP/o"

# ---- input errors: exit 3 ------------------------------------------------------
missing="$TMP/no-such-file.txt"
run_pii /dev/null "$TMP/o" "$TMP/e" "$missing"
expect_rc "missing FILE: exit 3" 3 "$RC"
expect_grep "missing FILE: stderr names the file" "$TMP/e" "no-such-file.txt"
expect_grep "missing FILE: stderr gives the reason" "$TMP/e" "No such file or directory"
expect_empty "missing FILE: nothing on stdout" "$TMP/o"

run_pii /dev/null "$TMP/o" "$TMP/e" "$TMP/f1" "$missing"
expect_rc "good FILE then missing FILE: exit 3" 3 "$RC"
expect_eq "good FILE then missing FILE: the good file's output is complete" "$TMP/f1.exp" "$TMP/o"
expect_grep "good FILE then missing FILE: stderr names the missing file" "$TMP/e" "no-such-file.txt"

mkdir "$TMP/adir"
run_pii /dev/null "$TMP/o" "$TMP/e" "$TMP/adir"
expect_rc "directory as FILE: exit 3 (input error)" 3 "$RC"
expect_grep "directory as FILE: stderr names it" "$TMP/e" "adir"

run_pii "$TMP/adir" "$TMP/o" "$TMP/e"
expect_rc "stdin is a directory: exit 3 (input error)" 3 "$RC"
expect_nonempty "stdin is a directory: message on stderr" "$TMP/e"

if [ "$(id -u)" != 0 ]; then
    bytes "secret $PHONE\n" >"$TMP/unreadable"
    chmod 000 "$TMP/unreadable"
    run_pii /dev/null "$TMP/o" "$TMP/e" "$TMP/unreadable"
    expect_rc "unreadable FILE: exit 3" 3 "$RC"
    expect_grep "unreadable FILE: stderr names it" "$TMP/e" "unreadable"
    expect_no_grep "unreadable FILE: its content is not output" "$TMP/o" "secret"
else
    echo "# running as root: unreadable-file case skipped (root reads mode-000 files)"
fi

# ---- output errors: exit 4 -------------------------------------------------------
if [ -w /dev/full ]; then
    bytes "tel $PHONE\n" >"$TMP/small"
    timeout -k 5 "$PII_TIMEOUT" "$BIN" <"$TMP/small" >/dev/full 2>"$TMP/e"
    expect_rc "stdout is /dev/full (small input): exit 4" 4 $?
    expect_grep "stdout is /dev/full: stderr reports the failure" "$TMP/e" "No space left on device"

    timeout -k 5 "$PII_TIMEOUT" "$BIN" "$TMP/big.in" >/dev/full 2>"$TMP/e"
    expect_rc "stdout is /dev/full (6 MiB FILE): exit 4" 4 $?
    expect_grep "stdout is /dev/full (6 MiB FILE): stderr reports the failure" "$TMP/e" "No space left on device"

    bytes "no newline at end $PHONE" >"$TMP/small2"
    timeout -k 5 "$PII_TIMEOUT" "$BIN" "$TMP/small2" >/dev/full 2>"$TMP/e"
    expect_rc "stdout is /dev/full (last record without newline): exit 4" 4 $?

    timeout -k 5 "$PII_TIMEOUT" "$BIN" --help >/dev/full 2>"$TMP/e"
    expect_rc "--help > /dev/full: exit 4" 4 $?
    timeout -k 5 "$PII_TIMEOUT" "$BIN" --version >/dev/full 2>"$TMP/e"
    expect_rc "--version > /dev/full: exit 4" 4 $?
    timeout -k 5 "$PII_TIMEOUT" "$BIN" entities >/dev/full 2>"$TMP/e"
    expect_rc "entities > /dev/full: exit 4" 4 $?
else
    fail "/dev/full is not available: output-error cases not run"
fi

# ---- EPIPE: the reader goes away -> exit 0, silent --------------------------------
timeout -k 5 "$PII_TIMEOUT" "$BIN" <"$TMP/big.in" 2>"$TMP/e" | head -c 10 >"$TMP/o"
st=("${PIPESTATUS[@]}")
expect_rc "piiscrub < 6 MiB | head -c 10: piiscrub exit 0" 0 "${st[0]}"
expect_empty "piiscrub < 6 MiB | head -c 10: no error message" "$TMP/e"
head -c 10 "$TMP/big.exp" >"$TMP/x"
expect_eq "piiscrub < 6 MiB | head -c 10: the first 10 bytes" "$TMP/x" "$TMP/o"

timeout -k 5 "$PII_TIMEOUT" "$BIN" "$TMP/big.in" "$TMP/big.in" 2>"$TMP/e" | head -n 3 >"$TMP/o"
st=("${PIPESTATUS[@]}")
expect_rc "two FILEs | head -n 3: piiscrub exit 0" 0 "${st[0]}"
expect_empty "two FILEs | head -n 3: no error message" "$TMP/e"

# Endless input: piiscrub must notice the closed pipe and stop (a hang ends
# in timeout's 124), for short lines and for one endless line.
yes "tel $PHONE" | timeout -k 5 60 "$BIN" 2>"$TMP/e" | head -c 100 >"$TMP/o"
st=("${PIPESTATUS[@]}")
expect_rc "endless short lines | head -c 100: piiscrub stops with exit 0" 0 "${st[1]}"
expect_empty "endless short lines | head -c 100: no error message" "$TMP/e"
expect_no_grep "endless short lines | head -c 100: output masked" "$TMP/o" "$PHONE"

tr '\0' a </dev/zero | timeout -k 5 60 "$BIN" 2>"$TMP/e" | head -c 100 >"$TMP/o"
st=("${PIPESTATUS[@]}")
expect_rc "endless single line | head -c 100: piiscrub stops with exit 0" 0 "${st[1]}"
expect_empty "endless single line | head -c 100: no error message" "$TMP/e"

timeout -k 5 "$PII_TIMEOUT" "$BIN" <"$TMP/big.in" 2>"$TMP/e" | true
expect_rc "piiscrub < 6 MiB | true (reader never reads): exit 0" 0 "${PIPESTATUS[0]}"
expect_empty "piiscrub < 6 MiB | true: no error message" "$TMP/e"

# ---- streaming: a line is output before the input ends --------------------------
# The writer sends one line, then waits (holding stdin open) until the test
# has seen that line's output or given up; piiscrub must not wait for EOF.
for opt in "" --line-buffered --threads=1 --threads=3; do
    rm -f "$TMP/go" "$TMP/o"
    mkfifo "$TMP/go"
    {
        printf 'tel %s\n' "$PHONE"
        read -r _ <"$TMP/go"
        printf 'bye\n'
    } | timeout -k 5 60 "$BIN" ${opt:+"$opt"} >"$TMP/o" 2>"$TMP/e" &
    pid=$!
    seen=0
    for _ in $(seq 1 100); do # up to ~10 s
        if [ -s "$TMP/o" ] && grep -qF "tel $PHONE_M" "$TMP/o"; then
            seen=1
            break
        fi
        sleep 0.1
    done
    echo go >"$TMP/go" # release the writer either way
    wait "$pid"
    rc=$?
    expect_str "streaming${opt:+ ($opt)}: first line output while stdin is still open" 1 "$seen"
    expect_rc "streaming${opt:+ ($opt)}: exit 0" 0 "$rc"
    bytes "tel $PHONE_M\nbye\n" >"$TMP/x"
    expect_eq "streaming${opt:+ ($opt)}: complete output" "$TMP/x" "$TMP/o"
done

# A record split across reads (writer pauses mid-number) is still one record.
{
    printf 'tel 1381'
    sleep 0.3
    printf '2345678 and %s' "$MAIL"
    sleep 0.3
    printf '\n'
} | timeout -k 5 60 "$BIN" >"$TMP/o" 2>"$TMP/e"
bytes "tel $PHONE_M and $MAIL_M\n" >"$TMP/x"
expect_eq "a phone split across two reads is masked whole" "$TMP/x" "$TMP/o"

finish
