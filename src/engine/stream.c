/*
 * stream.c - the streaming engine: framing, detection and splicing glued
 * together with bounded memory.
 *
 * Input accumulates in one buffer of at most PII_WINDOW_SIZE bytes plus a
 * small look-behind. Whenever the buffer holds a newline, everything up to
 * the last newline is scanned and emitted at once (many records per scan,
 * so short lines cost no per-call overhead, and output never waits for more
 * than the current line). A record longer than the buffer is processed in
 * windows: the scan sees the whole buffer, but only output up to
 * PII_DETECT_MAX_SPAN bytes before its end is committed (extended past any
 * finding that starts before that point), so an entity that straddles the
 * window edge is found whole in the next round. The last
 * PII_DETECT_LOOKBEHIND committed bytes stay in the buffer as read-only
 * context, and the scanner is told that the buffer starts mid-record.
 *
 * Bytes outside findings are copied unchanged: this module never looks at
 * encodings, so CR, NUL and invalid UTF-8 pass through as they came.
 */
#include <string.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "engine/engine_internal.h"
#include "transform/transform.h"

#define IN_CAP PII_STREAM_IN_CAP
/* Output of one window is at most ~1.2x its input (labels vs short values). */
#define OUT_CAP (4 * IN_CAP)

PII_STATIC_ASSERT(PII_DETECT_MAX_SPAN * 4 < PII_WINDOW_SIZE, "window must dwarf the longest span");

struct pii_stream {
    const pii_engine *eng;
    pii_buf in;     /* [0, ctx) context already emitted; [ctx, len) pending */
    size_t ctx;
    bool left_open; /* in.ptr[0] is not the start of its record */
    pii_buf out;    /* [out_pos, len) not yet delivered */
    size_t out_pos;
    pii_findings found;
    pii_scan_ws ws;
    pii_stream_stats stats;
    bool ended;
};

pii_stream *pii_stream_new(const pii_engine *engine)
{
    pii_stream *s = pii_calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->eng = engine;
    pii_buf_init(&s->in, IN_CAP);
    pii_buf_init(&s->out, OUT_CAP);
    if (pii_scan_ws_init(&s->ws) != PII_OK) {
        pii_free_mem(s);
        return NULL;
    }
    return s;
}

void pii_stream_free(pii_stream *s)
{
    if (s == NULL)
        return;
    pii_buf_free(&s->in);
    pii_buf_free(&s->out);
    pii_findings_free(&s->found);
    pii_scan_ws_free(&s->ws);
    pii_free_mem(s);
}

void pii_stream_get_stats(const pii_stream *s, pii_stream_stats *out)
{
    *out = s->stats;
}

static const uint8_t *find_last_newline(const uint8_t *p, size_t n)
{
    while (n > 0) {
        if (p[n - 1] == '\n')
            return p + n - 1;
        n--;
    }
    return NULL;
}

/* Append in.ptr[ctx, commit) with the findings spliced in. */
static pii_status emit(pii_stream *s, size_t commit)
{
    const uint8_t *b = s->in.ptr;
    size_t prev = s->ctx;
    pii_status st = PII_OK;
    for (size_t i = 0; i < s->found.len; i++) {
        const pii_finding *f = &s->found.v[i];
        if (f->start >= commit)
            break;
        st = pii_buf_append(&s->out, b + prev, f->start - prev);
        if (st != PII_OK)
            return st;
        const pii_detector *det = &s->eng->det.det[f->det];
        st = pii_transform_render(det->def, s->eng->action[det->index], b + f->start,
                                  f->end - f->start, f->aux, &s->out);
        if (st != PII_OK)
            return st;
        s->stats.findings++;
        prev = f->end;
    }
    return pii_buf_append(&s->out, b + prev, commit - prev);
}

/* Process what can be processed now; `final` at end of input. */
static pii_status process(pii_stream *s, bool final, pii_error *err)
{
    size_t len = s->in.len;
    if (len == s->ctx)
        return PII_OK;
    size_t region;
    bool window = false;
    unsigned flags = s->left_open ? PII_SCAN_LEFT_OPEN : 0;
    if (final) {
        region = len;
    } else {
        const uint8_t *nl = find_last_newline(s->in.ptr + s->ctx, len - s->ctx);
        if (nl != NULL) {
            region = (size_t)(nl - s->in.ptr) + 1;
        } else if (len == IN_CAP) {
            region = len;
            window = true;
            flags |= PII_SCAN_RIGHT_OPEN;
        } else {
            return PII_OK; /* wait for the rest of the line */
        }
    }

    pii_status st =
        pii_detect_scan(&s->eng->det, &s->ws, s->in.ptr, region, s->ctx, flags, &s->found);
    if (st != PII_OK)
        return pii_error_set(err, st, "detection failed: %s", pii_strerror(st));

    size_t commit = region;
    if (window) {
        commit = region - PII_DETECT_MAX_SPAN;
        for (size_t i = 0; i < s->found.len && s->found.v[i].start < commit; i++) {
            if (s->found.v[i].end > commit)
                commit = s->found.v[i].end;
        }
    }
    st = emit(s, commit);
    if (st != PII_OK)
        return pii_error_set(err, st, "output buffer: %s", pii_strerror(st));

    if (s->in.ptr[commit - 1] == '\n') {
        pii_buf_consume(&s->in, commit);
        s->ctx = 0;
        s->left_open = false;
    } else {
        size_t keep = commit < PII_DETECT_LOOKBEHIND ? commit : PII_DETECT_LOOKBEHIND;
        if (commit - keep > 0)
            s->left_open = true;
        pii_buf_consume(&s->in, commit - keep);
        s->ctx = keep;
    }
    return PII_OK;
}

void pii_stream_input_space(pii_stream *s, uint8_t **ptr, size_t *room)
{
    *room = IN_CAP - s->in.len;
    if (pii_buf_reserve(&s->in, *room) != PII_OK) {
        /* allocation failure surfaces as a zero-size window; callers treat
         * it as PII_E_NOMEM */
        *ptr = NULL;
        *room = 0;
        return;
    }
    *ptr = s->in.ptr + s->in.len;
}

pii_status pii_stream_input_commit(pii_stream *s, size_t n, pii_error *err)
{
    if (s->ended || n > IN_CAP - s->in.len)
        return pii_error_set(err, PII_E_INTERNAL, "stream misuse: commit past the window");
    s->in.len += n;
    s->stats.bytes_in += n;
    return process(s, false, err);
}

pii_status pii_stream_end(pii_stream *s, pii_error *err)
{
    if (s->ended)
        return PII_OK;
    pii_status st = process(s, true, err);
    if (st != PII_OK)
        return st;
    s->ended = true;
    pii_buf_consume(&s->in, s->in.len);
    s->ctx = 0;
    return PII_OK;
}

void pii_stream_output_pending(const pii_stream *s, const uint8_t **ptr, size_t *len)
{
    *ptr = s->out.ptr + s->out_pos;
    *len = s->out.len - s->out_pos;
}

void pii_stream_output_consumed(pii_stream *s, size_t n)
{
    s->out_pos += n;
    s->stats.bytes_out += n;
    if (s->out_pos == s->out.len) {
        s->out.len = 0;
        s->out_pos = 0;
    }
}

/* Copy pending output into the caller's cursor. */
static void drain(pii_stream *s, pii_outbuf *out)
{
    const uint8_t *p;
    size_t n;
    pii_stream_output_pending(s, &p, &n);
    size_t room = out->size - out->pos;
    if (n > room)
        n = room;
    if (n > 0) {
        memcpy((uint8_t *)out->dst + out->pos, p, n);
        out->pos += n;
        pii_stream_output_consumed(s, n);
    }
}

pii_status pii_stream_push(pii_stream *s, pii_inbuf *in, pii_outbuf *out, pii_error *err)
{
    if (s->ended)
        return pii_error_set(err, PII_E_INTERNAL, "stream misuse: push after finish");
    for (;;) {
        drain(s, out);
        if (s->out_pos < s->out.len || in->pos >= in->size)
            return PII_OK;
        uint8_t *dst;
        size_t room;
        pii_stream_input_space(s, &dst, &room);
        if (room == 0)
            return pii_error_set(err, PII_E_NOMEM, "out of memory for the input window");
        size_t take = in->size - in->pos;
        if (take > room)
            take = room;
        memcpy(dst, (const uint8_t *)in->src + in->pos, take);
        in->pos += take;
        pii_status st = pii_stream_input_commit(s, take, err);
        if (st != PII_OK)
            return st;
    }
}

pii_status pii_stream_finish(pii_stream *s, pii_outbuf *out, size_t *remaining, pii_error *err)
{
    pii_status st = pii_stream_end(s, err);
    if (st != PII_OK)
        return st;
    drain(s, out);
    *remaining = s->out.len - s->out_pos;
    return PII_OK;
}
