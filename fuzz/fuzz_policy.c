/*
 * fuzz_policy.c - the YAML policy loader (pii_config_load_policy,
 * src/engine/policy.c) and the engines built from the policies it accepts.
 *
 * The input is a policy file. It is written to a private temporary file
 * (mkstemp in a directory that mkdtemp made once) and loaded into a fresh
 * config:
 *   - refused: the status is PII_E_CONFIG or PII_E_LIMIT, pii_error.status
 *     says the same, and the message is NUL-terminated and reads
 *     "PATH:LINE:COLUMN: something" with LINE and COLUMN >= 1 (policy.h:
 *     every message about the content names its position; only a file
 *     over PII_POLICY_MAX_BYTES gets "PATH: something");
 *   - accepted: pii_engine_new either builds an engine or refuses with
 *     PII_E_CONFIG and a non-empty message (fpe on a type with no fpe
 *     style, say). Three engines are built from the config - text, CSV with
 *     a header and JSON Lines - and each must redact a fixed sample (free
 *     text; a header naming the columns of examples/policy.yaml and one
 *     record; one JSON record with the paths it names) with PII_OK:
 *     a value a field action cannot handle is redacted, never an error.
 * Nothing may crash or leak (LeakSanitizer in libFuzzer builds).
 *
 * The policy's key_file is checked but never opened
 * (pii_config_set_check_only): a fuzzed path could name any file on the
 * machine, or a FIFO on which open(2) blocks. The config gets the
 * harness's own key file instead, made once next to the policies, so that
 * token, fpe and date_shift rules still build and run. Noise is seeded,
 * so a run repeats.
 *
 * Input: the policy text, all of it. Dictionary: fuzz/dict/policy.dict.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/policy.h"
#include "fuzz_helpers.h"
#include "piiscrub/piiscrub.h"

#define TODAY 20261129u

static const char sample_text[] =
    "tel 13812345678, mail zhang.san@example.com, id 11010519491231002X\n"
    "card 6222 0212 3456 7894 from 121.249.194.98, IBAN DE89 3704 0044 0532 0130 00\n"
    "\xE5\xA7\x93\xE5\x90\x8D\xEF\xBC\x9A\xE5\xBC\xA0\xE4\xB8\x89 "            /* 姓名：张三 */
    "\xE5\xB9\xBF\xE4\xB8\x9C\xE7\x9C\x81\xE6\xB7\xB1\xE5\x9C\xB3\xE5\xB8\x82" /* 广东省深圳市 */
    "\xE5\x8D\x97\xE5\xB1\xB1\xE5\x8C\xBA 1\xE5\x8F\xB7\n";                    /* 南山区 1号 */

static const char sample_csv[] =
    "phone,\xE6\x89\x8B\xE6\x9C\xBA\xE5\x8F\xB7,id_card,card_no,user.email,user.name,ticket_id,"
    "agent_note_internal,remark,amount,age,income,birthday,visit_date,user.id,address,client_ip,"
    "note\r\n"
    "13812345678,+86 139 1234 5678,11010519491231002X,6222021234567894,a@example.com,"
    "\xE5\xBC\xA0\xE4\xB8\x89,T-1,\"secret, quoted\",\"call 13812345678\",1234.5,37,600000,"
    "1990-05-17,2024-03-01,u1,"
    "\xE5\xB9\xBF\xE4\xB8\x9C\xE7\x9C\x81\xE6\xB7\xB1\xE5\x9C\xB3\xE5\xB8\x82\xE5\x8D\x97\xE5\xB1"
    "\xB1\xE5\x8C\xBA,192.168.1.20,n/a\r\n";

static const char sample_jsonl[] =
    "{\"phone\":\"13812345678\",\"user\":{\"id\":\"u1\",\"email\":\"zhang.san@example.com\","
    "\"name\":\"\\u5f20\\u4e09\"},\"items\":[{\"quantity\":3,\"price\":9.5,\"sku\":\"A-1\"}],"
    "\"messages\":[{\"text\":\"call 13812345678\"}],\"order\":{\"comment\":\"id "
    "11010519491231002X\",\"ts\":\"2024-03-01T10:00:00\"},\"amount\":120,\"age\":37,"
    "\"birthday\":\"1990-05-17\",\"visit_date\":\"2024-03-01\",\"card_no\":6222021234567894,"
    "\"client_ip\":\"10.1.2.3\",\"tags\":[null,true,1e3]}\n";

static char dir[] = "/tmp/fuzz_policy.XXXXXX";
static char key_path[sizeof(dir) + 8];

static void die(const char *what, const pii_error *err)
{
    fprintf(stderr, "fuzz_policy: %s: %s\n", what, err ? err->msg : "");
    abort();
}

static void cleanup(void)
{
    unlink(key_path);
    rmdir(dir);
}

static void setup(void)
{
    if (mkdtemp(dir) == NULL)
        die("mkdtemp", NULL);
    snprintf(key_path, sizeof(key_path), "%s/key", dir);
    char key[512];
    size_t klen = 0;
    pii_error err;
    if (pii_key_generate(key, sizeof(key), &klen, &err) != PII_OK)
        die("pii_key_generate", &err);
    FILE *f = fopen(key_path, "w");
    if (f == NULL || chmod(key_path, 0600) != 0 || fwrite(key, 1, klen, f) != klen ||
        fclose(f) != 0)
        die("key file", NULL);
    pii_wipe(key, sizeof(key));
    atexit(cleanup);
}

/* A refused policy: the message reads "PATH:LINE:COLUMN: text", or
 * "PATH: text" for a file over the size limit. */
static void check_refusal(pii_status st, const pii_error *err, const char *path, size_t size)
{
    FUZZ_ASSERT_MSG(st == PII_E_CONFIG || st == PII_E_LIMIT, "unexpected status for a policy");
    FUZZ_ASSERT_MSG(err->status == st, "pii_error.status differs from the returned status");
    FUZZ_ASSERT_MSG(memchr(err->msg, '\0', sizeof(err->msg)) != NULL, "message unterminated");
    size_t plen = strlen(path);
    const char *m = err->msg;
    if (strncmp(m, path, plen) != 0 || m[plen] != ':') {
        fprintf(stderr, "message: %s\n", m);
        FUZZ_ASSERT_MSG(0, "the message does not start with the policy's path");
    }
    m += plen + 1;
    if (size > PII_POLICY_MAX_BYTES) {
        FUZZ_ASSERT_MSG(st == PII_E_LIMIT, "an oversized policy was not refused as too large");
        return;
    }
    for (int part = 0; part < 2; part++) {
        unsigned long v = 0;
        size_t digits = 0;
        for (; *m >= '0' && *m <= '9' && digits < 10; m++, digits++)
            v = v * 10 + (unsigned long)(*m - '0');
        if (digits == 0 || v == 0 || *m != ':') {
            fprintf(stderr, "message: %s\n", err->msg);
            FUZZ_ASSERT_MSG(0, "the message has no LINE:COLUMN position");
        }
        m++;
    }
    FUZZ_ASSERT_MSG(m[0] == ' ' && m[1] != '\0', "no text after the position");
}

/* Build an engine of format `format` from cfg; NULL when it is refused. */
static pii_engine *engine_make(pii_config *cfg, pii_format format)
{
    pii_error err;
    memset(&err, 0, sizeof(err));
    pii_config_set_format(cfg, format, 0, true);
    pii_engine *e = NULL;
    pii_status st = pii_engine_new(cfg, &e, &err);
    if (st == PII_OK) {
        FUZZ_ASSERT(e != NULL);
        return e;
    }
    FUZZ_ASSERT_MSG(e == NULL, "a refused engine was returned");
    if (st != PII_E_CONFIG || err.status != st || err.msg[0] == '\0') {
        fprintf(stderr, "pii_engine_new: %s (%s)\n", pii_strerror(st), err.msg);
        FUZZ_ASSERT_MSG(0, "engine refused without PII_E_CONFIG and a message");
    }
    return NULL;
}

static void redact(const pii_engine *e, const char *text, size_t len)
{
    char *out = NULL;
    size_t out_len = 0;
    pii_error err;
    pii_status st = pii_redact_buffer(e, text, len, &out, &out_len, &err);
    if (st != PII_OK) {
        fprintf(stderr, "pii_redact_buffer: %s (%s)\n", pii_strerror(st), err.msg);
        FUZZ_ASSERT_MSG(st == PII_OK, "an engine from an accepted policy failed on the sample");
    }
    FUZZ_ASSERT(out != NULL && out[out_len] == '\0');
    pii_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (key_path[0] == '\0')
        setup();
    char path[sizeof(dir) + 16];
    snprintf(path, sizeof(path), "%s/p.XXXXXX", dir);
    int fd = mkstemp(path);
    FUZZ_ASSERT(fd >= 0);
    FUZZ_ASSERT(size == 0 || write(fd, data, size) == (ssize_t)size);
    FUZZ_ASSERT(close(fd) == 0);

    pii_error err;
    memset(&err, 0, sizeof(err));
    pii_config *cfg = pii_config_new();
    FUZZ_ASSERT(cfg != NULL);
    pii_config_set_today(cfg, TODAY);
    pii_config_set_noise_seed(cfg, 1);
    if (pii_config_add_key_file(cfg, key_path, &err) != PII_OK)
        die("pii_config_add_key_file", &err);
    pii_config_set_check_only(cfg, true);
    pii_status st = pii_config_load_policy(cfg, path, &err);
    if (st != PII_OK) {
        check_refusal(st, &err, path, size);
    } else {
        static const struct {
            pii_format format;
            const char *text;
            size_t len;
        } runs[] = {
            {PII_FORMAT_TEXT, sample_text, sizeof(sample_text) - 1},
            {PII_FORMAT_CSV, sample_csv, sizeof(sample_csv) - 1},
            {PII_FORMAT_JSONL, sample_jsonl, sizeof(sample_jsonl) - 1},
        };
        for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
            pii_engine *e = engine_make(cfg, runs[i].format);
            if (e == NULL)
                break; /* the format does not matter to what is refused */
            redact(e, runs[i].text, runs[i].len);
            pii_engine_free(e);
        }
    }
    pii_config_free(cfg);
    unlink(path);
    return 0;
}
