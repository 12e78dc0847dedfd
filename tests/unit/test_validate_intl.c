/*
 * test_validate_intl.c - Criterion unit tests for src/detect/validate_intl.c
 * and the generated src/detect/intl_tables.c.
 *
 * Overview: table-driven tests for every validator in validate_intl.h.
 * Expected values come from the reference notes (cn-phone.md sections 2 and
 * 4, cn-id.md sections 2 and 3, cards.md sections 3 and 4) or were computed
 * independently with Python (HKID / Taiwan check characters of constructed
 * numbers, IBAN check digits of constructed BBANs, one per registry country);
 * none is derived from the code under test. Parameters are structs holding
 * fixed-size char arrays, never pointers, because Criterion copies them into
 * the worker process. Every candidate is copied into a heap buffer of exactly
 * its length with no terminating NUL before the call, so a validator that
 * reads past `n` is caught when the suite runs under AddressSanitizer.
 */
#include <criterion/criterion.h>
#include "table_test.h"

#include <stdlib.h>
#include <string.h>

#include "detect/validate_intl.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

typedef bool (*bool_validator)(const char *, size_t);

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

static bool check_n(bool_validator f, const char *s, size_t n)
{
    char *p = exact_copy(s, n);
    bool r = f(p, n);

    free(p);
    return r;
}

static bool check(bool_validator f, const char *s)
{
    return check_n(f, s, strlen(s));
}

static size_t cc_len_n(const char *s, size_t n)
{
    char *p = exact_copy(s, n);
    size_t r = pii_intl_phone_cc_len(p, n);

    free(p);
    return r;
}

static size_t area_len_n(const char *s, size_t n)
{
    char *p = exact_copy(s, n);
    size_t r = pii_cn_area_code_len(p, n);

    free(p);
    return r;
}

struct bool_case {
    char s[48];
    bool ok;
};

struct len_case {
    char s[24];
    size_t len;
};

static void expect_case(bool_validator f, const struct bool_case *c)
{
    bool got = check(f, c->s);

    cr_expect_eq(got, c->ok, "\"%s\": got %s, want %s", c->s,
                 got ? "valid" : "invalid", c->ok ? "valid" : "invalid");
}

/* ------------------------------------------------------------------------ */
/* Mainland area codes                                                      */
/* ------------------------------------------------------------------------ */

static struct len_case area_cases[] = {
    {"010", 3},       {"01087654321", 3}, {"020", 3},  {"021", 3},
    {"029", 3},       {"0755", 4},        {"075588888888", 4},
    {"0571", 4},      {"0310", 4},        {"0898", 4}, {"0311", 4},
    /* unknown or malformed */
    {"026", 0},       {"0261", 0},        {"0000", 0}, {"0001234", 0},
    {"011", 0},       {"0301", 0},        {"0900", 0}, {"1010", 0},
    {"0a10", 0},      {"01", 0},          {"0", 0},
    /* a 4-character code needs 4 characters */
    {"075", 0},
};

PII_TABLE_TEST(struct len_case, c, area_cases, area_code, len)
{
    (void)row;
    size_t got = area_len_n(c->s, strlen(c->s));

    cr_expect_eq(got, c->len, "\"%s\": got %zu, want %zu", c->s, got, c->len);
}

Test(area_code, empty_and_bounded_by_n)
{
    cr_expect_eq(area_len_n("", 0), 0);
    cr_expect_eq(area_len_n("0755", 3), 0);
    cr_expect_eq(area_len_n("0755", 4), 4);
}

/* ------------------------------------------------------------------------ */
/* Mainland landlines                                                       */
/* ------------------------------------------------------------------------ */

static struct bool_case landline_cases[] = {
    /* valid: 2-digit codes + 8, 3-digit codes + 7 or 8 (cn-phone.md 2) */
    {"01087654321", true},
    {"075588888888", true},
    {"02161234567", true},
    {"05718765432", true},   /* 0571 + 7-digit local */
    {"057187654321", true},  /* 0571 + 8-digit local */
    {"02887654321", true},
    {"02023456789", true},
    {"08982345678", true},
    {"03102345678", true},
    {"01023456789", true},
    {"01082345678", true},   /* local may start with 8 */
    /* unknown area code */
    {"00001234567", false},
    {"00087654321", false},
    {"02612345678", false},  /* 026 unused */
    {"03012345678", false},
    /* local number starting 1 or 9 (service numbers), or 0 */
    {"01012345678", false},
    {"01095588888", false},
    {"05711234567", false},
    {"05719123456", false},
    {"057191234567", false},
    {"01001234567", false},
    /* wrong local length */
    {"0108765432", false},   /* 010 + 7 digits */
    {"0218765432", false},   /* 021 + 7 digits */
    {"0571876543", false},   /* 0571 + 6 digits */
    {"0571876543210", false},/* 0571 + 9 digits */
    {"010876543210", false}, /* 010 + 9 digits */
    /* service numbers (cn-phone.md 4), with or without an area code */
    {"4001234567", false},
    {"8001234567", false},
    {"95588", false},
    {"955881", false},
    {"96123", false},
    {"01095580", false},
    {"010955881", false},
    {"10086", false},
    {"12345", false},
    {"01010086", false},
    {"0108001234567", false},/* 10 800 + 7 digits (toll-free) */
    {"0218001234567", false},/* 21 800 + 7 digits (toll-free) */
    /* not compact digits */
    {"010-87654321", false},
    {"010 87654321", false},
    {"0108765432X", false},
    {"", false},
};

PII_TABLE_TEST(struct bool_case, c, landline_cases, cn_landline, cases)
{
    (void)row;
    expect_case(pii_valid_cn_landline, c);
}

Test(cn_landline, bounded_by_n)
{
    cr_expect(check_n(pii_valid_cn_landline, "010876543219", 11));
    cr_expect_not(check_n(pii_valid_cn_landline, "01087654321", 10));
}

/* ------------------------------------------------------------------------ */
/* International phones                                                     */
/* ------------------------------------------------------------------------ */

static struct len_case intl_cases[] = {
    /* valid */
    {"14155550132", 1},      /* US */
    {"16135550123", 1},      /* CA */
    {"442079460958", 2},     /* UK */
    {"447911123456", 2},     /* UK mobile */
    {"493012345678", 2},     /* DE */
    {"4915123456789", 2},    /* DE mobile, 11-digit NSN */
    {"33142685300", 2},      /* FR */
    {"61291234567", 2},      /* AU */
    {"81312345678", 2},      /* JP */
    {"819012345678", 2},     /* JP mobile, 10-digit NSN */
    {"85291234567", 3},      /* HK */
    {"85366123456", 3},      /* MO */
    {"886912345678", 3},     /* TW */
    {"79161234567", 1},      /* RU */
    {"6581234567", 2},       /* SG */
    {"919876543210", 2},     /* IN */
    {"34612345678", 2},      /* ES */
    {"3612345678", 2},       /* HU, 8-digit NSN */
    /* +86 belongs to the mainland detectors */
    {"8613812345678", 0},
    {"861087654321", 0},
    /* implausible national length */
    {"1415555013", 0},       /* US, 9 */
    {"141555501320", 0},     /* US, 11 */
    {"4420794609", 0},       /* UK, 8 */
    {"442079460958123", 0},  /* UK, 13 */
    {"3314268530", 0},       /* FR, 8 */
    {"331426853001", 0},     /* FR, 10 */
    {"6129123456", 0},       /* AU, 8 */
    {"8131234567", 0},       /* JP, 8 */
    {"8529123456", 0},       /* HK, 7 */
    {"4930123", 0},          /* 7 digits in all */
    {"4930123456789012", 0}, /* 16 digits in all */
    /* unassigned or non-personal country codes */
    {"80712345678", 0},
    {"80112345678", 0},
    {"99912345678", 0},
    {"99712345678", 0},
    {"38412345678", 0},
    {"21012345678", 0},
    {"28912345678", 0},
    {"80012345678", 0},      /* international freephone */
    {"97912345678", 0},      /* international premium rate */
    /* NANP area code or exchange starting with 0 or 1 */
    {"10155550132", 0},
    {"11155550132", 0},
    {"14150550132", 0},
    {"14151550132", 0},
    /* not compact digits / leading 0 */
    {"+14155550132", 0},
    {"1415555013a", 0},
    {"0442079460958", 0},
    {"00442079460958", 0},
};

PII_TABLE_TEST(struct len_case, c, intl_cases, intl_phone, cc_len)
{
    (void)row;
    size_t got = cc_len_n(c->s, strlen(c->s));

    cr_expect_eq(got, c->len, "\"%s\": got %zu, want %zu", c->s, got, c->len);
}

Test(intl_phone, uk_length_boundaries)
{
    /* 44 + 9 and 44 + 10 digits are the only plausible UK lengths. */
    static const char digits[] = "2079460958123";

    for (size_t nsn = 6; nsn <= 13; nsn++) {
        char buf[16] = "44";

        memcpy(buf + 2, digits, nsn);
        cr_expect_eq(cc_len_n(buf, 2 + nsn), (nsn == 9 || nsn == 10) ? 2u : 0u,
                     "44 + %zu digits", nsn);
    }
}

Test(intl_phone, empty_and_bounded_by_n)
{
    cr_expect_eq(cc_len_n("", 0), 0);
    cr_expect_eq(cc_len_n("141555501329", 11), 1);
    cr_expect_eq(cc_len_n("14155550132", 10), 0);
}

/* ------------------------------------------------------------------------ */
/* Hong Kong ID                                                             */
/* ------------------------------------------------------------------------ */

static struct bool_case hkid_cases[] = {
    /* cn-id.md 2 verified examples */
    {"A1234563", true},
    {"E3649125", true},
    {"AB9876543", true},
    {"C6686689", true},
    {"G000000A", true},
    {"XA0000008", true},
    /* computed with Python */
    {"Z1234561", true},
    {"ZZ9999999", true},
    /* cn-id.md 2 invalid example and other wrong check characters */
    {"A1234564", false},
    {"A1234560", false},
    {"A123456A", false},
    {"AB9876544", false},
    {"G0000000", false},
    /* shape */
    {"a1234563", false},
    {"aB9876543", false},
    {"Ab9876543", false},
    {"A123456(3)", false},
    {"A123456B", false},
    {"A12345X3", false},
    {"1A234563", false},
    {"A123456", false},
    {"ABC1234563", false},
    {"A1234563 ", false},
    {"", false},
};

PII_TABLE_TEST(struct bool_case, c, hkid_cases, hk_id, cases)
{
    (void)row;
    expect_case(pii_valid_hk_id, c);
}

Test(hk_id, only_one_check_character_fits)
{
    static const char checks[] = "0123456789A";

    for (size_t i = 0; i < sizeof checks - 1; i++) {
        char buf[] = "A123456?";

        buf[7] = checks[i];
        cr_expect_eq(check(pii_valid_hk_id, buf), checks[i] == '3', "%s", buf);
    }
}

Test(hk_id, bounded_by_n)
{
    cr_expect(check_n(pii_valid_hk_id, "A12345639", 8));
    cr_expect_not(check_n(pii_valid_hk_id, "AB9876543", 8));
}

/* ------------------------------------------------------------------------ */
/* Taiwan ID                                                                */
/* ------------------------------------------------------------------------ */

static struct bool_case twid_cases[] = {
    /* cn-id.md 3 verified examples */
    {"A123456789", true},
    {"F131104093", true},
    {"B287654326", true},
    {"A800000014", true},
    {"C900123454", true},
    /* computed with Python: the non-alphabetical letters I, O, Z */
    {"I123456781", true},
    {"O223456784", true},
    {"Z912345674", true},
    /* cn-id.md 3 invalid examples */
    {"A123456788", false},
    {"B234567890", false},
    /* second character must be 1, 2, 8 or 9 (checksum correct) */
    {"A323456783", false},
    /* shape */
    {"a123456789", false},
    {"1123456789", false},
    {"AB23456789", false},
    {"A12345678", false},
    {"A1234567890", false},
    {"A12345678X", false},
    {"", false},
};

PII_TABLE_TEST(struct bool_case, c, twid_cases, tw_id, cases)
{
    (void)row;
    expect_case(pii_valid_tw_id, c);
}

Test(tw_id, only_one_check_digit_fits)
{
    for (char d = '0'; d <= '9'; d++) {
        char buf[] = "A12345678?";

        buf[9] = d;
        cr_expect_eq(check(pii_valid_tw_id, buf), d == '9', "%s", buf);
    }
}

Test(tw_id, bounded_by_n)
{
    cr_expect(check_n(pii_valid_tw_id, "A1234567890", 10));
    cr_expect_not(check_n(pii_valid_tw_id, "A123456789", 9));
}

/* ------------------------------------------------------------------------ */
/* IBAN                                                                     */
/* ------------------------------------------------------------------------ */

static struct bool_case iban_cases[] = {
    /* cards.md 3.2 valid */
    {"DE89370400440532013000", true},
    {"GB29NWBK60161331926819", true},
    {"GB82WEST12345698765432", true},
    {"FR1420041010050500013M02606", true},
    {"ES9121000418450200051332", true},
    {"IT60X0542811101000000123456", true},
    {"NL91ABNA0417164300", true},
    {"BE68539007547034", true},
    {"CH9300762011623852957", true},
    {"AT611904300234573201", true},
    {"PL61109010140000071219812874", true},
    {"SE4550000000058398257466", true},
    {"NO9386011117947", true},
    {"DK5000400440116243", true},
    {"FI2112345600000785", true},
    {"PT50000201231234567890154", true},
    {"IE29AIBK93115212345678", true},
    {"LU280019400644750000", true},
    {"SA0380000000608010167519", true},
    {"AE070331234567890123456", true},
    {"TR330006100519786457841326", true},
    {"BR1800360305000010009795493C1", true},
    {"MT84MALT011000012345MTLCAST001S", true},
    {"GR1601101250000000012300695", true},
    {"CZ6508000000192000145399", true},
    {"HU42117730161111101800000000", true},
    {"RO49AAAA1B31007593840000", true},
    {"IL620108000000099999999", true},
    {"KW81CBKU0000000000001234560101", true},
    {"QA58DOHB00001234567890ABCDEFG", true},
    /* cards.md 3.2 invalid (last character changed) */
    {"DE89370400440532013001", false},
    {"GB29NWBK60161331926818", false},
    {"NL91ABNA0417164301", false},
    /* wrong length for the country (check digits recomputed: MOD 97 ok) */
    {"DE5137040044053201300", false},
    {"DE813704004405320130000", false},
    /* unknown country (check digits recomputed: MOD 97 ok) */
    {"XX46370400440532013000", false},
    {"US88370400440532013000", false},
    /* BBAN layout violated (check digits recomputed: MOD 97 ok) */
    {"GB25123412345698765432", false}, /* GB bank code 4a */
    {"NL5312340417164300", false},     /* NL bank code 4a */
    {"DE0537040044053201300A", false}, /* DE 18n */
    /* check digits 00 / 01 / 99: MOD 97 ok, never issued */
    {"DE00370400440532000052", false}, /* alias of DE97... */
    {"DE01370400440532000034", false}, /* alias of DE98... */
    {"DE99370400440532000016", false}, /* alias of DE02... */
    /* ... the issued forms of the same accounts */
    {"DE97370400440532000052", true},
    {"DE98370400440532000034", true},
    {"DE02370400440532000016", true},
    /* not compact upper-case */
    {"GB82 WEST 1234 5698 7654 32", false},
    {"GB82west12345698765432", false},
    {"gb82WEST12345698765432", false},
    {"DE8937040044053201300", false},
    {"DE", false},
    {"", false},
};

PII_TABLE_TEST(struct bool_case, c, iban_cases, iban, cases)
{
    (void)row;
    expect_case(pii_valid_iban, c);
}

Test(iban, one_example_per_registry_country)
{
    /* One IBAN per row of iban-countries.tsv: BBAN filled per its format,
     * check digits computed with Python. */
    static const char *const ibans[] = {
        "AD5031415926E5F6G7H8I9J0", "AE263141592653589793238",
        "AL5031415926E5F6G7H8I9J0K1L2", "AT793141592653589793",
        "AX5531415926535897", "AZ12QWERC3D4E5F6G7H8I9J0K1L2",
        "BA303141592653589793", "BE38314159265358", "BG80QWER592653F6G7H8I9",
        "BH95QWERC3D4E5F6G7H8I9", "BR1031415926535897932384626BM",
        "BY89QWER5926E5F6G7H8I9J0K1L2", "CH53314153D4E5F6G7H8I",
        "CR53314159265358979323", "CY9031415926E5F6G7H8I9J0K1L2",
        "CZ8631415926535897932384", "DE83314159265358979323",
        "DK6731415926535897", "DO49QWER59265358979323846264",
        "EE883141592653589793", "EG973141592653589793238462643",
        "ES8931415926535897932384", "FI5531415926535897", "FO3731415926535897",
        "FR593141592653F6G7H8I9J0K26", "GB52QWER59265358979323",
        "GE52A14159265358979323", "GF863141592653F6G7H8I9J0K26",
        "GI22QWERC3D4E5F6G7H8I9J", "GL3731415926535897",
        "GP563141592653F6G7H8I9J0K26", "GR3231415924E5F6G7H8I9J0K1L",
        "GT39A1B2C3D4E5F6G7H8I9J0K1L2", "HR3231415926535897932",
        "HU55314159265358979323846264", "IE62A1B259265358979323",
        "IL303141592653589793238", "IQ79QWER592653589793238",
        "IS423141592653589793238462", "IT75Q14159265356G7H8I9J0K1L",
        "JO79QWER5926E5F6G7H8I9J0K1L2M3", "KW78QWERC3D4E5F6G7H8I9J0K1L2M3",
        "KZ303142C3D4E5F6G7H8", "LB153141C3D4E5F6G7H8I9J0K1L2",
        "LC71QWERC3D4E5F6G7H8I9J0K1L2M3N4", "LI66314153D4E5F6G7H8I",
        "LT773141592653589793", "LU363142C3D4E5F6G7H8",
        "LV49QWERC3D4E5F6G7H8I", "LY06314159265358979323846",
        "MC413141592653F6G7H8I9J0K26", "MD81A1B2C3D4E5F6G7H8I9J0",
        "ME02314159265358979323", "MF323141592653F6G7H8I9J0K26",
        "MK753142C3D4E5F6G79", "MN863141592653589793",
        "MQ963141592653F6G7H8I9J0K26", "MR0531415926535897932384626",
        "MT48QWER592655F6G7H8I9J0K1L2M3N", "MU25QWER5926535897932384626BNM",
        "NC323141592653F6G7H8I9J0K26", "NI74QWER59265358979323846264",
        "NL48QWER5926535897", "NO3331415926535", "OM323142C3D4E5F6G7H8I9J",
        "PF053141592653F6G7H8I9J0K26", "PK86A1B25926535897932384",
        "PL10314159265358979323846264", "PM813141592653F6G7H8I9J0K26",
        "PS40A1B2592653589793238462643", "PT82314159265358979323846",
        "QA52QWERC3D4E5F6G7H8I9J0K1L2M", "RE873141592653F6G7H8I9J0K26",
        "RO33QWERC3D4E5F6G7H8I9J0", "RS12314159265358979323",
        "RU7031415926535897H8I9J0K1L2M3N4O", "SA5631B2C3D4E5F6G7H8I9J0",
        "SC76QWER59265358979323846264NMQ", "SD5031415926535897",
        "SE0531415926535897932384", "SI39314159265358979",
        "SK8431415926535897932384", "SM06Q14159265356G7H8I9J0K1L",
        "SO283141592653589793238", "ST55314159265358979323846",
        "SV87QWER59265358979323846264", "TF663141592653F6G7H8I9J0K26",
        "TL283141592653589793238", "TN6631415926535897932384",
        "TR60314153D4E5F6G7H8I9J0K1", "UA61314159D4E5F6G7H8I9J0K1L2M",
        "VA30314159265358979323", "VG44A1B25926535897932384",
        "WF393141592653F6G7H8I9J0K26", "XK933141592653589793",
        "YE71QWER5926E5F6G7H8I9J0K1L2M3", "YT763141592653F6G7H8I9J0K26",
    };

    cr_expect_eq(COUNT(ibans), 97u);
    for (size_t i = 0; i < COUNT(ibans); i++) {
        cr_expect(check(pii_valid_iban, ibans[i]), "%s should be valid", ibans[i]);
    }
}

Test(iban, every_single_substitution_detected)
{
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const char good[] = "GB82WEST12345698765432";

    for (size_t i = 0; i < sizeof good - 1; i++) {
        for (size_t k = 0; k < sizeof alphabet - 1; k++) {
            char buf[sizeof good];

            memcpy(buf, good, sizeof good);
            if (buf[i] == alphabet[k]) {
                continue;
            }
            buf[i] = alphabet[k];
            cr_expect_not(check(pii_valid_iban, buf), "%s should be invalid", buf);
        }
    }
}

/* body = IBAN with "??" for the check digits: no pair 00-99 may make it
 * valid, so the rejection comes from the layout, not from MOD 97. */
static void expect_no_check_digits_fit(const char *body)
{
    size_t n = strlen(body);
    char buf[40];

    cr_assert_lt(n, sizeof buf);
    memcpy(buf, body, n + 1);
    for (unsigned cd = 0; cd < 100u; cd++) {
        buf[2] = (char)('0' + cd / 10u);
        buf[3] = (char)('0' + cd % 10u);
        cr_expect_not(check(pii_valid_iban, buf), "%s should be invalid", buf);
    }
}

Test(iban, bban_character_classes)
{
    /* Control: the well-formed bodies do have a fitting pair. */
    cr_expect(check(pii_valid_iban, "FR1420041010050500013M02606"));
    cr_expect(check(pii_valid_iban, "GB82WEST12345698765432"));
    cr_expect(check(pii_valid_iban, "DE89370400440532013000"));
    /* c (upper-case letter or digit): lower case, punctuation, space */
    expect_no_check_digits_fit("FR??20041010050500013m02606");
    expect_no_check_digits_fit("FR??20041010050500013-02606");
    expect_no_check_digits_fit("FR??20041010050500013 02606");
    expect_no_check_digits_fit("FR??2004101005050001@M02606");
    /* a (upper-case letter) */
    expect_no_check_digits_fit("GB??WES712345698765432");
    expect_no_check_digits_fit("GB??wEST12345698765432");
    expect_no_check_digits_fit("GB??WE[T12345698765432");
    /* n (digit) */
    expect_no_check_digits_fit("DE??37040044053201300A");
    expect_no_check_digits_fit("DE??3704004405320130:0");
    expect_no_check_digits_fit("FR??20041010050500013M0260A");
}

Test(iban, bounded_by_n)
{
    cr_expect(check_n(pii_valid_iban, "NO93860111179470", 15));
    cr_expect_not(check_n(pii_valid_iban, "NO9386011117947", 14));
}

/* ------------------------------------------------------------------------ */
/* US SSN                                                                   */
/* ------------------------------------------------------------------------ */

static struct bool_case ssn_cases[] = {
    /* cards.md 4 */
    {"123456789", true},
    {"078051120", true},
    {"219099999", true},
    {"000123456", false},
    {"666123456", false},
    {"900123456", false},
    {"123004567", false},
    {"123450000", false},
    /* boundaries */
    {"001010001", true},
    {"665999999", true},
    {"667010001", true},
    {"899999999", true},
    {"999999999", false},
    /* compact digits only */
    {"123-45-6789", false},
    {"123 45 6789", false},
    {"12345678", false},
    {"1234567890", false},
    {"12345678X", false},
    {"", false},
};

PII_TABLE_TEST(struct bool_case, c, ssn_cases, us_ssn, cases)
{
    (void)row;
    expect_case(pii_valid_us_ssn, c);
}

Test(us_ssn, bounded_by_n)
{
    cr_expect(check_n(pii_valid_us_ssn, "1234567890", 9));
    cr_expect_not(check_n(pii_valid_us_ssn, "123456789", 8));
}

/* ------------------------------------------------------------------------ */
/* IPv6                                                                     */
/* ------------------------------------------------------------------------ */

static struct bool_case ipv6_cases[] = {
    {"::1", true},
    {"::", true},
    {"2001:db8::1", true},
    {"2001:0db8:85a3:0000:0000:8a2e:0370:7334", true},
    {"fe80::1:2:3:4", true},
    {"::ffff:192.0.2.128", true},
    {"2001:DB8::1", true},
    {"FE80::aBcD", true},
    {"1::", true},
    {"1:2:3:4:5:6:7::", true},
    {"::1:2:3:4:5:6:7", true},
    {"1:2:3:4:5:6:7:8", true},
    {"1:2:3:4:5:6:1.2.3.4", true},
    {"::1.2.3.4", true},
    {"64:ff9b::192.0.2.33", true},
    {"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", true}, /* 45 chars */
    {"1:2:3:4:5:6:7:8:9", false},
    {"2001:db8:::1", false},
    {"12345::1", false},
    {"1::2::3", false},
    {":1:2", false},
    {":12:3", false},
    {":1234::1", false},
    {"g::1", false},
    {"1:2", false},
    {"1:2:", false},
    {":::", false},
    {":", false},
    {"", false},
    {"1:2:3:4:5:6:7", false},
    {"1:2:3:4:5:6:7:8::", false},
    {"::1:2:3:4:5:6:7:8", false},
    {"1:2:3:4:5:6:7:8:", false},
    {"1:2:3:4:5:6:7:1.2.3.4", false},
    {"::1:2:3:4:5:6:1.2.3.4", false},
    {"1.2.3.4", false},
    {"::ffff:1.2.3", false},
    {"::ffff:1.2.3.256", false},
    {"::ffff:01.2.3.4", false},
    {"::ffff:1.2.3.4.5", false},
    {"::ffff:1.2.3.4:1", false},
    {"::ffff:1..3.4", false},
    {"::ab.1.2.3", false},
    {"fe80::1%eth0", false},
    {"2001:db8::1 ", false},
    {"[2001:db8::1]", false},
    {"2001:db8:0:0:0:0:0:0:1", false},
};

PII_TABLE_TEST(struct bool_case, c, ipv6_cases, ipv6, cases)
{
    (void)row;
    expect_case(pii_valid_ipv6, c);
}

Test(ipv6, bounded_by_n)
{
    cr_expect(check_n(pii_valid_ipv6, "::1:", 3));
    cr_expect_not(check_n(pii_valid_ipv6, "2001:db8::1", 4));
    cr_expect(check_n(pii_valid_ipv6, "::ffff:1.2.3.45", 14));
    cr_expect_not(check_n(pii_valid_ipv6, "::ffff:1.2.3.4", 13));
}
