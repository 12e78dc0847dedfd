#!/usr/bin/env bash
# report.sh - --report FILE and --stats (issue 9, point 2): the report is
# JSON, its counts equal the scan's counts on the same input (text, CSV
# columns, JSON fields), -j1 and -j2 give the same report, unparsed records
# are listed (bounded), epsilon is reported, the file is replaced
# atomically, also when a run is stopped or fails; no value anywhere.
. "$(dirname "$0")/lib.sh"
need_cmd python3
CHECK="python3 $(dirname "$0")/scan_check.py"
SAMPLE=$(cd "$(dirname "$0")/../../examples" && pwd)/sample.txt

# same_report DESC A B: equal but for the duration
same_report() {
    grep -v '"duration_seconds"' "$2" >"$2.cmp"
    grep -v '"duration_seconds"' "$3" >"$3.cmp"
    expect_eq "$1" "$2.cmp" "$3.cmp"
}

# ---- text: the bundled sample --------------------------------------------------
run_pii /dev/null "$TMP/scan" "$TMP/e" scan --report "$TMP/r.json" "$SAMPLE"
expect_rc "scan --report: exit 1 (found)" 1 "$RC"
expect_str "scan --report: counts equal the scan's" equal "$($CHECK counts "$TMP/scan" "$TMP/r.json")"
run_pii /dev/null "$TMP/out" "$TMP/e" --report "$TMP/f.json" "$SAMPLE"
expect_rc "filter --report: exit 0" 0 "$RC"
expect_str "filter --report: counts equal the scan's" equal "$($CHECK counts "$TMP/scan" "$TMP/f.json")"
$CHECK get "$TMP/f.json" bytes_in bytes_out records status mode >"$TMP/v"
printf '%s\n' "$(wc -c <"$SAMPLE")" "$(wc -c <"$TMP/out")" 9 complete filter >"$TMP/v.exp"
expect_eq "filter --report: bytes_in, bytes_out, records (lines of text), status, mode" "$TMP/v.exp" "$TMP/v"
expect_str "scan --report: bytes_out 0 (nothing written)" 0 "$($CHECK get "$TMP/r.json" bytes_out)"
expect_str "report: by_type" '{"bank_card": 1, "cn_address": 1, "cn_id": 1, "cn_landline": 1, "cn_mobile": 3, "cn_name": 1, "email": 1, "iban": 1, "intl_phone": 1, "ipv4": 1, "us_ssn": 1}' \
    "$($CHECK get "$TMP/f.json" by_type)"
for v in 13812345678 11010519491231002X '6222 0212 3456 7894' zhang.san@example.com \
    121.249.194.98 '张伟' '221-60-2382'; do
    expect_no_grep "report: no '$v'" "$TMP/f.json" "$v"
done
ls "$TMP" | grep -F '.tmp.' >"$TMP/left" || true
expect_empty "report: no temporary file left" "$TMP/left"

# ---- actions per type and --stats ----------------------------------------------
run_pii /dev/null "$TMP/out" "$TMP/e" --stats -a cn_mobile=redact -a email=keep --report "$TMP/f.json" "$SAMPLE"
expect_grep_re "--stats: type x action rows" "$TMP/e" '^  cn_mobile +redact +- +3$'
expect_grep_re "--stats: keep is counted" "$TMP/e" '^  email +keep +- +1$'
expect_grep_re "--stats: total" "$TMP/e" '^  total +13$'
expect_grep_re "--stats: records and bytes" "$TMP/e" "^  9 records, $(wc -c <"$SAMPLE") bytes in"
expect_no_grep "--stats: no value" "$TMP/e" 13812345678
expect_str "report: the redact action counted" 3 "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(sum(c["count"] for c in r["counts"] if c["type"] == "cn_mobile" and c["action"] == "redact"))' "$TMP/f.json")"
run_pii /dev/null "$TMP/out" "$TMP/e" "$SAMPLE"
expect_empty "without --stats: nothing on stderr" "$TMP/e"

# ---- CSV with columns, JSON Lines with fields: report == scan -----------------------
python3 - "$TMP" <<'X'
import sys
d = sys.argv[1]
with open(d + "/big.csv", "w", newline="") as f:
    f.write("id,phone,note,mail\r\n")
    for i in range(6000):
        f.write(f'{i},138{i % 5000:04d}5678,"says ""hi"" 139-1234-{i % 5000:04d}",u{i}@example.com\r\n')
with open(d + "/big.jsonl", "w") as f:
    for i in range(6000):
        if i % 997 == 5:
            f.write('{"broken": 13812345678\n')
        f.write('{"user":{"tel":"138%04d5678","mail":"u%d@example.com"},"items":[{"t":"\\u0031\\u0033912345678"}]}\n' % (i % 5000, i))
with open(d + "/big.txt", "w") as f:
    for i in range(12000):
        f.write(f"{i} tel 138{i % 5000:04d}5678 ip 10.0.{i % 256}.1 中文\n")
X
# under valgrind (PII_WRAP) one format is enough: the others run in the
# Release and ASan builds, and CI's time is short
fmts="csv jsonl txt"
[ "$WRAPPED" = 1 ] && fmts=csv
for fmt in $fmts; do
    f=$TMP/big.$fmt
    args=()
    [ $fmt != txt ] && args=(-f $fmt)
    run_pii /dev/null "$TMP/scan" "$TMP/e" scan "${args[@]}" --report "$TMP/s1.json" -j1 "$f"
    expect_str "$fmt: scan counts == report counts" equal "$($CHECK counts "$TMP/scan" "$TMP/s1.json")"
    run_pii /dev/null "$TMP/scan2" "$TMP/e" scan "${args[@]}" --report "$TMP/s2.json" -j2 "$f"
    expect_eq "$fmt: scan -j2 lists the same findings as -j1" "$TMP/scan" "$TMP/scan2"
    same_report "$fmt: scan report -j2 == -j1" "$TMP/s1.json" "$TMP/s2.json"
    run_pii /dev/null /dev/null "$TMP/e" "${args[@]}" --report "$TMP/f1.json" -j1 "$f"
    expect_str "$fmt: filter report counts == scan counts" equal "$($CHECK counts "$TMP/scan" "$TMP/f1.json")"
    run_pii /dev/null /dev/null "$TMP/e" "${args[@]}" --report "$TMP/f2.json" -j2 "$f"
    same_report "$fmt: filter report -j2 == -j1" "$TMP/f1.json" "$TMP/f2.json"
    run_pii "$f" /dev/null "$TMP/e" "${args[@]}" --report "$TMP/f3.json" -j2
    expect_str "$fmt: from a pipe too" equal "$($CHECK counts "$TMP/scan" "$TMP/f3.json")"
done
run_pii /dev/null /dev/null "$TMP/e" -f csv --report "$TMP/c.json" "$TMP/big.csv"
expect_str "csv: counts per column" '[["cn_mobile", "note", 6000], ["cn_mobile", "phone", 6000], ["email", "mail", 6000]]' \
    "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps(sorted([c["type"], c["field"], c["count"]] for c in r["counts"])))' "$TMP/c.json")"
expect_str "csv: records (header included)" 6001 "$($CHECK get "$TMP/c.json" records)"
run_pii /dev/null /dev/null "$TMP/e" -f jsonl --report "$TMP/j.json" -j2 "$TMP/big.jsonl"
expect_str "jsonl: counts per path (the unparsed records as text: null)" \
    '[["cn_mobile", "items[].t", 6000], ["cn_mobile", "user.tel", 6000], ["cn_mobile", null, 7], ["email", "user.mail", 6000]]' \
    "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps(sorted(([c["type"], c["field"], c["count"]] for c in r["counts"]), key=str)))' "$TMP/j.json")"
expect_str "jsonl: unparsed records with their lines" \
    '{"count": 7, "not_listed": 0, "records": [6, 1004, 2002, 3000, 3998, 4996, 5994]}' \
    "$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["parse_errors"]
p["records"] = [x["line"] for x in p["records"]]
print(json.dumps(p, sort_keys=True))' "$TMP/j.json")"
awk 'NR == 6 || NR == 1004 || NR == 5994' "$TMP/big.jsonl" | grep -c broken >"$TMP/v"
expect_str "jsonl: those lines are the broken records" 3 "$(cat "$TMP/v")"

# the list of unparsed records is bounded: the first 1000, then a count
python3 -c '
import sys
sys.stdout.write("{\"ok\": 1}\n" + "{bad\n" * 1005)' >"$TMP/bad.jsonl"
run_pii /dev/null /dev/null "$TMP/e" -f jsonl --report "$TMP/b.json" "$TMP/bad.jsonl"
expect_str "1005 unparsed: 1000 listed, 5 counted" "1005 1000 5 2 1001" "$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["parse_errors"]
print(p["count"], len(p["records"]), p["not_listed"], p["records"][0]["line"], p["records"][-1]["line"])' "$TMP/b.json")"

# ---- epsilon ---------------------------------------------------------------------------
cat >"$TMP/dp.yaml" <<'X'
version: 1
fields:
  amount: {action: noise, mechanism: laplace, epsilon: 0.5, clamp: [0, 1000]}
  qty: {action: noise, mechanism: laplace, epsilon: 0.25, clamp: [0, 10]}
X
printf 'amount,qty,phone\n10,1,13812345678\n20,2,x\nabc,3,y\n' >"$TMP/dp.csv"
run_pii /dev/null "$TMP/out" "$TMP/e" -f csv --policy "$TMP/dp.yaml" --seed 1 --report "$TMP/d.json" "$TMP/dp.csv"
$CHECK get "$TMP/d.json" privacy.max_record_epsilon privacy.noised privacy.not_understood >"$TMP/v"
printf '0.75\n5\n1\n' >"$TMP/v.exp"
expect_eq "noise: epsilon spent per record (0.5 + 0.25), values noised, not understood" "$TMP/v.exp" "$TMP/v"
expect_str "noise: counted per action and field" \
    '[["field", "noise", "amount", 2], ["field", "noise", "qty", 3], ["field", "redact", "amount", 1], ["cn_mobile", "mask", "phone", 1]]' \
    "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps(sorted(([c["type"], c["action"], c["field"], c["count"]] for c in r["counts"]), key=lambda x: (x[0] != "field", x))))' "$TMP/d.json")"

# ---- written at the end: errors, stops, unwritable reports --------------------------
printf 'tel 13812345678\n' >"$TMP/one"
run_pii /dev/null "$TMP/out" "$TMP/e" --report "$TMP/x.json" "$TMP/one" "$TMP/missing"
expect_rc "a missing input: exit 3" 3 "$RC"
expect_str "a missing input: the report says error" "error 3 1" \
    "$($CHECK get "$TMP/x.json" status exit_status findings | tr '\n' ' ' | sed 's/ $//')"
run_pii /dev/null "$TMP/out" "$TMP/e" --report "$TMP/nodir/x.json" "$TMP/one"
expect_rc "report in a missing directory: exit 4" 4 "$RC"
expect_grep "report in a missing directory: named" "$TMP/e" "$TMP/nodir/x.json"
echo old >"$TMP/keep.json"
run_pii /dev/null "$TMP/out" "$TMP/e" --report "$TMP/keep.json" --bogus "$TMP/one"
expect_rc "usage error: exit 2" 2 "$RC"
expect_str "usage error: an existing report is left alone" old "$(cat "$TMP/keep.json")"
if [ "$WRAPPED" = 0 ]; then
    mkfifo "$TMP/fifo"
    "$BIN" --report "$TMP/stop.json" <"$TMP/fifo" >"$TMP/out" 2>"$TMP/e" &
    pid=$!
    exec 7>"$TMP/fifo"
    printf 'tel 13812345678\nmail zhang.san@example.com\n' >&7
    for _ in $(seq 1 100); do [ -s "$TMP/out" ] && break; sleep 0.1; done
    stop_and_wait "$pid" TERM
    exec 7>&-
    expect_rc "SIGTERM: exit 0" 0 "$RC"
    expect_str "SIGTERM: the report is written, status stopped" "stopped 2" \
        "$($CHECK get "$TMP/stop.json" status findings | tr '\n' ' ' | sed 's/ $//')"
else
    echo "# SIGTERM report check skipped under a wrapper (the signal would reach the wrapper)"
fi

finish
