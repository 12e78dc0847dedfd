#!/usr/bin/env python3
"""Generate src/detect/gazetteer_data.c from the bundled region tables.

Reads data/regions/{provinces,cities,districts,districts-nbs-extra}.tsv
(UTF-8, tab-separated, one header line: code, name, parent_code) and writes
the const tables behind src/detect/gazetteer.c: the administrative division
names that the address detector anchors on, full and suffix-stripped.

Names in the gazetteer (see reference/regions/address-tokens.md section 1.1):

  * every full name in the four TSVs (深圳市, 南山区, 广西壮族自治区, and the
    NBS statistical zones such as 苏州工业园区);
  * for provinces, prefectures and counties of GB/T 2260 (not the NBS
    zones, whose names are descriptive phrases), the short form with the
    level suffix removed: 省 / 市 / 特别行政区 (province), 市 / 地区 / 盟
    (prefecture), 区 / 县 / 市 / 旗 / 林区 / 矿区 / 特区 / 新区 (county), and
    for ethnic autonomous units 自治区 / 自治州 / 自治县 / 自治旗 together with
    the names of the peoples before it (广西壮族自治区 -> 广西, 黔东南苗族侗族
    自治州 -> 黔东南, 新疆维吾尔自治区 -> 新疆, 内蒙古自治区 -> 内蒙古). When a
    multi-character suffix would leave a single character, the next shorter
    suffix is tried (清新区 -> 清新, not 清). A short form is kept only when it
    has at least two characters, is not just the name of a people (鄂伦春
    自治旗 gives none) and is not in STOP_WORDS.

STOP_WORDS are names, full or short, that are ordinary words in everyday
(customer-service) Chinese; matching them would raise false alarms, so they
are not in the gazetteer at all (the division itself stays known to
pii_gazetteer_name / pii_gazetteer_parent). Candidates were reviewed against
the word frequencies and part-of-speech tags of the jieba segmenter
dictionary (Debian python3-jieba, used only during review, not at build time):
a 2-character name that jieba knows mainly as a common noun / verb /
adjective with a high frequency went on the list; see the comments there.

When one string names several divisions (朝阳区 is in Beijing 110105 and in
Changchun 220104; 吉林 is the province and the city) the gazetteer keeps one
entry for the first division - full names before short forms, then the
higher level, then the lowest code - flagged ambiguous, and lists the
others in a side table so that pii_gazetteer_match_in() can pick the one
inside a given province or prefecture (深圳市 + 南山区 -> 440305).

The generated file is committed so that building piiscrub needs no Python.
Regenerate it after changing data/regions or this script:

    python3 tools/gen_gazetteer.py            # writes src/detect/gazetteer_data.c
    python3 tools/gen_gazetteer.py --check    # exit 1 if the file is stale

Paths are resolved relative to the repository root (the parent of tools/),
so the script can be run from any working directory.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# (path, level, short forms derived?) - level: 1 province, 2 prefecture,
# 3 county (pii_gaz_level).
SOURCES = (
    ("data/regions/provinces.tsv", 1, True),
    ("data/regions/cities.tsv", 2, True),
    ("data/regions/districts.tsv", 3, True),
    ("data/regions/districts-nbs-extra.tsv", 3, False),
)
OUTPUT = "src/detect/gazetteer_data.c"
CHUNK_MAX = 4095

# Level suffixes, longest first within a level. Autonomous suffixes
# (自治区 ...) are handled separately because the names of the peoples
# before them go too.
LEVEL_SUFFIXES = {
    1: ("特别行政区", "省", "市"),
    2: ("地区", "盟", "市"),
    3: ("林区", "矿区", "特区", "新区", "区", "县", "市", "旗"),
}
AUTONOMOUS_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗")

# The 56 officially recognised peoples (汉 and the 55 minorities) plus 各
# (龙胜各族自治县, "of all peoples"), as they appear before 族. In names the word 族 may be
# left out (新疆维吾尔自治区, 伊犁哈萨克自治州); that is accepted only for
# names of two or more characters, so that 水 / 土 / 白 ... never strip a
# place-name character.
PEOPLES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 "
    "傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 "
    "毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()

# A multi-character suffix that is really part of the name. 万柏林区 is a
# 区 named 万柏林, not a 林区 (forestry district) named 万柏; the only
# 林区 proper is 神农架林区.
SHORT_OVERRIDES = {
    "万柏林区": "万柏林",
}

# Ordinary words that are also division names (full or short forms). They
# are left out of the gazetteer altogether, full and short alike, so that
# chat text such as "比如说", "商城订单", "祝您安康" or "新会员" raises no
# address anchor; the divisions stay known to pii_gazetteer_name() and
# pii_gazetteer_parent(), and their longer full names (资源县, 商城县, 安康市,
# 新会区) still match. Picked by hand from the 2-character names that the
# jieba dictionary tags as common nouns / verbs / adjectives or that are
# everyday words in customer-service and shopping chat; well-known city or
# district names that are rarely used as plain words (大同, 日照, 三明, 金山,
# 鼓楼, 泰山 ...) stay in. The generated file lists the entries that match no
# name today (中心, 开发, 高新, 经济, 工业, 南区 ... guard against zone
# names or renamed districts arriving with short forms).
STOP_WORDS = frozenset(
    # Generic district words (full names 城区 140302, 郊区, 矿区 140303,
    # 东区 / 西区 510402 / 510403; short forms 市中 ...), guards, and common
    # names of streets and estates (白云, 长安, 和平, 新华, 人民, 光明 ...).
    """
    城区 新区 郊区 矿区 市中 中心 开发 高新 经济 工业
    南区 北区 东区 西区 中区
    白云 长安 和平 新华 城关 红旗 人民 光明 宝山 青山 东山 西湖 南湖
    """.split()
    # Everyday words: function words, verbs, adjectives, greetings, shop
    # talk (比如县, 商城县, 安康市 "祝您安康", 新会区 "新会员", 开封市 "已开封",
    # 小店区, 延长县 "延长收货", 通道县, 大厂县, 阿里地区, 和县 "市和县").
    + """
    比如 南部 资源 合作 前进 友好 友谊 解放 共和 东方 港口 公安 通道
    延长 安定 平安 太平 安宁 安康 新兴 新建 大方 同心 平和 和顺 万全
    富裕 宏伟 复兴 振兴 前锋 工农 爱民 回民 同仁 博爱 方正 长子 大名
    会同 中方 台前 安居 清新 丰满 高明 向阳 东风 长寿 吉利 兴隆 兴业
    万年 三元 大关 上高 新会 上街 大厂 新星 天台 小店 商城 开封 江山
    永和 武功 威信 阿里 和县
    """.split()
    # Things: goods, brands, plants and landmarks (白银市 "白银会员", 麒麟区
    # "麒麟芯片", 海盐县, 马尾区 "马尾辫", 三门县 "三门冰箱", 东坡区 "东坡肉").
    + """
    白银 白玉 海盐 光泽 莲花 芙蓉 牡丹 海棠 凤凰 麒麟 元宝 马尾 龙凤
    三门 灯塔 温泉 清水 洞口 名山 运河 东坡 天桥 天涯 白杨
    """.split()
    # Generic location words ("古城", "城东", "路北", "江南", "平原").
    + """
    古城 新城 老城 山城 河口 海港 城东 城西 城北 城中 站前 路北 路南
    市南 市北 平原 中原 江南 二道
    """.split()
)


class Division:
    __slots__ = ("code", "name", "parent", "level", "derive", "src")

    def __init__(self, code, name, parent, level, derive, src):
        self.code = code
        self.name = name
        self.parent = parent
        self.level = level
        self.derive = derive
        self.src = src


def is_han(ch):
    """CJK Unified Ideographs (basic block and extension A)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF


def read_divisions(rel_path, level, derive):
    """Return the divisions in one TSV file; fail loudly on bad rows."""
    out = []
    path = os.path.join(ROOT, rel_path)
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        if header[:3] != ["code", "name", "parent_code"]:
            sys.exit("%s: header is %r, expected code, name, parent_code"
                     % (rel_path, header))
        for lineno, line in enumerate(f, start=2):
            line = line.rstrip("\r\n")
            if not line:
                continue
            cols = line.split("\t")
            if len(cols) != 3:
                sys.exit("%s:%d: %d columns, expected 3"
                         % (rel_path, lineno, len(cols)))
            code, name, parent = cols
            for c in (code, parent) if parent else (code,):
                if len(c) != 6 or not c.isascii() or not c.isdigit() \
                        or c[0] == "0":
                    sys.exit("%s:%d: code %r is not 6 ASCII digits"
                             % (rel_path, lineno, c))
            if len(name) < 2 or not all(is_han(ch) for ch in name):
                sys.exit("%s:%d: name %r is not 2+ Han characters"
                         % (rel_path, lineno, name))
            if level == 1 and parent:
                sys.exit("%s:%d: province with a parent" % (rel_path, lineno))
            if level > 1 and not parent:
                sys.exit("%s:%d: no parent code" % (rel_path, lineno))
            out.append(Division(int(code), name,
                                int(parent) if parent else 0,
                                level, derive, rel_path))
    if not out:
        sys.exit("%s: no rows" % rel_path)
    return out


def strip_peoples(base):
    """Remove the names of peoples at the end of base (蒙古族藏族 ...) while
    at least two characters remain."""
    peoples = sorted(PEOPLES, key=len, reverse=True)
    while True:
        for p in peoples:
            cut = None
            if base.endswith(p + "族"):
                cut = len(p) + 1
            elif len(p) >= 2 and base.endswith(p):
                cut = len(p)
            if cut is not None and len(base) - cut >= 2:
                base = base[:-cut]
                break
        else:
            return base


def is_people(s):
    return s in PEOPLES or (s.endswith("族") and s[:-1] in PEOPLES)


def short_form(div):
    """The suffix-stripped short form of a division name, or None."""
    name = div.name
    if name in SHORT_OVERRIDES:
        return SHORT_OVERRIDES[name]
    for suf in AUTONOMOUS_SUFFIXES:
        if name.endswith(suf):
            base = strip_peoples(name[:-len(suf)])
            if is_people(base):
                return None
            if "族" in base or "自治" in base:
                sys.exit("%d %s: cannot strip the people names (got %s); "
                         "extend PEOPLES" % (div.code, name, base))
            return base
    for suf in LEVEL_SUFFIXES[div.level]:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[:-len(suf)]
    return None


def build(divisions):
    """Return (entries, stats). entries: dict name -> list of
    (is_short, code), before choosing and filtering."""
    cands = {}
    dropped_stop = set()
    for d in divisions:
        forms = [(False, d.name)]
        if d.derive:
            s = short_form(d)
            if s is not None and len(s) >= 2:
                if not d.name.startswith(s):
                    sys.exit("%d %s: short form %s is not a prefix"
                             % (d.code, d.name, s))
                forms.append((True, s))
        for is_short, s in forms:
            if s in STOP_WORDS:
                dropped_stop.add(s)
                continue
            cands.setdefault(s, []).append((is_short, d.code))
    return cands, dropped_stop




def render(divisions, counts):
    by_code = {}
    for d in divisions:
        if d.code in by_code:
            sys.exit("code %d appears twice (%s, %s)"
                     % (d.code, by_code[d.code].src, d.src))
        by_code[d.code] = d
    for d in divisions:
        if d.level == 1:
            continue
        p = by_code.get(d.parent)
        if p is None:
            sys.exit("%d %s: parent %d unknown" % (d.code, d.name, d.parent))
        if d.parent == d.code // 10000 * 10000 and p.level == 1:
            pass
        elif d.parent == d.code // 100 * 100 and p.level == 2 and d.level == 3:
            pass
        else:
            sys.exit("%d %s: parent %d is neither the XX0000 province nor the "
                     "XXXX00 prefecture" % (d.code, d.name, d.parent))

    divs = sorted(divisions, key=lambda d: d.code)
    index = {d.code: i for i, d in enumerate(divs)}
    if len(divs) > 0xFFFF:
        sys.exit("too many divisions for 16-bit indexes")

    # Name pool: every full name, NUL-terminated, in code order, cut into
    # chunks of at most CHUNK_MAX bytes (ISO C only promises string literals
    # of 4095 characters, -Woverlength-strings) without splitting a name.
    # div_name[i] = chunk << 12 | offset in chunk.
    chunks = [[]]
    chunk_len = 0
    name_off = []
    for d in divs:
        b = len(d.name.encode("utf-8")) + 1
        if chunk_len + b > CHUNK_MAX:
            chunks.append([])
            chunk_len = 0
        name_off.append((len(chunks) - 1) << 12 | chunk_len)
        chunks[-1].append(d)
        chunk_len += b
    if len(chunks) > 16:
        sys.exit("name pool too large for 4-bit chunk numbers")
    pool_bytes = sum(len(d.name.encode("utf-8")) + 1 for d in divs)

    cands, dropped_stop = build(divs)
    unused_stop = sorted(STOP_WORDS - dropped_stop)

    # One entry per distinct string for its first division: full names
    # before short forms, then the higher level (中山 is the prefecture
    # 442000 before Dalian's 中山区), then the lowest code.
    entries = []
    n_ambiguous = 0
    n_short = 0
    for name, lst in cands.items():
        lst = sorted(set(lst),
                     key=lambda sc: (sc[0], divs[index[sc[1]]].level, sc[1]))
        is_short, code = lst[0]
        ambiguous = len({c for _, c in lst}) > 1
        n_ambiguous += ambiguous
        n_short += is_short
        b = name.encode("utf-8")
        if len(b) > 255:
            sys.exit("%s: name longer than 255 bytes" % name)
        alts = [(index[c], sh) for sh, c in lst[1:]]
        entries.append((b, index[code], is_short, ambiguous, alts))

    # Buckets by first character; inside a bucket by the bytes of the second
    # character (binary search), then longest first, so that the first equal
    # name in a run of names sharing two characters is the longest match.
    def first_cp(b):
        return ord(b.decode("utf-8")[0])

    for b, _, _, _, _ in entries:
        if len(b.decode("utf-8")[0].encode("utf-8")) != 3:
            sys.exit("%s: first character is not 3 bytes in UTF-8"
                     % b.decode("utf-8"))
    for b, _, _, _, _ in entries:
        if len(b) < 6:
            sys.exit("%s: shorter than two characters" % b.decode("utf-8"))
    entries.sort(key=lambda e: (first_cp(e[0]), e[0][3:6], -len(e[0]), e[0]))
    firsts = sorted({first_cp(e[0]) for e in entries})
    base = firsts[0] & ~63
    words = (firsts[-1] - base) // 64 + 1
    bits = [0] * words
    for cp in firsts:
        bits[(cp - base) // 64] |= 1 << ((cp - base) % 64)
    rank = []
    acc = 0
    for w in bits:
        rank.append(acc)
        acc += bin(w).count("1")
    bucket_start = []
    prev = None
    for i, e in enumerate(entries):
        cp = first_cp(e[0])
        if cp != prev:
            bucket_start.append(i)
            prev = cp
    bucket_start.append(len(entries))
    if len(entries) > 0xFFFF:
        sys.exit("too many entries for 16-bit bucket offsets")
    max_bucket = max(bucket_start[i + 1] - bucket_start[i]
                     for i in range(len(firsts)))
    max_len = max(len(e[0]) for e in entries)

    # The other divisions of ambiguous names, in the same order (full names
    # first, then by code): (entry index, division index, flags), sorted by
    # entry index, for pii_gazetteer_match_in().
    alt_rows = []
    for i, e in enumerate(entries):
        for div, sh in e[4]:
            alt_rows.append((i, div, 1 if sh else 0))

    sizes = {
        "pool": pool_bytes + len(chunks) * (1 + 8),  # + NUL, pointer
        "codes": 4 * len(divs),
        "div_name": 2 * len(divs),
        "div_info": len(divs),
        "entries": 4 * len(entries),
        "first_bits": 8 * words,
        "first_rank": 2 * words,
        "bucket_start": 2 * len(bucket_start),
        "alts": 6 * len(alt_rows),
    }
    total = sum(sizes.values())

    out = []
    w = out.append
    w("/*\n")
    w(" * gazetteer_data.c - GENERATED FILE, DO NOT EDIT.\n")
    w(" *\n")
    w(" * Generated by tools/gen_gazetteer.py from data/regions/"
      "{provinces,cities,\n")
    w(" * districts,districts-nbs-extra}.tsv. To regenerate, run from the "
      "repository\n")
    w(" * root: python3 tools/gen_gazetteer.py (and commit the result; the "
      "build needs\n")
    w(" * no Python). `--check` reports whether this file is stale.\n")
    w(" *\n")
    w(" * Overview: the const tables behind gazetteer.c - Chinese "
      "administrative\n")
    w(" * division names (full and suffix-stripped short forms, minus the "
      "stop list\n")
    w(" * in the generator) bucketed by their first character, and per "
      "division its\n")
    w(" * code, level, parent kind and canonical name. Layout:\n")
    w(" *\n")
    w(" *   pool        every full name, UTF-8, NUL-terminated, in code "
      "order, in\n")
    w(" *               chunks of at most 4095 bytes (the longest string "
      "literal ISO C\n")
    w(" *               promises);\n")
    w(" *   codes[i]    division i's 6-digit code, ascending (binary "
      "search);\n")
    w(" *   div_name[i] its full name: chunk << 12 | offset in the chunk;\n")
    w(" *   div_info[i] level (bits 0-1) | PII_GAZ_INFO_PARENT_CITY "
      "(parent is the\n")
    w(" *               XXXX00 prefecture, else the XX0000 province);\n")
    w(" *   first_bits  one bit per code point from first_base: can a name "
      "start\n")
    w(" *               with it; first_rank[w] = set bits before word w, so "
      "the\n")
    w(" *               bucket of a first character is rank + popcount;\n")
    w(" *   entries     bucket by bucket, sorted by the bytes of the second "
      "character,\n")
    w(" *               then longest first; a name is the first\n")
    w(" *               len bytes of the full name of division div (short "
      "forms\n")
    w(" *               are prefixes); flags 1 = PII_GAZ_ENTRY_SHORT, "
      "2 =\n")
    w(" *               PII_GAZ_ENTRY_AMBIGUOUS;\n")
    w(" *   alts        the other divisions of each ambiguous entry "
      "{entry, div,\n")
    w(" *               flags}, by entry index, in preference order.\n")
    w(" *\n")
    for src, n in counts:
        w(" *   %-40s %5d rows\n" % (src, n))
    w(" *   %-40s %5d\n" % ("names (entries)", len(entries)))
    w(" *   %-40s %5d\n" % ("  of which short forms", n_short))
    w(" *   %-40s %5d\n" % ("  of which ambiguous", n_ambiguous))
    w(" *   %-40s %5d\n" % ("  other divisions of those", len(alt_rows)))
    w(" *   %-40s %5d\n" % ("first characters (buckets)", len(firsts)))
    w(" *   %-40s %5d\n" % ("largest bucket", max_bucket))
    w(" *   %-40s %5d\n" % ("longest name (bytes)", max_len))
    w(" *   %-40s %5d\n" % ("table bytes", total))
    if unused_stop:
        w(" *   stop words not present in the data: %s\n"
          % " ".join(unused_stop))
    w(" */\n")
    w("#include \"gazetteer.h\"\n")
    w("\n")

    # pool: one full name per line
    for k, chunk in enumerate(chunks):
        w("static const char gaz_pool_%d[] =\n" % k)
        for i, d in enumerate(chunk):
            w('    "%s\\0" /* %d */%s\n'
              % (d.name, d.code, ";" if i == len(chunk) - 1 else ""))
        w("\n")
    w("static const char *const gaz_pool[%d] = {\n" % len(chunks))
    for k in range(len(chunks)):
        w("    gaz_pool_%d,\n" % k)
    w("};\n\n")

    def array(ctype, name, vals, fmt, per_line):
        w("static const %s %s[%d] = {\n" % (ctype, name, len(vals)))
        for i in range(0, len(vals), per_line):
            w("    " + ", ".join(fmt % v for v in vals[i:i + per_line])
              + ",\n")
        w("};\n\n")

    array("uint32_t", "gaz_codes", [d.code for d in divs], "%du", 8)
    array("uint16_t", "gaz_div_name", name_off, "%du", 10)
    info = []
    for d in divs:
        v = d.level
        if d.level > 1 and d.parent == d.code // 100 * 100:
            v |= 4
        info.append(v)
    array("uint8_t", "gaz_div_info", info, "%du", 16)
    array("uint64_t", "gaz_first_bits", bits, "UINT64_C(0x%016x)", 3)
    array("uint16_t", "gaz_first_rank", rank, "%du", 10)
    array("uint16_t", "gaz_bucket_start", bucket_start, "%du", 10)

    w("static const pii_gaz_entry gaz_entries[%d] = {\n" % len(entries))
    for b, div, is_short, ambiguous, _ in entries:
        flags = (1 if is_short else 0) | (2 if ambiguous else 0)
        w("    {%du, %du, %du}, /* %s */\n"
          % (div, len(b), flags, b.decode("utf-8")))
    w("};\n\n")

    w("static const pii_gaz_alt gaz_alts[%d] = {\n" % len(alt_rows))
    for i, div, flags in alt_rows:
        w("    {%du, %du, %du}, /* %s %d */\n"
          % (i, div, flags, entries[i][0].decode("utf-8"), divs[div].code))
    w("};\n\n")

    w("const pii_gaz_tables pii_gaz_data = {\n")
    w("    .pool = gaz_pool,\n")
    w("    .codes = gaz_codes,\n")
    w("    .div_name = gaz_div_name,\n")
    w("    .div_info = gaz_div_info,\n")
    w("    .div_count = %du,\n" % len(divs))
    w("    .first_base = 0x%04xu,\n" % base)
    w("    .first_bits = gaz_first_bits,\n")
    w("    .first_rank = gaz_first_rank,\n")
    w("    .first_words = %du,\n" % words)
    w("    .bucket_start = gaz_bucket_start,\n")
    w("    .entries = gaz_entries,\n")
    w("    .entry_count = %du,\n" % len(entries))
    w("    .alts = gaz_alts,\n")
    w("    .alt_count = %du,\n" % len(alt_rows))
    w("};\n")
    summary = ("%d divisions, %d names (%d short, %d ambiguous), %d bytes of "
               "tables" % (len(divs), len(entries), n_short, n_ambiguous,
                           total))
    return "".join(out), summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if %s is out of date" % OUTPUT)
    args = ap.parse_args()

    divisions = []
    counts = []
    for src, level, derive in SOURCES:
        rows = read_divisions(src, level, derive)
        counts.append((src, len(rows)))
        divisions.extend(rows)
    text, summary = render(divisions, counts)

    out_path = os.path.join(ROOT, OUTPUT)
    if args.check:
        try:
            with open(out_path, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print("%s is stale; run python3 tools/gen_gazetteer.py" % OUTPUT,
                  file=sys.stderr)
            return 1
        print("%s is up to date (%s)" % (OUTPUT, summary))
        return 0

    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s (%s)" % (OUTPUT, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
