/*
 * reload.h - SIGHUP: build the configuration again from the files the
 * command line names, and swap engines between records (issue 8).
 */
#ifndef PII_CLI_RELOAD_H
#define PII_CLI_RELOAD_H

#include <signal.h>
#include <stdbool.h>

#include "piiscrub/piiscrub.h"

/* What a reload needs: the command line (as main split it), what start-up
 * decided from it and the input (the format, perhaps sniffed), the signal
 * flags and the engine in use, which this structure owns. */
typedef struct {
    int argc;
    char **argv;
    int first;       /* index of the first option (2 after a command word) */
    bool detokenize; /* `piiscrub detokenize` */
    pii_format format;
    char delim;
    bool header;
    volatile sig_atomic_t *stop;   /* SIGTERM/SIGINT */
    volatile sig_atomic_t *reload; /* SIGHUP */
    pii_engine *eng;               /* owned; replaced by a successful reload */
} pii_cli_setup;

/*
 * Build the configuration as start-up did, again: a new config, the
 * --patterns files, the --key-file files (else $PIISCRUB_KEY_FILE, looked
 * up again), the --policy file, then the options that change the config
 * (-a, -o, --min-confidence, --no-fpe-markers, --on-error, --line-buffered,
 * --max-record, --seed, --today) in command-line order, the format, the
 * flags and what --report, --stats, --progress and scan observe
 * (pii_cli_obs_apply); then an engine. The option values were checked at start-up. On
 * failure err names the file (and line) and why; *out is NULL.
 */
pii_status pii_cli_engine_build(const pii_cli_setup *cs, pii_engine **out, pii_error *err);

/*
 * The reload flag is set: clear it and build a new engine. On success the
 * new engine replaces cs->eng, the old one is returned (the caller frees
 * it once no stream uses it) and stderr says so; on failure cs->eng stays,
 * stderr says why (file, line, reason; never key material or data) and
 * NULL is returned.
 */
pii_engine *pii_cli_reload(pii_cli_setup *cs);

/*
 * pii_run_fd_resume over fd with head[0, head_len) first, to out_fd (< 0:
 * discarded, for scan),
 * reloading (pii_cli_reload) whenever it returns for one, until the input
 * ends or it stops. stats count the whole input.
 */
pii_status pii_cli_run_fd(pii_cli_setup *cs, const void *head, size_t head_len, int fd,
                          int out_fd, unsigned threads, pii_stream_stats *stats, pii_error *err);

#endif /* PII_CLI_RELOAD_H */
