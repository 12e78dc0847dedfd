/*
 * scan.c - `piiscrub scan [FILE...]`: find, transform nothing, and write
 * one JSON line per finding to stdout:
 *
 *   {"file":"in.txt","line":3,"record":3,"offset":120,"length":11,
 *    "type":"cn_mobile","detector":"cn_mobile.pat","confidence":95,
 *    "action":"mask","field":null,"fingerprint":"9f2c..."}
 *
 * never the value. "fingerprint" is there only with a key. The library
 * hands over each finding through the finding callback (report.c), so the
 * data itself never reaches this file. The exit status says whether
 * anything was found (1) or not (0), for a CI step that must block an
 * export; --fail-on TYPES counts only those types.
 */
#include "scan.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonw.h"

#define FAIL_ON_MAX 256

static const char *fail_on_list;
static char *fail_on[FAIL_ON_MAX]; /* NULL-terminated; empty: every type fails */
static size_t nfail_on;
static bool found;

void pii_cli_scan_set_fail_on(const char *list)
{
    fail_on_list = list;
}

int pii_cli_scan_check_fail_on(const pii_config *cfg)
{
    if (fail_on_list == NULL)
        return 0;
    const char *p = fail_on_list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const pii_entity_info *hit = NULL;
        for (size_t i = 0; i < pii_config_entity_count(cfg) && hit == NULL; i++) {
            const pii_entity_info *e = pii_config_entity_get(cfg, i);
            if (strlen(e->name) == n && memcmp(e->name, p, n) == 0)
                hit = e;
        }
        if (n == 0 || hit == NULL || nfail_on == FAIL_ON_MAX) {
            fprintf(stderr,
                    "piiscrub: --fail-on: unknown entity type '%.*s' (see 'piiscrub entities')\n"
                    "Try 'piiscrub --help' for more information.\n",
                    (int)(n < 64 ? n : 64), p);
            return EXIT_USAGE;
        }
        /* the config's strings live as long as the config: keep copies */
        if ((fail_on[nfail_on] = strdup(hit->name)) == NULL) {
            fprintf(stderr, "piiscrub: out of memory\n");
            return EXIT_INTERNAL;
        }
        nfail_on++;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    return 0;
}

static void json_field(const char *s)
{
    if (s == NULL)
        fputs("null", stdout);
    else
        pii_cli_json_write(stdout, s, strlen(s));
}

void pii_cli_scan_event(const char *file_json, const pii_finding_event *ev)
{
    bool fails = nfail_on == 0;
    for (size_t i = 0; i < nfail_on && !fails; i++)
        fails = ev->type != NULL && strcmp(ev->type, fail_on[i]) == 0;
    found |= fails;
    if (file_json == NULL)
        return;
    printf("{\"file\":%s,\"line\":%llu,\"record\":%llu,\"offset\":%llu,\"length\":%llu,\"type\":",
           file_json, (unsigned long long)ev->line, (unsigned long long)ev->record,
           (unsigned long long)ev->offset, (unsigned long long)ev->length);
    json_field(ev->type);
    fputs(",\"detector\":", stdout);
    json_field(ev->detector);
    printf(",\"confidence\":%u,\"action\":", ev->confidence);
    json_field(ev->action);
    fputs(",\"field\":", stdout);
    json_field(ev->field);
    if (ev->fingerprint != NULL)
        printf(",\"fingerprint\":\"%s\"", ev->fingerprint);
    fputs("}\n", stdout);
}

bool pii_cli_scan_found(void)
{
    return found;
}

int pii_cli_scan_finish(void)
{
    for (size_t i = 0; i < nfail_on; i++)
        free(fail_on[i]);
    nfail_on = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno == EPIPE)
            return EXIT_OK; /* the reader went away: stop quietly, as a filter does */
        fprintf(stderr, "piiscrub: writing the findings to stdout failed: %s\n", strerror(errno));
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}
