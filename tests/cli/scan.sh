#!/usr/bin/env bash
# scan.sh - `piiscrub scan` (issue 9, point 1): findings as JSON Lines
# without values, positions in the original input, keyed fingerprints,
# the summary on stderr and the exit statuses 0 / 1 / 2 / 3, --fail-on.
. "$(dirname "$0")/lib.sh"
need_cmd python3 perl
CHECK="python3 $(dirname "$0")/scan_check.py"
SAMPLE=$(cd "$(dirname "$0")/../../examples" && pwd)/sample.txt

# jf FILE KEY: the value of KEY in each line of scan output (a number, null,
# or a string without escapes), one a line; nothing for a line without KEY.
# (python3 starts slowly on a loaded machine: it checks validity and spans,
# sed reads the simple fields.)
jf() {
    sed -n "s/.*\"$2\":\(\"[^\"\\]*\"\|[0-9]*\|null\)[,}].*/\1/p" "$1" | sed 's/^"\(.*\)"$/\1/'
}

# ---- the bundled sample: valid JSON Lines, no value, exit 1 ------------------
run_pii /dev/null "$TMP/o" "$TMP/e" scan "$SAMPLE"
expect_rc "sample: exit 1 (found)" 1 "$RC"
n=$($CHECK valid "$TMP/o") || n=invalid
expect_str "sample: 13 findings, each a valid JSON line" 13 "$n"
for v in 13812345678 '139-1234-5678' 11010519491231002X '6222 0212 3456 7894' \
    zhang.san@example.com 121.249.194.98 '１３８１２３４５６７８' '张伟' '科技园路1号' \
    '0755-88886666' '221-60-2382' 'GB82 WEST' '7946 0958'; do
    expect_no_grep "sample: '$v' not in the findings" "$TMP/o" "$v"
    expect_no_grep "sample: '$v' not in the summary" "$TMP/e" "$v"
done
# each span [offset, offset + length) of the sample is one planted value
$CHECK spans "$TMP/o" "$SAMPLE" >"$TMP/spans" 2>"$TMP/spans.err"
expect_rc "sample: every finding's line is the line of its offset" 0 $?
cat >"$TMP/spans.exp" <<'X'
13812345678
+86 139-1234-5678
11010519491231002X
6222 0212 3456 7894
zhang.san@example.com
121.249.194.98
１３８１２３４５６７８
张伟
广东省深圳市南山区科技园路1号3栋2单元501室
0755-88886666
221-60-2382
GB82 WEST 1234 5698 7654 32
+44 20 7946 0958
X
expect_eq "sample: the spans are exactly the planted values, in order" "$TMP/spans.exp" "$TMP/spans"
expect_grep_re "sample: summary has the total" "$TMP/e" '^  total +13$'
expect_grep_re "sample: summary counts per type" "$TMP/e" '^  cn_mobile +3$'
expect_no_grep "no key: no fingerprint field at all" "$TMP/o" fingerprint
expect_str "text: field is null" "null" "$(jf "$TMP/o" field | sort -u)"
expect_str "file field is the name as given" "$SAMPLE" "$(jf "$TMP/o" file | sort -u)"

# ---- clean input: exit 0, nothing on stdout -----------------------------------
bytes "no personal data here\norder 12345\n" >"$TMP/clean"
run_pii /dev/null "$TMP/o" "$TMP/e" scan "$TMP/clean"
expect_rc "clean file: exit 0" 0 "$RC"
expect_empty "clean file: no findings" "$TMP/o"
expect_grep_re "clean file: summary total 0" "$TMP/e" '^  total +0$'
run_pii /dev/null "$TMP/o" "$TMP/e" scan
expect_rc "empty stdin: exit 0" 0 "$RC"

# ---- stdin, '-', several files; positions per file ----------------------------
# CRLF, multi-byte text and invalid UTF-8 before the values
bytes "a\xff\xfe 中文\r\ntel 13812345678\r\n\xe4\xb8 mail zhang.san@example.com" >"$TMP/f1"
bytes "first\n\nid 11010519491231002X\n" >"$TMP/f2"
run_pii "$TMP/f2" "$TMP/o" "$TMP/e" scan "$TMP/f1" - "$TMP/f1"
expect_rc "FILE - FILE: exit 1" 1 "$RC"
jf "$TMP/o" file >"$TMP/names"
printf '%s\n' "$TMP/f1" "$TMP/f1" - "$TMP/f1" "$TMP/f1" >"$TMP/names.exp"
expect_eq "FILE - FILE: the file of each finding, '-' for stdin" "$TMP/names.exp" "$TMP/names"
jf "$TMP/o" offset | tr '\n' ' ' >"$TMP/offs"
# f1: "a\xff\xfe 中文\r\n" is 12 bytes, "tel " 4; line 3 starts at 29, "\xe4\xb8 mail " 8;
# f2: line 3 starts at 7, "id " 3
expect_str "FILE - FILE: offsets restart with each input" "16 37 10 16 37 " "$(cat "$TMP/offs")"
expect_str "FILE - FILE: lines" "2 3 3 2 3 " "$(jf "$TMP/o" line | tr '\n' ' ')"
grep -F '"file":"-"' "$TMP/o" >"$TMP/o.stdin"
$CHECK spans "$TMP/o.stdin" "$TMP/f2" >"$TMP/spans"
expect_str "stdin: span of the ID" 11010519491231002X "$(cat "$TMP/spans")"
grep -F "\"file\":\"$TMP/f1\"" "$TMP/o" | head -2 >"$TMP/o.f1"
$CHECK spans "$TMP/o.f1" "$TMP/f1" >"$TMP/spans"
printf '13812345678\nzhang.san@example.com\n' >"$TMP/spans.exp"
expect_eq "CRLF, invalid UTF-8, no final newline: spans" "$TMP/spans.exp" "$TMP/spans"

# ---- windows: a value after 1.5 MiB of a line without newline ----------------
# (not under valgrind, where window.sh's long records are left to ASan too)
if [ "$WRAPPED" = 0 ]; then
    perl -e 'print "x" x 1572860, " 13812345678 ", "y" x 100, "\n2nd 13912345678\n"' >"$TMP/long"
    run_pii /dev/null "$TMP/o" "$TMP/e" scan "$TMP/long"
    expect_str "long record: offsets past the window" "1572861 1572978 " \
        "$(jf "$TMP/o" offset | tr '\n' ' ')"
    expect_str "long record: lines" "1 2 " "$(jf "$TMP/o" line | tr '\n' ' ')"
fi

# ---- file names that JSON must escape -----------------------------------------
for name in 'q"uote\back' "$(printf 'ctl\001\t\nname')" "$(printf 'bad\377\300\200utf8')" \
    "$(printf 'ok\344\270\255')"; do
    cp "$TMP/f2" "$TMP/$name"
    (cd "$TMP" && timeout -k 5 "$PII_TIMEOUT" "$BIN" scan "$name" >"$TMP/o" 2>"$TMP/e")
    n=$($CHECK valid "$TMP/o") || n=invalid
    expect_str "file name $(printf '%q' "$name"): valid JSON" 1 "$n"
    python3 -c '
import json, os, sys
d = json.loads(open(sys.argv[1], "rb").read().decode())
b = os.fsencode(sys.argv[2])
# the documented mapping: well-formed UTF-8 as it is, any other byte as U+00XX
want, i = "", 0
while i < len(b):
    for n in (1, 2, 3, 4):
        try:
            c = b[i:i + n].decode("utf-8")
        except UnicodeDecodeError:
            continue
        want, i = want + c, i + n
        break
    else:
        want, i = want + chr(b[i]), i + 1
sys.exit(0 if d["file"] == want else 1)' "$TMP/o" "$name"
    expect_rc "file name $(printf '%q' "$name"): decodes to the name" 0 $?
done
(cd "$TMP" && "$BIN" scan "$(printf 'bad\377\300\200utf8')" >"$TMP/o" 2>/dev/null)
expect_grep "invalid UTF-8 (and the overlong C0 80) as \\u00XX" "$TMP/o" '"file":"bad\u00ff\u00c0\u0080utf8"'
(cd "$TMP" && "$BIN" scan "$(printf 'ctl\001\t\nname')" >"$TMP/o" 2>/dev/null)
expect_grep "control characters escaped" "$TMP/o" '"file":"ctl\u0001\t\nname"'

# ---- exit statuses and --fail-on -----------------------------------------------
run_pii /dev/null "$TMP/o" "$TMP/e" scan --fail-on email "$TMP/f2"
expect_rc "--fail-on email, only an ID found: exit 0" 0 "$RC"
expect_nonempty "--fail-on email: the ID is still listed" "$TMP/o"
run_pii /dev/null "$TMP/o" "$TMP/e" scan --fail-on email,cn_id "$TMP/f2"
expect_rc "--fail-on email,cn_id: exit 1" 1 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" scan --fail-on=cn_id "$TMP/f2"
expect_rc "--fail-on=cn_id: exit 1" 1 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" scan --fail-on nosuchtype "$TMP/f2"
expect_rc "--fail-on with an unknown type: exit 2" 2 "$RC"
expect_grep "--fail-on unknown type: named" "$TMP/e" "nosuchtype"
expect_empty "--fail-on unknown type: nothing on stdout" "$TMP/o"
run_pii /dev/null "$TMP/o" "$TMP/e" scan --fail-on
expect_rc "--fail-on without a value: exit 2" 2 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" --fail-on cn_id "$TMP/f2"
expect_rc "--fail-on outside scan: exit 2" 2 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" scan --bogus "$TMP/f2"
expect_rc "scan with an unknown option: exit 2" 2 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" scan "$TMP/nonexistent"
expect_rc "scan of a missing file: exit 3" 3 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" scan "$TMP/f2" "$TMP/nonexistent"
expect_rc "found, then a missing file: exit 3" 3 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" scan -o email "$TMP/f2"
expect_rc "-o email: the ID is not looked for: exit 0" 0 "$RC"
run_pii /dev/null "$TMP/o" "$TMP/e" scan --min-confidence 100 "$TMP/f1"
expect_grep "--min-confidence 100: the phone (100) is kept" "$TMP/o" '"cn_mobile"'
expect_no_grep "--min-confidence 100: no e-mail" "$TMP/o" '"email"'
if [ -w /dev/full ]; then
    run_pii /dev/null /dev/full "$TMP/e" scan "$TMP/f2"
    expect_rc "findings to /dev/full: exit 4" 4 "$RC"
fi

# ---- scan writes no data, and an action needing a key needs none ---------------
run_pii /dev/null "$TMP/o" "$TMP/e" scan -a all=token "$TMP/f2"
expect_rc "scan -a all=token without a key: exit 1, not a key error" 1 "$RC"
expect_str "scan -a all=token: the action it would take" token "$(jf "$TMP/o" action)"

# ---- formats: fields named, positions inside quotes and escapes ----------------
bytes 'name,phone,note\r\n"Zhang ""Z""",138-1234-5678,"tel 13812345678"\r\nli,x,\r\n' >"$TMP/c.csv"
run_pii /dev/null "$TMP/o" "$TMP/e" scan -f csv "$TMP/c.csv"
expect_str "CSV: fields are the column names" "phone note " \
    "$(jf "$TMP/o" field | tr '\n' ' ')"
$CHECK spans "$TMP/o" "$TMP/c.csv" >"$TMP/spans"
printf '138-1234-5678\n13812345678\n' >"$TMP/spans.exp"
expect_eq "CSV: spans (after doubled quotes)" "$TMP/spans.exp" "$TMP/spans"
expect_str "CSV: records" "2 2 " "$(jf "$TMP/o" record | tr '\n' ' ')"
run_pii /dev/null "$TMP/o" "$TMP/e" scan -f csv --no-header "$TMP/c.csv"
expect_str "CSV --no-header: fields are column numbers" "2 3 " \
    "$(jf "$TMP/o" field | tr '\n' ' ')"
bytes '{"user":{"tel":"\\u0031\\u00338\\u00312345678","mail":"a\\"b zhang.san@example.com"}}\n' >"$TMP/j.jsonl"
bytes '{"items":[{"x":"中 13812345678"}]}\n{"broken": 13812345678\n' >>"$TMP/j.jsonl"
run_pii /dev/null "$TMP/o" "$TMP/e" scan -f jsonl "$TMP/j.jsonl"
expect_str "JSONL: fields are the JSON paths (null: record scanned as text)" \
    "user.tel user.mail items[].x null " "$(jf "$TMP/o" field | tr '\n' ' ')"
$CHECK spans "$TMP/o" "$TMP/j.jsonl" >"$TMP/spans"
printf '%s\n' '\u0031\u00338\u00312345678' zhang.san@example.com 13812345678 13812345678 >"$TMP/spans.exp"
expect_eq "JSONL: spans are the raw bytes (escapes included)" "$TMP/spans.exp" "$TMP/spans"
expect_str "JSONL: lines" "1 1 2 3 " "$(jf "$TMP/o" line | tr '\n' ' ')"
expect_grep_re "JSONL: the unparsed record is counted in the summary" "$TMP/e" ' 1 not parsed'

# ---- fingerprints: keyed, equal across formats and files ---------------------
run_pii /dev/null "$TMP/key" "$TMP/e" keygen
chmod 600 "$TMP/key"
bytes "tel 138-1234-5678\n" >"$TMP/t1"
run_pii /dev/null "$TMP/o1" "$TMP/e" scan -k "$TMP/key" "$TMP/f1" "$TMP/t1"
run_pii /dev/null "$TMP/o2" "$TMP/e" scan -k "$TMP/key" -f csv "$TMP/c.csv"
run_pii /dev/null "$TMP/o3" "$TMP/e" scan -k "$TMP/key" -f jsonl "$TMP/j.jsonl"
PIISCRUB_KEY_FILE=$TMP/key run_pii /dev/null "$TMP/o4" "$TMP/e" scan "$TMP/t1"
fps=$(cat "$TMP/o1" "$TMP/o2" "$TMP/o3" "$TMP/o4" | grep -F '"cn_mobile"' >"$TMP/m"
    jf "$TMP/m" fingerprint | sort -u)
expect_str "one phone in text, CSV (two spellings), JSON (escaped), \$PIISCRUB_KEY_FILE: one fingerprint" 1 \
    "$(printf '%s\n' "$fps" | wc -l)"
expect_grep_re "fingerprint: 32 hex digits" "$TMP/o1" '"fingerprint":"[0-9a-f]{32}"'
mail_fp=$(grep -F '"email"' "$TMP/o1" | head -1 >"$TMP/m"; jf "$TMP/m" fingerprint)
[ "$mail_fp" != "$fps" ] && pass "a different value, a different fingerprint" ||
    fail "a different value, a different fingerprint" "$mail_fp"
run_pii /dev/null "$TMP/key2" "$TMP/e" keygen
chmod 600 "$TMP/key2"
run_pii /dev/null "$TMP/o5" "$TMP/e" scan -k "$TMP/key2" "$TMP/t1"
fp2=$(jf "$TMP/o5" fingerprint)
[ "$fp2" != "$fps" ] && pass "another key, another fingerprint" ||
    fail "another key, another fingerprint" "$fp2"
run_pii /dev/null "$TMP/o6" "$TMP/e" -k "$TMP/key" -a cn_mobile=token "$TMP/t1"
expect_no_grep "the fingerprint is not the token" "$TMP/o6" "$fps"
tok=$(sed 's/.*tok_cn_mobile_//' "$TMP/o6")
expect_no_grep "the token is not in the fingerprint" "$TMP/o1" "$tok"

finish
