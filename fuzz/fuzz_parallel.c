/*
 * fuzz_parallel.c - the ordered parallel pipeline (pii_run_fd_parallel,
 * src/engine/parallel.c) against one stream, and masked output against
 * leaks. Default policy (every built-in type, action mask), today pinned
 * so that birth-date checks of ID numbers repeat.
 *
 * 1. Differential. The text goes through pii_redact_buffer (one stream)
 *    and through pii_run_fd_parallel with 2 and with 3 worker threads. The
 *    parallel runs must return PII_OK and write the same bytes as the one
 *    stream; their stats must count every input byte and every output
 *    byte, and agree with each other on findings, records and parse
 *    errors. The pipeline gets a fuzzed prefix of the text as its `head`
 *    argument and the rest from a SOCK_SEQPACKET socket pair, written in
 *    full (in fuzzed message sizes) before the call: each read(2) returns
 *    exactly one message, the short reads of a slow pipe, so the reader
 *    cuts its batches (at the last record end of what it has) at fuzzed
 *    places that do not depend on timing, while the workers and the writer
 *    still race. Every read asks for more than MAX_TEXT bytes (a batch of
 *    256 KiB less what the batch holds, or more), so no message is
 *    truncated. Output goes to an unlinked temporary file. The format is
 *    fuzzed: text, CSV with a header (each batch is primed with it), CSV
 *    without a header, JSON Lines.
 * 2. No leak (text format). pii_detect_scan with the engine's detectors
 *    gives the findings of the whole input, which the stream finds too
 *    (candidates never cross a '\n', and the stream scans whole lines: at
 *    most MAX_TEXT bytes never need a window). The masked output must be
 *    exactly the input with each finding replaced by its mask
 *    (pii_transform_render, as the stream renders it) and every other byte
 *    unchanged, their number must equal the findings the parallel runs
 *    counted, and no finding's mask may equal the value itself: a value
 *    the detectors reported never comes out as it went in.
 *
 * 3. Finding events (pii_config_set_finding_callback). Every run reports
 *    the same events (kind, type, action, field, offset, length, line,
 *    record) in the same order, compared as a running hash and count; in
 *    every run they come in input order, lie inside the input, and each
 *    one's line is 1 + the '\n' before its offset.
 *
 * Input: text, then from the tail: a format byte (low 2 bits), the split
 * point (fuzz_producer_reserve_prefix), then after the text the head
 * length for the 2-thread run and one byte per message (< 192: 1..192
 * bytes; else a multiple of 256); the 3-thread run reads the same bytes
 * again with head length 0. Once they run out (or after MAX_MSGS
 * messages) the rest is one message. Text past MAX_TEXT is ignored.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/pii_buf.h"
#include "engine/engine_internal.h"
#include "fuzz_helpers.h"
#include "piiscrub/piiscrub.h"
#include "transform/transform.h"

#define TODAY    20261129u
#define MAX_TEXT ((size_t)64 << 10)
#define MAX_MSGS 64u

static pii_engine *engines[4]; /* text, CSV with header, CSV, JSON Lines */
static int out_fd = -1;
static pii_scan_ws ws;
static pii_findings found;

static void check_ok(pii_status st, const pii_error *err, const char *what)
{
    if (st != PII_OK) {
        fprintf(stderr, "%s: %s (%s)\n", what, pii_strerror(st), err->msg);
        FUZZ_ASSERT_MSG(st == PII_OK, what);
    }
}

static void check_count(uint64_t a, uint64_t b, const char *what)
{
    if (a != b) {
        fprintf(stderr, "%s: %llu vs %llu\n", what, (unsigned long long)a, (unsigned long long)b);
        FUZZ_ASSERT_MSG(0, "the counts differ");
    }
}

/* The events of one run: their number, a hash of them, and where the
 * order and line checks have got to. */
static struct {
    const uint8_t *in;
    size_t n;
    uint64_t count, hash;
    uint64_t at, lines; /* '\n' in in[0, at) */
} evs;

static void ev_hash(const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        evs.hash = (evs.hash ^ ((const uint8_t *)p)[i]) * 1099511628211ull;
}

static void on_event(const pii_finding_event *ev, void *ctx)
{
    (void)ctx;
    FUZZ_ASSERT_MSG(ev->offset >= evs.at, "events out of input order");
    FUZZ_ASSERT_MSG(ev->offset <= evs.n && ev->length <= evs.n - ev->offset,
                    "event outside the input");
    for (; evs.at < ev->offset; evs.at++)
        evs.lines += evs.in[evs.at] == '\n';
    FUZZ_ASSERT_MSG(ev->line == evs.lines + 1, "event line is not the line of its offset");
    FUZZ_ASSERT(ev->record >= 1);
    uint64_t v[6] = {ev->kind, ev->offset, ev->length, ev->line, ev->record, ev->confidence};
    ev_hash(v, sizeof(v));
    const char *str[3] = {ev->type, ev->action, ev->field};
    for (size_t i = 0; i < 3; i++)
        ev_hash(str[i] ? str[i] : "\x01", str[i] ? strlen(str[i]) + 1 : 1);
    evs.count++;
}

static void ev_start(const uint8_t *in, size_t n)
{
    memset(&evs, 0, sizeof(evs));
    evs.in = in;
    evs.n = n;
    evs.hash = 14695981039346656037ull;
}

static void setup(void)
{
    static const struct {
        pii_format format;
        bool header;
    } kinds[4] = {
        {PII_FORMAT_TEXT, false},
        {PII_FORMAT_CSV, true},
        {PII_FORMAT_CSV, false},
        {PII_FORMAT_JSONL, false},
    };
    pii_error err;
    for (size_t i = 0; i < 4; i++) {
        pii_config *cfg = pii_config_new();
        FUZZ_ASSERT(cfg != NULL);
        pii_config_set_today(cfg, TODAY);
        pii_config_set_format(cfg, kinds[i].format, 0, kinds[i].header);
        pii_config_set_finding_callback(cfg, on_event, NULL, 0);
        check_ok(pii_engine_new(cfg, &engines[i], &err), &err, "pii_engine_new");
        pii_config_free(cfg);
    }
    char path[] = "/tmp/fuzz_parallel.XXXXXX";
    out_fd = mkstemp(path);
    FUZZ_ASSERT(out_fd >= 0);
    FUZZ_ASSERT(unlink(path) == 0);
    FUZZ_ASSERT(pii_scan_ws_init(&ws) == PII_OK);
}

/* in[head, n) as messages sized by `sched` into a socket whose other end
 * is returned, closed for writing: reading it gives the messages, then
 * end of input. */
static int feed(const uint8_t *in, size_t head, size_t n, fuzz_producer sched)
{
    int sv[2];
    FUZZ_ASSERT(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
    size_t pos = head;
    for (unsigned msgs = 1; pos < n; msgs++) {
        size_t len = n - pos;
        if (msgs < MAX_MSGS && fuzz_producer_remaining(&sched) > 0) {
            size_t b = fuzz_producer_range(&sched, 0, 255);
            size_t want = b < 192 ? b + 1 : (b - 191) * 256;
            len = want < len ? want : len;
        }
        /* never block: everything must fit in the socket before the call */
        ssize_t w = send(sv[1], in + pos, len, MSG_DONTWAIT);
        FUZZ_ASSERT_MSG(w == (ssize_t)len, "the socket does not hold all messages");
        pos += len;
    }
    FUZZ_ASSERT(close(sv[1]) == 0);
    return sv[0];
}

/* Output of pii_run_fd_parallel over `threads` threads; owned, free(). */
static uint8_t *run_parallel(const pii_engine *e, const uint8_t *in, size_t n, size_t head,
                             fuzz_producer sched, unsigned threads, size_t *out_len,
                             pii_stream_stats *stats)
{
    int in_fd = feed(in, head, n, sched);
    FUZZ_ASSERT(ftruncate(out_fd, 0) == 0 && lseek(out_fd, 0, SEEK_SET) == 0);
    pii_error err;
    memset(&err, 0, sizeof(err));
    check_ok(pii_run_fd_parallel(e, in, head, in_fd, out_fd, threads, stats, &err), &err,
             "pii_run_fd_parallel");
    FUZZ_ASSERT(close(in_fd) == 0);
    struct stat sb;
    FUZZ_ASSERT(fstat(out_fd, &sb) == 0);
    size_t m = (size_t)sb.st_size;
    uint8_t *out = malloc(m > 0 ? m : 1);
    FUZZ_ASSERT(out != NULL);
    FUZZ_ASSERT(m == 0 || pread(out_fd, out, m, 0) == (ssize_t)m);
    *out_len = m;
    return out;
}

/* Check 2: the masked output is the input with every finding masked, and
 * no mask leaves its value as it was. Returns the number of findings. */
static size_t check_no_leak(const pii_engine *e, const uint8_t *in, size_t n, const uint8_t *out,
                            size_t m)
{
    FUZZ_ASSERT(pii_detect_scan(&e->det, &ws, in, n, 0, 0, &found) == PII_OK);
    pii_buf want, mask;
    pii_buf_init(&want, SIZE_MAX / 2);
    pii_buf_init(&mask, SIZE_MAX / 2);
    size_t prev = 0;
    for (size_t i = 0; i < found.len; i++) {
        const pii_finding *f = &found.v[i];
        FUZZ_ASSERT(f->start >= prev && f->start < f->end && f->end <= n);
        const pii_detector *det = &e->det.det[f->det];
        FUZZ_ASSERT(e->action[det->index] == PII_ACTION_MASK);
        mask.len = 0;
        FUZZ_ASSERT(pii_transform_render(det->def, PII_ACTION_MASK, in + f->start,
                                         f->end - f->start, f->aux, NULL, NULL, &mask) == PII_OK);
        if (mask.len == f->end - f->start && memcmp(mask.ptr, in + f->start, mask.len) == 0) {
            fprintf(stderr, "%s finding at bytes [%zu, %zu) is unchanged by its mask\n",
                    det->def->id, f->start, f->end);
            FUZZ_ASSERT_MSG(0, "a detected value survives masking");
        }
        FUZZ_ASSERT(pii_buf_append(&want, in + prev, f->start - prev) == PII_OK);
        FUZZ_ASSERT(pii_buf_append(&want, mask.ptr, mask.len) == PII_OK);
        prev = f->end;
    }
    FUZZ_ASSERT(pii_buf_append(&want, in + prev, n - prev) == PII_OK);
    fuzz_check_same(want.ptr, want.len, out, m, "output is not the input with its findings masked");
    pii_buf_free(&want);
    pii_buf_free(&mask);
    return found.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (out_fd < 0)
        setup();
    fuzz_producer p = fuzz_producer_make(data, size);
    unsigned kind = fuzz_producer_range(&p, 0, 255) & 3u;
    size_t n = fuzz_producer_reserve_prefix(&p);
    if (n > MAX_TEXT)
        n = MAX_TEXT;
    fuzz_producer sched = p;
    size_t head = fuzz_producer_range(&sched, 0, (uint32_t)n);
    const pii_engine *e = engines[kind];
    uint8_t *in = fuzz_dup_exact(data, n);

    pii_error err;
    char *one = NULL;
    size_t one_len = 0;
    ev_start(in, n);
    check_ok(pii_redact_buffer(e, in, n, &one, &one_len, &err), &err, "pii_redact_buffer");
    uint64_t ev_count = evs.count, ev_sum = evs.hash;

    pii_stream_stats st2, st3;
    size_t len2, len3;
    ev_start(in, n);
    uint8_t *out2 = run_parallel(e, in, n, head, sched, 2, &len2, &st2);
    fuzz_check_same((const uint8_t *)one, one_len, out2, len2, "2 threads differ from one stream");
    check_count(evs.count, ev_count, "events of 2 threads and of one stream");
    FUZZ_ASSERT_MSG(evs.hash == ev_sum, "2 threads report other events than one stream");
    ev_start(in, n);
    uint8_t *out3 = run_parallel(e, in, n, 0, sched, 3, &len3, &st3);
    check_count(evs.count, ev_count, "events of 3 threads and of one stream");
    FUZZ_ASSERT_MSG(evs.hash == ev_sum, "3 threads report other events than one stream");
    fuzz_check_same((const uint8_t *)one, one_len, out3, len3, "3 threads differ from one stream");
    check_count(st2.bytes_in, n, "bytes_in of 2 threads");
    check_count(st3.bytes_in, n, "bytes_in of 3 threads");
    check_count(st2.bytes_out, len2, "bytes_out of 2 threads");
    check_count(st3.bytes_out, len3, "bytes_out of 3 threads");
    check_count(st2.findings, st3.findings, "findings of 2 and 3 threads");
    check_count(st2.records, st3.records, "records of 2 and 3 threads");
    check_count(st2.parse_errors, st3.parse_errors, "parse errors of 2 and 3 threads");

    if (kind == 0) {
        size_t nf = check_no_leak(e, in, n, (const uint8_t *)one, one_len);
        check_count(st2.findings, nf, "findings of 2 threads and of the scan");
    }

    free(out3);
    free(out2);
    pii_free(one);
    free(in);
    return 0;
}
