/*
 * test_policy.c - the policy-file parser: the documented example parses
 * with every value as written; malformed policies fail with their exact
 * message ("FILE:LINE:COLUMN: what was expected"); limits, file loading and
 * out-of-memory paths return the right status without leaking.
 */
#include <criterion/criterion.h>
#include "table_test.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#include "common/pii_alloc.h"
#include "engine/policy.h"
#include "piiscrub/piiscrub.h"

static const char example[] =
    "version: 1\n"
    "key_file: /etc/piiscrub/key          # optional\n"
    "defaults: {action: mask}\n"
    "entities:\n"
    "  cn_mobile: mask\n"
    "  bank_card: {action: fpe, keep_first: 6, keep_last: 4}\n"
    "fields:                              # CSV header names or JSON paths\n"
    "  phone:  {action: token, type: cn_mobile}\n"
    "  amount: {action: noise, mechanism: laplace, epsilon: 1.0, sensitivity: 10, clamp: [0, "
    "100000]}\n"
    "  age:    {action: generalize, band: 10}\n"
    "  remark: scan\n";

static pii_policy *parse_ok(const char *text)
{
    pii_policy *p = NULL;
    pii_error err;
    memset(&err, 0, sizeof(err));
    pii_status st = pii_policy_parse(text, strlen(text), "p.yaml", &p, &err);
    cr_assert_eq(st, PII_OK, "%s", err.msg);
    cr_assert_not_null(p);
    return p;
}

static void assert_pos(pii_policy_pos pos, unsigned line, unsigned column)
{
    cr_assert_eq(pos.line, line, "line %u, expected %u", pos.line, line);
    cr_assert_eq(pos.column, column, "column %u, expected %u", pos.column, column);
}

Test(policy, example_parses_with_every_value)
{
    pii_policy *p = parse_ok(example);
    cr_assert_str_eq(p->source, "p.yaml");
    cr_assert_eq(p->version, 1);
    cr_assert_str_eq(p->key_file, "/etc/piiscrub/key");
    assert_pos(p->key_file_pos, 2, 11);
    cr_assert(p->has_default_action);
    cr_assert_eq(p->default_action, PII_ACTION_MASK);
    assert_pos(p->default_pos, 3, 1);

    cr_assert_eq(p->nentities, 2);
    cr_assert_str_eq(p->entities[0].name, "cn_mobile");
    assert_pos(p->entities[0].pos, 5, 3);
    cr_assert_eq(p->entities[0].action, PII_ACTION_MASK);
    cr_assert_eq(p->entities[0].keep_first, -1);
    cr_assert_eq(p->entities[0].keep_last, -1);
    cr_assert_str_eq(p->entities[1].name, "bank_card");
    assert_pos(p->entities[1].pos, 6, 3);
    cr_assert_eq(p->entities[1].action, PII_ACTION_FPE);
    cr_assert_eq(p->entities[1].keep_first, 6);
    cr_assert_eq(p->entities[1].keep_last, 4);

    cr_assert_eq(p->nfields, 4);
    const pii_policy_field *f = &p->fields[0];
    cr_assert_str_eq(f->name, "phone");
    assert_pos(f->pos, 8, 3);
    cr_assert_not(f->is_path);
    cr_assert_eq(f->action, PII_FIELD_TOKEN);
    cr_assert_eq((pii_action)f->action, PII_ACTION_TOKEN);
    cr_assert_str_eq(f->type, "cn_mobile");
    assert_pos(f->type_pos, 8, 33);

    f = &p->fields[1];
    cr_assert_str_eq(f->name, "amount");
    assert_pos(f->pos, 9, 3);
    cr_assert_eq(f->action, PII_FIELD_NOISE);
    cr_assert_null(f->type);
    cr_assert_eq(f->noise.mechanism, PII_MECH_LAPLACE);
    cr_assert_float_eq(f->noise.epsilon, 1.0, 1e-12);
    cr_assert_float_eq(f->noise.delta, 0.0, 1e-12);
    cr_assert(f->noise.sensitivity_given);
    cr_assert_float_eq(f->noise.sensitivity, 10.0, 1e-12);
    cr_assert_float_eq(f->noise.clamp_lo, 0.0, 1e-12);
    cr_assert_float_eq(f->noise.clamp_hi, 100000.0, 1e-12);

    f = &p->fields[2];
    cr_assert_str_eq(f->name, "age");
    assert_pos(f->pos, 10, 3);
    cr_assert_eq(f->action, PII_FIELD_GENERALIZE);
    cr_assert_eq(f->gen.kind, PII_GEN_BAND);
    cr_assert_eq(f->gen.band, 10);
    cr_assert_null(f->gen.key_field);

    f = &p->fields[3];
    cr_assert_str_eq(f->name, "remark");
    assert_pos(f->pos, 11, 3);
    cr_assert_eq(f->action, PII_FIELD_SCAN);
    cr_assert_null(f->type);
    pii_policy_free(p);
}

/* examples/policy.yaml, found from this file's path (absolute in CMake builds) */
Test(policy, shipped_example_parses)
{
    static const char self[] = "tests/unit/test_policy.c";
    const char *file = __FILE__;
    size_t n = strlen(file), k = strlen(self);
    if (n < k || strcmp(file + n - k, self) != 0)
        cr_skip_test("source path unknown (%s)", file);
    char path[4096];
    snprintf(path, sizeof(path), "%.*sexamples/policy.yaml", (int)(n - k), file);
    pii_policy *p = NULL;
    pii_error err;
    cr_assert_eq(pii_policy_load_file(path, &p, &err), PII_OK, "%s", err.msg);
    cr_assert_eq(p->version, 1);
    cr_assert_eq(p->nentities, 8);
    cr_assert_eq(p->nfields, 19);
    cr_assert_str_eq(p->fields[1].name, "手机号");
    cr_assert_str_eq(p->fields[10].name, "*.comment");
    cr_assert_eq(p->fields[10].action, PII_FIELD_SCAN);
    cr_assert_eq(p->fields[11].action, PII_FIELD_NOISE);
    cr_assert_eq(p->fields[12].noise.mechanism, PII_MECH_GEOMETRIC);
    cr_assert_eq(p->fields[13].gen.kind, PII_GEN_BAND);
    cr_assert(p->fields[13].gen.has_top);
    cr_assert_eq(p->fields[16].gen.kind, PII_GEN_DATE_SHIFT);
    cr_assert_eq(p->fields[18].gen.kind, PII_GEN_PREFIX);
    pii_policy_free(p);
}

Test(policy, minimal_policy_and_empty_sections)
{
    pii_policy *p = parse_ok("version: 1\n");
    cr_assert_null(p->key_file);
    cr_assert_not(p->has_default_action);
    cr_assert_eq(p->default_action, PII_ACTION_MASK);
    cr_assert_eq(p->nentities, 0);
    cr_assert_eq(p->nfields, 0);
    pii_policy_free(p);

    p = parse_ok("# comment\n---\nversion: 1\ndefaults:\nentities: ~\nfields: {}\n...\n");
    cr_assert_not(p->has_default_action);
    cr_assert_eq(p->nentities, 0);
    cr_assert_eq(p->nfields, 0);
    pii_policy_free(p);
}

Test(policy, field_forms_and_options)
{
    pii_policy *p = parse_ok("version: 1\n"
                             "fields:\n"
                             "  user.phone: token\n"
                             "  items[].address: {action: generalize, level: city}\n"
                             "  '*.email': {action: mask, type: email}\n"
                             "  \"手机号\": fpe\n"
                             "  notes: drop\n"
                             "  ip: {action: generalize, prefix: 24}\n"
                             "  visit: {action: generalize, date_shift: 30, "
                             "key_field: patient.id}\n"
                             "  birthday: {action: generalize, date: month}\n"
                             "  salary: {action: generalize, top: 2.5e5}\n"
                             "  visits:\n"
                             "    action: noise\n"
                             "    mechanism: gaussian\n"
                             "    epsilon: .5\n"
                             "    delta: 1e-6\n"
                             "    clamp:\n"
                             "      - -10\n"
                             "      - +10\n"
                             "  count: {action: noise, mechanism: geometric, epsilon: 2, "
                             "clamp: [0, 50]}\n"
                             "  raw: keep\n");
    cr_assert_eq(p->nfields, 12);
    cr_assert_str_eq(p->fields[0].name, "user.phone");
    cr_assert(p->fields[0].is_path);
    cr_assert_eq(p->fields[0].action, PII_FIELD_TOKEN);
    cr_assert_null(p->fields[0].type);
    cr_assert(p->fields[1].is_path);
    cr_assert_eq(p->fields[1].gen.kind, PII_GEN_LEVEL);
    cr_assert_eq(p->fields[1].gen.level, PII_GEN_CITY);
    cr_assert_str_eq(p->fields[2].name, "*.email");
    cr_assert_str_eq(p->fields[2].type, "email");
    cr_assert_str_eq(p->fields[3].name, "手机号");
    cr_assert_not(p->fields[3].is_path);
    cr_assert_eq(p->fields[3].action, PII_FIELD_FPE);
    cr_assert_eq(p->fields[4].action, PII_FIELD_DROP);
    cr_assert_eq(p->fields[5].gen.kind, PII_GEN_PREFIX);
    cr_assert_eq(p->fields[5].gen.prefix, 24);
    cr_assert_eq(p->fields[6].gen.kind, PII_GEN_DATE_SHIFT);
    cr_assert_eq(p->fields[6].gen.shift_days, 30);
    cr_assert_str_eq(p->fields[6].gen.key_field, "patient.id");
    assert_pos(p->fields[6].gen.key_field_pos, 9, 58);
    cr_assert_eq(p->fields[7].gen.kind, PII_GEN_DATE);
    cr_assert_eq(p->fields[7].gen.date, PII_GEN_MONTH);
    cr_assert_eq(p->fields[8].gen.kind, PII_GEN_TOP);
    cr_assert_float_eq(p->fields[8].gen.top, 250000.0, 1e-9);
    const pii_policy_noise *nz = &p->fields[9].noise;
    cr_assert_eq(nz->mechanism, PII_MECH_GAUSSIAN);
    cr_assert_float_eq(nz->epsilon, 0.5, 1e-12);
    cr_assert_float_eq(nz->delta, 1e-6, 1e-18);
    cr_assert_float_eq(nz->clamp_lo, -10.0, 1e-12);
    cr_assert_float_eq(nz->clamp_hi, 10.0, 1e-12);
    cr_assert_not(nz->sensitivity_given);
    cr_assert_float_eq(nz->sensitivity, 20.0, 1e-12, "defaults to hi - lo");
    cr_assert_eq(p->fields[10].noise.mechanism, PII_MECH_GEOMETRIC);
    cr_assert_eq(p->fields[11].action, PII_FIELD_KEEP);
    pii_policy_free(p);
}

/* band and top go together (age: 30-39 ... 90+), in either order */
Test(policy, band_with_top)
{
    pii_policy *p = parse_ok("version: 1\nfields:\n"
                             "  age: {action: generalize, band: 10, top: 90}\n"
                             "  age2: {action: generalize, top: 80, band: 5}\n"
                             "  age3: {action: generalize, top: 70}\n");
    cr_assert_eq(p->nfields, 3);
    cr_assert_eq(p->fields[0].gen.kind, PII_GEN_BAND);
    cr_assert_eq(p->fields[0].gen.band, 10);
    cr_assert(p->fields[0].gen.has_top);
    cr_assert_float_eq(p->fields[0].gen.top, 90.0, 1e-12);
    cr_assert_eq(p->fields[1].gen.kind, PII_GEN_BAND);
    cr_assert_eq(p->fields[1].gen.band, 5);
    cr_assert(p->fields[1].gen.has_top);
    cr_assert_float_eq(p->fields[1].gen.top, 80.0, 1e-12);
    cr_assert_eq(p->fields[2].gen.kind, PII_GEN_TOP);
    cr_assert_eq(p->fields[2].gen.band, 0);
    cr_assert(p->fields[2].gen.has_top);
    pii_policy_free(p);
}

Test(policy, text_need_not_be_nul_terminated)
{
    char buf[32];
    memset(buf, 'X', sizeof(buf));
    memcpy(buf, "version: 1\nfields: {a: keep}", 28); /* no NUL */
    pii_policy *p = NULL;
    pii_error err;
    /* without its '}' the text is incomplete: nothing past len is read */
    cr_assert_eq(pii_policy_parse(buf, 27, "p.yaml", &p, &err), PII_E_CONFIG);
    cr_assert_null(p);
    cr_assert_str_eq(err.msg, "p.yaml:3:1: YAML syntax error: did not find expected ',' or '}' "
                              "(while parsing a flow mapping at 2:9)");
    cr_assert_eq(pii_policy_parse(buf, 28, "p.yaml", &p, &err), PII_OK, "%s", err.msg);
    cr_assert_eq(p->fields[0].action, PII_FIELD_KEEP);
    pii_policy_free(p);
}

struct bad {
    char text[300];
    char msg[300];
    int status;
};

#define F3 "version: 1\nfields:\n  " /* a field on line 3, column 3 */
#define E3 "version: 1\nentities:\n  "
#define CONFIG PII_E_CONFIG

static struct bad bads[] = {
    /* top level */
    {"version: 1\ncolour: red\n",
     "p.yaml:2:1: unknown key 'colour' (expected version, key_file, defaults, entities, fields)",
     CONFIG},
    {"version: 2\nfields: {}\n", "p.yaml:1:10: unsupported version '2' (expected 1)", CONFIG},
    {"version: 1.0\n", "p.yaml:1:10: unsupported version '1.0' (expected 1)", CONFIG},
    {"version:\n", "p.yaml:1:9: expected 'version: 1', found nothing", CONFIG},
    {"fields:\n  a: mask\n", "p.yaml:1:1: missing 'version: 1'", CONFIG},
    {"", "p.yaml:1:1: empty policy (expected a mapping starting with 'version: 1')", CONFIG},
    {"# nothing\n", "p.yaml:1:1: empty policy (expected a mapping starting with 'version: 1')",
     CONFIG},
    {"- version: 1\n", "p.yaml:1:1: expected a mapping starting with 'version: 1', found a list",
     CONFIG},
    {"version: 1\nkey_file:\n", "p.yaml:2:10: expected a file path for 'key_file', found nothing",
     CONFIG},
    {"version: 1\nversion: 1\n", "p.yaml:2:1: duplicate key 'version' (first at 1:1)", CONFIG},
    {"version: 1\n---\nversion: 1\n", "p.yaml:2:1: only one YAML document is allowed", CONFIG},
    {"version: !!int 1\n", "p.yaml:1:10: YAML tags are not supported", CONFIG},
    {"version: 1\ndefaults: &d {action: mask}\n", "p.yaml:2:11: YAML anchors are not supported",
     CONFIG},
    {"version: 1\n? [a]\n: b\n", "p.yaml:2:3: expected a name as the key, found a list", CONFIG},
    {"version: 1\nkey_file: \"a\\0b\"\n", "p.yaml:2:11: NUL characters are not allowed", CONFIG},
    /* YAML syntax */
    {"version: 1\nfields: [a, b\n",
     "p.yaml:3:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
     "sequence at 2:9)",
     CONFIG},
    {"version: 1\nfields:\n\tphone: mask\n",
     "p.yaml:3:1: YAML syntax error: found character that cannot start any token (while "
     "scanning for the next token); indent with spaces, not tabs",
     CONFIG},
    {F3 "a: \xff\n", "p.yaml:3:6: YAML syntax error: invalid leading UTF-8 octet (byte 0xff)",
     CONFIG},
    {F3 "phone: mask\n    x: y\n",
     "p.yaml:4:6: YAML syntax error: mapping values are not allowed in this context", CONFIG},
    /* defaults */
    {"version: 1\ndefaults: mask\n", "p.yaml:2:11: expected a mapping for 'defaults', found 'mask'",
     CONFIG},
    {"version: 1\ndefaults: {action: drop}\n",
     "p.yaml:2:20: unknown action 'drop' in 'defaults' (expected mask, redact, keep, token or fpe)",
     CONFIG},
    {"version: 1\ndefaults: {keep_first: 3}\n",
     "p.yaml:2:12: unknown key 'keep_first' in 'defaults' (expected action)", CONFIG},
    {"version: 1\ndefaults: {}\n", "p.yaml:2:1: 'defaults' needs an 'action'", CONFIG},
    /* entities */
    {"version: 1\nentities: [cn_mobile]\n",
     "p.yaml:2:11: expected a mapping for 'entities', found a list", CONFIG},
    {E3 "cn_mobile: drop\n",
     "p.yaml:3:14: unknown action 'drop' for entity 'cn_mobile' (expected mask, redact, keep, "
     "token or fpe)",
     CONFIG},
    {E3 "cn_mobile: [mask]\n",
     "p.yaml:3:14: expected an action or a mapping for entity 'cn_mobile', found a list", CONFIG},
    {E3 "bank_card: {action: fpe, keep_first: 33}\n",
     "p.yaml:3:40: 'keep_first' expects an integer from 0 to 32", CONFIG},
    {E3 "bank_card: {action: fpe, keep_last: -1}\n",
     "p.yaml:3:39: 'keep_last' expects an integer from 0 to 32", CONFIG},
    {E3 "bank_card: {action: fpe, keep_last: 4.0}\n",
     "p.yaml:3:39: 'keep_last' expects an integer from 0 to 32", CONFIG},
    {E3 "bank_card: {action: mask, keep_first: \"6\"}\n",
     "p.yaml:3:41: 'keep_first' expects an integer from 0 to 32", CONFIG},
    {E3 "cn_mobile: {action: redact, keep_first: 3}\n",
     "p.yaml:3:31: 'keep_first' applies only to the mask and fpe actions", CONFIG},
    {E3 "bank_card: {action: fpe, keep: 4}\n",
     "p.yaml:3:28: unknown key 'keep' for entity 'bank_card' (expected action, keep_first, "
     "keep_last)",
     CONFIG},
    {E3 "bank_card: {keep_first: 4}\n", "p.yaml:3:3: entity 'bank_card' needs an 'action'",
     CONFIG},
    {E3 "cn_mobile: mask\n  cn_mobile: redact\n",
     "p.yaml:4:3: duplicate key 'cn_mobile' (first at 3:3)", CONFIG},
    /* fields: shape and actions */
    {"version: 1\nfields: phone\n", "p.yaml:2:9: expected a mapping for 'fields', found 'phone'",
     CONFIG},
    {F3 "phone: shred\n",
     "p.yaml:3:10: unknown action 'shred' for field 'phone' (expected mask, redact, token, fpe, "
     "keep, drop, noise, generalize or scan)",
     CONFIG},
    {F3 "phone:\n", "p.yaml:3:9: expected an action or a mapping for field 'phone', found nothing",
     CONFIG},
    {F3 "phone: {action: token, kind: cn_mobile}\n",
     "p.yaml:3:26: unknown key 'kind' for field 'phone' with action token (expected action, type)",
     CONFIG},
    {F3 "notes: {action: drop, type: cn_name}\n",
     "p.yaml:3:25: unknown key 'type' for field 'notes' with action drop (expected action)",
     CONFIG},
    {F3 "phone: {type: cn_mobile}\n", "p.yaml:3:3: field 'phone' needs an 'action'", CONFIG},
    {F3 "phone: {action: mask, type: {}}\n",
     "p.yaml:3:31: 'type' expects an entity type name, found a mapping", CONFIG},
    {F3 "phone: mask\n  phone: redact\n", "p.yaml:4:3: duplicate key 'phone' (first at 3:3)",
     CONFIG},
    {F3 "amount: noise\n",
     "p.yaml:3:11: action 'noise' for field 'amount' needs a mapping with its options ({action: "
     "noise, ...})",
     CONFIG},
    /* field names */
    {F3 "items[.x: mask\n",
     "p.yaml:3:3: invalid JSON path 'items[.x' (expected names of A-Z a-z 0-9 _ - or *, joined by "
     "'.', each optionally followed by [])",
     CONFIG},
    {F3 "user..phone: mask\n",
     "p.yaml:3:3: invalid JSON path 'user..phone' (expected names of A-Z a-z 0-9 _ - or *, "
     "joined by '.', each optionally followed by [])",
     CONFIG},
    {F3 "user.e mail: mask\n",
     "p.yaml:3:3: invalid JSON path 'user.e mail' (expected names of A-Z a-z 0-9 _ - or *, "
     "joined by '.', each optionally followed by [])",
     CONFIG},
    {F3 "\"\": mask\n", "p.yaml:3:3: expected a field name, found ''", CONFIG},
    /* noise */
    {F3 "amount: {action: noise, clamp: [0, 100]}\n",
     "p.yaml:3:3: noise for field 'amount' needs 'epsilon' (a number > 0)", CONFIG},
    {F3 "amount: {action: noise, epsilon: 0, clamp: [0, 100]}\n",
     "p.yaml:3:36: 'epsilon' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: -1, clamp: [0, 100]}\n",
     "p.yaml:3:36: 'epsilon' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1.0abc, clamp: [0, 100]}\n",
     "p.yaml:3:36: 'epsilon' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: nan, clamp: [0, 100]}\n",
     "p.yaml:3:36: 'epsilon' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: .inf, clamp: [0, 100]}\n",
     "p.yaml:3:36: 'epsilon' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1e999, clamp: [0, 100]}\n",
     "p.yaml:3:36: 'epsilon' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: '1', clamp: [0, 100]}\n",
     "p.yaml:3:36: 'epsilon' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: 0x10, clamp: [0, 100]}\n",
     "p.yaml:3:36: 'epsilon' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1}\n",
     "p.yaml:3:3: noise for field 'amount' needs 'clamp: [lo, hi]'", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, clamp: [5, 5]}\n",
     "p.yaml:3:46: 'clamp' needs lo < hi",
     CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, clamp: [9, 1]}\n",
     "p.yaml:3:46: 'clamp' needs lo < hi",
     CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, clamp: [1, 2, 3]}\n",
     "p.yaml:3:46: 'clamp' expects a list of two numbers [lo, hi]", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, clamp: 100}\n",
     "p.yaml:3:46: 'clamp' expects a list of two numbers [lo, hi]", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, clamp: [0, x]}\n",
     "p.yaml:3:46: 'clamp' expects a list of two numbers [lo, hi]", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, clamp: [-1e308, 1e308]}\n",
     "p.yaml:3:46: 'clamp' range is too large", CONFIG},
    {F3 "amount: {action: noise, mechanism: gaussian, epsilon: 1, clamp: [0, 1]}\n",
     "p.yaml:3:3: gaussian noise for field 'amount' needs 'delta' (0 < delta < 1)", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, delta: 0.1, clamp: [0, 1]}\n",
     "p.yaml:3:39: 'delta' applies only to the gaussian mechanism", CONFIG},
    {F3 "amount: {action: noise, mechanism: gaussian, epsilon: 1, delta: 1, clamp: [0, 1]}\n",
     "p.yaml:3:67: 'delta' expects a number between 0 and 1 (exclusive)", CONFIG},
    {F3 "amount: {action: noise, mechanism: uniform, epsilon: 1, clamp: [0, 1]}\n",
     "p.yaml:3:38: unknown mechanism 'uniform' (expected laplace, geometric or gaussian)", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, sensitivity: 0, clamp: [0, 1]}\n",
     "p.yaml:3:52: 'sensitivity' expects a number > 0", CONFIG},
    {F3 "amount: {action: noise, epsilon: 1, clamp: [0, 1], band: 10}\n",
     "p.yaml:3:54: unknown key 'band' for field 'amount' with action noise (expected action, "
     "mechanism, epsilon, delta, sensitivity, clamp)",
     CONFIG},
    /* generalize */
    {F3 "age: {action: generalize, band: 10, date: day}\n",
     "p.yaml:3:39: generalize takes only one of band, top, date, date_shift, level or prefix "
     "(band and top may go together; found 'band' and 'date')",
     CONFIG},
    {F3 "age: {action: generalize, top: 90, top: 80}\n",
     "p.yaml:3:38: duplicate key 'top' (first at 3:29)", CONFIG},
    {F3 "age: {action: generalize}\n",
     "p.yaml:3:3: generalize for field 'age' needs one of band, top, date, date_shift, level or "
     "prefix",
     CONFIG},
    {F3 "age: {action: generalize, band: 0}\n", "p.yaml:3:35: 'band' expects an integer >= 1",
     CONFIG},
    {F3 "age: {action: generalize, band: 2.5}\n", "p.yaml:3:35: 'band' expects an integer >= 1",
     CONFIG},
    {F3 "birthday: {action: generalize, date: week}\n",
     "p.yaml:3:40: unknown date unit 'week' (expected day, month or year)", CONFIG},
    {F3 "visit: {action: generalize, date_shift: 30}\n",
     "p.yaml:3:31: 'date_shift' needs 'key_field: NAME' (the field whose value keys the shift)",
     CONFIG},
    {F3 "visit: {action: generalize, date_shift: 0, key_field: id}\n",
     "p.yaml:3:43: 'date_shift' expects a number of days from 1 to 36500", CONFIG},
    {F3 "visit: {action: generalize, date: day, key_field: id}\n",
     "p.yaml:3:42: 'key_field' applies only to date_shift", CONFIG},
    {F3 "visit: {action: generalize, date_shift: 7, key_field: a..b}\n",
     "p.yaml:3:57: invalid JSON path 'a..b' (expected names of A-Z a-z 0-9 _ - or *, joined by "
     "'.', each optionally followed by [])",
     CONFIG},
    {F3 "addr: {action: generalize, level: street}\n",
     "p.yaml:3:37: unknown level 'street' (expected province, city or district)", CONFIG},
    {F3 "ip: {action: generalize, prefix: 20}\n", "p.yaml:3:36: 'prefix' expects 16 or 24", CONFIG},
    {F3 "age: {action: generalize, band: 10, type: age}\n",
     "p.yaml:3:39: unknown key 'type' for field 'age' with action generalize (expected action, "
     "band, top, date, date_shift, key_field, level, prefix)",
     CONFIG},
    /* long values are described, not quoted */
    {F3 "phone: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx\n",
     "p.yaml:3:10: unknown action (a value of 50 characters) for field 'phone' (expected mask, "
     "redact, token, fpe, keep, drop, noise, generalize or scan)",
     CONFIG},
    {F3 "phone: \"a\\tb\"\n",
     "p.yaml:3:10: unknown action (a value with control characters) for field 'phone' (expected "
     "mask, redact, token, fpe, keep, drop, noise, generalize or scan)",
     CONFIG},
    {F3 "phone: 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\n",
     "p.yaml:3:10: unknown action "
     "'一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十' for "
     "field 'phone' (expected mask, redact, token, fpe, keep, drop, noise, generalize or scan)",
     CONFIG},
    /* limits */
    {"version: 1\nfields: [[[[[[[[[[[[[[[[[[[[a]]]]]]]]]]]]]]]]]]]]\n",
     "p.yaml:2:24: nesting is deeper than 16 levels", PII_E_LIMIT},
};

PII_TABLE_TEST(struct bad, b, bads, policy, rejects_with_message)
{
    (void)row;
    pii_policy *p = (pii_policy *)1;
    pii_error err;
    memset(&err, 0, sizeof(err));
    pii_status st = pii_policy_parse(b->text, strlen(b->text), "p.yaml", &p, &err);
    cr_assert_eq(st, (pii_status)b->status, "status %d for %s (%s)", st, b->text, err.msg);
    cr_assert_null(p);
    cr_assert_eq(err.status, st);
    cr_assert_str_eq(err.msg, b->msg);
    unsigned line = 0;
    cr_assert_eq(sscanf(err.msg, "p.yaml:%u:", &line), 1);
    cr_assert_eq(err.line, line, "err.line matches the message");
    /* the same failure without an error struct */
    p = (pii_policy *)1;
    cr_assert_eq(pii_policy_parse(b->text, strlen(b->text), "p.yaml", &p, NULL), st);
    cr_assert_null(p);
}

/* "SECTION:" followed by n entries named f0, f1, ... */
static char *many(const char *section, size_t n, size_t *len)
{
    size_t cap = 32 + n * 24;
    char *t = malloc(cap);
    cr_assert_not_null(t);
    size_t k = (size_t)snprintf(t, cap, "version: 1\n%s:\n", section);
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(t + k, cap - k, "  f%zu: mask\n", i);
    *len = k;
    return t;
}

Test(policy, field_and_entity_limits)
{
    size_t len;
    char *t = many("fields", PII_POLICY_MAX_FIELDS, &len);
    pii_policy *p = NULL;
    pii_error err;
    cr_assert_eq(pii_policy_parse(t, len, "p.yaml", &p, &err), PII_OK, "%s", err.msg);
    cr_assert_eq(p->nfields, PII_POLICY_MAX_FIELDS);
    cr_assert_str_eq(p->fields[PII_POLICY_MAX_FIELDS - 1].name, "f999");
    pii_policy_free(p);
    free(t);

    t = many("fields", PII_POLICY_MAX_FIELDS + 1, &len);
    cr_assert_eq(pii_policy_parse(t, len, "p.yaml", &p, &err), PII_E_LIMIT);
    cr_assert_null(p);
    cr_assert_str_eq(err.msg, "p.yaml:1003:3: too many fields (the limit is 1000)");
    free(t);

    t = many("entities", PII_POLICY_MAX_ENTITIES, &len);
    cr_assert_eq(pii_policy_parse(t, len, "p.yaml", &p, &err), PII_OK, "%s", err.msg);
    cr_assert_eq(p->nentities, PII_POLICY_MAX_ENTITIES);
    pii_policy_free(p);
    free(t);

    t = many("entities", PII_POLICY_MAX_ENTITIES + 1, &len);
    cr_assert_eq(pii_policy_parse(t, len, "p.yaml", &p, &err), PII_E_LIMIT);
    cr_assert_str_eq(err.msg, "p.yaml:1003:3: too many entities (the limit is 1000)");
    free(t);
}

Test(policy, size_limit)
{
    size_t len = PII_POLICY_MAX_BYTES + 1;
    char *t = malloc(len);
    cr_assert_not_null(t);
    memcpy(t, "version: 1\n", 11);
    memset(t + 11, '#', len - 11);
    pii_policy *p = NULL;
    pii_error err;
    cr_assert_eq(pii_policy_parse(t, len, "p.yaml", &p, &err), PII_E_LIMIT);
    cr_assert_null(p);
    cr_assert_str_eq(err.msg, "p.yaml: policy is larger than the 1 MiB limit");
    /* exactly at the limit: a long comment is fine */
    cr_assert_eq(pii_policy_parse(t, len - 1, "p.yaml", &p, &err), PII_OK, "%s", err.msg);
    pii_policy_free(p);
    free(t);
}

Test(policy, load_file)
{
    char path[] = "/tmp/test_policy_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, example, sizeof(example) - 1), (ssize_t)(sizeof(example) - 1));
    close(fd);
    pii_policy *p = NULL;
    pii_error err;
    cr_assert_eq(pii_policy_load_file(path, &p, &err), PII_OK, "%s", err.msg);
    cr_assert_str_eq(p->source, path);
    cr_assert_eq(p->nfields, 4);
    pii_policy_free(p);

    /* messages name the path */
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("version: 1\nfields:\n  phone: shout\n", f);
    fclose(f);
    cr_assert_eq(pii_policy_load_file(path, &p, &err), PII_E_CONFIG);
    char want[200];
    snprintf(want, sizeof(want), "%s:3:10: unknown action 'shout' for field 'phone'", path);
    cr_assert(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);

    /* one byte over the limit */
    f = fopen(path, "w");
    cr_assert_not_null(f);
    for (size_t i = 0; i <= PII_POLICY_MAX_BYTES; i++)
        fputc('\n', f);
    fclose(f);
    cr_assert_eq(pii_policy_load_file(path, &p, &err), PII_E_LIMIT);
    cr_assert_null(p);
    snprintf(want, sizeof(want), "%s: policy is larger than the 1 MiB limit", path);
    cr_assert_str_eq(err.msg, want);
    unlink(path);

    cr_assert_eq(pii_policy_load_file(path, &p, &err), PII_E_IO);
    cr_assert_null(p);
    cr_assert_eq(err.sys_errno, ENOENT);
    snprintf(want, sizeof(want), "%s: cannot open: %s", path, strerror(ENOENT));
    cr_assert_str_eq(err.msg, want);

    cr_assert_eq(pii_policy_load_file("/", &p, &err), PII_E_IO);
    cr_assert_eq(err.sys_errno, EISDIR);
    cr_assert_str_eq(err.msg, "/: cannot read: Is a directory");
}

Test(policy, out_of_memory_everywhere)
{
    /* fail each allocation in turn: always PII_E_NOMEM, never a leak (ASan) */
    unsigned long n;
    for (n = 1; n < 10000; n++) {
        pii_policy *p = (pii_policy *)1;
        pii_error err;
        pii_alloc_fail_after(n);
        pii_status st = pii_policy_parse(example, sizeof(example) - 1, "p.yaml", &p, &err);
        pii_alloc_fail_after(0);
        if (st == PII_OK) {
            pii_policy_free(p);
            break;
        }
        cr_assert_eq(st, PII_E_NOMEM, "allocation %lu: %s", n, err.msg);
        cr_assert_null(p);
        cr_assert_str_eq(err.msg, "p.yaml: out of memory");
    }
    cr_assert(n > 10 && n < 10000, "%lu allocations", n);
#ifdef HAVE_LSAN
    /* Criterion reports a test before LeakSanitizer's exit-time check runs */
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "leaks on an error path");
#endif
}

Test(policy, helpers)
{
    char q[PII_POLICY_QUOTE_SIZE];
    cr_assert_str_eq(pii_policy_quote("cn_mobile", q), "'cn_mobile'");
    cr_assert_str_eq(pii_policy_quote("", q), "''");
    cr_assert_str_eq(pii_policy_quote("0123456789012345678901234567890123456789", q),
                     "'0123456789012345678901234567890123456789'");
    cr_assert_str_eq(pii_policy_quote("01234567890123456789012345678901234567890", q),
                     "(a value of 41 characters)");
    cr_assert_str_eq(pii_policy_quote("a\x1b[31m", q), "(a value with control characters)");

    pii_policy *p = parse_ok(example);
    pii_error err;
    cr_assert_eq(pii_policy_error_at(&err, PII_E_CONFIG, p, p->fields[0].type_pos,
                                     "unknown entity type %s", pii_policy_quote("cn_mobil", q)),
                 PII_E_CONFIG);
    cr_assert_eq(err.status, PII_E_CONFIG);
    cr_assert_eq(err.line, 8);
    cr_assert_str_eq(err.msg, "p.yaml:8:33: unknown entity type 'cn_mobil'");
    pii_policy_free(p);
    pii_policy_free(NULL);
}
