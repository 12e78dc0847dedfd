/*
 * mask.c - masking and redaction.
 *
 * Masking works on characters, not bytes: a full-width digit or a Han
 * character (3 bytes) counts as one character and becomes one '*'. What is
 * hidden follows the detector's mask style (patterns/README.md), which the
 * built-in patterns set to the conventions of Chinese data-masking (脱敏)
 * practice: mobile 138****5678, ID first 3 and last 4 kept, card first 6
 * and last 4 kept, e-mail first character and domain kept, IPv4 last two
 * octets hidden, address division names kept, name surname kept.
 * Separators (spaces, dashes, brackets) are kept where they were.
 */
#include <string.h>

#include "common/pii_text.h"
#include "transform/ff1.h"
#include "transform/transform.h"

/* An "alnum" character at v[i]: ASCII or full-width digit or letter. */
static bool alnum_at(const uint8_t *v, size_t n, size_t *clen)
{
    if (pii_text_digit(v, n, clen) >= 0)
        return true;
    return pii_text_is_wordchar(v, n, clen) && !(n >= 1 && v[0] == '_');
}

static size_t count_alnum(const uint8_t *v, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        size_t clen;
        if (alnum_at(v + i, n - i, &clen)) {
            count++;
            i += clen;
        } else {
            i++;
        }
    }
    return count;
}

/* Copy v to out, replacing alnum characters with index in [lo, hi) by '*'. */
static pii_status mask_alnum_range(const uint8_t *v, size_t n, size_t lo, size_t hi, pii_buf *out)
{
    pii_status st = pii_buf_reserve(out, n);
    if (st != PII_OK)
        return st;
    size_t idx = 0;
    for (size_t i = 0; i < n;) {
        size_t clen;
        if (alnum_at(v + i, n - i, &clen)) {
            if (idx >= lo && idx < hi) {
                out->ptr[out->len++] = '*';
            } else {
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

/* Copy v[0, keep) and then hide every letter, digit or non-ASCII character
 * of the rest; ASCII punctuation and spaces stay. */
static bool maskable(uint8_t c)
{
    return c >= 0x80 || pii_text_ascii_alnum(c);
}

/* Keep v[0, keep), hide each letter, digit and non-ASCII character after
 * it; when that would hide nothing, hide from the start. */
static pii_status mask_chars_after(const uint8_t *v, size_t n, size_t keep, pii_buf *out)
{
    pii_status st = pii_buf_reserve(out, n);
    if (st != PII_OK)
        return st;
    if (keep > n)
        keep = n;
    bool any = false;
    for (size_t i = keep; i < n && !any; i++)
        any = maskable(v[i]);
    if (!any)
        keep = 0;
    memcpy(out->ptr + out->len, v, keep);
    out->len += keep;
    for (size_t i = keep; i < n;) {
        size_t cl = pii_text_char_len(v + i, n - i);
        if (maskable(v[i]))
            out->ptr[out->len++] = '*';
        else
            out->ptr[out->len++] = v[i];
        i += cl;
    }
    return PII_OK;
}

static pii_status mask_email(const uint8_t *v, size_t n, pii_buf *out)
{
    const uint8_t *at = memchr(v, '@', n);
    size_t local = at ? (size_t)(at - v) : n;
    for (size_t i = 0; at == NULL && i + 3 <= n; i++) {
        if (v[i] == 0xEF && v[i + 1] == 0xBC && v[i + 2] == 0xA0) { /* full-width ＠ */
            local = i;
            at = v + i;
        }
    }
    pii_status st = pii_buf_reserve(out, n);
    if (st != PII_OK)
        return st;
    /* the first character stays unless it is the whole local part: a mask
     * always hides something */
    size_t first = local > 0 ? pii_text_char_len(v, local) : 0;
    if (first >= local)
        first = 0;
    memcpy(out->ptr + out->len, v, first);
    out->len += first;
    for (size_t i = first; i < local; i += pii_text_char_len(v + i, local - i))
        out->ptr[out->len++] = '*';
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

static bool ipv6_sep(uint8_t c)
{
    return c == ':' || c == '.';
}

/* Keep the first `groups` colon-separated groups, hide the other hex
 * digits; at least the last group is hidden (fe80::1, ::1). */
static pii_status mask_ipv6(const uint8_t *v, size_t n, unsigned groups, pii_buf *out)
{
    pii_status st = pii_buf_reserve(out, n);
    if (st != PII_OK)
        return st;
    unsigned total = 0;
    for (size_t i = 0; i < n; i++)
        total += !ipv6_sep(v[i]) && (i + 1 == n || ipv6_sep(v[i + 1]));
    if (groups >= total)
        groups = total > 0 ? total - 1 : 0;
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == ':' || v[i] == '.') {
            if (i > 0 && v[i - 1] != ':' && v[i - 1] != '.')
                seen++;
            out->ptr[out->len++] = v[i];
        } else {
            out->ptr[out->len++] = seen < groups ? v[i] : '*';
        }
    }
    return PII_OK;
}

/* fpe, optionally inside a surrogate marker {{fpe:KEYID:TYPE:VALUE}}. A
 * value the style cannot encrypt (too few digits) is redacted instead:
 * fail closed, never raw. */
static pii_status render_fpe(const pii_detector_def *def, const uint8_t *v, size_t n,
                             pii_xform_slot *slot, const pii_xform_opts *opts, pii_buf *out)
{
    if (slot == NULL || slot->fpe_key == NULL)
        return PII_E_CONFIG;
    if (slot->ff1 == NULL) {
        pii_status st = pii_ff1_new(slot->fpe_key, PII_SUBKEY_BYTES, &slot->ff1);
        if (st != PII_OK)
            return st;
    }
    size_t mark = out->len;
    pii_status st = PII_OK;
    if (opts != NULL && opts->markers && opts->key_id != NULL) {
        st = pii_buf_append(out, "{{fpe:", 6);
        if (st == PII_OK)
            st = pii_buf_append(out, opts->key_id, strlen(opts->key_id));
        if (st == PII_OK)
            st = pii_buf_append(out, ":", 1);
        if (st == PII_OK)
            st = pii_buf_append(out, def->id, strlen(def->id));
        if (st == PII_OK)
            st = pii_buf_append(out, ":", 1);
        if (st != PII_OK)
            return st;
    }
    st = pii_fpe_apply(def, slot->ff1, false, v, n, out);
    if (st == PII_E_CONFIG) {
        out->len = mark;
        return pii_buf_append(out, def->label, strlen(def->label));
    }
    if (st == PII_OK && opts != NULL && opts->markers && opts->key_id != NULL)
        st = pii_buf_append(out, "}}", 2);
    return st;
}

pii_status pii_transform_render(const pii_detector_def *def, pii_action a, const uint8_t *v,
                                size_t n, uint16_t aux, pii_xform_slot *slot,
                                const pii_xform_opts *opts, pii_buf *out)
{
    switch (a) {
    case PII_ACTION_KEEP:
        return pii_buf_append(out, v, n);
    case PII_ACTION_REDACT:
        return pii_buf_append(out, def->label, strlen(def->label));
    case PII_ACTION_TOKEN:
        if (slot == NULL || slot->token_key == NULL)
            return PII_E_CONFIG;
        return pii_token_render(def, slot->token_key, v, n, out);
    case PII_ACTION_FPE:
        return render_fpe(def, v, n, slot, opts, out);
    case PII_ACTION_MASK:
        break;
    }
    size_t total;
    size_t ka = def->mask_a, kb = def->mask_b;
    switch (def->mask) {
    case PII_MASK_KEEP_ENDS:
        total = count_alnum(v, n);
        if (ka + kb >= total) /* too short to keep anything: hide all */
            return mask_alnum_range(v, n, 0, total, out);
        return mask_alnum_range(v, n, ka, total - kb, out);
    case PII_MASK_HIDE_BEFORE:
        total = count_alnum(v, n);
        if (kb >= total)
            return mask_alnum_range(v, n, 0, total, out);
        return mask_alnum_range(v, n, total - kb > ka ? total - kb - ka : 0, total - kb, out);
    case PII_MASK_EMAIL:
        return mask_email(v, n, out);
    case PII_MASK_IPV4:
        return mask_ipv4(v, n, out);
    case PII_MASK_IPV6:
        return mask_ipv6(v, n, def->mask_a, out);
    case PII_MASK_ADDRESS:
        return mask_chars_after(v, n, aux, out);
    case PII_MASK_NAME: {
        size_t keep = aux;
        if (keep == 0) {
            for (size_t i = 0, c = 0; i < n && c < ka; c++)
                keep = i += pii_text_char_len(v + i, n - i);
        }
        return mask_chars_after(v, n, keep, out);
    }
    case PII_MASK_ALL:
        return mask_chars_after(v, n, 0, out);
    }
    return PII_E_INTERNAL;
}
