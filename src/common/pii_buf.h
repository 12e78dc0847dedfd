/*
 * pii_buf.h - growable byte buffer with a hard cap (curl's dynbuf `toobig`).
 *
 * The buffer never grows past `cap`: a request beyond it fails with
 * PII_E_LIMIT and leaves the contents untouched, so memory stays bounded
 * whatever the input. Binary-safe: lengths, never NUL terminators.
 */
#ifndef PII_BUF_H
#define PII_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "piiscrub/piiscrub.h"

typedef struct {
    uint8_t *ptr;
    size_t len;
    size_t alloc;
    size_t cap; /* hard limit on alloc */
} pii_buf;

void pii_buf_init(pii_buf *b, size_t cap);
void pii_buf_free(pii_buf *b);

/* Make room for `extra` more bytes after len. PII_E_LIMIT past cap,
 * PII_E_NOMEM if the allocation fails. */
PII_NODISCARD pii_status pii_buf_reserve(pii_buf *b, size_t extra);

/* Append n bytes (reserving as needed). */
PII_NODISCARD pii_status pii_buf_append(pii_buf *b, const void *p, size_t n);

/* Drop the first n bytes, moving the rest to the front. */
void pii_buf_consume(pii_buf *b, size_t n);

#endif /* PII_BUF_H */
