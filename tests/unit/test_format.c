/*
 * test_format.c - Criterion unit tests for src/format (fmt_csv.c and
 * fmt_jsonl.c, API in format.h).
 *
 * Overview: table-driven tests. CSV: splitting (plain, quoted, doubled
 * quotes, CR/LF inside quotes, empty fields and records, trailing
 * delimiters, TSV, the malformed shapes and the field limit) with the exact
 * raw span and decoded value of every field; encode tables and decode/encode
 * round trips; record boundaries, also resumed at every chunk boundary. JSON:
 * the exact list of (path, raw span) for every scalar of nested documents,
 * escapes and surrogate pairs, strict rejection with the exact status,
 * RFC 8259 number grammar, the nesting limit, escape/unescape round trips
 * over all 256 byte values, and a path_match table. Expected values are
 * written out by hand from RFC 4180 / RFC 8259, never computed by the code
 * under test. Every input is copied into a heap buffer of exactly its length
 * (no NUL terminator), so a function that reads past `n` is caught when the
 * suite runs under AddressSanitizer.
 */
#include <criterion/criterion.h>
#include "table_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/format.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define BUF_CAP ((size_t)1 << 20)

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Heap copy of s[0, n) of exactly n bytes, no NUL terminator. */
static uint8_t *exact(const void *s, size_t n)
{
    uint8_t *p = malloc(n);

    cr_assert(p != NULL || n == 0);
    if (n > 0) {
        memcpy(p, s, n);
    }
    return p;
}

static bool bytes_eq(const uint8_t *a, size_t an, const void *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* ------------------------------------------------------------------------ */
/* CSV split / decode                                                       */
/* ------------------------------------------------------------------------ */

#define MAXF 8

struct csv_case {
    char name[40];
    char rec[96];
    char delim;
    unsigned max;      /* field limit; 0 means MAXF */
    pii_status status;
    size_t nf;
    char raw[MAXF][40]; /* each field's raw bytes, quotes included */
    char val[MAXF][40]; /* each field's decoded value */
};

static struct csv_case csv_cases[] = {
    {.name = "plain", .rec = "a,b,c", .delim = ',', .nf = 3,
     .raw = {"a", "b", "c"}, .val = {"a", "b", "c"}},
    {.name = "quoted comma", .rec = "\"a,b\",c", .delim = ',', .nf = 2,
     .raw = {"\"a,b\"", "c"}, .val = {"a,b", "c"}},
    {.name = "doubled quotes", .rec = "\"say \"\"hi\"\"\",x", .delim = ',', .nf = 2,
     .raw = {"\"say \"\"hi\"\"\"", "x"}, .val = {"say \"hi\"", "x"}},
    {.name = "only a quote", .rec = "\"\"\"\"", .delim = ',', .nf = 1,
     .raw = {"\"\"\"\""}, .val = {"\""}},
    {.name = "newline in quotes", .rec = "1,\"line1\nline2\",z", .delim = ',', .nf = 3,
     .raw = {"1", "\"line1\nline2\"", "z"}, .val = {"1", "line1\nline2", "z"}},
    {.name = "CRLF in quotes", .rec = "\"a\r\nb\"", .delim = ',', .nf = 1,
     .raw = {"\"a\r\nb\""}, .val = {"a\r\nb"}},
    {.name = "empty record", .rec = "", .delim = ',', .nf = 1, .raw = {""}, .val = {""}},
    {.name = "only delimiters", .rec = ",,", .delim = ',', .nf = 3,
     .raw = {"", "", ""}, .val = {"", "", ""}},
    {.name = "empty middle", .rec = "a,,b", .delim = ',', .nf = 3,
     .raw = {"a", "", "b"}, .val = {"a", "", "b"}},
    {.name = "empty quoted", .rec = "\"\",\"\"", .delim = ',', .nf = 2,
     .raw = {"\"\"", "\"\""}, .val = {"", ""}},
    {.name = "trailing delimiter", .rec = "a,b,", .delim = ',', .nf = 3,
     .raw = {"a", "b", ""}, .val = {"a", "b", ""}},
    {.name = "leading delimiter", .rec = ",a", .delim = ',', .nf = 2,
     .raw = {"", "a"}, .val = {"", "a"}},
    {.name = "quoted then trailing", .rec = "\"x\",", .delim = ',', .nf = 2,
     .raw = {"\"x\"", ""}, .val = {"x", ""}},
    {.name = "spaces kept", .rec = " a , b ", .delim = ',', .nf = 2,
     .raw = {" a ", " b "}, .val = {" a ", " b "}},
    {.name = "tsv", .rec = "a\tb,c\t\"d\te\"", .delim = '\t', .nf = 3,
     .raw = {"a", "b,c", "\"d\te\""}, .val = {"a", "b,c", "d\te"}},
    {.name = "tsv empty", .rec = "\t", .delim = '\t', .nf = 2, .raw = {"", ""}, .val = {"", ""}},
    {.name = "semicolon", .rec = "1;\"2;3\";4", .delim = ';', .nf = 3,
     .raw = {"1", "\"2;3\"", "4"}, .val = {"1", "2;3", "4"}},
    {.name = "utf8", .rec = "张三,\"北京,海淀\"", .delim = ',', .nf = 2,
     .raw = {"张三", "\"北京,海淀\""}, .val = {"张三", "北京,海淀"}},
    {.name = "bare CR is data", .rec = "a\rb,c", .delim = ',', .nf = 2,
     .raw = {"a\rb", "c"}, .val = {"a\rb", "c"}},
    {.name = "exactly max", .rec = "a,b,c", .delim = ',', .max = 3, .nf = 3,
     .raw = {"a", "b", "c"}, .val = {"a", "b", "c"}},
    /* malformed */
    {.name = "quote in unquoted", .rec = "a\"b,c", .delim = ',', .status = PII_E_PARSE},
    {.name = "quote at end of unquoted", .rec = "ab\"", .delim = ',', .status = PII_E_PARSE},
    {.name = "space before quote", .rec = "x, \"a\"", .delim = ',', .status = PII_E_PARSE},
    {.name = "text after closing quote", .rec = "\"a\"b,c", .delim = ',', .status = PII_E_PARSE},
    {.name = "space after closing quote", .rec = "\"a\" ,c", .delim = ',', .status = PII_E_PARSE},
    {.name = "CR after closing quote", .rec = "a,\"b\"\r", .delim = ',', .status = PII_E_PARSE},
    {.name = "unterminated", .rec = "a,\"bc", .delim = ',', .status = PII_E_PARSE},
    {.name = "unterminated doubled", .rec = "\"a\"\"", .delim = ',', .status = PII_E_PARSE},
    {.name = "lone quote", .rec = "\"", .delim = ',', .status = PII_E_PARSE},
    {.name = "comma not delim in tsv", .rec = "\"a\",b", .delim = '\t', .status = PII_E_PARSE},
    {.name = "field limit", .rec = "a,b,c,d", .delim = ',', .max = 3, .status = PII_E_LIMIT},
    {.name = "field limit trailing", .rec = "a,b,c,", .delim = ',', .max = 3,
     .status = PII_E_LIMIT},
    {.name = "field limit one", .rec = "", .delim = ',', .max = 1, .nf = 1, .raw = {""},
     .val = {""}},
};

static bool has_crlf(const char *s)
{
    return strchr(s, '\r') != NULL || strchr(s, '\n') != NULL;
}

PII_TABLE_TEST(struct csv_case, c, csv_cases, csv, split)
{
    (void)row;
    size_t n = strlen(c->rec);
    uint8_t *rec = exact(c->rec, n);
    pii_csv_field f[MAXF];
    size_t nf = 99;
    size_t max = c->max ? c->max : MAXF;
    pii_status st = pii_csv_split(rec, n, (uint8_t)c->delim, f, max, &nf);

    cr_assert_eq(st, c->status, "%s: status %d, expected %d", c->name, st, c->status);
    if (st != PII_OK) {
        free(rec);
        return;
    }
    cr_assert_eq(nf, c->nf, "%s: %zu fields, expected %zu", c->name, nf, c->nf);

    size_t pos = 0;
    for (size_t i = 0; i < nf; i++) {
        const char *raw = c->raw[i];
        pii_buf val, enc;

        /* the fields cover the record in order, one delimiter apart */
        cr_assert_eq(f[i].start, pos, "%s: field %zu starts at %zu", c->name, i, f[i].start);
        cr_assert(f[i].end >= f[i].start && f[i].end <= n);
        cr_assert(bytes_eq(rec + f[i].start, f[i].end - f[i].start, raw, strlen(raw)),
                  "%s: field %zu raw '%.*s', expected '%s'", c->name, i,
                  (int)(f[i].end - f[i].start), rec + f[i].start, raw);
        cr_assert_eq(f[i].quoted, raw[0] == '"', "%s: field %zu quoted flag", c->name, i);
        if (i + 1 < nf) {
            cr_assert_eq(rec[f[i].end], (uint8_t)c->delim, "%s: no delimiter after %zu",
                         c->name, i);
        }
        pos = f[i].end + 1;

        pii_buf_init(&val, BUF_CAP);
        cr_assert_eq(pii_csv_decode(rec, &f[i], &val), PII_OK);
        cr_assert(bytes_eq(val.ptr, val.len, c->val[i], strlen(c->val[i])),
                  "%s: field %zu decoded '%.*s', expected '%s'", c->name, i, (int)val.len,
                  val.ptr, c->val[i]);

        /* re-encoding the value in the field's style gives the raw bytes */
        pii_buf_init(&enc, BUF_CAP);
        cr_assert_eq(pii_csv_encode(val.ptr, val.len, (uint8_t)c->delim, f[i].quoted, &enc),
                     PII_OK);
        if (f[i].quoted || !has_crlf(raw)) {
            cr_assert(bytes_eq(enc.ptr, enc.len, raw, strlen(raw)),
                      "%s: field %zu re-encoded '%.*s', expected '%s'", c->name, i,
                      (int)enc.len, enc.ptr, raw);
        }
        pii_buf_free(&val);
        pii_buf_free(&enc);
    }
    cr_assert_eq(f[nf - 1].end, n, "%s: last field does not end the record", c->name);
    free(rec);
}

Test(csv, split_zero_max_is_limit)
{
    pii_csv_field f[1];
    size_t nf = 99;
    uint8_t *rec = exact("", 0);

    cr_assert_eq(pii_csv_split(rec, 0, ',', f, 0, &nf), PII_E_LIMIT);
    cr_assert_eq(nf, 0);
    free(rec);
}

Test(csv, split_limit_reports_fields_so_far)
{
    pii_csv_field f[2];
    size_t nf = 99;
    uint8_t *rec = exact("a,b,c", 5);

    cr_assert_eq(pii_csv_split(rec, 5, ',', f, 2, &nf), PII_E_LIMIT);
    cr_assert_eq(nf, 2);
    cr_assert_eq(f[1].start, 2);
    cr_assert_eq(f[1].end, 3);
    free(rec);
}

Test(csv, split_quote_delimiter_is_misuse)
{
    pii_csv_field f[4];
    size_t nf = 99;
    uint8_t *rec = exact("a\"b", 3);

    cr_assert_eq(pii_csv_split(rec, 3, '"', f, 4, &nf), PII_E_INTERNAL);
    free(rec);
}

Test(csv, decode_rejects_bad_span)
{
    uint8_t *rec = exact("\"ab", 3);
    pii_csv_field f = {0, 1, true};
    pii_buf b;

    pii_buf_init(&b, BUF_CAP);
    cr_assert_eq(pii_csv_decode(rec, &f, &b), PII_E_INTERNAL);
    f.end = 3; /* no closing quote */
    cr_assert_eq(pii_csv_decode(rec, &f, &b), PII_E_INTERNAL);
    cr_assert_eq(b.len, 0);
    pii_buf_free(&b);
    free(rec);
}

/* ------------------------------------------------------------------------ */
/* CSV encode                                                               */
/* ------------------------------------------------------------------------ */

struct enc_case {
    char name[32];
    char v[32];
    char delim;
    bool was_quoted;
    char out[48];
};

static struct enc_case enc_cases[] = {
    {"plain", "abc", ',', false, "abc"},
    {"plain kept quoted", "abc", ',', true, "\"abc\""},
    {"empty", "", ',', false, ""},
    {"empty quoted", "", ',', true, "\"\""},
    {"delimiter", "a,b", ',', false, "\"a,b\""},
    {"quote", "say \"hi\"", ',', false, "\"say \"\"hi\"\"\""},
    {"only quote", "\"", ',', false, "\"\"\"\""},
    {"newline", "a\nb", ',', false, "\"a\nb\""},
    {"carriage return", "a\rb", ',', false, "\"a\rb\""},
    {"tab in csv", "a\tb", ',', false, "a\tb"},
    {"tab in tsv", "a\tb", '\t', false, "\"a\tb\""},
    {"comma in tsv", "a,b", '\t', false, "a,b"},
    {"utf8", "138****5678", ',', false, "138****5678"},
    {"spaces", " a ", ',', false, " a "},
};

PII_TABLE_TEST(struct enc_case, c, enc_cases, csv, encode)
{
    (void)row;
    size_t n = strlen(c->v);
    uint8_t *v = exact(c->v, n);
    pii_buf b;
    pii_csv_field f[2];
    size_t nf = 0;
    pii_buf d;

    pii_buf_init(&b, BUF_CAP);
    cr_assert_eq(pii_buf_append(&b, "x", 1), PII_OK); /* appends, keeps what is there */
    cr_assert_eq(pii_csv_encode(v, n, (uint8_t)c->delim, c->was_quoted, &b), PII_OK);
    cr_assert(b.len >= 1 && b.ptr[0] == 'x');
    cr_assert(bytes_eq(b.ptr + 1, b.len - 1, c->out, strlen(c->out)), "%s: got '%.*s'",
              c->name, (int)b.len - 1, b.ptr + 1);

    /* the encoded field splits as one field and decodes to v */
    uint8_t *e = exact(b.ptr + 1, b.len - 1);
    cr_assert_eq(pii_csv_split(e, b.len - 1, (uint8_t)c->delim, f, 2, &nf), PII_OK, "%s",
                 c->name);
    cr_assert_eq(nf, 1);
    pii_buf_init(&d, BUF_CAP);
    cr_assert_eq(pii_csv_decode(e, &f[0], &d), PII_OK);
    cr_assert(bytes_eq(d.ptr, d.len, c->v, n), "%s: round trip", c->name);
    pii_buf_free(&d);
    pii_buf_free(&b);
    free(e);
    free(v);
}

/* decode(encode(v)) == v for every byte value, alone and all together. */
Test(csv, round_trip_all_bytes)
{
    static const uint8_t delims[] = {',', '\t', ';', '|', 0x00, 0xFF};
    uint8_t all[256];

    for (size_t i = 0; i < 256; i++) {
        all[i] = (uint8_t)i;
    }
    for (size_t d = 0; d < COUNT(delims); d++) {
        for (size_t start = 0; start <= 256; start++) {
            /* single bytes, then the whole range */
            size_t len = start < 256 ? 1 : 256;
            const uint8_t *v = start < 256 ? all + start : all;

            for (int q = 0; q < 2; q++) {
                pii_buf e, out;
                pii_csv_field f[2];
                size_t nf = 0;

                pii_buf_init(&e, BUF_CAP);
                pii_buf_init(&out, BUF_CAP);
                cr_assert_eq(pii_csv_encode(v, len, delims[d], q != 0, &e), PII_OK);
                uint8_t *rec = exact(e.ptr, e.len);
                cr_assert_eq(pii_csv_split(rec, e.len, delims[d], f, 2, &nf), PII_OK,
                             "delim %u byte %zu", delims[d], start);
                cr_assert_eq(nf, 1, "delim %u byte %zu", delims[d], start);
                cr_assert_eq(pii_csv_decode(rec, &f[0], &out), PII_OK);
                cr_assert(bytes_eq(out.ptr, out.len, v, len), "delim %u byte %zu", delims[d],
                          start);
                free(rec);
                pii_buf_free(&e);
                pii_buf_free(&out);
            }
        }
    }
}

Test(csv, limit_leaves_buffer_unchanged)
{
    pii_buf b;
    uint8_t *v = exact("a,\"b\"", 5);
    uint8_t *rec = exact("\"a\"\"b\"", 6);
    pii_csv_field f = {0, 6, true};

    pii_buf_init(&b, 8);
    cr_assert_eq(pii_buf_append(&b, "123", 3), PII_OK);
    /* needs 2 + 5 + 2 = 9 more bytes */
    cr_assert_eq(pii_csv_encode(v, 5, ',', false, &b), PII_E_LIMIT);
    cr_assert(bytes_eq(b.ptr, b.len, "123", 3));
    cr_assert_eq(pii_csv_encode(v, 5, ',', false, &b), PII_E_LIMIT);
    /* decoded "a\"b" is 3 bytes: fits exactly into the 5 left */
    cr_assert_eq(pii_buf_append(&b, "45", 2), PII_OK);
    cr_assert_eq(pii_csv_decode(rec, &f, &b), PII_OK);
    cr_assert(bytes_eq(b.ptr, b.len, "12345a\"b", 8));
    cr_assert_eq(pii_csv_decode(rec, &f, &b), PII_E_LIMIT);
    cr_assert_eq(b.len, 8);
    pii_buf_free(&b);
    free(v);
    free(rec);
}

/* ------------------------------------------------------------------------ */
/* CSV record boundaries                                                    */
/* ------------------------------------------------------------------------ */

struct end_case {
    char name[40];
    char buf[80];
    size_t from;
    bool q_in;
    size_t end;  /* expected return value */
    bool q_out;
};

static struct end_case end_cases[] = {
    {"plain", "a,b\nc", 0, false, 3, false},
    {"first byte", "\nx", 0, false, 0, false},
    {"none", "a,b", 0, false, 3, false},
    {"empty", "", 0, false, 0, false},
    {"newline in quotes", "\"a\nb\",c\nd", 0, false, 7, false},
    {"doubled quotes", "\"a\"\"\nb\"\nc", 0, false, 7, false},
    {"open at end", "x,\"multi\nline", 0, false, 13, true},
    {"resume in quotes", "x,\"multi\nline\",y\nz", 8, true, 16, false},
    {"resume closes and reopens", "\"\"\"\n\"\n", 0, false, 5, false},
    {"resume outside", "ab\"c\"\nd", 5, false, 5, false},
    {"from at n", "a\n", 2, false, 2, false},
    {"from at n quoted", "\"a\n", 3, true, 3, true},
    {"crlf", "a,b\r\nc", 0, false, 4, false},
};

PII_TABLE_TEST(struct end_case, c, end_cases, csv, record_end)
{
    (void)row;
    size_t n = strlen(c->buf);
    uint8_t *b = exact(c->buf, n);
    bool q = c->q_in;
    size_t e = pii_csv_record_end(b, n, c->from, &q);

    cr_assert_eq(e, c->end, "%s: end %zu, expected %zu", c->name, e, c->end);
    cr_assert_eq(q, c->q_out, "%s: in_quotes", c->name);
    free(b);
}

/* Looking at a record in two chunks (the first of k bytes, then the whole
 * buffer resumed at k) finds the same end as one call, for every k; the
 * chunk edges fall inside quoted fields and between the two quotes of "". */
Test(csv, record_end_chunked)
{
    static const char *const texts[] = {
        "id,\"note, with \"\"quotes\"\"\nand a newline\",x\nnext,row\n",
        "\"\"\"\"\"\"\n\"\"\n",
        "a,\"\n\n\n\",b\n",
        "plain,line,only\n",
        "\"never closed\nat all",
        "no newline at all",
    };

    for (size_t t = 0; t < COUNT(texts); t++) {
        size_t n = strlen(texts[t]);
        uint8_t *b = exact(texts[t], n);
        bool q1 = false;
        size_t whole = pii_csv_record_end(b, n, 0, &q1);

        for (size_t k = 0; k <= n; k++) {
            bool q = false;
            uint8_t *head = exact(b, k);
            size_t e = pii_csv_record_end(head, k, 0, &q);

            free(head);
            if (e < k) {
                /* found within the first chunk: must be the same end */
                cr_assert_eq(e, whole, "text %zu k %zu", t, k);
                cr_assert_eq(q, false);
                continue;
            }
            cr_assert_eq(e, k, "text %zu k %zu", t, k);
            e = pii_csv_record_end(b, n, k, &q);
            cr_assert_eq(e, whole, "text %zu k %zu: %zu, expected %zu", t, k, e, whole);
            cr_assert_eq(q, q1, "text %zu k %zu", t, k);
        }
        free(b);
    }
}

/* The record found by record_end splits cleanly. */
Test(csv, record_end_then_split)
{
    const char *text = "a,\"b\nc\",\"d\"\"\"\r\nnext";
    size_t n = strlen(text);
    uint8_t *b = exact(text, n);
    bool q = false;
    size_t e = pii_csv_record_end(b, n, 0, &q);
    pii_csv_field f[4];
    size_t nf = 0;

    cr_assert_eq(e, 14);
    cr_assert_eq(b[e - 1], '\r');
    /* the caller strips the '\r' of CRLF */
    cr_assert_eq(pii_csv_split(b, e - 1, ',', f, 4, &nf), PII_OK);
    cr_assert_eq(nf, 3);
    cr_assert_eq(f[1].start, 2);
    cr_assert_eq(f[1].end, 7);
    cr_assert(f[2].quoted);
    /* without stripping it is text after a closing quote */
    cr_assert_eq(pii_csv_split(b, e, ',', f, 4, &nf), PII_E_PARSE);
    free(b);
}

/* ------------------------------------------------------------------------ */
/* JSON walk                                                                */
/* ------------------------------------------------------------------------ */

/* Collects "path\traw\n" for every scalar visited. */
typedef struct {
    const uint8_t *rec;
    size_t n;
    char text[4096];
    size_t len;
    size_t count;
    size_t stop_after; /* 0: never stop */
} collector;

static pii_status collect(const pii_json_scalar *s, void *ctx)
{
    collector *c = ctx;
    size_t pl = strlen(s->path);
    size_t rl;

    cr_assert(pl < PII_JSON_MAX_PATH);
    cr_assert(s->start < s->end && s->end <= c->n, "span [%zu, %zu) of %zu", s->start, s->end,
              c->n);
    rl = s->end - s->start;
    if (s->kind == PII_JSON_STRING) {
        cr_assert(rl >= 2 && c->rec[s->start] == '"' && c->rec[s->end - 1] == '"');
    } else {
        cr_assert_eq(s->kind, PII_JSON_NUMBER);
        cr_assert(c->rec[s->start] == '-' ||
                  (c->rec[s->start] >= '0' && c->rec[s->start] <= '9'));
    }
    cr_assert(c->len + pl + rl + 2 < sizeof c->text);
    memcpy(c->text + c->len, s->path, pl);
    c->len += pl;
    c->text[c->len++] = '\t';
    memcpy(c->text + c->len, c->rec + s->start, rl);
    c->len += rl;
    c->text[c->len++] = '\n';
    c->text[c->len] = '\0';
    c->count++;
    if (c->stop_after != 0 && c->count == c->stop_after) {
        return PII_E_IO;
    }
    return PII_OK;
}

static pii_status walk_text(const char *json, size_t n, collector *c)
{
    uint8_t *rec = exact(json, n);
    pii_status st;

    c->rec = rec;
    c->n = n;
    c->len = 0;
    c->count = 0;
    c->text[0] = '\0';
    st = pii_json_walk(rec, n, collect, c);
    free(rec);
    c->rec = NULL;
    return st;
}

struct json_case {
    char name[40];
    char json[320];
    pii_status status;
    char expect[480]; /* "path\traw\n" per scalar visited, in document order */
};

static struct json_case json_cases[] = {
    {"one member", "{\"a\":1}", PII_OK, "a\t1\n"},
    {"nested",
     "{\"user\":{\"name\":\"Li\",\"phone\":\"13800138000\",\"age\":30},"
     "\"tags\":[\"x\",\"y\"],\"m\":[[1,2],[3]],"
     "\"items\":[{\"address\":\"Beijing\"},{\"address\":\"Shanghai\",\"n\":null}],"
     "\"ok\":true,\"no\":false,\"z\":-1.5e3}",
     PII_OK,
     "user.name\t\"Li\"\n"
     "user.phone\t\"13800138000\"\n"
     "user.age\t30\n"
     "tags[]\t\"x\"\n"
     "tags[]\t\"y\"\n"
     "m[][]\t1\n"
     "m[][]\t2\n"
     "m[][]\t3\n"
     "items[].address\t\"Beijing\"\n"
     "items[].address\t\"Shanghai\"\n"
     "z\t-1.5e3\n"},
    {"top-level array", "[\"a\",1,{\"b\":\"c\"},[2],{\"d\":[{\"e\":3}]}]", PII_OK,
     "[]\t\"a\"\n[]\t1\n[].b\t\"c\"\n[][]\t2\n[].d[].e\t3\n"},
    {"path restored after nesting", "{\"a\":{\"b\":{\"c\":1},\"d\":2},\"e\":[[{\"f\":3}],4],\"g\":5}",
     PII_OK, "a.b.c\t1\na.d\t2\ne[][].f\t3\ne[]\t4\ng\t5\n"},
    {"top-level string", "\"x\"", PII_OK, "\t\"x\"\n"},
    {"top-level number", " \t\r\n42 \n", PII_OK, "\t42\n"},
    {"top-level literal", "null", PII_OK, ""},
    {"empty containers", "{\"a\":{},\"b\":[],\"c\":\"d\",\"e\":[[],{}]}", PII_OK, "c\t\"d\"\n"},
    {"empty object", "{}", PII_OK, ""},
    {"empty array", " [ ] ", PII_OK, ""},
    {"whitespace everywhere", " {\n\t\"a\" :\r [ 1 , \"b\" ] ,\"c\"\t:\n2 } \r\n", PII_OK,
     "a[]\t1\na[]\t\"b\"\nc\t2\n"},
    {"escapes kept raw", "{\"k\":\"\\u0031\\u0033\",\"s\":\"\\ud83d\\ude00\"}", PII_OK,
     "k\t\"\\u0031\\u0033\"\ns\t\"\\ud83d\\ude00\"\n"},
    {"all simple escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", PII_OK,
     "[]\t\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"\n"},
    {"escaped key", "{\"a\\u002eb\":{\"c\\\"d\":1,\"\\u00e9\":2}}", PII_OK,
     "a.b.c\"d\t1\na.b.\xc3\xa9\t2\n"},
    {"key with dot", "{\"a.b\":1}", PII_OK, "a.b\t1\n"},
    {"key with nul", "{\"a\\u0000b\":1}", PII_OK, "a\xef\xbf\xbd" "b\t1\n"},
    {"empty key", "{\"\":1,\"a\":{\"\":2}}", PII_OK, "\t1\na.\t2\n"},
    {"empty key outside", "{\"\":{\"c\":1,\"\":[2]}}", PII_OK, ".c\t1\n.[]\t2\n"},
    {"empty key in array", "[{\"\":1}]", PII_OK, "[].\t1\n"},
    {"duplicate keys", "{\"a\":1,\"a\":2}", PII_OK, "a\t1\na\t2\n"},
    {"invalid utf8 passes", "[\"\xff\xfe\",\"\xe4\xb8\"]", PII_OK,
     "[]\t\"\xff\xfe\"\n[]\t\"\xe4\xb8\"\n"},
    {"utf8 and del", "{\"名\":\"张三\x7f\"}", PII_OK, "名\t\"张三\x7f\"\n"},
    {"numbers", "[0,-0,1e5,1.5E-3,-12.5e+10,0.0,10,1E0]", PII_OK,
     "[]\t0\n[]\t-0\n[]\t1e5\n[]\t1.5E-3\n[]\t-12.5e+10\n[]\t0.0\n[]\t10\n[]\t1E0\n"},
    /* invalid */
    {"trailing comma object", "{\"a\":1,}", PII_E_PARSE, "a\t1\n"},
    {"trailing comma array", "[1,2,]", PII_E_PARSE, "[]\t1\n[]\t2\n"},
    {"leading comma", "[,1]", PII_E_PARSE, ""},
    {"double comma", "[1,,2]", PII_E_PARSE, "[]\t1\n"},
    {"single quotes", "{'a':1}", PII_E_PARSE, ""},
    {"single quoted value", "{\"a\":'b'}", PII_E_PARSE, ""},
    {"unterminated string", "{\"a\":\"bc}", PII_E_PARSE, ""},
    {"unterminated key", "{\"a", PII_E_PARSE, ""},
    {"escape at end", "\"ab\\", PII_E_PARSE, ""},
    {"bad escape x", "[\"\\x41\"]", PII_E_PARSE, ""},
    {"bad escape U", "[\"\\U0041\"]", PII_E_PARSE, ""},
    {"short unicode", "[\"\\u12\"]", PII_E_PARSE, ""},
    {"unicode cut at end", "\"\\u123", PII_E_PARSE, ""},
    {"pair cut at end", "\"\\ud83d\\ude0", PII_E_PARSE, ""},
    {"pair cut after backslash", "\"\\ud83d\\", PII_E_PARSE, ""},
    {"pair cut after u", "[\"\\ud83d\\u", PII_E_PARSE, ""},
    {"non-hex unicode", "[\"\\uGGGG\"]", PII_E_PARSE, ""},
    {"lone high surrogate", "[\"\\ud83d\"]", PII_E_PARSE, ""},
    {"lone low surrogate", "[\"\\ude00\"]", PII_E_PARSE, ""},
    {"high then letter", "[\"\\ud83dx\"]", PII_E_PARSE, ""},
    {"high then non-low", "[\"\\ud83d\\u0041\"]", PII_E_PARSE, ""},
    {"high then high", "[\"\\ud83d\\ud83d\"]", PII_E_PARSE, ""},
    {"bad surrogate in key", "{\"\\udc00\":1}", PII_E_PARSE, ""},
    {"raw tab in string", "[\"a\tb\"]", PII_E_PARSE, ""},
    {"raw newline in string", "[\"a\nb\"]", PII_E_PARSE, ""},
    {"raw control in key", "{\"a\x01\":1}", PII_E_PARSE, ""},
    {"trailing garbage", "{} x", PII_E_PARSE, ""},
    {"two values", "1 2", PII_E_PARSE, "\t1\n"},
    {"two objects", "{}{}", PII_E_PARSE, ""},
    {"missing colon", "{\"a\" 1}", PII_E_PARSE, ""},
    {"missing value", "{\"a\":}", PII_E_PARSE, ""},
    {"number key", "{1:2}", PII_E_PARSE, ""},
    {"bare word key", "{a:1}", PII_E_PARSE, ""},
    {"mismatched close", "[1}", PII_E_PARSE, "[]\t1\n"},
    {"mismatched close object", "{\"a\":1]", PII_E_PARSE, "a\t1\n"},
    {"unclosed array", "[1,2", PII_E_PARSE, "[]\t1\n[]\t2\n"},
    {"unclosed object", "{\"a\":1", PII_E_PARSE, "a\t1\n"},
    {"stray close", "]", PII_E_PARSE, ""},
    {"empty", "", PII_E_PARSE, ""},
    {"whitespace only", " \t\r\n", PII_E_PARSE, ""},
    {"truncated true", "tru", PII_E_PARSE, ""},
    {"truex", "truex", PII_E_PARSE, ""},
    {"capital True", "True", PII_E_PARSE, ""},
    {"NaN", "[NaN]", PII_E_PARSE, ""},
    {"form feed whitespace", "\f1", PII_E_PARSE, ""},
    {"vertical tab whitespace", "[1\v]", PII_E_PARSE, "[]\t1\n"},
    {"comment", "[1]//", PII_E_PARSE, "[]\t1\n"},
    {"control after value", "1\x01", PII_E_PARSE, "\t1\n"},
};

PII_TABLE_TEST(struct json_case, c, json_cases, json, walk)
{
    (void)row;
    collector *col = malloc(sizeof *col);
    size_t n = strlen(c->json);
    pii_status st;

    cr_assert_not_null(col);
    col->stop_after = 0;
    st = walk_text(c->json, n, col);
    cr_assert_eq(st, c->status, "%s: status %d, expected %d", c->name, st, c->status);
    /* on error too: the scalars before it, in document order */
    cr_assert_str_eq(col->text, c->expect, "%s: got\n%s", c->name, col->text);
    /* also without a visitor */
    uint8_t *rec = exact(c->json, n);
    cr_assert_eq(pii_json_walk(rec, n, NULL, NULL), c->status, "%s: without visitor", c->name);
    free(rec);
    free(col);
}

/* A visitor's status stops the walk and is returned as it is. */
Test(json, visitor_stops_walk)
{
    collector *col = malloc(sizeof *col);

    cr_assert_not_null(col);
    col->stop_after = 2;
    cr_assert_eq(walk_text("[1,\"a\",3,4]", 11, col), PII_E_IO);
    cr_assert_eq(col->count, 2);
    cr_assert_str_eq(col->text, "[]\t1\n[]\t\"a\"\n");
    free(col);
}

/* Errors are found in document order: scalars before one are visited. */
Test(json, scalars_before_error_visited)
{
    collector *col = malloc(sizeof *col);

    cr_assert_not_null(col);
    col->stop_after = 0;
    cr_assert_eq(walk_text("{\"a\":1,\"b\":2,}", 14, col), PII_E_PARSE);
    cr_assert_str_eq(col->text, "a\t1\nb\t2\n");
    free(col);
}

/* Number grammar (RFC 8259 section 6), alone, in an array and as a member. */
struct num_case {
    char text[24];
    bool valid;
};

static struct num_case num_cases[] = {
    {"0", true},        {"-0", true},       {"1e5", true},      {"1.5E-3", true},
    {"123", true},      {"-123.456", true}, {"1E+2", true},     {"0e0", true},
    {"0.000", true},    {"9007199254740993", true},             {"-0.0e-0", true},
    {"01", false},      {"1.", false},      {".5", false},      {"+1", false},
    {"-", false},       {"1e", false},      {"1e+", false},     {"-01", false},
    {"00", false},      {"1.e5", false},    {"--1", false},     {"0x1", false},
    {"1e5.5", false},   {"- 1", false},     {"Infinity", false}, {"1_000", false},
    {"1.5e", false},    {"-.5", false},     {"0.", false},
};

PII_TABLE_TEST(struct num_case, c, num_cases, json, numbers)
{
    (void)row;
    static const char *const wraps[][2] = {{"", ""}, {"[", "]"}, {"{\"a\":", "}"},
                                           {"[", ",1]"}};
    collector *col = malloc(sizeof *col);

    cr_assert_not_null(col);
    col->stop_after = 0;
    for (size_t w = 0; w < COUNT(wraps); w++) {
        char doc[64];
        int k = snprintf(doc, sizeof doc, "%s%s%s", wraps[w][0], c->text, wraps[w][1]);
        pii_status st;

        cr_assert(k > 0 && (size_t)k < sizeof doc);
        st = walk_text(doc, (size_t)k, col);
        cr_assert_eq(st, c->valid ? PII_OK : PII_E_PARSE, "'%s': status %d", doc, st);
        if (c->valid) {
            cr_assert(col->count >= 1);
            /* the first scalar is the number, spanning exactly its text */
            const char *tab = strchr(col->text, '\t');
            cr_assert_not_null(tab);
            cr_assert(strncmp(tab + 1, c->text, strlen(c->text)) == 0 &&
                          tab[1 + strlen(c->text)] == '\n',
                      "'%s': got %s", doc, col->text);
        }
    }
    free(col);
}

/* Depth: 64 nested containers are fine, the 65th is PII_E_LIMIT. */
static char *nested(size_t depth, bool objects, size_t *len)
{
    size_t cap = depth * 8 + 8;
    char *s = malloc(cap);
    size_t k = 0;

    cr_assert_not_null(s);
    for (size_t i = 0; i < depth; i++) {
        const char *open = objects ? "{\"a\":" : "[";

        memcpy(s + k, open, strlen(open));
        k += strlen(open);
    }
    s[k++] = '7';
    for (size_t i = 0; i < depth; i++) {
        s[k++] = objects ? '}' : ']';
    }
    *len = k;
    return s;
}

Test(json, depth_limit)
{
    collector *col = malloc(sizeof *col);
    char expect[PII_JSON_MAX_PATH];

    cr_assert_not_null(col);
    col->stop_after = 0;
    for (int objects = 0; objects < 2; objects++) {
        size_t len;
        char *s = nested(PII_JSON_MAX_DEPTH, objects != 0, &len);

        cr_assert_eq(walk_text(s, len, col), PII_OK, "objects %d", objects);
        /* "[][]...[]" or "a.a...a", then the number */
        size_t k = 0;
        for (size_t i = 0; i < PII_JSON_MAX_DEPTH; i++) {
            if (objects) {
                if (i > 0) {
                    expect[k++] = '.';
                }
                expect[k++] = 'a';
            } else {
                expect[k++] = '[';
                expect[k++] = ']';
            }
        }
        memcpy(expect + k, "\t7\n", 4);
        cr_assert_str_eq(col->text, expect);
        free(s);

        s = nested(PII_JSON_MAX_DEPTH + 1, objects != 0, &len);
        cr_assert_eq(walk_text(s, len, col), PII_E_LIMIT, "objects %d", objects);
        free(s);
        /* also when the document is cut short after the 65th opening */
        s = nested(PII_JSON_MAX_DEPTH + 1, objects != 0, &len);
        cr_assert_eq(walk_text(s, objects ? 5 * (PII_JSON_MAX_DEPTH + 1) : PII_JSON_MAX_DEPTH + 1,
                               col),
                     PII_E_LIMIT);
        free(s);
    }
    /* depth counts open containers, not how many were seen */
    {
        size_t k = 0;
        char *s = malloc(4 * 200 + 2);

        cr_assert_not_null(s);
        s[k++] = '[';
        for (size_t i = 0; i < 200; i++) {
            memcpy(s + k, "[1],", 4);
            k += 4;
        }
        s[k - 1] = ']';
        cr_assert_eq(walk_text(s, k, col), PII_OK);
        cr_assert_eq(col->count, 200);
        free(s);
    }
    free(col);
}

/* Long keys are cut at PII_JSON_MAX_PATH - 1 bytes; such paths match nothing. */
Test(json, long_path_cut)
{
    collector *col = malloc(sizeof *col);
    char *doc = malloc(1200);
    char *key = malloc(700);
    size_t k = 0;

    cr_assert(col && doc && key);
    col->stop_after = 0;
    memset(key, 'k', 600);
    key[600] = '\0';
    k += (size_t)sprintf(doc, "{\"%s\":{\"x\":1},\"b\":[2]}", key);
    cr_assert_eq(walk_text(doc, k, col), PII_OK);
    /* path = 511 'k' (the ".x" does not fit), then "b[]" restored */
    cr_assert_eq(strlen(col->text), (size_t)PII_JSON_MAX_PATH - 1 + 3 + strlen("b[]\t2\n"));
    cr_assert_eq(memcmp(col->text, key, PII_JSON_MAX_PATH - 1), 0);
    cr_assert_str_eq(col->text + PII_JSON_MAX_PATH - 1, "\t1\nb[]\t2\n");

    key[PII_JSON_MAX_PATH - 1] = '\0';
    cr_assert(!pii_json_path_match(key, key));
    key[PII_JSON_MAX_PATH - 2] = '\0';
    cr_assert(pii_json_path_match(key, key));
    free(key);
    free(doc);
    free(col);
}

/* ------------------------------------------------------------------------ */
/* JSON unescape / escape                                                   */
/* ------------------------------------------------------------------------ */

struct unesc_case {
    char name[32];
    char lit[64];
    pii_status status;
    char out[32];
    size_t out_len;
};

static struct unesc_case unesc_cases[] = {
    {"plain", "\"abc\"", PII_OK, "abc", 3},
    {"empty", "\"\"", PII_OK, "", 0},
    {"digits", "\"\\u0031\\u0033\"", PII_OK, "13", 2},
    {"emoji pair", "\"\\ud83d\\ude00\"", PII_OK, "\xf0\x9f\x98\x80", 4},
    {"emoji upper hex", "\"\\uD83D\\uDE00!\"", PII_OK, "\xf0\x9f\x98\x80!", 5},
    {"two bytes", "\"\\u00e9\"", PII_OK, "\xc3\xa9", 2},
    {"three bytes", "\"\\u4e2d\"", PII_OK, "\xe4\xb8\xad", 3},
    {"last bmp", "\"\\uffff\"", PII_OK, "\xef\xbf\xbf", 3},
    {"max pair", "\"\\udbff\\udfff\"", PII_OK, "\xf4\x8f\xbf\xbf", 4},
    {"nul", "\"a\\u0000b\"", PII_OK, "a\0b", 3},
    {"simple escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", PII_OK, "\"\\/\b\f\n\r\t", 8},
    {"raw utf8", "\"张\"", PII_OK, "张", 3},
    {"raw invalid utf8", "\"\xff\"", PII_OK, "\xff", 1},
    {"no quotes", "abc", PII_E_PARSE, "", 0},
    {"one quote", "\"", PII_E_PARSE, "", 0},
    {"nothing", "", PII_E_PARSE, "", 0},
    {"unterminated", "\"abc", PII_E_PARSE, "", 0},
    {"escaped final quote", "\"abc\\\"", PII_E_PARSE, "", 0},
    {"after closing quote", "\"a\"b", PII_E_PARSE, "", 0},
    {"two literals", "\"a\"\"b\"", PII_E_PARSE, "", 0},
    {"leading space", " \"a\"", PII_E_PARSE, "", 0},
    {"bad escape", "\"\\x41\"", PII_E_PARSE, "", 0},
    {"unicode cut at end", "\"\\u00e", PII_E_PARSE, "", 0},
    {"pair cut at end", "\"\\ud83d\\ude0", PII_E_PARSE, "", 0},
    {"lone high", "\"\\ud83d\"", PII_E_PARSE, "", 0},
    {"lone low", "\"\\ude00\"", PII_E_PARSE, "", 0},
    {"swapped pair", "\"\\ude00\\ud83d\"", PII_E_PARSE, "", 0},
    {"raw control", "\"a\x1f\"", PII_E_PARSE, "", 0},
};

PII_TABLE_TEST(struct unesc_case, c, unesc_cases, json, unescape)
{
    (void)row;
    size_t n = strlen(c->lit);
    uint8_t *lit = exact(c->lit, n);
    pii_buf b;
    pii_status st;

    pii_buf_init(&b, BUF_CAP);
    cr_assert_eq(pii_buf_append(&b, "<", 1), PII_OK);
    st = pii_json_unescape(lit, n, &b);
    cr_assert_eq(st, c->status, "%s: status %d", c->name, st);
    if (st == PII_OK) {
        cr_assert(bytes_eq(b.ptr + 1, b.len - 1, c->out, c->out_len), "%s: got '%.*s'",
                  c->name, (int)b.len - 1, b.ptr + 1);
    } else {
        cr_assert_eq(b.len, 1, "%s: buffer changed on error", c->name);
    }
    pii_buf_free(&b);
    free(lit);
}

struct esc_case {
    char name[32];
    char v[16];
    size_t v_len;
    char out[48];
};

static struct esc_case esc_cases[] = {
    {"plain", "abc", 3, "\"abc\""},
    {"empty", "", 0, "\"\""},
    {"quote and backslash", "a\"b\\c", 5, "\"a\\\"b\\\\c\""},
    {"short escapes", "\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\""},
    {"other controls", "\x01\x1f\x0b", 3, "\"\\u0001\\u001f\\u000b\""},
    {"nul", "a\0b", 3, "\"a\\u0000b\""},
    {"slash and del kept", "/\x7f", 2, "\"/\x7f\""},
    {"utf8 kept", "张\xf0\x9f\x98\x80", 7, "\"张\xf0\x9f\x98\x80\""},
    {"invalid utf8 kept", "\xff\xc0", 2, "\"\xff\xc0\""},
};

PII_TABLE_TEST(struct esc_case, c, esc_cases, json, escape)
{
    (void)row;
    uint8_t *v = exact(c->v, c->v_len);
    pii_buf b;

    pii_buf_init(&b, BUF_CAP);
    cr_assert_eq(pii_buf_append(&b, "<", 1), PII_OK);
    cr_assert_eq(pii_json_escape(v, c->v_len, &b), PII_OK);
    cr_assert(bytes_eq(b.ptr + 1, b.len - 1, c->out, strlen(c->out)), "%s: got '%.*s'",
              c->name, (int)b.len - 1, b.ptr + 1);
    pii_buf_free(&b);
    free(v);
}

/* escape then unescape gives the bytes back, for each byte value alone and
 * all 256 together; the literal is a valid JSON document (one string). */
static void check_round_trip(const uint8_t *v, size_t n)
{
    pii_buf e, d;
    collector *col = malloc(sizeof *col);

    cr_assert_not_null(col);
    col->stop_after = 0;
    pii_buf_init(&e, BUF_CAP);
    pii_buf_init(&d, BUF_CAP);
    cr_assert_eq(pii_json_escape(v, n, &e), PII_OK);
    uint8_t *lit = exact(e.ptr, e.len);
    cr_assert_eq(pii_json_unescape(lit, e.len, &d), PII_OK);
    cr_assert(bytes_eq(d.ptr, d.len, v, n), "round trip of %zu bytes (first %02x)", n,
              n ? v[0] : 0);
    for (size_t i = 1; i + 1 < e.len; i++) {
        cr_assert(lit[i] >= 0x20, "raw control byte in escaped output");
    }
    cr_assert_eq(walk_text((const char *)lit, e.len, col), PII_OK);
    cr_assert_eq(col->count, 1);
    free(lit);
    pii_buf_free(&e);
    pii_buf_free(&d);
    free(col);
}

Test(json, escape_round_trip_all_bytes)
{
    uint8_t all[256];

    for (size_t i = 0; i < 256; i++) {
        all[i] = (uint8_t)i;
        check_round_trip(all + i, 1);
    }
    check_round_trip(all, 256);
    check_round_trip(all, 0);
    /* and backwards, so every pair of neighbours occurs both ways */
    for (size_t i = 0; i < 256; i++) {
        all[i] = (uint8_t)(255 - i);
    }
    check_round_trip(all, 256);
}

Test(json, escape_unescape_limit_leave_buffer)
{
    pii_buf b;
    uint8_t *v = exact("a\nb", 3);
    uint8_t *lit = exact("\"\\u4e2d\"", 8);

    pii_buf_init(&b, 8);
    cr_assert_eq(pii_buf_append(&b, "1234", 4), PII_OK);
    /* "\"a\\nb\"" is 6 bytes; 4 are left */
    cr_assert_eq(pii_json_escape(v, 3, &b), PII_E_LIMIT);
    cr_assert(bytes_eq(b.ptr, b.len, "1234", 4));
    /* the literal is 8 bytes but decodes to 3: fits */
    cr_assert_eq(pii_json_unescape(lit, 8, &b), PII_OK);
    cr_assert(bytes_eq(b.ptr, b.len, "1234\xe4\xb8\xad", 7));
    cr_assert_eq(pii_json_unescape(lit, 8, &b), PII_E_LIMIT);
    cr_assert_eq(b.len, 7);
    pii_buf_free(&b);
    free(v);
    free(lit);
}

/* ------------------------------------------------------------------------ */
/* path_match                                                               */
/* ------------------------------------------------------------------------ */

struct match_case {
    char pattern[40];
    char path[40];
    bool match;
};

static struct match_case match_cases[] = {
    {"a", "a", true},
    {"user.phone", "user.phone", true},
    {"phone", "user.phone", false},
    {"user", "user.phone", false},
    {"user.phone", "user", false},
    {"*.phone", "user.phone", true},
    {"*.phone", "a.b.phone", false},
    {"*.*.phone", "a.b.phone", true},
    {"*", "a", true},
    {"*", "a.b", false},
    {"a.*", "a.b", true},
    {"*.*", "a.b", true},
    {"*", "a[]", false},
    {"*[]", "a[]", true},
    {"*[]", "[]", true},
    {"*[]", "a", false},
    {"[]", "[]", true},
    {"[]", "a[]", false},
    {"tags[]", "tags[]", true},
    {"tags", "tags[]", false},
    {"tags[]", "tags", false},
    {"m[][]", "m[][]", true},
    {"m[]", "m[][]", false},
    {"m[][]", "m[]", false},
    {"*[][]", "m[][]", true},
    {"items[].address", "items[].address", true},
    {"items.address", "items[].address", false},
    {"items[].address", "items.address", false},
    {"*[].address", "items[].address", true},
    {"*.address", "items[].address", false},
    {"[].id", "[].id", true},
    {"*.id", "[].id", false},
    {"*[].id", "[].id", true},
    {"", "", true},
    {"", "a", false},
    {"a", "", false},
    {"*", "", true},
    {"user.", "user.", true},
    {"user.*", "user.", true},
    {"user.*", "user", false},
    {"a*", "ab", false},
    {"a*", "a*", true},
    {"**", "ab", false},
    {"*a", "ba", false},
    {"A", "a", false},
    {"user.phone", "user.phone2", false},
    {"user.phone2", "user.phone", false},
    {"a[", "a[", true},
    {"a[", "a[]", false},
    {"a.b", "a.b.c", false},
    {"a.b.c", "a.b", false},
    {"a.*[]", "a.[]", true},
    {"名.电话", "名.电话", true},
    {"*.电话", "名.电话", true},
};

PII_TABLE_TEST(struct match_case, c, match_cases, json, path_match)
{
    (void)row;
    cr_assert_eq(pii_json_path_match(c->pattern, c->path), c->match, "'%s' vs '%s'",
                 c->pattern, c->path);
}

/* Paths from the walker against patterns, end to end. */
typedef struct {
    const char *pattern;
    size_t hits;
} match_counter;

static pii_status count_matches(const pii_json_scalar *s, void *ctx)
{
    match_counter *m = ctx;

    if (pii_json_path_match(m->pattern, s->path)) {
        m->hits++;
    }
    return PII_OK;
}

Test(json, walk_then_match)
{
    static const char doc[] =
        "{\"user\":{\"phone\":\"1\",\"home\":{\"phone\":\"2\"}},"
        "\"items\":[{\"phone\":\"3\"},{\"phone\":\"4\"}],\"phone\":\"5\",\"tags\":[\"6\",[\"7\"]]}";
    static const struct {
        const char *pattern;
        size_t hits;
    } expect[] = {
        {"phone", 1},  {"*.phone", 1}, {"user.phone", 1}, {"*.*.phone", 1},
        {"items[].phone", 2}, {"*[].phone", 2}, {"tags[]", 1}, {"tags[][]", 1},
        {"*[]", 1}, {"*", 1}, {"user", 0},
    };
    size_t n = strlen(doc);
    uint8_t *rec = exact(doc, n);

    for (size_t i = 0; i < COUNT(expect); i++) {
        match_counter m = {expect[i].pattern, 0};

        cr_assert_eq(pii_json_walk(rec, n, count_matches, &m), PII_OK);
        cr_assert_eq(m.hits, expect[i].hits, "'%s': %zu hits", expect[i].pattern, m.hits);
    }
    free(rec);
}

Test(jsonl, is_number)
{
    static const char *const yes[] = {"0", "-0", "12", "-3.25", "100.00", "1e5", "2.5E-3"};
    static const char *const no[] = {"", "-", "01", "1.", ".5", "+1", "1e", "12a", "1 ", "NaN"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        cr_assert(pii_json_is_number((const uint8_t *)yes[i], strlen(yes[i])), "%s", yes[i]);
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        cr_assert(!pii_json_is_number((const uint8_t *)no[i], strlen(no[i])), "%s", no[i]);
}
