/*
 * test_scanner.c - candidate extraction: which spans the scanner reports
 * for which surface forms, and which look-alikes it leaves alone.
 */
#include <criterion/criterion.h>
#include "table_test.h"
#include <stdio.h>
#include <string.h>

#include "detect/detect.h"
#include "engine/engine_internal.h"

/* Every built-in detector, compiled as the engine does it. */
static pii_def_list defs;
static pii_detect_cfg all_cfg;
static pii_scan_ws ws;

static void setup(void)
{
    cr_assert_eq(pii_builtin_defs(&defs, NULL), PII_OK);
    bool *en = calloc(defs.len, sizeof(bool));
    for (size_t i = 0; i < defs.len; i++)
        en[i] = true;
    cr_assert_eq(pii_detect_cfg_build(&all_cfg, defs.v, en, defs.len, NULL), PII_OK);
    free(en);
    all_cfg.today = 20261129;
    all_cfg.min_confidence = 50;
    cr_assert_eq(pii_scan_ws_init(&ws), PII_OK);
}

static void teardown(void)
{
    pii_scan_ws_free(&ws);
    pii_detect_cfg_free(&all_cfg);
    pii_def_list_free(&defs);
}

TestSuite(scanner, .init = setup, .fini = teardown);
TestSuite(resolve);

/* The detector id of a finding. */
static const char *type_of(const pii_finding *f)
{
    return all_cfg.det[f->det].def->id;
}

/* Scan s and return the number of findings; copies them into out. */
static size_t scan(const char *s, unsigned flags, pii_finding *out, size_t max)
{
    pii_findings f = {0};
    size_t n = strlen(s);
    /* exact-size heap copy: ASan catches any read past the end */
    uint8_t *buf = malloc(n ? n : 1);
    memcpy(buf, s, n);
    cr_assert_eq(pii_detect_scan(&all_cfg, &ws, buf, n, 0, flags, &f), PII_OK);
    size_t k = f.len < max ? f.len : max;
    if (k > 0)
        memcpy(out, f.v, k * sizeof(*out));
    size_t len = f.len;
    pii_findings_free(&f);
    free(buf);
    return len;
}

struct hit {
    char text[96];
    char value[64]; /* exact substring expected as the single finding */
    char type[16];
};

static struct hit hits[] = {
    {"tel 13812345678 ok", "13812345678", "cn_mobile"},
    {"电话13812345678谢谢", "13812345678", "cn_mobile"},
    {"call 138 1234 5678.", "138 1234 5678", "cn_mobile"},
    {"call 138-1234-5678,", "138-1234-5678", "cn_mobile"},
    /* groups of four before it do not make a mobile part of a card */
    {"ref 8234-5678 13812345678 ok", "13812345678", "cn_mobile"},
    {"ref 8234 5678 1234 13812345678", "13812345678", "cn_mobile"},
    {"+86 138 1234 5678", "+86 138 1234 5678", "cn_mobile"},
    {"+86-13812345678", "+86-13812345678", "cn_mobile"},
    {"+8613812345678", "+8613812345678", "cn_mobile"},
    {"0086 13812345678", "0086 13812345678", "cn_mobile"},
    {"86-13812345678", "86-13812345678", "cn_mobile"},
    {"手机：１３８１２３４５６７８", "１３８１２３４５６７８", "cn_mobile"},
    {"138\xe2\x80\x8b" "1234\xe2\x80\x8b" "5678", "138\xe2\x80\x8b" "1234\xe2\x80\x8b" "5678",
     "cn_mobile"},
    {"138\xe3\x80\x80" "1234\xe3\x80\x80" "5678", "138\xe3\x80\x80" "1234\xe3\x80\x80" "5678",
     "cn_mobile"},
    {"id 11010519491231002X.", "11010519491231002X", "cn_id"},
    {"身份证11010519491231002x号", "11010519491231002x", "cn_id"},
    {"id 110105 19491231 002X", "110105 19491231 002X", "cn_id"},
    {"old 110105491231002 card", "110105491231002", "cn_id"},
    {"card 4242424242424242", "4242424242424242", "bank_card"},
    {"卡号6222 0212 3456 7894。", "6222 0212 3456 7894", "bank_card"},
    {"amex 3782-822463-10005", "3782-822463-10005", "bank_card"},
    {"cn 6205500000000000004 x", "6205500000000000004", "bank_card"},
    {"mail zhang.san@example.com.", "zhang.san@example.com", "email"},
    {"邮箱li_si+tag@mail.example.cn谢谢", "li_si+tag@mail.example.cn", "email"},
    {"from 121.249.194.98 - -", "121.249.194.98", "ipv4"},
    {"ip=10.0.0.1:8080", "10.0.0.1", "ipv4"},
    {"+13812345678", "+13812345678", "intl_phone"}, /* +1 381: NANP, not a CN mobile */
};

PII_TABLE_TEST(struct hit, h, hits, scanner, finds)
{
    (void)row;
    pii_finding f[4];
    size_t n = scan(h->text, 0, f, 4);
    cr_assert_eq(n, 1, "%s: %zu findings", h->text, n);
    const char *at = strstr(h->text, h->value);
    cr_assert_not_null(at);
    cr_assert_eq(f[0].start, (size_t)(at - h->text), "%s: start %zu", h->text, f[0].start);
    cr_assert_eq(f[0].end, f[0].start + strlen(h->value), "%s: end %zu", h->text, f[0].end);
    cr_assert_str_eq(type_of(&f[0]), h->type, "%s: type %s", h->text, type_of(&f[0]));
}

/* Look-alikes that must not be reported. */
struct miss {
    char text[64];
};

static struct miss misses[] = {
    {"order 202503212154028610 shipped"},       /* 18-digit order number */
    {"epoch 1773815077029 ms"},                 /* epoch millis */
    {"ts 20260129130501"},                      /* 14-digit timestamp */
    {"member 12364950416"},                     /* 11 digits, unallocated prefix */
    {"embedded 9913812345678012"},              /* phone inside a longer run */
    {"sku R13812345678"},                       /* glued to a letter */
    {"hash 3b499e91013812345678e9868e251db5"},  /* inside a hex string */
    {"amount 13812345678.50"},                  /* decimal number */
    {"id 110105194912310021"},                  /* wrong check character */
    {"id 310104199002301232"},                  /* 1990-02-30 */
    {"id 440305208512314568"},                  /* born in the future */
    {"card 4242424242424241"},                  /* Luhn fails */
    {"txn 7098735561127331"},                   /* Luhn-valid? unknown issuer 7 */
    {"version 10.0.19045"},                     /* three parts */
    {"chrome 120.0.6099.109"},                  /* octet > 255 */
    {"ip 256.1.1.1"},                           /* octet > 255 */
    {"ip 1.2.3.4.5"},                           /* five parts */
    {"ip 01.02.03.04"},                         /* leading zeros */
    {"not@mail"},                               /* no dot in domain */
    {"a@b.c1"},                                 /* numeric TLD */
    {"date 2026-11-29 13:05:01 800 12"},        /* dates and times */
    {"service 95588 and 10086"},
    {"dims 1920x1080"},
    {"host\xe5\x85::\xd8\xf5"},                 /* "::" alone names no host */
    {"a :: b"},
};

PII_TABLE_TEST(struct miss, m, misses, scanner, ignores)
{
    (void)row;
    pii_finding f[4];
    size_t n = scan(m->text, 0, f, 4);
    cr_assert_eq(n, 0, "'%s' gave %zu findings (first at %zu..%zu type %s)", m->text, n,
                 n ? f[0].start : 0, n ? f[0].end : 0, n ? type_of(&f[0]) : "-");
}

Test(scanner, several_in_one_line_in_order)
{
    pii_finding f[8];
    const char *s = "a 13812345678, b 11010519491231002X, c 4242424242424242, d x@y.cn, e 1.2.3.4";
    size_t n = scan(s, 0, f, 8);
    cr_assert_eq(n, 5);
    const char *want[] = {"cn_mobile", "cn_id", "bank_card", "email", "ipv4"};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_str_eq(type_of(&f[i]), want[i]);
        if (i > 0)
            cr_assert_gt(f[i].start, f[i - 1].end);
    }
}

Test(scanner, email_wins_over_phone_in_local_part)
{
    pii_finding f[4];
    size_t n = scan("x 13812345678@qq.com y", 0, f, 4);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(type_of(&f[0]), "email");
    cr_assert_eq(f[0].start, 2);
    cr_assert_eq(f[0].end, 20);
}

Test(scanner, separated_dates_do_not_fuse_with_phone)
{
    pii_finding f[4];
    const char *s = "2026-11-29 13812345678";
    size_t n = scan(s, 0, f, 4);
    cr_assert_eq(n, 1);
    cr_assert_eq(f[0].start, 11);
    cr_assert_str_eq(type_of(&f[0]), "cn_mobile");
}

/* regress: an IPv4 address one separator after another number was swallowed
 * into the number's chain and skipped as a word (helper CLI tests, issue 2) */
Test(scanner, regress_ipv4_after_number_and_separator)
{
    pii_finding f[4];
    const char *s = "2024-05-06 12:30:01 121.249.194.98 GET /";
    size_t n = scan(s, 0, f, 4);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(type_of(&f[0]), "ipv4");
    cr_assert_eq(f[0].start, 20);
    cr_assert_eq(scan("10 121.249.194.98", 0, f, 4), 1);
    cr_assert_eq(scan("10-121.249.194.98", 0, f, 4), 1);
    n = scan("13812345678 121.249.194.98", 0, f, 4);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(type_of(&f[1]), "ipv4");
    /* a word after the separator still ends the number cleanly */
    n = scan("13812345678 9abc", 0, f, 4);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(type_of(&f[0]), "cn_mobile");
}

/* regress: a whole number in brackets after another number was joined to
 * that number's chain as a bracketed "area code" and never examined alone */
Test(scanner, regress_bracketed_number_after_number)
{
    pii_finding f[4];
    cr_assert_eq(scan("13812345678 (13812345678)", 0, f, 4), 2);
    cr_assert_eq(scan("138 1234 5678 (13912345678)", 0, f, 4), 2);
    cr_assert_eq(scan("x （13812345678） y", 0, f, 4), 1);
    cr_assert_eq(scan("电话 (0755) 8888 6666", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "cn_landline");
}

/* regress (fuzz_scanner): a bracketed group that touches a group glued to a
 * word is not the end of a number: "+381 1234(0755)" was reported although
 * "(0755)" runs straight into "8888abc" */
Test(scanner, regress_paren_group_touching_word)
{
    pii_finding f[4];
    cr_assert_eq(scan("+381 1234(0755)8888abc", 0, f, 4), 0);
    cr_assert_eq(scan("+381 1234(0755)8888 abc", 0, f, 4), 1);
}

/* regress (fuzz_scanner): a bracket glued after a number opens the next
 * number, it does not join the one before it. "(0755)8888" is one number;
 * "87654321(0755)" is a number and then another, and the number before the
 * bracket was left in clear */
Test(scanner, regress_bracket_glued_after_number)
{
    pii_finding f[4];
    cr_assert_eq(scan("010 87654321(0755) x", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "cn_landline");
    cr_assert_eq(f[0].start, 0);
    cr_assert_eq(f[0].end, 12);
    cr_assert_eq(scan("+381 010 87654321(0755) x", 0, f, 4), 1);
    cr_assert_eq(scan("tel 13812345678(2) x", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "cn_mobile");
    cr_assert_eq(f[0].end, 15);
    /* a bracketed area code still binds to the digits after it */
    cr_assert_eq(scan("tel (0755)88886666 x", 0, f, 4), 1);
    cr_assert_eq(f[0].start, 4);
    cr_assert_eq(f[0].end, 18);
}

/* regress (fuzz_scanner): the last group of a number chain that opens a
 * street address is its house number. "0031 5 1 1 1 78 Cedar Ave, ..."
 * was read as one long international number, the address after it left in
 * clear; joined to the line before, that also hid the number after it */
Test(scanner, regress_house_number_ends_a_chain)
{
    pii_finding f[4];
    const char *s = "ref 0031 5 1 1 1 78 Cedar Ave, Boston, MA 02167 ok";
    size_t n = scan(s, 0, f, 4);
    cr_assert_geq(n, 1);
    cr_assert_str_eq(type_of(&f[n - 1]), "us_address");
    cr_assert_eq(f[n - 1].start, strlen("ref 0031 5 1 1 1 "));
    /* the number before it is still looked at on its own */
    n = scan("call 13812345678 12 Main Street, Boston, MA 02167 ok", 0, f, 4);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(type_of(&f[0]), "cn_mobile");
    cr_assert_str_eq(type_of(&f[1]), "us_address");
}

/* A ZIP code ends where its digits do: "MA 021671" has no ZIP, so the
 * address ends at its unit, not inside a longer number (found by
 * fuzz_scanner's line-joining check: the address took "MA 02167" and left
 * the glued "1" to start a number of its own). ZIP+4 stays whole. */
Test(scanner, zip_code_is_not_cut_from_a_longer_number)
{
    pii_finding f[4];
    const char *s = "to 4 Cedar Ave, Apt 4, Boston, MA 021671 ok";
    cr_assert_eq(scan(s, 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "us_address");
    cr_assert_eq(f[0].end, strlen("to 4 Cedar Ave, Apt 4"));
    s = "to 4 Cedar Ave, Apt 4, Boston, MA 02167-12345 ok";
    cr_assert_eq(scan(s, 0, f, 4), 1);
    cr_assert_eq(f[0].end, strlen("to 4 Cedar Ave, Apt 4, Boston, MA 02167"));
    s = "to 4 Cedar Ave, Apt 4, Boston, MA 02167-1234 ok";
    cr_assert_eq(scan(s, 0, f, 4), 1);
    cr_assert_eq(f[0].end, strlen("to 4 Cedar Ave, Apt 4, Boston, MA 02167-1234"));
}

/* regress (fuzz_records): an empty CSV cell that was never decoded reaches
 * the scanner as (NULL, 0) */
Test(scanner, regress_empty_buffer_may_be_null)
{
    pii_findings f = {0};
    cr_assert_eq(pii_detect_scan(&all_cfg, &ws, NULL, 0, 0, 0, &f), PII_OK);
    cr_assert_eq(f.len, 0);
    pii_findings_free(&f);
}

/* the cheap pre-checks in front of the IPv6 validator and the US address
 * regex must not lose a value (they only skip what cannot match) */
Test(scanner, prechecks_keep_real_values)
{
    pii_finding f[4];
    cr_assert_eq(scan("at 23:53:26.189Z ok", 0, f, 4), 0);
    cr_assert_eq(scan("from 2001:db8:0:0:1:0:0:1 ok", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "ipv6");
    cr_assert_eq(scan("from ::ffff:c000:0280 ok", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "ipv6");
    cr_assert_eq(scan("from 1:2:3:4:5:6:1.2.3.4 ok", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "ipv6");
    cr_assert_eq(scan("ship to 1600 5th Ave, New York, NY 10001 now", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "us_address");
    cr_assert_eq(scan("ship to 22 North Main Street now", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "us_address");
    cr_assert_eq(scan("\"GET / HTTP/1.1\" 401 84985 \"-\"", 0, f, 4), 0);
}

Test(scanner, never_crosses_newline)
{
    pii_finding f[4];
    cr_assert_eq(scan("138\n12345678", 0, f, 4), 0);
    cr_assert_eq(scan("zhang@\nexample.com", 0, f, 4), 0);
    /* two street checks on one line share where it ends; the address on
     * the next line is read up to its own end */
    const char *s = "a 12 Xy 4778 Cedar\nAve now\n4778 Cedar Ave, Boston";
    cr_assert_eq(scan(s, 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "us_address");
    cr_assert_eq(f[0].start, strlen("a 12 Xy 4778 Cedar\nAve now\n"));
}

/* The street checks of a line share one search for its end (4 KiB at a
 * time): on a line longer than that, with a check every 5 bytes before
 * it, an address is still read whole wherever it falls against those
 * searches - across the end of one included. */
Test(scanner, street_checks_on_a_long_line)
{
    size_t unit = strlen("9 Ab "), tail = strlen("4778 Cedar Ave, Boston\nAve");
    size_t reps_set[] = {790, 800, 805, 810, 815, 817, 818, 819, 820, 825, 2000};
    for (size_t k = 0; k < sizeof(reps_set) / sizeof(reps_set[0]); k++) {
        size_t reps = reps_set[k];
        char *s = malloc(reps * unit + tail + 1);
        for (size_t r = 0; r < reps; r++)
            memcpy(s + r * unit, "9 Ab ", unit);
        memcpy(s + reps * unit, "4778 Cedar Ave, Boston\nAve", tail + 1);
        pii_findings fs = {0};
        cr_assert_eq(pii_detect_scan(&all_cfg, &ws, (const uint8_t *)s, strlen(s), 0, 0, &fs),
                     PII_OK);
        cr_assert_eq(fs.len, 1, "%zu repeats", reps);
        cr_assert_eq(fs.v[0].start, reps * unit);
        cr_assert_eq(fs.v[0].end, reps * unit + strlen("4778 Cedar Ave")); /* no state, ZIP */
        pii_findings_free(&fs);
        free(s);
    }
}

Test(scanner, open_edges_reject_cut_candidates)
{
    pii_finding f[4];
    /* a number touching an open edge may continue beyond it */
    cr_assert_eq(scan("13812345678", PII_SCAN_LEFT_OPEN, f, 4), 0);
    cr_assert_eq(scan("x 13812345678", PII_SCAN_RIGHT_OPEN, f, 4), 0);
    cr_assert_eq(scan("x 13812345678 ", PII_SCAN_RIGHT_OPEN | PII_SCAN_LEFT_OPEN, f, 4), 1);
}

Test(scanner, from_skips_earlier_findings_but_uses_context)
{
    pii_findings fs = {0};
    const char *s = "13812345678 13912345678";
    cr_assert_eq(pii_detect_scan(&all_cfg, &ws, (const uint8_t *)s, strlen(s), 5, 0, &fs), PII_OK);
    cr_assert_eq(fs.len, 1);
    cr_assert_eq(fs.v[0].start, 12);
    /* `from` inside a digit run: the run's start is before `from`, so nothing */
    cr_assert_eq(pii_detect_scan(&all_cfg, &ws, (const uint8_t *)s, strlen(s), 14, 0, &fs), PII_OK);
    cr_assert_eq(fs.len, 0);
    pii_findings_free(&fs);
}

Test(scanner, disabled_types_are_not_reported)
{
    bool *en = calloc(defs.len, sizeof(bool));
    for (size_t i = 0; i < defs.len; i++)
        en[i] = strcmp(defs.v[i].id, "email") == 0;
    pii_detect_cfg cfg;
    cr_assert_eq(pii_detect_cfg_build(&cfg, defs.v, en, defs.len, NULL), PII_OK);
    cfg.today = 20261129;
    cfg.min_confidence = 50;
    pii_findings fs = {0};
    const char *s = "13812345678 a@b.cn";
    cr_assert_eq(pii_detect_scan(&cfg, &ws, (const uint8_t *)s, strlen(s), 0, 0, &fs), PII_OK);
    cr_assert_eq(fs.len, 1);
    cr_assert_str_eq(cfg.det[fs.v[0].det].def->id, "email");
    pii_findings_free(&fs);
    pii_detect_cfg_free(&cfg);
    free(en);
}

Test(scanner, nul_and_invalid_utf8_do_not_stop_detection)
{
    const char s[] = "\xff\xfe" "13812345678\0" "4242424242424242\x80";
    pii_findings fs = {0};
    cr_assert_eq(pii_detect_scan(&all_cfg, &ws, (const uint8_t *)s, sizeof(s) - 1, 0, 0, &fs),
                 PII_OK);
    cr_assert_eq(fs.len, 2);
    cr_assert_eq(fs.v[0].start, 2);
    cr_assert_eq(fs.v[1].start, 14);
    pii_findings_free(&fs);
}

Test(resolve, longer_then_priority_then_earlier)
{
    pii_findings f = {0};
    f.alloc = 8;
    f.v = calloc(8, sizeof(pii_finding));
    f.v[0] = (pii_finding){.start = 10, .end = 20, .det = 1, .priority = 70};
    f.v[1] = (pii_finding){.start = 5, .end = 25, .det = 2, .priority = 60};
    f.v[2] = (pii_finding){.start = 30, .end = 40, .det = 3, .priority = 50};
    f.v[3] = (pii_finding){.start = 30, .end = 40, .det = 4, .priority = 90};
    f.v[4] = (pii_finding){.start = 50, .end = 60, .det = 3, .priority = 50};
    f.v[5] = (pii_finding){.start = 55, .end = 65, .det = 3, .priority = 50};
    f.len = 6;
    pii_detect_resolve(&f);
    cr_assert_eq(f.len, 3);
    cr_assert_eq(f.v[0].det, 2);
    cr_assert_eq(f.v[1].det, 4);
    cr_assert_eq(f.v[2].start, 50);
    pii_findings_free(&f);
}

/* ---- shortcuts --------------------------------------------------------------- */

/* The scanner's shortcuts (the digit-run fast path, the first-byte filter
 * of shapes) must change nothing: on many random strings built from the
 * pieces numbers, addresses and words are made of, every finding with the
 * shortcuts equals every finding without them (PII_SCAN_NO_SHORTCUT). */
static const char *const pieces[] = {
    "0", "1", "7", "9", "12", "86", "138", "0755", "2024", "00", "123456", "1234567",
    "13812345678", "11010519491231002X", "110105194912310029", "6222021234567890123",
    "4111111111111111", "4111 1111 1111 1111", "078-05-1120", "192.168.1.10", "8.8.8.8",
    " ", " ", " ", "-", "-", ".", ":", "::", ",", "(", ")", "+", "X", "x", "ab", "_", "/",
    "=", "\n", "abc", "F", "Cedar Ave", "Main Street", "5th", " Mobile", "@", "a@b.cn",
    "(0755)", "(010)", "8888 6666", "+44 (0)20", "1::", "2001:db8::1", "fe80",
    "\xc2\xa0",                                 /* NBSP */
    "\xe2\x80\x8b",                             /* zero-width space */
    "\xe3\x80\x80",                             /* ideographic space */
    "\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98",     /* full-width 138 */
    "\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98", /* full-width 5678 */
    "\xef\xbc\x88", "\xef\xbc\x89",             /* full-width brackets */
    "\xe2\x80\x94",                             /* em dash */
    "\xef\xbd\x98",                             /* full-width x */
    "电话", "北京市朝阳区", "号", "\xff", "建国路88号", "收货地址：", "姓名：张伟", "收件人",
    "王芳", "A123456(3)", "AB987654(3)", "F131104093", "DE89 3704 0044 0532 0130 00", "AB",
    "HTTP", " lorem ipsum dolor sit amet, consectetur ",
    "INFO", "getUserById", "ABC", "B7", "\xef\xbc\xa4", /* full-width D */
    /* the innocent numbers of logs, whose runs the block masks pass over */
    "37.66", "rt=0.005", "12:34:56", "2025-03-19 00:00:00,015", " ok", "200 OK", "v1.2",
};

static uint64_t xs_state = 0x9E3779B97F4A7C15ull;
static uint64_t xs_next(void)
{
    xs_state ^= xs_state << 13;
    xs_state ^= xs_state >> 7;
    xs_state ^= xs_state << 17;
    return xs_state;
}

/* 1 to `most` random pieces, in an exact-size heap buffer (ASan sees any
 * read past its end); *n := its length. */
static uint8_t *random_pieces_upto(size_t *n, int most)
{
    char s[4096];
    size_t len = 0;
    int k = 1 + (int)(xs_next() % (unsigned)most);
    for (int j = 0; j < k; j++) {
        const char *p = pieces[xs_next() % (sizeof(pieces) / sizeof(pieces[0]))];
        size_t l = strlen(p);
        memcpy(s + len, p, l);
        len += l;
    }
    uint8_t *buf = malloc(len ? len : 1);
    memcpy(buf, s, len);
    *n = len;
    return buf;
}

static uint8_t *random_pieces(size_t *n)
{
    return random_pieces_upto(n, 14);
}

/* Scan buf both ways with cfg; assert equal findings; return how many. */
static size_t same_both_ways_cfg(const pii_detect_cfg *cfg, const uint8_t *buf, size_t n,
                                 unsigned flags, pii_findings *a, pii_findings *b)
{
    cr_assert_eq(pii_detect_scan(cfg, &ws, buf, n, 0, flags, a), PII_OK);
    cr_assert_eq(pii_detect_scan(cfg, &ws, buf, n, 0, flags | PII_SCAN_NO_SHORTCUT, b), PII_OK);
    cr_assert_eq(a->len, b->len, "findings differ on \"%.*s\" (flags %u): %zu vs %zu", (int)n,
                 (const char *)buf, flags, a->len, b->len);
    for (size_t i = 0; i < a->len; i++) {
        cr_assert(a->v[i].start == b->v[i].start && a->v[i].end == b->v[i].end &&
                      a->v[i].det == b->v[i].det && a->v[i].confidence == b->v[i].confidence,
                  "finding %zu differs on \"%.*s\" (flags %u)", i, (int)n, (const char *)buf,
                  flags);
    }
    return a->len;
}

static size_t same_both_ways(const uint8_t *buf, size_t n, unsigned flags, pii_findings *a,
                             pii_findings *b)
{
    return same_both_ways_cfg(&all_cfg, buf, n, flags, a, b);
}

/* Chains the random strings rarely build. */
static const char *const shortcut_cases[] = {
    "call 138 \xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98 "
    "\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98 ok",
    "tel 12 (0755) 8888 6666 ok", "tel 12 (010)87654321 ok", "12 4778 Cedar Ave, Boston",
    "at 1::2 and 12 1::2", "from 12:34::5 ok", "id 11010519491231002X ok",
    "id 11010519491231002x.", "138\xe2\x80\x8b" "1234\xe2\x80\x8b" "5678", "+86 138 1234 5678",
    "tel 0755 8888\xe2\x80\x8b" "6666 ok", "tel 12 0755\xe2\x80\x8b" "88886666 ok",
    "call 138.0013.8000 now", "call +1.415.555.0132 now",
    "tel 13812345678\xef\xbd\x81 and 13912345678", "寄到北京市朝阳区建国路88号谢谢",
    "收货地址：朝阳区建国路88号", "姓名：张伟", "收件人王芳电话", "HKID A123456(3) ok",
    "id AB987654(3) ok", "IBAN DE89 3704 0044 0532 0130 00 ok", "tw F131104093 ok",
    /* a house number after a chain whose next group is glued to a word */
    "ref 010549 12 3rd Ave, Boston",
    /* a word of letters ends at its dot: the number after it is looked at */
    "ref ABC.13812345678 ok", "GET /SKU.13812345678 OrderService HTTP/1.1",
};

Test(scanner, shortcuts_change_nothing)
{
    pii_findings a = {0}, b = {0};
    size_t total = 0;
    for (size_t c = 0; c < sizeof(shortcut_cases) / sizeof(shortcut_cases[0]); c++) {
        size_t n = strlen(shortcut_cases[c]);
        uint8_t *buf = malloc(n);
        memcpy(buf, shortcut_cases[c], n);
        cr_assert_gt(same_both_ways(buf, n, 0, &a, &b), 0, "nothing found in \"%s\"",
                     shortcut_cases[c]);
        for (unsigned flags = 1; flags < 4; flags++)
            same_both_ways(buf, n, flags, &a, &b);
        free(buf);
    }
    for (int round = 0; round < 40000; round++) {
        size_t n;
        uint8_t *buf = random_pieces(&n);
        unsigned flags = (unsigned)(xs_next() % 4); /* the open-edge flags */
        total += same_both_ways(buf, n, flags, &a, &b);
        free(buf);
    }
    cr_assert_gt(total, 5000); /* the strings do hold values */
    /* and longer ones, over many 64-byte blocks, whose edges cut runs and
     * what follows them (the block masks, anchors.c) */
    for (int round = 0; round < 3000; round++) {
        size_t n;
        uint8_t *buf = random_pieces_upto(&n, 80);
        same_both_ways(buf, n, (unsigned)(xs_next() % 4), &a, &b);
        free(buf);
    }
    pii_findings_free(&a);
    pii_findings_free(&b);
}

/* With no detector that starts at a digit (here: e-mail, names, Chinese
 * addresses and the letter-led IDs), digits are no anchors; what the other
 * detectors find must not change, digits or not. */
Test(scanner, no_digit_anchors_without_digit_detectors)
{
    static const char *const on[] = {"email", "cn_name", "cn_address", "hk_id", "tw_id", "iban",
                                     "cn_passport"};
    bool *en = calloc(defs.len, sizeof(bool));
    size_t enabled = 0;
    for (size_t i = 0; i < defs.len; i++) {
        for (size_t k = 0; k < sizeof(on) / sizeof(on[0]); k++) {
            if (strcmp(defs.v[i].id, on[k]) == 0) {
                en[i] = true;
                enabled++;
            }
        }
    }
    cr_assert_eq(enabled, sizeof(on) / sizeof(on[0]));
    pii_detect_cfg cfg;
    cr_assert_eq(pii_detect_cfg_build(&cfg, defs.v, en, defs.len, NULL), PII_OK);
    free(en);
    cfg.today = 20261129;
    cfg.min_confidence = 50;
    pii_findings a = {0}, b = {0};
    size_t total = 0;
    for (size_t c = 0; c < sizeof(shortcut_cases) / sizeof(shortcut_cases[0]); c++) {
        size_t n = strlen(shortcut_cases[c]);
        uint8_t *buf = malloc(n);
        memcpy(buf, shortcut_cases[c], n);
        total += same_both_ways_cfg(&cfg, buf, n, 0, &a, &b);
        free(buf);
    }
    for (int round = 0; round < 20000; round++) {
        size_t n;
        uint8_t *buf = random_pieces(&n);
        total += same_both_ways_cfg(&cfg, buf, n, (unsigned)(xs_next() % 4), &a, &b);
        free(buf);
    }
    cr_assert_gt(total, 1000); /* the strings do hold values */
    pii_findings_free(&a);
    pii_findings_free(&b);
    pii_detect_cfg_free(&cfg);
}

/* A chain longer than MAX_GROUPS is cut and read on from an overlap; a
 * group there is still inside the chain, so "00" in it dials nowhere -
 * whether or not a newline happens to start the chain one group later. */
Test(scanner, cut_chain_continuation_starts_no_number)
{
    pii_finding f[4];
    size_t joined = scan("1 0 5 1 1 1 1 1 1 1 0031 5 1 1 0 1 1 2", 0, f, 4);
    size_t split = scan("1\n0 5 1 1 1 1 1 1 1 0031 5 1 1 0 1 1 2", 0, f, 4);
    cr_assert_eq(joined, 0);
    cr_assert_eq(split, 0);
}

/* A chain read on from the overlap of a cut one is not a number of its
 * own: that its groups happen to be fours (3704 6222 0212 ...) says nothing
 * of the whole chain, which starts with 1 2 3, so the card inside is found
 * whether three more groups make the chain long enough to cut or a newline
 * ends it first (found by fuzz_scanner's line-joining check). */
Test(scanner, cut_chain_continuation_is_no_chain_of_fours)
{
    pii_finding f[4];
    const char *head = "1 2 3 4 5 6 7 8 9 3704 ";
    const char *tails[] = {"6222 0212 3456 7894 0212 3456 78", "6222 0212 3456 7894\n0212 3456 78"};
    for (int k = 0; k < 2; k++) {
        char s[128];
        snprintf(s, sizeof s, "%s%s", head, tails[k]);
        cr_assert_eq(scan(s, 0, f, 4), 1, "%s", s);
        cr_assert_str_eq(type_of(&f[0]), "bank_card");
        cr_assert_eq(f[0].start, strlen(head));
        cr_assert_eq(f[0].end, strlen(head) + strlen("6222 0212 3456 7894"));
    }
}

/* The fast path passes over a chain none of whose sub-chains has a length
 * a digits detector takes from its first byte. Sub-chains are runs of
 * whole groups, from any group to any later one: a US SSN (9 digits) can
 * start inside a chain and end before its last group, while a date with
 * its hour (2025-03-19 00: 4, 6, 8 or 10 digits from its year) holds
 * none. */
Test(scanner, chain_lengths_are_those_of_whole_groups)
{
    pii_finding f[4];
    pii_findings a = {0}, b = {0};
    /* not followed by ' ': a chain before a space may be a street's house
     * number, and the fast path then always tries it */
    const char *ssn[] = {"ref 1 221-60-2382;", "ref 12 7 221-60-2382,",
                         "on 2025-03-19 221-60-2382.", "ref 221-60-2382 7 5;"};
    for (size_t k = 0; k < sizeof ssn / sizeof *ssn; k++) {
        cr_assert_eq(scan(ssn[k], 0, f, 4), 1, "%s", ssn[k]);
        cr_assert_str_eq(type_of(&f[0]), "us_ssn", "%s", ssn[k]);
        cr_assert_eq(f[0].end - f[0].start, strlen("221-60-2382"), "%s", ssn[k]);
        cr_assert_eq(same_both_ways((const uint8_t *)ssn[k], strlen(ssn[k]), 0, &a, &b), 1);
    }
    const char *none[] = {"2025-03-19 00:00:00,015 INFO", "[2025-03-19 00:00:00] ok",
                          "1,2025-03-19 00:00:00,2"};
    for (size_t k = 0; k < sizeof none / sizeof *none; k++) {
        cr_assert_eq(scan(none[k], 0, f, 4), 0, "%s", none[k]);
        cr_assert_eq(same_both_ways((const uint8_t *)none[k], strlen(none[k]), 0, &a, &b), 0);
    }
    pii_findings_free(&a);
    pii_findings_free(&b);
}

/* The overlap a cut chain is read on from may start at a group glued to
 * the one before it - a bracketed area code after digits, 78（010）...:
 * that group is inside the chain, not glued to a word, so the numbers from
 * it on are still looked at (found by fuzz_scanner's line-joining check:
 * the first landline here was lost, the second found). */
Test(scanner, cut_chain_reads_on_from_a_glued_group)
{
    pii_finding f[4];
    const char *s = "a 1 01974222 0212 3456 7894 1 08 98 78（010）87654321 0108 98 "
                    "78（010）87654321 01 01";
    cr_assert_eq(scan(s, 0, f, 4), 2);
    for (int k = 0; k < 2; k++) {
        cr_assert_str_eq(type_of(&f[k]), "cn_landline");
        cr_assert_eq(f[k].end - f[k].start, strlen("（010）87654321"));
    }
    cr_assert_eq(f[0].start, strlen("a 1 01974222 0212 3456 7894 1 08 98 78"));
}

/* A group glued after a bracketed group is inside a chain - (010)0085...
 * is an area code and then digits - so its "00" dials nowhere, whether the
 * bracket starts the line or follows other groups (found by fuzz_scanner's
 * line-joining check: the number was found only when a newline came just
 * before the bracket). So is a group after the bracket and one separator.
 * A bracket around a word starts no chain. */
Test(scanner, zero_zero_after_a_bracketed_group_dials_nowhere)
{
    pii_finding f[4];
    const char *chained[] = {
        "（010）00855091 0100 98", "(010)00855091 0100 98", "9887 （010）00855091 0100 98",
        "9887\n（010）00855091 0100 98", "（０１０）0085591010098", "(010)0085591010098 ok",
        /* one separator may come between the bracket and the next group */
        "（010）-00855091 0100 98", "(010) 0085591010098 ok", "889 （010）-00855091 0100 98",
    };
    for (size_t k = 0; k < sizeof chained / sizeof *chained; k++)
        cr_assert_eq(scan(chained[k], 0, f, 4), 0, "%s", chained[k]);
    /* a word in the bracket, even one with a digit three bytes back */
    const char *worded[] = {"tel 00855091 0100 98", "（国际）00855091 0100 98",
                            "(intl)00855091 0100 98", "(intl)0085591010098",
                            "(1ab)00855091 0100 98", "(1ab)0085591010098"};
    for (size_t k = 0; k < sizeof worded / sizeof *worded; k++) {
        cr_assert_eq(scan(worded[k], 0, f, 4), 1, "%s", worded[k]);
        cr_assert_str_eq(type_of(&f[0]), "intl_phone");
        size_t at = (size_t)(strchr(worded[k], '0') - worded[k]);
        cr_assert_eq(f[0].start, at);
        cr_assert_eq(f[0].end, strlen(worded[k]));
    }
}

/* A name after a label ends before another label: in "客户 宁客户 宁市"
 * the first label is followed by a surname and the next label, so the
 * name is the one after the second label - however the line is split. */
Test(scanner, name_stops_at_a_label)
{
    pii_finding f[4];
    const char *s = "客户 宁客户 宁市";
    cr_assert_eq(scan(s, 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "cn_name");
    cr_assert_eq(f[0].start, strlen("客户 宁客户 "));
    cr_assert_eq(scan("姓名：张伟", 0, f, 4), 1);
    cr_assert_eq(f[0].start, strlen("姓名："));
    cr_assert_eq(f[0].end, strlen("姓名：张伟"));
}

/* After a label that names a role rather than a name (客户, 买家: also a
 * chat speaker's prefix), a "name" that runs on into more Han text is the
 * start of a message: 买家：商品编码 has 商 as a surname. The name must end
 * there - at a non-Han character, a title, a label or a word that follows
 * names. Name labels (收货人, 姓名) keep their names either way. */
Test(scanner, role_label_name_must_end_there)
{
    pii_finding f[4];
    cr_assert_eq(scan("买家：商品编码还有货吗", 0, f, 4), 0);
    cr_assert_eq(scan("买家买家：商品编码", 0, f, 4), 0);
    cr_assert_eq(scan("客户：马上发货", 0, f, 4), 0);
    static const char *const kept[][2] = {
        {"客户：张伟，电话", "张伟"}, {"客户：张伟说好的", "张伟"}, {"买家：李娜", "李娜"},
        {"客户：王小明先生", "王小明"}, {"客户 欧阳娜娜 ok", "欧阳娜娜"},
        {"收货人：商品编", "商品编"}, /* a name label: kept whatever follows */
        {"收货人张伟明天到", "张伟明"},
    };
    for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]); k++) {
        cr_assert_eq(scan(kept[k][0], 0, f, 4), 1, "%s", kept[k][0]);
        cr_assert_str_eq(type_of(&f[0]), "cn_name");
        const char *at = strstr(kept[k][0], kept[k][1]);
        cr_assert_eq(f[0].start, (size_t)(at - kept[k][0]), "%s", kept[k][0]);
        cr_assert_eq(f[0].end, f[0].start + strlen(kept[k][1]), "%s", kept[k][0]);
    }
}

/* Findings as the scanner leaves them - a few runs, each in order - are
 * resolved as if they had come sorted: one run, two (the bracketed
 * numbers' pass), several, and more runs than the merge takes (qsort),
 * with equal keys whose order must survive (their aux differs). */
static int by_key(const void *a, const void *b)
{
    const pii_finding *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->det != y->det)
        return (int)x->det - (int)y->det;
    return (int)x->aux - (int)y->aux; /* the input order, for the reference */
}

Test(resolve, runs_resolve_as_sorted_input)
{
    static const size_t runs[] = {1, 2, 3, 8, 9, 40};
    uint32_t x = 7;
    for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
        size_t n = 600;
        pii_findings got = {0}, want = {0};
        got.v = calloc(n, sizeof(pii_finding));
        want.v = calloc(n, sizeof(pii_finding));
        got.alloc = want.alloc = n; /* the merge has to grow it */
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            size_t start = (x >> 8) % 2000;
            got.v[i] = (pii_finding){.start = start,
                                     .end = start + 1 + (x >> 20) % 12,
                                     .det = (uint16_t)((x >> 4) % 3),
                                     .priority = (uint8_t)(50 + (x >> 6) % 2 * 10),
                                     .aux = (uint16_t)i};
        }
        /* cut into runs[r] pieces, each sorted (stably: aux keeps the order) */
        size_t piece = (n + runs[r] - 1) / runs[r];
        for (size_t a = 0; a < n; a += piece)
            qsort(got.v + a, a + piece < n ? piece : n - a, sizeof(pii_finding), by_key);
        memcpy(want.v, got.v, n * sizeof(pii_finding));
        qsort(want.v, n, sizeof(pii_finding), by_key);
        got.len = want.len = n;
        pii_detect_resolve(&got);
        pii_detect_resolve(&want);
        cr_assert_eq(got.len, want.len, "%zu runs", runs[r]);
        for (size_t i = 0; i < got.len; i++) {
            cr_assert_eq(got.v[i].start, want.v[i].start, "%zu runs, finding %zu", runs[r], i);
            cr_assert_eq(got.v[i].end, want.v[i].end, "%zu runs, finding %zu", runs[r], i);
            cr_assert_eq(got.v[i].det, want.v[i].det, "%zu runs, finding %zu", runs[r], i);
            cr_assert_eq(got.v[i].aux, want.v[i].aux, "%zu runs, finding %zu", runs[r], i);
        }
        pii_findings_free(&got);
        pii_findings_free(&want);
    }
}

/* The block classifiers (anchors.h) give the same masks: the portable
 * loop, SSE2, AVX2 and AVX-512 (where this CPU has them), for every anchor set, at
 * every offset, with the buffer's end inside the block or past it. */
static void expect_same_blocks(const uint8_t *buf, size_t len, const pii_anchor_set *as)
{
    pii_block_fill_fn fills[4] = {pii_block_fill_scalar, NULL, NULL, NULL};
#if defined(__x86_64__) || defined(__i386__)
    fills[1] = pii_block_fill_sse2;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        fills[2] = pii_block_fill_avx2;
    if (__builtin_cpu_supports("avx512bw"))
        fills[3] = pii_block_fill_avx512;
#endif
    for (size_t base = 0; base < len; base++) {
        pii_block want;
        pii_block_fill_scalar(&want, buf, len, base, as);
        for (int f = 1; f < 4; f++) {
            if (fills[f] == NULL)
                continue;
            pii_block got;
            fills[f](&got, buf, len, base, as);
            cr_assert_eq(got.base, base);
            for (int k = 0; k < 3; k++)
                cr_assert_eq(got.m[k], want.m[k],
                             "filler %d, mask %d, base %zu of %zu: %016llx != %016llx", f, k,
                             base, len, (unsigned long long)got.m[k],
                             (unsigned long long)want.m[k]);
        }
    }
}

Test(anchors, classifiers_agree)
{
    uint8_t buf[512 + 64];
    for (int c = 0; c < 256; c++) {
        buf[c] = (uint8_t)c; /* every byte value, in order */
        buf[256 + c] = (uint8_t)(c * 167 + 13); /* and in another order */
    }
    uint32_t x = 12345; /* and pseudo-random bytes biased to the classes' edges */
    static const uint8_t edge[] = {'/', '0', '9', ':', ';', '?', '@', 'A', 'Z', '[',
                                   '^', '_', '`', 'a', 'z', '{', 0xE3, 0xE4, 0xE9, 0xEA,
                                   0xEE, 0xEF, 0x7F, 0x80, 0xC0, 0xFF, 0x00, 0x20,
                                   'f', 'g', 'F', 'G', ':', ':', '.', '-', '"'};
    for (size_t i = 512; i < sizeof(buf); i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = edge[(x >> 16) % sizeof(edge)];
    }
    for (int set = 0; set < 16; set++) {
        pii_anchor_set as = {(set & 1) != 0, (set & 2) != 0, (set & 4) != 0, (set & 8) != 0,
                             pii_block_filler()};
        expect_same_blocks(buf, sizeof(buf), &as);
        expect_same_blocks(buf + 500, 70, &as); /* an end inside the last block */
    }
}

/* What the portable classifier marks, byte by byte: the definition the
 * vector ones are held to. */
Test(anchors, scalar_masks_are_the_classes)
{
    const uint8_t *s = (const uint8_t *)"a1_Z:@\xEF\xE4\xEA- 9:f:";
    size_t n = strlen((const char *)s);
    pii_anchor_set all = {true, true, true, true, pii_block_fill_scalar};
    pii_anchor_set none = {false, false, false, false, pii_block_fill_scalar};
    pii_block b;
    pii_block_fill_scalar(&b, s, n, 0, &all);
    /* bits:  : f : 9 ' ' - EA E4 EF @ : Z _ 1 a; a colon anchors only
     * before a hex digit or a colon, so not before '@' nor at the end; a
     * capital only before a digit (below), so not Z */
    cr_assert_eq(b.m[PII_BLK_DIGIT], 0x0802u);
    cr_assert_eq(b.m[PII_BLK_WORD], 0x280Fu);
    cr_assert_eq(b.m[PII_BLK_ANCHOR], 0x18E2u); /* 1 @ EF E4 9 : */
    pii_block_fill_scalar(&b, s, n, 0, &none);
    cr_assert_eq(b.m[PII_BLK_ANCHOR], 0x0060u); /* @ EF */
    pii_block_fill_scalar(&b, s, n, 3, &all);
    cr_assert_eq(b.m[PII_BLK_ANCHOR], 0x18E2u >> 3);
}

/* The anchor bits of the block at base in s (digits only as anchors), as
 * a string: '^' for an anchor, '.' for a byte that is none. */
static void anchor_marks(const char *s, size_t base, char *out)
{
    pii_anchor_set digits = {true, false, false, false, pii_block_fill_scalar};
    size_t n = strlen(s);
    pii_block b;
    pii_block_fill_scalar(&b, (const uint8_t *)s, n, base, &digits);
    size_t k = 0;
    for (; k < 64 && base + k < n; k++)
        out[k] = (b.m[PII_BLK_ANCHOR] >> k & 1) ? '^' : '.';
    out[k] = '\0';
}

/* Digit runs whose look the scanner would end right after them with
 * nothing found are no anchors (anchors.c, quiet_runs): a short run before
 * an inert byte (A), before a separator that opens no group (B), two short
 * runs around one dot (C), a short run between colons (D). Long runs,
 * runs a chain, an IPv4 address or an IPv6 address can go on from, and
 * runs whose next byte lies past the block stay. */
Test(anchors, quiet_digit_runs_are_no_anchors)
{
    char got[65];
    struct {
        const char *s, *want;
    } cases[] = {
        {"t 12, 3", "......^"},                  /* A: ','; the last run ends the text */
        {"x 3.45 y", "........"},                /* C */
        {"x 3.45.6 y", "..^......."},            /* 3 reads the three dotted groups */
        {"x 3.45z y", "..^.^^..."},              /* the word goes on */
        {"at 6:78:9 ", "...^....^."},            /* D: only 78, between colons */
        {"s 200 ok;", "........."},              /* B: no group, no street */
        {"s 200 OK;", "..^^^...."},              /* a street can follow */
        {"s 200 4x", "..^^^.^."},                /* a chain */
        {"s 20-5", "..^^.^"},                    /* a chain */
        {"n 1234567;", "..^^^^^^^."},            /* seven digits: a candidate */
        {"n 123456;", "........."},              /* six: none */
        {"a(010) 8", ".......^"},                /* ')' is inert; 8 ends the text */
        {"p +86 138", "...^^.^^^"},              /* '+86 ' then digits: a chain */
        {"w 12\xef\xbc\x91", "..^^^.."},     /* a full-width digit goes on (0xEF anchors) */
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        anchor_marks(cases[c].s, 0, got);
        cr_assert_str_eq(got, cases[c].want, "\"%s\"", cases[c].s);
    }
    /* bytes past the block are unknown: a run that ends at bit 63 stays,
     * and so does one whose separator is the block's last byte */
    char buf[80];
    memset(buf, 'z', sizeof buf);
    buf[79] = '\0';
    memcpy(buf + 60, " 12,", 4); /* 12 at bits 61-62, ',' at 63 */
    anchor_marks(buf, 0, got);
    cr_assert_eq(got[61], '.');
    memcpy(buf + 60, "  12", 4); /* 12 at bits 62-63 */
    anchor_marks(buf, 0, got);
    cr_assert_eq(got[62], '^');
    cr_assert_eq(got[63], '^');
    memcpy(buf + 60, " 12 ", 4); /* ' ' at 63: what comes after it is unknown */
    anchor_marks(buf, 0, got);
    cr_assert_eq(got[61], '^');
}

/* A colon is an anchor only before a hex digit or a colon, and after a
 * hex digit, a colon or a dot unless "::" opens there: an address opens
 * with "::" or a hex digit, never with one colon. */
Test(anchors, colons_anchor_only_inside_an_address_shape)
{
    pii_anchor_set colons = {false, false, true, false, pii_block_fill_scalar};
    pii_block b;
    const uint8_t *s = (const uint8_t *)"\"q\":25 ::1 9:f .:a Z:1 g:";
    pii_block_fill_scalar(&b, s, strlen((const char *)s), 0, &colons);
    /* the ':' of "q":25 (3), Z:1 (20) and the last one (24) do not */
    cr_assert_eq(b.m[PII_BLK_ANCHOR], (1u << 7) | (1u << 8) | (1u << 12) | (1u << 16));
    /* the byte before the block counts: "9:f" with the block at the colon */
    pii_block_fill_scalar(&b, s, strlen((const char *)s), 12, &colons);
    cr_assert_eq(b.m[PII_BLK_ANCHOR] & 1u, 1u);
    pii_block_fill_scalar(&b, s, strlen((const char *)s), 20, &colons);
    cr_assert_eq(b.m[PII_BLK_ANCHOR] & 1u, 0u);
}

/* A capital is an anchor only where an alnum candidate can open: before a
 * digit, or before a capital and a digit. The bytes after the block count:
 * "A" at bit 63 anchors when "1" is byte 64. */
Test(anchors, capitals_anchor_only_before_digits)
{
    pii_anchor_set caps = {false, true, false, false, pii_block_fill_scalar};
    pii_block b;
    const uint8_t *s = (const uint8_t *)"INFO A1 AB2 ABC3 xA9 Z";
    pii_block_fill_scalar(&b, s, strlen((const char *)s), 0, &caps);
    /* A(5) A(8) B(9) B(13) C(14) A(18): I N F O, the A of ABC3 and Z do not */
    cr_assert_eq(b.m[PII_BLK_ANCHOR], (1u << 5) | (1u << 8) | (1u << 9) | (1u << 13) |
                                          (1u << 14) | (1u << 18));
    uint8_t buf[80];
    memset(buf, ' ', sizeof buf);
    buf[63] = 'A';
    buf[64] = '1';
    pii_block_fill_scalar(&b, buf, sizeof buf, 0, &caps);
    cr_assert_eq(b.m[PII_BLK_ANCHOR], 1ull << 63);
    buf[62] = 'Q';
    buf[63] = 'R';
    buf[64] = 'S';
    buf[65] = '7';
    pii_block_fill_scalar(&b, buf, sizeof buf, 0, &caps);
    cr_assert_eq(b.m[PII_BLK_ANCHOR], 1ull << 63); /* R before S7, not Q */
    pii_block_fill_scalar(&b, buf, 65, 0, &caps);  /* the 7 is past the end */
    cr_assert_eq(b.m[PII_BLK_ANCHOR], 0u);
}

/* The bytes just past the block's two ends decide its edge bits, for
 * every byte value: a capital at bit 63 anchors before a digit, a colon
 * at bit 63 before a hex digit or a colon, and a colon at bit 0 after a
 * hex digit, a colon or a dot. */
Test(anchors, bytes_past_the_block_ends_for_every_value)
{
    pii_anchor_set all = {false, true, true, false, pii_block_fill_scalar};
    uint8_t buf[80];
    pii_block b;
    for (int c = 0; c < 256; c++) {
        bool digit = c >= '0' && c <= '9';
        bool hexc = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':';
        memset(buf, ' ', sizeof buf);
        buf[63] = 'A';
        buf[64] = (uint8_t)c;
        pii_block_fill_scalar(&b, buf, sizeof buf, 0, &all);
        cr_assert_eq(b.m[PII_BLK_ANCHOR] >> 63, (uint64_t)digit, "A then byte %d", c);
        buf[62] = '1';
        buf[63] = ':';
        pii_block_fill_scalar(&b, buf, sizeof buf, 0, &all);
        cr_assert_eq(b.m[PII_BLK_ANCHOR] >> 63, (uint64_t)hexc, "1: then byte %d", c);
        memset(buf, ' ', sizeof buf);
        buf[0] = (uint8_t)c;
        buf[1] = ':';
        buf[2] = 'f';
        pii_block_fill_scalar(&b, buf, sizeof buf, 1, &all);
        cr_assert_eq(b.m[PII_BLK_ANCHOR] & 1, (uint64_t)(hexc || c == '.'), "byte %d then :f", c);
    }
}

/* An address label with no address after it gives the text after it back
 * to the scan, separators included: the colons of "::1" are the start of
 * an IPv6 address, not the label's "地址：" (found by fuzz_scanner's
 * line-joining check). */
Test(scanner, label_without_address_gives_back_its_separators)
{
    pii_finding f[4];
    const char *s = "地址 ::1 ok";
    cr_assert_eq(scan(s, 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "ipv6");
    cr_assert_eq(f[0].start, strlen("地址 "));
    cr_assert_eq(scan("地址：::1", 0, f, 4), 1);
    cr_assert_str_eq(type_of(&f[0]), "ipv6");
    cr_assert_eq(f[0].start, strlen("地址："));
}
