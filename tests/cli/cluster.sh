#!/usr/bin/env bash
# cluster.sh - running piiscrub on N pieces of an input and concatenating
# the outputs gives exactly the single run's output when every action is
# deterministic (mask, redact, token, fpe) and the key is shared: the
# README's "Running across a cluster" recipes rest on this.
#   - GNU parallel: `parallel --pipe --block 1M -k piiscrub ...` against one
#     run, byte for byte, with -a all=token, with fpe on every type that has
#     an fpe style (token on the rest), and with mask;
#   - `split -n l/4`, each piece in its own process, concatenated;
#   - JSON Lines split by line; CSV with a header split naively (differs:
#     later pieces lose the header and with it the column rules, silently)
#     and with the README's recipe (parallel --header, the header line
#     dropped from every output but the first), which is identical; a CSV
#     record cut inside a quoted newline is reported, and with
#     --on-error=stop is an error (exit 5);
#   - tokens are the same in separate processes, and another key gives
#     other tokens (so the comparisons above can fail);
#   - contrib/cluster/piiscrub-task runs piiscrub with a key file of mode
#     0644 (as Hadoop and Spark ship files), which piiscrub alone refuses,
#     under parallel, leaves no key copy behind and passes SIGTERM on.
# The input is examples/sample.txt and seeded generated logs
# (tests/bench/gen_logs.py), repeated to PII_CLUSTER_MB MiB (default 3; 2
# under sanitizers), or the file PII_CLUSTER_CORPUS repeated to that size.
# Sizes, times and SHA-256 are printed as "# ..." lines.
. "$(dirname "$0")/lib.sh"
need_cmd parallel split python3 sha256sum perl stat mkfifo
SRC=$(cd "$(dirname "$0")/../.." && pwd)
MB=${PII_CLUSTER_MB:-$([ "$SANITIZED" = 1 ] && echo 2 || echo 3)}

# ---- the corpus ----------------------------------------------------------------
if [ -n "${PII_CLUSTER_CORPUS:-}" ]; then
    cp -- "$PII_CLUSTER_CORPUS" "$TMP/unit" || exit 2
else
    cp "$SRC/examples/sample.txt" "$TMP/unit"
    python3 "$SRC/tests/bench/gen_logs.py" --size 400000 --density dense --seed 9 --quiet \
        -o "$TMP/gen" || exit 2
    cat "$TMP/gen" >>"$TMP/unit"
fi
[ -s "$TMP/unit" ] || { fail "the corpus is empty"; finish; }
: >"$TMP/in"
while [ "$(stat -c %s "$TMP/in")" -lt $((MB * 1048576)) ]; do cat "$TMP/unit" >>"$TMP/in"; done
echo "# corpus: $(stat -c %s "$TMP/in") bytes, $(wc -l <"$TMP/in") lines (${PII_CLUSTER_CORPUS:-sample.txt + gen_logs.py --seed 9}, repeated)"

# ---- the key, shared through the environment (never on argv) -------------------------
run_pii /dev/null "$TMP/o" "$TMP/e" keygen -o "$TMP/key"
expect_rc "keygen -o KEY: exit 0" 0 "$RC"
expect_str "the key file is mode 0600" 600 "$(stat -c %a "$TMP/key")"
export PIISCRUB_KEY_FILE=$TMP/key

# sha FILE: the first 16 hex digits of its SHA-256
sha() { sha256sum <"$1" | cut -c1-16; }

# now_ms: wall clock in milliseconds; secs T0: seconds since T0, as N.NN
now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() {
    local ms=$(($(now_ms) - $1))
    printf '%d.%02d' $((ms / 1000)) $((ms % 1000 / 10))
}
# single OUT ARGS...: one run over the corpus; sets RC and T (seconds)
single() {
    local out=$1 t0
    t0=$(now_ms)
    shift
    run_pii "$TMP/in" "$out" "$TMP/single.err" "$@"
    T=$(secs "$t0")
}
# split_par OUT BLOCK ARGS...: GNU parallel --pipe --block BLOCK -k, one
# thread per job as the README's recipe has it
split_par() {
    local out=$1 block=$2 t0
    t0=$(now_ms)
    shift 2
    timeout -k 5 "$PII_TIMEOUT" parallel --pipe --block "$block" -k "$BIN" -j 1 "$@" \
        <"$TMP/in" >"$out" 2>"$TMP/par.err"
    RC=$?
    T=$(secs "$t0")
}

# check_split NAME ARGS...: the single run and the parallel split agree
check_split() {
    local name=$1
    shift
    single "$TMP/$name.single" "$@"
    expect_rc "$name: single run exit 0" 0 "$RC" || sed 's/^/       /' "$TMP/single.err" | head -5
    local ts=$T
    split_par "$TMP/$name.par" 1M "$@"
    expect_rc "$name: parallel --pipe --block 1M -k: exit 0" 0 "$RC" ||
        sed 's/^/       /' "$TMP/par.err" | head -5
    expect_empty "$name: parallel: nothing on stderr" "$TMP/par.err"
    expect_eq "$name: parallel --pipe --block 1M -k = the single run, byte for byte" \
        "$TMP/$name.single" "$TMP/$name.par"
    echo "# $name: in $(stat -c %s "$TMP/in") B, out $(stat -c %s "$TMP/$name.single") B;" \
        "single ${ts} s, parallel ${T} s; sha256 $(sha "$TMP/$name.single") / $(sha "$TMP/$name.par")"
}

# ---- token on every type ----------------------------------------------------------
check_split token -a all=token
# the run did tokenize: tokens of many types, none of the sample's values left
grep -oE 'tok_[a-z0-9_]+_[A-Z0-9]{24}' "$TMP/token.single" | sed -E 's/_[A-Z0-9]{24}$//' |
    sort -u >"$TMP/toktypes"
expect_le "token: tokens of 8 or more types in the output" 8 "$(wc -l <"$TMP/toktypes")"
if [ -z "${PII_CLUSTER_CORPUS:-}" ]; then
    for v in 13812345678 11010519491231002X '6222 0212 3456 7894' zhang.san@example.com \
        121.249.194.98 221-60-2382; do
        expect_no_grep "token: '$v' of the sample is not in the output" "$TMP/token.single" "$v"
    done
fi

# ---- fpe on every type that has an fpe style, token on the rest ------------------------------
run_pii /dev/null "$TMP/ent" "$TMP/e" entities --tsv
fpe_args=(-a all=token)
nfpe=0
for t in $(tail -n +2 "$TMP/ent" | cut -f1); do
    if "$BIN" -a "$t=fpe" </dev/null >/dev/null 2>&1; then
        fpe_args+=(-a "$t=fpe")
        nfpe=$((nfpe + 1))
    fi
done
expect_le "fpe: 4 or more types have an fpe style" 4 "$nfpe"
check_split fpe "${fpe_args[@]}"
expect_grep "fpe: the output holds fpe markers" "$TMP/fpe.single" "{{fpe:"

# ---- mask ------------------------------------------------------------------------------
check_split mask -a all=mask

# ---- split -n l/4: four processes, one piece each --------------------------------------------
(cd "$TMP" && split -n l/4 in piece.) || exit 2
expect_str "split -n l/4 made 4 pieces" 4 "$(find "$TMP" -maxdepth 1 -name 'piece.*' | wc -l)"
: >"$TMP/pieces.out"
prc=0
for p in "$TMP"/piece.*; do
    timeout -k 5 "$PII_TIMEOUT" "$BIN" -a all=token "$p" >>"$TMP/pieces.out" 2>>"$TMP/pieces.err" ||
        prc=$?
done
expect_rc "split -n l/4: every piece exit 0" 0 "$prc"
expect_eq "split -n l/4, pieces concatenated = the single run" "$TMP/token.single" "$TMP/pieces.out"

# ---- tokens across processes, and another key ------------------------------------------------
run_pii "$SRC/examples/sample.txt" "$TMP/p1" "$TMP/e" -a all=token -j 1
run_pii "$SRC/examples/sample.txt" "$TMP/p2" "$TMP/e" -a all=token -j 2
expect_eq "two processes (-j 1, -j 2) write the same tokens" "$TMP/p1" "$TMP/p2"
grep -oE 'tok_cn_mobile_[A-Z0-9]{24}' "$TMP/p1" | head -1 >"$TMP/t1"
printf '13812345678\n' >"$TMP/one"
run_pii "$TMP/one" "$TMP/t2" "$TMP/e" -a all=token
expect_eq "a mobile alone, in a third process, gets the token it got in the sample" "$TMP/t1" "$TMP/t2"
run_pii /dev/null "$TMP/o" "$TMP/e" keygen -o "$TMP/key2"
PIISCRUB_KEY_FILE=$TMP/key2 run_pii "$SRC/examples/sample.txt" "$TMP/p3" "$TMP/e" -a all=token
if cmp -s "$TMP/p1" "$TMP/p3"; then
    fail "another key gives other tokens"
else
    pass "another key gives other tokens"
fi
# one piece of a split run with the other key: the comparison catches it
{
    PIISCRUB_KEY_FILE=$TMP/key2 "$BIN" -a all=token "$TMP/piece.aa"
    for p in "$TMP"/piece.a[b-z]; do "$BIN" -a all=token "$p"; done
} >"$TMP/mixed.out" 2>/dev/null
if cmp -s "$TMP/token.single" "$TMP/mixed.out"; then
    fail "a piece run with another key makes the concatenation differ"
else
    pass "a piece run with another key makes the concatenation differ"
fi

# ---- contrib/cluster/piiscrub-task: a key shipped with a loose mode ------------------------
# Hadoop -files, Spark addFile and ADD FILE localize files with the
# cluster's umask; piiscrub refuses a key that group or others can read.
TASK=$SRC/contrib/cluster/piiscrub-task
cp "$TMP/key" "$TMP/key644" && chmod 644 "$TMP/key644"
PIISCRUB_KEY_FILE=$TMP/key644 run_pii "$SRC/examples/sample.txt" "$TMP/o" "$TMP/e" -a all=token
expect_rc "a key file of mode 0644: piiscrub refuses it (exit 2)" 2 "$RC"
mkdir "$TMP/tt"
t0=$(now_ms)
TMPDIR=$TMP/tt PIISCRUB=$BIN timeout -k 5 "$PII_TIMEOUT" parallel --pipe --block 1M -k \
    sh "$TASK" "$TMP/key644" -a all=token <"$TMP/in" >"$TMP/task.par" 2>"$TMP/e"
expect_rc "parallel ... piiscrub-task KEY(0644) -a all=token: exit 0" 0 $? || head -3 "$TMP/e"
expect_eq "piiscrub-task under parallel = the single run" "$TMP/token.single" "$TMP/task.par"
echo "# piiscrub-task under parallel: $(secs "$t0") s"
expect_str "piiscrub-task removed its private key copies" "" "$(ls -A "$TMP/tt")"
# SIGTERM to piiscrub-task reaches piiscrub, which stops at a record end (exit 0)
mkfifo "$TMP/fifo"
(printf 'tel 13812345678\n' && exec sleep 60) >"$TMP/fifo" &
writer=$!
PIISCRUB=$BIN sh "$TASK" "$TMP/key" -a all=token <"$TMP/fifo" >"$TMP/sig.out" 2>"$TMP/sig.err" &
task=$!
k=0
while [ ! -s "$TMP/sig.out" ] && [ $k -lt $((PII_TIMEOUT * 10)) ]; do
    sleep 0.1
    k=$((k + 1))
done
stop_and_wait "$task" TERM
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
expect_rc "SIGTERM to piiscrub-task: piiscrub stops, exit 0" 0 "$RC" || head -3 "$TMP/sig.err"
grep -c '^tel tok_cn_mobile_' "$TMP/sig.out" >"$TMP/x"
expect_str "... after writing the complete line" 1 "$(cat "$TMP/x")"

# ---- JSON Lines: one value per line, split-safe -------------------------------------------
grep -a '^{' "$TMP/in" | head -n 20000 >"$TMP/j.in" || true
expect_le "JSON Lines corpus: 1000 or more lines" 1000 "$(wc -l <"$TMP/j.in")"
run_pii "$TMP/j.in" "$TMP/j.single" "$TMP/j.err" --format jsonl -a all=token
expect_rc "jsonl: single run exit 0" 0 "$RC"
timeout -k 5 "$PII_TIMEOUT" parallel --pipe --block 256k -k "$BIN" --format jsonl -a all=token \
    <"$TMP/j.in" >"$TMP/j.par" 2>"$TMP/j.perr"
expect_rc "jsonl: parallel --block 256k: exit 0" 0 $?
expect_eq "jsonl: parallel split = the single run" "$TMP/j.single" "$TMP/j.par"

# ---- CSV with a header ------------------------------------------------------------------------
# 12,000 rows of about 95 bytes: three 512 KiB blocks (GNU parallel costs a
# good part of a second per block on a busy machine)
perl -e 'binmode STDOUT; print "order_id,phone,id_card,remark\n";
    for my $i (1 .. 12000) {
        printf "R%06d,13812345678,11010519491231002X,\"call 139 1234 %04d, mail zhang.san\@example.com\"\n",
            $i, $i % 10000 }' >"$TMP/t.csv"
printf 'version: 1\nfields:\n  phone: {action: token, type: cn_mobile}\n  remark: drop\n' >"$TMP/p.yaml"
run_pii "$TMP/t.csv" "$TMP/csv.single" "$TMP/e" --format csv --policy "$TMP/p.yaml"
expect_rc "csv: single run exit 0" 0 "$RC"
expect_no_grep "csv: single run: the dropped column is empty" "$TMP/csv.single" "call 139"
# naive: pieces 2..N take their first row for the header
timeout -k 5 "$PII_TIMEOUT" parallel --pipe --block 512k -k "$BIN" --format csv --policy "$TMP/p.yaml" \
    <"$TMP/t.csv" >"$TMP/csv.naive" 2>"$TMP/e"
expect_rc "csv, naive split: exit 0 (nothing warns)" 0 $?
if cmp -s "$TMP/csv.single" "$TMP/csv.naive"; then
    fail "csv, naive split: differs from the single run"
else
    pass "csv, naive split: differs from the single run"
fi
kept=$(grep -c 'call 139' "$TMP/csv.naive")
if [ "$kept" -gt 0 ]; then
    pass "csv, naive split: the 'drop' column survives in later pieces ($kept rows, scanned only)"
else
    fail "csv, naive split: the 'drop' column survives in later pieces" "0 rows"
fi
expect_no_grep "csv, naive split: still no phone number in clear" "$TMP/csv.naive" "13812345678"
# the recipe: the header goes to every piece, and out of every output but the first
timeout -k 5 "$PII_TIMEOUT" parallel --pipe --block 512k --header '.*\n' -k \
    "$BIN --format csv --policy $TMP/p.yaml | if [ {#} -gt 1 ]; then tail -n +2; else cat; fi" \
    <"$TMP/t.csv" >"$TMP/csv.hdr" 2>"$TMP/e"
expect_rc "csv, parallel --header recipe: exit 0" 0 $?
expect_eq "csv, parallel --header recipe = the single run" "$TMP/csv.single" "$TMP/csv.hdr"
# a record cut inside a quoted newline: scanned as text and reported, or stop
perl -e 'binmode STDOUT; print "id,note\n";
    for my $i (1 .. 9) { print "$i,\"line one\nline two\"\n" }' >"$TMP/q.csv"
head -n 4 "$TMP/q.csv" >"$TMP/q.piece" # header, one record, half of the next
run_pii "$TMP/q.piece" "$TMP/o" "$TMP/e" --format csv
expect_rc "csv cut inside a quoted newline: exit 0" 0 "$RC"
expect_grep "... and stderr counts the record that could not be parsed" "$TMP/e" \
    "could not be parsed as CSV"
run_pii "$TMP/q.piece" "$TMP/o" "$TMP/e" --format csv --on-error=stop
expect_rc "csv cut inside a quoted newline, --on-error=stop: exit 5" 5 "$RC"

finish
