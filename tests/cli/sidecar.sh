#!/usr/bin/env bash
# sidecar.sh - piiscrub as a log-shipping sidecar (issue 8): each complete
# line's output is written before piiscrub waits for more input, checked
# with a coprocess that writes one line and waits for its output.
. "$(dirname "$0")/lib.sh"

# coprocess_lines ARGS...: feed 50 lines one at a time to piiscrub ARGS, each
# only after the output of the previous one came back (5 s at most each);
# prints the number of lines that came back in time, and writes them to
# $TMP/co.out.
coprocess_lines() {
    local i got line n=0
    : >"$TMP/co.out"
    coproc PII { exec "$BIN" "$@" 2>"$TMP/co.err"; }
    for i in $(seq 50); do
        printf 'req %d from 1381234%04d\n' "$i" "$i" >&"${PII[1]}"
        got=
        IFS= read -r -t 5 line <&"${PII[0]}" && got=1
        [ -n "$got" ] || break
        printf '%s\n' "$line" >>"$TMP/co.out"
        n=$((n + 1))
    done
    exec {PII[1]}>&-
    wait "$PII_PID" 2>/dev/null
    echo "$n"
}

for args in "" "--line-buffered" "-j 2" "-j 2 --line-buffered"; do
    # shellcheck disable=SC2086
    n=$(coprocess_lines $args)
    expect_str "coprocess (${args:-no options}): every line's output before the next line" 50 "$n"
    for i in $(seq 50); do printf 'req %d from 138****%04d\n' "$i" "$i"; done >"$TMP/co.exp"
    expect_eq "coprocess (${args:-no options}): the lines, masked, in order" "$TMP/co.exp" "$TMP/co.out"
done

# ---- --follow and --state ------------------------------------------------------
# lines_of FILE: its line count (0 when missing)
lines_of() {
    if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi
}
# wait_lines FILE N: wait (up to 60 s) until FILE has N lines or more
wait_lines() {
    local k=0
    while [ "$(lines_of "$1")" -lt "$2" ] && [ $k -lt 600 ]; do
        sleep 0.1
        k=$((k + 1))
    done
}

# 100,000 lines from a writer in bursts of 1,000 (most ending inside a
# line): renamed away after 30,000
# (app.log -> app.log.1, then a new app.log), truncated after 60,000 once
# the follower has read them all (copytruncate), and the follower stopped
# by SIGTERM and restarted with --state after about 45,000.
D=$TMP/follow
mkdir -p "$D"
burst() { # burst K: lines K*1000+1 .. K*1000+1000
    awk -v k="$1" 'BEGIN { for (i = k * 1000 + 1; i <= k * 1000 + 1000; i++)
        printf "%06d user u%d@example.com tel 139%08d\n", i, i, i }'
}
for k in $(seq 0 99); do burst "$k"; done >"$D/all"
"$BIN" -j 1 <"$D/all" >"$D/expected"
(
    # each burst but the ones before a rotation ends inside a line, whose
    # last 10 bytes come with the next burst
    held=$D/held
    : >"$held"
    for k in $(seq 0 99); do
        burst "$k" >"$D/b"
        if [ "$k" = 29 ] || [ "$k" = 59 ] || [ "$k" = 99 ]; then
            cat "$held" "$D/b" >>"$D/app.log"
            : >"$held"
        else
            { cat "$held"; head -c -10 "$D/b"; } >>"$D/app.log"
            tail -c 10 "$D/b" >"$held"
        fi
        [ "$k" = 29 ] && mv "$D/app.log" "$D/app.log.1"
        if [ "$k" = 59 ]; then
            wait_lines "$D/out" 60000
            : >"$D/app.log"
        fi
        sleep 0.02
    done
) &
wpid=$!
"$BIN" --follow "$D/app.log" --state "$D/state" >>"$D/out" 2>"$D/err1" &
fpid=$!
wait_lines "$D/out" 45000
stop_and_wait "$fpid" TERM
expect_rc "--follow: SIGTERM: exit 0" 0 "$RC"
n1=$(lines_of "$D/out")
"$BIN" --follow "$D/app.log" --state "$D/state" >>"$D/out" 2>"$D/err2" &
fpid=$!
wait "$wpid"
wait_lines "$D/out" 100000
sleep 0.5 # anything extra would show now
stop_and_wait "$fpid" TERM
expect_rc "--follow (restarted with --state): SIGTERM: exit 0" 0 "$RC"
expect_eq "--follow: 100,000 lines across a rename, a truncation and a restart at line $n1: each once, in order, redacted" \
    "$D/expected" "$D/out"
expect_no_grep "--follow: stderr holds no input" "$D/err1" "example.com"
expect_grep "--follow: the state file names the file and offset" "$D/state" "piiscrub-follow-state 1"

# usage
run_pii /dev/null "$TMP/o" "$TMP/e" --state "$D/state"
expect_rc "--state without --follow: exit 2" 2 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" --follow "$D/app.log" "$D/all"
expect_rc "--follow with a FILE argument too: exit 2" 2 "$RC"

finish
