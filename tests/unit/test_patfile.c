/*
 * test_patfile.c - the pattern-file parser and user patterns: malformed
 * files fail with their exact message (file:line and what was expected),
 * good ones work end to end through the public API.
 */
#include <criterion/criterion.h>
#include "table_test.h"
#include <string.h>

#include "detect/patfile.h"
#include "piiscrub/piiscrub.h"
#include "test_util.h"

struct bad {
    char text[200];
    char msg[320];
};

static struct bad bads[] = {
    {"", "u.pat:0: no detector defined (a file starts with 'id: NAME')"},
    {"# only a comment\n", "u.pat:1: no detector defined (a file starts with 'id: NAME')"},
    {"pattern: \\d+\n", "u.pat:1: 'pattern' before the first 'id:'"},
    {"id: Bad-Name\n", "u.pat:1: id must be 1-32 characters of a-z, 0-9, _"},
    {"id: x\nnonsense line\n", "u.pat:2: expected 'key: value'"},
    {"id: x\ncolour: red\n",
     "u.pat:2: unknown key 'colour' (expected id, label, description, kind, pattern, validator, "
     "length, priority, confidence, action, mask, canonical, fpe, context, negative, "
     "negative_penalty, context_required, example, counter)"},
    {"id: x\nkind: magic\n",
     "u.pat:2: unknown kind 'magic' (expected digits, email, ipv4, ipv6, alnum, cn_address, "
     "us_address, cn_name or regex)"},
    {"id: x\nvalidator: crc32\n", "u.pat:2: unknown validator 'crc32' (see patterns/README.md)"},
    {"id: x\npattern: a\npriority: 300\n", "u.pat:3: 'priority' expects a number from 0 to 255"},
    {"id: x\npattern: a\nconfidence: high\n",
     "u.pat:3: 'confidence' expects a number from 0 to 100"},
    {"id: x\npattern: a\naction: shred\n",
     "u.pat:3: unknown action 'shred' (expected mask, redact, keep, token or fpe)"},
    {"id: x\npattern: a\nmask: keep 3\n", "u.pat:3: mask 'keep' takes 2 number(s)"},
    {"id: x\npattern: a\nlength: 9-3\n", "u.pat:3: length expects N or N-M (0-255)"},
    {"id: x\npattern: a\nexample: no arrow\n", "u.pat:3: example needs 'TEXT => VALUE'"},
    {"id: x\npattern: a\nexample: abc => zzz\n",
     "u.pat:3: example value does not occur in the example text"},
    {"id: x\ndescription: no pattern\n", "u.pat:1: detector 'x' needs a pattern"},
    {"id: x\npattern: a\nid: x\npattern: b\n", "u.pat:3: detector 'x' is already defined (u.pat:1)"},
    {"id: cn_mobile\npattern: a\n",
     "u.pat:1: detector 'cn_mobile' is already defined (patterns/builtin/cn_mobile.pat:2)"},
    {"id: x\npattern: a\npattern: b\n", "u.pat:3: 'pattern' given twice"},
    {"id: x\npattern: a\ncontext_required: maybe\n", "u.pat:3: context_required expects yes or no"},
};

PII_TABLE_TEST(struct bad, b, bads, patfile, rejects_with_message)
{
    (void)row;
    pii_config *cfg = pii_config_new();
    size_t before = pii_config_entity_count(cfg);
    pii_error err;
    cr_assert_eq(pii_config_add_patterns(cfg, b->text, strlen(b->text), "u.pat", &err),
                 PII_E_PATTERN);
    cr_assert_str_eq(err.msg, b->msg);
    cr_assert_eq(pii_config_entity_count(cfg), before, "nothing is added on error");
    pii_config_free(cfg);
}

Test(patfile, pcre2_error_names_file_line_and_offset)
{
    pii_config *cfg = pii_config_new();
    const char *t = "# user file\nid: bad_re\npattern: ab(c\n";
    pii_error err;
    cr_assert_eq(pii_config_add_patterns(cfg, t, strlen(t), "u.pat", &err), PII_OK);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_new(cfg, &e, &err), PII_E_PATTERN);
    cr_assert_null(e);
    cr_assert(strstr(err.msg, "u.pat:2: detector 'bad_re': pattern error at offset 4:") != NULL,
              "%s", err.msg);
    cr_assert(strstr(err.msg, "missing closing parenthesis") != NULL, "%s", err.msg);
    pii_config_free(cfg);
}

Test(patfile, empty_match_pattern_is_rejected)
{
    pii_config *cfg = pii_config_new();
    const char *t = "id: maybe\npattern: x*\n";
    pii_error err;
    cr_assert_eq(pii_config_add_patterns(cfg, t, strlen(t), "u.pat", &err), PII_OK);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_new(cfg, &e, &err), PII_E_PATTERN);
    cr_assert_str_eq(err.msg, "u.pat:1: detector 'maybe': pattern matches the empty string");
    pii_config_free(cfg);
}

Test(patfile, user_regex_detector_end_to_end)
{
    pii_config *cfg = pii_config_new();
    pii_config_set_today(cfg, 20261129);
    const char *t = "id: employee_id\n"
                    "description: staff number\n"
                    "pattern: (?<![A-Z0-9])EMP-(?<v>\\d{6})(?!\\d)\n"
                    "action: redact\n"
                    "context: staff\n";
    pii_error err;
    cr_assert_eq(pii_config_add_patterns(cfg, t, strlen(t), "u.pat", &err), PII_OK, "%s", err.msg);
    const pii_entity_info *info = pii_config_entity_get(cfg, pii_config_entity_count(cfg) - 1);
    cr_assert_str_eq(info->name, "employee_id");
    cr_assert_str_eq(info->label, "[EMPLOYEE_ID]");
    cr_assert_str_eq(info->kind, "regex");
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_new(cfg, &e, &err), PII_OK, "%s", err.msg);
    pii_config_free(cfg); /* the engine owns its copy */
    size_t len;
    char *out = test_run(e, "staff EMP-123456 and XEMP-654321, tel 13812345678\n", 50, &len);
    cr_assert_str_eq(out, "staff EMP-[EMPLOYEE_ID] and XEMP-654321, tel 138****5678\n");
    pii_free(out);
    pii_engine_free(e);
}

Test(patfile, user_pattern_with_validator)
{
    pii_config *cfg = pii_config_new();
    /* the named group v is the value: the validator sees its digits */
    const char *t = "id: acct\npattern: \\bACCT(?<v>\\d{16})\\b\nvalidator: luhn\naction: redact\n";
    cr_assert_eq(pii_config_add_patterns(cfg, t, strlen(t), "u.pat", NULL), PII_OK);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_new(cfg, &e, NULL), PII_OK);
    size_t len;
    char *out = test_run(e, "ACCT4242424242424242 ACCT4242424242424241", 41, &len);
    cr_assert_str_eq(out, "ACCT[ACCT] ACCT4242424242424241");
    pii_free(out);
    pii_engine_free(e);
    pii_config_free(cfg);
}

Test(patfile, catastrophic_pattern_fails_closed)
{
    pii_config *cfg = pii_config_new();
    const char *t = "id: evil\npattern: (a+)+b\naction: redact\n";
    cr_assert_eq(pii_config_add_patterns(cfg, t, strlen(t), "u.pat", NULL), PII_OK);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_new(cfg, &e, NULL), PII_OK);
    /* the 'b' at the end of the line defeats PCRE2's required-character
     * check, so the a's backtrack exponentially until the match limit */
    char in[80];
    memset(in, 'a', 60);
    memcpy(in + 60, "c b\nok line\n", 12);
    size_t len;
    char *out = test_run(e, in, 72, &len);
    /* the line that hit the match limit is redacted, the next is intact */
    cr_assert(strstr(out, "aaaa") == NULL, "%s", out);
    cr_assert(strstr(out, "ok line\n") != NULL, "%s", out);
    pii_free(out);
    pii_engine_free(e);
    pii_config_free(cfg);
}
