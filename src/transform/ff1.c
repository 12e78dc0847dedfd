/*
 * ff1.c - FF1 format-preserving encryption (NIST SP 800-38G; see ff1.h and
 * reference/fpe.md section 3).
 *
 * Overview: FF1 is a 10-round Feistel network over a numeral string X of n
 * numerals in base r. X is split into A (the first u = floor(n/2) numerals)
 * and B (the other v = n - u). Each round feeds the tweak, the round number
 * and NUM_r(B) (as b big-endian bytes, b = ceil(bitlen(r^v - 1) / 8)) through
 * an AES CBC-MAC whose first block P encodes (r, u, n, t); the MAC (stretched
 * to d = 4*ceil(b/4) + 4 bytes by encrypting MAC xor [j]^16 when d > 16) is
 * an integer y, and the round sets C = (NUM_r(A) + y) mod r^m, A = B, B = C,
 * where m = u in even rounds and v in odd ones. Decryption runs the rounds
 * backwards with C = (NUM_r(B) - y) mod r^m.
 *
 * Choices:
 *  - AES: one EVP_CIPHER_CTX per object, AES-ECB without padding, keyed once
 *    in pii_ff1_new and reused for every block (the CBC-MAC is a loop of XOR
 *    and single-block ECB; the extension blocks of S go through one ECB call).
 *    Nothing is allocated per call.
 *  - Caching: P, and so CIPH_K(P), depends only on (r, n, t), which a caller
 *    tokenising one kind of field repeats on every call; the object keeps the
 *    MAC state after P (plus b, d and the radix powers) for the last triple.
 *    Within a call, the MAC state after P and the tweak's whole 16-byte blocks
 *    is the same in all ten rounds and is computed once. When the tweak has
 *    at most 15 - b bytes past its whole blocks (e.g. a short field label),
 *    a round costs one AES block.
 *  - Arithmetic: fixed-width multi-precision on the stack, 32-bit limbs with
 *    64-bit intermediates, no OpenSSL BIGNUM. NUM_r(B) is built by
 *    multiply-and-add in chunks of k numerals (the largest k with
 *    r^k < 2^32). The modular step never forms NUM_r(A) or r^m: y mod r^m is
 *    read off as y's m lowest base-r digits (repeated division of y by r^k),
 *    and these are added to (or subtracted from) the numerals of A (or B) digit
 *    by digit with a carry (borrow) that is dropped at the top, which is
 *    exactly the reduction mod r^m. The digit loop is branch-free (the carry
 *    is data-dependent) and specialised for radix 10 and 36; with d = 8
 *    (b <= 4: up to 18 decimal digits) y is divided as one 64-bit word.
 *    Sizes are fixed by PII_FF1_MAX_LEN and a radix of at most 256 (8 bits
 *    per numeral): b <= 64, d <= 68 bytes.
 *  - b is computed exactly with integers (r^v - 1 built in limbs), never with
 *    floating-point logarithms.
 *  - Hygiene: every buffer that holds numerals, MAC states or cipher blocks
 *    lives in one stack struct that is wiped with sodium_memzero on every
 *    path once it is written; `out` is written only at the very end, so a
 *    failed call leaves it untouched and in-place use (out == x) is safe.
 *    Argument errors are detected before anything secret is touched.
 */
#include "ff1.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <dlfcn.h>
#include <pthread.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "common/pii_alloc.h"
#include "common/pii_compiler.h"

/* ------------------------------------------------------------------------ */
/* libcrypto, loaded on first use                                           */
/* ------------------------------------------------------------------------ */

/* Only fpe and detokenize use AES, and loading libcrypto costs about 3 ms
 * of every start (its relocations and constructors) - a third of the
 * start of a run that masks. So it is not linked: the first FF1 object
 * opens it by its soname (PII_LIBCRYPTO, found at configure time) and
 * looks up the eight functions used here, declared by <openssl/evp.h>. */
#ifndef PII_LIBCRYPTO
#define PII_LIBCRYPTO "libcrypto.so.3"
#endif

static struct {
    EVP_CIPHER_CTX *(*ctx_new)(void);
    void (*ctx_free)(EVP_CIPHER_CTX *);
    int (*init)(EVP_CIPHER_CTX *, const EVP_CIPHER *, ENGINE *, const unsigned char *,
                const unsigned char *);
    int (*set_padding)(EVP_CIPHER_CTX *, int);
    int (*update)(EVP_CIPHER_CTX *, unsigned char *, int *, const unsigned char *, int);
    const EVP_CIPHER *(*aes_ecb[3])(void); /* 128, 192, 256 */
    void (*err_clear)(void);
    bool ok;
    char why[160];
} crypto;

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void *crypto_sym(void *lib, const char *name, bool *ok)
{
    void *p = dlsym(lib, name);
    if (p == NULL && *ok) {
        *ok = false;
        snprintf(crypto.why, sizeof crypto.why, "%s has no %s", PII_LIBCRYPTO, name);
    }
    return p;
}

static void crypto_load(void)
{
    void *lib = dlopen(PII_LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(crypto.why, sizeof crypto.why, "%s", e != NULL ? e : "cannot load " PII_LIBCRYPTO);
        return;
    }
    bool ok = true;
    /* POSIX: a function pointer converts from dlsym's void * */
    *(void **)&crypto.ctx_new = crypto_sym(lib, "EVP_CIPHER_CTX_new", &ok);
    *(void **)&crypto.ctx_free = crypto_sym(lib, "EVP_CIPHER_CTX_free", &ok);
    *(void **)&crypto.init = crypto_sym(lib, "EVP_EncryptInit_ex", &ok);
    *(void **)&crypto.set_padding = crypto_sym(lib, "EVP_CIPHER_CTX_set_padding", &ok);
    *(void **)&crypto.update = crypto_sym(lib, "EVP_EncryptUpdate", &ok);
    *(void **)&crypto.aes_ecb[0] = crypto_sym(lib, "EVP_aes_128_ecb", &ok);
    *(void **)&crypto.aes_ecb[1] = crypto_sym(lib, "EVP_aes_192_ecb", &ok);
    *(void **)&crypto.aes_ecb[2] = crypto_sym(lib, "EVP_aes_256_ecb", &ok);
    *(void **)&crypto.err_clear = crypto_sym(lib, "ERR_clear_error", &ok);
    crypto.ok = ok; /* the library stays loaded for the process */
}

bool pii_ff1_available(const char **why)
{
    pthread_once(&crypto_once, crypto_load);
    if (why != NULL)
        *why = crypto.ok ? NULL : crypto.why;
    return crypto.ok;
}

#define FF1_ROUNDS 10u
#define FF1_BLOCK 16u

/* Longest half (v). */
#define FF1_HALF_MAX ((PII_FF1_MAX_LEN + 1u) / 2u)
/* Largest b: at most 8 bits per numeral. */
#define FF1_B_MAX FF1_HALF_MAX
/* Largest d = 4*ceil(b/4) + 4. */
#define FF1_D_MAX (4u * ((FF1_B_MAX + 3u) / 4u) + 4u)
/* 32-bit limbs: enough for y (d bytes) and for r^v (up to 8*v + 1 bits). */
#define FF1_LIMBS (FF1_D_MAX / 4u)
/* S: d bytes rounded up to whole blocks. */
#define FF1_S_MAX (FF1_BLOCK * ((FF1_D_MAX + FF1_BLOCK - 1u) / FF1_BLOCK))
/* The part of Q after the tweak's whole blocks: < 16 tweak bytes, < 16 pad
 * bytes, the round byte and b bytes of NUM_r. */
#define FF1_QTAIL_MAX (FF1_BLOCK * ((2u * (FF1_BLOCK - 1u) + 1u + FF1_B_MAX + FF1_BLOCK - 1u) / FF1_BLOCK))
/* Numerals per 32-bit chunk: at most 31 (radix 2). */
#define FF1_CHUNK_MAX 31u

PII_STATIC_ASSERT(PII_FF1_MAX_RADIX <= 256u, "numerals are bytes");
PII_STATIC_ASSERT(PII_FF1_MAX_LEN >= 64u, "at least 64 numerals");
PII_STATIC_ASSERT(PII_FF1_MAX_LEN <= 0xFFFFFFFFu && PII_FF1_MAX_TWEAK <= 0xFFFFFFFFu,
                  "n and t are encoded in 4 bytes");
PII_STATIC_ASSERT(FF1_D_MAX % 4u == 0u, "d is a multiple of 4");
PII_STATIC_ASSERT(FF1_LIMBS * 32u >= 8u * FF1_HALF_MAX + 1u, "limbs hold radix^v");

struct pii_ff1 {
    EVP_CIPHER_CTX *ctx; /* AES-ECB, no padding, keyed */
    /* Constants for the (radix, n, tlen) of the last call; valid if cached. */
    bool cached;
    unsigned radix;
    size_t n;
    size_t tlen;
    size_t b;                           /* bytes of NUM_r(B) */
    size_t d;                           /* bytes of S */
    size_t chunk;                       /* k: numerals per 32-bit chunk */
    uint32_t rpow[FF1_CHUNK_MAX + 1u];  /* radix^0 .. radix^chunk */
    uint8_t p_mac[FF1_BLOCK];           /* CIPH_K(P), derived from the key */
};

/* Everything secret a call computes; wiped in one go. */
typedef struct {
    uint8_t half[2][FF1_HALF_MAX]; /* A and B */
    uint32_t limb[FF1_LIMBS];      /* NUM_r(B) or y */
    uint8_t mac0[FF1_BLOCK];       /* MAC state after P and the whole tweak blocks */
    uint8_t q[FF1_QTAIL_MAX];      /* tail of Q */
    uint8_t s[FF1_S_MAX];          /* R, then S */
} ff1_work;

PII_STATIC_ASSERT(sizeof(ff1_work) <= 4096u, "no stack arrays over 4 KiB");

/* ------------------------------------------------------------------------ */
/* AES                                                                      */
/* ------------------------------------------------------------------------ */

/* An OpenSSL call failed: drop its error queue entries (they would
 * otherwise surface in some unrelated later check on this thread). */
static pii_status crypto_failed(void)
{
    crypto.err_clear();
    return PII_E_CRYPTO;
}

/* ECB-encrypt len bytes (a multiple of 16; in == out allowed). */
static bool aes_ecb(pii_ff1 *f, uint8_t *out, const uint8_t *in, size_t len)
{
    int outl = 0;

    if (crypto.update(f->ctx, out, &outl, in, (int)len) != 1) {
        return false;
    }
    return (size_t)outl == len;
}

/* Continue the CBC-MAC whose state is y over len bytes (a multiple of 16). */
static bool cbc_mac(pii_ff1 *f, uint8_t y[FF1_BLOCK], const uint8_t *data, size_t len)
{
    for (size_t off = 0; off < len; off += FF1_BLOCK) {
        for (size_t j = 0; j < FF1_BLOCK; j++) {
            y[j] ^= data[off + j];
        }
        if (!aes_ecb(f, y, y, FF1_BLOCK)) {
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* fixed-width arithmetic (little-endian 32-bit limbs)                      */
/* ------------------------------------------------------------------------ */

/* l = l * m + a; the caller guarantees the result fits in nl limbs. */
static void mp_mul_add(uint32_t *l, size_t nl, uint32_t m, uint32_t a)
{
    uint64_t carry = a;

    for (size_t j = 0; j < nl; j++) {
        uint64_t t = (uint64_t)l[j] * m + carry;

        l[j] = (uint32_t)t;
        carry = t >> 32;
    }
}

/* l = l / dv; returns l mod dv. dv > 0. */
static uint32_t mp_div_small(uint32_t *l, size_t nl, uint32_t dv)
{
    uint64_t rem = 0;

    if (nl == 2u) { /* d = 8: the usual case for short decimal fields */
        uint64_t y = (uint64_t)l[1] << 32 | l[0];

        l[1] = (uint32_t)(y / dv >> 32);
        l[0] = (uint32_t)(y / dv);
        return (uint32_t)(y % dv);
    }

    for (size_t j = nl; j-- > 0;) {
        uint64_t cur = (rem << 32) | l[j];

        l[j] = (uint32_t)(cur / dv);
        rem = cur % dv;
    }
    return (uint32_t)rem;
}

/* [NUM_r(x[0, len))]^b into dst[0, b), using limb as scratch. */
static void num_to_bytes(const pii_ff1 *f, uint32_t *limb, const uint8_t *x, size_t len,
                         uint8_t *dst)
{
    size_t nl = (f->b + 3u) / 4u;

    memset(limb, 0, nl * sizeof limb[0]);
    for (size_t i = 0; i < len;) {
        size_t k = len - i < f->chunk ? len - i : f->chunk;
        uint32_t c = 0;

        for (size_t j = 0; j < k; j++) {
            c = c * f->radix + x[i + j];
        }
        mp_mul_add(limb, nl, f->rpow[k], c);
        i += k;
    }
    for (size_t j = 0; j < f->b; j++) {
        dst[f->b - 1u - j] = (uint8_t)(limb[j / 4u] >> (8u * (j % 4u)));
    }
}

/*
 * Apply k base-r digits of rem (least significant first) to z[pos - k, pos):
 * add with carry, or subtract with borrow. Returns the final carry. Inlined
 * with a constant r for the common radices 10 and 36, where the compiler
 * turns the division into a multiplication.
 */
static inline unsigned apply_digits(uint32_t rem, unsigned r, uint8_t *z, size_t pos, size_t k,
                                    bool sub, unsigned carry)
{
    for (size_t j = 0; j < k; j++) {
        unsigned dig = rem % r;
        unsigned s;

        rem /= r;
        pos--;
        /* Branch-free: the carry is data-dependent and mispredicts. */
        if (!sub) {
            s = z[pos] + dig + carry; /* in [0, 2r - 1] */
            carry = (unsigned)(s >= r);
            s -= r * carry;
        } else {
            s = z[pos] + r - dig - carry; /* in [0, 2r - 1] */
            carry = (unsigned)(s < r);
            s -= r * (1u - carry);
        }
        z[pos] = (uint8_t)s;
    }
    return carry;
}

/*
 * z = (z + y) mod r^m (sub: (z - y) mod r^m), where z is m numerals and y
 * is in limb[0, d/4) (destroyed). The m low base-r digits of y are the
 * remainders of repeated division by r^k; the final carry or borrow is
 * dropped, which reduces mod r^m.
 */
static void add_y_mod(const pii_ff1 *f, uint32_t *limb, uint8_t *z, size_t m, bool sub)
{
    size_t nl = f->d / 4u;
    unsigned carry = 0; /* carry (add) or borrow (sub), 0 or 1 */
    size_t pos = m;

    while (pos > 0) {
        size_t k = pos < f->chunk ? pos : f->chunk;
        uint32_t rem = mp_div_small(limb, nl, f->rpow[k]);

        switch (f->radix) {
        case 10:
            carry = apply_digits(rem, 10, z, pos, k, sub, carry);
            break;
        case 36:
            carry = apply_digits(rem, 36, z, pos, k, sub, carry);
            break;
        default:
            carry = apply_digits(rem, f->radix, z, pos, k, sub, carry);
            break;
        }
        pos -= k;
    }
}

/* ------------------------------------------------------------------------ */
/* per-(radix, n, tlen) constants                                           */
/* ------------------------------------------------------------------------ */

static bool domain_ok(unsigned radix, size_t n)
{
    uint64_t p = 1;

    for (size_t i = 0; i < n && p < PII_FF1_MIN_DOMAIN; i++) {
        p *= radix;
    }
    return p >= PII_FF1_MIN_DOMAIN;
}

/* b = ceil(bitlen(radix^v - 1) / 8), exactly. */
static size_t bytes_for(unsigned radix, size_t v)
{
    uint32_t l[FF1_LIMBS] = {1u};
    size_t bits = 0;

    for (size_t i = 0; i < v; i++) {
        mp_mul_add(l, FF1_LIMBS, radix, 0);
    }
    for (size_t j = 0; j < FF1_LIMBS; j++) { /* - 1 (radix^v >= 1) */
        if (l[j]-- != 0u) {
            break;
        }
    }
    for (size_t j = FF1_LIMBS; j-- > 0;) {
        if (l[j] != 0u) {
            uint32_t w = l[j];

            bits = 32u * j;
            while (w != 0u) {
                bits++;
                w >>= 1;
            }
            break;
        }
    }
    return (bits + 7u) / 8u;
}

static void put_be32(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)(x >> 24);
    p[1] = (uint8_t)(x >> 16);
    p[2] = (uint8_t)(x >> 8);
    p[3] = (uint8_t)x;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Make f's cached constants those of (radix, n, tlen). */
static pii_status ff1_setup(pii_ff1 *f, unsigned radix, size_t n, size_t tlen)
{
    size_t u = n / 2u;
    uint64_t p = 1;
    uint8_t *pb = f->p_mac;

    if (f->cached && f->radix == radix && f->n == n && f->tlen == tlen) {
        return PII_OK;
    }
    f->cached = false;
    f->b = bytes_for(radix, n - u);
    f->d = 4u * ((f->b + 3u) / 4u) + 4u;
    f->chunk = 0;
    f->rpow[0] = 1u;
    while (p * radix <= 0xFFFFFFFFu) {
        p *= radix;
        f->rpow[++f->chunk] = (uint32_t)p;
    }

    /* P = [1]^1 [2]^1 [1]^1 [radix]^3 [10]^1 [u mod 256]^1 [n]^4 [t]^4 */
    pb[0] = 1u;
    pb[1] = 2u;
    pb[2] = 1u;
    pb[3] = (uint8_t)(radix >> 16);
    pb[4] = (uint8_t)(radix >> 8);
    pb[5] = (uint8_t)radix;
    pb[6] = 10u;
    pb[7] = (uint8_t)(u % 256u);
    put_be32(pb + 8, (uint32_t)n);
    put_be32(pb + 12, (uint32_t)tlen);
    if (!aes_ecb(f, pb, pb, FF1_BLOCK)) {
        sodium_memzero(pb, FF1_BLOCK);
        return crypto_failed();
    }
    f->radix = radix;
    f->n = n;
    f->tlen = tlen;
    f->cached = true;
    return PII_OK;
}

/* ------------------------------------------------------------------------ */
/* FF1                                                                      */
/* ------------------------------------------------------------------------ */

static pii_status ff1_check(const pii_ff1 *f, unsigned radix, const uint8_t *tweak, size_t tlen,
                            const uint8_t *x, const uint8_t *out, size_t n)
{
    if (f == NULL || x == NULL || out == NULL || (tweak == NULL && tlen != 0)) {
        return PII_E_INTERNAL; /* API misuse */
    }
    if (radix < PII_FF1_MIN_RADIX || radix > PII_FF1_MAX_RADIX || n < 2 ||
        n > PII_FF1_MAX_LEN || tlen > PII_FF1_MAX_TWEAK || !domain_ok(radix, n)) {
        return PII_E_CONFIG;
    }
    for (size_t i = 0; i < n; i++) {
        if (x[i] >= radix) {
            return PII_E_CONFIG;
        }
    }
    return PII_OK;
}

static pii_status ff1_crypt(pii_ff1 *f, unsigned radix, const uint8_t *tweak, size_t tlen,
                            const uint8_t *x, uint8_t *out, size_t n, bool dec)
{
    ff1_work w;
    pii_status st = ff1_check(f, radix, tweak, tlen, x, out, n);
    size_t u = n / 2u;
    size_t v = n - u;

    if (st != PII_OK) {
        return st;
    }
    st = ff1_setup(f, radix, n, tlen);
    if (st != PII_OK) {
        return st;
    }

    /* From here on w holds secrets: leave only through `out`. */
    uint8_t *a = w.half[0];
    uint8_t *b = w.half[1];
    size_t la = u;
    size_t lb = v;
    size_t tfull = tlen - tlen % FF1_BLOCK;
    size_t trem = tlen % FF1_BLOCK;
    size_t pad = (FF1_BLOCK - (tlen + f->b + 1u) % FF1_BLOCK) % FF1_BLOCK;
    size_t ipos = trem + pad;          /* offset of [i]^1 in the Q tail */
    size_t qlen = ipos + 1u + f->b;    /* a multiple of 16 */
    size_t nblocks = (f->d + FF1_BLOCK - 1u) / FF1_BLOCK;

    memcpy(a, x, u);
    memcpy(b, x + u, v);

    /* MAC state after P and the tweak's whole blocks: the same every round. */
    memcpy(w.mac0, f->p_mac, FF1_BLOCK);
    if (tfull > 0 && !cbc_mac(f, w.mac0, tweak, tfull)) {
        st = crypto_failed();
        goto out;
    }
    if (trem > 0) {
        memcpy(w.q, tweak + tfull, trem);
    }
    memset(w.q + trem, 0, pad);

    for (unsigned round = 0; round < FF1_ROUNDS; round++) {
        unsigned i = dec ? FF1_ROUNDS - 1u - round : round;
        size_t m = i % 2u == 0u ? u : v;
        /* Encrypt: Q from B, C replaces A. Decrypt: Q from A, C replaces B. */
        const uint8_t *src = dec ? a : b;
        size_t lsrc = dec ? la : lb;
        uint8_t *dst = dec ? b : a;
        uint8_t *tmp;
        size_t ltmp;

        w.q[ipos] = (uint8_t)i;
        num_to_bytes(f, w.limb, src, lsrc, w.q + ipos + 1u);

        /* R = PRF(P || Q) */
        memcpy(w.s, w.mac0, FF1_BLOCK);
        if (!cbc_mac(f, w.s, w.q, qlen)) {
            st = crypto_failed();
            goto out;
        }
        /* S = R || CIPH(R ^ [1]^16) || CIPH(R ^ [2]^16) || ... (first d bytes) */
        if (nblocks > 1u) {
            for (size_t j = 1; j < nblocks; j++) {
                memcpy(w.s + FF1_BLOCK * j, w.s, FF1_BLOCK);
                w.s[FF1_BLOCK * j + FF1_BLOCK - 1u] ^= (uint8_t)j;
            }
            if (!aes_ecb(f, w.s + FF1_BLOCK, w.s + FF1_BLOCK, FF1_BLOCK * (nblocks - 1u))) {
                st = crypto_failed();
                goto out;
            }
        }
        /* y = NUM(S[0, d)) */
        for (size_t j = 0; j < f->d / 4u; j++) {
            w.limb[j] = get_be32(w.s + f->d - 4u * (j + 1u));
        }
        add_y_mod(f, w.limb, dst, m, dec);

        /* Encrypt: A = B, B = C. Decrypt: B = A, A = C. Both are a swap. */
        tmp = a;
        a = b;
        b = tmp;
        ltmp = la;
        la = lb;
        lb = ltmp;
    }
    memcpy(out, a, la);
    memcpy(out + la, b, lb);

out:
    sodium_memzero(&w, sizeof w);
    return st;
}

/* ------------------------------------------------------------------------ */
/* public functions                                                         */
/* ------------------------------------------------------------------------ */

pii_status pii_ff1_new(const uint8_t *key, size_t key_len, pii_ff1 **out)
{
    const EVP_CIPHER *cipher;
    pii_ff1 *f;

    if (out == NULL) {
        return PII_E_INTERNAL;
    }
    *out = NULL;
    if (!pii_ff1_available(NULL)) {
        return PII_E_CRYPTO;
    }
    switch (key_len) {
    case 16:
        cipher = crypto.aes_ecb[0]();
        break;
    case 24:
        cipher = crypto.aes_ecb[1]();
        break;
    case 32:
        cipher = crypto.aes_ecb[2]();
        break;
    default:
        return PII_E_CRYPTO;
    }
    if (key == NULL || cipher == NULL) {
        return PII_E_CRYPTO;
    }
    f = pii_calloc(1, sizeof *f);
    if (f == NULL) {
        return PII_E_NOMEM;
    }
    f->ctx = crypto.ctx_new();
    if (f->ctx == NULL) {
        pii_free_mem(f);
        return PII_E_NOMEM;
    }
    if (crypto.init(f->ctx, cipher, NULL, key, NULL) != 1 || crypto.set_padding(f->ctx, 0) != 1) {
        pii_ff1_free(f);
        return crypto_failed();
    }
    *out = f;
    return PII_OK;
}

void pii_ff1_free(pii_ff1 *f)
{
    if (f == NULL) {
        return;
    }
    if (f->ctx != NULL) {
        crypto.ctx_free(f->ctx); /* wipes the key schedule */
    }
    sodium_memzero(f, sizeof *f);
    pii_free_mem(f);
}

pii_status pii_ff1_encrypt(pii_ff1 *f, unsigned radix, const uint8_t *tweak, size_t tlen,
                           const uint8_t *x, uint8_t *out, size_t n)
{
    return ff1_crypt(f, radix, tweak, tlen, x, out, n, false);
}

pii_status pii_ff1_decrypt(pii_ff1 *f, unsigned radix, const uint8_t *tweak, size_t tlen,
                           const uint8_t *x, uint8_t *out, size_t n)
{
    return ff1_crypt(f, radix, tweak, tlen, x, out, n, true);
}
