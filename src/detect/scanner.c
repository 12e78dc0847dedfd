/*
 * scanner.c - candidate extraction: one pass over the buffer for anchor
 * bytes, detectors only on candidates.
 *
 * A 256-entry class table marks the bytes that can start a candidate: ASCII
 * digits, '@', ':', upper-case letters, the 0xEF lead byte of full-width
 * digits, and the lead bytes of Han characters. Classes whose detectors are
 * all disabled are cleared from the engine's table, so text that holds no
 * anchor costs one table look-up per byte.
 *
 * Numbers. From a digit the scanner reads a *chain*: digit groups joined by
 * exactly one separator (space, hyphen, Unicode dash or space), a group may
 * sit in brackets ("(0755)"), zero-width characters inside a group are
 * ignored and an ID's trailing X is kept. A chain glued to a word on either
 * side (letters, digits, '_', a decimal point) is a word, not a number, and
 * is skipped whole. Inside a chain, sub-chains are tried greedily from the
 * left, longest first; each goes to the `digits` detectors in priority
 * order: digit count, validator, then the detector's shape pattern on the
 * normalized text ("+86 138 1234 5678"), which is where groupings live.
 *
 * Dotted quads are tried as IPv4 before chains, hex-and-colon tokens as
 * IPv6, e-mail addresses are read outwards from their '@'. Letters, Han
 * text and US street addresses have their own generators (alnum.c,
 * cn_address.c, cn_name.c, us_address in this file).
 *
 * Shortcuts. Logs hold a digit run every few bytes, so the hot path avoids
 * the general readers where it can prove they would find nothing:
 * fast_digit_run settles short numbers, words, times and lone numbers
 * (lone_group hands a lone run to the detectors as it is) and hands
 * simple chains straight to the sub-chain search; per-length and
 * per-first-byte masks pick the detectors a candidate can meet; bitmaps
 * of label and division-name starts gate the Han generators; 64-byte
 * block masks (anchors.h: anchors, digits, word bytes, from SSE2, AVX2 or
 * AVX-512) find the next anchor and the ends of runs and words without a
 * branch per byte, and leave out the colons no IPv6 address can go on
 * from. Each shortcut must give exactly the findings of the full path:
 * PII_SCAN_NO_SHORTCUT turns them all off (and classifies blocks with the
 * portable loop), and a unit test and fuzz_scanner compare the two on
 * every input.
 */
#include <string.h>

#include "common/pii_compiler.h"
#include "common/pii_text.h"
#include "detect/anchors.h"
#include "detect/scan_internal.h"

enum { CLS_NONE = 0, CLS_DIGIT, CLS_AT, CLS_EF, CLS_UPPER, CLS_COLON, CLS_HAN };

/* A chain holds at most MAX_GROUPS groups; a longer one is cut and the scan
 * resumes CHAIN_OVERLAP groups before the cut, so that a number of up to
 * CHAIN_OVERLAP groups straddling the cut is still seen whole. */
#define MAX_GROUPS 16
#define CHAIN_OVERLAP 7
#define MAX_GROUP_DIGITS 24
#define BAD_GROUP 0xFF
/* Brackets join a group to a number only for an area or trunk code:
 * (0755) 8888 6666, +44 (0)20, +1 (415) 555-0132. */
#define MAX_PAREN_DIGITS 4

static const uint8_t cls_table[256] = {
    ['0'] = CLS_DIGIT, ['1'] = CLS_DIGIT, ['2'] = CLS_DIGIT, ['3'] = CLS_DIGIT,
    ['4'] = CLS_DIGIT, ['5'] = CLS_DIGIT, ['6'] = CLS_DIGIT, ['7'] = CLS_DIGIT,
    ['8'] = CLS_DIGIT, ['9'] = CLS_DIGIT, ['@'] = CLS_AT,     [0xEF] = CLS_EF,
    ['A'] = CLS_UPPER, ['B'] = CLS_UPPER, ['C'] = CLS_UPPER, ['D'] = CLS_UPPER,
    ['E'] = CLS_UPPER, ['F'] = CLS_UPPER, ['G'] = CLS_UPPER, ['H'] = CLS_UPPER,
    ['I'] = CLS_UPPER, ['J'] = CLS_UPPER, ['K'] = CLS_UPPER, ['L'] = CLS_UPPER,
    ['M'] = CLS_UPPER, ['N'] = CLS_UPPER, ['O'] = CLS_UPPER, ['P'] = CLS_UPPER,
    ['Q'] = CLS_UPPER, ['R'] = CLS_UPPER, ['S'] = CLS_UPPER, ['T'] = CLS_UPPER,
    ['U'] = CLS_UPPER, ['V'] = CLS_UPPER, ['W'] = CLS_UPPER, ['X'] = CLS_UPPER,
    ['Y'] = CLS_UPPER, ['Z'] = CLS_UPPER, [':'] = CLS_COLON,  [0xE4] = CLS_HAN,
    [0xE5] = CLS_HAN,  [0xE6] = CLS_HAN,  [0xE7] = CLS_HAN,  [0xE8] = CLS_HAN,
    [0xE9] = CLS_HAN,
};

/* ASCII word characters: letters, digits, '_'. */
static const uint8_t ascii_word[256] = {
#define W10(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, [c + 4] = 1, \
               [c + 5] = 1, [c + 6] = 1, [c + 7] = 1, [c + 8] = 1, [c + 9] = 1
    W10('0'), W10('A'), W10('A' + 10), ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1, W10('a'), W10('a' + 10), ['u'] = 1, ['v'] = 1, ['w'] = 1,
    ['x'] = 1, ['y'] = 1, ['z'] = 1, ['_'] = 1,
#undef W10
};

/* ---- findings, context, confirmation ------------------------------------- */

/* ASCII case-insensitive compare of word w (lower-case) with p[0, n). */
static bool word_at(const uint8_t *p, size_t n, const char *w, size_t wl)
{
    if (wl > n)
        return false;
    for (size_t i = 0; i < wl; i++) {
        uint8_t c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c - 'A' + 'a');
        if (c != (uint8_t)w[i])
            return false;
    }
    return true;
}

/* Nearest context (kind 1) or negative (kind -1) word ending at or before
 * hi and starting at or after lo; 0 when none. Words are compared only at
 * positions whose byte starts some word (bitmap); ASCII words need a
 * non-letter before them. */
static int nearest_word(const pii_detector *det, const uint8_t *buf, size_t lo, size_t hi)
{
    size_t n = det->nctx + det->nneg;
    if (n == 0)
        return 0;
    for (size_t p = hi; p-- > lo;) {
        uint8_t c = buf[p];
        if (!((det->first[c >> 3] >> (c & 7)) & 1u))
            continue;
        /* most Han characters start no word: the 12-bit key says so
         * without comparing every word */
        if (c >= 0xE0 && hi - p >= 3 && !pii_bit_test(det->word_han, pii_han_key(buf + p)))
            continue;
        for (size_t w = 0; w < n; w++) {
            const pii_word *pw = &det->ctx[w];
            if (pw->len > hi - p || !word_at(buf + p, hi - p, pw->w, pw->len))
                continue;
            if (pw->w[0] > 0 && (uint8_t)pw->w[0] < 0x80 && p > 0 &&
                pii_text_ascii_alnum(buf[p - 1]))
                continue;
            return w < det->nctx ? 1 : -1;
        }
    }
    return 0;
}

#define CONTEXT_BYTES 48

bool pii_scan_report(scan_ctx *sc, uint16_t d, size_t start, size_t end, uint8_t conf,
                     uint16_t aux)
{
    if (start < sc->from || sc->st != PII_OK)
        return false;
    const pii_detector_def *def = sc->cfg->det[d].def;
    /* context: the nearest positive or negative word before the value, on
     * the same line, within CONTEXT_BYTES */
    size_t lo = start > CONTEXT_BYTES ? start - CONTEXT_BYTES : 0;
    for (size_t p = start; p > lo; p--) {
        if (sc->buf[p - 1] == '\n') {
            lo = p;
            break;
        }
    }
    int near = nearest_word(&sc->cfg->det[d], sc->buf, lo, start);
    int c = conf;
    if (near > 0)
        c += 15;
    else if (near < 0)
        c -= def->negative_penalty;
    if (near <= 0 && def->context_required)
        return false;
    if (c > 100)
        c = 100;
    if (c < (int)sc->cfg->min_confidence)
        return false;
    pii_findings *f = sc->out;
    if (!pii_findings_reserve(f, f->len + 1)) {
        sc->st = PII_E_NOMEM;
        return false;
    }
    f->v[f->len++] = (pii_finding){.start = start,
                                   .end = end,
                                   .det = d,
                                   .aux = aux,
                                   .priority = def->priority,
                                   .confidence = (uint8_t)c};
    return true;
}

/* Full match of detector d's pattern against s[0, n). */
static bool shape_ok(scan_ctx *sc, uint16_t d, const char *s, size_t n)
{
    const pii_detector *det = &sc->cfg->det[d];
    if (det->re == NULL)
        return true;
    /* compiled anchored: ANCHORED passed here would make PCRE2 skip the JIT */
    int rc = pii_detector_match(det, (const uint8_t *)s, n, 0, sc->ws->md, sc->ws->mctx);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
        sc->ws->limit_hits++;
        return true; /* fail closed: the validator already agreed */
    }
    return rc >= 0;
}

/* pii_scan_confirm on the normalized text norm[0, nn) and its compact
 * form compact[0, nc). */
static uint8_t confirm_text(scan_ctx *sc, uint16_t d, const char *norm, size_t nn,
                            const char *compact, size_t nc)
{
    const pii_detector_def *def = sc->cfg->det[d].def;
    if (nc < def->min_len || nc > def->max_len)
        return 0;
    if (nn > 0 && !(sc->flags & PII_SCAN_NO_SHORTCUT) &&
        !pii_detector_first_ok(&sc->cfg->det[d], (uint8_t)norm[0]))
        return 0; /* the shape cannot match: spare the validator */
    unsigned factor = 100;
    if (sc->cfg->det[d].validate != NULL) {
        factor = sc->cfg->det[d].validate(compact, nc, sc->cfg);
        if (factor == 0)
            return 0;
    }
    if (!shape_ok(sc, d, norm, nn))
        return 0;
    unsigned conf = def->confidence * factor / 100u;
    return (uint8_t)(conf ? conf : 1);
}

uint8_t pii_scan_confirm(scan_ctx *sc, uint16_t d, const pii_cand *c)
{
    return confirm_text(sc, d, c->norm, c->nnorm, c->compact, c->ncompact);
}

size_t pii_scan_label_at(const pii_detector *det, const uint8_t *p, size_t n)
{
    if (n < 3 || !pii_detector_han_label_may_start(det, p))
        return 0;
    for (size_t w = 0; w < det->nctx; w++) {
        size_t wl = det->ctx[w].len;
        if ((uint8_t)det->ctx[w].w[0] >= 0x80 && wl <= n && memcmp(p, det->ctx[w].w, wl) == 0)
            return wl;
    }
    return 0;
}

/* ---- boundaries ----------------------------------------------------------- */

static bool is_ascii_digit(uint8_t c)
{
    return (unsigned)(c - '0') < 10u;
}

bool pii_scan_left_blocked_slow(const scan_ctx *sc, size_t pos)
{
    if (pos == 0)
        return (sc->flags & PII_SCAN_LEFT_OPEN) != 0;
    if (pii_text_wordchar_before(sc->buf, pos))
        return true;
    /* a decimal or dotted number continues here: 1.5, 10.0.19045 */
    if (sc->buf[pos - 1] == '.' && pos >= 2 && is_ascii_digit(sc->buf[pos - 2]))
        return true;
    /* the next part of a hyphenated code whose previous part mixes letters
     * and digits: a UUID (8d38-006742168895), a build id (a1b2-20240101) */
    if (sc->buf[pos - 1] == '-' && pos >= 2 && pii_text_ascii_alnum(sc->buf[pos - 2])) {
        bool digit = false, letter = false;
        for (size_t q = pos - 1; q > 0 && pos - 1 - q < 16 && pii_text_ascii_alnum(sc->buf[q - 1]);
             q--) {
            digit |= is_ascii_digit(sc->buf[q - 1]);
            letter |= !is_ascii_digit(sc->buf[q - 1]);
        }
        if (digit && letter)
            return true;
    }
    return false;
}

bool pii_scan_right_blocked(const scan_ctx *sc, size_t pos)
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

/* pii_scan_skip_word(sc, start) for a word already read from start up to
 * i (its ASCII digits, letters, '_' and dots between digits) */
static size_t skip_word_from(scan_ctx *sc, size_t start, size_t i)
{
    const uint8_t *b = sc->buf;
    size_t clen;
    for (;;) {
        i = pii_scan_find(sc, i, PII_BLK_WORD, false); /* ASCII letters, digits, '_' */
        if (i >= sc->len)
            break;
        /* a decimal or dotted number goes on: 1.5, 10.0.19045 (a word of
         * letters ends at its dot, as for left_blocked: ABC.13812345678) */
        if (b[i] == '.' && i + 1 < sc->len && is_ascii_digit(b[i + 1]) &&
            i > 0 && is_ascii_digit(b[i - 1]))
            i++;
        else if (b[i] == 0xEF && pii_text_is_wordchar(b + i, sc->len - i, &clen))
            i += clen;
        else
            break;
    }
    return i > start ? i : start + 1;
}

size_t pii_scan_skip_word(scan_ctx *sc, size_t i)
{
    return skip_word_from(sc, i, i);
}

/* pii_scan_skip_word for the hot loop: a word of ASCII letters, digits
 * and '_' ends where its block mask says, without a call; the rare word
 * that goes on past a '.' or a full-width character goes to the full
 * function. */
static inline size_t skip_word_fast(scan_ctx *sc, size_t i)
{
    size_t w = pii_scan_find(sc, i, PII_BLK_WORD, false);
    if (w < sc->len && (sc->buf[w] == '.' || sc->buf[w] == 0xEF))
        return pii_scan_skip_word(sc, i);
    return w > i ? w : i + 1;
}

/* ---- IPv4 and IPv6 --------------------------------------------------------- */

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
    if (pii_scan_right_blocked(sc, p))
        return false;
    *end = p;
    return true;
}

/* Report the first detector of `kind` that confirms the raw span [s, e). */
static bool confirm_span(scan_ctx *sc, pii_kind kind, size_t s, size_t e)
{
    const pii_detect_cfg *cfg = sc->cfg;
    if (cfg->nkind[kind] == 0 || e - s >= PII_CAND_MAX)
        return false;
    pii_cand c;
    memcpy(c.norm, sc->buf + s, e - s);
    c.nnorm = e - s;
    memcpy(c.compact, sc->buf + s, e - s);
    c.ncompact = e - s;
    for (size_t k = 0; k < cfg->nkind[kind]; k++) {
        uint16_t d = cfg->by_kind[kind][k];
        uint8_t conf = pii_scan_confirm(sc, d, &c);
        if (conf > 0 && pii_scan_report(sc, d, s, e, conf, 0))
            return true;
    }
    return false;
}

static bool is_hex(uint8_t c)
{
    return is_ascii_digit(c) || (unsigned)((c | 0x20) - 'a') < 6u;
}

static bool all_hex(const uint8_t *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (!is_hex(p[k]))
            return false;
    }
    return true;
}

/* The bytes of an IPv6 token: hex digits, ':' and '.' (for an embedded
 * IPv4 tail), as one table look-up. */
static const uint8_t v6_byte[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, [':'] = 1, ['.'] = 1,
};

/* An IPv6 token around position i (a hex digit or ':'): returns its end when
 * reported, else 0. The token is the maximal run of hex digits, ':' and '.'
 * with at least two colons. */
static size_t try_ipv6(scan_ctx *sc, size_t i)
{
    if (sc->cfg->nkind[PII_KIND_IPV6] == 0)
        return 0;
    const uint8_t *b = sc->buf;
    size_t s = i;
    while (s > 0 && i - s < 45 && v6_byte[b[s - 1]])
        s--;
    for (size_t k = s; k < i; k++) {
        if (b[k] == ':')
            return 0; /* the anchor at that colon tried this same span */
    }
    if (b[s] == ':' && (s + 1 >= sc->len || b[s + 1] != ':'))
        return 0; /* an address opens with "::", never with one colon */
    size_t e = i;
    int colons = 0; /* [s, i) holds none: checked above */
    while (e < sc->len && e - s < 46 && v6_byte[b[e]])
        colons += b[e++] == ':';
    while (e > s && (b[e - 1] == '.' || (b[e - 1] == ':' && !(e - s >= 2 && b[e - 2] == ':'))))
        e--; /* sentence punctuation after the address */
    if (colons < 2 || e - s < 2)
        return 0;
    if (colons < 6) {
        /* fewer than 8 groups need "::" (RFC 4291): 23:53:26 is a time */
        bool dbl = false;
        for (size_t k = s; k + 1 < e && !dbl; k++)
            dbl = b[k] == ':' && b[k + 1] == ':';
        if (!dbl)
            return 0;
    }
    if (pii_scan_left_blocked(sc, s) || (s > 0 && (pii_text_ascii_alnum(b[s - 1]))))
        return 0;
    if (e < sc->len && (pii_text_ascii_alnum(b[e]) || b[e] == '_'))
        return 0;
    if (e >= sc->len && (sc->flags & PII_SCAN_RIGHT_OPEN))
        return 0;
    return confirm_span(sc, PII_KIND_IPV6, s, e) ? e : 0;
}

/* ---- digit chains ---------------------------------------------------------- */

typedef struct {
    size_t start; /* byte offset of the first digit (or of its '(') */
    size_t end;   /* byte offset after the last digit / X / ')' */
    uint8_t nd;   /* digits (incl. a trailing X), BAD_GROUP when too long */
    uint16_t off; /* offset of its digits in chain.d */
    bool paren;   /* written in brackets: (0755) */
    char sep;     /* normalized separator before this group: 0, ' ' or '-' */
} group;

typedef struct {
    group g[MAX_GROUPS];
    int k;
    bool last_blocked; /* the last group runs into a word */
    bool cont;         /* the chain goes on from a cut one: its first group starts no number */
    char d[MAX_GROUPS * MAX_GROUP_DIGITS];
} chain;

/* An opening or closing bracket (ASCII or full-width) at p: its length. */
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

/* Read one digit group at p into c; returns the byte after it. */
static size_t read_group(const scan_ctx *sc, size_t p, chain *c, bool paren)
{
    group *g = &c->g[c->k];
    size_t total = 0;
    if (c->k > 0) {
        const group *prev = &c->g[c->k - 1];
        total = prev->off + (prev->nd == BAD_GROUP ? 0 : prev->nd);
    }
    g->start = p;
    g->off = (uint16_t)total;
    g->paren = false;
    if (paren)
        p += open_paren(sc->buf + p, sc->len - p);
    unsigned nd = 0;
    for (;;) {
        size_t clen;
        while (p < sc->len && is_ascii_digit(sc->buf[p]) && nd < MAX_GROUP_DIGITS)
            c->d[total + nd++] = (char)sc->buf[p++]; /* the common case */
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
    size_t xl, cl;
    if (paren && (cl = close_paren(sc->buf + p, sc->len - p)) > 0) {
        p += cl;
        g->paren = true;
    } else if (!paren && nd < MAX_GROUP_DIGITS && pii_text_is_x(sc->buf + p, sc->len - p, &xl) &&
               !pii_scan_right_blocked(sc, p + xl)) {
        /* trailing check character of an ID: X not followed by a word char */
        c->d[total + nd] = 'X';
        nd++;
        p += xl;
    }
    g->nd = nd > MAX_GROUP_DIGITS ? BAD_GROUP : (uint8_t)nd;
    g->end = p;
    c->k++;
    return p;
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

/* Does a closing bracket around digits end just before pos, or before one
 * group separator there? Then the group at pos goes on the bracketed one's
 * chain (read_number, scan_paren_number), wherever that began. */
static bool after_digit_bracket(const scan_ctx *sc, size_t pos)
{
    pos -= pii_text_group_sep_before(sc->buf, pos);
    size_t cl = 0;
    if (pos >= 1 && close_paren(sc->buf + pos - 1, 1) == 1)
        cl = 1;
    else if (pos >= 3 && close_paren(sc->buf + pos - 3, 3) == 3)
        cl = 3;
    return cl > 0 && pii_text_digit_before(sc->buf, pos - cl) > 0;
}

/* Build the candidate text of sub-chain [s, e]; false when it cannot be a
 * candidate (a group too long, too many characters). */
static bool build_cand(const chain *c, int s, int e, bool plus, pii_cand *out)
{
    size_t nn = 0, nc = 0;
    if (plus)
        out->norm[nn++] = '+';
    for (int i = s; i <= e; i++) {
        const group *g = &c->g[i];
        if (g->nd == BAD_GROUP || nn + g->nd + 3 >= PII_CAND_MAX)
            return false;
        if (i > s && g->sep)
            out->norm[nn++] = g->sep;
        if (g->paren)
            out->norm[nn++] = '(';
        memcpy(out->norm + nn, c->d + g->off, g->nd);
        nn += g->nd;
        /* "(0)" is the trunk prefix of +44 (0)20 ...: not part of the number */
        if (!(g->paren && g->nd == 1 && c->d[g->off] == '0')) {
            memcpy(out->compact + nc, c->d + g->off, g->nd);
            nc += g->nd;
        }
        if (g->paren)
            out->norm[nn++] = ')';
    }
    out->nnorm = nn;
    out->ncompact = nc;
    return true;
}

/* Try the sub-chain c->g[s..e] against every `digits` detector. */
static bool try_subchain(scan_ctx *sc, const chain *c, int s, int e)
{
    size_t n = 0, trunk = 0;
    for (int i = s; i <= e; i++) {
        const group *g = &c->g[i];
        if (g->nd == BAD_GROUP)
            return false;
        n += g->nd;
        trunk += g->paren && g->nd == 1 && c->d[g->off] == '0'; /* as build_cand drops it */
    }
    if (n < 7 || n > 20)
        return false;
    size_t start = c->g[s].start;
    size_t plus_len = 0;
    bool plus = !c->g[s].paren && plus_before(sc, start, &plus_len);
    /* "00" dials abroad only at the start of a number: inside a longer chain
     * (a card's second group 0035, a code's 0067..., the digits glued after
     * a bracketed area code (010)0085...) it is just digits */
    if (c->g[s].nd >= 2 && c->d[c->g[s].off] == '0' && c->d[c->g[s].off + 1] == '0' &&
        (s > 0 || c->cont || after_digit_bracket(sc, start)))
        return false;
    const pii_detect_cfg *cfg = sc->cfg;
    size_t ndig = cfg->nkind[PII_KIND_DIGITS];
    /* the detectors that can take the candidate, from its compact length
     * and the first byte of its text, known before it is built */
    uint32_t want = UINT32_MAX;
    if ((sc->flags & PII_SCAN_NO_SHORTCUT) == 0 && ndig <= 32) {
        uint8_t first = plus ? '+' : c->g[s].paren ? '(' : (uint8_t)c->d[c->g[s].off];
        want = cfg->digits_len[n - trunk] & cfg->digits_first[first];
        if (want == 0)
            return false;
    }
    pii_cand cand;
    if (!build_cand(c, s, e, plus, &cand))
        return false;
    for (size_t k = 0; k < ndig; k++) {
        if (k < 32) {
            uint32_t rest = want >> k; /* the next wanted detector, if any */
            if (rest == 0)
                break;
            k += (size_t)__builtin_ctz(rest);
            if (k >= ndig)
                break;
        }
        uint16_t d = cfg->by_kind[PII_KIND_DIGITS][k];
        uint8_t conf = pii_scan_confirm(sc, d, &cand);
        if (conf > 0 &&
            pii_scan_report(sc, d, plus ? start - plus_len : start, c->g[e].end, conf, 0))
            return true;
    }
    return false;
}

/* A phone number written with dots: 138.0013.8000, +1.415.555.0132. Only
 * the whole dotted token is tried, and only when its groups are phone-like
 * (3 to 6 groups, all but a leading country code of 2+ digits, 10-15
 * digits): versions (10.0.19045) and dotted dates never qualify. */
static size_t try_dotted_phone(scan_ctx *sc, size_t i)
{
    chain c;
    c.k = 0;
    c.last_blocked = false;
    c.cont = false;
    size_t p = i, total = 0;
    for (;;) {
        group *g = &c.g[c.k];
        g->start = p;
        g->off = (uint16_t)total;
        g->paren = false;
        g->sep = c.k ? '-' : 0;
        size_t nd = 0;
        while (p < sc->len && is_ascii_digit(sc->buf[p]) && nd < MAX_GROUP_DIGITS)
            c.d[total + nd++] = (char)sc->buf[p++];
        if (nd == 0 || (nd < 2 && !(c.k == 0 && sc->buf[i - (i > 0)] == '+' && i > 0)))
            return 0;
        g->nd = (uint8_t)nd;
        g->end = p;
        total += nd;
        c.k++;
        if (c.k < 6 && p + 1 < sc->len && sc->buf[p] == '.' && is_ascii_digit(sc->buf[p + 1])) {
            p++;
            continue;
        }
        break;
    }
    if (c.k < 3 || total < 10 || total > 15 || pii_scan_right_blocked(sc, p))
        return 0;
    return try_subchain(sc, &c, 0, c.k - 1) ? p : 0;
}

/* After the house number and its space comes a street name: a capital
 * letter (Cedar, N, North) or an ordinal (5th). Anything else - the
 * "401 84985" of an access log - needs no regex. p is the space after the
 * house number. */
static bool street_after(const scan_ctx *sc, size_t p)
{
    const uint8_t *b = sc->buf;
    if (p + 1 >= sc->len)
        return true; /* at the edge: let the regex decide */
    p++;
    if (b[p] >= 'A' && b[p] <= 'Z')
        return true;
    size_t d = p;
    while (p < sc->len && p - d < 4 && is_ascii_digit(b[p]))
        p++;
    if (p == d || p - d > 3)
        return false;
    if (p + 1 >= sc->len)
        return true;
    uint8_t x = b[p], y = b[p + 1];
    return (x == 's' && y == 't') || (x == 'n' && y == 'd') || (x == 'r' && y == 'd') ||
           (x == 't' && y == 'h');
}

/* Whether a street can follow the house number at i. */
static bool street_may_follow(const scan_ctx *sc, size_t i)
{
    const uint8_t *b = sc->buf;
    size_t p = i;
    while (p < sc->len && p - i < 7 && is_ascii_digit(b[p]))
        p++;
    if (p + 1 >= sc->len || b[p] != ' ')
        return p + 1 >= sc->len; /* at the edge: let the regex decide */
    return street_after(sc, p);
}

/* Whether the hex-colon-dot token read forwards from i has the colons an
 * IPv6 address needs: two, and "::" unless it has six. */
static bool ipv6_colons_ahead(const scan_ctx *sc, size_t i, size_t *end)
{
    const uint8_t *b = sc->buf;
    int colons = 0;
    bool dbl = false;
    size_t e = i, lim = sc->len - i > 46 ? i + 46 : sc->len;
    for (; e < lim && v6_byte[b[e]]; e++) {
        if (b[e] == ':') {
            colons++;
            dbl |= e > i && b[e - 1] == ':';
        }
    }
    *end = e;
    return colons >= 6 || (colons >= 2 && dbl);
}

/* A colon in the token [i, end) reads back to i (or to a colon) and
 * forward to the same end, so when the colons from i make no address,
 * the later ones make none either (00:00:51). Kept within try_ipv6's
 * 45-byte look-back. */
static void v6_token_dead(scan_ctx *sc, size_t i, size_t end)
{
    size_t dead = end < i + 40 ? end : i + 40;
    if (dead <= sc->v6_dead)
        return;
    sc->v6_dead = dead;
    /* the token's colons in the block at hand would be anchors that only
     * learn this again: drop them from its mask. The token holds hex
     * digits, '.' and ':' only, so its anchors that are neither digits
     * nor word bytes are its colons. */
    pii_block *blk = &sc->blk.cur;
    size_t lo = i > blk->base ? i : blk->base;
    size_t hi = dead < blk->base + 64 ? dead : blk->base + 64;
    if (lo < hi) {
        size_t w = hi - lo;
        uint64_t span = (w >= 64 ? ~0ull : (1ull << w) - 1) << (lo - blk->base);
        blk->m[PII_BLK_ANCHOR] &= ~(span & ~blk->m[PII_BLK_DIGIT] & ~blk->m[PII_BLK_WORD]);
    }
}

/* Whether try_ipv6(sc, i) can report anything, for a digit at i that is
 * not glued on the left: the token read forwards from i must hold two
 * colons, and "::" unless it has six. Cheap, and never wrong the other way. */
static bool ipv6_may_start(scan_ctx *sc, size_t i)
{
    const uint8_t *b = sc->buf;
    if (sc->cfg->nkind[PII_KIND_IPV6] == 0)
        return false;
    if (i > 0 && b[i - 1] == ':')
        return false; /* try_ipv6 reads back to that colon and gives up */
    if (i > 0 && (is_hex(b[i - 1]) || b[i - 1] == '.'))
        return true; /* the token starts before i: let try_ipv6 see it */
    size_t end;
    if (ipv6_colons_ahead(sc, i, &end))
        return true;
    v6_token_dead(sc, i, end);
    return false;
}

/* The sub-chains of chain c, read up to p, tried as numbers from the
 * left, longest first (cut: c was cut at MAX_GROUPS; tail_touched: a
 * group dropped after c's last one touched it). Returns where the scan
 * goes on, with *cut_out set when that is the overlap of a cut chain. */
static size_t chain_findings(scan_ctx *sc, chain *c, bool cut, bool tail_touched, size_t p,
                             bool *cut_out)
{
    c->g[0].sep = 0;

    int usable = c->last_blocked ? c->k - 1 : c->k;
    /* a last group that opens a street address is its house number, not
     * the end of a number: 12 4778 Cedar Ave, 0031 5 1 1 1 78 Cedar Ave */
    size_t house_end = 0;
    if (!cut && usable == c->k && c->k > 1 && sc->cfg->nkind[PII_KIND_US_ADDRESS] > 0 &&
        p + 1 < sc->len && sc->buf[p] == ' ' && !c->g[c->k - 1].paren && street_after(sc, p)) {
        size_t e = pii_scan_us_address(sc, c->g[c->k - 1].start);
        if (e > p) {
            house_end = e;
            usable--;
        }
    }
    int starts = cut ? MAX_GROUPS - CHAIN_OVERLAP : usable; /* sub-chains start below this */
    /* a chain printed in groups of four (4359 0734 2121 3250) is one
     * number: a part of it is not another number (0734 2121 3250 is no
     * landline). Its last group may be shorter (a 19-digit card ends in
     * 3 digits), never longer: 8234 5678 13812345678 ends in a number of
     * its own. Not for a chain cut or read on from a cut one: its groups
     * do not start or end the number. */
    bool fours = !cut && !c->cont && usable >= 3 && c->g[usable - 1].nd <= 4;
    for (int g = 0; g < usable - 1 && fours; g++)
        fours = c->g[g].nd == 4 && !c->g[g].paren;
    /* digits before each group: a sub-chain of fewer than 7 digits makes no
     * candidate, so the search passes over those without trying them (a
     * date's 2025-03-19 00 has ten sub-chains, two long enough) */
    bool shortcut = (sc->flags & PII_SCAN_NO_SHORTCUT) == 0;
    unsigned before[MAX_GROUPS + 1];
    before[0] = 0;
    for (int g = 0; g < usable; g++)
        before[g + 1] = before[g] + c->g[g].nd; /* BAD_GROUP counts as 255: never short */
    int next = 0;                                          /* first group not yet consumed */
    for (int s = 0; s < starts;) {
        bool found = false;
        if (shortcut && before[usable] - before[s] < 7)
            break; /* no sub-chain from here on is long enough */
        for (int e = usable - 1; e >= s; e--) {
            if (shortcut && before[e + 1] - before[s] < 7)
                break; /* nor any shorter one from s */
            /* the next group touches this one: (0755)8888 is one number. A
             * bracket glued after the digits opens the next number instead:
             * 87654321(0755) ends at the 1 */
            if ((e + 1 < c->k && c->g[e + 1].sep == 0 && !c->g[e + 1].paren) ||
                (e + 1 == c->k && tail_touched))
                continue;
            if (try_subchain(sc, c, s, e)) {
                s = e + 1;
                next = s;
                found = true;
                break;
            }
        }
        if (!found && s == 0 && fours)
            break; /* nothing at its start: no part of it either */
        if (!found)
            s++;
    }
    if (cut) {
        int r = next > starts ? next : starts;
        *cut_out = r < c->k;
        return r < c->k ? c->g[r].start : p;
    }
    if (c->last_blocked)
        return pii_scan_skip_word(sc, c->g[c->k - 1].start);
    return house_end > 0 ? house_end : p;
}

/* ---- the fast path for digit runs ------------------------------------------ */

/* Bytes after an ASCII digit run that can extend it into a chain, an
 * address, an IP, a dotted phone or an ID's check character, or that
 * begin a multi-byte separator, digit or bracket: the run needs the full
 * reader when followed by one of these. */
static const uint8_t run_follow[256] = {
    [' '] = 1, ['-'] = 1, ['.'] = 1, [':'] = 1, ['('] = 1, ['X'] = 1,
    ['x'] = 1, [0xC2] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* Whether the bytes at p (after a digit group) are something scan_number
 * reads no further: not a digit, separator, bracket, X, decimal point,
 * colon or word character, ASCII or full-width, nor a zero-width
 * character. */
static PII_NOINLINE bool inert_multibyte(const scan_ctx *sc, size_t p)
{
    const uint8_t *b = sc->buf + p;
    size_t n = sc->len - p, clen;
    return pii_text_group_sep(b, n) == 0 && pii_text_zero_width(b, n) == 0 &&
           pii_text_digit(b, n, &clen) < 0 && !pii_text_is_x(b, n, &clen) &&
           !pii_text_is_wordchar(b, n, &clen) && open_paren(b, n) == 0;
}

static inline bool inert_at(const scan_ctx *sc, size_t p)
{
    uint8_t c = sc->buf[p];
    if (c < 0x80)
        return !run_follow[c] && !ascii_word[c];
    if (c != 0xC2 && c != 0xE2 && c != 0xE3 && c != 0xEF)
        return true;
    return inert_multibyte(sc, p);
}

/* c := a chain of the one ASCII digit group [i, e), e - i <= MAX_GROUP_DIGITS. */
static void chain_of_run(chain *c, const uint8_t *b, size_t i, size_t e)
{
    c->k = 1;
    c->last_blocked = false;
    c->cont = false;
    c->g[0] = (group){.start = i, .end = e, .nd = (uint8_t)(e - i), .off = 0, .sep = 0};
    memcpy(c->d, b + i, e - i);
}

/* The run [i, e) as scan_number reads it when nothing joins it: one group,
 * tried as one sub-chain when it has 7 digits or more. Without a '+'
 * before it the candidate is the run itself, its normalized and compact
 * forms alike, so it goes to the detectors as it is, as try_subchain would
 * send it. */
static PII_NOINLINE size_t lone_long_group(scan_ctx *sc, size_t i, size_t e)
{
    if (pii_scan_left_blocked(sc, i))
        return e;
    if (sc->buf[i] == '0' && sc->buf[i + 1] == '0' && after_digit_bracket(sc, i))
        return e; /* inside a chain: no digits detector takes it (try_subchain) */
    size_t n = e - i, plus_len;
    if (n > 20)
        return e; /* longer than any digits candidate (try_subchain) */
    const pii_detect_cfg *cfg = sc->cfg;
    size_t ndig = cfg->nkind[PII_KIND_DIGITS];
    if (ndig > 32 || plus_before(sc, i, &plus_len)) {
        chain c;
        chain_of_run(&c, sc->buf, i, e);
        try_subchain(sc, &c, 0, 0);
        return e;
    }
    const char *t = (const char *)sc->buf + i;
    for (uint32_t want = cfg->digits_len[n] & cfg->digits_first[sc->buf[i]]; want != 0;
         want &= want - 1) {
        uint16_t d = cfg->by_kind[PII_KIND_DIGITS][__builtin_ctz(want)];
        uint8_t conf = confirm_text(sc, d, t, n, t, n);
        if (conf > 0 && pii_scan_report(sc, d, i, e, conf, 0))
            break;
    }
    return e;
}

/* Most runs are short: settled here, without a call. */
static inline size_t lone_group(scan_ctx *sc, size_t i, size_t e)
{
    return e - i < 7 ? e : lone_long_group(sc, i, e);
}

/* A run [i, e) followed by '.'. */
static size_t fast_dotted(scan_ctx *sc, size_t i, size_t e)
{
    const uint8_t *b = sc->buf;
    if (e + 1 >= sc->len)
        return 0; /* the window's edge */
    if (!is_ascii_digit(b[e + 1]))
        return lone_group(sc, i, e); /* a full stop ends the number */
    /* a decimal or dotted number: scan_number skips the dotted word
     * unless it can be an IPv4 address (4 groups of up to 3 digits) or a
     * dotted phone (3+ groups, 10+ digits, a first group of 2+ digits or
     * a '+'), which it tries only from a run of up to 3 digits */
    if (e - i <= 3 && !pii_scan_left_blocked(sc, i)) {
        size_t p = e, groups = 1, total = e - i;
        bool quad = true, pairs = true;
        while (groups < 6 && p + 1 < sc->len && b[p] == '.' && is_ascii_digit(b[p + 1])) {
            size_t q = ++p;
            while (p < sc->len && is_ascii_digit(b[p]))
                p++;
            quad &= groups >= 4 || p - q <= 3;
            pairs &= p - q >= 2; /* try_dotted_phone wants 2+ digits after a dot */
            total += p - q;
            groups++;
        }
        bool ipv4 = groups >= 4 && quad;
        bool phone = groups >= 3 && pairs && total >= 10 &&
                     (e - i >= 2 || (i > 0 && b[i - 1] == '+'));
        if (ipv4 || phone)
            return 0;
        /* the dotted groups read above are the start of the word to skip */
        return skip_word_from(sc, i, p);
    }
    return skip_word_fast(sc, i);
}

/* Whether any sub-chain of c (a chain of the fast path: no brackets, not
 * cut) can go to a digits detector, by try_subchain's first test for all
 * of them at once: the detectors its first byte (or a '+' before it)
 * allows, at its length. Sub-chains are whole groups, so the lengths are
 * those of runs of groups: a date's 2025-03-19 00 has sub-chains of 4, 6,
 * 8 and 10 digits from its first group, and none of 9 for a US SSN. False:
 * chain_findings would try nothing. */
static bool chain_may_hold(scan_ctx *sc, const chain *c, size_t total)
{
    const pii_detect_cfg *cfg = sc->cfg;
    size_t left = total;
    for (int s = 0; s < c->k && left >= 7; s++) {
        size_t plus_len;
        uint8_t first = plus_before(sc, c->g[s].start, &plus_len) ? '+'
                                                                   : (uint8_t)c->d[c->g[s].off];
        uint32_t want = cfg->digits_first[first];
        size_t n = 0;
        for (int e = s; e < c->k && want != 0 && n <= 20; e++) {
            n += c->g[e].nd;
            if (n >= 7 && n <= 20 && (want & cfg->digits_len[n]) != 0)
                return true;
        }
        left -= c->g[s].nd;
    }
    return false;
}

/* Most digit runs in logs are short numbers (ports, counts, times), the
 * digits of a hex or alphanumeric word, dates or lone long numbers. For
 * those this does what the full reader (scan_number) would - builds no
 * chain, skips the word, or tries the one sub-chain - and returns the
 * same resume position; it returns 0 when the run needs the full reader.
 * It must agree with scan_number exactly (PII_SCAN_NO_SHORTCUT and the
 * tests check that): every case it does not prove goes to the reader. */
static size_t fast_digit_run(scan_ctx *sc, size_t i)
{
    const uint8_t *b = sc->buf;
    size_t e = pii_scan_find(sc, i, PII_BLK_DIGIT, false);
    if (e >= sc->len)
        return 0; /* the window's edge: flags decide */
    uint8_t a = b[e];
    if (ascii_word[a]) {
        /* glued to a word: scan_number skips the whole word unless an
         * X ends an ID here, or the word goes on past ASCII ('.5', a
         * full-width letter) */
        size_t w = pii_scan_find(sc, e, PII_BLK_WORD, false);
        if (w >= sc->len || b[w] == '.' || b[w] >= 0x80 ||
            (b[w] == ':' && w - i <= 4 && all_hex(b + e, w - e)) ||
            ((a == 'X' || a == 'x') && w == e + 1))
            return 0; /* a decimal, a full-width letter, IPv6, an ID's X */
        return w;
    }
    if (a == '.')
        return fast_dotted(sc, i, e);
    if (inert_at(sc, e))
        return lone_group(sc, i, e);
    if (a == ':') {
        if (pii_scan_left_blocked(sc, i))
            return e; /* scan_number skips the word, which ends at e */
        /* one group: only an IPv6 address can start here */
        if (e - i <= 4 && e + 1 < sc->len && (is_hex(b[e + 1]) || b[e + 1] == ':') &&
            ipv6_may_start(sc, i))
            return 0;
        return lone_group(sc, i, e);
    }
    if (a != ' ' && a != '-')
        return 0; /* a bracket, a multi-byte separator or digit */
    if (pii_scan_left_blocked(sc, i))
        return e; /* scan_number skips the word, which ends at e */
    /* ' ' or '-': walk the chain of ASCII digit groups the way scan_number
     * reads it; give up on anything it treats specially */
    bool us = sc->cfg->nkind[PII_KIND_US_ADDRESS] > 0;
    if (us && a == ' ' && e - i <= 7 && street_after(sc, e)) {
        size_t ue = pii_scan_us_address(sc, i); /* as scan_number does first */
        if (ue > i)
            return ue;
    }
    if (e - i > MAX_GROUP_DIGITS)
        return 0;
    chain ch; /* the chain as scan_number reads it, for its sub-chains */
    chain_of_run(&ch, b, i, e);
    size_t total = e - i, last = i, p = e;
    int k = 1;
    for (;;) {
        uint8_t c = b[p];
        if (c >= 0x80) {
            if (!inert_at(sc, p))
                return 0; /* a multi-byte separator, digit or letter */
            break;
        }
        if (c == '(' || c == 'X' || c == 'x')
            return 0; /* a bracketed group, an ID's check character */
        if (c != ' ' && c != '-')
            break;
        size_t q = p + 1, clen;
        if (q >= sc->len || b[q] == '(')
            return 0;
        if (b[q] >= 0x80 && (pii_text_digit(b + q, sc->len - q, &clen) >= 0 ||
                             open_paren(b + q, sc->len - q) > 0))
            return 0; /* a full-width digit or bracket goes on the chain */
        if (!is_ascii_digit(b[q]))
            break;
        size_t r = q;
        while (r < sc->len && is_ascii_digit(b[r]))
            r++;
        if (r >= sc->len || k + 1 >= MAX_GROUPS)
            return 0;
        if (ascii_word[b[r]] || (b[r] == '.' && r + 1 < sc->len && is_ascii_digit(b[r + 1]))) {
            if (b[r] == 'X' || b[r] == 'x')
                return 0;
            break; /* glued to a word: scan_number drops this group */
        }
        if (r - q > MAX_GROUP_DIGITS)
            return 0;
        ch.g[k] = (group){.start = q, .end = r, .nd = (uint8_t)(r - q), .off = (uint16_t)total,
                         .sep = (char)c};
        memcpy(ch.d + total, b + q, r - q);
        total += r - q;
        k++;
        last = q;
        p = r;
    }
    if (k == 1)
        return lone_group(sc, i, e);
    if (total >= 7) {
        ch.k = k;
        /* a chain no detector can take (a date's 2025-03-19 00) ends here,
         * unless a street may follow it (chain_findings' house number) */
        if ((!us || b[p] != ' ') && !chain_may_hold(sc, &ch, total))
            return p;
        bool cut = false;
        return chain_findings(sc, &ch, false, false, p, &cut);
    }
    /* no candidate; scan_number still tries the last group as a house
     * number before a street */
    if (us && p + 1 < sc->len && b[p] == ' ') {
        size_t ue = pii_scan_us_address(sc, last);
        if (ue > p)
            return ue;
    }
    return p;
}

/* Read the number at i; *cut is set when the chain was cut at MAX_GROUPS
 * and the return value is where its overlap starts. `cont`: i continues
 * a cut chain. */
static size_t read_number(scan_ctx *sc, size_t i, bool cont, bool *cut_out)
{
    /* a continuation starts at a group of the chain it goes on, which may
     * touch the group before it (78（010）...): that is no word */
    if (!cont && pii_scan_left_blocked(sc, i))
        return pii_scan_skip_word(sc, i);

    /* dotted quad first: 192.168.1.10; hex and colons: 2001:db8::1 */
    if (is_ascii_digit(sc->buf[i])) {
        size_t j = i;
        while (j < sc->len && j < i + 4 && is_hex(sc->buf[j]))
            j++;
        if (j < sc->len && sc->buf[j] == ':' && j + 1 < sc->len &&
            (is_hex(sc->buf[j + 1]) || sc->buf[j + 1] == ':')) {
            size_t e6 = try_ipv6(sc, i);
            if (e6 > 0)
                return e6;
        }
        j = i;
        while (j < sc->len && j < i + 3 && is_ascii_digit(sc->buf[j]))
            j++;
        if (j < sc->len && sc->buf[j] == '.') {
            size_t end;
            if (parse_ipv4(sc, i, &end)) {
                if (confirm_span(sc, PII_KIND_IPV4, i, end))
                    return end;
            }
            size_t e = try_dotted_phone(sc, i);
            return e > i ? e : pii_scan_skip_word(sc, i);
        }
        size_t r = i;
        while (r < sc->len && r < i + 7 && is_ascii_digit(sc->buf[r]))
            r++;
        if (sc->cfg->nkind[PII_KIND_US_ADDRESS] > 0 && r < sc->len && sc->buf[r] == ' ') {
            size_t e = pii_scan_us_address(sc, i);
            if (e > i)
                return e;
        }
    }

    chain c;
    c.k = 0;
    c.last_blocked = false;
    c.cont = cont;
    bool cut = false;
    bool tail_touched = false; /* a dropped group touched the last one: (0755)8888abc */
    size_t p = i;
    for (;;) {
        p = read_group(sc, p, &c, false);
        if (pii_scan_right_blocked(sc, p)) {
            if (c.k > 1) {
                /* a group glued to a word (121.249..., 9abc) is not part of
                 * this number: end the chain at the group before it (so
                 * that its separator follows, as for any chain's end: the
                 * house number of "12 3rd Ave") and let the main loop look
                 * at that word on its own */
                tail_touched = c.g[c.k - 1].sep == 0;
                c.k--;
                p = c.g[c.k - 1].end;
            } else {
                c.last_blocked = true;
            }
            break;
        }
        size_t sep = pii_text_group_sep(sc->buf + p, sc->len - p);
        char sepc = sep ? (sc->buf[p] == ' ' || sep == 2 || (sep == 3 && sc->buf[p] == 0xE3) ? ' '
                                                                                          : '-')
                        : 0;
        size_t clen;
        size_t q = p + sep;
        size_t op = open_paren(sc->buf + q, sc->len - q);
        bool digit_next = pii_text_digit(sc->buf + q, sc->len - q, &clen) >= 0;
        bool paren_next = !digit_next && op > 0 &&
                          pii_text_digit(sc->buf + q + op, sc->len - q - op, &clen) >= 0;
        if ((digit_next || paren_next) && c.k == MAX_GROUPS) {
            cut = true;
            break;
        }
        if (digit_next) {
            p = q;
            c.g[c.k].sep = sepc;
            continue;
        }
        if (paren_next) {
            /* a bracketed group: +86 (0)10 ..., 010 (8765) ... */
            size_t save = p;
            c.g[c.k].sep = sepc;
            p = read_group(sc, q, &c, true);
            if (!c.g[c.k - 1].paren || c.g[c.k - 1].nd > MAX_PAREN_DIGITS) {
                c.k--;
                p = save;
                break;
            }
            /* after a bracket the next group may follow directly: (0)10 */
            size_t sep2 = pii_text_group_sep(sc->buf + p, sc->len - p);
            if (pii_text_digit(sc->buf + p + sep2, sc->len - p - sep2, &clen) >= 0) {
                if (c.k == MAX_GROUPS) {
                    cut = true;
                    break;
                }
                c.g[c.k].sep = sep2 ? (sc->buf[p] == '-' ? '-' : ' ') : 0;
                p += sep2;
                continue;
            }
            if (pii_scan_right_blocked(sc, p))
                c.last_blocked = true;
            break;
        }
        break;
    }
    return chain_findings(sc, &c, cut, tail_touched, p, cut_out);
}

/* The number at i, with the chains that continue a cut one read as such:
 * where a chain is cut must not decide what its later groups can be. */
static size_t scan_number(scan_ctx *sc, size_t i)
{
    for (bool cont = false;; cont = true) {
        bool cut = false;
        size_t r = read_number(sc, i, cont, &cut);
        if (!cut || r <= i || sc->st != PII_OK)
            return r;
        i = r;
    }
}

/* A bracketed area code at an opening bracket: "(0755)1234 5678". */
static size_t scan_paren_number(scan_ctx *sc, size_t i, size_t op)
{
    chain c;
    c.k = 0;
    c.last_blocked = false;
    c.cont = false;
    size_t p = read_group(sc, i, &c, true);
    if (!c.g[0].paren || c.g[0].nd > MAX_PAREN_DIGITS)
        return i + op; /* a whole number in brackets: the main loop reads it */
    c.g[0].sep = 0;
    for (;;) {
        if (c.k == MAX_GROUPS)
            break;
        size_t sep = pii_text_group_sep(sc->buf + p, sc->len - p);
        size_t clen;
        bool glued = c.k == 1 || sep > 0; /* only the bracket may touch the next group */
        if (!glued || pii_text_digit(sc->buf + p + sep, sc->len - p - sep, &clen) < 0) {
            if (pii_scan_right_blocked(sc, p))
                c.last_blocked = true;
            break;
        }
        char sepc = sep ? (sc->buf[p] == '-' ? '-' : ' ') : 0;
        p = read_group(sc, p + sep, &c, false);
        c.g[c.k - 1].sep = sepc;
    }
    int usable = c.last_blocked ? c.k - 1 : c.k;
    for (int e = usable - 1; e >= 1; e--) {
        if (try_subchain(sc, &c, 0, e))
            return c.g[e].end;
    }
    return c.g[0].end; /* let the main loop look at the rest */
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

/* `at` is the '@' (at_len 1) or a full-width '＠' (at_len 3). */
static void scan_email(scan_ctx *sc, size_t at, size_t at_len)
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
    size_t p = at + at_len;
    int labels = 0;
    size_t last_label = p;
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
    if (labels < 2 || p - (at + at_len) > 253)
        return;
    bool tld_alpha = p - last_label >= 2;
    for (size_t q = last_label; q < p && tld_alpha; q++)
        tld_alpha = (unsigned)((b[q] | 0x20) - 'a') < 26u;
    if (!tld_alpha)
        return;
    if (p >= sc->len ? (sc->flags & PII_SCAN_RIGHT_OPEN) != 0 : (b[p] == '_' || b[p] == '@'))
        return;
    confirm_span(sc, PII_KIND_EMAIL, j, p);
}

/* ---- US street addresses ---------------------------------------------------- */

/* How far a street check at i reads: to the first '\n' in [i, i + 200),
 * else to i + 200 (or sc->len). One search of up to
 * 4 KiB serves the checks after it: [nl_from, nl_end) holds no newline,
 * and nl_end is one when nl_found. A log line's "015 INFO" may make
 * several checks; a long line without newlines still costs its checks at
 * most one search of 4 KiB per 3.9 KiB, whichever way they go. */
#define LINE_LOOK 4096
static size_t line_end_from(scan_ctx *sc, size_t i)
{
    if (i < sc->nl_from || i > sc->nl_end ||
        (!sc->nl_found && sc->nl_end - i < 200 && sc->nl_end < sc->len)) {
        size_t lim = sc->len - i < LINE_LOOK ? sc->len - i : LINE_LOOK;
        const uint8_t *nl = memchr(sc->buf + i, '\n', lim);
        sc->nl_from = i;
        sc->nl_found = nl != NULL;
        sc->nl_end = nl != NULL ? (size_t)(nl - sc->buf) : i + lim;
    }
    return sc->nl_end - i < 200 ? sc->nl_end : i + 200;
}

size_t pii_scan_us_address(scan_ctx *sc, size_t i)
{
    const pii_detect_cfg *cfg = sc->cfg;
    if (!street_may_follow(sc, i))
        return 0;
    size_t lim = line_end_from(sc, i) - i;
    for (size_t k = 0; k < cfg->nkind[PII_KIND_US_ADDRESS]; k++) {
        uint16_t d = cfg->by_kind[PII_KIND_US_ADDRESS][k];
        const pii_detector *det = &cfg->det[d];
        if (det->re == NULL)
            continue;
        int rc = pii_detector_match(det, sc->buf + i, lim, 0, sc->ws->md, sc->ws->mctx);
        if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
            sc->ws->limit_hits++;
        if (rc < 0)
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->ws->md);
        size_t e = i + ov[1];
        if (e >= sc->len && (sc->flags & PII_SCAN_RIGHT_OPEN))
            return 0;
        if (pii_scan_report(sc, d, i, e, det->def->confidence, 0))
            return e;
    }
    return 0;
}

/* ---- user patterns ------------------------------------------------------------ */

/* Fold a matched span to compact text for a validator: digits and letters
 * (full-width folded, letters upper-cased). */
static size_t compact_span(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap;) {
        size_t clen;
        int d = pii_text_digit(p + i, n - i, &clen);
        if (d >= 0) {
            out[k++] = (char)('0' + d);
            i += clen;
        } else if (pii_text_ascii_alnum(p[i])) {
            out[k++] = (char)(p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
            i++;
        } else {
            i++;
        }
    }
    return k;
}

static void scan_regex_line(scan_ctx *sc, size_t ls, size_t le)
{
    const pii_detect_cfg *cfg = sc->cfg;
    const uint8_t *sub = sc->buf + ls;
    size_t len = le - ls;
    bool open_end = le == sc->len && (sc->flags & PII_SCAN_RIGHT_OPEN);
    for (size_t k = 0; k < cfg->nkind[PII_KIND_REGEX]; k++) {
        uint16_t d = cfg->by_kind[PII_KIND_REGEX][k];
        const pii_detector *det = &cfg->det[d];
        size_t pos = sc->from > ls ? sc->from - ls : 0;
        while (pos <= len && sc->st == PII_OK) {
            int rc = pii_detector_match(det, sub, len, pos, sc->ws->md, sc->ws->mctx);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0) {
                /* match or depth limit, or another failure: fail closed by
                 * reporting the rest of the line as this detector's finding */
                sc->ws->limit_hits++;
                if (len > pos)
                    pii_scan_report(sc, d, ls + pos, le, 100, 0);
                break;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->ws->md);
            size_t s = ov[0], e = ov[1];
            /* a named group "v" narrows the value: (?<v>...) */
            int g = pcre2_substring_number_from_name(det->re, (PCRE2_SPTR) "v");
            if (g > 0 && g < rc && ov[2 * g] != PCRE2_UNSET) {
                s = ov[2 * g];
                e = ov[2 * g + 1];
            }
            if (e > s && !(open_end && ov[1] == len)) {
                pii_cand c;
                c.ncompact = compact_span(sub + s, e - s, c.compact, sizeof(c.compact));
                unsigned factor = 100;
                if (det->validate != NULL)
                    factor = det->validate(c.compact, c.ncompact, cfg);
                if (factor > 0)
                    pii_scan_report(sc, d, ls + s, ls + e,
                                    (uint8_t)(det->def->confidence * factor / 100), 0);
            }
            pos = ov[1] > pos ? ov[1] : pos + 1;
        }
    }
}

/* User patterns run line by line: the subject is one line (or the part of
 * a long line in this window), so a match never depends on how input was
 * chunked into reads, and never crosses a newline. */
static void scan_regex(scan_ctx *sc)
{
    size_t ls = 0;
    while (ls < sc->len && sc->st == PII_OK) {
        const uint8_t *nl = memchr(sc->buf + ls, '\n', sc->len - ls);
        size_t le = nl ? (size_t)(nl - sc->buf) : sc->len;
        if (le > ls && le > sc->from)
            scan_regex_line(sc, ls, le);
        ls = le + 1;
    }
}

/* ---- driver ---------------------------------------------------------------- */

/* The class table and anchor set for cfg: a class whose detectors are all
 * off is no anchor. Digit runs start candidates of the digits, IP and US
 * address kinds only; with none of them on (-o email, -o cn_name ...) a
 * digit is no anchor, unless all_digits (the reference path, which walks
 * them with the full reader). */
static void scan_classes(const pii_detect_cfg *cfg, bool all_digits, uint8_t cls[256],
                         pii_anchor_set *as)
{
    bool want_digit = all_digits || cfg->nkind[PII_KIND_DIGITS] > 0 ||
                      cfg->nkind[PII_KIND_IPV4] > 0 || cfg->nkind[PII_KIND_IPV6] > 0 ||
                      cfg->nkind[PII_KIND_US_ADDRESS] > 0;
    bool want_upper = cfg->nkind[PII_KIND_ALNUM] > 0;
    bool want_colon = cfg->nkind[PII_KIND_IPV6] > 0;
    bool want_han = cfg->nkind[PII_KIND_CN_ADDRESS] > 0 || cfg->nkind[PII_KIND_CN_NAME] > 0;
    memcpy(cls, cls_table, 256);
    for (int c = 0; c < 256; c++) {
        if ((cls[c] == CLS_DIGIT && !want_digit) || (cls[c] == CLS_UPPER && !want_upper) ||
            (cls[c] == CLS_COLON && !want_colon) || (cls[c] == CLS_HAN && !want_han))
            cls[c] = CLS_NONE;
    }
    *as = (pii_anchor_set){want_digit, want_upper, want_colon, want_han, pii_block_filler()};
}

void pii_detect_cfg_anchors(pii_detect_cfg *cfg)
{
    scan_classes(cfg, false, cfg->cls, &cfg->anchors);
}


/* ---- Han text -------------------------------------------------------------- */

/* What starts at the Han character at i: a name needs its label here, an
 * address its label or a division name (with `shortcut` the bitmaps say
 * which can). Returns where the scan goes on, or 0 when nothing starts. */
static size_t han_at(scan_ctx *sc, size_t i, bool shortcut)
{
    const pii_detect_cfg *cfg = sc->cfg;
    const uint8_t *buf = sc->buf;
    size_t len = sc->len;
    bool name = cfg->nkind[PII_KIND_CN_NAME] > 0;
    bool addr = cfg->nkind[PII_KIND_CN_ADDRESS] > 0;
    if (shortcut) {
        bool two = len - i >= 6; /* room for two Han characters */
        unsigned pair = two ? pii_han_pair(buf + i) : 0;
        if (two && !cfg->name_pair_all && !cfg->addr_pair_all &&
            !pii_bit_test(cfg->han_pair, pair))
            return 0; /* the common case: one look-up for both */
        name = name && len - i >= 3 &&
               (cfg->name_pair_all ? pii_bit_test(cfg->han_name, pii_han_key(buf + i))
                                   : two && pii_bit_test(cfg->name_pair, pair));
        addr = addr && two && (cfg->addr_pair_all || pii_bit_test(cfg->addr_pair, pair));
    }
    size_t n1 = name ? pii_scan_cn_name(sc, i) : i;
    if (n1 > i)
        return n1;
    size_t n2 = addr ? pii_scan_cn_address(sc, i) : i;
    return n2 > i ? n2 : 0;
}

/* The Han character at i and, on the fast path, those that follow it
 * directly: when nothing starts at one and the next is another Han
 * character, that one is the next anchor (continuation bytes never are),
 * so it is looked at here without a trip round the main loop. */
static inline size_t scan_han(scan_ctx *sc, size_t i, bool shortcut)
{
    const uint8_t *b = sc->buf;
    for (;;) {
        size_t r = han_at(sc, i, shortcut);
        if (r > 0 || sc->st != PII_OK)
            return r > 0 ? r : i + 1;
        if (!shortcut || sc->len - i < 6 || (b[i + 1] & 0xC0) != 0x80 ||
            (b[i + 2] & 0xC0) != 0x80 || (unsigned)(b[i + 3] - 0xE4) >= 6u)
            return i + 1;
        i += 3;
    }
}

pii_status pii_detect_scan(const pii_detect_cfg *cfg, pii_scan_ws *ws, const uint8_t *buf,
                           size_t len, size_t from, unsigned flags, pii_findings *out)
{
    scan_ctx sc = {.cfg = cfg, .ws = ws, .buf = buf, .len = len, .from = from, .flags = flags,
                   .out = out, .st = PII_OK, .nl_from = 1, .nl_end = 0};
    out->len = 0;
    if (len == 0)
        return PII_OK; /* buf may be NULL */
    bool shortcut = (flags & PII_SCAN_NO_SHORTCUT) == 0;
    const uint8_t *cls = cfg->cls;
    uint8_t cls_all[256];
    sc.as = cfg->anchors;
    if (!shortcut) {
        /* the reference path: digits are always anchors, and the masks
         * come from the portable loop, which the vector ones must match */
        scan_classes(cfg, true, cls_all, &sc.as);
        sc.as.fill = pii_block_fill_scalar;
        cls = cls_all;
    }
    pii_block_init(&sc.blk, len);
    size_t i = 0;
    while (i < len) {
        if (shortcut) {
            i = pii_scan_find(&sc, i, PII_BLK_ANCHOR, true);
        } else {
            while (i < len && cls[buf[i]] == CLS_NONE)
                i++;
        }
        if (i >= len)
            break;
        size_t clen;
        size_t op;
        /* most anchors are digits: tested first, out of the jump table,
         * on the byte itself (an anchor that is a digit is CLS_DIGIT in
         * either path's table), which spares a load on the way */
        if (__builtin_expect(is_ascii_digit(buf[i]), 1)) {
            size_t f = shortcut ? fast_digit_run(&sc, i) : 0;
            i = f > 0 ? f : scan_number(&sc, i);
        } else switch (cls[buf[i]]) {
        case CLS_AT:
            if (cfg->nkind[PII_KIND_EMAIL] > 0)
                scan_email(&sc, i, 1);
            i++;
            break;
        case CLS_EF:
            if (pii_text_digit(buf + i, len - i, &clen) >= 0) {
                i = scan_number(&sc, i);
            } else if (len - i >= 3 && buf[i + 1] == 0xBC && buf[i + 2] == 0xA0) {
                if (cfg->nkind[PII_KIND_EMAIL] > 0)
                    scan_email(&sc, i, 3); /* full-width ＠ */
                i += 3;
            } else if ((op = open_paren(buf + i, len - i)) == 3 &&
                     pii_text_digit(buf + i + 3, len - i - 3, &clen) >= 0)
                i = scan_paren_number(&sc, i, op);
            else
                i++;
            break;
        case CLS_UPPER:
            /* on the fast path the block masks anchor only the capitals
             * that can open an alnum candidate (anchors.c) */
            i = pii_scan_alnum(&sc, i);
            break;
        case CLS_COLON: {
            /* try_ipv6 reads back to the token's start and gives up on a
             * colon there, so the colons from here on decide */
            size_t end = i;
            bool may = i + 1 < len && (buf[i + 1] == ':' || is_hex(buf[i + 1])) &&
                       (!shortcut || (i >= sc.v6_dead && ipv6_colons_ahead(&sc, i, &end)));
            if (!may && end > i)
                v6_token_dead(&sc, i, end);
            size_t e6 = may ? try_ipv6(&sc, i) : 0;
            i = e6 > i ? e6 : i + 1;
            break;
        }
        case CLS_HAN:
            i = scan_han(&sc, i, shortcut);
            break;
        default:
            i++;
            break;
        }
        if (sc.st != PII_OK)
            return sc.st;
    }
    /* bracketed numbers "(010) 8765 4321" start at the bracket, which is no
     * anchor: the main loop reaches the digits first, so look at brackets
     * in a second, cheap pass only when a digits detector is on */
    if (cfg->nkind[PII_KIND_DIGITS] > 0) {
        const uint8_t *p = buf;
        while ((p = memchr(p, '(', len - (size_t)(p - buf))) != NULL) {
            size_t at = (size_t)(p - buf);
            size_t clen;
            if (at + 1 < len && pii_text_digit(buf + at + 1, len - at - 1, &clen) >= 0 &&
                buf[at + 1] == '0')
                scan_paren_number(&sc, at, 1);
            p++;
            if (sc.st != PII_OK)
                return sc.st;
        }
    }
    if (cfg->nkind[PII_KIND_REGEX] > 0)
        scan_regex(&sc);
    if (sc.st != PII_OK)
        return sc.st;
    pii_detect_resolve(out);
    return PII_OK;
}
