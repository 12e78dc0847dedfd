/*
 * test_noise.c - Criterion unit tests for src/transform/noise.c (DP noise,
 * reference/dp.md).
 *
 * Overview: the random source first - a known answer for the seeded
 * generator computed independently (Python hashlib.blake2b + the
 * `cryptography` package's ChaCha20, never this code), determinism per
 * (seed, stream), the system generator, wiping, and pii_rng_uniform's
 * range and lack of modulo bias. Then the exact samplers against their
 * distributions: Bernoulli(exp(-gamma)) frequencies within 5 sigma,
 * chi-square goodness of fit for the discrete Laplace and the discrete
 * Gaussian, each with a negative control (the same statistic against a 5%
 * wrong scale, or sigma2 10.5 instead of 10) that must exceed the critical
 * value, proving the test has power at that n (dp.md 9.5). Then the
 * analytic Gaussian sigma against the dp.md section 3 table, and the
 * action: output form, clamping, the grid conversion of the bounds, every
 * documented error, and the mean and variance of the noise on the value
 * scale, again with a negative control (a doubled epsilon).
 *
 * Every random test runs on a seeded generator, so the suite is
 * deterministic; thresholds are nevertheless chosen at alpha = 1e-6 per
 * test (dp.md 9.6), so that a new seed or an unseeded run fails spuriously
 * with probability about 1e-6 per test. Chi-square critical values come
 * from the Wilson-Hilferty approximation, checked against the dp.md table
 * (it is about 1% conservative there). Statistics are logged at info
 * level (run with --verbose).
 *
 * Case tables are looped over inside one test rather than parameterized:
 * under ASan every Criterion test process costs about 0.2 s to start and
 * check for leaks, and one process per case would triple the suite's time.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_buf.h"
#include "common/pii_secret.h"
#include "transform/noise.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One output buffer per test process, reused by apply(): a fresh
 * allocation per call costs more than the noise under ASan. */
static pii_buf obuf;

static void setup(void)
{
    cr_assert_eq(pii_secret_init(), PII_OK);
    pii_buf_init(&obuf, 1 << 16);
}

static void teardown(void)
{
    pii_buf_free(&obuf);
}

TestSuite(noise, .init = setup, .fini = teardown);

/* ------------------------------------------------------------------------ */
/* statistics helpers                                                       */
/* ------------------------------------------------------------------------ */

/* Upper 1e-6 quantile of the standard normal. */
#define Z_1E6 4.753424308822899

/* Chi-square critical value at alpha = 1e-6 (Wilson-Hilferty). */
static double chi2_crit(unsigned df)
{
    double k = df;
    double c = 1.0 - 2.0 / (9.0 * k) + Z_1E6 * sqrt(2.0 / (9.0 * k));
    return k * c * c * c;
}

/* A symmetric distribution on the integers. */
typedef struct {
    bool gauss;
    double a;  /* laplace: exp(-s/t) */
    double s2; /* gauss: sigma^2 */
    double z;  /* gauss: normaliser */
} dist;

static dist dist_laplace(double s, double t)
{
    dist d = {.gauss = false, .a = exp(-s / t)};
    return d;
}

static dist dist_gauss(double s2)
{
    dist d = {.gauss = true, .s2 = s2, .z = 0};
    for (int k = -20000; k <= 20000; k++)
        d.z += exp(-(double)k * k / (2 * s2));
    return d;
}

static double pmf(const dist *d, int64_t y)
{
    double ay = fabs((double)y);
    if (d->gauss)
        return exp(-ay * ay / (2 * d->s2)) / d->z;
    return (1 - d->a) / (1 + d->a) * pow(d->a, ay);
}

/* P(Y >= m) = P(Y <= -m), m >= 1 */
static double tail(const dist *d, int64_t m)
{
    double s = 0;
    for (int64_t k = m; k < m + 20000; k++) {
        double p = pmf(d, k);
        s += p;
        if (p < 1e-300)
            break;
    }
    return s;
}

#define HR 1000 /* histogram: y in [-HR, HR], the ends collect the tails */

typedef struct {
    uint64_t c[2 * HR + 1];
    uint64_t n;
} histo;

static void histo_add(histo *h, int64_t y)
{
    if (y < -HR)
        y = -HR;
    if (y > HR)
        y = HR;
    h->c[y + HR]++;
    h->n++;
}

/*
 * Chi-square of h against d: one cell per integer in (-M, M) and the two
 * tails |y| >= M as cells, M the largest value with expected count >= 5
 * (so every cell's expectation is >= 5). df = 2M.
 */
static double chi2_of(const histo *h, const dist *d, unsigned *df)
{
    double n = (double)h->n;
    int64_t m = 1;
    while (m < HR - 1 && n * pmf(d, m + 1) >= 5.0)
        m++;
    double chi = 0;
    for (int64_t y = -m; y <= m; y++) {
        double e, o = 0;
        if (y == m || y == -m) {
            e = n * tail(d, m);
            for (int64_t k = m; k <= HR; k++)
                o += (double)h->c[(y < 0 ? -k : k) + HR];
        } else {
            e = n * pmf(d, y);
            o = (double)h->c[y + HR];
        }
        chi += (o - e) * (o - e) / e;
    }
    *df = (unsigned)(2 * m);
    return chi;
}

static void mean_var(const double *x, size_t n, double *mean, double *var)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    double m = s / (double)n, q = 0;
    for (size_t i = 0; i < n; i++)
        q += (x[i] - m) * (x[i] - m);
    *mean = m;
    *var = q / (double)(n - 1);
}

Test(noise, chi2_crit_matches_table)
{
    /* dp.md 9.3, alpha = 1e-6; Wilson-Hilferty is slightly high (safe) */
    static const struct {
        unsigned df;
        double crit;
    } t[] = {{10, 46.86}, {20, 65.42}, {30, 82.04}, {50, 112.61}, {100, 182.13}};
    for (size_t i = 0; i < COUNT(t); i++) {
        double c = chi2_crit(t[i].df);
        cr_assert(c >= t[i].crit && c <= t[i].crit * 1.03, "df %u: %f vs %f", t[i].df, c,
                  t[i].crit);
    }
}

/* ------------------------------------------------------------------------ */
/* random source                                                            */
/* ------------------------------------------------------------------------ */

Test(noise, seeded_known_answer)
{
    /* Python: key = blake2b(le64(1) || le64(2), digest_size=32,
     * person=b"piiscrub rng v1\0", salt=0^16); block i = ChaCha20-IETF
     * keystream, nonce le64(i) || 0^4, counter 0; words little-endian. */
    pii_rng r;
    pii_rng_init_seeded(&r, 1, 2);
    cr_assert_eq(pii_rng_u64(&r), UINT64_C(0xbcf333ec2d6d53fa));
    cr_assert_eq(pii_rng_u64(&r), UINT64_C(0x3091f84c553933bd));
    cr_assert_eq(pii_rng_u64(&r), UINT64_C(0x01bec7c5ba1889cc));
    for (int i = 3; i < 64; i++)
        (void)pii_rng_u64(&r);
    cr_assert_eq(pii_rng_u64(&r), UINT64_C(0x1fb9a6b60381cea3)); /* block 1, word 0 */
    for (int i = 65; i < 127; i++)
        (void)pii_rng_u64(&r);
    cr_assert_eq(pii_rng_u64(&r), UINT64_C(0x33c6c1f7d457ba84)); /* block 1, word 63 */
    pii_rng_init_seeded(&r, UINT64_C(0x0123456789abcdef), UINT64_C(0xfedcba9876543210));
    cr_assert_eq(pii_rng_u64(&r), UINT64_C(0x5efd4a692ae6b962));
    pii_rng_wipe(&r);
}

Test(noise, seeded_deterministic)
{
    pii_rng a, b, c, d;
    pii_rng_init_seeded(&a, 42, 7);
    pii_rng_init_seeded(&b, 42, 7);
    pii_rng_init_seeded(&c, 42, 8);
    pii_rng_init_seeded(&d, 43, 7);
    unsigned same_c = 0, same_d = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = pii_rng_u64(&a);
        cr_assert_eq(x, pii_rng_u64(&b), "word %d", i);
        same_c += x == pii_rng_u64(&c);
        same_d += x == pii_rng_u64(&d);
    }
    cr_assert_eq(same_c, 0, "another stream repeats words");
    cr_assert_eq(same_d, 0, "another seed repeats words");
    /* the samplers on top are deterministic too */
    pii_rng_init_seeded(&a, 5, 5);
    pii_rng_init_seeded(&b, 5, 5);
    for (int i = 0; i < 200; i++) {
        cr_assert_eq(pii_sample_discrete_laplace(&a, 3, 7), pii_sample_discrete_laplace(&b, 3, 7));
        cr_assert_eq(pii_sample_discrete_gaussian(&a, 10), pii_sample_discrete_gaussian(&b, 10));
    }
}

Test(noise, system_rng_and_wipe)
{
    pii_rng a, b;
    pii_rng_init_system(&a);
    pii_rng_init_system(&b);
    cr_assert_not(a.seeded);
    unsigned same = 0, high = 0;
    uint64_t first = pii_rng_u64(&a), all_or = 0, all_and = UINT64_MAX;
    for (int i = 0; i < 2000; i++) {
        uint64_t x = pii_rng_u64(&a);
        same += x == pii_rng_u64(&b);
        same += x == first;
        high += (unsigned)(x >> 63);
        all_or |= x;
        all_and &= x;
    }
    cr_assert_eq(same, 0);
    cr_assert_eq(all_or, UINT64_MAX, "a bit never set");
    cr_assert_eq(all_and, 0, "a bit always set");
    /* 2000 fair bits: 5 sigma = 112 */
    cr_assert(high > 1000 - 112 && high < 1000 + 112, "top bit set %u / 2000", high);

    pii_rng s;
    pii_rng_init_seeded(&s, 9, 9);
    (void)pii_rng_u64(&s);
    pii_rng_wipe(&s);
    static const uint8_t zero[32];
    cr_assert_not(s.seeded);
    cr_assert_eq(memcmp(s.key, zero, sizeof(zero)), 0, "key not wiped");
    cr_assert_eq(s.pos, PII_RNG_BLOCK);
    /* a wiped generator draws from the system, not from zeros */
    cr_assert_neq(pii_rng_u64(&s) | pii_rng_u64(&s), 0);
    pii_rng_wipe(&a);
    pii_rng_wipe(&b);
    pii_rng_wipe(&s);
}

Test(noise, uniform_range_and_chi2)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 1, 100);
    cr_assert_eq(pii_rng_uniform(&r, 0), 0);
    cr_assert_eq(pii_rng_uniform(&r, 1), 0);
    for (unsigned n = 2; n < 20; n++) {
        for (int i = 0; i < 200; i++)
            cr_assert_lt(pii_rng_uniform(&r, n), n);
    }
    /* n = 7: 70000 draws, df = 6 */
    uint64_t c[7] = {0};
    for (int i = 0; i < 70000; i++)
        c[pii_rng_uniform(&r, 7)]++;
    double chi = 0;
    for (int k = 0; k < 7; k++)
        chi += ((double)c[k] - 10000.0) * ((double)c[k] - 10000.0) / 10000.0;
    cr_log_info("uniform(7): chi2 = %.2f, df = 6, crit = %.2f", chi, chi2_crit(6));
    cr_assert_lt(chi, chi2_crit(6));
}

Test(noise, uniform_no_modulo_bias)
{
    /* n = 3 * 2^62: plain x % n would put half of the draws below 2^62
     * instead of a third; 2^64 mod n = 2^62, so rejection is heavy here. */
    pii_rng r;
    pii_rng_init_seeded(&r, 2, 100);
    const uint64_t n = UINT64_C(3) << 62;
    const int draws = 30000;
    int low = 0;
    for (int i = 0; i < draws; i++) {
        uint64_t x = pii_rng_uniform(&r, n);
        cr_assert_lt(x, n);
        low += x < (UINT64_C(1) << 62);
    }
    double p = 1.0 / 3.0, sd = sqrt(draws * p * (1 - p));
    cr_assert(fabs(low - draws * p) < 5 * sd, "%d of %d below n/3", low, draws);
    for (int i = 0; i < 1000; i++) {
        cr_assert_lt(pii_rng_uniform(&r, UINT64_MAX), UINT64_MAX);
        cr_assert_lt(pii_rng_uniform(&r, (UINT64_C(1) << 63) + 1), (UINT64_C(1) << 63) + 1);
    }
}

/* ------------------------------------------------------------------------ */
/* Bernoulli(exp(-num/den))                                                 */
/* ------------------------------------------------------------------------ */

struct bern_case {
    uint64_t num, den;
};

static const struct bern_case bern_cases[] = {
    {0, 1},
    {1, 2},
    {1, 1},
    {3, 7},
    {5, 2},
    {3, 1},
    {10, 3},
    {(UINT64_C(1) << 40) + 1, UINT64_C(1) << 40},
    {UINT64_MAX - 1, UINT64_MAX},    /* den near 2^64: no den*k overflow */
    {UINT64_MAX, UINT64_C(1) << 62}, /* gamma ~ 4, large remainder */
    {1, UINT64_C(1000000007)},
};

static void check_bernoulli(const struct bern_case *c)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 3, c->num ^ c->den);
    const int n = 100000;
    int hits = 0;
    for (int i = 0; i < n; i++)
        hits += pii_bernoulli_exp(&r, c->num, c->den);
    double p = exp(-(double)c->num / (double)c->den);
    double sd = sqrt(n * p * (1 - p));
    cr_log_info("bernoulli_exp(%llu/%llu): %d / %d, expected %.1f (5 sd = %.1f)",
                (unsigned long long)c->num, (unsigned long long)c->den, hits, n, n * p, 5 * sd);
    if (p == 1.0)
        cr_assert_eq(hits, n);
    else
        cr_assert(fabs(hits - n * p) <= 5 * sd, "%llu/%llu: %d hits, expected %.1f",
                  (unsigned long long)c->num, (unsigned long long)c->den, hits, n * p);
}

Test(noise, bernoulli_exp)
{
    for (size_t i = 0; i < COUNT(bern_cases); i++)
        check_bernoulli(&bern_cases[i]);
}

Test(noise, bernoulli_exp_extremes)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 4, 0);
    for (int i = 0; i < 2000; i++) {
        cr_assert_not(pii_bernoulli_exp(&r, 40, 1)); /* 4e-18 */
        cr_assert_not(pii_bernoulli_exp(&r, UINT64_MAX, 1));
        cr_assert(pii_bernoulli_exp(&r, 0, UINT64_MAX));
    }
}

/* ------------------------------------------------------------------------ */
/* discrete Laplace and discrete Gaussian                                   */
/* ------------------------------------------------------------------------ */

static histo hist; /* large: not on the stack */

static void check_laplace_fit(uint64_t s, uint64_t t, uint64_t seed, int n)
{
    pii_rng r;
    pii_rng_init_seeded(&r, seed, s * 1000 + t);
    memset(&hist, 0, sizeof(hist));
    for (int i = 0; i < n; i++)
        histo_add(&hist, pii_sample_discrete_laplace(&r, s, t));
    unsigned df, df_bad;
    dist good = dist_laplace((double)s, (double)t);
    dist bad = dist_laplace((double)s, 1.05 * (double)t);
    double chi = chi2_of(&hist, &good, &df);
    double chi_bad = chi2_of(&hist, &bad, &df_bad);
    cr_log_info("discrete laplace s=%llu t=%llu n=%d: chi2 = %.1f df = %u crit = %.1f; "
                "against t*1.05: chi2 = %.1f df = %u crit = %.1f",
                (unsigned long long)s, (unsigned long long)t, n, chi, df, chi2_crit(df), chi_bad,
                df_bad, chi2_crit(df_bad));
    cr_assert_lt(chi, chi2_crit(df), "fit rejected: chi2 %.1f, df %u", chi, df);
    cr_assert_gt(chi_bad, chi2_crit(df_bad), "no power: t*1.05 not rejected (chi2 %.1f)", chi_bad);
}

Test(noise, discrete_laplace_s1_t3)
{
    check_laplace_fit(1, 3, 10, 200000);
}

Test(noise, discrete_laplace_s3_t7)
{
    check_laplace_fit(3, 7, 11, 200000);
}

Test(noise, discrete_laplace_s_above_t)
{
    /* s/t = 5/2: mostly 0 and +-1; tiny expected tails are merged */
    check_laplace_fit(5, 2, 12, 100000);
}

Test(noise, discrete_laplace_large_t_moments)
{
    /* the action's regime: t = 2^48, scale t/s = 1000 grid steps */
    pii_rng r;
    pii_rng_init_seeded(&r, 13, 0);
    const uint64_t t = UINT64_C(1) << 48, s = t / 1000;
    static double x[40000];
    for (size_t i = 0; i < COUNT(x); i++)
        x[i] = (double)pii_sample_discrete_laplace(&r, s, t);
    double m, v, a = exp(-(double)s / (double)t);
    mean_var(x, COUNT(x), &m, &v);
    double want = 2 * a / ((1 - a) * (1 - a));
    cr_log_info("discrete laplace t=2^48 s=t/1000: mean %.2f var %.0f (want 0, %.0f)", m, v, want);
    cr_assert_lt(fabs(m), 5 * sqrt(want / COUNT(x)));
    /* sd of the sample variance ~ sqrt(5/n) * var (Laplace kurtosis 6) */
    cr_assert_lt(fabs(v - want), 5 * sqrt(5.0 / COUNT(x)) * want);
}

static void check_gauss_fit(double s2, double s2_bad, uint64_t seed, int n)
{
    pii_rng r;
    pii_rng_init_seeded(&r, seed, 0);
    memset(&hist, 0, sizeof(hist));
    for (int i = 0; i < n; i++)
        histo_add(&hist, pii_sample_discrete_gaussian(&r, s2));
    unsigned df, df_bad;
    dist good = dist_gauss(s2), bad = dist_gauss(s2_bad);
    double chi = chi2_of(&hist, &good, &df);
    double chi_bad = chi2_of(&hist, &bad, &df_bad);
    cr_log_info("discrete gaussian sigma2=%g n=%d: chi2 = %.1f df = %u crit = %.1f; against "
                "sigma2=%g: chi2 = %.1f df = %u crit = %.1f",
                s2, n, chi, df, chi2_crit(df), s2_bad, chi_bad, df_bad, chi2_crit(df_bad));
    cr_assert_lt(chi, chi2_crit(df), "fit rejected: chi2 %.1f, df %u", chi, df);
    cr_assert_gt(chi_bad, chi2_crit(df_bad), "no power: sigma2 %g not rejected (chi2 %.1f)", s2_bad,
                 chi_bad);
}

Test(noise, discrete_gaussian_10)
{
    check_gauss_fit(10.0, 10.5, 20, 200000);
}

Test(noise, discrete_gaussian_small)
{
    /* sigma < 1: t = 1, and acceptance exponents with large fractional
     * parts (0.45 at 0, 0.006 at +-1, 0.67 at +-2), so an error in the
     * double Bernoulli(exp(-gamma)) shows */
    check_gauss_fit(0.9, 1.0, 21, 200000);
}

Test(noise, discrete_gaussian_large_moments)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 22, 0);
    static double x[20000];
    const double s2 = 1e6;
    for (size_t i = 0; i < COUNT(x); i++)
        x[i] = (double)pii_sample_discrete_gaussian(&r, s2);
    double m, v;
    mean_var(x, COUNT(x), &m, &v);
    cr_log_info("discrete gaussian sigma2=1e6: mean %.2f var %.0f", m, v);
    cr_assert_lt(fabs(m), 5 * sqrt(s2 / COUNT(x)));
    cr_assert_lt(fabs(v - s2), 5 * sqrt(2.0 / COUNT(x)) * s2);
}

/* ------------------------------------------------------------------------ */
/* analytic Gaussian sigma                                                  */
/* ------------------------------------------------------------------------ */

Test(noise, gaussian_sigma_table)
{
    /* dp.md section 3, sensitivity 1 */
    static const struct {
        double eps, delta, sigma;
    } t[] = {{0.5, 1e-5, 7.0318}, {1, 1e-5, 3.7306}, {1, 1e-6, 4.2247}, {2, 1e-5, 1.9938}};
    for (size_t i = 0; i < COUNT(t); i++) {
        double s = pii_gaussian_sigma(t[i].eps, t[i].delta, 1.0);
        cr_log_info("gaussian sigma(eps=%g, delta=%g) = %.6f (table %.4f)", t[i].eps, t[i].delta, s,
                    t[i].sigma);
        cr_assert(fabs(s - t[i].sigma) < 1e-3, "eps %g delta %g: %f", t[i].eps, t[i].delta, s);
        /* linear in the sensitivity */
        double s10 = pii_gaussian_sigma(t[i].eps, t[i].delta, 10.0);
        cr_assert(fabs(s10 - 10 * s) < 1e-9 * s10);
    }
    /* large and small epsilons still give a finite, ordered answer */
    double big = pii_gaussian_sigma(500, 1e-5, 1), small = pii_gaussian_sigma(1e-3, 1e-5, 1);
    cr_assert(isfinite(big) && big > 0 && big < 0.1, "eps 500: %g", big);
    cr_assert(isfinite(small) && small > 1000, "eps 1e-3: %g", small);
    /* epsilon -> 0: (0, delta)-DP needs only total variation <= delta,
     * sigma -> sens / (delta sqrt(2 pi)) = 39894.2 at delta = 1e-5 (the
     * classical formula diverges) */
    /* Values of the exact condition solved with 80-digit arithmetic
     * (Python mpmath: ncdf(a - b) - exp(eps) ncdf(-a - b) <= delta,
     * bisection). The table cases to 1e-9; where the two terms cancel
     * (tiny epsilon, tiny delta) the answer must never be below the exact
     * one - a plain double evaluation gives 1.149e13 instead of 1.2567e13
     * at (1e-12, 1e-50) - and stay within 5% above it. */
    static const struct {
        double eps, delta, sigma, slack;
    } mp[] = {
        {1, 1e-5, 3.730631635, 1e-9},         {0.5, 1e-5, 7.031826676, 1e-9},
        {1, 1e-6, 4.224678889, 1e-9},         {2, 1e-5, 1.993812446, 1e-9},
        {1e-40, 1e-5, 39894.22804, 1e-8},     {1e-6, 1e-100, 20321506.71, 1e-6},
        {1e-9, 1e-20, 6146352868.0, 0.05},    {1e-9, 1e-300, 3.628654599e10, 0.05},
        {1e-12, 1e-15, 2.436407769e12, 0.05}, {1e-12, 1e-50, 1.256721371e13, 0.05},
    };
    for (size_t i = 0; i < COUNT(mp); i++) {
        double s = pii_gaussian_sigma(mp[i].eps, mp[i].delta, 1.0);
        cr_log_info("gaussian sigma(eps=%g, delta=%g) = %.10g (exact %.10g)", mp[i].eps,
                    mp[i].delta, s, mp[i].sigma);
        cr_assert(s >= mp[i].sigma * (1 - 1e-9), "eps %g delta %g: %.10g below the exact %.10g",
                  mp[i].eps, mp[i].delta, s, mp[i].sigma);
        cr_assert(s <= mp[i].sigma * (1 + mp[i].slack), "eps %g delta %g: %.10g, exact %.10g",
                  mp[i].eps, mp[i].delta, s, mp[i].sigma);
    }
    cr_assert(isnan(pii_gaussian_sigma(0, 1e-5, 1)));
    cr_assert(isnan(pii_gaussian_sigma(1, 0, 1)));
    cr_assert(isnan(pii_gaussian_sigma(1, 1, 1)));
    cr_assert(isnan(pii_gaussian_sigma(1, 1e-5, 0)));
    cr_assert(isnan(pii_gaussian_sigma(NAN, 1e-5, 1)));
}

/* ------------------------------------------------------------------------ */
/* the action                                                               */
/* ------------------------------------------------------------------------ */

static pii_noise_params params(pii_mechanism m, double eps, double sens, double lo, double hi)
{
    pii_noise_params p = {
        .mech = m, .epsilon = eps, .delta = 1e-5, .sensitivity = sens, .lo = lo, .hi = hi};
    return p;
}

/* Apply once; the output (NUL-terminated) in out[cap]. */
static pii_status apply(const pii_noise_params *p, pii_rng *r, const char *v, char *out, size_t cap)
{
    obuf.len = 0;
    pii_status st = pii_noise_apply(p, r, (const uint8_t *)v, strlen(v), &obuf);
    if (st == PII_OK) {
        cr_assert_lt(obuf.len, cap);
        memcpy(out, obuf.ptr, obuf.len);
        out[obuf.len] = '\0';
    } else {
        cr_assert_eq(obuf.len, 0, "output written on error");
        out[0] = '\0';
    }
    return st;
}

/* Strictly parse an output number: -?(0|[1-9][0-9]*)(\.[0-9]{d})? with
 * exactly d decimals, no "-0"; the grid value in *g. */
static bool out_grid(const char *s, unsigned d, int64_t *g)
{
    bool neg = *s == '-';
    if (neg)
        s++;
    if (!(*s >= '0' && *s <= '9'))
        return false;
    if (*s == '0' && s[1] >= '0' && s[1] <= '9')
        return false; /* leading zero */
    int64_t acc = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        acc = acc * 10 + (*s - '0');
    if (d > 0) {
        if (*s++ != '.')
            return false;
        for (unsigned i = 0; i < d; i++, s++) {
            if (!(*s >= '0' && *s <= '9'))
                return false;
            acc = acc * 10 + (*s - '0');
        }
    }
    if (*s != '\0')
        return false;
    if (neg && acc == 0)
        return false;
    *g = neg ? -acc : acc;
    return true;
}

Test(noise, output_form)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 30, 0);
    char out[64];
    int64_t g;
    pii_noise_params p = params(PII_MECH_LAPLACE, 1, 10, 0, 1000);
    for (int i = 0; i < 200; i++) {
        cr_assert_eq(apply(&p, &r, "100.00", out, sizeof(out)), PII_OK);
        cr_assert(out_grid(out, 2, &g), "'%s' is not a 2-decimal number", out);
        cr_assert_eq(apply(&p, &r, "42", out, sizeof(out)), PII_OK);
        cr_assert(out_grid(out, 0, &g), "'%s' is not an integer", out);
        cr_assert_eq(apply(&p, &r, "+5", out, sizeof(out)), PII_OK);
        cr_assert(out_grid(out, 0, &g), "'%s' is not an integer", out);
    }
    p = params(PII_MECH_GAUSSIAN, 1, 1, -100, 100); /* sigma 3.73 */
    int negs = 0;
    for (int i = 0; i < 200; i++) {
        cr_assert_eq(apply(&p, &r, "-12.5", out, sizeof(out)), PII_OK);
        cr_assert(out_grid(out, 1, &g), "'%s' is not a 1-decimal number", out);
        negs += g < 0;
    }
    cr_assert_gt(negs, 190, "-12.5 +- 3.7 stays negative");
}

struct exact_case {
    char in[32];
    double lo, hi;
    char want[32];
};

/* epsilon / sensitivity = 1e36: for laplace s is capped at 2^62 and
 * P(noise != 0) < exp(-16000), for gaussian sigma2 < 1e-36 and a nonzero
 * proposal is accepted with probability below exp(-2^63); the output is
 * the clamped value in the value's own form. */
static const struct exact_case exact_cases[] = {
    {"+5", 0, 10, "5"},
    {"0042", 0, 100, "42"},
    {"007.50", 0, 100, "7.50"},
    {"  7.25 ", 0, 10, "  7.25 "},
    {"   -3", -10, 10, "   -3"},
    {"5000", 0, 100, "100"}, /* clamped before noise */
    {"-5000", 0, 100, "0"},
    {"-0.00", 0, 0.001, "0.00"}, /* no "-0.00"; hi = 0.1 grid steps -> 0 */
    {"-0.00", -1, 1, "0.00"},
    {"-0.05", -0.05, -0.0499, "-0.05"},
    {"-1", -1, -0.5, "-1"},
    {"0.00", 0.1, 0.1000001, "0.10"},
    {"0.00", 0.07, 0.0700001, "0.07"}, /* 0.07 * 100 is 7.000000000000001 */
    {"1.00", 0.2899999, 0.29, "0.29"}, /* 0.29 * 100 is 28.999999999999996 */
    {"1.000", 0.2899999, 0.29, "0.290"},
    {"200", 1.1e2, 1.1e2 + 0.5, "110"},
    {"123456789012345678", 0, 9e17, "123456789012345678"}, /* 18 digits */
    {"-12345678901234567.8", -2e16, 0, "-12345678901234567.8"},
    {"0.00000000000000001", 0, 1, "0.00000000000000001"}, /* d = 17 */
    {"1.5", 1.25, 1.35, "1.3"},                           /* lo = 12.5 -> 13, hi = 13.5 -> 13 */
};

static void check_exact(const struct exact_case *c)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 31, 0);
    char out[64];
    static const pii_mechanism mechs[] = {PII_MECH_LAPLACE, PII_MECH_GAUSSIAN};
    for (size_t m = 0; m < COUNT(mechs); m++) {
        pii_noise_params p = params(mechs[m], 1e6, 1e-30, c->lo, c->hi);
        for (int i = 0; i < 20; i++) {
            cr_assert_eq(apply(&p, &r, c->in, out, sizeof(out)), PII_OK, "'%s'", c->in);
            cr_assert_str_eq(out, c->want, "'%s' [%g, %g]", c->in, c->lo, c->hi);
        }
    }
}

Test(noise, exact_outputs)
{
    for (size_t i = 0; i < COUNT(exact_cases); i++)
        check_exact(&exact_cases[i]);
}

struct reject_case {
    char in[32];
};

static const struct reject_case reject_cases[] = {
    {""},
    {" "},
    {"   "},
    {"abc"},
    {"1e5"},
    {"1E5"},
    {"1e-5"},
    {"1,000"},
    {"1.000,5"},
    {"1."},
    {".5"},
    {"-.5"},
    {"+"},
    {"-"},
    {"--1"},
    {"+-1"},
    {"1.2.3"},
    {"\t1"},
    {"1\t"},
    {"1 2"},
    {"- 1"},
    {"0x10"},
    {"1_000"},
    {"NaN"},
    {"nan"},
    {"inf"},
    {"Infinity"},
    {"\xef\xbc\x91"},
    /* full-width 1 */ {"1\n"},
    {"\"1\""},
    {"1234567890123456789"},
    {"0.000000000000000001"},
    {"12345678901234567.89"},
    {"-0000000000000000000"},
};

static void check_reject(const struct reject_case *c)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 32, 0);
    static const pii_mechanism mechs[] = {PII_MECH_LAPLACE, PII_MECH_GEOMETRIC, PII_MECH_GAUSSIAN};
    for (size_t m = 0; m < COUNT(mechs); m++) {
        pii_noise_params p = params(mechs[m], 1, 1, -1e6, 1e6);
        pii_buf b;
        pii_buf_init(&b, 1024);
        cr_assert_eq(pii_buf_append(&b, "keep", 4), PII_OK);
        cr_assert_eq(pii_noise_apply(&p, &r, (const uint8_t *)c->in, strlen(c->in), &b),
                     PII_E_PARSE, "'%s' accepted", c->in);
        cr_assert(b.len == 4 && memcmp(b.ptr, "keep", 4) == 0, "out changed");
        pii_buf_free(&b);
    }
}

Test(noise, rejects)
{
    for (size_t i = 0; i < COUNT(reject_cases); i++)
        check_reject(&reject_cases[i]);
}

Test(noise, geometric_integers_only)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 33, 0);
    char out[64];
    int64_t g;
    pii_noise_params p = params(PII_MECH_GEOMETRIC, 1, 1, -100, 100);
    cr_assert_eq(apply(&p, &r, "1.5", out, sizeof(out)), PII_E_PARSE);
    cr_assert_eq(apply(&p, &r, "1.0", out, sizeof(out)), PII_E_PARSE);
    cr_assert_eq(apply(&p, &r, "-3", out, sizeof(out)), PII_OK);
    cr_assert(out_grid(out, 0, &g));
}

Test(noise, limits_and_config)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 34, 0);
    char out[64];
    pii_noise_params p;

    /* noise scale below the grid: epsilon / (sens * 10^d) < 2^-48 = 3.6e-15 */
    p = params(PII_MECH_LAPLACE, 1e-16, 1, 0, 10);
    cr_assert_eq(apply(&p, &r, "5", out, sizeof(out)), PII_E_LIMIT);
    p = params(PII_MECH_LAPLACE, 1e-9, 1, 0, 10);
    cr_assert_eq(apply(&p, &r, "5", out, sizeof(out)), PII_OK);
    cr_assert_eq(apply(&p, &r, "5.000000", out, sizeof(out)), PII_E_LIMIT);
    /* bounds beyond 18 digits at d decimals */
    p = params(PII_MECH_LAPLACE, 1, 1, 0, 1e18);
    cr_assert_eq(apply(&p, &r, "5", out, sizeof(out)), PII_E_LIMIT);
    p = params(PII_MECH_LAPLACE, 1, 1, 0, 10);
    cr_assert_eq(apply(&p, &r, "0.00000000000000001", out, sizeof(out)), PII_E_LIMIT);
    p = params(PII_MECH_LAPLACE, 1, 1, -1e300, 1e300);
    cr_assert_eq(apply(&p, &r, "5", out, sizeof(out)), PII_E_LIMIT);
    /* no grid point inside [lo, hi] */
    p = params(PII_MECH_LAPLACE, 1, 1, 0.101, 0.109);
    cr_assert_eq(apply(&p, &r, "0.10", out, sizeof(out)), PII_E_LIMIT);
    cr_assert_eq(apply(&p, &r, "0.105", out, sizeof(out)), PII_OK);
    /* gaussian sigma beyond 2^50 = 1.1e15 grid steps: 7.5e14 * 10 */
    p = params(PII_MECH_GAUSSIAN, 1, 2e14, 0, 10);
    cr_assert_eq(apply(&p, &r, "5", out, sizeof(out)), PII_OK);
    cr_assert_eq(apply(&p, &r, "5.0", out, sizeof(out)), PII_E_LIMIT);
    /* output buffer cap */
    {
        p = params(PII_MECH_LAPLACE, 1e6, 1, 0, 1e6);
        pii_buf b;
        pii_buf_init(&b, 3);
        cr_assert_eq(pii_noise_apply(&p, &r, (const uint8_t *)"12345", 5, &b), PII_E_LIMIT);
        cr_assert_eq(b.len, 0);
        pii_buf_free(&b);
    }

    /* invalid parameters */
    static const struct {
        pii_mechanism m;
        double eps, delta, sens, lo, hi;
    } bad[] = {
        {PII_MECH_LAPLACE, 0, 0, 1, 0, 1},    {PII_MECH_LAPLACE, -1, 0, 1, 0, 1},
        {PII_MECH_LAPLACE, NAN, 0, 1, 0, 1},  {PII_MECH_LAPLACE, INFINITY, 0, 1, 0, 1},
        {PII_MECH_LAPLACE, 1, 0, 0, 0, 1},    {PII_MECH_LAPLACE, 1, 0, NAN, 0, 1},
        {PII_MECH_LAPLACE, 1, 0, 1, 1, 1},    {PII_MECH_LAPLACE, 1, 0, 1, 2, 1},
        {PII_MECH_LAPLACE, 1, 0, 1, NAN, 1},  {PII_MECH_LAPLACE, 1, 0, 1, 0, INFINITY},
        {PII_MECH_GAUSSIAN, 1, 0, 1, 0, 1},   {PII_MECH_GAUSSIAN, 1, 1, 1, 0, 1},
        {PII_MECH_GAUSSIAN, 1, NAN, 1, 0, 1}, {(pii_mechanism)7, 1, 0.1, 1, 0, 1},
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        pii_noise_params q = {.mech = bad[i].m,
                              .epsilon = bad[i].eps,
                              .delta = bad[i].delta,
                              .sensitivity = bad[i].sens,
                              .lo = bad[i].lo,
                              .hi = bad[i].hi};
        cr_assert_eq(apply(&q, &r, "0.5", out, sizeof(out)), PII_E_CONFIG, "case %zu", i);
    }
}

Test(noise, clamping_respected)
{
    pii_rng r;
    pii_rng_init_seeded(&r, 35, 0);
    char out[64];
    int64_t g;
    /* laplace, noise sd ~ 1400 against a [0, 100] range */
    pii_noise_params p = params(PII_MECH_LAPLACE, 0.1, 100, 0, 100);
    int at_lo = 0, at_hi = 0;
    for (int i = 0; i < 10000; i++) {
        cr_assert_eq(apply(&p, &r, "50", out, sizeof(out)), PII_OK);
        cr_assert(out_grid(out, 0, &g));
        cr_assert(g >= 0 && g <= 100, "%s outside [0, 100]", out);
        at_lo += g == 0;
        at_hi += g == 100;
    }
    cr_assert(at_lo > 1000 && at_hi > 1000, "bounds reached %d / %d times", at_lo, at_hi);
    /* gaussian at d = 1: [-1.25, 7.75] is [-12, 77] on the grid */
    p = params(PII_MECH_GAUSSIAN, 0.1, 10, -1.25, 7.75);
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (int i = 0; i < 10000; i++) {
        cr_assert_eq(apply(&p, &r, "5.5", out, sizeof(out)), PII_OK);
        cr_assert(out_grid(out, 1, &g));
        min = g < min ? g : min;
        max = g > max ? g : max;
    }
    cr_assert_eq(min, -12);
    cr_assert_eq(max, 77);
}

Test(noise, clamp_before_noise)
{
    /* 1000 clamped to [0, 100] first: the output is 100 when the noise is
     * >= 0, half of the time; noise added to 1000 itself would almost
     * always land above 100. Clamping first is what bounds the
     * sensitivity. */
    pii_rng r;
    pii_rng_init_seeded(&r, 37, 0);
    char out[64];
    int64_t g;
    static const pii_mechanism mechs[] = {PII_MECH_LAPLACE, PII_MECH_GAUSSIAN};
    for (size_t m = 0; m < COUNT(mechs); m++) {
        pii_noise_params p = params(mechs[m], 1, 100, 0, 100);
        int at_hi = 0, at_lo = 0;
        const int n = 4000;
        for (int i = 0; i < n; i++) {
            cr_assert_eq(apply(&p, &r, "1000", out, sizeof(out)), PII_OK);
            cr_assert(out_grid(out, 0, &g));
            at_hi += g == 100;
            cr_assert_eq(apply(&p, &r, "-1000", out, sizeof(out)), PII_OK);
            cr_assert(out_grid(out, 0, &g));
            at_lo += g == 0;
        }
        /* P(noise >= 0) = 1/2 + P(0)/2: within [0.5, 0.52] for these scales */
        double sd = sqrt(n * 0.25);
        cr_assert(at_hi > n / 2 - 5 * sd && at_hi < n * 0.52 + 5 * sd, "%d of %d at hi", at_hi, n);
        cr_assert(at_lo > n / 2 - 5 * sd && at_lo < n * 0.52 + 5 * sd, "%d of %d at lo", at_lo, n);
    }
}

Test(noise, action_deterministic_per_seed)
{
    pii_rng a, b;
    pii_rng_init_seeded(&a, 36, 1);
    pii_rng_init_seeded(&b, 36, 1);
    char oa[64], ob[64];
    pii_noise_params p = params(PII_MECH_LAPLACE, 1, 10, 0, 1000);
    int moved = 0;
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(apply(&p, &a, "100.00", oa, sizeof(oa)), PII_OK);
        cr_assert_eq(apply(&p, &b, "100.00", ob, sizeof(ob)), PII_OK);
        cr_assert_str_eq(oa, ob);
        moved += strcmp(oa, "100.00") != 0;
    }
    cr_assert_gt(moved, 90, "noise is mostly nonzero at scale 10 on a 0.01 grid");
}

/* n draws of the action on `in`, as values (grid / 10^d) into x. */
static void draws(const pii_noise_params *p, uint64_t seed, const char *in, unsigned d, double *x,
                  size_t n)
{
    pii_rng r;
    pii_rng_init_seeded(&r, seed, 0);
    char out[64];
    double p10 = pow(10, d);
    for (size_t i = 0; i < n; i++) {
        int64_t g;
        cr_assert_eq(apply(p, &r, in, out, sizeof(out)), PII_OK);
        cr_assert(out_grid(out, d, &g), "'%s'", out);
        x[i] = (double)g / p10;
    }
}

static bool within(double v, double want, double rel)
{
    return fabs(v - want) <= rel * want;
}

#define NDRAW 100000
static double xs[NDRAW];

Test(noise, laplace_moments)
{
    /* b = sens / eps = 10: mean 100, variance 2 b^2 = 200. Clamping at 0
     * moves P = e^-10 / 2 of the mass: negligible. 5 sd of the mean: 0.22;
     * sd of the variance: sqrt(20 / n) b^2 = 1.4 (10% is 14 sd). */
    pii_noise_params p = params(PII_MECH_LAPLACE, 1, 10, 0, 1000);
    double m, v;
    draws(&p, 40, "100.00", 2, xs, NDRAW);
    mean_var(xs, NDRAW, &m, &v);
    cr_log_info("laplace eps=1 sens=10 on 100.00: mean %.4f var %.2f (want 100, 200)", m, v);
    cr_assert(fabs(m - 100) <= 0.3, "mean %f", m);
    cr_assert(within(v, 200, 0.10), "variance %f", v);

    /* negative control: a doubled epsilon (variance 50) fails the test */
    p.epsilon = 2;
    draws(&p, 41, "100.00", 2, xs, NDRAW);
    mean_var(xs, NDRAW, &m, &v);
    cr_log_info("negative control eps=2: mean %.4f var %.2f", m, v);
    cr_assert_not(within(v, 200, 0.10), "variance %f passes for a doubled epsilon", v);
}

Test(noise, geometric_moments)
{
    /* alpha = exp(-eps / sens) = exp(-0.1): variance 2 alpha / (1 - alpha)^2 */
    pii_noise_params p = params(PII_MECH_GEOMETRIC, 1, 10, 0, 1000);
    double a = exp(-0.1), want = 2 * a / ((1 - a) * (1 - a));
    double m, v;
    draws(&p, 42, "100", 0, xs, NDRAW);
    mean_var(xs, NDRAW, &m, &v);
    cr_log_info("geometric eps=1 sens=10 on 100: mean %.4f var %.2f (want 100, %.2f)", m, v, want);
    cr_assert(fabs(m - 100) <= 0.3, "mean %f", m);
    cr_assert(within(v, want, 0.10), "variance %f, want %f", v, want);

    p.epsilon = 2;
    draws(&p, 43, "100", 0, xs, NDRAW);
    mean_var(xs, NDRAW, &m, &v);
    cr_log_info("negative control eps=2: var %.2f", v);
    cr_assert_not(within(v, want, 0.10), "variance %f passes for a doubled epsilon", v);
}

Test(noise, gaussian_moments)
{
    /* sigma = 3.7306 (dp.md 3) at d = 1: grid sigma 37.3 */
    pii_noise_params p = params(PII_MECH_GAUSSIAN, 1, 1, -1000, 1000);
    double s = pii_gaussian_sigma(1, 1e-5, 1), m, v;
    const size_t n = 20000;
    draws(&p, 44, "10.0", 1, xs, n);
    mean_var(xs, n, &m, &v);
    cr_log_info("gaussian eps=1 delta=1e-5 on 10.0: mean %.4f var %.3f (want 10, %.3f)", m, v,
                s * s);
    cr_assert(fabs(m - 10) <= 5 * s / sqrt((double)n), "mean %f", m);
    cr_assert(within(v, s * s, 0.10), "variance %f", v);
}
