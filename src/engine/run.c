/*
 * run.c - convenience drivers over the stream: whole buffers and file
 * descriptors. pii_run_fd reads straight into the stream's input window and
 * writes straight from its output buffer, so data is copied once in and
 * once out; output is written after every read, which also makes the
 * filter line-buffered for free when input arrives line by line.
 */
#include <errno.h>
#include <string.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "engine/engine_internal.h"
#include "input/reader.h"
#include "output/writer.h"

pii_status pii_run_write(int fd, const void *p, size_t n, pii_error *err)
{
    int e = 0;
    if (fd < 0)
        return PII_OK; /* output discarded (scan) */
    pii_status st = pii_writer_write_all(fd, p, n, &e);
    if (st != PII_OK) {
        pii_error_set(err, st, "write to output failed: %s", strerror(e));
        if (err)
            err->sys_errno = e;
    }
    return st;
}

pii_status pii_run_read(int fd, void *p, size_t n, const volatile sig_atomic_t *stop,
                        const volatile sig_atomic_t *reload, size_t *got, pii_error *err)
{
    *got = 0;
    ssize_t r = pii_reader_read(fd, p, n, stop, reload);
    if (r < 0) {
        int e = errno;
        if (e == ECANCELED && stop != NULL && *stop)
            return pii_error_set(err, PII_E_STOPPED, "stopped on request");
        if (e == ECANCELED && reload != NULL && *reload)
            return pii_error_set(err, PII_E_RELOAD, "returned for a reload");
        pii_error_set(err, PII_E_IO, "read failed: %s", strerror(e));
        if (err)
            err->sys_errno = e;
        return PII_E_IO;
    }
    *got = (size_t)r;
    return PII_OK;
}

/* Write s's pending output, dropping the first *skip bytes. */
static pii_status flush_out(pii_stream *s, int out_fd, size_t *skip, pii_error *err)
{
    const uint8_t *p;
    size_t n;
    pii_stream_output_pending(s, &p, &n);
    size_t k = n < *skip ? n : *skip;
    *skip -= k;
    if (n > k) {
        pii_status st = pii_run_write(out_fd, p + k, n - k, err);
        if (st != PII_OK)
            return st;
    }
    pii_stream_output_consumed(s, n);
    return PII_OK;
}

/* Copy p[0, n) into s's window, committing as it fills. */
static pii_status push_all(pii_stream *s, const uint8_t *p, size_t n, int out_fd, size_t *skip,
                           pii_error *err)
{
    while (n > 0) {
        uint8_t *dst;
        size_t room;
        pii_stream_input_space(s, &dst, &room);
        if (room == 0)
            return pii_error_set(err, PII_E_NOMEM, "out of memory for the input window");
        size_t k = n < room ? n : room;
        memcpy(dst, p, k);
        p += k;
        n -= k;
        pii_status st = pii_stream_input_commit(s, k, err);
        if (st == PII_OK)
            st = flush_out(s, out_fd, skip, err);
        if (st != PII_OK)
            return st;
    }
    return PII_OK;
}

pii_status pii_run_stream(pii_stream *s, pii_resume *r, const void *prime, size_t prime_len,
                          const void *head, size_t head_len, int in_fd, int out_fd, pii_error *err)
{
    size_t skip = prime_len;
    pii_status st = push_all(s, prime, prime_len, out_fd, &skip, err);
    if (st == PII_OK && r != NULL && (r->have_stats || r->tail.len > 0 || r->have_header) &&
        (st = pii_stream_resume(s, r, err)) == PII_OK)
        st = flush_out(s, out_fd, &skip, err);
    if (st == PII_OK)
        st = push_all(s, head, head_len, out_fd, &skip, err);
    const volatile sig_atomic_t *stop = pii_stream_engine(s)->stop;
    const volatile sig_atomic_t *reload = r != NULL ? pii_stream_engine(s)->reload : NULL;
    while (st == PII_OK && in_fd >= 0) {
        uint8_t *dst;
        size_t room, got;
        pii_stream_input_space(s, &dst, &room);
        if (room == 0)
            return pii_error_set(err, PII_E_NOMEM, "out of memory for the input window");
        /* a record partly written already is read to its end first */
        bool mid = pii_stream_mid_record(s);
        if (room > PII_BATCH_BYTES)
            room = PII_BATCH_BYTES;
        st = pii_run_read(in_fd, dst, room, mid ? NULL : stop, mid ? NULL : reload, &got, err);
        if (st == PII_E_STOPPED) {
            pii_stream_abandon(s);
            return st;
        }
        if (st == PII_E_RELOAD) {
            /* every complete record is written (flush_out after each
             * commit); the rest goes to the next engine */
            pii_status sst = pii_stream_suspend(s, r, err);
            return sst != PII_OK ? sst : st;
        }
        if (st != PII_OK)
            return st;
        if (got == 0)
            break;
        pii_run_progress(pii_stream_engine(s), got);
        if ((st = pii_stream_input_commit(s, got, err)) == PII_OK)
            st = flush_out(s, out_fd, &skip, err);
    }
    if (st == PII_OK && (st = pii_stream_end(s, err)) == PII_OK)
        st = flush_out(s, out_fd, &skip, err);
    return st;
}

pii_status pii_run_fd(const pii_engine *engine, int in_fd, int out_fd, pii_stream_stats *stats,
                      pii_error *err)
{
    return pii_run_fd_head(engine, NULL, 0, in_fd, out_fd, stats, err);
}

pii_status pii_run_fd_head(const pii_engine *engine, const void *head, size_t head_len, int in_fd,
                           int out_fd, pii_stream_stats *stats, pii_error *err)
{
    return pii_run_fd_single(engine, NULL, head, head_len, in_fd, out_fd, stats, err);
}

/* pii_run_fd_head through r (pii_run_fd_resume with one thread); r NULL:
 * no hand-over (pii_run_fd_head). */
pii_status pii_run_fd_single(const pii_engine *engine, pii_resume *r, const void *head,
                             size_t head_len, int in_fd, int out_fd, pii_stream_stats *stats,
                             pii_error *err)
{
    pii_stream *s = pii_stream_new(engine);
    if (s == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory creating a stream");
    pii_reader_grow_pipe(in_fd);
    pii_reader_grow_pipe(out_fd);
    pii_status st = pii_run_stream(s, r, NULL, 0, head, head_len, in_fd, out_fd, err);
    if (stats && r != NULL && st == PII_E_RELOAD)
        *stats = r->stats;
    else if (stats)
        pii_stream_get_stats(s, stats);
    if (r != NULL && st != PII_E_RELOAD)
        pii_resume_clear(r);
    pii_stream_free(s);
    return st;
}

pii_status pii_redact_buffer(const pii_engine *engine, const void *in, size_t in_len, char **out,
                             size_t *out_len, pii_error *err)
{
    return pii_run_buffer(engine, in, in_len, out, out_len, NULL, true, err);
}

pii_status pii_run_buffer(const pii_engine *engine, const void *in, size_t in_len, char **out,
                          size_t *out_len, pii_stream_stats *stats, bool events, pii_error *err)
{
    pii_status st = PII_OK;
    *out = NULL;
    *out_len = 0;
    pii_buf res;
    pii_buf_init(&res, (size_t)-1 / 2);
    pii_stream *s = pii_stream_new(engine);
    if (s == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory creating a stream");
    if (!events)
        pii_stream_set_event_sink(s, NULL, NULL);
    pii_inbuf ib = {in, in_len, 0};
    uint8_t chunk[4096];
    while (ib.pos < ib.size) {
        pii_outbuf ob = {chunk, sizeof(chunk), 0};
        PII_TRY(pii_stream_push(s, &ib, &ob, err));
        PII_TRY(pii_buf_append(&res, chunk, ob.pos));
    }
    size_t remaining;
    do {
        pii_outbuf ob = {chunk, sizeof(chunk), 0};
        PII_TRY(pii_stream_finish(s, &ob, &remaining, err));
        PII_TRY(pii_buf_append(&res, chunk, ob.pos));
    } while (remaining > 0);
    PII_TRY(pii_buf_append(&res, "", 1)); /* NUL for convenience; not counted */
    *out = (char *)res.ptr;
    *out_len = res.len - 1;
    res.ptr = NULL;
    if (stats)
        pii_stream_get_stats(s, stats);
out:
    pii_buf_free(&res);
    pii_stream_free(s);
    return st;
}

void pii_free(void *p)
{
    pii_free_mem(p);
}
