#!/usr/bin/env python3
"""gen_logs.py - seeded generator of mixed logs for the piiscrub benchmark.

    gen_logs.py --size BYTES [--density sparse|dense|FRACTION] [--seed N]
                [-o FILE] [--labels FILE] [--quiet]

Writes about BYTES bytes (cut at the first line end at or past BYTES) of
mixed log lines: nginx access logs, English and Chinese application logs,
客服 (customer-service) chat, JSON Lines and CSV export rows. Every line,
with or without personal data, carries the innocent digit runs that fill
real logs: ISO/CLF timestamps, 13-digit epoch milliseconds, 18-digit order
numbers (some shaped like resident IDs) that fail the ID check and Luhn,
16-19 digit transaction numbers that fail Luhn, 11-digit member numbers
outside the mobile blocks, byte counts, ports, SKU codes, hex trace ids and
versions.

A share of the lines (--density: sparse = 3 %, dense = 50 %, or a fraction)
also carries 1-3 personal values: mainland mobiles in several written forms,
landlines with real area codes, 18-digit resident IDs (MOD 11-2 check, real
birth date, real GB/T 2260 county code from data/regions), Luhn-valid bank
cards with real issuer prefixes (UnionPay 62, Visa 4, Mastercard 51-55),
e-mail addresses, public IPv4 addresses (piiscrub treats IPv4 as personal),
Chinese postal addresses and Chinese names after a label (姓名：张伟).

Two random streams make the variants comparable: one draws the line shape and
every innocent field, the other decides which lines carry personal data and
what. With the same --seed, line i has the same shape and innocent fields in
every variant; only the personal values differ. So sparse and dense differ in
their PII share and nothing else.

Speed: every value is drawn from pools built once at start-up, and a line is
a template filled from the pools, so 200 MB take well under a minute.

--labels FILE writes one line per generated line: the line number and the
comma-separated types it carries (empty for innocent lines). A summary (lines,
PII share, entities per type, lines per shape) goes to stderr unless --quiet.

Python 3 standard library only. Same arguments, same bytes.
"""
import argparse
import datetime
import os
import random
import sys
import time

DENSITIES = {"sparse": 0.03, "dense": 0.50}

# Line shapes and their share of lines: identical in every variant.
SHAPES = [("nginx", 24), ("app_en", 20), ("app_zh", 12), ("chat", 16),
          ("json", 16), ("csv", 12)]

# Which personal values each shape carries on a PII line (weights). nginx
# always carries the client IP; the others are extra query parameters.
PII_MIX = {
    "nginx": [("cn_mobile", 50), ("email", 30), ("cn_id", 20)],
    "app_en": [("cn_mobile", 25), ("email", 25), ("ipv4", 20), ("bank_card", 15),
               ("cn_id", 10), ("cn_landline", 5)],
    "app_zh": [("cn_mobile", 25), ("cn_id", 15), ("bank_card", 15), ("cn_address", 15),
               ("cn_name", 10), ("email", 8), ("ipv4", 7), ("cn_landline", 5)],
    "chat": [("cn_mobile", 30), ("cn_address", 20), ("cn_name", 15), ("cn_id", 12),
             ("bank_card", 12), ("cn_landline", 6), ("email", 5)],
    "json": [("cn_mobile", 25), ("email", 20), ("cn_address", 15), ("cn_id", 12),
             ("bank_card", 12), ("ipv4", 10), ("cn_landline", 6)],
    "csv": [("cn_mobile", 35), ("cn_address", 20), ("cn_id", 20), ("bank_card", 15),
            ("email", 10)],
}
# How many personal values a PII line carries.
PII_COUNT = [(1, 60), (2, 30), (3, 10)]

POOL = 4096  # values per pool; lines combine several pools, so few repeat

# ---------------------------------------------------------------------------
# checks (the same rules piiscrub and redact.pl apply)

ID_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_char(body17):
    return "10X98765432"[sum(int(a) * b for a, b in zip(body17, ID_W)) % 11]


def id_ok(s):
    return len(s) == 18 and s[:17].isdigit() and id_check_char(s[:17]) == s[17].upper()


def luhn_ok(num):
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = ord(ch) - 48
        if i & 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_complete(body):
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError(body)


# ---------------------------------------------------------------------------
# reference data

# Mobile blocks fully allocated in the MIIT 2023 table (cn-phone.md §1.1).
MOBILE_PREFIXES = (["13%d" % i for i in range(10) if i != 4]
                   + ["150", "151", "152", "153", "155", "156", "157", "158", "159",
                      "166", "173", "175", "176", "177", "178"]
                   + ["18%d" % i for i in range(10)]
                   + ["191", "193", "195", "196", "197", "198", "199"])
UNIONPAY_BINS = ["622202", "621700", "622848", "621483", "622588", "623058",
                 "621226", "622700", "621661", "622609", "625910", "621785"]
IP_FIRST = [36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115,
            116, 117, 119, 120, 121, 122, 123, 124, 125, 171, 175, 180, 182,
            183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223, 66, 73, 98]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国文红梅波宇浩然欣怡子轩梓涵思远嘉"
NAME_LABELS = ["姓名：", "收货人：", "联系人：", "收件人：", "客户："]
ROADS = ["人民路", "中山路", "解放路", "建设路", "和平路", "新华路", "长江路", "文化路",
         "胜利路", "友谊路", "朝阳路", "光明路", "幸福路", "青年路", "东风路", "滨江大道",
         "世纪大道", "科技园南路", "学府路", "南京路"]
ESTATES = ["阳光花园", "碧桂园", "万科城", "翠湖小区", "金色家园", "锦绣华庭", "华润城",
           "恒大名都", "紫薇花园", "绿地世纪城"]
TOWERS = ["时代广场", "国际大厦", "金融中心", "科技大厦", "创业园"]
EMAIL_USERS = ["zhangwei", "li.na", "wangfang", "liuyang", "chenjie", "yangmin",
               "huanglei", "zhaojing", "wuhao", "zhouxin", "john.smith", "emily.davis",
               "m.jones", "sarah_lee", "dkim", "rpatel", "t.nguyen", "kate.miller"]
EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "aliyun.com",
                 "139.com", "gmail.com", "outlook.com", "example.com", "corp.example.cn"]

SERVICES = ["order-service", "payment-svc", "user-api", "notify-worker", "gateway",
            "inventory", "risk-engine", "search-api", "coupon-svc"]
LOGGERS_EN = ["c.e.order.OrderController", "c.e.pay.CallbackHandler", "c.e.inv.StockSync",
              "o.a.k.c.consumer.KafkaConsumer", "c.e.user.ProfileService", "c.e.gw.AccessFilter"]
LOGGERS_ZH = ["com.shop.order.OrderService", "com.shop.pay.NotifyHandler",
              "com.shop.logistics.TrackJob", "com.shop.member.PointService",
              "com.shop.cs.TicketService"]
THREADS = ["http-nio-8080-exec-%d" % i for i in range(1, 33)] + \
          ["pool-2-thread-%d" % i for i in range(1, 17)] + ["main", "scheduling-1"]
HOSTS = ["app-%d" % i for i in range(1, 13)] + ["k8s-node-%02d" % i for i in range(1, 25)]
METHODS = ["GET"] * 6 + ["POST"] * 3 + ["PUT", "DELETE"]
STATUSES = [200] * 20 + [201, 204, 301, 302, 304, 304, 400, 401, 403, 404, 404, 499,
                         500, 502, 503]
UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0.6099.109 Safari/537.36",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
       "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.43",
       "Mozilla/5.0 (Linux; Android 14; 23049RAD8C) AppleWebKit/537.36 Chrome/119.0.6045.193 "
       "Mobile Safari/537.36",
       "okhttp/4.9.3", "curl/8.4.0", "Go-http-client/1.1", "kube-probe/1.28"]
REFERRERS = ["-", "-", "https://shop.example.com/cart", "https://m.example.cn/item/detail",
             "https://www.example.com/"]
AGENTS = ["小美", "小雪", "阿杰", "小鹿", "07号", "11号"]
BUYERS = ["tb_4821", "jd_77a1", "用户8823", "wx_3390", "小王", "顾客"]
SHOPS = ["优品生活旗舰店", "潮流服饰专营店", "母婴之家", "数码优选", "家居馆"]
PRODUCTS = ["无线蓝牙耳机", "加厚羽绒服", "儿童保温杯", "有机纯牛奶12盒", "空气炸锅",
            "运动跑鞋", "洗发水套装", "wireless earbuds", "desk lamp", "phone case"]
ORDER_STATUS = ["PAID", "SHIPPED", "DELIVERED", "REFUNDED", "PENDING", "CLOSED"]
ZH_STATUS = ["待发货", "已发货", "已签收", "退款中", "已完成"]
VERSIONS = ["v2.14.3", "v3.1.0", "v3.2.7", "1.8.0_392", "v10.4.1", "5.2.15", "v0.9.12"]
BUILDS = ["10.0.19045", "10.0.22631", "6.1.7601", "23.4.1", "2025.03.1"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def data_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "..", "..", "data", "regions")


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return rows[1:]


def load_regions(d):
    prov = {r[0]: r[1] for r in read_tsv(os.path.join(d, "provinces.tsv"))}
    city = {r[0]: (r[1], r[2]) for r in read_tsv(os.path.join(d, "cities.tsv"))}
    districts = []  # (code, province name, city name or "", district name)
    for code, name, parent in (r[:3] for r in read_tsv(os.path.join(d, "districts.tsv"))):
        pcode = code[:2] + "0000"
        if pcode not in prov:
            continue
        cname = city[parent][0] if parent in city else ""
        if cname in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            cname = ""
        districts.append((code, prov[pcode], cname, name))
    areas = [r[0] for r in read_tsv(os.path.join(d, "area-codes.tsv")) if r[0].startswith("0")]
    if not districts or not areas:
        raise SystemExit("gen_logs.py: no region data in %s" % d)
    return districts, sorted(set(areas))


# ---------------------------------------------------------------------------
# pools


class Pools:
    """Every value a line needs, built once from a seeded generator."""

    def __init__(self, seed, regions_dir):
        g = random.Random("piiscrub-bench-pools:%d" % seed)
        ri, rr, ch = g.randint, g.random, g.choice

        def digits(n, first="0123456789"):
            return ch(first) + "".join(ch("0123456789") for _ in range(n - 1))

        districts, areas = load_regions(regions_dir)
        self.t0 = 1740758400000 + ri(0, 30) * 86400000  # 2025-03-01 UTC + days

        # --- innocent digit runs -------------------------------------------
        day0 = datetime.datetime.fromtimestamp(self.t0 / 1000, datetime.timezone.utc)
        order = []
        while len(order) < POOL:
            if rr() < 0.7:  # date-prefixed order number
                d = day0 + datetime.timedelta(seconds=ri(0, 20 * 86400))
                v = d.strftime("%Y%m%d%H%M%S") + digits(4)
            else:  # shaped like a resident ID, wrong check character
                code = ch(districts)[0]
                body = code + "%04d%02d%02d" % (ri(1950, 2005), ri(1, 12), ri(1, 28)) + digits(3)
                v = body + ch([c for c in "0123456789" if c != id_check_char(body)])
            if not id_ok(v) and not luhn_ok(v):
                order.append(v)
        self.order18 = order
        txn = []
        while len(txn) < POOL:
            v = digits(ch((16, 17, 18, 19)), "123456789")
            if not luhn_ok(v) and not id_ok(v):
                txn.append(v)
        self.txn = txn
        self.member11 = ["1" + ch("012") + digits(9) for _ in range(POOL)]
        self.uid = [str(ri(100000, 99999999)) for _ in range(POOL)]
        self.sku = ["100" + digits(9) if rr() < 0.5 else "SKU-%s-%s" % (digits(6), ch("SMLX"))
                    for _ in range(POOL)]
        self.express = ["SF" + digits(12) if rr() < 0.6 else "YT" + digits(13) for _ in range(POOL)]
        self.hex32 = ["%032x" % g.getrandbits(128) for _ in range(POOL)]
        self.hex16 = ["%016x" % g.getrandbits(64) for _ in range(POOL)]
        self.hex8 = ["%08x" % g.getrandbits(32) for _ in range(POOL)]
        self.bytes_ = [str(int(10 ** (rr() * 6.3))) for _ in range(POOL)]
        self.ms = [str(int(10 ** (rr() * 3.5))) for _ in range(POOL)]
        self.amount = ["%d.%02d" % (int(10 ** (rr() * 4)), ri(0, 99)) for _ in range(POOL)]
        self.port = [str(ri(1024, 65535)) for _ in range(POOL)]
        self.small = [str(ri(1, 500)) for _ in range(POOL)]
        self.pid = [str(ri(100, 4194304)) for _ in range(POOL)]
        self.offset = [str(ri(10 ** 6, 10 ** 10 - 1)) for _ in range(POOL)]
        self.session = [str(ri(100000, 99999999)) for _ in range(POOL)]
        self.rt = ["%.3f" % (rr() ** 3 * 2.5) for _ in range(POOL)]
        self.batch14 = [(day0 + datetime.timedelta(seconds=ri(0, 20 * 86400))).strftime(
            "%Y%m%d%H%M%S") for _ in range(POOL)]
        self.date = [(day0 + datetime.timedelta(days=ri(0, 10))).strftime("%Y-%m-%d")
                     for _ in range(POOL)]

        # --- personal values -------------------------------------------------
        self.mobile = [ch(MOBILE_PREFIXES) + digits(8) for _ in range(POOL)]
        ids = []
        for _ in range(POOL):
            code = ch(districts)[0]
            birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=ri(0, 55 * 365))
            body = code + birth.strftime("%Y%m%d") + "%03d" % ri(1, 999)
            ids.append(body + id_check_char(body))
        self.cn_id = ids
        cards = []
        for _ in range(POOL):
            r = rr()
            if r < 0.5:
                n, pre = (16 if rr() < 0.7 else 19), ch(UNIONPAY_BINS)
            elif r < 0.75:
                n, pre = 16, "4"
            else:
                n, pre = 16, str(ri(51, 55))
            cards.append(luhn_complete(pre + digits(n - 1 - len(pre))))
        self.card = cards
        lands = []
        for _ in range(POOL):
            ac = ch(areas)
            n = 8 if len(ac) == 3 or rr() < 0.7 else 7
            lands.append((ac, digits(n, "2345678")))
        self.landline = lands
        self.email = ["%s%s@%s" % (ch(EMAIL_USERS), str(ri(1, 99)) if rr() < 0.4 else "",
                                   ch(EMAIL_DOMAINS)) for _ in range(POOL)]
        self.ip = ["%d.%d.%d.%d" % (ch(IP_FIRST), ri(0, 255), ri(0, 255), ri(1, 254))
                   for _ in range(POOL)]
        addrs = []
        for _ in range(POOL):
            _, pname, cname, dname = ch(districts)
            a = pname + cname + dname + ch(ROADS) + "%d号" % ri(1, 999)
            r = rr()
            if r < 0.45:
                a += "%s%d栋%d单元%d室" % (ch(ESTATES), ri(1, 30), ri(1, 6),
                                        ri(1, 32) * 100 + ri(1, 6))
            elif r < 0.6:
                a += "%s%d楼" % (ch(TOWERS), ri(2, 40))
            addrs.append(a)
        self.address = addrs
        self.name = [ch(SURNAMES) + "".join(ch(GIVEN) for _ in range(1 if rr() < 0.4 else 2))
                     for _ in range(POOL)]


# ---------------------------------------------------------------------------
# personal value formatting (drawn from the PII stream)


def fmt_mobile(d, r):
    x = r()
    if x < 0.50:
        return d
    if x < 0.65:
        return "%s-%s-%s" % (d[:3], d[3:7], d[7:])
    if x < 0.75:
        return "%s %s %s" % (d[:3], d[3:7], d[7:])
    if x < 0.85:
        return "+86 %s %s %s" % (d[:3], d[3:7], d[7:])
    if x < 0.90:
        return "+86" + d
    if x < 0.95:
        return "+86-%s-%s-%s" % (d[:3], d[3:7], d[7:])
    return "0086 " + d


def fmt_card(d, r):
    x = r()
    if x < 0.6:
        return d
    sep = " " if x < 0.85 or len(d) == 19 else "-"
    return sep.join(d[i:i + 4] for i in range(0, len(d), 4))


def fmt_landline(ac, local, r):
    x = r()
    k = len(local) - 4
    if x < 0.45:
        return "%s-%s" % (ac, local)
    if x < 0.7:
        return "(%s)%s" % (ac, local)
    if x < 0.9:
        return "%s %s %s" % (ac, local[:k], local[k:])
    return "+86 %s %s %s" % (ac[1:], local[:k], local[k:])


class Gen:
    def __init__(self, seed, density, regions_dir):
        self.p = Pools(seed, regions_dir)
        self.sk = random.Random("piiscrub-bench-skeleton:%d" % seed)
        self.pr = random.Random("piiscrub-bench-pii:%d" % seed)
        self.density = density
        self.now = self.p.t0
        self.sec = -1
        self.shape_cum = self._cum(SHAPES)
        self.mix_cum = {k: self._cum(v) for k, v in PII_MIX.items()}
        self.count_cum = self._cum(PII_COUNT)

    @staticmethod
    def _cum(pairs):
        tot = float(sum(w for _, w in pairs))
        acc, out = 0.0, []
        for v, w in pairs:
            acc += w / tot
            out.append((acc, v))
        out[-1] = (1.01, out[-1][1])
        return out

    @staticmethod
    def _pick(cum, x):
        for c, v in cum:
            if x < c:
                return v
        return cum[-1][1]

    def _clock(self):
        """Advance the log clock (a few ms per line) and refresh the cached
        second-resolution strings when the second changes."""
        self.now += int(self.sk.random() * 40)
        s = self.now // 1000
        if s != self.sec:
            self.sec = s
            t = time.gmtime(s + 8 * 3600)  # logs in China Standard Time
            self.iso_s = time.strftime("%Y-%m-%dT%H:%M:%S", t)
            self.cn_s = time.strftime("%Y-%m-%d %H:%M:%S", t)
            self.clf_s = "%02d/%s/%d:%s +0800" % (t.tm_mday, MONTHS[t.tm_mon - 1], t.tm_year,
                                                 time.strftime("%H:%M:%S", t))
        return self.now % 1000

    # -- personal values ------------------------------------------------------
    def pii_values(self, shape):
        """[(type, text)] for one PII line, from the PII stream only."""
        r, p = self.pr.random, self.p
        n = self._pick(self.count_cum, r())
        out = []
        if shape == "nginx":
            out.append(("ipv4", p.ip[int(r() * POOL)]))
            n -= 1
        for _ in range(n):
            t = self._pick(self.mix_cum[shape], r())
            i = int(r() * POOL)
            if t == "cn_mobile":
                v = p.mobile[i] if shape == "nginx" else fmt_mobile(p.mobile[i], r)
            elif t == "cn_id":
                v = p.cn_id[i]
            elif t == "bank_card":
                v = fmt_card(p.card[i], r)
            elif t == "cn_landline":
                v = fmt_landline(p.landline[i][0], p.landline[i][1], r)
            elif t == "email":
                v = p.email[i]
            elif t == "ipv4":
                v = p.ip[i]
            elif t == "cn_address":
                v = p.address[i]
            else:  # cn_name
                v = NAME_LABELS[int(r() * len(NAME_LABELS))] + p.name[i]
            out.append((t, v))
        return out

    # -- line shapes ------------------------------------------------------------
    # Each draws exactly the same skeleton values whether or not it gets PII.

    def nginx(self, pii):
        r, p = self.sk.random, self.p
        ms = self._clock()
        k = int(r() * 7)
        if k == 0:
            path = "/api/v2/orders/%s" % p.order18[int(r() * POOL)]
        elif k == 1:
            path = "/api/v1/items/%s?page=%s&size=20" % (p.sku[int(r() * POOL)],
                                                        p.small[int(r() * POOL)])
        elif k == 2:
            path = "/static/js/app.%s.js" % p.hex8[int(r() * POOL)]
        elif k == 3:
            path = "/api/v1/cart?_t=%d" % self.now
        elif k == 4:
            path = "/api/v1/member/%s/points" % p.member11[int(r() * POOL)]
        elif k == 5:
            path = "/api/v1/pay/notify?txn=%s" % p.txn[int(r() * POOL)]
        else:
            path = "/healthz"
        method = METHODS[int(r() * len(METHODS))]
        status = STATUSES[int(r() * len(STATUSES))]
        nbytes = p.bytes_[int(r() * POOL)]
        ref = REFERRERS[int(r() * len(REFERRERS))]
        ua = UAS[int(r() * len(UAS))]
        rt = p.rt[int(r() * POOL)]
        up = "%s:%s" % (HOSTS[int(r() * len(HOSTS))], p.port[int(r() * POOL)])
        rid = p.hex32[int(r() * POOL)]
        remote, xff = "unix:", "-"
        if pii:
            rr = self.pr.random
            ip = pii[0][1]
            if rr() < 0.6:
                remote = ip
            else:
                xff = ip
            if len(pii) > 1:
                keys = {"cn_mobile": "mobile", "email": "email", "cn_id": "idno"}
                q = "&".join("%s=%s" % (keys[t], v) for t, v in pii[1:])
                path = "/api/v1/user/bind?%s&ts=%d" % (q, self.now)
        return ('%s - - [%s] "%s %s HTTP/1.1" %d %s "%s" "%s" "%s" rt=%s up=%s rid=%s ms=%03d'
                % (remote, self.clf_s, method, path, status, nbytes, ref, ua, xff, rt, up,
                   rid, ms))

    def app_en(self, pii):
        r, p = self.sk.random, self.p
        ms = self._clock()
        lvl = ("INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR")[int(r() * 6)]
        svc = SERVICES[int(r() * len(SERVICES))]
        trace, span = p.hex32[int(r() * POOL)], p.hex16[int(r() * POOL)]
        pid = p.pid[int(r() * POOL)]
        thr = THREADS[int(r() * len(THREADS))]
        lg = LOGGERS_EN[int(r() * len(LOGGERS_EN))]
        k = int(r() * 8)
        a, b, c = int(r() * POOL), int(r() * POOL), int(r() * POOL)
        if k == 0:
            msg = "order %s created uid=%s sku=%s qty=%s amount=%s ts=%d" % (
                p.order18[a], p.uid[b], p.sku[c], p.small[a], p.amount[b], self.now)
        elif k == 1:
            msg = "payment callback txn=%s order=%s status=SUCCESS cost=%sms" % (
                p.txn[a], p.order18[b], p.ms[c])
        elif k == 2:
            msg = "GET /api/v1/items/%s 200 %sB %sms" % (p.sku[a], p.bytes_[b], p.ms[c])
        elif k == 3:
            msg = "upstream %s:%s responded %d in %sms bytes=%s" % (
                HOSTS[a % len(HOSTS)], p.port[b], STATUSES[c % len(STATUSES)], p.ms[a],
                p.bytes_[c])
        elif k == 4:
            msg = "consumer lag=%s partition=%d offset=%s committed_at=%d" % (
                p.small[a], b % 48, p.offset[c], self.now - int(p.ms[b]))
        elif k == 5:
            msg = "app version %s build %s started pid=%s port=%s" % (
                VERSIONS[a % len(VERSIONS)], BUILDS[b % len(BUILDS)], p.pid[c], p.port[a])
        elif k == 6:
            msg = "member %s points +%s balance=%s ref=%s" % (
                p.member11[a], p.small[b], p.uid[c], p.order18[c])
        else:
            msg = "shipment %s order=%s status=%s eta=%s" % (
                p.express[a], p.order18[b], ORDER_STATUS[c % len(ORDER_STATUS)], p.date[a])
        if pii:
            keys = {"cn_mobile": "phone", "email": "email", "ipv4": "client_ip",
                    "bank_card": "card", "cn_id": "id_card", "cn_landline": "tel"}
            msg += "".join(' %s="%s"' % (keys[t], v) if " " in v else " %s=%s" % (keys[t], v)
                           for t, v in pii)
        return "%s.%03d+08:00 %s [%s,%s,%s] %s --- [%s] %s : %s" % (
            self.iso_s, ms, lvl, svc, trace, span, pid, thr, lg, msg)

    def app_zh(self, pii):
        r, p = self.sk.random, self.p
        ms = self._clock()
        lvl = ("INFO ", "INFO ", "INFO ", "WARN ", "ERROR")[int(r() * 5)]
        thr = THREADS[int(r() * len(THREADS))]
        lg = LOGGERS_ZH[int(r() * len(LOGGERS_ZH))]
        k = int(r() * 6)
        a, b, c = int(r() * POOL), int(r() * POOL), int(r() * POOL)
        if k == 0:
            msg = "订单%s创建成功，用户ID %s，商品编码 %s，数量%s，金额%s元，耗时%sms" % (
                p.order18[a], p.uid[b], p.sku[c], p.small[a], p.amount[b], p.ms[c])
        elif k == 1:
            msg = "支付回调 交易流水号%s 订单号%s 状态成功 时间戳%d" % (
                p.txn[a], p.order18[b], self.now)
        elif k == 2:
            msg = "物流更新 快递单号%s 订单%s 状态%s 预计%s送达" % (
                p.express[a], p.order18[b], ZH_STATUS[c % len(ZH_STATUS)], p.date[c])
        elif k == 3:
            msg = "会员%s积分变动+%s，当前积分%s，批次%s" % (
                p.member11[a], p.small[b], p.uid[c], p.batch14[c])
        elif k == 4:
            msg = "库存同步完成 SKU %s 剩余%s件 仓库%s 耗时%sms" % (
                p.sku[a], p.small[b], p.port[c], p.ms[a])
        else:
            msg = "工单%s已受理，关联订单%s，退款金额%s元" % (
                p.member11[a], p.order18[b], p.amount[c])
        if pii:
            rr = self.pr.random
            lab = {"cn_mobile": ("手机号", "联系电话："), "cn_id": ("身份证号", "证件号码："),
                   "bank_card": ("银行卡号", "卡号："), "cn_address": ("收货地址：", "地址："),
                   "email": ("邮箱", "电子邮箱："), "ipv4": ("登录IP ", "来源IP："),
                   "cn_landline": ("座机", "固话："), "cn_name": ("", "")}
            msg += "".join("，" + lab[t][int(rr() * 2)] + v for t, v in pii)
        return "%s,%03d %s [%s] %s - %s" % (self.cn_s, ms, lvl, thr, lg, msg)

    def chat(self, pii):
        r, p = self.sk.random, self.p
        self._clock()
        k = int(r() * 4)
        who = int(r() * 3)
        a, b, c = int(r() * POOL), int(r() * POOL), int(r() * POOL)
        if k == 0:
            body = "订单号%s什么时候发货，都%s天了" % (p.order18[a], p.small[b][:1])
        elif k == 1:
            body = "亲，您的快递单号是%s，预计%s送达哦，退款%s元已原路退回" % (
                p.express[a], p.date[b], p.amount[c])
        elif k == 2:
            body = "商品编码%s还有货吗？会员号%s" % (p.sku[a], p.member11[b])
        else:
            body = "好的，已为您备注，工单号%s，交易流水号%s" % (p.order18[a], p.txn[b])
        if who == 0:
            head = "[%s] 客服%s：" % (self.cn_s, AGENTS[a % len(AGENTS)])
        elif who == 1:
            head = "[%s] 买家%s：" % (self.cn_s, BUYERS[b % len(BUYERS)])
        else:
            head = "%s 会话#%s 【%s】用户留言：" % (self.cn_s, p.session[c], SHOPS[c % len(SHOPS)])
        if pii:
            rr = self.pr.random
            lab = {"cn_mobile": ("我的手机号是", "电话"), "cn_id": ("身份证号", "实名认证身份证 "),
                   "bank_card": ("退款请打到银行卡", "卡号："), "cn_address": ("收货地址：", "请寄到"),
                   "email": ("邮箱：", "发票发到"), "cn_landline": ("座机", "公司电话："),
                   "cn_name": ("", "")}
            body += "，" + "，".join(lab[t][int(rr() * 2)] + v for t, v in pii) + "，谢谢"
        return head + body

    def json(self, pii):
        r, p = self.sk.random, self.p
        ms = self._clock()
        ev = ("order.paid", "order.update", "refund.create", "user.login", "stock.sync")[
            int(r() * 5)]
        a, b, c, d = int(r() * POOL), int(r() * POOL), int(r() * POOL), int(r() * POOL)
        line = ('{"ts":"%s.%03dZ","ts_ms":%d,"level":"info","svc":"%s","trace_id":"%s",'
                '"event":"%s","order_id":"%s","sku":"%s","qty":%s,"amount":%s,"bytes":%s,'
                '"latency_ms":%s,"ver":"%s"' % (
                    self.iso_s, ms, self.now, SERVICES[a % len(SERVICES)], p.hex32[b], ev,
                    p.order18[c], p.sku[d], p.small[a], p.amount[b], p.bytes_[c], p.ms[d],
                    VERSIONS[d % len(VERSIONS)]))
        if pii:
            keys = {"cn_mobile": "mobile", "email": "email", "cn_address": "address",
                    "cn_id": "id_card", "bank_card": "card_no", "ipv4": "client_ip",
                    "cn_landline": "tel"}
            line += ',"user":{%s}' % ",".join('"%s":"%s"' % (keys[t], v) for t, v in pii)
        return line + ',"status":"%s"}' % ORDER_STATUS[a % len(ORDER_STATUS)]

    def csv(self, pii):
        r, p = self.sk.random, self.p
        self._clock()
        a, b, c, d = int(r() * POOL), int(r() * POOL), int(r() * POOL), int(r() * POOL)
        # order_id,created_at,sku,product,qty,amount,status,phone,id_card,address,card_no,
        # email,updated_ms,bytes
        cols = ["", "", "", "", ""]
        if pii:
            slot = {"cn_mobile": 0, "cn_id": 1, "cn_address": 2, "bank_card": 3, "email": 4}
            for t, v in pii:
                i = slot[t]
                cols[i] = (cols[i] + ";" + v) if cols[i] else v
            cols = ['"%s"' % v if ("," in v or " " in v) else v for v in cols]
        return "%s,%s,%s,%s,%s,%s,%s,%s,%d,%s" % (
            p.order18[a], self.cn_s, p.sku[b], PRODUCTS[c % len(PRODUCTS)], p.small[d],
            p.amount[a], ZH_STATUS[b % len(ZH_STATUS)], ",".join(cols), self.now, p.bytes_[c])

    def lines(self):
        """Yield (line, [types]) forever."""
        shapes = {"nginx": self.nginx, "app_en": self.app_en, "app_zh": self.app_zh,
                  "chat": self.chat, "json": self.json, "csv": self.csv}
        sk_r, pr_r, dens = self.sk.random, self.pr.random, self.density
        cum = self.shape_cum
        while True:
            shape = self._pick(cum, sk_r())
            pii = self.pii_values(shape) if pr_r() < dens else None
            yield shape, shapes[shape](pii), pii


# ---------------------------------------------------------------------------


def parse_size(s):
    mult = {"k": 10 ** 3, "m": 10 ** 6, "g": 10 ** 9}
    s = s.strip().lower().rstrip("b")
    if s and s[-1] in mult:
        return int(float(s[:-1]) * mult[s[-1]])
    return int(s)


def parse_density(s):
    if s in DENSITIES:
        return DENSITIES[s]
    v = float(s)
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError("density must be sparse, dense or 0..1")
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description="seeded mixed-log generator for the piiscrub bench")
    ap.add_argument("--size", type=parse_size, required=True,
                    help="bytes to write (suffix k/M/G = 10^3/10^6/10^9)")
    ap.add_argument("--density", type=parse_density, default=DENSITIES["sparse"],
                    help="share of lines with PII: sparse (0.03), dense (0.5) or a fraction")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    ap.add_argument("--labels", help="write 'LINE<TAB>type,type' per line to this file")
    ap.add_argument("--regions", default=data_dir(), help="data/regions directory")
    ap.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    a = ap.parse_args(argv)

    t_start = time.time()
    gen = Gen(a.seed, a.density, a.regions)
    out = sys.stdout.buffer if a.output == "-" else open(a.output, "wb")
    lab = open(a.labels, "w", encoding="utf-8") if a.labels else None
    total, nlines, npii = 0, 0, 0
    per_type, per_shape, per_shape_pii = {}, {}, {}
    it = gen.lines()
    done = False
    while not done:
        batch, meta = [], []
        for _ in range(2048):
            shape, line, pii = next(it)
            batch.append(line)
            meta.append((shape, pii))
        data = ("\n".join(batch) + "\n").encode("utf-8")
        if total + len(data) >= a.size:
            # cut at the first line end at or past --size
            keep, acc = 0, total
            for line in batch:
                acc += len(line.encode("utf-8")) + 1
                keep += 1
                if acc >= a.size:
                    break
            batch, meta = batch[:keep], meta[:keep]
            data = ("\n".join(batch) + "\n").encode("utf-8")
            done = True
        out.write(data)
        total += len(data)
        for shape, pii in meta:
            nlines += 1
            per_shape[shape] = per_shape.get(shape, 0) + 1
            if pii:
                npii += 1
                per_shape_pii[shape] = per_shape_pii.get(shape, 0) + 1
                for t, _ in pii:
                    per_type[t] = per_type.get(t, 0) + 1
            if lab:
                lab.write("%d\t%s\n" % (nlines, ",".join(t for t, _ in pii) if pii else ""))
    if out is not sys.stdout.buffer:
        out.close()
    if lab:
        lab.close()
    if not a.quiet:
        w = sys.stderr.write
        w("gen_logs: seed %d density %.3f: %d lines, %d bytes, %d lines with PII (%.2f%%), "
          "%.1fs\n" % (a.seed, a.density, nlines, total, npii, 100.0 * npii / max(nlines, 1),
                       time.time() - t_start))
        w("  shapes: %s\n" % ", ".join(
            "%s=%d (%.1f%% PII)" % (s, per_shape.get(s, 0),
                                     100.0 * per_shape_pii.get(s, 0) / max(per_shape.get(s, 0), 1))
            for s, _ in SHAPES))
        w("  PII values: %s\n" % ", ".join("%s=%d" % kv for kv in sorted(per_type.items())))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # the reader went away, as with head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
