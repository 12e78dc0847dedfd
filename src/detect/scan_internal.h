/*
 * scan_internal.h - what the candidate generators (scanner.c, alnum.c,
 * cn_address.c, cn_name.c) share: the scan context, boundary tests, and the
 * confirm step that runs a detector's validator, shape pattern and context
 * words on a candidate.
 */
#ifndef PII_SCAN_INTERNAL_H
#define PII_SCAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pii_text.h"
#include "detect/detect.h"

typedef struct {
    const pii_detect_cfg *cfg;
    pii_scan_ws *ws;
    const uint8_t *buf;
    size_t len;
    size_t from;
    unsigned flags;
    pii_findings *out;
    pii_status st;
    size_t v6_dead; /* colons before this offset start no IPv6 address */
    size_t nl_from, nl_end; /* no '\n' in [nl_from, nl_end): see line_end_from */
    bool nl_found;          /* and one at nl_end */
    pii_anchor_set as; /* the anchors, and the block classifier */
    pii_block_cache blk; /* byte-class masks of the block at hand and the next */
} scan_ctx;

/* The first offset >= i whose byte is (set) or is not (!set) in the block
 * mask k (PII_BLK_DIGIT, PII_BLK_WORD, PII_BLK_ANCHOR), else sc->len. */
static inline size_t pii_scan_find(scan_ctx *sc, size_t i, int k, bool set)
{
    return pii_block_find(&sc->blk, sc->buf, sc->len, i, k, set, &sc->as);
}

/* A candidate's normalized text (ASCII digits and upper-case letters,
 * separators folded to ' ' or '-', brackets to ASCII) and its compact form
 * (digits and letters only) for validators. */
#define PII_CAND_MAX 96
typedef struct {
    char norm[PII_CAND_MAX];
    size_t nnorm;
    char compact[PII_CAND_MAX];
    size_t ncompact;
} pii_cand;

/* Report a finding for detector d (an index into cfg->det) over
 * [start, end), after context scoring; `aux` is detector-specific data for
 * the transform (bytes to keep for addresses and names). Returns true when
 * the finding was kept (confidence >= threshold). */
bool pii_scan_report(scan_ctx *sc, uint16_t d, size_t start, size_t end, uint8_t conf,
                     uint16_t aux);

/* Run detector d's confirm chain on a candidate: length bounds on the
 * compact form, validator, then the shape pattern on the normalized text.
 * Returns the confidence (0: not this detector). */
uint8_t pii_scan_confirm(scan_ctx *sc, uint16_t d, const pii_cand *c);

/* Boundary tests: is the character ending at / starting at pos glued to a
 * number or word? */
bool pii_scan_left_blocked_slow(const scan_ctx *sc, size_t pos);
static inline bool pii_scan_left_blocked(const scan_ctx *sc, size_t pos)
{
    if (pos > 0) {
        uint8_t c = sc->buf[pos - 1];
        /* the common case, without a call: a space, a quote, '=' ... */
        if (c < 0x80 && !pii_text_ascii_alnum(c) && c != '.' && c != '-' && c != '_')
            return false;
    }
    return pii_scan_left_blocked_slow(sc, pos);
}
bool pii_scan_right_blocked(const scan_ctx *sc, size_t pos);

/* Skip a word that contains digits or letters: alnum, '_', inner dots. */
size_t pii_scan_skip_word(scan_ctx *sc, size_t i);

/* Candidate generators outside scanner.c. Each returns the position to
 * continue scanning from (> i). */
size_t pii_scan_alnum(scan_ctx *sc, size_t i);
size_t pii_scan_cn_address(scan_ctx *sc, size_t i);
size_t pii_scan_cn_name(scan_ctx *sc, size_t i);
size_t pii_scan_us_address(scan_ctx *sc, size_t i);

/* A Han label from det's context words (收货地址, 姓名 ...) at p[0, n): its
 * length in bytes, else 0. */
size_t pii_scan_label_at(const pii_detector *det, const uint8_t *p, size_t n);

/* Is the byte sequence at p a Han character (U+4E00..U+9FFF)? */
static inline bool pii_scan_is_han(const uint8_t *p, size_t n)
{
    return n >= 3 && p[0] >= 0xE4 && p[0] <= 0xE9 && (p[1] & 0xC0) == 0x80 &&
           (p[2] & 0xC0) == 0x80;
}

#endif /* PII_SCAN_INTERNAL_H */
