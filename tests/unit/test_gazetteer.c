/*
 * test_gazetteer.c - Criterion unit tests for src/detect/gazetteer.c and the
 * generated src/detect/gazetteer_data.c.
 *
 * Overview: table-driven matches (full names, short forms, ethnic autonomous
 * names, longest match, ambiguous names), misses (stop-listed ordinary
 * words, everyday chat, truncated UTF-8), the code helpers (parent, name,
 * level) and two sweeps: every division code in 110000..829999 whose name is
 * not stop-listed must match its own full name, and every offset of a mixed
 * buffer is probed with every remaining length. Expected codes and names
 * come from the data/regions TSVs (GB/T 2260 / NBS), not from the code under
 * test. Inputs are copied into heap buffers of exactly their length with no
 * terminating NUL, so a lookup that reads past `n` is caught when the suite
 * runs under AddressSanitizer.
 */
#include <criterion/criterion.h>
#include "table_test.h"

#include <stdlib.h>
#include <string.h>

#include "detect/gazetteer.h"

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Heap copy of the first n bytes of s, without a NUL terminator. */
static uint8_t *exact_copy(const char *s, size_t n)
{
    uint8_t *p = malloc(n > 0 ? n : 1);

    cr_assert_not_null(p);
    if (n > 0) {
        memcpy(p, s, n);
    }
    return p;
}

static bool match_n(const char *s, size_t n, uint32_t within, pii_gaz_hit *hit)
{
    uint8_t *p = exact_copy(s, n);
    bool r = within ? pii_gazetteer_match_in(p, n, within, hit) : pii_gazetteer_match(p, n, hit);

    free(p);
    return r;
}

/* Full names that the stop list keeps out of the gazetteer. */
static const char stop_listed[][8] = {"城区", "郊区", "矿区", "东区", "西区", "和县"};

static bool is_stop_listed(const char *name)
{
    for (size_t i = 0; i < sizeof stop_listed / sizeof stop_listed[0]; i++) {
        if (strcmp(name, stop_listed[i]) == 0) {
            return true;
        }
    }
    return false;
}

static bool may_start_n(const char *s, size_t n)
{
    uint8_t *p = exact_copy(s, n);
    bool r = pii_gazetteer_may_start(p, n);

    free(p);
    return r;
}

/* ------------------------------------------------------------------------ */
/* matches                                                                  */
/* ------------------------------------------------------------------------ */

struct gaz_case {
    char text[96];  /* input, matched at offset 0 */
    char name[64];  /* expected matched prefix of text */
    uint32_t code;
    uint8_t level;
    bool short_form;
    bool ambiguous;
    uint32_t within; /* 0: pii_gazetteer_match, else pii_gazetteer_match_in */
};

static struct gaz_case matches[] = {
    /* the address hierarchy, level by level */
    {"吉林省长春市宽城区", "吉林省", 220000, PII_GAZ_PROVINCE, false, false, 0},
    {"长春市宽城区自由大路", "长春市", 220100, PII_GAZ_CITY, false, false, 0},
    {"宽城区自由大路", "宽城区", 220103, PII_GAZ_COUNTY, false, false, 0},
    /* ethnic autonomous names and their short forms */
    {"广西壮族自治区南宁市", "广西壮族自治区", 450000, PII_GAZ_PROVINCE, false, false, 0},
    {"广西", "广西", 450000, PII_GAZ_PROVINCE, true, false, 0},
    {"广西南宁", "广西", 450000, PII_GAZ_PROVINCE, true, false, 0},
    {"内蒙古", "内蒙古", 150000, PII_GAZ_PROVINCE, true, false, 0},
    {"内蒙古自治区", "内蒙古自治区", 150000, PII_GAZ_PROVINCE, false, false, 0},
    {"新疆乌鲁木齐", "新疆", 650000, PII_GAZ_PROVINCE, true, false, 0},
    {"宁夏银川", "宁夏", 640000, PII_GAZ_PROVINCE, true, false, 0},
    {"香港九龙", "香港", 810000, PII_GAZ_PROVINCE, true, false, 0},
    {"延边朝鲜族自治州延吉市", "延边朝鲜族自治州", 222400, PII_GAZ_CITY, false, false, 0},
    {"延边延吉", "延边", 222400, PII_GAZ_CITY, true, false, 0},
    {"湘西州", "湘西", 433100, PII_GAZ_CITY, true, false, 0},
    {"博尔塔拉", "博尔塔拉", 652700, PII_GAZ_CITY, true, false, 0},
    {"龙胜县", "龙胜", 450328, PII_GAZ_COUNTY, true, false, 0}, /* 龙胜各族自治县 */
    {"东乡族自治县", "东乡族自治县", 622926, PII_GAZ_COUNTY, false, false, 0},
    /* longest match wins */
    {"黔东南苗族侗族自治州凯里市", "黔东南苗族侗族自治州", 522600, PII_GAZ_CITY, false, false, 0},
    {"黔东南凯里", "黔东南", 522600, PII_GAZ_CITY, true, false, 0},
    {"深圳南山科技园", "深圳", 440300, PII_GAZ_CITY, true, false, 0},
    {"深圳市南山区", "深圳市", 440300, PII_GAZ_CITY, false, false, 0},
    /* county-level suffixes */
    {"浦东新区张江", "浦东新区", 310115, PII_GAZ_COUNTY, false, false, 0},
    {"浦东张江", "浦东", 310115, PII_GAZ_COUNTY, true, false, 0},
    {"神农架木鱼镇", "神农架", 429021, PII_GAZ_COUNTY, true, false, 0},
    {"六枝", "六枝", 520203, PII_GAZ_COUNTY, true, false, 0},           /* 六枝特区 */
    {"万柏林", "万柏林", 140109, PII_GAZ_COUNTY, true, false, 0},       /* not 万柏 + 林区 */
    {"鹰手营子", "鹰手营子", 130804, PII_GAZ_COUNTY, true, false, 0},   /* 鹰手营子矿区 */
    {"仙桃市", "仙桃市", 429004, PII_GAZ_COUNTY, false, false, 0},
    {"苏州工业园区", "苏州工业园区", 320576, PII_GAZ_COUNTY, false, false, 0}, /* NBS zone */
    /* ambiguous names: first division, flagged */
    {"南山区", "南山区", 230404, PII_GAZ_COUNTY, false, true, 0},       /* Hegang, then Shenzhen */
    {"朝阳区", "朝阳区", 110105, PII_GAZ_COUNTY, false, true, 0},
    {"吉林", "吉林", 220000, PII_GAZ_PROVINCE, true, true, 0},          /* province before city */
    {"中山路", "中山", 442000, PII_GAZ_CITY, true, true, 0},            /* city before 中山区 */
    {"沙县小吃", "沙县", 350427, PII_GAZ_COUNTY, false, true, 0},       /* full before 沙县区 */
    /* ... resolved by the enclosing division */
    {"南山区", "南山区", 440305, PII_GAZ_COUNTY, false, false, 440300},
    {"南山区", "南山区", 440305, PII_GAZ_COUNTY, false, false, 440000},
    {"朝阳区", "朝阳区", 220104, PII_GAZ_COUNTY, false, false, 220100},
    {"朝阳区", "朝阳区", 110105, PII_GAZ_COUNTY, false, false, 110000},
    {"朝阳", "朝阳", 211300, PII_GAZ_CITY, true, true, 210000},          /* 朝阳市 and 朝阳县 */
    {"朝阳", "朝阳", 211321, PII_GAZ_COUNTY, true, false, 211300},
    {"沙县区", "沙县区", 350405, PII_GAZ_COUNTY, false, false, 350400}, /* not ambiguous at all */
    {"沙县", "沙县", 350427, PII_GAZ_COUNTY, false, true, 350400},      /* both in 三明 */
    {"朝阳区", "朝阳区", 110105, PII_GAZ_COUNTY, false, true, 440300},  /* none inside */
    {"吉林省", "吉林省", 220000, PII_GAZ_PROVINCE, false, false, 220000},
    /* a truncated longer name falls back to the shorter one */
    {"吉林\xe7\x9c", "吉林", 220000, PII_GAZ_PROVINCE, true, true, 0}, /* 吉林省 cut short */
};

PII_TABLE_TEST(struct gaz_case, c, matches, gazetteer, matches)
{
    (void)row;
    pii_gaz_hit hit;

    memset(&hit, 0xAB, sizeof hit);
    cr_assert(match_n(c->text, strlen(c->text), c->within, &hit), "%s: no match", c->text);
    cr_assert_eq(hit.len, strlen(c->name), "%s: len %zu, want %zu (%s)", c->text, hit.len,
                 strlen(c->name), c->name);
    cr_assert_eq(hit.code, c->code, "%s: code %u, want %u", c->text, (unsigned)hit.code,
                 (unsigned)c->code);
    cr_assert_eq(hit.level, c->level, "%s: level %u", c->text, (unsigned)hit.level);
    cr_assert_eq(hit.short_form, c->short_form, "%s: short_form %d", c->text, hit.short_form);
    cr_assert_eq(hit.ambiguous, c->ambiguous, "%s: ambiguous %d", c->text, hit.ambiguous);
}

/* ------------------------------------------------------------------------ */
/* misses                                                                   */
/* ------------------------------------------------------------------------ */

struct gaz_miss {
    char text[64];
    size_t n; /* bytes of text to pass; 0 = strlen */
};

static struct gaz_miss misses[] = {
    /* stop-listed names, full (城区 140302) and short (中心, 新区 guard words) */
    {"城区", 0},
    {"新区", 0},
    {"中心", 0},
    {"郊区", 0},
    {"矿区", 0},
    {"和县", 0},
    {"市中", 0},
    /* everyday words that are short forms of real divisions */
    {"比如说", 0},   /* 比如县 */
    {"商城订单", 0}, /* 商城县 */
    {"安康", 0},     /* 安康市 */
    {"新会员", 0},   /* 新会区 */
    {"开封后", 0},   /* 开封市 */
    {"小店", 0},     /* 小店区 */
    {"平安", 0},     /* 平安区 */
    {"东方", 0},     /* 东方市 */
    {"白银会员", 0}, /* 白银市 */
    {"阿里巴巴", 0}, /* 阿里地区 */
    /* names of peoples are no short forms */
    {"鄂伦春族", 0},
    {"鄂温克族", 0},
    /* ordinary text, ASCII, empty */
    {"的", 0},
    {"你好", 0},
    {"我们", 0},
    {"Beijing", 0},
    {"", 0},
    /* truncated UTF-8: the first byte(s) of 广西 only */
    {"广西", 1},
    {"广西", 2},
    {"广西", 3},
    {"广西", 4},
    {"广西", 5},
    /* malformed: bad continuation byte */
    {"\xe5\xb9\x41\xe8\xa5\xbf", 0},
};

PII_TABLE_TEST(struct gaz_miss, m, misses, gazetteer, misses)
{
    (void)row;
    size_t n = m->n ? m->n : strlen(m->text);
    pii_gaz_hit hit = {0};

    cr_assert_not(match_n(m->text, n, 0, &hit), "'%s' (%zu bytes) matched %zu bytes, code %u",
                  m->text, n, hit.len, (unsigned)hit.code);
}

Test(gazetteer, full_name_matches_when_whole)
{
    pii_gaz_hit hit;

    /* the stop list blocks 安康 but not 安康市 */
    cr_assert(match_n("安康市汉滨区", strlen("安康市汉滨区"), 0, &hit));
    cr_assert_eq(hit.code, 610900);
    cr_assert_eq(hit.len, strlen("安康市"));
    cr_assert_not(hit.short_form);
}

Test(gazetteer, successive_hits_in_an_address)
{
    const char *s = "北京市朝阳区建国路88号";
    size_t n = strlen(s);
    uint8_t *p = exact_copy(s, n);
    pii_gaz_hit a;
    pii_gaz_hit b;

    cr_assert(pii_gazetteer_match(p, n, &a));
    cr_assert_eq(a.len, strlen("北京市"));
    cr_assert_eq(a.code, 110000);
    cr_assert_eq(a.level, PII_GAZ_PROVINCE);
    cr_assert_not(a.short_form);
    cr_assert(pii_gazetteer_match(p + a.len, n - a.len, &b));
    cr_assert_eq(b.len, strlen("朝阳区"));
    cr_assert_eq(b.code, 110105);
    cr_assert_eq(b.level, PII_GAZ_COUNTY);
    cr_assert(b.ambiguous);
    cr_assert(pii_gazetteer_match_in(p + a.len, n - a.len, a.code, &b));
    cr_assert_eq(b.code, 110105);
    cr_assert_not(b.ambiguous);
    cr_assert_not(pii_gazetteer_match(p + a.len + b.len, n - a.len - b.len, &b)); /* 建国路 */
    free(p);
}

/* ------------------------------------------------------------------------ */
/* may_start                                                                */
/* ------------------------------------------------------------------------ */

Test(gazetteer, may_start)
{
    cr_assert(may_start_n("广", 3));
    cr_assert(may_start_n("广西", 6));
    cr_assert(may_start_n("北", 3));
    cr_assert(may_start_n("黔", 3));
    cr_assert(may_start_n("鹰", 3));
    cr_assert_not(may_start_n("的", 3));
    cr_assert_not(may_start_n("你", 3));
    cr_assert_not(may_start_n("好", 3));
    cr_assert_not(may_start_n("我", 3));
    cr_assert_not(may_start_n("a", 1));
    cr_assert_not(may_start_n("", 0));
    cr_assert_not(may_start_n("广", 1)); /* truncated */
    cr_assert_not(may_start_n("广", 2));
    cr_assert_not(may_start_n("\xe5\xb9\x41", 3));     /* bad continuation */
    cr_assert_not(may_start_n("\xf0\x9f\x98\x80", 4)); /* 4-byte character */
    cr_assert_not(may_start_n("\xef\xbf\xbf", 3));     /* U+FFFF, past the bitmap */
    cr_assert_not(may_start_n("\xe0\xa0\x80", 3));     /* U+0800, before it */
}

/* No name is a single character, and may_start accepts the first character
 * of every division name that is in the gazetteer. */
Test(gazetteer, may_start_agrees_with_match)
{
    for (uint32_t cp = 0x4E00; cp <= 0x9FFF; cp++) {
        char s[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                     (char)(0x80 | (cp & 0x3F))};
        uint8_t *p = exact_copy(s, 3);
        pii_gaz_hit hit;

        /* no name is one character long */
        cr_assert_not(pii_gazetteer_match(p, 3, &hit), "U+%04X matched alone", (unsigned)cp);
        free(p);
    }
    for (uint32_t code = 110000; code < 830000; code++) {
        const char *name = pii_gazetteer_name(code);

        if (name != NULL && !is_stop_listed(name)) {
            cr_assert(may_start_n(name, strlen(name)), "%u %s", (unsigned)code, name);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* parent / name / level                                                    */
/* ------------------------------------------------------------------------ */

Test(gazetteer, parent)
{
    cr_assert_eq(pii_gazetteer_parent(440305), 440300); /* 南山区 -> 深圳市 */
    cr_assert_eq(pii_gazetteer_parent(440300), 440000); /* 深圳市 -> 广东省 */
    cr_assert_eq(pii_gazetteer_parent(440000), 0);
    cr_assert_eq(pii_gazetteer_parent(110105), 110000); /* municipality district */
    cr_assert_eq(pii_gazetteer_parent(429004), 420000); /* 仙桃市, under the province */
    cr_assert_eq(pii_gazetteer_parent(130171), 130100); /* NBS zone */
    cr_assert_eq(pii_gazetteer_parent(232761), 232700); /* 加格达奇区 (NBS) */
    cr_assert_eq(pii_gazetteer_parent(441900), 440000); /* 东莞市 */
    cr_assert_eq(pii_gazetteer_parent(440399), 0);      /* unknown */
    cr_assert_eq(pii_gazetteer_parent(0), 0);
    cr_assert_eq(pii_gazetteer_parent(830000), 0);
}

Test(gazetteer, name)
{
    cr_assert_str_eq(pii_gazetteer_name(440305), "南山区");
    cr_assert_str_eq(pii_gazetteer_name(110000), "北京市");
    cr_assert_str_eq(pii_gazetteer_name(820000), "澳门特别行政区");
    cr_assert_str_eq(pii_gazetteer_name(522600), "黔东南苗族侗族自治州");
    cr_assert_str_eq(pii_gazetteer_name(140302), "城区"); /* stop-listed, still named */
    cr_assert_str_eq(pii_gazetteer_name(320576), "苏州工业园区");
    cr_assert_str_eq(pii_gazetteer_name(659012), "白杨市");
    cr_assert_null(pii_gazetteer_name(0));
    cr_assert_null(pii_gazetteer_name(440399));
    cr_assert_null(pii_gazetteer_name(830000));
    cr_assert_null(pii_gazetteer_name(999999));
}

Test(gazetteer, level)
{
    cr_assert_eq(pii_gazetteer_level(440000), PII_GAZ_PROVINCE);
    cr_assert_eq(pii_gazetteer_level(440300), PII_GAZ_CITY);
    cr_assert_eq(pii_gazetteer_level(440305), PII_GAZ_COUNTY);
    cr_assert_eq(pii_gazetteer_level(320576), PII_GAZ_COUNTY);
    cr_assert_eq(pii_gazetteer_level(999999), 0);
}

/* ------------------------------------------------------------------------ */
/* sweeps                                                                   */
/* ------------------------------------------------------------------------ */

/* Every known division: its parent is known and one level up (two for none:
 * county -> province happens for municipality districts), and its full name
 * matches in full, as a full name, and maps back to a division with that
 * name - unless the name is stop-listed. */
Test(gazetteer, every_division_matches_its_name)
{
    size_t known = 0;

    for (uint32_t code = 110000; code < 830000; code++) {
        const char *name = pii_gazetteer_name(code);
        uint8_t level = pii_gazetteer_level(code);
        uint32_t parent = pii_gazetteer_parent(code);
        pii_gaz_hit hit;

        if (name == NULL) {
            cr_assert_eq(level, 0);
            continue;
        }
        known++;
        cr_assert(level >= PII_GAZ_PROVINCE && level <= PII_GAZ_COUNTY, "%u", (unsigned)code);
        if (level == PII_GAZ_PROVINCE) {
            cr_assert_eq(parent, 0);
            cr_assert_eq(code % 10000, 0);
        } else {
            cr_assert_not_null(pii_gazetteer_name(parent), "%u parent %u", (unsigned)code,
                               (unsigned)parent);
            cr_assert_lt(pii_gazetteer_level(parent), level);
        }
        if (is_stop_listed(name)) {
            cr_assert_not(match_n(name, strlen(name), 0, &hit), "%s", name);
            continue;
        }
        cr_assert(match_n(name, strlen(name), 0, &hit), "%u %s: no match", (unsigned)code, name);
        cr_assert_eq(hit.len, strlen(name), "%u %s: len %zu", (unsigned)code, name, hit.len);
        cr_assert_not(hit.short_form, "%u %s", (unsigned)code, name);
        cr_assert_str_eq(pii_gazetteer_name(hit.code), name);
        if (!hit.ambiguous) {
            cr_assert_eq(hit.code, code, "%s: %u", name, (unsigned)hit.code);
        }
        /* resolving under the parent finds this very division, unless the
         * parent has two of that name (三元区 350403 / 350404, the 2021 and
         * the 2023 code) */
        if (parent != 0) {
            cr_assert(match_n(name, strlen(name), parent, &hit));
            cr_assert_eq(pii_gazetteer_parent(hit.code) == parent ||
                             pii_gazetteer_parent(pii_gazetteer_parent(hit.code)) == parent,
                         true, "%s under %u: %u", name, (unsigned)parent, (unsigned)hit.code);
            if (!hit.ambiguous) {
                cr_assert_eq(hit.code, code, "%s under %u: %u", name, (unsigned)parent,
                             (unsigned)hit.code);
            }
        }
    }
    cr_assert_eq(known, 3361); /* unique codes of data/regions */
}

/* Every offset of an address-like buffer, with every remaining length, in
 * exactly-sized copies: no over-read (ASan), and a hit never exceeds n. */
Test(gazetteer, every_offset_every_length)
{
    const char *s = "收货地址：广西壮族自治区南宁市青秀区民族大道100号，"
                    "黔东南苗族侗族自治州凯里市，深圳南山科技园 abc \xe5\xb9";
    size_t total = strlen(s);
    size_t hits = 0;

    for (size_t off = 0; off < total; off++) {
        for (size_t n = 0; n <= total - off; n++) {
            uint8_t *p = exact_copy(s + off, n);
            pii_gaz_hit hit;

            if (pii_gazetteer_match(p, n, &hit)) {
                cr_assert_leq(hit.len, n);
                cr_assert(pii_gazetteer_may_start(p, n));
                hits++;
            }
            (void)pii_gazetteer_match_in(p, n, 450000, &hit);
            free(p);
        }
    }
    cr_assert_gt(hits, 0);
}

/* pii_gazetteer_names / name_at list what the matcher knows: every listed
 * name matches where it stands, whole, and may start there. */
Test(gazetteer, listed_names_match_themselves)
{
    size_t n = pii_gazetteer_names();
    cr_assert_gt(n, 3000);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const uint8_t *p = pii_gazetteer_name_at(i, &len);
        cr_assert_geq(len, 6, "name %zu is shorter than two characters", i);
        pii_gaz_hit h;
        cr_assert(pii_gazetteer_may_start(p, len), "name %zu: may_start", i);
        cr_assert(pii_gazetteer_match(p, len, &h), "name %zu: no match", i);
        cr_assert_eq(h.len, len, "name %zu (%.*s): matched %zu bytes", i, (int)len, p, h.len);
    }
}
