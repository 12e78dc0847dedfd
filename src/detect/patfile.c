/*
 * patfile.c - the pattern-file parser.
 *
 * A pattern file is UTF-8 text of `key: value` lines; `#` starts a comment
 * line; an `id:` line starts a new detector, so one file may hold several
 * (built-in files hold one each). The grammar is documented in
 * patterns/README.md. Every error names source:line and what was expected;
 * messages quote keys and names from the file, never input data.
 */
#include "detect/patfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"

static const char *const kind_names[PII_KIND_COUNT] = {
    [PII_KIND_DIGITS] = "digits",         [PII_KIND_EMAIL] = "email",
    [PII_KIND_IPV4] = "ipv4",             [PII_KIND_IPV6] = "ipv6",
    [PII_KIND_ALNUM] = "alnum",           [PII_KIND_CN_ADDRESS] = "cn_address",
    [PII_KIND_US_ADDRESS] = "us_address", [PII_KIND_CN_NAME] = "cn_name",
    [PII_KIND_REGEX] = "regex",
};

const char *pii_kind_name(pii_kind k)
{
    return (unsigned)k < PII_KIND_COUNT ? kind_names[k] : "?";
}

static char *dup_n(const char *p, size_t n)
{
    char *s = pii_malloc(n + 1);
    if (s != NULL) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pii_free_mem(v[i]);
    pii_free_mem(v);
}

void pii_detector_def_clear(pii_detector_def *d)
{
    pii_free_mem(d->id);
    pii_free_mem(d->label);
    pii_free_mem(d->description);
    pii_free_mem(d->pattern);
    pii_free_mem(d->source);
    free_list(d->context, d->ncontext);
    free_list(d->negative, d->nnegative);
    for (size_t i = 0; i < d->nexamples; i++) {
        pii_free_mem(d->examples[i].text);
        pii_free_mem(d->examples[i].value);
    }
    pii_free_mem(d->examples);
    memset(d, 0, sizeof(*d));
}

static void def_defaults(pii_detector_def *d)
{
    memset(d, 0, sizeof(*d));
    d->kind = PII_KIND_REGEX;
    d->validator = -1;
    d->priority = 50;
    d->confidence = 80;
    d->min_len = 1;
    d->max_len = 255;
    d->negative_penalty = 40;
    d->action = PII_ACTION_MASK;
    d->mask = PII_MASK_ALL;
    d->canon = PII_CANON_FOLD;
    d->fpe = PII_FPE_NONE;
}

typedef struct {
    const char *source;
    unsigned line;
    pii_error *err;
} pctx;

#define FAIL(pc, ...) pii_error_set_at((pc)->err, PII_E_PATTERN, (pc)->source, (pc)->line, __VA_ARGS__)

static pii_status pii_error_set_at(pii_error *err, pii_status st, const char *source, unsigned line,
                                   const char *fmt, ...) PII_PRINTF(5, 6);

static pii_status pii_error_set_at(pii_error *err, pii_status st, const char *source, unsigned line,
                                   const char *fmt, ...)
{
    if (err == NULL)
        return st;
    char msg[PII_ERROR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    pii_error_set(err, st, "%.120s:%u: %s", source, line, msg);
    err->line = line;
    return st;
}

static bool parse_uint(const char *v, unsigned max, unsigned *out)
{
    if (*v < '0' || *v > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (errno || *end != '\0' || x > max)
        return false;
    *out = (unsigned)x;
    return true;
}

/* Decode \\ and \xHH escapes in place; returns false on a bad escape. */
static bool unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        if (r[1] == '\\') {
            *w++ = '\\';
            r++;
        } else if (r[1] == 'x') {
            unsigned v = 0;
            for (int i = 2; i < 4; i++) {
                char c = r[i];
                unsigned h = (c >= '0' && c <= '9')   ? (unsigned)(c - '0')
                             : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
                             : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10)
                                                      : 16u;
                if (h > 15)
                    return false;
                v = v * 16 + h;
            }
            if (v == 0)
                return false;
            *w++ = (char)v;
            r += 3;
        } else {
            return false;
        }
    }
    *w = '\0';
    return true;
}

/* Append comma-separated words from v to *list. */
static pii_status add_words(pctx *pc, const char *v, char ***list, size_t *n)
{
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > p && t[-1] == ' ')
            t--;
        if (t > p) {
            char **nl = pii_realloc(*list, (*n + 1) * sizeof(char *));
            if (nl == NULL)
                return PII_E_NOMEM;
            *list = nl;
            char *w = dup_n(p, (size_t)(t - p));
            if (w == NULL)
                return PII_E_NOMEM;
            for (char *c = w; *c; c++) { /* ASCII case-folded; UTF-8 untouched */
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c - 'A' + 'a');
            }
            (*list)[(*n)++] = w;
        }
        p = e;
    }
    (void)pc;
    return PII_OK;
}

static pii_status add_example(pctx *pc, pii_detector_def *d, const char *v, bool counter)
{
    const char *sep = NULL;
    if (!counter) {
        for (const char *q = strstr(v, " => "); q; q = strstr(q + 1, " => "))
            sep = q;
        if (sep == NULL)
            return FAIL(pc, "example needs 'TEXT => VALUE'");
    }
    pii_pat_example *ne = pii_realloc(d->examples, (d->nexamples + 1) * sizeof(*ne));
    if (ne == NULL)
        return PII_E_NOMEM;
    d->examples = ne;
    pii_pat_example *ex = &d->examples[d->nexamples];
    ex->text = dup_n(v, counter ? strlen(v) : (size_t)(sep - v));
    ex->value = counter ? NULL : dup_n(sep + 4, strlen(sep + 4));
    if (ex->text == NULL || (!counter && ex->value == NULL)) {
        pii_free_mem(ex->text);
        pii_free_mem(ex->value);
        return PII_E_NOMEM;
    }
    d->nexamples++;
    if (!unescape(ex->text) || (ex->value && !unescape(ex->value)))
        return FAIL(pc, "bad escape in example (use \\\\ or \\xHH)");
    if (ex->value && strstr(ex->text, ex->value) == NULL)
        return FAIL(pc, "example value does not occur in the example text");
    return PII_OK;
}

static pii_status parse_mask(pctx *pc, pii_detector_def *d, const char *v)
{
    static const struct {
        const char *name;
        pii_mask_style style;
        int nargs;
    } styles[] = {
        {"keep", PII_MASK_KEEP_ENDS, 2}, {"hide", PII_MASK_HIDE_BEFORE, 2},
        {"email", PII_MASK_EMAIL, 0},    {"ipv4", PII_MASK_IPV4, 0},
        {"ipv6", PII_MASK_IPV6, 1},      {"address", PII_MASK_ADDRESS, 0},
        {"name", PII_MASK_NAME, 1},      {"all", PII_MASK_ALL, 0},
    };
    for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
        size_t n = strlen(styles[i].name);
        if (strncmp(v, styles[i].name, n) != 0 || (v[n] != '\0' && v[n] != ' '))
            continue;
        unsigned a = 0, b = 0;
        const char *p = v + n;
        int got = 0;
        while (*p == ' ')
            p++;
        while (*p && got < 2) {
            char num[8];
            size_t k = 0;
            while (*p && *p != ' ' && k < sizeof(num) - 1)
                num[k++] = *p++;
            num[k] = '\0';
            unsigned x;
            if (!parse_uint(num, 64, &x))
                return FAIL(pc, "mask '%s' expects small numbers", styles[i].name);
            if (got == 0)
                a = x;
            else
                b = x;
            got++;
            while (*p == ' ')
                p++;
        }
        if (got != styles[i].nargs || *p)
            return FAIL(pc, "mask '%s' takes %d number(s)", styles[i].name, styles[i].nargs);
        d->mask = styles[i].style;
        d->mask_a = (uint8_t)a;
        d->mask_b = (uint8_t)b;
        return PII_OK;
    }
    return FAIL(pc, "unknown mask style (expected keep A B, hide A B, email, ipv4, ipv6 A, "
                    "address, name A or all)");
}

/* canonical: fold | digits | tail N | upper | lower */
static pii_status parse_canon(pctx *pc, pii_detector_def *d, const char *v)
{
    unsigned n;
    if (strcmp(v, "fold") == 0)
        d->canon = PII_CANON_FOLD;
    else if (strcmp(v, "digits") == 0)
        d->canon = PII_CANON_DIGITS;
    else if (strcmp(v, "upper") == 0)
        d->canon = PII_CANON_UPPER;
    else if (strcmp(v, "lower") == 0)
        d->canon = PII_CANON_LOWER;
    else if (strncmp(v, "tail ", 5) == 0 && parse_uint(v + 5, 64, &n) && n > 0) {
        d->canon = PII_CANON_TAIL;
        d->canon_n = (uint8_t)n;
    } else
        return FAIL(pc, "canonical expects fold, digits, tail N, upper or lower");
    return PII_OK;
}

/* fpe: none | tail N | card | cn_id */
static pii_status parse_fpe(pctx *pc, pii_detector_def *d, const char *v)
{
    unsigned n;
    if (strcmp(v, "none") == 0)
        d->fpe = PII_FPE_NONE;
    else if (strcmp(v, "card") == 0)
        d->fpe = PII_FPE_CARD;
    else if (strcmp(v, "cn_id") == 0)
        d->fpe = PII_FPE_CN_ID;
    else if (strncmp(v, "tail ", 5) == 0 && parse_uint(v + 5, 64, &n) && n >= 6) {
        d->fpe = PII_FPE_TAIL;
        d->fpe_n = (uint8_t)n;
    } else
        return FAIL(pc, "fpe expects none, card, cn_id or tail N (N >= 6: FF1's smallest domain)");
    return PII_OK;
}

static bool valid_id(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

static pii_status finish_def(pctx *pc, pii_detector_def *d)
{
    if (d->kind == PII_KIND_REGEX && d->pattern == NULL)
        return pii_error_set_at(pc->err, PII_E_PATTERN, pc->source, d->line,
                                "detector '%s' needs a pattern", d->id);
    if (d->label == NULL) {
        size_t n = strlen(d->id);
        d->label = pii_malloc(n + 3);
        if (d->label == NULL)
            return PII_E_NOMEM;
        d->label[0] = '[';
        for (size_t i = 0; i < n; i++)
            d->label[i + 1] = (char)(d->id[i] >= 'a' && d->id[i] <= 'z' ? d->id[i] - 32 : d->id[i]);
        d->label[n + 1] = ']';
        d->label[n + 2] = '\0';
    }
    if (d->description == NULL && (d->description = dup_n("user pattern", 12)) == NULL)
        return PII_E_NOMEM;
    if (d->min_len > d->max_len)
        return pii_error_set_at(pc->err, PII_E_PATTERN, pc->source, d->line,
                                "detector '%s': length minimum above maximum", d->id);
    return PII_OK;
}

pii_status pii_patfile_parse(const char *text, size_t len, const char *source, pii_def_list *out,
                             pii_error *err)
{
    pctx pc = {source, 0, err};
    pii_detector_def *cur = NULL;
    size_t first = out->len;
    pii_status st = PII_OK;
    const char *p = text;
    const char *end = text + len;
    char *line = NULL;
    if (memchr(text, '\0', len) != NULL)
        return FAIL(&pc, "pattern file contains a NUL byte");
    while (p < end) {
        pc.line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t ll = (size_t)(le - p);
        if (ll > 0 && p[ll - 1] == '\r')
            ll--;
        pii_free_mem(line);
        line = dup_n(p, ll);
        if (line == NULL) {
            st = PII_E_NOMEM;
            goto out;
        }
        p = nl ? nl + 1 : end;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        char *colon = strchr(s, ':');
        if (colon == NULL) {
            st = FAIL(&pc, "expected 'key: value'");
            goto out;
        }
        *colon = '\0';
        char *key = s;
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t vl = strlen(v);
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            v[--vl] = '\0';
        size_t kl = strlen(key);
        while (kl > 0 && (key[kl - 1] == ' ' || key[kl - 1] == '\t'))
            key[--kl] = '\0';

        if (strcmp(key, "id") == 0) {
            if (cur != NULL && (st = finish_def(&pc, cur)) != PII_OK)
                goto out;
            if (!valid_id(v)) {
                st = FAIL(&pc, "id must be 1-32 characters of a-z, 0-9, _");
                goto out;
            }
            for (size_t i = 0; i < out->len; i++) {
                if (strcmp(out->v[i].id, v) == 0) {
                    st = FAIL(&pc, "detector '%s' is already defined (%.100s:%u)", v,
                              out->v[i].source, out->v[i].line);
                    goto out;
                }
            }
            if (out->len == out->alloc) {
                size_t na = out->alloc ? out->alloc * 2 : 16;
                pii_detector_def *nv = pii_realloc(out->v, na * sizeof(*nv));
                if (nv == NULL) {
                    st = PII_E_NOMEM;
                    goto out;
                }
                out->v = nv;
                out->alloc = na;
            }
            cur = &out->v[out->len++];
            def_defaults(cur);
            cur->line = pc.line;
            cur->id = dup_n(v, vl);
            cur->source = dup_n(source, strlen(source));
            if (cur->id == NULL || cur->source == NULL) {
                st = PII_E_NOMEM;
                goto out;
            }
            continue;
        }
        if (cur == NULL) {
            st = FAIL(&pc, "'%.40s' before the first 'id:'", key);
            goto out;
        }
        unsigned u;
        if (strcmp(key, "label") == 0 || strcmp(key, "description") == 0 ||
            strcmp(key, "pattern") == 0) {
            char **slot = key[0] == 'l' ? &cur->label : key[0] == 'd' ? &cur->description
                                                                       : &cur->pattern;
            if (*slot != NULL) {
                st = FAIL(&pc, "'%s' given twice", key);
                goto out;
            }
            if (vl == 0) {
                st = FAIL(&pc, "'%s' is empty", key);
                goto out;
            }
            if ((*slot = dup_n(v, vl)) == NULL) {
                st = PII_E_NOMEM;
                goto out;
            }
        } else if (strcmp(key, "kind") == 0) {
            int k = -1;
            for (int i = 0; i < PII_KIND_COUNT; i++) {
                if (strcmp(v, kind_names[i]) == 0)
                    k = i;
            }
            if (k < 0) {
                st = FAIL(&pc, "unknown kind '%.40s' (expected digits, email, ipv4, ipv6, alnum, "
                               "cn_address, us_address, cn_name or regex)",
                          v);
                goto out;
            }
            cur->kind = (pii_kind)k;
        } else if (strcmp(key, "validator") == 0) {
            if (strcmp(v, "none") == 0) {
                cur->validator = -1;
            } else if ((cur->validator = pii_validator_lookup(v)) < 0) {
                st = FAIL(&pc, "unknown validator '%.40s' (see patterns/README.md)", v);
                goto out;
            }
        } else if (strcmp(key, "length") == 0) {
            char *dash = strchr(v, '-');
            unsigned lo, hi;
            if (dash != NULL)
                *dash = '\0';
            if (!parse_uint(v, 255, &lo) || !parse_uint(dash ? dash + 1 : v, 255, &hi) || lo > hi) {
                st = FAIL(&pc, "length expects N or N-M (0-255)");
                goto out;
            }
            cur->min_len = (uint8_t)lo;
            cur->max_len = (uint8_t)hi;
        } else if (strcmp(key, "priority") == 0 || strcmp(key, "confidence") == 0 ||
                   strcmp(key, "negative_penalty") == 0) {
            unsigned max = key[0] == 'p' ? 255 : 100;
            if (!parse_uint(v, max, &u)) {
                st = FAIL(&pc, "'%s' expects a number from 0 to %u", key, max);
                goto out;
            }
            if (key[0] == 'p')
                cur->priority = (uint8_t)u;
            else if (key[0] == 'c')
                cur->confidence = (uint8_t)u;
            else
                cur->negative_penalty = (uint8_t)u;
        } else if (strcmp(key, "action") == 0) {
            if (pii_action_from_name(v, &cur->action) != PII_OK) {
                st = FAIL(&pc, "unknown action '%.40s' (expected mask, redact, keep, token or fpe)",
                          v);
                goto out;
            }
        } else if (strcmp(key, "mask") == 0) {
            if ((st = parse_mask(&pc, cur, v)) != PII_OK)
                goto out;
        } else if (strcmp(key, "canonical") == 0) {
            if ((st = parse_canon(&pc, cur, v)) != PII_OK)
                goto out;
        } else if (strcmp(key, "fpe") == 0) {
            if ((st = parse_fpe(&pc, cur, v)) != PII_OK)
                goto out;
        } else if (strcmp(key, "context_required") == 0) {
            if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
                st = FAIL(&pc, "context_required expects yes or no");
                goto out;
            }
            cur->context_required = v[0] == 'y';
        } else if (strcmp(key, "context") == 0) {
            if ((st = add_words(&pc, v, &cur->context, &cur->ncontext)) != PII_OK)
                goto out;
        } else if (strcmp(key, "negative") == 0) {
            if ((st = add_words(&pc, v, &cur->negative, &cur->nnegative)) != PII_OK)
                goto out;
        } else if (strcmp(key, "example") == 0 || strcmp(key, "counter") == 0) {
            if ((st = add_example(&pc, cur, v, key[0] == 'c')) != PII_OK)
                goto out;
        } else {
            st = FAIL(&pc, "unknown key '%.40s' (expected id, label, description, kind, pattern, "
                           "validator, length, priority, confidence, action, mask, canonical, fpe, "
                           "context, negative, negative_penalty, context_required, example, "
                           "counter)",
                      key);
            goto out;
        }
    }
    if (cur == NULL) {
        st = FAIL(&pc, "no detector defined (a file starts with 'id: NAME')");
        goto out;
    }
    st = finish_def(&pc, cur);
out:
    pii_free_mem(line);
    if (st == PII_E_NOMEM)
        pii_error_set(err, st, "%.120s: out of memory", source);
    if (st != PII_OK) {
        for (size_t i = first; i < out->len; i++)
            pii_detector_def_clear(&out->v[i]);
        out->len = first;
    }
    return st;
}

void pii_def_list_free(pii_def_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        pii_detector_def_clear(&l->v[i]);
    pii_free_mem(l->v);
    l->v = NULL;
    l->len = l->alloc = 0;
}
