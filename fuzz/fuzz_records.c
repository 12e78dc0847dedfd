/*
 * fuzz_records.c - CSV and JSON Lines records through a whole engine with
 * per-field policies (src/engine/stream.c record path): scan, whole-value
 * actions, drop, noise and every generalize option.
 *
 * Two engines are built once, from a policy written to a private temporary
 * directory with a key file (date_shift needs one): one for CSV with a
 * header, one for JSON Lines. The noise is seeded, so a run repeats. For
 * the fuzzed text the harness checks:
 *   - pii_redact_buffer succeeds (a record that does not parse is scanned
 *     as text: fail closed, never an error), except for a CSV header that
 *     does not parse, which the policy's column rules need: then nothing
 *     is written;
 *   - output is deterministic: a second run gives the same bytes;
 *   - JSON Lines: the output has as many lines as the input, and every
 *     input line that is a valid JSON value comes out as a valid JSON value
 *     with no more strings and numbers (drop turns one into null);
 *   - CSV: when every input record parses, the output has as many records,
 *     every one parses and has as many fields.
 *
 * Input: text, then one flag byte from the tail (bit 0: JSON Lines).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/format.h"
#include "fuzz_helpers.h"
#include "piiscrub/piiscrub.h"

static const char policy_text[] =
    "version: 1\n"
    "key_file: %s/key\n"
    "entities: {cn_mobile: mask, email: redact}\n"
    "fields:\n"
    "  id: keep\n"
    "  phone: {action: redact, type: cn_mobile}\n"
    "  secret: drop\n"
    "  amount: {action: noise, epsilon: 1, sensitivity: 10, clamp: [-50, 1000]}\n"
    "  count: {action: noise, mechanism: geometric, epsilon: 0.5, clamp: [0, 50]}\n"
    "  score: {action: noise, mechanism: gaussian, epsilon: 1, delta: 1e-6, clamp: [0, 10]}\n"
    "  age: {action: generalize, band: 10, top: 90}\n"
    "  income: {action: generalize, top: 5000}\n"
    "  day: {action: generalize, date: month}\n"
    "  visit: {action: generalize, date_shift: 30, key_field: id}\n"
    "  addr: {action: generalize, level: district}\n"
    "  ip: {action: generalize, prefix: 16}\n"
    "  \"items[].price\": {action: noise, epsilon: 2, clamp: [0, 100]}\n"
    "  \"*.ts\": {action: generalize, date: day}\n"
    "  note: scan\n";

static pii_engine *csv_engine, *json_engine;

static void die(const char *what, const pii_error *err)
{
    fprintf(stderr, "fuzz_records: %s: %s\n", what, err ? err->msg : "");
    abort();
}

static pii_engine *make(pii_format format, const char *policy)
{
    pii_error err;
    pii_config *cfg = pii_config_new();
    if (cfg == NULL)
        die("pii_config_new", NULL);
    pii_config_set_today(cfg, 20261129u);
    pii_config_set_noise_seed(cfg, 1);
    if (pii_config_load_policy(cfg, policy, &err) != PII_OK)
        die("policy", &err);
    pii_config_set_format(cfg, format, 0, true);
    pii_engine *e = NULL;
    if (pii_engine_new(cfg, &e, &err) != PII_OK)
        die("pii_engine_new", &err);
    pii_config_free(cfg);
    return e;
}

static void setup(void)
{
    char dir[] = "/tmp/fuzz_records.XXXXXX";
    if (mkdtemp(dir) == NULL)
        die("mkdtemp", NULL);
    char path[256], policy[256];
    snprintf(path, sizeof(path), "%s/key", dir);
    char key[512];
    size_t klen = 0;
    pii_error err;
    if (pii_key_generate(key, sizeof(key), &klen, &err) != PII_OK)
        die("keygen", &err);
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(key, 1, klen, f) != klen || fclose(f) != 0)
        die("key file", NULL);
    chmod(path, 0600);
    snprintf(policy, sizeof(policy), "%s/p.yaml", dir);
    f = fopen(policy, "w");
    if (f == NULL || fprintf(f, policy_text, dir) < 0 || fclose(f) != 0)
        die("policy file", NULL);
    csv_engine = make(PII_FORMAT_CSV, policy);
    json_engine = make(PII_FORMAT_JSONL, policy);
    unlink(path);
    unlink(policy);
    rmdir(dir);
}

static size_t count_scalars;

static pii_status count_visit(const pii_json_scalar *s, void *ctx)
{
    (void)s;
    (void)ctx;
    count_scalars++;
    return PII_OK;
}

/* Scalars of a JSON value, or SIZE_MAX when it does not walk. */
static size_t json_scalars(const uint8_t *p, size_t n)
{
    count_scalars = 0;
    return pii_json_walk(p, n, count_visit, NULL) == PII_OK ? count_scalars : SIZE_MAX;
}

static void check_jsonl(const uint8_t *in, size_t n, const uint8_t *out, size_t m)
{
    size_t i = 0, j = 0;
    for (;;) {
        const uint8_t *a = memchr(in + i, '\n', n - i);
        const uint8_t *b = memchr(out + j, '\n', m - j);
        size_t ae = a ? (size_t)(a - in) : n, be = b ? (size_t)(b - out) : m;
        FUZZ_ASSERT_MSG((a == NULL) == (b == NULL), "as many lines out as in");
        size_t ab = ae, bb = be; /* a CR before the LF belongs to the terminator */
        if (ab > i && in[ab - 1] == '\r')
            ab--;
        if (bb > j && out[bb - 1] == '\r')
            bb--;
        size_t sa = json_scalars(in + i, ab - i);
        if (sa != SIZE_MAX) {
            size_t sb = json_scalars(out + j, bb - j);
            FUZZ_ASSERT_MSG(sb != SIZE_MAX, "a valid JSON record stays valid JSON");
            FUZZ_ASSERT_MSG(sb <= sa, "no scalar appears (drop turns one into null)");
        }
        if (a == NULL)
            break;
        i = ae + 1;
        j = be + 1;
    }
}

/* Records of a CSV text and whether all parse; fields per record in nf. */
static bool csv_records(const uint8_t *p, size_t n, size_t *count, size_t *nf, size_t max)
{
    static pii_csv_field fields[1024];
    size_t i = 0, k = 0;
    while (i < n) {
        bool q = false;
        size_t e = i + pii_csv_record_end(p + i, n - i, 0, &q);
        size_t body = e > i && p[e - 1] == '\r' ? e - 1 : e;
        size_t f = 0;
        if (pii_csv_split(p + i, body - i, ',', fields, 1024, &f) != PII_OK)
            return false;
        if (k < max)
            nf[k] = f;
        k++;
        i = e < n ? e + 1 : n;
    }
    *count = k;
    return true;
}

static void check_csv(const uint8_t *in, size_t n, const uint8_t *out, size_t m)
{
    static size_t fa[4096], fb[4096];
    size_t ka = 0, kb = 0;
    if (!csv_records(in, n, &ka, fa, 4096))
        return;
    FUZZ_ASSERT_MSG(csv_records(out, m, &kb, fb, 4096), "parsed CSV comes out as CSV");
    FUZZ_ASSERT_MSG(ka == kb, "as many CSV records out as in");
    for (size_t k = 0; k < ka && k < 4096; k++)
        FUZZ_ASSERT_MSG(fa[k] == fb[k], "as many fields per record");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (csv_engine == NULL)
        setup();
    fuzz_producer fp = fuzz_producer_make(data, size);
    size_t n = fuzz_producer_contract(&fp, 1);
    bool json = fuzz_producer_range(&fp, 0, 255) & 1;
    uint8_t *in = fuzz_dup_exact(data, n);
    const pii_engine *e = json ? json_engine : csv_engine;
    char *out = NULL, *out2 = NULL;
    size_t m = 0, m2 = 0;
    pii_error err;
    pii_status st = pii_redact_buffer(e, in, n, &out, &m, &err);
    if (!json && st == PII_E_PARSE && strstr(err.msg, "the CSV header does not parse") != NULL) {
        /* the one refusal: the policy's column rules need the header */
        FUZZ_ASSERT(out == NULL && m == 0);
        free(in);
        return 0;
    }
    FUZZ_ASSERT_MSG(st == PII_OK, "records never fail: unparsable ones are scanned as text");
    FUZZ_ASSERT(pii_redact_buffer(e, in, n, &out2, &m2, &err) == PII_OK);
    FUZZ_ASSERT_MSG(m == m2 && (m == 0 || memcmp(out, out2, m) == 0), "deterministic output");
    if (json)
        check_jsonl(in, n, (const uint8_t *)out, m);
    else
        check_csv(in, n, (const uint8_t *)out, m);
    pii_free(out);
    pii_free(out2);
    free(in);
    return 0;
}
