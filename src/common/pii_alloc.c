/*
 * pii_alloc.c - allocator indirection with a fail-after-N hook for tests.
 * The hook is a plain counter: tests that use it run single-threaded.
 */
#include "common/pii_alloc.h"

#include <stdlib.h>

static unsigned long fail_after; /* 0: never fail */
static unsigned long alloc_count;

static int should_fail(void)
{
    if (fail_after == 0)
        return 0;
    alloc_count++;
    return alloc_count >= fail_after;
}

void pii_alloc_fail_after(unsigned long n)
{
    fail_after = n;
    alloc_count = 0;
}

void *pii_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *pii_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *pii_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void pii_free_mem(void *p)
{
    free(p);
}
