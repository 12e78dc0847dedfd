/*
 * fmt_csv.c - RFC 4180 CSV/TSV records (see format.h).
 *
 * Overview: this file splits one CSV record into raw field spans, decodes a
 * field to its plain value, re-encodes a value as a field, and finds where a
 * record ends in a stream of bytes. The grammar is RFC 4180 with a
 * configurable one-byte delimiter (',' for CSV, '\t' for TSV, anything but
 * '"'): a field is either unquoted (any bytes but the delimiter and '"') or
 * enclosed in double quotes, inside which the delimiter, CR and LF are data
 * and a doubled "" stands for one '"'. Anything else is PII_E_PARSE: a '"'
 * inside an unquoted field (also after leading spaces: ` "a"`), any byte
 * between a closing quote and the next delimiter, a quote never closed.
 *
 * Line terminators are the caller's business. A record handed to
 * pii_csv_split() has no final '\n', and the caller strips one final '\r'
 * (CRLF files) before splitting: split itself treats every '\r' and '\n' in
 * an unquoted field as plain data (lenient, like most readers) and a '\r'
 * after a closing quote as text after the quote (PII_E_PARSE). An empty
 * record is one empty field; a trailing delimiter ends with an empty field.
 *
 * Relations the functions keep (checked by tests/unit/test_format.c and
 * fuzz/fuzz_fmt_csv.c): the fields of a split record cover it in order, each
 * next to the previous one with exactly one delimiter between them;
 * decode(encode(v)) == v for any bytes v; encode(decode(f), f.quoted)
 * reproduces the raw bytes of f for every quoted field, and for every
 * unquoted field without CR or LF (one with CR or LF gains quotes).
 *
 * Decode and encode compute the exact output length first and reserve it, so
 * on any error the output buffer is left as it was. Nothing here allocates
 * except through the pii_buf passed in; no function reads past its length.
 */
#include "format/format.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* split                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Scan the quoted field whose opening '"' is rec[pos]. On success *end is
 * the offset just past the closing quote. PII_E_PARSE when the quote is
 * never closed.
 */
static pii_status scan_quoted(const uint8_t *rec, size_t n, size_t pos, size_t *end)
{
    size_t i = pos + 1;

    for (;;) {
        const uint8_t *q = i < n ? memchr(rec + i, '"', n - i) : NULL;

        if (q == NULL) {
            return PII_E_PARSE;
        }
        i = (size_t)(q - rec) + 1;
        if (i < n && rec[i] == '"') {
            i++; /* a doubled "" is data */
            continue;
        }
        *end = i;
        return PII_OK;
    }
}

pii_status pii_csv_split(const uint8_t *rec, size_t n, uint8_t delim, pii_csv_field *fields,
                         size_t max, size_t *nf)
{
    size_t count = 0;
    size_t pos = 0;

    *nf = 0;
    if (delim == '"') {
        return PII_E_INTERNAL;
    }
    for (;;) {
        pii_csv_field f;

        if (count == max) {
            return PII_E_LIMIT;
        }
        f.start = pos;
        if (pos < n && rec[pos] == '"') {
            pii_status st = scan_quoted(rec, n, pos, &pos);

            if (st != PII_OK) {
                return st;
            }
            if (pos < n && rec[pos] != delim) {
                return PII_E_PARSE; /* text after the closing quote */
            }
            f.quoted = true;
        } else {
            while (pos < n && rec[pos] != delim) {
                if (rec[pos] == '"') {
                    return PII_E_PARSE; /* quote inside an unquoted field */
                }
                pos++;
            }
            f.quoted = false;
        }
        f.end = pos;
        fields[count++] = f;
        *nf = count;
        if (pos == n) {
            return PII_OK;
        }
        pos++; /* the delimiter; a field follows, possibly empty */
    }
}

/* ------------------------------------------------------------------------ */
/* decode / encode                                                          */
/* ------------------------------------------------------------------------ */

/* The content of quoted field bytes c[0, n) (quotes stripped) with every ""
 * made one '"', written to dst when it is not NULL; returns its length. */
static size_t unquote(const uint8_t *c, size_t n, uint8_t *dst)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        if (dst != NULL) {
            dst[k] = c[i];
        }
        k++;
        if (c[i] == '"' && i + 1 < n && c[i + 1] == '"') {
            i++;
        }
    }
    return k;
}

size_t pii_csv_raw_offset(const uint8_t *rec, const pii_csv_field *f, size_t off)
{
    if (!f->quoted) {
        return off;
    }
    const uint8_t *c = rec + f->start;
    size_t last = f->end - f->start - 1; /* the closing quote */
    size_t i = 1, d = 0;
    while (i < last && d < off) {
        i += c[i] == '"' ? 2 : 1; /* "" is one decoded quote */
        d++;
    }
    return i;
}

pii_status pii_csv_decode(const uint8_t *rec, const pii_csv_field *f, pii_buf *out)
{
    const uint8_t *c;
    size_t n, k;
    pii_status st;

    if (f->end < f->start) {
        return PII_E_INTERNAL;
    }
    n = f->end - f->start;
    if (n == 0 && !f->quoted) {
        return PII_OK; /* rec may be NULL for an empty record */
    }
    c = rec + f->start;
    if (!f->quoted) {
        return pii_buf_append(out, c, n);
    }
    if (n < 2 || c[0] != '"' || c[n - 1] != '"') {
        return PII_E_INTERNAL; /* not a field pii_csv_split produced */
    }
    c++;
    n -= 2;
    k = unquote(c, n, NULL);
    if (k == 0) {
        return PII_OK; /* out->ptr may still be NULL */
    }
    st = pii_buf_reserve(out, k);
    if (st != PII_OK) {
        return st;
    }
    out->len += unquote(c, n, out->ptr + out->len);
    return PII_OK;
}

pii_status pii_csv_encode(const uint8_t *v, size_t n, uint8_t delim, bool was_quoted,
                          pii_buf *out)
{
    size_t quotes = 0;
    bool need = was_quoted;
    size_t total;
    uint8_t *w;
    pii_status st;

    for (size_t i = 0; i < n; i++) {
        uint8_t b = v[i];

        if (b == '"') {
            quotes++;
            need = true;
        } else if (b == delim || b == '\r' || b == '\n') {
            need = true;
        }
    }
    if (!need) {
        return pii_buf_append(out, v, n);
    }
    if (n > SIZE_MAX - 2 - quotes) {
        return PII_E_LIMIT;
    }
    total = n + quotes + 2;
    st = pii_buf_reserve(out, total);
    if (st != PII_OK) {
        return st;
    }
    w = out->ptr + out->len;
    *w++ = '"';
    for (size_t i = 0; i < n; i++) {
        *w++ = v[i];
        if (v[i] == '"') {
            *w++ = '"';
        }
    }
    *w = '"';
    out->len += total;
    return PII_OK;
}

/* ------------------------------------------------------------------------ */
/* record boundaries                                                        */
/* ------------------------------------------------------------------------ */

size_t pii_csv_record_end(const uint8_t *buf, size_t n, size_t from, bool *in_quotes)
{
    size_t i = from;
    bool q = *in_quotes;

    while (i < n) {
        if (q) {
            const uint8_t *p = memchr(buf + i, '"', n - i);

            if (p == NULL) {
                i = n;
                break;
            }
            i = (size_t)(p - buf) + 1;
            q = false;
            continue;
        }
        if (buf[i] == '\n') {
            *in_quotes = false;
            return i;
        }
        if (buf[i] == '"') {
            q = true;
        }
        i++;
    }
    *in_quotes = q;
    return n;
}
