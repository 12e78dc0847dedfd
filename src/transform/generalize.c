/*
 * generalize.c - generalization: a value made coarser instead of hidden.
 *
 * Every function trims the ASCII spaces around the value, parses the rest
 * strictly and appends lead + result + trail to out; anything it does not
 * understand is PII_E_PARSE with out restored to its original length (the
 * caller fails closed). No floating-point arithmetic touches a value:
 *   numbers    are read as exact decimals (at most 18 digits); the band
 *              ends are integers of floor(v); the top-coding threshold, a
 *              double, is first written as the shortest decimal that reads
 *              back as the same double (no exponent) and the value is
 *              compared with that decimal digit by digit, so "90+" and
 *              "0.1+" hold exactly the values >= 90 and >= 0.1;
 *   dates      use Howard Hinnant's days_from_civil / civil_from_days
 *              (proleptic Gregorian, valid for any year) for the shift; the
 *              output keeps the input's separators, zero padding and time;
 *   shifts     are BLAKE2b-64 of the subject under the key, reduced to
 *              [-max, max] by rejection so that every day is equally likely;
 *   addresses  are read as a chain of gazetteer division names, each below
 *              the previous one, and rewritten from the deepest division up
 *              through pii_gazetteer_parent as canonical full names.
 */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_compiler.h"
#include "common/pii_text.h"
#include "detect/gazetteer.h"
#include "transform/generalize.h"

/* ---- common ----------------------------------------------------------------- */

/* The value without its leading and trailing ASCII spaces: v[*a, *b). */
static void trim_spaces(const uint8_t *v, size_t n, size_t *a, size_t *b)
{
    size_t i = 0, j = n;
    while (i < j && v[i] == ' ')
        i++;
    while (j > i && v[j - 1] == ' ')
        j--;
    *a = i;
    *b = j;
}

static bool is_digit(uint8_t c)
{
    return (unsigned)(c - '0') < 10u;
}

/* Append pieces to out; on failure out goes back to `start`. */
static pii_status put(pii_buf *out, size_t start, const void *p, size_t n)
{
    pii_status st = pii_buf_append(out, p, n);
    if (st != PII_OK)
        out->len = start;
    return st;
}

/* ---- numbers ---------------------------------------------------------------- */

/* What the band needs of a decimal value: sign, integer part, fraction. */
typedef struct {
    bool neg;    /* a '-' was written and the value is not 0 (-0 is 0) */
    uint64_t ip; /* integer part, < 10^18 */
    bool frac;   /* a non-zero fraction */
} gen_dec;

#define GEN_MAX_DIGITS 18

static bool parse_dec(const uint8_t *s, size_t n, gen_dec *d)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    uint64_t ip = 0;
    bool frac = false;
    unsigned digits = 0;
    size_t int_start = i;
    while (i < n && is_digit(s[i])) {
        if (++digits > GEN_MAX_DIGITS)
            return false;
        ip = ip * 10u + (uint64_t)(s[i] - '0');
        i++;
    }
    if (i == int_start)
        return false;
    if (i < n && s[i] == '.') {
        size_t frac_start = ++i;
        while (i < n && is_digit(s[i])) {
            if (++digits > GEN_MAX_DIGITS)
                return false;
            frac |= s[i] != '0';
            i++;
        }
        if (i == frac_start)
            return false;
    }
    if (i != n)
        return false;
    d->neg = neg && (ip != 0 || frac);
    d->ip = ip;
    d->frac = frac;
    return true;
}

/* Longest format_top result: "-0." + 323 zeros + 17 digits. */
#define GEN_TOP_MAX 343

/*
 * The shortest decimal that reads back (strtod) as top, written without an
 * exponent: 90, 1000000, 99.5, 0.001, -5; at most GEN_TOP_MAX characters.
 * Locale-proof: only the digits and the exponent of %e are used.
 */
static size_t format_top(double top, char buf[GEN_TOP_MAX])
{
    char e[40];
    if (top == 0.0) {
        buf[0] = '0';
        return 1;
    }
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(e, sizeof(e), "%.*e", prec - 1, top);
        if (strtod(e, NULL) == top)
            break;
    }
    snprintf(e, sizeof(e), "%.*e", prec - 1, top);
    char dig[24];
    size_t nd = 0, i = 0, k = 0;
    bool neg = e[0] == '-';
    if (neg)
        i++;
    for (; e[i] != '\0' && e[i] != 'e' && e[i] != 'E'; i++) {
        if (is_digit((uint8_t)e[i]) && nd < sizeof(dig))
            dig[nd++] = e[i];
    }
    long ex = 0;
    bool eneg = false;
    if (e[i] != '\0')
        i++;
    if (e[i] == '-' || e[i] == '+')
        eneg = e[i++] == '-';
    for (; is_digit((uint8_t)e[i]); i++)
        ex = ex * 10 + (e[i] - '0');
    if (eneg)
        ex = -ex;
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    /* value = 0.dig * 10^(ex + 1) */
    long ipos = ex + 1; /* digits before the point */
    if (neg)
        buf[k++] = '-';
    if (ipos <= 0) {
        buf[k++] = '0';
        buf[k++] = '.';
        for (long z = 0; z < -ipos; z++)
            buf[k++] = '0';
        memcpy(buf + k, dig, nd);
        k += nd;
    } else {
        for (long j = 0; j < ipos; j++)
            buf[k++] = (size_t)j < nd ? dig[j] : '0';
        if ((size_t)ipos < nd) {
            buf[k++] = '.';
            memcpy(buf + k, dig + ipos, nd - (size_t)ipos);
            k += nd - (size_t)ipos;
        }
    }
    return k;
}

/* Sign of |a| - |b| for two plain decimals (digits, optionally '.' and
 * digits), exactly: integer digits without leading zeros by length then
 * digit by digit, then the fractions digit by digit. */
static int cmp_plain(const char *a, size_t an, const char *b, size_t bn)
{
    const char *pa = memchr(a, '.', an), *pb = memchr(b, '.', bn);
    size_t ai = pa ? (size_t)(pa - a) : an, bi = pb ? (size_t)(pb - b) : bn;
    size_t za = 0, zb = 0;
    while (za < ai && a[za] == '0')
        za++;
    while (zb < bi && b[zb] == '0')
        zb++;
    if (ai - za != bi - zb)
        return ai - za < bi - zb ? -1 : 1;
    int c = memcmp(a + za, b + zb, ai - za);
    if (c != 0)
        return c < 0 ? -1 : 1;
    const char *fa = pa ? pa + 1 : a + an, *fb = pb ? pb + 1 : b + bn;
    size_t fan = (size_t)(a + an - fa), fbn = (size_t)(b + bn - fb);
    for (size_t i = 0; i < fan || i < fbn; i++) {
        char x = i < fan ? fa[i] : '0', y = i < fbn ? fb[i] : '0';
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

/* floor(a / b) for b > 0. */
static long long floor_div(long long a, long long b)
{
    long long q = a / b;
    if (a % b != 0 && a < 0)
        q--;
    return q;
}

static pii_status number_impl(const uint8_t *v, size_t n, long band, bool has_top, double top,
                              pii_buf *out, gen_dec *d)
{
    if ((band <= 0 && !has_top) || (has_top && !isfinite(top)))
        return PII_E_INTERNAL; /* API misuse: nothing to do, or no threshold */
    size_t a, b;
    trim_spaces(v, n, &a, &b);
    if (!parse_dec(v + a, b - a, d))
        return PII_E_PARSE;

    char body[GEN_TOP_MAX + 1];
    PII_STATIC_ASSERT(GEN_TOP_MAX + 1 > 41, "room for a band");
    size_t bl = 0;
    bool topped = false;
    if (has_top) {
        /* v >= top, with top the decimal it is written as (0.1, not the
         * double 0.1000000000000000055...), so "<top>+" says exactly what
         * it holds */
        bl = format_top(top, body);
        bool tneg = body[0] == '-';
        const uint8_t *mag = v + a + ((v[a] == '-' || v[a] == '+') ? 1 : 0);
        if (d->neg != tneg) {
            topped = tneg;
        } else {
            int c = cmp_plain((const char *)mag, (size_t)(v + b - mag), body + tneg, bl - tneg);
            topped = tneg ? c <= 0 : c >= 0;
        }
    }
    if (topped) {
        body[bl++] = '+';
    } else if (band > 0) {
        /* floor(v): |v| < 10^18, so it and the band ends fit in long long */
        long long fv = d->neg ? -(long long)d->ip - (d->frac ? 1 : 0) : (long long)d->ip;
        long long w = (long long)band;
        long long lo, hi;
        /* cannot overflow: |lo| <= |fv| + w and hi < max(w, 2 |fv|), |fv| < 10^18 */
        if (__builtin_mul_overflow(floor_div(fv, w), w, &lo) ||
            __builtin_add_overflow(lo, w - 1, &hi))
            return PII_E_INTERNAL;
        int r = w == 1 ? snprintf(body, sizeof(body), "%lld", lo)
                       : snprintf(body, sizeof(body), "%lld-%lld", lo, hi);
        bl = (size_t)r;
    } else {
        return put(out, out->len, v, n); /* below top, no band: unchanged */
    }
    size_t start = out->len;
    pii_status st = put(out, start, v, a);
    if (st == PII_OK)
        st = put(out, start, body, bl);
    if (st == PII_OK)
        st = put(out, start, v + b, n - b);
    return st;
}

pii_status pii_gen_number(const uint8_t *v, size_t n, long band, bool has_top, double top,
                          pii_buf *out)
{
    gen_dec d;
    memset(&d, 0, sizeof(d));
    pii_status st = number_impl(v, n, band, has_top, top, out, &d);
    sodium_memzero(&d, sizeof(d)); /* the parsed value */
    return st;
}

/* ---- dates ------------------------------------------------------------------- */

#define CJK_YEAR  "\xe5\xb9\xb4" /* 年 */
#define CJK_MONTH "\xe6\x9c\x88" /* 月 */
#define CJK_DAY   "\xe6\x97\xa5" /* 日 */
#define CJK_HOUR  "\xe6\x97\xb6" /* 时 */
#define CJK_HOUR2 "\xe7\x82\xb9" /* 点 */
#define CJK_MIN   "\xe5\x88\x86" /* 分 */
#define CJK_SEC   "\xe7\xa7\x92" /* 秒 */

typedef enum { GEN_DF_SEP, GEN_DF_COMPACT, GEN_DF_CJK } gen_date_form;

typedef enum { GEN_PAD_UNKNOWN, GEN_PAD_YES, GEN_PAD_NO } gen_pad;

/* A parsed date; offsets are relative to the trimmed value. */
typedef struct {
    gen_date_form form;
    uint8_t sep; /* '-', '/' or '.' for GEN_DF_SEP */
    unsigned y, m, d;
    size_t m_len; /* digits of the month as written (1 or 2) */
    size_t d_len;
    size_t month_end; /* end of "YYYY-MM" / "YYYYMM" / "YYYY年M月" */
    size_t date_end;  /* end of the date, where the time (if any) starts */
} gen_date;

static bool is_leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* 1 to max digits at s[*i]; their value. */
static bool read_digits(const uint8_t *s, size_t n, size_t *i, size_t min, size_t max,
                        unsigned *val, size_t *len)
{
    size_t j = *i;
    unsigned x = 0;
    while (j < n && j - *i < max && is_digit(s[j])) {
        x = x * 10u + (unsigned)(s[j] - '0');
        j++;
    }
    if (j - *i < min || (j < n && is_digit(s[j])))
        return false;
    *len = j - *i;
    *val = x;
    *i = j;
    return true;
}

static bool read_lit(const uint8_t *s, size_t n, size_t *i, const char *lit)
{
    size_t l = strlen(lit);
    if (n - *i < l || memcmp(s + *i, lit, l) != 0)
        return false;
    *i += l;
    return true;
}

/* HH:MM[:SS[.frac]]: hour 0-23 in one or two digits, minute and second in
 * two (second 60 for a leap second), 1-9 fraction digits. */
static bool parse_clock(const uint8_t *s, size_t n, size_t *i)
{
    size_t j = *i, len;
    unsigned h, mi, sec;
    if (!read_digits(s, n, &j, 1, 2, &h, &len) || h > 23)
        return false;
    if (j >= n || s[j] != ':')
        return false;
    j++;
    if (!read_digits(s, n, &j, 2, 2, &mi, &len) || mi > 59)
        return false;
    if (j < n && s[j] == ':') {
        j++;
        if (!read_digits(s, n, &j, 2, 2, &sec, &len) || sec > 60)
            return false;
        if (j < n && s[j] == '.') {
            j++;
            unsigned f;
            if (!read_digits(s, n, &j, 1, 9, &f, &len))
                return false;
        }
    }
    *i = j;
    return true;
}

/* Z, +HH, +HHMM or +HH:MM (or '-'): HH 00-23, MM 00-59. */
static bool parse_zone(const uint8_t *s, size_t n, size_t *i)
{
    size_t j = *i, len;
    unsigned x, mi = 0;
    if (j < n && s[j] == 'Z') {
        *i = j + 1;
        return true;
    }
    if (j >= n || (s[j] != '+' && s[j] != '-'))
        return false;
    j++;
    if (!read_digits(s, n, &j, 2, 4, &x, &len) || len == 3)
        return false;
    if (len == 4) {
        mi = x % 100;
        x /= 100;
    } else if (j < n && s[j] == ':') {
        j++;
        if (!read_digits(s, n, &j, 2, 2, &mi, &len))
            return false;
    }
    if (x > 23 || mi > 59)
        return false;
    *i = j;
    return true;
}

/* H时[M分[S秒]] (or 点 for 时), one or two digits each. */
static bool parse_cjk_clock(const uint8_t *s, size_t n, size_t *i)
{
    size_t j = *i, len;
    unsigned h, mi, sec;
    if (!read_digits(s, n, &j, 1, 2, &h, &len) || h > 23)
        return false;
    if (!read_lit(s, n, &j, CJK_HOUR) && !read_lit(s, n, &j, CJK_HOUR2))
        return false;
    size_t k = j;
    if (read_digits(s, n, &k, 1, 2, &mi, &len) && mi <= 59 && read_lit(s, n, &k, CJK_MIN)) {
        j = k;
        if (read_digits(s, n, &k, 1, 2, &sec, &len) && sec <= 60 && read_lit(s, n, &k, CJK_SEC))
            j = k;
    }
    *i = j;
    return true;
}

/* The time after the date at s[i, n): nothing, or a time that ends the value. */
static bool parse_time_tail(const uint8_t *s, size_t n, size_t i, gen_date_form form)
{
    if (i == n)
        return true;
    if (form == GEN_DF_CJK) {
        if (s[i] == ' ')
            i++;
        size_t j = i;
        if (parse_clock(s, n, &j)) {
            if (j < n)
                (void)parse_zone(s, n, &j);
            return j == n;
        }
        j = i;
        return parse_cjk_clock(s, n, &j) && j == n;
    }
    if (s[i] != 'T' && s[i] != ' ')
        return false;
    i++;
    if (!parse_clock(s, n, &i))
        return false;
    if (i < n && !parse_zone(s, n, &i))
        return false;
    return i == n;
}

/* One of the date forms of generalize.h, the whole of s[0, n). */
static bool parse_date(const uint8_t *s, size_t n, gen_date *dt)
{
    size_t i = 0, len;
    unsigned y, m, d;
    memset(dt, 0, sizeof(*dt));
    if (n >= 8 && is_digit(s[0]) && is_digit(s[4])) {
        /* YYYYMMDD: exactly eight digits */
        if (!read_digits(s, n, &i, 8, 8, &y, &len))
            return false;
        m = y / 100 % 100;
        d = y % 100;
        y /= 10000;
        dt->form = GEN_DF_COMPACT;
        dt->m_len = dt->d_len = 2;
        dt->month_end = 6;
    } else {
        if (!read_digits(s, n, &i, 4, 4, &y, &len))
            return false;
        if (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
            dt->form = GEN_DF_SEP;
            dt->sep = s[i++];
        } else if (read_lit(s, n, &i, CJK_YEAR)) {
            dt->form = GEN_DF_CJK;
        } else {
            return false;
        }
        if (!read_digits(s, n, &i, 1, 2, &m, &dt->m_len))
            return false;
        if (dt->form == GEN_DF_SEP) {
            dt->month_end = i;
            if (i >= n || s[i] != dt->sep)
                return false;
            i++;
        } else {
            if (!read_lit(s, n, &i, CJK_MONTH))
                return false;
            dt->month_end = i;
        }
        if (!read_digits(s, n, &i, 1, 2, &d, &dt->d_len))
            return false;
        if (dt->form == GEN_DF_CJK && !read_lit(s, n, &i, CJK_DAY))
            return false;
    }
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    dt->y = y;
    dt->m = m;
    dt->d = d;
    dt->date_end = i;
    return parse_time_tail(s, n, i, dt->form);
}

static pii_status date_impl(const uint8_t *v, size_t n, pii_gen_unit unit, pii_buf *out,
                            gen_date *dt)
{
    size_t a, b;
    trim_spaces(v, n, &a, &b);
    if (!parse_date(v + a, b - a, dt))
        return PII_E_PARSE;
    size_t keep;
    bool year_mark = false;
    if (unit == PII_GEN_DAY) {
        keep = dt->date_end;
    } else if (unit == PII_GEN_MONTH) {
        keep = dt->month_end;
    } else if (unit == PII_GEN_YEAR) {
        keep = 4;
        year_mark = dt->form == GEN_DF_CJK;
    } else {
        return PII_E_INTERNAL;
    }
    size_t start = out->len;
    pii_status st = put(out, start, v, a + keep);
    if (st == PII_OK && year_mark)
        st = put(out, start, CJK_YEAR, strlen(CJK_YEAR));
    if (st == PII_OK)
        st = put(out, start, v + b, n - b);
    return st;
}

pii_status pii_gen_date(const uint8_t *v, size_t n, pii_gen_unit unit, pii_buf *out)
{
    gen_date dt;
    pii_status st = date_impl(v, n, unit, out, &dt);
    sodium_memzero(&dt, sizeof(dt)); /* the parsed date */
    return st;
}

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms": days since
 * 1970-01-01 of a proleptic Gregorian date, and back. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);                           /* [0, 399] */
    unsigned doy = (153u * (m > 2 ? m - 3 : m + 9) + 2u) / 5u + d - 1u; /* [0, 365] */
    unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;            /* [0, 146096] */
    return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    unsigned mp = (5u * doy + 2u) / 153u;
    *d = doy - (153u * mp + 2u) / 5u + 1u;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

/* Padding of a component as written: one digit is unpadded, a leading zero
 * is padded, two digits >= 10 tell nothing. */
static gen_pad pad_of(size_t len, unsigned val)
{
    if (len == 1)
        return GEN_PAD_NO;
    return val < 10 ? GEN_PAD_YES : GEN_PAD_UNKNOWN;
}

static bool pad_default(const gen_date *dt)
{
    /* ISO (2024-03-05) and dotted dates are padded; 2024/3/5 and 2024年3月5日
     * are usually written without zeros */
    return dt->form == GEN_DF_COMPACT || (dt->form == GEN_DF_SEP && dt->sep != '/');
}

static size_t put_2(char *p, unsigned x, bool pad)
{
    size_t k = 0;
    if (x >= 10 || pad)
        p[k++] = (char)('0' + x / 10);
    p[k++] = (char)('0' + x % 10);
    return k;
}

/* Longest shift that can keep a date inside years 1000-9999 (3287181 days
 * from 1000-01-01 to 9999-12-31), so the arithmetic cannot overflow. */
#define GEN_MAX_SHIFT 3300000L

static pii_status shift_impl(const uint8_t *v, size_t n, long days, pii_buf *out, gen_date *dt)
{
    size_t a, b;
    trim_spaces(v, n, &a, &b);
    if (!parse_date(v + a, b - a, dt))
        return PII_E_PARSE;
    if (days > GEN_MAX_SHIFT || days < -GEN_MAX_SHIFT)
        return PII_E_PARSE;
    long long y;
    unsigned m, d;
    civil_from_days(days_from_civil(dt->y, dt->m, dt->d) + days, &y, &m, &d);
    if (y < 1000 || y > 9999)
        return PII_E_PARSE;

    /* zero padding per component; a component that does not show it takes
     * the other's, then the form's default */
    gen_pad pm = pad_of(dt->m_len, dt->m), pd = pad_of(dt->d_len, dt->d);
    bool def = pad_default(dt);
    bool pad_m = pm != GEN_PAD_UNKNOWN   ? pm == GEN_PAD_YES
                 : pd != GEN_PAD_UNKNOWN ? pd == GEN_PAD_YES
                                         : def;
    bool pad_d = pd != GEN_PAD_UNKNOWN   ? pd == GEN_PAD_YES
                 : pm != GEN_PAD_UNKNOWN ? pm == GEN_PAD_YES
                                         : def;

    char s[32];
    size_t k = 0;
    s[k++] = (char)('0' + y / 1000);
    s[k++] = (char)('0' + y / 100 % 10);
    s[k++] = (char)('0' + y / 10 % 10);
    s[k++] = (char)('0' + y % 10);
    switch (dt->form) {
    case GEN_DF_SEP:
        s[k++] = (char)dt->sep;
        k += put_2(s + k, m, pad_m);
        s[k++] = (char)dt->sep;
        k += put_2(s + k, d, pad_d);
        break;
    case GEN_DF_COMPACT:
        k += put_2(s + k, m, true);
        k += put_2(s + k, d, true);
        break;
    case GEN_DF_CJK:
        memcpy(s + k, CJK_YEAR, 3);
        k += 3;
        k += put_2(s + k, m, pad_m);
        memcpy(s + k, CJK_MONTH, 3);
        k += 3;
        k += put_2(s + k, d, pad_d);
        memcpy(s + k, CJK_DAY, 3);
        k += 3;
        break;
    }
    size_t start = out->len;
    pii_status st = put(out, start, v, a);
    if (st == PII_OK)
        st = put(out, start, s, k);
    if (st == PII_OK)
        st = put(out, start, v + a + dt->date_end, n - a - dt->date_end);
    return st;
}

pii_status pii_gen_date_shift(const uint8_t *v, size_t n, long days, pii_buf *out)
{
    gen_date dt;
    pii_status st = shift_impl(v, n, days, out, &dt);
    sodium_memzero(&dt, sizeof(dt)); /* the parsed (unshifted) date */
    return st;
}

/* ---- keyed shift -------------------------------------------------------------- */

/*
 * h = BLAKE2b-64(key, subject) read little-endian; accepted when below the
 * largest multiple of r = 2 max + 1 that fits in 2^64, else retried as
 * BLAKE2b-64(key, subject || c) with c = 1, 2, ... as 4 little-endian bytes.
 * The result is h mod r - max: uniform on [-max, max].
 */
long pii_gen_shift_days(const uint8_t key[32], const uint8_t *subject, size_t n, long max_days)
{
    if (max_days < 1)
        return 0;
    uint64_t r = 2u * (uint64_t)max_days + 1u;               /* <= 2^64 - 1 */
    uint64_t limit = UINT64_MAX - (UINT64_MAX % r + 1u) % r; /* r * floor(2^64 / r) - 1 */
    crypto_generichash_state st;
    uint8_t h[8];
    uint64_t x = 0;
    for (uint32_t c = 0;; c++) {
        uint8_t ctr[4] = {(uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16), (uint8_t)(c >> 24)};
        crypto_generichash_init(&st, key, 32, sizeof(h));
        crypto_generichash_update(&st, subject, n);
        if (c > 0)
            crypto_generichash_update(&st, ctr, sizeof(ctr));
        crypto_generichash_final(&st, h, sizeof(h));
        x = 0;
        for (int i = 7; i >= 0; i--)
            x = (x << 8) | h[i];
        if (x <= limit)
            break;
    }
    sodium_memzero(&st, sizeof(st));
    sodium_memzero(h, sizeof(h));
    uint64_t k = x % r, mx = (uint64_t)max_days;
    return k >= mx ? (long)(k - mx) : -(long)(mx - k);
}

/* ---- IPv4 ----------------------------------------------------------------------- */

static pii_status ipv4_impl(const uint8_t *v, size_t n, unsigned prefix, pii_buf *out,
                            unsigned oct[4])
{
    if (prefix != 8 && prefix != 16 && prefix != 24)
        return PII_E_INTERNAL;
    size_t a, b;
    trim_spaces(v, n, &a, &b);
    size_t i = a;
    for (int q = 0; q < 4; q++) {
        if (q > 0) {
            if (i >= b || v[i] != '.')
                return PII_E_PARSE;
            i++;
        }
        size_t s = i, len;
        unsigned x;
        if (!read_digits(v, b, &i, 1, 3, &x, &len) || x > 255 || (len > 1 && v[s] == '0'))
            return PII_E_PARSE;
        oct[q] = x;
    }
    if (i != b)
        return PII_E_PARSE;
    for (unsigned q = prefix / 8; q < 4; q++)
        oct[q] = 0;
    char s[24];
    int r = snprintf(s, sizeof(s), "%u.%u.%u.%u/%u", oct[0], oct[1], oct[2], oct[3], prefix);
    size_t start = out->len;
    pii_status st = put(out, start, v, a);
    if (st == PII_OK)
        st = put(out, start, s, (size_t)r);
    if (st == PII_OK)
        st = put(out, start, v + b, n - b);
    return st;
}

pii_status pii_gen_ipv4(const uint8_t *v, size_t n, unsigned prefix, pii_buf *out)
{
    unsigned oct[4];
    pii_status st = ipv4_impl(v, n, prefix, out, oct);
    sodium_memzero(oct, sizeof(oct)); /* the host part */
    return st;
}

/* ---- addresses --------------------------------------------------------------------- */

/* Bytes after the label in which the first division name must start. */
#define GEN_ADDR_WINDOW 64

/* Labels that may precede an address (address-tokens.md 1.3), longest
 * first where one is a prefix of another. */
static const char *const addr_labels[] = {
    "收货地址", "收件地址", "家庭住址", "家庭地址", "户籍地址", "户籍所在地",
    "通讯地址", "邮寄地址", "详细地址", "联系地址", "现住址",   "居住地",
    "住址",     "地址",     "籍贯",     "送至",     "寄往",
};

static size_t ascii_ci_prefix(const uint8_t *p, size_t n, const char *w)
{
    size_t l = strlen(w);
    if (n < l)
        return 0;
    for (size_t i = 0; i < l; i++) {
        uint8_t c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (c != (uint8_t)w[i])
            return 0;
    }
    return l;
}

/* ASCII spaces, tabs and ideographic spaces at p: their length. */
static size_t skip_blanks(const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (;;) {
        if (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        else if (n - i >= 3 && p[i] == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80)
            i += 3;
        else
            return i;
    }
}

/* An optional label, colon and blanks at the start of p: their length. */
static size_t skip_label(const uint8_t *p, size_t n)
{
    size_t l = 0;
    for (size_t i = 0; i < sizeof(addr_labels) / sizeof(addr_labels[0]) && l == 0; i++) {
        size_t wl = strlen(addr_labels[i]);
        if (wl <= n && memcmp(p, addr_labels[i], wl) == 0)
            l = wl;
    }
    if (l == 0) {
        l = ascii_ci_prefix(p, n, "address");
        if (l == 0)
            l = ascii_ci_prefix(p, n, "addr");
        if (l > 0 && l < n && pii_text_ascii_alnum(p[l]))
            return 0; /* a word such as "addressee" */
    }
    if (l == 0)
        return 0;
    l += skip_blanks(p + l, n - l);
    if (l < n && p[l] == ':')
        l++;
    else if (n - l >= 3 && p[l] == 0xEF && p[l + 1] == 0xBC && p[l + 2] == 0x9A)
        l += 3; /* ： */
    return l + skip_blanks(p + l, n - l);
}

/* Is division c below division a (a child or a grandchild)? */
static bool below(uint32_t c, uint32_t a)
{
    uint32_t p = pii_gazetteer_parent(c);
    return p != 0 && (p == a || pii_gazetteer_parent(p) == a);
}

/* The next division of the chain after `prev` at p, if there is one: a name
 * below prev (short forms included: a higher-level hit precedes them). A
 * name still ambiguous below prev is taken only as a direct child of prev,
 * so no uncertain level in between is filled in. */
static bool next_in_chain(const uint8_t *p, size_t n, uint32_t prev, pii_gaz_hit *h, size_t *skip)
{
    size_t s = skip_blanks(p, n);
    if (!pii_gazetteer_match_in(p + s, n - s, prev, h))
        return false;
    if (!below(h->code, prev))
        return false;
    if (h->ambiguous && pii_gazetteer_parent(h->code) != prev)
        return false;
    *skip = s;
    return true;
}

static bool is_municipality(uint32_t code)
{
    uint32_t pr = code / 10000;
    return pr == 11 || pr == 12 || pr == 31 || pr == 50;
}

pii_status pii_gen_address(const uint8_t *v, size_t n, pii_gen_level level, pii_buf *out)
{
    if (level < PII_GEN_PROVINCE || level > PII_GEN_DISTRICT)
        return PII_E_INTERNAL;
    size_t a, b;
    trim_spaces(v, n, &a, &b);
    const uint8_t *s = v + a;
    size_t len = b - a;
    size_t from = skip_label(s, len);
    size_t window_end = len - from < GEN_ADDR_WINDOW ? len : from + GEN_ADDR_WINDOW;

    /* the first acceptable division name: a full name, a short form of three
     * or more characters, or a shorter one that a division below it follows */
    pii_gaz_hit first, h;
    size_t pos = from, skip;
    bool found = false;
    while (pos < window_end) {
        if (pii_gazetteer_match(s + pos, len - pos, &first)) {
            if (!first.short_form || first.len > 6 ||
                next_in_chain(s + pos + first.len, len - pos - first.len, first.code, &h, &skip)) {
                found = true;
                break;
            }
        }
        pos += pii_text_char_len(s + pos, len - pos);
    }
    if (!found)
        return PII_E_PARSE;

    /* follow the chain down */
    uint32_t deepest = first.code;
    size_t depth = 1;
    pos += first.len;
    while (next_in_chain(s + pos, len - pos, deepest, &h, &skip)) {
        deepest = h.code;
        depth++;
        pos += skip + h.len;
    }

    /* the divisions from the province down; an ambiguous first name that
     * nothing below confirms stands alone (no invented province) */
    uint32_t chain[3];
    size_t nc = 0;
    if (first.ambiguous && depth == 1) {
        chain[nc++] = deepest;
    } else {
        uint32_t c = deepest;
        while (c != 0 && nc < 3) {
            chain[nc++] = c;
            c = pii_gazetteer_parent(c);
        }
        for (size_t i = 0; i < nc / 2; i++) {
            uint32_t t = chain[i];
            chain[i] = chain[nc - 1 - i];
            chain[nc - 1 - i] = t;
        }
    }

    size_t start = out->len;
    pii_status st = put(out, start, v, a);
    size_t written = 0;
    for (size_t i = 0; i < nc && st == PII_OK; i++) {
        uint8_t lv = pii_gazetteer_level(chain[i]);
        if (lv > (uint8_t)level)
            continue;
        if (lv == PII_GAZ_CITY && is_municipality(chain[i]))
            continue; /* municipalities have no city level */
        const char *name = pii_gazetteer_name(chain[i]);
        if (name == NULL)
            continue;
        st = put(out, start, name, strlen(name));
        written++;
    }
    if (st != PII_OK)
        return st;
    if (written == 0) {
        /* only an ambiguous name below the level asked for: which division
         * above it is meant is unknown */
        out->len = start;
        return PII_E_PARSE;
    }
    return put(out, start, v + b, n - b);
}
