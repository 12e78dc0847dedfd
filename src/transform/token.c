/*
 * token.c - keyed, deterministic, one-way tokens.
 *
 * token = "tok_" TYPE "_" base32(BLAKE2b-120(subkey, canonical value)).
 * The subkey is derived from the user's key per entity type (keys.c), so
 * the same value gets the same token on every machine and in every run
 * with that key, and nothing linkable without it. The canonical form makes
 * one value in any format one token: +86 138-1234-5678 and 13812345678 are
 * the same phone (canonical: tail 11). 120 bits leave collisions negligible
 * for any data set (birthday bound 2^60). The value is streamed into the
 * hash, so even a fail-closed finding covering a whole long line needs no
 * buffer; the hash state is wiped afterwards.
 */
#include <sodium.h>
#include <string.h>

#include "common/pii_text.h"
#include "transform/transform.h"

#define TOKEN_BYTES 15
#define TOKEN_CHARS 24 /* 15 bytes * 8 / 5 */

/* Crockford's base32: no I, L, O, U, so tokens read back without doubt. */
static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

typedef struct {
    crypto_generichash_state st;
    uint8_t buf[64];
    size_t n;
} feeder;

static void feed(feeder *f, uint8_t c)
{
    f->buf[f->n++] = c;
    if (f->n == sizeof(f->buf)) {
        crypto_generichash_update(&f->st, f->buf, f->n);
        f->n = 0;
    }
}

static void feed_char(feeder *f, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        feed(f, p[i]);
}

static bool is_space(const uint8_t *p, size_t n, size_t *clen)
{
    if (n >= 1 && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n')) {
        *clen = 1;
        return true;
    }
    if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
        *clen = 3;
        return true;
    }
    return false;
}

/* Feed the canonical form of v[0, n) under style `canon`. */
static void canonicalize(feeder *f, const pii_detector_def *def, const uint8_t *v, size_t n)
{
    size_t clen;
    size_t skip = 0;
    if (def->canon == PII_CANON_TAIL) {
        size_t digits = 0;
        for (size_t i = 0; i < n; i += clen) {
            clen = 1;
            if (pii_text_digit(v + i, n - i, &clen) >= 0)
                digits++;
            else
                clen = 1;
        }
        skip = digits > def->canon_n ? digits - def->canon_n : 0;
    }
    bool pending_space = false, any = false;
    for (size_t i = 0; i < n;) {
        clen = 1;
        int d = pii_text_digit(v + i, n - i, &clen);
        if (d < 0)
            clen = 1;
        switch (def->canon) {
        case PII_CANON_TAIL:
            if (d >= 0) {
                if (skip > 0)
                    skip--; /* a leading digit (country code) */
                else
                    feed(f, (uint8_t)('0' + d));
            }
            break;
        case PII_CANON_DIGITS:
            if (d >= 0)
                feed(f, (uint8_t)('0' + d));
            else if (pii_text_is_x(v + i, n - i, &clen))
                feed(f, 'X');
            break;
        case PII_CANON_UPPER:
            if (d >= 0) {
                feed(f, (uint8_t)('0' + d));
            } else if (pii_text_ascii_alnum(v[i])) {
                feed(f, (uint8_t)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]));
            } else if (n - i >= 3 && v[i] == 0xEF && v[i + 1] == 0xBC && v[i + 2] >= 0xA1 &&
                       v[i + 2] <= 0xBA) {
                feed(f, (uint8_t)('A' + (v[i + 2] - 0xA1))); /* full-width A-Z */
                clen = 3;
            }
            break;
        case PII_CANON_LOWER:
            feed(f, (uint8_t)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i]));
            break;
        case PII_CANON_FOLD:
            if (is_space(v + i, n - i, &clen)) {
                pending_space = any;
            } else {
                if (pending_space)
                    feed(f, ' ');
                pending_space = false;
                any = true;
                clen = pii_text_char_len(v + i, n - i);
                feed_char(f, v + i, clen);
            }
            break;
        }
        i += clen;
    }
}

pii_status pii_token_render(const pii_detector_def *def, const uint8_t *key, const uint8_t *v,
                            size_t n, pii_buf *out)
{
    feeder f;
    uint8_t h[TOKEN_BYTES];
    if (crypto_generichash_init(&f.st, key, PII_SUBKEY_BYTES, sizeof(h)) != 0)
        return PII_E_CRYPTO;
    f.n = 0;
    canonicalize(&f, def, v, n);
    crypto_generichash_update(&f.st, f.buf, f.n);
    crypto_generichash_final(&f.st, h, sizeof(h));
    sodium_memzero(&f, sizeof(f));

    size_t idl = strlen(def->id);
    pii_status st = pii_buf_reserve(out, 4 + idl + 1 + TOKEN_CHARS);
    if (st != PII_OK) {
        sodium_memzero(h, sizeof(h));
        return st;
    }
    memcpy(out->ptr + out->len, "tok_", 4);
    memcpy(out->ptr + out->len + 4, def->id, idl);
    out->ptr[out->len + 4 + idl] = '_';
    out->len += 5 + idl;
    /* 120 bits = 24 groups of 5 */
    unsigned acc = 0, bits = 0;
    for (size_t i = 0; i < sizeof(h); i++) {
        acc = (acc << 8) | h[i];
        bits += 8;
        while (bits >= 5) {
            out->ptr[out->len++] = (uint8_t)b32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    sodium_memzero(h, sizeof(h));
    return PII_OK;
}

pii_status pii_fingerprint_render(const pii_detector_def *def, const uint8_t *key,
                                  const uint8_t *v, size_t n, char hex[PII_FINGERPRINT_HEX + 1])
{
    static const char digits[] = "0123456789abcdef";
    feeder f;
    uint8_t h[PII_FINGERPRINT_HEX / 2];
    if (crypto_generichash_init(&f.st, key, PII_SUBKEY_BYTES, sizeof(h)) != 0)
        return PII_E_CRYPTO;
    f.n = 0;
    feed_char(&f, (const uint8_t *)def->id, strlen(def->id) + 1); /* with its NUL */
    canonicalize(&f, def, v, n);
    crypto_generichash_update(&f.st, f.buf, f.n);
    crypto_generichash_final(&f.st, h, sizeof(h));
    sodium_memzero(&f, sizeof(f));
    for (size_t i = 0; i < sizeof(h); i++) {
        hex[2 * i] = digits[h[i] >> 4];
        hex[2 * i + 1] = digits[h[i] & 15];
    }
    hex[PII_FINGERPRINT_HEX] = '\0';
    sodium_memzero(h, sizeof(h));
    return PII_OK;
}
