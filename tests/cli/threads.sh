#!/usr/bin/env bash
# threads.sh - -j N gives exactly the bytes of -j 1 (issue 7): batches are
# cut at record ends, transformed in parallel and written in input order.
. "$(dirname "$0")/lib.sh"

# ~6 MiB of mixed lines (several 1 MiB batches), with PII, CRLF lines and
# no final newline
awk 'BEGIN { for (i = 0; i < 120000; i++) {
    if (i % 7 == 0) printf "2026-03-28T23:53:%02d INFO order %d tel 138%08d mail u%d@example.com\n", i % 60, i, i, i;
    else if (i % 11 == 0) printf "客服：您好，地址 北京市朝阳区建国路%d号，卡号 6222021234567894\r\n", i % 500;
    else printf "%d.%d.%d.%d - - GET /api/v1/items/%d HTTP/1.1 200 %d\n", i % 256, (i / 7) % 256, 10, 20, i, i * 3;
  } printf "tail without newline 13912345678" }' >"$TMP/mix.txt"
run_pii "$TMP/mix.txt" "$TMP/j1" "$TMP/e1" -j 1
expect_rc "-j 1: exit 0" 0 "$RC"
for j in 2 3 8; do
    run_pii "$TMP/mix.txt" "$TMP/j$j" "$TMP/e$j" -j "$j"
    expect_eq "text: -j $j output is byte-identical to -j 1" "$TMP/j1" "$TMP/j$j"
done
timeout 60 "$BIN" -j 2 "$TMP/mix.txt" >"$TMP/jf" 2>"$TMP/e"
expect_eq "text: -j 2 on a file argument" "$TMP/j1" "$TMP/jf"

# a 5 MiB line in the middle: one stream takes over from there
{ head -c 3000000 "$TMP/mix.txt"; printf '\n'; awk 'BEGIN { for (i = 0; i < 400000; i++) printf "x 1381234%04d ", i % 10000; printf "\n" }';
  head -c 2000000 "$TMP/mix.txt"; } >"$TMP/long.txt"
run_pii "$TMP/long.txt" "$TMP/l1" "$TMP/e" -j 1
run_pii "$TMP/long.txt" "$TMP/l2" "$TMP/e" -j 2
expect_eq "a record longer than a batch: -j 2 equals -j 1" "$TMP/l1" "$TMP/l2"

# records of about one window (1 MiB) right after a short line: the partial
# record carried to the next batch fills its window
for n in 1048276 1048556 1048676; do
    { printf 'a 13812345678\n'; awk -v n="$n" 'BEGIN { s = "x 13912345678 "; while (length(s) < n) s = s s; printf "%s\n", substr(s, 1, n) }';
      printf 'b 13712345678\n'; } >"$TMP/w.txt"
    run_pii "$TMP/w.txt" "$TMP/w1" "$TMP/e" -j 1
    run_pii "$TMP/w.txt" "$TMP/w2" "$TMP/e" -j 2
    expect_eq "a $n-byte record after a short line: -j 2 equals -j 1" "$TMP/w1" "$TMP/w2"
done

# CSV: header, quoted fields with newlines and commas across batch edges
awk 'BEGIN { print "id,phone,remark"; for (i = 0; i < 60000; i++)
    printf "%d,138%08d,\"line one, %d\nline two 6222021234567894 \"\"q\"\"\"\r\n", i, i, i }' >"$TMP/a.csv"
run_pii "$TMP/a.csv" "$TMP/c1" "$TMP/e" --format csv -j 1
run_pii "$TMP/a.csv" "$TMP/c2" "$TMP/e" --format csv -j 2
expect_eq "csv with a header and quoted newlines: -j 2 equals -j 1" "$TMP/c1" "$TMP/c2"
cat >"$TMP/p.yaml" <<'YAML'
version: 1
fields:
  phone: {action: redact, type: cn_mobile}
  id: keep
YAML
run_pii "$TMP/a.csv" "$TMP/p1" "$TMP/e" --format csv --policy "$TMP/p.yaml" -j 1
run_pii "$TMP/a.csv" "$TMP/p2" "$TMP/e" --format csv --policy "$TMP/p.yaml" -j 2
expect_eq "csv with a policy naming header columns: -j 2 equals -j 1" "$TMP/p1" "$TMP/p2"
expect_grep "csv policy applied in every batch" "$TMP/p2" "59999,[CN_MOBILE],"

# JSON Lines, including a broken record (scanned as text and counted)
awk 'BEGIN { for (i = 0; i < 80000; i++) {
    if (i == 50000) print "{broken 13812345678";
    else printf "{\"id\":%d,\"user\":{\"phone\":\"138%08d\"},\"note\":\"x\"}\n", i, i } }' >"$TMP/a.jsonl"
run_pii "$TMP/a.jsonl" "$TMP/s1" "$TMP/es1" --format jsonl -j 1
run_pii "$TMP/a.jsonl" "$TMP/s2" "$TMP/es2" --format jsonl -j 2
expect_eq "jsonl: -j 2 equals -j 1" "$TMP/s1" "$TMP/s2"
expect_eq "jsonl: the same stderr summary (records counted across batches)" "$TMP/es1" "$TMP/es2"

run_pii /dev/null "$TMP/o" "$TMP/e" -j 0
expect_rc "-j 0 is a usage error" 2 "$RC"

finish
