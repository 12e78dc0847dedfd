#!/usr/bin/env bash
# patterns.sh - user pattern files (--patterns), their errors, --min-confidence,
# and the second-wave detectors through the command line.
. "$(dirname "$0")/lib.sh"

# ---- a user detector ------------------------------------------------------------------
cat >"$TMP/emp.pat" <<'PAT'
# staff numbers
id: employee_id
description: staff number EMP-nnnnnn
pattern: (?<![A-Z0-9])EMP-(?<v>\d{6})(?!\d)
action: redact
example: staff EMP-123456 => 123456
counter: XEMP-654321
PAT
check_filter "--patterns adds a detector (named group v is the value)" \
    "staff EMP-123456, XEMP-654321, tel 13812345678\n" \
    "staff EMP-[EMPLOYEE_ID], XEMP-654321, tel 138****5678\n" --patterns "$TMP/emp.pat"
check_filter "--only and --action accept a user type" \
    "EMP-123456 13812345678\n" "EMP-****** 13812345678\n" \
    --patterns "$TMP/emp.pat" --only employee_id --action employee_id=mask
run_pii /dev/null "$TMP/ent" "$TMP/e" entities --patterns "$TMP/emp.pat"
expect_grep "entities lists the user type" "$TMP/ent" "employee_id"

# ---- errors: file:line, exit 2, nothing on stdout -----------------------------------------
pattern_error() { # DESC FILE_CONTENT EXPECTED_STDERR_SUBSTRING
    printf '%b' "$2" >"$TMP/bad.pat"
    bytes "tel 13812345678\n" >"$TMP/in"
    run_pii "$TMP/in" "$TMP/o" "$TMP/e" --patterns "$TMP/bad.pat"
    expect_rc "$1: exit 2" 2 "$RC"
    expect_grep "$1: message" "$TMP/e" "$3"
    expect_empty "$1: nothing on stdout" "$TMP/o"
}
pattern_error "unknown key" "id: x\npattern: a\ncolour: red\n" "bad.pat:3: unknown key 'colour'"
pattern_error "bad id" "id: X-1\n" "bad.pat:1: id must be"
pattern_error "no pattern" "id: x\n" "bad.pat:1: detector 'x' needs a pattern"
pattern_error "PCRE2 error with offset" "# c\nid: x\npattern: a(b\n" \
    "bad.pat:2: detector 'x': pattern error at offset 3: missing closing parenthesis"
pattern_error "duplicate of a built-in" "id: cn_id\npattern: a\n" "detector 'cn_id' is already defined"
run_pii /dev/null "$TMP/o" "$TMP/e" --patterns "$TMP/does-not-exist.pat"
expect_rc "missing pattern file: exit 3" 3 "$RC"
expect_grep "missing pattern file: named" "$TMP/e" "does-not-exist.pat"

# ---- a catastrophic user pattern fails closed ------------------------------------------------
printf 'id: evil\npattern: (a+)+b\naction: redact\n' >"$TMP/evil.pat"
{ head -c 40 /dev/zero | tr '\0' 'a'; printf 'c b\nfine line\n'; } >"$TMP/evil.in"
run_pii "$TMP/evil.in" "$TMP/evil.out" "$TMP/e" --patterns "$TMP/evil.pat"
expect_rc "catastrophic pattern: exit 0" 0 "$RC"
expect_no_grep "catastrophic pattern: the line that hit the limit is not passed raw" \
    "$TMP/evil.out" "aaaaaaaa"
expect_grep "catastrophic pattern: the next line is intact" "$TMP/evil.out" "fine line"
expect_grep "catastrophic pattern: the limit hit is reported" "$TMP/e" \
    "1 pattern match hit the PCRE2 match or depth limit"
expect_no_grep "catastrophic pattern: the report holds no input" "$TMP/e" "aaaa"

# ---- --min-confidence -----------------------------------------------------------------------
# 17452345678 is in an allocated block but outside its published sub-ranges:
# confidence 60; after a negative word (订单号) 40.
check_filter "weak mobile kept at the default threshold" "tel 17452345678\n" "tel 174****5678\n"
check_filter "weak mobile after a negative word dropped" "订单号 17452345678\n" "订单号 17452345678\n"
check_filter "--min-confidence 70 drops the weak mobile" "x 17452345678\n" "x 17452345678\n" \
    --min-confidence 70
check_filter "--min-confidence 0 keeps it after a negative word" "订单号 17452345678\n" \
    "订单号 174****5678\n" --min-confidence 0
run_pii /dev/null "$TMP/o" "$TMP/e" --min-confidence 101
expect_rc "--min-confidence 101: exit 2" 2 "$RC"

# numeric options take decimal digits only, and name the option and its range
for bad in "--min-confidence +5" "--min-confidence ' 5'" "--threads 0" "--threads +2" "-j 65" \
    "--seed -1" "--seed 1x" "--today 2026"; do
    eval "run_pii /dev/null \"\$TMP/o\" \"\$TMP/e\" $bad"
    expect_rc "$bad: exit 2" 2 "$RC"
done
run_pii /dev/null "$TMP/o" "$TMP/e" --threads +2
expect_grep "--threads +2: the message names the range" "$TMP/e" "--threads expects 1 to 64, got '+2'"

# ---- second-wave detectors, one line each -----------------------------------------------------
check_filter "landline, intl phone, SSN, IBAN" \
    "座机 010-87654321 call +44 20 7946 0958 ssn 221-60-2382 iban GB82 WEST 1234 5698 7654 32\n" \
    "座机 010-8***4321 call +44 20 **** 0958 ssn ***-**-2382 iban GB82 **** **** **** **54 32\n"
check_filter "HK and TW IDs, passport with context, IPv6" \
    "HKID A123456(3) 身分證 A123456789 护照号 E12345678 ip 2001:db8::1\n" \
    "HKID A******(3) 身分證 A1******89 护照号 E******78 ip 2001:db8::*\n"
check_filter "addresses and names" \
    "收货人：张伟，地址：北京市朝阳区建国路88号院3号楼2单元501室，谢谢 ship to 4778 Cedar Ave, Boston, MA 02167\n" \
    "收货人：张*，地址：北京市朝阳区*****************，谢谢 ship to **** ***** ***, ******, ** *****\n"
check_filter "redact labels of the second wave" "SSN 221-60-2382 北京市朝阳区建国路88号\n" \
    "SSN [US_SSN] [ADDRESS]\n" --action all=redact

finish
