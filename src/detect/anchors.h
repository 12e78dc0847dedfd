/*
 * anchors.h - the vector scan for the next byte that can start a candidate.
 *
 * The scanner's class table marks the anchor bytes: '@', the 0xEF lead
 * byte of full-width forms, and - when a detector needs them - ASCII
 * digits, upper-case letters, ':' and the lead bytes 0xE4..0xE9 of most Han
 * characters. Where anchors are far apart (prose, lower-case log text) this
 * skips 16 bytes per step with SSE2, which every x86-64 has; elsewhere a
 * portable loop does the same one byte at a time. The scanner looks at the
 * first bytes of a gap itself, since in logs the next anchor is usually a
 * few bytes away.
 */
#ifndef PII_ANCHORS_H
#define PII_ANCHORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The optional anchor classes; '@' and 0xEF are always anchors. */
typedef struct {
    bool digit; /* 0-9 */
    bool upper; /* A-Z */
    bool colon; /* ':' */
    bool han;   /* 0xE4..0xE9 */
} pii_anchor_set;

static inline bool pii_anchor_byte(uint8_t c, const pii_anchor_set *as)
{
    return (as->digit && (unsigned)(c - '0') < 10u) || c == '@' || c == 0xEF ||
           (as->upper && (unsigned)(c - 'A') < 26u) || (as->colon && c == ':') ||
           (as->han && (unsigned)(c - 0xE4) < 6u);
}

#if defined(__SSE2__)
/* lo <= x <= lo + width, unsigned, per byte */
static inline __m128i pii_anchor_range(__m128i x, uint8_t lo, uint8_t width)
{
    __m128i t = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)width)), t);
}
#endif

/* The first offset >= i of an anchor in buf[0, len), or len. */
static inline size_t pii_anchor_next(const uint8_t *buf, size_t len, size_t i,
                                     const pii_anchor_set *as)
{
#if defined(__SSE2__)
    const __m128i at = _mm_set1_epi8('@'), ef = _mm_set1_epi8((char)0xEF);
    const __m128i colon = _mm_set1_epi8(':');
    while (len - i >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
        __m128i a = _mm_or_si128(_mm_cmpeq_epi8(x, at), _mm_cmpeq_epi8(x, ef));
        if (as->digit)
            a = _mm_or_si128(a, pii_anchor_range(x, '0', 9));
        if (as->upper)
            a = _mm_or_si128(a, pii_anchor_range(x, 'A', 25));
        if (as->colon)
            a = _mm_or_si128(a, _mm_cmpeq_epi8(x, colon));
        if (as->han)
            a = _mm_or_si128(a, pii_anchor_range(x, 0xE4, 5));
        unsigned m = (unsigned)_mm_movemask_epi8(a);
        if (m != 0)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    while (i < len && !pii_anchor_byte(buf[i], as))
        i++;
    return i;
}

#endif /* PII_ANCHORS_H */
