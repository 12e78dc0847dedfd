/*
 * fuzz_generalize.c - every function of src/transform/generalize.h on
 * fuzzed values.
 *
 * Input: one options byte, then the value (an exactly sized heap copy, so
 * reading past `n` is an ASan report). The options byte picks the date
 * unit, the address level, the IPv4 prefix, the band / top of the number
 * and the max_days of the keyed shift, whose result (under a fixed key, of
 * the value itself) is the shift applied to the date. Every call appends
 * to a buffer that already holds a sentinel, which must survive. Checks:
 *   all        PII_OK or PII_E_PARSE only; on PII_E_PARSE out unchanged;
 *              leading / trailing spaces of the value around every result;
 *   number     accepted exactly when the value is [-+]?d+(.d+)? with at
 *              most 18 digits (a grammar written here); a band holds
 *              floor(v) (computed here) and has the band's width; a value
 *              below top without a band comes back unchanged;
 *   date       day / month / year agree on acceptance; the day result
 *              re-parses to itself, month and year results are prefixes of
 *              it; a shift by 0 is the identity; a shifted date re-parses,
 *              and shifting it back gives the input exactly - or, only when
 *              the padding inferred from the shifted date (the rule of
 *              generalize.h, restated here) is not the input's, the input
 *              up to zero padding;
 *   shift      in [-max, max] and the same on a second call;
 *   ipv4       status and result equal to a reference dotted-quad parser;
 *   address    a coarser level succeeds only if the finer ones do, and its
 *              result is a prefix of theirs; a result re-generalizes to
 *              itself, or (a lone ambiguous name) to a result ending in it.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_helpers.h"
#include "transform/generalize.h"

#define BUF_CAP      ((size_t)1 << 22)
#define SENTINEL     "sentinel:"
#define SENTINEL_LEN (sizeof(SENTINEL) - 1)

static const uint8_t shift_key[32] = {0x70, 0x69, 0x69, 0x73, 0x63, 0x72, 0x75, 0x62, 1,  2,  3,
                                      4,    5,    6,    7,    8,    9,    10,   11,   12, 13, 14,
                                      15,   16,   17,   18,   19,   20,   21,   22,   23, 24};

static const struct {
    long band;
    bool has_top;
    double top;
} num_params[8] = {
    {10, false, 0},  {1, false, 0},  {10, true, 90},   {0, true, 1e6},
    {7, true, 99.5}, {0, true, 0.1}, {1000, true, -5}, {LONG_MAX, true, -1e-7},
};

static const long max_days[4] = {1, 3, 400, 3300000};

/* ---- buffers -------------------------------------------------------------- */

static void buf_start(pii_buf *b)
{
    pii_buf_init(b, BUF_CAP);
    FUZZ_ASSERT(pii_buf_append(b, SENTINEL, SENTINEL_LEN) == PII_OK);
}

/* The status contract; returns the result (after the sentinel). */
static const uint8_t *check_status(pii_status st, const pii_buf *b, size_t *len)
{
    FUZZ_ASSERT_MSG(st == PII_OK || st == PII_E_PARSE, "status other than OK / PARSE");
    FUZZ_ASSERT_MSG(b->len >= SENTINEL_LEN && memcmp(b->ptr, SENTINEL, SENTINEL_LEN) == 0,
                    "earlier output changed");
    if (st == PII_E_PARSE)
        FUZZ_ASSERT_MSG(b->len == SENTINEL_LEN, "output appended on PII_E_PARSE");
    *len = b->len - SENTINEL_LEN;
    return b->ptr + SENTINEL_LEN;
}

/* Leading / trailing ASCII spaces of v. */
static void spaces(const uint8_t *v, size_t n, size_t *lead, size_t *trail)
{
    size_t i = 0, j = n;
    while (i < j && v[i] == ' ')
        i++;
    while (j > i && v[j - 1] == ' ')
        j--;
    *lead = i;
    *trail = n - j;
}

/* r[0, rn) = v's spaces around a body; returns the body. */
static const uint8_t *check_spaces(const uint8_t *v, size_t n, const uint8_t *r, size_t rn,
                                   size_t *body_len)
{
    size_t lead, trail;
    spaces(v, n, &lead, &trail);
    FUZZ_ASSERT_MSG(rn > lead + trail, "empty result");
    for (size_t i = 0; i < lead; i++)
        FUZZ_ASSERT_MSG(r[i] == ' ', "leading spaces not kept");
    for (size_t i = 0; i < trail; i++)
        FUZZ_ASSERT_MSG(r[rn - 1 - i] == ' ', "trailing spaces not kept");
    FUZZ_ASSERT_MSG(r[lead] != ' ' && r[rn - trail - 1] != ' ', "spaces added");
    *body_len = rn - lead - trail;
    return r + lead;
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* ---- numbers ----------------------------------------------------------------- */

/* [-+]?d+(.d+)?, at most 18 digits: floor(v) in *fl. */
static bool ref_number(const uint8_t *s, size_t n, long long *fl)
{
    size_t i = 0, digits = 0;
    bool neg = false, frac = false;
    long long ip = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    size_t st = i;
    while (i < n && is_digit(s[i])) {
        if (++digits > 18)
            return false;
        ip = ip * 10 + (s[i] - '0');
        i++;
    }
    if (i == st)
        return false;
    if (i < n && s[i] == '.') {
        size_t fs = ++i;
        while (i < n && is_digit(s[i])) {
            if (++digits > 18)
                return false;
            frac |= s[i] != '0';
            i++;
        }
        if (i == fs)
            return false;
    }
    if (i != n)
        return false;
    *fl = neg ? -ip - (frac ? 1 : 0) : ip;
    return true;
}

/* A signed decimal integer at s[*i]. */
static long long read_ll(const uint8_t *s, size_t n, size_t *i)
{
    bool neg = false;
    long long x = 0;
    if (*i < n && s[*i] == '-') {
        neg = true;
        (*i)++;
    }
    size_t st = *i;
    while (*i < n && is_digit(s[*i])) {
        FUZZ_ASSERT_MSG(!__builtin_mul_overflow(x, 10, &x) &&
                            !__builtin_add_overflow(x, s[*i] - '0', &x),
                        "band end out of range");
        (*i)++;
    }
    FUZZ_ASSERT_MSG(*i > st, "band end without digits");
    return neg ? -x : x;
}

static void check_number(const uint8_t *v, size_t n, unsigned opt)
{
    long band = num_params[opt].band;
    bool has_top = num_params[opt].has_top;
    double top = num_params[opt].top;
    pii_buf b;
    buf_start(&b);
    pii_status st = pii_gen_number(v, n, band, has_top, top, &b);
    size_t rn;
    const uint8_t *r = check_status(st, &b, &rn);
    size_t lead, trail;
    spaces(v, n, &lead, &trail);
    long long fl = 0;
    bool ok = lead + trail < n && ref_number(v + lead, n - lead - trail, &fl);
    FUZZ_ASSERT_MSG(ok == (st == PII_OK), "number accepted differently from the grammar");
    if (st != PII_OK) {
        pii_buf_free(&b);
        return;
    }
    size_t bl;
    const uint8_t *body = check_spaces(v, n, r, rn, &bl);
    bool topped = body[bl - 1] == '+';
    if (has_top) {
        /* roughly (the exact comparison is the unit tests'): topped when
         * v >= top, not when v < top */
        char num[32];
        memcpy(num, v + lead, n - lead - trail);
        num[n - lead - trail] = '\0';
        double dv = strtod(num, NULL);
        double tol = 1e-12 * (top < 0 ? -top : top) + 1e-300;
        if (topped)
            FUZZ_ASSERT_MSG(dv >= top - tol, "top-coded below top");
        else
            FUZZ_ASSERT_MSG(dv <= top + tol, "not top-coded above top");
    }
    if (topped) {
        FUZZ_ASSERT_MSG(has_top, "top-coded without a top");
    } else if (band <= 0) {
        FUZZ_ASSERT_MSG(rn == n && memcmp(r, v, n) == 0, "value below top changed");
    } else {
        size_t i = 0;
        long long lo = read_ll(body, bl, &i), hi = lo;
        if (band != 1) {
            FUZZ_ASSERT_MSG(i < bl && body[i] == '-', "band without '-'");
            i++;
            hi = read_ll(body, bl, &i);
        }
        FUZZ_ASSERT_MSG(i == bl, "text after the band");
        FUZZ_ASSERT_MSG(lo <= fl && fl <= hi, "band does not hold floor(v)");
        FUZZ_ASSERT_MSG(hi - lo == band - 1, "band of the wrong width");
        FUZZ_ASSERT_MSG(lo % band == 0, "band not aligned");
    }
    pii_buf_free(&b);
}

/* ---- dates --------------------------------------------------------------------- */

/* The zero padding of month and day that generalize.h infers from a date
 * as written: a component's own (one digit: none; a leading zero: padded),
 * else the other component's, else the form's default (padded for '-',
 * '.' and 8 digits, unpadded for '/' and 年). s holds an accepted date. */
static unsigned date_pads(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    FUZZ_ASSERT(n - i >= 8);
    i += 4;
    if (is_digit(s[i]))
        return 3u; /* 8 digits: always padded */
    bool def = s[i] == '-' || s[i] == '.';
    i += (s[i] == '-' || s[i] == '/' || s[i] == '.') ? 1 : 3;
    int e[2]; /* 0 unknown, 1 padded, 2 unpadded */
    for (int k = 0; k < 2; k++) {
        size_t st = i, x = 0;
        while (i < n && is_digit(s[i]))
            x = x * 10 + (size_t)(s[i++] - '0');
        e[k] = i - st == 1 ? 2 : x < 10 ? 1 : 0;
        i += (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.')) ? 1 : 3;
    }
    unsigned pads = 0;
    for (int k = 0; k < 2; k++) {
        int f = e[k] != 0 ? e[k] : e[1 - k] != 0 ? e[1 - k] : (def ? 1 : 2);
        pads |= (f == 1 ? 1u : 0u) << k;
    }
    return pads;
}

/* s without zeros that pad a month or a day (after '-', '/', '.', 年, 月). */
static size_t unpad(const uint8_t *s, size_t n, uint8_t *o)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool after_sep = i > 0 && (s[i - 1] == '-' || s[i - 1] == '/' || s[i - 1] == '.');
        bool after_cjk = i >= 3 && ((memcmp(s + i - 3, "\xe5\xb9\xb4", 3) == 0) ||
                                    memcmp(s + i - 3, "\xe6\x9c\x88", 3) == 0);
        if (s[i] == '0' && (after_sep || after_cjk) && i + 1 < n && is_digit(s[i + 1]))
            continue;
        o[k++] = s[i];
    }
    return k;
}

static bool same(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static void check_date(const uint8_t *v, size_t n, unsigned opt)
{
    pii_buf day, month, year, s0;
    buf_start(&day);
    buf_start(&month);
    buf_start(&year);
    buf_start(&s0);
    pii_status sd = pii_gen_date(v, n, PII_GEN_DAY, &day);
    pii_status sm = pii_gen_date(v, n, PII_GEN_MONTH, &month);
    pii_status sy = pii_gen_date(v, n, PII_GEN_YEAR, &year);
    pii_status s00 = pii_gen_date_shift(v, n, 0, &s0);
    size_t dn, mn, yn, zn;
    const uint8_t *d = check_status(sd, &day, &dn);
    const uint8_t *m = check_status(sm, &month, &mn);
    const uint8_t *y = check_status(sy, &year, &yn);
    const uint8_t *z = check_status(s00, &s0, &zn);
    FUZZ_ASSERT_MSG(sd == sm && sd == sy && sd == s00, "date units disagree on acceptance");
    if (sd == PII_OK) {
        size_t dl, ml, yl;
        const uint8_t *db = check_spaces(v, n, d, dn, &dl);
        const uint8_t *mb = check_spaces(v, n, m, mn, &ml);
        const uint8_t *yb = check_spaces(v, n, y, yn, &yl);
        FUZZ_ASSERT_MSG(ml < dl && memcmp(mb, db, ml) == 0, "month is not a prefix of the day");
        FUZZ_ASSERT_MSG(yl < ml && memcmp(yb, db, yl) == 0, "year is not a prefix of the day");
        FUZZ_ASSERT_MSG(same(z, zn, v, n), "shift by 0 changed the date");
        /* the day result re-parses to itself */
        uint8_t *dc = fuzz_dup_exact(d, dn);
        pii_buf again;
        buf_start(&again);
        size_t an;
        const uint8_t *a = check_status(pii_gen_date(dc, dn, PII_GEN_DAY, &again), &again, &an);
        FUZZ_ASSERT_MSG(same(a, an, d, dn), "day result does not re-parse to itself");
        pii_buf_free(&again);
        free(dc);

        /* a keyed shift of the value, and back */
        long maxd = max_days[opt & 3u];
        long k = pii_gen_shift_days(shift_key, v, n, maxd);
        FUZZ_ASSERT_MSG(k >= -maxd && k <= maxd, "shift out of range");
        FUZZ_ASSERT_MSG(k == pii_gen_shift_days(shift_key, v, n, maxd), "shift not deterministic");
        pii_buf fwd;
        buf_start(&fwd);
        size_t fn;
        pii_status sf = pii_gen_date_shift(v, n, k, &fwd);
        const uint8_t *f = check_status(sf, &fwd, &fn);
        if (sf == PII_OK) {
            check_spaces(v, n, f, fn, &dl);
            uint8_t *fc = fuzz_dup_exact(f, fn);
            pii_buf chk, back;
            buf_start(&chk);
            buf_start(&back);
            size_t cn, bn;
            (void)check_status(pii_gen_date(fc, fn, PII_GEN_DAY, &chk), &chk, &cn);
            FUZZ_ASSERT_MSG(cn > 0, "shifted date does not re-parse");
            const uint8_t *bk = check_status(pii_gen_date_shift(fc, fn, -k, &back), &back, &bn);
            FUZZ_ASSERT_MSG(bn > 0, "shifting back failed");
            if (!same(bk, bn, v, n)) {
                FUZZ_ASSERT_MSG(date_pads(f, fn) != date_pads(v, n), "round trip changed the date");
                uint8_t *u1 = malloc(bn + 1), *u2 = malloc(n + 1);
                FUZZ_ASSERT(u1 != NULL && u2 != NULL);
                size_t l1 = unpad(bk, bn, u1), l2 = unpad(v, n, u2);
                FUZZ_ASSERT_MSG(same(u1, l1, u2, l2), "round trip changed more than padding");
                free(u1);
                free(u2);
            }
            pii_buf_free(&chk);
            pii_buf_free(&back);
            free(fc);
        }
        pii_buf_free(&fwd);
    }
    pii_buf_free(&day);
    pii_buf_free(&month);
    pii_buf_free(&year);
    pii_buf_free(&s0);
}

/* ---- IPv4 ----------------------------------------------------------------------- */

static bool ref_ipv4(const uint8_t *s, size_t n, unsigned oct[4])
{
    size_t i = 0;
    for (int q = 0; q < 4; q++) {
        if (q > 0) {
            if (i >= n || s[i] != '.')
                return false;
            i++;
        }
        size_t st = i;
        unsigned x = 0;
        while (i < n && is_digit(s[i]) && i - st < 4)
            x = x * 10 + (unsigned)(s[i++] - '0');
        size_t len = i - st;
        if (len == 0 || len > 3 || x > 255 || (len > 1 && s[st] == '0'))
            return false;
        oct[q] = x;
    }
    return i == n;
}

static void check_ipv4(const uint8_t *v, size_t n, unsigned prefix)
{
    pii_buf b;
    buf_start(&b);
    pii_status st = pii_gen_ipv4(v, n, prefix, &b);
    size_t rn;
    const uint8_t *r = check_status(st, &b, &rn);
    size_t lead, trail;
    unsigned oct[4];
    spaces(v, n, &lead, &trail);
    bool ok = lead + trail < n && ref_ipv4(v + lead, n - lead - trail, oct);
    FUZZ_ASSERT_MSG(ok == (st == PII_OK), "IPv4 accepted differently from the reference");
    if (ok) {
        for (unsigned q = prefix / 8; q < 4; q++)
            oct[q] = 0;
        char want[32];
        int wl =
            snprintf(want, sizeof(want), "%u.%u.%u.%u/%u", oct[0], oct[1], oct[2], oct[3], prefix);
        size_t bl;
        const uint8_t *body = check_spaces(v, n, r, rn, &bl);
        FUZZ_ASSERT_MSG(same(body, bl, (const uint8_t *)want, (size_t)wl), "IPv4 network");
    }
    pii_buf_free(&b);
}

/* ---- addresses ------------------------------------------------------------------- */

static void check_address(const uint8_t *v, size_t n)
{
    pii_buf b[3];
    pii_status st[3];
    const uint8_t *body[3];
    size_t bl[3];
    for (int lv = 0; lv < 3; lv++) {
        buf_start(&b[lv]);
        st[lv] = pii_gen_address(v, n, (pii_gen_level)(lv + 1), &b[lv]);
        size_t rn;
        const uint8_t *r = check_status(st[lv], &b[lv], &rn);
        if (st[lv] == PII_OK)
            body[lv] = check_spaces(v, n, r, rn, &bl[lv]);
    }
    for (int lv = 0; lv < 2; lv++) {
        if (st[lv] == PII_OK) {
            FUZZ_ASSERT_MSG(st[lv + 1] == PII_OK, "coarser level succeeds where a finer fails");
            FUZZ_ASSERT_MSG(bl[lv] <= bl[lv + 1] && memcmp(body[lv], body[lv + 1], bl[lv]) == 0,
                            "coarser result is not a prefix of the finer one");
        }
    }
    for (int lv = 0; lv < 3; lv++) {
        if (st[lv] != PII_OK)
            continue;
        uint8_t *c = fuzz_dup_exact(body[lv], bl[lv]);
        pii_buf again;
        buf_start(&again);
        size_t an;
        const uint8_t *a =
            check_status(pii_gen_address(c, bl[lv], (pii_gen_level)(lv + 1), &again), &again, &an);
        FUZZ_ASSERT_MSG(an > 0, "address result does not re-parse");
        if (st[0] == PII_OK)
            FUZZ_ASSERT_MSG(same(a, an, body[lv], bl[lv]), "address result not canonical");
        else
            FUZZ_ASSERT_MSG(an >= bl[lv] && memcmp(a + an - bl[lv], body[lv], bl[lv]) == 0,
                            "lone name re-parses to something else");
        pii_buf_free(&again);
        free(c);
    }
    for (int lv = 0; lv < 3; lv++)
        pii_buf_free(&b[lv]);
}

/* ---- driver ----------------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned opt = data[0];
    size_t n = size - 1;
    uint8_t *v = fuzz_dup_exact(data + 1, n);
    static const unsigned prefixes[4] = {8, 16, 24, 24};

    check_number(v, n, opt >> 5);
    check_date(v, n, opt);
    check_ipv4(v, n, prefixes[(opt >> 2) & 3u]);
    check_address(v, n);
    /* the shift on its own, with every max */
    for (int i = 0; i < 4; i++) {
        long k = pii_gen_shift_days(shift_key, v, n, max_days[i]);
        FUZZ_ASSERT_MSG(k >= -max_days[i] && k <= max_days[i], "shift out of range");
    }
    free(v);
    return 0;
}
