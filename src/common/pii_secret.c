/*
 * pii_secret.c - guarded memory for keys (libsodium sodium_malloc, which
 * also mlock()s the pages) and the wiping primitive.
 */
#include "common/pii_secret.h"

#include <sodium.h>
#include <string.h>

pii_status pii_secret_init(void)
{
    return sodium_init() < 0 ? PII_E_CRYPTO : PII_OK; /* 1 = already done: fine */
}

void *pii_secret_alloc(size_t n)
{
    if (pii_secret_init() != PII_OK)
        return NULL;
    void *p = sodium_malloc(n ? n : 1);
    if (p != NULL)
        sodium_memzero(p, n ? n : 1);
    return p;
}

void pii_secret_free(void *p)
{
    sodium_free(p); /* wipes, checks the canary, unlocks; NULL is fine */
}

void pii_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0)
        sodium_memzero(p, n);
}
