#!/usr/bin/env python3
"""Generate src/detect/intl_tables.c from the bundled international tables.

Reads
  data/regions/area-codes.tsv   mainland long-distance area codes (with the
                                trunk 0: 010, 02x, 0xyz), column area_code;
  data/iban-countries.tsv       IBAN registry: country, iban_length,
                                bban_format (e.g. 4a14n);
  data/e164.tsv                 E.164 country calling codes with the
                                plausible national number length range
                                (comment lines start with '#');
validates them (shape, prefix-freeness, BBAN format adds up to the IBAN
length, ...) and writes a C11 source file with the sorted tables, the public
pii_cn_area_code_len() and two private look-ups used by validate_intl.c.

The generated file is committed so that building piiscrub needs no Python.
Regenerate it after changing any of the inputs:

    python3 tools/gen_intl_tables.py            # writes src/detect/intl_tables.c
    python3 tools/gen_intl_tables.py --check    # exit 1 if the file is stale

The private look-ups have no header (validate_intl.h is the public API), so
their prototypes are repeated in src/detect/validate_intl.c; both modes also
fail when validate_intl.c does not contain the exact PRIVATE_DECLS block
below, so the two copies cannot drift apart silently.

Paths are resolved relative to the repository root (the parent of tools/),
so the script can be run from any working directory.
"""

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AREA_CODES = "data/regions/area-codes.tsv"
IBAN = "data/iban-countries.tsv"
E164 = "data/e164.tsv"
OUTPUT = "src/detect/intl_tables.c"
CONSUMER = "src/detect/validate_intl.c"
PER_LINE = 10

# Must appear verbatim in both the generated file and validate_intl.c.
PRIVATE_DECLS = """\
/* Private interface of the generated tables (src/detect/intl_tables.c);
 * tools/gen_intl_tables.py checks that this block is identical there and in
 * validate_intl.c. */
const char *pii_intl_iban_format(char c0, char c1, size_t *iban_len);
bool pii_intl_e164_range(uint32_t cc, size_t *min_nsn, size_t *max_nsn);
"""

BBAN_RE = re.compile(r"^(?:[1-9][0-9]?[nac])+$")


def die(msg):
    sys.exit("gen_intl_tables: " + msg)


def read_tsv(rel_path, columns, comments=False):
    """Yield (lineno, row dict) for each data row; check the header."""
    path = os.path.join(ROOT, rel_path)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = None
    for lineno, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if not line or (comments and line.startswith("#")):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            missing = [c for c in columns if c not in header]
            if missing:
                die("%s:%d: header lacks column(s) %s"
                    % (rel_path, lineno, ", ".join(missing)))
            continue
        if len(cells) != len(header):
            die("%s:%d: %d cells, header has %d"
                % (rel_path, lineno, len(cells), len(header)))
        yield lineno, dict(zip(header, cells))
    if header is None:
        die("%s: empty file" % rel_path)


def is_ascii_digits(s):
    return s.isascii() and s.isdigit()


def read_area_codes():
    """Area codes as integers without the trunk 0: 10, 20-29, 300-999."""
    rows = 0
    codes = set()
    for lineno, row in read_tsv(AREA_CODES, ("area_code",)):
        code = row["area_code"]
        where = "%s:%d: area code %r" % (AREA_CODES, lineno, code)
        if not is_ascii_digits(code) or code[0] != "0":
            die(where + " is not 0 + digits")
        # Prefix-free by construction: 3-character codes are 01x/02x,
        # 4-character codes 0[3-9]xx, so no code is a prefix of another.
        if len(code) == 3:
            if code[1] not in "12":
                die(where + ": 3-character codes must be 01x or 02x")
        elif len(code) == 4:
            if code[1] not in "3456789":
                die(where + ": 4-character codes must be 0[3-9]xx")
        else:
            die(where + " must have 3 or 4 characters")
        rows += 1
        codes.add(int(code[1:]))
    if not codes:
        die("%s: no area codes" % AREA_CODES)
    return rows, sorted(codes)


def read_iban():
    entries = []
    seen = set()
    for lineno, row in read_tsv(IBAN, ("country", "iban_length",
                                       "bban_format")):
        cc = row["country"]
        where = "%s:%d: %s" % (IBAN, lineno, cc)
        if len(cc) != 2 or not cc.isascii() or not cc.isupper() \
                or not cc.isalpha():
            die(where + ": country is not 2 upper-case ASCII letters")
        if cc in seen:
            die(where + ": duplicate country")
        seen.add(cc)
        if not is_ascii_digits(row["iban_length"]):
            die(where + ": bad iban_length")
        length = int(row["iban_length"])
        if not 15 <= length <= 34:
            die(where + ": iban_length %d outside 15..34" % length)
        fmt = row["bban_format"]
        if not BBAN_RE.match(fmt):
            die(where + ": bban_format %r is not <count><n|a|c>..." % fmt)
        total = sum(int(k) for k in re.findall(r"[0-9]+", fmt))
        if 4 + total != length:
            die(where + ": 4 + BBAN fields (%d) != iban_length %d"
                % (total, length))
        entries.append((cc, length, fmt))
    if not entries:
        die("%s: no countries" % IBAN)
    return sorted(entries)


def read_e164():
    entries = []
    for lineno, row in read_tsv(E164, ("cc", "min_nsn", "max_nsn"),
                                comments=True):
        cc = row["cc"]
        where = "%s:%d: cc %r" % (E164, lineno, cc)
        if not is_ascii_digits(cc) or not 1 <= len(cc) <= 3 or cc[0] == "0":
            die(where + " is not 1-3 digits without a leading 0")
        lo, hi = row["min_nsn"], row["max_nsn"]
        if not is_ascii_digits(lo) or not is_ascii_digits(hi):
            die(where + ": bad min_nsn/max_nsn")
        lo, hi = int(lo), int(hi)
        if not 1 <= lo <= hi <= 15 - len(cc):
            die(where + ": range %d..%d impossible for E.164" % (lo, hi))
        entries.append((cc, lo, hi))
    if not entries:
        die("%s: no codes" % E164)
    codes = [e[0] for e in entries]
    if len(set(codes)) != len(codes):
        die("%s: duplicate country codes" % E164)
    # E.164 country codes form a prefix code; the C look-up relies on it.
    for a in codes:
        for b in codes:
            if a != b and b.startswith(a):
                die("%s: %s is a prefix of %s" % (E164, a, b))
    return sorted(entries, key=lambda e: int(e[0]))


def rows_of(items, per_line):
    for i in range(0, len(items), per_line):
        yield "    " + " ".join(items[i:i + per_line]) + "\n"


def render(area_rows, area, iban, e164):
    out = []
    w = out.append
    w("/*\n")
    w(" * intl_tables.c - GENERATED FILE, DO NOT EDIT.\n")
    w(" *\n")
    w(" * Generated by tools/gen_intl_tables.py from data/regions/area-codes.tsv,\n")
    w(" * data/iban-countries.tsv and data/e164.tsv. To regenerate, run from the\n")
    w(" * repository root: python3 tools/gen_intl_tables.py (and commit the result;\n")
    w(" * the build needs no Python). `--check` reports whether this file is stale.\n")
    w(" *\n")
    w(" * Overview: the const tables behind the international validators in\n")
    w(" * validate_intl.c: the sorted mainland long-distance area codes (without\n")
    w(" * the trunk 0) with pii_cn_area_code_len(), the IBAN registry (country,\n")
    w(" * IBAN length, BBAN format such as \"4a14n\") and the E.164 country calling\n")
    w(" * codes with the plausible national significant number length range, each\n")
    w(" * with a binary-search look-up. No state other than these const tables.\n")
    w(" *\n")
    w(" *   %-40s %5d rows\n" % (AREA_CODES, area_rows))
    w(" *   %-40s %5d codes\n" % ("unique area codes", len(area)))
    w(" *   %-40s %5d countries\n" % (IBAN, len(iban)))
    w(" *   %-40s %5d codes\n" % (E164, len(e164)))
    w(" */\n")
    w("#include \"validate_intl.h\"\n")
    w("\n")
    w(PRIVATE_DECLS)
    w("\n")

    # --- area codes ---------------------------------------------------
    w("/* Area codes without the trunk 0: 10 and 20-29 stand for the 3-character\n")
    w(" * codes 010/02x, 300-999 for the 4-character codes 0300-0999. Sorted. */\n")
    w("static const uint16_t cn_area_codes[] = {\n")
    for line in rows_of(["%du," % c for c in area], PER_LINE):
        w(line)
    w("};\n")
    w("\n")
    w("#define CN_AREA_CODE_COUNT (sizeof cn_area_codes / sizeof cn_area_codes[0])\n")
    w("\n")
    w("static bool cn_area_code_known(uint16_t code)\n")
    w("{\n")
    w("    size_t lo = 0;\n")
    w("    size_t hi = CN_AREA_CODE_COUNT;\n")
    w("\n")
    w("    while (lo < hi) {\n")
    w("        size_t mid = lo + (hi - lo) / 2;\n")
    w("        uint16_t v = cn_area_codes[mid];\n")
    w("\n")
    w("        if (v == code) {\n")
    w("            return true;\n")
    w("        }\n")
    w("        if (v < code) {\n")
    w("            lo = mid + 1;\n")
    w("        } else {\n")
    w("            hi = mid;\n")
    w("        }\n")
    w("    }\n")
    w("    return false;\n")
    w("}\n")
    w("\n")
    w("static bool is_digit(char c)\n")
    w("{\n")
    w("    return (unsigned)(unsigned char)c - (unsigned)'0' <= 9u;\n")
    w("}\n")
    w("\n")
    w("/* Value of d[from, to) (all digits, checked by the caller). */\n")
    w("static uint16_t digits_value(const char *d, size_t from, size_t to)\n")
    w("{\n")
    w("    unsigned v = 0;\n")
    w("\n")
    w("    for (size_t i = from; i < to; i++) {\n")
    w("        v = v * 10u + ((unsigned)(unsigned char)d[i] - (unsigned)'0');\n")
    w("    }\n")
    w("    return (uint16_t)v;\n")
    w("}\n")
    w("\n")
    w("size_t pii_cn_area_code_len(const char *d, size_t n)\n")
    w("{\n")
    w("    if (n < 3 || d[0] != '0' || !is_digit(d[1]) || !is_digit(d[2])) {\n")
    w("        return 0;\n")
    w("    }\n")
    w("    /* 01x/02x are 3 characters, 0[3-9]xx are 4: the codes are prefix-free. */\n")
    w("    if (d[1] == '1' || d[1] == '2') {\n")
    w("        return cn_area_code_known(digits_value(d, 1, 3)) ? 3 : 0;\n")
    w("    }\n")
    w("    if (d[1] == '0' || n < 4 || !is_digit(d[3])) {\n")
    w("        return 0;\n")
    w("    }\n")
    w("    return cn_area_code_known(digits_value(d, 1, 4)) ? 4 : 0;\n")
    w("}\n")
    w("\n")

    # --- IBAN ---------------------------------------------------------
    w("/* IBAN registry, sorted by country: BBAN format as <count><class> runs,\n")
    w(" * class n = digit, a = upper-case letter, c = upper-case letter or digit. */\n")
    w("typedef struct {\n")
    w("    char country[2];\n")
    w("    uint8_t length;\n")
    w("    const char *bban;\n")
    w("} iban_country;\n")
    w("\n")
    w("static const iban_country iban_countries[] = {\n")
    for cc, length, fmt in iban:
        w("    {{'%s', '%s'}, %d, \"%s\"},\n" % (cc[0], cc[1], length, fmt))
    w("};\n")
    w("\n")
    w("#define IBAN_COUNTRY_COUNT (sizeof iban_countries / sizeof iban_countries[0])\n")
    w("\n")
    w("const char *pii_intl_iban_format(char c0, char c1, size_t *iban_len)\n")
    w("{\n")
    w("    unsigned key = ((unsigned)(unsigned char)c0 << 8) | (unsigned char)c1;\n")
    w("    size_t lo = 0;\n")
    w("    size_t hi = IBAN_COUNTRY_COUNT;\n")
    w("\n")
    w("    while (lo < hi) {\n")
    w("        size_t mid = lo + (hi - lo) / 2;\n")
    w("        const iban_country *e = &iban_countries[mid];\n")
    w("        unsigned v = ((unsigned)(unsigned char)e->country[0] << 8) |\n")
    w("                     (unsigned char)e->country[1];\n")
    w("\n")
    w("        if (v == key) {\n")
    w("            *iban_len = e->length;\n")
    w("            return e->bban;\n")
    w("        }\n")
    w("        if (v < key) {\n")
    w("            lo = mid + 1;\n")
    w("        } else {\n")
    w("            hi = mid;\n")
    w("        }\n")
    w("    }\n")
    w("    return NULL;\n")
    w("}\n")
    w("\n")

    # --- E.164 --------------------------------------------------------
    w("/* E.164 country calling codes (a prefix code: no entry is a prefix of\n")
    w(" * another, so the value alone identifies the code and its length) with\n")
    w(" * the plausible national significant number length range. Sorted. */\n")
    w("typedef struct {\n")
    w("    uint16_t cc;\n")
    w("    uint8_t min_nsn;\n")
    w("    uint8_t max_nsn;\n")
    w("} e164_code;\n")
    w("\n")
    w("static const e164_code e164_codes[] = {\n")
    for line in rows_of(["{%s, %d, %d}," % e for e in e164], 5):
        w(line)
    w("};\n")
    w("\n")
    w("#define E164_CODE_COUNT (sizeof e164_codes / sizeof e164_codes[0])\n")
    w("\n")
    w("bool pii_intl_e164_range(uint32_t cc, size_t *min_nsn, size_t *max_nsn)\n")
    w("{\n")
    w("    size_t lo = 0;\n")
    w("    size_t hi = E164_CODE_COUNT;\n")
    w("\n")
    w("    while (lo < hi) {\n")
    w("        size_t mid = lo + (hi - lo) / 2;\n")
    w("        const e164_code *e = &e164_codes[mid];\n")
    w("\n")
    w("        if (e->cc == cc) {\n")
    w("            *min_nsn = e->min_nsn;\n")
    w("            *max_nsn = e->max_nsn;\n")
    w("            return true;\n")
    w("        }\n")
    w("        if (e->cc < cc) {\n")
    w("            lo = mid + 1;\n")
    w("        } else {\n")
    w("            hi = mid;\n")
    w("        }\n")
    w("    }\n")
    w("    return false;\n")
    w("}\n")
    return "".join(out)


def check_consumer():
    """validate_intl.c must repeat PRIVATE_DECLS verbatim."""
    path = os.path.join(ROOT, CONSUMER)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return "%s is missing" % CONSUMER
    if PRIVATE_DECLS not in text:
        return ("%s does not contain the private declarations block of "
                "tools/gen_intl_tables.py (PRIVATE_DECLS) verbatim" % CONSUMER)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if %s is out of date" % OUTPUT)
    args = ap.parse_args()

    area_rows, area = read_area_codes()
    iban = read_iban()
    e164 = read_e164()
    text = render(area_rows, area, iban, e164)
    summary = "%d area codes, %d IBAN countries, %d calling codes" % (
        len(area), len(iban), len(e164))

    problem = check_consumer()
    out_path = os.path.join(ROOT, OUTPUT)
    if args.check:
        try:
            with open(out_path, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print("%s is stale; run python3 tools/gen_intl_tables.py" % OUTPUT,
                  file=sys.stderr)
            return 1
        if problem:
            print(problem, file=sys.stderr)
            return 1
        print("%s is up to date (%s)" % (OUTPUT, summary))
        return 0

    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s (%s)" % (OUTPUT, summary))
    if problem:
        print("warning: " + problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
