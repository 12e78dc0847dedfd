/*
 * privacy.c - the privacy accounting of the noise fields.
 *
 * Each noise field spends its epsilon (and delta) on every value it
 * changes. Under basic sequential composition (reference/dp.md section 1)
 * a record costs the sum over the values noised in it: for CSV every noise
 * column once; for JSON a path with [] or * can match several values of
 * one record, so the static bound counts each rule once and the stream
 * reports the largest spend it actually saw in one record.
 *
 * The report names fields and parameters only: never a value or a key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine_internal.h"

typedef struct {
    char *buf;
    size_t cap, len; /* len: what the full text needs */
} sink;

PII_PRINTF(2, 3) static void put(sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = s->len < s->cap ? s->cap - s->len : 0;
    int n = vsnprintf(room ? s->buf + s->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        s->len += (size_t)n;
}

static const char *mech_name(pii_mechanism m)
{
    return m == PII_MECH_GEOMETRIC ? "geometric" : m == PII_MECH_GAUSSIAN ? "gaussian" : "laplace";
}

size_t pii_engine_privacy_report(const pii_engine *e, const pii_stream_stats *stats, char *buf,
                                 size_t cap)
{
    sink s = {buf, cap, 0};
    if (cap > 0)
        buf[0] = '\0';
    double eps = 0, delta = 0;
    bool any = false, wild = false;
    for (size_t i = 0; i < e->nrules; i++) {
        const pii_field_rule *r = &e->rules[i];
        if (!r->noise)
            continue;
        any = true;
        eps += r->np.epsilon;
        delta += r->np.mech == PII_MECH_GAUSSIAN ? r->np.delta : 0;
        wild = wild || strpbrk(r->name, "[*") != NULL;
        put(&s, "piiscrub: privacy: field '%s': %s noise, epsilon %g", r->name,
            mech_name(r->np.mech), r->np.epsilon);
        if (r->np.mech == PII_MECH_GAUSSIAN)
            put(&s, ", delta %g", r->np.delta);
        put(&s, ", sensitivity %g, clamp [%g, %g]", r->np.sensitivity, r->np.lo, r->np.hi);
        if (r->np.sensitivity < r->np.hi - r->np.lo)
            put(&s, " (protects changes of up to %g, not any value in the clamp)",
                r->np.sensitivity);
        put(&s, "\n");
    }
    if (!any)
        return 0;
    put(&s, "piiscrub: privacy: per record (basic composition): epsilon %g", eps);
    if (delta > 0)
        put(&s, ", delta %g", delta);
    if (wild)
        put(&s, " per matching value of each field");
    if (stats != NULL && stats->noised > 0) {
        put(&s, "; spent at most epsilon %g", stats->max_record_epsilon);
        if (stats->max_record_delta > 0)
            put(&s, ", delta %g", stats->max_record_delta);
        put(&s, " in one record (%llu value%s noised)", (unsigned long long)stats->noised,
            stats->noised == 1 ? "" : "s");
    }
    put(&s, "\n");
    double worst = stats != NULL && stats->max_record_epsilon > eps ? stats->max_record_epsilon
                                                                     : eps;
    if (worst > PII_DP_EPSILON_WARN)
        put(&s,
            "piiscrub: warning: epsilon %g per record is above %g: the noise protects little; "
            "lower epsilon or noise fewer fields\n",
            worst, PII_DP_EPSILON_WARN);
    if (e->seeded)
        put(&s, "piiscrub: warning: seeded noise: the output is NOT private (tests only)\n");
    return s.len;
}
