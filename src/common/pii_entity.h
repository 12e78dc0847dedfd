/*
 * pii_entity.h - the built-in entity types, shared by detection (which
 * produces them) and transformation (which renders them). Numbering is
 * internal; the public API names types by their string names.
 */
#ifndef PII_ENTITY_H
#define PII_ENTITY_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    PII_ENT_CN_MOBILE = 0,
    PII_ENT_CN_ID,
    PII_ENT_BANK_CARD,
    PII_ENT_EMAIL,
    PII_ENT_IPV4,
    PII_ENT_COUNT
} pii_entity_type;

/* A detected value: byte span [start, end) of the scanned buffer. */
typedef struct {
    size_t start;
    size_t end;
    uint8_t type;       /* pii_entity_type */
    uint8_t priority;   /* higher wins an overlap of equal length */
    uint8_t confidence; /* 0..100 */
} pii_finding;

#endif /* PII_ENTITY_H */
