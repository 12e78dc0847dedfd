/*
 * fuzz_fmt_csv.c - the CSV half of src/format/format.h (fmt_csv.c) on
 * fuzzed bytes.
 *
 * The input is cut into records with pii_csv_record_end() (one call over
 * the whole text, and again resumed at a fuzzed chunk edge, which must agree
 * with an independent quote-toggle scan); each record, with one final '\r'
 * stripped as the callers do, is an exactly sized heap copy, so reading
 * past `n` is an ASan report. For each record the harness checks:
 *   split     the status and every field span agree with a small reference
 *             state machine written from RFC 4180 (not from fmt_csv.c);
 *             on success the fields cover the record in order, one
 *             delimiter apart, quoted fields start and end with '"',
 *             unquoted ones hold neither '"' nor the delimiter; on
 *             PII_E_LIMIT exactly `max` fields were stored;
 *   decode    never longer than the raw field, no '"' lost or invented;
 *   encode    encode(decode(f), f.quoted) reproduces the raw bytes of every
 *             quoted field and of every unquoted one without CR/LF, and the
 *             encoding splits as one field that decodes to the value again.
 * The whole input is also encoded as one value (both quoting styles) and
 * must split and decode back to itself, and a capped buffer too small for
 * the result must be left unchanged (PII_E_LIMIT).
 *
 * Input: text, then parameters from the tail (fuzz_helpers.h): the
 * delimiter choice (',', '\t', ';', '|' or the next byte, '"' excluded), the
 * field limit (1-64), a chunk edge for the resumed record_end.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/format.h"
#include "fuzz_helpers.h"

#define MAX_FIELDS 64
#define BUF_CAP ((size_t)1 << 24)

/* ---- reference ----------------------------------------------------------- */

/* Where the first '\n' outside quotes is (or n), quotes toggled one by one
 * from `q`; *q_out the state there. */
static size_t ref_record_end(const uint8_t *b, size_t n, size_t from, bool q, bool *q_out)
{
    for (size_t i = from; i < n; i++) {
        if (b[i] == '"')
            q = !q;
        else if (b[i] == '\n' && !q) {
            *q_out = false;
            return i;
        }
    }
    *q_out = q;
    return n;
}

enum { R_START, R_UNQUOTED, R_QUOTED, R_AFTER_QUOTE };

/* RFC 4180 as a byte-at-a-time state machine. Fields go to f[0, *nf);
 * PII_E_LIMIT as soon as field max + 1 begins. */
static pii_status ref_split(const uint8_t *r, size_t n, uint8_t delim, size_t max,
                            pii_csv_field *f, size_t *nf)
{
    int state = R_START;
    size_t start = 0;
    *nf = 0;
    if (max == 0)
        return PII_E_LIMIT;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = r[i];
        bool end_field = false;
        switch (state) {
        case R_START:
            if (c == '"')
                state = R_QUOTED;
            else if (c == delim)
                end_field = true;
            else
                state = R_UNQUOTED;
            break;
        case R_UNQUOTED:
            if (c == '"')
                return PII_E_PARSE;
            end_field = c == delim;
            break;
        case R_QUOTED:
            if (c == '"')
                state = R_AFTER_QUOTE;
            break;
        default: /* R_AFTER_QUOTE: a second '"' is an escaped quote */
            if (c == '"')
                state = R_QUOTED;
            else if (c == delim)
                end_field = true;
            else
                return PII_E_PARSE;
            break;
        }
        if (end_field) {
            f[*nf].start = start;
            f[*nf].end = i;
            f[*nf].quoted = state == R_AFTER_QUOTE;
            if (++*nf == max)
                return PII_E_LIMIT; /* another field follows the delimiter */
            start = i + 1;
            state = R_START;
        }
    }
    if (state == R_QUOTED)
        return PII_E_PARSE;
    f[*nf].start = start;
    f[*nf].end = n;
    f[*nf].quoted = state == R_AFTER_QUOTE;
    ++*nf;
    return PII_OK;
}

/* ---- checks ------------------------------------------------------------- */

static bool has_byte(const uint8_t *p, size_t n, uint8_t b)
{
    return n > 0 && memchr(p, b, n) != NULL;
}

static bool same(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* encode v in both styles: it splits as one field decoding to v; with a
 * capped buffer too small, PII_E_LIMIT leaves the buffer as it was. */
static void check_encode(const uint8_t *v, size_t n, uint8_t delim, bool was_quoted)
{
    pii_buf e, d;
    pii_buf_init(&e, BUF_CAP);
    pii_buf_init(&d, BUF_CAP);
    FUZZ_ASSERT(pii_csv_encode(v, n, delim, was_quoted, &e) == PII_OK);
    bool needs = was_quoted || has_byte(v, n, delim) || has_byte(v, n, '"') ||
                 has_byte(v, n, '\r') || has_byte(v, n, '\n');
    FUZZ_ASSERT_MSG(needs ? e.len >= n + 2 && e.ptr[0] == '"' && e.ptr[e.len - 1] == '"'
                          : same(e.ptr, e.len, v, n),
                    "encode quoting");

    uint8_t *rec = fuzz_dup_exact(e.ptr, e.len);
    pii_csv_field f[2];
    size_t nf = 0;
    FUZZ_ASSERT_MSG(pii_csv_split(rec, e.len, delim, f, 2, &nf) == PII_OK && nf == 1,
                    "encoded value is not one field");
    FUZZ_ASSERT(f[0].quoted == needs && f[0].start == 0 && f[0].end == e.len);
    FUZZ_ASSERT(pii_csv_decode(rec, &f[0], &d) == PII_OK);
    FUZZ_ASSERT_MSG(same(d.ptr, d.len, v, n), "decode(encode(v)) != v");
    free(rec);

    if (e.len > 0) {
        pii_buf small;
        pii_buf_init(&small, e.len + 1);
        FUZZ_ASSERT(pii_buf_append(&small, "xy", 2) == PII_OK);
        FUZZ_ASSERT(pii_csv_encode(v, n, delim, was_quoted, &small) == PII_E_LIMIT);
        FUZZ_ASSERT_MSG(small.len == 2 && memcmp(small.ptr, "xy", 2) == 0,
                        "encode changed the buffer on PII_E_LIMIT");
        pii_buf_free(&small);
    }
    pii_buf_free(&e);
    pii_buf_free(&d);
}

static void check_field(const uint8_t *rec, const pii_csv_field *f, uint8_t delim)
{
    const uint8_t *raw = rec + f->start;
    size_t rn = f->end - f->start;
    pii_buf v, e;

    pii_buf_init(&v, BUF_CAP);
    pii_buf_init(&e, BUF_CAP);
    FUZZ_ASSERT(pii_csv_decode(rec, f, &v) == PII_OK);
    if (f->quoted) {
        size_t q_raw = 0, q_val = 0;
        for (size_t i = 0; i < rn; i++)
            q_raw += raw[i] == '"';
        for (size_t i = 0; i < v.len; i++)
            q_val += v.ptr[i] == '"';
        FUZZ_ASSERT_MSG(v.len + 2 + q_val == rn && q_raw == 2 + 2 * q_val,
                        "decoded quoted field has the wrong length");
    } else {
        FUZZ_ASSERT_MSG(same(v.ptr, v.len, raw, rn), "unquoted field changed by decode");
    }
    FUZZ_ASSERT(pii_csv_encode(v.ptr, v.len, delim, f->quoted, &e) == PII_OK);
    if (f->quoted || !(has_byte(raw, rn, '\r') || has_byte(raw, rn, '\n')))
        FUZZ_ASSERT_MSG(same(e.ptr, e.len, raw, rn), "encode(decode(f)) != raw field");
    check_encode(v.ptr, v.len, delim, f->quoted);
    pii_buf_free(&v);
    pii_buf_free(&e);
}

static void check_record(const uint8_t *data, size_t n, uint8_t delim, size_t max)
{
    uint8_t *rec = fuzz_dup_exact(data, n);
    pii_csv_field got[MAX_FIELDS], want[MAX_FIELDS];
    size_t gn = 0, wn = 0;
    pii_status gs = pii_csv_split(rec, n, delim, got, max, &gn);
    pii_status ws = ref_split(rec, n, delim, max, want, &wn);

    FUZZ_ASSERT_MSG(gs == ws, "split status differs from the reference");
    if (gs == PII_E_LIMIT)
        FUZZ_ASSERT_MSG(gn == max, "PII_E_LIMIT before `max` fields were stored");
    if (gs != PII_OK) {
        free(rec);
        return;
    }
    FUZZ_ASSERT(gn == wn && gn >= 1 && gn <= max);
    size_t pos = 0;
    for (size_t i = 0; i < gn; i++) {
        const pii_csv_field *f = &got[i];
        FUZZ_ASSERT_MSG(f->start == want[i].start && f->end == want[i].end &&
                            f->quoted == want[i].quoted,
                        "field span differs from the reference");
        FUZZ_ASSERT_MSG(f->start == pos && f->end >= f->start && f->end <= n,
                        "fields do not cover the record in order");
        if (i + 1 < gn)
            FUZZ_ASSERT(rec[f->end] == delim);
        else
            FUZZ_ASSERT(f->end == n);
        size_t rn = f->end - f->start;
        if (f->quoted) {
            FUZZ_ASSERT(rn >= 2 && rec[f->start] == '"' && rec[f->end - 1] == '"');
        } else {
            FUZZ_ASSERT(!has_byte(rec + f->start, rn, '"'));
            FUZZ_ASSERT(!has_byte(rec + f->start, rn, delim));
        }
        check_field(rec, f, delim);
        pos = f->end + 1;
    }
    free(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t delims[] = {',', '\t', ';', '|'};
    fuzz_producer p = fuzz_producer_make(data, size);
    unsigned dsel = fuzz_producer_range(&p, 0, 255);
    uint8_t delim = dsel < 200 ? delims[dsel % 4] : (uint8_t)fuzz_producer_range(&p, 0, 255);
    size_t max = fuzz_producer_range(&p, 1, MAX_FIELDS);
    uint32_t cut = fuzz_producer_u32(&p);
    size_t n = fuzz_producer_contract(&p, 0);
    uint8_t *text = fuzz_dup_exact(data, n);

    if (delim == '"')
        delim = ',';

    /* a quote delimiter is API misuse */
    {
        pii_csv_field f[1];
        size_t nf = 1;
        FUZZ_ASSERT(pii_csv_split(text, n, '"', f, 1, &nf) == PII_E_INTERNAL && nf == 0);
    }

    /* records */
    size_t start = 0;
    while (start <= n) {
        const uint8_t *r = text + start;
        size_t rn = n - start;
        bool q = false, rq = false;
        size_t e = pii_csv_record_end(r, rn, 0, &q);
        FUZZ_ASSERT_MSG(e == ref_record_end(r, rn, 0, false, &rq) && q == rq,
                        "record_end differs from the reference");
        FUZZ_ASSERT(e == rn || (r[e] == '\n' && !q));

        /* resumed at a chunk edge k inside [0, e] */
        size_t k = rn > 0 ? cut % (rn + 1) : 0;
        bool q2 = false;
        size_t e2 = pii_csv_record_end(r, k, 0, &q2);
        if (e2 == k)
            e2 = pii_csv_record_end(r, rn, k, &q2);
        FUZZ_ASSERT_MSG(e2 == e && q2 == q, "resumed record_end differs");

        size_t len = e;
        if (len > 0 && r[len - 1] == '\r')
            len--; /* CRLF: the caller strips the '\r' */
        check_record(r, len, delim, max);
        if (e == rn)
            break;
        start += e + 1;
    }

    /* the whole input as one value */
    check_encode(text, n, delim, false);
    check_encode(text, n, delim, true);
    free(text);
    return 0;
}
