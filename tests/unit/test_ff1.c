/*
 * test_ff1.c - Criterion unit tests for src/transform/ff1.c (FF1,
 * NIST SP 800-38G).
 *
 * Overview: known-answer tests in both directions (and in place) for the
 * nine NIST ff1samples.pdf samples and the six ACVP-AES-FF1 vectors of
 * reference/fpe.md 7.1/7.2, plus vectors computed with the independent
 * Python implementation reference/verify/fpe_check.py (never with the code
 * under test) for the paths no published vector reaches: d > 16 (S
 * extended by extra AES blocks, up to 5 blocks at radix 256), tweaks of
 * whole blocks and of the 256-byte maximum, odd n, the smallest allowed n
 * of several radices and PII_FF1_MAX_LEN. Then properties with a fixed
 * xorshift seed: decrypt(encrypt(x)) == x over random radices, lengths,
 * tweaks and key sizes; FF1 is a bijection on the whole radix-10, n = 6
 * domain; a wrong key or another tweak changes the result; the per-length
 * cache gives the same answers as a fresh object; and every documented
 * error code. Parameters are fixed-size arrays, never pointers: Criterion
 * copies them into another process.
 */
#include <criterion/criterion.h>
#include "table_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_alloc.h"
#include "transform/ff1.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* NIST sample keys (fpe.md 7.1). */
#define K128 "2B7E151628AED2A6ABF7158809CF4F3C"
#define K192 K128 "EF4359D8D580AA4F"
#define K256 K192 "7F036D6F04FC6A94"

#define A10 "0123456789"
#define A26 "abcdefghijklmnopqrstuvwxyz"
#define A36 "0123456789abcdefghijklmnopqrstuvwxyz"
#define A64 "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/"

struct ff1_vec {
    char name[24];
    char key[65];                           /* hex */
    char tweak[2 * PII_FF1_MAX_TWEAK + 1];  /* hex, "" for none */
    unsigned radix;
    char alphabet[65];                      /* "" : numerals as two hex digits each */
    char pt[2 * PII_FF1_MAX_LEN + 1];
    char ct[2 * PII_FF1_MAX_LEN + 1];
};

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

static unsigned hexval(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (unsigned)(c - 'A' + 10);
    cr_assert_fail("bad hex digit '%c' in test data", c);
    return 0;
}

/* Decode hex into out (room for cap bytes); returns the byte count. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t len = strlen(s);

    cr_assert_eq(len % 2, 0, "odd hex length in test data");
    cr_assert_leq(len / 2, cap, "test data too long");
    for (size_t i = 0; i < len / 2; i++)
        out[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
    return len / 2;
}

static size_t to_numerals(const char *alphabet, const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s);

    if (alphabet[0] == '\0')
        return unhex(s, out, cap);
    cr_assert_leq(n, cap, "test data too long");
    for (size_t i = 0; i < n; i++) {
        const char *p = strchr(alphabet, s[i]);

        cr_assert(p != NULL, "'%c' not in the alphabet", s[i]);
        out[i] = (uint8_t)(p - alphabet);
    }
    return n;
}

/* s needs room for 2 * n + 1 chars. */
static void from_numerals(const char *alphabet, const uint8_t *x, size_t n, char *s)
{
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        if (alphabet[0] == '\0') {
            s[2 * i] = hex[x[i] >> 4];
            s[2 * i + 1] = hex[x[i] & 15];
        } else {
            cr_assert_lt(x[i], strlen(alphabet), "numeral out of the alphabet");
            s[i] = alphabet[x[i]];
        }
    }
    s[alphabet[0] == '\0' ? 2 * n : n] = '\0';
}

static pii_ff1 *new_hex(const char *keyhex)
{
    uint8_t key[32];
    size_t klen = unhex(keyhex, key, sizeof key);
    pii_ff1 *f = NULL;

    cr_assert_eq(pii_ff1_new(key, klen, &f), PII_OK);
    cr_assert_not_null(f);
    return f;
}

/* Encrypt, decrypt (out of place and in place) one vector on f. */
static void check_vec_on(pii_ff1 *f, const struct ff1_vec *c)
{
    uint8_t tweak[PII_FF1_MAX_TWEAK], pt[PII_FF1_MAX_LEN], ct[PII_FF1_MAX_LEN];
    uint8_t got[PII_FF1_MAX_LEN];
    char str[2 * PII_FF1_MAX_LEN + 1];
    size_t tlen = unhex(c->tweak, tweak, sizeof tweak);
    size_t n = to_numerals(c->alphabet, c->pt, pt, sizeof pt);

    cr_assert_eq(to_numerals(c->alphabet, c->ct, ct, sizeof ct), n, "%s: bad test data", c->name);

    cr_assert_eq(pii_ff1_encrypt(f, c->radix, tweak, tlen, pt, got, n), PII_OK, "%s", c->name);
    from_numerals(c->alphabet, got, n, str);
    cr_assert_str_eq(str, c->ct, "%s: encrypt", c->name);

    cr_assert_eq(pii_ff1_decrypt(f, c->radix, tweak, tlen, ct, got, n), PII_OK, "%s", c->name);
    from_numerals(c->alphabet, got, n, str);
    cr_assert_str_eq(str, c->pt, "%s: decrypt", c->name);

    /* in place */
    memcpy(got, pt, n);
    cr_assert_eq(pii_ff1_encrypt(f, c->radix, tweak, tlen, got, got, n), PII_OK);
    cr_assert_arr_eq(got, ct, n, "%s: in-place encrypt", c->name);
    cr_assert_eq(pii_ff1_decrypt(f, c->radix, tweak, tlen, got, got, n), PII_OK);
    cr_assert_arr_eq(got, pt, n, "%s: in-place decrypt", c->name);
}

static void check_vec(const struct ff1_vec *c)
{
    pii_ff1 *f = new_hex(c->key);

    check_vec_on(f, c);
    pii_ff1_free(f);
}

/* ------------------------------------------------------------------------ */
/* known answers                                                            */
/* ------------------------------------------------------------------------ */

/* NIST ff1samples.pdf, samples 1-9 (fpe.md 7.1). */
static struct ff1_vec nist[] = {
    {"sample1", K128, "", 10, A10, "0123456789", "2433477484"},
    {"sample2", K128, "39383736353433323130", 10, A10, "0123456789", "6124200773"},
    {"sample3", K128, "3737373770717273373737", 36, A36, "0123456789abcdefghi", "a9tv40mll9kdu509eum"},
    {"sample4", K192, "", 10, A10, "0123456789", "2830668132"},
    {"sample5", K192, "39383736353433323130", 10, A10, "0123456789", "2496655549"},
    {"sample6", K192, "3737373770717273373737", 36, A36, "0123456789abcdefghi", "xbj3kv35jrawxv32ysr"},
    {"sample7", K256, "", 10, A10, "0123456789", "6657667009"},
    {"sample8", K256, "39383736353433323130", 10, A10, "0123456789", "1001623463"},
    {"sample9", K256, "3737373770717273373737", 36, A36, "0123456789abcdefghi", "xs8a0azh2avyalyzuwd"},
};

PII_TABLE_TEST(struct ff1_vec, c, nist, ff1, nist_samples)
{
    (void)row;
    check_vec(c);
}

/* ACVP-AES-FF1-1.0 (fpe.md 7.2). */
static struct ff1_vec acvp[] = {
    {"tc1", "CF11A34764AB09FFBF8B8A1660E881A2", "", 10, A10, "0846108952", "7759031405"},
    {"tc2", "3544151C9CEB324C3C1ED31ADE99406D", "6CA0E692B2773C7ECA2ECA1E7793DAA1", 10, A10,
     "80013770071781669296061827483885771389518248319371666162",
     "09295026876845967206918789775693655654016802646140865387"},
    {"tc3", "69B78DCE4755CFD6B0D6ED4843B85B0A", "167F4D5BE41F56", 10, A10,
     "78917394023964149540436650710442239", "41453449297956880604605360387505540"},
    {"tc26", "C99B3CDC33EC9F06546405C94AAE548C", "", 26, A26, "uhaekdtgya", "mysdvijyhu"},
    {"tc51", "D943FA73D0DFBBFE5CBBB51AE1883B1F", "", 64, A64, "g0mbl8Ztx4", "4NNV4Ujcsq"},
    {"tc52", "89D7519CCC4503C8677DA86659C1BD58", "DE11F4D9482BFAE2930E9B0109AB972F", 64, A64,
     "uW0MALBLj7tiLxlZVCLxHzKpx/KV", "VXD9LcAWGKBXCJhBefiFKytCbss8"},
};

PII_TABLE_TEST(struct ff1_vec, c, acvp, ff1, acvp)
{
    (void)row;
    check_vec(c);
}

/* Computed with reference/verify/fpe_check.py (independent Python FF1;
 * random plaintexts and tweaks from Python's random.Random(20261129));
 * numerals in hex. b and d as in fpe.md 3, steps 2-3. */
static struct ff1_vec computed[] = {
    /* b=14 d=20 */
    {"r10_n64_t17",
     "2B7E151628AED2A6ABF7158809CF4F3C",
     "0BD9975017CA9C51630D28F74A1B7AC12C",
     10, "",
     "0609000909090003090700030706000009060800070804090009030900050706030909000008020605090106"
     "0404040000040509020300080705070206030703",
     "0803020500070101020502010907030804030600030008060202010606050707070201070702030505020406"
     "0207070601060102050501030009060802020901"},
    /* b=64 d=68 */
    {"r256_n128_t40",
     "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94",
     "659B3ED7816A035BB4727B12EAA3A95F970CBBF9CCA25F60ADD99B594189CC53DBF4C63B431B87C7",
     256, "",
     "9cefae83919d9788e59ba4db460e154347e9aeed598b86de41b0ddd8d2e5cf5d03537b9001e37101f7fdde46"
     "e208c712b8ee753c81776f037cc45deb4875c9ce1460c68bf340e92b10042c1c368a34c43dc948a5aaa8190d"
     "fad6a0c2b863b770fe6c0478f3f1462125247bdb7c0e92333cb35ee405ff3cec72c48ce14709731f",
     "3fc511d92915dac2ca1504fa6fd5982a7793866dfcddce2c5b80373e2a121848908216564b5ba0c298fc696c"
     "4fb9437f6a0a0a4e3e8f79b54b78b73403c69b769eb87cfbc338465fa0c11a5f77dfbc42d9728e75c6506b72"
     "50b5118beab022475e156c3222cc6ebc5ddc14ac5bfb3c3e31987a627a9f6b2c32f93404ca0fc579"},
    /* b=8 d=12 */
    {"r2_n128",
     "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F",
     "",
     2, "",
     "0001000100010101000001010100010101010100010101000101000001010001010000010101000001010100"
     "0100010100000000000101000000010100010001010000010100010001010100010100000100010000000001"
     "01000100010001010001010101010001000100010001000001000001010000000001010001010001",
     "0101010000000100000001010000000101010101000001010100000101010101010001000000010100000001"
     "0101000000010100010001010101010001000101000000010101010001000101000000010000000101010000"
     "01000000010000010001000101000001000001000000010001010101000100000001010000010100"},
    /* b=42 d=48 */
    {"r36_n128_t16",
     "2B7E151628AED2A6ABF7158809CF4F3C",
     "8E78DDCD740F00D5AC1FB90063CF7CAB",
     36, "",
     "23170c0007211915080307121b020007050110130a10061c140c230d0a1b0b152022120a1f0a0308220e2201"
     "061a1e19110c101b1c1b050e071310171b0d0a15231c16191d050e1307051603040d231c1a0d0f221e0f1104"
     "1a0b09012202091f13020610230c1d0317041c0b111109230d110702191d2305211a171000121b1f",
     "111419021c2010121f0d1e181f0f030412170d0d0502090109130a151d221201011000131704170219140719"
     "1c1004051a1410130f0e080d0a0c22131b071c161200171a071a160e2102050e000c02170c001f082113120c"
     "1501201a000f1d190f20121114071b0310041f091519020605181f14031e1f220405090a10191308"},
    /* b=48 d=52 */
    {"r64_n127_t256",
     "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94",
     "BA277D6C4355B57BAB9E085AC5ECBAA853C9FE44BD83EF39CEA3EEF7CE2DB989547F5E8BE5A19214CE57828D"
     "50579C2EEEB8AE136A70A25E6E9156634BCF6454C6979C028D451A6C865117B06E486E173E00D5E0D4C5D7C3"
     "2A1A5C537B7E43949FCDFFEDAEB04D4EABC32BC3012821415FD514EA66E36115B409703D87B66A290B2C7FC9"
     "1F0BF63187D6ECEE7D6788DA9D8AFF8851BF074E8CB8045115501366588BAFC7691DDC24A17A7AA3C27CBDAD"
     "AE1CD4B72F7EF6C472864639E0D191AAF922E99F1DE190D3275F830F4286D2B464D0883DCE2BC05F0935C2B2"
     "2D8CBB26259CA4AAD33FD1C4064992EF16C2048BE8DE1D22AD3C654FF790B9FDE9D3DB45",
     64, "",
     "281d3835310e0a063531292b3b3f24380d2e2e183d0d35161f2925040e220e0415192f0e24362e371c213b1f"
     "270309220b103e3d1c0a392c33142d261a2b212d0a3b3a070b0b123d292d2f25253518281539213613253412"
     "2e33033306161839232f3b340a2a010a241137213c293c152d2f17041617323416372227210309",
     "30080b0a06343e0b3b00331c2e0213351d1d2b2d11352e00392214071b270d010e32121e3c240b193a0e3c39"
     "132808071f3e1d1f030a3c083e110f3c1a1f04291703381b293d3b3135163c0e28021c242330180216243121"
     "233e103a04131d341f17071b231d141e2f08131a35060b3e341e2a1401072921123e1e0b103c3d"},
    /* b=2 d=8 */
    {"r16_n5_min",
     "2B7E151628AED2A6ABF7158809CF4F3C",
     "0955B1",
     16, "",
     "0e0a030c0e",
     "07010c0f0f"},
    /* b=2 d=8 */
    {"r2_n20_min",
     "2B7E151628AED2A6ABF7158809CF4F3C",
     "",
     2, "",
     "0000010000000001010000000001000000000100",
     "0001010001000001000001000000010000010000"},
    /* b=2 d=8 */
    {"r10_n6_min",
     "2B7E151628AED2A6ABF7158809CF4F3C",
     "70616E",
     10, "",
     "080503090104",
     "060402080209"},
    /* b=2 d=8 */
    {"r256_n3_min", "2B7E151628AED2A6ABF7158809CF4F3C", "", 256, "", "a4678e", "a23153"},
    /* b=13 d=20 */
    {"r10_n57_t32",
     "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F",
     "2F79ACD9C1395BDC24ECE354F54374EE8A1430AC62D53B5B6B9EE8BAB38451D0",
     10, "",
     "0702090909040905080208040402030803020807070600090905090407060100090100000004080103070807"
     "09060109060904050701040308",
     "0008010309090903070703070100080601030103040808050007070409010001010603020607070908080807"
     "00090703010209030209020306"},
    /* b=38 d=44 */
    {"r26_n127_t15",
     "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F",
     "42E19B30E112D6328D6C923403B86F",
     26, "",
     "120e191303080a000b0e01080e061317031102010f0916010e0e070e120100020c0f1610100f060201150a11"
     "081205160710140d00130c180d13110903050e0d090507160b18040310110d0b0e11050d10030b170b14160b"
     "07150714180b0a0b1907080203030f0a070e160e120d0a120b12170e0d140e1619011815060d03",
     "1602091907070c0807091401180d05020f0518170213110b19170311000011000a040014090c130b04100705"
     "121905170e140305090e181200021015020f0f0a18050102010202190e060f08060c0c1612040e0007030d15"
     "071508140708050f0c080d131610120c010d010d0d180502040113130b030c11000d0510120312"},
    /* b=50 d=56 */
    {"r255_n100_t1",
     "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94",
     "34",
     255, "",
     "3454b50af4b4632879d2a60619e652db3afbd5648c641fe572e246d63ddf69a644be339b1453acfb8d28ad29"
     "bf960eda6cf4a2a537d54e30e4e0c08990c9e2ceada9c899eb9592e41f1da49d945d70adabefecc3343e2993"
     "7b3bfe75a82480f2f03fa67a",
     "62baa7223178e0f521cb1e5bf424d9b18190f7ecac798baba3b39b954211a14ce1e5078d7176b4d59e9efcd1"
     "fd0255ca873cda5eeab490417747a6d6424f9c889641e54c46d93f49c02a06663b49b8e741461e9f6ce12452"
     "eca85b2959f0da45cd0d86bf"},
    /* b=2 d=8 */
    {"r3_n13_min",
     "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94",
     "24A812166C",
     3, "",
     "00010101010100010002000000",
     "01010101020102010000010200"},
    /* n alone differs from sample 1 (same u and b: only [n]^4 in P) */
    {"r10_n11", K128, "", 10, A10, "01234567890", "74347834893"},
    /* radix alone differs from sample 3 */
    {"r10_n19_t11", K128, "3737373770717273373737", 10, A10, "0123456789012345678",
     "4863439299093337165"},
};

PII_TABLE_TEST(struct ff1_vec, c, computed, ff1, computed)
{
    (void)row;
    check_vec(c);
}

static const struct ff1_vec *vec_named(const char *name)
{
    for (size_t i = 0; i < COUNT(nist); i++)
        if (strcmp(nist[i].name, name) == 0)
            return &nist[i];
    for (size_t i = 0; i < COUNT(computed); i++)
        if (strcmp(computed[i].name, name) == 0)
            return &computed[i];
    cr_assert_fail("no vector %s", name);
    return NULL;
}

/* One object, many (radix, n, tlen) in turn: the per-length cache must
 * follow every change (tweak length alone, n alone, radix alone). */
Test(ff1, cache_follows_parameters)
{
    static const char order[][16] = {
        "sample1", "sample2",     "sample1", "sample3",    "sample2",     "r10_n64_t17",
        "r36_n128_t16", "r10_n64_t17", "r16_n5_min", "r10_n6_min", "sample3", "sample1",
        "r10_n11", "sample1",     "r10_n11", "sample3",    "r10_n19_t11", "sample3",
        "r10_n19_t11",
    };
    pii_ff1 *f = new_hex(K128);

    for (size_t round = 0; round < 2; round++) {
        for (size_t i = 0; i < COUNT(order); i++) {
            const struct ff1_vec *c = vec_named(order[i]);

            cr_assert_str_eq(c->key, K128);
            check_vec_on(f, c);
        }
    }
    pii_ff1_free(f);
}

/* ------------------------------------------------------------------------ */
/* properties                                                               */
/* ------------------------------------------------------------------------ */

static uint64_t xorshift64(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static size_t rnd(uint64_t *s, size_t lo, size_t hi) /* [lo, hi] */
{
    return lo + (size_t)(xorshift64(s) % (uint64_t)(hi - lo + 1));
}

/* Smallest n with radix^n >= 10^6 (fpe.md 2; 256^3 = 16777216). */
static const struct {
    unsigned radix;
    size_t min_n;
} radices[] = {{2, 20}, {10, 6}, {26, 5}, {36, 4}, {64, 4}, {256, 3}};

Test(ff1, round_trip_random)
{
    uint64_t seed = 0x9E3779B97F4A7C15u;
    static const size_t key_lens[] = {16, 24, 32};
    pii_ff1 *f[3];
    unsigned same = 0, total = 0;

    for (size_t k = 0; k < 3; k++) {
        uint8_t key[32];

        for (size_t j = 0; j < key_lens[k]; j++)
            key[j] = (uint8_t)xorshift64(&seed);
        cr_assert_eq(pii_ff1_new(key, key_lens[k], &f[k]), PII_OK);
    }
    for (size_t ri = 0; ri < COUNT(radices); ri++) {
        unsigned radix = radices[ri].radix;

        for (unsigned iter = 0; iter < 400; iter++) {
            uint8_t pt[PII_FF1_MAX_LEN], ct[PII_FF1_MAX_LEN], back[PII_FF1_MAX_LEN];
            uint8_t inplace[PII_FF1_MAX_LEN], tweak[PII_FF1_MAX_TWEAK];
            /* mostly up to 64 numerals, 1 in 8 up to the maximum */
            size_t hi = iter % 8 == 7 ? PII_FF1_MAX_LEN : 64;
            size_t n = iter == 0 ? radices[ri].min_n
                     : iter == 1 ? PII_FF1_MAX_LEN
                                 : rnd(&seed, radices[ri].min_n, hi);
            size_t tlen = iter % 5 == 4 ? rnd(&seed, 0, PII_FF1_MAX_TWEAK) : rnd(&seed, 0, 40);
            pii_ff1 *fk = f[iter % 3];

            for (size_t j = 0; j < n; j++)
                pt[j] = (uint8_t)(xorshift64(&seed) % radix);
            for (size_t j = 0; j < tlen; j++)
                tweak[j] = (uint8_t)xorshift64(&seed);

            cr_assert_eq(pii_ff1_encrypt(fk, radix, tweak, tlen, pt, ct, n), PII_OK,
                         "radix %u n %zu", radix, n);
            for (size_t j = 0; j < n; j++)
                cr_assert_lt(ct[j], radix, "radix %u n %zu: numeral out of range", radix, n);
            cr_assert_eq(pii_ff1_decrypt(fk, radix, tweak, tlen, ct, back, n), PII_OK);
            cr_assert_arr_eq(back, pt, n, "radix %u n %zu tlen %zu: round trip", radix, n, tlen);

            memcpy(inplace, pt, n);
            cr_assert_eq(pii_ff1_encrypt(fk, radix, tweak, tlen, inplace, inplace, n), PII_OK);
            cr_assert_arr_eq(inplace, ct, n, "radix %u n %zu: in place differs", radix, n);

            same += memcmp(ct, pt, n) == 0;
            total++;
        }
    }
    /* Every domain has >= 10^6 points: a fixed point is a one-in-a-million
     * event, a few thousand trials should see none. */
    cr_assert_eq(same, 0, "%u of %u ciphertexts equal their plaintext", same, total);
    for (size_t k = 0; k < 3; k++)
        pii_ff1_free(f[k]);
}

/* FF1 is a permutation: all 10^6 six-digit strings map to distinct ones. */
Test(ff1, bijection_radix10_n6)
{
    enum { N = 1000000 };
    uint8_t *seen = calloc(N, 1);
    pii_ff1 *f = new_hex(K128);
    const uint8_t tweak[] = {'p', 'a', 'n'};

    cr_assert_not_null(seen);
    for (uint32_t v = 0; v < N; v++) {
        uint8_t x[6], y[6];
        uint32_t t = v, w = 0;

        for (int j = 5; j >= 0; j--) {
            x[j] = (uint8_t)(t % 10);
            t /= 10;
        }
        cr_assert_eq(pii_ff1_encrypt(f, 10, tweak, sizeof tweak, x, y, 6), PII_OK);
        for (int j = 0; j < 6; j++) {
            cr_assert_lt(y[j], 10);
            w = w * 10 + y[j];
        }
        cr_assert_eq(seen[w], 0, "collision at output %06u", (unsigned)w);
        seen[w] = 1;
    }
    free(seen);
    pii_ff1_free(f);
}

Test(ff1, deterministic)
{
    pii_ff1 *f = new_hex(K256);
    pii_ff1 *g = new_hex(K256);
    const uint8_t x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    uint8_t a[10], b[10];

    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, a, 10), PII_OK);
    cr_assert_eq(pii_ff1_encrypt(g, 10, NULL, 0, x, b, 10), PII_OK);
    cr_assert_arr_eq(a, b, 10);
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, b, 10), PII_OK);
    cr_assert_arr_eq(a, b, 10);
    pii_ff1_free(f);
    pii_ff1_free(g);
}

Test(ff1, wrong_key_does_not_decrypt)
{
    pii_ff1 *f = new_hex(K128);
    pii_ff1 *g = new_hex("2B7E151628AED2A6ABF7158809CF4F3D"); /* last bit flipped */
    pii_ff1 *h = new_hex(K256);
    const uint8_t tweak[] = {'p', 'a', 'n'};
    uint64_t seed = 42;

    for (int iter = 0; iter < 100; iter++) {
        uint8_t x[10], ct[10], back[10], other[10];

        for (int j = 0; j < 10; j++)
            x[j] = (uint8_t)(xorshift64(&seed) % 10);
        cr_assert_eq(pii_ff1_encrypt(f, 10, tweak, sizeof tweak, x, ct, 10), PII_OK);
        cr_assert_eq(pii_ff1_decrypt(g, 10, tweak, sizeof tweak, ct, back, 10), PII_OK);
        cr_assert_arr_neq(back, x, 10, "a one-bit-off key decrypted");
        cr_assert_eq(pii_ff1_decrypt(h, 10, tweak, sizeof tweak, ct, back, 10), PII_OK);
        cr_assert_arr_neq(back, x, 10, "another key decrypted");
        cr_assert_eq(pii_ff1_encrypt(g, 10, tweak, sizeof tweak, x, other, 10), PII_OK);
        cr_assert_arr_neq(other, ct, 10, "two keys gave the same ciphertext");
        cr_assert_eq(pii_ff1_decrypt(f, 10, tweak, sizeof tweak, ct, back, 10), PII_OK);
        cr_assert_arr_eq(back, x, 10);
    }
    pii_ff1_free(f);
    pii_ff1_free(g);
    pii_ff1_free(h);
}

Test(ff1, tweak_changes_output)
{
    pii_ff1 *f = new_hex(K128);
    const uint8_t x[16] = {6, 2, 2, 2, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 4};
    uint8_t tw[20];
    uint8_t base[16], ct[16], zero = 0;

    for (size_t i = 0; i < sizeof tw; i++)
        tw[i] = (uint8_t)(0xA0 + i);
    cr_assert_eq(pii_ff1_encrypt(f, 10, tw, sizeof tw, x, base, 16), PII_OK);

    /* a bit in the tweak's first whole block, precomputed once per call */
    tw[3] ^= 1;
    cr_assert_eq(pii_ff1_encrypt(f, 10, tw, sizeof tw, x, ct, 16), PII_OK);
    cr_assert_arr_neq(ct, base, 16, "tweak byte 3 ignored");
    tw[3] ^= 1;
    /* a bit in the partial block that goes into Q every round */
    tw[18] ^= 0x80;
    cr_assert_eq(pii_ff1_encrypt(f, 10, tw, sizeof tw, x, ct, 16), PII_OK);
    cr_assert_arr_neq(ct, base, 16, "tweak byte 18 ignored");
    tw[18] ^= 0x80;
    /* one byte shorter */
    cr_assert_eq(pii_ff1_encrypt(f, 10, tw, sizeof tw - 1, x, ct, 16), PII_OK);
    cr_assert_arr_neq(ct, base, 16, "tweak length ignored");
    /* empty versus one zero byte: t is part of P */
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, base, 16), PII_OK);
    cr_assert_eq(pii_ff1_encrypt(f, 10, &zero, 1, x, ct, 16), PII_OK);
    cr_assert_arr_neq(ct, base, 16, "empty and 00 tweaks agree");
    /* unchanged tweak: unchanged output */
    cr_assert_eq(pii_ff1_encrypt(f, 10, tw, sizeof tw, x, ct, 16), PII_OK);
    cr_assert_eq(pii_ff1_encrypt(f, 10, tw, sizeof tw, x, base, 16), PII_OK);
    cr_assert_arr_eq(ct, base, 16);
    pii_ff1_free(f);
}

/* ------------------------------------------------------------------------ */
/* errors                                                                   */
/* ------------------------------------------------------------------------ */

Test(ff1, domain_minimum)
{
    pii_ff1 *f = new_hex(K128);
    uint8_t x[32] = {0}, y[32];

    for (size_t ri = 0; ri < COUNT(radices); ri++) {
        unsigned r = radices[ri].radix;
        size_t n = radices[ri].min_n;

        cr_assert_eq(pii_ff1_encrypt(f, r, NULL, 0, x, y, n - 1), PII_E_CONFIG,
                     "radix %u n %zu is below 10^6", r, n - 1);
        cr_assert_eq(pii_ff1_decrypt(f, r, NULL, 0, x, y, n - 1), PII_E_CONFIG);
        cr_assert_eq(pii_ff1_encrypt(f, r, NULL, 0, x, y, n), PII_OK, "radix %u n %zu", r, n);
        cr_assert_eq(pii_ff1_decrypt(f, r, NULL, 0, x, y, n), PII_OK);
    }
    /* 16^5 = 1048576 is allowed, 16^4 is not; 3^13 = 1594323, 3^12 = 531441 */
    cr_assert_eq(pii_ff1_encrypt(f, 16, NULL, 0, x, y, 4), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_encrypt(f, 16, NULL, 0, x, y, 5), PII_OK);
    cr_assert_eq(pii_ff1_encrypt(f, 3, NULL, 0, x, y, 12), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_encrypt(f, 3, NULL, 0, x, y, 13), PII_OK);
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, y, 0), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_encrypt(f, 256, NULL, 0, x, y, 1), PII_E_CONFIG);
    pii_ff1_free(f);
}

Test(ff1, length_maximum)
{
    pii_ff1 *f = new_hex(K128);
    uint8_t x[PII_FF1_MAX_LEN + 1] = {0}, y[PII_FF1_MAX_LEN + 1];

    cr_assert_geq(PII_FF1_MAX_LEN, 64);
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, y, PII_FF1_MAX_LEN), PII_OK);
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, y, PII_FF1_MAX_LEN + 1), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_decrypt(f, 10, NULL, 0, x, y, PII_FF1_MAX_LEN + 1), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_encrypt(f, 2, NULL, 0, x, y, (size_t)1 << 20), PII_E_CONFIG);
    pii_ff1_free(f);
}

Test(ff1, numeral_out_of_range)
{
    pii_ff1 *f = new_hex(K128);
    uint8_t x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    uint8_t y[10];

    memset(y, 0xAA, sizeof y);
    x[3] = 10;
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, y, 10), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_decrypt(f, 10, NULL, 0, x, y, 10), PII_E_CONFIG);
    x[3] = 3;
    x[9] = 36;
    cr_assert_eq(pii_ff1_encrypt(f, 36, NULL, 0, x, y, 10), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_encrypt(f, 37, NULL, 0, x, y, 10), PII_OK);
    x[9] = 9;
    x[0] = 255;
    cr_assert_eq(pii_ff1_encrypt(f, 255, NULL, 0, x, y, 10), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_encrypt(f, 256, NULL, 0, x, y, 10), PII_OK);
    /* nothing is written on error */
    memset(y, 0xAA, sizeof y);
    x[0] = 10;
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, y, 10), PII_E_CONFIG);
    for (size_t i = 0; i < sizeof y; i++)
        cr_assert_eq(y[i], 0xAA, "output written on error");
    pii_ff1_free(f);
}

Test(ff1, bad_radix)
{
    pii_ff1 *f = new_hex(K128);
    uint8_t x[64] = {0}, y[64];
    static const unsigned bad[] = {0, 1, 257, 1000, 65536, 65537};

    for (size_t i = 0; i < COUNT(bad); i++) {
        cr_assert_eq(pii_ff1_encrypt(f, bad[i], NULL, 0, x, y, 64), PII_E_CONFIG, "radix %u",
                     bad[i]);
        cr_assert_eq(pii_ff1_decrypt(f, bad[i], NULL, 0, x, y, 64), PII_E_CONFIG, "radix %u",
                     bad[i]);
    }
    pii_ff1_free(f);
}

Test(ff1, bad_arguments)
{
    pii_ff1 *f = new_hex(K128);
    uint8_t x[10] = {0}, y[10];
    uint8_t tweak[PII_FF1_MAX_TWEAK + 1] = {0};

    /* misuse */
    cr_assert_eq(pii_ff1_encrypt(NULL, 10, NULL, 0, x, y, 10), PII_E_INTERNAL);
    cr_assert_eq(pii_ff1_decrypt(NULL, 10, NULL, 0, x, y, 10), PII_E_INTERNAL);
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, NULL, y, 10), PII_E_INTERNAL);
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 0, x, NULL, 10), PII_E_INTERNAL);
    cr_assert_eq(pii_ff1_decrypt(f, 10, NULL, 0, x, NULL, 10), PII_E_INTERNAL);
    cr_assert_eq(pii_ff1_encrypt(f, 10, NULL, 3, x, y, 10), PII_E_INTERNAL);
    cr_assert_eq(pii_ff1_decrypt(f, 10, NULL, 3, x, y, 10), PII_E_INTERNAL);
    /* tweak length: up to the maximum, any bytes, NULL only when empty */
    cr_assert_eq(pii_ff1_encrypt(f, 10, tweak, PII_FF1_MAX_TWEAK, x, y, 10), PII_OK);
    cr_assert_eq(pii_ff1_encrypt(f, 10, tweak, PII_FF1_MAX_TWEAK + 1, x, y, 10), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_decrypt(f, 10, tweak, PII_FF1_MAX_TWEAK + 1, x, y, 10), PII_E_CONFIG);
    cr_assert_eq(pii_ff1_encrypt(f, 10, tweak, 0, x, y, 10), PII_OK);
    pii_ff1_free(f);
    pii_ff1_free(NULL);
}

Test(ff1, bad_key_length)
{
    uint8_t key[64] = {0};
    static const size_t bad[] = {0, 1, 8, 15, 17, 20, 23, 25, 31, 33, 48, 64};
    static const size_t good[] = {16, 24, 32};

    for (size_t i = 0; i < COUNT(bad); i++) {
        pii_ff1 *f = (pii_ff1 *)&key; /* must be overwritten with NULL */

        cr_assert_eq(pii_ff1_new(key, bad[i], &f), PII_E_CRYPTO, "key length %zu", bad[i]);
        cr_assert_null(f);
    }
    for (size_t i = 0; i < COUNT(good); i++) {
        pii_ff1 *f = NULL;

        cr_assert_eq(pii_ff1_new(key, good[i], &f), PII_OK, "key length %zu", good[i]);
        cr_assert_not_null(f);
        pii_ff1_free(f);
        cr_assert_eq(pii_ff1_new(NULL, good[i], &f), PII_E_CRYPTO);
        cr_assert_null(f);
    }
    cr_assert_eq(pii_ff1_new(key, 16, NULL), PII_E_INTERNAL);
}

Test(ff1, out_of_memory)
{
    uint8_t key[16] = {0};
    pii_ff1 *f = NULL;

    pii_alloc_fail_after(1);
    cr_assert_eq(pii_ff1_new(key, sizeof key, &f), PII_E_NOMEM);
    pii_alloc_fail_after(0);
    cr_assert_null(f);
    cr_assert_eq(pii_ff1_new(key, sizeof key, &f), PII_OK);
    pii_ff1_free(f);
}
