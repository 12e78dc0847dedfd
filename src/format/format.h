/*
 * format.h - stage 2: record formats (CSV/TSV and JSON Lines).
 *
 * Pure parsing and re-encoding; no detection. The engine asks a format to
 * split a record into fields (with their names or JSON paths), decodes a
 * field to its plain value, transforms the value, and asks the format to
 * encode the result back. Bytes outside changed fields are never touched.
 */
#ifndef PII_FORMAT_H
#define PII_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pii_buf.h"
#include "piiscrub/piiscrub.h"

/* ---- CSV (RFC 4180) ----------------------------------------------------- */

typedef struct {
    size_t start;  /* raw field bytes [start, end) in the record, quotes included */
    size_t end;
    bool quoted;   /* the field is enclosed in double quotes */
} pii_csv_field;

/*
 * Split one CSV record rec[0, n) (without its line terminator; it may
 * contain newlines inside quoted fields) at `delim` into fields[0, *nf).
 * The caller strips the '\r' of a CRLF terminator first: split treats CR
 * and LF in unquoted fields as data, and a '\r' after a closing quote as
 * text after it. An empty record is one empty field; a trailing delimiter
 * adds an empty last field. At most `max` fields; more is PII_E_LIMIT. A
 * malformed record (a quote inside an unquoted field, text after a closing
 * quote, an unterminated quote) is PII_E_PARSE; delim '"' is
 * PII_E_INTERNAL. On error *nf counts the fields stored before it. Never
 * reads past n.
 */
PII_NODISCARD pii_status pii_csv_split(const uint8_t *rec, size_t n, uint8_t delim,
                                       pii_csv_field *fields, size_t max, size_t *nf);

/* Append the plain value of a field from pii_csv_split (quotes removed,
 * "" -> ") to out. On error out is unchanged. */
PII_NODISCARD pii_status pii_csv_decode(const uint8_t *rec, const pii_csv_field *f, pii_buf *out);

/* Where decoded byte `off` of field f (the value pii_csv_decode gives)
 * sits in the raw field rec[f->start, f->end): the offset from f->start.
 * For a quoted field the opening quote is skipped and a doubled "" counts
 * as one byte; off == decoded length gives the offset of the closing
 * quote. Used to report findings at their place in the input. */
size_t pii_csv_raw_offset(const uint8_t *rec, const pii_csv_field *f, size_t off);

/*
 * Append value v[0, n) as a CSV field to out: unchanged when it needs no
 * quoting, else in double quotes with " doubled. A value needs quoting when
 * it contains delim, '"', '\r' or '\n'; `was_quoted` keeps the original
 * field's quotes even when not needed, so untouched-looking fields keep
 * their style. On error out is unchanged.
 */
PII_NODISCARD pii_status pii_csv_encode(const uint8_t *v, size_t n, uint8_t delim, bool was_quoted,
                                        pii_buf *out);

/*
 * Where does the record that starts at buf[0] end? Scans buf[from, n) for
 * the first '\n' outside double quotes, given that buf[0, from) left the
 * quote state `*in_quotes`; returns its offset or n when there is none
 * (then *in_quotes is the state at n, to resume from; when a '\n' is found
 * it is false). RFC 4180 quoting: a '"' toggles the state (a doubled ""
 * toggles twice). A stray quote in an unquoted field also toggles it, so a
 * malformed record can run on to a later line; the caller's record limit
 * bounds that, and pii_csv_split then reports PII_E_PARSE.
 */
size_t pii_csv_record_end(const uint8_t *buf, size_t n, size_t from, bool *in_quotes);

/* ---- JSON Lines -------------------------------------------------------- */

#define PII_JSON_MAX_DEPTH 64
#define PII_JSON_MAX_PATH 512

typedef enum { PII_JSON_STRING = 1, PII_JSON_NUMBER = 2 } pii_json_kind;

/* A scalar found in a JSON value: its raw span (quotes included for
 * strings) and its path, e.g. "user.phone", "items[].address", "tags[]". */
typedef struct {
    size_t start;
    size_t end;
    pii_json_kind kind;
    char path[PII_JSON_MAX_PATH]; /* NUL-terminated; keys longer than fit are cut */
} pii_json_scalar;

/* Called for every string and number in document order; return non-OK to stop. */
typedef pii_status (*pii_json_visit)(const pii_json_scalar *s, void *ctx);

/*
 * Parse one JSON value rec[0, n) (surrounding whitespace allowed) and call
 * `visit` (may be NULL: validate only) for each string and number, in
 * document order. Object keys are not visited. Strict RFC 8259:
 * PII_E_PARSE on any syntax error, trailing data, invalid escapes, raw
 * control characters in strings or unpaired surrogates (invalid UTF-8 is
 * passed through); PII_E_LIMIT beyond PII_JSON_MAX_DEPTH nesting. Scalars
 * before an error have been visited. Paths: "" for a top-level scalar,
 * "key" for a member of the top-level object, "P.key" for a member of any
 * other object with path P, "P[]" for an array element; keys are unescaped
 * and kept as they are (a key "a.b" looks like nesting; U+0000 in a key is
 * written as U+FFFD). Never reads past n.
 */
PII_NODISCARD pii_status pii_json_walk(const uint8_t *rec, size_t n, pii_json_visit visit,
                                       void *ctx);

/* Append the decoded UTF-8 value of the JSON string literal s[0, n) (with
 * its quotes, nothing around them) to out: escapes resolved, \uXXXX
 * surrogate pairs joined, other bytes copied. PII_E_PARSE on a malformed
 * literal, as pii_json_walk judges strings. On error out is unchanged. */
PII_NODISCARD pii_status pii_json_unescape(const uint8_t *s, size_t n, pii_buf *out);

/* Where decoded byte `off` of the string literal s[0, n) (as
 * pii_json_unescape decodes it; s already validated) sits in s. An offset
 * inside the bytes one escape produces maps to the escape's first byte
 * (end false) or just past it (end true), so a span of decoded bytes maps
 * to the raw span that holds it. off == decoded length gives n - 1 (the
 * closing quote). */
size_t pii_json_raw_offset(const uint8_t *s, size_t n, size_t off, bool end);

/* Is v[0, n) exactly one JSON number (RFC 8259 grammar)? */
bool pii_json_is_number(const uint8_t *v, size_t n);

/* Append v[0, n) as a JSON string literal (with quotes): '"', '\\' and
 * control characters (bytes < 0x20) escaped (\n \r \t \b \f, others
 * \u00xx, lower-case hex); all other bytes, including UTF-8, invalid UTF-8
 * and DEL, written as they are. pii_json_unescape gives v back. On error
 * out is unchanged. */
PII_NODISCARD pii_status pii_json_escape(const uint8_t *v, size_t n, pii_buf *out);

/*
 * Does `path` (as produced by pii_json_walk) match `pattern`? Both are
 * split at '.' into segments, a key followed by zero or more "[]"; they
 * match when they have as many segments and each pair has the same number
 * of "[]" and the same key, except that the pattern key "*" matches any one
 * key (the empty one too). So "phone" matches only the top-level "phone"
 * (use "*.phone" for one level down), "items[].address" needs the "[]",
 * "*[]" matches "tags[]" and "[]". Exact, case-sensitive, no escaping. A
 * path of PII_JSON_MAX_PATH - 1 bytes or more (possibly cut) matches
 * nothing.
 */
bool pii_json_path_match(const char *pattern, const char *path);

#endif /* PII_FORMAT_H */
