#!/usr/bin/env bash
# progress.sh - --progress (issue 9, point 3): on a terminal, one line
# redrawn with '\r' (bytes, MB/s; with a known size a percentage and an
# ETA) and erased at the end; silent when stderr is not a terminal; the
# data output is the same with or without it. script(1) (util-linux)
# gives piiscrub a pseudo-terminal.
. "$(dirname "$0")/lib.sh"
need_cmd script perl

perl -e 'binmode STDOUT; print "$_ tel 13812345678 mail zhang.san\@example.com\n" for 1 .. 20000' >"$TMP/in"
run_pii /dev/null "$TMP/plain" "$TMP/e" "$TMP/in"

# ---- stderr is a file: silent --------------------------------------------------------
run_pii /dev/null "$TMP/o" "$TMP/e" --progress "$TMP/in"
expect_rc "--progress, stderr a file: exit 0" 0 "$RC"
expect_empty "--progress, stderr a file: silent" "$TMP/e"
expect_eq "--progress: the output is unchanged" "$TMP/plain" "$TMP/o"
run_pii "$TMP/in" "$TMP/o" "$TMP/e" --stats --progress
expect_no_grep "--stats --progress, stderr a file: no progress line" "$TMP/e" "$(printf "\r")"

# ---- a terminal: a regular file (size known) ------------------------------------
# stdout goes to a file inside the pty; script's own output is the terminal's
timeout -k 5 "$PII_TIMEOUT" script -qec "$(printf '%q' "$BIN") --progress $(printf '%q' "$TMP/in") >$(printf '%q' "$TMP/o")" /dev/null >"$TMP/tty" 2>&1
expect_rc "pty, regular file: exit 0" 0 $?
expect_eq "pty: the output is unchanged" "$TMP/plain" "$TMP/o"
expect_grep "pty, regular file: a line redrawn with CR" "$TMP/tty" "$(printf '\rpiiscrub: ')"
expect_grep_re "pty, regular file: percentage, MB/s and ETA" "$TMP/tty" '[0-9]+\.[0-9]%  .*MB/s  ETA [0-9]+:[0-9][0-9]:[0-9][0-9]'
tail -c 4 "$TMP/tty" | od -An -c | tr -d ' \n' >"$TMP/end"
expect_str "pty: the line is erased at the end" '\r033[K' "$(cat "$TMP/end")"
expect_no_grep "pty: no value on the terminal" "$TMP/tty" 13812345678

# ---- a terminal: a pipe (size unknown) --------------------------------------------
timeout -k 5 "$PII_TIMEOUT" script -qec "cat $(printf '%q' "$TMP/in") | $(printf '%q' "$BIN") --progress >$(printf '%q' "$TMP/o")" /dev/null >"$TMP/tty" 2>&1
expect_eq "pty, pipe: the output is unchanged" "$TMP/plain" "$TMP/o"
expect_grep_re "pty, pipe: a byte counter and MB/s" "$TMP/tty" 'piiscrub: [0-9.]+ (B|KiB|MiB)  [0-9.]+ MB/s'
expect_no_grep "pty, pipe: no percentage" "$TMP/tty" '%'
expect_no_grep "pty, pipe: no ETA" "$TMP/tty" 'ETA'

# ---- a terminal: --follow (the file grows: no total) ---------------------------------
# the follower reads the whole file, then waits for more until SIGTERM
timeout -k 5 "$PII_TIMEOUT" script -qec "timeout -s TERM 3 $(printf '%q' "$BIN") --progress --follow $(printf '%q' "$TMP/in") >$(printf '%q' "$TMP/o")" /dev/null >"$TMP/tty" 2>&1
expect_eq "pty, --follow: the output is unchanged" "$TMP/plain" "$TMP/o"
expect_grep_re "pty, --follow: a byte counter and MB/s" "$TMP/tty" 'piiscrub: [0-9.]+ (B|KiB|MiB)  [0-9.]+ MB/s'
expect_no_grep "pty, --follow: no percentage" "$TMP/tty" '%'
expect_no_grep "pty, --follow: no value on the terminal" "$TMP/tty" 13812345678

# ---- without --progress a terminal shows nothing ----------------------------------
timeout -k 5 "$PII_TIMEOUT" script -qec "$(printf '%q' "$BIN") $(printf '%q' "$TMP/in") >$(printf '%q' "$TMP/o")" /dev/null >"$TMP/tty" 2>&1
expect_empty "pty without --progress: nothing on the terminal" "$TMP/tty"

finish
