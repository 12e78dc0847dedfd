/*
 * transform.h - stage 4: render one finding according to its action.
 */
#ifndef PII_TRANSFORM_H
#define PII_TRANSFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pii_buf.h"
#include "common/pii_detector.h"
#include "piiscrub/piiscrub.h"

#define PII_SUBKEY_BYTES 32
#define PII_KEYID_LEN 16

struct pii_ff1;

/* Per-thread state of the keyed actions for one detector: its subkeys
 * (guarded memory owned by the engine) and a lazily created FF1 context. */
typedef struct {
    const uint8_t *token_key; /* PII_SUBKEY_BYTES or NULL */
    const uint8_t *fpe_key;   /* PII_SUBKEY_BYTES or NULL */
    struct pii_ff1 *ff1;      /* owned by the stream */
} pii_xform_slot;

typedef struct {
    const char *key_id; /* id of the encrypting key (for markers), or NULL */
    bool markers;       /* wrap fpe output in {{fpe:ID:TYPE:...}} */
} pii_xform_opts;

/*
 * Append the transformed form of value v[0, n), found by detector def, to out.
 *   mask    by the detector's mask style; each hidden *character* (ASCII,
 *           full-width or Han) becomes one '*', separators stay in place;
 *   redact  the detector's label, e.g. [CN_MOBILE];
 *   keep    the bytes unchanged;
 *   token   tok_<type>_<24 base32 chars>: keyed BLAKE2b of the canonical value;
 *   fpe     FF1 over the digits by the detector's fpe style, format kept.
 * `aux` is the detector's hint for the mask (bytes of an address's division
 * names, of a name's surname). `slot` may be NULL for mask/redact/keep.
 * @return PII_OK, PII_E_NOMEM, PII_E_LIMIT (output cap), PII_E_CRYPTO, or
 *         PII_E_CONFIG when the action needs a key the slot lacks.
 */
PII_NODISCARD pii_status pii_transform_render(const pii_detector_def *def, pii_action a,
                                              const uint8_t *v, size_t n, uint16_t aux,
                                              pii_xform_slot *slot, const pii_xform_opts *opts,
                                              pii_buf *out);

/* The token of v (exposed for tests): appends "tok_<type>_<base32>". */
PII_NODISCARD pii_status pii_token_render(const pii_detector_def *def, const uint8_t *key,
                                          const uint8_t *v, size_t n, pii_buf *out);

/* The keyed fingerprint of v as found by def (for reports, never in the
 * output): BLAKE2b-128 under `key` (PII_SUBKEY_BYTES) of def->id, a 0
 * byte, and the canonical form the token action hashes; 32 lower-case hex
 * digits and a NUL into hex. PII_E_CRYPTO if the hash fails. */
#define PII_FINGERPRINT_HEX 32
PII_NODISCARD pii_status pii_fingerprint_render(const pii_detector_def *def, const uint8_t *key,
                                                const uint8_t *v, size_t n,
                                                char hex[PII_FINGERPRINT_HEX + 1]);

/* FPE of v under style def->fpe with the FF1 context f; decrypt reverses.
 * Appends the result (same length and layout as v). */
PII_NODISCARD pii_status pii_fpe_apply(const pii_detector_def *def, struct pii_ff1 *f,
                                       bool decrypt, const uint8_t *v, size_t n, pii_buf *out);

#endif /* PII_TRANSFORM_H */
