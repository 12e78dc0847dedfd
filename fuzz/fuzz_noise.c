/*
 * fuzz_noise.c - pii_noise_apply (src/transform/noise.h) on fuzzed values
 * and parameters, with a seeded generator.
 *
 * The value is an exactly sized heap copy, so reading past n is an ASan
 * report. The harness parses the value itself with an independent
 * reference of the documented grammar ([ ]*[-+]?digits(.digits)?[ ]*, at
 * most 18 digits) and checks:
 *   - the status is PII_OK, PII_E_PARSE or PII_E_LIMIT for valid
 *     parameters and PII_E_CONFIG exactly for invalid ones; on any error
 *     the output buffer is unchanged;
 *   - PII_E_PARSE exactly when the reference rejects the value (or the
 *     mechanism is geometric and the value has decimals);
 *   - PII_E_LIMIT only when a documented limit may apply (noise scale
 *     below the grid, bounds beyond 18 digits, no grid point in [lo, hi],
 *     a gaussian sigma out of range) and always when one certainly does;
 *   - on PII_OK: the input's leading and trailing spaces around a number
 *     with exactly the input's decimals, a sign only when negative, a value
 *     within [lo, hi]; when the noise scale is far below one grid step the
 *     value is the clamped input; the same seed gives the same output.
 *
 * Input: value text, then parameters from the tail (fuzz_helpers.h): flags
 * (bits 0-1 mechanism, 3 = an invalid one; bit 2 fold the text into
 * " +-.0123456789"; bit 3 allow invalid parameters; bit 4 extreme bounds),
 * epsilon and sensitivity (mantissa byte and exponent byte each), delta
 * byte, lo (4 bytes and a scale byte), width (mantissa, exponent), seed
 * (4 bytes).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_buf.h"
#include "common/pii_secret.h"
#include "fuzz_helpers.h"
#include "transform/noise.h"

typedef struct {
    bool ok;
    size_t lead, trail;
    bool neg;
    double x; /* |value| * 10^d, exact below 2^53, else close */
    unsigned d;
} ref_value;

/* The grammar of noise.h, written out separately from noise.c. */
static ref_value ref_parse(const uint8_t *v, size_t n)
{
    ref_value r = {0};
    size_t a = 0, b = n;
    while (a < n && v[a] == ' ')
        a++;
    while (b > a && v[b - 1] == ' ')
        b--;
    r.lead = a;
    r.trail = n - b;
    size_t i = a;
    if (i < b && (v[i] == '+' || v[i] == '-'))
        r.neg = v[i++] == '-';
    size_t int_start = i;
    while (i < b && v[i] >= '0' && v[i] <= '9')
        i++;
    size_t int_digits = i - int_start, frac_digits = 0;
    if (int_digits == 0)
        return r;
    if (i < b && v[i] == '.') {
        size_t f = ++i;
        while (i < b && v[i] >= '0' && v[i] <= '9')
            i++;
        frac_digits = i - f;
        if (frac_digits == 0)
            return r;
    }
    if (i != b || int_digits + frac_digits > PII_NOISE_MAX_DIGITS)
        return r;
    for (size_t k = int_start; k < b; k++) {
        if (v[k] != '.')
            r.x = r.x * 10 + (v[k] - '0');
    }
    r.d = (unsigned)frac_digits;
    r.ok = true;
    return r;
}

/* The output must be lead spaces, -?(0|[1-9][0-9]*)(.[0-9]{d})?, trail
 * spaces; returns the grid value (as a double: |g| < 2^63). */
static double check_output(const uint8_t *o, size_t n, const ref_value *rv)
{
    FUZZ_ASSERT_MSG(n > rv->lead + rv->trail, "output too short");
    for (size_t i = 0; i < rv->lead; i++)
        FUZZ_ASSERT_MSG(o[i] == ' ', "leading spaces not kept");
    for (size_t i = n - rv->trail; i < n; i++)
        FUZZ_ASSERT_MSG(o[i] == ' ', "trailing spaces not kept");
    const uint8_t *p = o + rv->lead, *end = o + n - rv->trail;
    bool neg = p < end && *p == '-';
    if (neg)
        p++;
    const uint8_t *ds = p;
    double g = 0;
    while (p < end && *p >= '0' && *p <= '9')
        g = g * 10 + (*p++ - '0');
    size_t int_digits = (size_t)(p - ds);
    FUZZ_ASSERT_MSG(int_digits >= 1, "no integer digits");
    FUZZ_ASSERT_MSG(int_digits == 1 || ds[0] != '0', "leading zero in output");
    if (rv->d > 0) {
        FUZZ_ASSERT_MSG(p < end && *p == '.', "decimal point missing");
        p++;
        for (unsigned k = 0; k < rv->d; k++) {
            FUZZ_ASSERT_MSG(p < end && *p >= '0' && *p <= '9', "too few decimals");
            g = g * 10 + (*p++ - '0');
        }
    }
    FUZZ_ASSERT_MSG(p == end, "junk after the number");
    FUZZ_ASSERT_MSG(!(neg && g == 0), "negative zero");
    return neg ? -g : g;
}

static double mant_exp(fuzz_producer *p, int bias)
{
    unsigned m = fuzz_producer_range(p, 0, 255);
    unsigned e = fuzz_producer_range(p, 0, 255);
    return ldexp(1.0 + m / 256.0, (int)(e % 100) - bias);
}

static bool params_valid(const pii_noise_params *q)
{
    bool ok = q->epsilon > 0 && isfinite(q->epsilon) && q->sensitivity > 0 &&
              isfinite(q->sensitivity) && isfinite(q->lo) && isfinite(q->hi) && q->lo < q->hi;
    if (q->mech == PII_MECH_GAUSSIAN)
        ok = ok && q->delta > 0 && q->delta < 1;
    else if (q->mech != PII_MECH_LAPLACE && q->mech != PII_MECH_GEOMETRIC)
        ok = false;
    return ok;
}

static pii_status run(const pii_noise_params *q, uint32_t seed, const uint8_t *v, size_t n,
                      pii_buf *out)
{
    pii_rng r;
    pii_rng_init_seeded(&r, seed, 7);
    pii_buf_init(out, 1u << 20);
    FUZZ_ASSERT(pii_buf_append(out, "keep", 4) == PII_OK);
    pii_status st = pii_noise_apply(q, &r, v, n, out);
    pii_rng_wipe(&r);
    if (st != PII_OK)
        FUZZ_ASSERT_MSG(out->len == 4 && memcmp(out->ptr, "keep", 4) == 0,
                        "output changed on error");
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    if (!init) {
        FUZZ_ASSERT(pii_secret_init() == PII_OK);
        init = true;
    }
    fuzz_producer p = fuzz_producer_make(data, size);
    unsigned flags = fuzz_producer_range(&p, 0, 255);
    pii_noise_params q;
    unsigned mech = flags & 3u;
    q.mech = mech == 3 ? (pii_mechanism)7 : (pii_mechanism)mech;
    q.epsilon = mant_exp(&p, 60);     /* 2^-60 .. 2^40 */
    q.sensitivity = mant_exp(&p, 50); /* 2^-50 .. 2^50 */
    unsigned db = fuzz_producer_range(&p, 0, 255);
    q.delta = pow(10.0, -(double)(1 + db % 16));
    int32_t lo_i = (int32_t)fuzz_producer_u32(&p);
    unsigned lo_scale = fuzz_producer_range(&p, 0, 255);
    q.lo = lo_i / pow(10.0, lo_scale % 10);
    q.hi = q.lo + mant_exp(&p, 40);
    uint32_t seed = fuzz_producer_u32(&p);
    if (flags & 0x10u) {
        static const double ext[] = {-1e300, -1e18, -1e17, 0, 1e17, 1e18, 1e300};
        q.lo = ext[lo_scale % 7];
        q.hi = ext[(lo_scale / 7) % 7];
    }
    if (flags & 0x08u) {
        /* some parameters made invalid */
        static const double junk[] = {0, -1, NAN, INFINITY, 1, 1e-320};
        switch (db % 6) {
        case 0:
            q.epsilon = junk[seed % 6];
            break;
        case 1:
            q.sensitivity = junk[seed % 6];
            break;
        case 2:
            q.delta = junk[seed % 6];
            break;
        case 3:
            q.lo = junk[seed % 6];
            break;
        case 4:
            q.hi = q.lo;
            break;
        default:
            q.hi = junk[seed % 6];
            break;
        }
    }
    size_t n = fuzz_producer_contract(&p, 0);
    uint8_t *v = fuzz_dup_exact(data, n);
    if (flags & 0x04u) {
        static const char alpha[] = " +-.0123456789012345678901234567890123456789";
        for (size_t i = 0; i < n; i++)
            v[i] = (uint8_t)alpha[v[i] % (sizeof(alpha) - 1)];
    }

    pii_buf out;
    pii_status st = run(&q, seed, v, n, &out);
#ifdef FUZZ_NOISE_TRACE /* seed debugging: -DFUZZ_NOISE_TRACE */
    fprintf(stderr,
            "'%.*s' mech %d eps %.17g sens %.17g delta %.17g [%.17g, %.17g] -> status %d '%.*s'\n",
            (int)n, (const char *)v, (int)q.mech, q.epsilon, q.sensitivity, q.delta, q.lo, q.hi,
            (int)st, (int)out.len - 4, (const char *)out.ptr + 4);
#endif
    bool valid = params_valid(&q);
    if (!valid) {
        FUZZ_ASSERT_MSG(st == PII_E_CONFIG, "invalid parameters not PII_E_CONFIG");
        goto done;
    }
    FUZZ_ASSERT_MSG(st == PII_OK || st == PII_E_PARSE || st == PII_E_LIMIT, "unexpected status");

    ref_value rv = ref_parse(v, n);
    bool parse_err = !rv.ok || (q.mech == PII_MECH_GEOMETRIC && rv.d > 0);
    FUZZ_ASSERT_MSG((st == PII_E_PARSE) == parse_err, "PII_E_PARSE differs from the grammar");
    if (parse_err)
        goto done;

    double p10 = pow(10.0, rv.d);
    double glo = q.lo * p10, ghi = q.hi * p10;
    double big = fmax(fabs(glo), fabs(ghi));
    double ratio = q.epsilon / (q.sensitivity * p10); /* noise: exp(-ratio) per grid step */
    bool lap = q.mech != PII_MECH_GAUSSIAN;
    double sigma = lap ? 0 : pii_gaussian_sigma(q.epsilon, q.delta, q.sensitivity) * p10;
    double tol = 1e-9 * fmax(1, big);
    bool empty_may = floor(ghi - tol) < ceil(glo + tol); /* no grid point in [lo, hi] */
    bool empty_must = floor(ghi + tol) < ceil(glo - tol);
    double s2 = sigma * sigma;
    bool limit_may = big >= 1e18 * (1 - 1e-9) || empty_may || (lap && ratio < 0x1p-47) ||
                     (!lap && !(s2 > 1e-300 && s2 < 0x1p100 * 0.999));
    bool limit_must = big > 1.01e18 || empty_must || (lap && ratio < 0.99 * 0x1p-48) ||
                      (!lap && !(s2 < 0x1p100 * 1.001));
    if (st == PII_E_LIMIT)
        FUZZ_ASSERT_MSG(limit_may, "PII_E_LIMIT without a limit");
    if (limit_must)
        FUZZ_ASSERT_MSG(st == PII_E_LIMIT, "a limit not reported");
    if (st != PII_OK)
        goto done;

    /* the form, and the value within the bounds */
    double g = check_output(out.ptr + 4, out.len - 4, &rv);
    FUZZ_ASSERT_MSG(g >= glo - tol && g <= ghi + tol, "output outside [lo, hi]");
    /* far below one grid step (s is capped at 2^14 t): the clamped input */
    if (lap && ratio >= 0x1p15) {
        double x = rv.neg ? -rv.x : rv.x;
        double want = x < glo ? glo : x > ghi ? ghi : x;
        FUZZ_ASSERT_MSG(fabs(g - want) < 1 + tol, "noise at a negligible scale moved the value");
    }
    /* reproducible per seed */
    pii_buf again;
    FUZZ_ASSERT(run(&q, seed, v, n, &again) == PII_OK);
    FUZZ_ASSERT_MSG(again.len == out.len && memcmp(again.ptr, out.ptr, out.len) == 0,
                    "same seed, another output");
    pii_buf_free(&again);

done:
    pii_buf_free(&out);
    free(v);
    return 0;
}
