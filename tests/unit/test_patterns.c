/*
 * test_patterns.c - every built-in pattern file proves itself: each
 * `example:` line must yield a finding of that detector over exactly the
 * given value, each `counter:` line none, with all built-in detectors on.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "detect/detect.h"
#include "engine/engine_internal.h"

Test(patterns, builtin_examples_and_counters)
{
    pii_def_list defs = {0};
    pii_error err;
    cr_assert_eq(pii_builtin_defs(&defs, &err), PII_OK, "%s", err.msg);
    cr_assert_geq(defs.len, 16);
    bool *en = calloc(defs.len, sizeof(bool));
    for (size_t i = 0; i < defs.len; i++)
        en[i] = true;
    pii_detect_cfg cfg;
    cr_assert_eq(pii_detect_cfg_build(&cfg, defs.v, en, defs.len, &err), PII_OK, "%s", err.msg);
    cfg.today = 20261129;
    cfg.min_confidence = 50;
    pii_scan_ws ws;
    cr_assert_eq(pii_scan_ws_init(&ws), PII_OK);
    pii_findings f = {0};
    size_t checked = 0, failed = 0;
    for (size_t i = 0; i < defs.len; i++) {
        const pii_detector_def *d = &defs.v[i];
        size_t nex = 0, ncounter = 0;
        for (size_t e = 0; e < d->nexamples; e++) {
            const pii_pat_example *ex = &d->examples[e];
            size_t n = strlen(ex->text);
            cr_assert_eq(pii_detect_scan(&cfg, &ws, (const uint8_t *)ex->text, n, 0, 0, &f),
                         PII_OK);
            bool hit = false, exact = false;
            for (size_t k = 0; k < f.len; k++) {
                if (cfg.det[f.v[k].det].def != d)
                    continue;
                hit = true;
                size_t vl = ex->value ? strlen(ex->value) : 0;
                if (ex->value && f.v[k].end - f.v[k].start == vl &&
                    memcmp(ex->text + f.v[k].start, ex->value, vl) == 0)
                    exact = true;
            }
            checked++;
            if (ex->value) {
                nex++;
                cr_expect(exact, "%s: example '%s' should find '%s' (%s)", d->source, ex->text,
                          ex->value, hit ? "found another span" : "found nothing");
                failed += !exact;
            } else {
                ncounter++;
                cr_expect(!hit, "%s: counter-example '%s' was found", d->source, ex->text);
                failed += hit;
            }
        }
        cr_expect_geq(nex, 1, "%s has no example", d->source);
        cr_expect_geq(ncounter, 1, "%s has no counter-example", d->source);
    }
    printf("pattern examples checked: %zu, failed: %zu\n", checked, failed);
    pii_findings_free(&f);
    pii_scan_ws_free(&ws);
    pii_detect_cfg_free(&cfg);
    pii_def_list_free(&defs);
    free(en);
}
