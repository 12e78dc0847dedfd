/*
 * transform.h - stage 4: render one finding according to its action.
 */
#ifndef PII_TRANSFORM_H
#define PII_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>

#include "common/pii_buf.h"
#include "common/pii_detector.h"
#include "piiscrub/piiscrub.h"

/*
 * Append the transformed form of value v[0, n), found by detector def, to out.
 *   mask    by the detector's mask style; each hidden *character* (ASCII,
 *           full-width or Han) becomes one '*', separators stay in place;
 *   redact  the detector's label, e.g. [CN_MOBILE];
 *   keep    the bytes unchanged.
 * `aux` is the detector's hint for the mask (bytes of an address's division
 * names, of a name's surname).
 * @return PII_OK, PII_E_NOMEM or PII_E_LIMIT (output cap).
 */
PII_NODISCARD pii_status pii_transform_render(const pii_detector_def *def, pii_action a,
                                              const uint8_t *v, size_t n, uint16_t aux,
                                              pii_buf *out);

#endif /* PII_TRANSFORM_H */
