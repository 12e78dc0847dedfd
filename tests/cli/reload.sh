#!/usr/bin/env bash
# reload.sh - SIGHUP reloads the policy, the keys and the pattern files at a
# record end (issue 8, point 3). A run reads a FIFO that this script holds
# open: it writes lines, waits for their output, changes a file, sends HUP,
# waits for the message on stderr and writes more lines. The lines before
# the HUP must have the old treatment, the ones after it (and a line that
# was incomplete at the HUP) the new one, each exactly once and in order. A
# file that does not load keeps the old configuration and says why.
. "$(dirname "$0")/lib.sh"
need_cmd mkfifo sleep
# a run that died early makes a write to its FIFO fail, not end this script
trap '' PIPE

# waits are bounded: 30 s, or PII_TIMEOUT when that is longer (valgrind)
WAIT_STEPS=$((PII_TIMEOUT > 30 ? PII_TIMEOUT * 10 : 300))

# wait_lines FILE N: until FILE holds N complete lines or more
wait_lines() {
    local k=0
    while [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -lt "$2" ] && [ $k -lt $WAIT_STEPS ]; do
        sleep 0.1
        k=$((k + 1))
    done
}

# wait_count FILE STRING N: until STRING is on N lines of FILE or more
wait_count() {
    local k=0
    while [ "$(grep -cF -- "$2" "$1" 2>/dev/null)" -lt "$3" ] && [ $k -lt $WAIT_STEPS ]; do
        sleep 0.1
        k=$((k + 1))
    done
}

# start ARGS...: piiscrub ARGS in the background, stdin from a new FIFO that
# fd 3 holds open, stdout to $OUT, stderr to $ERR; PID is its pid.
N=0
start() {
    N=$((N + 1))
    mkfifo "$TMP/fifo.$N"
    OUT=$TMP/out.$N
    ERR=$TMP/err.$N
    "$BIN" "$@" <"$TMP/fifo.$N" >"$OUT" 2>"$ERR" &
    PID=$!
    exec 3>"$TMP/fifo.$N"
    wait_ready
}

# wait_ready: until $PID is piiscrub and catches SIGHUP (/proc/PID/status
# SigCgt, bit 0): a HUP before that would kill it, as any program, or (when
# ignored) be lost
wait_ready() {
    local k=0 cgt
    while [ $k -lt $WAIT_STEPS ]; do
        cgt=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$PID/status" 2>/dev/null)
        case $(readlink "/proc/$PID/exe" 2>/dev/null) in
        *piiscrub*) [ -n "$cgt" ] && [ $((0x$cgt & 1)) = 1 ] && return 0 ;;
        esac
        sleep 0.05
        k=$((k + 1))
    done
}

# send TEXT: one write(2) of TEXT (printf %b escapes) to the run's stdin
send() {
    printf '%b' "$1" >&3
}

# hup STRING N: send SIGHUP and wait until STRING is on N lines of stderr
hup() {
    kill -HUP "$PID"
    wait_count "$ERR" "$1" "$2"
}

# end_run: close stdin, wait for the exit (bounded); sets RC
end_run() {
    exec 3>&-
    wait_bounded "$PID"
}

policy() { # policy FILE ACTION: phones get ACTION
    printf 'version: 1\nentities:\n  cn_mobile: %s\n' "$2" >"$1"
}

# ---- text, -j 1 and -j 2: mask, then redact --------------------------------------
for j in 1 2; do
    P=$TMP/p.$j.yaml
    policy "$P" mask
    start -j "$j" --policy "$P"
    send 'one 13812345678\ntwo 13912345678\n'
    wait_lines "$OUT" 2
    send 'three 1381234' # incomplete at the HUP: the new policy takes it
    sleep 0.2
    policy "$P" redact
    hup "reloaded" 1
    send '5678\nfour 13912345678\n'
    end_run
    expect_rc "-j $j: HUP, then end of input: exit 0" 0 "$RC"
    printf 'one 138****5678\ntwo 139****5678\nthree [CN_MOBILE]\nfour [CN_MOBILE]\n' >"$TMP/exp"
    expect_eq "-j $j: lines before the HUP masked, the held line and the ones after redacted, each once" \
        "$TMP/exp" "$OUT"
    printf 'piiscrub: reloaded the policy and keys\n' >"$TMP/exp.err"
    expect_eq "-j $j: stderr says it reloaded, once" "$TMP/exp.err" "$ERR"
done

# ---- a bad policy, then a good one: the old one stays until then -------------------
for j in 1 2; do
    P=$TMP/bad.$j.yaml
    policy "$P" mask
    start -j "$j" --policy "$P"
    send 'a 13812345678\n'
    wait_lines "$OUT" 1
    printf 'version: 1\nentities:\n  cn_mobile: [redact\n' >"$P" # a YAML syntax error
    hup "reload failed" 1
    send 'b 13812345678\n'
    wait_lines "$OUT" 2
    policy "$P" maks
    hup "reload failed" 2
    send 'c 13812345678\n'
    wait_lines "$OUT" 3
    policy "$P" redact
    hup "reloaded" 1
    send 'd 13812345678\n'
    end_run
    expect_rc "-j $j: bad policies, then a good one: exit 0" 0 "$RC"
    printf 'a 138****5678\nb 138****5678\nc 138****5678\nd [CN_MOBILE]\n' >"$TMP/exp"
    expect_eq "-j $j: a policy that does not load keeps the previous one" "$TMP/exp" "$OUT"
    expect_grep_re "-j $j: the syntax error names the file, its line and why" "$ERR" \
        "^piiscrub: reload failed: $P:[0-9]+(:[0-9]+)?: .*; keeping the previous policy and keys\$"
    expect_grep "-j $j: the unknown action is named with its place" "$ERR" \
        "reload failed: $P:3:14: unknown action 'maks'"
    expect_str "-j $j: one line per reload, nothing else" 3 "$(wc -l <"$ERR")"
    expect_no_grep "-j $j: stderr holds no data" "$ERR" "1381234"
done

# ---- CSV: the header stays, the new column rule applies ------------------------------
for j in 1 2; do
    P=$TMP/csv.$j.yaml
    printf 'version: 1\nfields:\n  phone: {action: mask, type: cn_mobile}\n' >"$P"
    start -j "$j" --format csv --policy "$P"
    send 'name,phone,note\nann,13812345678,x\n'
    wait_lines "$OUT" 2
    send 'bob,"1391234' # inside a quoted field at the HUP
    sleep 0.2
    printf 'version: 1\nfields:\n  phone: redact\n  note: redact\n' >"$P"
    hup "reloaded" 1
    send '5678",y\ncid,13812345679,"z\nz"\n'
    end_run
    expect_rc "-j $j, CSV: exit 0" 0 "$RC"
    # a changed field keeps its quotes
    printf 'name,phone,note\nann,138****5678,x\nbob,"[REDACTED]",[REDACTED]\ncid,[REDACTED],"[REDACTED]"\n' \
        >"$TMP/exp"
    expect_eq "-j $j, CSV: the header once, the old rules before the HUP, the new ones (by column name) after" \
        "$TMP/exp" "$OUT"
done

# a header that the new policy's detectors change is not written again either
P=$TMP/csvh.yaml
printf 'version: 1\n' >"$P"
start -j 2 --format csv --policy "$P"
send 'name,a@example.com\nann,13812345678\n'
wait_lines "$OUT" 2
printf 'name,a@example.com\nann,13812345678\n' >"$TMP/csvh.in"
run_pii "$TMP/csvh.in" "$TMP/exp" /dev/null --format csv --policy "$P"
printf 'version: 1\nentities:\n  email: redact\n  cn_mobile: redact\n' >"$P"
hup "reloaded" 1
send 'bob,13912345678\n'
end_run
printf 'bob,[CN_MOBILE]\n' >>"$TMP/exp"
expect_eq "-j 2, CSV: a header the new policy would change is not written twice" "$TMP/exp" "$OUT"

# a HUP while the header is incomplete: it is read (and written) once
for j in 1 2; do
    P=$TMP/csvp.$j.yaml
    printf 'version: 1\nfields:\n  phone: {action: mask, type: cn_mobile}\n' >"$P"
    start -j "$j" --format csv --policy "$P"
    send 'name,ph'
    sleep 0.2
    printf 'version: 1\nfields:\n  phone: redact\n' >"$P"
    hup "reloaded" 1
    send 'one\nann,13812345678\n'
    end_run
    printf 'name,phone\nann,[REDACTED]\n' >"$TMP/exp"
    expect_eq "-j $j, CSV: HUP inside the header: the header once, the new rule" "$TMP/exp" "$OUT"
done

# ---- a record longer than the window, partly written at the HUP: the old policy
# finishes it, the new one takes the next record -----------------------------------
awk 'BEGIN { for (i = 0; i < 120000; i++) printf "x 1381234%04d ", i % 10000 }' >"$TMP/long.part"
for j in 1 2; do
    P=$TMP/long.$j.yaml
    policy "$P" mask
    start -j "$j" --policy "$P"
    cat "$TMP/long.part" >&3
    k=0
    while [ "$(wc -c <"$OUT")" -lt 100000 ] && [ $k -lt $WAIT_STEPS ]; do
        sleep 0.1
        k=$((k + 1))
    done
    policy "$P" redact
    kill -HUP "$PID"
    sleep 0.3
    send 'end 13812345678\n'
    wait_lines "$OUT" 1
    wait_count "$ERR" "reloaded" 1
    send 'next 13812345678\n'
    end_run
    { cat "$TMP/long.part"; printf 'end 13812345678\n'; } | "$BIN" >"$TMP/exp"
    printf 'next [CN_MOBILE]\n' >>"$TMP/exp"
    expect_eq "-j $j: a long record partly written at the HUP is finished by the old policy" \
        "$TMP/exp" "$OUT"
done

# ---- keys: tokens and fpe change with a new key file; a missing key keeps the old ---
K=$TMP/key
"$BIN" keygen -o "$TMP/k1" 2>/dev/null
"$BIN" keygen -o "$TMP/k2" 2>/dev/null
for j in 1 2; do
    cp -p "$TMP/k1" "$K"
    start -j "$j" --key-file "$K" -a cn_mobile=token
    send 'a 13812345678\n'
    wait_lines "$OUT" 1
    mv "$K" "$K.away"
    hup "reload failed" 1
    send 'b 13812345678\n'
    wait_lines "$OUT" 2
    cp -p "$TMP/k2" "$K"
    hup "reloaded" 1
    send 'c 13812345678\n'
    end_run
    rm -f "$K.away"
    expect_rc "-j $j, token: exit 0" 0 "$RC"
    expect_grep "-j $j: a missing key file is named" "$ERR" "reload failed: key file $K: No such file"
    t1=$(sed -n 1p "$OUT" | cut -d' ' -f2)
    t2=$(sed -n 2p "$OUT" | cut -d' ' -f2)
    t3=$(sed -n 3p "$OUT" | cut -d' ' -f2)
    expect_str "-j $j: with the key file missing the old key goes on" "$t1" "$t2"
    case $t3 in
    tok_cn_mobile_* ) [ "$t3" != "$t1" ] && pass "-j $j: after the new key, another token" ||
        fail "-j $j: after the new key, another token" "got $t3 both times" ;;
    *) fail "-j $j: after the new key, another token" "got '$t3'" ;;
    esac
    expect_no_grep "-j $j: stderr holds no key" "$ERR" "$(awk '/^piiscrub-key-v1/ {print $3}' "$TMP/k1")"
done

# fpe from $PIISCRUB_KEY_FILE: the path is read again; detokenize with both keys
cp -p "$TMP/k1" "$K"
printf 'a 13812345678\nb 13912345678\n' >"$TMP/plain"
PIISCRUB_KEY_FILE=$K start -j 2 -a cn_mobile=fpe
send 'a 13812345678\n'
wait_lines "$OUT" 1
cp -p "$TMP/k2" "$K.new" && mv "$K.new" "$K"
hup "reloaded" 1
send 'b 13912345678\n'
end_run
expect_rc "fpe, key rotated through \$PIISCRUB_KEY_FILE: exit 0" 0 "$RC"
id1=$(awk '/^piiscrub-key-v1/ {print $2}' "$TMP/k1")
id2=$(awk '/^piiscrub-key-v1/ {print $2}' "$TMP/k2")
expect_grep "fpe before the HUP: the first key's marker" "$OUT" "{{fpe:$id1:cn_mobile:"
expect_grep "fpe after the HUP: the second key's marker" "$OUT" "{{fpe:$id2:cn_mobile:"
run_pii "$OUT" "$TMP/restored" "$TMP/detok.err" detokenize --key-file "$TMP/k2" --key-file "$TMP/k1"
expect_eq "detokenize with both keys restores the lines from before and after" "$TMP/plain" \
    "$TMP/restored"

# ---- pattern files are read again too -------------------------------------------------
printf 'id: order_no\npattern: ORD-\\d{6}\naction: redact\nexample: ORD-123456 => ORD-123456\n' \
    >"$TMP/pat"
start -j 1 --patterns "$TMP/pat"
send 'x ORD-123456 ORD-654321\n'
wait_lines "$OUT" 1
printf 'id: order_no\npattern: ORD-(\\d{6}\n' >"$TMP/pat"
hup "reload failed" 1
printf 'id: order_no\npattern: ORD-1\\d{5}\naction: redact\nexample: ORD-123456 => ORD-123456\n' \
    >"$TMP/pat"
hup "reloaded" 1
send 'y ORD-123456 ORD-654321\n'
end_run
printf 'x [ORDER_NO] [ORDER_NO]\ny [ORDER_NO] ORD-654321\n' >"$TMP/exp"
expect_eq "--patterns: the pattern file is read again" "$TMP/exp" "$OUT"
expect_grep "--patterns: a bad pattern file is named" "$ERR" "reload failed: $TMP/pat:"

# ---- unchanged files: the same output as a fresh run, options and all ------------------
P=$TMP/same.yaml
printf 'version: 1\nentities:\n  email: redact\n' >"$P"
opts=(-o cn_mobile,email,cn_id -a cn_id=redact --min-confidence 60 --max-record 128K
    --today 20250101 --policy "$P")
printf 'm 13812345678 u1@example.com 11010519491231002X\n' >"$TMP/line"
run_pii "$TMP/line" "$TMP/line.exp" /dev/null "${opts[@]}"
start -j 1 "${opts[@]}"
send 'm 13812345678 u1@example.com 11010519491231002X\n'
wait_lines "$OUT" 1
hup "reloaded" 1
send 'm 13812345678 u1@example.com 11010519491231002X\n'
end_run
cat "$TMP/line.exp" "$TMP/line.exp" >"$TMP/exp"
expect_eq "a reload of unchanged files applies the options as start-up did" "$TMP/exp" "$OUT"

# ---- many HUPs while lines flow: whole lines, in order, no crash ---------------------
start -j 2 --policy "$TMP/same.yaml"
send 'line 0 13812345678\n' # piiscrub is up (its handler set) once this is out
wait_lines "$OUT" 1
for i in $(seq 40); do
    send "line $i 13812345678\n"
    kill -HUP "$PID"
done
end_run
expect_rc "40 HUPs while lines flow: exit 0" 0 "$RC"
for i in $(seq 0 40); do printf 'line %d 138****5678\n' "$i"; done >"$TMP/exp"
expect_eq "40 HUPs while lines flow: every line once, in order" "$TMP/exp" "$OUT"
expect_no_grep "40 HUPs: no reload failed" "$ERR" "failed"

# HUPs from the moment piiscrub starts (ignored until its main() runs, as a
# shell's `trap '' HUP` passes on through exec; a HUP before exec would kill
# any program): harmless during start-up, a reload afterwards
mkfifo "$TMP/fifo.early"
(
    trap '' HUP
    exec "$BIN" -j 2 --policy "$TMP/same.yaml" <"$TMP/fifo.early" >"$TMP/early.out" 2>"$TMP/early.err"
) &
PID=$!
exec 3>"$TMP/fifo.early"
for i in $(seq 30); do
    kill -HUP "$PID" 2>/dev/null
    sleep 0.01
done
send 'early 13812345678\n'
end_run
expect_rc "HUPs during start-up: exit 0" 0 "$RC"
printf 'early 138****5678\n' >"$TMP/exp"
expect_eq "HUPs during start-up: the line, as without them" "$TMP/exp" "$TMP/early.out"
expect_no_grep "HUPs during start-up: no reload failed" "$TMP/early.err" "failed"

# ---- --follow ------------------------------------------------------------------------
P=$TMP/follow.yaml
policy "$P" mask
L=$TMP/app.log
printf 'one 13812345678\n' >"$L"
"$BIN" --follow "$L" --policy "$P" >"$TMP/f.out" 2>"$TMP/f.err" &
PID=$!
ERR=$TMP/f.err
wait_lines "$TMP/f.out" 1
printf 'two 1391234' >>"$L"
sleep 0.3
policy "$P" redact
hup "reloaded" 1
printf '5678\nthree 13812345678\n' >>"$L"
wait_lines "$TMP/f.out" 3
policy "$P" 'keep: x'
hup "reload failed" 1
printf 'four 13812345678\n' >>"$L"
wait_lines "$TMP/f.out" 4
stop_and_wait "$PID" TERM
expect_rc "--follow: HUPs, then SIGTERM: exit 0" 0 "$RC"
printf 'one 138****5678\ntwo [CN_MOBILE]\nthree [CN_MOBILE]\nfour [CN_MOBILE]\n' >"$TMP/exp"
expect_eq "--follow: the old policy before the HUP, the new one after, a bad one ignored" \
    "$TMP/exp" "$TMP/f.out"

finish
