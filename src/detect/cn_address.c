/*
 * cn_address.c - Chinese postal addresses.
 *
 * An address starts at a division name from the gazetteer (province, city
 * or county, full or short form) or right after an address label from the
 * detector's `context` list (地址, 收货地址, 寄到...). From there it is read
 * as a sequence of parts, large to small:
 *   - more division names (吉林省 长春市 宽城区);
 *   - a number followed by a unit (170号, 25栋, 3单元, 1306室, B座, 8#楼);
 *   - a name segment: up to 12 Han characters that either precede such a
 *     number (融创玖樟台 | 25栋) or end with a road or estate word
 *     (自由大路, 科技大厦, 幸福小区).
 * Reading stops at punctuation, a line end, or text that fits none of the
 * parts (the chat that follows: …1306室，好的 ends before '，'). A span is
 * an address when it has a house or unit number and a road, estate or
 * building part; a division name alone, or a date after a city name
 * (北京时间10点), is not. The division names at the front are kept by
 * `mask: address`; `aux` carries their length.
 */
#include <string.h>

#include "common/pii_text.h"
#include "detect/gazetteer.h"
#include "detect/scan_internal.h"

#define MAX_SEG_CHARS 12
#define MAX_PARTS 20

typedef struct {
    const char *s;
    bool road;     /* a road-level part (has_road) */
    bool building; /* a building-level unit (has_bldg) */
} token;

/* Units after a number, longest first. */
static const token units[] = {
    {"号楼", false, true}, {"号院", false, true}, {"号门", false, false},
    {"单元", false, true}, {"号", false, false},  {"栋", false, true},
    {"幢", false, true},   {"座", false, true},   {"层", false, true},
    {"楼", false, true},   {"室", false, true},   {"房", false, true},
    {"户", false, true},   {"弄", true, false},   {"巷", true, false},
    {"组", false, false},  {"期", false, false},  {"段", true, false},
    {"排", false, false},  {"铺", false, true},
};

/* Words that end a road or estate name segment, longest first. */
static const token seg_ends[] = {
    {"工业园", false, false}, {"科技园", false, false}, {"大街", true, false},
    {"大道", true, false},    {"胡同", true, false},    {"环路", true, false},
    {"公路", true, false},    {"街道", true, false},    {"社区", true, false},
    {"小区", true, false},    {"花园", false, false},   {"广场", false, false},
    {"大厦", false, true},    {"中心", false, false},   {"公寓", false, true},
    {"家园", false, false},   {"新村", true, false},    {"山庄", false, false},
    {"华庭", false, false},   {"公馆", false, false},   {"雅居", false, false},
    {"名苑", false, false},   {"大楼", false, true},    {"商城", false, false},
    {"市场", false, false},   {"路", true, false},      {"街", true, false},
    {"道", true, false},      {"巷", true, false},      {"弄", true, false},
    {"里", true, false},      {"村", true, false},      {"镇", true, false},
    {"乡", true, false},      {"苑", false, false},     {"园", false, false},
    {"府", false, false},     {"城", false, false},
};

static const char *const cn_numerals[] = {"一", "二", "三", "四", "五", "六", "七",
                                          "八", "九", "十", "百", "零", "〇", "两"};

static const token *match_token(const uint8_t *p, size_t n, const token *set, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        /* set[i].s is a prefix of p[0, n): compared in place, most tokens
         * fail on the first byte or two (no strlen, no memcmp call) */
        const uint8_t *t = (const uint8_t *)set[i].s;
        size_t j = 0;
        while (t[j] != 0 && j < n && p[j] == t[j])
            j++;
        if (t[j] == 0)
            return &set[i];
    }
    return NULL;
}

static size_t cn_numeral_len(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < sizeof(cn_numerals) / sizeof(cn_numerals[0]); i++) {
        if (n >= 3 && memcmp(p, cn_numerals[i], 3) == 0)
            return 3;
    }
    return 0;
}

/* Length of a house/unit number at p: digits (ASCII or full-width) with
 * inner '-' (3-2-501), or Chinese numerals, or one upper-case letter (B座);
 * an optional trailing '#' (8#楼). 0 when none. */
static size_t number_len(const uint8_t *p, size_t n)
{
    size_t q = 0, clen;
    if (n >= 1 && p[0] >= 'A' && p[0] <= 'Z' && (n < 2 || !pii_text_ascii_alnum(p[1])))
        return 1;
    bool any = false;
    for (;;) {
        if (q < n && pii_text_digit(p + q, n - q, &clen) >= 0) {
            q += clen;
            any = true;
        } else if (q < n && (clen = cn_numeral_len(p + q, n - q)) > 0) {
            q += clen;
            any = true;
        } else if (any && q + 1 < n && p[q] == '-' && pii_text_digit(p + q + 1, n - q - 1, &clen) >= 0) {
            q++;
        } else {
            break;
        }
    }
    if (!any)
        return 0;
    if (q < n && p[q] >= 'A' && p[q] <= 'Z' && (q + 1 >= n || !pii_text_ascii_alnum(p[q + 1])))
        q++; /* 12A号 */
    if (q < n && p[q] == '#')
        q++;
    return q;
}

static size_t skip_seps(const uint8_t *b, size_t len, size_t p)
{
    for (int k = 0; k < 2 && p < len; k++) {
        if (b[p] == ':' || b[p] == ' ')
            p++;
        else if (p + 3 <= len && b[p] == 0xEF && b[p + 1] == 0xBC && b[p + 2] == 0x9A)
            p += 3; /* ： */
        else
            break;
    }
    return p;
}

/* Read the address that starts at `start`; returns its end, or 0. *div_end
 * receives the end of the leading division names. */
static size_t read_address(const scan_ctx *sc, size_t start, bool labelled, size_t *div_end)
{
    const uint8_t *b = sc->buf;
    size_t len = sc->len;
    size_t p = start;
    int ndiv = 0;
    pii_gaz_hit h;
    size_t last_div = p;
    while (p < len && pii_gazetteer_match(b + p, len - p, &h)) {
        last_div = p;
        p += h.len;
        ndiv++;
        if (p + 1 < len && b[p] == ' ' && pii_gazetteer_match(b + p + 1, len - p - 1, &h))
            p++;
    }
    *div_end = p;
    /* a division name right before a road word names the road (中山|北路,
     * 天河|路): it is part of the detail, not of the kept prefix */
    if (ndiv > 0 && len - p >= 3) {
        size_t q = p;
        if (len - p >= 6 && (memcmp(b + p, "北", 3) == 0 || memcmp(b + p, "南", 3) == 0 ||
                             memcmp(b + p, "东", 3) == 0 || memcmp(b + p, "西", 3) == 0 ||
                             memcmp(b + p, "中", 3) == 0))
            q += 3;
        const token *t = match_token(b + q, len - q, seg_ends, sizeof(seg_ends) / sizeof(seg_ends[0]));
        if (t != NULL && t->road)
            *div_end = last_div;
    }
    if (ndiv == 0 && !labelled)
        return 0;
    bool has_num = false, has_road = false, has_bldg = false;
    bool after_bldg = false;
    bool after_div = ndiv > 0;
    size_t good = p;
    for (int part = 0; part < MAX_PARTS && p < len; part++) {
        /* one space may separate parts: 南山区 科技园路, 张江路 123 号 */
        if ((b[p] == ' ' || b[p] == '\t') && p + 1 < len && b[p + 1] != ' ')
            p++;
        else if (len - p >= 3 && b[p] == 0xE3 && b[p + 1] == 0x80 && b[p + 2] == 0x80)
            p += 3;
        /* more division names (a township after the county; 七里河区) */
        if (pii_gazetteer_match(b + p, len - p, &h)) {
            p += h.len;
            after_div = true;
            continue;
        }
        /* number + unit */
        size_t nl = number_len(b + p, len - p);
        if (nl > 0) {
            size_t sp = p + nl < len && b[p + nl] == ' ' ? 1 : 0; /* 123 号 */
            const token *u = match_token(b + p + nl + sp, len - p - nl - sp, units,
                                         sizeof(units) / sizeof(units[0]));
            if (u != NULL) {
                p += nl + sp + strlen(u->s);
                has_num = true;
                has_road |= u->road;
                has_bldg |= u->building;
                after_bldg = u->building;
                after_div = false;
                good = p;
                continue;
            }
            /* a bare room number after a building unit: B座2501 */
            size_t clen;
            if (after_bldg && (p + nl >= len || (!pii_scan_is_han(b + p + nl, len - p - nl) &&
                                                 !pii_text_is_wordchar(b + p + nl, len - p - nl,
                                                                       &clen)))) {
                p += nl;
                good = p;
            }
            if (nl > 0 && !pii_scan_is_han(b + p, len - p))
                break; /* digits without a unit end the address */
        }
        after_bldg = false;
        /* a name segment: Han characters up to a digit, or up to a Chinese
         * numeral that starts a number + unit (五四路 is a name, 二期 a unit) */
        size_t q = p;
        int chars = 0;
        while (q < len && chars < MAX_SEG_CHARS && pii_scan_is_han(b + q, len - q)) {
            size_t nq0 = cn_numeral_len(b + q, len - q) ? number_len(b + q, len - q) : 0;
            if (q > p && nq0 > 0 &&
                match_token(b + q + nq0, len - q - nq0, units, sizeof(units) / sizeof(units[0])))
                break;
            q += 3;
            chars++;
        }
        if (q == p)
            break;
        /* the furthest road/estate word ending inside the segment; right after
         * a division name the segment may be the road word alone (江汉|路) */
        size_t best = 0;
        const token *bt = NULL;
        for (size_t x = p; x < q; x += 3) {
            const token *t = match_token(b + x, q - x, seg_ends, sizeof(seg_ends) / sizeof(seg_ends[0]));
            if (t != NULL && (x > p || after_div) && x + strlen(t->s) > best) {
                best = x + strlen(t->s);
                bt = t;
            }
        }
        size_t nq = number_len(b + q, len - q);
        bool unit_follows = nq > 0 && match_token(b + q + nq, len - q - nq, units,
                                                  sizeof(units) / sizeof(units[0])) != NULL;
        after_div = false;
        if (unit_follows && (best == q || best == 0 || chars <= 8)) {
            /* the whole segment names the road or estate before a number */
            if (bt != NULL && best == q)
                has_road |= bt->road;
            else if (bt != NULL)
                has_road |= bt->road;
            p = q;
            continue;
        }
        if (bt == NULL)
            break;
        has_road |= bt->road;
        has_bldg |= bt->building;
        p = best;
        good = p;
    }
    if (!has_num || !(has_road || has_bldg))
        return 0;
    if (ndiv == 0 && !has_road)
        return 0;
    if (good >= len && (sc->flags & PII_SCAN_RIGHT_OPEN))
        return 0;
    return good;
}

size_t pii_scan_cn_address(scan_ctx *sc, size_t i)
{
    const uint8_t *b = sc->buf;
    const pii_detect_cfg *cfg = sc->cfg;
    for (size_t k = 0; k < cfg->nkind[PII_KIND_CN_ADDRESS]; k++) {
        uint16_t d = cfg->by_kind[PII_KIND_CN_ADDRESS][k];
        size_t start = i;
        bool labelled = false;
        size_t ll = pii_scan_label_at(&cfg->det[d], b + i, sc->len - i);
        if (ll > 0) {
            start = skip_seps(b, sc->len, i + ll);
            labelled = true;
        } else if (!pii_gazetteer_may_start(b + i, sc->len - i)) {
            return i;
        }
        size_t div_end;
        size_t end = read_address(sc, start, labelled, &div_end);
        if (end == 0)
            return labelled ? i + ll : i; /* the separators are scanned like any text */
        pii_cand c;
        size_t n = end - start < PII_CAND_MAX ? end - start : PII_CAND_MAX;
        memcpy(c.norm, b + start, n);
        c.nnorm = n;
        memcpy(c.compact, b + start, n);
        c.ncompact = (end - start) / 3;
        uint8_t conf = pii_scan_confirm(sc, d, &c);
        size_t keep = div_end - start;
        if (conf > 0 && pii_scan_report(sc, d, start, end, conf, (uint16_t)(keep < 0xFFFF ? keep : 0)))
            return end;
        return i + 3;
    }
    return i;
}
