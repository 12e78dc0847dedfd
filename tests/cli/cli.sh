#!/usr/bin/env bash
# cli.sh - the command line: --help, --version, `entities`, --action,
# --only, and usage errors (exit 2, message on stderr, nothing on stdout).
. "$(dirname "$0")/lib.sh"

PHONE=13812345678 PHONE_M='138****5678'
ID=11010519491231002X ID_M='110***********002X'
CARD='4242 4242 4242 4242' CARD_M='4242 42** **** 4242'
MAIL=zhang.san@example.com MAIL_M='z********@example.com'
IP=121.249.194.98 IP_M='121.249.*.*'

# One line with every type, CRLF, and a last line without newline.
ALL_IN="p $PHONE, i $ID, c $CARD, m $MAIL, a $IP\r\nsecond $PHONE"
ALL_MASK="p $PHONE_M, i $ID_M, c $CARD_M, m $MAIL_M, a $IP_M\r\nsecond $PHONE_M"
bytes "$ALL_IN" >"$TMP/all.in"

# ---- --help / -h --------------------------------------------------------------
for opt in --help -h; do
    run_pii /dev/null "$TMP/o" "$TMP/e" "$opt"
    expect_rc "$opt: exit 0" 0 "$RC"
    expect_empty "$opt: nothing on stderr" "$TMP/e"
    expect_grep "$opt: shows usage" "$TMP/o" "Usage: piiscrub"
done
expect_grep "--help mentions the exit status" "$TMP/o" "Exit status"
for word in "--action" "--only" "entities" "mask" "redact" "keep" \
    "2 usage" "3 input error" "4 output error" "5 internal"; do
    expect_grep "--help mentions '$word'" "$TMP/o" "$word"
done
run_pii "$TMP/all.in" "$TMP/o2" "$TMP/e" --action all=keep --help
expect_rc "--help after other options: exit 0" 0 "$RC"
expect_eq "--help after other options: prints help, does not filter stdin" "$TMP/o" "$TMP/o2"

# ---- --version / -V ---------------------------------------------------------------
proj_version=$(sed -n 's/^project(piiscrub VERSION \([0-9.]*\).*/\1/p' \
    "$(dirname "$0")/../../CMakeLists.txt" 2>/dev/null)
for opt in --version -V; do
    run_pii /dev/null "$TMP/o" "$TMP/e" "$opt"
    expect_rc "$opt: exit 0" 0 "$RC"
    if grep -qE '^piiscrub [0-9]+\.[0-9]+\.[0-9]+' "$TMP/o" && [ "$(wc -l <"$TMP/o")" -eq 1 ]; then
        pass "$opt: one line 'piiscrub X.Y.Z'"
    else
        fail "$opt: expected one line 'piiscrub X.Y.Z'" "$(head -c 200 "$TMP/o")"
    fi
done
if [ -n "$proj_version" ]; then
    expect_str "--version matches project() VERSION in CMakeLists.txt" "piiscrub $proj_version" "$(head -n 1 "$TMP/o")"
fi

# ---- entities ------------------------------------------------------------------------
run_pii /dev/null "$TMP/ent" "$TMP/e" entities
expect_rc "entities: exit 0" 0 "$RC"
expect_empty "entities: nothing on stderr" "$TMP/e"
for t in cn_mobile cn_id bank_card email ipv4 cn_landline intl_phone us_ssn iban hk_id tw_id \
    cn_passport ipv6 cn_address us_address cn_name; do
    if grep -qE "^${t}[[:space:]]" "$TMP/ent"; then
        pass "entities lists $t"
    else
        fail "entities does not list $t" "$(cat "$TMP/ent")"
    fi
done
run_pii /dev/null "$TMP/ent.tsv" "$TMP/e" entities --tsv
expect_rc "entities --tsv: exit 0" 0 "$RC"
# Every listed example is found as its own type: --only T --action T=redact
# must turn the example into exactly the label [T] (addresses share [ADDRESS],
# names are [NAME]; both need their context, so they are checked in detect.sh).
tail -n +2 "$TMP/ent.tsv" >"$TMP/ent.rows"
nrows=0
while IFS=$'\t' read -r t _ kind ex _; do
    nrows=$((nrows + 1))
    case $t in cn_address | us_address | cn_name | cn_passport) continue ;; esac
    label="[$(printf '%s' "$t" | tr '[:lower:]' '[:upper:]')]"
    check_filter "entities example for $t ('$ex') is found as $t" \
        "x $ex y\n" "x $label y\n" --only "$t" --action "$t=redact"
done <"$TMP/ent.rows"
expect_str "entities lists 16 types" 16 "$nrows"
run_pii /dev/null "$TMP/ent" "$TMP/e" entities --bogus
expect_rc "entities --bogus: exit 2" 2 "$RC"

# ---- default action and --action ---------------------------------------------------
check_filter "default action masks every type" "$ALL_IN" "$ALL_MASK"
check_filter "--action all=mask is the default" "$ALL_IN" "$ALL_MASK" --action all=mask
check_filter "--action all=keep leaves the input identical" "$ALL_IN" "$ALL_IN" --action all=keep
check_filter "--action all=redact writes labels" "$ALL_IN" \
    "p [CN_MOBILE], i [CN_ID], c [BANK_CARD], m [EMAIL], a [IPV4]\r\nsecond [CN_MOBILE]" \
    --action all=redact
check_filter "--action cn_mobile=redact" "$ALL_IN" \
    "p [CN_MOBILE], i $ID_M, c $CARD_M, m $MAIL_M, a $IP_M\r\nsecond [CN_MOBILE]" \
    --action cn_mobile=redact
check_filter "--action cn_id=redact" "i $ID\n" "i [CN_ID]\n" --action cn_id=redact
check_filter "--action bank_card=redact" "c $CARD\n" "c [BANK_CARD]\n" --action bank_card=redact
check_filter "--action email=redact" "m $MAIL\n" "m [EMAIL]\n" --action email=redact
check_filter "--action ipv4=redact" "a $IP\n" "a [IPV4]\n" --action ipv4=redact
check_filter "--action email=keep keeps only e-mail" "$ALL_IN" \
    "p $PHONE_M, i $ID_M, c $CARD_M, m $MAIL, a $IP_M\r\nsecond $PHONE_M" --action email=keep
check_filter "--action=TYPE=ACTION form" "m $MAIL\n" "m [EMAIL]\n" --action=email=redact
check_filter "-a TYPE=ACTION form" "m $MAIL\n" "m [EMAIL]\n" -a email=redact
check_filter "repeated --action: all=keep then cn_id=mask" "$ALL_IN" \
    "p $PHONE, i $ID_M, c $CARD, m $MAIL, a $IP\r\nsecond $PHONE" \
    --action all=keep --action cn_id=mask
check_filter "repeated --action: the later one wins" "a $IP\n" "a $IP\n" \
    --action ipv4=redact --action ipv4=keep

# ---- --only -------------------------------------------------------------------------
check_filter "--only cn_id,bank_card masks only those" "$ALL_IN" \
    "p $PHONE, i $ID_M, c $CARD_M, m $MAIL, a $IP\r\nsecond $PHONE" --only cn_id,bank_card
check_filter "--only=email form" "$ALL_IN" \
    "p $PHONE, i $ID, c $CARD, m $MAIL_M, a $IP\r\nsecond $PHONE" --only=email
check_filter "-o ipv4 form" "$ALL_IN" \
    "p $PHONE, i $ID, c $CARD, m $MAIL, a $IP_M\r\nsecond $PHONE" -o ipv4
check_filter "--only with --action redact" "$ALL_IN" \
    "p [CN_MOBILE], i $ID, c $CARD, m $MAIL, a $IP\r\nsecond [CN_MOBILE]" \
    --only cn_mobile --action cn_mobile=redact
check_filter "--only all five types = default" "$ALL_IN" "$ALL_MASK" \
    --only cn_mobile,cn_id,bank_card,email,ipv4
check_filter "-oipv4 form (value attached, as getopt takes it)" "$ALL_IN" \
    "p $PHONE, i $ID, c $CARD, m $MAIL, a $IP_M\r\nsecond $PHONE" -oipv4
check_filter "-j2 and -acn_mobile=redact forms" "$ALL_IN" \
    "p [CN_MOBILE], i $ID_M, c $CARD_M, m $MAIL_M, a $IP_M\r\nsecond [CN_MOBILE]" \
    -j2 -acn_mobile=redact
# after "--" a FILE that looks like an attached option is a FILE
printf 'a %s\n' "$IP" >"$TMP/-j1"
ABS_BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
(cd "$TMP" && timeout -k 5 "$PII_TIMEOUT" "$ABS_BIN" -- -j1 >"$TMP/o" 2>"$TMP/e")
expect_rc "-- -j1 reads the file '-j1': exit 0" 0 $?
expect_grep "-- -j1: the file's IP is masked" "$TMP/o" "a $IP_M"
# A card-shaped number that is not enabled must not be reported as another
# type instead.
check_filter "--only cn_mobile leaves an ID alone" "i $ID\n" "i $ID\n" --only cn_mobile

# ---- other options ---------------------------------------------------------------------
check_filter "--line-buffered: same output" "$ALL_IN" "$ALL_MASK" --line-buffered
check_filter "--today before the birth date: ID not reported" "i $ID\n" "i $ID\n" --today 19491230
check_filter "--today on the birth date: ID masked" "i $ID\n" "i $ID_M\n" --today=19491231

# ---- usage errors: exit 2, message on stderr, nothing on stdout ----------------
# usage_error DESC EXPECTED-STDERR-TEXT ARGS...
usage_error() {
    local desc=$1 want=$2
    shift 2
    run_pii "$TMP/all.in" "$TMP/o" "$TMP/e" "$@"
    expect_rc "$desc: exit 2" 2 "$RC"
    expect_grep "$desc: stderr says so" "$TMP/e" "$want"
    expect_empty "$desc: nothing on stdout" "$TMP/o"
}
usage_error "unknown long option" "--frobnicate" --frobnicate
usage_error "unknown short option" "-z" -z
usage_error "unknown option after a FILE" "--bogus" "$TMP/all.in" --bogus
usage_error "--action without a value" "--action" --action
usage_error "--action without '='" "cn_mobile" --action cn_mobile
usage_error "--action with an unknown action" "shred" --action cn_mobile=shred
usage_error "--action with an empty action" "unknown action" --action cn_mobile=
usage_error "--action all= with an unknown action" "zap" --action all=zap
usage_error "--action with an unknown type" "passport" --action passport=mask
usage_error "--action with an empty type" "=mask" --action =mask
usage_error "--only with an unknown type" "passport" --only passport
usage_error "--only with one unknown type in a list" "swift_bic" --only cn_id,swift_bic
usage_error "--only with an empty list" "--only" --only ""
usage_error "--only with an empty element" "cn_id,,email" --only cn_id,,email
usage_error "--only without a value" "--only" --only
usage_error "--today not a date" "--today" --today yesterday
usage_error "type names are case-sensitive" "CN_MOBILE" --action CN_MOBILE=mask
if grep -q -- "--help" "$TMP/e"; then
    pass "usage error points to --help"
else
    fail "usage error does not point to --help" "$(cat "$TMP/e")"
fi

finish
