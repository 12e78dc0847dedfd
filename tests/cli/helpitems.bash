# shellcheck shell=bash
#
# helpitems.bash - what `piiscrub --help` lists, one item a line, sorted:
# the reference that the man page (manpage.sh) and the shell completions
# (completion.sh) are checked against. Sourced after lib.sh; not a test
# itself (tests/CMakeLists.txt registers only *.sh).
#
# Each function reads a --help text on stdin, so that the tests can also
# feed it a doctored text and prove that a missing item is caught.

# Every long option named anywhere in --help (option lines, usage lines, the
# command descriptions): --name, without "=VALUE".
help_long_opts() {
    grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | sort -u
}

# Short options: those of the option lines ("  -a, --action ...") and those
# on the usage lines ("piiscrub keygen [-o FILE]").
help_short_opts() {
    sed -nE '/^ +-[a-zA-Z], --/p; /^(Usage:)? +piiscrub /p' |
        grep -oE -- '(^|[ [])-[a-zA-Z]([],| ]|$)' | grep -oE -- '-[a-zA-Z]' | sort -u
}

# Commands: the words after "piiscrub" on the usage lines, and the first
# word of each line of the "Commands:" section.
help_commands() {
    awk '
        /^(Usage:)? +piiscrub [a-z]/ {
            for (i = 1; i < NF; i++)
                if ($i == "piiscrub" && $(i + 1) ~ /^[a-z][a-z-]*$/) print $(i + 1)
        }
        /^Commands:/ { inside = 1; next }
        inside && /^$/ { inside = 0 }
        inside && /^  [a-z]/ { print $1 }
    ' | sort -u
}

# Exit statuses from the "Exit status:" paragraph ("0 success ..., 2 usage").
help_exit_codes() {
    awk '/^Exit status:/ { inside = 1 } inside && /^$/ { inside = 0 } inside' |
        grep -oE '(^|[:,] )[0-9]+ [a-z]' | grep -oE '[0-9]+' | sort -un
}
