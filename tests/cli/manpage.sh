#!/usr/bin/env bash
# manpage.sh - docs/piiscrub.1 renders without a single warning and agrees
# with the binary:
#   - `man -l` and `groff -man -ww` render it with nothing on stderr;
#   - every long and short option, every command and every exit status that
#     `piiscrub --help` lists is documented in the man page (a tag in
#     OPTIONS, COMMANDS or EXIT STATUS), and the man page documents nothing
#     that --help does not list;
#   - ENTITY TYPES lists exactly the types of `piiscrub entities --tsv`.
# Doctored copies of the page and of --help prove that the comparison
# catches a missing option, command or type. Skipped (exit 77) only when
# man or groff is not installed (scripts/install-deps.sh installs them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpitems.bash"
need_cmd awk sort comm
for t in man groff; do
    command -v "$t" >/dev/null 2>&1 || skip_all "$t is not installed (Debian: man-db, groff-base)"
done
SRC=$(cd "$(dirname "$0")/../.." && pwd)
PAGE=$SRC/docs/piiscrub.1

# man_tags PAGE SECTION...: the tag line of every .TP paragraph in those
# sections (nested ones too), with \- turned into - and font escapes
# removed.
man_tags() {
    local page=$1
    shift
    awk -v want="|$(
        IFS='|'
        echo "$*"
    )|" '
        /^\.SH / { sec = substr($0, 5); gsub(/"/, "", sec); next }
        /^\.TP/ { tag = 1; next }
        tag {
            tag = 0
            if (index(want, "|" sec "|") == 0) next
            line = $0
            gsub(/\\-/, "-", line)
            gsub(/\\f[BIRP]/, "", line)
            sub(/^\.[A-Z]+ /, "", line)
            print line
        }
    ' "$page"
}
man_long_opts() { man_tags "$1" OPTIONS COMMANDS | grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | sort -u; }
man_short_opts() {
    man_tags "$1" OPTIONS COMMANDS | grep -oE -- '(^|[ ["])-[a-zA-Z]([]," ]|$)' |
        grep -oE -- '-[a-zA-Z]' | sort -u
}
man_commands() { man_tags "$1" COMMANDS | awk '{ print $1 }' | sort -u; }
man_exit_codes() { man_tags "$1" "EXIT STATUS" | awk '{ print $1 }' | sort -un; }
man_types() { man_tags "$1" "ENTITY TYPES" | awk '{ print $1 }' | sort -u; }

# same_set DESC WHAT-A A-FILE WHAT-B B-FILE: the two sorted lists are equal;
# the failure names what each side lacks.
same_set() {
    local desc=$1 na=$2 a=$3 nb=$4 b=$5 onlya onlyb
    onlya=$(comm -23 "$a" "$b" | tr '\n' ' ')
    onlyb=$(comm -13 "$a" "$b" | tr '\n' ' ')
    if [ -s "$a" ] && [ -z "$onlya" ] && [ -z "$onlyb" ]; then
        pass "$desc ($(wc -l <"$a") items)"
    else
        fail "$desc" "in $na but not in $nb: ${onlya:-none}" "in $nb but not in $na: ${onlyb:-none}"
    fi
}

# compare PAGE HELP-FILE TAG: run every comparison; sets MISMATCH to the
# number of comparisons that failed (the checks count only for the real
# page, TAG "real"; for doctored inputs the caller checks MISMATCH).
compare() {
    local page=$1 help=$2 tag=$3 f0=$FAIL p0=$PASS
    help_long_opts <"$help" >"$TMP/h.long"
    man_long_opts "$page" >"$TMP/m.long"
    same_set "$tag: long options" "--help" "$TMP/h.long" "the man page" "$TMP/m.long"
    help_short_opts <"$help" >"$TMP/h.short"
    man_short_opts "$page" >"$TMP/m.short"
    same_set "$tag: short options" "--help" "$TMP/h.short" "the man page" "$TMP/m.short"
    help_commands <"$help" >"$TMP/h.cmd"
    man_commands "$page" >"$TMP/m.cmd"
    same_set "$tag: commands" "--help" "$TMP/h.cmd" "COMMANDS" "$TMP/m.cmd"
    help_exit_codes <"$help" >"$TMP/h.exit"
    man_exit_codes "$page" >"$TMP/m.exit"
    same_set "$tag: exit statuses" "--help" "$TMP/h.exit" "EXIT STATUS" "$TMP/m.exit"
    man_types "$page" >"$TMP/m.types"
    same_set "$tag: entity types" "piiscrub entities" "$TMP/types" "ENTITY TYPES" "$TMP/m.types"
    MISMATCH=$((FAIL - f0))
    if [ "$tag" != real ]; then # a doctored input: its failures are expected
        FAIL=$f0
        PASS=$p0
    fi
}

# ---- rendering ---------------------------------------------------------------
if LC_ALL=C grep -n '[^[:print:]]' "$PAGE" >"$TMP/nonascii"; then
    fail "the page is printable ASCII (renders alike in every locale)" "$(head -5 "$TMP/nonascii")"
else
    pass "the page is printable ASCII (renders alike in every locale)"
fi

groff -man -ww -z "$PAGE" >"$TMP/groff.out" 2>"$TMP/groff.err"
expect_rc "groff -man -ww -z: exit 0" 0 $?
expect_empty "groff -man -ww: no warnings" "$TMP/groff.err"

for loc in C C.UTF-8; do
    # MAN_DISABLE_SECCOMP: man-db's sandbox is refused in some containers
    LC_ALL=$loc MANWIDTH=80 MAN_DISABLE_SECCOMP=1 MANROFFOPT=-ww man --warnings=all -l "$PAGE" \
        >"$TMP/man.txt" 2>"$TMP/man.err"
    expect_rc "man -l ($loc): exit 0" 0 $?
    expect_empty "man -l ($loc): no warnings" "$TMP/man.err"
    for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "ENTITY TYPES" "POLICY FILE" KEYS SIGNALS \
        "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
        if ! grep -qx "$s" "$TMP/man.txt"; then
            fail "man -l ($loc): section $s is rendered" "$(head -c 300 "$TMP/man.txt")"
            continue 2
        fi
    done
    pass "man -l ($loc): all 14 sections are rendered"
done
# nothing on a line past MANWIDTH: roff did the filling, no overlong literal
awk 'length($0) > 80 { print FNR ": " $0 }' "$TMP/man.txt" >"$TMP/long"
expect_empty "man -l at 80 columns: no line longer than 80" "$TMP/long"

# ---- consistency with the binary -----------------------------------------------
run_pii /dev/null "$TMP/help" "$TMP/e" --help
expect_rc "piiscrub --help: exit 0" 0 "$RC"
run_pii /dev/null "$TMP/ent" "$TMP/e" entities --tsv
expect_rc "piiscrub entities --tsv: exit 0" 0 "$RC"
tail -n +2 "$TMP/ent" | cut -f1 | sort -u >"$TMP/types"
expect_le "entities --tsv lists 10 or more types" 10 "$(wc -l <"$TMP/types")"

compare "$PAGE" "$TMP/help" real

# PIISCRUB_KEY_FILE and every other $VARIABLE of --help is in ENVIRONMENT
grep -oE '\$[A-Z][A-Z0-9_]+' "$TMP/help" | tr -d '$' | sort -u >"$TMP/h.env"
man_tags "$PAGE" ENVIRONMENT | awk '{ print $1 }' | sort -u >"$TMP/m.env"
same_set "environment variables" "--help" "$TMP/h.env" "ENVIRONMENT" "$TMP/m.env"

# ---- the comparison can fail -------------------------------------------------------
# --help gains an option, a short option, a command and an exit status (as
# a new feature would add them): each is reported.
sed -e '/^Options/a\  -Z, --zap-all FILE        zap everything' \
    -e '/^Commands:/a\  zap                       zap only' \
    -e 's/^Exit status: 0 success/Exit status: 0 success, 7 zapped,/' "$TMP/help" >"$TMP/help.more"
compare "$PAGE" "$TMP/help.more" doctored-help >"$TMP/doctored-help.log"
expect_str "a new option, short option, command and exit status in --help: 4 comparisons fail" \
    4 "$MISMATCH"
expect_grep "... and the report names --zap-all" "$TMP/doctored-help.log" "--zap-all"

# the page loses --tsv (a command's option), keygen, and ipv6
sed -e 's/ \[" \\-\\-tsv \]$//' -e '/^\.BR keygen /s/keygen/keygenx/' \
    -e '/^\.B ipv6$/d' "$PAGE" >"$TMP/page.less"
compare "$TMP/page.less" "$TMP/help" doctored-page >"$TMP/doctored-page.log"
expect_str "a page without --tsv, keygen and ipv6: 3 comparisons fail" 3 "$MISMATCH"

# a warning is caught: an unknown request
sed '/^\.SH SEE ALSO/i .FOO bar' "$PAGE" >"$TMP/page.bad"
groff -man -ww -z "$TMP/page.bad" 2>"$TMP/groff.bad"
expect_nonempty "groff -ww warns about a doctored page" "$TMP/groff.bad"

finish
