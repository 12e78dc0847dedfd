/*
 * parallel.c - pii_run_fd over several threads: an ordered pipeline.
 *
 *   reader (the calling thread)  reads the input and cuts it into batches
 *                                at record ends (a '\n'; CSV: outside
 *                                quotes), about PII_BATCH_SIZE bytes each,
 *                                or smaller when a read comes back short
 *                                (a pipe with nothing more yet), so that a
 *                                slow producer's lines are not held back;
 *   N workers                    each run one batch through a fresh stream;
 *   writer                       writes the batches' output in input order.
 *
 * Batches live in a ring of PII_BATCH_SLOTS(N) slots: the reader waits for
 * a free slot, so memory stays bounded (per slot: the batch, its output and
 * a stream's buffers; about 3 * N + 4 slots of ~7 MiB at most, in practice
 * far less because buffers grow only as far as the data needs).
 *
 * The output is byte-identical to one stream over the whole input because
 * nothing crosses a record end: detection never spans a '\n' (records in
 * CSV), and records are independent. Two things carry state across records
 * and are handled here: a CSV header (each batch's stream is primed with
 * the header record, whose output is dropped) and seeded noise (each batch
 * draws from its own stream of the seed, so --seed output depends on the
 * batching; without --seed noise is random anyway).
 *
 * Falls back to a single stream, from the point where it happens, for a
 * record longer than PII_BATCH_MAX (it has to be cut into windows, which
 * only a single stream does), and entirely for --on-error=stop (the stop
 * must come exactly at the bad record).
 */
#define _GNU_SOURCE /* memrchr */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "engine/engine_internal.h"
#include "format/format.h"
#include "input/reader.h"
#include "output/writer.h"

#define PII_BATCH_SIZE ((size_t)1 << 20)
#define PII_BATCH_MAX ((size_t)4 << 20)
#define PII_MAX_THREADS 64

typedef enum { SLOT_FREE = 0, SLOT_QUEUED, SLOT_DONE } slot_state;

typedef struct {
    pii_buf in, out;
    uint64_t seq;
    slot_state state;
    pii_status st;
    pii_error err;
    pii_stream_stats stats;
} slot;

typedef struct {
    const pii_engine *eng;
    int out_fd;
    slot *slots;
    size_t nslots;
    uint64_t submitted, taken, written; /* sequence numbers */
    bool input_done, quit;
    pii_status st; /* first error (writer or a batch) */
    pii_error err;
    pii_stream_stats stats;
    const uint8_t *hdr; /* CSV header record with its terminator, or NULL */
    size_t hdr_len;
    pthread_mutex_t mu;
    pthread_cond_t work, done, freed;
} pool;

static void add_stats(pii_stream_stats *to, const pii_stream_stats *s)
{
    to->bytes_in += s->bytes_in;
    to->bytes_out += s->bytes_out;
    to->findings += s->findings;
    to->unresolved += s->unresolved;
    to->records += s->records;
    to->parse_errors += s->parse_errors;
    to->noised += s->noised;
    to->generalized += s->generalized;
    to->not_understood += s->not_understood;
    if (s->max_record_epsilon > to->max_record_epsilon)
        to->max_record_epsilon = s->max_record_epsilon;
    if (s->max_record_delta > to->max_record_delta)
        to->max_record_delta = s->max_record_delta;
}

/* Feed p[0, n) into stream s, appending its output to out. */
static pii_status feed(pii_stream *s, const uint8_t *p, size_t n, pii_buf *out, pii_error *err)
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
        if (st != PII_OK)
            return st;
        const uint8_t *o;
        size_t on;
        pii_stream_output_pending(s, &o, &on);
        if ((st = pii_buf_append(out, o, on)) != PII_OK)
            return pii_error_set(err, st, "out of memory for a batch's output");
        pii_stream_output_consumed(s, on);
    }
    return PII_OK;
}

static void run_batch(pool *pl, slot *b)
{
    b->out.len = 0;
    memset(&b->stats, 0, sizeof(b->stats));
    pii_stream *s = pii_stream_new_seeded(pl->eng, b->seq + 1);
    if (s == NULL) {
        b->st = pii_error_set(&b->err, PII_E_NOMEM, "out of memory creating a stream");
        return;
    }
    pii_status st = PII_OK;
    if (pl->hdr != NULL)
        st = feed(s, pl->hdr, pl->hdr_len, &b->out, &b->err);
    size_t skip = b->out.len; /* the header passes through unchanged */
    if (st == PII_OK)
        st = feed(s, b->in.ptr, b->in.len, &b->out, &b->err);
    if (st == PII_OK && (st = pii_stream_end(s, &b->err)) == PII_OK) {
        const uint8_t *o;
        size_t on;
        pii_stream_output_pending(s, &o, &on);
        if ((st = pii_buf_append(&b->out, o, on)) != PII_OK)
            pii_error_set(&b->err, st, "out of memory for a batch's output");
        pii_stream_output_consumed(s, on);
    }
    pii_stream_get_stats(s, &b->stats);
    pii_stream_free(s);
    if (pl->hdr != NULL) {
        b->stats.records -= b->stats.records > 0;
        b->stats.bytes_in -= pl->hdr_len;
        b->stats.bytes_out -= skip;
    }
    if (st == PII_OK && skip > 0)
        pii_buf_consume(&b->out, skip);
    b->st = st;
}

static void *worker_main(void *arg)
{
    pool *pl = arg;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (pl->taken == pl->submitted && !pl->quit)
            pthread_cond_wait(&pl->work, &pl->mu);
        if (pl->taken == pl->submitted)
            break; /* quit and nothing left */
        slot *b = &pl->slots[pl->taken % pl->nslots];
        pl->taken++;
        pthread_mutex_unlock(&pl->mu);
        run_batch(pl, b);
        pthread_mutex_lock(&pl->mu);
        b->state = SLOT_DONE;
        pthread_cond_broadcast(&pl->done);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

static void *writer_main(void *arg)
{
    pool *pl = arg;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        slot *b = &pl->slots[pl->written % pl->nslots];
        while (!(pl->written < pl->submitted && b->state == SLOT_DONE) &&
               !(pl->input_done && pl->written == pl->submitted) && !pl->quit)
            pthread_cond_wait(&pl->done, &pl->mu);
        if (pl->quit || pl->written == pl->submitted)
            break;
        pthread_mutex_unlock(&pl->mu);
        pii_status st = b->st;
        pii_error err = b->err;
        if (st == PII_OK) {
            int e = 0;
            st = pii_writer_write_all(pl->out_fd, b->out.ptr, b->out.len, &e);
            if (st != PII_OK) {
                pii_error_set(&err, st, "write to output failed: %s", strerror(e));
                err.sys_errno = e;
            }
        }
        pthread_mutex_lock(&pl->mu);
        add_stats(&pl->stats, &b->stats);
        b->state = SLOT_FREE;
        pl->written++;
        if (st != PII_OK) {
            pl->st = st;
            pl->err = err;
            pl->quit = true;
            pthread_cond_broadcast(&pl->work);
        }
        pthread_cond_broadcast(&pl->freed);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* Where the last complete record of p[0, n) ends (just after its '\n'),
 * or 0. CSV: a '\n' outside quotes. */
static size_t last_record_end(const pii_engine *e, const uint8_t *p, size_t n)
{
    if (e->format == PII_FORMAT_CSV || e->format == PII_FORMAT_TSV) {
        size_t i = 0, cut = 0;
        while (i < n) {
            bool q = false;
            size_t r = i + pii_csv_record_end(p + i, n - i, 0, &q);
            if (r >= n)
                break;
            cut = r + 1;
            i = r + 1;
        }
        return cut;
    }
    const uint8_t *nl = n ? memrchr(p, '\n', n) : NULL;
    return nl ? (size_t)(nl - p) + 1 : 0;
}

/* Hand pending[0, cut) to the workers as the next batch. */
static pii_status submit(pool *pl, pii_buf *pending, size_t cut)
{
    pthread_mutex_lock(&pl->mu);
    slot *b = &pl->slots[pl->submitted % pl->nslots];
    while (b->state != SLOT_FREE && !pl->quit)
        pthread_cond_wait(&pl->freed, &pl->mu);
    if (pl->quit) {
        pthread_mutex_unlock(&pl->mu);
        return PII_E_IO; /* the writer stopped; pl->st says why */
    }
    pthread_mutex_unlock(&pl->mu);
    b->in.len = 0;
    pii_status st = pii_buf_append(&b->in, pending->ptr, cut);
    if (st != PII_OK)
        return st;
    pii_buf_consume(pending, cut);
    pthread_mutex_lock(&pl->mu);
    b->seq = pl->submitted;
    b->state = SLOT_QUEUED;
    b->st = PII_OK;
    pl->submitted++;
    pthread_cond_signal(&pl->work);
    pthread_mutex_unlock(&pl->mu);
    return PII_OK;
}

/* Wait until every submitted batch is written. */
static void drain(pool *pl)
{
    pthread_mutex_lock(&pl->mu);
    while (pl->written < pl->submitted && !pl->quit)
        pthread_cond_wait(&pl->freed, &pl->mu);
    pthread_mutex_unlock(&pl->mu);
}

pii_status pii_run_fd_parallel(const pii_engine *engine, const void *head, size_t head_len,
                               int in_fd, int out_fd, unsigned threads, pii_stream_stats *stats,
                               pii_error *err)
{
    if (threads <= 1 || engine->on_error_stop)
        return pii_run_fd_head(engine, head, head_len, in_fd, out_fd, stats, err);
    if (threads > PII_MAX_THREADS)
        threads = PII_MAX_THREADS;
    pii_reader_grow_pipe(in_fd);
    pii_reader_grow_pipe(out_fd);
    pool pl;
    memset(&pl, 0, sizeof(pl));
    pl.eng = engine;
    pl.out_fd = out_fd;
    pl.nslots = 2 * (size_t)threads + 2;
    pl.slots = pii_calloc(pl.nslots, sizeof(*pl.slots));
    pii_buf pending, hdr;
    pii_buf_init(&pending, PII_BATCH_MAX + PII_BATCH_SIZE);
    pii_buf_init(&hdr, PII_BATCH_MAX);
    if (pl.slots == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory for the batch ring");
    for (size_t i = 0; i < pl.nslots; i++) {
        pii_buf_init(&pl.slots[i].in, PII_BATCH_MAX + PII_BATCH_SIZE);
        pii_buf_init(&pl.slots[i].out, (size_t)-1 / 2);
    }
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.work, NULL);
    pthread_cond_init(&pl.done, NULL);
    pthread_cond_init(&pl.freed, NULL);
    pthread_t tid[PII_MAX_THREADS], wtid;
    unsigned started = 0;
    bool writer = false;
    pii_status st = PII_OK;
    bool sequential = false; /* the rest goes through one stream */
    bool eof = false;
    if ((st = pii_buf_append(&pending, head, head_len)) != PII_OK) {
        pii_error_set(err, st, "out of memory");
        goto out;
    }
    bool csv_header = engine->header &&
                      (engine->format == PII_FORMAT_CSV || engine->format == PII_FORMAT_TSV);
    for (;;) {
        /* read: at most one short read per batch keeps a slow pipe's lines moving */
        if (!eof) {
            if ((st = pii_buf_reserve(&pending, PII_BATCH_SIZE)) != PII_OK) {
                pii_error_set(err, st, "out of memory for input");
                goto out;
            }
            ssize_t r = pii_reader_read(in_fd, pending.ptr + pending.len, PII_BATCH_SIZE);
            if (r < 0) {
                int e = errno;
                st = pii_error_set(err, PII_E_IO, "read failed: %s", strerror(e));
                if (err)
                    err->sys_errno = e;
                goto out;
            }
            pending.len += (size_t)r;
            eof = r == 0;
        }
        if (csv_header && hdr.len == 0 && !sequential) {
            bool q = false;
            size_t r = pii_csv_record_end(pending.ptr, pending.len, 0, &q);
            if (r >= pending.len) {
                if (eof || pending.len >= PII_BATCH_MAX)
                    sequential = true; /* no header record end: one stream does it all */
                else
                    continue;
            } else {
                /* the header must pass through unchanged for priming to work */
                char *o = NULL;
                size_t on = 0;
                if ((st = pii_redact_buffer(engine, pending.ptr, r + 1, &o, &on, err)) != PII_OK)
                    goto out;
                bool same = on == r + 1 && memcmp(o, pending.ptr, on) == 0;
                pii_free(o);
                if (!same) {
                    sequential = true;
                } else {
                    int e = 0;
                    if ((st = pii_buf_append(&hdr, pending.ptr, r + 1)) != PII_OK ||
                        (st = pii_writer_write_all(out_fd, pending.ptr, r + 1, &e)) != PII_OK) {
                        pii_error_set(err, st, "write to output failed: %s", strerror(e));
                        goto out;
                    }
                    pii_buf_consume(&pending, r + 1);
                    pl.hdr = hdr.ptr;
                    pl.hdr_len = hdr.len;
                    pl.stats.records = 1;
                    pl.stats.bytes_in = pl.stats.bytes_out = hdr.len;
                }
            }
        }
        if (!sequential && started == 0) {
            for (; started < threads; started++) {
                if (pthread_create(&tid[started], NULL, worker_main, &pl) != 0)
                    break;
            }
            if (started == 0 || pthread_create(&wtid, NULL, writer_main, &pl) != 0) {
                sequential = true;
            } else {
                writer = true;
            }
        }
        if (sequential)
            break;
        size_t cut = eof ? pending.len : last_record_end(engine, pending.ptr, pending.len);
        if (cut == 0 && pending.len >= PII_BATCH_MAX) {
            sequential = true; /* a record longer than a batch: windows in one stream */
            break;
        }
        if (cut > 0 && (st = submit(&pl, &pending, cut)) != PII_OK) {
            if (pl.st == PII_OK)
                pii_error_set(err, st, "out of memory for a batch");
            goto out;
        }
        if (eof)
            break;
    }
out:
    pthread_mutex_lock(&pl.mu);
    pl.input_done = true;
    pthread_cond_broadcast(&pl.done);
    pthread_mutex_unlock(&pl.mu);
    if (writer)
        drain(&pl);
    pthread_mutex_lock(&pl.mu);
    pl.quit = true;
    pthread_cond_broadcast(&pl.work);
    pthread_cond_broadcast(&pl.done);
    pthread_mutex_unlock(&pl.mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    if (writer)
        pthread_join(wtid, NULL);
    if (pl.st != PII_OK) {
        st = pl.st;
        if (err)
            *err = pl.err;
    }
    if (st == PII_OK && sequential) {
        /* the rest of the input through one stream, pending bytes first */
        pii_stream_stats rest;
        memset(&rest, 0, sizeof(rest));
        st = pii_run_fd_head(engine, pending.ptr, pending.len, eof ? -1 : in_fd, out_fd, &rest,
                             err);
        add_stats(&pl.stats, &rest);
    }
    if (stats)
        *stats = pl.stats;
    for (size_t i = 0; i < pl.nslots; i++) {
        pii_buf_free(&pl.slots[i].in);
        pii_buf_free(&pl.slots[i].out);
    }
    pii_free_mem(pl.slots);
    pii_buf_free(&pending);
    pii_buf_free(&hdr);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.work);
    pthread_cond_destroy(&pl.done);
    pthread_cond_destroy(&pl.freed);
    return st;
}
