/*
 * fuzz_validators.c - every function of src/detect/validate.h on fuzzed
 * strings of every length, including 0.
 *
 * Each string is an exactly sized heap copy, so a validator reading past
 * `n` is an ASan report. Beyond memory safety the harness checks the
 * relations the header promises: a payment card is Luhn-valid, a mobile
 * number's block is allocated, an accepted ID has 15 or 18 characters, and
 * it compares Luhn, the date check and the ID check with small independent
 * reference implementations written from the standards (not from
 * validate.c).
 *
 * Input: text, then parameters from the tail (fuzz_helpers.h): one flag
 * byte (bit 0: fold each byte to a digit, or 'X' for bytes >= 250; bit 1:
 * also repair the check character so the deeper ID and card checks are
 * reached; bits 2-3: which `today`), then y (2 bytes), m, d for
 * pii_valid_date and a 4-byte region code.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/validate.h"
#include "fuzz_helpers.h"

/* Prefixes up to this length are checked one by one, which covers every
 * length a validator treats specially (11, 13-19). */
#define SHORT_PREFIXES 24

static bool ref_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool ref_all_digits(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!ref_is_digit(d[i]))
            return false;
    }
    return true;
}

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

/* All validators on d[0, n), which the caller allocated with exactly n bytes. */
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
}

/* Make the last character a correct check character, where one applies. */
static void repair_check(char *d, size_t n)
{
    if (n == 18 && ref_all_digits(d, 17))
        d[17] = cnid_check_char(d);
    else if (n >= 2 && ref_all_digits(d, n))
        d[n - 1] = luhn_check_digit(d, n);
}

static void check_prefix(const uint8_t *text, size_t n, unsigned flags, uint32_t today)
{
    char *d = (char *)fuzz_dup_exact(text, n);
    if (flags & 1u) {
        for (size_t i = 0; i < n; i++)
            d[i] = text[i] >= 250 ? 'X' : (char)('0' + text[i] % 10);
    }
    if (flags & 2u)
        repair_check(d, n);
    check_string(d, n, today);
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
    size_t n = fuzz_producer_contract(&p, 0);

    FUZZ_ASSERT_MSG(pii_valid_date(y, m, d) == ref_date(y, m, d), "pii_valid_date");
    check_region(code);
    check_region(code % 1000000u);

    size_t short_max = n < SHORT_PREFIXES ? n : SHORT_PREFIXES;
    for (size_t k = 0; k <= short_max; k++)
        check_prefix(data, k, flags, today);
    if (n > short_max)
        check_prefix(data, n, flags, today);
    return 0;
}
