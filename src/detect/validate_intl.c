/*
 * validate_intl.c - pure validators for the second wave of detectors (see
 * validate_intl.h).
 *
 * Overview: this file implements the structural checks for mainland landline
 * numbers (area code from data/regions/area-codes.tsv, 7/8-digit local number
 * starting 2-8, service numbers never valid; reference/cn-phone.md sections
 * 2 and 4), international phone numbers in E.164 form (country calling code
 * plus a plausible national number length per data/e164.tsv, NANP area code
 * and exchange rules, +86 left to the mainland detectors), the Hong Kong
 * identity card check character and the Taiwan national ID / resident
 * certificate check digit (reference/cn-id.md sections 2 and 3), IBAN
 * (country, length and BBAN layout from data/iban-countries.tsv plus ISO 7064
 * MOD 97-10; reference/cards.md section 3), the never-issued US SSN ranges
 * (cards.md section 4) and the RFC 4291 text form of IPv6 addresses. The
 * tables live in the generated intl_tables.c (tools/gen_intl_tables.py).
 * Every function takes an explicit length, never reads past it, allocates
 * nothing, does no I/O and touches no state other than const tables.
 */
#include "validate_intl.h"

/* Private interface of the generated tables (src/detect/intl_tables.c);
 * tools/gen_intl_tables.py checks that this block is identical there and in
 * validate_intl.c. */
const char *pii_intl_iban_format(char c0, char c1, size_t *iban_len);
bool pii_intl_e164_range(uint32_t cc, size_t *min_nsn, size_t *max_nsn);

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

static bool is_upper(char c)
{
    return (unsigned)(unsigned char)c - (unsigned)'A' <= 25u;
}

/* Value of an upper-case letter: A = 0 ... Z = 25 (caller checks is_upper). */
static unsigned letter_index(char c)
{
    return (unsigned)(unsigned char)c - (unsigned)'A';
}

static bool is_hex(char c)
{
    unsigned u = (unsigned)(unsigned char)c;

    return is_digit(c) || (u | 0x20u) - (unsigned)'a' <= 5u;
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
/* Mainland landlines (cn-phone.md sections 2 and 4)                        */
/* ------------------------------------------------------------------------ */

/*
 * Area code (3 or 4 characters with the trunk 0) + 7 or 8 local digits, so
 * 10..12 digits in all. The service numbers of cn-phone.md section 4 fail by
 * construction: 400/800 + 7 digits, 10xxx, 12xxx, 95xxx(x), 96xxx(x) have no
 * trunk 0, so no area code; written after an area code they leave a local
 * part starting with 1 or 9 (or, for 10/21 800 + 7 digits, 10 digits long).
 */
bool pii_valid_cn_landline(const char *d, size_t n)
{
    size_t area;
    size_t local;
    char first;

    if (n < 10 || n > 12 || !all_digits(d, n)) {
        return false;
    }
    area = pii_cn_area_code_len(d, n);
    if (area == 0) {
        return false;
    }
    local = n - area;
    if (local < 7 || local > 8) {
        return false;
    }
    /* 010 and 02x (2-digit codes without the trunk 0) use 8 digits. */
    if (area == 3 && local != 8) {
        return false;
    }
    /* 0 would be a second trunk prefix, 1 and 9 start service numbers. */
    first = d[area];
    return first >= '2' && first <= '8';
}

/* ------------------------------------------------------------------------ */
/* International phone numbers (E.164 without '+')                          */
/* ------------------------------------------------------------------------ */

/* NANP: NPA (area code) and NXX (exchange) both start with 2-9; nsn points
 * at the 10-digit national number. */
static bool nanp_ok(const char *nsn)
{
    return nsn[0] >= '2' && nsn[3] >= '2';
}

size_t pii_intl_phone_cc_len(const char *d, size_t n)
{
    uint32_t cc = 0;
    size_t cc_len = 0;
    size_t min_nsn = 0;
    size_t max_nsn = 0;
    size_t nsn;

    if (n < 8 || n > 15 || !all_digits(d, n) || d[0] == '0') {
        return 0;
    }
    /* Country codes form a prefix code (no code is a prefix of another), so
     * the first match is also the longest one. */
    for (size_t k = 1; k <= 3; k++) {
        cc = cc * 10u + digit_value(d[k - 1]);
        if (pii_intl_e164_range(cc, &min_nsn, &max_nsn)) {
            cc_len = k;
            break;
        }
    }
    if (cc_len == 0 || cc == 86u) {
        return 0;
    }
    nsn = n - cc_len;
    if (nsn < min_nsn || nsn > max_nsn) {
        return 0;
    }
    if (cc == 1u && !nanp_ok(d + 1)) {
        return 0;
    }
    return cc_len;
}

/* ------------------------------------------------------------------------ */
/* Hong Kong identity card (cn-id.md section 2)                             */
/* ------------------------------------------------------------------------ */

/* Value of the empty first letter slot of a one-letter HKID. */
#define HKID_SPACE 36u

bool pii_valid_hk_id(const char *s, size_t n)
{
    static const uint8_t weight[6] = {7, 6, 5, 4, 3, 2};
    size_t letters;
    unsigned sum;
    unsigned check;
    char c;

    if (n != 8 && n != 9) {
        return false;
    }
    letters = n - 7;
    if (!is_upper(s[0])) {
        return false;
    }
    if (letters == 1) {
        sum = HKID_SPACE * 9u + (letter_index(s[0]) + 10u) * 8u;
    } else {
        if (!is_upper(s[1])) {
            return false;
        }
        sum = (letter_index(s[0]) + 10u) * 9u + (letter_index(s[1]) + 10u) * 8u;
    }
    for (size_t i = 0; i < 6; i++) {
        c = s[letters + i];
        if (!is_digit(c)) {
            return false;
        }
        sum += digit_value(c) * weight[i];
    }
    c = s[n - 1];
    if (c == 'A') {
        check = 10u;
    } else if (is_digit(c)) {
        check = digit_value(c);
    } else {
        return false;
    }
    return (sum + check) % 11u == 0u;
}

/* ------------------------------------------------------------------------ */
/* Taiwan national ID / resident certificate (cn-id.md section 3)           */
/* ------------------------------------------------------------------------ */

/* Letter values A..Z; not alphabetical for I, O, W, X, Y, Z. */
static const uint8_t tw_letter_value[26] = {
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
    22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
};

bool pii_valid_tw_id(const char *s, size_t n)
{
    unsigned v;
    unsigned sum;
    char second;

    if (n != 10 || !is_upper(s[0]) || !all_digits(s + 1, 9)) {
        return false;
    }
    /* 1/2: citizen (male/female); 8/9: resident certificate since 2021. */
    second = s[1];
    if (second != '1' && second != '2' && second != '8' && second != '9') {
        return false;
    }
    v = tw_letter_value[letter_index(s[0])];
    sum = v / 10u + (v % 10u) * 9u;
    /* n1..n8 weigh 8..1, the check digit n9 weighs 1. */
    for (size_t i = 1; i <= 8; i++) {
        sum += digit_value(s[i]) * (unsigned)(9 - i);
    }
    sum += digit_value(s[9]);
    return sum % 10u == 0u;
}

/* ------------------------------------------------------------------------ */
/* IBAN (cards.md section 3)                                                */
/* ------------------------------------------------------------------------ */

#define IBAN_MIN_LEN 15
#define IBAN_MAX_LEN 34

static bool bban_char_ok(char cls, char c)
{
    switch (cls) {
    case 'n':
        return is_digit(c);
    case 'a':
        return is_upper(c);
    case 'c':
        return is_digit(c) || is_upper(c);
    default:
        return false;
    }
}

/* b[0, n) against a table format such as "4a14n" (runs of <count><class>).
 * The format is a NUL-terminated const table string, never input. */
static bool bban_matches(const char *b, size_t n, const char *fmt)
{
    size_t pos = 0;

    while (*fmt != '\0') {
        size_t count = 0;

        while (is_digit(*fmt)) {
            count = count * 10u + digit_value(*fmt);
            fmt++;
        }
        if (count == 0 || count > n - pos) {
            return false;
        }
        for (size_t i = 0; i < count; i++) {
            if (!bban_char_ok(*fmt, b[pos + i])) {
                return false;
            }
        }
        pos += count;
        fmt++;
    }
    return pos == n;
}

/* One step of ISO 7064 MOD 97-10 over the IBAN digit string: a digit adds one
 * decimal digit, a letter (A = 10 ... Z = 35) two. */
static unsigned mod97_step(unsigned r, char c)
{
    if (is_digit(c)) {
        return (r * 10u + digit_value(c)) % 97u;
    }
    return (r * 100u + letter_index(c) + 10u) % 97u;
}

bool pii_valid_iban(const char *s, size_t n)
{
    const char *fmt;
    size_t len = 0;
    unsigned check;
    unsigned r = 0;

    if (n < IBAN_MIN_LEN || n > IBAN_MAX_LEN || !is_upper(s[0]) ||
        !is_upper(s[1]) || !is_digit(s[2]) || !is_digit(s[3])) {
        return false;
    }
    fmt = pii_intl_iban_format(s[0], s[1], &len);
    if (fmt == NULL || len != n) {
        return false;
    }
    /* Computed check digits are 98 - (N mod 97), i.e. 02..98; 00, 01 and 99
     * can pass MOD 97 (as aliases of 97, 98 and 02) but are never issued. */
    check = digit_value(s[2]) * 10u + digit_value(s[3]);
    if (check < 2u || check > 98u) {
        return false;
    }
    if (!bban_matches(s + 4, n - 4, fmt)) {
        return false;
    }
    /* Rotate: BBAN first, then country and check digits. */
    for (size_t i = 4; i < n; i++) {
        r = mod97_step(r, s[i]);
    }
    for (size_t i = 0; i < 4; i++) {
        r = mod97_step(r, s[i]);
    }
    return r == 1u;
}

/* ------------------------------------------------------------------------ */
/* US Social Security Number (cards.md section 4)                           */
/* ------------------------------------------------------------------------ */

bool pii_valid_us_ssn(const char *d, size_t n)
{
    uint32_t area;

    if (n != 9 || !all_digits(d, n)) {
        return false;
    }
    area = prefix_value(d, 3);
    if (area == 0u || area == 666u || area >= 900u) {
        return false;
    }
    return prefix_value(d + 3, 2) != 0u && prefix_value(d + 5, 4) != 0u;
}

/* ------------------------------------------------------------------------ */
/* IPv6 (RFC 4291 section 2.2)                                              */
/* ------------------------------------------------------------------------ */

/* Longest text form: six 4-digit groups and a dotted quad,
 * "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
#define IPV6_MAX_LEN 45

/* s[0, n) is exactly a dotted quad of decimal octets 0-255 without leading
 * zeros (RFC 3986 dec-octet; "01" could be read as octal elsewhere). */
static bool ipv4_dotted(const char *s, size_t n)
{
    size_t i = 0;

    for (unsigned octet = 0; octet < 4u; octet++) {
        size_t start;
        unsigned v = 0;

        if (octet > 0u) {
            if (i >= n || s[i] != '.') {
                return false;
            }
            i++;
        }
        start = i;
        while (i < n && i - start < 3 && is_digit(s[i])) {
            v = v * 10u + digit_value(s[i]);
            i++;
        }
        if (i == start || v > 255u || (i - start > 1 && s[start] == '0')) {
            return false;
        }
    }
    return i == n;
}

bool pii_valid_ipv6(const char *s, size_t n)
{
    size_t i = 0;
    unsigned groups = 0;    /* 16-bit groups written out (IPv4 tail = 2) */
    bool compressed = false; /* "::" seen */

    if (n < 2 || n > IPV6_MAX_LEN) {
        return false;
    }
    if (s[0] == ':') {
        /* A leading colon is only allowed as part of "::". */
        if (s[1] != ':') {
            return false;
        }
        compressed = true;
        i = 2;
        if (i == n) {
            return true; /* "::" */
        }
    }
    for (;;) {
        size_t start = i;

        while (i < n && is_hex(s[i])) {
            i++;
        }
        if (i < n && s[i] == '.') {
            /* Embedded IPv4: the rest of the string, worth two groups. */
            if (!ipv4_dotted(s + start, n - start)) {
                return false;
            }
            groups += 2u;
            break;
        }
        if (i == start || i - start > 4 || ++groups > 8u) {
            return false;
        }
        if (i == n) {
            break;
        }
        if (s[i] != ':') {
            return false;
        }
        i++;
        if (i < n && s[i] == ':') {
            if (compressed) {
                return false; /* second "::" or ":::" */
            }
            compressed = true;
            i++;
            if (i == n) {
                break; /* trailing "::" */
            }
        }
        /* A trailing single colon leaves an empty group: rejected above. */
    }
    /* "::" stands for at least one zero group. */
    return compressed ? groups <= 7u : groups == 8u;
}
