/*
 * pii_alloc.h - the single allocation entry point of the library.
 *
 * Everything allocates through pii_malloc/pii_realloc/pii_free_mem so that an
 * embedder (or a test) can swap the allocator, and tests can make the Nth
 * allocation fail to prove that every error path returns PII_E_NOMEM instead
 * of crashing.
 */
#ifndef PII_ALLOC_H
#define PII_ALLOC_H

#include <stddef.h>

void *pii_malloc(size_t n);
void *pii_calloc(size_t count, size_t size);
void *pii_realloc(void *p, size_t n);
void pii_free_mem(void *p);

/* Test hook: make allocation number `n` (1-based, counted from this call)
 * and every later one fail; 0 disables. Not thread-safe; tests only. */
void pii_alloc_fail_after(unsigned long n);

#endif /* PII_ALLOC_H */
