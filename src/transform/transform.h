/*
 * transform.h - stage 4: render one finding according to its action.
 */
#ifndef PII_TRANSFORM_H
#define PII_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>

#include "common/pii_buf.h"
#include "common/pii_entity.h"
#include "piiscrub/piiscrub.h"

/*
 * Append the transformed form of value v[0, n) (type t) to out.
 *   mask    the usual 脱敏 conventions; each hidden *character* (ASCII or
 *           full-width) becomes one '*', separators stay in place;
 *   redact  the type's label, e.g. [CN_MOBILE];
 *   keep    the bytes unchanged.
 * @return PII_OK, PII_E_NOMEM or PII_E_LIMIT (output cap).
 */
PII_NODISCARD pii_status pii_transform_render(pii_entity_type t, pii_action a, const uint8_t *v,
                                              size_t n, const char *label, pii_buf *out);

#endif /* PII_TRANSFORM_H */
