/*
 * fmt_jsonl.c - JSON Lines records: a strict walker, string literals, paths
 * (see format.h).
 *
 * Overview: pii_json_walk() parses one JSON value (RFC 8259, strictly) with
 * an explicit stack of at most PII_JSON_MAX_DEPTH open containers - no
 * recursion - and reports every string and number with its raw span and its
 * path; pii_json_unescape() / pii_json_escape() convert between string
 * literals and plain bytes; pii_json_path_match() compares a path with a
 * policy pattern.
 *
 * Grammar. Whitespace is space, tab, CR and LF. Numbers follow RFC 8259
 * exactly (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?), so "01", "1.",
 * ".5", "+1" and "-" are errors. Strings may hold any byte >= 0x20 but '"'
 * and '\\'; raw bytes are not checked for UTF-8 (invalid sequences pass
 * through, the walker never rejects a record for its encoding); escapes are
 * \" \\ \/ \b \f \n \r \t and \uXXXX (hex digits in either case), where a
 * high surrogate must be followed at once by an escaped low surrogate and a
 * low surrogate must follow a high one. Literals are true, false, null.
 * Anything else - a trailing comma, single quotes, a raw control character
 * in a string, data after the value, an empty record - is PII_E_PARSE;
 * opening container number PII_JSON_MAX_DEPTH + 1 is PII_E_LIMIT. Errors are
 * reported in document order: the scalars before an error have already been
 * visited.
 *
 * Paths. The path of the top-level value is "" (a bare scalar record is
 * visited with path ""). A member of the top-level object has path "key";
 * a member of any other object whose path is P has path "P.key" (also when
 * P is "": {"":{"c":1}} gives ".c"); an element of an array whose path is P
 * has path "P[]" (all elements share it). Hence "tags[]" for a string in
 * {"tags":["a"]}, "[]" for an element of a top-level array, "[].id" for a
 * member of an object in one, "m[][]" for nested arrays. Keys are unescaped
 * into the path and kept as they are - a key "a.b" gives the same path as a
 * key "b" inside a key "a", a key ending in "[]" looks like an array, an
 * empty key gives an empty segment - except that a U+0000 in a key (which
 * would end the C string) is written as U+FFFD. Paths are cut at
 * PII_JSON_MAX_PATH - 1 bytes (byte-wise, possibly inside a UTF-8
 * sequence); pii_json_path_match() never matches a path that long, so a cut
 * path cannot be mistaken for a shorter one.
 *
 * Nothing here allocates except through the pii_buf passed in; unescape and
 * escape compute their exact output length first and reserve it, so on any
 * error the buffer is left as it was. No function reads past its length.
 */
#include "format/format.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* lexical helpers                                                          */
/* ------------------------------------------------------------------------ */

static bool is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(uint8_t c)
{
    return (unsigned)c - (unsigned)'0' <= 9u;
}

static size_t skip_ws(const uint8_t *p, size_t n, size_t i)
{
    while (i < n && is_ws(p[i])) {
        i++;
    }
    return i;
}

static int hex_value(uint8_t c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Four hex digits at p[i, i + 4) into *u; false if short or not hex. */
static bool read_hex4(const uint8_t *p, size_t n, size_t i, unsigned *u)
{
    unsigned v = 0;

    if (i > n || n - i < 4) {
        return false;
    }
    for (size_t k = 0; k < 4; k++) {
        int h = hex_value(p[i + k]);

        if (h < 0) {
            return false;
        }
        v = (v << 4) | (unsigned)h;
    }
    *u = v;
    return true;
}

static bool is_high_surrogate(unsigned u)
{
    return u >= 0xD800u && u <= 0xDBFFu;
}

static bool is_low_surrogate(unsigned u)
{
    return u >= 0xDC00u && u <= 0xDFFFu;
}

/*
 * Validate the string literal whose opening '"' is p[pos]; *end is the
 * offset just past its closing quote. PII_E_PARSE when it is unterminated,
 * holds a raw byte < 0x20, a bad escape or an unpaired surrogate.
 */
static pii_status scan_string(const uint8_t *p, size_t n, size_t pos, size_t *end)
{
    size_t i = pos + 1;

    for (;;) {
        uint8_t c;
        unsigned u, lo;

        if (i >= n) {
            return PII_E_PARSE;
        }
        c = p[i];
        if (c == '"') {
            *end = i + 1;
            return PII_OK;
        }
        if (c < 0x20) {
            return PII_E_PARSE;
        }
        if (c != '\\') {
            i++;
            continue;
        }
        if (++i >= n) {
            return PII_E_PARSE;
        }
        switch (p[i]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            i++;
            break;
        case 'u':
            if (!read_hex4(p, n, i + 1, &u) || is_low_surrogate(u)) {
                return PII_E_PARSE;
            }
            i += 5;
            if (is_high_surrogate(u)) {
                if (i + 1 >= n || p[i] != '\\' || p[i + 1] != 'u' ||
                    !read_hex4(p, n, i + 2, &lo) || !is_low_surrogate(lo)) {
                    return PII_E_PARSE;
                }
                i += 6;
            }
            break;
        default:
            return PII_E_PARSE;
        }
    }
}

/* Where decoded bytes go: dst[0, cap) receives the first cap bytes, len
 * counts them all (dst may be NULL with cap 0 to measure). With `key` set a
 * U+0000 is written as U+FFFD (paths are C strings). */
typedef struct {
    uint8_t *dst;
    size_t cap;
    size_t len;
    bool key;
} sink;

static void put(sink *s, uint8_t b)
{
    if (s->len < s->cap) {
        s->dst[s->len] = b;
    }
    s->len++;
}

static void put_code_point(sink *s, unsigned cp)
{
    if (cp == 0 && s->key) {
        cp = 0xFFFDu;
    }
    if (cp < 0x80u) {
        put(s, (uint8_t)cp);
    } else if (cp < 0x800u) {
        put(s, (uint8_t)(0xC0u | (cp >> 6)));
        put(s, (uint8_t)(0x80u | (cp & 0x3Fu)));
    } else if (cp < 0x10000u) {
        put(s, (uint8_t)(0xE0u | (cp >> 12)));
        put(s, (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu)));
        put(s, (uint8_t)(0x80u | (cp & 0x3Fu)));
    } else {
        put(s, (uint8_t)(0xF0u | (cp >> 18)));
        put(s, (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu)));
        put(s, (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu)));
        put(s, (uint8_t)(0x80u | (cp & 0x3Fu)));
    }
}

/* Decode the literal p[start, end), already validated by scan_string(),
 * into s. */
static void decode_string(const uint8_t *p, size_t start, size_t end, sink *s)
{
    size_t i = start + 1;
    size_t last = end - 1; /* the closing quote */

    while (i < last) {
        uint8_t c = p[i];
        unsigned u = 0, lo = 0;

        if (c != '\\') {
            put(s, c);
            i++;
            continue;
        }
        c = p[i + 1];
        i += 2;
        switch (c) {
        case 'b':
            put(s, '\b');
            break;
        case 'f':
            put(s, '\f');
            break;
        case 'n':
            put(s, '\n');
            break;
        case 'r':
            put(s, '\r');
            break;
        case 't':
            put(s, '\t');
            break;
        case 'u':
            (void)read_hex4(p, end, i, &u);
            i += 4;
            if (is_high_surrogate(u)) {
                (void)read_hex4(p, end, i + 2, &lo);
                i += 6;
                u = 0x10000u + ((u - 0xD800u) << 10) + (lo - 0xDC00u);
            }
            put_code_point(s, u);
            break;
        default: /* '"', '\\', '/' */
            put(s, c);
            break;
        }
    }
}

/* Validate the number starting at p[pos] ('-' or a digit); *end is the
 * offset just past it. */
static pii_status scan_number(const uint8_t *p, size_t n, size_t pos, size_t *end)
{
    size_t i = pos;

    if (p[i] == '-') {
        i++;
    }
    if (i >= n || !is_digit(p[i])) {
        return PII_E_PARSE;
    }
    if (p[i++] != '0') {
        while (i < n && is_digit(p[i])) {
            i++;
        }
    }
    if (i < n && p[i] == '.') {
        i++;
        if (i >= n || !is_digit(p[i])) {
            return PII_E_PARSE;
        }
        while (i < n && is_digit(p[i])) {
            i++;
        }
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) {
            i++;
        }
        if (i >= n || !is_digit(p[i])) {
            return PII_E_PARSE;
        }
        while (i < n && is_digit(p[i])) {
            i++;
        }
    }
    *end = i;
    return PII_OK;
}

bool pii_json_is_number(const uint8_t *v, size_t n)
{
    size_t end;

    return n > 0 && (v[0] == '-' || is_digit(v[0])) && scan_number(v, n, 0, &end) == PII_OK &&
           end == n;
}

/* true, false or null at p[pos]; *end just past it. */
static pii_status scan_literal(const uint8_t *p, size_t n, size_t pos, size_t *end)
{
    static const char *const words[] = {"true", "false", "null"};

    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t k = strlen(words[w]);

        if (n - pos >= k && memcmp(p + pos, words[w], k) == 0) {
            *end = pos + k;
            return PII_OK;
        }
    }
    return PII_E_PARSE;
}

/* ------------------------------------------------------------------------ */
/* walk                                                                     */
/* ------------------------------------------------------------------------ */

/* One open container: '{' or '[' and the length of its own path. */
typedef struct {
    uint8_t open;
    size_t base;
} frame;

/* Append k bytes to the path (length *plen), cutting at the buffer. */
static void path_append(char *path, size_t *plen, const char *s, size_t k)
{
    size_t room = PII_JSON_MAX_PATH - 1 - *plen;

    if (k > room) {
        k = room;
    }
    memcpy(path + *plen, s, k);
    *plen += k;
    path[*plen] = '\0';
}

/*
 * Read the member key whose opening '"' should be at rec[pos], then the ':'
 * and the whitespace after it; set the path to the member's path: the
 * object's path `base`, a '.' unless the object is the top-level value
 * (`root`), the key. *pos ends at the member's value.
 */
static pii_status read_member(const uint8_t *rec, size_t n, size_t *pos, size_t base, bool root,
                              char *path, size_t *plen)
{
    size_t end;
    pii_status st;
    sink s;

    if (*pos >= n || rec[*pos] != '"') {
        return PII_E_PARSE; /* also a trailing comma: {"a":1,} */
    }
    st = scan_string(rec, n, *pos, &end);
    if (st != PII_OK) {
        return st;
    }
    *plen = base;
    path[base] = '\0';
    if (!root) {
        path_append(path, plen, ".", 1);
    }
    s.dst = (uint8_t *)path + *plen;
    s.cap = PII_JSON_MAX_PATH - 1 - *plen;
    s.len = 0;
    s.key = true;
    decode_string(rec, *pos, end, &s);
    *plen += s.len < s.cap ? s.len : s.cap;
    path[*plen] = '\0';

    end = skip_ws(rec, n, end);
    if (end >= n || rec[end] != ':') {
        return PII_E_PARSE;
    }
    *pos = skip_ws(rec, n, end + 1);
    return PII_OK;
}

/*
 * The walker is a loop over two states: a value is expected at `pos`
 * (want_value), or one just ended and a ',', a closing bracket or the end
 * of the record must follow. Opening a container pushes a frame; closing it
 * pops the frame and restores the path of the container itself.
 */
pii_status pii_json_walk(const uint8_t *rec, size_t n, pii_json_visit visit, void *ctx)
{
    frame stack[PII_JSON_MAX_DEPTH];
    size_t depth = 0;
    size_t plen = 0;
    size_t pos = skip_ws(rec, n, 0);
    bool want_value = true;
    pii_json_scalar sc;
    pii_status st;

    sc.path[0] = '\0';
    for (;;) {
        if (want_value) {
            uint8_t c;
            size_t end = 0;
            bool scalar;

            if (pos >= n) {
                return PII_E_PARSE;
            }
            c = rec[pos];
            if (c == '{' || c == '[') {
                if (depth == PII_JSON_MAX_DEPTH) {
                    return PII_E_LIMIT;
                }
                stack[depth].open = c;
                stack[depth].base = plen;
                depth++;
                pos = skip_ws(rec, n, pos + 1);
                if (pos < n && rec[pos] == (c == '{' ? '}' : ']')) {
                    pos++;
                    depth--;
                    want_value = false;
                } else if (c == '[') {
                    path_append(sc.path, &plen, "[]", 2);
                } else {
                    st = read_member(rec, n, &pos, plen, depth == 1, sc.path, &plen);
                    if (st != PII_OK) {
                        return st;
                    }
                }
                continue;
            }
            scalar = true;
            if (c == '"') {
                st = scan_string(rec, n, pos, &end);
                sc.kind = PII_JSON_STRING;
            } else if (c == '-' || is_digit(c)) {
                st = scan_number(rec, n, pos, &end);
                sc.kind = PII_JSON_NUMBER;
            } else {
                st = scan_literal(rec, n, pos, &end);
                scalar = false;
            }
            if (st != PII_OK) {
                return st;
            }
            if (scalar && visit != NULL) {
                sc.start = pos;
                sc.end = end;
                st = visit(&sc, ctx);
                if (st != PII_OK) {
                    return st;
                }
            }
            pos = end;
            want_value = false;
            continue;
        }

        /* after a value */
        pos = skip_ws(rec, n, pos);
        if (depth == 0) {
            return pos == n ? PII_OK : PII_E_PARSE;
        }
        if (pos >= n) {
            return PII_E_PARSE;
        }
        if (rec[pos] == ',') {
            pos = skip_ws(rec, n, pos + 1);
            want_value = true;
            if (stack[depth - 1].open == '{') {
                st = read_member(rec, n, &pos, stack[depth - 1].base, depth == 1, sc.path,
                                 &plen);
                if (st != PII_OK) {
                    return st;
                }
            }
            /* in an array the path is still the element path "P[]" */
            continue;
        }
        if (rec[pos] != (stack[depth - 1].open == '{' ? '}' : ']')) {
            return PII_E_PARSE;
        }
        pos++;
        depth--;
        plen = stack[depth].base;
        sc.path[plen] = '\0';
    }
}

/* ------------------------------------------------------------------------ */
/* string literals                                                          */
/* ------------------------------------------------------------------------ */

pii_status pii_json_unescape(const uint8_t *s, size_t n, pii_buf *out)
{
    size_t end = 0;
    pii_status st;
    sink k = {NULL, 0, 0, false};

    if (n < 2 || s[0] != '"') {
        return PII_E_PARSE;
    }
    st = scan_string(s, n, 0, &end);
    if (st != PII_OK) {
        return st;
    }
    if (end != n) {
        return PII_E_PARSE; /* bytes after the closing quote */
    }
    decode_string(s, 0, n, &k);
    if (k.len == 0) {
        return PII_OK; /* out->ptr may still be NULL */
    }
    st = pii_buf_reserve(out, k.len);
    if (st != PII_OK) {
        return st;
    }
    k.dst = out->ptr + out->len;
    k.cap = k.len;
    k.len = 0;
    decode_string(s, 0, n, &k);
    out->len += k.len;
    return PII_OK;
}

/* Bytes UTF-8 takes for code point cp (as put_code_point writes it). */
static size_t utf8_len(unsigned cp)
{
    return cp < 0x80u ? 1 : cp < 0x800u ? 2 : cp < 0x10000u ? 3 : 4;
}

size_t pii_json_raw_offset(const uint8_t *s, size_t n, size_t off, bool end)
{
    size_t i = 1, d = 0;
    size_t last = n - 1; /* the closing quote */

    /* the walk of decode_string, counting what each unit decodes to */
    while (i < last) {
        size_t rl = 1, dl = 1;

        if (s[i] == '\\') {
            rl = 2;
            if (s[i + 1] == 'u') {
                unsigned u = 0, lo = 0;

                (void)read_hex4(s, n, i + 2, &u);
                rl = 6;
                if (is_high_surrogate(u)) {
                    (void)read_hex4(s, n, i + 8, &lo);
                    rl = 12;
                    u = 0x10000u + ((u - 0xD800u) << 10) + (lo - 0xDC00u);
                }
                dl = utf8_len(u);
            }
        }
        if (off <= d) {
            return i;
        }
        if (off < d + dl) {
            return end ? i + rl : i;
        }
        d += dl;
        i += rl;
    }
    return last;
}

/* The escape for byte c: 0 when written as it is, else the letter after
 * '\\' ('u' for \u00XX). */
static uint8_t escape_letter(uint8_t c)
{
    switch (c) {
    case '"':
        return '"';
    case '\\':
        return '\\';
    case '\b':
        return 'b';
    case '\f':
        return 'f';
    case '\n':
        return 'n';
    case '\r':
        return 'r';
    case '\t':
        return 't';
    default:
        return c < 0x20 ? 'u' : 0;
    }
}

pii_status pii_json_escape(const uint8_t *v, size_t n, pii_buf *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t total = 2;
    uint8_t *w;
    pii_status st;

    if (n > (SIZE_MAX - 2) / 6) {
        return PII_E_LIMIT;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t e = escape_letter(v[i]);

        total += e == 0 ? 1 : e == 'u' ? 6 : 2;
    }
    st = pii_buf_reserve(out, total);
    if (st != PII_OK) {
        return st;
    }
    w = out->ptr + out->len;
    *w++ = '"';
    for (size_t i = 0; i < n; i++) {
        uint8_t e = escape_letter(v[i]);

        if (e == 0) {
            *w++ = v[i];
            continue;
        }
        *w++ = '\\';
        *w++ = e;
        if (e == 'u') {
            *w++ = '0';
            *w++ = '0';
            *w++ = (uint8_t)hex[v[i] >> 4];
            *w++ = (uint8_t)hex[v[i] & 0xFu];
        }
    }
    *w = '"';
    out->len += total;
    return PII_OK;
}

/* ------------------------------------------------------------------------ */
/* paths                                                                    */
/* ------------------------------------------------------------------------ */

/* A segment s[0, n) as its key and the number of "[]" suffixes after it. */
static size_t segment_key(const char *s, size_t n, size_t *arrays)
{
    size_t k = 0;

    while (n >= 2 && s[n - 2] == '[' && s[n - 1] == ']') {
        n -= 2;
        k++;
    }
    *arrays = k;
    return n;
}

/*
 * Both strings are split at every '.' into segments, and match when they
 * have as many segments and each pair matches: a segment is a key followed
 * by zero or more "[]"; the counts of "[]" must be equal, and the keys equal
 * byte for byte unless the pattern's key is exactly "*", which matches any
 * one key, the empty key included (so "*[]" matches "tags[]" and also the
 * top-level array path "[]"). There is no other wildcard and no escaping;
 * "*" never spans a '.', and a lone "*" does not match "x[]" (the "[]"
 * counts differ). The empty pattern matches only the empty path (a
 * top-level scalar). A path of PII_JSON_MAX_PATH - 1 bytes or more may have
 * been cut by the walker and matches nothing.
 */
bool pii_json_path_match(const char *pattern, const char *path)
{
    const char *p = pattern;
    const char *q = path;

    if (strnlen(path, PII_JSON_MAX_PATH) >= PII_JSON_MAX_PATH - 1) {
        return false;
    }
    for (;;) {
        size_t pn = strcspn(p, ".");
        size_t qn = strcspn(q, ".");
        size_t pa, qa;
        size_t pk = segment_key(p, pn, &pa);
        size_t qk = segment_key(q, qn, &qa);

        if (pa != qa) {
            return false;
        }
        if (!(pk == 1 && p[0] == '*') && (pk != qk || memcmp(p, q, pk) != 0)) {
            return false;
        }
        if (p[pn] == '\0' || q[qn] == '\0') {
            return p[pn] == q[qn];
        }
        p += pn + 1;
        q += qn + 1;
    }
}
