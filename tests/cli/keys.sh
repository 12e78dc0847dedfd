#!/usr/bin/env bash
# keys.sh - keygen, key files, token and fpe actions, detokenize.
. "$(dirname "$0")/lib.sh"

# ---- keygen ------------------------------------------------------------------------------
run_pii /dev/null "$TMP/o" "$TMP/e" keygen -o "$TMP/k1"
expect_rc "keygen -o: exit 0" 0 "$RC"
expect_str "keygen -o: mode 0600" 600 "$(stat -c %a "$TMP/k1")"
expect_empty "keygen -o: nothing on stdout" "$TMP/o"
run_pii /dev/null "$TMP/o" "$TMP/e" keygen -o "$TMP/k1"
expect_rc "keygen refuses to overwrite a key" 2 "$RC"
run_pii /dev/null "$TMP/k2" "$TMP/e" keygen
expect_rc "keygen to stdout: exit 0" 0 "$RC"
chmod 600 "$TMP/k2"
expect_grep "key file format" "$TMP/k2" "piiscrub-key-v1 "
id1=$(awk '/^piiscrub-key-v1/{print $2}' "$TMP/k1")
id2=$(awk '/^piiscrub-key-v1/{print $2}' "$TMP/k2")
[ "$id1" != "$id2" ] && pass "two keys differ" || fail "two keys have the same id" "$id1"

# ---- key files are checked ----------------------------------------------------------------
cp "$TMP/k1" "$TMP/k_open" && chmod 644 "$TMP/k_open"
bytes "tel 13812345678\n" >"$TMP/in"
run_pii "$TMP/in" "$TMP/o" "$TMP/e" --key-file "$TMP/k_open" --action cn_mobile=token
expect_rc "group/other-readable key refused: exit 2" 2 "$RC"
expect_grep "group/other-readable key refused: says why" "$TMP/e" "chmod 600"
expect_empty "group/other-readable key refused: nothing written" "$TMP/o"
printf 'piiscrub-key-v1 0000000000000000 AAAA\n' >"$TMP/k_bad" && chmod 600 "$TMP/k_bad"
run_pii "$TMP/in" "$TMP/o" "$TMP/e" --key-file "$TMP/k_bad" --action cn_mobile=token
expect_rc "malformed key refused: exit 2" 2 "$RC"
expect_no_grep "message does not quote key material" "$TMP/e" "AAAA"
run_pii "$TMP/in" "$TMP/o" "$TMP/e" --action cn_mobile=token
expect_rc "token without a key: exit 2" 2 "$RC"
expect_grep "token without a key: says how" "$TMP/e" "needs a key"
expect_empty "token without a key: nothing written" "$TMP/o"
run_pii "$TMP/in" "$TMP/o" "$TMP/e" --key-file "$TMP/k1" --action iban=fpe
expect_rc "fpe on a type without an fpe style: exit 2" 2 "$RC"

# ---- tokens --------------------------------------------------------------------------------
bytes "a 13812345678\nb +86 138-1234-5678\nc 8613812345678\nd １３８１２３４５６７８\n" >"$TMP/tok.in"
run_pii "$TMP/tok.in" "$TMP/tok.out" "$TMP/e" --key-file "$TMP/k1" --action all=token
expect_rc "token: exit 0" 0 "$RC"
n=$(grep -o 'tok_cn_mobile_[0-9A-Z]*' "$TMP/tok.out" | sort -u | wc -l)
expect_str "one phone in four formats: one token" 1 "$n"
expect_no_grep "token: no digits of the phone left" "$TMP/tok.out" "5678"
PIISCRUB_KEY_FILE=$TMP/k1 run_pii "$TMP/tok.in" "$TMP/tok.env" "$TMP/e" --action all=token
expect_eq "PIISCRUB_KEY_FILE names the key file; same tokens in another process" \
    "$TMP/tok.out" "$TMP/tok.env"
run_pii "$TMP/tok.in" "$TMP/tok.k2" "$TMP/e" --key-file "$TMP/k2" --action all=token
if cmp -s "$TMP/tok.out" "$TMP/tok.k2"; then fail "another key gives other tokens"; else pass "another key gives other tokens"; fi
bytes "mail Zhang.San@Example.COM and zhang.san@example.com\n" >"$TMP/em.in"
run_pii "$TMP/em.in" "$TMP/em.out" "$TMP/e" --key-file "$TMP/k1" --action email=token
n=$(grep -o 'tok_email_[0-9A-Z]*' "$TMP/em.out" | sort -u | wc -l)
expect_str "e-mail tokens ignore case" 1 "$n"

# ---- fpe and detokenize ------------------------------------------------------------------------
cat >"$TMP/fpe.in" <<'TXT'
手机 +86 138-1234-5678，身份证 11010519491231002x，卡号 6222 0212 3456 7894
card 4242424242424242 amex 3782-822463-10005 tel (0755)88886666 ssn 221-60-2382
全角 １３８１２３４５６７８ and id 440305198512314561 end
TXT
fpe_args=(--action cn_mobile=fpe --action cn_id=fpe --action bank_card=fpe
    --action cn_landline=fpe --action us_ssn=fpe)
run_pii "$TMP/fpe.in" "$TMP/fpe.out" "$TMP/e" --key-file "$TMP/k1" "${fpe_args[@]}"
expect_rc "fpe: exit 0" 0 "$RC"
expect_grep "fpe: markers carry the key id" "$TMP/fpe.out" "{{fpe:$id1:cn_mobile:+86 138-"
expect_no_grep "fpe: the card is gone" "$TMP/fpe.out" "6222 0212 3456 7894"
# A token of a type is never a valid instance of that type (an ID token can
# look like a Visa number by chance, so each type is checked on its own).
for t in bank_card cn_id; do
    run_pii "$TMP/fpe.in" "$TMP/fpe.$t" "$TMP/e" --key-file "$TMP/k1" --only "$t" --action "$t=fpe"
    run_pii "$TMP/fpe.$t" "$TMP/fpe.$t.rescan" "$TMP/e" --only "$t" --action "$t=redact"
    expect_eq "fpe output holds no valid $t (a rescan finds nothing)" "$TMP/fpe.$t" "$TMP/fpe.$t.rescan"
done
run_pii "$TMP/fpe.out" "$TMP/fpe.back" "$TMP/e" detokenize --key-file "$TMP/k1"
expect_rc "detokenize: exit 0" 0 "$RC"
expect_eq "detokenize restores the exact bytes (lower-case x, full-width digits)" "$TMP/fpe.in" "$TMP/fpe.back"
run_pii "$TMP/fpe.out" "$TMP/fpe.again" "$TMP/e" --key-file "$TMP/k1" "${fpe_args[@]}" --only cn_mobile
run_pii "$TMP/fpe.in" "$TMP/fpe.out2" "$TMP/e" --key-file "$TMP/k1" "${fpe_args[@]}"
expect_eq "fpe is deterministic" "$TMP/fpe.out" "$TMP/fpe.out2"
run_pii "$TMP/fpe.out" "$TMP/fpe.wrong" "$TMP/e" detokenize --key-file "$TMP/k2"
expect_eq "a wrong key restores nothing (markers stay)" "$TMP/fpe.out" "$TMP/fpe.wrong"
# rotation: encrypted with k1, detokenized with k2 first and k1 second
run_pii "$TMP/fpe.out" "$TMP/fpe.rot" "$TMP/e" detokenize --key-file "$TMP/k2" --key-file "$TMP/k1"
expect_eq "several keys: the marker's key id picks the key" "$TMP/fpe.in" "$TMP/fpe.rot"
run_pii "$TMP/fpe.in" "$TMP/fpe.bare" "$TMP/e" --key-file "$TMP/k1" "${fpe_args[@]}" --no-fpe-markers
expect_no_grep "--no-fpe-markers: no markers" "$TMP/fpe.bare" "{{fpe:"
expect_str "--no-fpe-markers: same length per line" "$(awk '{print length}' "$TMP/fpe.in" | tr '\n' ' ')" \
    "$(awk '{print length}' "$TMP/fpe.bare" | tr '\n' ' ')"

# a field rule `token` without a type (was: accepted, then every record
# failed with "invalid configuration" half-way through the output)
cat >"$TMP/tok.yaml" <<'YAML'
version: 1
fields:
  name: {action: token}
YAML
bytes 'id,name\n1,zhang\n2,li\n3,zhang\n' >"$TMP/tok.csv"
run_pii "$TMP/tok.csv" "$TMP/tok.out" "$TMP/e" -f csv --policy "$TMP/tok.yaml" -k "$TMP/k1"
expect_rc "field token without a type: exit 0" 0 "$RC"
expect_no_grep "field token without a type: the value is gone" "$TMP/tok.out" "zhang"
expect_grep_re "field token without a type: a field token" "$TMP/tok.out" '^1,tok_field_[0-9A-Z]+$'
t1=$(sed -n 2p "$TMP/tok.out" | cut -d, -f2)
t3=$(sed -n 4p "$TMP/tok.out" | cut -d, -f2)
expect_str "field token without a type: the same value, the same token" "$t1" "$t3"
run_pii "$TMP/tok.csv" "$TMP/tok.out" "$TMP/e" -f csv --policy "$TMP/tok.yaml"
expect_rc "field token without a type and without a key: exit 2" 2 "$RC"
expect_empty "field token without a key: nothing written" "$TMP/tok.out"

finish
