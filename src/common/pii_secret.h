/*
 * pii_secret.h - memory for key material.
 *
 * Keys and subkeys live in libsodium guarded allocations: guard pages
 * around them, a canary, locked into RAM (no swap), and wiped when freed.
 * Temporaries elsewhere are wiped with pii_wipe (sodium_memzero), which the
 * compiler cannot drop.
 */
#ifndef PII_SECRET_H
#define PII_SECRET_H

#include <stddef.h>

#include "piiscrub/piiscrub.h"

/* sodium_init() once; PII_E_CRYPTO if libsodium cannot start. Thread-safe. */
PII_NODISCARD pii_status pii_secret_init(void);

/* Guarded, locked allocation of n bytes (zeroed), or NULL. */
void *pii_secret_alloc(size_t n);

/* Wipe and free; NULL is a no-op. */
void pii_secret_free(void *p);

#endif /* PII_SECRET_H */
