#!/usr/bin/env bash
# faults.sh - faults other than the output errors of io.sh (/dev/full,
# EPIPE): each gives the documented exit status (README "Exit status"), a
# message naming what failed, and no raw data after the fault.
#   read errors        exit 3: a directory among the FILEs, a read that
#                      fails in the middle of a file (an LD_PRELOAD shim,
#                      tests/support/readfault.c), a key or policy file
#                      that cannot be read
#   policy, key files  exit 2 (3 when the file cannot be opened or read):
#                      FILE:LINE:COLUMN and not one byte on stdout, although
#                      6 MiB of input wait on stdin
#   memory limits      under `ulimit -v`: exit 0 with the exact output, or 5
#                      with a message and a clean prefix of it; never a signal
. "$(dirname "$0")/lib.sh"
need_cmd perl

PHONE=13812345678
MAIL=zhang.san@example.com

make_big_fixture # $TMP/big.in, $TMP/big.exp
LINE=50

# expect_clean_prefix DESC FULL PART: PART is FULL's first bytes and ends at
# a record end (empty, or its last byte is '\n'): whatever was written before
# a fault is the masked output, never a raw or half-written line.
expect_clean_prefix() {
    local desc=$1 full=$2 part=$3 n
    n=$(wc -c <"$part")
    if ! cmp -s -n "$n" "$full" "$part"; then
        fail "$desc" "the $n bytes written are not the start of the expected output" \
            "$(cmp -n "$n" "$full" "$part" 2>&1)"
        return 1
    fi
    if [ "$n" -gt 0 ] && [ "$(tail -c 1 "$part" | od -An -tx1 | tr -d ' ')" != 0a ]; then
        fail "$desc" "the $n bytes written end inside a line"
        return 1
    fi
    pass "$desc ($n bytes)"
}

# =============================================================================
# read errors: exit 3, the file named, nothing of it after the fault
# =============================================================================
bytes "f1 $PHONE\n" >"$TMP/f1"
bytes "f1 138****5678\n" >"$TMP/f1.exp"
bytes "f2 $PHONE\n" >"$TMP/f2"
mkdir "$TMP/adir"
for j in 1 2; do
    run_pii "$TMP/big.in" "$TMP/o" "$TMP/e" -j "$j" "$TMP/f1" "$TMP/adir" "$TMP/f2"
    expect_rc "-j $j: FILE DIRECTORY FILE: exit 3" 3 "$RC"
    expect_grep "-j $j: FILE DIRECTORY FILE: the message names the directory and the reason" \
        "$TMP/e" "adir: read failed: Is a directory"
    expect_eq "-j $j: FILE DIRECTORY FILE: the first file's output, nothing after the directory" \
        "$TMP/f1.exp" "$TMP/o"
done

# --- a read that fails in the middle of a file ----------------------------------
# The shim is built next to the binary (tests/CMakeLists.txt) and passed in
# PII_READFAULT_SO; it is preloaded in front of the sanitizer runtimes.
SHIM=${PII_READFAULT_SO:-$(dirname "$REAL_BIN")/pii_readfault.so}
if [ ! -f "$SHIM" ]; then
    fail "read-fault shim not found: $SHIM (build the pii_readfault target, or set PII_READFAULT_SO)"
    finish
fi
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

# run_fault FILE AFTER IN OUT ERR [ARGS...]: run_pii with read(2) on FILE
# failing with EIO after its first AFTER bytes.
run_fault() {
    local file=$1 after=$2
    shift 2
    LD_PRELOAD=$SHIM PII_READFAULT_FILE=$file PII_READFAULT_AFTER=$after run_pii "$@"
}

# the shim itself: it must fault (else every case below passes vacuously)
LD_PRELOAD=$SHIM PII_READFAULT_FILE=$TMP/big.in PII_READFAULT_AFTER=100 \
    perl -e 'my $n = sysread(STDIN, my $b, 1 << 20); my $m = sysread(STDIN, $b, 1 << 20);
             print defined $m ? "read $n then $m\n" : "read $n then error: $!\n"' \
    <"$TMP/big.in" >"$TMP/shim.out" 2>&1
expect_str "shim: 100 bytes, then EIO" "read 100 then error: Input/output error" "$(cat "$TMP/shim.out")"

# 3,000,025 bytes = 60,000 whole lines and half of the next: the output is
# exactly the first 60,000 lines, masked (the half line is dropped), for
# one thread and for the pipeline, from a FILE and from stdin.
K=$((60000 * LINE + 25))
head -c $((60000 * LINE)) "$TMP/big.exp" >"$TMP/k.exp"
for j in 1 2 3; do
    run_fault "$TMP/big.in" "$K" /dev/null "$TMP/o" "$TMP/e" -j "$j" "$TMP/big.in"
    expect_rc "-j $j: read error mid-file: exit 3" 3 "$RC"
    expect_grep "-j $j: read error mid-file: the message names the file and the reason" \
        "$TMP/e" "big.in: read failed: Input/output error"
    expect_eq "-j $j: read error mid-file: the complete lines before it, masked; nothing after" \
        "$TMP/k.exp" "$TMP/o"
done
run_fault "$TMP/big.in" "$K" "$TMP/big.in" "$TMP/o" "$TMP/e" -j 2
expect_rc "stdin: read error mid-stream: exit 3" 3 "$RC"
expect_grep "stdin: read error mid-stream: the message says stdin" "$TMP/e" \
    "(stdin): read failed: Input/output error"
expect_eq "stdin: read error mid-stream: the complete lines before it; nothing after" \
    "$TMP/k.exp" "$TMP/o"

run_fault "$TMP/big.in" 0 /dev/null "$TMP/o" "$TMP/e" -j 2 "$TMP/f1" "$TMP/big.in" "$TMP/f2"
expect_rc "read error on the first byte of the second FILE: exit 3" 3 "$RC"
expect_eq "read error on the first byte of the second FILE: the first file's output only" \
    "$TMP/f1.exp" "$TMP/o"

# --format auto reads the head of stdin itself before the engine starts
run_fault "$TMP/big.in" 30 "$TMP/big.in" "$TMP/o" "$TMP/e" --format auto
expect_rc "--format auto: read error after the sniffed head: exit 3" 3 "$RC"
expect_empty "--format auto: read error inside the first line: nothing written" "$TMP/o"

# a 3.5 MB line: its first windows are masked and written before the
# fault; no raw phone reaches the output, and nothing after the fault
perl -e 'binmode STDOUT; print "x 13812345678 " x 250000, "\n"; print "tail 13812345678\n" for 1 .. 100' \
    >"$TMP/long.in"
run_pii "$TMP/long.in" "$TMP/long.exp" "$TMP/e" -j 1
for j in 1 2; do
    run_fault "$TMP/long.in" 2500000 /dev/null "$TMP/o" "$TMP/e" -j "$j" "$TMP/long.in"
    expect_rc "-j $j: read error inside a 3.5 MB line: exit 3" 3 "$RC"
    n=$(wc -c <"$TMP/o")
    if [ "$n" -gt 0 ] && cmp -s -n "$n" "$TMP/long.exp" "$TMP/o"; then
        pass "-j $j: read error inside a 3.5 MB line: the windows before it, masked ($n bytes)"
    else
        fail "-j $j: read error inside a 3.5 MB line: expected a non-empty prefix of the masked line" \
            "$n bytes; $(cmp -n "$n" "$TMP/long.exp" "$TMP/o" 2>&1)"
    fi
    expect_no_grep "-j $j: read error inside a 3.5 MB line: no raw phone" "$TMP/o" "$PHONE"
done

# CSV with quoted newlines: the output stops at a record end, not a line end
awk 'BEGIN { print "id,phone,remark"; for (i = 0; i < 20000; i++)
    printf "%d,138%08d,\"line one %d\nline two 6222021234567894\"\r\n", i, i, i }' >"$TMP/a.csv"
run_pii "$TMP/a.csv" "$TMP/csv.exp" "$TMP/e" --format csv -j 1
# inside the header; inside a quoted field (just before its second line)
INQ=$(grep -aob 'line two' "$TMP/a.csv" | awk -F: '$1 > 400000 { print $1 - 1; exit }')
for j in 1 2; do
    for after in 7 "$INQ"; do
        run_fault "$TMP/a.csv" "$after" /dev/null "$TMP/o" "$TMP/e" --format csv -j "$j" "$TMP/a.csv"
        expect_rc "csv -j $j, read error after $after bytes: exit 3" 3 "$RC"
        expect_clean_prefix "csv -j $j, read error after $after bytes: a clean prefix" \
            "$TMP/csv.exp" "$TMP/o"
        expect_no_grep "csv -j $j, read error after $after bytes: no raw card" "$TMP/o" 6222021234567894
    done
    expect_nonempty "csv -j $j: records before a fault inside a quoted field are written" "$TMP/o"
done

# key and policy files that cannot be read: input errors, not "malformed"
run_pii /dev/null "$TMP/k1" "$TMP/e" keygen
chmod 600 "$TMP/k1"
run_fault "$TMP/k1" 20 "$TMP/big.in" "$TMP/o" "$TMP/e" --key-file "$TMP/k1" --action all=token
expect_rc "key file read error: exit 3 (input error)" 3 "$RC"
expect_grep "key file read error: names the file and the reason" "$TMP/e" "k1: cannot read: Input/output error"
expect_empty "key file read error: nothing on stdout" "$TMP/o"
printf 'version: 1\nentities:\n  email: redact\n' >"$TMP/ok.yaml"
run_fault "$TMP/ok.yaml" 12 "$TMP/big.in" "$TMP/o" "$TMP/e" --policy "$TMP/ok.yaml"
expect_rc "policy read error: exit 3 (input error)" 3 "$RC"
expect_grep "policy read error: names the file and the reason" "$TMP/e" "ok.yaml: cannot read: Input/output error"
expect_empty "policy read error: nothing on stdout" "$TMP/o"

# libcrypto missing (the shim's dlopen refuses it): whatever asks for FF1 -
# an entity's fpe, a field's fpe (here under an entity's token), detokenize -
# stops before anything is read, says why, and writes nothing.
no_crypto() { # DESC IN ARGS...
    local desc=$1 in=$2
    shift 2
    LD_PRELOAD=$SHIM PII_DLOPEN_FAIL=libcrypto run_pii "$in" "$TMP/o" "$TMP/e" "$@"
    expect_rc "no libcrypto, $desc: exit 5" 5 "$RC"
    expect_grep "no libcrypto, $desc: says libcrypto is needed, and why" "$TMP/e" \
        "needs OpenSSL's libcrypto: cannot open shared object file"
    expect_empty "no libcrypto, $desc: nothing on stdout" "$TMP/o"
}
bytes "id,card\n1,6222021234567894\n" >"$TMP/card.csv"
printf 'version: 1\nentities:\n  bank_card: token\nfields:\n  card: {action: fpe, type: bank_card}\n' \
    >"$TMP/fpe_field.yaml"
no_crypto "--action bank_card=fpe" "$TMP/card.csv" --key-file "$TMP/k1" --action bank_card=fpe
no_crypto "a field's fpe" "$TMP/card.csv" --key-file "$TMP/k1" --format csv \
    --policy "$TMP/fpe_field.yaml"
no_crypto "detokenize" "$TMP/card.csv" detokenize --key-file "$TMP/k1"
# without fpe libcrypto is never opened: mask and token run as usual
LD_PRELOAD=$SHIM PII_DLOPEN_FAIL=libcrypto run_pii "$TMP/card.csv" "$TMP/o" "$TMP/e" \
    --key-file "$TMP/k1" --action all=token
expect_rc "no libcrypto, token: exit 0" 0 "$RC"
expect_no_grep "no libcrypto, token: the card is tokenized" "$TMP/o" 6222021234567894

# =============================================================================
# bad policy and key files: exit 2, FILE:LINE:COLUMN, stdout stays empty
# =============================================================================
# config_error DESC WANT_RC WANT_STDERR ARGS...: with 6 MiB on stdin, in three
# set-ups (stdin; -j 2 with a FILE after stdin; --format auto, which reads
# stdin's head before the engine is built): exit WANT_RC, the message,
# and stdout 0 bytes. Under a wrapper only the first: up to a config error
# the three run the same code, and valgrind takes seconds per run.
SETUPS=(stdin "-j 2 - FILE" "--format auto")
if [ "$WRAPPED" = 1 ]; then
    SETUPS=(stdin)
    echo "# wrapped: bad policy and key files in the stdin set-up only"
fi
config_error() {
    local desc=$1 want_rc=$2 want=$3
    shift 3
    local setup
    for setup in "${SETUPS[@]}"; do
        case $setup in
        stdin) run_pii "$TMP/big.in" "$TMP/o" "$TMP/e" "$@" ;;
        "-j 2 - FILE") run_pii "$TMP/big.in" "$TMP/o" "$TMP/e" "$@" -j 2 - "$TMP/f1" ;;
        *) run_pii "$TMP/big.in" "$TMP/o" "$TMP/e" "$@" --format auto ;;
        esac
        expect_rc "$desc [$setup]: exit $want_rc" "$want_rc" "$RC"
        expect_grep "$desc [$setup]: message" "$TMP/e" "$want"
        expect_str "$desc [$setup]: stdout is 0 bytes" 0 "$(wc -c <"$TMP/o")"
    done
}
# policy_error DESC CONTENT WANT_STDERR: CONTENT in bad.yaml, --policy bad.yaml
policy_error() {
    printf '%b' "$2" >"$TMP/bad.yaml"
    config_error "policy: $1" 2 "$3" --policy "$TMP/bad.yaml"
}
policy_error "YAML syntax error" 'version: 1\nentities:\n  email: redact\n   cn_mobile: mask\n' \
    "bad.yaml:4:13: YAML syntax error: mapping values are not allowed in this context"
policy_error "unclosed flow sequence" 'version: 1\nentities:\n  email: [redact\n  cn_mobile: mask\n' \
    "bad.yaml:4:12: YAML syntax error: did not find expected ',' or ']'"
policy_error "tab indentation" '\tversion: 1\n' "bad.yaml:1:1: YAML syntax error"
policy_error "unknown top-level key" 'version: 1\nfoo: 3\n' "bad.yaml:2:1: unknown key 'foo'"
policy_error "unknown key of an entity" 'version: 1\nentities:\n  cn_id: {action: mask, keep_frist: 6}\n' \
    "bad.yaml:3:25: unknown key 'keep_frist' for entity 'cn_id'"
policy_error "unknown entity type" 'version: 1\nentities:\n  cn_phone: mask\n' \
    "bad.yaml:3:3: unknown entity type 'cn_phone'"
policy_error "bad entity action" 'version: 1\nentities:\n  cn_mobile: shred\n' \
    "bad.yaml:3:14: unknown action 'shred' for entity 'cn_mobile'"
policy_error "bad field action" 'version: 1\nfields:\n  x: {action: shred}\n' \
    "bad.yaml:3:15: unknown action 'shred' for field 'x'"
policy_error "noise without epsilon" 'version: 1\nfields:\n  amount: {action: noise, clamp: [0, 10]}\n' \
    "bad.yaml:3:3: noise for field 'amount' needs 'epsilon'"
policy_error "unsupported version" 'version: 2\n' "bad.yaml:1:10: unsupported version '2' (expected 1)"
policy_error "empty file" '' "bad.yaml:1:1: empty policy"
policy_error "token without a key" 'version: 1\nentities:\n  email: token\n' \
    "action token for email needs a key"
perl -e 'print "version: 1\n"; print "# padding\n" x 120000' >"$TMP/huge.yaml"
config_error "policy: over the 1 MiB limit" 2 "huge.yaml: policy is larger than the 1 MiB limit" \
    --policy "$TMP/huge.yaml"
config_error "policy: missing file (cannot be opened: exit 3)" 3 \
    "no-such.yaml: cannot open: No such file or directory" --policy "$TMP/no-such.yaml"

# key files (mode 0644 is refused in keys.sh)
KEYLINE=$(grep '^piiscrub-key-v1' "$TMP/k1")
KID=$(echo "$KEYLINE" | awk '{print $2}')
key_error() { # DESC CONTENT WANT_STDERR: CONTENT in bad.key (mode 0600)
    rm -rf "$TMP/bad.key"
    printf '%b' "$2" >"$TMP/bad.key"
    chmod 600 "$TMP/bad.key"
    config_error "key file: $1" 2 "$3" --key-file "$TMP/bad.key" --action all=token
    expect_no_grep "key file: $1: the message quotes no key material" "$TMP/e" "$(echo "$KEYLINE" | awk '{print $3}')"
}
key_error "empty" '' "bad.key: not a piiscrub key file"
key_error "wrong magic" "piiscrub-key-v2 ${KEYLINE#piiscrub-key-v1 }\n" "bad.key: not a piiscrub key file"
key_error "16-byte key" "piiscrub-key-v1 $KID $(head -c 16 /dev/zero | base64)\n" \
    "bad.key: malformed key (expected 32 bytes, base64)"
key_error "key is not base64" "piiscrub-key-v1 $KID ****************************************\n" \
    "bad.key: malformed key"
key_error "id does not match the key" "piiscrub-key-v1 0123456789abcdef ${KEYLINE##* }\n" \
    "bad.key: key id does not match the key"
key_error "too large" "$(printf '#%.0s' $(seq 1 600))\n$KEYLINE\n" "bad.key: too large"
mkdir "$TMP/key.dir"
config_error "key file: a directory" 2 "key.dir: not a regular file" --key-file "$TMP/key.dir" \
    --action all=token
config_error "key file: missing (cannot be opened: exit 3)" 3 \
    "no-such.key: No such file or directory" --key-file "$TMP/no-such.key" --action all=token
printf 'piiscrub-key-v1 %s AAAA\n' "$KID" >"$TMP/bad.key"
chmod 600 "$TMP/bad.key"
PIISCRUB_KEY_FILE=$TMP/bad.key config_error "key file: bad, named by PIISCRUB_KEY_FILE" 2 \
    "bad.key: malformed key" --action all=token
printf 'version: 1\nkey_file: %s\nentities:\n  email: token\n' "$TMP/bad.key" >"$TMP/kf.yaml"
config_error "key file: bad, named by the policy's key_file" 2 "bad.key: malformed key" \
    --policy "$TMP/kf.yaml"
run_pii "$TMP/big.in" "$TMP/o" "$TMP/e" detokenize --key-file "$TMP/bad.key"
expect_rc "detokenize with a bad key file: exit 2" 2 "$RC"
expect_str "detokenize with a bad key file: stdout is 0 bytes" 0 "$(wc -c <"$TMP/o")"

# =============================================================================
# memory limits (ulimit -v)
# =============================================================================
# Not under sanitizers (their shadow memory needs terabytes of address
# space) or a wrapper (valgrind runs in the same address space limit).
if [ "$SANITIZED" = 1 ] || [ "$WRAPPED" = 1 ]; then
    echo "# memory-limit cases skipped: address-space limits do not apply under" \
        "sanitizers or ${PII_WRAP:-a wrapper}"
    finish
fi

# limited KIB RC_VAR ARGS...: run piiscrub ARGS on big.in under ulimit -v KIB
# (stdin /dev/null, stdout o, stderr e), status in RC_VAR
limited() {
    local kib=$1
    shift
    (
        ulimit -v "$kib" || exit 120
        exec timeout -k 5 "$PII_TIMEOUT" "$BIN" "$@" </dev/null >"$TMP/o" 2>"$TMP/e"
    )
    RC=$?
}
# check_limited DESC: the run just made exits 0 with the exact output, or 5
# with "out of memory" on stderr and a clean prefix of the output; never a
# signal, never another status.
check_limited() {
    local desc=$1
    if [ "$RC" = 0 ]; then
        expect_eq "$desc: exit 0 with the exact output" "$TMP/big.exp" "$TMP/o"
    elif [ "$RC" = 5 ]; then
        if grep -qF "out of memory" "$TMP/e"; then
            expect_clean_prefix "$desc: exit 5 (out of memory), a clean prefix" "$TMP/big.exp" "$TMP/o"
        else
            fail "$desc: exit 5 without an out-of-memory message" "$(head -c 300 "$TMP/e")"
        fi
    else
        fail "$desc: exit status $RC (want 0, or 5 for out of memory)" "$(head -c 300 "$TMP/e")"
    fi
}

# The smallest limit (in steps of 256 KiB) at which the program starts at
# all, i.e. the dynamic loader maps the libraries (below it: status 127).
L0=
for kib in $(seq 4096 256 65536); do
    (ulimit -v "$kib" && exec "$BIN" --version) >/dev/null 2>&1
    rc=$?
    if [ "$rc" = 0 ] || [ "$rc" = 5 ]; then
        L0=$kib
        break
    fi
done
if [ -z "$L0" ]; then
    fail "ulimit -v: piiscrub --version did not run under any limit up to 64 MiB"
    finish
fi
echo "# piiscrub starts under ulimit -v ${L0} KiB"
# Just above what starting takes, building the engine and the stream fails.
limited "$L0" -j 1 "$TMP/big.in"
expect_rc "ulimit -v ${L0} KiB (just enough to start): exit 5" 5 "$RC"
expect_grep "ulimit -v ${L0} KiB: says out of memory" "$TMP/e" "out of memory"
expect_empty "ulimit -v ${L0} KiB: nothing on stdout" "$TMP/o"
# From there up, each limit fails cleanly or succeeds exactly, with one
# thread and with several (each thread's stack and buffers count).
for add in 0 1 2 3 4 5 6 8 10 12 16 24 32 48; do
    kib=$((L0 + add * 1024))
    for j in 1 4 8; do
        limited "$kib" -j "$j" "$TMP/big.in"
        check_limited "ulimit -v $kib KiB, -j $j"
    done
done
# One thread stays within 64 MiB of address space (README: 64 MiB RSS).
limited 65536 -j 1 "$TMP/big.in"
expect_rc "ulimit -v 64 MiB, -j 1: exit 0" 0 "$RC"
expect_eq "ulimit -v 64 MiB, -j 1: exact output" "$TMP/big.exp" "$TMP/o"
# Many threads in little memory: 130 batch slots do not fit.
limited 65536 -j 64 "$TMP/big.in"
check_limited "ulimit -v 64 MiB, -j 64"
# No thread can be created at all (each wants a 2 GiB stack, the limit is
# 256 MiB): the pipeline runs on the calling thread, with the same output.
(
    ulimit -s 2097152 && ulimit -v 262144 || exit 120
    exec timeout -k 5 "$PII_TIMEOUT" "$BIN" -j 8 "$TMP/big.in" </dev/null >"$TMP/o" 2>"$TMP/e"
)
RC=$?
expect_rc "-j 8 when no thread can be created: exit 0" 0 "$RC"
expect_eq "-j 8 when no thread can be created: exact output" "$TMP/big.exp" "$TMP/o"
expect_empty "-j 8 when no thread can be created: nothing on stderr" "$TMP/e"

finish
