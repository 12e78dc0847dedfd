/*
 * validate.h - pure validators for detected candidates.
 *
 * Every function here is pure: no allocation, no I/O, no global state, safe
 * from any thread. Inputs are *compact* ASCII strings that the scanner built
 * from the original bytes (full-width digits already folded to ASCII, group
 * separators already removed), always passed with an explicit length; they
 * are never NUL-terminated and never read past `n`.
 *
 * These functions decide "is this a real instance of the type"; they know
 * nothing about the surrounding text, context words or confidence.
 */
#ifndef PII_VALIDATE_H
#define PII_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Luhn (mod 10) over n ASCII digits. false when n == 0 or a non-digit. */
bool pii_valid_luhn(const char *d, size_t n);

/* Payment card: 13..19 ASCII digits, Luhn-valid, and an issuer range we know
 * (UnionPay 62 / 81, Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37,
 * JCB 3528-3589, Discover 6011 / 644-649 / 65, Diners 300-305 / 309 / 36 /
 * 38-39, Mir 2200-2204, Chinese legacy domestic 9-prefixed BINs) with a
 * length that issuer uses. */
bool pii_valid_bank_card(const char *d, size_t n);

/* Result of checking a mainland resident ID number. */
typedef enum {
    PII_CNID_OK = 0,     /* valid */
    PII_CNID_BAD_SHAPE,  /* wrong length or characters */
    PII_CNID_BAD_CHECK,  /* 18-digit MOD 11-2 check character wrong */
    PII_CNID_BAD_DATE,   /* not a real date, before 1880 or after `today` */
    PII_CNID_BAD_REGION, /* province prefix not allocated / 6-digit code unknown (15-digit) */
} pii_cnid_result;

/*
 * Mainland resident ID (GB 11643-1999).
 * n == 18: 17 ASCII digits + check character in [0-9X] (the scanner upper-cases x);
 *          MOD 11-2 check, real birth date YYYYMMDD in [18800101, today],
 *          province prefix allocated (11-15,21-23,31-37,41-46,50-54,61-65,81-83).
 *          A leading 9 (foreigner permanent residence card) checks only MOD 11-2.
 * n == 15: 15 ASCII digits (legacy): date 19YYMMDD real; the full 6-digit region
 *          code must be known (pii_region_code_known), since there is no check digit.
 * `today` is the current date as YYYYMMDD (passed in so tests are reproducible).
 */
pii_cnid_result pii_check_cn_id(const char *s, size_t n, uint32_t today);

/* true when `code` (6 digits, e.g. 110105) is a province, city or county-level
 * code in the bundled GB/T 2260 + NBS data (data/regions). Binary search. */
bool pii_region_code_known(uint32_t code);

/* Mainland mobile: exactly 11 ASCII digits with an allocated prefix from the
 * MIIT 2023 table (13x..19x, with the 1349x / 170x / 1740x sub-ranges). */
bool pii_valid_cn_mobile(const char *d, size_t n);

/* Looser mobile test: 11 digits whose 3-digit block (13x..19x) is allocated
 * at all, ignoring the 4th/5th-digit sub-ranges of 134, 170, 174 and 161.
 * Numbers from these blocks outside the sub-ranges are still very likely
 * phone numbers (or typos of one), so the scanner reports them with lower
 * confidence instead of leaking them. */
bool pii_cn_mobile_block_allocated(const char *d, size_t n);

/* Days-in-month aware Gregorian date check; y >= 1. */
bool pii_valid_date(unsigned y, unsigned m, unsigned d);

#endif /* PII_VALIDATE_H */
