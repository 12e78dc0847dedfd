/*
 * cli.h - what the piiscrub command's files share: the exit codes, which
 * are part of the interface (README, --help, piiscrub(1)), and the usage
 * error.
 */
#ifndef PII_CLI_H
#define PII_CLI_H

enum exit_code {
    EXIT_OK = 0,       /* also: stdout's reader went away, stopped by a signal */
    EXIT_FOUND = 1,    /* `piiscrub scan`: personal data found */
    EXIT_USAGE = 2,    /* usage or configuration error */
    EXIT_INPUT = 3,    /* a file cannot be opened or read */
    EXIT_OUTPUT = 4,   /* writing stdout failed (disk full, I/O error) */
    EXIT_INTERNAL = 5, /* internal error or out of memory */
};

/* "piiscrub: MESSAGE" and a pointer to --help on stderr, then exit
 * EXIT_USAGE (main.c). */
void pii_cli_die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif /* PII_CLI_H */
