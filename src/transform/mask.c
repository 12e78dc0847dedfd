/*
 * mask.c - masking and redaction.
 *
 * Masking works on characters, not bytes: a full-width digit (3 bytes)
 * counts as one digit and is replaced by one '*'. Which characters are
 * hidden follows the conventions of Chinese data-masking (脱敏) practice:
 *   cn_mobile  the 4 digits after the 3-digit network prefix (138****5678);
 *              a country code stays;
 *   cn_id      all but the first 3 and last 4 characters;
 *   bank_card  all but the first 6 and last 4 digits;
 *   email      the local part after its first character;
 *   ipv4       the last two octets (each becomes a single '*').
 * Separators (spaces, dashes) are kept where they were.
 */
#include <string.h>

#include "common/pii_text.h"
#include "transform/transform.h"

/* Count digit-like characters (digits, and X for IDs) in v. */
static size_t count_digits(const uint8_t *v, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        size_t clen;
        if (pii_text_digit(v + i, n - i, &clen) >= 0 || pii_text_is_x(v + i, n - i, &clen)) {
            count++;
            i += clen;
        } else {
            i++;
        }
    }
    return count;
}

/* Copy v to out, replacing digit-like characters with index in [lo, hi) by '*'. */
static pii_status mask_digit_range(const uint8_t *v, size_t n, size_t lo, size_t hi, pii_buf *out)
{
    pii_status st = pii_buf_reserve(out, n);
    if (st != PII_OK)
        return st;
    size_t idx = 0;
    for (size_t i = 0; i < n;) {
        size_t clen;
        if (pii_text_digit(v + i, n - i, &clen) >= 0 || pii_text_is_x(v + i, n - i, &clen)) {
            if (idx >= lo && idx < hi)
                out->ptr[out->len++] = '*';
            else {
                memcpy(out->ptr + out->len, v + i, clen);
                out->len += clen;
            }
            idx++;
            i += clen;
        } else {
            out->ptr[out->len++] = v[i++];
        }
    }
    return PII_OK;
}

static pii_status mask_email(const uint8_t *v, size_t n, pii_buf *out)
{
    const uint8_t *at = memchr(v, '@', n);
    size_t local = at ? (size_t)(at - v) : n;
    pii_status st = pii_buf_reserve(out, n);
    if (st != PII_OK)
        return st;
    for (size_t i = 0; i < local; i++)
        out->ptr[out->len++] = i == 0 ? v[0] : '*';
    memcpy(out->ptr + out->len, v + local, n - local);
    out->len += n - local;
    return PII_OK;
}

static pii_status mask_ipv4(const uint8_t *v, size_t n, pii_buf *out)
{
    pii_status st = pii_buf_reserve(out, n);
    if (st != PII_OK)
        return st;
    int dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '.') {
            dots++;
            out->ptr[out->len++] = '.';
        } else if (dots < 2) {
            out->ptr[out->len++] = v[i];
        } else if (i == 0 || v[i - 1] == '.') {
            out->ptr[out->len++] = '*';
        }
    }
    return PII_OK;
}

pii_status pii_transform_render(pii_entity_type t, pii_action a, const uint8_t *v, size_t n,
                                const char *label, pii_buf *out)
{
    switch (a) {
    case PII_ACTION_KEEP:
        return pii_buf_append(out, v, n);
    case PII_ACTION_REDACT:
        return pii_buf_append(out, label, strlen(label));
    case PII_ACTION_MASK:
        break;
    }
    size_t d = 0;
    switch (t) {
    case PII_ENT_CN_MOBILE:
        d = count_digits(v, n);
        return mask_digit_range(v, n, d >= 8 ? d - 8 : 0, d >= 4 ? d - 4 : d, out);
    case PII_ENT_CN_ID:
        d = count_digits(v, n);
        return mask_digit_range(v, n, 3, d >= 4 ? d - 4 : d, out);
    case PII_ENT_BANK_CARD:
        d = count_digits(v, n);
        return mask_digit_range(v, n, 6, d >= 4 ? d - 4 : d, out);
    case PII_ENT_EMAIL:
        return mask_email(v, n, out);
    case PII_ENT_IPV4:
        return mask_ipv4(v, n, out);
    case PII_ENT_COUNT:
        break;
    }
    return PII_E_INTERNAL;
}
