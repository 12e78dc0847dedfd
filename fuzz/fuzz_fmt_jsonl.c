/*
 * fuzz_fmt_jsonl.c - the JSON half of src/format/format.h (fmt_jsonl.c) on
 * fuzzed bytes.
 *
 * Every text is an exactly sized heap copy, so a function reading past `n`
 * is an ASan report. The harness walks the text (and, with flag bit 0,
 * every prefix up to PREFIXES bytes) and checks:
 *   walk      the status is the same with and without a visitor; scalars
 *             come in document order without overlapping, inside [0, n);
 *             a string span starts and ends with '"' and unescapes
 *             (PII_E_PARSE never), its value escapes and unescapes back;
 *             a number span matches the RFC 8259 grammar (checked by a
 *             reference written here); the path is NUL-terminated in the
 *             buffer, matches itself, matches with its first key replaced
 *             by "*" and does not match with an extra "[]"; a visitor's
 *             status stops the walk and is returned;
 *   nesting   a document that walks OK still walks OK (or hits the depth
 *             limit) wrapped in "[...]", with the same number of scalars
 *             and every path prefixed by "[]";
 *   strings   pii_json_unescape() accepts the text exactly when the walker
 *             accepts it as a single string filling it; escape then
 *             unescape of the raw text gives it back, the literal has no
 *             raw control byte and walks as one string with path "";
 *             PII_E_LIMIT leaves a capped buffer unchanged.
 *
 * Input: text, then parameters from the tail (fuzz_helpers.h): one flag
 * byte and the scalar count after which the visitor stops.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/format.h"
#include "fuzz_helpers.h"

#define PREFIXES 128
#define BUF_CAP ((size_t)1 << 24)

static bool ref_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8259 number: -? int frac? exp? over the whole span. */
static bool ref_number(const uint8_t *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || !ref_digit(s[i]))
        return false;
    if (s[i] == '0')
        i++;
    else
        while (i < n && ref_digit(s[i]))
            i++;
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && ref_digit(s[i]))
            i++;
        if (i == d)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < n && ref_digit(s[i]))
            i++;
        if (i == d)
            return false;
    }
    return i == n;
}

static bool same(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* escape v, unescape it back; the literal is one JSON string. */
static void check_escape(const uint8_t *v, size_t n);

typedef struct {
    const uint8_t *rec;
    size_t n;
    size_t count;
    size_t last_end;
    size_t stop_after; /* 0: never */
    bool deep;         /* run the per-scalar string checks */
    char first_path[PII_JSON_MAX_PATH];
} walk_ctx;

static void check_path(const char *path)
{
    size_t len = strnlen(path, PII_JSON_MAX_PATH);
    FUZZ_ASSERT_MSG(len < PII_JSON_MAX_PATH, "path not NUL-terminated");
    if (len >= PII_JSON_MAX_PATH - 1) {
        FUZZ_ASSERT_MSG(!pii_json_path_match(path, path), "a cut path matches");
        return;
    }
    FUZZ_ASSERT_MSG(pii_json_path_match(path, path), "path does not match itself");

    char pat[PII_JSON_MAX_PATH + 8];
    /* first key -> "*", keeping its "[]" suffixes */
    size_t seg = strcspn(path, ".");
    size_t key = seg;
    while (key >= 2 && path[key - 2] == '[' && path[key - 1] == ']')
        key -= 2;
    pat[0] = '*';
    memcpy(pat + 1, path + key, len - key + 1);
    FUZZ_ASSERT_MSG(pii_json_path_match(pat, path), "'*' does not match the first key");
    /* one more "[]" on the last segment never matches */
    memcpy(pat, path, len);
    memcpy(pat + len, "[]", 3);
    FUZZ_ASSERT_MSG(!pii_json_path_match(pat, path), "extra [] matches");
}

static pii_status visit(const pii_json_scalar *s, void *ctx)
{
    walk_ctx *w = ctx;
    FUZZ_ASSERT_MSG(s->start < s->end && s->end <= w->n, "span outside the record");
    FUZZ_ASSERT_MSG(s->start >= w->last_end, "scalars out of order or overlapping");
    w->last_end = s->end;
    const uint8_t *raw = w->rec + s->start;
    size_t rn = s->end - s->start;
    if (s->kind == PII_JSON_STRING) {
        FUZZ_ASSERT_MSG(rn >= 2 && raw[0] == '"' && raw[rn - 1] == '"',
                        "string span without its quotes");
        if (w->deep) {
            pii_buf v;
            pii_buf_init(&v, BUF_CAP);
            FUZZ_ASSERT_MSG(pii_json_unescape(raw, rn, &v) == PII_OK,
                            "walked string does not unescape");
            FUZZ_ASSERT(v.len <= rn - 2);
            check_escape(v.ptr, v.len);
            pii_buf_free(&v);
        }
    } else {
        FUZZ_ASSERT(s->kind == PII_JSON_NUMBER);
        FUZZ_ASSERT_MSG(ref_number(raw, rn), "number span is not a number");
    }
    check_path(s->path);
    if (w->count == 0)
        memcpy(w->first_path, s->path, PII_JSON_MAX_PATH);
    w->count++;
    if (w->stop_after != 0 && w->count == w->stop_after)
        return PII_E_IO;
    return PII_OK;
}

static pii_status walk(const uint8_t *text, size_t n, walk_ctx *w, size_t stop_after, bool deep)
{
    w->rec = text;
    w->n = n;
    w->count = 0;
    w->last_end = 0;
    w->stop_after = stop_after;
    w->deep = deep;
    w->first_path[0] = '\0';
    return pii_json_walk(text, n, visit, w);
}

static void check_escape(const uint8_t *v, size_t n)
{
    pii_buf e, d;
    pii_buf_init(&e, BUF_CAP);
    pii_buf_init(&d, BUF_CAP);
    FUZZ_ASSERT(pii_json_escape(v, n, &e) == PII_OK);
    FUZZ_ASSERT(e.len >= n + 2 && e.ptr[0] == '"' && e.ptr[e.len - 1] == '"');
    for (size_t i = 0; i < e.len; i++)
        FUZZ_ASSERT_MSG(e.ptr[i] >= 0x20, "raw control byte in an escaped literal");
    uint8_t *lit = fuzz_dup_exact(e.ptr, e.len);
    FUZZ_ASSERT(pii_json_unescape(lit, e.len, &d) == PII_OK);
    FUZZ_ASSERT_MSG(same(d.ptr, d.len, v, n), "unescape(escape(v)) != v");

    walk_ctx w;
    FUZZ_ASSERT_MSG(walk(lit, e.len, &w, 0, false) == PII_OK && w.count == 1 &&
                        w.first_path[0] == '\0',
                    "escaped literal is not one JSON string");

    /* too small a buffer: PII_E_LIMIT and unchanged */
    pii_buf small;
    pii_buf_init(&small, e.len);
    FUZZ_ASSERT(pii_buf_append(&small, "x", 1) == PII_OK);
    FUZZ_ASSERT(pii_json_escape(v, n, &small) == PII_E_LIMIT && small.len == 1);
    if (d.len > 0) {
        pii_buf_free(&small);
        pii_buf_init(&small, d.len);
        FUZZ_ASSERT(pii_buf_append(&small, "x", 1) == PII_OK);
        FUZZ_ASSERT(pii_json_unescape(lit, e.len, &small) == PII_E_LIMIT && small.len == 1);
    }
    pii_buf_free(&small);
    free(lit);
    pii_buf_free(&e);
    pii_buf_free(&d);
}

/* Walk text[0, n): visitor / no visitor / early stop / wrapped in [...]. */
static void check_doc(const uint8_t *data, size_t n, size_t stop, bool deep)
{
    uint8_t *text = fuzz_dup_exact(data, n);
    walk_ctx w;
    pii_status st = walk(text, n, &w, 0, deep);
    size_t count = w.count;
    size_t last_end = w.last_end;
    char first_path[PII_JSON_MAX_PATH];
    memcpy(first_path, w.first_path, sizeof first_path);

    FUZZ_ASSERT(st == PII_OK || st == PII_E_PARSE || st == PII_E_LIMIT);
    FUZZ_ASSERT_MSG(pii_json_walk(text, n, NULL, NULL) == st, "status depends on the visitor");
    if (stop > 0 && stop <= count) {
        FUZZ_ASSERT_MSG(walk(text, n, &w, stop, false) == PII_E_IO && w.count == stop,
                        "visitor status did not stop the walk");
    }

    /* pii_json_unescape accepts exactly a single top-level string that
     * fills the text (no whitespace around it) */
    pii_buf u;
    pii_buf_init(&u, BUF_CAP);
    pii_status us = pii_json_unescape(text, n, &u);
    FUZZ_ASSERT(us == PII_OK || us == PII_E_PARSE);
    bool one_string = st == PII_OK && count == 1 && n >= 2 && text[0] == '"' && last_end == n;
    FUZZ_ASSERT_MSG((us == PII_OK) == one_string, "unescape and walk disagree on a literal");
    pii_buf_free(&u);

    if (st == PII_OK) {
        uint8_t *wrapped = malloc(n + 2);
        FUZZ_ASSERT(wrapped != NULL);
        wrapped[0] = '[';
        memcpy(wrapped + 1, text, n);
        wrapped[n + 1] = ']';
        walk_ctx ww;
        pii_status ws = walk(wrapped, n + 2, &ww, 0, false);
        FUZZ_ASSERT_MSG(ws == PII_OK || ws == PII_E_LIMIT, "wrapping a valid document broke it");
        if (ws == PII_OK) {
            FUZZ_ASSERT_MSG(ww.count == count, "wrapping changed the scalars");
            if (count > 0) {
                /* "[]" + ("." if the value is an object) + its path, cut */
                char want[PII_JSON_MAX_PATH + 4];
                size_t fl = strlen(first_path);
                size_t k = 0;
                size_t v = 0;
                while (v < n && (text[v] == ' ' || text[v] == '\t' || text[v] == '\r' ||
                                 text[v] == '\n'))
                    v++;
                want[k++] = '[';
                want[k++] = ']';
                if (v < n && text[v] == '{')
                    want[k++] = '.';
                memcpy(want + k, first_path, fl + 1);
                want[PII_JSON_MAX_PATH - 1] = '\0';
                FUZZ_ASSERT_MSG(strcmp(want, ww.first_path) == 0, "wrapped path not prefixed");
            }
        }
        free(wrapped);
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer p = fuzz_producer_make(data, size);
    unsigned flags = fuzz_producer_range(&p, 0, 255);
    size_t stop = fuzz_producer_range(&p, 0, 16);
    size_t n = fuzz_producer_contract(&p, 0);

    check_doc(data, n, stop, true);
    if (flags & 1u) {
        for (size_t k = 0; k < n && k < PREFIXES; k++)
            check_doc(data, k, stop, false);
    }
    check_escape(data, n);
    return 0;
}
