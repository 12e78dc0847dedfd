/*
 * fuzz_helpers.h - shared by every harness in fuzz/: FUZZ_ASSERT, which
 * reports the failed condition and aborts (so libFuzzer records a crash and
 * the replay driver fails its ctest), and a data producer that takes
 * harness parameters (chunk sizes, flags, offsets) from the *tail* of the
 * input, as zstd's tests/fuzz/fuzz_data_producer.h does. Taking them from
 * the tail leaves the front of the input as the text under test, so seeds
 * stay readable and the mutator can change parameters without shifting the
 * text.
 *
 * Header-only (static functions) so that each harness is a single
 * translation unit that builds the same way under libFuzzer and under
 * regression_driver.c.
 */
#ifndef PII_FUZZ_HELPERS_H
#define PII_FUZZ_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The libFuzzer entry point every harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT_MSG(cond, msg)                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed: %s\n", __FILE__, __LINE__, #cond,      \
                    (msg));                                                                        \
            fflush(stderr);                                                                        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define FUZZ_ASSERT(cond) FUZZ_ASSERT_MSG(cond, "")

/*
 * UBSan reports are fatal in fuzz runs. The top-level PII_FUZZ flags do not
 * pass -fno-sanitize-recover, so without this a signed overflow would only
 * be printed and the fuzzer would keep going. UBSAN_OPTIONS in the
 * environment still overrides it (e.g. suppressions=FILE while a known
 * report awaits its fix). Defined in the harness only; regression_driver.c
 * defines FUZZ_NO_SANITIZER_DEFAULTS so the program has one definition.
 */
#ifndef FUZZ_NO_SANITIZER_DEFAULTS
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1";
}
#endif

/* ---- data producer -------------------------------------------------------- */

/* Parameters are read from data[size - 1] backwards; `size` shrinks as they
 * are consumed. When the bytes run out every request returns its minimum. */
typedef struct {
    const uint8_t *data;
    size_t size;
} fuzz_producer;

/* Assert a[0, alen) == b[0, blen), printing where they first differ. */
static inline void fuzz_check_same(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                                   const char *what)
{
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
        return;
    size_t i = 0;
    while (i < alen && i < blen && a[i] == b[i])
        i++;
    fprintf(stderr, "%s: lengths %zu vs %zu, first difference at byte %zu\n", what, alen, blen, i);
    FUZZ_ASSERT_MSG(0, what);
}

static inline fuzz_producer fuzz_producer_make(const uint8_t *data, size_t size)
{
    fuzz_producer p = {data, size};
    return p;
}

/* A value in [min, max], using as few tail bytes as the range needs. */
static inline uint32_t fuzz_producer_range(fuzz_producer *p, uint32_t min, uint32_t max)
{
    FUZZ_ASSERT(min <= max);
    uint32_t range = max - min;
    uint32_t rolling = range;
    uint32_t result = 0;
    while (rolling > 0 && p->size > 0) {
        result = (result << 8) | p->data[p->size - 1];
        p->size--;
        rolling >>= 8;
    }
    if (range == UINT32_MAX)
        return result;
    return min + result % (range + 1);
}

static inline uint32_t fuzz_producer_u32(fuzz_producer *p)
{
    return fuzz_producer_range(p, 0, UINT32_MAX);
}

static inline int fuzz_producer_bool(fuzz_producer *p)
{
    return (int)fuzz_producer_range(p, 0, 1);
}

static inline size_t fuzz_producer_remaining(const fuzz_producer *p)
{
    return p->size;
}

/*
 * Split off a data prefix: the producer keeps only the last `keep` bytes of
 * what it has left (fewer if it has less) and the count of bytes before
 * them is returned. The caller uses data[0, returned) as the text under test
 * and may go on drawing parameters from the producer while it works.
 */
static inline size_t fuzz_producer_contract(fuzz_producer *p, size_t keep)
{
    if (keep > p->size)
        keep = p->size;
    size_t prefix = p->size - keep;
    p->data += prefix;
    p->size = keep;
    return prefix;
}

/* Split at a fuzzed point: a prefix for data, the rest for parameters. */
static inline size_t fuzz_producer_reserve_prefix(fuzz_producer *p)
{
    size_t keep = fuzz_producer_range(p, 0, p->size > UINT32_MAX ? UINT32_MAX : (uint32_t)p->size);
    return fuzz_producer_contract(p, keep);
}

/* An exactly sized heap copy of data[0, n), for harnesses that modify the
 * bytes or must prove a callee never reads past n: ASan reports any access
 * beyond the allocation (for n == 0, any access at all). Free with free(). */
static inline uint8_t *fuzz_dup_exact(const uint8_t *data, size_t n)
{
    /* calloc, not malloc: for n == 0 gcc would see an uninitialized buffer */
    uint8_t *copy = calloc(n, 1);
    FUZZ_ASSERT(copy != NULL || n == 0);
    if (n > 0)
        memcpy(copy, data, n);
    return copy;
}

/* A growing byte buffer for a harness's output; free ptr with free(). */
typedef struct {
    uint8_t *ptr;
    size_t len;
    size_t cap;
} fuzz_growbuf;

static inline void fuzz_growbuf_append(fuzz_growbuf *g, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (g->len + n > g->cap) {
        size_t cap = g->cap ? g->cap : 256;
        while (cap < g->len + n)
            cap *= 2;
        uint8_t *q = realloc(g->ptr, cap);
        FUZZ_ASSERT(q != NULL);
        g->ptr = q;
        g->cap = cap;
    }
    memcpy(g->ptr + g->len, p, n);
    g->len += n;
}

#endif /* PII_FUZZ_HELPERS_H */
