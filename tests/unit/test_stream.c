/*
 * test_stream.c - the streaming engine: byte fidelity outside findings,
 * framing, windows over long records, chunked pushes, and the API edges.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "common/pii_alloc.h"
#include "engine/engine_internal.h"
#include "test_util.h"

static pii_engine *eng;

static void setup(void)
{
    eng = test_engine(0);
}

static void teardown(void)
{
    pii_engine_free(eng);
}

TestSuite(stream, .init = setup, .fini = teardown);

static void expect(const char *in, size_t n, const char *want, size_t wn)
{
    size_t len;
    char *out = test_run(eng, in, n, &len);
    cr_assert_eq(len, wn, "length %zu, want %zu: [%.*s]", len, wn, (int)len, out);
    cr_assert_arr_eq(out, want, wn);
    pii_free(out);
}

#define EXPECT(in, want) expect(in, sizeof(in) - 1, want, sizeof(want) - 1)

Test(stream, bytes_outside_findings_unchanged)
{
    EXPECT("a 13812345678 b\r\nno pii here\r\n", "a 138****5678 b\r\nno pii here\r\n");
    EXPECT("last line without newline 13812345678", "last line without newline 138****5678");
    EXPECT("", "");
    EXPECT("\n\n\n", "\n\n\n");
    EXPECT("nul\0 13812345678\0\xff\xfe", "nul\0 138****5678\0\xff\xfe");
}

Test(stream, chunked_push_equals_one_shot)
{
    char in[8192];
    size_t n = 0;
    for (int i = 0; n < sizeof(in) - 200; i++)
        n += (size_t)snprintf(in + n, sizeof(in) - n,
                              "line %d tel 13812345678 card 4242 4242 4242 4242 x@y.cn\r\n", i);
    size_t ref_len;
    char *ref = test_run(eng, in, n, &ref_len);
    size_t chunk_sizes[] = {1, 2, 3, 7, 64, 1000};
    for (size_t c = 0; c < sizeof(chunk_sizes) / sizeof(chunk_sizes[0]); c++) {
        pii_stream *s = pii_stream_new(eng);
        char *out = malloc(ref_len + 1);
        size_t out_len = 0;
        size_t pos = 0;
        char small[5];
        while (pos < n) {
            size_t k = n - pos < chunk_sizes[c] ? n - pos : chunk_sizes[c];
            pii_inbuf ib = {in + pos, k, 0};
            while (ib.pos < ib.size) {
                pii_outbuf ob = {small, sizeof(small), 0};
                cr_assert_eq(pii_stream_push(s, &ib, &ob, NULL), PII_OK);
                cr_assert_leq(out_len + ob.pos, ref_len);
                memcpy(out + out_len, small, ob.pos);
                out_len += ob.pos;
            }
            pos += k;
        }
        size_t rem;
        do {
            pii_outbuf ob = {small, sizeof(small), 0};
            cr_assert_eq(pii_stream_finish(s, &ob, &rem, NULL), PII_OK);
            memcpy(out + out_len, small, ob.pos);
            out_len += ob.pos;
        } while (rem > 0);
        cr_assert_eq(out_len, ref_len, "chunk %zu", chunk_sizes[c]);
        cr_assert_arr_eq(out, ref, ref_len, "chunk %zu", chunk_sizes[c]);
        pii_stream_stats st;
        pii_stream_get_stats(s, &st);
        cr_assert_eq(st.bytes_in, n);
        cr_assert_eq(st.bytes_out, ref_len);
        free(out);
        pii_stream_free(s);
    }
    pii_free(ref);
}

/* A record longer than the window: entities placed across each window edge
 * at every offset near it are all found, and the rest is unchanged. */
Test(stream, entity_across_window_boundary)
{
    const char *phone = "13812345678";
    const size_t total = 3 * PII_WINDOW_SIZE + 100;
    for (long delta = -12; delta <= 12; delta += 1) {
        char *in = malloc(total);
        memset(in, 'a', total);
        for (size_t i = 0; i < total; i += 97)
            in[i] = ' ';
        size_t pos[3];
        for (int w = 0; w < 3; w++) {
            /* the real window edges (see PII_STREAM_IN_CAP), and offsets around them */
            size_t edge = (size_t)(w + 1) * PII_STREAM_IN_CAP -
                          (size_t)w * (PII_DETECT_MAX_SPAN + PII_DETECT_LOOKBEHIND);
            pos[w] = (size_t)((long)edge + delta);
            in[pos[w] - 1] = ' ';
            memcpy(in + pos[w], phone, 11);
            in[pos[w] + 11] = ' ';
        }
        size_t len;
        char *out = test_run(eng, in, total, &len);
        cr_assert_eq(len, total);
        for (int w = 0; w < 3; w++) {
            cr_assert_arr_eq(out + pos[w], "138****5678", 11, "delta %ld window %d", delta, w);
            memcpy(out + pos[w], phone, 11); /* restore to compare the rest */
        }
        cr_assert_arr_eq(out, in, total, "bytes outside the findings changed (delta %ld)", delta);
        pii_free(out);
        free(in);
    }
}

Test(stream, long_digit_run_across_window_is_not_a_finding)
{
    const size_t total = 2 * PII_WINDOW_SIZE;
    char *in = malloc(total);
    memset(in, 'b', total);
    for (size_t i = PII_WINDOW_SIZE - 2000; i < PII_WINDOW_SIZE + 2000; i++)
        in[i] = (char)('0' + i % 10);
    in[PII_WINDOW_SIZE - 2001] = ' ';
    in[PII_WINDOW_SIZE + 2000] = ' ';
    size_t len;
    char *out = test_run(eng, in, total, &len);
    cr_assert_eq(len, total);
    cr_assert_arr_eq(out, in, total);
    pii_free(out);
    free(in);
}

Test(stream, push_after_finish_is_misuse)
{
    pii_stream *s = pii_stream_new(eng);
    char o[16];
    pii_outbuf ob = {o, sizeof(o), 0};
    size_t rem;
    cr_assert_eq(pii_stream_finish(s, &ob, &rem, NULL), PII_OK);
    cr_assert_eq(rem, 0);
    pii_inbuf ib = {"x", 1, 0};
    pii_error err;
    cr_assert_eq(pii_stream_push(s, &ib, &ob, &err), PII_E_INTERNAL);
    cr_assert_str_neq(err.msg, "");
    pii_stream_free(s);
    pii_stream_free(NULL);
}

Test(stream, allocation_failure_returns_nomem)
{
    /* every allocation from the first one on fails */
    for (unsigned long n = 1; n <= 4; n++) {
        pii_alloc_fail_after(n);
        char *out = NULL;
        size_t len = 0;
        pii_status st = pii_redact_buffer(eng, "tel 13812345678\n", 16, &out, &len, NULL);
        pii_alloc_fail_after(0);
        if (st == PII_OK) {
            cr_assert_arr_eq(out, "tel 138****5678\n", 16);
            pii_free(out);
        } else {
            cr_assert(st == PII_E_NOMEM || st == PII_E_LIMIT, "status %d", st);
            cr_assert_null(out);
        }
    }
}

Test(api, config_errors_name_the_problem)
{
    pii_config *cfg = pii_config_new();
    pii_error err;
    cr_assert_eq(pii_config_set_action(cfg, "cn_phone_typo", PII_ACTION_MASK, &err), PII_E_CONFIG);
    cr_assert(strstr(err.msg, "cn_phone_typo") != NULL);
    cr_assert_eq(pii_config_set_enabled(cfg, "nope", true, NULL), PII_E_CONFIG);
    pii_action a;
    cr_assert_eq(pii_action_from_name("mask", &a), PII_OK);
    cr_assert_eq(a, PII_ACTION_MASK);
    cr_assert_eq(pii_action_from_name("shred", &a), PII_E_CONFIG);
    cr_assert_str_eq(pii_action_name(PII_ACTION_REDACT), "redact");
    cr_assert_str_eq(pii_strerror(PII_E_PIPE), "output closed by reader");
    cr_assert_geq(pii_entity_count(), 16);
    cr_assert_null(pii_entity_get(pii_entity_count()));
    cr_assert_str_eq(pii_entity_get(0)->name, "bank_card"); /* files in name order */
    cr_assert_str_eq(pii_version(), PII_VERSION_STRING);
    pii_config_free(cfg);
    pii_config_free(NULL);
    pii_engine_free(NULL);
}

Test(api, only_and_actions_apply)
{
    pii_config *cfg = pii_config_new();
    pii_config_set_today(cfg, 20261129);
    pii_config_disable_all(cfg);
    cr_assert_eq(pii_config_set_enabled(cfg, "email", true, NULL), PII_OK);
    cr_assert_eq(pii_config_set_action(cfg, "email", PII_ACTION_REDACT, NULL), PII_OK);
    pii_engine *e;
    cr_assert_eq(pii_engine_new(cfg, &e, NULL), PII_OK);
    pii_config_free(cfg); /* the engine must not depend on the config any more */
    size_t len;
    char *out = test_run(e, "13812345678 a@b.cn", 18, &len);
    cr_assert_str_eq(out, "13812345678 [EMAIL]");
    pii_free(out);
    pii_engine_free(e);
}

/* ---- hand-over to another engine (SIGHUP reload, issue 8) ------------------ */

/* Push in[0, n) into s; append the output to out[*len..]. */
static void push_str(pii_stream *s, const char *in, char *out, size_t cap, size_t *len)
{
    pii_inbuf ib = {in, strlen(in), 0};
    while (ib.pos < ib.size) {
        pii_outbuf ob = {out + *len, cap - *len, 0};
        pii_error err;
        cr_assert_eq(pii_stream_push(s, &ib, &ob, &err), PII_OK, "%s", err.msg);
        *len += ob.pos;
    }
}

static void finish_str(pii_stream *s, char *out, size_t cap, size_t *len)
{
    size_t remaining;
    do {
        pii_outbuf ob = {out + *len, cap - *len, 0};
        pii_error err;
        cr_assert_eq(pii_stream_finish(s, &ob, &remaining, &err), PII_OK, "%s", err.msg);
        *len += ob.pos;
    } while (remaining > 0);
}

static pii_engine *format_engine(pii_format fmt, int redact)
{
    pii_config *cfg = pii_config_new();
    pii_config_set_today(cfg, 20261129);
    pii_config_set_format(cfg, fmt, 0, true);
    if (redact)
        cr_assert_eq(pii_config_set_action(cfg, "cn_mobile", PII_ACTION_REDACT, NULL), PII_OK);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_new(cfg, &e, NULL), PII_OK);
    pii_config_free(cfg);
    return e;
}

Test(stream, suspend_hands_the_incomplete_record_to_the_next_engine)
{
    pii_engine *red = test_engine(1);
    pii_resume *r = pii_resume_new();
    cr_assert_not_null(r);
    char out[256];
    size_t len = 0;
    pii_stream *s = pii_stream_new(eng);
    push_str(s, "a 13812345678\nb 1381234", out, sizeof(out), &len);
    pii_error err;
    cr_assert_eq(pii_stream_suspend(s, r, &err), PII_OK, "%s", err.msg);
    pii_stream_free(s);
    cr_assert_eq(len, 14);
    cr_assert_arr_eq(out, "a 138****5678\n", 14);
    pii_stream *t = pii_stream_new(red);
    cr_assert_eq(pii_stream_resume(t, r, &err), PII_OK, "%s", err.msg);
    push_str(t, "5678\nc 13912345678", out, sizeof(out), &len);
    finish_str(t, out, sizeof(out), &len);
    static const char want[] = "a 138****5678\nb [CN_MOBILE]\nc [CN_MOBILE]";
    cr_assert_eq(len, sizeof(want) - 1, "[%.*s]", (int)len, out);
    cr_assert_arr_eq(out, want, sizeof(want) - 1);
    pii_stream_stats st;
    pii_stream_get_stats(t, &st);
    cr_assert_eq(st.bytes_in, 41, "the counters go on, each byte once: %llu",
                 (unsigned long long)st.bytes_in);
    cr_assert_eq(st.findings, 3);
    pii_stream_free(t);
    pii_resume_free(r);
    pii_engine_free(red);
}

Test(stream, suspend_keeps_the_csv_header_without_writing_it_again)
{
    pii_engine *a = format_engine(PII_FORMAT_CSV, 0), *b = format_engine(PII_FORMAT_CSV, 1);
    pii_resume *r = pii_resume_new();
    char out[256];
    size_t len = 0;
    pii_stream *s = pii_stream_new(a);
    push_str(s, "name,phone\nann,13812345678\nbob,\"1391234", out, sizeof(out), &len);
    pii_error err;
    cr_assert_eq(pii_stream_suspend(s, r, &err), PII_OK, "%s", err.msg);
    pii_stream_free(s);
    pii_stream *t = pii_stream_new(b);
    cr_assert_eq(pii_stream_resume(t, r, &err), PII_OK, "%s", err.msg);
    push_str(t, "5678\"\nname,13812345679\n", out, sizeof(out), &len);
    finish_str(t, out, sizeof(out), &len);
    /* "name,..." after the hand-over is data, not a second header */
    static const char want[] =
        "name,phone\nann,138****5678\nbob,\"[CN_MOBILE]\"\nname,[CN_MOBILE]\n";
    cr_assert_eq(len, sizeof(want) - 1, "[%.*s]", (int)len, out);
    cr_assert_arr_eq(out, want, sizeof(want) - 1);
    pii_stream_stats st;
    pii_stream_get_stats(t, &st);
    cr_assert_eq(st.records, 4, "records %llu", (unsigned long long)st.records);
    pii_stream_free(t);
    pii_resume_free(r);
    pii_engine_free(a);
    pii_engine_free(b);
}

Test(stream, suspend_refuses_pending_output_and_a_half_written_record)
{
    pii_resume *r = pii_resume_new();
    pii_stream *s = pii_stream_new(eng);
    pii_error err;
    /* output not taken yet: misuse */
    pii_inbuf ib = {"a 13812345678\n", 14, 0};
    char small[4];
    pii_outbuf ob = {small, sizeof(small), 0};
    cr_assert_eq(pii_stream_push(s, &ib, &ob, &err), PII_OK);
    cr_assert_eq(pii_stream_suspend(s, r, &err), PII_E_INTERNAL);
    pii_stream_free(s);
    /* a record longer than the window, partly written: not yet */
    s = pii_stream_new(eng);
    size_t n = PII_STREAM_IN_CAP + 1000;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    size_t cap = 2 * n, len = 0;
    char *out = malloc(cap);
    push_str(s, big, out, cap, &len);
    cr_assert_gt(len, 0, "part of the long record is written");
    cr_assert_eq(pii_stream_suspend(s, r, &err), PII_E_LIMIT);
    push_str(s, "\nb", out, cap, &len);
    cr_assert_eq(pii_stream_suspend(s, r, &err), PII_OK, "at its end: %s", err.msg);
    cr_assert_eq(len, n + 1);
    pii_stream_free(s);
    /* a stream that took input cannot resume */
    s = pii_stream_new(eng);
    push_str(s, "c", out, cap, &len);
    cr_assert_eq(pii_stream_resume(s, r, &err), PII_E_INTERNAL);
    pii_stream_free(s);
    free(out);
    free(big);
    pii_resume_free(r);
}
