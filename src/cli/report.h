/*
 * report.h - what piiscrub observes while it runs, without the data:
 * `piiscrub scan`'s findings, --report FILE (JSON), --stats (a summary on
 * stderr) and --progress. main.c calls these hooks; everything here goes
 * through the public API's finding and read callbacks.
 */
#ifndef PII_CLI_REPORT_H
#define PII_CLI_REPORT_H

#include <stdbool.h>

#include "piiscrub/piiscrub.h"

/* If argv[*i] is --report FILE, --stats, --progress or (scan only)
 * --fail-on TYPES, take it (and its value: *i advances) and return true.
 * A missing value is a usage error (exit 2). */
bool pii_cli_obs_option(int argc, char **argv, int *i, bool scan);

/* Before the engine is built: check --fail-on's types against cfg, and set
 * on cfg what the options need (finding callback, scan-only, read callback
 * for --progress when stderr is a terminal). files[0, nfiles) are the
 * inputs ("-" stdin; none: stdin), for the progress total; growing (--follow)
 * means the input has no total. Returns 0 or EXIT_USAGE (message printed). */
int pii_cli_obs_setup(pii_config *cfg, bool scan, char *const *files, int nfiles, bool growing);

/* Set on cfg what pii_cli_obs_setup set on the first config (the finding
 * callback, scan-only, the progress read callback): for an engine built
 * again on SIGHUP. */
void pii_cli_obs_apply(pii_config *cfg);

/* Around each input: its name as given ("-" for stdin), then its counters. */
void pii_cli_obs_input(const char *name);
void pii_cli_obs_input_done(const pii_stream_stats *stats, pii_format format);

/* At the end, with the exit status so far and how the run ended: writes
 * the --report file (atomically), the summary on stderr (scan, --stats),
 * ends the progress line; returns the exit status (scan: 1 when something
 * --fail-on counts was found and nothing failed; 4 when the report or the
 * scan output could not be written). */
int pii_cli_obs_finish(int rc, const char *how);

/* Whether scan mode is on (main discards the data output then). */
bool pii_cli_obs_scan(void);

/* progress.c: a progress line on stderr, only when it is a terminal. */
void pii_cli_progress_start(unsigned long long total); /* 0: size unknown */
void pii_cli_progress_read(size_t n, void *ctx);       /* a pii_read_fn */
void pii_cli_progress_end(void);

#endif /* PII_CLI_REPORT_H */
