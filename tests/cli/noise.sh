#!/usr/bin/env bash
# noise.sh - policy fields with differential-privacy noise and
# generalization, end to end (issue 6).
. "$(dirname "$0")/lib.sh"

# --- laplace on 100,000 amounts of 100.00 ------------------------------------
# epsilon 1, sensitivity 10: discrete Laplace with scale 10 on the 0.01 grid.
# Mean 100 (standard error sqrt(200/1e5) = 0.045, so +-0.3 is 6.7 sigma);
# variance 2*10^2 = 200 (its sd is sqrt(20/n)*b^2 = 1.4 = 0.7%, so 10% is
# 14 sigma). Fixed seeds keep the check deterministic.
awk 'BEGIN { print "id,amount"; for (i = 1; i <= 100000; i++) printf "%d,100.00\n", i }' \
    >"$TMP/amt.csv"
cat >"$TMP/lap.yaml" <<'YAML'
version: 1
fields:
  amount: {action: noise, mechanism: laplace, epsilon: 1, sensitivity: 10, clamp: [0, 1000]}
YAML
run_pii "$TMP/amt.csv" "$TMP/lap.out" "$TMP/lap.err" --format csv --policy "$TMP/lap.yaml" --seed 7
expect_rc "laplace: exit 0" 0 "$RC"
expect_grep "--seed warns that the output is not private" "$TMP/lap.err" "NOT private"
expect_grep "accounting: epsilon per field" "$TMP/lap.err" "field 'amount': laplace noise, epsilon 1,"
expect_grep "accounting: epsilon per record" "$TMP/lap.err" "per record (basic composition): epsilon 1;"
expect_grep "accounting: sensitivity below the clamp width is explained" "$TMP/lap.err" \
    "protects changes of up to 10"
# every amount: two decimals, in [0, 1000]; ids untouched; mean and variance
awk -F, 'NR == 1 { if ($0 != "id,amount") bad = "header changed"; next }
    { if ($1 != NR - 1) bad = "id " $1 " changed";
      if ($2 !~ /^[0-9]+\.[0-9][0-9]$/) bad = "form " $2;
      if ($2 + 0 < 0 || $2 + 0 > 1000) bad = "clamp " $2;
      n++; s += $2; q += ($2 - 100) * ($2 - 100) }
    END { m = s / n; v = q / n - (m - 100) * (m - 100);
          printf "n=%d mean=%.4f var=%.2f %s\n", n, m, v, bad;
          exit !(bad == "" && n == 100000 && m > 99.7 && m < 100.3 && v > 180 && v < 220) }' \
    "$TMP/lap.out" >"$TMP/lap.stat"
if [ $? = 0 ]; then pass "laplace: form kept, clamped, mean and variance ($(cat "$TMP/lap.stat"))"
else fail "laplace: form, clamp, mean 100+-0.3, variance 200+-10%" "$(cat "$TMP/lap.stat")\n"; fi

# --- geometric on 100,000 integers ------------------------------------------------
# alpha = exp(-1/10): variance 2a/(1-a)^2 = 199.67
sed 's/100\.00$/100/' "$TMP/amt.csv" >"$TMP/int.csv"
cat >"$TMP/geo.yaml" <<'YAML'
version: 1
fields:
  amount: {action: noise, mechanism: geometric, epsilon: 1, sensitivity: 10, clamp: [0, 1000]}
YAML
run_pii "$TMP/int.csv" "$TMP/geo.out" "$TMP/geo.err" --format csv --policy "$TMP/geo.yaml" --seed 11
expect_rc "geometric: exit 0" 0 "$RC"
awk -F, 'NR == 1 { next }
    { if ($2 !~ /^[0-9]+$/) bad = "form " $2;
      if ($2 + 0 < 0 || $2 + 0 > 1000) bad = "clamp " $2;
      n++; s += $2; q += ($2 - 100) * ($2 - 100) }
    END { m = s / n; v = q / n - (m - 100) * (m - 100); a = exp(-0.1); t = 2 * a / (1 - a) ^ 2;
          printf "n=%d mean=%.4f var=%.2f (discrete Laplace %.2f) %s\n", n, m, v, t, bad;
          exit !(bad == "" && n == 100000 && m > 99.7 && m < 100.3 && v > 0.9 * t && v < 1.1 * t) }' \
    "$TMP/geo.out" >"$TMP/geo.stat"
if [ $? = 0 ]; then pass "geometric: integers, clamped, mean and variance ($(cat "$TMP/geo.stat"))"
else fail "geometric: integers, mean, variance" "$(cat "$TMP/geo.stat")\n"; fi

# --- randomness: the CSPRNG by default, a fixed stream with --seed ----------------
head -2001 "$TMP/amt.csv" >"$TMP/small.csv"
run_pii "$TMP/small.csv" "$TMP/r1" "$TMP/e1" --format csv --policy "$TMP/lap.yaml"
run_pii "$TMP/small.csv" "$TMP/r2" "$TMP/e2" --format csv --policy "$TMP/lap.yaml"
if cmp -s "$TMP/r1" "$TMP/r2"; then fail "two runs without --seed differ" "identical outputs\n"
else pass "two runs without --seed differ"; fi
expect_no_grep "no --seed: no seed warning" "$TMP/e1" "NOT private"
run_pii "$TMP/small.csv" "$TMP/s1" "$TMP/e1" --format csv --policy "$TMP/lap.yaml" --seed 42
run_pii "$TMP/small.csv" "$TMP/s2" "$TMP/e2" --format csv --policy "$TMP/lap.yaml" --seed 42
expect_eq "two runs with the same --seed are identical" "$TMP/s1" "$TMP/s2"
run_pii "$TMP/small.csv" "$TMP/s3" "$TMP/e3" --format csv --policy "$TMP/lap.yaml" --seed 43
if cmp -s "$TMP/s1" "$TMP/s3"; then fail "another --seed gives other noise" "identical\n"
else pass "another --seed gives other noise"; fi
run_pii /dev/null "$TMP/o" "$TMP/e" --seed -1
expect_rc "--seed -1 is a usage error" 2 "$RC"

# --- JSON numbers stay numbers; several values of one path compose -------------------
cat >"$TMP/j.yaml" <<'YAML'
version: 1
fields:
  items[].price: {action: noise, epsilon: 2, clamp: [0, 100]}
  age: {action: generalize, band: 10, top: 90}
YAML
bytes '{"age": 37, "items": [{"price": 12.50}, {"price": 3}], "note": "x"}\n{"age": 95, "items": []}\n' >"$TMP/j.in"
run_pii "$TMP/j.in" "$TMP/j.out" "$TMP/j.err" --format jsonl --policy "$TMP/j.yaml" --seed 3
expect_rc "jsonl noise: exit 0" 0 "$RC"
expect_grep_re "jsonl: a band becomes a string" "$TMP/j.out" '"age": "30-39", "items": \[\{"price": [0-9]+\.[0-9][0-9]\}, \{"price": [0-9]+\}\], "note": "x"\}$'
expect_grep_re "jsonl: top-coding" "$TMP/j.out" '^\{"age": "90\+", "items": \[\]\}$'
expect_grep "jsonl: per-record spend counts every value of a [] path" "$TMP/j.err" \
    "spent at most epsilon 4 in one record (2 values noised)"

# --- fail closed: values the action cannot read are redacted ----------------------
bytes 'id,amount\n1,12.5\n2,n/a\n3,1e5\n' >"$TMP/bad.csv"
cat >"$TMP/b.yaml" <<'YAML'
version: 1
fields:
  amount: {action: noise, epsilon: 1, clamp: [0, 100]}
YAML
run_pii "$TMP/bad.csv" "$TMP/bad.out" "$TMP/bad.err" --format csv --policy "$TMP/b.yaml" --seed 1
expect_rc "unreadable numbers: exit 0" 0 "$RC"
expect_grep_re "unreadable number redacted (n/a)" "$TMP/bad.out" '^2,\[REDACTED\]$'
expect_grep_re "unreadable number redacted (exponent)" "$TMP/bad.out" '^3,\[REDACTED\]$'
expect_grep "unreadable values counted on stderr" "$TMP/bad.err" "2 values of noise/generalize fields"
expect_no_grep "stderr never shows a value" "$TMP/bad.err" "n/a"

# --- generalize: dates, date_shift, addresses, IPs ------------------------------------
"$BIN" keygen -o "$TMP/key" 2>/dev/null
bytes 'uid,birthday,visit,addr,ip\nu1,1988-07-14,2024-03-05 10:00:00,广东省深圳市南山区科技园10栋,121.249.194.98\nu1,1990-01-02,2024-03-09 11:00:00,北京市朝阳区建国路88号,10.1.2.3\nu2,bad,2024-03-05 10:00:00,nowhere,300.1.1.1\n' >"$TMP/g.csv"
cat >"$TMP/g.yaml" <<YAML
version: 1
key_file: $TMP/key
fields:
  birthday: {action: generalize, date: year}
  visit: {action: generalize, date_shift: 30, key_field: uid}
  addr: {action: generalize, level: city}
  ip: {action: generalize, prefix: 24}
YAML
run_pii "$TMP/g.csv" "$TMP/g.out" "$TMP/g.err" --format csv --policy "$TMP/g.yaml"
expect_rc "generalize: exit 0" 0 "$RC"
expect_grep_re "date to year, address to city, IPv4 to /24" "$TMP/g.out" \
    '^u1,1988,2024-0[2-4]-[0-9][0-9] 10:00:00,广东省深圳市,121\.249\.194\.0/24$'
expect_grep_re "municipality at city level" "$TMP/g.out" '^u1,1990,2024-0[2-4]-[0-9][0-9] 11:00:00,北京市,10\.1\.2\.0/24$'
expect_grep_re "not understood: redacted" "$TMP/g.out" '^u2,\[REDACTED\],2024-0[2-4]-[0-9][0-9] 10:00:00,\[REDACTED\],\[REDACTED\]$'
# the same subject moves by the same number of days: 4 days apart stays 4 days apart
v1=$(sed -n 2p "$TMP/g.out" | cut -d, -f3 | cut -c1-10)
v2=$(sed -n 3p "$TMP/g.out" | cut -d, -f3 | cut -c1-10)
days=$((($(date -u -d "$v2" +%s) - $(date -u -d "$v1" +%s)) / 86400))
expect_str "date_shift keeps a subject's intervals ($v1 -> $v2)" 4 "$days"
run_pii "$TMP/g.csv" "$TMP/g2.out" "$TMP/g2.err" --format csv --policy "$TMP/g.yaml"
expect_eq "date_shift is deterministic (keyed, not random)" "$TMP/g.out" "$TMP/g2.out"
grep -v key_file "$TMP/g.yaml" >"$TMP/nokey.yaml"
run_pii "$TMP/g.csv" "$TMP/nk.out" "$TMP/nk.err" --format csv --policy "$TMP/nokey.yaml"
expect_rc "date_shift without a key: configuration error" 2 "$RC"
expect_grep "date_shift without a key: says so" "$TMP/nk.err" "date_shift needs a key"
expect_empty "date_shift without a key: no output" "$TMP/nk.out"

finish
