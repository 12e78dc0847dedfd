/*
 * test_events.c - finding events (pii_config_set_finding_callback): the
 * positions they give are those of the original input across chunked
 * pushes, windows of long records, CRLF and multi-byte text, inside CSV
 * quotes and JSON escapes; fingerprints; scan-only mode; and the parallel
 * driver handing over the same events as one stream.
 */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/format.h"
#include "piiscrub/piiscrub.h"

typedef struct {
    pii_event_kind kind;
    char type[32], action[16], field[64], fp[40];
    bool has_field, has_fp;
    uint64_t offset, length, line, record;
    unsigned confidence;
} rec;

typedef struct {
    rec *v;
    size_t n, cap;
} recs;

static void collect(const pii_finding_event *ev, void *ctx)
{
    recs *r = ctx;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->v = realloc(r->v, r->cap * sizeof(*r->v));
        cr_assert_not_null(r->v);
    }
    rec *x = &r->v[r->n++];
    memset(x, 0, sizeof(*x));
    x->kind = ev->kind;
    snprintf(x->type, sizeof(x->type), "%s", ev->type ? ev->type : "");
    snprintf(x->action, sizeof(x->action), "%s", ev->action ? ev->action : "");
    x->has_field = ev->field != NULL;
    snprintf(x->field, sizeof(x->field), "%s", ev->field ? ev->field : "");
    x->has_fp = ev->fingerprint != NULL;
    snprintf(x->fp, sizeof(x->fp), "%s", ev->fingerprint ? ev->fingerprint : "");
    x->offset = ev->offset;
    x->length = ev->length;
    x->line = ev->line;
    x->record = ev->record;
    x->confidence = ev->confidence;
}

static pii_config *config(recs *r, pii_format f)
{
    pii_config *cfg = pii_config_new();
    cr_assert_not_null(cfg);
    pii_config_set_today(cfg, 20261129);
    pii_config_set_format(cfg, f, 0, true);
    pii_config_set_finding_callback(cfg, collect, r, PII_FINDING_FINGERPRINT);
    return cfg;
}

static pii_engine *build(pii_config *cfg)
{
    pii_engine *e = NULL;
    pii_error err;
    cr_assert_eq(pii_engine_new(cfg, &e, &err), PII_OK, "%s", err.msg);
    pii_config_free(cfg);
    return e;
}

/* Push in[0, n) in chunks of `chunk` bytes; returns the output length. */
static size_t push(const pii_engine *e, const char *in, size_t n, size_t chunk,
                   pii_stream_stats *st)
{
    pii_stream *s = pii_stream_new(e);
    cr_assert_not_null(s);
    static char out[1 << 22];
    pii_outbuf ob = {out, sizeof(out), 0};
    for (size_t p = 0; p < n;) {
        size_t k = n - p < chunk ? n - p : chunk;
        pii_inbuf ib = {in + p, k, 0};
        while (ib.pos < ib.size)
            cr_assert_eq(pii_stream_push(s, &ib, &ob, NULL), PII_OK);
        p += k;
    }
    size_t rem;
    do
        cr_assert_eq(pii_stream_finish(s, &ob, &rem, NULL), PII_OK);
    while (rem > 0);
    if (st)
        pii_stream_get_stats(s, st);
    pii_stream_free(s);
    return ob.pos;
}

/* The event at index i covers exactly `value` at its n-th occurrence in in. */
static void expect_at(const recs *r, size_t i, const char *in, size_t n, const char *value,
                      int nth, const char *type, uint64_t line)
{
    cr_assert_lt(i, r->n, "only %zu events", r->n);
    const char *p = in;
    for (int k = 0; k <= nth; k++) {
        p = memmem(p + (k ? 1 : 0), n - (size_t)(p + (k ? 1 : 0) - in), value, strlen(value));
        cr_assert_not_null(p, "value %d not in input", nth);
    }
    cr_expect_eq(r->v[i].offset, (uint64_t)(p - in), "event %zu: offset %llu, want %zu", i,
                 (unsigned long long)r->v[i].offset, (size_t)(p - in));
    cr_expect_eq(r->v[i].length, strlen(value), "event %zu: length %llu", i,
                 (unsigned long long)r->v[i].length);
    cr_expect_str_eq(r->v[i].type, type);
    cr_expect_eq(r->v[i].line, line, "event %zu: line %llu, want %llu", i,
                 (unsigned long long)r->v[i].line, (unsigned long long)line);
}

static const char text_in[] = "a\xff\xfe \xe4\xb8\xad\xe6\x96\x87\r\n"
                              "tel 13812345678\r\n"
                              "\xe4\xb8 mail zhang.san@example.com \xe7\x94\xb5\xe8\xaf\x9d"
                              "13912345678\xe8\xb0\xa2\n"
                              "\n"
                              "no newline 138-1234-5678";

Test(events, text_positions_crlf_multibyte)
{
    recs r = {0};
    pii_engine *e = build(config(&r, PII_FORMAT_TEXT));
    size_t n = sizeof(text_in) - 1;
    pii_stream_stats st;
    push(e, text_in, n, n, &st);
    cr_assert_eq(r.n, 4);
    expect_at(&r, 0, text_in, n, "13812345678", 0, "cn_mobile", 2);
    expect_at(&r, 1, text_in, n, "zhang.san@example.com", 0, "email", 3);
    expect_at(&r, 2, text_in, n, "13912345678", 0, "cn_mobile", 3);
    expect_at(&r, 3, text_in, n, "138-1234-5678", 0, "cn_mobile", 5);
    for (size_t i = 0; i < r.n; i++) {
        cr_expect_eq(r.v[i].record, r.v[i].line);
        cr_expect(!r.v[i].has_field);
        cr_expect(!r.v[i].has_fp, "no key, no fingerprint");
        cr_expect_str_eq(r.v[i].action, "mask");
    }
    cr_expect_eq(st.lines, 5, "4 newlines and an unterminated line: %llu",
                 (unsigned long long)st.lines);
    free(r.v);
    pii_engine_free(e);
}

Test(events, chunked_pushes_give_the_same_events)
{
    recs ref = {0};
    pii_engine *e = build(config(&ref, PII_FORMAT_TEXT));
    size_t n = sizeof(text_in) - 1;
    push(e, text_in, n, n, NULL);
    pii_engine_free(e);
    size_t chunks[] = {1, 2, 3, 5, 16};
    for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
        recs r = {0};
        e = build(config(&r, PII_FORMAT_TEXT));
        push(e, text_in, n, chunks[c], NULL);
        cr_assert_eq(r.n, ref.n, "chunk %zu: %zu events, want %zu", chunks[c], r.n, ref.n);
        for (size_t i = 0; i < r.n; i++) {
            cr_expect_eq(r.v[i].offset, ref.v[i].offset, "chunk %zu event %zu", chunks[c], i);
            cr_expect_eq(r.v[i].line, ref.v[i].line, "chunk %zu event %zu", chunks[c], i);
            cr_expect_eq(r.v[i].length, ref.v[i].length);
        }
        free(r.v);
        pii_engine_free(e);
    }
    free(ref.v);
}

Test(events, windows_of_a_long_record)
{
    /* 64 KiB windows over a 300 KiB line: phones before, across and after
     * window edges keep their input offsets */
    size_t n = 300000;
    char *in = malloc(n + 64);
    cr_assert_not_null(in);
    memset(in, 'x', n);
    size_t at[] = {10, 65530, 65536 - 5, 131000, 200000, 299980};
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        in[at[i] - 1] = ' ';
        memcpy(in + at[i], "13812345678", 11);
        in[at[i] + 11] = ' ';
    }
    memcpy(in + n, "\nnext 13912345678\n", 18);
    n += 18;
    size_t chunks[] = {n, 4096, 777};
    for (size_t c = 0; c < 3; c++) {
        recs r = {0};
        pii_config *cfg = config(&r, PII_FORMAT_TEXT);
        cr_assert_eq(pii_config_set_max_record(cfg, PII_MAX_RECORD_MIN), PII_OK);
        pii_engine *e = build(cfg);
        pii_stream_stats st;
        push(e, in, n, chunks[c], &st);
        /* 65536 - 5 overlaps 65530's value: at[1] and at[2] cannot both be
         * there; the planted one that survives is at[2] (written last) */
        size_t want[] = {10, 65536 - 5, 131000, 200000, 299980, 300006};
        cr_assert_eq(r.n, 6, "chunk %zu: %zu events", chunks[c], r.n);
        for (size_t i = 0; i < 6; i++) {
            cr_expect_eq(r.v[i].offset, want[i], "chunk %zu event %zu: %llu, want %zu", chunks[c],
                         i, (unsigned long long)r.v[i].offset, want[i]);
            cr_expect_eq(r.v[i].line, i < 5 ? 1 : 2);
        }
        cr_expect_eq(st.lines, 2);
        free(r.v);
        pii_engine_free(e);
    }
    free(in);
}

Test(events, csv_fields_quotes_and_records)
{
    static const char in[] = "name,phone,note\r\n"
                             "\"Zhang \"\"Z\"\"\",138-1234-5678,\"two\nlines 13812345678\"\r\n"
                             "li,x,\"\"\"q\"\" 13912345678\"\r\n";
    size_t n = sizeof(in) - 1;
    recs r = {0};
    pii_engine *e = build(config(&r, PII_FORMAT_CSV));
    push(e, in, n, 3, NULL);
    cr_assert_eq(r.n, 3);
    expect_at(&r, 0, in, n, "138-1234-5678", 0, "cn_mobile", 2);
    expect_at(&r, 1, in, n, "13812345678", 0, "cn_mobile", 3); /* line 3, record 2 */
    expect_at(&r, 2, in, n, "13912345678", 0, "cn_mobile", 4);
    cr_expect_str_eq(r.v[0].field, "phone");
    cr_expect_str_eq(r.v[1].field, "note");
    cr_expect_str_eq(r.v[2].field, "note");
    cr_expect_eq(r.v[0].record, 2);
    cr_expect_eq(r.v[1].record, 2, "a quoted newline: still record 2");
    cr_expect_eq(r.v[2].record, 3);
    free(r.v);
    pii_engine_free(e);
}

Test(events, json_paths_escapes_and_parse_errors)
{
    static const char in[] =
        "{\"u\":{\"tel\":\"\\u0031\\u00338\\u00312345678\",\"m\":\"\\\"x\\\" zhang.san@example.com\"}}\n"
        "{\"a\":[{\"b\":\"\\ud83d\\ude00 13812345678\"}]}\n"
        "{\"broken\": 13912345678\n";
    size_t n = sizeof(in) - 1;
    recs r = {0};
    pii_engine *e = build(config(&r, PII_FORMAT_JSONL));
    push(e, in, n, 7, NULL);
    cr_assert_eq(r.n, 5);
    expect_at(&r, 0, in, n, "\\u0031\\u00338\\u00312345678", 0, "cn_mobile", 1);
    expect_at(&r, 1, in, n, "zhang.san@example.com", 0, "email", 1);
    expect_at(&r, 2, in, n, "13812345678", 0, "cn_mobile", 2);
    cr_expect_str_eq(r.v[0].field, "u.tel");
    cr_expect_str_eq(r.v[1].field, "u.m");
    cr_expect_str_eq(r.v[2].field, "a[].b");
    cr_expect_eq(r.v[3].kind, PII_EVENT_PARSE_ERROR);
    cr_expect_eq(r.v[3].line, 3);
    cr_expect_eq(r.v[3].record, 3);
    expect_at(&r, 4, in, n, "13912345678", 0, "cn_mobile", 3);
    cr_expect(!r.v[4].has_field, "a record scanned as text has no field");
    free(r.v);
    pii_engine_free(e);
}

Test(events, raw_offsets_of_decoded_values)
{
    static const uint8_t s[] = "\"a\\u00e9\\n\\ud83d\\ude00b\"";
    size_t n = sizeof(s) - 1;
    /* decoded: a(0) é(1,2) \n(3) U+1F600(4..7) b(8) */
    cr_expect_eq(pii_json_raw_offset(s, n, 0, false), 1);
    cr_expect_eq(pii_json_raw_offset(s, n, 1, false), 2);
    cr_expect_eq(pii_json_raw_offset(s, n, 2, false), 2, "inside an escape: its start");
    cr_expect_eq(pii_json_raw_offset(s, n, 2, true), 8, "inside an escape, as an end: past it");
    cr_expect_eq(pii_json_raw_offset(s, n, 3, false), 8);
    cr_expect_eq(pii_json_raw_offset(s, n, 4, false), 10);
    cr_expect_eq(pii_json_raw_offset(s, n, 8, false), 22);
    cr_expect_eq(pii_json_raw_offset(s, n, 9, false), 23, "the end: the closing quote");
    static const uint8_t c[] = "x,\"a\"\"b\"\"\"";
    pii_csv_field f = {2, sizeof(c) - 1, true};
    cr_expect_eq(pii_csv_raw_offset(c, &f, 0), 1);
    cr_expect_eq(pii_csv_raw_offset(c, &f, 1), 2);
    cr_expect_eq(pii_csv_raw_offset(c, &f, 2), 4);
    cr_expect_eq(pii_csv_raw_offset(c, &f, 3), 5);
    cr_expect_eq(pii_csv_raw_offset(c, &f, 4), 7, "decoded length: the closing quote");
}

static char keyfile[64];

static void make_key(void)
{
    char text[256];
    size_t len;
    cr_assert_eq(pii_key_generate(text, sizeof(text), &len, NULL), PII_OK);
    snprintf(keyfile, sizeof(keyfile), "/tmp/pii-events-key.XXXXXX");
    int fd = mkstemp(keyfile);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    pii_wipe(text, sizeof(text));
}

Test(events, fingerprints_keyed_and_canonical)
{
    make_key();
    static const char in[] = "13812345678 x 138-1234-5678 x +86 138 1234 5678 x 13912345678\n";
    recs r = {0};
    pii_config *cfg = config(&r, PII_FORMAT_TEXT);
    cr_assert_eq(pii_config_add_key_file(cfg, keyfile, NULL), PII_OK);
    pii_config *cfg2 = pii_config_new();
    recs r2 = {0};
    pii_config_set_finding_callback(cfg2, collect, &r2, 0); /* not asked for */
    cr_assert_eq(pii_config_add_key_file(cfg2, keyfile, NULL), PII_OK);
    unlink(keyfile);
    pii_engine *e = build(cfg);
    pii_engine *e2 = build(cfg2);
    push(e, in, sizeof(in) - 1, 4, NULL);
    push(e2, in, sizeof(in) - 1, 4, NULL);
    cr_assert_eq(r.n, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_assert(r.v[i].has_fp);
        cr_expect_eq(strlen(r.v[i].fp), 32);
        cr_expect_eq(strspn(r.v[i].fp, "0123456789abcdef"), 32);
    }
    cr_expect_str_eq(r.v[0].fp, r.v[1].fp, "one number, two spellings");
    cr_expect_str_eq(r.v[0].fp, r.v[2].fp, "with +86");
    cr_expect_str_neq(r.v[0].fp, r.v[3].fp, "another number");
    cr_assert_eq(r2.n, 4);
    cr_expect(!r2.v[0].has_fp, "no PII_FINDING_FINGERPRINT, no fingerprint");
    free(r.v);
    free(r2.v);
    pii_engine_free(e);
    pii_engine_free(e2);
}

Test(events, scan_only_changes_nothing)
{
    static const char in[] = "tel 13812345678 mail zhang.san@example.com\n";
    recs r = {0};
    pii_config *cfg = config(&r, PII_FORMAT_TEXT);
    pii_config_set_scan_only(cfg, true);
    cr_assert_eq(pii_config_set_action(cfg, "cn_mobile", PII_ACTION_TOKEN, NULL), PII_OK);
    pii_engine *e = build(cfg); /* token without a key: fine, nothing is rendered */
    char *out;
    size_t len;
    cr_assert_eq(pii_redact_buffer(e, in, sizeof(in) - 1, &out, &len, NULL), PII_OK);
    cr_expect_eq(len, sizeof(in) - 1);
    cr_expect_arr_eq(out, in, len);
    pii_free(out);
    cr_assert_eq(r.n, 2);
    cr_expect_str_eq(r.v[0].action, "token");
    cr_expect_str_eq(r.v[1].action, "mask");
    free(r.v);
    pii_engine_free(e);
}

Test(events, no_callback_counts_no_lines)
{
    pii_config *cfg = pii_config_new();
    pii_engine *e = build(cfg);
    pii_stream_stats st;
    push(e, text_in, sizeof(text_in) - 1, 5, &st);
    cr_expect_eq(st.lines, 0);
    cr_expect_eq(st.findings, 4);
    pii_engine_free(e);
}

/* The parallel driver reports what one stream reports, in input order. */
static void parallel_equals_sequential(pii_format f)
{
    char path[] = "/tmp/pii-events-in.XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    unlink(path);
    FILE *fp = fdopen(fd, "w+");
    if (f == PII_FORMAT_CSV)
        fputs("id,phone,note\n", fp);
    for (int i = 0; i < 30000; i++) {
        if (f == PII_FORMAT_CSV)
            fprintf(fp, "%d,138%04d5678,\"x \"\"y\"\"\ntel 139-1234-%04d\"\n", i, i % 10000,
                    i % 10000);
        else if (f == PII_FORMAT_JSONL)
            fprintf(fp, i % 1000 == 3 ? "{bad 13812345678\n"
                                      : "{\"a\":{\"t\":\"138%04d5678 \\u4e2d\"}}\n",
                    i % 10000);
        else
            fprintf(fp, "%d 中文 tel 138%04d5678\r\n", i, i % 10000);
    }
    fflush(fp);
    recs seq = {0}, par = {0};
    pii_engine *e1 = build(config(&seq, f));
    pii_engine *e2 = build(config(&par, f));
    pii_stream_stats s1, s2;
    lseek(fd, 0, SEEK_SET);
    cr_assert_eq(pii_run_fd_parallel(e1, NULL, 0, fd, -1, 1, &s1, NULL), PII_OK);
    lseek(fd, 0, SEEK_SET);
    cr_assert_eq(pii_run_fd_parallel(e2, NULL, 0, fd, -1, 3, &s2, NULL), PII_OK);
    fclose(fp);
    cr_assert_geq(seq.n, 30000);
    cr_assert_eq(par.n, seq.n, "%zu events with 3 threads, %zu with 1", par.n, seq.n);
    for (size_t i = 0; i < seq.n; i++) {
        cr_assert_eq(par.v[i].offset, seq.v[i].offset, "event %zu", i);
        cr_assert_eq(par.v[i].line, seq.v[i].line, "event %zu", i);
        cr_assert_eq(par.v[i].record, seq.v[i].record, "event %zu", i);
        cr_assert_eq(par.v[i].kind, seq.v[i].kind, "event %zu", i);
        cr_assert_str_eq(par.v[i].field, seq.v[i].field, "event %zu", i);
    }
    cr_expect_eq(s2.lines, s1.lines);
    cr_expect_eq(s2.records, s1.records);
    free(seq.v);
    free(par.v);
    pii_engine_free(e1);
    pii_engine_free(e2);
}

Test(events, parallel_text)
{
    parallel_equals_sequential(PII_FORMAT_TEXT);
}

Test(events, parallel_csv_header_and_quoted_newlines)
{
    parallel_equals_sequential(PII_FORMAT_CSV);
}

Test(events, parallel_jsonl_with_parse_errors)
{
    parallel_equals_sequential(PII_FORMAT_JSONL);
}
