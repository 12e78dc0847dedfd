/*
 * jsonw.c - JSON string literals for any bytes. File names, CSV column
 * names and JSON paths come from the user's data and file system: they may
 * hold quotes, control characters or bytes that are not UTF-8, and the
 * JSON Lines of `piiscrub scan` and the --report file must stay valid for
 * every one of them. UTF-8 is checked by the table of well-formed byte
 * sequences (Unicode 15, table 3-7), not decoded.
 */
#include "jsonw.h"

#include <stdlib.h>

size_t pii_cli_utf8_len(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* at most U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    }
    return len;
}

size_t pii_cli_json_escape(const uint8_t *p, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n;) {
        uint8_t c = p[i];
        char e = 0;
        switch (c) {
        case '"':
            e = '"';
            break;
        case '\\':
            e = '\\';
            break;
        case '\n':
            e = 'n';
            break;
        case '\r':
            e = 'r';
            break;
        case '\t':
            e = 't';
            break;
        case '\b':
            e = 'b';
            break;
        case '\f':
            e = 'f';
            break;
        default:
            break;
        }
        if (e != 0) {
            out[o++] = '\\';
            out[o++] = e;
            i++;
            continue;
        }
        size_t len = c < 0x20 || c == 0x7F ? 0 : pii_cli_utf8_len(p + i, n - i);
        if (len == 0) { /* a control character or a byte that is not UTF-8 */
            out[o++] = '\\';
            out[o++] = 'u';
            out[o++] = '0';
            out[o++] = '0';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
            i++;
            continue;
        }
        for (size_t k = 0; k < len; k++)
            out[o++] = (char)p[i + k];
        i += len;
    }
    out[o++] = '"';
    out[o] = '\0';
    return o;
}

void pii_cli_json_write(FILE *f, const void *p, size_t n)
{
    char small[256];
    char *buf = PII_CLI_JSON_CAP(n) <= sizeof(small) ? small : malloc(PII_CLI_JSON_CAP(n));
    if (buf == NULL) { /* out of memory: still valid JSON */
        fputs("\"\"", f);
        return;
    }
    size_t len = pii_cli_json_escape(p, n, buf);
    fwrite(buf, 1, len, f);
    if (buf != small)
        free(buf);
}
