/*
 * fuzz_scan_json.c - the JSON that `piiscrub scan` and --report write for
 * names from the data and the file system (src/cli/jsonw.c), and the map
 * from decoded JSON string offsets back to raw ones that finding events
 * use (pii_json_raw_offset in src/format/fmt_jsonl.c).
 *
 * 1. pii_cli_json_escape of any bytes must be a JSON string literal
 *    (RFC 8259) that is valid UTF-8, checked here by a strict validator
 *    written apart from the one in jsonw.c, fit its documented capacity,
 *    and decode back to exactly the input bytes under the documented
 *    mapping (\u00XX of a byte that was not UTF-8): so no two names collide.
 * 2. When the input is a valid JSON string literal, the raw offset of each
 *    decoded offset is monotonic, inside the quotes, and at a boundary
 *    between escapes the raw prefix decodes to exactly that many bytes.
 */
#include "cli/jsonw.c"

#include "common/pii_buf.h"
#include "format/format.h"
#include "fuzz_helpers.h"

/* Strict UTF-8 (Unicode table 3-7), code point by code point: the length
 * of the sequence at p[0, n) and its value, or 0. */
static size_t utf8_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 0;
    if (len == 0 || len > n || p[0] > 0xF4)
        return 0;
    uint32_t v = p[0] & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void check_escape(const uint8_t *data, size_t size)
{
    char *out = malloc(PII_CLI_JSON_CAP(size));
    uint8_t *back = malloc(size + 1);
    FUZZ_ASSERT(out != NULL && back != NULL);
    size_t len = pii_cli_json_escape(data, size, out);
    FUZZ_ASSERT(len + 1 <= PII_CLI_JSON_CAP(size));
    FUZZ_ASSERT(out[len] == '\0');
    const uint8_t *o = (const uint8_t *)out;
    FUZZ_ASSERT(len >= 2 && o[0] == '"' && o[len - 1] == '"');
    size_t nb = 0;
    for (size_t i = 1; i < len - 1;) {
        uint32_t cp;
        size_t k = utf8_decode(o + i, len - 1 - i, &cp);
        FUZZ_ASSERT_MSG(k > 0, "output is not valid UTF-8");
        FUZZ_ASSERT_MSG(cp >= 0x20 && cp != '"', "raw control character or quote in a string");
        if (cp != '\\') {
            FUZZ_ASSERT(nb + k <= size);
            memcpy(back + nb, o + i, k);
            nb += k;
            i += k;
            continue;
        }
        FUZZ_ASSERT(i + 1 < len - 1);
        uint8_t e = o[i + 1];
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *f = memchr(from, e, sizeof(from) - 1);
        if (f != NULL) {
            FUZZ_ASSERT(nb < size);
            back[nb++] = (uint8_t)to[f - from];
            i += 2;
            continue;
        }
        FUZZ_ASSERT_MSG(e == 'u', "invalid escape");
        FUZZ_ASSERT(i + 6 <= len - 1);
        int v = 0;
        for (int h = 2; h < 6; h++) {
            int x = hexval(o[i + (size_t)h]);
            FUZZ_ASSERT_MSG(x >= 0, "bad \\u escape");
            v = v * 16 + x;
        }
        /* the documented mapping: \u00XX is the byte XX */
        FUZZ_ASSERT_MSG(v <= 0xFF, "only \\u00XX is written");
        FUZZ_ASSERT(nb < size);
        back[nb++] = (uint8_t)v;
        i += 6;
    }
    FUZZ_ASSERT_MSG(nb == size && (size == 0 || memcmp(back, data, size) == 0),
                    "the JSON does not decode back to the input");
    free(out);
    free(back);
}

static void check_raw_offsets(const uint8_t *s, size_t n)
{
    pii_buf dec;
    pii_buf_init(&dec, 1 << 20);
    if (pii_json_unescape(s, n, &dec) != PII_OK) {
        pii_buf_free(&dec);
        return;
    }
    size_t prev = 1;
    for (size_t d = 0; d <= dec.len; d++) {
        size_t a = pii_json_raw_offset(s, n, d, false), b = pii_json_raw_offset(s, n, d, true);
        FUZZ_ASSERT(a >= prev && a <= b && b <= n - 1);
        FUZZ_ASSERT(d < dec.len || (a == n - 1 && b == n - 1));
        prev = a;
        if (a != b)
            continue; /* inside the bytes of one escape */
        /* the raw prefix s[0, a) and a closing quote decode to d bytes */
        uint8_t *pre = malloc(a + 1);
        FUZZ_ASSERT(pre != NULL);
        memcpy(pre, s, a);
        pre[a] = '"';
        pii_buf p;
        pii_buf_init(&p, 1 << 20);
        FUZZ_ASSERT(pii_json_unescape(pre, a + 1, &p) == PII_OK);
        FUZZ_ASSERT(p.len == d && (d == 0 || memcmp(p.ptr, dec.ptr, d) == 0));
        pii_buf_free(&p);
        free(pre);
    }
    pii_buf_free(&dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    check_escape(data, size);
    check_raw_offsets(data, size);
    return 0;
}
