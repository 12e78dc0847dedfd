/*
 * generalize.h - coarsen a value instead of hiding it: numbers to bands,
 * top-coding, dates to day / month / year, a keyed date shift, Chinese
 * addresses to province / city / district, IPv4 addresses to a prefix.
 *
 * Every function reads the whole value v[0, n) (bytes, not NUL-terminated,
 * never read past n) and appends the result to out. A value the function
 * does not understand is PII_E_PARSE with out unchanged: the caller must
 * fail closed (redact it), never pass it through. Leading and trailing
 * ASCII spaces around a value are kept around the result.
 */
#ifndef PII_GENERALIZE_H
#define PII_GENERALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pii_buf.h"
#include "piiscrub/piiscrub.h"

/*
 * Numbers: v is [-+]?digits[.digits] (ASCII, at most 18 digits in all).
 *   band > 0:  the band of floor(v): 37 -> "30-39", 7 -> "0-9", -3 -> "-10--1",
 *              37.5 -> "30-39"; band 1 gives floor(v) alone ("37"; -3.5 ->
 *              "-4").
 *   top given: v >= top -> "<top>+" ("90+", top written by %g, e.g. 90, 1e+06
 *              is written 1000000: shortest exact decimal), checked first.
 *              top is taken as that decimal - the shortest one that reads
 *              back as the same double, no exponent ("99.5", "0.1") - and v
 *              is compared with it exactly, digit by digit: 0.1 >= top 0.1.
 * At least one of band > 0 / has_top. Without band a value below top is
 * copied unchanged. Neither, or a non-finite top, is PII_E_INTERNAL (misuse).
 */
PII_NODISCARD pii_status pii_gen_number(const uint8_t *v, size_t n, long band, bool has_top,
                                        double top, pii_buf *out);

typedef enum { PII_GEN_DAY = 0, PII_GEN_MONTH = 1, PII_GEN_YEAR = 2 } pii_gen_unit;

/*
 * Dates and timestamps. Understood forms (year 1000-9999, real calendar
 * dates, month and day with or without a leading zero):
 *   2024-03-05   2024/3/5   2024.03.05   20240305 (exactly 8 digits)
 *   2024年3月5日  (optionally followed by a time)
 * optionally followed by a time: 'T' or ' ' then HH:MM[:SS[.frac]] and an
 * optional zone (Z, +08:00, +0800, -05), or for the Chinese form a time
 * such as " 14:30" / "14时30分". The result is in the input's own style:
 *   day    2024-03-05    2024/3/5    20240305   2024年3月5日   (time dropped)
 *   month  2024-03       2024/3      202403     2024年3月
 *   year   2024          2024        2024       2024年
 * Precisely: both separators the same; the hour 0-23 in one or two digits,
 * minutes and seconds in two (second 60 allowed), 1-9 fraction digits; the
 * Chinese time may follow 日 directly or after one space, as a clock (with
 * an optional zone) or H时[M分[S秒]] (点 for 时). Nothing else may follow.
 * Anything else (12/03/2024, 2024-13-01, 2024-02-30, 20241301, 2024-3/5,
 * trailing text) is PII_E_PARSE.
 */
PII_NODISCARD pii_status pii_gen_date(const uint8_t *v, size_t n, pii_gen_unit unit,
                                      pii_buf *out);

/* The same date forms, shifted by `days` (may be negative) in the proleptic
 * Gregorian calendar; everything else (separators, zero padding, the time
 * and zone) is kept byte for byte. A result outside years 1000-9999 is
 * PII_E_PARSE.
 * Zero padding is kept per component: "2024-3-5" stays unpadded, "2024-03-05"
 * padded. A component written with two digits >= 10 does not show it and
 * takes the other component's, else the form's default: padded for '-',
 * '.' and 8 digits, unpadded for '/' and 年. Shifting by d and then by -d
 * gives the input back exactly whenever the padding inferred from the
 * shifted date is the input's; otherwise only zero padding differs
 * ("2024-3-15" +214 days is "2024-10-15", which comes back as "2024-03-15";
 * "2024-3-07" +3 is "2024-3-10", which comes back as "2024-3-7"). */
PII_NODISCARD pii_status pii_gen_date_shift(const uint8_t *v, size_t n, long days, pii_buf *out);

/* The keyed shift of a subject: a value in [-max_days, max_days], the same
 * for the same (key, subject) on every machine: BLAKE2b-64 keyed by key[32]
 * over the subject bytes, reduced without bias by rejection. max_days >= 1.
 * Exactly: h = BLAKE2b(key, subject), 8-byte digest read little-endian,
 * r = 2 max_days + 1; h is accepted when h < r * floor(2^64 / r), else the
 * hash is taken again over subject || c for c = 1, 2, ... as 4 little-endian
 * bytes; the result is h mod r - max_days. max_days < 1 gives 0. */
long pii_gen_shift_days(const uint8_t key[32], const uint8_t *subject, size_t n, long max_days);

/* IPv4 dotted quad (no leading zeros beyond "0", octets 0-255) to its
 * network: prefix 24 -> "121.249.194.0/24", 16 -> "121.249.0.0/16"; prefix
 * is 8, 16 or 24 (else PII_E_INTERNAL). */
PII_NODISCARD pii_status pii_gen_ipv4(const uint8_t *v, size_t n, unsigned prefix, pii_buf *out);

typedef enum { PII_GEN_PROVINCE = 1, PII_GEN_CITY = 2, PII_GEN_DISTRICT = 3 } pii_gen_level;

/*
 * A Chinese address down to a division level, as the canonical full names
 * from the gazetteer: "广东深圳南山科技园10栋" at city level ->
 * "广东省深圳市", at district level -> "广东省深圳市南山区"; the province
 * is added when the address starts lower ("南山区..." -> "广东省深圳市南山区"
 * when the name is unambiguous). Municipalities have no city level
 * ("北京市朝阳区..." at city level -> "北京市"). When the address stops
 * above the level, the deepest division found is the result. No division
 * name in the first 64 bytes (after an optional label such as "地址：") is
 * PII_E_PARSE.
 * Reading: the first division name starting in that window that is a full
 * name, a short form of three or more characters, or a shorter short form
 * (深圳, 南山: ordinary words too) followed by a division below it; then,
 * across ASCII / ideographic spaces, each further name that lies below the
 * previous one (short forms included; a name still ambiguous there only as
 * its direct child). The result is the deepest division's chain from the
 * province down, cut at the level; a county-level unit directly under its
 * province (仙桃市) has no city ("湖北省" at city level). An ambiguous first
 * name that no lower name confirms (朝阳区 alone: Beijing or Changchun) gets
 * no invented parents: its own canonical name at its level or finer
 * ("朝阳区"), and PII_E_PARSE for a coarser level, which it cannot tell.
 */
PII_NODISCARD pii_status pii_gen_address(const uint8_t *v, size_t n, pii_gen_level level,
                                         pii_buf *out);

#endif /* PII_GENERALIZE_H */
