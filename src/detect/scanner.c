/*
 * scanner.c - candidate extraction: one pass over the buffer for anchor
 * bytes, validators only on candidates.
 *
 * A 256-entry class table marks the bytes that can start a candidate: ASCII
 * digits, the 0xEF lead byte of full-width digits, and '@'. Everything else
 * is skipped with one table look-up per byte.
 *
 * Numbers. From a digit the scanner reads a *chain*: digit groups joined by
 * exactly one separator (space, hyphen, Unicode dash or space), with
 * zero-width characters inside a group ignored and an ID's trailing X kept.
 * A chain glued to a word on either side (ASCII or full-width letters or
 * digits, '_', a decimal point) is a word, not a number, and is skipped
 * whole. Inside a chain, sub-chains are tried greedily from the left,
 * longest first, and each sub-chain's digits go to the validators with
 * their grouping: a grouping the type never uses (an ID as 4-4-4-4-2) is
 * rejected, which keeps dates and amounts written next to each other from
 * fusing into a card number.
 *
 * Dotted quads are tried as IPv4 before chains; e-mail addresses are read
 * outwards from their '@'.
 */
#include <string.h>

#include "common/pii_alloc.h"
#include "common/pii_compiler.h"
#include "common/pii_text.h"
#include "detect/detect.h"
#include "detect/validate.h"

enum { CLS_NONE = 0, CLS_DIGIT, CLS_AT, CLS_EF };

/* A chain holds at most MAX_GROUPS groups; a longer one is cut and the scan
 * resumes CHAIN_OVERLAP groups before the cut, so that a number of up to
 * CHAIN_OVERLAP groups straddling the cut is still seen whole. */
#define MAX_GROUPS 16
#define CHAIN_OVERLAP 7
#define MAX_GROUP_DIGITS 24
#define BAD_GROUP 0xFF

static const uint8_t cls_table[256] = {
    ['0'] = CLS_DIGIT, ['1'] = CLS_DIGIT, ['2'] = CLS_DIGIT, ['3'] = CLS_DIGIT,
    ['4'] = CLS_DIGIT, ['5'] = CLS_DIGIT, ['6'] = CLS_DIGIT, ['7'] = CLS_DIGIT,
    ['8'] = CLS_DIGIT, ['9'] = CLS_DIGIT, ['@'] = CLS_AT,     [0xEF] = CLS_EF,
};

typedef struct {
    const pii_detect_cfg *cfg;
    const uint8_t *buf;
    size_t len;
    size_t from;
    unsigned flags;
    pii_findings *out;
    pii_status st;
} scan_ctx;

typedef struct {
    size_t start; /* byte offset of the first digit */
    size_t end;   /* byte offset after the last digit (or X) */
    uint8_t nd;   /* digits (incl. a trailing X), BAD_GROUP when too long */
    uint8_t off;  /* offset of its digits in chain.d */
} group;

typedef struct {
    group g[MAX_GROUPS];
    int k;
    bool last_blocked; /* the last group runs into a word */
    char d[MAX_GROUPS * MAX_GROUP_DIGITS];
} chain;

static void add_finding(scan_ctx *sc, size_t start, size_t end, pii_entity_type t,
                        uint8_t confidence)
{
    if (start < sc->from || sc->st != PII_OK)
        return;
    if (!(sc->cfg->enabled & (1u << t)))
        return;
    pii_findings *f = sc->out;
    if (f->len == f->alloc) {
        size_t n = f->alloc ? f->alloc * 2 : 64;
        pii_finding *v = pii_realloc(f->v, n * sizeof(*v));
        if (v == NULL) {
            sc->st = PII_E_NOMEM;
            return;
        }
        f->v = v;
        f->alloc = n;
    }
    f->v[f->len++] = (pii_finding){.start = start,
                                   .end = end,
                                   .type = (uint8_t)t,
                                   .priority = pii_entity_def_get(t)->priority,
                                   .confidence = confidence};
}

static bool is_ascii_digit(uint8_t c)
{
    return (unsigned)(c - '0') < 10u;
}

/* Is the character ending at `pos` something a number must not be glued to? */
static bool left_blocked(const scan_ctx *sc, size_t pos)
{
    if (pos == 0)
        return (sc->flags & PII_SCAN_LEFT_OPEN) != 0;
    if (pii_text_wordchar_before(sc->buf, pos))
        return true;
    /* a decimal or dotted number continues here: 1.5, 10.0.19045 */
    if (sc->buf[pos - 1] == '.' && pos >= 2 && is_ascii_digit(sc->buf[pos - 2]))
        return true;
    return false;
}

/* Is the character at `pos` something a number must not be glued to? */
static bool right_blocked(const scan_ctx *sc, size_t pos)
{
    size_t clen;
    if (pos >= sc->len)
        return (sc->flags & PII_SCAN_RIGHT_OPEN) != 0;
    if (pii_text_is_wordchar(sc->buf + pos, sc->len - pos, &clen))
        return true;
    if (sc->buf[pos] == '.' && pos + 1 < sc->len && is_ascii_digit(sc->buf[pos + 1]))
        return true;
    return false;
}

/* Skip a word that contains digits: letters, digits, '_', inner dots. */
static size_t skip_word(const scan_ctx *sc, size_t i)
{
    size_t clen;
    while (i < sc->len) {
        if (pii_text_is_wordchar(sc->buf + i, sc->len - i, &clen))
            i += clen;
        else if (sc->buf[i] == '.' && i + 1 < sc->len && is_ascii_digit(sc->buf[i + 1]))
            i++;
        else
            break;
    }
    return i;
}

/* ---- IPv4 ---------------------------------------------------------------- */

static bool parse_ipv4(const scan_ctx *sc, size_t i, size_t *end)
{
    const uint8_t *b = sc->buf;
    size_t p = i;
    for (int oct = 0; oct < 4; oct++) {
        if (oct > 0) {
            if (p >= sc->len || b[p] != '.')
                return false;
            p++;
        }
        unsigned v = 0;
        size_t nd = 0;
        size_t st = p;
        while (p < sc->len && is_ascii_digit(b[p]) && nd < 4) {
            v = v * 10 + (unsigned)(b[p] - '0');
            nd++;
            p++;
        }
        if (nd == 0 || nd > 3 || v > 255 || (nd > 1 && b[st] == '0'))
            return false;
    }
    if (right_blocked(sc, p))
        return false;
    *end = p;
    return true;
}

/* ---- digit chains --------------------------------------------------------- */

/* Read one digit group at p into c; returns the byte after it. */
static size_t read_group(const scan_ctx *sc, size_t p, chain *c)
{
    group *g = &c->g[c->k];
    size_t total = 0;
    for (int i = 0; i < c->k; i++)
        total += c->g[i].nd == BAD_GROUP ? 0 : c->g[i].nd;
    g->start = p;
    g->off = (uint8_t)total;
    unsigned nd = 0;
    for (;;) {
        size_t clen;
        int d = pii_text_digit(sc->buf + p, sc->len - p, &clen);
        if (d >= 0) {
            if (nd < MAX_GROUP_DIGITS)
                c->d[total + nd] = (char)('0' + d);
            nd++;
            p += clen;
            continue;
        }
        size_t zw = pii_text_zero_width(sc->buf + p, sc->len - p);
        if (zw > 0 && pii_text_digit(sc->buf + p + zw, sc->len - p - zw, &clen) >= 0) {
            p += zw;
            continue;
        }
        break;
    }
    /* trailing check character of an ID: X not followed by a word character */
    size_t xl;
    if (nd < MAX_GROUP_DIGITS && pii_text_is_x(sc->buf + p, sc->len - p, &xl) &&
        !right_blocked(sc, p + xl)) {
        c->d[total + nd] = 'X';
        nd++;
        p += xl;
    }
    g->nd = nd > MAX_GROUP_DIGITS ? BAD_GROUP : (uint8_t)nd;
    g->end = p;
    c->k++;
    return p;
}

static bool sizes_are(const uint8_t *sz, int ns, const uint8_t *want, int nw)
{
    if (ns != nw)
        return false;
    for (int i = 0; i < ns; i++) {
        if (sz[i] != want[i])
            return false;
    }
    return true;
}

/* Groupings people use for an 11-digit mobile number. */
static bool mobile_grouping(const uint8_t *sz, int ns)
{
    static const uint8_t g344[] = {3, 4, 4}, g38[] = {3, 8}, g74[] = {7, 4};
    return ns == 1 || sizes_are(sz, ns, g344, 3) || sizes_are(sz, ns, g38, 2) ||
           sizes_are(sz, ns, g74, 2);
}

/* Confidence that the 11 national digits at d are a mobile number: high for
 * an allocated sub-range, lower for the rest of an allocated block, 0 else. */
static uint8_t mobile_confidence(const char *d)
{
    if (pii_valid_cn_mobile(d, 11))
        return 90;
    if (pii_cn_mobile_block_allocated(d, 11))
        return 60;
    return 0;
}

/* Mobile number with an optional 86 / 0086 / +86 country code; returns the
 * confidence (0: not a mobile number). */
static uint8_t mobile_ok(const char *d, size_t n, const uint8_t *sz, int ns, bool plus)
{
    if (n == 11 && !plus)
        return mobile_grouping(sz, ns) ? mobile_confidence(d) : 0;
    if (n == 13 && d[0] == '8' && d[1] == '6') {
        bool grp = ns == 1 || (sz[0] == 2 && mobile_grouping(sz + 1, ns - 1));
        return grp ? mobile_confidence(d + 2) : 0;
    }
    if (n == 15 && !plus && memcmp(d, "0086", 4) == 0) {
        bool grp = ns == 1 || (sz[0] == 4 && mobile_grouping(sz + 1, ns - 1));
        return grp ? mobile_confidence(d + 4) : 0;
    }
    return 0;
}

static bool id_ok(const scan_ctx *sc, const char *d, size_t n, const uint8_t *sz, int ns)
{
    static const uint8_t g684[] = {6, 8, 4}, g6444[] = {6, 4, 4, 4}, g663[] = {6, 6, 3};
    if (n == 18) {
        if (!(ns == 1 || sizes_are(sz, ns, g684, 3) || sizes_are(sz, ns, g6444, 4)))
            return false;
    } else if (n == 15) {
        if (!(ns == 1 || sizes_are(sz, ns, g663, 3)))
            return false;
    } else {
        return false;
    }
    return pii_check_cn_id(d, n, sc->cfg->today) == PII_CNID_OK;
}

static bool card_ok(const char *d, size_t n, const uint8_t *sz, int ns)
{
    static const uint8_t g465[] = {4, 6, 5}, g464[] = {4, 6, 4};
    if (n < 13 || n > 19)
        return false;
    bool grp = ns == 1 || sizes_are(sz, ns, g465, 3) || sizes_are(sz, ns, g464, 3) ||
               (ns == 2 && sz[0] == 6);
    if (!grp) {
        grp = sz[ns - 1] >= 1 && sz[ns - 1] <= 4;
        for (int i = 0; i < ns - 1 && grp; i++)
            grp = sz[i] == 4;
    }
    return grp && pii_valid_bank_card(d, n);
}

static bool plus_before(const scan_ctx *sc, size_t pos, size_t *plus_len)
{
    if (pos >= 1 && sc->buf[pos - 1] == '+') {
        *plus_len = 1;
        return true;
    }
    if (pos >= 3 && sc->buf[pos - 3] == 0xEF && sc->buf[pos - 2] == 0xBC &&
        sc->buf[pos - 1] == 0x8B) { /* U+FF0B full-width plus */
        *plus_len = 3;
        return true;
    }
    return false;
}

/* Try the sub-chain c->g[s..e]; on a match add the finding and return true. */
static bool try_subchain(scan_ctx *sc, const chain *c, int s, int e)
{
    uint8_t sz[MAX_GROUPS];
    size_t n = 0;
    int ns = e - s + 1;
    for (int i = 0; i < ns; i++) {
        sz[i] = c->g[s + i].nd;
        if (sz[i] == BAD_GROUP)
            return false;
        n += sz[i];
    }
    if (n < 11 || n > 19)
        return false;
    const char *d = c->d + c->g[s].off;
    size_t start = c->g[s].start;
    size_t end = c->g[e].end;
    size_t plus_len = 0;
    bool plus = plus_before(sc, start, &plus_len);

    bool has_x = memchr(d, 'X', n) != NULL;
    if (!plus && id_ok(sc, d, n, sz, ns)) {
        add_finding(sc, start, end, PII_ENT_CN_ID, 95);
        return true;
    }
    if (has_x)
        return false;
    if (!plus && card_ok(d, n, sz, ns)) {
        add_finding(sc, start, end, PII_ENT_BANK_CARD, 90);
        return true;
    }
    uint8_t conf = mobile_ok(d, n, sz, ns, plus);
    if (conf > 0) {
        add_finding(sc, plus ? start - plus_len : start, end, PII_ENT_CN_MOBILE, conf);
        return true;
    }
    return false;
}

static size_t scan_number(scan_ctx *sc, size_t i)
{
    if (left_blocked(sc, i))
        return skip_word(sc, i);

    /* dotted quad first: 192.168.1.10 */
    if (is_ascii_digit(sc->buf[i])) {
        size_t end;
        size_t j = i;
        while (j < sc->len && j < i + 3 && is_ascii_digit(sc->buf[j]))
            j++;
        if (j < sc->len && sc->buf[j] == '.') {
            if (parse_ipv4(sc, i, &end)) {
                add_finding(sc, i, end, PII_ENT_IPV4, 90);
                return end;
            }
            return skip_word(sc, i);
        }
    }

    chain c;
    c.k = 0;
    c.last_blocked = false;
    bool cut = false;
    size_t p = i;
    for (;;) {
        size_t before_sep = p;
        p = read_group(sc, p, &c);
        if (right_blocked(sc, p)) {
            if (c.k > 1) {
                /* a group glued to a word (121.249..., 9abc) is not part of
                 * this number: end the chain before it and let the main
                 * loop look at that word on its own */
                c.k--;
                p = before_sep;
            } else {
                c.last_blocked = true;
            }
            break;
        }
        size_t sep = pii_text_group_sep(sc->buf + p, sc->len - p);
        size_t clen;
        if (sep == 0 || pii_text_digit(sc->buf + p + sep, sc->len - p - sep, &clen) < 0)
            break;
        if (c.k == MAX_GROUPS) {
            cut = true;
            break;
        }
        p += sep;
    }

    int usable = c.last_blocked ? c.k - 1 : c.k;
    int starts = cut ? MAX_GROUPS - CHAIN_OVERLAP : usable; /* sub-chains start below this */
    int next = 0;                                          /* first group not yet consumed */
    for (int s = 0; s < starts;) {
        bool found = false;
        for (int e = usable - 1; e >= s; e--) {
            if (try_subchain(sc, &c, s, e)) {
                s = e + 1;
                next = s;
                found = true;
                break;
            }
        }
        if (!found)
            s++;
    }
    if (cut) {
        int r = next > starts ? next : starts;
        return r < c.k ? c.g[r].start : p;
    }
    if (c.last_blocked)
        return skip_word(sc, c.g[c.k - 1].start);
    return p;
}

/* ---- e-mail ---------------------------------------------------------------- */

static bool is_local_char(uint8_t c)
{
    return pii_text_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static bool is_label_char(uint8_t c)
{
    return pii_text_ascii_alnum(c) || c == '-';
}

static void scan_email(scan_ctx *sc, size_t at)
{
    const uint8_t *b = sc->buf;
    /* local part: up to 64 characters before '@' */
    size_t j = at;
    while (j > 0 && is_local_char(b[j - 1]) && at - j < 65)
        j--;
    if (at - j > 64 || j == at)
        return;
    if (j == 0 && (sc->flags & PII_SCAN_LEFT_OPEN))
        return;
    while (j < at && (b[j] == '.' || b[j] == '-' || b[j] == '+'))
        j++;
    if (j == at || b[at - 1] == '.')
        return;

    /* domain: labels joined by dots, TLD of letters */
    size_t p = at + 1;
    int labels = 0;
    size_t last_label = p;
    bool tld_alpha = false;
    for (;;) {
        size_t ls = p;
        while (p < sc->len && is_label_char(b[p]) && p - ls < 64)
            p++;
        if (p == ls || b[ls] == '-' || b[p - 1] == '-' || p - ls > 63)
            return;
        labels++;
        last_label = ls;
        if (p + 1 < sc->len && b[p] == '.' && is_label_char(b[p + 1])) {
            p++;
            continue;
        }
        break;
    }
    if (labels < 2 || p - (at + 1) > 253)
        return;
    tld_alpha = p - last_label >= 2;
    for (size_t q = last_label; q < p && tld_alpha; q++)
        tld_alpha = (unsigned)((b[q] | 0x20) - 'a') < 26u;
    if (!tld_alpha)
        return;
    if (p >= sc->len ? (sc->flags & PII_SCAN_RIGHT_OPEN) != 0 : (b[p] == '_' || b[p] == '@'))
        return;
    add_finding(sc, j, p, PII_ENT_EMAIL, 95);
}

/* ---- driver ---------------------------------------------------------------- */

pii_status pii_detect_scan(const pii_detect_cfg *cfg, const uint8_t *buf, size_t len, size_t from,
                           unsigned flags, pii_findings *out)
{
    scan_ctx sc = {cfg, buf, len, from, flags, out, PII_OK};
    out->len = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && cls_table[buf[i]] == CLS_NONE)
            i++;
        if (i >= len)
            break;
        size_t clen;
        switch (cls_table[buf[i]]) {
        case CLS_DIGIT:
            i = scan_number(&sc, i);
            break;
        case CLS_AT:
            scan_email(&sc, i);
            i++;
            break;
        case CLS_EF:
            if (pii_text_digit(buf + i, len - i, &clen) >= 0)
                i = scan_number(&sc, i);
            else
                i++;
            break;
        default:
            i++;
            break;
        }
        if (sc.st != PII_OK)
            return sc.st;
    }
    pii_detect_resolve(out);
    return PII_OK;
}
