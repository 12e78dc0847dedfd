/*
 * validators.c - the named validators that pattern files refer to
 * (`validator: luhn`). Each adapts a pure check from validate.h or
 * validate_intl.h to the common signature: compact candidate text in,
 * confidence factor out (0 = reject). The names are part of the pattern
 * file format: never rename one.
 */
#include <string.h>

#include "detect/detect.h"
#include "detect/patfile.h"
#include "detect/validate.h"
#include "detect/validate_intl.h"

/* Skip a 0086 / 86 country code in front of an 11-digit mobile number. */
static uint8_t v_cn_mobile(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    if (n == 15 && memcmp(s, "0086", 4) == 0) {
        s += 4;
        n -= 4;
    } else if (n == 13 && s[0] == '8' && s[1] == '6') {
        s += 2;
        n -= 2;
    }
    if (pii_valid_cn_mobile(s, n))
        return 100;
    /* an allocated block outside its published sub-ranges: still a phone
     * number in all likelihood (or a typo of one) */
    return pii_cn_mobile_block_allocated(s, n) ? 67 : 0;
}

static uint8_t v_cn_id(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    return pii_check_cn_id(s, n, cfg->today) == PII_CNID_OK ? 100 : 0;
}

static uint8_t v_bank_card(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    return pii_valid_bank_card(s, n) ? 100 : 0;
}

static uint8_t v_luhn(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    return pii_valid_luhn(s, n) ? 100 : 0;
}

/* Landline digits with an optional 86 / 0086 country code; the national
 * form always carries the trunk 0. */
static uint8_t v_cn_landline(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    char buf[24];
    if (n >= 4 && memcmp(s, "0086", 4) == 0) {
        s += 4;
        n -= 4;
    } else if (n >= 2 && s[0] == '8' && s[1] == '6') {
        s += 2;
        n -= 2;
    } else {
        return pii_valid_cn_landline(s, n) ? 100 : 0;
    }
    if (n == 0 || n + 1 > sizeof(buf))
        return 0;
    if (s[0] == '0')
        return pii_valid_cn_landline(s, n) ? 100 : 0;
    buf[0] = '0';
    memcpy(buf + 1, s, n);
    return pii_valid_cn_landline(buf, n + 1) ? 100 : 0;
}

static uint8_t v_intl_phone(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    if (n >= 2 && s[0] == '0' && s[1] == '0') {
        s += 2;
        n -= 2;
    }
    return pii_intl_phone_cc_len(s, n) > 0 ? 100 : 0;
}

static uint8_t v_hk_id(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    return pii_valid_hk_id(s, n) ? 100 : 0;
}

static uint8_t v_tw_id(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    return pii_valid_tw_id(s, n) ? 100 : 0;
}

static uint8_t v_iban(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    return pii_valid_iban(s, n) ? 100 : 0;
}

static uint8_t v_us_ssn(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    return pii_valid_us_ssn(s, n) ? 100 : 0;
}

static uint8_t v_ipv6(const char *s, size_t n, const pii_detect_cfg *cfg)
{
    (void)cfg;
    /* "::" (the unspecified address) is valid but names no host */
    if (n == 2 && s[0] == ':' && s[1] == ':')
        return 0;
    return pii_valid_ipv6(s, n) ? 100 : 0;
}

static const struct {
    const char *name;
    pii_validator_fn fn;
} validators[] = {
    {"cn_mobile", v_cn_mobile}, {"cn_id", v_cn_id},     {"bank_card", v_bank_card},
    {"luhn", v_luhn},           {"cn_landline", v_cn_landline},
    {"intl_phone", v_intl_phone}, {"hk_id", v_hk_id},   {"tw_id", v_tw_id},
    {"iban", v_iban},           {"us_ssn", v_us_ssn},   {"ipv6", v_ipv6},
};

int pii_validator_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof(validators) / sizeof(validators[0]); i++) {
        if (strcmp(validators[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

pii_validator_fn pii_validator_get(int index)
{
    if (index < 0 || (size_t)index >= sizeof(validators) / sizeof(validators[0]))
        return NULL;
    return validators[index].fn;
}

const char *pii_validator_name(int index)
{
    if (index < 0 || (size_t)index >= sizeof(validators) / sizeof(validators[0]))
        return "none";
    return validators[index].name;
}

size_t pii_validator_count(void)
{
    return sizeof(validators) / sizeof(validators[0]);
}
