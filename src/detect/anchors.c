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

/* A colon anchors only where an IPv6 address can go on: before a hex
 * digit or another colon (the scanner passes over the others). */
static bool colon_next(uint8_t c)
{
    return ascii_digit(c) || (unsigned)((c | 0x20) - 'a') < 6u || c == ':';
}

static bool ascii_upper(uint8_t c)
{
    return (unsigned)(c - 'A') < 26u;
}

/* Capitals anchor only where an alnum candidate can open: before a digit,
 * or before another capital and a digit (A123456(7), GB82..., E12345678).
 * The scanner skipped every other word that starts with a capital whole,
 * and the digits and capitals inside it lead to the same skip, so those
 * capitals need no look. up and dig are the block's masks; the bytes at
 * end = base + 64 and end + 1 (when below len) finish the last bits. */
static inline uint64_t upper_anchors(uint64_t up, uint64_t dig, const uint8_t *buf, size_t len,
                                     size_t end)
{
    uint64_t d64 = end < len && ascii_digit(buf[end]);
    uint64_t u64 = end < len && ascii_upper(buf[end]);
    uint64_t d65 = end + 1 < len && ascii_digit(buf[end + 1]);
    uint64_t d1 = dig >> 1 | d64 << 63;
    uint64_t u1 = up >> 1 | u64 << 63;
    uint64_t d2 = dig >> 2 | d64 << 62 | d65 << 63;
    return up & (d1 | (u1 & d2));
}

void pii_block_fill_scalar(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                           const pii_anchor_set *as)
{
    size_t n = len - base < 64 ? len - base : 64;
    uint64_t a = 0, d = 0, w = 0, u = 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t c = buf[base + k];
        bool anchor = pii_anchor_byte(c, as) && !ascii_upper(c);
        if (c == ':')
            anchor = anchor && base + k + 1 < len && colon_next(buf[base + k + 1]);
        a |= (uint64_t)anchor << k;
        d |= (uint64_t)ascii_digit(c) << k;
        w |= (uint64_t)ascii_word(c) << k;
        u |= (uint64_t)ascii_upper(c) << k;
    }
    if (as->upper)
        a |= upper_anchors(u, d, buf, len, base + 64);
    b->base = base;
    b->m[PII_BLK_ANCHOR] = a;
    b->m[PII_BLK_DIGIT] = d;
    b->m[PII_BLK_WORD] = w;
}

#if defined(__x86_64__) || defined(__i386__)

/* The optional anchor classes but ':' and capitals from the class masks
 * of one vector: digits and Han leads. */
static uint64_t optional_anchors(const pii_anchor_set *as, uint64_t digit, uint64_t han)
{
    uint64_t a = 0;
    if (as->digit)
        a |= digit;
    if (as->han)
        a |= han;
    return a;
}

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
    if (len - base < 65) { /* the colon test reads one byte past the block */
        pii_block_fill_scalar(b, buf, len, base, as);
        return;
    }
    uint64_t a = 0, d = 0, w = 0, u = 0;
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(buf + base + 16 * k));
        __m128i dig = range128(x, '0', 9);
        __m128i alpha = range128(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 25);
        __m128i word = _mm_or_si128(_mm_or_si128(dig, alpha),
                                    _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
        __m128i fixed = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('@')),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEF)));
        uint64_t md = mask128(dig);
        uint64_t ma = mask128(fixed) | optional_anchors(as, md, mask128(range128(x, 0xE4, 5)));
        u |= (mask128(alpha) & ~mask128(_mm_slli_epi16(x, 2))) << (16 * k);
        if (as->colon) {
            __m128i nx = _mm_loadu_si128((const __m128i *)(const void *)(buf + base + 16 * k + 1));
            __m128i next = _mm_or_si128(
                _mm_or_si128(range128(nx, '0', 9),
                             range128(_mm_or_si128(nx, _mm_set1_epi8(0x20)), 'a', 5)),
                _mm_cmpeq_epi8(nx, _mm_set1_epi8(':')));
            ma |= mask128(_mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(':')), next));
        }
        a |= ma << (16 * k);
        d |= md << (16 * k);
        w |= mask128(word) << (16 * k);
    }
    if (as->upper)
        a |= upper_anchors(u, d, buf, len, base + 64);
    b->base = base;
    b->m[PII_BLK_ANCHOR] = a;
    b->m[PII_BLK_DIGIT] = d;
    b->m[PII_BLK_WORD] = w;
}

__attribute__((target("avx2"))) static inline __m256i range256(__m256i x, uint8_t lo,
                                                               uint8_t width)
{
    __m256i t = _mm256_sub_epi8(x, _mm256_set1_epi8((char)lo));
    return _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8((char)width)), t);
}

/* AVX2: each byte's classes from two 16-entry tables, one indexed by its
 * low nibble and one by its high nibble; a class holds where both agree.
 * The eight class bits: */
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

/* The class bits that make a byte an anchor in as (':' and upper-case
 * letters have tests of their own). */
static uint8_t anchor_class_bits(const pii_anchor_set *as)
{
    return (uint8_t)(C_AT | C_EF | (as->digit ? C_DIGIT : 0) | (as->han ? C_HAN : 0));
}

__attribute__((target("avx2"))) void pii_block_fill_avx2(pii_block *b, const uint8_t *buf,
                                                         size_t len, size_t base,
                                                         const pii_anchor_set *as)
{
    if (len - base < 65) { /* the colon test reads one byte past the block */
        pii_block_fill_scalar(b, buf, len, base, as);
        return;
    }
    const __m256i lo_tab = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)nib_lo));
    const __m256i hi_tab = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)nib_hi));
    const __m256i nib = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    const __m256i anchor_bits = _mm256_set1_epi8((char)anchor_class_bits(as));
    const __m256i word_bits = _mm256_set1_epi8(C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER);
    const __m256i alpha_bits = _mm256_set1_epi8(C_ALPHA_A | C_ALPHA_B);
    uint64_t a = 0, d = 0, w = 0, u = 0;
    for (int k = 0; k < 2; k++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(buf + base + 32 * k));
        __m256i c = _mm256_and_si256(
            _mm256_shuffle_epi8(lo_tab, _mm256_and_si256(x, nib)),
            _mm256_shuffle_epi8(hi_tab, _mm256_and_si256(_mm256_srli_epi16(x, 4), nib)));
        /* a mask of bytes with none of the given bits, and bit 0 (digit)
         * moved to each byte's top bit */
        uint64_t not_anchor = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_and_si256(c, anchor_bits), zero));
        uint64_t not_word = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_and_si256(c, word_bits), zero));
        uint64_t md = (uint32_t)_mm256_movemask_epi8(_mm256_slli_epi16(c, 7));
        uint64_t ma = ~not_anchor & 0xFFFFFFFFu;
        if (as->upper) {
            uint64_t alpha = ~(uint64_t)(uint32_t)_mm256_movemask_epi8(
                                 _mm256_cmpeq_epi8(_mm256_and_si256(c, alpha_bits), zero)) &
                             0xFFFFFFFFu;
            uint64_t bit5 = (uint32_t)_mm256_movemask_epi8(_mm256_slli_epi16(x, 2));
            u |= (alpha & ~bit5) << (32 * k);
        }
        if (as->colon) {
            __m256i nx =
                _mm256_loadu_si256((const __m256i *)(const void *)(buf + base + 32 * k + 1));
            __m256i next = _mm256_or_si256(
                _mm256_or_si256(range256(nx, '0', 9),
                                range256(_mm256_or_si256(nx, _mm256_set1_epi8(0x20)), 'a', 5)),
                _mm256_cmpeq_epi8(nx, _mm256_set1_epi8(':')));
            __m256i colon = _mm256_and_si256(c, _mm256_set1_epi8(C_COLON));
            ma |= (uint32_t)_mm256_movemask_epi8(
                _mm256_andnot_si256(_mm256_cmpeq_epi8(colon, zero), next));
        }
        a |= ma << (32 * k);
        d |= md << (32 * k);
        w |= (~not_word & 0xFFFFFFFFu) << (32 * k);
    }
    if (as->upper)
        a |= upper_anchors(u, d, buf, len, base + 64);
    b->base = base;
    b->m[PII_BLK_ANCHOR] = a;
    b->m[PII_BLK_DIGIT] = d;
    b->m[PII_BLK_WORD] = w;
}

/* AVX-512 (BW): the same tables over all 64 bytes at once, and the masks
 * straight from byte tests, without the movemask and inversion steps. */
__attribute__((target("avx512bw"))) void pii_block_fill_avx512(pii_block *b, const uint8_t *buf,
                                                               size_t len, size_t base,
                                                               const pii_anchor_set *as)
{
    if (len - base < 65) { /* the colon test reads one byte past the block */
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
    uint64_t a = _mm512_test_epi8_mask(c, _mm512_set1_epi8((char)anchor_class_bits(as)));
    uint64_t dig = _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_DIGIT));
    if (as->upper)
        a |= upper_anchors(_mm512_test_epi8_mask(c, _mm512_set1_epi8(C_ALPHA_A | C_ALPHA_B)) &
                               ~_mm512_test_epi8_mask(x, _mm512_set1_epi8(0x20)),
                           dig, buf, len, base + 64);
    if (as->colon) {
        __m512i nx = _mm512_loadu_si512((const void *)(buf + base + 1));
        uint64_t next =
            _mm512_cmple_epu8_mask(_mm512_sub_epi8(nx, _mm512_set1_epi8('0')),
                                   _mm512_set1_epi8(9)) |
            _mm512_cmple_epu8_mask(
                _mm512_sub_epi8(_mm512_or_si512(nx, _mm512_set1_epi8(0x20)), _mm512_set1_epi8('a')),
                _mm512_set1_epi8(5)) |
            _mm512_cmpeq_epi8_mask(nx, _mm512_set1_epi8(':'));
        a |= _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_COLON)) & next;
    }
    b->base = base;
    b->m[PII_BLK_ANCHOR] = a;
    b->m[PII_BLK_DIGIT] = dig;
    b->m[PII_BLK_WORD] =
        _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER));
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
