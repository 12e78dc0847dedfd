/*
 * validate.c - pure validators for detected candidates (see validate.h).
 *
 * Overview: this file implements the structural checks that turn a candidate
 * digit run into a confirmed instance of a PII type: the Luhn mod-10 check
 * and the issuer (IIN/BIN) range + length table for payment cards
 * (reference/cards.md sections 1, 2, 2.1), the GB 11643-1999 mainland
 * resident ID check (ISO 7064 MOD 11-2, birth date, province prefix, legacy
 * 15-digit form and the 9-prefixed foreigner permanent residence card;
 * reference/cn-id.md section 1), the MIIT 2023 mobile number allocation table
 * (reference/cn-phone.md section 1.1) and a Gregorian date check. Every
 * function takes an explicit length, never reads past it, allocates nothing,
 * does no I/O and touches no state other than the const tables below.
 * pii_region_code_known() lives in the generated region_codes.c.
 */
#include "validate.h"

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

static bool is_digit(char c)
{
    return (unsigned)(unsigned char)c - (unsigned)'0' <= 9u;
}

static unsigned digit_value(char c)
{
    return (unsigned)(unsigned char)c - (unsigned)'0';
}

static bool all_digits(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(d[i])) {
            return false;
        }
    }
    return true;
}

/* Value of the first k digits (caller guarantees k <= n and all digits). */
static uint32_t prefix_value(const char *d, size_t k)
{
    uint32_t v = 0;

    for (size_t i = 0; i < k; i++) {
        v = v * 10u + digit_value(d[i]);
    }
    return v;
}

/* ------------------------------------------------------------------------ */
/* Luhn                                                                     */
/* ------------------------------------------------------------------------ */

/* Row 0: a digit as is; row 1: the digit doubled with the two decimal digits
 * of the product added ({0,2,4,6,8,1,3,5,7,9}). Indexing by position parity
 * makes the per-digit step branch-free. */
static const uint8_t luhn_table[2][10] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
    {0, 2, 4, 6, 8, 1, 3, 5, 7, 9},
};

bool pii_valid_luhn(const char *d, size_t n)
{
    unsigned sum = 0;
    size_t odd = 0; /* 0 for the check digit, 1 for the next one, ... */

    if (n == 0) {
        return false;
    }
    for (size_t i = n; i-- > 0;) {
        unsigned v = digit_value(d[i]);

        if (v > 9u) {
            return false;
        }
        sum += luhn_table[odd][v];
        odd ^= 1u;
    }
    return sum % 10u == 0u;
}

/* ------------------------------------------------------------------------ */
/* Payment cards                                                            */
/* ------------------------------------------------------------------------ */

#define LEN(x) (1u << (x))
#define LEN_RANGE(a, b) ((LEN((b) + 1) - 1u) & ~(LEN(a) - 1u))

/* One issuer range: the first `digits` digits of the PAN, read as a number,
 * lie in [lo, hi]; `lengths` is a bit set of the PAN lengths it uses. */
typedef struct {
    uint8_t digits;
    uint32_t lo;
    uint32_t hi;
    uint32_t lengths;
} card_range;

/* reference/cards.md section 2 (and 2.1 for the Chinese legacy BINs). The
 * table is searched linearly; ranges may overlap (e.g. Discover 622126-622925
 * lies inside UnionPay 62), a match in any row accepts. */
static const card_range card_ranges[] = {
    /* Visa: 16, also 13 (legacy), 18 and 19. */
    {1, 4, 4, LEN(13) | LEN(16) | LEN(18) | LEN(19)},
    /* Mastercard: 51-55 and the 2-series 2221-2720, always 16. */
    {2, 51, 55, LEN(16)},
    {4, 2221, 2720, LEN(16)},
    /* American Express: 34, 37, always 15. */
    {2, 34, 34, LEN(15)},
    {2, 37, 37, LEN(15)},
    /* Discover: 6011, 644-649, 65; 16-19. */
    {4, 6011, 6011, LEN_RANGE(16, 19)},
    {3, 644, 649, LEN_RANGE(16, 19)},
    {2, 65, 65, LEN_RANGE(16, 19)},
    /* JCB: 3528-3589; 16-19. */
    {4, 3528, 3589, LEN_RANGE(16, 19)},
    /* Diners Club: 300-305, 309, 36, 38-39; 14-19. */
    {3, 300, 305, LEN_RANGE(14, 19)},
    {3, 309, 309, LEN_RANGE(14, 19)},
    {2, 36, 36, LEN_RANGE(14, 19)},
    {2, 38, 39, LEN_RANGE(14, 19)},
    /* UnionPay: 62 (incl. the Discover co-branded 622126-622925) and
     * 81 (8100-8171); 14-19. */
    {2, 62, 62, LEN_RANGE(14, 19)},
    {4, 8100, 8171, LEN_RANGE(14, 19)},
    /* Mir: 2200-2204; 16-19. */
    {4, 2200, 2204, LEN_RANGE(16, 19)},
    /* Chinese legacy domestic BINs (cards.md 2.1): ICBC 9558 (19),
     * ABC 95595-95599 (19), PSBC 955100 (19), BoCom 955590-955593 (16). */
    {4, 9558, 9558, LEN(19)},
    {5, 95595, 95599, LEN(19)},
    {6, 955100, 955100, LEN(19)},
    {6, 955590, 955593, LEN(16)},
};

bool pii_valid_bank_card(const char *d, size_t n)
{
    if (n < 13 || n > 19) {
        return false;
    }
    /* No issuer range starts with 0, 1 or 7 (the table above), which
     * settles many digit runs (epoch milliseconds); the Luhn sum (which
     * also checks that every character is a digit) settles 9 in 10 of the
     * rest, order and transaction numbers, before the range search. */
    static const uint16_t first_digits = (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) |
                                         (1u << 6) | (1u << 8) | (1u << 9);
    unsigned d0 = digit_value(d[0]);
    if (d0 > 9u || ((first_digits >> d0) & 1u) == 0u || !pii_valid_luhn(d, n)) {
        return false;
    }
    uint32_t prefix[7];
    prefix[0] = 0;
    for (size_t k = 1; k <= 6; k++) {
        prefix[k] = prefix[k - 1] * 10u + digit_value(d[k - 1]);
    }
    for (size_t i = 0; i < sizeof card_ranges / sizeof card_ranges[0]; i++) {
        const card_range *r = &card_ranges[i];
        uint32_t p = prefix[r->digits];

        if ((r->lengths & LEN(n)) != 0u && p >= r->lo && p <= r->hi) {
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------------ */
/* Dates                                                                    */
/* ------------------------------------------------------------------------ */

static bool is_leap_year(unsigned y)
{
    return (y % 4u == 0u && y % 100u != 0u) || y % 400u == 0u;
}

bool pii_valid_date(unsigned y, unsigned m, unsigned d)
{
    static const uint8_t days_in_month[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    };
    unsigned last;

    if (y < 1u || m < 1u || m > 12u || d < 1u) {
        return false;
    }
    last = days_in_month[m - 1u];
    if (m == 2u && is_leap_year(y)) {
        last = 29u;
    }
    return d <= last;
}

/* ------------------------------------------------------------------------ */
/* Mainland resident ID (GB 11643-1999)                                     */
/* ------------------------------------------------------------------------ */

/* Weights 2^(i-1) mod 11 for the 17 body digits, left to right. */
static const uint8_t cnid_weight[17] = {
    7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
};

/* Allocated province prefixes for ID numbers, indexed by the first digit;
 * bit k set means second digit k is allowed: 11-15, 21-23, 31-37, 41-46,
 * 50-54, 61-65, 81-83 (71 Taiwan is not used in mainland ID numbers). */
static const uint16_t cnid_province[10] = {
    0x000,          /* 0x */
    0x03E,          /* 11-15 */
    0x00E,          /* 21-23 */
    0x0FE,          /* 31-37 */
    0x07E,          /* 41-46 */
    0x01F,          /* 50-54 */
    0x03E,          /* 61-65 */
    0x000,          /* 7x */
    0x00E,          /* 81-83 residence permits */
    0x000,          /* 9x */
};

#define CNID_MIN_BIRTH 18800101u

/* Birth date from y/m/d: a real date in [CNID_MIN_BIRTH, today]. */
static bool cnid_date_ok(unsigned y, unsigned m, unsigned d, uint32_t today)
{
    uint32_t ymd;

    if (!pii_valid_date(y, m, d)) {
        return false;
    }
    ymd = (uint32_t)y * 10000u + (uint32_t)m * 100u + (uint32_t)d;
    return ymd >= CNID_MIN_BIRTH && ymd <= today;
}

static pii_cnid_result check_cn_id_18(const char *s, uint32_t today)
{
    unsigned sum = 0;
    unsigned check;
    unsigned p1;
    unsigned p2;

    if (!all_digits(s, 17)) {
        return PII_CNID_BAD_SHAPE;
    }
    /* the province first: it costs a table look-up and settles most
     * 18-digit order numbers (the foreigner's card, 9..., has none) */
    p1 = digit_value(s[0]);
    p2 = digit_value(s[1]);
    if (p1 != 9u && (cnid_province[p1] & (1u << p2)) == 0u) {
        return PII_CNID_BAD_REGION;
    }
    if (s[17] == 'X') {
        check = 10u;
    } else if (is_digit(s[17])) {
        check = digit_value(s[17]);
    } else {
        return PII_CNID_BAD_SHAPE;
    }

    /* Whole-number form of MOD 11-2: sum(all 18, check weight 1) % 11 == 1. */
    for (size_t i = 0; i < 17; i++) {
        sum += digit_value(s[i]) * cnid_weight[i];
    }
    if ((sum + check) % 11u != 1u) {
        return PII_CNID_BAD_CHECK;
    }

    /* Foreigner permanent residence card: only the check applies. */
    if (s[0] == '9') {
        return PII_CNID_OK;
    }

    if (!cnid_date_ok((unsigned)prefix_value(s + 6, 4),
                      (unsigned)prefix_value(s + 10, 2),
                      (unsigned)prefix_value(s + 12, 2), today)) {
        return PII_CNID_BAD_DATE;
    }

    return PII_CNID_OK;
}

static pii_cnid_result check_cn_id_15(const char *s, uint32_t today)
{
    if (!all_digits(s, 15)) {
        return PII_CNID_BAD_SHAPE;
    }
    if (!cnid_date_ok(1900u + (unsigned)prefix_value(s + 6, 2),
                      (unsigned)prefix_value(s + 8, 2),
                      (unsigned)prefix_value(s + 10, 2), today)) {
        return PII_CNID_BAD_DATE;
    }
    if (!pii_region_code_known(prefix_value(s, 6))) {
        return PII_CNID_BAD_REGION;
    }
    return PII_CNID_OK;
}

pii_cnid_result pii_check_cn_id(const char *s, size_t n, uint32_t today)
{
    if (n == 18) {
        return check_cn_id_18(s, today);
    }
    if (n == 15) {
        return check_cn_id_15(s, today);
    }
    return PII_CNID_BAD_SHAPE;
}

/* ------------------------------------------------------------------------ */
/* Mainland mobile numbers (MIIT, end of March 2023)                        */
/* ------------------------------------------------------------------------ */

/* Per 3-digit block 1XY, indexed [X][Y] for X = 3..9 (row X - 3). */
enum {
    MOB_NO = 0,   /* block not allocated */
    MOB_YES = 1,  /* whole block allocated */
    MOB_SUB = 2,  /* only some sub-ranges: see mobile_sub_ok() */
};

static const uint8_t mobile_block[7][10] = {
    /* 130-139: 134 is split (134 0-8 China Mobile, 1349 satellite) */
    {1, 1, 1, 1, 2, 1, 1, 1, 1, 1},
    /* 140-149: 140-144 are 13-digit IoT numbers */
    {0, 0, 0, 0, 0, 1, 1, 1, 1, 1},
    /* 150-159: 154 unallocated */
    {1, 1, 1, 1, 0, 1, 1, 1, 1, 1},
    /* 160-169: 162, 165, 166, 167; 161 only 1619 */
    {0, 2, 1, 0, 0, 1, 1, 1, 0, 0},
    /* 170-179: 170 sub-ranges 0-2/3,5,6/4,7-9 cover 0-9; 174 split; 179 no */
    {1, 1, 1, 1, 2, 1, 1, 1, 1, 0},
    /* 180-189 */
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    /* 190-199: 194 unallocated */
    {1, 1, 1, 1, 0, 1, 1, 1, 1, 1},
};

/* Sub-range rules for the split blocks; h0 is the 4th digit, h1 the 5th. */
static bool mobile_sub_ok(unsigned x, unsigned y, unsigned h0, unsigned h1)
{
    if (x == 3u && y == 4u) {
        /* 134(0-8); 1349(2,3,9) */
        if (h0 <= 8u) {
            return true;
        }
        return h1 == 2u || h1 == 3u || h1 == 9u;
    }
    if (x == 6u && y == 1u) {
        /* 1619 (China SatNet) */
        return h0 == 9u;
    }
    if (x == 7u && y == 4u) {
        /* 1740(0-5) China Telecom + 1740(6-9) other = all of 1740;
         * 1741(0-2); 1749. */
        if (h0 == 0u || h0 == 9u) {
            return true;
        }
        return h0 == 1u && h1 <= 2u;
    }
    return false;
}

bool pii_valid_cn_mobile(const char *d, size_t n)
{
    unsigned x;
    unsigned y;
    uint8_t kind;

    if (n != 11 || !all_digits(d, n) || d[0] != '1') {
        return false;
    }
    x = digit_value(d[1]);
    y = digit_value(d[2]);
    if (x < 3u) {
        return false;
    }
    kind = mobile_block[x - 3u][y];
    if (kind == MOB_YES) {
        return true;
    }
    if (kind == MOB_SUB) {
        return mobile_sub_ok(x, y, digit_value(d[3]), digit_value(d[4]));
    }
    return false;
}

bool pii_cn_mobile_block_allocated(const char *d, size_t n)
{
    if (n != 11 || !all_digits(d, n) || d[0] != '1' || digit_value(d[1]) < 3u) {
        return false;
    }
    return mobile_block[digit_value(d[1]) - 3u][digit_value(d[2])] != MOB_NO;
}
