/*
 * fuzz_scanner.c - pii_detect_scan (src/detect/detect.h) on arbitrary bytes
 * with a fuzzed `from`, open-edge flags and set of enabled types.
 *
 * Checks the contract in detect.h: findings sorted and non-overlapping,
 * from <= start < end <= len, known and enabled type, never across '\n'.
 * It also checks that each finding is what its type says: the digits of a
 * CN_ID / BANK_CARD / CN_MOBILE span, folded the way the scanner folds them,
 * pass the corresponding validator; an IPv4 span is a dotted quad; an e-mail
 * span has one '@' and only address characters; and no numeric finding is
 * glued to a word (scanner.c: "a chain glued to a word on either side ... is
 * skipped whole"), including the open edges of the buffer. Finally a
 * locality check (check_split): turning one space into a newline must not
 * reveal a finding that the joined line does not cover at all.
 *
 * Input: text, then from the tail one flag byte (bits 0-1: PII_SCAN_* flags;
 * bit 2: use the next byte as the enabled-type mask instead of all types),
 * two bytes for `from` (taken modulo len + 1) and two bytes choosing the
 * space for the locality check (the first one at or after that offset
 * modulo len).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_text.h"
#include "detect/detect.h"
#include "detect/validate.h"
#include "fuzz_helpers.h"

#define TODAY     20261129u
#define ALL_TYPES ((1u << PII_ENT_COUNT) - 1u)

static bool is_ascii_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Would a number be glued to what ends at buf[pos - 1]? (scanner.c
 * left_blocked, restated) */
static bool glued_left(const uint8_t *buf, size_t pos, unsigned flags)
{
    if (pos == 0)
        return (flags & PII_SCAN_LEFT_OPEN) != 0;
    if (pii_text_wordchar_before(buf, pos))
        return true;
    return buf[pos - 1] == '.' && pos >= 2 && is_ascii_digit(buf[pos - 2]);
}

static bool glued_right(const uint8_t *buf, size_t len, size_t pos, unsigned flags)
{
    size_t clen;
    if (pos >= len)
        return (flags & PII_SCAN_RIGHT_OPEN) != 0;
    if (pii_text_is_wordchar(buf + pos, len - pos, &clen))
        return true;
    return buf[pos] == '.' && pos + 1 < len && is_ascii_digit(buf[pos + 1]);
}

/*
 * Fold a numeric span to the compact string the validators see: digits
 * (ASCII or full-width) and a check X are kept, group separators and
 * zero-width characters dropped, a leading '+' skipped. Anything else
 * inside the span is a scanner bug. Returns the compact length; *first is
 * the offset of the first digit.
 */
static size_t fold_number(const uint8_t *v, size_t n, char *out, size_t cap, size_t *first)
{
    size_t k = 0;
    size_t i = 0;
    *first = 0;
    if (n >= 1 && v[0] == '+')
        i = 1;
    else if (n >= 3 && v[0] == 0xEF && v[1] == 0xBC && v[2] == 0x8B)
        i = 3;
    *first = i;
    while (i < n) {
        size_t clen;
        int d = pii_text_digit(v + i, n - i, &clen);
        if (d >= 0) {
            FUZZ_ASSERT(k < cap);
            out[k++] = (char)('0' + d);
            i += clen;
            continue;
        }
        if (pii_text_is_x(v + i, n - i, &clen)) {
            FUZZ_ASSERT(k < cap);
            out[k++] = 'X';
            i += clen;
            continue;
        }
        size_t skip = pii_text_group_sep(v + i, n - i);
        if (skip == 0)
            skip = pii_text_zero_width(v + i, n - i);
        FUZZ_ASSERT_MSG(skip > 0, "unexpected character inside a numeric finding");
        i += skip;
    }
    return k;
}

static void check_number(const uint8_t *buf, size_t len, const pii_finding *f, unsigned flags)
{
    char d[64];
    size_t first;
    const uint8_t *v = buf + f->start;
    size_t n = fold_number(v, f->end - f->start, d, sizeof(d), &first);
    FUZZ_ASSERT_MSG(n >= 11 && n <= 19, "numeric finding with too few or too many digits");
    FUZZ_ASSERT_MSG(!glued_left(buf, f->start + first, flags), "number glued to a word (left)");
    FUZZ_ASSERT_MSG(!glued_right(buf, len, f->end, flags), "number glued to a word (right)");
    char *c = (char *)fuzz_dup_exact((const uint8_t *)d, n);
    switch ((pii_entity_type)f->type) {
    case PII_ENT_CN_ID:
        FUZZ_ASSERT_MSG(first == 0, "ID with a '+'");
        FUZZ_ASSERT_MSG(pii_check_cn_id(c, n, TODAY) == PII_CNID_OK, "CN_ID fails its validator");
        break;
    case PII_ENT_BANK_CARD:
        FUZZ_ASSERT_MSG(first == 0, "card with a '+'");
        FUZZ_ASSERT_MSG(pii_valid_bank_card(c, n), "BANK_CARD fails its validator");
        break;
    case PII_ENT_CN_MOBILE: {
        const char *m = c;
        if (n == 13 && memcmp(c, "86", 2) == 0)
            m = c + 2;
        else if (n == 15 && memcmp(c, "0086", 4) == 0)
            m = c + 4;
        else
            FUZZ_ASSERT_MSG(n == 11, "mobile number of odd length");
        FUZZ_ASSERT_MSG(first == 0 || m != c, "'+' without a country code");
        FUZZ_ASSERT_MSG(pii_cn_mobile_block_allocated(m, 11), "CN_MOBILE in unallocated block");
        break;
    }
    case PII_ENT_EMAIL:
    case PII_ENT_IPV4:
    case PII_ENT_COUNT:
        FUZZ_ASSERT(0);
        break;
    }
    free(c);
}

static void check_ipv4(const uint8_t *buf, size_t len, const pii_finding *f, unsigned flags)
{
    unsigned dots = 0;
    unsigned octet = 0;
    size_t digits = 0;
    for (size_t i = f->start; i < f->end; i++) {
        if (buf[i] == '.') {
            FUZZ_ASSERT_MSG(digits > 0, "empty IPv4 octet");
            dots++;
            octet = 0;
            digits = 0;
            continue;
        }
        FUZZ_ASSERT_MSG(is_ascii_digit(buf[i]), "IPv4 span with a non-digit");
        octet = octet * 10 + (unsigned)(buf[i] - '0');
        digits++;
        FUZZ_ASSERT_MSG(digits <= 3 && octet <= 255, "IPv4 octet out of range");
    }
    FUZZ_ASSERT_MSG(dots == 3 && digits > 0, "IPv4 span is not a dotted quad");
    FUZZ_ASSERT_MSG(!glued_left(buf, f->start, flags), "IPv4 glued to a word (left)");
    FUZZ_ASSERT_MSG(!glued_right(buf, len, f->end, flags), "IPv4 glued to a word (right)");
}

static bool is_email_char(uint8_t c)
{
    return pii_text_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static void check_email(const uint8_t *buf, size_t len, const pii_finding *f, unsigned flags)
{
    unsigned ats = 0;
    for (size_t i = f->start; i < f->end; i++) {
        if (buf[i] == '@')
            ats++;
        else
            FUZZ_ASSERT_MSG(is_email_char(buf[i]), "e-mail span with a foreign character");
    }
    FUZZ_ASSERT_MSG(ats == 1, "e-mail span without exactly one '@'");
    if (f->start == 0) {
        FUZZ_ASSERT_MSG(!(flags & PII_SCAN_LEFT_OPEN), "e-mail at an open left edge");
    } else {
        uint8_t b = buf[f->start - 1];
        FUZZ_ASSERT_MSG(!(pii_text_ascii_alnum(b) || b == '_' || b == '%'),
                        "e-mail cut out of a longer local part");
    }
    if (f->end == len) {
        FUZZ_ASSERT_MSG(!(flags & PII_SCAN_RIGHT_OPEN), "e-mail at an open right edge");
    } else {
        uint8_t b = buf[f->end];
        FUZZ_ASSERT_MSG(!(pii_text_ascii_alnum(b) || b == '-' || b == '_' || b == '@'),
                        "e-mail cut out of a longer domain");
        FUZZ_ASSERT_MSG(!(b == '.' && f->end + 1 < len && pii_text_ascii_alnum(buf[f->end + 1])),
                        "e-mail domain stops before a further label");
    }
}

static void check_findings(const pii_findings *out, const uint8_t *buf, size_t len, size_t from,
                           unsigned flags, uint32_t enabled)
{
    size_t prev_end = from;
    for (size_t i = 0; i < out->len; i++) {
        const pii_finding *f = &out->v[i];
        FUZZ_ASSERT_MSG(f->start >= from, "finding before `from`");
        FUZZ_ASSERT_MSG(f->start >= prev_end, "findings unsorted or overlapping");
        FUZZ_ASSERT_MSG(f->start < f->end && f->end <= len, "finding out of bounds or empty");
        FUZZ_ASSERT_MSG(f->type < PII_ENT_COUNT, "unknown type");
        FUZZ_ASSERT_MSG(enabled & (1u << f->type), "finding of a disabled type");
        FUZZ_ASSERT(f->priority == pii_entity_def_get((pii_entity_type)f->type)->priority);
        FUZZ_ASSERT(f->confidence > 0 && f->confidence <= 100);
        FUZZ_ASSERT_MSG(memchr(buf + f->start, '\n', f->end - f->start) == NULL,
                        "finding crosses a newline");
        prev_end = f->end;

        switch ((pii_entity_type)f->type) {
        case PII_ENT_CN_MOBILE:
        case PII_ENT_CN_ID:
        case PII_ENT_BANK_CARD:
            check_number(buf, len, f, flags);
            break;
        case PII_ENT_EMAIL:
            check_email(buf, len, f, flags);
            break;
        case PII_ENT_IPV4:
            check_ipv4(buf, len, f, flags);
            break;
        case PII_ENT_COUNT:
            FUZZ_ASSERT(0);
            break;
        }
    }
}

static bool overlaps(const pii_finding *a, const pii_finding *b)
{
    return a->start < b->end && b->start < a->end;
}

/*
 * Locality: replace one space at q by '\n' (candidates never cross a
 * newline) and scan both versions. Every finding of the split version
 * (which cannot touch q) must overlap some finding of the original: joining
 * two lines with a space may make a number part of a longer one, or let a
 * longer or higher-priority finding win, but it must not make a value that
 * stands on its own disappear.
 */
static void check_split(const pii_detect_cfg *cfg, const uint8_t *buf, size_t len, size_t q,
                        unsigned flags)
{
    FUZZ_ASSERT(q < len && buf[q] == ' ');
    uint8_t *split = fuzz_dup_exact(buf, len);
    split[q] = '\n';
    pii_findings whole = {NULL, 0, 0};
    pii_findings parts = {NULL, 0, 0};
    FUZZ_ASSERT(pii_detect_scan(cfg, buf, len, 0, flags, &whole) == PII_OK);
    FUZZ_ASSERT(pii_detect_scan(cfg, split, len, 0, flags, &parts) == PII_OK);
    size_t j = 0;
    for (size_t i = 0; i < parts.len; i++) {
        const pii_finding *g = &parts.v[i];
        while (j < whole.len && whole.v[j].end <= g->start)
            j++;
        if (j == whole.len || !overlaps(&whole.v[j], g)) {
            fprintf(stderr, "split at %zu: finding [%zu, %zu) type %u lost when joined\n", q,
                    g->start, g->end, (unsigned)g->type);
            FUZZ_ASSERT_MSG(0, "a finding disappears when two lines are joined by a space");
        }
    }
    pii_findings_free(&parts);
    pii_findings_free(&whole);
    free(split);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer p = fuzz_producer_make(data, size);
    unsigned pflags = fuzz_producer_range(&p, 0, 255);
    unsigned flags = pflags & (PII_SCAN_LEFT_OPEN | PII_SCAN_RIGHT_OPEN);
    uint32_t enabled = ALL_TYPES;
    if (pflags & 4u)
        enabled = fuzz_producer_range(&p, 0, 255) & ALL_TYPES;
    uint32_t from_raw = fuzz_producer_range(&p, 0, 0xFFFF);
    uint32_t split_raw = fuzz_producer_range(&p, 0, 0xFFFF);
    size_t len = fuzz_producer_contract(&p, 0);
    size_t from = from_raw % (len + 1);

    uint8_t *buf = fuzz_dup_exact(data, len);
    pii_detect_cfg cfg = {.enabled = enabled, .today = TODAY};
    pii_findings out = {NULL, 0, 0};
    pii_status st = pii_detect_scan(&cfg, buf, len, from, flags, &out);
    FUZZ_ASSERT_MSG(st == PII_OK, "scan failed");
    check_findings(&out, buf, len, from, flags, enabled);

    /* deterministic, and a reused findings list is cleared first */
    pii_findings again = {NULL, 0, 0};
    st = pii_detect_scan(&cfg, buf, len, from, flags, &again);
    FUZZ_ASSERT(st == PII_OK);
    st = pii_detect_scan(&cfg, buf, len, from, flags, &again);
    FUZZ_ASSERT(st == PII_OK);
    FUZZ_ASSERT_MSG(again.len == out.len, "second scan differs");
    for (size_t i = 0; i < out.len; i++) {
        FUZZ_ASSERT(again.v[i].start == out.v[i].start && again.v[i].end == out.v[i].end);
        FUZZ_ASSERT(again.v[i].type == out.v[i].type);
    }

    /* the first space at or after a fuzzed position */
    if (len > 0) {
        const uint8_t *sp = memchr(buf + split_raw % len, ' ', len - split_raw % len);
        if (sp != NULL)
            check_split(&cfg, buf, len, (size_t)(sp - buf), flags);
    }

    pii_findings_free(&again);
    pii_findings_free(&out);
    free(buf);
    return 0;
}
