/*
 * detect.h - stage 3: find personal data in a buffer.
 *
 * The scanner walks the buffer once looking for anchor bytes (digits,
 * full-width forms, '@', ':', upper-case letters, the lead bytes of Han
 * characters when a Han detector is on); only around an anchor does it
 * build a candidate (a chain of digit groups, a dotted quad, an e-mail
 * shape, a gazetteer hit...) and hand it to the detectors of that kind:
 * length bounds, then the named validator, then the detector's PCRE2 shape
 * pattern on the candidate's normalized text, then context words. User
 * detectors of kind `regex` run PCRE2 JIT over the record.
 */
#ifndef PII_DETECT_H
#define PII_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/pii_detector.h"
#include "detect/anchors.h"
#include "piiscrub/piiscrub.h"

/* A detected value: byte span [start, end) of the scanned buffer. */
typedef struct {
    size_t start;
    size_t end;
    uint16_t det;       /* index into pii_detect_cfg.det */
    uint16_t aux;       /* detector-specific (bytes of an address to keep) */
    uint8_t priority;   /* higher wins an overlap of equal length */
    uint8_t confidence; /* 0..100 */
} pii_finding;

/* Growable list of findings; reused across calls to avoid allocation. */
typedef struct {
    pii_finding *v;
    size_t len;
    size_t alloc;
} pii_findings;

void pii_findings_free(pii_findings *f);
/* Make room for n findings; false when out of memory. */
bool pii_findings_reserve(pii_findings *f, size_t n);

/* A context word with its length, for the scanner's quick look-ups. */
typedef struct {
    const char *w;
    size_t len;
} pii_word;

struct pii_detect_cfg;

/* One compiled detector. Immutable once built; shared by threads. */
typedef struct {
    const pii_detector_def *def;
    /* def->validator's function (pii_validator_get), NULL if none */
    uint8_t (*validate)(const char *s, size_t n, const struct pii_detect_cfg *cfg);
    pcre2_code *re; /* compiled `pattern`, JIT where available; NULL if none */
    bool jit;       /* re was JIT-compiled: pii_detector_match calls the JIT directly */
    uint16_t index; /* position in the engine's definition list */
    pii_word *ctx;  /* context words, then negative words */
    size_t nctx;
    size_t nneg;
    uint8_t first[32];      /* bitmap: first bytes of all context/negative words */
    uint64_t han_first[64]; /* bitmap: Han first characters of context words */
    uint64_t word_han[64];  /* bitmap: first characters (lead >= 0xE0) of all words */
    /* bitmap: bytes a subject of `re` can start with (all set without re);
     * the scanner drops a candidate on its first byte before validating */
    uint8_t re_first[32];
} pii_detector;

static inline bool pii_detector_first_ok(const pii_detector *d, uint8_t c)
{
    return (d->re_first[c >> 3] >> (c & 7)) & 1u;
}

/* Index of a 3-byte Han character in pii_detector.han_first (12 bits). */
/* Match d's pattern on s[0, n) from offset start. With JIT code it calls
 * the JIT directly, which skips pcre2_match's checks of the options and
 * subject: they cost more than the short matches the scanner makes. */
static inline int pii_detector_match(const pii_detector *d, const uint8_t *s, size_t n,
                                     size_t start, pcre2_match_data *md,
                                     pcre2_match_context *mctx)
{
    if (d->jit)
        return pcre2_jit_match(d->re, (PCRE2_SPTR)s, n, start, 0, md, mctx);
    return pcre2_match(d->re, (PCRE2_SPTR)s, n, start, 0, md, mctx);
}

static inline unsigned pii_han_key(const uint8_t *p)
{
    return ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
}

/* Index of two 3-byte characters at p in pii_detect_cfg.addr_pair (16 bits). */
static inline unsigned pii_han_pair(const uint8_t *p)
{
    return ((pii_han_key(p) << 4) ^ pii_han_key(p + 3)) & 0xFFFFu;
}

/* Bit k of a bitmap of 64-bit words (han_first, word_han, addr_pair...). */
static inline bool pii_bit_test(const uint64_t *bm, unsigned k)
{
    return (bm[k >> 6] >> (k & 63)) & 1u;
}

static inline void pii_bit_set(uint64_t *bm, unsigned k)
{
    bm[k >> 6] |= 1ull << (k & 63);
}

static inline bool pii_detector_han_label_may_start(const pii_detector *d, const uint8_t *p)
{
    return pii_bit_test(d->han_first, pii_han_key(p));
}

#define PII_MAX_DETECTORS 256

/* Longest compact candidate the digit-chain reader builds (scanner.c
 * PII_CAND_MAX bounds it; sub-chains have at most 20 digits). */
#define PII_DIGITS_LEN_MAX 95

/* Immutable detection settings, shared by threads. */
typedef struct pii_detect_cfg {
    pii_detector *det; /* enabled detectors */
    size_t ndet;
    /* per kind: indices into det, highest priority first */
    uint16_t *by_kind[PII_KIND_COUNT];
    size_t nkind[PII_KIND_COUNT];
    uint32_t today;         /* YYYYMMDD, upper bound for birth dates */
    uint8_t min_confidence; /* findings below are dropped */
    /* bitmap by pii_han_key: the first characters of name labels */
    uint64_t han_name[64];
    /* bitmaps by pii_han_pair: the first two characters of name labels,
     * of address labels and division names, and of either (*_all: some
     * label or name is one character, so pairs cannot tell) */
    uint64_t name_pair[1024];
    uint64_t addr_pair[1024];
    uint64_t han_pair[1024];
    bool name_pair_all, addr_pair_all;
    /* for the `digits` detectors, bit k standing for by_kind[DIGITS][k]
     * (when there are at most 32 of them; else every bit is set): which
     * accept a compact length, and whose shape can start with a byte */
    uint32_t digits_len[PII_DIGITS_LEN_MAX + 1];
    uint32_t digits_first[256];
    /* the scanner's byte classes, with the anchors no enabled detector
     * needs cleared, and the same anchors for the block classifier */
    uint8_t cls[256];
    pii_anchor_set anchors;
} pii_detect_cfg;

/* Fill cfg->cls and cfg->anchors (scanner.c), once the detectors are set. */
void pii_detect_cfg_anchors(pii_detect_cfg *cfg);

/* Per-thread matching state: PCRE2 match data and limits. */
typedef struct {
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    uint64_t limit_hits; /* PCRE2 match/depth limit reached (failed closed) */
} pii_scan_ws;

PII_NODISCARD pii_status pii_scan_ws_init(pii_scan_ws *ws);
void pii_scan_ws_free(pii_scan_ws *ws);

enum {
    PII_SCAN_LEFT_OPEN = 1u << 0,  /* buf[0] is not the start of the record */
    PII_SCAN_RIGHT_OPEN = 1u << 1, /* the record continues after buf[len-1] */
    /* tests only: no shortcuts, every anchor through its full reader, so
     * that a test can check the shortcuts change nothing */
    PII_SCAN_NO_SHORTCUT = 1u << 2,
};

/* Longest span any built-in detector reports, in bytes. Windowing of long
 * records keeps at least this much look-ahead so no entity is cut. */
#define PII_DETECT_MAX_SPAN 1024
/* Bytes of left context a detector may look at before a candidate. */
#define PII_DETECT_LOOKBEHIND 256

/*
 * Scan buf[0, len) and put every finding whose start is >= `from` into
 * `out` (cleared first), sorted by start and free of overlaps (see
 * pii_detect_resolve). Bytes before `from` serve as context only.
 * Candidates never cross a '\n'. buf may be NULL when len is 0.
 * @return PII_OK or PII_E_NOMEM.
 */
PII_NODISCARD pii_status pii_detect_scan(const pii_detect_cfg *cfg, pii_scan_ws *ws,
                                         const uint8_t *buf, size_t len, size_t from,
                                         unsigned flags, pii_findings *out);

/*
 * Make findings non-overlapping, deterministically: sort by start; when two
 * overlap, the longer span wins, then the higher priority, then the earlier
 * start. Runs in O(n log n).
 */
void pii_detect_resolve(pii_findings *f);

/* ---- building the detector set ------------------------------------------ */

/* Compile the pattern of every definition in defs[0, n) whose enabled[i] is
 * true into *cfg (owned; free with pii_detect_cfg_free). Errors name the
 * pattern file and line and carry PCRE2's message and offset. */
PII_NODISCARD pii_status pii_detect_cfg_build(pii_detect_cfg *cfg, const pii_detector_def *defs,
                                              const bool *enabled, size_t n, pii_error *err);
void pii_detect_cfg_free(pii_detect_cfg *cfg);

/* ---- validators ---------------------------------------------------------- */

/* A validator looks at the compact form of a candidate and returns 0 (not
 * an instance) or a confidence factor 1..100 (100: fully valid). */
typedef uint8_t (*pii_validator_fn)(const char *s, size_t n, const pii_detect_cfg *cfg);

pii_validator_fn pii_validator_get(int index);
const char *pii_validator_name(int index);
size_t pii_validator_count(void);

/* ---- built-in pattern files (embedded at build time) --------------------- */

typedef struct {
    const char *name; /* "cn_mobile.pat" */
    const char *text;
    size_t len;
} pii_embedded_file;

extern const pii_embedded_file pii_builtin_pattern_files[];
extern const size_t pii_builtin_pattern_files_count;

#endif /* PII_DETECT_H */
