/*
 * pii_text.h - byte-level character classification for detectors and
 * transforms.
 *
 * Input is arbitrary bytes. These helpers recognise the handful of UTF-8
 * sequences that matter around numbers (full-width digits and letters,
 * Unicode dashes and spaces, zero-width characters) and treat every other
 * byte, valid UTF-8 or not, as an opaque non-digit. They never read past
 * the length they are given.
 */
#ifndef PII_TEXT_H
#define PII_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Digit at p (ASCII 0-9 or full-width U+FF10..U+FF19): returns its value and
 * sets *clen to its byte length, or returns -1. */
static inline int pii_text_digit(const uint8_t *p, size_t n, size_t *clen)
{
    if (n >= 1 && (unsigned)(p[0] - '0') < 10u) {
        *clen = 1;
        return p[0] - '0';
    }
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
        *clen = 3;
        return p[2] - 0x90;
    }
    return -1;
}

/* 'X' or 'x', ASCII or full-width: sets *clen, returns true. */
static inline bool pii_text_is_x(const uint8_t *p, size_t n, size_t *clen)
{
    if (n >= 1 && (p[0] == 'X' || p[0] == 'x')) {
        *clen = 1;
        return true;
    }
    if (n >= 3 && p[0] == 0xEF &&
        ((p[1] == 0xBC && p[2] == 0xB8) || (p[1] == 0xBD && p[2] == 0x98))) {
        *clen = 3;
        return true;
    }
    return false;
}

static inline bool pii_text_ascii_alnum(uint8_t c)
{
    return (unsigned)(c - '0') < 10u || (unsigned)((c | 0x20) - 'a') < 26u;
}

/* A character that glues onto a number to make it part of a word:
 * ASCII letters, digits and '_', full-width letters and digits. Sets *clen. */
static inline bool pii_text_is_wordchar(const uint8_t *p, size_t n, size_t *clen)
{
    if (n >= 1 && (pii_text_ascii_alnum(p[0]) || p[0] == '_')) {
        *clen = 1;
        return true;
    }
    if (n >= 3 && p[0] == 0xEF) {
        /* U+FF10..U+FF19 digits, U+FF21..U+FF3A, U+FF41..U+FF5A letters */
        if (p[1] == 0xBC && ((p[2] >= 0x90 && p[2] <= 0x99) || (p[2] >= 0xA1 && p[2] <= 0xBA))) {
            *clen = 3;
            return true;
        }
        if (p[1] == 0xBD && p[2] >= 0x81 && p[2] <= 0x9A) {
            *clen = 3;
            return true;
        }
    }
    return false;
}

/* Same test for the character that *ends* at p + n (looking backwards). */
static inline bool pii_text_wordchar_before(const uint8_t *p, size_t n)
{
    size_t clen;
    if (n >= 1 && pii_text_is_wordchar(p + n - 1, 1, &clen))
        return true;
    if (n >= 3 && pii_text_is_wordchar(p + n - 3, 3, &clen) && clen == 3)
        return true;
    return false;
}

/* A separator allowed between digit groups of one number: space,
 * hyphen, NBSP, ideographic space, Unicode dashes and minus, full-width
 * hyphen. Returns its byte length or 0. */
static inline size_t pii_text_group_sep(const uint8_t *p, size_t n)
{
    if (n >= 1 && (p[0] == ' ' || p[0] == '-'))
        return 1;
    if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (n >= 3) {
        if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) /* U+3000 */
            return 3;
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) /* U+2010..2015 */
            return 3;
        if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) /* U+2212 minus */
            return 3;
        if (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8D) /* U+FF0D */
            return 3;
    }
    return 0;
}

/* The byte length of a group separator that ends at p + n (looking
 * backwards), or 0. */
static inline size_t pii_text_group_sep_before(const uint8_t *p, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        if (pii_text_group_sep(p + n - k, k) == k) /* reads k bytes at most */
            return k;
    }
    return 0;
}

/* The byte length of a digit (pii_text_digit) that ends at p + n (looking
 * backwards), or 0. A full-width digit is a 3-byte character: an ASCII
 * digit two bytes further back is not one. */
static inline size_t pii_text_digit_before(const uint8_t *p, size_t n)
{
    size_t clen;
    if (n >= 1 && (unsigned)(p[n - 1] - '0') < 10u)
        return 1;
    return n >= 3 && p[n - 3] >= 0x80 && pii_text_digit(p + n - 3, 3, &clen) >= 0 ? 3 : 0;
}

/* Zero-width characters that may hide inside a number: U+200B..U+200D,
 * U+2060, U+FEFF. Returns the byte length or 0. */
static inline size_t pii_text_zero_width(const uint8_t *p, size_t n)
{
    if (n >= 3) {
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x8B && p[2] <= 0x8D)
            return 3;
        if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0xA0)
            return 3;
        if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
            return 3;
    }
    return 0;
}

/* Length of the UTF-8 character at p (1 for invalid or truncated bytes, so
 * that any byte sequence advances). */
static inline size_t pii_text_char_len(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    size_t want = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (want > n)
        return 1;
    for (size_t i = 1; i < want; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 1;
    }
    return want;
}

#endif /* PII_TEXT_H */
