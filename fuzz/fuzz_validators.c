/*
 * fuzz_validators.c - every function of src/detect/validate.h,
 * src/detect/validate_intl.h and src/detect/gazetteer.h on fuzzed strings of
 * every length, including 0.
 *
 * Each string is an exactly sized heap copy, so a function reading past
 * `n` is an ASan report. Prefixes up to SHORT_PREFIXES bytes are checked
 * one by one, then the whole text. Beyond memory safety the harness checks
 * the relations the headers promise and compares with small independent
 * reference implementations written from the standards (not from
 * validate.c / validate_intl.c):
 *   validate.h      Luhn, the date check and the mainland ID check against
 *                   references; a payment card is Luhn-valid, a mobile
 *                   number's block is allocated, an accepted ID has 15 or
 *                   18 characters;
 *   validate_intl.h US SSN, Hong Kong and Taiwan IDs and IPv6 against
 *                   references; the landline rule restated over
 *                   pii_cn_area_code_len; the E.164 rule and IBAN restated
 *                   over the library's tables (country codes must be
 *                   prefix-free), with MOD 97-10 and the BBAN layout
 *                   computed here; plus the stated implications (an IBAN is
 *                   15-34 upper-case letters and digits, an international
 *                   number has 8-15 digits and a country code of 1-3, an
 *                   SSN 9 digits, an area code is 010/02x or 0xyz and its
 *                   own prefix);
 *   gazetteer.h     a match never reads past n, hit.len <= n and ends on a
 *                   character boundary of the name, a match implies may_start, the
 *                   matched bytes are a prefix of the division's name (the
 *                   whole name unless a short form), name / level / parent
 *                   of the code are consistent, the match is the same on
 *                   the prefix it covers, pii_gazetteer_match_in(.., 0, ..)
 *                   is pii_gazetteer_match and with a `within` code changes
 *                   only the division of an ambiguous name, to one below
 *                   `within`. Every division of the table is checked once.
 *
 * Input: text, then parameters from the tail (fuzz_helpers.h): one flag
 * byte, then y (2 bytes), m, d for pii_valid_date, a 4-byte region /
 * division code and a 4-byte `within` code for the gazetteer. Flag bits:
 *   0    fold each byte to a digit ('X' for bytes >= 250);
 *   1    also check copies repaired to carry correct check characters (ID
 *        and Luhn, Hong Kong and Taiwan IDs, IBAN check digits), so the
 *        deeper checks are reached;
 *   2-3  which `today`;
 *   4    (without bit 0) fold each byte to [0-9A-Z];
 *   5    (without bits 0 and 4) fold each byte to IPv6 characters;
 *   6    (no fold) compose the text from gazetteer names: each 3 bytes
 *        pick a division (2 bytes) and how many of its characters (1-8) to
 *        write, so that lookups see real names, prefixes and sequences.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/gazetteer.h"
#include "detect/validate.h"
#include "detect/validate_intl.h"
#include "fuzz_helpers.h"

/* The library's own data tables (intl_tables.c; the same declarations as in
 * validate_intl.c). The references below use them only for the data:
 * which countries and country codes exist and their lengths. */
const char *pii_intl_iban_format(char c0, char c1, size_t *iban_len);
bool pii_intl_e164_range(uint32_t cc, size_t *min_nsn, size_t *max_nsn);

/* Prefixes up to this length are checked one by one, which covers every
 * length a validator treats specially (up to 34 for IBAN, 45 for IPv6). */
#define SHORT_PREFIXES 48
/* Offsets of the text at which the gazetteer is probed with the rest. */
#define GAZ_OFFSETS 96
/* Bytes of composed gazetteer text at most. */
#define GAZ_TEXT_MAX 1024

static bool ref_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool ref_is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool ref_all_digits(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!ref_is_digit(d[i]))
            return false;
    }
    return true;
}

/* ---- validate.h references ------------------------------------------------ */

/* Luhn as usually written: double every second digit from the right. */
static bool ref_luhn(const char *d, size_t n)
{
    unsigned sum = 0;
    if (n == 0 || !ref_all_digits(d, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(d[n - 1 - i] - '0');
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

/* The check digit that makes d[0, n-1) + it Luhn-valid. */
static char luhn_check_digit(const char *d, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        /* position from the right, counting the check digit as 0 */
        size_t pos = n - 1 - i;
        unsigned v = (unsigned)(d[i] - '0');
        if (pos % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

static bool ref_leap(unsigned y)
{
    return y % 400 == 0 || (y % 4 == 0 && y % 100 != 0);
}

/* Month lengths by the knuckle rule rather than a table. */
static bool ref_date(unsigned y, unsigned m, unsigned d)
{
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    unsigned last = m == 2 ? 28 + (ref_leap(y) ? 1 : 0) : 30 + ((m + (m >> 3)) & 1);
    return d <= last;
}

static unsigned ref_num(const char *d, size_t k)
{
    unsigned v = 0;
    for (size_t i = 0; i < k; i++)
        v = v * 10 + (unsigned)(d[i] - '0');
    return v;
}

/* ISO 7064 MOD 11-2 check character for 17 digits: weights 2^(17-i) mod 11. */
static char cnid_check_char(const char *d)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < 17; i++)
        sum += (unsigned)(d[i] - '0') * ((1u << (17 - i)) % 11);
    unsigned c = (12 - sum % 11) % 11;
    return c == 10 ? 'X' : (char)('0' + c);
}

static bool ref_province(unsigned p)
{
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
           (p >= 81 && p <= 83);
}

static bool ref_birth_ok(unsigned y, unsigned m, unsigned d, uint32_t today)
{
    if (!ref_date(y, m, d))
        return false;
    uint64_t ymd = (uint64_t)y * 10000 + m * 100 + d;
    return ymd >= 18800101 && ymd <= today;
}

/* GB 11643-1999 as validate.h documents it; the region table is the
 * library's own (there is no second copy of the data to compare with). */
static bool ref_cn_id(const char *s, size_t n, uint32_t today)
{
    if (n == 18) {
        if (!ref_all_digits(s, 17) || !(ref_is_digit(s[17]) || s[17] == 'X'))
            return false;
        if (cnid_check_char(s) != s[17])
            return false;
        if (s[0] == '9')
            return true;
        return ref_birth_ok(ref_num(s + 6, 4), ref_num(s + 10, 2), ref_num(s + 12, 2), today) &&
               ref_province(ref_num(s, 2));
    }
    if (n == 15) {
        if (!ref_all_digits(s, 15))
            return false;
        return ref_birth_ok(1900 + ref_num(s + 6, 2), ref_num(s + 8, 2), ref_num(s + 10, 2),
                            today) &&
               pii_region_code_known(ref_num(s, 6));
    }
    return false;
}

static void check_region(uint32_t code)
{
    if (!pii_region_code_known(code))
        return;
    FUZZ_ASSERT_MSG(code >= 110000 && code <= 829999, "region code outside GB/T 2260 range");
    FUZZ_ASSERT_MSG(pii_region_code_known(code - code % 10000),
                    "county or city code without its province");
}

/* ---- validate_intl.h references ----------------------------------------- */

/* US SSN: area 001-899 except 666, group 01-99, serial 0001-9999. */
static bool ref_us_ssn(const char *d, size_t n)
{
    if (n != 9 || !ref_all_digits(d, n))
        return false;
    unsigned area = ref_num(d, 3), group = ref_num(d + 3, 2), serial = ref_num(d + 5, 4);
    return area >= 1 && area <= 899 && area != 666 && group >= 1 && serial >= 1;
}

/* Hong Kong ID: right-align the letters in two slots (an empty slot is
 * worth 36, A-Z 10-35), weights 9..2 over the 8 characters before the
 * check; sum + check (A = 10) divisible by 11. */
static unsigned hk_sum(const char *s, size_t n)
{
    char slots[8];
    size_t letters = n - 7;
    slots[0] = letters == 1 ? ' ' : s[0];
    memcpy(slots + 1, s + letters - 1, 7);
    unsigned sum = 0;
    for (unsigned i = 0; i < 8; i++) {
        char c = slots[i];
        unsigned v = c == ' ' ? 36u : ref_is_upper(c) ? (unsigned)(c - 'A') + 10u
                                                      : (unsigned)(c - '0');
        sum += v * (9u - i);
    }
    return sum;
}

static bool hk_shape(const char *s, size_t n)
{
    if (n != 8 && n != 9)
        return false;
    size_t letters = n - 7;
    for (size_t i = 0; i < letters; i++) {
        if (!ref_is_upper(s[i]))
            return false;
    }
    return ref_all_digits(s + letters, 6) && (ref_is_digit(s[n - 1]) || s[n - 1] == 'A');
}

static bool ref_hk_id(const char *s, size_t n)
{
    if (!hk_shape(s, n))
        return false;
    unsigned check = s[n - 1] == 'A' ? 10u : (unsigned)(s[n - 1] - '0');
    return (hk_sum(s, n) + check) % 11u == 0;
}

/* Taiwan ID: the letter's two-digit code (A=10 ... in this order), then
 * weights 1,9,8,...,1 over its two digits and the nine digits. */
static const char tw_letter_order[] = "ABCDEFGHJKLMNPQRSTUVXYWZIO";

static unsigned tw_sum(const char *s)
{
    unsigned code = (unsigned)(strchr(tw_letter_order, s[0]) - tw_letter_order) + 10u;
    unsigned sum = code / 10u + (code % 10u) * 9u;
    for (unsigned i = 1; i <= 8; i++)
        sum += (unsigned)(s[i] - '0') * (9u - i);
    return sum + (unsigned)(s[9] - '0');
}

static bool tw_shape(const char *s, size_t n)
{
    return n == 10 && ref_is_upper(s[0]) && ref_all_digits(s + 1, 9) &&
           (s[1] == '1' || s[1] == '2' || s[1] == '8' || s[1] == '9');
}

static bool ref_tw_id(const char *s, size_t n)
{
    return tw_shape(s, n) && tw_sum(s) % 10u == 0;
}

/* MOD 97 of the IBAN rearranged (BBAN, country, check digits) with letters
 * expanded to 10..35, computed on the decimal string in chunks. */
static unsigned iban_mod97(const char *s, size_t n)
{
    char digits[2 * 34 + 1];
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        char c = s[(j + 4) % n];
        if (ref_is_digit(c)) {
            digits[k++] = c;
        } else {
            unsigned v = (unsigned)(c - 'A') + 10u;
            digits[k++] = (char)('0' + v / 10u);
            digits[k++] = (char)('0' + v % 10u);
        }
    }
    uint64_t r = 0;
    for (size_t j = 0; j < k; j += 9) {
        size_t m = k - j < 9 ? k - j : 9;
        uint64_t chunk = 0, scale = 1;
        for (size_t i = 0; i < m; i++) {
            chunk = chunk * 10 + (uint64_t)(digits[j + i] - '0');
            scale *= 10;
        }
        r = (r * scale + chunk) % 97u;
    }
    return (unsigned)r;
}

static bool iban_chars(const char *s, size_t n)
{
    if (n < 5 || !ref_is_upper(s[0]) || !ref_is_upper(s[1]) || !ref_is_digit(s[2]) ||
        !ref_is_digit(s[3]))
        return false;
    for (size_t i = 4; i < n; i++) {
        if (!ref_is_digit(s[i]) && !ref_is_upper(s[i]))
            return false;
    }
    return true;
}

/* The BBAN against a registry format: runs of <count><class>, class n
 * digits, a upper-case letters, c either. */
static bool ref_bban(const char *b, size_t n, const char *fmt)
{
    size_t pos = 0;
    const char *f = fmt;
    while (*f) {
        char *end;
        unsigned long count = strtoul(f, &end, 10);
        FUZZ_ASSERT_MSG(end != f && *end != '\0', "malformed IBAN registry format");
        for (unsigned long i = 0; i < count; i++, pos++) {
            if (pos >= n)
                return false;
            char c = b[pos];
            bool ok = *end == 'n' ? ref_is_digit(c) : *end == 'a' ? ref_is_upper(c)
                                                                  : ref_is_digit(c) || ref_is_upper(c);
            FUZZ_ASSERT(*end == 'n' || *end == 'a' || *end == 'c');
            if (!ok)
                return false;
        }
        f = end + 1;
    }
    return pos == n;
}

static bool ref_iban(const char *s, size_t n)
{
    if (n < 15 || n > 34 || !iban_chars(s, n))
        return false;
    size_t len = 0;
    const char *fmt = pii_intl_iban_format(s[0], s[1], &len);
    if (fmt == NULL || len != n)
        return false;
    unsigned check = ref_num(s + 2, 2);
    return check >= 2 && check <= 98 && ref_bban(s + 4, n - 4, fmt) && iban_mod97(s, n) == 1;
}

/* E.164 over the library's country-code table: at most one prefix of 1-3
 * digits is a code (the table must be prefix-free). */
static size_t ref_intl_phone(const char *d, size_t n)
{
    if (n < 8 || n > 15 || !ref_all_digits(d, n) || d[0] == '0')
        return 0;
    size_t found = 0, lo = 0, hi = 0;
    for (size_t k = 1; k <= 3; k++) {
        size_t a, b;
        if (pii_intl_e164_range(ref_num(d, k), &a, &b)) {
            FUZZ_ASSERT_MSG(found == 0, "E.164 table is not prefix-free");
            found = k;
            lo = a;
            hi = b;
        }
    }
    if (found == 0 || ref_num(d, found) == 86)
        return 0;
    if (n - found < lo || n - found > hi)
        return 0;
    if (found == 1 && d[0] == '1' && (d[1] < '2' || d[4] < '2'))
        return 0; /* NANP: area code and exchange start 2-9 */
    return found;
}

/* Dotted quad, octets 0-255 without leading zeros. */
static bool ref_dotted_quad(const char *s, size_t n)
{
    unsigned parts = 0;
    size_t i = 0;
    for (;;) {
        size_t st = i;
        while (i < n && s[i] != '.')
            i++;
        size_t len = i - st;
        if (len == 0 || len > 3 || !ref_all_digits(s + st, len) || (len > 1 && s[st] == '0') ||
            ref_num(s + st, len) > 255)
            return false;
        parts++;
        if (i == n)
            break;
        i++; /* '.' */
    }
    return parts == 4;
}

/* Groups in s[0, n) split at ':' (-1 when malformed); an empty s has none.
 * The last field may be a dotted quad (worth two) when v4_ok. */
static int ipv6_groups(const char *s, size_t n, bool v4_ok)
{
    if (n == 0)
        return 0;
    int groups = 0;
    size_t i = 0;
    for (;;) {
        size_t st = i;
        while (i < n && s[i] != ':')
            i++;
        size_t len = i - st;
        bool last = i == n;
        if (len == 0)
            return -1;
        if (memchr(s + st, '.', len) != NULL) {
            if (!last || !v4_ok || !ref_dotted_quad(s + st, len))
                return -1;
            groups += 2;
        } else {
            if (len > 4)
                return -1;
            for (size_t k = st; k < i; k++) {
                char c = s[k];
                if (!ref_is_digit(c) && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                    return -1;
            }
            groups++;
        }
        if (last)
            return groups;
        i++; /* ':' */
    }
}

static bool ref_ipv6(const char *s, size_t n)
{
    size_t colons = 0, dbl = 0, at = 0;
    for (size_t i = 0; i < n; i++) {
        colons += s[i] == ':';
        if (i + 1 < n && s[i] == ':' && s[i + 1] == ':') {
            dbl++;
            at = i;
        }
    }
    if (colons < 2 || dbl > 1)
        return false;
    if (dbl == 0)
        return ipv6_groups(s, n, true) == 8;
    int left = ipv6_groups(s, at, false);
    int right = ipv6_groups(s + at + 2, n - at - 2, true);
    return left >= 0 && right >= 0 && left + right <= 7;
}

/* ---- the checks ----------------------------------------------------------- */

static char *exact(const char *d, size_t n)
{
    return (char *)fuzz_dup_exact((const uint8_t *)d, n);
}

static void check_intl(const char *d, size_t n)
{
    /* area code: 010/02x (3) or 0xyz (4), and its own prefix */
    size_t area = pii_cn_area_code_len(d, n);
    FUZZ_ASSERT_MSG(area == 0 || area == 3 || area == 4, "area code length");
    if (area > 0) {
        FUZZ_ASSERT(area <= n && d[0] == '0' && ref_all_digits(d, area));
        if (area == 3)
            FUZZ_ASSERT_MSG(d[1] == '1' || d[1] == '2', "3-digit area code not 01x/02x");
        else
            FUZZ_ASSERT_MSG(d[1] >= '3' && d[1] <= '9', "4-digit area code not 0[3-9]xx");
        char *pre = exact(d, area);
        FUZZ_ASSERT_MSG(pii_cn_area_code_len(pre, area) == area, "area code not its own prefix");
        free(pre);
    }

    bool landline = pii_valid_cn_landline(d, n);
    bool ref_landline = n >= 10 && n <= 12 && ref_all_digits(d, n) && area > 0 &&
                        n - area >= 7 && n - area <= 8 && (area != 3 || n - area == 8) &&
                        d[area] >= '2' && d[area] <= '8';
    FUZZ_ASSERT_MSG(landline == ref_landline, "pii_valid_cn_landline differs from its rule");

    size_t cc = pii_intl_phone_cc_len(d, n);
    if (cc > 0) {
        FUZZ_ASSERT_MSG(cc <= 3 && n >= 8 && n <= 15, "international number length");
        FUZZ_ASSERT(ref_all_digits(d, n) && d[0] != '0');
        FUZZ_ASSERT_MSG(!(cc == 2 && d[0] == '8' && d[1] == '6'), "+86 accepted");
    }
    FUZZ_ASSERT_MSG(cc == ref_intl_phone(d, n), "pii_intl_phone_cc_len differs from the reference");

    bool hk = pii_valid_hk_id(d, n);
    FUZZ_ASSERT_MSG(hk == ref_hk_id(d, n), "pii_valid_hk_id differs from the reference");
    bool tw = pii_valid_tw_id(d, n);
    FUZZ_ASSERT_MSG(tw == ref_tw_id(d, n), "pii_valid_tw_id differs from the reference");

    bool iban = pii_valid_iban(d, n);
    if (iban) {
        FUZZ_ASSERT_MSG(n >= 15 && n <= 34, "IBAN length");
        FUZZ_ASSERT_MSG(iban_chars(d, n), "IBAN with characters other than A-Z 0-9");
        FUZZ_ASSERT_MSG(iban_mod97(d, n) == 1, "IBAN failing MOD 97-10");
        unsigned check = ref_num(d + 2, 2);
        FUZZ_ASSERT_MSG(check >= 2 && check <= 98, "IBAN check digits 00, 01 or 99");
    }
    FUZZ_ASSERT_MSG(iban == ref_iban(d, n), "pii_valid_iban differs from the reference");

    bool ssn = pii_valid_us_ssn(d, n);
    if (ssn)
        FUZZ_ASSERT_MSG(n == 9, "SSN of length other than 9");
    FUZZ_ASSERT_MSG(ssn == ref_us_ssn(d, n), "pii_valid_us_ssn differs from the reference");

    bool v6 = pii_valid_ipv6(d, n);
    if (v6) {
        FUZZ_ASSERT_MSG(n >= 2 && n <= 45, "IPv6 text length");
        FUZZ_ASSERT_MSG(memchr(d, '%', n) == NULL, "IPv6 with a zone");
    }
    if (v6 != ref_ipv6(d, n)) {
        fprintf(stderr, "ipv6 '%.*s': library %d, reference %d\n", (int)n, d, v6, !v6);
        FUZZ_ASSERT_MSG(0, "pii_valid_ipv6 differs from the reference");
    }

    /* purity: a second call agrees */
    FUZZ_ASSERT(pii_cn_area_code_len(d, n) == area);
    FUZZ_ASSERT(pii_valid_cn_landline(d, n) == landline);
    FUZZ_ASSERT(pii_intl_phone_cc_len(d, n) == cc);
    FUZZ_ASSERT(pii_valid_hk_id(d, n) == hk && pii_valid_tw_id(d, n) == tw);
    FUZZ_ASSERT(pii_valid_iban(d, n) == iban && pii_valid_us_ssn(d, n) == ssn);
    FUZZ_ASSERT(pii_valid_ipv6(d, n) == v6);
}

/* All validate.h functions on d[0, n), which the caller allocated with
 * exactly n bytes. */
static void check_string(const char *d, size_t n, uint32_t today)
{
    bool luhn = pii_valid_luhn(d, n);
    FUZZ_ASSERT_MSG(luhn == ref_luhn(d, n), "pii_valid_luhn differs from the reference");

    bool card = pii_valid_bank_card(d, n);
    if (card) {
        FUZZ_ASSERT_MSG(luhn, "bank card without a valid Luhn digit");
        FUZZ_ASSERT_MSG(n >= 13 && n <= 19, "bank card length");
        FUZZ_ASSERT(ref_all_digits(d, n));
    }

    bool mobile = pii_valid_cn_mobile(d, n);
    bool block = pii_cn_mobile_block_allocated(d, n);
    if (mobile)
        FUZZ_ASSERT_MSG(block, "valid mobile number in an unallocated block");
    if (block) {
        FUZZ_ASSERT(n == 11 && ref_all_digits(d, n));
        FUZZ_ASSERT_MSG(d[0] == '1' && d[1] >= '3', "mobile block outside 13x..19x");
        /* only 134, 161 and 174 are split into sub-ranges */
        unsigned b = ref_num(d, 3);
        if (b != 134 && b != 161 && b != 174)
            FUZZ_ASSERT_MSG(mobile, "whole block allocated but number rejected");
    }

    pii_cnid_result id = pii_check_cn_id(d, n, today);
    FUZZ_ASSERT_MSG(id >= PII_CNID_OK && id <= PII_CNID_BAD_REGION, "result out of range");
    if (id == PII_CNID_OK)
        FUZZ_ASSERT_MSG(n == 15 || n == 18, "accepted ID of wrong length");
    FUZZ_ASSERT_MSG((id == PII_CNID_OK) == ref_cn_id(d, n, today),
                    "pii_check_cn_id differs from the reference");
    /* a birth date is never too late for a later `today` */
    if (id == PII_CNID_OK)
        FUZZ_ASSERT(pii_check_cn_id(d, n, UINT32_MAX) == PII_CNID_OK);

    /* purity: a second call agrees */
    FUZZ_ASSERT(pii_valid_luhn(d, n) == luhn);
    FUZZ_ASSERT(pii_valid_bank_card(d, n) == card);
    FUZZ_ASSERT(pii_valid_cn_mobile(d, n) == mobile);
    FUZZ_ASSERT(pii_check_cn_id(d, n, today) == id);

    if (n == 6 && ref_all_digits(d, n))
        check_region(ref_num(d, 6));

    check_intl(d, n);
}

/* ---- gazetteer ------------------------------------------------------------ */

/* Is `code` strictly below `within`, by the public parent relation? */
static bool gaz_below(uint32_t code, uint32_t within)
{
    for (uint32_t up = pii_gazetteer_parent(code), steps = 0; up != 0 && steps < 4;
         up = pii_gazetteer_parent(up), steps++) {
        if (up == within)
            return true;
    }
    return false;
}

/* name / level / parent of a known or unknown code agree. */
static void check_gaz_code(uint32_t code)
{
    const char *name = pii_gazetteer_name(code);
    uint8_t level = pii_gazetteer_level(code);
    uint32_t parent = pii_gazetteer_parent(code);
    if (name == NULL) {
        FUZZ_ASSERT_MSG(level == 0 && parent == 0, "level or parent of an unknown code");
        return;
    }
    FUZZ_ASSERT_MSG(level >= PII_GAZ_PROVINCE && level <= PII_GAZ_COUNTY, "division level");
    FUZZ_ASSERT_MSG(strlen(name) >= 6, "division name shorter than two characters");
    if (level == PII_GAZ_PROVINCE) {
        FUZZ_ASSERT_MSG(parent == 0, "province with a parent");
        return;
    }
    FUZZ_ASSERT_MSG(parent != 0 && parent != code, "division without a parent");
    FUZZ_ASSERT_MSG(parent == code / 100 * 100 || parent == code / 10000 * 10000,
                    "parent code is not the city or province prefix");
    FUZZ_ASSERT_MSG(pii_gazetteer_name(parent) != NULL, "parent code without a name");
    FUZZ_ASSERT_MSG(pii_gazetteer_level(parent) < level, "parent not above its child");
}

static bool same_hit(const pii_gaz_hit *a, const pii_gaz_hit *b)
{
    return a->len == b->len && a->code == b->code && a->level == b->level &&
           a->short_form == b->short_form && a->ambiguous == b->ambiguous;
}

/* A hit at p[0, n): consistent with its division. */
static void check_gaz_hit(const uint8_t *p, size_t n, const pii_gaz_hit *hit)
{
    FUZZ_ASSERT_MSG(hit->len >= 6 && hit->len <= n, "hit length");
    FUZZ_ASSERT_MSG(hit->level >= PII_GAZ_PROVINCE && hit->level <= PII_GAZ_COUNTY, "hit level");
    FUZZ_ASSERT_MSG(pii_gazetteer_level(hit->code) == hit->level, "hit level differs from code");
    const char *name = pii_gazetteer_name(hit->code);
    FUZZ_ASSERT_MSG(name != NULL, "hit on a code without a name");
    size_t nl = strlen(name);
    FUZZ_ASSERT_MSG(nl >= hit->len && memcmp(name, p, hit->len) == 0,
                    "matched text is not a prefix of the division's name");
    /* a short form ends on a character boundary of the name (the text after
     * the match may be anything, even a stray continuation byte) */
    FUZZ_ASSERT_MSG(((uint8_t)name[hit->len] & 0xC0) != 0x80, "hit ends inside a character");
    if (hit->short_form)
        FUZZ_ASSERT_MSG(nl > hit->len, "short form as long as the full name");
    else
        FUZZ_ASSERT_MSG(nl == hit->len, "full-name hit shorter than the name");
    check_gaz_code(hit->code);
}

/* All lookups on p[0, n) (an exactly sized copy); returns the division
 * code matched, 0 for none. */
static uint32_t check_gaz(const uint8_t *p, size_t n, uint32_t within)
{
    bool may = pii_gazetteer_may_start(p, n);
    if (n < 3)
        FUZZ_ASSERT_MSG(!may, "may_start with fewer than 3 bytes");
    pii_gaz_hit hit, untouched;
    memset(&hit, 0xA5, sizeof(hit));
    memcpy(&untouched, &hit, sizeof(hit));
    bool m = pii_gazetteer_match(p, n, &hit);
    if (!m) {
        FUZZ_ASSERT_MSG(memcmp(&hit, &untouched, sizeof(hit)) == 0, "hit changed without a match");
        pii_gaz_hit h2;
        FUZZ_ASSERT_MSG(!pii_gazetteer_match_in(p, n, within, &h2), "match_in without match");
        return 0;
    }
    FUZZ_ASSERT_MSG(may, "a match where may_start is false");
    check_gaz_hit(p, n, &hit);

    /* the same on exactly the bytes it covers */
    uint8_t *pre = fuzz_dup_exact(p, hit.len);
    pii_gaz_hit h2;
    FUZZ_ASSERT_MSG(pii_gazetteer_match(pre, hit.len, &h2) && same_hit(&hit, &h2),
                    "match differs on the matched prefix");
    free(pre);

    /* match_in with 0 is match; with a code, only an ambiguous name moves,
     * and only to a division below `within` */
    pii_gaz_hit h0;
    FUZZ_ASSERT_MSG(pii_gazetteer_match_in(p, n, 0, &h0) && same_hit(&hit, &h0),
                    "match_in(0) differs from match");
    pii_gaz_hit hw;
    FUZZ_ASSERT_MSG(pii_gazetteer_match_in(p, n, within, &hw), "match_in misses a match");
    FUZZ_ASSERT_MSG(hw.len == hit.len, "match_in matched another length");
    check_gaz_hit(p, n, &hw);
    if (!hit.ambiguous)
        FUZZ_ASSERT_MSG(same_hit(&hit, &hw), "match_in changed an unambiguous hit");
    else if (hw.code != hit.code)
        FUZZ_ASSERT_MSG(gaz_below(hw.code, within), "match_in moved to a division not below");
    if (hw.code == hit.code && hw.ambiguous == false && within != 0)
        FUZZ_ASSERT_MSG(!hit.ambiguous || gaz_below(hw.code, within),
                        "ambiguity resolved by a division not below `within`");
    return hit.code;
}

/* Every division of the table, once per process. */
static void check_gaz_table(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    const pii_gaz_tables *t = &pii_gaz_data;
    FUZZ_ASSERT(t->div_count > 0);
    for (size_t i = 0; i < t->div_count; i++) {
        FUZZ_ASSERT_MSG(i == 0 || t->codes[i - 1] < t->codes[i], "division codes not ascending");
        FUZZ_ASSERT_MSG(pii_gazetteer_name(t->codes[i]) != NULL, "division without a name");
        check_gaz_code(t->codes[i]);
        const char *name = pii_gazetteer_name(t->codes[i]);
        size_t nl = strlen(name);
        uint8_t *p = fuzz_dup_exact((const uint8_t *)name, nl);
        check_gaz(p, nl, 0);
        free(p);
    }
}

/* Text made of gazetteer names: each 3 bytes of input choose a division
 * and how many of its characters (1-8) to write. */
static size_t compose_gaz(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    size_t k = 0;
    for (size_t i = 0; i + 3 <= n; i += 3) {
        size_t div = (((size_t)in[i] << 8) | in[i + 1]) % t->div_count;
        const char *name = pii_gazetteer_name(t->codes[div]);
        FUZZ_ASSERT(name != NULL);
        size_t chars = (size_t)(in[i + 2] & 7u) + 1;
        size_t bytes = strlen(name);
        /* characters of the name, not bytes: stop at a character boundary */
        size_t b = 0;
        for (size_t c = 0; c < chars && b < bytes; c++) {
            b++;
            while (b < bytes && ((uint8_t)name[b] & 0xC0) == 0x80)
                b++;
        }
        if (k + b > cap)
            break;
        memcpy(out + k, name, b);
        k += b;
    }
    return k;
}

/* ---- driver --------------------------------------------------------------- */

/* Make the last character a correct check character, where one applies. */
static void repair_check(char *d, size_t n)
{
    if (n == 18 && ref_all_digits(d, 17))
        d[17] = cnid_check_char(d);
    else if (n >= 2 && ref_all_digits(d, n))
        d[n - 1] = luhn_check_digit(d, n);
}

static void repair_hk(char *d, size_t n)
{
    if (!hk_shape(d, n))
        return;
    unsigned c = (11u - hk_sum(d, n) % 11u) % 11u;
    d[n - 1] = c == 10 ? 'A' : (char)('0' + c);
}

static void repair_tw(char *d, size_t n)
{
    if (n != 10 || !ref_is_upper(d[0]) || !ref_all_digits(d + 1, 9))
        return;
    if (!tw_shape(d, n))
        d[1] = "1289"[(unsigned)d[1] % 4u];
    d[9] = '0';
    d[9] = (char)('0' + (10u - tw_sum(d) % 10u) % 10u);
}

static void repair_iban(char *d, size_t n)
{
    if (n < 15 || n > 34 || !ref_is_upper(d[0]) || !ref_is_upper(d[1]))
        return;
    d[2] = d[3] = '0';
    if (!iban_chars(d, n))
        return;
    unsigned c = 98u - iban_mod97(d, n);
    d[2] = (char)('0' + c / 10u);
    d[3] = (char)('0' + c % 10u);
}

static void check_repaired(const char *d, size_t n, uint32_t today, void (*repair)(char *, size_t))
{
    char *c = exact(d, n);
    repair(c, n);
    if (n == 0 || memcmp(c, d, n) != 0)
        check_string(c, n, today);
    free(c);
}

static void fold(const uint8_t *text, size_t n, unsigned flags, char *d)
{
    static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const char v6[] = "0123456789abcdefABCDEF::::...";
    for (size_t i = 0; i < n; i++) {
        if (flags & 1u)
            d[i] = text[i] >= 250 ? 'X' : (char)('0' + text[i] % 10);
        else if (flags & 0x10u)
            d[i] = alnum[text[i] % 36];
        else if (flags & 0x20u)
            d[i] = v6[text[i] % (sizeof(v6) - 1)];
        else
            d[i] = (char)text[i];
    }
}

static void check_prefix(const uint8_t *text, size_t n, unsigned flags, uint32_t today,
                         uint32_t within)
{
    char *d = (char *)fuzz_dup_exact(text, n);
    fold(text, n, flags, d);
    check_string(d, n, today);
    if (flags & 2u) {
        check_repaired(d, n, today, repair_check);
        check_repaired(d, n, today, repair_hk);
        check_repaired(d, n, today, repair_tw);
        check_repaired(d, n, today, repair_iban);
    }
    check_gaz((const uint8_t *)d, n, within);
    free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t todays[] = {20261129u, 99991231u, 18800101u, 19491231u};
    fuzz_producer p = fuzz_producer_make(data, size);
    unsigned flags = fuzz_producer_range(&p, 0, 255);
    uint32_t today = todays[(flags >> 2) & 3u];
    unsigned y = fuzz_producer_range(&p, 0, 0xFFFF);
    unsigned m = fuzz_producer_range(&p, 0, 255);
    unsigned d = fuzz_producer_range(&p, 0, 255);
    uint32_t code = fuzz_producer_u32(&p);
    uint32_t within = fuzz_producer_u32(&p);
    size_t n = fuzz_producer_contract(&p, 0);

    check_gaz_table();

    FUZZ_ASSERT_MSG(pii_valid_date(y, m, d) == ref_date(y, m, d), "pii_valid_date");
    check_region(code);
    check_region(code % 1000000u);
    check_gaz_code(code);
    check_gaz_code(code % 1000000u);
    check_gaz_code(pii_gaz_data.codes[code % pii_gaz_data.div_count]);
    /* `within`: a fuzzed code, or a real one (a province or city) */
    if (within & 0x80000000u)
        within = pii_gaz_data.codes[within % pii_gaz_data.div_count];
    else
        within %= 1000000u;

    const uint8_t *text = data;
    uint8_t *composed = NULL;
    if ((flags & 0x40u) && !(flags & 0x31u)) {
        composed = malloc(GAZ_TEXT_MAX);
        FUZZ_ASSERT(composed != NULL);
        n = compose_gaz(data, n, composed, GAZ_TEXT_MAX);
        text = composed;
    }

    size_t short_max = n < SHORT_PREFIXES ? n : SHORT_PREFIXES;
    for (size_t k = 0; k <= short_max; k++)
        check_prefix(text, k, flags, today, within);
    if (n > short_max)
        check_prefix(text, n, flags, today, within);

    /* the gazetteer at every offset of the raw text, with the previous
     * hit as `within`, the way the address scanner chains them */
    if (!(flags & 0x31u)) {
        uint32_t prev = within;
        for (size_t j = 1; j < n && j < GAZ_OFFSETS; j++) {
            uint8_t *q = fuzz_dup_exact(text + j, n - j);
            uint32_t got = check_gaz(q, n - j, prev);
            if (got != 0)
                prev = got;
            free(q);
        }
    }
    free(composed);
    return 0;
}
