/*
 * patfile.h - parsing pattern files into detector definitions.
 */
#ifndef PII_PATFILE_H
#define PII_PATFILE_H

#include <stddef.h>

#include "common/pii_detector.h"
#include "piiscrub/piiscrub.h"

typedef struct {
    pii_detector_def *v;
    size_t len;
    size_t alloc;
} pii_def_list;

/* Parse text[0, len) (one pattern file; `source` names it in messages) and
 * append its detectors to *out. On error nothing is appended and err names
 * source:line. Duplicate ids (also against detectors already in *out) are
 * errors. @return PII_OK, PII_E_PATTERN or PII_E_NOMEM. */
PII_NODISCARD pii_status pii_patfile_parse(const char *text, size_t len, const char *source,
                                           pii_def_list *out, pii_error *err);

void pii_def_list_free(pii_def_list *l);

/* "digits", "email", ... for a kind. */
const char *pii_kind_name(pii_kind k);

/* Index of a named validator, or -1 (validators.c). */
int pii_validator_lookup(const char *name);

#endif /* PII_PATFILE_H */
