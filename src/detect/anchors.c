/*
 * anchors.c - the block classifiers of anchors.h: a portable loop, SSE2,
 * AVX2 and AVX-512. They must give the same masks for every input (test_scanner
 * compares them on random and crafted blocks).
 */
#include "detect/anchors.h"

#include "common/pii_compiler.h"

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
    uint64_t colon, dot, space, dash;
    /* what may follow a digit run, for quiet_runs; a byte past the
     * buffer's end is in none of these */
    uint64_t inert;    /* inert_after */
    uint64_t no_group; /* !opens_group */
    uint64_t no_cap;   /* !opens_group && !ascii_upper */
    uint64_t word_end; /* ends_dotted_word */
} raw_masks;

/* Bytes after a digit run that the scanner reads no further (its
 * inert_at, conservatively): not a word byte, ' ', '-', '.', ':' or '(',
 * nor a lead byte (0xC2, 0xE2, 0xE3, 0xEF) of the multi-byte separators,
 * digits and brackets it reads. */
static bool inert_after(uint8_t c)
{
    return !ascii_word(c) && c != ' ' && c != '-' && c != '.' && c != ':' && c != '(' &&
           c != 0xC2 && c != 0xE2 && c != 0xE3 && c != 0xEF;
}

/* Bytes that, after the ' ' or '-' behind a digit run, can put another
 * group on its chain: a digit, '(', and 0xEF (full-width digits and
 * brackets). */
static bool opens_group(uint8_t c)
{
    return ascii_digit(c) || c == '(' || c == 0xEF;
}

/* Bytes that end a word of digits and dots for the scanner's skip: not a
 * word byte, '.' or the 0xEF lead of full-width letters. */
static bool ends_dotted_word(uint8_t c)
{
    return !ascii_word(c) && c != '.' && c != 0xEF;
}

/* The classes of a byte next to the block (its last bits read them), by
 * table: E_DIGIT 0-9, E_UPPER A-Z, E_HEXC hex_or_colon, E_COLON ':',
 * E_DOT '.'. */
enum { E_DIGIT = 1, E_UPPER = 2, E_HEXC = 4, E_COLON = 8, E_DOT = 16 };
static const uint8_t edge_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 12, 0, 0, 0, 0, 0,
    0, 6, 6, 6, 6, 6, 6, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    0, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* The classes of buf[at], or none past the buffer's end. */
static inline uint64_t edge_at(const uint8_t *buf, size_t len, size_t at)
{
    return at < len ? edge_class[buf[at]] : 0;
}

/* Capitals anchor only where an alnum candidate can open: before a digit,
 * or before another capital and a digit (A123456(7), GB82..., E12345678).
 * The scanner skipped every other word that starts with a capital whole,
 * and the digits and capitals inside it lead to the same skip, so those
 * capitals need no look. The bytes after the block (e64, e65: their
 * edge classes) finish the last bits. */
PII_ALWAYS_INLINE static inline uint64_t upper_anchors(const raw_masks *r, uint64_t e64,
                                                       uint64_t e65)
{
    uint64_t d64 = e64 & E_DIGIT, u64 = e64 >> 1 & 1, d65 = e65 & E_DIGIT;
    uint64_t d1 = r->digit >> 1 | d64 << 63;
    uint64_t u1 = r->upper >> 1 | u64 << 63;
    uint64_t d2 = r->digit >> 2 | d64 << 62 | d65 << 63;
    return r->upper & (d1 | (u1 & d2));
}

/* A colon anchors only where an IPv6 address can go on: before a hex
 * digit or another colon (the scanner passes over the ': ' of logs), and
 * after a byte of an address (a hex digit, ':' or '.') unless it opens
 * "::" - an address does not open with one colon, so the ':' of JSON's
 * "qty":252 needs no look either. e64 and eprior: the edge classes of the
 * bytes after and before the block. */
PII_ALWAYS_INLINE static inline uint64_t colon_anchors(const raw_masks *r, uint64_t e64,
                                                       uint64_t eprior)
{
    uint64_t n64 = e64 >> 2 & 1;
    uint64_t c64 = e64 >> 3 & 1;
    uint64_t before = (eprior >> 2 | eprior >> 4) & 1;
    uint64_t next = r->hexc >> 1 | n64 << 63;
    uint64_t next_colon = r->colon >> 1 | c64 << 63;
    uint64_t prev = (r->hexc | r->dot) << 1 | before;
    return r->colon & next & (prev | next_colon);
}

/* The digits of d up to 5 bytes before a bit of q, through digits only:
 * a run of at most 6 digits that ends at a bit of q is covered whole. */
static inline uint64_t back6(uint64_t q, uint64_t d)
{
    uint64_t d2 = d & d >> 1; /* k and k + 1 both digits */
    uint64_t x = q | (q >> 1 & d);
    x |= x >> 2 & d2;
    return x | (x >> 2 & d2);
}

/* The digit runs that need no look, so that the scanner's hot loop does
 * not stop at them. Each rule below names runs whose visit, from any of
 * their digits, reports nothing, changes no scanner state and ends right
 * after the run (A, B, D) or after the second run (C) - so the loop can go
 * on to the next anchor instead. They follow fast_digit_run and
 * fast_dotted in scanner.c, and the scanner tests and fuzz_scanner check
 * that the scan finds what its reference path (no masks) finds.
 *
 *   A  a run of 1-6 digits before an inert byte: lone_group returns its end;
 *   B  a run of 1-6 digits before ' ' or '-' and then a byte that puts no
 *      group on its chain (nor, after ' ', a house number's street: no
 *      capital): a chain of one short group;
 *   C  runs of 1-6 digits joined by one '.' (37.66, 0.005) and ended by a
 *      byte that ends the word: two dotted groups are no IPv4 address or
 *      dotted phone, so the scan skips the word;
 *   D  a run of 1-6 digits between two colons (the 00 of 12:00:05): no
 *      IPv6 address starts there (ipv6_may_start), and it is short.
 *
 * Only the block's own bytes are read, so a rule that needs a byte past
 * it leaves the run an anchor. A run at bit 0 may go on before the block:
 * its bits here are then the rest of a run whose visit started before
 * them, and a visit from inside a run skips to where the run or its word
 * ends and reports nothing (it is glued on the left). */
PII_ALWAYS_INLINE static inline uint64_t quiet_runs(const raw_masks *r)
{
    uint64_t d = r->digit;
    /* bit 63 ends no run here: every rule reads the byte after the end,
     * and the shifts below bring in none from past the block */
    uint64_t ends = d & ~(d >> 1);
    uint64_t starts = d & ~(d << 1);
    uint64_t dot = r->dot, colon = r->colon;

    /* A and B: what follows the run's end */
    uint64_t q = (r->inert >> 1) | (r->dash >> 1 & r->no_group >> 2) |
                 (r->space >> 1 & r->no_cap >> 2);
    uint64_t z = starts & back6(ends & q, d);

    /* D: a colon on both sides */
    z |= starts & colon << 1 & back6(ends & colon >> 1, d);

    /* C: the second run ends the word, a '.' and the end of the first
     * run come before it */
    uint64_t word_end = r->word_end >> 1;
    uint64_t second = starts & back6(ends & word_end, d) & dot << 1 & ends << 2;
    z |= second | (starts & back6(second >> 2, d));

    /* every digit of the runs that start at z: adding z carries through
     * each of them */
    return d & ~(d + z);
}

static inline void store_masks(pii_block *b, size_t base, uint64_t anchor, uint64_t digit,
                               uint64_t word)
{
    b->base = base;
    b->m[PII_BLK_ANCHOR] = anchor;
    b->m[PII_BLK_DIGIT] = digit;
    b->m[PII_BLK_WORD] = word;
}

PII_ALWAYS_INLINE static inline void block_store(pii_block *b, const uint8_t *buf, size_t len,
                                                 size_t base, const pii_anchor_set *as,
                                                 const raw_masks *r)
{
    uint64_t a = r->fixed;
    if (as->digit && r->digit != 0) /* text without digits needs none of it */
        a &= ~quiet_runs(r);
    uint64_t e64 = edge_at(buf, len, base + 64);
    if (as->upper)
        a |= upper_anchors(r, e64, edge_at(buf, len, base + 65));
    if (as->colon)
        a |= colon_anchors(r, e64, base > 0 ? edge_class[buf[base - 1]] : 0);
    store_masks(b, base, a, r->digit, r->word);
}

/* Anchor sets with no digits, capitals or colons as anchors (--only
 * email, names, Chinese addresses) need none of the masks their rules
 * read: the vector classifiers then make the three masks alone. */
static inline bool lean_set(const pii_anchor_set *as)
{
    return !as->digit && !as->upper && !as->colon;
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
        r.space |= (uint64_t)(c == ' ') << k;
        r.dash |= (uint64_t)(c == '-') << k;
        r.inert |= (uint64_t)inert_after(c) << k;
        r.no_group |= (uint64_t)!opens_group(c) << k;
        r.no_cap |= (uint64_t)(!opens_group(c) && !ascii_upper(c)) << k;
        r.word_end |= (uint64_t)ends_dotted_word(c) << k;
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

/* The follow masks of a full block from its byte classes, for the
 * classifiers without the second nibble tables: paren, ef and hisep are
 * the masks of '(', 0xEF, and 0xC2, 0xE2 and 0xE3. */
static inline void derive_follow(raw_masks *r, uint64_t paren, uint64_t ef, uint64_t hisep)
{
    r->inert = ~(r->word | r->space | r->dash | r->dot | r->colon | paren | ef | hisep);
    r->no_group = ~(r->digit | paren | ef);
    r->no_cap = r->no_group & ~r->upper;
    r->word_end = ~(r->word | r->dot | ef);
}

void pii_block_fill_sse2(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                         const pii_anchor_set *as)
{
    if (len - base < 64) {
        pii_block_fill_scalar(b, buf, len, base, as);
        return;
    }
    raw_masks r = {0};
    uint64_t paren = 0, ef = 0, hisep = 0;
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
        r.space |= mask128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' '))) << sh;
        r.dash |= mask128(_mm_cmpeq_epi8(x, _mm_set1_epi8('-'))) << sh;
        paren |= mask128(_mm_cmpeq_epi8(x, _mm_set1_epi8('('))) << sh;
        ef |= mask128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEF))) << sh;
        hisep |= mask128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC2)),
                                      range128(x, 0xE2, 1)))
                 << sh;
    }
    derive_follow(&r, paren, ef, hisep);
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

/* A second pair of tables for eight more classes: */
enum {
    S_SPACE = 1,  /* ' ' */
    S_DASH = 2,   /* '-' */
    S_DOT = 4,    /* '.' */
    S_PAREN = 8,  /* '(' */
    S_C2 = 16,    /* 0xC2 */
    S_E23 = 32,   /* 0xE2, 0xE3 */
    S_UPPER_A = 64,  /* 0x41-0x4F */
    S_UPPER_B = 128, /* 0x50-0x5A */
};

#define UP_AB (S_UPPER_A | S_UPPER_B)
static const uint8_t nib2_lo[16] = {
    S_SPACE | S_UPPER_B, UP_AB, S_C2 | S_E23 | UP_AB, S_E23 | UP_AB,
    UP_AB, UP_AB, UP_AB, UP_AB,
    S_PAREN | UP_AB, UP_AB, UP_AB, S_UPPER_A,
    S_UPPER_A, S_DASH | S_UPPER_A, S_DOT | S_UPPER_A, S_UPPER_A,
};
#undef UP_AB
static const uint8_t nib2_hi[16] = {
    [2] = S_SPACE | S_DASH | S_DOT | S_PAREN,
    [4] = S_UPPER_A, [5] = S_UPPER_B, [0xC] = S_C2, [0xE] = S_E23,
};

/* The class bits that make a byte a fixed anchor in as (':' and capitals
 * have rules of their own). */
static uint8_t anchor_class_bits(const pii_anchor_set *as)
{
    return (uint8_t)(C_AT | C_EF | (C_DIGIT & -(unsigned)as->digit) | (C_HAN & -(unsigned)as->han));
}

__attribute__((target("avx2"))) static inline uint64_t none_bits256(__m256i c, uint8_t bits)
{
    __m256i none = _mm256_cmpeq_epi8(_mm256_and_si256(c, _mm256_set1_epi8((char)bits)),
                                     _mm256_setzero_si256());
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(none);
}

__attribute__((target("avx2"))) static inline uint64_t any_bits256(__m256i c, uint8_t bits)
{
    return ~none_bits256(c, bits) & 0xFFFFFFFFu;
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
    const __m256i lo2_tab =
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)nib2_lo));
    const __m256i hi2_tab =
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)nib2_hi));
    const __m256i nib = _mm256_set1_epi8(0x0F);
    uint8_t fixed_bits = anchor_class_bits(as);
    bool lean = lean_set(as);
    raw_masks r = {0};
    for (int k = 0; k < 2; k++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(buf + base + 32 * k));
        __m256i lo = _mm256_and_si256(x, nib);
        __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), nib);
        __m256i c =
            _mm256_and_si256(_mm256_shuffle_epi8(lo_tab, lo), _mm256_shuffle_epi8(hi_tab, hi));
        unsigned sh = 32u * (unsigned)k;
        uint64_t digit = mask256(_mm256_slli_epi16(c, 7)); /* C_DIGIT is bit 0 */
        r.fixed |= any_bits256(c, fixed_bits) << sh;
        r.digit |= digit << sh;
        r.word |= any_bits256(c, C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER) << sh;
        if (lean)
            continue;
        __m256i c2 =
            _mm256_and_si256(_mm256_shuffle_epi8(lo2_tab, lo), _mm256_shuffle_epi8(hi2_tab, hi));
        uint64_t colon = any_bits256(c, C_COLON);
        r.upper |= any_bits256(c2, S_UPPER_A | S_UPPER_B) << sh;
        r.hexc |= (digit | colon |
                   mask256(range256(_mm256_or_si256(x, _mm256_set1_epi8(0x20)), 'a', 5)))
                  << sh;
        r.colon |= colon << sh;
        r.dot |= any_bits256(c2, S_DOT) << sh;
        r.space |= any_bits256(c2, S_SPACE) << sh;
        r.dash |= any_bits256(c2, S_DASH) << sh;
        r.inert |= (none_bits256(c, C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER | C_COLON | C_EF) &
                    none_bits256(c2, S_SPACE | S_DASH | S_DOT | S_PAREN | S_C2 | S_E23))
                   << sh;
        uint64_t no_group = none_bits256(c, C_DIGIT | C_EF) & none_bits256(c2, S_PAREN);
        r.no_group |= no_group << sh;
        r.no_cap |= (no_group & none_bits256(c2, S_UPPER_A | S_UPPER_B)) << sh;
        r.word_end |= (none_bits256(c, C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER | C_EF) &
                       none_bits256(c2, S_DOT))
                      << sh;
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
    const __m512i lo2_tab = _mm512_broadcast_i32x4(_mm_loadu_si128((const void *)nib2_lo));
    const __m512i hi2_tab = _mm512_broadcast_i32x4(_mm_loadu_si128((const void *)nib2_hi));
    const __m512i nib = _mm512_set1_epi8(0x0F);
    __m512i x = _mm512_loadu_si512((const void *)(buf + base));
    __m512i lo = _mm512_and_si512(x, nib);
    __m512i hi = _mm512_and_si512(_mm512_srli_epi16(x, 4), nib);
    __m512i c =
        _mm512_and_si512(_mm512_shuffle_epi8(lo_tab, lo), _mm512_shuffle_epi8(hi_tab, hi));
#define TEST(v, bits) _mm512_test_epi8_mask((v), _mm512_set1_epi8((char)(bits)))
#define NONE(v, bits) _mm512_testn_epi8_mask((v), _mm512_set1_epi8((char)(bits)))
    raw_masks r;
    r.fixed = TEST(c, anchor_class_bits(as));
    r.digit = TEST(c, C_DIGIT);
    r.word = TEST(c, C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER);
    if (lean_set(as)) {
        store_masks(b, base, r.fixed, r.digit, r.word);
        return;
    }
    __m512i c2 =
        _mm512_and_si512(_mm512_shuffle_epi8(lo2_tab, lo), _mm512_shuffle_epi8(hi2_tab, hi));
    r.upper = TEST(c2, S_UPPER_A | S_UPPER_B);
    r.colon = TEST(c, C_COLON);
    r.hexc = r.digit | r.colon |
             _mm512_cmple_epu8_mask(_mm512_sub_epi8(_mm512_or_si512(x, _mm512_set1_epi8(0x20)),
                                                    _mm512_set1_epi8('a')),
                                    _mm512_set1_epi8(5));
    r.dot = TEST(c2, S_DOT);
    r.space = TEST(c2, S_SPACE);
    r.dash = TEST(c2, S_DASH);
    r.inert = NONE(c, C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER | C_COLON | C_EF) &
              NONE(c2, S_SPACE | S_DASH | S_DOT | S_PAREN | S_C2 | S_E23);
    r.no_group = NONE(c, C_DIGIT | C_EF) & NONE(c2, S_PAREN);
    r.no_cap = r.no_group & NONE(c2, S_UPPER_A | S_UPPER_B);
    r.word_end = NONE(c, C_DIGIT | C_ALPHA_A | C_ALPHA_B | C_UNDER | C_EF) & NONE(c2, S_DOT);
#undef TEST
#undef NONE
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
