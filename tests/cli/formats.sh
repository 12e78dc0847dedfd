#!/usr/bin/env bash
# formats.sh - CSV, TSV and JSON Lines with per-field policies.
. "$(dirname "$0")/lib.sh"

bytes 'name,phone,remark,amount\r\n张三,13812345678,"寄到 北京市朝阳区建国路88号, 谢谢",100.00\r\n李四,"139 1234 5678","多行\n备注 卡号 6222021234567894",5\r\nplain,no pii,"quoted, kept",1\r\n' >"$TMP/a.csv"
bytes 'name,phone,remark,amount\r\n张三,138****5678,"寄到 北京市朝阳区******, 谢谢",100.00\r\n李四,"139 **** 5678","多行\n备注 卡号 622202******7894",5\r\nplain,no pii,"quoted, kept",1\r\n' >"$TMP/a.exp"
run_pii "$TMP/a.csv" "$TMP/a.out" "$TMP/e" --format csv
expect_rc "csv: exit 0" 0 "$RC"
expect_eq "csv: fields scanned, quoting and CRLF kept, newline inside quotes" "$TMP/a.exp" "$TMP/a.out"
run_pii "$TMP/a.csv" "$TMP/a.auto" "$TMP/e" --format auto
expect_eq "--format auto sniffs a CSV header (file)" "$TMP/a.exp" "$TMP/a.auto"
timeout 20 "$BIN" --format auto <"$TMP/a.csv" >"$TMP/a.auto2" 2>"$TMP/e"
expect_eq "--format auto sniffs a CSV header (stdin)" "$TMP/a.exp" "$TMP/a.auto2"

cat >"$TMP/p.yaml" <<'YAML'
version: 1
fields:
  name: redact
  phone: keep
  amount: drop
YAML
bytes 'name,phone,remark,amount\r\n[REDACTED],13812345678,"寄到 北京市朝阳区******, 谢谢",\r\n[REDACTED],"139 1234 5678","多行\n备注 卡号 622202******7894",\r\n[REDACTED],no pii,"quoted, kept",\r\n' >"$TMP/p.exp"
run_pii "$TMP/a.csv" "$TMP/p.out" "$TMP/e" --format csv --policy "$TMP/p.yaml"
expect_eq "csv: per-column policy (redact, keep, drop, scan by default)" "$TMP/p.exp" "$TMP/p.out"

bytes 'a\tb\n13812345678\tx 13912345678\n' >"$TMP/t.tsv"
bytes 'a\tb\n138****5678\tx 139****5678\n' >"$TMP/t.exp"
run_pii "$TMP/t.tsv" "$TMP/t.out" "$TMP/e" --format tsv
expect_eq "tsv" "$TMP/t.exp" "$TMP/t.out"

bytes '{"user":{"phone":"+86 138-1234-5678","email":"zhang.san@example.com"},"note":"\\u0031\\u0033\\u0038\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036\\u0037\\u0038","n":13812345678, "tags":["x 13912345678"]}\n' >"$TMP/a.jsonl"
bytes '{"user":{"phone":"+86 138-****-5678","email":"z********@example.com"},"note":"138****5678","n":13812345678, "tags":["x 139****5678"]}\n' >"$TMP/a.jexp"
run_pii "$TMP/a.jsonl" "$TMP/a.jout" "$TMP/e" --format jsonl
expect_eq "jsonl: strings unescaped, scanned, re-escaped; numbers and spacing kept" "$TMP/a.jexp" "$TMP/a.jout"

cat >"$TMP/j.yaml" <<'YAML'
version: 1
fields:
  user.phone: redact
  n: {action: redact, type: cn_mobile}
  tags[]: keep
YAML
bytes '{"user":{"phone":"[REDACTED]","email":"z********@example.com"},"note":"138****5678","n":"[CN_MOBILE]", "tags":["x 13912345678"]}\n' >"$TMP/j.exp"
run_pii "$TMP/a.jsonl" "$TMP/j.out" "$TMP/e" --format jsonl --policy "$TMP/j.yaml"
expect_eq "jsonl: per-path policy" "$TMP/j.exp" "$TMP/j.out"

# fail closed: a broken record is scanned as text and counted, or stops
bytes '{"ok":"13812345678"}\n{broken 13912345678\n' >"$TMP/bad.jsonl"
bytes '{"ok":"138****5678"}\n{broken 139****5678\n' >"$TMP/bad.exp"
run_pii "$TMP/bad.jsonl" "$TMP/bad.out" "$TMP/bad.err" --format jsonl
expect_eq "bad JSON record: scanned as text" "$TMP/bad.exp" "$TMP/bad.out"
expect_grep "bad JSON record: counted on stderr" "$TMP/bad.err" "1 of 2 records"
run_pii "$TMP/bad.jsonl" "$TMP/stop.out" "$TMP/stop.err" --format jsonl --on-error=stop
expect_rc "--on-error=stop: exit non-zero" 5 "$RC"
expect_grep "--on-error=stop: names the record" "$TMP/stop.err" "record 2"
expect_no_grep "--on-error=stop: nothing of the bad record written" "$TMP/stop.out" "broken"
# the value may also be the next argument, as for every long option
run_pii "$TMP/bad.jsonl" "$TMP/stop2.out" "$TMP/stop2.err" --format jsonl --on-error stop
expect_rc "--on-error stop (two arguments): exit 5" 5 "$RC"
expect_eq "--on-error stop (two arguments): the same output" "$TMP/stop.out" "$TMP/stop2.out"
run_pii "$TMP/bad.jsonl" "$TMP/o" "$TMP/e" --format jsonl --on-error scan
expect_eq "--on-error scan (two arguments): scanned as text" "$TMP/bad.exp" "$TMP/o"
run_pii "$TMP/bad.jsonl" "$TMP/o" "$TMP/e" --format jsonl --on-error skip
expect_rc "--on-error skip: usage error" 2 "$RC"

# policies are checked without data
printf 'version: 1\nfields:\n  x: {action: shred}\n' >"$TMP/bad.yaml"
run_pii /dev/null "$TMP/o" "$TMP/e" check-policy "$TMP/bad.yaml"
expect_rc "check-policy on a bad policy: exit 2" 2 "$RC"
expect_grep "check-policy names file:line:column" "$TMP/e" "bad.yaml:3:"
run_pii /dev/null "$TMP/o" "$TMP/e" check-policy "$TMP/p.yaml"
expect_rc "check-policy on a good policy: exit 0" 0 "$RC"

run_pii /dev/null "$TMP/o" "$TMP/e" check-policy "$(dirname "$0")/../../examples/policy.yaml"
expect_rc "the shipped example policy is valid" 0 "$RC"

# regress (fuzz_records): an empty column name in the header row (nothing
# decoded yet) was copied from a NULL buffer
check_filter "csv: empty column names in the header" ',b,\n1,13812345678,\n' ',b,\n1,138****5678,\n' --format csv

# a record whose only field is dropped stays a record ("" rather than
# nothing, which at the end of input would remove the record: fuzz_records)
cat >"$TMP/drop1.yaml" <<'YAML'
version: 1
fields:
  secret: drop
YAML
bytes 'secret\nabc\nxyz' >"$TMP/drop1.csv"
bytes 'secret\n""\n""' >"$TMP/drop1.exp"
run_pii "$TMP/drop1.csv" "$TMP/drop1.out" "$TMP/e" --format csv --policy "$TMP/drop1.yaml"
expect_eq "csv: a dropped only field leaves an empty quoted field" "$TMP/drop1.exp" "$TMP/drop1.out"

# the header record is scanned too: a file without a header, read with one,
# must not pass its first data row through raw
bytes '张三,13812345678\n李四,13912345678\n' >"$TMP/nh.csv"
bytes '张三,138****5678\n李四,139****5678\n' >"$TMP/nh.exp"
run_pii "$TMP/nh.csv" "$TMP/nh.out" "$TMP/e" --format csv
expect_eq "csv: a data row read as the header is redacted all the same" "$TMP/nh.exp" "$TMP/nh.out"

# a header that does not parse: every later record is data (was: the next
# record became the header and passed through raw), the same with -j
{ printf '"na"me,phone\n'; for i in $(seq 3000); do printf 'zhang,13812345678\n'; done; } >"$TMP/bh.csv"
{ printf '"na"me,phone\n'; for i in $(seq 3000); do printf 'zhang,138****5678\n'; done; } >"$TMP/bh.exp"
for j in 1 4; do
    run_pii "$TMP/bh.csv" "$TMP/bh.$j" "$TMP/e.$j" --format csv -j "$j"
    expect_rc "csv, unparsable header, -j $j: exit 0" 0 "$RC"
    expect_eq "csv, unparsable header, -j $j: no record after it passes raw" "$TMP/bh.exp" "$TMP/bh.$j"
    expect_grep "csv, unparsable header, -j $j: one parse error counted" "$TMP/e.$j" \
        "1 of 3001 records could not be parsed"
done
# ... and with column rules, which then cannot apply: stop before writing
cat >"$TMP/bh.yaml" <<'YAML'
version: 1
fields:
  name: redact
YAML
run_pii "$TMP/bh.csv" "$TMP/bh.p" "$TMP/e" --format csv --policy "$TMP/bh.yaml"
expect_rc "csv, unparsable header with column rules: exit 5" 5 "$RC"
expect_empty "csv, unparsable header with column rules: nothing written" "$TMP/bh.p"
expect_grep "csv, unparsable header with column rules: says why" "$TMP/e" \
    "the CSV header does not parse"

finish
