/*
 * ff1.h - FF1 format-preserving encryption (NIST SP 800-38G, with the
 * Rev. 1 minimum domain radix^n >= 1,000,000) over AES-128/192/256.
 *
 * FF1 maps a string of n numerals in base `radix` to another string of n
 * numerals in the same base, bijectively for a given key and tweak: a
 * 10-digit number encrypts to a 10-digit number. It is deterministic (equal
 * inputs under equal key and tweak give equal outputs) and provides
 * confidentiality only, no integrity. See reference/fpe.md.
 *
 * Numerals are passed as values 0..radix-1, one per byte, most significant
 * first; mapping characters to numerals (the alphabet) is the caller's job.
 *
 * Ownership: pii_ff1_new returns an owned object (free it with
 * pii_ff1_free); all other pointer arguments are borrowed for the call.
 *
 * Thread-safety: a pii_ff1 holds an OpenSSL cipher context and a small
 * per-length cache that every call updates, so it is NOT safe to use from
 * two threads at once, not even for encryption only: use one pii_ff1 per
 * thread (each created from the same key). Different objects are
 * independent.
 *
 * Key material: the key bytes live only inside the OpenSSL context (its
 * expanded key schedule); the object also caches AES outputs derived from
 * the key, and pii_ff1_free wipes both. Intermediate values (numerals, AES
 * blocks) are wiped before every call returns.
 *
 * Errors: PII_E_CONFIG for a domain violation (radix, length, a numeral
 * out of range, tweak too long), PII_E_CRYPTO for a bad key length or an
 * OpenSSL failure (its error queue is cleared), PII_E_NOMEM when an
 * allocation fails, PII_E_INTERNAL for API misuse (a NULL pointer where one
 * is required). A failed call writes nothing to `out`. No message is
 * produced: the key and the numerals must never reach a log.
 */
#ifndef PII_FF1_H
#define PII_FF1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscrub/piiscrub.h"

/* Longest numeral string accepted (n). Both halves of a string this long,
 * at every supported radix, are handled by the fixed-width arithmetic. */
#define PII_FF1_MAX_LEN 128u

/* Supported radix range: numerals are bytes, so at most 256. */
#define PII_FF1_MIN_RADIX 2u
#define PII_FF1_MAX_RADIX 256u

/* Longest tweak accepted, in bytes (FF1 allows any length; this is the
 * implementation-chosen maxTlen). */
#define PII_FF1_MAX_TWEAK 256u

/* SP 800-38G Rev. 1: radix^n must be at least this (e.g. 6 decimal digits,
 * 20 binary digits, 4 numerals of radix 36). */
#define PII_FF1_MIN_DOMAIN 1000000u

typedef struct pii_ff1 pii_ff1;

/* Whether AES is at hand: libcrypto is opened on first use (ff1.c). When
 * it is not, *why (if why is not NULL) says why, and pii_ff1_new fails with
 * PII_E_CRYPTO. Thread-safe. */
bool pii_ff1_available(const char **why);

/*
 * Create an FF1 cipher for `key` (16, 24 or 32 bytes: AES-128/192/256).
 * The key bytes are copied only into the OpenSSL context; no other copy is
 * kept, so the caller may wipe its buffer right after the call.
 * @param out  receives the owned object; set to NULL on failure.
 * @return PII_OK; PII_E_CRYPTO when key is NULL, the length is not 16, 24
 *         or 32, or OpenSSL rejects the key; PII_E_NOMEM when the object
 *         or the OpenSSL context cannot be allocated; PII_E_INTERNAL when
 *         out is NULL.
 */
PII_NODISCARD pii_status pii_ff1_new(const uint8_t *key, size_t key_len, pii_ff1 **out);

/* Free f and wipe its state (cipher context and cached AES outputs).
 * NULL is a no-op. */
void pii_ff1_free(pii_ff1 *f);

/*
 * Encrypt n numerals x[0..n) into out[0..n). out may alias x exactly
 * (in-place); partial overlap is not allowed. Requirements:
 *   PII_FF1_MIN_RADIX <= radix <= PII_FF1_MAX_RADIX;
 *   every x[i] < radix;
 *   2 <= n <= PII_FF1_MAX_LEN and radix^n >= PII_FF1_MIN_DOMAIN;
 *   tlen <= PII_FF1_MAX_TWEAK; tweak may be NULL only when tlen == 0.
 * @return PII_OK; PII_E_CONFIG when a requirement above fails;
 *         PII_E_INTERNAL when f, x or out is NULL, or tweak is NULL with
 *         tlen > 0; PII_E_CRYPTO on an OpenSSL failure. On any error out is
 *         left untouched.
 */
PII_NODISCARD pii_status pii_ff1_encrypt(pii_ff1 *f, unsigned radix, const uint8_t *tweak,
                                         size_t tlen, const uint8_t *x, uint8_t *out, size_t n);

/* Inverse of pii_ff1_encrypt under the same key, radix and tweak; same
 * requirements, aliasing rule and errors. */
PII_NODISCARD pii_status pii_ff1_decrypt(pii_ff1 *f, unsigned radix, const uint8_t *tweak,
                                         size_t tlen, const uint8_t *x, uint8_t *out, size_t n);

#endif /* PII_FF1_H */
