/*
 * policy.c - the policy-file parser (format: policy.h, examples/policy.yaml).
 *
 * Two steps. libyaml's event API builds a small tree of our own, so that
 * aliases, anchors, tags and second documents are refused where they
 * appear and the depth and node count stay bounded. A schema walk then
 * checks every key and value and fills the pii_policy. Every message about
 * the content is "SOURCE:LINE:COLUMN: message" from libyaml's marks (0-based
 * there, 1-based here; columns count characters) and says what was
 * expected. Values are quoted only when short (pii_policy_quote). Numbers
 * come from plain scalars, are checked against a strict grammar before
 * strtod runs in the C locale, and must be finite: "1.0abc", "nan", ".inf"
 * and "1e999" are rejected.
 */
#include "engine/policy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"

PII_STATIC_ASSERT((int)PII_FIELD_MASK == (int)PII_ACTION_MASK, "field/entity action numbering");
PII_STATIC_ASSERT((int)PII_FIELD_REDACT == (int)PII_ACTION_REDACT, "field/entity action numbering");
PII_STATIC_ASSERT((int)PII_FIELD_KEEP == (int)PII_ACTION_KEEP, "field/entity action numbering");
PII_STATIC_ASSERT((int)PII_FIELD_TOKEN == (int)PII_ACTION_TOKEN, "field/entity action numbering");
PII_STATIC_ASSERT((int)PII_FIELD_FPE == (int)PII_ACTION_FPE, "field/entity action numbering");

#define MAX_DEPTH 16      /* the schema needs 4 levels */
#define MAX_NODES 100000u /* 1000 fields of a few options each need far fewer */

static const char *const entity_actions[] = {"mask", "redact", "keep", "token", "fpe"};
static const char *const field_actions[] = {"mask",  "redact", "keep",       "token", "fpe",
                                            "drop",  "noise",  "generalize", "scan"};
static const char *const mechanisms[] = {"laplace", "geometric", "gaussian"};
static const pii_mechanism mechanism_values[] = {PII_MECH_LAPLACE, PII_MECH_GEOMETRIC,
                                                 PII_MECH_GAUSSIAN};
static const char *const date_units[] = {"day", "month", "year"};
static const pii_gen_unit date_unit_values[] = {PII_GEN_DAY, PII_GEN_MONTH, PII_GEN_YEAR};
static const char *const levels[] = {"province", "city", "district"};
static const pii_gen_level level_values[] = {PII_GEN_PROVINCE, PII_GEN_CITY, PII_GEN_DISTRICT};
PII_STATIC_ASSERT(PII_ARRAY_LEN(mechanisms) == PII_ARRAY_LEN(mechanism_values), "one value per name");
PII_STATIC_ASSERT(PII_ARRAY_LEN(date_units) == PII_ARRAY_LEN(date_unit_values), "one value per name");
PII_STATIC_ASSERT(PII_ARRAY_LEN(levels) == PII_ARRAY_LEN(level_values), "one value per name");

#define ENTITY_ACTIONS "mask, redact, keep, token or fpe"
#define FIELD_ACTIONS "mask, redact, token, fpe, keep, drop, noise, generalize or scan"
#define GEN_OPTIONS "band, top, date, date_shift, level or prefix"

enum { N_SCALAR, N_MAP, N_SEQ };

/* A YAML node. Mappings hold key, value, key, value... in kids. */
typedef struct ynode {
    int type;
    pii_policy_pos pos;
    char *value; /* scalar: owned, NUL-terminated (NUL inside is refused) */
    bool plain;  /* scalar: plain style; numbers and nulls must be plain */
    struct ynode **kids;
    size_t n;
    size_t cap;
} ynode;

typedef struct {
    const char *source;
    const char *text;
    size_t len;
    pii_error *err;
    size_t nodes;
} pctx;

typedef char qbuf[PII_POLICY_QUOTE_SIZE];

/* ---- messages ----------------------------------------------------------- */

static pii_status vfail(pii_error *err, pii_status st, const char *source, pii_policy_pos pos,
                        const char *fmt, va_list ap) PII_PRINTF(5, 0);

static pii_status vfail(pii_error *err, pii_status st, const char *source, pii_policy_pos pos,
                        const char *fmt, va_list ap)
{
    if (err == NULL)
        return st;
    char msg[PII_ERROR_MSG_SIZE];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    pii_error_set(err, st, "%.120s:%u:%u: %s", source, pos.line, pos.column, msg);
    err->line = pos.line;
    return st;
}

static pii_status fail(pctx *pc, pii_status st, pii_policy_pos pos, const char *fmt, ...)
    PII_PRINTF(4, 5);

static pii_status fail(pctx *pc, pii_status st, pii_policy_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(pc->err, st, pc->source, pos, fmt, ap);
    va_end(ap);
    return st;
}

pii_status pii_policy_error_at(pii_error *err, pii_status status, const pii_policy *p,
                               pii_policy_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, status, p != NULL && p->source != NULL ? p->source : "policy", pos, fmt, ap);
    va_end(ap);
    return status;
}

const char *pii_policy_quote(const char *s, char buf[PII_POLICY_QUOTE_SIZE])
{
    size_t chars = 0, bytes = 0;
    bool ctrl = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, bytes++) {
        if ((*p & 0xC0) != 0x80)
            chars++;
        if (*p < 0x20 || *p == 0x7f)
            ctrl = true;
    }
    if (ctrl)
        snprintf(buf, PII_POLICY_QUOTE_SIZE, "(a value with control characters)");
    else if (chars > PII_POLICY_QUOTE_MAX || bytes > 4 * PII_POLICY_QUOTE_MAX)
        snprintf(buf, PII_POLICY_QUOTE_SIZE, "(a value of %zu characters)", chars);
    else
        snprintf(buf, PII_POLICY_QUOTE_SIZE, "'%s'", s);
    return buf;
}

static pii_policy_pos mark_pos(yaml_mark_t m)
{
    pii_policy_pos pos;
    pos.line = m.line < UINT_MAX ? (unsigned)m.line + 1 : UINT_MAX;
    pos.column = m.column < UINT_MAX ? (unsigned)m.column + 1 : UINT_MAX;
    return pos;
}

/* Position of byte `off` of the text (libyaml's reader errors give offsets). */
static pii_policy_pos offset_pos(const pctx *pc, size_t off)
{
    pii_policy_pos pos = {1, 1};
    for (size_t i = 0; i < off && i < pc->len; i++) {
        unsigned char c = (unsigned char)pc->text[i];
        if (c == '\n' || (c == '\r' && (i + 1 == pc->len || pc->text[i + 1] != '\n'))) {
            pos.line++;
            pos.column = 1;
        } else if ((c & 0xC0) != 0x80) {
            pos.column++;
        }
    }
    return pos;
}

/* The byte at pos, or '\0' when pos is not inside the text. */
static char byte_at(const pctx *pc, pii_policy_pos pos)
{
    size_t i = 0;
    for (unsigned line = 1; line < pos.line; line++) {
        const char *nl = memchr(pc->text + i, '\n', pc->len - i);
        if (nl == NULL)
            return '\0';
        i = (size_t)(nl - pc->text) + 1;
    }
    for (unsigned col = 1; col < pos.column && i < pc->len; col++) {
        i++;
        while (i < pc->len && ((unsigned char)pc->text[i] & 0xC0) == 0x80)
            i++;
    }
    return i < pc->len ? pc->text[i] : '\0';
}

static pii_status syntax_error(pctx *pc, const yaml_parser_t *y)
{
    if (y->error == YAML_MEMORY_ERROR)
        return PII_E_NOMEM;
    bool reader = y->error == YAML_READER_ERROR;
    pii_policy_pos pos = reader ? offset_pos(pc, y->problem_offset) : mark_pos(y->problem_mark);
    char ctx[128] = "";
    if (reader && y->problem_value >= 0) {
        snprintf(ctx, sizeof(ctx), " (byte 0x%02x)", (unsigned)y->problem_value & 0xffu);
    } else if (!reader && y->context != NULL) {
        pii_policy_pos cp = mark_pos(y->context_mark);
        if (cp.line == pos.line && cp.column == pos.column)
            snprintf(ctx, sizeof(ctx), " (%.80s)", y->context);
        else
            snprintf(ctx, sizeof(ctx), " (%.80s at %u:%u)", y->context, cp.line, cp.column);
    }
    const char *hint = !reader && byte_at(pc, pos) == '\t' ? "; indent with spaces, not tabs" : "";
    return fail(pc, PII_E_CONFIG, pos, "YAML syntax error: %.100s%s%s",
                y->problem != NULL ? y->problem : "unknown problem", ctx, hint);
}

/* ---- the tree ----------------------------------------------------------- */

static void node_free(ynode *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->n; i++)
        node_free(n->kids[i]); /* depth <= MAX_DEPTH */
    pii_free_mem(n->kids);
    pii_free_mem(n->value);
    pii_free_mem(n);
}

static pii_status node_append(ynode *parent, ynode *kid)
{
    if (parent->n == parent->cap) {
        size_t nc = parent->cap ? parent->cap * 2 : 8;
        ynode **nk = pii_realloc(parent->kids, nc * sizeof(*nk));
        if (nk == NULL)
            return PII_E_NOMEM;
        parent->kids = nk;
        parent->cap = nc;
    }
    parent->kids[parent->n++] = kid;
    return PII_OK;
}

typedef struct {
    ynode *root;
    ynode *stack[MAX_DEPTH];
    size_t depth;
} tree;

/* Create a node for event ev and attach it to the open container (or make
 * it the root); containers are pushed. */
static pii_status tree_add(pctx *pc, tree *t, const yaml_event_t *ev)
{
    pii_policy_pos pos = mark_pos(ev->start_mark);
    const yaml_char_t *anchor, *tag;
    int type;
    if (ev->type == YAML_SCALAR_EVENT) {
        type = N_SCALAR;
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
    } else if (ev->type == YAML_MAPPING_START_EVENT) {
        type = N_MAP;
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
    } else {
        type = N_SEQ;
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
    }
    if (anchor != NULL)
        return fail(pc, PII_E_CONFIG, pos, "YAML anchors are not supported");
    if (tag != NULL)
        return fail(pc, PII_E_CONFIG, pos, "YAML tags are not supported");
    if (++pc->nodes > MAX_NODES)
        return fail(pc, PII_E_LIMIT, pos, "too many YAML nodes (the limit is %u)", MAX_NODES);
    if (type == N_SCALAR && memchr(ev->data.scalar.value, '\0', ev->data.scalar.length) != NULL)
        return fail(pc, PII_E_CONFIG, pos, "NUL characters are not allowed");

    ynode *n = pii_calloc(1, sizeof(*n));
    if (n == NULL)
        return PII_E_NOMEM;
    n->type = type;
    n->pos = pos;
    if (t->depth == 0) {
        t->root = n;
    } else if (node_append(t->stack[t->depth - 1], n) != PII_OK) {
        pii_free_mem(n);
        return PII_E_NOMEM;
    }
    if (type == N_SCALAR) {
        size_t len = ev->data.scalar.length;
        n->value = pii_malloc(len + 1);
        if (n->value == NULL)
            return PII_E_NOMEM;
        memcpy(n->value, ev->data.scalar.value, len);
        n->value[len] = '\0';
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        return PII_OK;
    }
    if (t->depth == MAX_DEPTH)
        return fail(pc, PII_E_LIMIT, pos, "nesting is deeper than %d levels", MAX_DEPTH);
    t->stack[t->depth++] = n;
    return PII_OK;
}

static pii_status build_tree(pctx *pc, ynode **root)
{
    yaml_parser_t y;
    tree t;
    t.root = NULL;
    t.depth = 0;
    *root = NULL;
    if (!yaml_parser_initialize(&y))
        return PII_E_NOMEM;
    yaml_parser_set_input_string(&y, (const unsigned char *)pc->text, pc->len);
    pii_status st = PII_OK;
    int docs = 0;
    bool done = false;
    while (!done && st == PII_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&y, &ev)) {
            st = syntax_error(pc, &y);
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                st = fail(pc, PII_E_CONFIG, mark_pos(ev.start_mark),
                          "only one YAML document is allowed");
            break;
        case YAML_ALIAS_EVENT:
            st = fail(pc, PII_E_CONFIG, mark_pos(ev.start_mark), "YAML aliases are not supported");
            break;
        case YAML_SCALAR_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            st = tree_add(pc, &t, &ev);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (t.depth > 0)
                t.depth--;
            break;
        default: /* stream start, document end */
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&y);
    if (st != PII_OK) {
        node_free(t.root);
        return st;
    }
    *root = t.root;
    return PII_OK;
}

/* ---- value helpers ------------------------------------------------------ */

static bool is_null(const ynode *n)
{
    if (n->type != N_SCALAR || !n->plain)
        return false;
    const char *v = n->value;
    return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

/* What a node is, for "found ..." in messages. */
static const char *describe(const ynode *n, qbuf q)
{
    if (n->type == N_MAP)
        return "a mapping";
    if (n->type == N_SEQ)
        return "a list";
    if (is_null(n))
        return "nothing";
    return pii_policy_quote(n->value, q);
}

static bool is_text(const ynode *n)
{
    return n->type == N_SCALAR && !is_null(n) && n->value[0] != '\0';
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = pii_malloc(n + 1);
    if (d != NULL)
        memcpy(d, s, n + 1);
    return d;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* [+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D+)? */
static bool number_syntax(const char *s)
{
    const char *p = s;
    size_t digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    for (; is_digit(*p); p++)
        digits++;
    if (*p == '.') {
        for (p++; is_digit(*p); p++)
            digits++;
    }
    if (digits == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!is_digit(*p))
            return false;
        while (is_digit(*p))
            p++;
    }
    return *p == '\0';
}

/* A finite number from a plain scalar. */
static bool get_number(const ynode *n, double *out)
{
    if (n->type != N_SCALAR || !n->plain || !number_syntax(n->value))
        return false;
    /* the grammar above uses '.': parse in the C locale whatever the
     * embedding program set */
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c != (locale_t)0 ? uselocale(c) : (locale_t)0;
    char *end;
    errno = 0;
    double v = strtod(n->value, &end);
    int e = errno;
    if (c != (locale_t)0) {
        uselocale(old);
        freelocale(c);
    }
    if (e == ERANGE || *end != '\0' || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* A decimal integer in [lo, hi] from a plain scalar; no leading zeros
 * (YAML 1.1 would read 010 as octal). */
static bool get_int(const ynode *n, long lo, long hi, long *out)
{
    if (n->type != N_SCALAR || !n->plain)
        return false;
    const char *p = n->value;
    if (*p == '+' || *p == '-')
        p++;
    if (!is_digit(*p) || (p[0] == '0' && p[1] != '\0'))
        return false;
    for (const char *q = p; *q; q++) {
        if (!is_digit(*q))
            return false;
    }
    char *end;
    errno = 0;
    long v = strtol(n->value, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int lookup(const char *const *names, size_t count, const char *s)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(names[i], s) == 0)
            return (int)i;
    }
    return -1;
}

/* One of `names` from node v; `what` ("action") and `where` (" for field
 * 'x'") build the message, `expected` lists the choices. */
static pii_status get_choice(pctx *pc, const ynode *v, const char *const *names, size_t count,
                             const char *what, const char *where, const char *expected, int *out)
{
    qbuf q;
    if (!is_text(v))
        return fail(pc, PII_E_CONFIG, v->pos, "expected %s %s%s (%s), found %s",
                    what[0] == 'a' ? "an" : "a", what, where, expected, describe(v, q));
    int i = lookup(names, count, v->value);
    if (i < 0)
        return fail(pc, PII_E_CONFIG, v->pos, "unknown %s %s%s (expected %s)", what,
                    pii_policy_quote(v->value, q), where, expected);
    *out = i;
    return PII_OK;
}

/* Mapping keys must be scalars (map_get and the rest rely on it). */
static pii_status scalar_keys(pctx *pc, const ynode *m)
{
    qbuf q;
    for (size_t i = 0; i < m->n; i += 2) {
        const ynode *k = m->kids[i];
        if (k->type != N_SCALAR)
            return fail(pc, PII_E_CONFIG, k->pos, "expected a name as the key, found %s",
                        describe(k, q));
    }
    return PII_OK;
}

static const ynode *map_get(const ynode *m, const char *key, const ynode **key_node)
{
    for (size_t i = 0; i < m->n; i += 2) {
        if (strcmp(m->kids[i]->value, key) == 0) {
            if (key_node != NULL)
                *key_node = m->kids[i];
            return m->kids[i + 1];
        }
    }
    return NULL;
}

/* Is key one of the comma-separated names in list? */
static bool in_list(const char *key, const char *list)
{
    size_t kl = strlen(key);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == kl && strncmp(p, key, n) == 0)
            return true;
        if (e == NULL)
            break;
        p = e + 2; /* ", " */
    }
    return false;
}

/* Keys are scalars, among `allowed` (comma-separated; NULL: any) and
 * unique. Unknown keys are refused before the quadratic duplicate check,
 * which therefore sees few keys (or a section whose size was limited). */
static pii_status check_map(pctx *pc, const ynode *m, const char *where, const char *allowed)
{
    qbuf q;
    pii_status st = scalar_keys(pc, m);
    if (st != PII_OK)
        return st;
    for (size_t i = 0; allowed != NULL && i < m->n; i += 2) {
        const ynode *k = m->kids[i];
        if (!in_list(k->value, allowed))
            return fail(pc, PII_E_CONFIG, k->pos, "unknown key %s%s (expected %s)",
                        pii_policy_quote(k->value, q), where, allowed);
    }
    for (size_t i = 0; i < m->n; i += 2) {
        const ynode *k = m->kids[i];
        for (size_t j = 0; j < i; j += 2) {
            const ynode *o = m->kids[j];
            if (strcmp(o->value, k->value) == 0)
                return fail(pc, PII_E_CONFIG, k->pos, "duplicate key %s (first at %u:%u)",
                            pii_policy_quote(k->value, q), o->pos.line, o->pos.column);
        }
    }
    return PII_OK;
}

/* user.phone, items[].address, *.email: segments of [A-Za-z0-9_-]+ or *,
 * each optionally followed by [], joined by '.'. */
static bool path_ok(const char *s)
{
    const char *p = s;
    for (;;) {
        const char *seg = p;
        if (*p == '*') {
            p++;
        } else {
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || is_digit(*p) ||
                   *p == '_' || *p == '-')
                p++;
        }
        if (p == seg)
            return false;
        if (p[0] == '[') {
            if (p[1] != ']')
                return false;
            p += 2;
        }
        if (*p == '\0')
            return true;
        if (*p != '.')
            return false;
        p++;
    }
}

static bool looks_like_path(const char *s)
{
    return strpbrk(s, ".[]*") != NULL;
}

/* A field name: a plain CSV header / JSON key (anything non-empty), or a
 * JSON path when it contains '.', '[', ']' or '*'. */
static pii_status check_field_name(pctx *pc, const ynode *n, const char *where)
{
    qbuf q;
    if (!is_text(n))
        return fail(pc, PII_E_CONFIG, n->pos, "expected a field name%s, found %s", where,
                    describe(n, q));
    if (looks_like_path(n->value) && !path_ok(n->value))
        return fail(pc, PII_E_CONFIG, n->pos,
                    "invalid JSON path %s (expected names of A-Z a-z 0-9 _ - or *, joined by "
                    "'.', each optionally followed by [])",
                    pii_policy_quote(n->value, q));
    return PII_OK;
}

/* ---- the schema --------------------------------------------------------- */

static pii_status parse_version(pctx *pc, const ynode *root, pii_policy *p)
{
    qbuf q;
    const ynode *k = NULL;
    const ynode *v = map_get(root, "version", &k);
    long ver;
    if (v == NULL)
        return fail(pc, PII_E_CONFIG, root->pos, "missing 'version: 1'");
    if (v->type != N_SCALAR || is_null(v))
        return fail(pc, PII_E_CONFIG, v->pos, "expected 'version: 1', found %s", describe(v, q));
    if (!get_int(v, 1, 1, &ver))
        return fail(pc, PII_E_CONFIG, v->pos, "unsupported version %s (expected 1)",
                    pii_policy_quote(v->value, q));
    p->version = (unsigned)ver;
    return PII_OK;
}

static pii_status parse_defaults(pctx *pc, const ynode *k, const ynode *v, pii_policy *p)
{
    qbuf q;
    if (is_null(v))
        return PII_OK;
    if (v->type != N_MAP)
        return fail(pc, PII_E_CONFIG, v->pos, "expected a mapping for 'defaults', found %s",
                    describe(v, q));
    pii_status st;
    if ((st = check_map(pc, v, " in 'defaults'", "action")) != PII_OK)
        return st;
    const ynode *a = map_get(v, "action", NULL);
    if (a == NULL)
        return fail(pc, PII_E_CONFIG, k->pos, "'defaults' needs an 'action'");
    int i = 0;
    if ((st = get_choice(pc, a, entity_actions, PII_ARRAY_LEN(entity_actions), "action",
                         " in 'defaults'", ENTITY_ACTIONS, &i)) != PII_OK)
        return st;
    p->has_default_action = true;
    p->default_action = (pii_action)i;
    p->default_pos = k->pos;
    return PII_OK;
}

static pii_status parse_keep(pctx *pc, const ynode *k, const ynode *v, int *out)
{
    long x;
    if (!get_int(v, 0, PII_POLICY_KEEP_MAX, &x))
        return fail(pc, PII_E_CONFIG, v->pos, "'%s' expects an integer from 0 to %d", k->value,
                    PII_POLICY_KEEP_MAX);
    *out = (int)x;
    return PII_OK;
}

static pii_status parse_entity(pctx *pc, const ynode *k, const ynode *v, pii_policy_entity *e)
{
    qbuf q;
    char where[PII_POLICY_QUOTE_SIZE + 16];
    if (!is_text(k))
        return fail(pc, PII_E_CONFIG, k->pos, "expected an entity type name, found %s",
                    describe(k, q));
    snprintf(where, sizeof(where), " for entity %s", pii_policy_quote(k->value, q));
    e->pos = k->pos;
    e->keep_first = e->keep_last = -1;
    if ((e->name = dup_str(k->value)) == NULL)
        return PII_E_NOMEM;
    pii_status st;
    int i = 0;
    if (v->type == N_SCALAR && !is_null(v)) {
        if ((st = get_choice(pc, v, entity_actions, PII_ARRAY_LEN(entity_actions), "action", where,
                             ENTITY_ACTIONS, &i)) != PII_OK)
            return st;
        e->action = (pii_action)i;
        return PII_OK;
    }
    if (v->type != N_MAP)
        return fail(pc, PII_E_CONFIG, v->pos, "expected an action or a mapping%s, found %s", where,
                    describe(v, q));
    if ((st = check_map(pc, v, where, "action, keep_first, keep_last")) != PII_OK)
        return st;
    const ynode *a = map_get(v, "action", NULL);
    if (a == NULL)
        return fail(pc, PII_E_CONFIG, k->pos, "entity %s needs an 'action'",
                    pii_policy_quote(k->value, q));
    if ((st = get_choice(pc, a, entity_actions, PII_ARRAY_LEN(entity_actions), "action", where,
                         ENTITY_ACTIONS, &i)) != PII_OK)
        return st;
    e->action = (pii_action)i;
    for (size_t j = 0; j < v->n; j += 2) {
        const ynode *ok = v->kids[j], *ov = v->kids[j + 1];
        if (strcmp(ok->value, "action") == 0)
            continue;
        if (e->action != PII_ACTION_MASK && e->action != PII_ACTION_FPE)
            return fail(pc, PII_E_CONFIG, ok->pos, "'%s' applies only to the mask and fpe actions",
                        ok->value);
        int *slot = strcmp(ok->value, "keep_first") == 0 ? &e->keep_first : &e->keep_last;
        st = parse_keep(pc, ok, ov, slot);
        if (st != PII_OK)
            return st;
    }
    return PII_OK;
}

static pii_status parse_entities(pctx *pc, const ynode *v, pii_policy *p)
{
    qbuf q;
    if (is_null(v))
        return PII_OK;
    if (v->type != N_MAP)
        return fail(pc, PII_E_CONFIG, v->pos, "expected a mapping for 'entities', found %s",
                    describe(v, q));
    if (v->n / 2 > PII_POLICY_MAX_ENTITIES)
        return fail(pc, PII_E_LIMIT, v->kids[2 * PII_POLICY_MAX_ENTITIES]->pos,
                    "too many entities (the limit is %u)", PII_POLICY_MAX_ENTITIES);
    pii_status st = check_map(pc, v, "", NULL);
    if (st != PII_OK || v->n == 0)
        return st;
    p->entities = pii_calloc(v->n / 2, sizeof(*p->entities));
    if (p->entities == NULL)
        return PII_E_NOMEM;
    for (size_t i = 0; i < v->n; i += 2) {
        pii_policy_entity *e = &p->entities[p->nentities++];
        if ((st = parse_entity(pc, v->kids[i], v->kids[i + 1], e)) != PII_OK)
            return st;
    }
    return PII_OK;
}

static pii_status parse_noise(pctx *pc, const ynode *fk, const ynode *m, pii_policy_field *f)
{
    qbuf q;
    pii_policy_noise *nz = &f->noise;
    const ynode *delta_key = NULL, *clamp = NULL;
    bool have_eps = false;
    nz->mechanism = PII_MECH_LAPLACE;
    for (size_t j = 0; j < m->n; j += 2) {
        const ynode *k = m->kids[j], *v = m->kids[j + 1];
        const char *key = k->value;
        if (strcmp(key, "mechanism") == 0) {
            int i = 0;
            pii_status st = get_choice(pc, v, mechanisms, PII_ARRAY_LEN(mechanisms), "mechanism",
                                       "", "laplace, geometric or gaussian", &i);
            if (st != PII_OK)
                return st;
            nz->mechanism = mechanism_values[i];
        } else if (strcmp(key, "epsilon") == 0) {
            if (!get_number(v, &nz->epsilon) || !(nz->epsilon > 0))
                return fail(pc, PII_E_CONFIG, v->pos, "'epsilon' expects a number > 0");
            have_eps = true;
        } else if (strcmp(key, "delta") == 0) {
            if (!get_number(v, &nz->delta) || !(nz->delta > 0 && nz->delta < 1))
                return fail(pc, PII_E_CONFIG, v->pos,
                            "'delta' expects a number between 0 and 1 (exclusive)");
            delta_key = k;
        } else if (strcmp(key, "sensitivity") == 0) {
            if (!get_number(v, &nz->sensitivity) || !(nz->sensitivity > 0))
                return fail(pc, PII_E_CONFIG, v->pos, "'sensitivity' expects a number > 0");
            nz->sensitivity_given = true;
        } else if (strcmp(key, "clamp") == 0) {
            if (v->type != N_SEQ || v->n != 2 || !get_number(v->kids[0], &nz->clamp_lo) ||
                !get_number(v->kids[1], &nz->clamp_hi))
                return fail(pc, PII_E_CONFIG, v->pos,
                            "'clamp' expects a list of two numbers [lo, hi]");
            if (!(nz->clamp_lo < nz->clamp_hi))
                return fail(pc, PII_E_CONFIG, v->pos, "'clamp' needs lo < hi");
            if (!isfinite(nz->clamp_hi - nz->clamp_lo))
                return fail(pc, PII_E_CONFIG, v->pos, "'clamp' range is too large");
            clamp = v;
        }
    }
    const char *name = pii_policy_quote(fk->value, q);
    if (!have_eps)
        return fail(pc, PII_E_CONFIG, fk->pos, "noise for field %s needs 'epsilon' (a number > 0)",
                    name);
    if (clamp == NULL)
        return fail(pc, PII_E_CONFIG, fk->pos, "noise for field %s needs 'clamp: [lo, hi]'", name);
    if (nz->mechanism == PII_MECH_GAUSSIAN && delta_key == NULL)
        return fail(pc, PII_E_CONFIG, fk->pos,
                    "gaussian noise for field %s needs 'delta' (0 < delta < 1)", name);
    if (nz->mechanism != PII_MECH_GAUSSIAN && delta_key != NULL)
        return fail(pc, PII_E_CONFIG, delta_key->pos,
                    "'delta' applies only to the gaussian mechanism");
    if (!nz->sensitivity_given)
        nz->sensitivity = nz->clamp_hi - nz->clamp_lo;
    return PII_OK;
}

static pii_status parse_generalize(pctx *pc, const ynode *fk, const ynode *m, pii_policy_field *f)
{
    static const char *const options[] = {"band", "top", "date", "date_shift", "level", "prefix"};
    qbuf q;
    pii_policy_generalize *g = &f->gen;
    const ynode *option = NULL, *key_field = NULL;
    pii_status st;
    for (size_t j = 0; j < m->n; j += 2) {
        const ynode *k = m->kids[j], *v = m->kids[j + 1];
        const char *key = k->value;
        if (strcmp(key, "key_field") == 0) {
            if ((st = check_field_name(pc, v, " for 'key_field'")) != PII_OK)
                return st;
            if ((g->key_field = dup_str(v->value)) == NULL)
                return PII_E_NOMEM;
            g->key_field_pos = v->pos;
            key_field = k;
            continue;
        }
        int o = lookup(options, PII_ARRAY_LEN(options), key);
        if (o < 0)
            continue; /* "action"; check_map refused the rest */
        bool numeric = o == PII_GEN_BAND || o == PII_GEN_TOP;
        if (option != NULL &&
            !(numeric && (g->kind == PII_GEN_BAND || g->kind == PII_GEN_TOP) && (int)g->kind != o))
            return fail(pc, PII_E_CONFIG, k->pos,
                        "generalize takes only one of " GEN_OPTIONS
                        " (band and top may go together; found '%s' and '%s')",
                        option->value, key);
        pii_generalize_kind prev = g->kind;
        bool second = option != NULL;
        option = k;
        g->kind = second && prev == PII_GEN_BAND ? PII_GEN_BAND : (pii_generalize_kind)o;
        long x;
        int i = 0;
        switch ((pii_generalize_kind)o) {
        case PII_GEN_BAND:
            if (!get_int(v, 1, PII_POLICY_BAND_MAX, &x))
                return fail(pc, PII_E_CONFIG, v->pos, "'band' expects an integer >= 1");
            g->band = x;
            break;
        case PII_GEN_TOP:
            if (!get_number(v, &g->top))
                return fail(pc, PII_E_CONFIG, v->pos, "'top' expects a number");
            g->has_top = true;
            break;
        case PII_GEN_DATE:
            if ((st = get_choice(pc, v, date_units, PII_ARRAY_LEN(date_units), "date unit", "",
                                 "day, month or year", &i)) != PII_OK)
                return st;
            g->date = date_unit_values[i];
            break;
        case PII_GEN_DATE_SHIFT:
            if (!get_int(v, 1, PII_POLICY_SHIFT_MAX, &x))
                return fail(pc, PII_E_CONFIG, v->pos,
                            "'date_shift' expects a number of days from 1 to %ld",
                            PII_POLICY_SHIFT_MAX);
            g->shift_days = x;
            break;
        case PII_GEN_LEVEL:
            if ((st = get_choice(pc, v, levels, PII_ARRAY_LEN(levels), "level", "",
                                 "province, city or district", &i)) != PII_OK)
                return st;
            g->level = level_values[i];
            break;
        case PII_GEN_PREFIX:
            if (!get_int(v, 16, 24, &x) || (x != 16 && x != 24))
                return fail(pc, PII_E_CONFIG, v->pos, "'prefix' expects 16 or 24");
            g->prefix = (unsigned)x;
            break;
        }
    }
    if (option == NULL)
        return fail(pc, PII_E_CONFIG, fk->pos, "generalize for field %s needs one of " GEN_OPTIONS,
                    pii_policy_quote(fk->value, q));
    if (g->kind == PII_GEN_DATE_SHIFT && key_field == NULL)
        return fail(pc, PII_E_CONFIG, option->pos,
                    "'date_shift' needs 'key_field: NAME' (the field whose value keys the shift)");
    if (g->kind != PII_GEN_DATE_SHIFT && key_field != NULL)
        return fail(pc, PII_E_CONFIG, key_field->pos, "'key_field' applies only to date_shift");
    return PII_OK;
}

static pii_status parse_field(pctx *pc, const ynode *k, const ynode *v, pii_policy_field *f)
{
    qbuf q;
    char where[PII_POLICY_QUOTE_SIZE + 16];
    pii_status st;
    int i = 0;
    if ((st = check_field_name(pc, k, "")) != PII_OK)
        return st;
    snprintf(where, sizeof(where), " for field %s", pii_policy_quote(k->value, q));
    f->pos = k->pos;
    f->is_path = looks_like_path(k->value);
    if ((f->name = dup_str(k->value)) == NULL)
        return PII_E_NOMEM;
    if (v->type == N_SCALAR && !is_null(v)) {
        if ((st = get_choice(pc, v, field_actions, PII_ARRAY_LEN(field_actions), "action", where,
                             FIELD_ACTIONS, &i)) != PII_OK)
            return st;
        f->action = (pii_field_action)i;
        if (f->action == PII_FIELD_NOISE || f->action == PII_FIELD_GENERALIZE)
            return fail(pc, PII_E_CONFIG, v->pos,
                        "action '%s'%s needs a mapping with its options ({action: %s, ...})",
                        field_actions[i], where, field_actions[i]);
        return PII_OK;
    }
    if (v->type != N_MAP)
        return fail(pc, PII_E_CONFIG, v->pos, "expected an action or a mapping%s, found %s", where,
                    describe(v, q));
    if ((st = scalar_keys(pc, v)) != PII_OK)
        return st;
    const ynode *a = map_get(v, "action", NULL);
    if (a == NULL)
        return fail(pc, PII_E_CONFIG, k->pos, "field %s needs an 'action'",
                    pii_policy_quote(k->value, q));
    if ((st = get_choice(pc, a, field_actions, PII_ARRAY_LEN(field_actions), "action", where,
                         FIELD_ACTIONS, &i)) != PII_OK)
        return st;
    f->action = (pii_field_action)i;
    const char *allowed;
    switch (f->action) {
    case PII_FIELD_NOISE:
        allowed = "action, mechanism, epsilon, delta, sensitivity, clamp";
        break;
    case PII_FIELD_GENERALIZE:
        allowed = "action, band, top, date, date_shift, key_field, level, prefix";
        break;
    case PII_FIELD_DROP:
    case PII_FIELD_SCAN:
        allowed = "action";
        break;
    case PII_FIELD_MASK:
    case PII_FIELD_REDACT:
    case PII_FIELD_KEEP:
    case PII_FIELD_TOKEN:
    case PII_FIELD_FPE:
    default:
        allowed = "action, type";
        break;
    }
    char where_action[sizeof(where) + 32];
    snprintf(where_action, sizeof(where_action), "%s with action %s", where, field_actions[i]);
    if ((st = check_map(pc, v, where_action, allowed)) != PII_OK)
        return st;
    if (f->action == PII_FIELD_NOISE)
        return parse_noise(pc, k, v, f);
    if (f->action == PII_FIELD_GENERALIZE)
        return parse_generalize(pc, k, v, f);
    const ynode *t = map_get(v, "type", NULL);
    if (t != NULL) {
        if (!is_text(t))
            return fail(pc, PII_E_CONFIG, t->pos, "'type' expects an entity type name, found %s",
                        describe(t, q));
        if ((f->type = dup_str(t->value)) == NULL)
            return PII_E_NOMEM;
        f->type_pos = t->pos;
    }
    return PII_OK;
}

static pii_status parse_fields(pctx *pc, const ynode *v, pii_policy *p)
{
    qbuf q;
    if (is_null(v))
        return PII_OK;
    if (v->type != N_MAP)
        return fail(pc, PII_E_CONFIG, v->pos, "expected a mapping for 'fields', found %s",
                    describe(v, q));
    if (v->n / 2 > PII_POLICY_MAX_FIELDS)
        return fail(pc, PII_E_LIMIT, v->kids[2 * PII_POLICY_MAX_FIELDS]->pos,
                    "too many fields (the limit is %u)", PII_POLICY_MAX_FIELDS);
    pii_status st = check_map(pc, v, "", NULL);
    if (st != PII_OK || v->n == 0)
        return st;
    p->fields = pii_calloc(v->n / 2, sizeof(*p->fields));
    if (p->fields == NULL)
        return PII_E_NOMEM;
    for (size_t i = 0; i < v->n; i += 2) {
        pii_policy_field *f = &p->fields[p->nfields++];
        if ((st = parse_field(pc, v->kids[i], v->kids[i + 1], f)) != PII_OK)
            return st;
    }
    return PII_OK;
}

static pii_status parse_root(pctx *pc, const ynode *root, pii_policy *p)
{
    qbuf q;
    pii_policy_pos start = {1, 1};
    if (root == NULL || is_null(root))
        return fail(pc, PII_E_CONFIG, root ? root->pos : start,
                    "empty policy (expected a mapping starting with 'version: 1')");
    if (root->type != N_MAP)
        return fail(pc, PII_E_CONFIG, root->pos,
                    "expected a mapping starting with 'version: 1', found %s", describe(root, q));
    pii_status st;
    /* the version first: a newer file gets "unsupported version", not a
     * list of keys this parser does not know */
    if ((st = scalar_keys(pc, root)) != PII_OK || (st = parse_version(pc, root, p)) != PII_OK ||
        (st = check_map(pc, root, "", "version, key_file, defaults, entities, fields")) != PII_OK)
        return st;
    for (size_t i = 0; i < root->n; i += 2) {
        const ynode *k = root->kids[i], *v = root->kids[i + 1];
        const char *key = k->value;
        if (strcmp(key, "key_file") == 0) {
            if (!is_text(v))
                return fail(pc, PII_E_CONFIG, v->pos,
                            "expected a file path for 'key_file', found %s", describe(v, q));
            if ((p->key_file = dup_str(v->value)) == NULL)
                return PII_E_NOMEM;
            p->key_file_pos = v->pos;
        } else if (strcmp(key, "defaults") == 0) {
            st = parse_defaults(pc, k, v, p);
        } else if (strcmp(key, "entities") == 0) {
            st = parse_entities(pc, v, p);
        } else if (strcmp(key, "fields") == 0) {
            st = parse_fields(pc, v, p);
        }
        if (st != PII_OK)
            return st;
    }
    return PII_OK;
}

/* ---- entry points ------------------------------------------------------- */

void pii_policy_free(pii_policy *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nentities; i++)
        pii_free_mem(p->entities[i].name);
    for (size_t i = 0; i < p->nfields; i++) {
        pii_free_mem(p->fields[i].name);
        pii_free_mem(p->fields[i].type);
        pii_free_mem(p->fields[i].gen.key_field);
    }
    pii_free_mem(p->entities);
    pii_free_mem(p->fields);
    pii_free_mem(p->key_file);
    pii_free_mem(p->source);
    pii_free_mem(p);
}

pii_status pii_policy_parse(const char *text, size_t len, const char *source, pii_policy **out,
                            pii_error *err)
{
    if (out == NULL || (text == NULL && len > 0))
        return pii_error_set(err, PII_E_INTERNAL, "pii_policy_parse: NULL argument");
    *out = NULL;
    if (source == NULL)
        source = "policy";
    if (text == NULL)
        text = "";
    if (len > PII_POLICY_MAX_BYTES)
        return pii_error_set(err, PII_E_LIMIT, "%.120s: policy is larger than the 1 MiB limit",
                             source);
    pctx pc = {source, text, len, err, 0};
    ynode *root = NULL;
    pii_status st = PII_E_NOMEM;
    pii_policy *p = pii_calloc(1, sizeof(*p));
    if (p != NULL) {
        p->default_action = PII_ACTION_MASK;
        if ((p->source = dup_str(source)) != NULL && (st = build_tree(&pc, &root)) == PII_OK)
            st = parse_root(&pc, root, p);
    }
    node_free(root);
    if (st != PII_OK) {
        if (st == PII_E_NOMEM)
            pii_error_set(err, st, "%.120s: out of memory", source);
        pii_policy_free(p);
        return st;
    }
    *out = p;
    return PII_OK;
}

pii_status pii_policy_load_file(const char *path, pii_policy **out, pii_error *err)
{
    if (out == NULL || path == NULL)
        return pii_error_set(err, PII_E_INTERNAL, "pii_policy_load_file: NULL argument");
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        pii_error_set(err, PII_E_IO, "%.200s: cannot open: %s", path, strerror(e));
        if (err != NULL)
            err->sys_errno = e;
        return PII_E_IO;
    }
    /* read at most one byte past the limit; pipes and FIFOs are fine */
    char *buf = NULL;
    size_t n = 0, cap = 0;
    pii_status st = PII_OK;
    for (;;) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16384;
            if (nc > PII_POLICY_MAX_BYTES + 1)
                nc = PII_POLICY_MAX_BYTES + 1;
            char *nb = pii_realloc(buf, nc);
            if (nb == NULL) {
                st = pii_error_set(err, PII_E_NOMEM, "%.200s: out of memory", path);
                break;
            }
            buf = nb;
            cap = nc;
        }
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            st = pii_error_set(err, PII_E_IO, "%.200s: cannot read: %s", path, strerror(e));
            if (err != NULL)
                err->sys_errno = e;
            break;
        }
        if (k == 0)
            break;
        n += (size_t)k;
        if (n > PII_POLICY_MAX_BYTES) {
            st = pii_error_set(err, PII_E_LIMIT, "%.200s: policy is larger than the 1 MiB limit",
                               path);
            break;
        }
    }
    close(fd);
    if (st == PII_OK)
        st = pii_policy_parse(buf, n, path, out, err);
    pii_free_mem(buf);
    return st;
}
