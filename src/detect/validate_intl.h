/*
 * validate_intl.h - pure validators for the second wave of detectors:
 * landlines, international phones, HK/TW IDs, IBAN, US SSN, IPv6.
 *
 * Same contract as validate.h: pure, no allocation, no I/O, never read past
 * `n`, inputs are compact ASCII strings built by the scanner (full-width
 * characters folded, separators removed unless stated otherwise).
 */
#ifndef PII_VALIDATE_INTL_H
#define PII_VALIDATE_INTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length (3 or 4) of the mainland long-distance area code (with its trunk
 * '0') that starts d[0, n), taken from data/regions/area-codes.tsv
 * (010, 02x, 0xyz...), or 0 when d does not start with a known area code. */
size_t pii_cn_area_code_len(const char *d, size_t n);

/*
 * Mainland landline: d = area code (with trunk 0) + local number, digits only.
 * Valid when the area code is known, the local number has 7 or 8 digits and
 * starts with 2-8 (1 and 9 start service numbers), and, for the 3-digit
 * codes (010, 02x), the local number has exactly 8 digits.
 * Service numbers are not personal and never valid here: 400/800 + 7 digits,
 * 95xxx(x), 96xxx(x), 10xxx, 12xxx, with or without an area code.
 */
bool pii_valid_cn_landline(const char *d, size_t n);

/*
 * International phone in E.164 form without the '+': country code + national
 * significant number, digits only, 8..15 digits in total. Returns the length
 * (1..3) of a real ITU country code at d[0] (country codes are prefix-free,
 * so at most one matches; the table is generated from data/e164.tsv),
 * provided the national number's length lies in that country's plausible
 * [min, max] range. The ranges come from libphonenumber's possible lengths
 * of fixed-line, mobile, VoIP, personal, pager and UAN numbers for every
 * assigned code, e.g. 1 NANP exactly 10 digits with area code and exchange
 * not starting with 0/1; 44 UK 9-10; 49 DE 6-11; 33 FR 9; 61 AU 9; 81 JP
 * 9-10; 852 HK 8. Returns 0 when the country code is not assigned or only
 * used for non-personal services (800, 808, 979), the length is implausible,
 * or the country code is 86 (mainland numbers belong to the cn_* detectors).
 */
size_t pii_intl_phone_cc_len(const char *d, size_t n);

/* Hong Kong ID: 1-2 upper-case letters + 6 digits + check character (0-9 or
 * 'A'), compact form without brackets, e.g. "A1234563". */
bool pii_valid_hk_id(const char *s, size_t n);

/* Taiwan national ID / resident certificate: letter + 9 digits, second
 * character 1, 2, 8 or 9, weighted check (cn-id.md §3). */
bool pii_valid_tw_id(const char *s, size_t n);

/* IBAN, compact upper-case (no spaces): known country (iban-countries.tsv),
 * exact length for that country, check digits 02-98 (00, 01 and 99 are never
 * computed), BBAN character classes per the country's format (n digits,
 * a upper-case letters, c upper-case letters or digits), and
 * ISO 7064 MOD 97-10 == 1. */
bool pii_valid_iban(const char *s, size_t n);

/* US SSN: exactly 9 digits; area not 000, 666 or 900-999; group not 00;
 * serial not 0000. */
bool pii_valid_us_ssn(const char *d, size_t n);

/* IPv6 text form (RFC 4291 / 5952) in s[0, n): hex groups of 1-4 digits,
 * '::' at most once and standing for at least one group (so at most 7 groups
 * written with it, exactly 8 without), optional trailing dotted IPv4 worth two
 * groups (::ffff:1.2.3.4; octets 0-255 without leading zeros), optional
 * zone "%eth0" NOT accepted (the caller strips it). Requires at least 2
 * colons. "::" alone and "::1" are valid. Case-insensitive hex. */
bool pii_valid_ipv6(const char *s, size_t n);

#endif /* PII_VALIDATE_INTL_H */
