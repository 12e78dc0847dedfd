/*
 * test_util.h - helpers shared by the Criterion suites.
 */
#ifndef PII_TEST_UTIL_H
#define PII_TEST_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "piiscrub/piiscrub.h"

/* An engine with every type enabled and `today` pinned, so ID date checks do
 * not depend on the clock. Actions: default (mask) unless `redact`. */
static inline pii_engine *test_engine(int redact)
{
    pii_config *cfg = pii_config_new();
    pii_config_set_today(cfg, 20261129);
    if (redact) {
        for (size_t i = 0; i < pii_config_entity_count(cfg); i++) {
            if (pii_config_set_action(cfg, pii_config_entity_get(cfg, i)->name, PII_ACTION_REDACT, NULL) !=
                PII_OK)
                abort();
        }
    }
    pii_engine *e = NULL;
    if (pii_engine_new(cfg, &e, NULL) != PII_OK)
        abort();
    pii_config_free(cfg);
    return e;
}

/* Run `in` (n bytes) through the engine in one shot; returns an owned,
 * NUL-terminated copy of the output and its length in *out_len. */
static inline char *test_run(const pii_engine *e, const char *in, size_t n, size_t *out_len)
{
    char *out = NULL;
    size_t len = 0;
    if (pii_redact_buffer(e, in, n, &out, &len, NULL) != PII_OK)
        abort();
    if (out_len)
        *out_len = len;
    return out;
}

#endif /* PII_TEST_UTIL_H */
