/*
 * alnum.c - candidates that start with upper-case letters: IBAN, Hong Kong
 * and Taiwan IDs, passports, user detectors of kind `alnum`.
 *
 * At an upper-case letter that starts a word, a quick test rejects most
 * words (IBAN and ID shapes have at most two letters before a digit). A
 * token is then read as its first group of letters and digits, further
 * groups of 1-4 upper-case letters or digits joined by one space or hyphen
 * (the printed IBAN form), and an optional bracketed check character
 * ("A123456(3)"). Prefixes of the token that end at a group boundary are
 * offered to the `alnum` detectors, longest first.
 */
#include <string.h>

#include "common/pii_text.h"
#include "detect/scan_internal.h"

#define MAX_AGROUPS 10

typedef struct {
    size_t start, end;
    char sep;   /* separator before the group: 0, ' ' or '-' */
    bool paren; /* "(3)" */
} agroup;

static bool is_upper(uint8_t c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(uint8_t c)
{
    return pii_text_ascii_alnum(c);
}

size_t pii_scan_alnum(scan_ctx *sc, size_t i)
{
    const uint8_t *b = sc->buf;
    size_t len = sc->len;
    if (pii_scan_left_blocked(sc, i))
        return pii_scan_skip_word(sc, i);
    size_t p = i;
    while (p < len && p - i < 3 && is_upper(b[p]))
        p++;
    if (p - i > 2 || p >= len || !is_digit(b[p]))
        return pii_scan_skip_word(sc, i);

    agroup g[MAX_AGROUPS];
    int k = 0;
    /* first group: the whole word */
    size_t e = p;
    while (e < len && is_alnum(b[e]))
        e++;
    g[k++] = (agroup){i, e, 0, false};
    while (k < MAX_AGROUPS && e < len) {
        /* bracketed check character, with an optional space before */
        size_t q = e + (b[e] == ' ' ? 1 : 0);
        if (q + 2 < len && b[q] == '(' && (is_digit(b[q + 1]) || b[q + 1] == 'A') &&
            b[q + 2] == ')') {
            g[k++] = (agroup){q, q + 3, q > e ? ' ' : 0, true};
            e = q + 3;
            break;
        }
        if (b[e] != ' ' && b[e] != '-')
            break;
        size_t s = e + 1;
        size_t t = s;
        while (t < len && t - s < 5 && (is_upper(b[t]) || is_digit(b[t])))
            t++;
        if (t == s || t - s > 4 || (t < len && is_alnum(b[t])))
            break;
        g[k++] = (agroup){s, t, (char)b[e], false};
        e = t;
    }
    bool last_blocked = pii_scan_right_blocked(sc, g[k - 1].end);
    int usable = last_blocked ? k - 1 : k;

    const pii_detect_cfg *cfg = sc->cfg;
    for (int last = usable - 1; last >= 0; last--) {
        pii_cand c;
        c.nnorm = c.ncompact = 0;
        bool ok = true;
        for (int j = 0; j <= last && ok; j++) {
            size_t n = g[j].end - g[j].start;
            if (c.nnorm + n + 2 >= PII_CAND_MAX) {
                ok = false;
                break;
            }
            if (j > 0 && g[j].sep)
                c.norm[c.nnorm++] = g[j].sep;
            memcpy(c.norm + c.nnorm, b + g[j].start, n);
            c.nnorm += n;
            for (size_t x = g[j].start; x < g[j].end; x++) {
                if (is_alnum(b[x]))
                    c.compact[c.ncompact++] = (char)b[x];
            }
        }
        if (!ok)
            continue;
        for (size_t d = 0; d < cfg->nkind[PII_KIND_ALNUM]; d++) {
            uint16_t det = cfg->by_kind[PII_KIND_ALNUM][d];
            uint8_t conf = pii_scan_confirm(sc, det, &c);
            if (conf > 0 && pii_scan_report(sc, det, i, g[last].end, conf, 0))
                return g[last].end;
        }
    }
    return pii_scan_skip_word(sc, i);
}
