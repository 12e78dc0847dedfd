/*
 * gazetteer.c - lookups in the administrative division gazetteer (see
 * gazetteer.h).
 *
 * Overview: the tables live in the generated gazetteer_data.c (built by
 * tools/gen_gazetteer.py from data/regions). Names are bucketed by their
 * first character: a bitmap over the code points that start a name answers
 * pii_gazetteer_may_start() and, with a per-word rank and a popcount, gives
 * the bucket index. A bucket (7 names on average, under 100 for 南 / 新 / 东)
 * is sorted by the bytes of the second character and then longest first: a
 * binary search finds the run of names sharing the text's first two
 * characters (2 names on average, at most 11), and the first of them that
 * equals the text is the longest match; every name has at least two
 * characters. Division codes are sorted, so parent / name / level and the
 * context check of pii_gazetteer_match_in() are binary searches. Every
 * function takes an explicit length, never reads past it, allocates
 * nothing, does no I/O and touches no state other than the const tables.
 */
#include "gazetteer.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Code point of a 3-byte UTF-8 character at p (U+0800..U+FFFF), which is
 * where every Han character of the tables lies; false for anything else or
 * when fewer than 3 bytes remain. For 3-byte sequences the mapping between
 * bytes and code point is one-to-one, so equal code points mean equal
 * bytes. */
static bool decode3(const uint8_t *p, size_t n, uint32_t *cp)
{
    if (n < 3 || (p[0] & 0xF0u) != 0xE0u || (p[1] & 0xC0u) != 0x80u ||
        (p[2] & 0xC0u) != 0x80u) {
        return false;
    }
    *cp = ((uint32_t)(p[0] & 0x0Fu) << 12) | ((uint32_t)(p[1] & 0x3Fu) << 6) |
          (uint32_t)(p[2] & 0x3Fu);
    return true;
}

/* Number of set bits (portable SWAR form; compilers turn it into popcnt). */
static unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Bucket of names starting with the character at p; false when no name
 * starts with it. */
static bool first_bucket(const uint8_t *p, size_t n, size_t *bucket)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    uint32_t cp;
    uint32_t off;
    uint64_t word;
    uint64_t bit;

    if (!decode3(p, n, &cp) || cp < t->first_base) {
        return false;
    }
    off = cp - t->first_base;
    if (off / 64u >= t->first_words) {
        return false;
    }
    word = t->first_bits[off / 64u];
    bit = UINT64_C(1) << (off % 64u);
    if ((word & bit) == 0) {
        return false;
    }
    *bucket = (size_t)t->first_rank[off / 64u] + popcount64(word & (bit - 1u));
    return true;
}

/* Full name of division i (pool chunk in the top 4 bits of div_name[i], byte
 * offset in the chunk in the low 12). */
static const char *div_name(size_t i)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    unsigned v = t->div_name[i];

    return t->pool[v >> 12] + (v & 0xFFFu);
}

/* Index of a division code in the sorted code table, or div_count. */
static size_t find_code(uint32_t code)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    size_t lo = 0;
    size_t hi = t->div_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t v = t->codes[mid];

        if (v == code) {
            return mid;
        }
        if (v < code) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return t->div_count;
}

/* Parent of division i (see pii_gazetteer_parent). */
static uint32_t parent_of(size_t i)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    uint32_t code = t->codes[i];
    uint8_t info = t->div_info[i];

    if ((info & PII_GAZ_INFO_LEVEL) == PII_GAZ_PROVINCE) {
        return 0;
    }
    if (info & PII_GAZ_INFO_PARENT_CITY) {
        return code / 100u * 100u;
    }
    return code / 10000u * 10000u;
}

/* Does division i lie strictly below division code `within`? */
static bool below(size_t i, uint32_t within)
{
    const pii_gaz_tables *t = &pii_gaz_data;

    /* At most two steps: county -> prefecture -> province. */
    for (uint32_t up = parent_of(i); up != 0;) {
        if (up == within) {
            return true;
        }
        i = find_code(up);
        if (i == t->div_count) {
            return false;
        }
        up = parent_of(i);
    }
    return false;
}

/* Code, level and short_form of a hit on division div. */
static void set_division(pii_gaz_hit *hit, size_t div, uint8_t flags)
{
    const pii_gaz_tables *t = &pii_gaz_data;

    hit->code = t->codes[div];
    hit->level = (uint8_t)(t->div_info[div] & PII_GAZ_INFO_LEVEL);
    hit->short_form = (flags & PII_GAZ_ENTRY_SHORT) != 0;
}

/* hit is on the ambiguous entry `entry`: report its first division that lies
 * below `within`, ambiguous only if more than one (or none) does. */
static void resolve_within(size_t entry, uint32_t within, pii_gaz_hit *hit)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    size_t lo = 0;
    size_t hi = t->alt_count;
    unsigned inside = below(t->entries[entry].div, within) ? 1u : 0u;

    while (lo < hi) { /* first alternative of the entry */
        size_t mid = lo + (hi - lo) / 2;

        if (t->alts[mid].entry < entry) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (size_t k = lo; k < t->alt_count && t->alts[k].entry == entry; k++) {
        const pii_gaz_alt *a = &t->alts[k];

        if (!below(a->div, within)) {
            continue;
        }
        if (inside == 0) {
            set_division(hit, a->div, a->flags);
        }
        inside++;
    }
    hit->ambiguous = inside != 1;
}

/* ------------------------------------------------------------------------ */
/* public                                                                   */
/* ------------------------------------------------------------------------ */

size_t pii_gazetteer_names(void)
{
    return pii_gaz_data.entry_count;
}

const uint8_t *pii_gazetteer_name_at(size_t i, size_t *len)
{
    const pii_gaz_entry *e = &pii_gaz_data.entries[i];

    *len = e->len;
    return (const uint8_t *)div_name(e->div);
}

bool pii_gazetteer_may_start(const uint8_t *p, size_t n)
{
    size_t bucket;

    return first_bucket(p, n, &bucket);
}

bool pii_gazetteer_match(const uint8_t *p, size_t n, pii_gaz_hit *hit)
{
    return pii_gazetteer_match_in(p, n, 0, hit);
}

bool pii_gazetteer_match_in(const uint8_t *p, size_t n, uint32_t within, pii_gaz_hit *hit)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    size_t bucket;
    size_t lo;
    size_t hi;

    /* Every name has two characters of 3 bytes; the first is equal by
     * construction of the bucket. */
    if (n < 6 || !first_bucket(p, n, &bucket)) {
        return false;
    }
    lo = t->bucket_start[bucket];
    hi = t->bucket_start[bucket + 1];
    while (lo < hi) { /* first name whose second character is >= the text's */
        size_t mid = lo + (hi - lo) / 2;

        if (memcmp(div_name(t->entries[mid].div) + 3, p + 3, 3) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    /* Names sharing the first two characters, longest first. */
    for (size_t i = lo; i < t->bucket_start[bucket + 1]; i++) {
        const pii_gaz_entry *e = &t->entries[i];
        const char *name = div_name(e->div);

        if (memcmp(name + 3, p + 3, 3) != 0) {
            break;
        }
        if (e->len > n || memcmp(name + 6, p + 6, (size_t)e->len - 6u) != 0) {
            continue;
        }
        hit->len = e->len;
        set_division(hit, e->div, e->flags);
        hit->ambiguous = (e->flags & PII_GAZ_ENTRY_AMBIGUOUS) != 0;
        if (hit->ambiguous && within != 0) {
            resolve_within(i, within, hit);
        }
        return true;
    }
    return false;
}

uint32_t pii_gazetteer_parent(uint32_t code)
{
    size_t i = find_code(code);

    return i == pii_gaz_data.div_count ? 0 : parent_of(i);
}

const char *pii_gazetteer_name(uint32_t code)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    size_t i = find_code(code);

    return i == t->div_count ? NULL : div_name(i);
}

uint8_t pii_gazetteer_level(uint32_t code)
{
    const pii_gaz_tables *t = &pii_gaz_data;
    size_t i = find_code(code);

    return i == t->div_count ? 0 : (uint8_t)(t->div_info[i] & PII_GAZ_INFO_LEVEL);
}
