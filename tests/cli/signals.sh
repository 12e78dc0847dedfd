#!/usr/bin/env bash
# signals.sh - SIGTERM and SIGINT stop piiscrub at a record end (issue 8):
# everything read up to the last complete record is written, an incomplete
# record is not (never a partial line), exit 0, and stderr says how many
# bytes were left. With -j 1 and -j 2.
. "$(dirname "$0")/lib.sh"
need_cmd mkfifo yes sleep pkill

# wait_size FILE BYTES: wait (up to 30 s) until FILE holds at least BYTES.
# Each run writes a file of its own: the shell creates it only once the
# background job has started, and an older file would end the wait early.
wait_size() {
    local k=0
    while [ "$(wc -c <"$1" 2>/dev/null || echo 0)" -lt "$2" ] && [ $k -lt 300 ]; do
        sleep 0.1
        k=$((k + 1))
    done
}

# bytes that must arrive together are written by cat, in one write(2)
printf 'call 13812345678 line 1\ncall 13812345678 line 2\npartial 1391234' >"$TMP/two.in"
printf 'call 138****5678 line 1\ncall 138****5678 line 2\n' >"$TMP/two.exp"
printf 'end\nnext 13912345678' >"$TMP/long.end"

for j in 1 2; do
    for sig in TERM INT; do
        # a writer that sends two lines and half of a third, then waits
        fifo=$TMP/in.$j.$sig
        mkfifo "$fifo"
        { cat "$TMP/two.in"; sleep 30; } >"$fifo" & # one write(2)
        wpid=$!
        "$BIN" -j "$j" <"$fifo" >"$TMP/o.$j.$sig" 2>"$TMP/e.$j.$sig" &
        pid=$!
        wait_size "$TMP/o.$j.$sig" "$(wc -c <"$TMP/two.exp")"
        stop_and_wait "$pid" "$sig"
        pkill -P "$wpid" 2>/dev/null; kill "$wpid" 2>/dev/null
        wait "$wpid" 2>/dev/null
        expect_rc "-j $j, SIG$sig while waiting for input: exit 0" 0 "$RC"
        expect_eq "-j $j, SIG$sig: the complete lines, masked, and not the partial one" \
            "$TMP/two.exp" "$TMP/o.$j.$sig"
        expect_grep "-j $j, SIG$sig: stderr names the signal" "$TMP/e.$j.$sig" "stopped by SIG$sig"
        expect_grep "-j $j, SIG$sig: stderr counts the bytes not written" "$TMP/e.$j.$sig" \
            "the 15 bytes"
        expect_no_grep "-j $j, SIG$sig: stderr holds no input" "$TMP/e.$j.$sig" "1391234"
    done
done

# endless input: wherever the signal lands, the output is whole lines
line='2026-03-28T23:53:01 INFO order 42 tel 13812345678 mail u1@example.com'
printf '%s\n' "$line" | "$BIN" >"$TMP/one.exp"
for j in 1 2; do
    mkfifo "$TMP/yes.$j"
    yes "$line" >"$TMP/yes.$j" &
    ypid=$!
    "$BIN" -j "$j" <"$TMP/yes.$j" >"$TMP/o.yes.$j" 2>"$TMP/e.yes.$j" &
    pid=$!
    wait_size "$TMP/o.yes.$j" 300000
    stop_and_wait "$pid" TERM
    kill "$ypid" 2>/dev/null
    wait "$ypid" 2>/dev/null
    expect_rc "-j $j, SIGTERM during a long run: exit 0" 0 "$RC"
    n=$(wc -l <"$TMP/o.yes.$j")
    yes "$(cat "$TMP/one.exp")" | head -n "$n" >"$TMP/o.yes.$j.exp"
    expect_eq "-j $j, SIGTERM during a long run: $n whole, masked lines" "$TMP/o.yes.$j.exp" "$TMP/o.yes.$j"
done

# a record longer than the window (1 MiB) that is partly written when the
# signal comes: piiscrub reads on to its end, then stops
fifo=$TMP/in.long
mkfifo "$fifo"
awk 'BEGIN { for (i = 0; i < 150000; i++) printf "x 1381234%04d ", i % 10000 }' >"$TMP/long.part"
{ cat "$TMP/long.part"; sleep 1; cat "$TMP/long.end"; sleep 30; } >"$fifo" &
wpid=$!
"$BIN" -j 1 <"$fifo" >"$TMP/o.long" 2>"$TMP/e.long" &
pid=$!
wait_size "$TMP/o.long" 100000
stop_and_wait "$pid" TERM
pkill -P "$wpid" 2>/dev/null; kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
expect_rc "SIGTERM inside a record longer than the window: exit 0" 0 "$RC"
{ cat "$TMP/long.part"; printf 'end\n'; } | "$BIN" >"$TMP/long.exp"
expect_eq "SIGTERM inside a long record: the whole record is written, then it stops" \
    "$TMP/long.exp" "$TMP/o.long"
expect_grep "SIGTERM inside a long record: the next, incomplete record is counted" "$TMP/e.long" \
    "the 16 bytes"

# SIGHUP does not kill piiscrub: it reloads (the same files here; see reload.sh)
# and goes on, the incomplete line it held included
fifo=$TMP/in.hup
mkfifo "$fifo"
printf '8\nafter 13912345678\n' >"$TMP/hup.tail"
{ cat "$TMP/two.exp"; printf 'partial 13912348\nafter 139****5678\n'; } >"$TMP/hup.exp"
{ cat "$TMP/two.in"; sleep 1; cat "$TMP/hup.tail"; sleep 30; } >"$fifo" &
wpid=$!
"$BIN" <"$fifo" >"$TMP/o.hup" 2>"$TMP/e.hup" &
pid=$!
wait_size "$TMP/o.hup" "$(wc -c <"$TMP/two.exp")"
kill -HUP "$pid"
wait_size "$TMP/o.hup" "$(wc -c <"$TMP/hup.exp")"
stop_and_wait "$pid" TERM
pkill -P "$wpid" 2>/dev/null; kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
expect_rc "SIGHUP, then SIGTERM: exit 0" 0 "$RC"
expect_eq "SIGHUP: the lines after it are processed as before" "$TMP/hup.exp" "$TMP/o.hup"
expect_grep "SIGHUP: stderr says it reloaded" "$TMP/e.hup" "reloaded the policy and keys"

finish
