/*
 * test_validate.c - Criterion unit tests for src/detect/validate.c and the
 * generated src/detect/region_codes.c.
 *
 * Overview: table-driven tests for every validator in validate.h. Expected
 * values come from the reference notes (cn-id.md 1.2/1.4, cards.md 1/2.2,
 * cn-phone.md 1.1) or were computed independently with Python (check
 * characters of constructed ID numbers, Luhn check digits of constructed
 * PANs); none is derived from the code under test. Every candidate is copied
 * into a heap buffer of exactly its length with no terminating NUL before the
 * call, so a validator that reads past `n` is caught when the suite runs
 * under AddressSanitizer. "Today" is fixed at 2026-11-29.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "detect/validate.h"

#define TODAY 20261129u
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Heap copy of the first n bytes of s, without a NUL terminator. */
static char *exact_copy(const char *s, size_t n)
{
    char *p = malloc(n > 0 ? n : 1);

    cr_assert_not_null(p);
    if (n > 0) {
        memcpy(p, s, n);
    }
    return p;
}

static bool luhn_n(const char *s, size_t n)
{
    char *p = exact_copy(s, n);
    bool r = pii_valid_luhn(p, n);

    free(p);
    return r;
}

static bool luhn(const char *s)
{
    return luhn_n(s, strlen(s));
}

static bool card_n(const char *s, size_t n)
{
    char *p = exact_copy(s, n);
    bool r = pii_valid_bank_card(p, n);

    free(p);
    return r;
}

static bool card(const char *s)
{
    return card_n(s, strlen(s));
}

static pii_cnid_result cnid_n(const char *s, size_t n, uint32_t today)
{
    char *p = exact_copy(s, n);
    pii_cnid_result r = pii_check_cn_id(p, n, today);

    free(p);
    return r;
}

static pii_cnid_result cnid(const char *s)
{
    return cnid_n(s, strlen(s), TODAY);
}

static bool mobile_n(const char *s, size_t n)
{
    char *p = exact_copy(s, n);
    bool r = pii_valid_cn_mobile(p, n);

    free(p);
    return r;
}

static bool mobile(const char *s)
{
    return mobile_n(s, strlen(s));
}

static const char *cnid_name(pii_cnid_result r)
{
    switch (r) {
    case PII_CNID_OK:
        return "OK";
    case PII_CNID_BAD_SHAPE:
        return "BAD_SHAPE";
    case PII_CNID_BAD_CHECK:
        return "BAD_CHECK";
    case PII_CNID_BAD_DATE:
        return "BAD_DATE";
    case PII_CNID_BAD_REGION:
        return "BAD_REGION";
    }
    return "?";
}

typedef struct {
    const char *s;
    bool ok;
} bool_case;

typedef struct {
    const char *s;
    pii_cnid_result want;
} cnid_case;

static void run_cnid_cases(const cnid_case *c, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        pii_cnid_result got = cnid(c[i].s);

        cr_expect_eq(got, c[i].want, "%s: got %s, want %s", c[i].s,
                     cnid_name(got), cnid_name(c[i].want));
    }
}

/* ------------------------------------------------------------------------ */
/* Luhn                                                                     */
/* ------------------------------------------------------------------------ */

Test(luhn, worked_example)
{
    /* cards.md 1: body 7992739871 -> check digit 3. */
    cr_expect(luhn("79927398713"));
    for (char c = '0'; c <= '9'; c++) {
        char buf[] = "79927398710";

        buf[10] = c;
        cr_expect_eq(luhn(buf), c == '3', "%s", buf);
    }
}

Test(luhn, every_single_digit_error_detected)
{
    const char *good = "79927398713";

    for (size_t i = 0; i < 11; i++) {
        for (char c = '0'; c <= '9'; c++) {
            char buf[12];

            memcpy(buf, good, sizeof buf);
            if (buf[i] == c) {
                continue;
            }
            buf[i] = c;
            cr_expect_not(luhn(buf), "%s should fail Luhn", buf);
        }
    }
}

Test(luhn, short_values)
{
    static const bool_case cases[] = {
        {"0", true},   {"00", true},  {"18", true},  {"059", true},
        {"1", false},  {"10", false}, {"81", false}, {"095", false},
    };

    for (size_t i = 0; i < COUNT(cases); i++) {
        cr_expect_eq(luhn(cases[i].s), cases[i].ok, "%s", cases[i].s);
    }
}

Test(luhn, empty_and_non_digits)
{
    cr_expect_not(luhn_n("", 0));
    cr_expect_not(luhn("7992739871 3"));
    cr_expect_not(luhn("79927398X13"));
    cr_expect_not(luhn("-79927398713"));
    cr_expect_not(luhn("7992739871/"));  /* '/' is '0' - 1 */
    cr_expect_not(luhn("7992739871:"));  /* ':' is '9' + 1 */
}

Test(luhn, bounded_by_n)
{
    /* Only the first n bytes count. */
    cr_expect(luhn_n("799273987131", 11));
    cr_expect_not(luhn_n("79927398713", 10));
}

/* ------------------------------------------------------------------------ */
/* Payment cards                                                            */
/* ------------------------------------------------------------------------ */

Test(bank_card, documented_test_pans)
{
    /* cards.md 2.2, all rows. */
    static const char *const pans[] = {
        "4242424242424242", "4000056655665556", "4111111111111111",
        "4012888888881881", "4222222222222",    "5555555555554444",
        "2223003122003222", "5200828282828210", "5105105105105100",
        "378282246310005",  "371449635398431",  "6011111111111117",
        "6011000990139424", "3056930009020004", "36227206271667",
        "30569309025904",   "38520000023237",   "3566002020360505",
        "3530111333300000", "6200000000000005", "6200000000000047",
        "6205500000000000004",
    };

    for (size_t i = 0; i < COUNT(pans); i++) {
        cr_expect(luhn(pans[i]), "%s should pass Luhn", pans[i]);
        cr_expect(card(pans[i]), "%s should be a bank card", pans[i]);
    }
}

Test(bank_card, stripe_negative_control)
{
    cr_expect_not(luhn("4242424242424241"));
    cr_expect_not(card("4242424242424241"));
}

Test(bank_card, unknown_iin_rejected)
{
    /* All Luhn-valid, 16 digits, no known issuer range. */
    static const char *const pans[] = {
        "1000000000000008", /* 1 */
        "7000000000000005", /* 7 */
        "1800000000000000", /* old JCB 1800 (not supported) */
        "2131000000000008", /* old JCB 2131 (not supported) */
        "5000000000000009", /* Maestro 50 (not supported) */
        "5600000000000003", /* Maestro 56 (not supported) */
    };

    for (size_t i = 0; i < COUNT(pans); i++) {
        cr_expect(luhn(pans[i]), "%s must be Luhn-valid for this test", pans[i]);
        cr_expect_not(card(pans[i]), "%s has no known IIN", pans[i]);
    }
}

Test(bank_card, issuer_ranges_and_lengths)
{
    /* Every number here is Luhn-valid, so only range + length decide. */
    static const bool_case cases[] = {
        /* Visa: 13, 16, 18, 19 */
        {"4000000000006", true},
        {"40000000000002", false},
        {"400000000000006", false},
        {"40000000000000006", false},
        {"400000000000000002", true},
        {"4000000000000000006", true},
        /* Mastercard: 51-55 and 2221-2720, 16 only */
        {"5100000000000008", true},
        {"510000000000003", false},
        {"2221000000000009", true},
        {"2720990000000007", true},
        {"2721000000000004", false},
        {"2220990000000002", false},
        {"22210000000000000", false},
        /* Amex: 34/37, 15 only */
        {"3400000000000000", false},
        {"37000000000007", false},
        {"37000000000000002", false},
        /* Discover: 6011, 644-649, 65; 16-19 */
        {"6011000000000004", true},
        {"601100000000000004", true},
        {"6011000000000000001", true},
        {"601100000000001", false},
        {"64400000000000002", true},
        {"6490000000000004", true},
        {"6500000000000002", true},
        {"6500000000000000003", true},
        /* JCB: 3528-3589; 16-19 */
        {"3528000000000007", true},
        {"3589000000000003", true},
        {"3528000000000000007", true},
        {"3527000000000008", false},
        {"3590000000000000", false},
        {"352800000000007", false},
        /* Diners: 300-305, 309, 36, 38-39; 14-19 */
        {"30000000000004", true},
        {"30500000000003", true},
        {"30600000000001", false},
        {"30900000000005", true},
        {"36000000000008", true},
        {"38000000000006", true},
        {"39000000000005", true},
        {"3000000000007", false},
        {"3600000000004", false},
        /* UnionPay: 62, 8100-8171; 14-19 */
        {"62000000000005", true},
        {"6200000000000", false},
        {"620000000000000005", true},
        {"6200000000000000000", true},
        {"81000000000002", true},
        {"81710000000006", true},
        {"81720000000005", false},
        {"8100000000000000000", true},
        /* Mir: 2200-2204; 16-19 */
        {"2200000000000004", true},
        {"2204000000000000", true},
        {"2205000000000009", false},
        /* Chinese legacy 9-prefixed BINs (cards.md 2.1) */
        {"9558000000000000008", true},
        {"955800000000000007", false},
        {"9559500000000000001", true},
        {"9559900000000000007", true},
        {"9559400000000000002", false},
        {"9551000000000000003", true},
        {"9551010000000000001", false},
        {"9555900000000001", true},
        {"9555930000000008", true},
        {"9555940000000007", false},
        {"955590000000000001", false},
    };

    for (size_t i = 0; i < COUNT(cases); i++) {
        cr_expect(luhn(cases[i].s), "%s must be Luhn-valid for this test",
                  cases[i].s);
        cr_expect_eq(card(cases[i].s), cases[i].ok, "%s: want %s", cases[i].s,
                     cases[i].ok ? "card" : "not a card");
    }
}

Test(bank_card, overall_length_limits)
{
    /* Luhn-valid, but 12 and 20 digits are never card numbers. */
    cr_expect(luhn("422222222222"));
    cr_expect_not(card("422222222222"));
    cr_expect(luhn("62000000000000000005"));
    cr_expect_not(card("62000000000000000005"));
    cr_expect(luhn("42424242424242424242"));
    cr_expect_not(card("42424242424242424242"));
    cr_expect_not(card_n("", 0));
}

Test(bank_card, non_digits_rejected)
{
    cr_expect_not(card("4242 4242 4242 4242"));
    cr_expect_not(card("4242-4242-4242-4242"));
    cr_expect_not(card("424242424242424X"));
}

Test(bank_card, bounded_by_n)
{
    cr_expect(card_n("42424242424242420000", 16));
    cr_expect_not(card_n("4242424242424242", 15));
}

/* ------------------------------------------------------------------------ */
/* Mainland resident ID                                                     */
/* ------------------------------------------------------------------------ */

Test(cn_id, reference_valid_examples)
{
    /* cn-id.md 1.4 valid table and 1.1 worked example. */
    static const char *const ids[] = {
        "11010519491231002X", "31010419900307123X", "440305198512314561",
        "510107200002290029", "330106197506157892",
    };

    for (size_t i = 0; i < COUNT(ids); i++) {
        pii_cnid_result got = cnid(ids[i]);

        cr_expect_eq(got, PII_CNID_OK, "%s: got %s", ids[i], cnid_name(got));
    }
}

Test(cn_id, reference_invalid_examples)
{
    /* cn-id.md 1.4 invalid table (each breaks exactly one rule). */
    static const cnid_case cases[] = {
        {"110105194912310021", PII_CNID_BAD_CHECK},
        {"310104199002301232", PII_CNID_BAD_DATE},
        {"440305208512314568", PII_CNID_BAD_DATE},
        {"44030519851231456", PII_CNID_BAD_SHAPE},
        /* 1.4 "also": 15-digit 110105490231002 converted to 18 digits. */
        {"110105194902310026", PII_CNID_BAD_DATE},
    };

    run_cnid_cases(cases, COUNT(cases));
}

Test(cn_id, reference_prefix_99_is_foreigner_shape)
{
    /* cn-id.md 1.4 lists 991234199001011234 as "province prefix 99 not
     * allocated", but validate.h (and cn-id.md 1.6) treat any 9-prefixed
     * 18-character number as a foreigner permanent residence card checked
     * by MOD 11-2 only. Its check character is correct, so it is accepted.
     * The province rule itself is covered by province_prefixes below. */
    cr_expect_eq(cnid("991234199001011234"), PII_CNID_OK);
    cr_expect_eq(cnid("991234199001011235"), PII_CNID_BAD_CHECK);
}

Test(cn_id, standard_second_example_1880)
{
    /* GB 11643 second example: born 1880-01-01 under abolished code 440524;
     * the 18-digit form checks only the province prefix. */
    cr_expect_eq(cnid("440524188001010014"), PII_CNID_OK);
    /* 1879-12-31, correct check character. */
    cr_expect_eq(cnid("440524187912310013"), PII_CNID_BAD_DATE);
}

Test(cn_id, check_character_x)
{
    cr_expect_eq(cnid("11010519491231002X"), PII_CNID_OK);
    cr_expect_eq(cnid("31010419900307123X"), PII_CNID_OK);
    /* Every other check character is wrong. */
    for (char c = '0'; c <= '9'; c++) {
        char buf[] = "11010519491231002X";

        buf[17] = c;
        cr_expect_eq(cnid(buf), PII_CNID_BAD_CHECK, "%s", buf);
    }
    /* X is only a check character, and the scanner upper-cases x. */
    cr_expect_eq(cnid("11010519491231002x"), PII_CNID_BAD_SHAPE);
    cr_expect_eq(cnid("1101051949123100X2"), PII_CNID_BAD_SHAPE);
    cr_expect_eq(cnid("11010519491231002A"), PII_CNID_BAD_SHAPE);
}

Test(cn_id, leap_years)
{
    static const cnid_case cases[] = {
        {"110105200002290021", PII_CNID_OK},       /* 2000-02-29 */
        {"110105190002290025", PII_CNID_BAD_DATE}, /* 1900-02-29 */
        {"11010520240229002X", PII_CNID_OK},       /* 2024-02-29 */
        {"110105202302290022", PII_CNID_BAD_DATE}, /* 2023-02-29 */
        {"510107200002290029", PII_CNID_OK},       /* cn-id.md 1.4 */
    };

    run_cnid_cases(cases, COUNT(cases));
}

Test(cn_id, impossible_dates)
{
    static const cnid_case cases[] = {
        {"11010519901301123X", PII_CNID_BAD_DATE}, /* month 13 */
        {"110105199000011230", PII_CNID_BAD_DATE}, /* month 00 */
        {"110105199001001237", PII_CNID_BAD_DATE}, /* day 00 */
        {"110105199004311230", PII_CNID_BAD_DATE}, /* 04-31 */
    };

    run_cnid_cases(cases, COUNT(cases));
}

Test(cn_id, future_date_rejected)
{
    /* Born "today" is fine, tomorrow is not. */
    cr_expect_eq(cnid("440305202611294569"), PII_CNID_OK);
    cr_expect_eq(cnid("440305202611304560"), PII_CNID_BAD_DATE);
    cr_expect_eq(cnid("440305208512314568"), PII_CNID_BAD_DATE);
    /* `today` is honoured, not a built-in clock. */
    cr_expect_eq(cnid_n("440305198512314561", 18, 19851230u),
                 PII_CNID_BAD_DATE);
    cr_expect_eq(cnid_n("440305198512314561", 18, 19851231u), PII_CNID_OK);
}

Test(cn_id, province_prefixes)
{
    /* "PP0000" + 19900101 + 123 + correct check character, PP = 00..89.
     * Allowed: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 81-83. */
    static const bool_case cases[] = {
        {"00000019900101123X", false}, {"010000199001011231", false},
        {"020000199001011233", false}, {"030000199001011235", false},
        {"040000199001011237", false}, {"050000199001011239", false},
        {"060000199001011230", false}, {"070000199001011232", false},
        {"080000199001011234", false}, {"090000199001011236", false},
        {"100000199001011233", false}, {"110000199001011235", true},
        {"120000199001011237", true},  {"130000199001011239", true},
        {"140000199001011230", true},  {"150000199001011232", true},
        {"160000199001011234", false}, {"170000199001011236", false},
        {"180000199001011238", false}, {"19000019900101123X", false},
        {"200000199001011237", false}, {"210000199001011239", true},
        {"220000199001011230", true},  {"230000199001011232", true},
        {"240000199001011234", false}, {"250000199001011236", false},
        {"260000199001011238", false}, {"27000019900101123X", false},
        {"280000199001011231", false}, {"290000199001011233", false},
        {"300000199001011230", false}, {"310000199001011232", true},
        {"320000199001011234", true},  {"330000199001011236", true},
        {"340000199001011238", true},  {"35000019900101123X", true},
        {"360000199001011231", true},  {"370000199001011233", true},
        {"380000199001011235", false}, {"390000199001011237", false},
        {"400000199001011234", false}, {"410000199001011236", true},
        {"420000199001011238", true},  {"43000019900101123X", true},
        {"440000199001011231", true},  {"450000199001011233", true},
        {"460000199001011235", true},  {"470000199001011237", false},
        {"480000199001011239", false}, {"490000199001011230", false},
        {"500000199001011238", true},  {"51000019900101123X", true},
        {"520000199001011231", true},  {"530000199001011233", true},
        {"540000199001011235", true},  {"550000199001011237", false},
        {"560000199001011239", false}, {"570000199001011230", false},
        {"580000199001011232", false}, {"590000199001011234", false},
        {"600000199001011231", false}, {"610000199001011233", true},
        {"620000199001011235", true},  {"630000199001011237", true},
        {"640000199001011239", true},  {"650000199001011230", true},
        {"660000199001011232", false}, {"670000199001011234", false},
        {"680000199001011236", false}, {"690000199001011238", false},
        {"700000199001011235", false}, {"710000199001011237", false},
        {"720000199001011239", false}, {"730000199001011230", false},
        {"740000199001011232", false}, {"750000199001011234", false},
        {"760000199001011236", false}, {"770000199001011238", false},
        {"78000019900101123X", false}, {"790000199001011231", false},
        {"800000199001011239", false}, {"810000199001011230", true},
        {"820000199001011232", true},  {"830000199001011234", true},
        {"840000199001011236", false}, {"850000199001011238", false},
        {"86000019900101123X", false}, {"870000199001011231", false},
        {"880000199001011233", false}, {"890000199001011235", false},
    };

    cr_assert_eq(COUNT(cases), 90u);
    for (size_t i = 0; i < COUNT(cases); i++) {
        pii_cnid_result want = cases[i].ok ? PII_CNID_OK : PII_CNID_BAD_REGION;
        pii_cnid_result got = cnid(cases[i].s);

        cr_expect_eq(got, want, "%s: got %s, want %s", cases[i].s,
                     cnid_name(got), cnid_name(want));
    }
}

Test(cn_id, foreigner_9_prefix)
{
    /* Check characters computed independently. The layout after the 9 is
     * not validated: an impossible "date" (month 13) is still accepted. */
    static const cnid_case cases[] = {
        {"956000202301010011", PII_CNID_OK},
        {"91234519901301234X", PII_CNID_OK},
        {"956000202301010012", PII_CNID_BAD_CHECK},
        {"912345199013012340", PII_CNID_BAD_CHECK},
        {"95600020230101001", PII_CNID_BAD_SHAPE},
    };

    run_cnid_cases(cases, COUNT(cases));
}

Test(cn_id, legacy_15_valid)
{
    static const cnid_case cases[] = {
        {"110105491231002", PII_CNID_OK}, /* cn-id.md 1.2 */
        {"310104900307123", PII_CNID_OK}, /* cn-id.md 1.2 */
        {"110105000229002", PII_CNID_BAD_DATE}, /* 1900-02-29 */
        {"110105960229002", PII_CNID_OK},       /* 1996-02-29 */
        {"130171800101001", PII_CNID_OK},  /* NBS-only zone code */
        {"330103800101001", PII_CNID_OK},  /* abolished by 2023, kept */
        {"810000800101001", PII_CNID_OK},  /* province-level code */
    };

    run_cnid_cases(cases, COUNT(cases));
}

Test(cn_id, legacy_15_invalid)
{
    static const cnid_case cases[] = {
        {"110105490231002", PII_CNID_BAD_DATE},   /* 1949-02-31 */
        {"110105491331002", PII_CNID_BAD_DATE},   /* month 13 */
        {"440524800101001", PII_CNID_BAD_REGION}, /* abolished before 2021 */
        {"999999800101001", PII_CNID_BAD_REGION},
        {"110199800101001", PII_CNID_BAD_REGION},
        {"110100800101001", PII_CNID_BAD_REGION}, /* 市辖区 not emitted */
        {"11010549123100X", PII_CNID_BAD_SHAPE},  /* no check character */
        {"1101054912310 2", PII_CNID_BAD_SHAPE},
    };

    run_cnid_cases(cases, COUNT(cases));
}

Test(cn_id, bad_shapes)
{
    static const cnid_case cases[] = {
        {"", PII_CNID_BAD_SHAPE},
        {"11010519491231", PII_CNID_BAD_SHAPE},
        {"1101051949123100", PII_CNID_BAD_SHAPE},
        {"11010519491231002", PII_CNID_BAD_SHAPE},
        {"11010519491231002X0", PII_CNID_BAD_SHAPE},
        {"1101051949 231002X", PII_CNID_BAD_SHAPE},
        {"A1010519491231002X", PII_CNID_BAD_SHAPE},
    };

    run_cnid_cases(cases, COUNT(cases));
}

Test(cn_id, bounded_by_n)
{
    cr_expect_eq(cnid_n("11010519491231002X99", 18, TODAY), PII_CNID_OK);
    cr_expect_eq(cnid_n("110105491231002XYZ", 15, TODAY), PII_CNID_OK);
    cr_expect_eq(cnid_n("11010519491231002X", 17, TODAY), PII_CNID_BAD_SHAPE);
}

/* ------------------------------------------------------------------------ */
/* Region codes                                                             */
/* ------------------------------------------------------------------------ */

Test(region, known_codes)
{
    static const uint32_t known[] = {
        110105, /* 朝阳区, first-level example */
        110000, /* province */
        130100, /* prefecture */
        440305, /* 南山区 */
        110101, /* smallest district code */
        130171, /* districts-nbs-extra.tsv */
        330103, /* MCA 2021 only */
        330113, /* NBS 2023 only */
        659012, /* last district code */
        710000,
        810000,
        820000, /* last code in the table */
    };

    for (size_t i = 0; i < COUNT(known); i++) {
        cr_expect(pii_region_code_known(known[i]), "%u should be known",
                  (unsigned)known[i]);
    }
}

Test(region, unknown_codes)
{
    static const uint32_t unknown[] = {
        440524, /* abolished before 2021 */
        999999,
        110199,
        110100, /* "市辖区" pseudo-prefecture is not emitted */
        830000, /* residence permit prefix, not GB/T 2260 */
        0,
        109999, /* just below the first code */
        820001, /* just above the last code */
        1101050,
        UINT32_MAX,
    };

    for (size_t i = 0; i < COUNT(unknown); i++) {
        cr_expect_not(pii_region_code_known(unknown[i]),
                      "%u should be unknown", (unsigned)unknown[i]);
    }
}

/* ------------------------------------------------------------------------ */
/* Mobile numbers                                                           */
/* ------------------------------------------------------------------------ */

Test(mobile, allocated_examples)
{
    static const char *const ok[] = {
        "13800138000", "13123456789", "19212345678", "17401234567",
        "16612345678",
    };

    for (size_t i = 0; i < COUNT(ok); i++) {
        cr_expect(mobile(ok[i]), "%s should be valid", ok[i]);
    }
}

Test(mobile, near_misses)
{
    static const char *const bad[] = {
        "14012345678", "15412345678", "17912345678", "19412345678",
        "12345678901", "1380013800",  "138001380000", "13495123456",
        "23800138000", "1380013800X", "138 0013 800", "",
    };

    for (size_t i = 0; i < COUNT(bad); i++) {
        cr_expect_not(mobile(bad[i]), "\"%s\" should be invalid", bad[i]);
    }
}

Test(mobile, whole_blocks)
{
    /* cn-phone.md 1.1: blocks allocated as a whole. 134, 161 and 174 are
     * split and tested separately. */
    static const char *const allocated =
        " 130 131 132 133 135 136 137 138 139"
        " 145 146 147 148 149"
        " 150 151 152 153 155 156 157 158 159"
        " 162 165 166 167"
        " 170 171 172 173 175 176 177 178"
        " 180 181 182 183 184 185 186 187 188 189"
        " 190 191 192 193 195 196 197 198 199 ";

    for (int b = 100; b <= 199; b++) {
        char num[12];
        char key[6];

        if (b == 134 || b == 161 || b == 174) {
            continue;
        }
        num[0] = (char)('0' + b / 100);
        num[1] = (char)('0' + b / 10 % 10);
        num[2] = (char)('0' + b % 10);
        memcpy(num + 3, "00001234", 8);
        num[11] = '\0';
        key[0] = ' ';
        memcpy(key + 1, num, 3);
        key[4] = ' ';
        key[5] = '\0';
        cr_expect_eq(mobile(num), strstr(allocated, key) != NULL, "%s", num);
    }
}

Test(mobile, block_134)
{
    /* 134(0-8) China Mobile; 1349(2,3,9) satellite. */
    for (char h0 = '0'; h0 <= '9'; h0++) {
        for (char h1 = '0'; h1 <= '9'; h1++) {
            char num[] = "13400123456";
            bool want = h0 != '9' || h1 == '2' || h1 == '3' || h1 == '9';

            num[3] = h0;
            num[4] = h1;
            cr_expect_eq(mobile(num), want, "%s", num);
        }
    }
}

Test(mobile, block_161)
{
    /* Only 1619 (China SatNet). */
    for (char h0 = '0'; h0 <= '9'; h0++) {
        char num[] = "16100123456";

        num[3] = h0;
        cr_expect_eq(mobile(num), h0 == '9', "%s", num);
    }
}

Test(mobile, blocks_170_174)
{
    /* 170: 0-2 Telecom, 3/5/6 Mobile, 4/7-9 Unicom -> every 4th digit. */
    for (char h0 = '0'; h0 <= '9'; h0++) {
        char num[] = "17000123456";

        num[3] = h0;
        cr_expect(mobile(num), "%s", num);
    }
    /* 174: 1740(0-5) + 1740(6-9), 1741(0-2), 1749; nothing else. */
    for (char h0 = '0'; h0 <= '9'; h0++) {
        for (char h1 = '0'; h1 <= '9'; h1++) {
            char num[] = "17400123456";
            bool want = h0 == '0' || h0 == '9' || (h0 == '1' && h1 <= '2');

            num[3] = h0;
            num[4] = h1;
            cr_expect_eq(mobile(num), want, "%s", num);
        }
    }
}

Test(mobile, bounded_by_n)
{
    cr_expect(mobile_n("138001380001", 11));
    cr_expect_not(mobile_n("13800138000", 10));
}

/* ------------------------------------------------------------------------ */
/* Dates                                                                    */
/* ------------------------------------------------------------------------ */

Test(date, calendar)
{
    static const struct {
        unsigned y;
        unsigned m;
        unsigned d;
        bool ok;
    } cases[] = {
        {2000, 2, 29, true},  {1900, 2, 29, false}, {2024, 2, 29, true},
        {2023, 2, 29, false}, {2100, 2, 29, false}, {2400, 2, 29, true},
        {2023, 2, 28, true},  {2024, 2, 30, false}, {1990, 1, 31, true},
        {1990, 4, 30, true},  {1990, 4, 31, false}, {1990, 6, 31, false},
        {1990, 9, 31, false}, {1990, 11, 31, false}, {1990, 12, 31, true},
        {1990, 7, 31, true},  {1990, 8, 31, true},  {1990, 0, 1, false},
        {1990, 13, 1, false}, {1990, 1, 0, false},  {1990, 1, 32, false},
        {0, 1, 1, false},     {1, 1, 1, true},
    };

    for (size_t i = 0; i < COUNT(cases); i++) {
        cr_expect_eq(pii_valid_date(cases[i].y, cases[i].m, cases[i].d),
                     cases[i].ok, "%04u-%02u-%02u", cases[i].y, cases[i].m,
                     cases[i].d);
    }
}
