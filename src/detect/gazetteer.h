/*
 * gazetteer.h - Chinese administrative division names for the address
 * detector.
 *
 * The gazetteer holds the province, prefecture and county-level division
 * names of data/regions (GB/T 2260 as of 2021 plus the NBS 2023 list and its
 * statistical zones), each as its full name (广东省, 深圳市, 南山区,
 * 广西壮族自治区) and - except for the NBS zones - its suffix-stripped short
 * form (广东, 深圳, 南山, 广西; reference/regions/address-tokens.md 1.1).
 * Names that are ordinary words (城区, 比如, 商城, 安康 ...) are left out;
 * the list and the stripping rules are in tools/gen_gazetteer.py, which
 * generates the tables in gazetteer_data.c.
 *
 * Every function is pure: no allocation, no I/O, no mutable state, safe from
 * any thread. Text is UTF-8 passed with an explicit length and never read
 * past it; it need not be NUL-terminated.
 *
 * A match says only "a division name starts here". Short forms of one or two
 * characters are frequent substrings of ordinary text, so the caller should
 * accept them only next to other address tokens (a following level suffix,
 * road / number token, or a preceding higher-level hit).
 */
#ifndef PII_GAZETTEER_H
#define PII_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { PII_GAZ_PROVINCE = 1, PII_GAZ_CITY = 2, PII_GAZ_COUNTY = 3 } pii_gaz_level;

typedef struct {
    size_t len;       /* bytes matched at p */
    uint32_t code;    /* 6-digit GB/T 2260 (or NBS) code of the division */
    uint8_t level;    /* pii_gaz_level */
    bool short_form;  /* matched a suffix-stripped short form (深圳, 南山, 广西) */
    bool ambiguous;   /* the name belongs to several divisions (朝阳区: Beijing
                         110105 and Changchun 220104; 吉林: province and city);
                         code is the first of them - a full name before a short
                         form, then the higher level, then the lowest code;
                         see pii_gazetteer_match_in */
} pii_gaz_hit;

/* O(1): can a gazetteer name start with the UTF-8 character at p? Exact (a
 * bitmap over the code points of the first characters), so false means no
 * match at p; false for n < 3 and for anything but a 3-byte character. */
bool pii_gazetteer_may_start(const uint8_t *p, size_t n);

/* Longest division name (full or short form) that starts at p[0, n); never
 * reads past n; true + *hit on a match (hit untouched otherwise). The match
 * is byte-exact and ends on a character boundary; nothing is required of the
 * text after it (深圳南山 matches 深圳). */
bool pii_gazetteer_match(const uint8_t *p, size_t n, pii_gaz_hit *hit);

/* pii_gazetteer_match, preferring divisions that lie below `within` (a
 * province or prefecture code, typically the previous hit: 深圳市 then
 * 南山区 gives 440305 rather than Hegang's 230404). Only ambiguous names are
 * affected; ambiguous stays true only if several of their divisions lie
 * below `within` (or none does, and the first division is reported).
 * within == 0 is plain pii_gazetteer_match. */
bool pii_gazetteer_match_in(const uint8_t *p, size_t n, uint32_t within, pii_gaz_hit *hit);

/* The names the matcher knows, full and short forms: name i of
 * pii_gazetteer_names() is *len bytes at the returned pointer (not
 * NUL-terminated; every name has at least two characters). */
size_t pii_gazetteer_names(void);
const uint8_t *pii_gazetteer_name_at(size_t i, size_t *len);

/* Parent code of a division (county -> city or province, city -> province),
 * 0 for provinces/unknown. County-level units directly under a province
 * (municipality districts such as 110105, 省直辖 cities such as 429004
 * 仙桃市) have the province as parent. */
uint32_t pii_gazetteer_parent(uint32_t code);

/* Canonical full name of a division code (static storage, UTF-8,
 * NUL-terminated) or NULL. Also for divisions whose names are stop-listed
 * (140302 城区). */
const char *pii_gazetteer_name(uint32_t code);

/* Level of a division code (pii_gaz_level), 0 if unknown. */
uint8_t pii_gazetteer_level(uint32_t code);

/* ------------------------------------------------------------------------ */
/* Internal: layout of the generated tables (gazetteer_data.c), read only   */
/* by gazetteer.c. See the header comment of gazetteer_data.c.              */
/* ------------------------------------------------------------------------ */

#define PII_GAZ_ENTRY_SHORT 1u      /* pii_gaz_entry.flags: a short form */
#define PII_GAZ_ENTRY_AMBIGUOUS 2u  /* pii_gaz_entry.flags: several divisions */
#define PII_GAZ_INFO_LEVEL 3u       /* div_info bits 0-1: pii_gaz_level */
#define PII_GAZ_INFO_PARENT_CITY 4u /* div_info: parent is XXXX00, else XX0000 */

/* One name: the first len bytes of the full name of division div. */
typedef struct {
    uint16_t div;  /* index into codes / div_name / div_info */
    uint8_t len;   /* bytes */
    uint8_t flags; /* PII_GAZ_ENTRY_* */
} pii_gaz_entry;

/* Another division of the ambiguous entry entries[entry]. */
typedef struct {
    uint16_t entry; /* index into entries */
    uint16_t div;   /* index into codes / div_name / div_info */
    uint8_t flags;  /* PII_GAZ_ENTRY_SHORT */
} pii_gaz_alt;

typedef struct {
    const char *const *pool;       /* chunks of NUL-terminated full names */
    const uint32_t *codes;         /* [div_count] ascending */
    const uint16_t *div_name;      /* [div_count] pool chunk << 12 | offset */
    const uint8_t *div_info;       /* [div_count] PII_GAZ_INFO_* */
    size_t div_count;
    uint32_t first_base;           /* code point of bit 0 of first_bits */
    const uint64_t *first_bits;    /* [first_words] first-character set */
    const uint16_t *first_rank;    /* [first_words] set bits before word w */
    size_t first_words;
    const uint16_t *bucket_start;  /* [buckets + 1] into entries */
    const pii_gaz_entry *entries;  /* [entry_count] per bucket: by 2nd char, longest first */
    size_t entry_count;
    const pii_gaz_alt *alts;       /* [alt_count] by entry, preference order */
    size_t alt_count;
} pii_gaz_tables;

extern const pii_gaz_tables pii_gaz_data;

#endif /* PII_GAZETTEER_H */
