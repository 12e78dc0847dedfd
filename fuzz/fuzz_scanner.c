/*
 * fuzz_scanner.c - pii_detect_scan (src/detect/detect.h) on arbitrary bytes
 * with the built-in detectors, a fuzzed `from`, open-edge flags, subset of
 * enabled detectors and confidence threshold.
 *
 * Checks the contract in detect.h: findings sorted and non-overlapping,
 * from <= start < end <= len, no longer than PII_DETECT_MAX_SPAN, a known
 * detector with its priority, a confidence between the threshold and 100,
 * never across '\n', and the same findings on a second scan (with a reused
 * findings list, and without the scanner's shortcuts). It also checks,
 * generically, that each finding is what its detector says:
 *   - kinds digits / alnum: the span folded the way the scanner folds it
 *     (digits: ASCII or full-width digits and a check X kept, a leading
 *     '+', group separators, the dots of 138.0013.8000, zero-width
 *     characters and brackets dropped, as is a "(0)" trunk prefix; alnum:
 *     the ASCII letters and digits) has a length within the detector's
 *     `length` bounds and passes the detector's validator, if it has one;
 *   - kinds email / ipv4 / ipv6: the raw span passes the validator, if any;
 *     an e-mail span has one '@' (or full-width U+FF20) and otherwise only
 *     address characters and is not cut out of a longer address; an IPv4
 *     span is a dotted quad of octets 0-255 without leading zeros; an IPv6
 *     span is hex digits, ':' and '.';
 *   - no number, IPv4/IPv6 address or alnum token is glued to a word
 *     (scanner.c: "a chain glued to a word on either side ... is skipped
 *     whole"), including at the open edges of the buffer.
 * Finally a locality check (check_split): turning one space into a newline
 * must not reveal a finding that the joined line does not cover at all -
 * except for the intended reasons listed at check_split.
 *
 * The detector sets are built once (pii_builtin_defs + pii_detect_cfg_build,
 * as tests/unit/test_scanner.c does) and kept for the life of the process:
 * one per enabled-subset byte, built on first use, never per input.
 *
 * Input: text, then from the tail one flag byte (bits 0-1: PII_SCAN_* flags;
 * bit 2: use the next byte as a detector subset, detector i on when bit
 * i % 8 is set, instead of all of them; bits 3-4: min_confidence 50, 0, 70
 * or 100), two bytes for `from` (taken modulo len + 1) and two bytes
 * choosing the space for the locality check (the first one at or after that
 * offset modulo len).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_text.h"
#include "detect/detect.h"
#include "engine/engine_internal.h"
#include "fuzz_helpers.h"

#define TODAY 20261129u
/* scanner.c CONTEXT_BYTES: how far before a value context words count */
#define CONTEXT_BYTES 48

/* ---- the detector sets, built once -------------------------------------- */

static pii_def_list g_defs;
static pii_detect_cfg *g_cfg[256]; /* by subset byte; [255] = all */
static pii_scan_ws g_ws;

static const pii_detect_cfg *cfg_for(unsigned subset)
{
    if (g_defs.v == NULL) {
        pii_error err = {0};
        if (pii_builtin_defs(&g_defs, &err) != PII_OK) {
            fprintf(stderr, "pii_builtin_defs: %s\n", err.msg);
            FUZZ_ASSERT(0);
        }
        FUZZ_ASSERT(g_defs.len > 0 && g_defs.len <= PII_MAX_DETECTORS);
        FUZZ_ASSERT(pii_scan_ws_init(&g_ws) == PII_OK);
    }
    if (g_cfg[subset] == NULL) {
        pii_error err = {0};
        bool *en = calloc(g_defs.len, sizeof(bool));
        pii_detect_cfg *cfg = calloc(1, sizeof(*cfg));
        FUZZ_ASSERT(en != NULL && cfg != NULL);
        for (size_t i = 0; i < g_defs.len; i++)
            en[i] = (subset >> (i % 8)) & 1u;
        if (pii_detect_cfg_build(cfg, g_defs.v, en, g_defs.len, &err) != PII_OK) {
            fprintf(stderr, "pii_detect_cfg_build: %s\n", err.msg);
            FUZZ_ASSERT(0);
        }
        free(en);
        cfg->today = TODAY;
        cfg->min_confidence = 50;
        g_cfg[subset] = cfg;
    }
    return g_cfg[subset];
}

/* ---- boundaries ---------------------------------------------------------- */

static bool is_ascii_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Would a value be glued to what ends at buf[pos - 1]? (scanner.c
 * pii_scan_left_blocked, its word and decimal-point rules restated) */
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

/* ---- folding a span to what the validator saw ----------------------------- */

static size_t open_paren(const uint8_t *p, size_t n)
{
    if (n >= 1 && p[0] == '(')
        return 1;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x88)
        return 3;
    return 0;
}

static size_t close_paren(const uint8_t *p, size_t n)
{
    if (n >= 1 && p[0] == ')')
        return 1;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x89)
        return 3;
    return 0;
}

/*
 * Fold a `digits` span to the compact string the validators see: digits
 * (ASCII or full-width) and a check X are kept, group separators (and the
 * dots of a dotted phone number), zero-width characters and brackets
 * dropped, a leading '+' skipped, and a
 * bracketed single 0 (the trunk prefix of +44 (0)20) left out. Anything
 * else inside the span is a scanner bug. Returns the compact length; *lead
 * is what the span starts with: 0 a digit, '+' a plus, '(' a bracket.
 */
static size_t fold_digits(const uint8_t *v, size_t n, char *out, size_t cap, int *lead)
{
    size_t k = 0;
    size_t i = 0;
    size_t paren_at = SIZE_MAX; /* k when the open bracket was read */
    *lead = 0;
    if (n >= 1 && v[0] == '+') {
        i = 1;
        *lead = '+';
    } else if (n >= 3 && v[0] == 0xEF && v[1] == 0xBC && v[2] == 0x8B) {
        i = 3;
        *lead = '+';
    } else if (open_paren(v, n) > 0) {
        *lead = '(';
    }
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
        if ((clen = open_paren(v + i, n - i)) > 0) {
            FUZZ_ASSERT_MSG(paren_at == SIZE_MAX, "nested bracket inside a numeric finding");
            paren_at = k;
            i += clen;
            continue;
        }
        if ((clen = close_paren(v + i, n - i)) > 0) {
            FUZZ_ASSERT_MSG(paren_at != SIZE_MAX, "unbalanced bracket inside a numeric finding");
            if (k == paren_at + 1 && out[paren_at] == '0')
                k = paren_at; /* "(0)": a trunk prefix, not part of the number */
            paren_at = SIZE_MAX;
            i += clen;
            continue;
        }
        size_t skip = pii_text_group_sep(v + i, n - i);
        if (skip == 0)
            skip = pii_text_zero_width(v + i, n - i);
        /* a dotted phone number: 138.0013.8000 (scanner.c try_dotted_phone) */
        if (skip == 0 && v[i] == '.' && i > 0 && is_ascii_digit(v[i - 1]) && i + 1 < n &&
            is_ascii_digit(v[i + 1]))
            skip = 1;
        FUZZ_ASSERT_MSG(skip > 0, "unexpected character inside a numeric finding");
        i += skip;
    }
    FUZZ_ASSERT_MSG(paren_at == SIZE_MAX, "numeric finding ends inside a bracket");
    return k;
}

/* An `alnum` span: its ASCII letters and digits (alnum.c). Inside the span
 * only ' ', '-' and brackets may separate them. */
static size_t fold_alnum(const uint8_t *v, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (pii_text_ascii_alnum(v[i])) {
            FUZZ_ASSERT(k < cap);
            out[k++] = (char)v[i];
        } else {
            FUZZ_ASSERT_MSG(v[i] == ' ' || v[i] == '-' || v[i] == '(' || v[i] == ')',
                            "unexpected character inside an alnum finding");
        }
    }
    return k;
}

/* The detector's validator must accept the compact form s[0, n) (passed as
 * an exactly sized copy), and its length lie within the `length` bounds. */
static void check_validator(const pii_detect_cfg *cfg, const pii_detector_def *def,
                            const char *s, size_t n)
{
    if (n < def->min_len || n > def->max_len) {
        fprintf(stderr, "%s: compact length %zu outside %u-%u\n", def->id, n,
                (unsigned)def->min_len, (unsigned)def->max_len);
        FUZZ_ASSERT_MSG(0, "finding outside its detector's length bounds");
    }
    if (def->validator < 0)
        return;
    pii_validator_fn fn = pii_validator_get(def->validator);
    FUZZ_ASSERT_MSG(fn != NULL, "detector with an unknown validator");
    char *c = (char *)fuzz_dup_exact((const uint8_t *)s, n);
    uint8_t factor = fn(c, n, cfg);
    if (factor == 0 || factor > 100) {
        fprintf(stderr, "%s: validator %s gives %u for '%.*s'\n", def->id,
                pii_validator_name(def->validator), (unsigned)factor, (int)n, s);
        FUZZ_ASSERT_MSG(0, "finding fails its detector's validator");
    }
    free(c);
}

/* ---- per-kind checks ----------------------------------------------------- */

static void check_digits(const pii_detect_cfg *cfg, const pii_detector_def *def,
                         const uint8_t *buf, size_t len, const pii_finding *f, unsigned flags)
{
    char d[PII_DETECT_MAX_SPAN];
    int lead;
    size_t n = fold_digits(buf + f->start, f->end - f->start, d, sizeof(d), &lead);
    /* a '+' or a bracket is not a word character; the digits after it were
     * checked by the scanner, so only a span starting with a digit can be
     * glued on the left */
    if (lead == 0)
        FUZZ_ASSERT_MSG(!glued_left(buf, f->start, flags), "number glued to a word (left)");
    FUZZ_ASSERT_MSG(!glued_right(buf, len, f->end, flags), "number glued to a word (right)");
    check_validator(cfg, def, d, n);
}

static void check_alnum(const pii_detect_cfg *cfg, const pii_detector_def *def,
                        const uint8_t *buf, size_t len, const pii_finding *f, unsigned flags)
{
    char d[PII_DETECT_MAX_SPAN];
    FUZZ_ASSERT_MSG(buf[f->start] >= 'A' && buf[f->start] <= 'Z',
                    "alnum finding not starting with an upper-case letter");
    size_t n = fold_alnum(buf + f->start, f->end - f->start, d, sizeof(d));
    FUZZ_ASSERT_MSG(!glued_left(buf, f->start, flags), "alnum token glued to a word (left)");
    FUZZ_ASSERT_MSG(!glued_right(buf, len, f->end, flags), "alnum token glued to a word (right)");
    check_validator(cfg, def, d, n);
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
        FUZZ_ASSERT_MSG(!(digits == 1 && octet == 0), "IPv4 octet with a leading zero");
        octet = octet * 10 + (unsigned)(buf[i] - '0');
        digits++;
        FUZZ_ASSERT_MSG(digits <= 3 && octet <= 255, "IPv4 octet out of range");
    }
    FUZZ_ASSERT_MSG(dots == 3 && digits > 0, "IPv4 span is not a dotted quad");
    FUZZ_ASSERT_MSG(!glued_left(buf, f->start, flags), "IPv4 glued to a word (left)");
    FUZZ_ASSERT_MSG(!glued_right(buf, len, f->end, flags), "IPv4 glued to a word (right)");
}

static bool is_hex(uint8_t c)
{
    return is_ascii_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static void check_ipv6(const uint8_t *buf, size_t len, const pii_finding *f, unsigned flags)
{
    unsigned colons = 0;
    for (size_t i = f->start; i < f->end; i++) {
        FUZZ_ASSERT_MSG(is_hex(buf[i]) || buf[i] == ':' || buf[i] == '.',
                        "IPv6 span with a foreign character");
        colons += buf[i] == ':';
    }
    FUZZ_ASSERT_MSG(colons >= 2, "IPv6 span with fewer than two colons");
    FUZZ_ASSERT_MSG(!glued_left(buf, f->start, flags), "IPv6 glued to a word (left)");
    if (f->end == len)
        FUZZ_ASSERT_MSG(!(flags & PII_SCAN_RIGHT_OPEN), "IPv6 at an open right edge");
    else
        FUZZ_ASSERT_MSG(!(pii_text_ascii_alnum(buf[f->end]) || buf[f->end] == '_'),
                        "IPv6 glued to a word (right)");
}

static bool is_email_char(uint8_t c)
{
    return pii_text_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static void check_email(const uint8_t *buf, size_t len, const pii_finding *f, unsigned flags)
{
    unsigned ats = 0;
    for (size_t i = f->start; i < f->end; i++) {
        if (buf[i] == '@') {
            ats++;
        } else if (i + 3 <= f->end && buf[i] == 0xEF && buf[i + 1] == 0xBC && buf[i + 2] == 0xA0) {
            ats++; /* full-width U+FF20 */
            i += 2;
        } else {
            FUZZ_ASSERT_MSG(is_email_char(buf[i]), "e-mail span with a foreign character");
        }
    }
    FUZZ_ASSERT_MSG(ats == 1, "e-mail span without exactly one '@' (or full-width U+FF20)");
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

static void check_findings(const pii_detect_cfg *cfg, const pii_findings *out, const uint8_t *buf,
                           size_t len, size_t from, unsigned flags)
{
    size_t prev_end = from;
    for (size_t i = 0; i < out->len; i++) {
        const pii_finding *f = &out->v[i];
        FUZZ_ASSERT_MSG(f->start >= from, "finding before `from`");
        FUZZ_ASSERT_MSG(f->start >= prev_end, "findings unsorted or overlapping");
        FUZZ_ASSERT_MSG(f->start < f->end && f->end <= len, "finding out of bounds or empty");
        FUZZ_ASSERT_MSG(f->end - f->start <= PII_DETECT_MAX_SPAN,
                        "finding longer than PII_DETECT_MAX_SPAN");
        FUZZ_ASSERT_MSG(f->det < cfg->ndet, "finding of an unknown detector");
        const pii_detector_def *def = cfg->det[f->det].def;
        FUZZ_ASSERT(def != NULL && def->id != NULL);
        FUZZ_ASSERT_MSG(f->priority == def->priority, "finding with another priority");
        FUZZ_ASSERT_MSG(f->confidence >= cfg->min_confidence && f->confidence <= 100,
                        "confidence below the threshold or above 100");
        FUZZ_ASSERT_MSG(memchr(buf + f->start, '\n', f->end - f->start) == NULL,
                        "finding crosses a newline");
        prev_end = f->end;

        switch (def->kind) {
        case PII_KIND_DIGITS:
            check_digits(cfg, def, buf, len, f, flags);
            break;
        case PII_KIND_ALNUM:
            check_alnum(cfg, def, buf, len, f, flags);
            break;
        case PII_KIND_EMAIL:
            check_email(buf, len, f, flags);
            check_validator(cfg, def, (const char *)buf + f->start, f->end - f->start);
            break;
        case PII_KIND_IPV4:
            check_ipv4(buf, len, f, flags);
            check_validator(cfg, def, (const char *)buf + f->start, f->end - f->start);
            break;
        case PII_KIND_IPV6:
            check_ipv6(buf, len, f, flags);
            check_validator(cfg, def, (const char *)buf + f->start, f->end - f->start);
            break;
        case PII_KIND_CN_ADDRESS:
        case PII_KIND_US_ADDRESS:
        case PII_KIND_CN_NAME:
        case PII_KIND_REGEX:
            break;
        case PII_KIND_COUNT:
        default:
            FUZZ_ASSERT_MSG(0, "detector of an unknown kind");
            break;
        }
    }
}

static bool overlaps(const pii_finding *a, const pii_finding *b)
{
    return a->start < b->end && b->start < a->end;
}

/* Joining the lines at q may let a negative context word of the first line
 * reach g: then g may drop below the threshold. */
static bool negative_reaches(const pii_detect_cfg *cfg, const pii_finding *g, size_t q)
{
    const pii_detector *det = &cfg->det[g->det];
    if (det->nneg == 0 || q + CONTEXT_BYTES < g->start)
        return false;
    return (unsigned)g->confidence < (unsigned)cfg->min_confidence + det->def->negative_penalty;
}

/* The byte length of a zero-width character, an ID's check X, or a
 * group's last character (a digit, or a check X after one: scanner.c
 * read_group) that ends at buf[p - 1]; 0 if none does. */
static size_t zero_width_before(const uint8_t *buf, size_t p)
{
    return p >= 3 && pii_text_zero_width(buf + p - 3, 3) == 3 ? 3 : 0;
}

static size_t x_before(const uint8_t *buf, size_t p)
{
    size_t clen;
    if (p >= 1 && pii_text_is_x(buf + p - 1, 1, &clen))
        return 1;
    return p >= 3 && buf[p - 3] >= 0x80 && pii_text_is_x(buf + p - 3, 3, &clen) ? 3 : 0;
}

static size_t group_end_before(const uint8_t *buf, size_t p)
{
    size_t k = pii_text_digit_before(buf, p);
    if (k == 0 && (k = x_before(buf, p)) > 0 && pii_text_digit_before(buf, p - k) == 0)
        k = 0;
    return k;
}

/* Does a digit group end at buf[pos - 1]: a digit (ASCII or full-width), a
 * check X (ASCII or full-width) or the ')' of a bracketed group? Then a
 * number starting after a separator at pos joins that chain. */
static bool digit_ends_at(const uint8_t *buf, size_t pos)
{
    return pii_text_digit_before(buf, pos) > 0 || x_before(buf, pos) > 0 ||
           (pos >= 1 && buf[pos - 1] == ')');
}

/* In the joined text buf, g's digits follow another digit group and one
 * separator; if g starts with "00", that is no longer a dialling prefix
 * (scanner.c try_subchain: "00" dials abroad only at the start of a
 * number), so g may legitimately change its reading. Joining may put the
 * group there (it ends at the space joined), or free it from a finding
 * that took it in the split text (the unit of "Apt 1 0031 ..."). A
 * zero-width character between the zeros is inside the group. */
static bool zero_zero_joined(const uint8_t *buf, const pii_finding *g)
{
    size_t c1, c2;
    const uint8_t *v = buf + g->start;
    size_t n = g->end - g->start;
    size_t sl = pii_text_group_sep_before(buf, g->start);
    if (sl == 0 || !digit_ends_at(buf, g->start - sl) || pii_text_digit(v, n, &c1) != 0)
        return false;
    c1 += pii_text_zero_width(v + c1, n - c1); /* inside the group (read_group) */
    return pii_text_digit(v + c1, n - c1, &c2) == 0;
}

/* Digits in v[0, n) grouped by separators: is every group but the last
 * exactly 4 digits long? A zero-width character between two digits is
 * inside the group (scanner.c read_group skips it). */
static bool groups_of_four(const uint8_t *v, size_t n)
{
    size_t digits = 0, clen;
    for (size_t i = 0; i < n;) {
        size_t sep = pii_text_group_sep(v + i, n - i);
        size_t zw = pii_text_zero_width(v + i, n - i);
        if (sep > 0) {
            if (digits != 4)
                return false;
            digits = 0;
            i += sep;
        } else if (pii_text_digit(v + i, n - i, &clen) >= 0) {
            digits++;
            i += clen;
        } else if (zw > 0 && digits > 0 && pii_text_digit(v + i + zw, n - i - zw, &clen) >= 0) {
            i += zw;
        } else {
            return false;
        }
    }
    return true;
}

/* Does a hyphen after a code that mixes letters and digits end at
 * buf[p - 1]? The scanner skips the digits after it as the code's next
 * part (the 234 of D34-234; scanner.c pii_scan_left_blocked_slow). */
static bool code_hyphen_before(const uint8_t *buf, size_t p)
{
    bool digit = false, letter = false;
    if (p < 2 || buf[p - 1] != '-')
        return false;
    for (size_t k = p - 1; k > 0 && p - 1 - k < 16 && pii_text_ascii_alnum(buf[k - 1]); k--) {
        digit |= is_ascii_digit(buf[k - 1]);
        letter |= !is_ascii_digit(buf[k - 1]);
    }
    return digit && letter;
}

/* In the joined text buf, g follows groups of four digits: a chain
 * printed in groups of four (4359 0734 2121 3250) is one number, and no
 * part of it is tried when nothing is found at its start (scanner.c
 * scan_number). Joining may put groups before g (they end at the space
 * joined), or move where the chain before g starts (a finding before it
 * now ends elsewhere: an address takes a ZIP code that was digits of the
 * chain).
 *
 * The groups before g are read back as the scanner reads them forward:
 * ASCII or full-width digits, zero-width characters between them, an ID's
 * check X at a group's end, one separator between groups. Then, from the
 * leftmost, the groups the scanner passes over before a chain starts are
 * dropped: one taken in part or whole by another finding of the joined
 * text (the 89 of the IPv6 address 3::89, the 02167 of a ZIP code before
 * a full-width X the scan then passes over), one glued to a word (the 89 of 3DE89) or after a
 * code's hyphen (the 234 of D34-234). Only the first group of a chain is
 * tested so (read_number); the ones after it are the chain's whatever
 * precedes them (567x-567x). A glued group that holds a zero-width
 * character is skipped up to it only (1z0013<ZWSP>8212): the chain starts
 * after it. */
typedef struct {
    size_t start, end; /* the group's bytes */
    size_t d;          /* its digits (and check X) */
    size_t zw_d;       /* those after its first zero-width character, or 0 */
} back_group;

#define BACK_GROUPS 64

static bool fours_joined(const uint8_t *buf, const pii_finding *g, const pii_findings *whole,
                         unsigned flags)
{
    back_group gr[BACK_GROUPS]; /* gr[0] ends before g, gr[n - 1] is the leftmost */
    size_t n = 0, p = g->start, k;
    for (;;) {
        size_t sl = pii_text_group_sep_before(buf, p);
        if (sl == 0 || group_end_before(buf, p - sl) == 0)
            break;
        if (n == BACK_GROUPS)
            return false;
        p -= sl;
        back_group *b = &gr[n++];
        b->end = p;
        b->d = b->zw_d = 0;
        if ((k = group_end_before(buf, p)) > 0) { /* a digit, or a check X */
            p -= k;
            b->d++;
        }
        for (;;) {
            if ((k = pii_text_digit_before(buf, p)) > 0) {
                p -= k;
                b->d++;
            } else if (b->d > 0 && (k = zero_width_before(buf, p)) > 0 &&
                       pii_text_digit_before(buf, p - k) > 0) {
                p -= k;
                b->zw_d = b->d;
            } else {
                break;
            }
        }
        b->start = p;
    }
    /* where the chain starts: gr[k - 1] */
    for (k = n; k > 0; k--) {
        back_group *b = &gr[k - 1];
        bool taken = false;
        for (size_t i = 0; i < whole->len && !taken; i++)
            taken = whole->v[i].start < b->end && whole->v[i].end > b->start;
        if (taken)
            continue;
        if (!glued_left(buf, b->start, flags) && !code_hyphen_before(buf, b->start))
            break;
        if (b->zw_d > 0) {
            b->d = b->zw_d;
            break;
        }
    }
    if (k == 0)
        return false;
    for (size_t i = 0; i < k; i++) {
        if (gr[i].d != 4)
            return false;
    }
    return groups_of_four(buf + g->start, g->end - g->start);
}

/* With an open right edge, a candidate that may run into the edge is left
 * for the next window (the stream commits only up to PII_DETECT_MAX_SPAN
 * before it): joining the lines may turn g into such a candidate. */
static bool deferred_to_open_edge(const uint8_t *buf, size_t len, const pii_finding *g,
                                  unsigned flags)
{
    return (flags & PII_SCAN_RIGHT_OPEN) && len - g->start <= PII_DETECT_MAX_SPAN &&
           memchr(buf + g->end, '\n', len - g->end) == NULL;
}

/*
 * Locality: replace one space at q by '\n' (candidates never cross a
 * newline) and scan both versions. Every finding of the split version
 * (which cannot touch q) must overlap some finding of the original: joining
 * two lines with a space may make a number part of a longer one, or let a
 * longer or higher-priority finding win, but it must not make a value that
 * stands on its own disappear - unless a negative word now lies before it,
 * its leading "00" is no longer at the start of a number, it now follows
 * groups of four digits (and so is part of one long number), or it now
 * reaches an open right edge and waits for the next window.
 */
static void check_split(const pii_detect_cfg *cfg, const uint8_t *buf, size_t len, size_t q,
                        unsigned flags)
{
    FUZZ_ASSERT(q < len && buf[q] == ' ');
    uint8_t *split = fuzz_dup_exact(buf, len);
    split[q] = '\n';
    pii_findings whole = {NULL, 0, 0};
    pii_findings parts = {NULL, 0, 0};
    FUZZ_ASSERT(pii_detect_scan(cfg, &g_ws, buf, len, 0, flags, &whole) == PII_OK);
    FUZZ_ASSERT(pii_detect_scan(cfg, &g_ws, split, len, 0, flags, &parts) == PII_OK);
    check_findings(cfg, &parts, split, len, 0, flags);
    size_t j = 0;
    for (size_t i = 0; i < parts.len; i++) {
        const pii_finding *g = &parts.v[i];
        while (j < whole.len && whole.v[j].end <= g->start)
            j++;
        if (j == whole.len || !overlaps(&whole.v[j], g)) {
            if (g->start > q && negative_reaches(cfg, g, q))
                continue;
            if (cfg->det[g->det].def->kind == PII_KIND_DIGITS && zero_zero_joined(buf, g))
                continue;
            if (deferred_to_open_edge(buf, len, g, flags))
                continue;
            if (cfg->det[g->det].def->kind == PII_KIND_DIGITS &&
                fours_joined(buf, g, &whole, flags))
                continue;
            fprintf(stderr, "split at %zu: finding [%zu, %zu) %s (confidence %u) lost when joined\n",
                    q, g->start, g->end, cfg->det[g->det].def->id, (unsigned)g->confidence);
            FUZZ_ASSERT_MSG(0, "a finding disappears when two lines are joined by a space");
        }
    }
    pii_findings_free(&parts);
    pii_findings_free(&whole);
    free(split);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t thresholds[4] = {50, 0, 70, 100};
    fuzz_producer p = fuzz_producer_make(data, size);
    unsigned pflags = fuzz_producer_range(&p, 0, 255);
    unsigned flags = pflags & (PII_SCAN_LEFT_OPEN | PII_SCAN_RIGHT_OPEN);
    unsigned subset = 255;
    if (pflags & 4u)
        subset = fuzz_producer_range(&p, 0, 255);
    uint32_t from_raw = fuzz_producer_range(&p, 0, 0xFFFF);
    uint32_t split_raw = fuzz_producer_range(&p, 0, 0xFFFF);
    size_t len = fuzz_producer_contract(&p, 0);
    size_t from = from_raw % (len + 1);

    /* a shallow copy: the compiled detectors are shared, only the
     * threshold differs */
    pii_detect_cfg cfg = *cfg_for(subset);
    cfg.min_confidence = thresholds[(pflags >> 3) & 3u];

    uint8_t *buf = fuzz_dup_exact(data, len);
    pii_findings out = {NULL, 0, 0};
    pii_status st = pii_detect_scan(&cfg, &g_ws, buf, len, from, flags, &out);
    FUZZ_ASSERT_MSG(st == PII_OK, "scan failed");
    check_findings(&cfg, &out, buf, len, from, flags);

    /* deterministic, and a reused findings list is cleared first; the
     * second scan goes without the shortcuts (PII_SCAN_NO_SHORTCUT), which
     * must change nothing */
    pii_findings again = {NULL, 0, 0};
    st = pii_detect_scan(&cfg, &g_ws, buf, len, from, flags, &again);
    FUZZ_ASSERT(st == PII_OK);
    st = pii_detect_scan(&cfg, &g_ws, buf, len, from, flags | PII_SCAN_NO_SHORTCUT, &again);
    FUZZ_ASSERT(st == PII_OK);
    FUZZ_ASSERT_MSG(again.len == out.len, "second scan differs");
    for (size_t i = 0; i < out.len; i++) {
        FUZZ_ASSERT(again.v[i].start == out.v[i].start && again.v[i].end == out.v[i].end);
        FUZZ_ASSERT(again.v[i].det == out.v[i].det);
        FUZZ_ASSERT(again.v[i].confidence == out.v[i].confidence);
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
