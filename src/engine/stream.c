/*
 * stream.c - the streaming engine: framing, detection and splicing glued
 * together with bounded memory.
 *
 * Input accumulates in one buffer of at most PII_WINDOW_SIZE bytes plus a
 * small look-behind. Whenever the buffer holds a newline, everything up to
 * the last newline is scanned and emitted at once (many records per scan,
 * so short lines cost no per-call overhead, and output never waits for more
 * than the current line). A record longer than the buffer is processed in
 * windows: the scan sees the whole buffer, but only output up to
 * PII_DETECT_MAX_SPAN bytes before its end is committed (extended past any
 * finding that starts before that point), so an entity that straddles the
 * window edge is found whole in the next round. The last
 * PII_DETECT_LOOKBEHIND committed bytes stay in the buffer as read-only
 * context, and the scanner is told that the buffer starts mid-record.
 *
 * Bytes outside findings are copied unchanged: this module never looks at
 * encodings, so CR, NUL and invalid UTF-8 pass through as they came.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "common/pii_secret.h"
#include "engine/engine_internal.h"
#include "format/format.h"
#include "transform/ff1.h"
#include "transform/generalize.h"
#include "transform/noise.h"
#include "transform/transform.h"

/* Output buffers are bounded at 4x the input window: the output of one
 * window is at most ~1.2x its input (labels vs short values). */
PII_STATIC_ASSERT(PII_DETECT_MAX_SPAN * 4 < PII_MAX_RECORD_MIN, "window must dwarf the longest span");

struct pii_stream {
    const pii_engine *eng;
    pii_buf in;     /* [0, ctx) context already emitted; [ctx, len) pending */
    size_t ctx;
    size_t nl_checked; /* in.ptr[ctx, nl_checked) holds no newline */
    bool left_open;    /* in.ptr[0] is not the start of its record */
    pii_buf out;    /* [out_pos, len) not yet delivered */
    size_t out_pos;
    pii_findings found;
    pii_scan_ws ws;
    pii_xform_slot *slots; /* per enabled detector: subkeys + FF1 context */
    pii_xform_opts opts;
    pii_stream_stats stats;
    /* detokenize: FF1 contexts per (key, type) met so far */
    struct detok_entry {
        uint16_t key, def;
        struct pii_ff1 *ff1;
    } detok[32];
    size_t ndetok;
    /* record formats */
    bool text_fallback; /* a CSV record outgrew the window: scanned as text */
    pii_findings found2;  /* findings inside one field */
    pii_buf tmp, tmp2;    /* a decoded field and its transformed value */
    pii_csv_field fields[PII_MAX_COLUMNS];
    char colname[PII_MAX_COLUMNS][PII_COLUMN_NAME_MAX + 1];
    size_t ncolumns;
    bool have_header;
    pii_buf hdr_raw;      /* the header record without its terminator (pii_stream_suspend) */
    struct json_item {
        size_t start, end;
        pii_json_kind kind;
        const pii_field_rule *rule;
    } *scalars;
    size_t nscalars, ascalars;
    uint64_t first_bad_record;
    bool ended;
    /* noise and generalize */
    pii_rng rng;
    double rec_eps, rec_delta; /* spent on the current record */
    const uint8_t *rec;        /* the current record (date_shift subjects) */
    size_t rec_len, rec_nf;    /* its length; CSV: its field count */
    pii_buf subj;              /* a date_shift subject */
    /* finding events (pii_config_set_finding_callback); all unused, and
     * nothing counted, without a callback */
    pii_finding_fn ev_fn;
    void *ev_ctx;
    int ev_enc;                 /* how the value being processed maps to in: EV_* */
    const uint8_t *ev_raw;      /* EV_PLAIN, EV_JSON: the raw field; EV_CSVQ: its record */
    size_t ev_raw_len;
    const pii_csv_field *ev_csvf; /* EV_CSVQ: the field of record ev_raw */
    const char *ev_field;       /* its name or path, or NULL */
    char ev_colidx[24];         /* a CSV column's 1-based index as its name */
    size_t ev_item;             /* JSON: next of scalars[] to write (second walk) */
    size_t ev_prev;
    uint64_t lc_abs, lc_lines;  /* '\n' counted in the input [0, lc_abs) */
    bool last_nl;               /* the last input byte was '\n' */
    uint64_t skip, skip_lines, skip_records, base_off, base_line, base_rec;
};

/* How a finding's span in the value being processed maps to the input. */
enum {
    EV_INPLACE = 0, /* the value's bytes are in s->in itself */
    EV_PLAIN,       /* a copy of the raw field ev_raw (unquoted CSV) */
    EV_CSVQ,        /* decoded from the quoted CSV field ev_csvf of record ev_raw */
    EV_JSON,        /* decoded from the JSON string literal ev_raw[0, ev_raw_len) */
};

/* Noise randomness: stream `id` of the test seed, or the system CSPRNG. */
/* Capacity of s's input buffer: a window plus its look-behind. */
static size_t in_cap(const pii_stream *s)
{
    return pii_engine_in_cap(s->eng);
}

static void seed_rng(pii_stream *s, uint64_t id)
{
    if (s->eng->seeded)
        pii_rng_init_seeded(&s->rng, s->eng->seed, id);
    else
        pii_rng_init_system(&s->rng);
}

pii_stream *pii_stream_new(const pii_engine *engine)
{
    pii_stream *s = pii_calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->eng = engine;
    pii_buf_init(&s->in, in_cap(s));
    pii_buf_init(&s->out, 4 * in_cap(s));
    pii_buf_init(&s->tmp, 4 * in_cap(s));
    pii_buf_init(&s->tmp2, 4 * in_cap(s));
    pii_buf_init(&s->subj, 4 * in_cap(s));
    pii_buf_init(&s->hdr_raw, in_cap(s));
    seed_rng(s, 0);
    if (pii_scan_ws_init(&s->ws) != PII_OK) {
        pii_free_mem(s);
        return NULL;
    }
    const pii_engine *e = engine;
    s->slots = pii_calloc(e->det.ndet ? e->det.ndet : 1, sizeof(*s->slots));
    if (s->slots == NULL) {
        pii_stream_free(s);
        return NULL;
    }
    for (size_t d = 0; e->subkeys != NULL && d < e->det.ndet; d++) {
        s->slots[d].token_key = e->subkeys + (2 * d) * PII_KEY_BYTES;
        s->slots[d].fpe_key = e->subkeys + (2 * d + 1) * PII_KEY_BYTES;
    }
    s->opts.markers = e->fpe_markers;
    s->opts.key_id = e->keys.n > 0 ? e->keys.keys[0].id : NULL;
    s->ev_fn = e->detokenize ? NULL : e->finding_fn;
    s->ev_ctx = e->finding_ctx;
    return s;
}

void pii_stream_restart(pii_stream *s, uint64_t id)
{
    s->in.len = 0;
    s->ctx = 0;
    s->nl_checked = 0;
    s->left_open = false;
    s->out.len = 0;
    s->out_pos = 0;
    s->found.len = 0;
    memset(&s->stats, 0, sizeof(s->stats));
    s->ws.limit_hits = 0;
    s->text_fallback = false;
    s->found2.len = 0;
    s->tmp.len = s->tmp2.len = s->subj.len = 0;
    s->ncolumns = 0;
    s->have_header = false;
    s->hdr_raw.len = 0;
    s->nscalars = 0;
    s->first_bad_record = 0;
    s->ended = false;
    s->rec_eps = s->rec_delta = 0;
    s->rec = NULL;
    s->rec_len = s->rec_nf = 0;
    s->lc_abs = s->lc_lines = 0;
    s->last_nl = false;
    pii_stream_set_origin(s, 0, 0, 0, 0, 0, 0);
    pii_rng_wipe(&s->rng);
    seed_rng(s, id);
}

void pii_stream_set_event_sink(pii_stream *s, pii_finding_fn fn, void *ctx)
{
    if (s->ev_fn == NULL)
        return; /* no callback, no events */
    s->ev_fn = fn;
    s->ev_ctx = ctx;
}

void pii_stream_set_origin(pii_stream *s, uint64_t skip, uint64_t skip_lines,
                           uint64_t skip_records, uint64_t base_off, uint64_t base_line,
                           uint64_t base_rec)
{
    s->skip = skip;
    s->skip_lines = skip_lines;
    s->skip_records = skip_records;
    s->base_off = base_off;
    s->base_line = base_line;
    s->base_rec = base_rec;
}

/* ---- finding events ----------------------------------------------------------- */

/* Input offset of in.ptr[0]. */
static uint64_t in_base(const pii_stream *s)
{
    return s->stats.bytes_in - s->in.len;
}

/* Count the '\n' of the input up to offset `to`. Events come in input
 * order and the counted bytes are still in the buffer: in_consume counts
 * what it drops first. */
static void count_lines_to(pii_stream *s, uint64_t to)
{
    uint64_t base = in_base(s);
    if (to <= s->lc_abs)
        return;
    const uint8_t *p = s->in.ptr + (s->lc_abs - base);
    const uint8_t *end = s->in.ptr + (to - base);
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        s->lc_lines++;
        p++;
    }
    s->lc_abs = to;
}

/* Drop the first n bytes of the input buffer. */
static void in_consume(pii_stream *s, size_t n)
{
    if (s->ev_fn != NULL)
        count_lines_to(s, in_base(s) + n);
    pii_buf_consume(&s->in, n);
}

uint64_t pii_stream_newlines(const pii_stream *s)
{
    return s->lc_lines;
}

/* Report the event for in.ptr[a, b): a value v[0, n) found by def (NULL
 * for a parse error), or nothing when it lies in the skipped prefix. */
static void ev_emit(pii_stream *s, const pii_detector_def *def, const char *detector,
                    const char *action, unsigned confidence, size_t a, size_t b,
                    const uint8_t *v, size_t n, bool fingerprint)
{
    uint64_t abs = in_base(s) + a;
    if (abs < s->skip)
        return;
    count_lines_to(s, abs);
    const pii_engine *e = s->eng;
    pii_finding_event ev = {
        .kind = def != NULL ? PII_EVENT_FINDING : PII_EVENT_PARSE_ERROR,
        .type = def != NULL ? def->id : NULL,
        .detector = detector,
        .action = action,
        .confidence = confidence,
        .offset = abs - s->skip + s->base_off,
        .length = b - a,
        .line = s->lc_lines - s->skip_lines + s->base_line + 1,
        .field = s->ev_field,
    };
    ev.record = e->format != PII_FORMAT_TEXT && !s->text_fallback
                    ? s->stats.records - s->skip_records + s->base_rec
                    : ev.line;
    char hex[PII_FINGERPRINT_HEX + 1];
    if (def != NULL && fingerprint && e->fp_key != NULL &&
        pii_fingerprint_render(def, e->fp_key, v, n, hex) == PII_OK)
        ev.fingerprint = hex;
    s->ev_fn(&ev, s->ev_ctx);
    pii_wipe(hex, sizeof(hex));
}

/* Where byte `off` of the value at b (see ev_enc) is in the input buffer. */
static size_t ev_map(const pii_stream *s, const uint8_t *b, size_t off, bool end)
{
    switch (s->ev_enc) {
    case EV_PLAIN:
        return (size_t)(s->ev_raw - s->in.ptr) + off;
    case EV_CSVQ:
        return (size_t)(s->ev_raw - s->in.ptr) + s->ev_csvf->start +
               pii_csv_raw_offset(s->ev_raw, s->ev_csvf, off);
    case EV_JSON:
        return (size_t)(s->ev_raw - s->in.ptr) +
               pii_json_raw_offset(s->ev_raw, s->ev_raw_len, off, end);
    default:
        return (size_t)(b - s->in.ptr) + off;
    }
}

/* The event of a detector finding x in the value at b. */
static void ev_finding(pii_stream *s, const uint8_t *b, const pii_finding *x)
{
    const pii_detector *det = &s->eng->det.det[x->det];
    ev_emit(s, det->def, det->def->source, pii_action_name(s->eng->action[det->index]),
            x->confidence, ev_map(s, b, x->start, false), ev_map(s, b, x->end, true),
            b + x->start, x->end - x->start, true);
}

/* The event of a whole-value field rule on v[0, n). */
static void ev_rule(pii_stream *s, const pii_field_rule *r, const char *action, const uint8_t *v,
                    size_t n)
{
    const pii_engine *e = s->eng;
    const pii_detector_def *def = r->det >= 0 ? e->det.det[r->det].def : &e->generic;
    ev_emit(s, def, "policy", action, 100, ev_map(s, v, 0, false), ev_map(s, v, n, true), v, n,
            !r->noise && !r->generalize);
}

void pii_stream_free(pii_stream *s)
{
    if (s == NULL)
        return;
    pii_buf_free(&s->in);
    pii_buf_free(&s->out);
    pii_findings_free(&s->found);
    pii_scan_ws_free(&s->ws);
    for (size_t d = 0; s->slots != NULL && d < s->eng->det.ndet; d++)
        pii_ff1_free(s->slots[d].ff1);
    pii_free_mem(s->slots);
    for (size_t i = 0; i < s->ndetok; i++)
        pii_ff1_free(s->detok[i].ff1);
    pii_findings_free(&s->found2);
    pii_buf_free(&s->tmp);
    pii_buf_free(&s->tmp2);
    pii_buf_free(&s->subj);
    pii_buf_free(&s->hdr_raw);
    pii_rng_wipe(&s->rng);
    pii_free_mem(s->scalars);
    pii_free_mem(s);
}

void pii_stream_get_stats(const pii_stream *s, pii_stream_stats *out)
{
    *out = s->stats;
    out->limit_hits = s->ws.limit_hits;
    /* lines: the '\n' counted so far, and an unterminated last line */
    out->lines = s->ev_fn != NULL ? s->lc_lines + (s->ended && s->stats.bytes_in > 0 && !s->last_nl)
                                  : 0;
}

static const uint8_t *find_last_newline(const uint8_t *p, size_t n)
{
    while (n > 0) {
        if (p[n - 1] == '\n')
            return p + n - 1;
        n--;
    }
    return NULL;
}

/* Where to end a window of a long record. Detectors read candidates that
 * may start anywhere, and a digit chain read from its middle can be cut into
 * groups differently than when read whole; so the cut goes right after a
 * byte that no candidate crosses (ASCII punctuation other than the
 * separators numbers use, a control character, or CJK punctuation), searched
 * backwards from `limit` over at most SAFE_CUT_SEARCH bytes. Without one
 * (1 MiB of digits and spaces, say) the cut stays at `limit`. */
#define SAFE_CUT_SEARCH ((size_t)64 << 10)

static size_t safe_cut(const uint8_t *b, size_t lo, size_t limit)
{
    size_t stop = limit - lo > SAFE_CUT_SEARCH ? limit - SAFE_CUT_SEARCH : lo;
    for (size_t q = limit; q > stop + 3; q--) {
        uint8_t c = b[q - 1];
        if (c < 0x80) {
            if (c == ',' || c == ';' || c == '"' || c == '\'' || c == '|' || c == '<' || c == '>' ||
                c == '{' || c == '}' || c == '[' || c == ']' || c == '!' || c == '?' || c == '=' ||
                c == '&' || c == '\\' || c == '\t' || c == '\r' || c == 0 || c == '/')
                return q;
        } else if (b[q - 3] == 0xEF && b[q - 2] == 0xBC &&
                   (c == 0x8C || c == 0x9B || c == 0x81 || c == 0x9F)) {
            return q; /* ，；！？ */
        } else if (b[q - 3] == 0xE3 && b[q - 2] == 0x80 && (c == 0x81 || c == 0x82)) {
            return q; /* 、。 */
        }
    }
    return limit;
}

/* ---- detokenize ----------------------------------------------------------- */

#define MARKER_OPEN "{{fpe:"
#define MARKER_MAX 512

static bool is_id_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Find the surrogate markers {{fpe:KEYID:TYPE:VALUE}} in in.ptr[0, region)
 * that start at or after ctx; each becomes a finding with det = index of
 * TYPE in the engine's definitions and aux = index of KEYID in its ring. A
 * marker with an unknown key or type stays as it is and is counted. */
static pii_status detok_scan(pii_stream *s, size_t region, unsigned flags)
{
    const pii_engine *e = s->eng;
    const uint8_t *b = s->in.ptr;
    s->found.len = 0;
    size_t i = s->ctx;
    while (i + 8 <= region) {
        const uint8_t *m = memmem(b + i, region - i, MARKER_OPEN, sizeof(MARKER_OPEN) - 1);
        if (m == NULL)
            break;
        size_t st = (size_t)(m - b);
        size_t p = st + sizeof(MARKER_OPEN) - 1;
        i = st + 1;
        size_t id = p;
        while (p < region && p - id < PII_KEY_ID_HEX && b[p] != ':')
            p++;
        if (p >= region || b[p] != ':' || p - id != PII_KEY_ID_HEX)
            continue;
        size_t ty = ++p;
        while (p < region && p - ty <= 32 && is_id_char(b[p]))
            p++;
        if (p >= region || b[p] != ':' || p == ty)
            continue;
        size_t val = ++p;
        while (p + 1 < region && p - val < MARKER_MAX && b[p] != '\n' &&
               !(b[p] == '}' && b[p + 1] == '}'))
            p++;
        if (p + 1 >= region || b[p] != '}' || b[p + 1] != '}') {
            if (p + 1 >= region && (flags & PII_SCAN_RIGHT_OPEN))
                break;
            continue;
        }
        size_t end = p + 2;
        int def = -1;
        for (size_t d = 0; d < e->defs.len; d++) {
            if (strlen(e->defs.v[d].id) == val - 1 - ty &&
                memcmp(e->defs.v[d].id, b + ty, val - 1 - ty) == 0)
                def = (int)d;
        }
        int key = -1;
        for (size_t k = 0; k < e->keys.n; k++) {
            if (memcmp(e->keys.keys[k].id, b + id, PII_KEY_ID_HEX) == 0)
                key = (int)k;
        }
        if (def < 0 || key < 0 || e->defs.v[def].fpe == PII_FPE_NONE) {
            s->stats.unresolved++;
            i = end;
            continue;
        }
        if (s->found.len == s->found.alloc) {
            size_t na = s->found.alloc ? s->found.alloc * 2 : 64;
            pii_finding *nv = pii_realloc(s->found.v, na * sizeof(*nv));
            if (nv == NULL)
                return PII_E_NOMEM;
            s->found.v = nv;
            s->found.alloc = na;
        }
        s->found.v[s->found.len++] =
            (pii_finding){.start = st, .end = end, .det = (uint16_t)def, .aux = (uint16_t)key};
        i = end;
    }
    return PII_OK;
}

/* Restore the original bytes of one marker; an undecryptable one is kept. */
static pii_status detok_render(pii_stream *s, const pii_finding *f, const uint8_t *b, pii_buf *out)
{
    const pii_engine *e = s->eng;
    const pii_detector_def *def = &e->defs.v[f->det];
    struct pii_ff1 *ff1 = NULL;
    for (size_t i = 0; i < s->ndetok; i++) {
        if (s->detok[i].key == f->aux && s->detok[i].def == f->det)
            ff1 = s->detok[i].ff1;
    }
    if (ff1 == NULL) {
        uint8_t *sub = pii_secret_alloc(PII_KEY_BYTES);
        if (sub == NULL)
            return PII_E_NOMEM;
        pii_status st = pii_key_derive(&e->keys.keys[f->aux], PII_SUBKEY_FPE, def->id, sub);
        if (st == PII_OK)
            st = pii_ff1_new(sub, PII_KEY_BYTES, &ff1);
        pii_secret_free(sub);
        if (st != PII_OK)
            return st;
        if (s->ndetok == sizeof(s->detok) / sizeof(s->detok[0])) {
            pii_ff1_free(s->detok[0].ff1); /* a small cache: evict the oldest */
            memmove(s->detok, s->detok + 1, (s->ndetok - 1) * sizeof(s->detok[0]));
            s->ndetok--;
        }
        s->detok[s->ndetok++] = (struct detok_entry){(uint16_t)f->aux, f->det, ff1};
    }
    /* the value sits after the third ':' */
    const uint8_t *v = b + f->start + sizeof(MARKER_OPEN) - 1 + PII_KEY_ID_HEX + 1 +
                       strlen(def->id) + 1;
    size_t n = (size_t)(b + f->end - 2 - v);
    size_t mark = out->len;
    pii_status st = pii_fpe_apply(def, ff1, true, v, n, out);
    if (st == PII_E_CONFIG) {
        out->len = mark;
        s->stats.unresolved++;
        s->stats.findings--;
        return pii_buf_append(out, b + f->start, f->end - f->start);
    }
    return st;
}

/* Append in.ptr[ctx, commit) with the findings spliced in. */
/* Append b[from, to) to out with the findings f (sorted, inside
 * [from, to), or starting at >= to and then ignored) spliced in. */
static pii_status splice(pii_stream *s, const uint8_t *b, size_t from, size_t to,
                         const pii_findings *f, pii_buf *out)
{
    size_t prev = from;
    pii_status st = PII_OK;
    for (size_t i = 0; i < f->len; i++) {
        const pii_finding *x = &f->v[i];
        if (x->start >= to)
            break;
        st = pii_buf_append(out, b + prev, x->start - prev);
        if (st != PII_OK)
            return st;
        if (s->ev_fn != NULL)
            ev_finding(s, b, x);
        if (s->eng->detokenize) {
            st = detok_render(s, x, b, out);
        } else if (s->eng->scan_only) {
            st = pii_buf_append(out, b + x->start, x->end - x->start);
        } else {
            const pii_detector *det = &s->eng->det.det[x->det];
            st = pii_transform_render(det->def, s->eng->action[det->index], b + x->start,
                                      x->end - x->start, x->aux, &s->slots[x->det], &s->opts,
                                      out);
        }
        if (st != PII_OK)
            return st;
        s->stats.findings++;
        prev = x->end;
    }
    return pii_buf_append(out, b + prev, to - prev);
}

/* Append in.ptr[ctx, commit) with the findings spliced in. */
static pii_status emit(pii_stream *s, size_t commit)
{
    s->ev_enc = EV_INPLACE;
    s->ev_field = NULL;
    return splice(s, s->in.ptr, s->ctx, commit, &s->found, &s->out);
}

/* ---- CSV, TSV and JSON Lines -------------------------------------------------- */

/* The rule for a CSV column (by header name, else by 1-based index) or a
 * JSON path; NULL: scan the value with every detector. */
static const pii_field_rule *rule_for(const pii_engine *e, const char *name, size_t index,
                                      bool json)
{
    for (size_t i = 0; i < e->nrules; i++) {
        const pii_field_rule *r = &e->rules[i];
        if (json ? pii_json_path_match(r->name, name)
                 : (name != NULL ? strcmp(r->name, name) == 0 : r->column == index))
            return r;
    }
    return NULL;
}

typedef struct {
    const char *key; /* a JSON path */
    const uint8_t *rec;
    pii_buf *dst;
    bool found;
} subject_ctx;

static pii_status subject_visit(const pii_json_scalar *sc, void *vctx)
{
    subject_ctx *c = vctx;
    if (c->found || strcmp(sc->path, c->key) != 0)
        return PII_OK;
    c->found = true;
    if (sc->kind == PII_JSON_STRING)
        return pii_json_unescape(c->rec + sc->start, sc->end - sc->start, c->dst);
    return pii_buf_append(c->dst, c->rec + sc->start, sc->end - sc->start);
}

/* The subject of a date_shift rule in the current record: the value of its
 * key_field (CSV column by header name or 1-based index; JSON: the first
 * scalar at that exact path), decoded into s->subj. False when the record
 * has no such field or it is empty. */
static pii_status find_subject(pii_stream *s, const pii_field_rule *r, bool *found)
{
    const pii_engine *e = s->eng;
    const char *key = r->gen.key_field;
    s->subj.len = 0;
    *found = false;
    pii_status st = PII_OK;
    if (e->format == PII_FORMAT_JSONL) {
        subject_ctx c = {key, s->rec, &s->subj, false};
        st = pii_json_walk(s->rec, s->rec_len, subject_visit, &c);
        if (st == PII_OK)
            *found = c.found && s->subj.len > 0;
        return st == PII_E_PARSE ? PII_OK : st; /* parsed once already */
    }
    size_t col = 0;
    for (size_t i = 0; i < s->rec_nf && col == 0; i++) {
        if (e->header ? i < s->ncolumns && strcmp(s->colname[i], key) == 0
                      : strtoul(key, NULL, 10) == i + 1)
            col = i + 1;
    }
    if (col == 0)
        return PII_OK;
    if ((st = pii_csv_decode(s->rec, &s->fields[col - 1], &s->subj)) != PII_OK)
        return st;
    *found = s->subj.len > 0;
    return PII_OK;
}

/* Noise or generalize v[0, n) by rule r. A value the action cannot read
 * (not a number, not a date, no division name, no subject for date_shift)
 * is redacted: fail closed, never pass it through. */
static pii_status coarsen_value(pii_stream *s, const pii_field_rule *r, const uint8_t *v,
                                size_t n, pii_buf *out)
{
    const pii_engine *e = s->eng;
    const pii_policy_generalize *g = &r->gen;
    size_t mark = out->len;
    pii_status st;
    if (e->scan_only) { /* no noise drawn, nothing coarsened */
        if (s->ev_fn != NULL)
            ev_rule(s, r, r->noise ? "noise" : "generalize", v, n);
        return pii_buf_append(out, v, n);
    }
    if (r->noise) {
        st = pii_noise_apply(&r->np, &s->rng, v, n, out);
        if (st == PII_OK) {
            s->stats.noised++;
            s->rec_eps += r->np.epsilon;
            s->rec_delta += r->np.mech == PII_MECH_GAUSSIAN ? r->np.delta : 0;
        }
    } else {
        switch (g->kind) {
        case PII_GEN_BAND:
        case PII_GEN_TOP:
            st = pii_gen_number(v, n, g->kind == PII_GEN_BAND ? g->band : 0, g->has_top, g->top,
                                out);
            break;
        case PII_GEN_DATE:
            st = pii_gen_date(v, n, g->date, out);
            break;
        case PII_GEN_DATE_SHIFT: {
            bool found;
            if ((st = find_subject(s, r, &found)) != PII_OK)
                return st;
            st = found ? pii_gen_date_shift(v, n,
                                            pii_gen_shift_days(e->shift_key, s->subj.ptr,
                                                               s->subj.len, g->shift_days),
                                            out)
                       : PII_E_PARSE;
            break;
        }
        case PII_GEN_LEVEL:
            st = pii_gen_address(v, n, g->level, out);
            break;
        case PII_GEN_PREFIX:
            st = pii_gen_ipv4(v, n, g->prefix, out);
            break;
        default:
            st = PII_E_INTERNAL;
        }
        if (st == PII_OK)
            s->stats.generalized++;
    }
    if (st != PII_E_PARSE && st != PII_E_LIMIT) {
        if (st == PII_OK && s->ev_fn != NULL)
            ev_rule(s, r, r->noise ? "noise" : "generalize", v, n);
        return st;
    }
    out->len = mark;
    s->stats.not_understood++;
    if (s->ev_fn != NULL)
        ev_rule(s, r, "redact", v, n);
    const pii_detector_def *def = r->det >= 0 ? e->det.det[r->det].def : &e->generic;
    return pii_transform_render(def, PII_ACTION_REDACT, v, n, 0, NULL, &s->opts, out);
}

/* Transform one decoded value v[0, n) by rule r into out. *changed is false
 * when the value stays exactly as it was (nothing found, keep). */
static pii_status transform_value(pii_stream *s, const pii_field_rule *r, const uint8_t *v,
                                  size_t n, pii_buf *out, bool *changed)
{
    const pii_engine *e = s->eng;
    *changed = false;
    if (r != NULL && (r->noise || r->generalize)) {
        pii_status st = coarsen_value(s, r, v, n, out);
        *changed = st == PII_OK && (out->len != n || (n > 0 && memcmp(out->ptr, v, n) != 0));
        return st;
    }
    if (r == NULL || r->scan) {
        pii_status st = pii_detect_scan(&e->det, &s->ws, v, n, 0, 0, &s->found2);
        if (st != PII_OK || s->found2.len == 0)
            return st;
        *changed = true;
        return splice(s, v, 0, n, &s->found2, out);
    }
    if (r->action == PII_ACTION_KEEP)
        return PII_OK;
    if (s->ev_fn != NULL)
        ev_rule(s, r, r->drop ? "drop" : pii_action_name(r->action), v, n);
    if (e->scan_only) {
        s->stats.findings += !r->drop;
        return PII_OK; /* unchanged */
    }
    *changed = true;
    if (r->drop)
        return PII_OK;
    const pii_detector_def *def = r->det >= 0 ? e->det.det[r->det].def : &e->generic;
    pii_xform_slot field = {.token_key = e->field_token_key}; /* a rule without a type */
    pii_xform_slot *slot = r->det >= 0 ? &s->slots[r->det] : &field;
    s->stats.findings++;
    return pii_transform_render(def, r->action, v, n, 0, slot, &s->opts, out);
}

/* Scan b[rs, re) as text into s->out. */
static pii_status scan_as_text(pii_stream *s, const uint8_t *b, size_t rs, size_t re)
{
    s->ev_enc = EV_INPLACE;
    s->ev_field = NULL;
    pii_status st = pii_detect_scan(&s->eng->det, &s->ws, b + rs, re - rs, 0, 0, &s->found2);
    if (st != PII_OK)
        return st;
    return splice(s, b + rs, 0, re - rs, &s->found2, &s->out);
}

/* A record that could not be parsed: fail closed, scan it as text. */
static pii_status record_as_text(pii_stream *s, const uint8_t *b, size_t rs, size_t re,
                                 pii_error *err)
{
    s->stats.parse_errors++;
    if (s->eng->on_error_stop)
        return pii_error_set(err, PII_E_PARSE, "record %llu: not valid %s; stopped before it",
                             (unsigned long long)s->stats.records, s->eng->format == PII_FORMAT_JSONL
                                                                       ? "JSON"
                                                                       : "CSV");
    if (s->first_bad_record == 0)
        s->first_bad_record = s->stats.records;
    if (s->ev_fn != NULL) {
        s->ev_field = NULL;
        ev_emit(s, NULL, NULL, NULL, 0, (size_t)(b - s->in.ptr) + rs,
                (size_t)(b - s->in.ptr) + rs, NULL, 0, false);
    }
    return scan_as_text(s, b, rs, re);
}

static pii_status csv_record(pii_stream *s, const uint8_t *b, size_t rs, size_t re, pii_error *err)
{
    const pii_engine *e = s->eng;
    size_t nf = 0;
    if (e->header && !s->have_header) {
        /* kept for a hand-over to another engine (pii_stream_suspend) */
        s->hdr_raw.len = 0;
        pii_status hst = pii_buf_append(&s->hdr_raw, b + rs, re - rs);
        if (hst != PII_OK)
            return hst;
    }
    pii_status st = pii_csv_split(b + rs, re - rs, e->delim, s->fields, PII_MAX_COLUMNS, &nf);
    if (st == PII_E_PARSE || st == PII_E_LIMIT) {
        /* a header that does not parse names no columns: the records after
         * it are data all the same (never a second try at a header, which
         * would pass a data record through as one). Column rules cannot
         * apply then, and a column they protect (names) may hold what no
         * detector finds: stop rather than guess. */
        if (e->header && !s->have_header) {
            if (e->nrules > 0)
                return pii_error_set(err, PII_E_PARSE,
                                     "record 1: the CSV header does not parse, so the policy's "
                                     "column rules cannot apply; stopped before it");
            s->have_header = true;
            s->ncolumns = 0;
        }
        return record_as_text(s, b, rs, re, err);
    }
    if (st != PII_OK)
        return st;
    if (e->header && !s->have_header) {
        /* the header row names the columns; it is scanned like text, so
         * that a data row taken for a header (a file without one) is
         * redacted all the same */
        s->have_header = true;
        s->ncolumns = nf;
        for (size_t i = 0; i < nf && i < PII_MAX_COLUMNS; i++) {
            s->tmp.len = 0;
            if ((st = pii_csv_decode(b + rs, &s->fields[i], &s->tmp)) != PII_OK)
                return st;
            size_t l = s->tmp.len < PII_COLUMN_NAME_MAX ? s->tmp.len : PII_COLUMN_NAME_MAX;
            if (l > 0) /* an empty name: tmp may not be allocated yet */
                memcpy(s->colname[i], s->tmp.ptr, l);
            s->colname[i][l] = '\0';
        }
        return scan_as_text(s, b, rs, re);
    }
    size_t prev = 0;
    const uint8_t *rec = b + rs;
    s->rec = rec;
    s->rec_len = re - rs;
    s->rec_nf = nf;
    for (size_t i = 0; i < nf; i++) {
        const pii_csv_field *f = &s->fields[i];
        const char *name = e->header && i < s->ncolumns ? s->colname[i] : NULL;
        const pii_field_rule *r = rule_for(e, name, i + 1, false);
        if (s->ev_fn != NULL) {
            if (name == NULL) {
                snprintf(s->ev_colidx, sizeof(s->ev_colidx), "%zu", i + 1);
                name = s->ev_colidx;
            }
            s->ev_field = name;
            s->ev_enc = f->quoted ? EV_CSVQ : EV_PLAIN;
            s->ev_raw = f->quoted ? rec : rec + f->start;
            s->ev_csvf = f;
        }
        s->tmp.len = 0;
        if ((st = pii_csv_decode(rec, f, &s->tmp)) != PII_OK)
            return st;
        s->tmp2.len = 0;
        bool changed;
        if ((st = transform_value(s, r, s->tmp.ptr, s->tmp.len, &s->tmp2, &changed)) != PII_OK)
            return st;
        if (!changed)
            continue;
        if ((st = pii_buf_append(&s->out, rec + prev, f->start - prev)) != PII_OK ||
            /* an empty only field is written "": an empty record would be
             * a blank line, or nothing at all at the end of input */
            (st = pii_csv_encode(s->tmp2.ptr, s->tmp2.len, e->delim,
                                 f->quoted || (nf == 1 && s->tmp2.len == 0), &s->out)) != PII_OK)
            return st;
        prev = f->end;
    }
    return pii_buf_append(&s->out, rec + prev, re - rs - prev);
}

typedef struct {
    pii_stream *s;
    pii_status st;
} json_ctx;

static pii_status json_visit(const pii_json_scalar *sc, void *vctx)
{
    json_ctx *c = vctx;
    pii_stream *s = c->s;
    if (s->nscalars == s->ascalars) {
        size_t na = s->ascalars ? s->ascalars * 2 : 64;
        struct json_item *nv = pii_realloc(s->scalars, na * sizeof(*nv));
        if (nv == NULL)
            return PII_E_NOMEM;
        s->scalars = nv;
        s->ascalars = na;
    }
    const pii_field_rule *r = rule_for(s->eng, sc->path, 0, true);
    if (sc->kind == PII_JSON_NUMBER && r == NULL)
        return PII_OK; /* numbers are not scanned; only a field rule changes them */
    s->scalars[s->nscalars++] = (struct json_item){sc->start, sc->end, sc->kind, r};
    return PII_OK;
}

/* Write scalar i of the current JSON record rec (and the bytes before
 * it, from *prev) to the output, transformed. */
static pii_status json_item_out(pii_stream *s, const uint8_t *rec, size_t i, size_t *prev)
{
    const struct json_item *it = &s->scalars[i];
    pii_status st;
    s->tmp.len = 0;
    if (it->kind == PII_JSON_STRING)
        st = pii_json_unescape(rec + it->start, it->end - it->start, &s->tmp);
    else
        st = pii_buf_append(&s->tmp, rec + it->start, it->end - it->start);
    if (st != PII_OK)
        return st;
    if (s->ev_fn != NULL) {
        s->ev_enc = it->kind == PII_JSON_STRING ? EV_JSON : EV_PLAIN;
        s->ev_raw = rec + it->start;
        s->ev_raw_len = it->end - it->start;
    }
    s->tmp2.len = 0;
    bool changed;
    if ((st = transform_value(s, it->rule, s->tmp.ptr, s->tmp.len, &s->tmp2, &changed)) != PII_OK)
        return st;
    if (!changed)
        return PII_OK;
    if ((st = pii_buf_append(&s->out, rec + *prev, it->start - *prev)) != PII_OK)
        return st;
    if (it->rule != NULL && it->rule->drop)
        st = pii_buf_append(&s->out, "null", 4);
    else if (it->kind == PII_JSON_NUMBER && it->rule != NULL &&
             ((!it->rule->noise && !it->rule->generalize && it->rule->action == PII_ACTION_FPE) ||
              pii_json_is_number(s->tmp2.ptr, s->tmp2.len)))
        st = pii_buf_append(&s->out, s->tmp2.ptr, s->tmp2.len); /* digits stay a number */
    else
        st = pii_json_escape(s->tmp2.ptr, s->tmp2.len, &s->out);
    if (st != PII_OK)
        return st;
    *prev = it->end;
    return PII_OK;
}

/* With a finding callback: the record is walked a second time so that
 * each scalar is written knowing its path (the first walk checked that the
 * whole record parses, and kept no paths: they would cost up to 512 bytes
 * a scalar). */
static pii_status json_visit_out(const pii_json_scalar *sc, void *vctx)
{
    pii_stream *s = vctx;
    if (s->ev_item >= s->nscalars || s->scalars[s->ev_item].start != sc->start)
        return PII_OK; /* a number without a rule: not collected */
    s->ev_field = sc->path;
    pii_status st = json_item_out(s, s->rec, s->ev_item, &s->ev_prev);
    s->ev_item++;
    s->ev_field = NULL;
    return st;
}

static pii_status json_record(pii_stream *s, const uint8_t *b, size_t rs, size_t re, pii_error *err)
{
    const uint8_t *rec = b + rs;
    size_t n = re - rs;
    size_t ws = 0;
    while (ws < n && (rec[ws] == ' ' || rec[ws] == '\t' || rec[ws] == '\r'))
        ws++;
    if (ws == n) /* a blank line passes through */
        return pii_buf_append(&s->out, rec, n);
    s->nscalars = 0;
    s->rec = rec;
    s->rec_len = n;
    s->rec_nf = 0;
    json_ctx c = {s, PII_OK};
    pii_status st = pii_json_walk(rec, n, json_visit, &c);
    if (st == PII_E_PARSE || st == PII_E_LIMIT)
        return record_as_text(s, b, rs, re, err);
    if (st != PII_OK)
        return st;
    size_t prev = 0;
    if (s->ev_fn != NULL && s->nscalars > 0) {
        s->ev_item = 0;
        s->ev_prev = 0;
        if ((st = pii_json_walk(rec, n, json_visit_out, s)) != PII_OK)
            return st;
        prev = s->ev_prev;
    } else {
        for (size_t i = 0; i < s->nscalars; i++) {
            if ((st = json_item_out(s, rec, i, &prev)) != PII_OK)
                return st;
        }
    }
    return pii_buf_append(&s->out, rec + prev, n - prev);
}

/* Process the complete records in in.ptr[ctx, region): each ends with '\n'
 * (CSV: outside quotes) except possibly the last at end of input. */
static pii_status process_records(pii_stream *s, size_t region, pii_error *err)
{
    const uint8_t *b = s->in.ptr;
    size_t p = s->ctx;
    while (p < region) {
        size_t re;
        if (s->eng->format == PII_FORMAT_JSONL) {
            const uint8_t *nl = memchr(b + p, '\n', region - p);
            re = nl ? (size_t)(nl - b) : region;
        } else {
            bool q = false;
            re = p + pii_csv_record_end(b + p, region - p, 0, &q);
        }
        s->stats.records++;
        size_t body = re;
        if (body > p && b[body - 1] == '\r')
            body--; /* CRLF: the CR is part of the terminator */
        s->rec_eps = s->rec_delta = 0;
        pii_status st = s->eng->format == PII_FORMAT_JSONL ? json_record(s, b, p, body, err)
                                                           : csv_record(s, b, p, body, err);
        if (st != PII_OK)
            return st;
        if (s->rec_eps > s->stats.max_record_epsilon)
            s->stats.max_record_epsilon = s->rec_eps;
        if (s->rec_delta > s->stats.max_record_delta)
            s->stats.max_record_delta = s->rec_delta;
        size_t next = re < region ? re + 1 : region;
        if ((st = pii_buf_append(&s->out, b + body, next - body)) != PII_OK)
            return st;
        p = next;
    }
    return PII_OK;
}

/* Record formats: process every complete record now (CSV records may hold
 * newlines inside quotes). A CSV record longer than the input window cannot
 * be parsed in bounded memory: from there on the stream is scanned as text
 * (fail closed) and the record counted as a parse error. */
static pii_status process_format(pii_stream *s, bool final, bool *handled, pii_error *err)
{
    size_t len = s->in.len;
    size_t region = 0;
    *handled = true;
    if (final) {
        region = len;
    } else if (s->eng->format == PII_FORMAT_JSONL) {
        const uint8_t *nl = find_last_newline(s->in.ptr + s->ctx, len - s->ctx);
        region = nl ? (size_t)(nl - s->in.ptr) + 1 : 0;
    } else {
        size_t p = s->ctx;
        while (p < len) {
            bool q = false;
            size_t e = p + pii_csv_record_end(s->in.ptr + p, len - p, 0, &q);
            if (e >= len)
                break;
            region = e + 1;
            p = e + 1;
        }
    }
    if (region == 0) {
        if (len == in_cap(s)) {
            if (s->ev_fn != NULL) {
                s->stats.records++; /* the record reported: the next one */
                s->ev_field = NULL;
                ev_emit(s, NULL, NULL, NULL, 0, s->ctx, s->ctx, NULL, 0, false);
                s->stats.records--;
            }
            s->text_fallback = true;
            s->stats.parse_errors++;
            if (s->eng->on_error_stop)
                return pii_error_set(err, PII_E_PARSE,
                                     "record %llu: longer than %zu bytes; stopped before it",
                                     (unsigned long long)s->stats.records + 1, (size_t)in_cap(s));
            *handled = false;
        }
        return PII_OK;
    }
    pii_status st = process_records(s, region, err);
    if (st != PII_OK)
        return st == PII_E_PARSE ? st : pii_error_set(err, st, "%s", pii_strerror(st));
    in_consume(s, region);
    s->ctx = 0;
    s->left_open = false;
    s->nl_checked = 0;
    return PII_OK;
}

/* Process what can be processed now; `final` at end of input. */
static pii_status process(pii_stream *s, bool final, pii_error *err)
{
    size_t len = s->in.len;
    if (len == s->ctx)
        return PII_OK;
    if (s->eng->format != PII_FORMAT_TEXT && !s->eng->detokenize && !s->text_fallback) {
        bool handled;
        pii_status fst = process_format(s, final, &handled, err);
        if (fst != PII_OK || handled)
            return fst;
    }
    size_t region;
    bool window = false;
    unsigned flags = s->left_open ? PII_SCAN_LEFT_OPEN : 0;
    if (final) {
        region = len;
    } else {
        /* only bytes not looked at before: a long line arriving in small
         * pieces must not be rescanned for '\n' on every piece */
        size_t from = s->nl_checked > s->ctx ? s->nl_checked : s->ctx;
        const uint8_t *nl = find_last_newline(s->in.ptr + from, len - from);
        if (nl != NULL) {
            region = (size_t)(nl - s->in.ptr) + 1;
        } else if (len == in_cap(s)) {
            region = len;
            window = true;
            flags |= PII_SCAN_RIGHT_OPEN;
        } else {
            s->nl_checked = len;
            return PII_OK; /* wait for the rest of the line */
        }
    }

    pii_status st =
        s->eng->detokenize
            ? detok_scan(s, region, flags)
            : pii_detect_scan(&s->eng->det, &s->ws, s->in.ptr, region, s->ctx, flags, &s->found);
    if (st != PII_OK)
        return pii_error_set(err, st, "detection failed: %s", pii_strerror(st));

    size_t commit = region;
    if (window) {
        commit = safe_cut(s->in.ptr, s->ctx, region - PII_DETECT_MAX_SPAN);
        for (size_t i = 0; i < s->found.len && s->found.v[i].start < commit; i++) {
            if (s->found.v[i].end > commit)
                commit = s->found.v[i].end;
        }
    }
    st = emit(s, commit);
    if (st != PII_OK)
        return pii_error_set(err, st, "output buffer: %s", pii_strerror(st));

    s->nl_checked = 0;
    if (s->in.ptr[commit - 1] == '\n') {
        in_consume(s, commit);
        s->ctx = 0;
        s->left_open = false;
    } else {
        size_t keep = commit < PII_DETECT_LOOKBEHIND ? commit : PII_DETECT_LOOKBEHIND;
        if (commit - keep > 0)
            s->left_open = true;
        in_consume(s, commit - keep);
        s->ctx = keep;
    }
    return PII_OK;
}

void pii_stream_input_space(pii_stream *s, uint8_t **ptr, size_t *room)
{
    *room = in_cap(s) - s->in.len;
    if (pii_buf_reserve(&s->in, *room) != PII_OK) {
        /* allocation failure surfaces as a zero-size window; callers treat
         * it as PII_E_NOMEM */
        *ptr = NULL;
        *room = 0;
        return;
    }
    *ptr = s->in.ptr + s->in.len;
}

pii_status pii_stream_input_commit(pii_stream *s, size_t n, pii_error *err)
{
    if (s->ended || n > in_cap(s) - s->in.len)
        return pii_error_set(err, PII_E_INTERNAL, "stream misuse: commit past the window");
    s->in.len += n;
    s->stats.bytes_in += n;
    if (n > 0)
        s->last_nl = s->in.ptr[s->in.len - 1] == '\n';
    return process(s, false, err);
}

pii_status pii_stream_end(pii_stream *s, pii_error *err)
{
    if (s->ended)
        return PII_OK;
    pii_status st = process(s, true, err);
    if (st != PII_OK)
        return st;
    s->ended = true;
    in_consume(s, s->in.len);
    s->ctx = 0;
    return PII_OK;
}

const pii_engine *pii_stream_engine(const pii_stream *s)
{
    return s->eng;
}

size_t pii_stream_pending(const pii_stream *s)
{
    return s->in.len - s->ctx;
}

bool pii_stream_mid_record(const pii_stream *s)
{
    return s->left_open;
}

void pii_stream_abandon(pii_stream *s)
{
    s->stats.bytes_unfinished += pii_stream_pending(s);
    s->ended = true;
    in_consume(s, s->in.len);
    s->ctx = 0;
}

/* ---- hand-over to another engine (reload) ----------------------------------- */

pii_resume *pii_resume_new(void)
{
    pii_resume *r = pii_calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    pii_buf_init(&r->hdr, PII_MAX_RECORD_MAX + PII_DETECT_LOOKBEHIND);
    pii_buf_init(&r->tail, PII_MAX_RECORD_MAX + PII_DETECT_LOOKBEHIND);
    return r;
}

void pii_resume_clear(pii_resume *r)
{
    if (r->hdr.ptr != NULL)
        pii_wipe(r->hdr.ptr, r->hdr.alloc);
    if (r->tail.ptr != NULL)
        pii_wipe(r->tail.ptr, r->tail.alloc);
    r->hdr.len = r->tail.len = 0;
    r->have_header = false;
    r->text_fallback = false;
    r->have_stats = false;
    memset(&r->stats, 0, sizeof(r->stats));
}

void pii_resume_free(pii_resume *r)
{
    if (r == NULL)
        return;
    pii_resume_clear(r);
    pii_buf_free(&r->hdr);
    pii_buf_free(&r->tail);
    pii_free_mem(r);
}

pii_status pii_stream_suspend(pii_stream *s, pii_resume *r, pii_error *err)
{
    if (s->ended || s->out_pos < s->out.len)
        return pii_error_set(err, PII_E_INTERNAL,
                             "stream misuse: suspended after finish or with output pending");
    if (s->left_open)
        return pii_error_set(err, PII_E_LIMIT,
                             "a record longer than the window is partly written; not at a "
                             "record end yet");
    pii_resume_clear(r);
    size_t tail = s->in.len - s->ctx;
    pii_status st = pii_buf_append(&r->tail, s->in.ptr + s->ctx, tail);
    if (st == PII_OK && s->have_header && s->hdr_raw.len > 0)
        st = pii_buf_append(&r->hdr, s->hdr_raw.ptr, s->hdr_raw.len);
    if (st != PII_OK) {
        pii_resume_clear(r);
        return pii_error_set(err, st, "out of memory for a hand-over");
    }
    r->have_header = s->have_header;
    r->text_fallback = s->text_fallback;
    pii_stream_get_stats(s, &r->stats);
    r->stats.bytes_in -= tail; /* counted again where they are processed */
    r->have_stats = true;
    s->ended = true;
    pii_wipe(s->in.ptr + s->ctx, tail);
    pii_buf_consume(&s->in, s->in.len);
    s->ctx = 0;
    return PII_OK;
}

pii_status pii_stream_resume(pii_stream *s, pii_resume *r, pii_error *err)
{
    pii_status st = PII_OK;
    if (s->ended || s->stats.bytes_in > 0 || s->in.len > 0)
        return pii_error_set(err, PII_E_INTERNAL, "stream misuse: resumed after input");
    const pii_engine *e = s->eng;
    if (r->have_header && e->header && r->hdr.len > 0 &&
        (e->format == PII_FORMAT_CSV || e->format == PII_FORMAT_TSV) && !e->detokenize) {
        /* the header names the columns again (the new rules apply to it);
         * it was written already, so its output is dropped */
        uint8_t *dst;
        size_t room;
        pii_stream_input_space(s, &dst, &room);
        if (room < r->hdr.len + 1) {
            st = pii_error_set(err, room == 0 ? PII_E_NOMEM : PII_E_LIMIT,
                               "the CSV header does not fit the window");
            goto out;
        }
        memcpy(dst, r->hdr.ptr, r->hdr.len);
        dst[r->hdr.len] = '\n';
        if ((st = pii_stream_input_commit(s, r->hdr.len + 1, err)) != PII_OK)
            goto out;
        if (s->in.len > 0) { /* not processed as a whole record: cannot happen */
            st = pii_error_set(err, PII_E_INTERNAL, "the CSV header was not processed whole");
            goto out;
        }
        pii_wipe(s->out.ptr, s->out.len);
        s->out.len = s->out_pos = 0;
    } else if (r->have_header) {
        s->have_header = true; /* no columns, as before */
    }
    if (r->have_stats) {
        s->stats = r->stats;
        s->ws.limit_hits = r->stats.limit_hits;
    }
    s->text_fallback = r->text_fallback;
    if (r->tail.len > 0) {
        uint8_t *dst;
        size_t room;
        pii_stream_input_space(s, &dst, &room);
        if (room < r->tail.len) {
            st = pii_error_set(err, room == 0 ? PII_E_NOMEM : PII_E_LIMIT,
                               "the unprocessed input does not fit the window");
            goto out;
        }
        memcpy(dst, r->tail.ptr, r->tail.len);
        st = pii_stream_input_commit(s, r->tail.len, err);
    }
out:
    pii_resume_clear(r);
    return st;
}

void pii_stream_output_pending(const pii_stream *s, const uint8_t **ptr, size_t *len)
{
    /* no arithmetic on a NULL buffer (nothing allocated yet) */
    *ptr = s->out.ptr != NULL ? s->out.ptr + s->out_pos : NULL;
    *len = s->out.len - s->out_pos;
}

void pii_stream_output_consumed(pii_stream *s, size_t n)
{
    s->out_pos += n;
    s->stats.bytes_out += n;
    if (s->out_pos == s->out.len) {
        s->out.len = 0;
        s->out_pos = 0;
    }
}

/* Copy pending output into the caller's cursor. */
static void drain(pii_stream *s, pii_outbuf *out)
{
    const uint8_t *p;
    size_t n;
    pii_stream_output_pending(s, &p, &n);
    size_t room = out->size - out->pos;
    if (n > room)
        n = room;
    if (n > 0) {
        memcpy((uint8_t *)out->dst + out->pos, p, n);
        out->pos += n;
        pii_stream_output_consumed(s, n);
    }
}

pii_status pii_stream_push(pii_stream *s, pii_inbuf *in, pii_outbuf *out, pii_error *err)
{
    if (s->ended)
        return pii_error_set(err, PII_E_INTERNAL, "stream misuse: push after finish");
    for (;;) {
        drain(s, out);
        if (s->out_pos < s->out.len || in->pos >= in->size)
            return PII_OK;
        /* grow the input buffer only as far as this input needs, so that a
         * short buffer does not cost a whole window */
        size_t take = in->size - in->pos;
        if (take > in_cap(s) - s->in.len)
            take = in_cap(s) - s->in.len;
        if (pii_buf_reserve(&s->in, take) != PII_OK)
            return pii_error_set(err, PII_E_NOMEM, "out of memory for the input window");
        memcpy(s->in.ptr + s->in.len, (const uint8_t *)in->src + in->pos, take);
        in->pos += take;
        pii_status st = pii_stream_input_commit(s, take, err);
        if (st != PII_OK)
            return st;
    }
}

pii_status pii_stream_finish(pii_stream *s, pii_outbuf *out, size_t *remaining, pii_error *err)
{
    pii_status st = pii_stream_end(s, err);
    if (st != PII_OK)
        return st;
    drain(s, out);
    *remaining = s->out.len - s->out_pos;
    return PII_OK;
}
