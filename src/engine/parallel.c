/*
 * parallel.c - pii_run_fd over several threads: an ordered pipeline run by
 * leader/follower threads.
 *
 * N threads (the calling thread and N - 1 started ones) each loop over
 * three steps, so that -jN runs N threads and a batch usually stays in the
 * cache of the core that read it:
 *
 *   read    under the input lock: the next batch, read straight into the
 *           input window of a free slot's stream and cut at its last
 *           record end (a '\n'; CSV: outside quotes). A batch is what one
 *           read of up to PII_BATCH_BYTES returns (a short read from a pipe
 *           with nothing more yet is a batch of its own, so that a slow
 *           producer's lines are not held back), grown up to one stream
 *           window while no record end has come;
 *   scan    without a lock: commit the batch in its slot's stream;
 *   write   the thread that completes the batch next in input order writes
 *           it and every completed batch after it (a combining writer: one
 *           thread writes at a time, the others go on reading and
 *           scanning).
 *
 * A thread waits only for the input lock while another thread reads, or
 * for a free slot when it is a whole ring ahead of the batch written next.
 * Batches live in a ring of 2N + 2 slots, each owning a stream (restarted,
 * not rebuilt, per batch); free slots are reused last-freed first, so the
 * buffers in use stay warm. Memory stays bounded by the slots' streams:
 * 2N + 2 of them, each at most about 5 windows (its input window and its
 * output; pii_config_set_max_record), plus the carried partial record (at
 * most a window): ~32 MiB at -j2 with the default 1 MiB window, and far
 * less in practice, as buffers grow only as far as the data needs.
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
 * with it, positions relative to the batch, and the thread that writes the
 * batch hands them to the callback in input order with the batch's place
 * in the input added: the callback sees the same events as with one
 * stream, one at a time. The read callback (progress) is called from the
 * calling thread only, with the bytes read by every thread since its last
 * call.
 *
 * Signals: the started threads block every signal, so that a handler (the
 * CLI's SIGTERM and SIGHUP flags) runs in the calling thread, and only the
 * calling thread reads the stop and reload flags (a sig_atomic_t is safe
 * between a handler and its own thread only) and waits for input, in
 * pii_reader_read, which a signal interrupts. Another thread reads only
 * what is there already (a regular file, or a pipe that poll(2) says is
 * readable); otherwise it leaves the partial record for the calling
 * thread and waits until that one has read. A stop or reload therefore
 * comes at the calling thread's next read: the other threads may read a
 * few more batches (at most a ring's worth) before it.
 *
 * Falls back to a single stream, from the point where it happens, for a
 * record that fills a window (pii_engine_in_cap; it has to be cut into
 * windows, which only a single stream does), and entirely for
 * --on-error=stop (the stop must come exactly at the bad record).
 */
#define _GNU_SOURCE /* memrchr */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "engine/engine_internal.h"
#include "format/format.h"
#include "input/reader.h"
#include "output/writer.h"
#include "transform/transform.h"

#define PII_MAX_THREADS 64

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

/* A batch is read straight into the input window of its slot's stream and
 * committed there by the same thread; the writer writes the stream's
 * output buffer. Apart from the read itself, the only copy is the partial
 * record after the batch's last record end, carried to the next.
 * Ownership: a free slot belongs to the pool (pool.mu); a taken one to
 * the thread that took it until it is published in pool.done, then to the
 * writer until it is freed. */
typedef struct slot {
    pii_stream *s;
    uint64_t seq;
    size_t len;  /* bytes placed in the window, the header prefix included */
    size_t skip; /* output bytes to drop: the header prefix passes unchanged */
    pii_status st;
    pii_error err;
    pii_stream_stats stats;
    event_list events; /* touched by the scanning thread, then by the writer */
    struct slot *next_free;
} slot;

typedef struct {
    const pii_engine *eng;
    int in_fd, out_fd;
    pii_resume *rs;                      /* hand-over target, or NULL */
    const volatile sig_atomic_t *reload; /* the engine's flag with rs, else NULL */
    bool in_file;                        /* in_fd is a regular file: a read never waits */
    slot *slots;
    size_t nslots;
    const uint8_t *hdr; /* CSV header record with its terminator, or NULL */
    size_t hdr_len;
    uint64_t hdr_lines; /* '\n' in it */

    /* input state, guarded by rd */
    pthread_mutex_t rd;
    pii_buf carry;      /* the partial record after the last batch */
    bool eof;           /* the input has ended */
    bool rd_over;       /* no batch is read any more */
    uint64_t reads;     /* reads by the calling thread */
    unsigned in_waiting; /* threads waiting on input */
    pthread_cond_t input; /* the calling thread has read, or the input is over */
    bool sequential;    /* a single stream takes over at carry */
    uint64_t next_seq;  /* of the next batch read */
    uint64_t unfinished; /* bytes of an incomplete record left by a stop */
    size_t unreported;  /* bytes read but not told to the read callback */
    pii_status rst;     /* why the input stopped early (read error, stop, reload) */
    pii_error rerr;

    /* batches and writing, guarded by mu */
    pthread_mutex_t mu;
    pthread_cond_t freed; /* a slot was freed, or the pool stops */
    slot *free_list;
    slot **done;        /* [seq % nslots]: batch seq, once scanned and until written */
    uint64_t written;   /* sequence number of the next batch to write */
    bool writing;       /* a thread is writing (the role is handed over under mu) */
    bool over;          /* rd_over, seen under mu */
    bool quit;          /* writing stopped on an error: st */
    unsigned waiting;   /* threads waiting on freed */
    pii_status st;      /* the first write error or failed batch */
    pii_error err;
    /* the writer's only (the role is exclusive): counters of the batches
     * written, read by the calling thread once the threads are joined */
    pii_stream_stats stats;
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

/* Under mu: push b on the free list and wake a thread waiting for one. */
static void free_slot(pool *pl, slot *b)
{
    b->next_free = pl->free_list;
    pl->free_list = b;
    if (pl->waiting > 0)
        pthread_cond_signal(&pl->freed);
}

/* A free slot, the last freed (its buffers are the warmest); NULL once the
 * input is over or writing stopped. */
static slot *take_slot(pool *pl)
{
    pthread_mutex_lock(&pl->mu);
    while (pl->free_list == NULL && !pl->over && !pl->quit) {
        pl->waiting++;
        pthread_cond_wait(&pl->freed, &pl->mu);
        pl->waiting--;
    }
    slot *b = NULL;
    if (!pl->over && !pl->quit) {
        b = pl->free_list;
        pl->free_list = b->next_free;
    }
    pthread_mutex_unlock(&pl->mu);
    return b;
}

static void give_back(pool *pl, slot *b)
{
    pthread_mutex_lock(&pl->mu);
    free_slot(pl, b);
    pthread_mutex_unlock(&pl->mu);
}

/* Under mu: publish batch b as scanned, then, unless another thread is
 * writing, write every scanned batch from the next one in input order on.
 * The lock is dropped while writing; whoever holds the writer role
 * re-checks for the next batch before giving it up, so no batch is left
 * behind. */
static void publish(pool *pl, slot *b)
{
    pl->done[b->seq % pl->nslots] = b;
    if (pl->writing)
        return;
    pl->writing = true;
    for (;;) {
        slot *w = pl->done[pl->written % pl->nslots];
        if (pl->quit || w == NULL || w->seq != pl->written)
            break;
        pl->done[pl->written % pl->nslots] = NULL;
        pthread_mutex_unlock(&pl->mu);
        pii_status st = w->st;
        pii_error err = w->err;
        if (st == PII_OK && pl->eng->finding_fn != NULL)
            st = replay_events(pl->eng, &w->events, pl->stats.bytes_in, pl->stats.lines,
                               pl->stats.records, &err);
        const uint8_t *p;
        size_t n;
        pii_stream_output_pending(w->s, &p, &n);
        if (st == PII_OK && n > w->skip)
            st = pii_run_write(pl->out_fd, p + w->skip, n - w->skip, &err);
        pii_stream_output_consumed(w->s, n);
        pii_stream_get_stats(w->s, &w->stats);
        if (w->skip > 0) {
            w->stats.records -= w->stats.records > 0;
            w->stats.bytes_in -= w->skip;
            w->stats.bytes_out -= w->skip;
            w->stats.lines -= w->stats.lines >= pl->hdr_lines ? pl->hdr_lines : w->stats.lines;
        }
        add_stats(&pl->stats, &w->stats);
        pthread_mutex_lock(&pl->mu);
        pl->written++;
        free_slot(pl, w);
        if (st != PII_OK) {
            pl->st = st;
            pl->err = err;
            pl->quit = true;
            pthread_cond_broadcast(&pl->freed);
        }
    }
    pl->writing = false;
}

/* Under rd: no batch is read any more. */
static void end_input(pool *pl)
{
    pl->rd_over = true;
    if (pl->in_waiting > 0)
        pthread_cond_broadcast(&pl->input);
    pthread_mutex_lock(&pl->mu);
    pl->over = true;
    pthread_cond_broadcast(&pl->freed);
    pthread_mutex_unlock(&pl->mu);
}

/* Under rd: the input stops early with st (pl->rerr already filled). */
static void fail_input(pool *pl, pii_status st)
{
    pl->rst = st;
    end_input(pl);
}

typedef enum { READ_NONE, READ_BATCH, READ_LATER } read_result;

/* Under rd: batch b holds window[0, len), the header prefix included. */
static read_result cut_batch(pool *pl, slot *b, size_t len)
{
    b->len = len;
    b->skip = pl->hdr_len;
    b->st = PII_OK;
    b->seq = pl->next_seq++;
    return READ_BATCH;
}

/* Under rd: read the next batch into b (taken, not yet published).
 * READ_BATCH: b holds one; READ_NONE: no more will come (the input is
 * over); READ_LATER (not the calling thread): there is nothing to read
 * yet, and only the calling thread may wait for input. */
static read_result read_batch(pool *pl, slot *b, bool caller)
{
    const pii_engine *e = pl->eng;
    pii_buf *carry = &pl->carry;
    pii_stream_restart(b->s, pl->next_seq + 1);
    pii_stream_set_origin(b->s, pl->hdr_len, pl->hdr_lines, pl->hdr != NULL, 0, 0, 0);
    uint8_t *dst;
    size_t room;
    pii_stream_input_space(b->s, &dst, &room);
    if (room == 0) {
        fail_input(pl, pii_error_set(&pl->rerr, PII_E_NOMEM, "out of memory for the input window"));
        return READ_NONE;
    }
    if (room < pl->hdr_len + carry->len + 1) {
        pl->sequential = true; /* the partial record fills a window: one stream from here */
        end_input(pl);
        return READ_NONE;
    }
    size_t base = pl->hdr_len, filled = base;
    if (pl->hdr != NULL)
        memcpy(dst, pl->hdr, pl->hdr_len);
    if (carry->len > 0)
        memcpy(dst + filled, carry->ptr, carry->len);
    filled += carry->len;
    carry->len = 0;
    pii_status st;
    for (;;) {
        size_t cut = pl->eof ? filled - base : last_record_end(e, dst + base, filled - base);
        if (cut > 0) {
            if ((st = pii_buf_append(carry, dst + base + cut, filled - base - cut)) != PII_OK) {
                fail_input(pl, pii_error_set(&pl->rerr, st, "out of memory"));
                return READ_NONE;
            }
            if (pl->eof)
                end_input(pl);
            return cut_batch(pl, b, base + cut);
        }
        if (pl->eof) {
            end_input(pl); /* nothing left */
            return READ_NONE;
        }
        bool later = !caller && !pl->in_file && !pii_reader_ready(pl->in_fd);
        if (filled == room || later) {
            /* a record longer than the window: one stream from here; or
             * nothing to read now: the partial record goes back to the
             * carry, for the calling thread, which waits for input */
            if ((st = pii_buf_append(carry, dst + base, filled - base)) != PII_OK) {
                fail_input(pl, pii_error_set(&pl->rerr, st, "out of memory"));
                return READ_NONE;
            }
            if (later)
                return READ_LATER;
            pl->sequential = true;
            end_input(pl);
            return READ_NONE;
        }
        /* a batch of about PII_BATCH_BYTES keeps each slot's input and
         * output in the cache of the core that works on it; a record
         * without an end yet keeps filling up to the whole window */
        size_t lim = filled - base < PII_BATCH_BYTES ? base + PII_BATCH_BYTES : room;
        lim = lim < room ? lim : room;
        size_t got;
        /* the stop and reload flags belong to the calling thread (their
         * signal handlers run there): only it reads them */
        st = pii_run_read(pl->in_fd, dst + filled, lim - filled, caller ? e->stop : NULL,
                          caller ? pl->reload : NULL, &got, &pl->rerr);
        if (st != PII_OK) {
            if (st != PII_E_STOPPED && st != PII_E_RELOAD) {
                fail_input(pl, st);
                return READ_NONE;
            }
            /* stopped: the complete records go out, the rest is left
             * (reload: handed over); the rest of a stop is counted once
             * the threads are gone, after every batch's counters */
            size_t done = last_record_end(e, dst + base, filled - base);
            if (st == PII_E_RELOAD)
                st = hand_over(pl, pl->rs, dst + base + done, filled - base - done, &pl->rerr);
            if (st == PII_E_STOPPED)
                pl->unfinished = filled - base - done;
            fail_input(pl, st);
            return done > 0 ? cut_batch(pl, b, base + done) : READ_NONE;
        }
        filled += got;
        pl->unreported += e->read_fn != NULL ? got : 0;
        pl->eof = got == 0;
        if (caller) {
            pl->reads++;
            if (pl->in_waiting > 0)
                pthread_cond_broadcast(&pl->input);
        }
    }
}

/* One thread's loop: take a slot, read a batch into it, scan it, publish
 * it (and write what is ready), until the input is over. */
static void work(pool *pl, bool caller)
{
    for (;;) {
        slot *b = take_slot(pl);
        if (b == NULL)
            break;
        pthread_mutex_lock(&pl->rd);
        read_result r = READ_NONE;
        while (!pl->rd_over && (r = read_batch(pl, b, caller)) == READ_LATER) {
            /* until the calling thread has read more */
            uint64_t seen = pl->reads;
            pl->in_waiting++;
            while (!pl->rd_over && pl->reads == seen)
                pthread_cond_wait(&pl->input, &pl->rd);
            pl->in_waiting--;
            r = READ_NONE;
        }
        size_t told = 0;
        if (caller) {
            told = pl->unreported;
            pl->unreported = 0;
        }
        pthread_mutex_unlock(&pl->rd);
        pii_run_progress(pl->eng, told);
        if (r != READ_BATCH) {
            give_back(pl, b);
            break;
        }
        run_batch(b);
        pthread_mutex_lock(&pl->mu);
        publish(pl, b);
        pthread_mutex_unlock(&pl->mu);
    }
    if (caller) {
        /* nobody waits for input any more (a write error can stop the
         * calling thread while the input goes on) */
        pthread_mutex_lock(&pl->rd);
        if (!pl->rd_over)
            end_input(pl);
        pthread_mutex_unlock(&pl->rd);
    }
}

static void *thread_main(void *arg)
{
    work(arg, false);
    return NULL;
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
    pl.in_fd = in_fd;
    pl.out_fd = out_fd;
    pl.rs = rs;
    pl.reload = reload;
    pl.nslots = 2 * (size_t)threads + 2;
    pthread_mutex_init(&pl.rd, NULL);
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.freed, NULL);
    pthread_cond_init(&pl.input, NULL);
    struct stat in_st;
    pl.in_file = in_fd >= 0 && fstat(in_fd, &in_st) == 0 && S_ISREG(in_st.st_mode);
    pthread_t tid[PII_MAX_THREADS];
    unsigned started = 0;
    bool sequential = false;
    pii_status st = PII_OK;
    pii_buf hdr;
    pii_buf *const carry = &pl.carry;
    const size_t cap = pii_engine_in_cap(engine); /* a stream's input window */
    pii_buf_init(carry, cap);
    pii_buf_init(&hdr, cap);
    pl.slots = pii_calloc(pl.nslots, sizeof(*pl.slots));
    pl.done = pii_calloc(pl.nslots, sizeof(*pl.done));
    if (pl.slots == NULL || pl.done == NULL) {
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
    for (size_t i = pl.nslots; i-- > 0;)
        free_slot(&pl, &pl.slots[i]); /* slot 0 on top */
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
        if ((st = pii_buf_append(carry, rs->tail.ptr, rs->tail.len)) != PII_OK) {
            pii_error_set(err, st, "out of memory");
            goto out;
        }
        pii_resume_clear(rs);
    }
    if ((st = pii_buf_append(carry, head, head_len)) != PII_OK) {
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
            size_t r = pii_csv_record_end(carry->ptr, carry->len, 0, &q);
            if (r < carry->len) {
                char *o = NULL;
                size_t on = 0;
                pii_stream_stats hs;
                if ((st = pii_run_buffer(engine, carry->ptr, r + 1, &o, &on, &hs, false, err)) !=
                    PII_OK)
                    goto out;
                bool same = on == r + 1 && memcmp(o, carry->ptr, on) == 0;
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
                if ((st = pii_buf_append(&hdr, carry->ptr, r + 1)) != PII_OK) {
                    pii_error_set(err, st, "out of memory for the CSV header");
                    goto out;
                }
                if ((st = pii_run_write(out_fd, carry->ptr, r + 1, err)) != PII_OK)
                    goto out;
                pii_buf_consume(carry, r + 1);
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
            if (pl.eof || carry->len >= cap / 2) {
                sequential = true; /* no header end (yet): one stream does it all */
                goto out;
            }
            /* read at most half a window: the header and what follows it
             * must fit the first batch's window together */
            size_t want = cap / 2 - carry->len;
            if ((st = pii_buf_reserve(carry, want)) != PII_OK)
                goto out;
            size_t r2;
            if ((st = pii_run_read(in_fd, carry->ptr + carry->len, want, engine->stop, reload, &r2,
                                   err)) != PII_OK) {
                if (st == PII_E_STOPPED) { /* the header is incomplete: nothing was written */
                    pl.stats.bytes_in += carry->len;
                    pl.stats.bytes_unfinished += carry->len;
                }
                if (st == PII_E_RELOAD) /* the next engine reads the header */
                    st = hand_over(&pl, rs, carry->ptr, carry->len, err);
                goto out;
            }
            carry->len += r2;
            pii_run_progress(engine, r2);
            pl.eof = r2 == 0;
        }
    }
    /* the started threads block every signal, so that a handler (the
     * CLI's SIGTERM and SIGHUP flags) runs in the calling thread */
    sigset_t all, old;
    sigfillset(&all);
    bool masked = pthread_sigmask(SIG_SETMASK, &all, &old) == 0;
    /* (a stop or reload asked for already: the calling thread alone reads
     * up to it, the other threads could not see it) */
    bool asked = (engine->stop != NULL && *engine->stop) || (reload != NULL && *reload);
    for (; !asked && started + 1 < threads; started++) {
        if (pthread_create(&tid[started], NULL, thread_main, &pl) != 0)
            break; /* fewer threads: the calling thread alone still gets through */
    }
    if (masked)
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    work(&pl, true);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pii_run_progress(engine, pl.unreported);
    /* every batch read is written unless writing failed (pl.st); the rest
     * of a stop comes after them */
    pl.stats.bytes_in += pl.unfinished;
    pl.stats.bytes_unfinished += pl.unfinished;
    sequential = pl.sequential;
    if (pl.st != PII_OK) {
        st = pl.st;
        if (err)
            *err = pl.err;
    } else if (pl.rst != PII_OK) {
        st = pl.rst;
        if (err)
            *err = pl.rerr;
    }
out:
    if (st == PII_E_RELOAD) {
        /* every batch before the hand-over is written: its counters go on */
        rs->stats = pl.stats;
        rs->have_stats = true;
    }
    if (st == PII_OK && sequential) {
        if (head_len > cap)
            st = run_rest(&pl, rs, head, head_len, in_fd, err);
        else
            st = run_rest(&pl, rs, carry->ptr, carry->len, pl.eof ? -1 : in_fd, err);
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
    pii_free_mem(pl.done);
    pii_buf_free(carry);
    pii_buf_free(&hdr);
    pthread_mutex_destroy(&pl.rd);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.freed);
    pthread_cond_destroy(&pl.input);
    return st;
}
