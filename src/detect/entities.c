/*
 * entities.c - the table of built-in entity types: the names users type,
 * the labels redaction writes, an example for `piiscrub entities`, and the
 * priority used to break overlaps of equal length.
 */
#include <string.h>

#include "common/pii_compiler.h"
#include "detect/detect.h"

static const pii_entity_def defs[PII_ENT_COUNT] = {
    [PII_ENT_CN_MOBILE] = {{"cn_mobile", "[CN_MOBILE]",
                            "mainland China mobile number (allocated prefixes; +86/0086/86)",
                            "+86 138-1234-5678", PII_ACTION_MASK},
                           70},
    [PII_ENT_CN_ID] = {{"cn_id", "[CN_ID]",
                        "mainland resident ID, 18-digit (MOD 11-2, date, region) or 15-digit",
                        "11010519491231002X", PII_ACTION_MASK},
                       90},
    [PII_ENT_BANK_CARD] = {{"bank_card", "[BANK_CARD]",
                            "payment card number, 13-19 digits (Luhn, known issuer range)",
                            "6222 0212 3456 7894", PII_ACTION_MASK},
                           80},
    [PII_ENT_EMAIL] = {{"email", "[EMAIL]", "e-mail address", "zhang.san@example.com",
                        PII_ACTION_MASK},
                       60},
    [PII_ENT_IPV4] = {{"ipv4", "[IPV4]", "IPv4 address (valid octets)", "203.0.113.42",
                       PII_ACTION_MASK},
                      50},
};

const pii_entity_def *pii_entity_def_get(pii_entity_type t)
{
    return (unsigned)t < PII_ENT_COUNT ? &defs[t] : NULL;
}

int pii_entity_lookup(const char *name)
{
    for (int i = 0; i < PII_ENT_COUNT; i++) {
        if (strcmp(defs[i].info.name, name) == 0)
            return i;
    }
    return -1;
}

size_t pii_entity_count(void)
{
    return PII_ENT_COUNT;
}

const pii_entity_info *pii_entity_get(size_t index)
{
    return index < PII_ENT_COUNT ? &defs[index].info : NULL;
}
