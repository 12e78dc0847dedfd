/*
 * parallel.c - pii_run_fd over several threads: an ordered pipeline.
 *
 *   reader (the calling thread)  reads the input and cuts it into batches
 *                                at record ends (a '\n'; CSV: outside
 *                                quotes) of about PII_BATCH_BYTES, at most
 *                                one stream window each, or smaller when
 *                                a read comes back short
 *                                (a pipe with nothing more yet), so that a
 *                                slow producer's lines are not held back;
 *   N workers                    each commit one batch in its slot's stream;
 *   writer                       writes the batches' output in input order.
 *
 * Batches live in a ring of 2N + 2 slots, each owning a stream (restarted,
 * not rebuilt, per batch): the reader waits for a free slot, so memory stays
 * bounded by the slots' stream buffers (a 1 MiB window and its output each;
 * buffers grow only as far as the data needs).
 *
 * The output is byte-identical to one stream over the whole input because
 * nothing crosses a record end: detection never spans a '\n' (records in
 * CSV), and records are independent. Two things carry state across records
 * and are handled here: a CSV header (each batch's stream is primed with
 * the header record, whose output is dropped) and seeded noise (each batch
 * draws from its own stream of the seed, so --seed output depends on the
 * batching; without --seed noise is random anyway).
 *
 * Finding events (pii_config_set_finding_callback) of a batch are kept
 * with it, positions relative to the batch, and the writer hands them to
 * the callback in input order with the batch's place in the input added:
 * the callback sees the same events as with one stream.
 *
 * Falls back to a single stream, from the point where it happens, for a
 * record that fills a window (pii_engine_in_cap; it has to be cut into
 * windows, which only a single stream does), and entirely for
 * --on-error=stop (the stop
 * must come exactly at the bad record).
 */
#define _GNU_SOURCE /* memrchr */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "engine/engine_internal.h"
#include "format/format.h"
#include "input/reader.h"
#include "output/writer.h"
#include "transform/transform.h"

#define PII_MAX_THREADS 64
#ifndef PII_BATCH_BYTES
#define PII_BATCH_BYTES ((size_t)256 << 10)
#endif

typedef enum { SLOT_FREE = 0, SLOT_QUEUED, SLOT_DONE } slot_state;

/* A finding event kept until the writer replays it: strings the engine
 * owns are kept as pointers, the field name and the fingerprint copied. */
typedef struct {
    pii_finding_event ev;
    size_t field; /* offset in the batch's names, or SIZE_MAX */
    char fp[PII_FINGERPRINT_HEX + 1];
} kept_event;

typedef struct {
    kept_event *v;
    size_t len, alloc;
    pii_buf names;
    pii_status st; /* PII_E_NOMEM when an event could not be kept */
} event_list;

/* A batch is written by the reader straight into the input window of its
 * slot's stream and committed there by a worker; the writer writes the
 * stream's output buffer. Apart from the read itself, the only copy is the
 * partial record after the batch's last record end, carried to the next. */
typedef struct {
    pii_stream *s;
    uint64_t seq;
    slot_state state;
    size_t len;  /* bytes placed in the window, the header prefix included */
    size_t skip; /* output bytes to drop: the header prefix passes unchanged */
    pii_status st;
    pii_error err;
    pii_stream_stats stats;
    event_list events; /* touched by the worker, then by the writer */
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
    uint64_t hdr_lines; /* '\n' in it */
    pthread_mutex_t mu;
    pthread_cond_t work, done, freed;
} pool;

static void add_stats(pii_stream_stats *to, const pii_stream_stats *s)
{
    to->bytes_in += s->bytes_in;
    to->bytes_out += s->bytes_out;
    to->bytes_unfinished += s->bytes_unfinished;
    to->limit_hits += s->limit_hits;
    to->findings += s->findings;
    to->unresolved += s->unresolved;
    to->records += s->records;
    to->parse_errors += s->parse_errors;
    to->noised += s->noised;
    to->generalized += s->generalized;
    to->not_understood += s->not_understood;
    to->lines += s->lines;
    if (s->max_record_epsilon > to->max_record_epsilon)
        to->max_record_epsilon = s->max_record_epsilon;
    if (s->max_record_delta > to->max_record_delta)
        to->max_record_delta = s->max_record_delta;
}

/* The event sink of a batch's stream (a worker thread). */
static void keep_event(const pii_finding_event *ev, void *ctx)
{
    event_list *l = ctx;
    if (l->st != PII_OK)
        return;
    if (l->len == l->alloc) {
        size_t na = l->alloc ? l->alloc * 2 : 64;
        kept_event *nv = pii_realloc(l->v, na * sizeof(*nv));
        if (nv == NULL) {
            l->st = PII_E_NOMEM;
            return;
        }
        l->v = nv;
        l->alloc = na;
    }
    kept_event *k = &l->v[l->len];
    k->ev = *ev;
    k->field = SIZE_MAX;
    if (ev->field != NULL) {
        k->field = l->names.len;
        if (pii_buf_append(&l->names, ev->field, strlen(ev->field) + 1) != PII_OK) {
            l->st = PII_E_NOMEM;
            return;
        }
    }
    k->fp[0] = '\0';
    if (ev->fingerprint != NULL)
        memcpy(k->fp, ev->fingerprint, sizeof(k->fp));
    l->len++;
}

/* The writer: a batch's events to the callback, at their place in the
 * input (the batch starts after off bytes, lines '\n' and rec records). */
static pii_status replay_events(const pii_engine *e, event_list *l, uint64_t off, uint64_t lines,
                                uint64_t rec, pii_error *err)
{
    pii_status st = l->st;
    for (size_t i = 0; st == PII_OK && i < l->len; i++) {
        pii_finding_event ev = l->v[i].ev;
        ev.offset += off;
        ev.line += lines;
        ev.record += e->format == PII_FORMAT_TEXT ? lines : rec;
        ev.field = l->v[i].field != SIZE_MAX ? (const char *)l->names.ptr + l->v[i].field : NULL;
        ev.fingerprint = l->v[i].fp[0] != '\0' ? l->v[i].fp : NULL;
        e->finding_fn(&ev, e->finding_ctx);
    }
    for (size_t i = 0; i < l->len; i++)
        pii_wipe(l->v[i].fp, sizeof(l->v[i].fp));
    l->len = 0;
    l->names.len = 0;
    l->st = PII_OK;
    if (st != PII_OK)
        return pii_error_set(err, st, "out of memory for finding events");
    return PII_OK;
}

static void run_batch(slot *b)
{
    pii_status st = pii_stream_input_commit(b->s, b->len, &b->err);
    if (st == PII_OK)
        st = pii_stream_end(b->s, &b->err);
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
        run_batch(b);
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
        uint64_t base_off = pl->stats.bytes_in, base_lines = pl->stats.lines,
                 base_rec = pl->stats.records;
        pthread_mutex_unlock(&pl->mu);
        pii_status st = b->st;
        pii_error err = b->err;
        if (st == PII_OK && pl->eng->finding_fn != NULL)
            st = replay_events(pl->eng, &b->events, base_off, base_lines, base_rec, &err);
        const uint8_t *p;
        size_t n;
        pii_stream_output_pending(b->s, &p, &n);
        if (st == PII_OK && n > b->skip)
            st = pii_run_write(pl->out_fd, p + b->skip, n - b->skip, &err);
        pii_stream_output_consumed(b->s, n);
        pii_stream_get_stats(b->s, &b->stats);
        if (b->skip > 0) {
            b->stats.records -= b->stats.records > 0;
            b->stats.bytes_in -= b->skip;
            b->stats.bytes_out -= b->skip;
            b->stats.lines -= b->stats.lines >= pl->hdr_lines ? pl->hdr_lines : b->stats.lines;
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

/* The next slot, once the writer has freed it; NULL when the pool stops. */
static slot *acquire(pool *pl)
{
    pthread_mutex_lock(&pl->mu);
    slot *b = &pl->slots[pl->submitted % pl->nslots];
    while (b->state != SLOT_FREE && !pl->quit)
        pthread_cond_wait(&pl->freed, &pl->mu);
    bool quit = pl->quit;
    pthread_mutex_unlock(&pl->mu);
    return quit ? NULL : b;
}

static void submit(pool *pl, slot *b)
{
    pthread_mutex_lock(&pl->mu);
    b->seq = pl->submitted;
    b->state = SLOT_QUEUED;
    b->st = PII_OK;
    pl->submitted++;
    pthread_cond_signal(&pl->work);
    pthread_mutex_unlock(&pl->mu);
}

/* Wait until every submitted batch is written. */
static void drain(pool *pl)
{
    pthread_mutex_lock(&pl->mu);
    while (pl->written < pl->submitted && !pl->quit)
        pthread_cond_wait(&pl->freed, &pl->mu);
    pthread_mutex_unlock(&pl->mu);
}

static pii_status run_parallel(const pii_engine *engine, pii_resume *rs, const void *head,
                               size_t head_len, int in_fd, int out_fd, unsigned threads,
                               pii_stream_stats *stats, pii_error *err);

/* Hand the input left, rest[0, n), and the header over to the next engine
 * (the counters follow once the batches in flight are written). */
static pii_status hand_over(pool *pl, pii_resume *r, const uint8_t *rest, size_t n, pii_error *err)
{
    pii_resume_clear(r);
    pii_status st = pii_buf_append(&r->tail, rest, n);
    if (st == PII_OK && pl->hdr != NULL) {
        size_t hl = pl->hdr_len;
        hl -= hl > 0 && pl->hdr[hl - 1] == '\n';
        hl -= hl > 0 && pl->hdr[hl - 1] == '\r';
        st = pii_buf_append(&r->hdr, pl->hdr, hl);
        r->have_header = true;
    }
    if (st != PII_OK)
        return pii_error_set(err, st, "out of memory for a hand-over");
    return PII_E_RELOAD;
}

/* The rest of the input through one stream: head[0, n) first, then in_fd
 * (< 0: nothing more). A CSV header already written primes the stream and
 * its output is dropped. */
static pii_status run_rest(pool *pl, pii_resume *r, const uint8_t *head, size_t n, int in_fd,
                           pii_error *err)
{
    pii_stream *s = pii_stream_new(pl->eng);
    if (s == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory creating a stream");
    pii_stream_set_origin(s, pl->hdr_len, pl->hdr_lines, pl->hdr != NULL, pl->stats.bytes_in,
                          pl->stats.lines, pl->stats.records);
    pii_status st = pii_run_stream(s, r, pl->hdr, pl->hdr_len, head, n, in_fd, pl->out_fd, err);
    pii_stream_stats rest;
    if (st == PII_E_RELOAD)
        rest = r->stats; /* the stream's, without the bytes handed over */
    else
        pii_stream_get_stats(s, &rest);
    if (pl->hdr != NULL) {
        rest.records -= rest.records > 0;
        rest.bytes_in -= pl->hdr_len;
        rest.bytes_out -= pl->hdr_len;
        rest.lines -= rest.lines >= pl->hdr_lines ? pl->hdr_lines : rest.lines;
    }
    add_stats(&pl->stats, &rest);
    if (st == PII_E_RELOAD)
        r->stats = pl->stats;
    pii_stream_free(s);
    return st;
}

/* Whether CSV header hdr[0, n) passes through engine e unchanged and
 * parses, so that it can prime every batch (its output dropped by length). */
static pii_status header_unchanged(const pii_engine *e, const uint8_t *hdr, size_t n, bool *same,
                                   pii_error *err)
{
    char *o = NULL;
    size_t on = 0;
    pii_stream_stats hs;
    pii_status st = pii_run_buffer(e, hdr, n, &o, &on, &hs, false, err);
    /* (a header with findings left as they are, with a finding callback:
     * one stream reports them in place) */
    *same = st == PII_OK && on == n && memcmp(o, hdr, n) == 0 && hs.parse_errors == 0 &&
            !(e->finding_fn != NULL && hs.findings > 0);
    pii_free(o);
    return st;
}

pii_status pii_run_fd_parallel(const pii_engine *engine, const void *head, size_t head_len,
                               int in_fd, int out_fd, unsigned threads, pii_stream_stats *stats,
                               pii_error *err)
{
    return run_parallel(engine, NULL, head, head_len, in_fd, out_fd, threads, stats, err);
}

pii_status pii_run_fd_resume(const pii_engine *engine, pii_resume *r, const void *head,
                             size_t head_len, int in_fd, int out_fd, unsigned threads,
                             pii_stream_stats *stats, pii_error *err)
{
    if (r == NULL)
        return pii_error_set(err, PII_E_INTERNAL, "pii_run_fd_resume without a hand-over");
    bool single = threads <= 1 || engine->on_error_stop ||
                  r->tail.len + head_len > pii_engine_in_cap(engine) / 2;
    if (!single && r->have_header && r->hdr.len > 0 && engine->header &&
        (engine->format == PII_FORMAT_CSV || engine->format == PII_FORMAT_TSV)) {
        /* batches can be primed with the header only if it passes unchanged */
        bool same;
        pii_buf h;
        pii_buf_init(&h, r->hdr.len + 1);
        pii_status st = pii_buf_append(&h, r->hdr.ptr, r->hdr.len);
        if (st == PII_OK)
            st = pii_buf_append(&h, "\n", 1);
        if (st == PII_OK)
            st = header_unchanged(engine, h.ptr, h.len, &same, err);
        pii_wipe(h.ptr, h.len);
        pii_buf_free(&h);
        if (st != PII_OK)
            return st;
        single = !same;
    }
    if (single)
        return pii_run_fd_single(engine, r, head, head_len, in_fd, out_fd, stats, err);
    return run_parallel(engine, r, head, head_len, in_fd, out_fd, threads, stats, err);
}

/* pii_run_fd_parallel; with r (may be NULL) as pii_run_fd_resume, whose
 * checks have passed: r's header (if any) passes unchanged, r's tail and
 * head fit half a window. */
static pii_status run_parallel(const pii_engine *engine, pii_resume *rs, const void *head,
                               size_t head_len, int in_fd, int out_fd, unsigned threads,
                               pii_stream_stats *stats, pii_error *err)
{
    if (threads <= 1 || engine->on_error_stop)
        return pii_run_fd_head(engine, head, head_len, in_fd, out_fd, stats, err);
    if (threads > PII_MAX_THREADS)
        threads = PII_MAX_THREADS;
    const volatile sig_atomic_t *reload = rs != NULL ? engine->reload : NULL;
    pii_reader_grow_pipe(in_fd);
    pii_reader_grow_pipe(out_fd);
    pool pl;
    memset(&pl, 0, sizeof(pl));
    pl.eng = engine;
    pl.out_fd = out_fd;
    pl.nslots = 2 * (size_t)threads + 2;
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.work, NULL);
    pthread_cond_init(&pl.done, NULL);
    pthread_cond_init(&pl.freed, NULL);
    pthread_t tid[PII_MAX_THREADS], wtid;
    unsigned started = 0;
    bool writer = false, sequential = false, eof = false;
    uint64_t unfinished = 0; /* bytes of an incomplete record left by a stop */
    pii_status st = PII_OK;
    pii_buf carry, hdr;
    const size_t cap = pii_engine_in_cap(engine); /* a stream's input window */
    pii_buf_init(&carry, cap);
    pii_buf_init(&hdr, cap);
    pl.slots = pii_calloc(pl.nslots, sizeof(*pl.slots));
    if (pl.slots == NULL) {
        st = pii_error_set(err, PII_E_NOMEM, "out of memory for the batch ring");
        goto out;
    }
    for (size_t i = 0; i < pl.nslots; i++) {
        if ((pl.slots[i].s = pii_stream_new(engine)) == NULL) {
            st = pii_error_set(err, PII_E_NOMEM, "out of memory creating a stream");
            goto out;
        }
        pii_buf_init(&pl.slots[i].events.names, (size_t)-1 / 2);
        pii_stream_set_event_sink(pl.slots[i].s, keep_event, &pl.slots[i].events);
    }
    if (head_len > cap) {
        sequential = true; /* keep the window arithmetic simple */
        goto out;
    }
    bool resumed_header = false;
    if (rs != NULL) {
        /* a hand-over from another engine: its header was written and
         * passes unchanged here (pii_run_fd_resume checked) */
        if (rs->have_header && rs->hdr.len > 0) {
            if ((st = pii_buf_append(&hdr, rs->hdr.ptr, rs->hdr.len)) != PII_OK ||
                (st = pii_buf_append(&hdr, "\n", 1)) != PII_OK) {
                pii_error_set(err, st, "out of memory for the CSV header");
                goto out;
            }
            pl.hdr = hdr.ptr;
            pl.hdr_len = hdr.len;
            for (size_t k = 0; k < hdr.len; k++)
                pl.hdr_lines += hdr.ptr[k] == '\n';
        }
        resumed_header = rs->have_header;
        if (rs->have_stats)
            pl.stats = rs->stats;
        if ((st = pii_buf_append(&carry, rs->tail.ptr, rs->tail.len)) != PII_OK) {
            pii_error_set(err, st, "out of memory");
            goto out;
        }
        pii_resume_clear(rs);
    }
    if ((st = pii_buf_append(&carry, head, head_len)) != PII_OK) {
        pii_error_set(err, st, "out of memory");
        goto out;
    }
    if (!resumed_header && engine->header &&
        (engine->format == PII_FORMAT_CSV || engine->format == PII_FORMAT_TSV)) {
        /* the header record: read until it is complete, check that it
         * passes through unchanged (then every batch can be primed with
         * it), and write it */
        for (;;) {
            bool q = false;
            size_t r = pii_csv_record_end(carry.ptr, carry.len, 0, &q);
            if (r < carry.len) {
                char *o = NULL;
                size_t on = 0;
                pii_stream_stats hs;
                if ((st = pii_run_buffer(engine, carry.ptr, r + 1, &o, &on, &hs, false, err)) !=
                    PII_OK)
                    goto out;
                bool same = on == r + 1 && memcmp(o, carry.ptr, on) == 0;
                pii_free(o);
                /* (a header with findings left as they are, with a finding
                 * callback: one stream reports them in place) */
                if (!same || hs.parse_errors > 0 ||
                    (engine->finding_fn != NULL && hs.findings > 0)) {
                    /* a header that is redacted or does not parse cannot
                     * prime the batches: one stream does it all */
                    sequential = true;
                    goto out;
                }
                if ((st = pii_buf_append(&hdr, carry.ptr, r + 1)) != PII_OK) {
                    pii_error_set(err, st, "out of memory for the CSV header");
                    goto out;
                }
                if ((st = pii_run_write(out_fd, carry.ptr, r + 1, err)) != PII_OK)
                    goto out;
                pii_buf_consume(&carry, r + 1);
                pl.hdr = hdr.ptr;
                pl.hdr_len = hdr.len;
                for (size_t k = 0; k < hdr.len; k++)
                    pl.hdr_lines += hdr.ptr[k] == '\n';
                /* after the counters of a hand-over, if any */
                pl.stats.lines += pl.hdr_lines;
                pl.stats.records += 1;
                pl.stats.bytes_in += hdr.len;
                pl.stats.bytes_out += hdr.len;
                break;
            }
            if (eof || carry.len >= cap / 2) {
                sequential = true; /* no header end (yet): one stream does it all */
                goto out;
            }
            /* read at most half a window: the header and what follows it
             * must fit the first batch's window together */
            size_t want = cap / 2 - carry.len;
            if ((st = pii_buf_reserve(&carry, want)) != PII_OK)
                goto out;
            size_t r2;
            if ((st = pii_run_read(in_fd, carry.ptr + carry.len, want, engine->stop, reload, &r2,
                                   err)) != PII_OK) {
                if (st == PII_E_STOPPED) { /* the header is incomplete: nothing was written */
                    pl.stats.bytes_in += carry.len;
                    pl.stats.bytes_unfinished += carry.len;
                }
                if (st == PII_E_RELOAD) /* the next engine reads the header */
                    st = hand_over(&pl, rs, carry.ptr, carry.len, err);
                goto out;
            }
            carry.len += r2;
            pii_run_progress(engine, r2);
            eof = r2 == 0;
        }
    }
    /* the threads start with every signal blocked, so that a handler (the
     * CLI's SIGTERM and SIGHUP flags) runs in this thread, the one that
     * reads the flags, and a blocking read here is the one interrupted */
    sigset_t all, old;
    sigfillset(&all);
    bool masked = pthread_sigmask(SIG_SETMASK, &all, &old) == 0;
    for (; started < threads; started++) {
        if (pthread_create(&tid[started], NULL, worker_main, &pl) != 0)
            break;
    }
    writer = started > 0 && pthread_create(&wtid, NULL, writer_main, &pl) == 0;
    if (masked)
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!writer) {
        sequential = true;
        goto out;
    }
    while (!sequential) {
        slot *b = acquire(&pl);
        if (b == NULL)
            goto out; /* the writer stopped; pl.st says why */
        pii_stream_restart(b->s, pl.submitted + 1);
        pii_stream_set_origin(b->s, pl.hdr_len, pl.hdr_lines, pl.hdr != NULL, 0, 0, 0);
        uint8_t *dst;
        size_t room;
        pii_stream_input_space(b->s, &dst, &room);
        if (room == 0) {
            st = pii_error_set(err, PII_E_NOMEM, "out of memory for the input window");
            goto out;
        }
        if (room < pl.hdr_len + carry.len + 1) {
            sequential = true; /* the partial record fills a window: one stream from here */
            break;
        }
        size_t base = pl.hdr_len, filled = base;
        if (pl.hdr != NULL)
            memcpy(dst, pl.hdr, pl.hdr_len);
        if (carry.len > 0)
            memcpy(dst + filled, carry.ptr, carry.len);
        filled += carry.len;
        carry.len = 0;
        for (;;) {
            size_t cut = eof ? filled - base : last_record_end(engine, dst + base, filled - base);
            if (cut > 0) {
                if ((st = pii_buf_append(&carry, dst + base + cut, filled - base - cut)) != PII_OK)
                    goto out;
                b->len = base + cut;
                b->skip = pl.hdr_len;
                submit(&pl, b);
                break;
            }
            if (eof)
                goto out; /* nothing left */
            if (filled == room) {
                /* a record longer than the window: one stream from here */
                if ((st = pii_buf_append(&carry, dst + base, filled - base)) != PII_OK)
                    goto out;
                sequential = true;
                break;
            }
            /* a batch of about PII_BATCH_BYTES keeps each slot's input and
             * output in the cache of the core that works on it; a record
             * without an end yet keeps filling up to the whole window */
            size_t lim = filled - base < PII_BATCH_BYTES ? base + PII_BATCH_BYTES : room;
            lim = lim < room ? lim : room;
            size_t got;
            if ((st = pii_run_read(in_fd, dst + filled, lim - filled, engine->stop, reload, &got,
                                   err)) != PII_OK) {
                if (st != PII_E_STOPPED && st != PII_E_RELOAD)
                    goto out;
                /* stopped: the complete records go out, the rest is left
                 * (reload: handed over) */
                size_t done = last_record_end(engine, dst + base, filled - base);
                if (st == PII_E_RELOAD)
                    st = hand_over(&pl, rs, dst + base + done, filled - base - done, err);
                if (done > 0) {
                    b->len = base + done;
                    b->skip = pl.hdr_len;
                    submit(&pl, b);
                }
                /* stopped: counted once the writer is gone: it adds to
                 * pl.stats (under the lock) until then, and takes the place
                 * of the batches in the input from there */
                if (st == PII_E_STOPPED)
                    unfinished = filled - base - done;
                goto out;
            }
            filled += got;
            pii_run_progress(engine, got);
            eof = got == 0;
        }
        if (eof && carry.len == 0)
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
    pl.stats.bytes_in += unfinished;
    pl.stats.bytes_unfinished += unfinished;
    if (pl.st != PII_OK) {
        st = pl.st;
        if (err)
            *err = pl.err;
    }
    if (st == PII_E_RELOAD) {
        /* every batch before the hand-over is written: its counters go on */
        rs->stats = pl.stats;
        rs->have_stats = true;
    }
    if (st == PII_OK && sequential) {
        if (head_len > cap)
            st = run_rest(&pl, rs, head, head_len, in_fd, err);
        else
            st = run_rest(&pl, rs, carry.ptr, carry.len, eof ? -1 : in_fd, err);
    }
    if (rs != NULL && st != PII_E_RELOAD)
        pii_resume_clear(rs);
    if (stats)
        *stats = pl.stats;
    for (size_t i = 0; pl.slots != NULL && i < pl.nslots; i++) {
        pii_stream_free(pl.slots[i].s);
        pii_free_mem(pl.slots[i].events.v);
        pii_buf_free(&pl.slots[i].events.names);
    }
    pii_free_mem(pl.slots);
    pii_buf_free(&carry);
    pii_buf_free(&hdr);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.work);
    pthread_cond_destroy(&pl.done);
    pthread_cond_destroy(&pl.freed);
    return st;
}
