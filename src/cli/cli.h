/*
 * cli.h - what the piiscrub command's files share: the exit codes, which
 * are part of the interface (README, --help, piiscrub(1)).
 */
#ifndef PII_CLI_H
#define PII_CLI_H

enum exit_code {
    EXIT_OK = 0,       /* also: stdout's reader went away, stopped by a signal */
    EXIT_FOUND = 1,    /* reserved for `piiscrub scan`: personal data found */
    EXIT_USAGE = 2,    /* usage or configuration error */
    EXIT_INPUT = 3,    /* a file cannot be opened or read */
    EXIT_OUTPUT = 4,   /* writing stdout failed (disk full, I/O error) */
    EXIT_INTERNAL = 5, /* internal error or out of memory */
};

#endif /* PII_CLI_H */
