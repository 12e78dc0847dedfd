/*
 * jsonw.h - JSON string literals for any bytes (piiscrub scan and --report).
 */
#ifndef PII_CLI_JSONW_H
#define PII_CLI_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Bytes pii_cli_json_escape may write for n input bytes (with the quotes
 * and a NUL). */
#define PII_CLI_JSON_CAP(n) (6 * (size_t)(n) + 3)

/*
 * Write p[0, n) as a JSON string literal, quotes included, NUL-terminated,
 * into out (at least PII_CLI_JSON_CAP(n) bytes); returns its length without
 * the NUL. The result is valid JSON and valid UTF-8 whatever the bytes:
 * well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF)
 * is copied; '"', '\\' and the control characters U+0000-U+001F and DEL are
 * escaped (\n \r \t \b \f, else \u00xx); every byte that is not part of
 * well-formed UTF-8 becomes \u00XX, its value read as a code point (as
 * Latin-1 would). So a raw byte 0xE9 and the character U+00E9 decode to
 * the same text; in the JSON as written they differ (U+00E9 is written as
 * its UTF-8 bytes, never escaped).
 */
size_t pii_cli_json_escape(const uint8_t *p, size_t n, char *out);

/* Write p[0, n) as a JSON string literal to f. */
void pii_cli_json_write(FILE *f, const void *p, size_t n);

/* Length of the well-formed UTF-8 sequence at p[0, n), or 0 if p[0] does
 * not start one. */
size_t pii_cli_utf8_len(const uint8_t *p, size_t n);

#endif /* PII_CLI_JSONW_H */
