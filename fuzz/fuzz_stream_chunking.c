/*
 * fuzz_stream_chunking.c - differential test of the streaming API.
 *
 * 1. pii_redact_buffer (one shot) and pii_stream_push / pii_stream_finish fed
 *    in fuzzed chunk sizes with fuzzed, small output buffers must produce
 *    the same bytes. Output buffers end exactly at the end of a heap block,
 *    so a write past out->size is an ASan report; cursors are checked for
 *    forward progress on every call, and finish is called until it reports
 *    nothing remaining.
 * 2. With every entity's action set to keep, the chunked output equals the
 *    input byte for byte, and that stream counts as many findings as the
 *    stream with the fuzzed actions did (actions never change detection).
 *
 * Window mode (FUZZ_STREAM_WINDOW, built as fuzz_stream_window from
 * fuzz_stream_window.c): a record longer than PII_WINDOW_SIZE is processed
 * in windows (src/engine/stream.c), far beyond libFuzzer's input sizes, so
 * the harness surrounds the fuzzed text with a repeated filler pattern,
 * about one window before it and a little after, so that the first window
 * is cut inside or near the text. Check 2 then runs one shot (cheaper than
 * small chunks). With a neutral filler (no digits, '@', full-width forms or
 * newlines) it is replaced by check 1b: the output must equal the output
 * for the same text behind only a few KiB of filler, which is processed
 * without windows, so where the windows are cut must not change the result.
 * Each run still costs two passes over a megabyte, which is why window mode
 * is a harness of its own rather than a mode that would slow this one down.
 *
 * The entity types are those the public API lists (pii_entity_count /
 * pii_entity_get: the 16 built-in detectors of patterns/builtin); the
 * harness handles up to MAX_TYPES of them.
 *
 * Input: text, then from the tail: four bytes of actions (2 bits per type
 * in pii_entity_get order; 3 = the default), an enabled-type byte (bit 7
 * set: the next two bytes are the mask, bit i for type i; otherwise all
 * types are on); in window mode a filler byte (low 4 bits: pattern) and two
 * bytes placing the window cut relative to the text; then the split point
 * (fuzz_producer_reserve_prefix). Whatever follows the text drives chunk
 * and output buffer sizes; once it runs out, the rest of the input goes in
 * one chunk.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "fuzz_helpers.h"
#include "piiscrub/piiscrub.h"

#ifndef FUZZ_STREAM_WINDOW
#define FUZZ_STREAM_WINDOW 0
#endif

#define TODAY     20261129u
/* 2 bits of actions per type in a uint32_t */
#define MAX_TYPES 16u
/* Bytes the stream buffers before it must cut a window (stream.c IN_CAP). */
#define WINDOW_FILL (PII_WINDOW_SIZE + PII_DETECT_LOOKBEHIND)
/* Filler behind the text in window mode: enough to fill the window. */
#define WINDOW_TAIL (PII_DETECT_MAX_SPAN + PII_DETECT_LOOKBEHIND + 768)
#define OUTMEM_SIZE 65536u

static const char *const fillers[16] = {
    " ",
    "a",
    "1",
    "\xE4\xB8\xAD", /* U+4E2D */
    "13800138000 ",
    "x@qq.com ",
    "10.0.0.1 ",
    "\xEF\xBC\x91", /* full-width 1 */
    "1-",
    "6222021234567894 ",
    "11010519491231002X ",
    "\xE3\x80\x80", /* ideographic space */
    "\r",
    "\xFF",
    "a1",
    "\xE2\x80\x8B", /* zero-width space */
};

/* Filler bytes kept in the unwindowed reference of check 1b; far more than
 * any detector looks back (PII_DETECT_LOOKBEHIND). */
#define NEUTRAL_TAIL 4096u

/* A filler in which nothing can be found and which cannot join with the
 * text into something found (check 1b). */
static bool filler_is_neutral(const char *pat)
{
    for (const char *c = pat; *c != '\0'; c++) {
        unsigned char b = (unsigned char)*c;
        if ((b >= '0' && b <= '9') || b == '@' || b == 0xEF || b == '\n')
            return false;
    }
    return true;
}

static void check_ok(pii_status st, const pii_error *err, const char *what)
{
    if (st != PII_OK) {
        fprintf(stderr, "%s: %s (%s)\n", what, pii_strerror(st), err->msg);
        FUZZ_ASSERT_MSG(st == PII_OK, what);
    }
}

/* Engine with per-type actions (2 bits each, 3 = default) and an
 * enabled-type mask; `keep` overrides every action with keep. */
static pii_engine *engine_make(uint32_t actions, uint32_t enabled, bool keep)
{
    pii_error err = {0};
    pii_config *cfg = pii_config_new();
    FUZZ_ASSERT(cfg != NULL);
    pii_config_set_today(cfg, TODAY);
    size_t ntypes = pii_entity_count();
    FUZZ_ASSERT_MSG(ntypes > 0 && ntypes <= MAX_TYPES, "unexpected number of entity types");
    FUZZ_ASSERT(pii_config_entity_count(cfg) == ntypes);
    for (size_t i = 0; i < ntypes; i++) {
        const pii_entity_info *info = pii_entity_get(i);
        FUZZ_ASSERT(info != NULL && info->name != NULL);
        FUZZ_ASSERT(strcmp(pii_config_entity_get(cfg, i)->name, info->name) == 0);
        unsigned a = (actions >> (2 * i)) & 3u;
        if (keep)
            a = PII_ACTION_KEEP;
        if (a != 3u)
            check_ok(pii_config_set_action(cfg, info->name, (pii_action)a, &err), &err,
                     "pii_config_set_action");
        check_ok(pii_config_set_enabled(cfg, info->name, (enabled >> i) & 1u, &err), &err,
                 "pii_config_set_enabled");
    }
    pii_engine *e = NULL;
    check_ok(pii_engine_new(cfg, &e, &err), &err, "pii_engine_new");
    pii_config_free(cfg);
    FUZZ_ASSERT(e != NULL);
    return e;
}

static size_t next_chunk(fuzz_producer *sched, size_t rest, bool window)
{
    if (fuzz_producer_remaining(sched) == 0)
        return rest;
    size_t b = fuzz_producer_range(sched, 0, 255);
    /* in window mode, each commit rescans the pending bytes for a newline:
     * small chunks would only make the run slow */
    size_t chunk = b == 255 ? rest : window ? b * 8192 : b;
    return chunk < rest ? chunk : rest;
}

static size_t next_out_size(fuzz_producer *sched, bool window)
{
    if (fuzz_producer_remaining(sched) == 0)
        return window ? OUTMEM_SIZE : 4096;
    size_t b = fuzz_producer_range(sched, 0, 255);
    if (window)
        return (b + 1) * 256;
    return b < 192 ? 1 + b % 64 : 1 + (b - 192) * 64;
}

/* Feed in[0, n) through a stream in chunks drawn from `sched`. */
static void run_chunked(const pii_engine *e, const uint8_t *in, size_t n, fuzz_producer sched,
                        bool window, fuzz_growbuf *out, pii_stream_stats *stats)
{
    pii_error err = {0};
    pii_stream *s = pii_stream_new(e);
    FUZZ_ASSERT(s != NULL);
    uint8_t *outmem = malloc(OUTMEM_SIZE);
    FUZZ_ASSERT(outmem != NULL);

    size_t pos = 0;
    do {
        size_t chunk = next_chunk(&sched, n - pos, window);
        /* the cursor starts mid-buffer: the stream must honour in->pos */
        pii_inbuf ib = {in, pos + chunk, pos};
        do {
            size_t osz = next_out_size(&sched, window);
            pii_outbuf ob = {outmem + OUTMEM_SIZE - osz, osz, 0};
            size_t before = ib.pos;
            check_ok(pii_stream_push(s, &ib, &ob, &err), &err, "pii_stream_push");
            FUZZ_ASSERT(ib.pos >= before && ib.pos <= ib.size);
            FUZZ_ASSERT(ob.pos <= ob.size);
            if (before < ib.size)
                FUZZ_ASSERT_MSG(ib.pos > before || ob.pos > 0, "push made no progress");
            fuzz_growbuf_append(out, ob.dst, ob.pos);
        } while (ib.pos < ib.size);
        pos = ib.pos;
    } while (pos < n);

    size_t remaining;
    do {
        size_t osz = next_out_size(&sched, window);
        pii_outbuf ob = {outmem + OUTMEM_SIZE - osz, osz, 0};
        check_ok(pii_stream_finish(s, &ob, &remaining, &err), &err, "pii_stream_finish");
        FUZZ_ASSERT(ob.pos <= ob.size);
        FUZZ_ASSERT_MSG(remaining == 0 || ob.pos == ob.size, "finish left room and output");
        fuzz_growbuf_append(out, ob.dst, ob.pos);
    } while (remaining > 0);

    /* finishing again is harmless and produces nothing */
    pii_outbuf ob = {outmem, OUTMEM_SIZE, 0};
    check_ok(pii_stream_finish(s, &ob, &remaining, &err), &err, "second pii_stream_finish");
    FUZZ_ASSERT(remaining == 0 && ob.pos == 0);

    pii_stream_get_stats(s, stats);
    FUZZ_ASSERT_MSG(stats->bytes_in == n, "bytes_in");
    FUZZ_ASSERT_MSG(stats->bytes_out == out->len, "bytes_out");
    free(outmem);
    pii_stream_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const bool window = FUZZ_STREAM_WINDOW;
    fuzz_producer p = fuzz_producer_make(data, size);
    uint32_t actions = fuzz_producer_u32(&p);
    uint32_t en = fuzz_producer_range(&p, 0, 255);
    uint32_t enabled = (en & 0x80u) ? fuzz_producer_range(&p, 0, 0xFFFF) : 0xFFFFu;
    size_t fill = 0;
    size_t post = 0;
    uint32_t where = 0;
    const char *pat = NULL;
    if (window) {
        pat = fillers[fuzz_producer_range(&p, 0, 255) & 15u];
        where = fuzz_producer_range(&p, 0, 0xFFFF);
    }
    size_t text_len = fuzz_producer_reserve_prefix(&p);
    fuzz_producer sched = p;

    if (window) {
        /* The first window is cut at WINDOW_FILL - PII_DETECT_MAX_SPAN (the
         * commit point) and scanned up to WINDOW_FILL with an open right
         * edge. Put the commit point anywhere from MAX_SPAN + text_len
         * before the text (so that the open edge falls inside it) to a
         * little after it, and pad behind the text so the window fills. */
        size_t span = 2 * text_len + PII_DETECT_MAX_SPAN + PII_DETECT_LOOKBEHIND + 1;
        size_t pos = where % span; /* commit point - text start + MAX_SPAN + text_len */
        fill = WINDOW_FILL + text_len - pos;
        post = WINDOW_TAIL;
    }
    size_t n = fill + text_len + post;
    uint8_t *in = malloc(n > 0 ? n : 1);
    FUZZ_ASSERT(in != NULL);
    if (window) {
        size_t plen = strlen(pat);
        for (size_t i = 0; i < fill; i++)
            in[i] = (uint8_t)pat[i % plen];
        for (size_t i = 0; i < post; i++)
            in[fill + text_len + i] = (uint8_t)pat[i % plen];
    }
    if (text_len > 0)
        memcpy(in + fill, data, text_len);

    pii_engine *eng = engine_make(actions, enabled, false);
    pii_engine *keep = engine_make(0, enabled, true);
    pii_error err = {0};

    /* 1. one shot == chunked */
    char *one = NULL;
    size_t one_len = 0;
    check_ok(pii_redact_buffer(eng, in, n, &one, &one_len, &err), &err, "pii_redact_buffer");
    FUZZ_ASSERT(one != NULL && one[one_len] == '\0');
    fuzz_growbuf chunked = {NULL, 0, 0};
    pii_stream_stats st_eng;
    run_chunked(eng, in, n, sched, window, &chunked, &st_eng);
    fuzz_check_same((const uint8_t *)one, one_len, chunked.ptr, chunked.len,
               "one-shot and chunked output differ");

    /* 1b. windowing is invisible: with a filler that holds nothing to find
     * and carries no state (no digits, '@', full-width forms or newlines),
     * redacting the input without all but NEUTRAL_TAIL bytes of the leading
     * filler, which fits in one window, gives the same bytes after it. */
    if (window && filler_is_neutral(pat)) {
        size_t cut = fill - NEUTRAL_TAIL;
        char *ref = NULL;
        size_t ref_len = 0;
        check_ok(pii_redact_buffer(eng, in + cut, n - cut, &ref, &ref_len, &err), &err,
                 "pii_redact_buffer (reference without windows)");
        FUZZ_ASSERT_MSG(one_len >= cut && memcmp(one, in, cut) == 0, "filler changed by redaction");
        fuzz_check_same((const uint8_t *)one + cut, one_len - cut, (const uint8_t *)ref, ref_len,
                   "windowed output differs from unwindowed output");
        pii_free(ref);
    }

    /* 2. keep everything == identity; with a neutral filler 1b already
     * compared the whole windowed output, so spare the third pass */
    if (window && !filler_is_neutral(pat)) {
        char *kept = NULL;
        size_t kept_len = 0;
        check_ok(pii_redact_buffer(keep, in, n, &kept, &kept_len, &err), &err,
                 "pii_redact_buffer (keep)");
        fuzz_check_same(in, n, (const uint8_t *)kept, kept_len, "keep-all output != input");
        pii_free(kept);
    } else if (!window) {
        fuzz_growbuf kchunked = {NULL, 0, 0};
        pii_stream_stats st_keep;
        run_chunked(keep, in, n, sched, window, &kchunked, &st_keep);
        fuzz_check_same(in, n, kchunked.ptr, kchunked.len, "keep-all output != input");
        FUZZ_ASSERT_MSG(st_keep.findings == st_eng.findings,
                        "finding count depends on the actions");
        free(kchunked.ptr);
    }

    free(chunked.ptr);
    pii_free(one);
    pii_engine_free(keep);
    pii_engine_free(eng);
    free(in);
    return 0;
}
