/*
 * ruleset.c - compiling detector definitions into the immutable set the
 * scanner uses, and the per-thread PCRE2 workspace.
 *
 * Shape patterns of native kinds are compiled anchored at both ends (they
 * judge a whole candidate); `us_address` patterns are anchored at the
 * start (they find the extent); `regex` patterns are free. All are
 * compiled with PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, so arbitrary bytes are
 * safe subjects, and JIT-compiled where the platform allows. Match and depth
 * limits bound the work of any user pattern on any input.
 */
#include <stdio.h>
#include <string.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "detect/detect.h"
#include "detect/gazetteer.h"

#define MATCH_LIMIT 200000u
#define DEPTH_LIMIT 5000u

pii_status pii_scan_ws_init(pii_scan_ws *ws)
{
    memset(ws, 0, sizeof(*ws));
    ws->md = pcre2_match_data_create(32, NULL);
    ws->mctx = pcre2_match_context_create(NULL);
    ws->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
    if (ws->md == NULL || ws->mctx == NULL || ws->jit == NULL) {
        pii_scan_ws_free(ws);
        return PII_E_NOMEM;
    }
    pcre2_set_match_limit(ws->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(ws->mctx, DEPTH_LIMIT);
    pcre2_jit_stack_assign(ws->mctx, NULL, ws->jit);
    return PII_OK;
}

void pii_scan_ws_free(pii_scan_ws *ws)
{
    pcre2_match_data_free(ws->md);
    pcre2_match_context_free(ws->mctx);
    pcre2_jit_stack_free(ws->jit);
    memset(ws, 0, sizeof(*ws));
}

void pii_detect_cfg_free(pii_detect_cfg *cfg)
{
    for (size_t i = 0; i < cfg->ndet; i++) {
        pcre2_code_free(cfg->det[i].re);
        pii_free_mem(cfg->det[i].ctx);
    }
    pii_free_mem(cfg->det);
    for (int k = 0; k < PII_KIND_COUNT; k++)
        pii_free_mem(cfg->by_kind[k]);
    memset(cfg, 0, sizeof(*cfg));
}

/* The bytes an anchored pattern's subject can start with: an ASCII byte c
 * is possible when the one-byte subject "c" matches or matches partially
 * (PCRE2_PARTIAL_HARD: the subject ended before the pattern could fail).
 * PCRE2 refuses partial matching with PCRE2_ENDANCHORED, so the probe uses
 * a copy compiled without it, which fails on a first byte exactly when the
 * end-anchored pattern does. Bytes of multi-byte characters are always
 * allowed; so is every byte for user regexes, which are not anchored. */
static pii_status first_bytes(pii_detector *det)
{
    memset(det->re_first, 0xFF, sizeof(det->re_first));
    if (det->re == NULL || det->def->kind == PII_KIND_REGEX)
        return PII_OK;
    int code;
    PCRE2_SIZE off;
    pcre2_code *probe = pcre2_compile((PCRE2_SPTR)det->def->pattern, PCRE2_ZERO_TERMINATED,
                                      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ANCHORED, &code,
                                      &off, NULL);
    pcre2_match_data *md = probe ? pcre2_match_data_create_from_pattern(probe, NULL) : NULL;
    if (md == NULL) {
        pcre2_code_free(probe);
        return PII_E_NOMEM; /* it compiled once with the same text */
    }
    for (unsigned c = 0; c < 0x80; c++) {
        uint8_t s = (uint8_t)c;
        int rc = pcre2_match(probe, &s, 1, 0, PCRE2_PARTIAL_HARD, md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            det->re_first[c >> 3] &= (uint8_t) ~(1u << (c & 7));
    }
    pcre2_match_data_free(md);
    pcre2_code_free(probe);
    return PII_OK;
}

static pii_status compile(pii_detector *det, pii_error *err)
{
    const pii_detector_def *def = det->def;
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (def->kind == PII_KIND_US_ADDRESS)
        opts |= PCRE2_ANCHORED;
    else if (def->kind != PII_KIND_REGEX)
        opts |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    int code;
    PCRE2_SIZE off;
    det->re = pcre2_compile((PCRE2_SPTR)def->pattern, PCRE2_ZERO_TERMINATED, opts, &code, &off,
                            NULL);
    if (det->re == NULL) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof(msg));
        pii_error_set(err, PII_E_PATTERN, "%.100s:%u: detector '%s': pattern error at offset %zu: %s",
                      def->source, def->line, def->id, (size_t)off, (const char *)msg);
        if (err)
            err->line = def->line;
        return PII_E_PATTERN;
    }
    if (def->kind == PII_KIND_REGEX) {
        /* a pattern that can match the empty string would report nothing
         * useful and loop on every offset */
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(det->re, NULL);
        int rc = md ? pcre2_match(det->re, (PCRE2_SPTR) "", 0, 0, 0, md, NULL) : -1;
        pcre2_match_data_free(md);
        if (rc >= 0) {
            pii_error_set(err, PII_E_PATTERN, "%.100s:%u: detector '%s': pattern matches the empty "
                          "string", def->source, def->line, def->id);
            return PII_E_PATTERN;
        }
    }
    /* the interpreter where JIT is unavailable */
    det->jit = pcre2_jit_compile(det->re, PCRE2_JIT_COMPLETE) == 0;
    return first_bytes(det);
}

/* Word lengths and first-byte / first-Han-character bitmaps, so that the
 * scanner compares a context word only where its first character is. */
static pii_status index_words(pii_detector *det)
{
    const pii_detector_def *def = det->def;
    size_t n = def->ncontext + def->nnegative;
    det->nctx = def->ncontext;
    det->nneg = def->nnegative;
    if (n == 0)
        return PII_OK;
    det->ctx = pii_calloc(n, sizeof(*det->ctx));
    if (det->ctx == NULL)
        return PII_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *w = i < def->ncontext ? def->context[i] : def->negative[i - def->ncontext];
        const uint8_t *u = (const uint8_t *)w;
        det->ctx[i].w = w;
        det->ctx[i].len = strlen(w);
        if (det->ctx[i].len == 0)
            continue;
        det->first[u[0] >> 3] |= (uint8_t)(1u << (u[0] & 7));
        if (u[0] >= 'a' && u[0] <= 'z') /* words are stored lower-case; text may not be */
            det->first[(u[0] - 32) >> 3] |= (uint8_t)(1u << ((u[0] - 32) & 7));
        if (i < def->ncontext && det->ctx[i].len >= 3 && u[0] >= 0xE0) {
            pii_bit_set(det->han_first, pii_han_key(u));
        }
        if (u[0] >= 0xE0) {
            if (det->ctx[i].len >= 3) {
                pii_bit_set(det->word_han, pii_han_key(u));
            } else {
                memset(det->word_han, 0xFF, sizeof(det->word_han)); /* a broken word: no filter */
            }
        }
    }
    return PII_OK;
}

/* cfg->han_name and addr_pair: where a name label, an address label or a
 * division name can start. Keys are shared by characters with different
 * lead bytes; the union keeps the tests on the safe side. */
static void han_starts(pii_detect_cfg *cfg)
{
    memset(cfg->han_name, 0, sizeof(cfg->han_name));
    memset(cfg->name_pair, 0, sizeof(cfg->name_pair));
    memset(cfg->addr_pair, 0, sizeof(cfg->addr_pair));
    cfg->name_pair_all = false;
    cfg->addr_pair_all = false;
    for (size_t d = 0; d < cfg->ndet; d++) {
        const pii_detector *det = &cfg->det[d];
        pii_kind k = det->def->kind;
        if (k == PII_KIND_CN_NAME) {
            for (int w = 0; w < 64; w++)
                cfg->han_name[w] |= det->han_first[w];
            for (size_t w = 0; w < det->nctx; w++) { /* the labels cn_name.c looks for */
                const uint8_t *u = (const uint8_t *)det->ctx[w].w;
                if (u[0] < 0x80)
                    continue;
                if (det->ctx[w].len < 6)
                    cfg->name_pair_all = true;
                else
                    pii_bit_set(cfg->name_pair, pii_han_pair(u));
            }
        }
        if (k != PII_KIND_CN_ADDRESS)
            continue;
        for (size_t w = 0; w < det->nctx; w++) { /* the labels cn_address.c looks for */
            const uint8_t *u = (const uint8_t *)det->ctx[w].w;
            if (u[0] < 0x80)
                continue;
            if (det->ctx[w].len < 6) {
                cfg->addr_pair_all = true;
                continue;
            }
            pii_bit_set(cfg->addr_pair, pii_han_pair(u));
        }
    }
    for (size_t i = 0; cfg->nkind[PII_KIND_CN_ADDRESS] > 0 && i < pii_gazetteer_names(); i++) {
        size_t n;
        const uint8_t *u = pii_gazetteer_name_at(i, &n);
        if (n < 6) {
            cfg->addr_pair_all = true;
            continue;
        }
        pii_bit_set(cfg->addr_pair, pii_han_pair(u));
    }
    for (size_t w = 0; w < 1024; w++)
        cfg->han_pair[w] = cfg->name_pair[w] | cfg->addr_pair[w];
}

/* cfg->digits_len and digits_first, from the `digits` detectors' length
 * bounds and first-byte sets, in by_kind order. */
static void digit_masks(pii_detect_cfg *cfg)
{
    size_t n = cfg->nkind[PII_KIND_DIGITS];
    if (n > 32) {
        memset(cfg->digits_len, 0xFF, sizeof(cfg->digits_len));
        memset(cfg->digits_first, 0xFF, sizeof(cfg->digits_first));
        return;
    }
    memset(cfg->digits_len, 0, sizeof(cfg->digits_len));
    memset(cfg->digits_first, 0, sizeof(cfg->digits_first));
    for (size_t k = 0; k < n; k++) {
        const pii_detector *det = &cfg->det[cfg->by_kind[PII_KIND_DIGITS][k]];
        uint32_t bit = 1u << k;
        for (size_t l = det->def->min_len; l <= det->def->max_len && l <= PII_DIGITS_LEN_MAX; l++)
            cfg->digits_len[l] |= bit;
        for (unsigned c = 0; c < 256; c++) {
            if (pii_detector_first_ok(det, (uint8_t)c))
                cfg->digits_first[c] |= bit;
        }
    }
}

pii_status pii_detect_cfg_build(pii_detect_cfg *cfg, const pii_detector_def *defs,
                                const bool *enabled, size_t n, pii_error *err)
{
    pii_status st = PII_OK;
    memset(cfg, 0, sizeof(*cfg));
    if (n > PII_MAX_DETECTORS)
        return pii_error_set(err, PII_E_LIMIT, "too many detectors (%zu, at most %d)", n,
                             PII_MAX_DETECTORS);
    cfg->det = pii_calloc(n ? n : 1, sizeof(*cfg->det));
    if (cfg->det == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory compiling detectors");
    for (size_t i = 0; i < n; i++) {
        if (!enabled[i])
            continue;
        pii_detector *det = &cfg->det[cfg->ndet];
        det->def = &defs[i];
        det->validate = pii_validator_get(defs[i].validator);
        det->index = (uint16_t)i;
        cfg->ndet++; /* counted now so that _free releases what follows */
        memset(det->re_first, 0xFF, sizeof(det->re_first)); /* no pattern: any byte */
        if (defs[i].pattern != NULL && (st = compile(det, err)) != PII_OK)
            goto out;
        if ((st = index_words(det)) != PII_OK) {
            pii_error_set(err, st, "out of memory compiling detectors");
            goto out;
        }
        cfg->nkind[defs[i].kind]++;
    }
    for (int k = 0; k < PII_KIND_COUNT; k++) {
        if (cfg->nkind[k] == 0)
            continue;
        cfg->by_kind[k] = pii_calloc(cfg->nkind[k], sizeof(uint16_t));
        if (cfg->by_kind[k] == NULL) {
            st = pii_error_set(err, PII_E_NOMEM, "out of memory compiling detectors");
            goto out;
        }
        size_t m = 0;
        for (size_t d = 0; d < cfg->ndet; d++) {
            if (cfg->det[d].def->kind == (pii_kind)k)
                cfg->by_kind[k][m++] = (uint16_t)d;
        }
        /* highest priority first; stable for equal priorities */
        for (size_t a = 1; a < m; a++) {
            uint16_t x = cfg->by_kind[k][a];
            size_t b = a;
            while (b > 0 && cfg->det[cfg->by_kind[k][b - 1]].def->priority < cfg->det[x].def->priority) {
                cfg->by_kind[k][b] = cfg->by_kind[k][b - 1];
                b--;
            }
            cfg->by_kind[k][b] = x;
        }
    }
    han_starts(cfg);
    digit_masks(cfg);
    pii_detect_cfg_anchors(cfg);
out:
    if (st != PII_OK)
        pii_detect_cfg_free(cfg);
    return st;
}
