/*
 * pii_buf.c - capped growable buffer. Growth doubles (amortised O(1)
 * appends) but is clamped to the cap; size arithmetic is overflow-checked.
 */
#include "common/pii_buf.h"

#include <string.h>

#include "common/pii_alloc.h"

void pii_buf_init(pii_buf *b, size_t cap)
{
    b->ptr = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap;
}

void pii_buf_free(pii_buf *b)
{
    pii_free_mem(b->ptr);
    b->ptr = NULL;
    b->len = b->alloc = 0;
}

pii_status pii_buf_reserve(pii_buf *b, size_t extra)
{
    size_t need;
    if (__builtin_add_overflow(b->len, extra, &need) || need > b->cap)
        return PII_E_LIMIT;
    if (need <= b->alloc)
        return PII_OK;
    size_t n = b->alloc ? b->alloc : 4096;
    while (n < need) {
        if (n > b->cap / 2) {
            n = b->cap;
            break;
        }
        n *= 2;
    }
    uint8_t *p = pii_realloc(b->ptr, n);
    if (p == NULL)
        return PII_E_NOMEM;
    b->ptr = p;
    b->alloc = n;
    return PII_OK;
}

pii_status pii_buf_append(pii_buf *b, const void *p, size_t n)
{
    pii_status st = pii_buf_reserve(b, n);
    if (st != PII_OK)
        return st;
    if (n > 0)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    return PII_OK;
}

void pii_buf_consume(pii_buf *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->ptr, b->ptr + n, b->len - n);
    b->len -= n;
}
