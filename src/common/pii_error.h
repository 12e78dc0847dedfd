/*
 * pii_error.h - filling the caller's optional pii_error.
 */
#ifndef PII_ERROR_H
#define PII_ERROR_H

#include "common/pii_compiler.h"
#include "piiscrub/piiscrub.h"

/* Record status and a formatted message (no input bytes!) into err when it
 * is not NULL; returns `status` so callers can `return pii_error_set(...)`. */
pii_status pii_error_set(pii_error *err, pii_status status, const char *fmt, ...) PII_PRINTF(3, 4);

#endif /* PII_ERROR_H */
