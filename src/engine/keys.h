/*
 * keys.h - piiscrub keys: the key file, the key ring, and derived subkeys.
 *
 * A key file holds one line, "piiscrub-key-v1 ID KEY": ID is 16 hex digits
 * (a keyed BLAKE2b fingerprint of the key, safe to show), KEY the 32 key
 * bytes in base64. Keys never come from the command line. Subkeys are
 * derived per purpose (tokens, FPE) and per entity type with libsodium's
 * KDF, so a token key is never an FPE key and types never share one.
 */
#ifndef PII_KEYS_H
#define PII_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscrub/piiscrub.h"

#define PII_KEY_BYTES 32
#define PII_KEY_ID_BYTES 8
#define PII_KEY_ID_HEX (2 * PII_KEY_ID_BYTES)

typedef struct {
    uint8_t key[PII_KEY_BYTES];
    char id[PII_KEY_ID_HEX + 1];
} pii_key;

/* A ring of keys in guarded memory; the first is the one that encrypts. */
typedef struct {
    pii_key *keys; /* pii_secret_alloc'd */
    size_t n;
} pii_keyring;

void pii_keyring_init(pii_keyring *r);
void pii_keyring_free(pii_keyring *r);

/* Parse key-file text (borrowed) and append its key. Errors name `source`
 * and never quote the file. */
PII_NODISCARD pii_status pii_keyring_add_text(pii_keyring *r, const char *text, size_t len,
                                              const char *source, pii_error *err);

/* Read a key file: refuses files readable by group or others. */
PII_NODISCARD pii_status pii_keyring_add_file(pii_keyring *r, const char *path, pii_error *err);

/* Copy all keys of src into dst (which must be empty). */
PII_NODISCARD pii_status pii_keyring_copy(pii_keyring *dst, const pii_keyring *src);

/* The key with this id, or NULL. */
const pii_key *pii_keyring_find(const pii_keyring *r, const char *id, size_t id_len);

enum { PII_SUBKEY_TOKEN = 0, PII_SUBKEY_FPE = 1, PII_SUBKEY_DATE_SHIFT = 2, PII_SUBKEY_FINGERPRINT = 3 };

/* Derive the 32-byte subkey for (purpose, entity type) from key k. */
PII_NODISCARD pii_status pii_key_derive(const pii_key *k, int purpose, const char *type,
                                        uint8_t out[PII_KEY_BYTES]);

#endif /* PII_KEYS_H */
