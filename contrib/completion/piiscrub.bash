# bash completion for piiscrub(1)                          -*- shell-script -*-
#
# Installed by `cmake --install` as share/bash-completion/completions/piiscrub
# (loaded on demand by bash-completion); or source it from ~/.bashrc.
# Self-contained: it needs bash 4 and nothing from bash-completion.
#
# Entity types (for -o/--only and -a/--action) come from the binary being
# completed, `piiscrub entities --tsv`, with the command line's own
# --patterns files, so types from pattern files are offered too.
#
# The option lists below must match `piiscrub --help`:
# tests/cli/completion.sh checks it.

_piiscrub_opts_value='--action --only --patterns --min-confidence --key-file --format --delimiter
    --policy --max-record --follow --state --report --today --threads --seed --fail-on'
_piiscrub_opts_flag='--no-header --no-fpe-markers --line-buffered --stats --progress --help
    --version'
_piiscrub_opts_short='-a -o -p -k -f -j -h -V'
_piiscrub_commands='scan entities keygen check-policy detokenize'
_piiscrub_formats='text csv tsv jsonl auto'
_piiscrub_actions='mask redact keep token fpe'

# _piiscrub_types BIN WORD...: the entity type names that BIN lists, with
# the --patterns files found among WORDs.
_piiscrub_types() {
    local bin=$1 w prev='' i
    shift
    local -a pat=()
    for w in "$@"; do
        case $prev in -p | --patterns) pat+=(--patterns "$w") ;; esac
        case $w in --patterns=*) pat+=(--patterns "${w#--patterns=}") ;; esac
        prev=$w
    done
    # an unreadable pattern file makes the listing fail: then list the
    # built-in types alone
    local list
    if ! list=$("$bin" entities "${pat[@]}" --tsv 2>/dev/null); then
        list=$("$bin" entities --tsv 2>/dev/null) || return 0
    fi
    while IFS=$'\t' read -r i _; do
        [ "$i" = TYPE ] || printf '%s\n' "$i"
    done <<<"$list"
}

_piiscrub() {
    local cword=$COMP_CWORD i w
    # Put back together what COMP_WORDBREAKS split at '=': "--format", "=",
    # "cs" is the word "--format=cs" (and "cn_mobile", "=", "" after -a is
    # "cn_mobile=").
    local -a words=()
    local j=-1 glue=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        if [ "$w" = = ] && [ $j -ge 0 ]; then
            words[j]+=$w
            glue=1
        elif [ $glue = 1 ]; then
            words[j]+=$w
            glue=0
        else
            j=$((j + 1))
            words[j]=$w
        fi
        [ "$i" = "$COMP_CWORD" ] && cword=$j
    done
    local cur=${words[cword]-} prev=''
    [ "$cword" -gt 0 ] && prev=${words[cword - 1]}

    local bin=${words[0]}
    command -v -- "$bin" >/dev/null 2>&1 || bin=piiscrub

    local cmd='' opt='' val=$cur pre=''
    [ "$cword" -gt 1 ] && case " $_piiscrub_commands " in *" ${words[1]} "*) cmd=${words[1]} ;; esac

    # the option whose value is being completed, and the value so far
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        pre=$opt=
        val=${cur#*=}
    elif [[ $prev == -* ]] && [[ " $_piiscrub_opts_value -a -o -p -k -f -j " == *" $prev "* ]]; then
        opt=$prev
    fi
    if [ "$cmd" = keygen ]; then
        [ "$opt" = -o ] && opt=--keygen-output || opt=''
    fi

    local -a cands=()
    local files=0 nospace=0
    case $opt in
        -a | --action)
            if [[ $val == *=* ]]; then
                for w in $_piiscrub_actions; do cands+=("${val%%=*}=$w"); done
            else
                while IFS= read -r w; do cands+=("$w="); done < <(_piiscrub_types "$bin" "${words[@]}")
                cands+=(all=)
                nospace=1
            fi
            ;;
        -o | --only | --fail-on)
            local done_part=''
            [[ $val == *,* ]] && done_part=${val%,*},
            while IFS= read -r w; do cands+=("$done_part$w"); done < <(_piiscrub_types "$bin" "${words[@]}")
            ;;
        -f | --format) cands=($_piiscrub_formats) ;;
        --on-error) cands=(scan stop) ;;
        --delimiter) cands=(, ';' '|' tab) ;;
        -p | --patterns | -k | --key-file | --policy | --follow | --state | --report | --keygen-output)
            files=1
            ;;
        -j | --threads | --min-confidence | --max-record | --today | --seed) ;;
        '')
            if [[ $cur == -* ]]; then
                case $cmd in
                    entities) cands=(--patterns --tsv) ;;
                    keygen) cands=(-o) ;;
                    check-policy) cands=(--patterns) ;;
                    detokenize) cands=(-k --key-file) ;;
                    *)
                        cands=($_piiscrub_opts_value $_piiscrub_opts_flag --on-error=)
                        [[ $cur == --* ]] || cands+=($_piiscrub_opts_short)
                        ;;
                esac
            else
                [ "$cmd" = keygen ] || [ "$cmd" = entities ] || files=1
                [ "$cword" = 1 ] && cands=($_piiscrub_commands)
            fi
            ;;
    esac
    if [ $files = 1 ]; then
        while IFS= read -r w; do cands+=("$w"); done < <(compgen -f -- "$val")
        compopt -o filenames 2>/dev/null
    fi

    # keep the candidates that start with what is typed
    COMPREPLY=()
    for w in "${cands[@]}"; do
        [[ $w == "$val"* ]] && COMPREPLY+=("$pre$w")
        [[ $w == *= ]] && nospace=1
    done
    [ $nospace = 1 ] && compopt -o nospace 2>/dev/null
    # bash replaces only the part of the word after the last '=' when '=' is
    # in COMP_WORDBREAKS (the default): drop what comes before it
    if [[ $cur == *=* ]] && [[ $COMP_WORDBREAKS == *=* ]]; then
        local cut=${cur%"${cur##*=}"}
        COMPREPLY=("${COMPREPLY[@]#"$cut"}")
    fi
    return 0
}
complete -F _piiscrub piiscrub
