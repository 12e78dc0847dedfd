/*
 * policy.h - the policy file: what to do with each CSV column / JSON field
 * and with each entity type found by the detectors.
 *
 * A policy is a YAML mapping (examples/policy.yaml shows every key):
 *
 *   version: 1                          required, must be 1
 *   key_file: PATH                      optional; for token and fpe
 *   defaults: {action: A}               optional; A is an entity action
 *   entities: {TYPE: A | {action: A, keep_first: N, keep_last: N}}
 *   fields:   {NAME: FIELD_ACTION | {action: FIELD_ACTION, ...}}
 *
 * Entity actions are the pii_action names (mask, redact, keep, token,
 * fpe); field actions add drop, noise, generalize and scan. The parser
 * checks the file's shape and every value; it does not know which entity
 * types exist (user pattern files add types), so it keeps the position of
 * every type name for the caller's "unknown entity type" check.
 *
 * Errors: PII_E_CONFIG for a bad policy, PII_E_LIMIT beyond the limits
 * below, PII_E_IO / PII_E_NOMEM. Messages about the file's content are
 * exactly "SOURCE:LINE:COLUMN: message" (1-based; columns count
 * characters); file-level failures (cannot read, too large, out of memory)
 * are "SOURCE: message". Messages quote names and values only up to
 * PII_POLICY_QUOTE_MAX characters; longer ones are described, not quoted.
 */
#ifndef PII_POLICY_H
#define PII_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pii_compiler.h"
#include "piiscrub/piiscrub.h"
#include "transform/generalize.h" /* pii_gen_unit, pii_gen_level */
#include "transform/noise.h"      /* pii_mechanism */

#define PII_POLICY_MAX_BYTES (1024u * 1024u) /* file size */
#define PII_POLICY_MAX_FIELDS 1000u          /* entries under fields */
#define PII_POLICY_MAX_ENTITIES 1000u        /* entries under entities */
#define PII_POLICY_KEEP_MAX 32               /* keep_first / keep_last */
#define PII_POLICY_BAND_MAX 1000000000L      /* generalize band */
#define PII_POLICY_SHIFT_MAX 36500L          /* date_shift: at most 100 years of days */
#define PII_POLICY_QUOTE_MAX 40              /* longest value quoted in a message, in characters */
#define PII_POLICY_QUOTE_SIZE (4 * PII_POLICY_QUOTE_MAX + 3)

/* A position in the policy file; 1-based line and column (in characters). */
typedef struct {
    unsigned line;
    unsigned column;
} pii_policy_pos;

/* What to do with a field's value. The first five are numbered like
 * pii_action (static-asserted in policy.c), so a whole-value action converts
 * with a cast: (pii_action)f->action when f->action <= PII_FIELD_FPE. */
typedef enum {
    PII_FIELD_MASK = 0,
    PII_FIELD_REDACT = 1,
    PII_FIELD_KEEP = 2,
    PII_FIELD_TOKEN = 3,
    PII_FIELD_FPE = 4,
    PII_FIELD_DROP = 5,       /* remove the column / key */
    PII_FIELD_NOISE = 6,      /* differentially private numeric noise (noise) */
    PII_FIELD_GENERALIZE = 7, /* coarsen the value (gen) */
    PII_FIELD_SCAN = 8,       /* run the detectors inside the value */
} pii_field_action;

typedef struct {
    pii_mechanism mechanism;       /* laplace when not given */
    double epsilon;                /* > 0 */
    double delta;                  /* gaussian: 0 < delta < 1; otherwise 0 */
    double sensitivity;            /* > 0; clamp_hi - clamp_lo when not given */
    bool sensitivity_given;
    double clamp_lo; /* clamp_lo < clamp_hi; values are clamped before noise */
    double clamp_hi;
} pii_policy_noise;

typedef enum {
    PII_GEN_BAND = 0,       /* band: integer width >= 1 (age 37 -> 30-39) */
    PII_GEN_TOP = 1,        /* top: values above it are top-coded */
    PII_GEN_DATE = 2,       /* date: truncate a date to day / month / year */
    PII_GEN_DATE_SHIFT = 3, /* date_shift: keyed shift of up to N days, per key_field value */
    PII_GEN_LEVEL = 4,      /* level: keep an address down to province / city / district */
    PII_GEN_PREFIX = 5,     /* prefix: keep an IPv4 /16 or /24 */
} pii_generalize_kind;

/* One option, named by kind (band and top may come together: kind is then
 * PII_GEN_BAND with has_top); the members of other kinds are 0. */
typedef struct {
    pii_generalize_kind kind;
    long band;              /* PII_GEN_BAND: 1..PII_POLICY_BAND_MAX */
    bool has_top;           /* top given (PII_GEN_TOP, or PII_GEN_BAND with top) */
    double top;             /* top-coding threshold: v >= top becomes "top+" */
    pii_gen_unit date;      /* PII_GEN_DATE */
    long shift_days;        /* PII_GEN_DATE_SHIFT: 1..PII_POLICY_SHIFT_MAX */
    char *key_field;        /* PII_GEN_DATE_SHIFT: owned field name; else NULL */
    pii_policy_pos key_field_pos;
    pii_gen_level level;     /* PII_GEN_LEVEL */
    unsigned prefix;         /* PII_GEN_PREFIX: 16 or 24 */
} pii_policy_generalize;

/* One entry of `entities`. */
typedef struct {
    char *name;         /* owned entity type name, unchecked */
    pii_policy_pos pos; /* of the name */
    pii_action action;
    int keep_first; /* 0..PII_POLICY_KEEP_MAX, or -1 when not given (mask/fpe only) */
    int keep_last;
} pii_policy_entity;

/* One entry of `fields`. */
typedef struct {
    char *name;         /* owned CSV header name or JSON path (user.phone, items[].x, *.email) */
    pii_policy_pos pos; /* of the name */
    bool is_path;       /* the name contains '.', '[]' or '*' (checked path syntax) */
    pii_field_action action;
    char *type; /* owned entity type name (whole-value actions), unchecked; or NULL */
    pii_policy_pos type_pos;
    pii_policy_noise noise;     /* PII_FIELD_NOISE */
    pii_policy_generalize gen;  /* PII_FIELD_GENERALIZE */
} pii_policy_field;

typedef struct pii_policy {
    char *source;    /* owned copy of the name used in messages */
    unsigned version;
    char *key_file;  /* owned, as written (relative paths unresolved); or NULL */
    pii_policy_pos key_file_pos;
    bool has_default_action;
    pii_action default_action; /* PII_ACTION_MASK when not given */
    pii_policy_pos default_pos;
    pii_policy_entity *entities; /* in file order */
    size_t nentities;
    pii_policy_field *fields; /* in file order */
    size_t nfields;
} pii_policy;

/* Parse policy text[0, len) (borrowed; need not be NUL-terminated);
 * `source` names it in messages. On success *out is an owned policy; on
 * error *out is NULL and err (may be NULL) holds the message. */
PII_NODISCARD pii_status pii_policy_parse(const char *text, size_t len, const char *source,
                                          pii_policy **out, pii_error *err);

/* Read and parse the file at `path` (named by `path` in messages).
 * PII_E_IO when it cannot be read, PII_E_LIMIT beyond PII_POLICY_MAX_BYTES. */
PII_NODISCARD pii_status pii_policy_load_file(const char *path, pii_policy **out, pii_error *err);

void pii_policy_free(pii_policy *p); /* NULL ok */

/* For callers that check names after parsing: set err to
 * "SOURCE:LINE:COLUMN: message" at `pos` of policy `p`; returns `status`. */
pii_status pii_policy_error_at(pii_error *err, pii_status status, const pii_policy *p,
                               pii_policy_pos pos, const char *fmt, ...) PII_PRINTF(5, 6);

/* Quote s for a message: "'s'" when it has at most PII_POLICY_QUOTE_MAX
 * characters and no control characters, otherwise a description such as
 * "(a value of 57 characters)". Writes into buf; returns buf. */
const char *pii_policy_quote(const char *s, char buf[PII_POLICY_QUOTE_SIZE]);

#endif /* PII_POLICY_H */
