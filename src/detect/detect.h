/*
 * detect.h - stage 3: find personal data in a buffer.
 *
 * The scanner walks the buffer once looking for anchor bytes (digits,
 * full-width digits, '@'); only around an anchor does it build a candidate
 * (a chain of digit groups, a dotted quad, an e-mail shape) and hand it to
 * the pure validators in validate.h. Text that holds no anchor costs one
 * table look-up per byte.
 */
#ifndef PII_DETECT_H
#define PII_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pii_entity.h"
#include "piiscrub/piiscrub.h"

/* Growable list of findings; reused across calls to avoid allocation. */
typedef struct {
    pii_finding *v;
    size_t len;
    size_t alloc;
} pii_findings;

void pii_findings_free(pii_findings *f);

/* Immutable detection settings, shared by threads. */
typedef struct {
    uint32_t enabled; /* bit (1u << pii_entity_type) */
    uint32_t today;   /* YYYYMMDD, upper bound for birth dates */
} pii_detect_cfg;

enum {
    PII_SCAN_LEFT_OPEN = 1u << 0,  /* buf[0] is not the start of the record */
    PII_SCAN_RIGHT_OPEN = 1u << 1, /* the record continues after buf[len-1] */
};

/* Longest span any built-in detector reports, in bytes. Windowing of long
 * records keeps at least this much look-ahead so no entity is cut. */
#define PII_DETECT_MAX_SPAN 1024
/* Bytes of left context a detector may look at before a candidate. */
#define PII_DETECT_LOOKBEHIND 256

/*
 * Scan buf[0, len) and append every finding whose start is >= `from` to
 * `out` (cleared first), sorted by start and free of overlaps (see
 * pii_detect_resolve). Bytes before `from` serve as context only.
 * Candidates never cross a '\n'.
 * @return PII_OK or PII_E_NOMEM.
 */
PII_NODISCARD pii_status pii_detect_scan(const pii_detect_cfg *cfg, const uint8_t *buf,
                                         size_t len, size_t from, unsigned flags,
                                         pii_findings *out);

/*
 * Make findings non-overlapping, deterministically: sort by start; when two
 * overlap, the longer span wins, then the higher priority, then the earlier
 * start. Runs in O(n log n).
 */
void pii_detect_resolve(pii_findings *f);

/* Built-in entity table (names, labels, default actions, priorities). */
typedef struct {
    pii_entity_info info;
    uint8_t priority;
} pii_entity_def;

const pii_entity_def *pii_entity_def_get(pii_entity_type t);

/* Entity type by name; -1 when unknown. */
int pii_entity_lookup(const char *name);

#endif /* PII_DETECT_H */
