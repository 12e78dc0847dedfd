/*
 * anchors.h - byte classes of a 64-byte block as bit masks, for the
 * scanner's hot loop.
 *
 * The scanner's class table marks the anchor bytes: '@', the 0xEF lead
 * byte of full-width forms, and - when a detector needs them - ASCII
 * digits, upper-case letters, ':' and the lead bytes 0xE4..0xE9 of most Han
 * characters. In the masks a colon is an anchor only before a hex digit or
 * another colon, where an IPv6 address can go on: the scanner passes over
 * the others (the ':"' of JSON, the ': ' of logs) without a look. A capital
 * is one only before a digit, or before a capital and a digit, where an
 * alnum ID can open (A123456(7), GB82...): INFO, GET and OrderService
 * cost nothing. Nor is a digit run whose look would end right after it
 * with nothing found (the 12 of "12,", the 0.005 of "rt=0.005 ", the 34
 * of 12:34:56; anchors.c lists the rules). Logs hold an anchor every few
 * bytes, so instead of testing bytes one by one (a branch per byte,
 * mispredicted at every anchor) the scanner classifies 64 bytes at a time
 * into three masks - anchors, ASCII digits, ASCII word bytes (letters,
 * digits, '_') - and finds the next anchor, the end of a digit run or of a
 * word with a count of trailing zeros. The masks come from SSE2 (every
 * x86-64 has it), AVX2 or AVX-512 where the CPU has them (chosen at run
 * time), or from a portable loop; all give the same masks, which a unit
 * test checks.
 */
#ifndef PII_ANCHORS_H
#define PII_ANCHORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pii_block pii_block;
typedef struct pii_anchor_set pii_anchor_set;

/* The optional anchor classes ('@' and 0xEF are always anchors), and the
 * block classifier to use (pii_block_filler()). */
struct pii_anchor_set {
    bool digit; /* 0-9 */
    bool upper; /* A-Z */
    bool colon; /* ':' */
    bool han;   /* 0xE4..0xE9 */
    void (*fill)(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                 const pii_anchor_set *as);
};

/* Is c an anchor by its class alone? Capitals and colons are anchors only
 * by what surrounds them, which the block classifiers work out. */
static inline bool pii_anchor_byte(uint8_t c, const pii_anchor_set *as)
{
    return (as->digit && (unsigned)(c - '0') < 10u) || c == '@' || c == 0xEF ||
           (as->han && (unsigned)(c - 0xE4) < 6u);
}

enum { PII_BLK_ANCHOR = 0, PII_BLK_DIGIT = 1, PII_BLK_WORD = 2 };

/* The masks of buf[base, base + 64): bit k stands for buf[base + k]; bits
 * at or past the end of the buffer are clear in every mask. */
struct pii_block {
    size_t base;
    uint64_t m[3]; /* indexed by PII_BLK_* */
};

/* The block at hand, and the one after it, classified ahead. */
typedef struct {
    pii_block cur;
    pii_block next;
} pii_block_cache;

/* Block classifiers: fill b for the block at base (base < len). */
typedef void (*pii_block_fill_fn)(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                                  const pii_anchor_set *as);
void pii_block_fill_scalar(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                           const pii_anchor_set *as);
#if defined(__x86_64__) || defined(__i386__)
void pii_block_fill_sse2(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                         const pii_anchor_set *as);
void pii_block_fill_avx2(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                         const pii_anchor_set *as);
void pii_block_fill_avx512(pii_block *b, const uint8_t *buf, size_t len, size_t base,
                           const pii_anchor_set *as);
#endif

/* The fastest classifier this CPU runs. */
pii_block_fill_fn pii_block_filler(void);

/* A cache that covers nothing below len: the first find fills it. */
static inline void pii_block_init(pii_block_cache *c, size_t len)
{
    c->cur.base = len;
    c->next.base = len;
}

/* *dst = *src, a word at a time. The classifier has just stored src word
 * by word when text without anchors is passed over quickly, and a copy
 * the compiler merged into 16-byte loads would wait for those stores
 * (a store cannot forward to a wider load): plain text ran 15 % slower. */
static inline void pii_block_copy(pii_block *dst, const pii_block *src)
{
    size_t base = src->base;
    uint64_t m0 = src->m[0], m1 = src->m[1], m2 = src->m[2];
#if defined(__GNUC__)
    __asm__("" : "+r"(base), "+r"(m0), "+r"(m1), "+r"(m2)); /* keep them scalar */
#endif
    dst->base = base;
    dst->m[0] = m0;
    dst->m[1] = m1;
    dst->m[2] = m2;
}

/* Make the block at i (< len) the one at hand: the one classified ahead
 * when i is in it (nearly always: the scan moves forwards), else a new one
 * at i; then classify the block after it. That work does not depend on
 * the scan's, so the CPU overlaps the two, where a block filled only when
 * the scan reaches it puts the whole fill on the scan's critical path
 * (measured: 1.8 % faster on the sparse benchmark logs, and the block
 * masks can afford more work, anchors.c). */
static inline void pii_block_advance(pii_block_cache *c, const uint8_t *buf, size_t len,
                                     size_t i, const pii_anchor_set *as)
{
    if (i - c->next.base < 64)
        pii_block_copy(&c->cur, &c->next);
    else
        as->fill(&c->cur, buf, len, i, as);
    size_t nb = c->cur.base + 64;
    if (nb < len)
        as->fill(&c->next, buf, len, nb, as);
    else
        c->next.base = len;
}

/* The first offset >= i in [0, len) whose byte is in mask k (set) or not in
 * it (!set), else len. c caches the block around i and the one after it;
 * when i leaves the block, the next one is taken or a new one filled, so
 * callers may move i anywhere between calls. */
static inline size_t pii_block_find(pii_block_cache *c, const uint8_t *buf, size_t len, size_t i,
                                    int k, bool set, const pii_anchor_set *as)
{
    while (i < len) {
        size_t off = i - c->cur.base; /* wraps to a huge value when i < base */
        if (off >= 64) {
            pii_block_advance(c, buf, len, i, as);
            off = i - c->cur.base;
        }
        uint64_t m = (set ? c->cur.m[k] : ~c->cur.m[k]) >> off;
        if (m != 0) {
            size_t r = i + (size_t)__builtin_ctzll(m);
            return r < len ? r : len;
        }
        i = c->cur.base + 64;
    }
    return len;
}

#endif /* PII_ANCHORS_H */
