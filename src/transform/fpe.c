/*
 * fpe.c - format-preserving encryption of detected values (FF1 over their
 * digits), by the detector's `fpe` style. Every style is a bijection, so
 * detokenize restores the exact original bytes:
 *
 *   tail N  the last N digits are encrypted (phones: the operator prefix or
 *           area code stays; a +86 in front is untouched).
 *   card    BIN (first 6, fewer for short PANs so that at least 6 digits
 *           remain) and the 3 digits before the check digit stay; the digits
 *           between are encrypted; the check digit becomes (correct Luhn
 *           digit + 1) mod 10, so a token is never a valid card - never
 *           someone's real card, never re-detected as one. Decrypting
 *           recomputes the true check digit (inputs were Luhn-valid).
 *   cn_id   the region (first 6) stays; the 11 digits of birth date and
 *           sequence are encrypted; the check character becomes (correct +
 *           1 + f) mod 11 where f = 1 marks an original lower-case 'x', so
 *           the case survives the round trip and the token's check is never
 *           valid. 15-digit legacy numbers: the 9 digits after the region.
 *
 * Digits keep their width (ASCII or full-width) and every separator stays
 * in place. The FF1 tweak is the type name. Buffers holding plaintext
 * digits are wiped on every path.
 */
#include <string.h>

#include "common/pii_text.h"
#include "detect/validate.h"
#include "transform/ff1.h"
#include "transform/transform.h"

#define MAX_DIGITS 64

typedef struct {
    size_t pos[MAX_DIGITS];  /* byte offset of each digit character */
    uint8_t wide[MAX_DIGITS]; /* 1: full-width */
    uint8_t num[MAX_DIGITS];  /* numeral value; 10 for X */
    uint8_t lower_x;          /* the X was lower-case */
    size_t n;
} digits_t;

static bool collect(const uint8_t *v, size_t len, digits_t *d)
{
    d->n = 0;
    d->lower_x = 0;
    for (size_t i = 0; i < len;) {
        size_t clen;
        int x = pii_text_digit(v + i, len - i, &clen);
        bool is_x = x < 0 && pii_text_is_x(v + i, len - i, &clen);
        if (x >= 0 || is_x) {
            if (d->n == MAX_DIGITS)
                return false;
            d->pos[d->n] = i;
            d->wide[d->n] = clen == 3;
            d->num[d->n] = (uint8_t)(x >= 0 ? x : 10);
            if (is_x)
                d->lower_x = v[i] == 'x' || (clen == 3 && v[i + 1] == 0xBD);
            d->n++;
            i += clen;
        } else {
            i++;
        }
    }
    return true;
}

static uint8_t luhn_check_digit(const uint8_t *num, size_t body)
{
    static const uint8_t dbl[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
    unsigned sum = 0;
    /* the check digit will be at position `body`; from the right, the body
     * digit next to it is doubled */
    for (size_t i = 0; i < body; i++) {
        size_t from_right = body - i; /* 1 = next to the check digit */
        sum += (from_right & 1) ? dbl[num[i]] : num[i];
    }
    return (uint8_t)((10 - sum % 10) % 10);
}

static uint8_t cnid_check_value(const uint8_t *num)
{
    static const unsigned w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    unsigned s = 0;
    for (int i = 0; i < 17; i++)
        s += num[i] * w[i];
    return (uint8_t)((12 - s % 11) % 11);
}

static pii_status run_ff1(struct pii_ff1 *f, bool decrypt, const char *tweak, uint8_t *x, size_t n)
{
    if (n < 6)
        return PII_E_CONFIG;
    const uint8_t *tw = (const uint8_t *)tweak;
    size_t tl = strlen(tweak);
    return decrypt ? pii_ff1_decrypt(f, 10, tw, tl, x, x, n) : pii_ff1_encrypt(f, 10, tw, tl, x, x, n);
}

pii_status pii_fpe_apply(const pii_detector_def *def, struct pii_ff1 *f, bool decrypt,
                         const uint8_t *v, size_t n, pii_buf *out)
{
    digits_t d;
    pii_status st = PII_OK;
    size_t old_n = 0;
    if (!collect(v, n, &d)) {
        st = PII_E_CONFIG;
        goto out;
    }
    old_n = d.n;
    switch (def->fpe) {
    case PII_FPE_NONE:
        st = PII_E_CONFIG;
        goto out;
    case PII_FPE_TAIL: {
        size_t m = d.n < def->fpe_n ? d.n : def->fpe_n;
        for (size_t i = d.n - m; i < d.n; i++) {
            if (d.num[i] > 9) {
                st = PII_E_CONFIG;
                goto out;
            }
        }
        st = run_ff1(f, decrypt, def->id, d.num + d.n - m, m);
        break;
    }
    case PII_FPE_CARD: {
        if (d.n < 13 || d.n > 19) {
            st = PII_E_CONFIG;
            goto out;
        }
        size_t keep = d.n - 10 < 6 ? d.n - 10 : 6; /* at least 6 digits to encrypt */
        size_t mid = d.n - 4 - keep;
        st = run_ff1(f, decrypt, def->id, d.num + keep, mid);
        if (st == PII_OK) {
            uint8_t c = luhn_check_digit(d.num, d.n - 1);
            d.num[d.n - 1] = decrypt ? c : (uint8_t)((c + 1) % 10);
        }
        break;
    }
    case PII_FPE_CN_ID: {
        if (d.n == 15) {
            st = run_ff1(f, decrypt, def->id, d.num + 6, 9);
            break;
        }
        if (d.n != 18) {
            st = PII_E_CONFIG;
            goto out;
        }
        uint8_t flag = 0;
        if (decrypt) {
            /* the token's check = correct(token body) + 1 + flag */
            uint8_t ct = cnid_check_value(d.num);
            flag = (uint8_t)((d.num[17] + 22 - ct - 1) % 11);
        } else {
            flag = d.lower_x;
        }
        st = run_ff1(f, decrypt, def->id, d.num + 6, 11);
        if (st == PII_OK) {
            uint8_t c = cnid_check_value(d.num);
            d.num[17] = decrypt ? c : (uint8_t)((c + 1 + flag) % 11);
            d.lower_x = decrypt ? flag : d.lower_x;
        }
        break;
    }
    }
    if (st != PII_OK)
        goto out;
    /* write back: same bytes, digits replaced in their own width */
    st = pii_buf_reserve(out, n + 3);
    if (st != PII_OK)
        goto out;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (k < d.n && d.pos[k] == i) {
            size_t clen = 1; /* d.pos holds digits and X only; never stall */
            if (pii_text_digit(v + i, n - i, &clen) < 0)
                (void)pii_text_is_x(v + i, n - i, &clen);
            uint8_t x = d.num[k];
            if (d.wide[k]) {
                out->ptr[out->len++] = 0xEF;
                out->ptr[out->len++] = x == 10 ? (d.lower_x ? 0xBD : 0xBC) : 0xBC;
                out->ptr[out->len++] = x == 10 ? (d.lower_x ? 0x98 : 0xB8) : (uint8_t)(0x90 + x);
            } else {
                out->ptr[out->len++] = x == 10 ? (d.lower_x ? 'x' : 'X') : (uint8_t)('0' + x);
            }
            i += clen;
            k++;
        } else {
            out->ptr[out->len++] = v[i++];
        }
    }
out:
    pii_wipe(&d, sizeof(d));
    (void)old_n;
    return st;
}
