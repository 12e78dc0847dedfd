/*
 * scan.h - `piiscrub scan`: findings as JSON Lines on stdout, and its exit
 * status (1 when something was found; --fail-on TYPES narrows that).
 */
#ifndef PII_CLI_SCAN_H
#define PII_CLI_SCAN_H

#include <stdbool.h>

#include "piiscrub/piiscrub.h"

/* --fail-on TYPE[,TYPE...] (borrowed until pii_cli_scan_check_fail_on). */
void pii_cli_scan_set_fail_on(const char *list);

/* Check the --fail-on types against cfg's entity types: 0, or EXIT_USAGE
 * with a message naming the unknown type. */
int pii_cli_scan_check_fail_on(const pii_config *cfg);

/* One finding as a JSON line on stdout; file_json is the input's name as
 * a JSON string (NULL when out of memory: the line is then not written). */
void pii_cli_scan_event(const char *file_json, const pii_finding_event *ev);

/* Whether a finding that fails the scan was seen. */
bool pii_cli_scan_found(void);

/* Flush stdout: 0, or EXIT_OUTPUT (message printed) when writing failed. */
int pii_cli_scan_finish(void);

#endif /* PII_CLI_SCAN_H */
