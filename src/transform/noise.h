/*
 * noise.h - differentially private noise for numeric values
 * (reference/dp.md).
 *
 * A value is read as an exact decimal: X = v * 10^d, where d is the number
 * of decimals written in the value ("100.00": X = 10000, d = 2). Noise is
 * added on that integer grid, so no floating-point arithmetic touches the
 * value or the noise (dp.md section 6: the naive `-b*log(u)` sampler on
 * doubles is breakable):
 *
 *   laplace, geometric  discrete Laplace on the grid, P(Y = y) ~ exp(-|y| s/t)
 *                       with s/t <= epsilon / (sensitivity * 10^d) (rounded
 *                       down, so the achieved epsilon never exceeds the
 *                       configured one); for d = 0 this is the two-sided
 *                       geometric mechanism;
 *   gaussian            discrete Gaussian on the grid with
 *                       sigma = analytic Gaussian sigma(epsilon, delta,
 *                       sensitivity) * 10^d [BW18, CKS20].
 *
 * The samplers are the exact ones of Canonne, Kamath and Steinke (dp.md
 * section 5), driven by uniform integers only; the Gaussian's acceptance
 * test compares a 53-bit uniform grid double against exp(-gamma) pieces
 * (dp.md section 8).
 *
 * The value is clamped to [lo, hi] before noise and the result clamped
 * again after it (post-processing); the output keeps the input's form: a
 * sign only when negative, no exponent, exactly d decimals.
 *
 * Randomness comes from libsodium's CSPRNG (randombytes_buf) unless the
 * generator was seeded for tests, in which case it is a ChaCha20 stream
 * keyed by the seed: reproducible and NOT private.
 */
#ifndef PII_NOISE_H
#define PII_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pii_buf.h"
#include "piiscrub/piiscrub.h"

/* ---- random source ---------------------------------------------------------- */

#define PII_RNG_BLOCK 512

typedef struct {
    bool seeded;
    uint8_t key[32];     /* seeded only: ChaCha20 key derived from seed and stream */
    uint64_t counter;    /* seeded only: next block number */
    uint8_t block[PII_RNG_BLOCK];
    size_t pos;          /* next unused byte of block; PII_RNG_BLOCK: empty */
} pii_rng;

/* CSPRNG-backed generator. libsodium must be initialised (pii_secret_init). */
void pii_rng_init_system(pii_rng *r);

/* Reproducible generator for tests: the same (seed, stream) always gives
 * the same bytes, on every machine. `stream` separates independent users
 * of one seed (threads, workers). Key = BLAKE2b-256 of le64(seed) ||
 * le64(stream) with personal "piiscrub rng v1" (NUL-padded to 16 bytes),
 * zero salt, no key; block i (512 bytes) = ChaCha20-IETF keystream under
 * that key, nonce le64(i) || 0^4, block counter from 0; pii_rng_u64 reads
 * the blocks as little-endian words. */
void pii_rng_init_seeded(pii_rng *r, uint64_t seed, uint64_t stream);

/* Wipe the generator's state (sodium_memzero). A wiped generator must be
 * initialised again; used anyway, it draws from the system CSPRNG (never
 * a stream of zeros). */
void pii_rng_wipe(pii_rng *r);

/* Uniform 64-bit value. The bytes it used are wiped from the block. */
uint64_t pii_rng_u64(pii_rng *r);

/* Uniform integer in [0, n), without modulo bias; 0 when n < 2. */
uint64_t pii_rng_uniform(pii_rng *r, uint64_t n);

/* ---- exact samplers (exposed for tests) ------------------------------------------ */

/* Bernoulli(exp(-num/den)), den >= 1: exact (dp.md 5.1, 5.2), for any
 * num (expected cost a small constant). den == 0 is misuse: false. */
bool pii_bernoulli_exp(pii_rng *r, uint64_t num, uint64_t den);

/* Discrete Laplace: P(Y = y) proportional to exp(-|y| * s / t), s, t >= 1,
 * t <= 2^56 (dp.md 5.3). |Y| < 2^63: a draw whose U + t V would overflow
 * is redrawn (probability below 2^-184). Other s, t: assert in debug
 * builds, clamped into range otherwise. */
int64_t pii_sample_discrete_laplace(pii_rng *r, uint64_t s, uint64_t t);

/* Discrete Gaussian: P(Y = y) proportional to exp(-y^2 / (2 sigma2)),
 * 0 < sigma2 <= 2^100 (dp.md 5.4). The acceptance exponent gamma is a
 * double: the probabilities are exact up to its rounding, and its
 * fractional part's Bernoulli errs by less than 2^-53. Outside the range:
 * assert in debug builds; otherwise 0 for sigma2 <= 0 or NaN, and 2^100
 * above it. */
int64_t pii_sample_discrete_gaussian(pii_rng *r, double sigma2);

/* Smallest sigma such that N(0, sigma^2) added to a query of L2 sensitivity
 * `sens` is (epsilon, delta)-DP, by the analytic condition of Balle and
 * Wang (dp.md section 3), found by bisection to a relative 1e-12 and
 * rounded up. The condition is evaluated with a bound on its rounding
 * error added, so cancellation never yields a sigma that is too small.
 * epsilon > 0, 0 < delta < 1, sens > 0, all finite; NaN otherwise.
 * HUGE_VAL when no double sigma suffices. */
double pii_gaussian_sigma(double epsilon, double delta, double sens);

/* ---- the noise action ---------------------------------------------------------- */

typedef enum {
    PII_MECH_LAPLACE = 0,
    PII_MECH_GEOMETRIC = 1,
    PII_MECH_GAUSSIAN = 2,
} pii_mechanism;

typedef struct {
    pii_mechanism mech;
    double epsilon;     /* > 0 */
    double delta;       /* gaussian only: 0 < delta < 1 */
    double sensitivity; /* > 0, in the value's units */
    double lo, hi;      /* clamp, lo < hi */
} pii_noise_params;

/* The longest decimal value the action reads: 18 significant digits. */
#define PII_NOISE_MAX_DIGITS 18

/*
 * Append the noisy form of the decimal number v[0, n) to out.
 * v is [-+]?digits[.digits] with at most PII_NOISE_MAX_DIGITS digits in
 * all, leading zeros included (leading/trailing ASCII spaces, 0x20 only,
 * are kept around the result); anything else (empty, exponent, thousands
 * separators, "NaN", "1.", ".5", tabs) is PII_E_PARSE - the caller must
 * fail closed. The result has no '+' and no leading zeros; zero is never
 * written "-0".
 * The clamp bounds are converted to the grid inward (lo up, hi down), a
 * product within 1e-12 relative of an integer counting as that integer
 * (0.29 * 100 is 28.999999999999996 in doubles: 29 grid steps).
 * PII_E_CONFIG for invalid parameters (see pii_noise_params; an unknown
 * mechanism). PII_E_LIMIT when the noise scale does not fit the value's
 * grid (epsilon / (sensitivity * 10^d) < 2^-48, or a gaussian sigma above
 * 2^50 grid steps), when the clamp bounds do not fit 18 digits at d
 * decimals or no grid point lies in [lo, hi]; PII_E_NOMEM/PII_E_LIMIT from
 * out. geometric on a value with decimals is PII_E_PARSE (integers only).
 * On any error out is unchanged.
 * Borrows p, v and out; advances r. Thread-safe with one r per thread.
 */
PII_NODISCARD pii_status pii_noise_apply(const pii_noise_params *p, pii_rng *r,
                                         const uint8_t *v, size_t n, pii_buf *out);

#endif /* PII_NOISE_H */
