/*
 * noise.c - differentially private noise on an exact decimal grid.
 *
 * Three layers, bottom up. The random source hands out uniform 64-bit
 * words: libsodium's CSPRNG, or for tests a ChaCha20 keystream under a key
 * hashed from (seed, stream), with every integer encoded little-endian so
 * that a seed gives the same words on every machine. On top of it the exact
 * samplers of Canonne, Kamath and Steinke (dp.md section 5) use nothing but
 * uniform integers: Bernoulli(exp(-num/den)), the discrete Laplace and the
 * discrete Gaussian (whose acceptance test alone compares 53-bit grid
 * doubles against a double exponent, dp.md section 8). No noise value is
 * ever computed from a logarithm of a uniform double (dp.md section 6).
 * The action at the top reads the value as an integer X on the grid
 * 10^-d, clamps it to the configured bounds converted to the grid, adds
 * integer noise with the scale converted to the grid, clamps again and
 * writes exactly d decimals back.
 */
#include "transform/noise.h"

#include <assert.h>
#include <math.h>
#include <sodium.h>
#include <string.h>

/* ---- random source ---------------------------------------------------------- */

/* BLAKE2b personalisation (exactly 16 bytes with the NUL): a key derived
 * for this generator is never the key of anything else. */
static const uint8_t rng_personal[crypto_generichash_blake2b_PERSONALBYTES] = "piiscrub rng v1";

static void store_le64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void pii_rng_init_system(pii_rng *r)
{
    sodium_memzero(r, sizeof(*r));
    r->seeded = false;
    r->pos = PII_RNG_BLOCK;
}

/*
 * key = BLAKE2b-256(le64(seed) || le64(stream)), no key, zero salt,
 * personal "piiscrub rng v1\0". Block i of the stream is the first 512
 * bytes of ChaCha20-IETF keystream (RFC 8439, block counter from 0) under
 * that key with the nonce le64(i) || 0^4: one nonce per block, so the
 * 32-bit block counter never wraps and 2^64 blocks are available.
 */
void pii_rng_init_seeded(pii_rng *r, uint64_t seed, uint64_t stream)
{
    uint8_t in[16];
    static const uint8_t salt[crypto_generichash_blake2b_SALTBYTES];

    sodium_memzero(r, sizeof(*r));
    store_le64(in, seed);
    store_le64(in + 8, stream);
    /* cannot fail with these fixed, valid lengths */
    (void)crypto_generichash_blake2b_salt_personal(r->key, sizeof(r->key), in, sizeof(in), NULL, 0,
                                                   salt, rng_personal);
    sodium_memzero(in, sizeof(in));
    r->seeded = true;
    r->counter = 0;
    r->pos = PII_RNG_BLOCK;
}

void pii_rng_wipe(pii_rng *r)
{
    sodium_memzero(r, sizeof(*r));
    /* An empty, unseeded generator: a wiped one used by mistake draws from
     * the system CSPRNG, never a block of zeros. */
    r->pos = PII_RNG_BLOCK;
}

static void rng_refill(pii_rng *r)
{
    if (r->seeded) {
        uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
        store_le64(nonce, r->counter);
        r->counter++;
        (void)crypto_stream_chacha20_ietf(r->block, sizeof(r->block), nonce, r->key);
    } else {
        randombytes_buf(r->block, sizeof(r->block));
    }
    r->pos = 0;
}

uint64_t pii_rng_u64(pii_rng *r)
{
    if (r->pos > PII_RNG_BLOCK - 8)
        rng_refill(r);
    uint64_t v = load_le64(r->block + r->pos);
    /* used randomness does not stay in memory: a later dump of the state
     * cannot reconstruct the noise of values already written */
    sodium_memzero(r->block + r->pos, 8);
    r->pos += 8;
    return v;
}

/* Rejection on 64-bit words: accept x >= 2^64 mod n, which leaves a range
 * whose size is a multiple of n (OpenBSD arc4random_uniform). Fewer than
 * half of the draws are rejected for any n. */
uint64_t pii_rng_uniform(pii_rng *r, uint64_t n)
{
    if (n < 2)
        return 0;
    uint64_t min = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t x = pii_rng_u64(r);
        if (x >= min)
            return x % n;
    }
}

/* A uniform double on the 53-bit grid (k + 1/2) 2^-53 in (0, 1) (dp.md
 * section 8): exact, never 0 or 1. */
static double rng_grid_double(pii_rng *r)
{
    return ((double)(pii_rng_u64(r) >> 11) + 0.5) * 0x1p-53;
}

/* ---- exact samplers ------------------------------------------------------------ */

/* Bernoulli(num/den), den >= 1; certain when num >= den. */
static bool bern_rat(pii_rng *r, uint64_t num, uint64_t den)
{
    if (num >= den)
        return true;
    if (num == 0)
        return false;
    return pii_rng_uniform(r, den) < num;
}

/*
 * Bernoulli(exp(-gamma)) for gamma = num/den in [0, 1] (dp.md 5.1):
 * K = 1; while Bernoulli(gamma/K) K++; odd K is 1. Bernoulli(gamma/K) is
 * drawn as Bernoulli(num/den) AND Bernoulli(1/K), independent, so den*K
 * never has to be formed (it could overflow).
 */
static bool bern_exp01(pii_rng *r, uint64_t num, uint64_t den)
{
    assert(num <= den);
    uint64_t k = 1;
    for (;;) {
        if (!bern_rat(r, num, den))
            break;
        if (k > 1 && pii_rng_uniform(r, k) != 0)
            break;
        k++;
    }
    return (k & 1) != 0;
}

/*
 * dp.md 5.2: exp(-gamma) = exp(-1)^floor(gamma) * exp(-frac(gamma)). The
 * loop over floor(gamma) ends at the first failure, after fewer than 1.6
 * draws on average whatever num is.
 */
bool pii_bernoulli_exp(pii_rng *r, uint64_t num, uint64_t den)
{
    assert(den >= 1);
    if (den == 0)
        return false; /* exp(-infinity); misuse */
    if (num <= den)
        return bern_exp01(r, num, den);
    uint64_t whole = num / den;
    for (uint64_t i = 0; i < whole; i++) {
        if (!bern_exp01(r, 1, 1))
            return false;
    }
    return bern_exp01(r, num % den, den);
}

/*
 * The same for a double gamma >= 0 (the discrete Gaussian's acceptance
 * test): whole part by exact Bernoulli(exp(-1)) draws, then the 5.1 loop
 * with Bernoulli(frac) as (53-bit grid double < frac) and Bernoulli(1/K)
 * exact. The grid comparison is off from frac by less than 2^-53.
 * gamma >= 2^63 is treated as certain failure: the exact probability is
 * below exp(-2^63).
 */
static bool bern_exp_double(pii_rng *r, double gamma)
{
    if (!(gamma >= 0.0))
        return false; /* NaN: misuse, reject */
    if (gamma >= 0x1p63)
        return false;
    double fl = floor(gamma);
    uint64_t whole = (uint64_t)fl;
    double frac = gamma - fl; /* exact */
    for (uint64_t i = 0; i < whole; i++) {
        if (!bern_exp01(r, 1, 1))
            return false;
    }
    uint64_t k = 1;
    for (;;) {
        if (!(rng_grid_double(r) < frac))
            break;
        if (k > 1 && pii_rng_uniform(r, k) != 0)
            break;
        k++;
    }
    return (k & 1) != 0;
}

#define DL_MAX_T ((uint64_t)1 << 56)

/*
 * dp.md 5.3 (CKS20 Algorithm 2). X = U + t*V must fit an int64 so that
 * -Y does: with t <= 2^56 the bound on V is at least 127, and V > 127
 * needs 128 successive Bernoulli(exp(-1)) successes, probability
 * exp(-128) < 2^-184. Such a draw restarts the loop; the output is thus
 * conditioned on an event of probability > 1 - 2^-184, a change no test
 * or attacker can observe.
 */
int64_t pii_sample_discrete_laplace(pii_rng *r, uint64_t s, uint64_t t)
{
    assert(s >= 1 && t >= 1 && t <= DL_MAX_T);
    if (s == 0)
        s = 1;
    if (t == 0)
        t = 1;
    if (t > DL_MAX_T)
        t = DL_MAX_T;
    for (;;) {
        uint64_t u = pii_rng_uniform(r, t);
        if (!pii_bernoulli_exp(r, u, t))
            continue;
        uint64_t vmax = ((uint64_t)INT64_MAX - u) / t;
        uint64_t v = 0;
        bool overflow = false;
        while (pii_bernoulli_exp(r, 1, 1)) {
            if (++v > vmax) {
                overflow = true;
                break;
            }
        }
        if (overflow)
            continue;
        uint64_t y = (u + t * v) / s;
        bool neg = (pii_rng_u64(r) & 1) != 0;
        if (neg && y == 0)
            continue;
        return neg ? -(int64_t)y : (int64_t)y;
    }
}

#define DG_MAX_SIGMA2 0x1p100

/*
 * dp.md 5.4 (CKS20 Algorithm 3): proposals from the discrete Laplace with
 * scale t = floor(sigma) + 1, accepted with probability
 * exp(-(|Y| - sigma2/t)^2 / (2 sigma2)). Any t > 0 gives the exact target;
 * this t keeps the expected number of proposals a small constant. sigma <=
 * 2^50 keeps t within the Laplace sampler's 2^56.
 */
int64_t pii_sample_discrete_gaussian(pii_rng *r, double sigma2)
{
    assert(sigma2 > 0.0 && sigma2 <= DG_MAX_SIGMA2);
    if (!(sigma2 > 0.0))
        return 0; /* misuse; pii_noise_apply never gets here */
    if (sigma2 > DG_MAX_SIGMA2)
        sigma2 = DG_MAX_SIGMA2;
    uint64_t t = (uint64_t)floor(sqrt(sigma2)) + 1;
    double center = sigma2 / (double)t;
    for (;;) {
        int64_t y = pii_sample_discrete_laplace(r, 1, t);
        double dev = fabs((double)y) - center;
        if (bern_exp_double(r, dev * dev / (2.0 * sigma2)))
            return y;
    }
}

/* ---- analytic Gaussian calibration ------------------------------------------------ */

#define SQRT1_2      0.70710678118654752440 /* 1/sqrt(2) */
#define LOG_SQRT_2PI 0.91893853320467274178 /* log(sqrt(2 pi)) */

/* log Phi(-z). erfc is accurate far into the tail; past z = 30 it nears
 * the subnormal range, and the asymptotic series (relative error below
 * 2e-10 there) takes over. Only extreme epsilons get that far. */
static double log_phi_neg(double z)
{
    if (z < 30.0)
        return log(0.5 * erfc(z * SQRT1_2));
    double iz2 = 1.0 / (z * z);
    return -0.5 * z * z - log(z) - LOG_SQRT_2PI + log1p(iz2 * (-1.0 + iz2 * (3.0 - 15.0 * iz2)));
}

/*
 * The delta of N(0, (r * sens)^2) at epsilon for sensitivity sens [BW18
 * Theorem 8]: Phi(1/(2r) - eps r) - e^eps Phi(-1/(2r) - eps r). Depends on
 * sigma / sens = r only; decreasing in r. e^eps is folded into the log so
 * that large epsilons do not overflow.
 *
 * The difference cancels: for a tiny epsilon both terms are nearly equal
 * and far above delta, and rounding alone could make it look <= delta at
 * a sigma that is not private. So this returns an upper bound: the
 * difference plus a bound on its rounding error. exp(l) with l off by
 * |l| ulps is off by |l| ulps relative, the arguments' own rounding moves
 * Phi by about z^2/2 ~ |l| ulps, erfc is within a few ulps; (|l| + 16)
 * 2^-50 per term covers all of it with room. For ordinary parameters the
 * bound is 1e-12 of delta or less and changes nothing; where it is not
 * (delta near the double precision of the terms) sigma grows until the
 * computation is trustworthy, or becomes too large to use.
 */
static double bw_delta_upper(double eps, double r)
{
    double a = 0.5 / r, b = eps * r;
    double l1 = log_phi_neg(b - a), l2 = eps + log_phi_neg(a + b);
    double t1 = exp(l1), t2 = exp(l2);
    double err = 0.0; /* a term that underflowed to 0 has an infinite log: skip it */
    if (t1 > 0.0)
        err += t1 * (fabs(l1) + 16.0) * 0x1p-50;
    if (t2 > 0.0)
        err += t2 * (fabs(l2) + 16.0) * 0x1p-50;
    return t1 - t2 + err;
}

double pii_gaussian_sigma(double epsilon, double delta, double sens)
{
    if (!(epsilon > 0.0) || !(delta > 0.0 && delta < 1.0) || !(sens > 0.0) || !isfinite(epsilon) ||
        !isfinite(sens))
        return (double)NAN;
    /* bracket: bw_delta_upper(lo) > delta >= bw_delta_upper(hi) */
    double hi = 1.0;
    for (int i = 0; i < 2100 && !(bw_delta_upper(epsilon, hi) <= delta); i++)
        hi *= 2.0;
    if (!isfinite(hi))
        return HUGE_VAL;
    double lo = hi;
    for (int i = 0; i < 2100 && bw_delta_upper(epsilon, lo) <= delta; i++)
        lo *= 0.5;
    if (!(lo > 0.0))
        lo = 0.0;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
        double mid = lo + 0.5 * (hi - lo);
        if (bw_delta_upper(epsilon, mid) <= delta)
            hi = mid;
        else
            lo = mid;
    }
    /* hi is on the private side; the product must not round below it */
    return nextafter(hi * sens, HUGE_VAL);
}

/* ---- the noise action -------------------------------------------------------------- */

typedef struct {
    size_t lead, trail; /* ASCII spaces around the number */
    int64_t x;          /* value * 10^d, exact */
    unsigned d;         /* decimals written */
} noise_value;

/* [ ]*[-+]?digits(.digits)?[ ]* with at most PII_NOISE_MAX_DIGITS digits.
 * "1." and ".5" are rejected: JSON and CSV writers never produce them and
 * the number of decimals to keep would be ambiguous. */
static bool parse_value(const uint8_t *v, size_t n, noise_value *out)
{
    size_t i = 0, j = n;
    while (i < j && v[i] == ' ')
        i++;
    while (j > i && v[j - 1] == ' ')
        j--;
    noise_value p = {.lead = i, .trail = n - j, .x = 0, .d = 0};
    bool neg = false;
    if (i < j && (v[i] == '-' || v[i] == '+')) {
        neg = v[i] == '-';
        i++;
    }
    uint64_t acc = 0;
    unsigned digits = 0, int_digits = 0;
    for (; i < j && v[i] >= '0' && v[i] <= '9'; i++, int_digits++) {
        if (++digits > PII_NOISE_MAX_DIGITS)
            return false;
        acc = acc * 10 + (uint64_t)(v[i] - '0');
    }
    if (int_digits == 0)
        return false;
    if (i < j && v[i] == '.') {
        i++;
        for (; i < j && v[i] >= '0' && v[i] <= '9'; i++, p.d++) {
            if (++digits > PII_NOISE_MAX_DIGITS)
                return false;
            acc = acc * 10 + (uint64_t)(v[i] - '0');
        }
        if (p.d == 0)
            return false;
    }
    if (i != j)
        return false;
    /* acc < 10^18 < 2^63 */
    p.x = neg ? -(int64_t)acc : (int64_t)acc;
    *out = p;
    return true;
}

#define GRID_LIMIT 1e18 /* |bound * 10^d| must stay below: 18 digits */

/*
 * bound * 10^d rounded toward the inside of the interval (up for lo, down
 * for hi), except that a product within 1e-12 relative of an integer is
 * that integer: 0.07 * 100 is 7.000000000000001 in doubles and 0.29 * 100
 * is 28.999999999999996, while the bounds the user wrote are exactly 7 and
 * 29 grid steps. Double rounding of a decimal
 * bound errs by about 2e-16 relative, far inside the tolerance; a bound
 * that really lies within 1e-12 relative of a grid point (more than 12
 * significant digits) may be moved to it.
 */
static bool bound_to_grid(double bound, double p10, bool up, int64_t *g)
{
    double y = bound * p10;
    if (!isfinite(y) || !(fabs(y) < GRID_LIMIT))
        return false;
    double near = nearbyint(y);
    if (fabs(y - near) <= 1e-12 * fmax(fabs(y), 1.0))
        y = near;
    else
        y = up ? ceil(y) : floor(y);
    if (!(fabs(y) < GRID_LIMIT))
        return false;
    *g = (int64_t)y; /* an integer below 10^18 in magnitude: exact */
    return true;
}

static bool params_valid(const pii_noise_params *p)
{
    if (!(p->epsilon > 0.0) || !isfinite(p->epsilon))
        return false;
    if (!(p->sensitivity > 0.0) || !isfinite(p->sensitivity))
        return false;
    if (!isfinite(p->lo) || !isfinite(p->hi) || !(p->lo < p->hi))
        return false;
    switch (p->mech) {
    case PII_MECH_LAPLACE:
    case PII_MECH_GEOMETRIC:
        return true;
    case PII_MECH_GAUSSIAN:
        return p->delta > 0.0 && p->delta < 1.0;
    }
    return false; /* not a mechanism */
}

#define LAPLACE_T     ((uint64_t)1 << 48)
#define LAPLACE_S_MAX ((uint64_t)1 << 62)

/*
 * s / t with t = 2^48 and s the largest integer not above
 * epsilon / (sensitivity * 10^d) * 2^48. The double quotient is within
 * 3 * 2^-53 relative of the real one; the factor (1 - 2^-50) puts it below
 * that before the floor, so the achieved epsilon never exceeds the
 * configured one. s is capped at 2^62: a smaller s/t is only more noise,
 * and Y = X / s stays far from overflow (X < 2^63 by construction).
 */
static bool laplace_scale(const pii_noise_params *p, double p10, uint64_t *s)
{
    double x = p->epsilon / (p->sensitivity * p10) * 0x1p48 * (1.0 - 0x1p-50);
    if (!(x >= 1.0))
        return false;
    *s = x >= 0x1p62 ? LAPLACE_S_MAX : (uint64_t)x;
    return true;
}

/* Write [-]digits with exactly d decimals ("-0.05", "0.00", "12"). */
static size_t format_grid(int64_t x, unsigned d, char *buf, size_t cap)
{
    char rev[24];
    size_t k = 0;
    uint64_t m = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    do {
        rev[k++] = (char)('0' + m % 10);
        m /= 10;
    } while (m != 0);
    while (k < (size_t)d + 1)
        rev[k++] = '0';
    assert(k + 2 <= cap);
    (void)cap;
    size_t len = 0;
    if (x < 0)
        buf[len++] = '-';
    while (k > 0) {
        if (k == d && d > 0)
            buf[len++] = '.';
        buf[len++] = rev[--k];
    }
    return len;
}

pii_status pii_noise_apply(const pii_noise_params *p, pii_rng *r, const uint8_t *v, size_t n,
                           pii_buf *out)
{
    if (!params_valid(p))
        return PII_E_CONFIG;
    noise_value val;
    if (!parse_value(v, n, &val))
        return PII_E_PARSE;
    if (p->mech == PII_MECH_GEOMETRIC && val.d != 0)
        return PII_E_PARSE;

    double p10 = 1.0;
    for (unsigned i = 0; i < val.d; i++)
        p10 *= 10.0; /* exact: 10^d = 5^d 2^d and 5^18 < 2^53 */

    int64_t lo, hi;
    if (!bound_to_grid(p->lo, p10, true, &lo) || !bound_to_grid(p->hi, p10, false, &hi) || lo > hi)
        return PII_E_LIMIT; /* bounds beyond 18 digits, or no grid point in [lo, hi] */

    int64_t x = val.x < lo ? lo : val.x > hi ? hi : val.x;
    int64_t noise;
    switch (p->mech) {
    case PII_MECH_LAPLACE:
    case PII_MECH_GEOMETRIC: {
        uint64_t s;
        if (!laplace_scale(p, p10, &s))
            return PII_E_LIMIT;
        noise = pii_sample_discrete_laplace(r, s, LAPLACE_T);
        break;
    }
    case PII_MECH_GAUSSIAN: {
        double sigma = pii_gaussian_sigma(p->epsilon, p->delta, p->sensitivity) * p10;
        double sigma2 = nextafter(sigma * sigma, HUGE_VAL); /* never rounded down */
        if (!(sigma2 > 0.0) || !(sigma2 <= DG_MAX_SIGMA2))
            return PII_E_LIMIT;
        noise = pii_sample_discrete_gaussian(r, sigma2);
        break;
    }
    default:
        return PII_E_CONFIG; /* unreachable: params_valid */
    }

    /* post-processing: an overflowing sum lies beyond a bound anyway */
    int64_t y;
    if (__builtin_add_overflow(x, noise, &y))
        y = noise > 0 ? hi : lo;
    y = y < lo ? lo : y > hi ? hi : y;

    char num[24];
    size_t len = format_grid(y, val.d, num, sizeof(num));
    size_t total = val.lead + len + val.trail; /* <= n + 21: no overflow past reserve */
    pii_status st = pii_buf_reserve(out, total);
    if (st != PII_OK)
        return st;
    memset(out->ptr + out->len, ' ', val.lead);
    memcpy(out->ptr + out->len + val.lead, num, len);
    memset(out->ptr + out->len + val.lead + len, ' ', val.trail);
    out->len += total;
    return PII_OK;
}
