/*
 * test_mask.c - rendering of findings: masking conventions (by character,
 * not byte), redaction labels, keep.
 */
#include <criterion/criterion.h>
#include "table_test.h"
#include <string.h>

#include "engine/engine_internal.h"
#include "transform/transform.h"

static pii_def_list defs;

static void setup(void)
{
    cr_assert_eq(pii_builtin_defs(&defs, NULL), PII_OK);
}

static void teardown(void)
{
    pii_def_list_free(&defs);
}

TestSuite(mask, .init = setup, .fini = teardown);

static const pii_detector_def *def_of(const char *id)
{
    for (size_t i = 0; i < defs.len; i++) {
        if (strcmp(defs.v[i].id, id) == 0)
            return &defs.v[i];
    }
    cr_assert_fail("no detector %s", id);
    return NULL;
}

struct mcase {
    char type[16];
    unsigned aux;
    char in[64];
    char want[64];
};

static struct mcase cases[] = {
    {"cn_mobile", 0, "13812345678", "138****5678"},
    {"cn_mobile", 0, "138 1234 5678", "138 **** 5678"},
    {"cn_mobile", 0, "+86-138-1234-5678", "+86-138-****-5678"},
    {"cn_mobile", 0, "8613812345678", "86138****5678"},
    {"cn_mobile", 0, "１３８１２３４５６７８", "１３８****５６７８"},
    {"cn_id", 0, "11010519491231002X", "110***********002X"},
    {"cn_id", 0, "110105 19491231 002x", "110*** ******** 002x"},
    {"cn_id", 0, "110105491231002", "110********1002"},
    {"bank_card", 0, "6222021234567894", "622202******7894"},
    {"bank_card", 0, "6222 0212 3456 7894", "6222 02** **** 7894"},
    {"bank_card", 0, "3782-822463-10005", "3782-82****-*0005"},
    {"email", 0, "zhang.san@example.com", "z********@example.com"},
    /* a mask hides something: a one-character local part goes whole */
    {"email", 0, "a@b.cn", "*@b.cn"},
    {"email", 0, "ab@b.cn", "a*@b.cn"},
    {"email", 0, "张三@qq.com", "张*@qq.com"},
    {"email", 0, "zhangsan＠qq.com", "z*******＠qq.com"},
    {"ipv4", 0, "121.249.194.98", "121.249.*.*"},
    {"ipv4", 0, "10.0.0.1", "10.0.*.*"},
    {"cn_landline", 0, "010-87654321", "010-8***4321"},
    {"cn_landline", 0, "0571-8765432", "0571-***5432"},
    {"intl_phone", 0, "+44 20 7946 0958", "+44 20 **** 0958"},
    {"us_ssn", 0, "221-60-2382", "***-**-2382"},
    {"iban", 0, "GB82 WEST 1234 5698 7654 32", "GB82 **** **** **** **54 32"},
    {"ipv6", 0, "2001:db8::1", "2001:db8::*"},
    /* fewer groups than the mask keeps: the last one is hidden all the same */
    {"ipv6", 0, "fe80::1", "fe80::*"},
    {"ipv6", 0, "::1", "::*"},
    {"cn_address", 18, "北京市朝阳区建国路88号", "北京市朝阳区******"},
    /* kept part covering the whole value: hidden whole */
    {"cn_address", 18, "北京市朝阳区", "******"},
    {"cn_name", 6, "欧阳娜娜", "欧阳**"},
    {"cn_name", 0, "张伟", "张*"},
    {"us_address", 0, "12 Main St, Boston, MA 02101", "** **** **, ******, ** *****"},
};

PII_TABLE_TEST(struct mcase, c, cases, mask, conventions)
{
    (void)row;
    pii_buf out;
    pii_buf_init(&out, 1 << 20);
    cr_assert_eq(pii_transform_render(def_of(c->type), PII_ACTION_MASK, (const uint8_t *)c->in,
                                      strlen(c->in), (uint16_t)c->aux, NULL, NULL, &out),
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
    cr_assert_eq(pii_transform_render(def_of("cn_mobile"), PII_ACTION_REDACT, (const uint8_t *)v,
                                      11, 0, NULL, NULL, &out),
                 PII_OK);
    cr_assert_eq(out.len, 11);
    cr_assert_arr_eq(out.ptr, "[CN_MOBILE]", 11);
    out.len = 0;
    cr_assert_eq(pii_transform_render(def_of("cn_mobile"), PII_ACTION_KEEP, (const uint8_t *)v, 11,
                                      0, NULL, NULL, &out),
                 PII_OK);
    cr_assert_arr_eq(out.ptr, v, 11);
    pii_buf_free(&out);
}

Test(mask, output_cap_is_an_error_not_an_overflow)
{
    pii_buf out;
    pii_buf_init(&out, 4);
    cr_assert_eq(pii_transform_render(def_of("cn_mobile"), PII_ACTION_MASK,
                                      (const uint8_t *)"13812345678", 11, 0, NULL, NULL, &out),
                 PII_E_LIMIT);
    pii_buf_free(&out);
}
