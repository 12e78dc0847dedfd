#!/usr/bin/env bash
# completion.sh - the bash and zsh completions in contrib/completion/:
#   - bash: the completion function is driven with COMP_WORDS/COMP_CWORD
#     and its COMPREPLY checked (options, formats, actions, entity types
#     asked from the binary, with a user pattern file's types, files);
#   - both: the options and commands they offer are exactly those of
#     `piiscrub --help` (helpitems.bash), so an option added to --help
#     without its completion fails here;
#   - zsh: `zsh -n`, then real completions in an interactive zsh on a
#     pseudo-terminal (zsh/zpty): TAB after --for, -f, -o, -a TYPE=, a
#     command's start, and -o with a pattern file's type.
#     Skipped when zsh is not installed (scripts/install-deps.sh installs it).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpitems.bash"
need_cmd sort comm tr cut
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BASH_COMP=$SRC/contrib/completion/piiscrub.bash
ZSH_COMP=$SRC/contrib/completion/_piiscrub
# the completions run "piiscrub" from PATH (BIN: the wrapper when wrapped)
BINDIR=$(cd "$(dirname "$BIN")" && pwd)
[ "${BIN##*/}" = piiscrub ] || {
    ln -s "$BIN" "$TMP/piiscrub" && BINDIR=$TMP
}
export PATH="$BINDIR:$PATH"

run_pii /dev/null "$TMP/help" "$TMP/e" --help
expect_rc "piiscrub --help: exit 0" 0 "$RC"
run_pii /dev/null "$TMP/ent" "$TMP/e" entities --tsv
tail -n +2 "$TMP/ent" | cut -f1 | sort >"$TMP/types"
expect_le "entities --tsv lists 10 or more types" 10 "$(wc -l <"$TMP/types")"

# ---- bash ----------------------------------------------------------------------
# shellcheck source=/dev/null
. "$BASH_COMP" || fail "sourcing piiscrub.bash"
expect_str "piiscrub.bash registers _piiscrub for piiscrub" "complete -F _piiscrub piiscrub" \
    "$(complete -p piiscrub 2>&1)"

# comp WORD...: run the completion with COMP_WORDS=(WORD...) and the cursor
# on the last word; COMPREPLY one a line, sorted, into $TMP/r
comp() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _piiscrub piiscrub "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    if [ ${#COMPREPLY[@]} -gt 0 ]; then printf '%s\n' "${COMPREPLY[@]}"; fi | sort >"$TMP/r"
}
# expect_comp DESC "EXPECTED WORDS" WORD...: the replies are exactly these
expect_comp() {
    local desc=$1 want=$2
    shift 2
    comp "$@"
    expect_str "$desc" "$want" "$(tr '\n' ' ' <"$TMP/r" | sed 's/ $//')"
}

mkdir "$TMP/cwd" && cd "$TMP/cwd" || exit 2 # no stray files among the replies
expect_comp "--for<TAB> -> --format" "--format" piiscrub --for
expect_comp "--pol<TAB> -> --policy" "--policy" piiscrub --pol
expect_comp "--on<TAB> -> --on-error= and --only" "--on-error= --only" piiscrub --on
expect_comp "-f <TAB> lists the formats" "auto csv jsonl text tsv" piiscrub -f ""
expect_comp "--format <TAB> lists the formats" "auto csv jsonl text tsv" piiscrub --format ""
expect_comp "--format=j<TAB> (split at '=' by bash) -> jsonl" "jsonl" piiscrub --format = j
expect_comp "--on-error=<TAB> -> scan, stop" "scan stop" piiscrub --on-error = ""
comp piiscrub -o ""
expect_eq "-o <TAB> lists the types of 'piiscrub entities'" "$TMP/types" "$TMP/r"
comp piiscrub --only ""
expect_eq "--only <TAB> lists the types of 'piiscrub entities'" "$TMP/types" "$TMP/r"
expect_comp "-o cn_id,b<TAB> -> cn_id,bank_card" "cn_id,bank_card" piiscrub -o cn_id,b
expect_comp "-a cn_mo<TAB> -> cn_mobile=" "cn_mobile=" piiscrub -a cn_mo
expect_comp "-a al<TAB> -> all=" "all=" piiscrub -a al
expect_comp "-a cn_mobile=<TAB> lists the actions" "fpe keep mask redact token" \
    piiscrub -a cn_mobile = ""
expect_comp "--action=email=r<TAB> -> redact" "redact" piiscrub --action = email = r
sed 's/=$//' "$TMP/types" >"$TMP/x"
comp piiscrub -a ""
sed 's/=$//' "$TMP/r" | grep -vx all >"$TMP/y"
expect_eq "-a <TAB> lists the types of 'piiscrub entities', each with '='" "$TMP/types" "$TMP/y"
expect_comp "a type a program does not know is not offered" "" piiscrub -o employee

cat >"$TMP/emp.pat" <<'PAT'
id: employee_id
description: staff number EMP-nnnnnn
pattern: (?<![A-Z0-9])EMP-(?<v>\d{6})(?!\d)
example: staff EMP-123456 => 123456
PAT
expect_comp "--patterns FILE -o emp<TAB> -> the pattern file's type" "employee_id" \
    piiscrub --patterns "$TMP/emp.pat" -o emp
expect_comp "-p FILE -a emp<TAB> -> employee_id=" "employee_id=" piiscrub -p "$TMP/emp.pat" -a emp
comp piiscrub -p "$TMP/emp.pat" -o ""
{ cat "$TMP/types"; echo employee_id; } | sort >"$TMP/x"
expect_eq "-p FILE -o <TAB>: the built-in types and the file's, each once" "$TMP/x" "$TMP/r"
expect_comp "an unreadable pattern file: the built-in types still" "cn_mobile" \
    piiscrub -p "$TMP/none.pat" -o cn_mob

touch key.file policy.yaml app.log
expect_comp "-k <TAB> completes files" "app.log key.file policy.yaml" piiscrub -k ""
expect_comp "--key-file=k<TAB> completes files" "key.file" piiscrub --key-file = k
expect_comp "--policy po<TAB> completes files" "policy.yaml" piiscrub --policy po
expect_comp "--follow a<TAB> completes files" "app.log" piiscrub --follow a
expect_comp "a FILE argument completes files" "app.log" piiscrub -j 2 a
expect_comp "-j <TAB> offers nothing (a number)" "" piiscrub -j ""
expect_comp "keygen -o <TAB> completes files, not types" "app.log key.file policy.yaml" \
    piiscrub keygen -o ""
expect_comp "entities --<TAB>" "--patterns --tsv" piiscrub entities --
expect_comp "detokenize -<TAB>" "--key-file -k" piiscrub detokenize -
rm key.file policy.yaml app.log

# the commands, options and short options offered are those of --help
comp piiscrub ""
help_commands <"$TMP/help" >"$TMP/h.cmd"
expect_eq "piiscrub <TAB> offers the commands of --help" "$TMP/h.cmd" "$TMP/r"
{
    comp piiscrub --
    cat "$TMP/r"
    for c in entities check-policy detokenize keygen; do
        comp piiscrub "$c" -
        cat "$TMP/r"
    done
    comp piiscrub -
    cat "$TMP/r"
} >"$TMP/all"
sed 's/=$//' "$TMP/all" | grep -E -- '^--' | sort -u >"$TMP/c.long"
help_long_opts <"$TMP/help" >"$TMP/h.long"
expect_eq "bash offers exactly the long options of --help" "$TMP/h.long" "$TMP/c.long"
grep -xE -- '-[a-zA-Z]' "$TMP/all" | sort -u >"$TMP/c.short"
help_short_opts <"$TMP/help" >"$TMP/h.short"
expect_eq "bash offers exactly the short options of --help" "$TMP/h.short" "$TMP/c.short"
# the comparison can fail: --help with one more option differs
{
    cat "$TMP/help"
    echo "      --zap-all FILE        zap everything"
} | help_long_opts >"$TMP/h.more"
if cmp -s "$TMP/h.more" "$TMP/c.long"; then
    fail "an option added to --help makes the bash comparison fail"
else
    pass "an option added to --help makes the bash comparison fail"
fi

# ---- zsh ---------------------------------------------------------------------------
if ! command -v zsh >/dev/null 2>&1; then
    echo "# zsh is not installed: its checks are skipped (Debian: zsh)"
    finish
fi
zsh -n "$ZSH_COMP" 2>"$TMP/zerr"
expect_rc "zsh -n _piiscrub" 0 $?
expect_empty "zsh -n: no messages" "$TMP/zerr"

# the option specs of _piiscrub (code, not comments) against --help
grep -v '^ *#' "$ZSH_COMP" >"$TMP/zcode"
grep -oE -- "--[a-z][a-z0-9-]*[a-z0-9]" "$TMP/zcode" | sort -u >"$TMP/z.long"
expect_eq "_piiscrub offers exactly the long options of --help" "$TMP/h.long" "$TMP/z.long"
grep -oE -- "[{'(,]-[a-zA-Z][]+,}[]" "$TMP/zcode" | grep -oE -- '-[a-zA-Z]' | sort -u >"$TMP/z.short"
expect_eq "_piiscrub offers exactly the short options of --help" "$TMP/h.short" "$TMP/z.short"
sed -n "/cmds=(/,/)/p" "$TMP/zcode" | grep -oE "^ *'[a-z-]+:" | tr -d " ':" | sort >"$TMP/z.cmd"
expect_eq "_piiscrub offers exactly the commands of --help" "$TMP/h.cmd" "$TMP/z.cmd"

# Real completion: an interactive zsh on a pseudo-terminal, with compinit
# and _piiscrub on fpath. Each step types keys and reads the terminal until
# a pattern appears; a completion that does not work never prints it, and
# the step gives up after PII_TIMEOUT seconds. R is a function that prints
# its arguments upper-cased between == marks: C-a R RET runs the completed
# line through it, so the completed buffer is read from R's output, not
# from the echo of what was typed.
cat >"$TMP/drive.zsh" <<'ZSH'
zmodload zsh/zpty || exit 3
compdir=$1 out=$2 pat=$3
zpty z 'zsh -f -i' || exit 3
zpty -w z "PS1='%% '; fpath=($compdir \$fpath); autoload -Uz compinit; compinit -u -D; R() { print -r -- \"==\${(U)*}==\" }; print RE\"\"ADY"
zpty -r -m z x '*READY*' || exit 3
step() { # NAME KEYS PATTERN: type KEYS, read up to PATTERN into $out/NAME
    local got
    zpty -w -n z "$2"
    zpty -r -m z got "$3" && print -r -- "$got" >"$out/$1"
}
step for $'piiscrub --for\t\C-aR \n' '*==*==*'
step fmt $'piiscrub -f \t' '*jsonl*'
step only $'\C-upiiscrub -o \t' '*us_ssn*'
step act $'\C-upiiscrub -a cn_mobile=re\t\C-aR \n' '*==*REDACT*==*'
step cmd $'piiscrub det\t\C-aR \n' '*==*==*'
step pat "piiscrub -p $pat -o emp"$'\t\C-aR \n' '*==*==*'
zpty -d z
ZSH
timeout "$PII_TIMEOUT" zsh -f "$TMP/drive.zsh" "$SRC/contrib/completion" "$TMP" "$TMP/emp.pat" </dev/null
expect_rc "zsh on a pseudo-terminal: every step saw its completion" 0 $?
for f in for fmt only act cmd pat; do
    [ -f "$TMP/$f" ] || : >"$TMP/$f"
    tr -d '\r' <"$TMP/$f" >"$TMP/$f.txt"
done
expect_grep "zsh: --for<TAB> -> --format" "$TMP/for.txt" "==PIISCRUB --FORMAT"
expect_grep "zsh: -f <TAB> lists jsonl" "$TMP/fmt.txt" "jsonl"
expect_grep "zsh: -f <TAB> lists auto" "$TMP/fmt.txt" "auto"
expect_grep "zsh: -o <TAB> lists cn_mobile (from the binary)" "$TMP/only.txt" "cn_mobile"
expect_grep "zsh: -o <TAB> lists ipv6 (from the binary)" "$TMP/only.txt" "ipv6"
expect_grep "zsh: -a cn_mobile=re<TAB> -> redact" "$TMP/act.txt" "==PIISCRUB -A CN_MOBILE=REDACT"
expect_grep "zsh: det<TAB> -> detokenize" "$TMP/cmd.txt" "==PIISCRUB DETOKENIZE"
expect_grep "zsh: -p FILE -o emp<TAB> -> the pattern file's type" "$TMP/pat.txt" "-O EMPLOYEE_ID"
finish
