/*
 * fuzz_patfile.c - user pattern files through the public API.
 *
 * The input is a pattern file (patterns/README.md). It goes to
 * pii_config_add_patterns on a fresh config (built-in detectors only):
 *   - rejected (PII_E_PATTERN): the config must still list exactly the
 *     built-in entity types, the error must name the source, and an engine
 *     built from that config must redact the sample text exactly as an
 *     engine of a config that never saw the file (nothing half-added);
 *   - accepted: the config lists more types, each with a valid id, a label,
 *     a kind and this source; adding the same file again is rejected
 *     (duplicate ids) and changes nothing; an engine is built (a PCRE2
 *     error, an empty-matching regex or too many detectors may still
 *     refuse it with PII_E_PATTERN / PII_E_LIMIT, an action that needs a
 *     key with PII_E_CONFIG) and runs
 *     pii_redact_buffer over a fixed sample text and over the input itself,
 *     and a stream with small output buffers gives the same bytes as the
 *     one-shot call on the sample. User regexes run under PCRE2 match and
 *     depth limits, so a catastrophic pattern such as (a+)+b must finish
 *     (libFuzzer's -timeout catches one that does not).
 * Nothing may crash, fail with another status, or leak (LeakSanitizer in
 * libFuzzer builds).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_helpers.h"
#include "piiscrub/piiscrub.h"

#define TODAY  20261129u
#define SOURCE "fuzz.pat"

static const char sample[] =
    "tel 13812345678, mail zhang.san@example.com, id 11010519491231002X\n"
    "card 6222 0212 3456 7894 from 121.249.194.98 - - ip=10.0.0.1:8080\n"
    "staff EMP-123456 order ORD-20240101-77 ref XEMP-654321 aaaaaaaaaaaaaaaaaaaaaaaaaaaab\n"
    "\xE5\x9C\xB0\xE5\x9D\x80\xEF\xBC\x9A\xE5\xB9\xBF\xE4\xB8\x9C\xE7\x9C\x81\xE6\xB7\xB1"
    "\xE5\x9C\xB3\xE5\xB8\x82\xE5\x8D\x97\xE5\xB1\xB1\xE5\x8C\xBA 1\xE5\x8F\xB7 "
    "\xE5\xA7\x93\xE5\x90\x8D\xEF\xBC\x9A\xE5\xBC\xA0\xE4\xB8\x89\n"
    "IBAN DE89 3704 0044 0532 0130 00, call +44 20 7946 0958, SSN 123-45-6789, "
    "2001:db8::8a2e:370:7334, 1600 Pennsylvania Avenue NW\n"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    "passport E12345678 \xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98 hk A123456(3) tw A123456789";

static void check_status(pii_status st, const pii_error *err, const char *what)
{
    if (st != PII_OK) {
        fprintf(stderr, "%s: %s (%s)\n", what, pii_strerror(st), err->msg);
        FUZZ_ASSERT_MSG(st == PII_OK, what);
    }
}

/* The error of a refused file or engine: status set, message naming the
 * source (or the built-in file for engine errors), NUL-terminated. */
static void check_error(const pii_error *err, pii_status st)
{
    FUZZ_ASSERT_MSG(err->status == st, "pii_error.status differs from the returned status");
    FUZZ_ASSERT_MSG(memchr(err->msg, '\0', sizeof(err->msg)) != NULL, "error message unterminated");
    FUZZ_ASSERT_MSG(err->msg[0] != '\0', "error without a message");
}

static pii_config *config_make(void)
{
    pii_config *cfg = pii_config_new();
    FUZZ_ASSERT(cfg != NULL);
    pii_config_set_today(cfg, TODAY);
    return cfg;
}

static char *redact(const pii_engine *e, const void *in, size_t n, size_t *out_len)
{
    pii_error err = {0};
    char *out = NULL;
    *out_len = 0;
    check_status(pii_redact_buffer(e, in, n, &out, out_len, &err), &err, "pii_redact_buffer");
    FUZZ_ASSERT(out != NULL && out[*out_len] == '\0');
    return out;
}

/* The sample through a stream in 7-byte chunks with a 5-byte output buffer. */
static void check_stream(const pii_engine *e, const char *want, size_t want_len)
{
    pii_error err = {0};
    pii_stream *s = pii_stream_new(e);
    FUZZ_ASSERT(s != NULL);
    size_t cap = want_len + 64, got = 0;
    char *out = malloc(cap);
    uint8_t ob_mem[5];
    FUZZ_ASSERT(out != NULL);
    size_t n = sizeof(sample) - 1;
    for (size_t pos = 0; pos < n;) {
        size_t chunk = n - pos < 7 ? n - pos : 7;
        pii_inbuf ib = {sample, pos + chunk, pos};
        while (ib.pos < ib.size) {
            pii_outbuf ob = {ob_mem, sizeof(ob_mem), 0};
            size_t before = ib.pos;
            check_status(pii_stream_push(s, &ib, &ob, &err), &err, "pii_stream_push");
            FUZZ_ASSERT_MSG(ib.pos > before || ob.pos > 0, "push made no progress");
            FUZZ_ASSERT(got + ob.pos <= cap);
            memcpy(out + got, ob_mem, ob.pos);
            got += ob.pos;
        }
        pos = ib.pos;
    }
    size_t remaining;
    do {
        pii_outbuf ob = {ob_mem, sizeof(ob_mem), 0};
        check_status(pii_stream_finish(s, &ob, &remaining, &err), &err, "pii_stream_finish");
        FUZZ_ASSERT(got + ob.pos <= cap);
        memcpy(out + got, ob_mem, ob.pos);
        got += ob.pos;
    } while (remaining > 0);
    FUZZ_ASSERT_MSG(got == want_len && memcmp(out, want, got) == 0,
                    "streamed output differs from pii_redact_buffer");
    free(out);
    pii_stream_free(s);
}

/* What an engine of the built-in config makes of the sample, computed
 * once (an engine is immutable; it lives for the whole process). */
static const char *builtin_sample(size_t *len)
{
    static char *out;
    static size_t out_len;
    if (out == NULL) {
        pii_error err = {0};
        pii_config *cfg = config_make();
        pii_engine *e = NULL;
        check_status(pii_engine_new(cfg, &e, &err), &err, "pii_engine_new (built-in)");
        out = redact(e, sample, sizeof(sample) - 1, &out_len);
        pii_engine_free(e);
        pii_config_free(cfg);
    }
    *len = out_len;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t ref_len;
    const char *ref = builtin_sample(&ref_len);
    /* an exactly sized copy; a distinct non-NULL pointer even when empty */
    char *text = size > 0 ? (char *)fuzz_dup_exact(data, size) : malloc(1);
    FUZZ_ASSERT(text != NULL);

    pii_config *cfg = config_make();
    size_t before = pii_config_entity_count(cfg);
    FUZZ_ASSERT_MSG(before == pii_entity_count(), "a fresh config lists other types");

    pii_error err = {0};
    pii_status st = pii_config_add_patterns(cfg, text, size, SOURCE, &err);
    if (st != PII_OK) {
        if (st != PII_E_PATTERN) {
            fprintf(stderr, "pii_config_add_patterns: %s (%s)\n", pii_strerror(st), err.msg);
            FUZZ_ASSERT_MSG(0, "a pattern file refused with a status other than PII_E_PATTERN");
        }
        check_error(&err, st);
        FUZZ_ASSERT_MSG(strncmp(err.msg, SOURCE ":", strlen(SOURCE) + 1) == 0,
                        "error message does not name the source");
        FUZZ_ASSERT_MSG(pii_config_entity_count(cfg) == before,
                        "a refused pattern file changed the entity count");
        /* and nothing else: the engine redacts as the built-in one does */
        pii_engine *e = NULL;
        check_status(pii_engine_new(cfg, &e, &err), &err, "pii_engine_new after a refused file");
        size_t out_len;
        char *out = redact(e, sample, sizeof(sample) - 1, &out_len);
        FUZZ_ASSERT_MSG(out_len == ref_len && memcmp(out, ref, ref_len) == 0,
                        "a refused pattern file changed the redaction");
        pii_free(out);
        pii_engine_free(e);
        pii_config_free(cfg);
        free(text);
        return 0;
    }

    size_t count = pii_config_entity_count(cfg);
    FUZZ_ASSERT_MSG(count > before, "an accepted pattern file added no type");
    FUZZ_ASSERT(pii_config_entity_get(cfg, count) == NULL);
    for (size_t i = 0; i < count; i++) {
        const pii_entity_info *info = pii_config_entity_get(cfg, i);
        FUZZ_ASSERT(info != NULL && info->name != NULL && info->label != NULL &&
                    info->description != NULL && info->example != NULL && info->kind != NULL &&
                    info->source != NULL);
        size_t nl = strlen(info->name);
        FUZZ_ASSERT_MSG(nl >= 1 && nl <= 32 && strspn(info->name, "abcdefghijklmnopqrstuvwxyz"
                                                                  "0123456789_") == nl,
                        "entity id outside 1-32 of a-z 0-9 _");
        FUZZ_ASSERT_MSG(strcmp(info->kind, "?") != 0, "entity of an unknown kind");
        if (i < before) {
            FUZZ_ASSERT(strcmp(info->name, pii_entity_get(i)->name) == 0);
        } else {
            FUZZ_ASSERT_MSG(strcmp(info->source, SOURCE) == 0, "user entity with another source");
            /* every new type can be configured by its name */
            check_status(pii_config_set_action(cfg, info->name, (pii_action)(i % 3), &err), &err,
                         "pii_config_set_action on a user type");
        }
    }

    /* the same file again: its ids are taken now */
    pii_error err2 = {0};
    st = pii_config_add_patterns(cfg, text, size, SOURCE, &err2);
    FUZZ_ASSERT_MSG(st == PII_E_PATTERN, "the same pattern file was accepted twice");
    check_error(&err2, st);
    FUZZ_ASSERT_MSG(pii_config_entity_count(cfg) == count,
                    "a refused duplicate file changed the entity count");

    pii_engine *e = NULL;
    st = pii_engine_new(cfg, &e, &err);
    if (st == PII_E_PATTERN || st == PII_E_LIMIT || st == PII_E_CONFIG) {
        /* a regex PCRE2 cannot compile, one that matches the empty string,
         * more detectors than an engine takes, or a default action the
         * config cannot honour (token / fpe without a key) */
        check_error(&err, st);
        FUZZ_ASSERT(e == NULL);
    } else {
        check_status(st, &err, "pii_engine_new");
        FUZZ_ASSERT(e != NULL);
        size_t out_len;
        char *out = redact(e, sample, sizeof(sample) - 1, &out_len);
        check_stream(e, out, out_len);
        pii_free(out);
        out = redact(e, text, size, &out_len);
        pii_free(out);
        pii_engine_free(e);
    }
    pii_config_free(cfg);
    free(text);
    return 0;
}
