/*
 * test_mask.c - rendering of findings: masking conventions (by character,
 * not byte), redaction labels, keep.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "transform/transform.h"

struct mcase {
    pii_entity_type type;
    /* arrays, not pointers: Criterion copies parameters into a new process */
    char in[64];
    char want[64];
};

static struct mcase cases[] = {
    {PII_ENT_CN_MOBILE, "13812345678", "138****5678"},
    {PII_ENT_CN_MOBILE, "138 1234 5678", "138 **** 5678"},
    {PII_ENT_CN_MOBILE, "+86-138-1234-5678", "+86-138-****-5678"},
    {PII_ENT_CN_MOBILE, "8613812345678", "86138****5678"},
    {PII_ENT_CN_MOBILE, "１３８１２３４５６７８", "１３８****５６７８"},
    {PII_ENT_CN_ID, "11010519491231002X", "110***********002X"},
    {PII_ENT_CN_ID, "110105 19491231 002x", "110*** ******** 002x"},
    {PII_ENT_CN_ID, "110105491231002", "110********1002"},
    {PII_ENT_BANK_CARD, "6222021234567894", "622202******7894"},
    {PII_ENT_BANK_CARD, "6222 0212 3456 7894", "6222 02** **** 7894"},
    {PII_ENT_BANK_CARD, "3782-822463-10005", "3782-82****-*0005"},
    {PII_ENT_EMAIL, "zhang.san@example.com", "z********@example.com"},
    {PII_ENT_EMAIL, "a@b.cn", "a@b.cn"},
    {PII_ENT_IPV4, "121.249.194.98", "121.249.*.*"},
    {PII_ENT_IPV4, "10.0.0.1", "10.0.*.*"},
};

ParameterizedTestParameters(mask, conventions)
{
    return cr_make_param_array(struct mcase, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct mcase *c, mask, conventions)
{
    pii_buf out;
    pii_buf_init(&out, 1 << 20);
    cr_assert_eq(pii_transform_render(c->type, PII_ACTION_MASK, (const uint8_t *)c->in,
                                      strlen(c->in), "[X]", &out),
                 PII_OK);
    cr_assert_eq(out.len, strlen(c->want), "%s -> %.*s", c->in, (int)out.len, out.ptr);
    cr_assert_arr_eq(out.ptr, c->want, out.len, "%s -> %.*s", c->in, (int)out.len, out.ptr);
    pii_buf_free(&out);
}

Test(mask, redact_writes_label_and_keep_copies)
{
    pii_buf out;
    pii_buf_init(&out, 1 << 20);
    const char *v = "13812345678";
    cr_assert_eq(pii_transform_render(PII_ENT_CN_MOBILE, PII_ACTION_REDACT, (const uint8_t *)v,
                                      11, "[CN_MOBILE]", &out),
                 PII_OK);
    cr_assert_eq(out.len, 11);
    cr_assert_arr_eq(out.ptr, "[CN_MOBILE]", 11);
    out.len = 0;
    cr_assert_eq(pii_transform_render(PII_ENT_CN_MOBILE, PII_ACTION_KEEP, (const uint8_t *)v, 11,
                                      "[CN_MOBILE]", &out),
                 PII_OK);
    cr_assert_arr_eq(out.ptr, v, 11);
    pii_buf_free(&out);
}

Test(mask, output_cap_is_an_error_not_an_overflow)
{
    pii_buf out;
    pii_buf_init(&out, 4);
    cr_assert_eq(pii_transform_render(PII_ENT_CN_MOBILE, PII_ACTION_MASK,
                                      (const uint8_t *)"13812345678", 11, "[X]", &out),
                 PII_E_LIMIT);
    pii_buf_free(&out);
}
