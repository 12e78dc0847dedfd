/*
 * fuzz_ff1.c - FF1 format-preserving encryption (src/transform/ff1.h)
 * against its contract and against a plain reference implementation.
 *
 * For a fuzzed key (AES-128, -192 or -256), radix (2..256, often 10 or 36,
 * which ff1.c specialises), tweak and numeral string of a valid length
 * (PII_FF1_MIN_DOMAIN <= radix^n, n <= PII_FF1_MAX_LEN):
 *   - encryption succeeds, and the ciphertext has n numerals, each < radix;
 *   - it equals the output of ref_ff1 below, a direct transcription of
 *     NIST SP 800-38G Algorithm 7 with OpenSSL BIGNUMs and one AES call
 *     per block. A round trip alone cannot catch a wrong reduction
 *     y mod radix^m that encryption and decryption share; the reference
 *     does (it is slow and obvious, ff1.c is neither);
 *   - decryption of the ciphertext gives the plaintext back;
 *   - encrypting again, in place (out == x), gives the same ciphertext:
 *     deterministic, and the cached MAC state of the previous calls
 *     changes nothing;
 *   - a numeral >= radix, or a string one numeral shorter than the domain
 *     allows, is refused with PII_E_CONFIG and leaves `out` untouched.
 *
 * Input: from the tail, a radix selector byte (< 64: 10, < 96: 36, else
 * the next byte picks 2..256), the key length (one byte: 16, 24 or 32),
 * the string length (one byte, mapped into the valid range for the
 * radix), the tweak length (two bytes, 0..PII_FF1_MAX_TWEAK) and the
 * position of the bad numeral (one byte); then, from the front, the key
 * bytes, the tweak bytes and one byte per numeral (taken mod radix). Bytes
 * the input does not have are zero.
 */
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_helpers.h"
#include "transform/ff1.h"

/* Bytes [*pos, *pos + n) of the front of the input into dst; zeros past
 * its end. */
static void take(const uint8_t *data, size_t size, size_t *pos, uint8_t *dst, size_t n)
{
    size_t have = *pos < size ? size - *pos : 0;
    if (have > n)
        have = n;
    if (have > 0)
        memcpy(dst, data + *pos, have);
    memset(dst + have, 0, n - have);
    *pos += n;
}

/* Smallest n >= 2 with radix^n >= PII_FF1_MIN_DOMAIN. */
static size_t min_len(unsigned radix)
{
    size_t n = 1;
    uint64_t dom = radix;
    while (n < 2 || dom < PII_FF1_MIN_DOMAIN) {
        dom *= radix;
        n++;
    }
    return n;
}

/* ---- reference FF1 (SP 800-38G, Algorithm 7 and 8) ------------------------ */

typedef struct {
    EVP_CIPHER_CTX *aes;
    BN_CTX *bn;
} ref_ctx;

/* [v]^bytes: v as `bytes` big-endian bytes. */
static void put_be(uint8_t *dst, uint64_t v, size_t bytes)
{
    for (size_t i = bytes; i > 0; i--, v >>= 8)
        dst[i - 1] = (uint8_t)v;
}

static void aes_block(ref_ctx *c, const uint8_t in[16], uint8_t out[16])
{
    int len = 0;
    FUZZ_ASSERT(EVP_EncryptUpdate(c->aes, out, &len, in, 16) == 1 && len == 16);
}

/* NUM_radix(X) into r. */
static void ref_num(BIGNUM *r, const uint8_t *x, size_t n, unsigned radix)
{
    BN_zero(r);
    for (size_t i = 0; i < n; i++)
        FUZZ_ASSERT(BN_mul_word(r, radix) == 1 && BN_add_word(r, x[i]) == 1);
}

/* STR^m_radix(v): m numerals, most significant first; v is consumed. */
static void ref_str(BIGNUM *v, unsigned radix, uint8_t *out, size_t m)
{
    for (size_t i = m; i > 0; i--) {
        BN_ULONG rem = BN_div_word(v, radix);
        FUZZ_ASSERT(rem != (BN_ULONG)-1);
        out[i - 1] = (uint8_t)rem;
    }
}

/* y = NUM(S) for round i, where `half` is NUM_radix of the half that the
 * round feeds to the PRF. */
static void ref_round_y(ref_ctx *c, BIGNUM *y, const uint8_t p[16], const uint8_t *tweak, size_t t,
                        unsigned i, BIGNUM *half, size_t b, size_t d)
{
    /* Q = T || [0]^((-t-b-1) mod 16) || [i]^1 || [NUM_radix(half)]^b */
    size_t pad = (16 - (t + b + 1) % 16) % 16;
    size_t qlen = t + pad + 1 + b;
    uint8_t q[PII_FF1_MAX_TWEAK + 16 + 1 + PII_FF1_MAX_LEN];
    FUZZ_ASSERT(qlen <= sizeof(q) && qlen % 16 == 0);
    if (t > 0)
        memcpy(q, tweak, t);
    memset(q + t, 0, pad);
    q[t + pad] = (uint8_t)i;
    FUZZ_ASSERT(BN_bn2binpad(half, q + t + pad + 1, (int)b) == (int)b);
    /* R = PRF(P || Q): CBC-MAC with a zero IV */
    uint8_t r[16], blk[16];
    aes_block(c, p, r);
    for (size_t off = 0; off < qlen; off += 16) {
        for (size_t k = 0; k < 16; k++)
            blk[k] = r[k] ^ q[off + k];
        aes_block(c, blk, r);
    }
    /* S = R || CIPH(R xor [1]^16) || CIPH(R xor [2]^16) ..., first d bytes */
    uint8_t s[PII_FF1_MAX_LEN + 32];
    FUZZ_ASSERT(d <= sizeof(s));
    memcpy(s, r, 16);
    for (size_t j = 1; 16 * j < d; j++) {
        memcpy(blk, r, 16);
        for (size_t k = 0; k < 8; k++)
            blk[15 - k] ^= (uint8_t)((uint64_t)j >> (8 * k));
        aes_block(c, blk, s + 16 * j);
    }
    FUZZ_ASSERT(BN_bin2bn(s, (int)d, y) != NULL);
}

static void ref_ff1(const uint8_t *key, size_t klen, unsigned radix, const uint8_t *tweak, size_t t,
                    const uint8_t *x, uint8_t *out, size_t n, int decrypt)
{
    ref_ctx c;
    const EVP_CIPHER *cipher = klen == 16   ? EVP_aes_128_ecb()
                               : klen == 24 ? EVP_aes_192_ecb()
                                            : EVP_aes_256_ecb();
    c.aes = EVP_CIPHER_CTX_new();
    c.bn = BN_CTX_new();
    FUZZ_ASSERT(c.aes != NULL && c.bn != NULL);
    FUZZ_ASSERT(EVP_EncryptInit_ex(c.aes, cipher, NULL, key, NULL) == 1);
    EVP_CIPHER_CTX_set_padding(c.aes, 0);
    BN_CTX_start(c.bn);
    BIGNUM *num = BN_CTX_get(c.bn), *y = BN_CTX_get(c.bn), *mod = BN_CTX_get(c.bn);
    BIGNUM *rad = BN_CTX_get(c.bn), *e = BN_CTX_get(c.bn);
    FUZZ_ASSERT(e != NULL);

    size_t u = n / 2, v = n - u;
    /* the halves A and B, with their current lengths */
    uint8_t a[PII_FF1_MAX_LEN], bb[PII_FF1_MAX_LEN], cc[PII_FF1_MAX_LEN];
    size_t la = u, lb = v;
    memcpy(a, x, u);
    memcpy(bb, x + u, v);
    /* b = bytes of radix^v - 1, d = 4 * ceil(b / 4) + 4 */
    FUZZ_ASSERT(BN_set_word(rad, radix) == 1 && BN_set_word(e, v) == 1);
    FUZZ_ASSERT(BN_exp(mod, rad, e, c.bn) == 1 && BN_sub_word(mod, 1) == 1);
    size_t b = (size_t)BN_num_bytes(mod);
    size_t d = 4 * ((b + 3) / 4) + 4;
    /* P = [1][2][1] [radix]^3 [10] [u mod 256] [n]^4 [t]^4 */
    uint8_t p[16] = {1, 2, 1, 0, 0, 0, 10, (uint8_t)(u % 256)};
    put_be(p + 3, radix, 3);
    put_be(p + 8, n, 4);
    put_be(p + 12, t, 4);
    for (unsigned k = 0; k < 10; k++) {
        unsigned i = decrypt ? 9 - k : k;
        size_t m = i % 2 == 0 ? u : v;
        if (!decrypt) {
            /* y from B; C = (NUM(A) + y) mod radix^m; A = B; B = C */
            ref_num(num, bb, lb, radix);
            ref_round_y(&c, y, p, tweak, t, i, num, b, d);
            ref_num(num, a, la, radix);
        } else {
            /* y from A; C = (NUM(B) - y) mod radix^m; B = A; A = C */
            ref_num(num, a, la, radix);
            ref_round_y(&c, y, p, tweak, t, i, num, b, d);
            ref_num(num, bb, lb, radix);
        }
        FUZZ_ASSERT(BN_set_word(e, m) == 1 && BN_exp(mod, rad, e, c.bn) == 1);
        if (decrypt)
            FUZZ_ASSERT(BN_mod_sub(num, num, y, mod, c.bn) == 1);
        else
            FUZZ_ASSERT(BN_mod_add(num, num, y, mod, c.bn) == 1);
        ref_str(num, radix, cc, m);
        if (decrypt) {
            memcpy(bb, a, la);
            lb = la;
            memcpy(a, cc, m);
            la = m;
        } else {
            memcpy(a, bb, lb);
            la = lb;
            memcpy(bb, cc, m);
            lb = m;
        }
    }
    FUZZ_ASSERT(la == u && lb == v);
    memcpy(out, a, u);
    memcpy(out + u, bb, v);
    BN_CTX_end(c.bn);
    BN_CTX_free(c.bn);
    EVP_CIPHER_CTX_free(c.aes);
}

/* ---- harness -------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer p = fuzz_producer_make(data, size);
    uint32_t sel = fuzz_producer_range(&p, 0, 255);
    unsigned radix = sel < 64 ? 10u : sel < 96 ? 36u : fuzz_producer_range(&p, 2, 256);
    static const size_t key_lens[3] = {16, 24, 32};
    size_t klen = key_lens[fuzz_producer_range(&p, 0, 2)];
    size_t lo = min_len(radix);
    size_t n = lo + fuzz_producer_range(&p, 0, 255) % (PII_FF1_MAX_LEN - lo + 1);
    size_t tlen = fuzz_producer_range(&p, 0, PII_FF1_MAX_TWEAK);
    size_t bad = fuzz_producer_range(&p, 0, 255) % n;
    size_t front = fuzz_producer_remaining(&p);

    uint8_t key[32], tweak[PII_FF1_MAX_TWEAK], x[PII_FF1_MAX_LEN];
    size_t pos = 0;
    take(data, front, &pos, key, klen);
    take(data, front, &pos, tweak, tlen);
    take(data, front, &pos, x, n);
    for (size_t i = 0; i < n; i++)
        x[i] = (uint8_t)(x[i] % radix);

    pii_ff1 *f = NULL;
    FUZZ_ASSERT(pii_ff1_new(key, klen, &f) == PII_OK && f != NULL);

    uint8_t ct[PII_FF1_MAX_LEN], ref[PII_FF1_MAX_LEN], pt[PII_FF1_MAX_LEN];
    FUZZ_ASSERT(pii_ff1_encrypt(f, radix, tweak, tlen, x, ct, n) == PII_OK);
    for (size_t i = 0; i < n; i++)
        FUZZ_ASSERT_MSG(ct[i] < radix, "ciphertext numeral out of range");
    ref_ff1(key, klen, radix, tweak, tlen, x, ref, n, 0);
    FUZZ_ASSERT_MSG(memcmp(ct, ref, n) == 0, "encryption differs from the reference");
    ref_ff1(key, klen, radix, tweak, tlen, ct, pt, n, 1);
    FUZZ_ASSERT_MSG(memcmp(pt, x, n) == 0, "reference decryption is not the inverse");

    FUZZ_ASSERT(pii_ff1_decrypt(f, radix, tweak, tlen, ct, pt, n) == PII_OK);
    FUZZ_ASSERT_MSG(memcmp(pt, x, n) == 0, "decrypt(encrypt(x)) != x");

    memcpy(pt, x, n);
    FUZZ_ASSERT(pii_ff1_encrypt(f, radix, tweak, tlen, pt, pt, n) == PII_OK);
    FUZZ_ASSERT_MSG(memcmp(pt, ct, n) == 0, "in-place encryption differs");

    /* refused inputs leave out untouched */
    uint8_t junk[PII_FF1_MAX_LEN];
    memset(junk, 0xA5, sizeof(junk));
    memcpy(ref, junk, sizeof(junk));
    if (radix < 256) {
        memcpy(pt, x, n);
        pt[bad] = (uint8_t)radix;
        FUZZ_ASSERT(pii_ff1_encrypt(f, radix, tweak, tlen, pt, ref, n) == PII_E_CONFIG);
        FUZZ_ASSERT(pii_ff1_decrypt(f, radix, tweak, tlen, pt, ref, n) == PII_E_CONFIG);
    }
    FUZZ_ASSERT(pii_ff1_encrypt(f, radix, tweak, tlen, x, ref, lo - 1) == PII_E_CONFIG);
    FUZZ_ASSERT_MSG(memcmp(ref, junk, sizeof(junk)) == 0, "a refused call wrote to out");

    pii_ff1_free(f);
    return 0;
}
