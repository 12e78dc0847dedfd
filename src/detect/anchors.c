/*
 * anchors.c - the block classifiers of anchors.h: a portable loop, SSE2,
 * AVX2 and AVX-512. They must give the same masks for every input (test_scanner
 * compares them on random and crafted blocks).
 */
#include "detect/anchors.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

static bool ascii_digit(uint8_t c)
{
    return (unsigned)(c - '0') < 10u;
}

static bool ascii_word(uint8_t c)
{
    return ascii_digit(c) || (unsigned)((c | 0x20) - 'a') < 26u || c == '_';
}

static bool ascii_upper(uint8_t c)
{
    return (unsigned)(c - 'A') < 26u;
}

/* A hex digit or a colon: what can follow a colon in an IPv6 address. */
static bool hex_or_colon(uint8_t c)
{
    /* bitwise: no branches in the edge tests of every block */
    return ascii_digit(c) | ((unsigned)((c | 0x20) - 'a') < 6u) | (c == ':');
}

/* A block's byte classes as the classifiers find them; pii_block's masks
 * are made from these by block_store. */
typedef struct {
    uint64_t fixed; /* '@', 0xEF, and the digits and Han leads when they anchor */
    uint64_t digit, word, upper;
    uint64_t hexc; /* hex_or_colon */
    uint64_t colon, dot;
} raw_masks;

/* Capitals anchor only where an alnum candidate can open: before a digit,
 * or before another capital and a digit (A123456(7), GB82..., E12345678).
 * The scanner skipped every other word that starts with a capital whole,
 * and the digits and capitals inside it lead to the same skip, so those
 * capitals need no look. The bytes at end = base + 64 and end + 1 (when
 * below len) finish the last bits. */
static inline uint64_t upper_anchors(const raw_masks *r, const uint8_t *buf, size_t len,
                                     size_t end)
{
    uint8_t b64 = end < len ? buf[end] : 0, b65 = end + 1 < len ? buf[end + 1] : 0;
    uint64_t d64 = ascii_digit(b64), u64 = ascii_upper(b64), d65 = ascii_digit(b65);
    uint64_t d1 = r->digit >> 1 | d64 << 63;
    uint64_t u1 = r->upper >> 1 | u64 << 63;
    uint64_t d2 = r->digit >> 2 | d64 << 62 | d65 << 63;
    return r->upper & (d1 | (u1 & d2));
}

/* A colon anchors only where an IPv6 address can go on: before a hex
 * digit or another colon (the scanner passes over the ': ' of logs), and
 * after a byte of an address (a hex digit, ':' or '.') unless it opens
 * "::" - an address does not open with one colon, so the ':' of JSON's
 * "qty":252 needs no look either. */
static inline uint64_t colon_anchors(const raw_masks *r, const uint8_t *buf, size_t len,
                                     size_t base)
{
    size_t end = base + 64;
    uint8_t after = end < len ? buf[end] : 0;
    uint8_t prior = base > 0 ? buf[base - 1] : 0;
    uint64_t n64 = hex_or_colon(after);
    uint64_t c64 = after == ':';
    uint64_t before = hex_or_colon(prior) | (prior == '.');
    uint64_t next = r->hexc >> 1 | n64 << 63;
    uint64_t next_colon = r->colon >> 1 | c64 << 63;
    uint64_t prev = (r->hexc | r->dot) << 1 | before;
    return r->colon & next & (prev | next_colon);
}

static inline void block_store(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                               const pii_anchor_set *as, const raw_masks *r)
{
    uint64_t a = r->fixed;
    if (as->upper)
        a |= upper_anchors(r, buf, len, base + 64);
    if (as->colon)
        a |= colon_anchors(r, buf, len, base);
    b->base = base;
    b->m[PII_BLK_ANCHOR] = a;
    b->m[PII_BLK_DIGIT] = r->digit;
    b->m[PII_BLK_WORD] = r->word;
}

void pii_block_fill_scalar(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                           const pii_anchor_set *as)
{
    size_t n = len - base < 64 ? len - base : 64;
    raw_masks r = {0};
    for (size_t k = 0; k < n; k++) {
        uint8_t c = buf[base + k];
        bool fixed = pii_anchor_byte(c, as);
        r.fixed |= (uint64_t)fixed << k;
        r.digit |= (uint64_t)ascii_digit(c) << k;
        r.word |= (uint64_t)ascii_word(c) << k;
        r.upper |= (uint64_t)ascii_upper(c) << k;
        r.hexc |= (uint64_t)hex_or_colon(c) << k;
        r.colon |= (uint64_t)(c == ':') << k;
        r.dot |= (uint64_t)(c == '.') << k;
    }
    block_store(b, buf, len, base, as, &r);
}

#if defined(__x86_64__) || defined(__i386__)

/* lo <= x <= lo + width, unsigned, per byte */
static inline __m128i range128(__m128i x, uint8_t lo, uint8_t width)
{
    __m128i t = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)width)), t);
}

static inline uint64_t mask128(__m128i v)
{
    return (uint64_t)(uint32_t)_mm_movemask_epi8(v);
}

void pii_block_fill_sse2(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                         const pii_anchor_set *as)
{
    if (len - base < 64) {
        pii_block_fill_scalar(b, buf, len, base, as);
        return;
    }
    raw_masks r = {0};
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(buf + base + 16 * k));
        __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
        __m128i dig = range128(x, '0', 9);
        __m128i alpha = range128(lower, 'a', 25);
        __m128i colon = _mm_cmpeq_epi8(x, _mm_set1_epi8(':'));
        __m128i fixed = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('@')),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEF)));
        if (as->digit)
            fixed = _mm_or_si128(fixed, dig);
        if (as->han)
            fixed = _mm_or_si128(fixed, range128(x, 0xE4, 5));
        unsigned sh = 16u * (unsigned)k;
        r.fixed |= mask128(fixed) << sh;
        r.digit |= mask128(dig) << sh;
        r.word |= mask128(_mm_or_si128(_mm_or_si128(dig, alpha),
                                       _mm_cmpeq_epi8(x, _mm_set1_epi8('_'))))
                  << sh;
        r.upper |= (mask128(alpha) & ~mask128(_mm_slli_epi16(x, 2))) << sh;
        r.hexc |= mask128(_mm_or_si128(_mm_or_si128(dig, range128(lower, 'a', 5)), colon)) << sh;
        r.colon |= mask128(colon) << sh;
        r.dot |= mask128(_mm_cmpeq_epi8(x, _mm_set1_epi8('.'))) << sh;
    }
    block_store(b, buf, len, base, as, &r);
}

__attribute__((target("avx2"))) static inline __m256i range256(__m256i x, uint8_t lo,
                                                               uint8_t width)
{
    __m256i t = _mm256_sub_epi8(x, _mm256_set1_epi8((char)lo));
    return _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8((char)width)), t);
}

/* AVX2 and AVX-512: each byte's classes from two 16-entry tables, one
 * indexed by its low nibble and one by its high nibble; a class holds
 * where both agree. The eight class bits: */
enum {
    C_DIGIT = 1,   /* 0x30-0x39 */
    C_ALPHA_A = 2, /* 0x41-0x4F, 0x61-0x6F */
    C_ALPHA_B = 4, /* 0x50-0x5A, 0x70-0x7A */
    C_UNDER = 8,   /* '_' */
    C_AT = 16,     /* '@' */
    C_COLON = 32,  /* ':' */
    C_HAN = 64,    /* 0xE4-0xE9 */
    C_EF = 128,    /* 0xEF */
};

#define LO_1_9 (C_DIGIT | C_ALPHA_A | C_ALPHA_B)
static const uint8_t nib_lo[16] = {
    C_DIGIT | C_ALPHA_B | C_AT,
    LO_1_9, LO_1_9, LO_1_9, LO_1_9 | C_HAN, LO_1_9 | C_HAN, LO_1_9 | C_HAN,
    LO_1_9 | C_HAN, LO_1_9 | C_HAN, LO_1_9 | C_HAN,
    C_ALPHA_A | C_ALPHA_B | C_COLON,
    C_ALPHA_A, C_ALPHA_A, C_ALPHA_A, C_ALPHA_A,
    C_ALPHA_A | C_UNDER | C_EF,
};
#undef LO_1_9
static const uint8_t nib_hi[16] = {
    [3] = C_DIGIT | C_COLON, [4] = C_ALPHA_A | C_AT, [5] = C_ALPHA_B | C_UNDER,
    [6] = C_ALPHA_A,         [7] = C_ALPHA_B,       [0xE] = C_HAN | C_EF,
};

/* The class bits that make a byte a fixed anchor in as (':' and capitals
 * have rules of their own). */
static uint8_t anchor_class_bits(const pii_anchor_set *as)
{
    return (uint8_t)(C_AT | C_EF | (as->digit ? C_DIGIT : 0) | (as->han ? C_HAN : 0));
}

__attribute__((target("avx2"))) static inline uint64_t any_bits256(__m256i c, uint8_t bits)
{
    __m256i none = _mm256_cmpeq_epi8(_mm256_and_si256(c, _mm256_set1_epi8((char)bits)),
                                     _mm256_setzero_si256());
    return ~(uint64_t)(uint32_t)_mm256_movemask_epi8(none) & 0xFFFFFFFFu;
}

__attribute__((target("avx2"))) static inline uint64_t mask256(__m256i v)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(v);
}

__attribute__((target("avx2"))) void pii_block_fill_avx2(pii_block *b, const uint8_t *buf,
                                                         size_t len, size_t base,
                                                         const pii_anchor_set *as)
{
    if (len - base < 64) {
        pii_block_fill_scalar(b, buf, len, base, as);
        return;
    }
    const __m256i lo_tab = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)nib_lo));
    const __m256i hi_tab = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)nib_hi));
    const __m256i nib = _mm256_set1_epi8(0x0F);
    uint8_t fixed_bits = anchor_class_bits(as);
    raw_masks r = {0};
    for (int k = 0; k < 2; k++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(buf + base + 32 * k));
        __m256i c = _mm256_and_si256(
            _mm256_shuffle_epi8(lo_tab, _mm256_and_si256(x, nib)),
            _mm256_shuffle_epi8(hi_tab, _mm256_and_si256(_mm256_srli_epi16(x, 4), nib)));
        unsigned sh = 32u * (unsigned)k;
        uint64_t digit = mask256(_mm256_slli_epi16(c, 7)); /* C_DIGIT is bit 0 */
        uint64_t colon = any_bits256(c, C_COLON);
        r.fixed |= any_bits256(c, fixed_bits) << sh;
        r.digit |= digit << sh;
        r.word |= any_bits256(c, C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER) << sh;
        r.upper |= (any_bits256(c, C_ALPHA_A | C_ALPHA_B) & ~mask256(_mm256_slli_epi16(x, 2)))
                   << sh;
        r.hexc |= (digit | colon |
                   mask256(range256(_mm256_or_si256(x, _mm256_set1_epi8(0x20)), 'a', 5)))
                  << sh;
        r.colon |= colon << sh;
        r.dot |= mask256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('.'))) << sh;
    }
    block_store(b, buf, len, base, as, &r);
}

/* AVX-512 (BW): the same tables over all 64 bytes at once, and the masks
 * straight from byte tests, without the movemask and inversion steps. */
__attribute__((target("avx512bw"))) void pii_block_fill_avx512(pii_block *b, const uint8_t *buf,
                                                               size_t len, size_t base,
                                                               const pii_anchor_set *as)
{
    if (len - base < 64) {
        pii_block_fill_scalar(b, buf, len, base, as);
        return;
    }
    const __m512i lo_tab = _mm512_broadcast_i32x4(_mm_loadu_si128((const void *)nib_lo));
    const __m512i hi_tab = _mm512_broadcast_i32x4(_mm_loadu_si128((const void *)nib_hi));
    const __m512i nib = _mm512_set1_epi8(0x0F);
    __m512i x = _mm512_loadu_si512((const void *)(buf + base));
    __m512i c =
        _mm512_and_si512(_mm512_shuffle_epi8(lo_tab, _mm512_and_si512(x, nib)),
                         _mm512_shuffle_epi8(hi_tab, _mm512_and_si512(_mm512_srli_epi16(x, 4), nib)));
    raw_masks r;
    r.fixed = _mm512_test_epi8_mask(c, _mm512_set1_epi8((char)anchor_class_bits(as)));
    r.digit = _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_DIGIT));
    r.word = _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER));
    r.upper = _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_ALPHA_A | C_ALPHA_B)) &
              ~_mm512_test_epi8_mask(x, _mm512_set1_epi8(0x20));
    r.colon = _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_COLON));
    r.hexc = r.digit | r.colon |
             _mm512_cmple_epu8_mask(_mm512_sub_epi8(_mm512_or_si512(x, _mm512_set1_epi8(0x20)),
                                                    _mm512_set1_epi8('a')),
                                    _mm512_set1_epi8(5));
    r.dot = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('.'));
    block_store(b, buf, len, base, as, &r);
}

pii_block_fill_fn pii_block_filler(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512bw"))
        return pii_block_fill_avx512;
    return __builtin_cpu_supports("avx2") ? pii_block_fill_avx2 : pii_block_fill_sse2;
}

#else

pii_block_fill_fn pii_block_filler(void)
{
    return pii_block_fill_scalar;
}

#endif
