/*
 * fuzz_stream_resume.c - the hand-over of a stream to another engine at a
 * record end (SIGHUP reload: pii_stream_suspend / pii_stream_resume, which
 * the follower uses and pii_run_fd_resume mirrors).
 *
 * For each of text, CSV with a header (column rules: keep, redact, drop,
 * scan) and JSON Lines, two engines are built from the same configuration:
 * a hand-over between them must not change a byte. The fuzzed text is
 * pushed in fuzzed chunks through a stream of the first engine; after a
 * chunk the harness may suspend the stream (all its output taken first)
 * and resume in a new stream of either engine, any number of times. The
 * output must equal pii_redact_buffer's one shot with the first engine:
 * nothing lost, repeated, cut or passed raw at a hand-over, the CSV header
 * written once and still naming the columns after it. PII_E_LIMIT from
 * suspend (a record longer than the window, partly written) leaves the
 * stream as it was and the harness goes on pushing.
 *
 * Input: text, then from the tail: a format byte (0 text, 1 CSV, 2 JSON
 * Lines), the split point (fuzz_producer_reserve_prefix), then per chunk
 * its size and whether to hand over after it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_helpers.h"
#include "piiscrub/piiscrub.h"

static const char policy_text[] = "version: 1\n"
                                  "entities: {cn_mobile: mask, email: redact}\n"
                                  "fields:\n"
                                  "  id: keep\n"
                                  "  phone: {action: redact, type: cn_mobile}\n"
                                  "  secret: drop\n"
                                  "  note: scan\n"
                                  "  \"user.tel\": {action: redact, type: cn_mobile}\n";

static pii_engine *engines[3][2]; /* [format][which] */

static void die(const char *what, const pii_error *err)
{
    fprintf(stderr, "fuzz_stream_resume: %s: %s\n", what, err ? err->msg : "");
    abort();
}

static pii_engine *make(pii_format format, const char *policy)
{
    pii_error err;
    pii_config *cfg = pii_config_new();
    if (cfg == NULL)
        die("pii_config_new", NULL);
    pii_config_set_today(cfg, 20261129u);
    if (pii_config_load_policy(cfg, policy, &err) != PII_OK)
        die("policy", &err);
    pii_config_set_format(cfg, format, 0, true);
    pii_engine *e = NULL;
    if (pii_engine_new(cfg, &e, &err) != PII_OK)
        die("pii_engine_new", &err);
    pii_config_free(cfg);
    return e;
}

static void setup(void)
{
    char dir[] = "/tmp/fuzz_stream_resume.XXXXXX";
    if (mkdtemp(dir) == NULL)
        die("mkdtemp", NULL);
    char policy[256];
    snprintf(policy, sizeof(policy), "%s/p.yaml", dir);
    FILE *f = fopen(policy, "w");
    if (f == NULL || fputs(policy_text, f) < 0 || fclose(f) != 0)
        die("policy file", NULL);
    static const pii_format formats[3] = {PII_FORMAT_TEXT, PII_FORMAT_CSV, PII_FORMAT_JSONL};
    for (int k = 0; k < 3; k++) {
        engines[k][0] = make(formats[k], policy);
        engines[k][1] = make(formats[k], policy);
    }
    unlink(policy);
    rmdir(dir);
}

/* Push in[0, n) until all is consumed and no output is left in the
 * stream, or an error. */
static pii_status push_all(pii_stream *s, const uint8_t *in, size_t n, fuzz_growbuf *out)
{
    static uint8_t chunk[8192];
    pii_inbuf ib = {in, n, 0};
    for (;;) {
        pii_outbuf ob = {chunk, sizeof(chunk), 0};
        pii_error err;
        pii_status st = pii_stream_push(s, &ib, &ob, &err);
        fuzz_growbuf_append(out, chunk, ob.pos);
        if (st != PII_OK || (ib.pos == ib.size && ob.pos < ob.size))
            return st;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        setup();
        ready = true;
    }
    fuzz_producer fp = fuzz_producer_make(data, size);
    int fmt = (int)fuzz_producer_range(&fp, 0, 2);
    size_t n = fuzz_producer_reserve_prefix(&fp);
    uint8_t *text = fuzz_dup_exact(data, n);
    pii_engine *const *e = engines[fmt];

    char *ref = NULL;
    size_t ref_len = 0;
    pii_error err;
    pii_status rst = pii_redact_buffer(e[0], text, n, &ref, &ref_len, &err);

    fuzz_growbuf out = {0};
    pii_stream *s = pii_stream_new(e[0]);
    FUZZ_ASSERT(s != NULL);
    pii_status st = PII_OK;
    size_t off = 0, handovers = 0;
    while (off < n && st == PII_OK) {
        size_t c = fuzz_producer_remaining(&fp) > 0 ? fuzz_producer_range(&fp, 1, 4096) : n - off;
        if (c > n - off)
            c = n - off;
        st = push_all(s, text + off, c, &out);
        off += c;
        if (st != PII_OK || fuzz_producer_remaining(&fp) == 0 || !fuzz_producer_bool(&fp))
            continue;
        pii_resume *r = pii_resume_new();
        FUZZ_ASSERT(r != NULL);
        pii_status ss = pii_stream_suspend(s, r, &err);
        if (ss == PII_E_LIMIT) {
            pii_resume_free(r); /* inside a long record: push on */
            continue;
        }
        if (ss != PII_OK)
            die("pii_stream_suspend", &err);
        pii_stream_free(s);
        s = pii_stream_new(e[fuzz_producer_bool(&fp)]);
        FUZZ_ASSERT(s != NULL);
        st = pii_stream_resume(s, r, &err);
        pii_resume_free(r);
        handovers++;
    }
    if (st == PII_OK) {
        static uint8_t chunk[8192];
        size_t remaining;
        do {
            pii_outbuf ob = {chunk, sizeof(chunk), 0};
            st = pii_stream_finish(s, &ob, &remaining, &err);
            fuzz_growbuf_append(&out, chunk, ob.pos);
        } while (st == PII_OK && remaining > 0);
    }
    /* the same outcome as one shot: both succeed with the same bytes, or
     * both fail (a CSV header that does not parse, with column rules) */
    FUZZ_ASSERT_MSG((st == PII_OK) == (rst == PII_OK), "status differs from the one shot");
    if (st == PII_OK)
        fuzz_check_same((const uint8_t *)ref, ref_len, out.ptr, out.len,
                        handovers ? "output with hand-overs" : "chunked output");
    pii_stream_free(s);
    pii_free(ref);
    free(out.ptr);
    free(text);
    return 0;
}
