/*
 * cn_name.c - Chinese personal names after a label.
 *
 * A name is only looked for right after one of the detector's label words
 * (its `context` list: 姓名, 收货人, 联系人, ...), optionally followed by a
 * colon or space. It is a surname from a list of the ~400 most common
 * single-character surnames and the common compound ones (欧阳, 司马, ...),
 * then one or two Han characters of given name. A second given-name
 * character is not taken when it is a word that usually follows a name in
 * chat (先生, 的, 谢谢, 电话...). After a label that names a role (客户,
 * 买家) rather than a name, the name must also end there: those labels
 * start chat messages too. The label itself stays in clear.
 */
#include <stdlib.h>
#include <string.h>

#include "common/pii_text.h"
#include "detect/scan_internal.h"

/* Generated once from the list in the comment of each table; edit by hand. */
static const uint32_t surnames1[] = {
    0xE4B881, 0xE4B887, 0xE4B89B, 0xE4B8A5, 0xE4B8B0, 0xE4B98C, 0xE4B990, 0xE4B994, 0xE4BA8E,
    0xE4BA91, 0xE4BA93, 0xE4BA95, 0xE4BAA2, 0xE4BB87, 0xE4BB98, 0xE4BB9D, 0xE4BBB2, 0xE4BBBB,
    0xE4BC8A, 0xE4BC8D, 0xE4BC8F, 0xE4BD86, 0xE4BD8D, 0xE4BD95, 0xE4BD98, 0xE4BD99, 0xE4BD9F,
    0xE4BEAF, 0xE4BF9E, 0xE4BFA1, 0xE4BFAE, 0xE580AA, 0xE582A8, 0xE58583, 0xE5859A, 0xE585A8,
    0xE585AC, 0xE585B0, 0xE585B3, 0xE58680, 0xE58689, 0xE5869C, 0xE586AF, 0xE586B5, 0xE586B6,
    0xE586B7, 0xE586BC, 0xE5878C, 0xE58881, 0xE58898, 0xE5889D, 0xE588A9, 0xE58AB3, 0xE58BBE,
    0xE58C85, 0xE58CA1, 0xE58CBA, 0xE58D8E, 0xE58D93, 0xE58D95, 0xE58D97, 0xE58D9C, 0xE58D9E,
    0xE58DA2, 0xE58DAB, 0xE58DB0, 0xE58DB1, 0xE58DBF, 0xE58E89, 0xE58E9F, 0xE58FA4, 0xE58FB2,
    0xE58FB6, 0xE58FB8, 0xE59089, 0xE59091, 0xE59095, 0xE590B4, 0xE591A8, 0xE591BC, 0xE5928C,
    0xE59388, 0xE59490, 0xE59586, 0xE596BB, 0xE59BBD, 0xE5A48F, 0xE5A589, 0xE5A59A, 0xE5A79A,
    0xE5A79C, 0xE5A7AC, 0xE5A884, 0xE5AD94, 0xE5AD99, 0xE5AD9F, 0xE5ADA3, 0xE5AE81, 0xE5AE89,
    0xE5AE8B, 0xE5AE97, 0xE5AE98, 0xE5AEA3, 0xE5AEAB, 0xE5AEB9, 0xE5AEBE, 0xE5AEBF, 0xE5AF87,
    0xE5AF8C, 0xE5B081, 0xE5B089, 0xE5B09A, 0xE5B0A4, 0xE5B0A7, 0xE5B0B9, 0xE5B185, 0xE5B188,
    0xE5B195, 0xE5B1A0, 0xE5B291, 0xE5B2B3, 0xE5B494, 0xE5B587, 0xE5B7A6, 0xE5B7A9, 0xE5B7AB,
    0xE5B7B4, 0xE5B885, 0xE5B888, 0xE5B8AD, 0xE5B8B8, 0xE5B9B2, 0xE5B9B3, 0xE5B9B8, 0xE5BA84,
    0xE5BA94, 0xE5BA9E, 0xE5BAB7, 0xE5BB89, 0xE5BB96, 0xE5BCA0, 0xE5BCBA, 0xE5BDAD, 0xE5BE90,
    0xE683A0, 0xE68595, 0xE68888, 0xE6888E, 0xE68890, 0xE68898, 0xE6889A, 0xE688B4, 0xE688BF,
    0xE68988, 0xE68FAD, 0xE694AF, 0xE69596, 0xE695AC, 0xE69687, 0xE696AF, 0xE696B9, 0xE696BC,
    0xE696BD, 0xE697B6, 0xE6988E, 0xE69893, 0xE6989D, 0xE69981, 0xE6998B, 0xE6998F, 0xE699AE,
    0xE699AF, 0xE699BA, 0xE69BB2, 0xE69BB9, 0xE69BBE, 0xE69CB1, 0xE69CB4, 0xE69D83, 0xE69D8E,
    0xE69D9C, 0xE69D9F, 0xE69DA5, 0xE69DA8, 0xE69DAD, 0xE69E97, 0xE69F8F, 0xE69FA5, 0xE69FAF,
    0xE69FB3, 0xE69FB4, 0xE6A097, 0xE6A0BE, 0xE6A182, 0xE6A191, 0xE6A281, 0xE6A285, 0xE6A48D,
    0xE6A59A, 0xE6A5BC, 0xE6A88A, 0xE6AA80, 0xE6ACA7, 0xE6ADA6, 0xE6AEB5, 0xE6AEB7, 0xE6AF8D,
    0xE6AF95, 0xE6AF9B, 0xE6B19F, 0xE6B1A0, 0xE6B1A4, 0xE6B1AA, 0xE6B288, 0xE6B299, 0xE6B5A6,
    0xE6B5B7, 0xE6B682, 0xE6B8A9, 0xE6B8B8, 0xE6B99B, 0xE6BB95, 0xE6BBA1, 0xE6BC86, 0xE6BD98,
    0xE784A6, 0xE7868A, 0xE78795, 0xE7899B, 0xE7899F, 0xE78B84, 0xE78E89, 0xE78E8B, 0xE78FAD,
    0xE79484, 0xE79498, 0xE794B0, 0xE794B1, 0xE794B3, 0xE799BD, 0xE79AAE, 0xE79B96, 0xE79B98,
    0xE79B9B, 0xE79BB8, 0xE79EBF, 0xE79FB3, 0xE7A581, 0xE7A596, 0xE7A59D, 0xE7A6B9, 0xE7A7A6,
    0xE7A88B, 0xE7A986, 0xE7AAA6, 0xE7ABA0, 0xE7ABA5, 0xE7ACA6, 0xE7AE80, 0xE7AEA1, 0xE7B1B3,
    0xE7B29F, 0xE7B4A2, 0xE7BAAA, 0xE7BB83, 0xE7BCAA, 0xE7BD97, 0xE7BE8A, 0xE7BF81, 0xE7BF9F,
    0xE880BF, 0xE88182, 0xE88296, 0xE883A1, 0xE883A5, 0xE887A7, 0xE88892, 0xE889BE, 0xE88AA6,
    0xE88AAE, 0xE88AB1, 0xE88B8F, 0xE88B91, 0xE88B97, 0xE88B9F, 0xE88C83, 0xE88C85, 0xE88CB9,
    0xE88D86, 0xE88DA3, 0xE88EAB, 0xE8919B, 0xE891A3, 0xE8928B, 0xE89299, 0xE892B2, 0xE8939D,
    0xE894A1, 0xE894BA, 0xE89684, 0xE8969B, 0xE8999E, 0xE8A1A1, 0xE8A1A3, 0xE8A281, 0xE8A398,
    0xE8A3B4, 0xE8A49A, 0xE8A683, 0xE8A7A3, 0xE8A9B9, 0xE8AEA1, 0xE8AEB8, 0xE8AFB8, 0xE8B088,
    0xE8B08C, 0xE8B0A2, 0xE8B0AD, 0xE8B0B7, 0xE8B186, 0xE8B4B9, 0xE8B4BA, 0xE8B4BE, 0xE8B5AB,
    0xE8B5B5, 0xE8B7AF, 0xE8BDA6, 0xE8BE9B, 0xE8BE9C, 0xE8BEB9, 0xE8BF9E, 0xE8BF9F, 0xE980AF,
    0xE98293, 0xE9829D, 0xE982A2, 0xE982A3, 0xE982AC, 0xE982B0, 0xE982B1, 0xE982B5, 0xE982B8,
    0xE982B9, 0xE98381, 0xE9838E, 0xE98391, 0xE9839C, 0xE9839D, 0xE983AD, 0xE983BD, 0xE984A2,
    0xE98791, 0xE9929F, 0xE992B1, 0xE993B6, 0xE997A8, 0xE997AB, 0xE997AD, 0xE997B5, 0xE997BB,
    0xE99899, 0xE9989A, 0xE998AE, 0xE998B3, 0xE998B4, 0xE998BF, 0xE99986, 0xE99988, 0xE999B6,
    0xE99A86, 0xE99A8B, 0xE99B8D, 0xE99BB7, 0xE99C8D, 0xE99DB3, 0xE99EA0, 0xE99FA6, 0xE99FA9,
    0xE9A1B9, 0xE9A1BE, 0xE9A29C, 0xE9A5B6, 0xE9A9AC, 0xE9AA86, 0xE9AB98, 0xE9AD8F, 0xE9B281,
    0xE9B28D, 0xE9B29C, 0xE9B9BF, 0xE9BAA6, 0xE9BABB, 0xE9BB84, 0xE9BB8E, 0xE9BD90, 0xE9BE99,
    0xE9BE9A,
};
/* 丁万丛严丰乌乐乔于云亓井亢仇付仝仲任伊伍伏但位何佘余佟侯俞信修倪储元党全公兰关冀冉农冯况冶冷冼凌刁刘初利劳勾包匡区华卓单南卜卞卢卫印危卿厉原古史叶司吉向吕吴周呼和哈唐商喻国夏奉奚姚姜姬娄孔孙孟季宁安宋宗官宣宫容宾宿寇富封尉尚尤尧尹居屈展屠岑岳崔嵇左巩巫巴帅师席常干平幸庄应庞康廉廖张强彭徐惠慕戈戎成战戚戴房扈揭支敖敬文斯方於施时明易昝晁晋晏普景智曲曹曾朱朴权李杜束来杨杭林柏查柯柳柴栗栾桂桑梁梅植楚楼樊檀欧武段殷母毕毛江池汤汪沈沙浦海涂温游湛滕满漆潘焦熊燕牛牟狄玉王班甄甘田由申白皮盖盘盛相瞿石祁祖祝禹秦程穆窦章童符简管米粟索纪练缪罗羊翁翟耿聂肖胡胥臧舒艾芦芮花苏苑苗苟范茅茹荆荣莫葛董蒋蒙蒲蓝蔡蔺薄薛虞衡衣袁裘裴褚覃解詹计许诸谈谌谢谭谷豆费贺贾赫赵路车辛辜边连迟逯邓邝邢那邬邰邱邵邸邹郁郎郑郜郝郭都鄢金钟钱银门闫闭闵闻阙阚阮阳阴阿陆陈陶隆隋雍雷霍靳鞠韦韩项顾颜饶马骆高魏鲁鲍鲜鹿麦麻黄黎齐龙龚 */
static const char *const surnames2[] = {
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "申屠", "太史", "闻人", "万俟",
};
/* 也了你到号吗吧呢和啊在地家就已帮您我手把收是电的等给联要说请谢还都 */
static const uint32_t name_stop[] = {
    0xE4B99F, 0xE4BA86, 0xE4BDA0, 0xE588B0, 0xE58FB7, 0xE59097, 0xE590A7, 0xE591A2, 0xE5928C,
    0xE5958A, 0xE59CA8, 0xE59CB0, 0xE5AEB6, 0xE5B0B1, 0xE5B7B2, 0xE5B8AE, 0xE682A8, 0xE68891,
    0xE6898B, 0xE68A8A, 0xE694B6, 0xE698AF, 0xE794B5, 0xE79A84, 0xE7AD89, 0xE7BB99, 0xE88194,
    0xE8A681, 0xE8AFB4, 0xE8AFB7, 0xE8B0A2, 0xE8BF98, 0xE983BD,
};

static uint32_t han_code(const uint8_t *p)
{
    return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static bool in_set(const uint32_t *set, size_t n, uint32_t c)
{
    return bsearch(&c, set, n, sizeof(*set), cmp_u32) != NULL;
}

/* Bytes of the surname at p (3 or 6), or 0. */
static size_t surname_len(const uint8_t *p, size_t n)
{
    if (n >= 6 && pii_scan_is_han(p, n) && pii_scan_is_han(p + 3, n - 3)) {
        for (size_t i = 0; i < sizeof(surnames2) / sizeof(surnames2[0]); i++) {
            if (memcmp(p, surnames2[i], 6) == 0)
                return 6;
        }
    }
    if (pii_scan_is_han(p, n) &&
        in_set(surnames1, sizeof(surnames1) / sizeof(surnames1[0]), han_code(p)))
        return 3;
    return 0;
}

/* Titles and words that end a name: 先生, 女士, 小姐... */
static bool title_at(const uint8_t *p, size_t n)
{
    static const char *const titles[] = {"先生", "女士", "小姐", "老师", "同学", "师傅", "阿姨"};
    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
        if (n >= 6 && memcmp(p, titles[i], 6) == 0)
            return true;
    }
    return false;
}

/* After a label: skip ':' / '：' / spaces / 是 / 为 (at most 3). */
static size_t skip_label_sep(const uint8_t *b, size_t len, size_t p)
{
    for (int k = 0; k < 3 && p < len; k++) {
        if (b[p] == ':' || b[p] == ' ' || b[p] == '=') {
            p++;
        } else if (p + 3 <= len && ((b[p] == 0xEF && b[p + 1] == 0xBC && b[p + 2] == 0x9A) ||
                                    (b[p] == 0xE6 && b[p + 1] == 0x98 && b[p + 2] == 0xAF) ||
                                    (b[p] == 0xE4 && b[p + 1] == 0xB8 && b[p + 2] == 0xBA) ||
                                    (b[p] == 0xE3 && b[p + 1] == 0x80 && b[p + 2] == 0x80))) {
            p += 3; /* ： 是 为 ideographic space */
        } else {
            break;
        }
    }
    return p;
}

size_t pii_scan_cn_name(scan_ctx *sc, size_t i)
{
    const uint8_t *b = sc->buf;
    const pii_detect_cfg *cfg = sc->cfg;
    for (size_t k = 0; k < cfg->nkind[PII_KIND_CN_NAME]; k++) {
        uint16_t d = cfg->by_kind[PII_KIND_CN_NAME][k];
        const pii_detector *det = &cfg->det[d];
        if (sc->len - i < 3 || !pii_detector_han_label_may_start(det, b + i))
            continue; /* a Han lead byte at the very end is no label */
        for (size_t w = 0; w < det->nctx; w++) {
            size_t wl = det->ctx[w].len;
            if (wl > sc->len - i || memcmp(b + i, det->ctx[w].w, wl) != 0)
                continue;
            size_t p = skip_label_sep(b, sc->len, i + wl);
            size_t sl = surname_len(b + p, sc->len - p);
            if (sl == 0)
                continue;
            /* a label glued to the name must end in 人 or 名 (收货人张伟, 姓名张伟);
             * others (客户) need a separator: 客户满意度 is no name */
            bool name_label = wl >= 3 && (memcmp(b + i + wl - 3, "人", 3) == 0 ||
                                          memcmp(b + i + wl - 3, "名", 3) == 0);
            if (p == i + wl && !name_label)
                continue;
            size_t e = p + sl;
            int given = 0;
            while (given < 2 && pii_scan_is_han(b + e, sc->len - e)) {
                /* 张先生; 宁客户 is a surname and the next label */
                if (title_at(b + e, sc->len - e) || pii_scan_label_at(det, b + e, sc->len - e))
                    break;
                if (given == 1 &&
                    in_set(name_stop, sizeof(name_stop) / sizeof(name_stop[0]), han_code(b + e)))
                    break;
                if (given == 0 && sl == 3 &&
                    in_set(name_stop, sizeof(name_stop) / sizeof(name_stop[0]), han_code(b + e)))
                    break;
                e += 3;
                given++;
            }
            if (given == 0)
                continue;
            /* a role (客户, 买家) is also a chat speaker's prefix: there the
             * name must end here, or it is the start of a message
             * (买家：商品编码) */
            if (!name_label && e < sc->len && pii_scan_is_han(b + e, sc->len - e) &&
                !title_at(b + e, sc->len - e) && !pii_scan_label_at(det, b + e, sc->len - e) &&
                !in_set(name_stop, sizeof(name_stop) / sizeof(name_stop[0]), han_code(b + e)))
                continue;
            if (e >= sc->len && (sc->flags & PII_SCAN_RIGHT_OPEN))
                return i + wl;
            pii_cand c;
            memcpy(c.norm, b + p, e - p);
            c.nnorm = e - p;
            memcpy(c.compact, b + p, e - p);
            c.ncompact = (e - p) / 3; /* characters */
            uint8_t conf = pii_scan_confirm(sc, d, &c);
            if (conf > 0 && pii_scan_report(sc, d, p, e, conf, (uint16_t)sl))
                return e;
            return i + wl;
        }
    }
    return i;
}
