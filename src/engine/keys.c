/*
 * keys.c - key files, the key ring and subkey derivation.
 *
 * The key id is BLAKE2b-64 of the key under the fixed personal string
 * "piiscrub key id": it identifies a key (in FPE markers, in messages)
 * without revealing anything about it. Subkeys: crypto_kdf_derive_from_key
 * with context "piitoken" or "piifpe01" and, as subkey id, the first 8
 * bytes (little-endian) of BLAKE2b of the entity type's name. Names, not
 * list positions, so that every machine derives the same subkey whatever
 * user patterns it loaded.
 */
#include "engine/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/pii_error.h"
#include "common/pii_secret.h"

#define KEYFILE_MAGIC "piiscrub-key-v1"
#define KEYFILE_MAX 512

void pii_keyring_init(pii_keyring *r)
{
    r->keys = NULL;
    r->n = 0;
}

void pii_keyring_free(pii_keyring *r)
{
    pii_secret_free(r->keys);
    r->keys = NULL;
    r->n = 0;
}

static void key_id(const uint8_t key[PII_KEY_BYTES], char out[PII_KEY_ID_HEX + 1])
{
    static const char personal[] = "piiscrub key id";
    uint8_t h[PII_KEY_ID_BYTES];
    crypto_generichash(h, sizeof(h), (const uint8_t *)personal, sizeof(personal) - 1, key,
                       PII_KEY_BYTES);
    sodium_bin2hex(out, PII_KEY_ID_HEX + 1, h, sizeof(h));
}

/* Grow the ring by one slot (guarded memory is not realloc'able: copy). */
static pii_status ring_grow(pii_keyring *r)
{
    pii_key *nk = pii_secret_alloc((r->n + 1) * sizeof(pii_key));
    if (nk == NULL)
        return PII_E_NOMEM;
    if (r->n > 0)
        memcpy(nk, r->keys, r->n * sizeof(pii_key));
    pii_secret_free(r->keys);
    r->keys = nk;
    return PII_OK;
}

pii_status pii_keyring_add_text(pii_keyring *r, const char *text, size_t len, const char *source,
                                pii_error *err)
{
    if (pii_secret_init() != PII_OK)
        return pii_error_set(err, PII_E_CRYPTO, "libsodium failed to initialise");
    /* one line: MAGIC SP ID SP BASE64 [CR] LF, '#' comment lines allowed */
    const char *p = text, *end = text + len;
    while (p < end && *p == '#') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    size_t ml = sizeof(KEYFILE_MAGIC) - 1;
    if ((size_t)(end - p) < ml + 1 || memcmp(p, KEYFILE_MAGIC, ml) != 0 || p[ml] != ' ')
        return pii_error_set(err, PII_E_CONFIG,
                             "%.200s: not a piiscrub key file (expected '%s ID KEY'; make one "
                             "with 'piiscrub keygen')",
                             source, KEYFILE_MAGIC);
    p += ml + 1;
    const char *id = p;
    while (p < end && *p != ' ')
        p++;
    size_t idl = (size_t)(p - id);
    if (p >= end || idl != PII_KEY_ID_HEX)
        return pii_error_set(err, PII_E_CONFIG, "%.200s: malformed key id", source);
    p++;
    const char *b64 = p;
    while (p < end && *p != '\n' && *p != '\r')
        p++;
    uint8_t tmp[PII_KEY_BYTES + 8];
    size_t got = 0;
    const char *b64_end = NULL;
    int bad = sodium_base642bin(tmp, sizeof(tmp), b64, (size_t)(p - b64), NULL, &got, &b64_end,
                                sodium_base64_VARIANT_ORIGINAL);
    if (bad || got != PII_KEY_BYTES || b64_end != p) {
        sodium_memzero(tmp, sizeof(tmp));
        return pii_error_set(err, PII_E_CONFIG, "%.200s: malformed key (expected %d bytes, base64)",
                             source, PII_KEY_BYTES);
    }
    char want[PII_KEY_ID_HEX + 1];
    key_id(tmp, want);
    if (memcmp(want, id, PII_KEY_ID_HEX) != 0) {
        sodium_memzero(tmp, sizeof(tmp));
        return pii_error_set(err, PII_E_CONFIG, "%.200s: key id does not match the key (damaged?)",
                             source);
    }
    if (pii_keyring_find(r, want, PII_KEY_ID_HEX) != NULL) {
        sodium_memzero(tmp, sizeof(tmp));
        return PII_OK; /* the same key twice is harmless */
    }
    if (ring_grow(r) != PII_OK) {
        sodium_memzero(tmp, sizeof(tmp));
        return pii_error_set(err, PII_E_NOMEM, "out of memory for keys");
    }
    memcpy(r->keys[r->n].key, tmp, PII_KEY_BYTES);
    memcpy(r->keys[r->n].id, want, sizeof(want));
    r->n++;
    sodium_memzero(tmp, sizeof(tmp));
    return PII_OK;
}

pii_status pii_keyring_add_file(pii_keyring *r, const char *path, pii_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return pii_error_set(err, PII_E_IO, "key file %.200s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return pii_error_set(err, PII_E_CONFIG, "key file %.200s: not a regular file", path);
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        close(fd);
        return pii_error_set(err, PII_E_CONFIG,
                             "key file %.200s is accessible by group or others (mode %03o); "
                             "run: chmod 600 %.200s",
                             path, (unsigned)(st.st_mode & 0777), path);
    }
    char *buf = pii_secret_alloc(KEYFILE_MAX);
    if (buf == NULL) {
        close(fd);
        return pii_error_set(err, PII_E_NOMEM, "out of memory for keys");
    }
    size_t n = 0;
    int read_errno = 0;
    for (;;) {
        ssize_t k = read(fd, buf + n, KEYFILE_MAX - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            read_errno = errno;
        if (k <= 0)
            break;
        n += (size_t)k;
        if (n == KEYFILE_MAX)
            break;
    }
    close(fd);
    pii_status st2;
    if (read_errno != 0) {
        /* an input error, not a malformed key: the bytes before it say
         * nothing about the file */
        st2 = pii_error_set(err, PII_E_IO, "key file %.200s: cannot read: %s", path,
                            strerror(read_errno));
        if (err != NULL)
            err->sys_errno = read_errno;
    } else if (n >= KEYFILE_MAX) {
        st2 = pii_error_set(err, PII_E_CONFIG, "key file %.200s: too large", path);
    } else {
        st2 = pii_keyring_add_text(r, buf, n, path, err);
    }
    pii_secret_free(buf);
    return st2;
}

pii_status pii_keyring_copy(pii_keyring *dst, const pii_keyring *src)
{
    if (src->n == 0)
        return PII_OK;
    dst->keys = pii_secret_alloc(src->n * sizeof(pii_key));
    if (dst->keys == NULL)
        return PII_E_NOMEM;
    memcpy(dst->keys, src->keys, src->n * sizeof(pii_key));
    dst->n = src->n;
    return PII_OK;
}

const pii_key *pii_keyring_find(const pii_keyring *r, const char *id, size_t id_len)
{
    if (id_len != PII_KEY_ID_HEX)
        return NULL;
    for (size_t i = 0; i < r->n; i++) {
        if (memcmp(r->keys[i].id, id, PII_KEY_ID_HEX) == 0)
            return &r->keys[i];
    }
    return NULL;
}

pii_status pii_key_derive(const pii_key *k, int purpose, const char *type,
                          uint8_t out[PII_KEY_BYTES])
{
    uint8_t h[8];
    crypto_generichash(h, sizeof(h), (const uint8_t *)type, strlen(type), NULL, 0);
    uint64_t sub = 0;
    for (int i = 7; i >= 0; i--)
        sub = (sub << 8) | h[i];
    const char *ctx = purpose == PII_SUBKEY_TOKEN ? "piitoken"
                      : purpose == PII_SUBKEY_FPE ? "piifpe01"
                      : purpose == PII_SUBKEY_FINGERPRINT ? "piifprnt"
                                                  : "piidshft";
    if (crypto_kdf_derive_from_key(out, PII_KEY_BYTES, sub, ctx, k->key) != 0)
        return PII_E_CRYPTO;
    return PII_OK;
}

pii_status pii_key_generate(char *buf, size_t cap, size_t *len, pii_error *err)
{
    if (pii_secret_init() != PII_OK)
        return pii_error_set(err, PII_E_CRYPTO, "libsodium failed to initialise");
    uint8_t *key = pii_secret_alloc(PII_KEY_BYTES);
    if (key == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory for keys");
    randombytes_buf(key, PII_KEY_BYTES);
    char id[PII_KEY_ID_HEX + 1];
    key_id(key, id);
    char b64[sodium_base64_ENCODED_LEN(PII_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), key, PII_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL);
    pii_secret_free(key);
    int n = snprintf(buf, cap, "# piiscrub key %s: keep it secret (mode 0600)\n%s %s %s\n", id,
                     KEYFILE_MAGIC, id, b64);
    sodium_memzero(b64, sizeof(b64));
    if (n < 0 || (size_t)n >= cap) {
        sodium_memzero(buf, cap);
        return pii_error_set(err, PII_E_LIMIT, "key buffer too small");
    }
    *len = (size_t)n;
    return PII_OK;
}
