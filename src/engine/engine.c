/*
 * engine.c - configuration and the immutable engine built from it.
 *
 * A config holds detector definitions: the built-ins, parsed from the
 * pattern files embedded at build time, then any user pattern files. The
 * engine parses the same texts again into definitions it owns, so a config
 * can be changed or freed after pii_engine_new without touching live
 * engines, and compiles the enabled ones.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "common/pii_secret.h"
#include "engine/engine_internal.h"
#include "engine/policy.h"
#include "transform/ff1.h"
#include "format/format.h"

const char *pii_version(void)
{
    return PII_VERSION_STRING;
}

static const char *const action_names[] = {
    [PII_ACTION_MASK] = "mask",   [PII_ACTION_REDACT] = "redact", [PII_ACTION_KEEP] = "keep",
    [PII_ACTION_TOKEN] = "token", [PII_ACTION_FPE] = "fpe",
};

#define NACTIONS (sizeof(action_names) / sizeof(action_names[0]))

pii_status pii_action_from_name(const char *name, pii_action *out)
{
    for (size_t i = 0; i < NACTIONS; i++) {
        if (strcmp(name, action_names[i]) == 0) {
            *out = (pii_action)i;
            return PII_OK;
        }
    }
    return PII_E_CONFIG;
}

const char *pii_action_name(pii_action action)
{
    if ((unsigned)action < NACTIONS)
        return action_names[action];
    return "?";
}

pii_status pii_builtin_defs(pii_def_list *out, pii_error *err)
{
    for (size_t i = 0; i < pii_builtin_pattern_files_count; i++) {
        const pii_embedded_file *f = &pii_builtin_pattern_files[i];
        char src[128];
        snprintf(src, sizeof(src), "patterns/builtin/%s", f->name);
        pii_status st = pii_patfile_parse(f->text, f->len, src, out, err);
        if (st != PII_OK)
            return st;
    }
    return PII_OK;
}

static void fill_info(pii_entity_info *info, const pii_detector_def *d)
{
    info->name = d->id;
    info->label = d->label;
    info->description = d->description;
    info->example = "";
    for (size_t e = 0; e < d->nexamples; e++) {
        if (d->examples[e].value != NULL) {
            info->example = d->examples[e].value;
            break;
        }
    }
    info->kind = pii_kind_name(d->kind);
    info->source = d->source;
    info->priority = d->priority;
    info->default_action = d->action;
}

/* Grow the arrays parallel to cfg->defs to its length; new entries get the
 * definition's defaults. */
static pii_status sync_parallel(pii_config *cfg, size_t old_len)
{
    size_t n = cfg->defs.len;
    pii_entity_info *info = pii_realloc(cfg->info, n * sizeof(*info));
    if (info == NULL)
        return PII_E_NOMEM;
    cfg->info = info;
    pii_action *act = pii_realloc(cfg->action, n * sizeof(*act));
    if (act == NULL)
        return PII_E_NOMEM;
    cfg->action = act;
    bool *en = pii_realloc(cfg->enabled, n * sizeof(*en));
    if (en == NULL)
        return PII_E_NOMEM;
    cfg->enabled = en;
    for (size_t i = 0; i < n; i++)
        fill_info(&cfg->info[i], &cfg->defs.v[i]); /* defs may have moved */
    for (size_t i = old_len; i < n; i++) {
        cfg->action[i] = cfg->defs.v[i].action;
        cfg->enabled[i] = true;
    }
    return PII_OK;
}

pii_config *pii_config_new(void)
{
    pii_config *cfg = pii_calloc(1, sizeof(*cfg));
    if (cfg == NULL)
        return NULL;
    cfg->min_confidence = 50;
    cfg->fpe_markers = true;
    cfg->delim = ',';
    cfg->window = PII_MAX_RECORD_DEFAULT;
    pii_keyring_init(&cfg->keys);
    if (pii_builtin_defs(&cfg->defs, NULL) != PII_OK || sync_parallel(cfg, 0) != PII_OK) {
        pii_config_free(cfg);
        return NULL;
    }
    return cfg;
}

void pii_config_free(pii_config *cfg)
{
    if (cfg == NULL)
        return;
    pii_def_list_free(&cfg->defs);
    pii_free_mem(cfg->info);
    pii_free_mem(cfg->action);
    pii_free_mem(cfg->enabled);
    for (size_t i = 0; i < cfg->nuser; i++) {
        pii_free_mem(cfg->user[i].source);
        pii_free_mem(cfg->user[i].text);
    }
    pii_free_mem(cfg->user);
    pii_keyring_free(&cfg->keys);
    for (size_t i = 0; i < cfg->nrules; i++) {
        pii_free_mem(cfg->rules[i].name);
        pii_free_mem(cfg->rules[i].type);
        pii_free_mem(cfg->rules[i].gen.key_field);
    }
    pii_free_mem(cfg->rules);
    pii_free_mem(cfg->keep_first);
    pii_free_mem(cfg->keep_last);
    pii_free_mem(cfg->policy_source);
    pii_free_mem(cfg);
}

void pii_config_set_format(pii_config *cfg, pii_format format, char delimiter, bool header)
{
    cfg->format = format;
    cfg->delim = (uint8_t)(delimiter ? delimiter : format == PII_FORMAT_TSV ? '\t' : ',');
    cfg->header = header;
}

void pii_config_set_check_only(pii_config *cfg, bool on)
{
    cfg->check_only = on;
}

void pii_config_set_stop_on_parse_error(pii_config *cfg, bool stop)
{
    cfg->on_error_stop = stop;
}

void pii_config_set_noise_seed(pii_config *cfg, uint64_t seed)
{
    cfg->seeded = true;
    cfg->seed = seed;
}

static pii_status no_visit(const pii_json_scalar *s, void *ctx)
{
    (void)s;
    (void)ctx;
    return PII_OK;
}

static bool looks_like_name(const uint8_t *p, size_t n)
{
    if (n == 0 || n > PII_COLUMN_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ' ' ||
                  c == '.' || c == '-' || c >= 0x80 || (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    return true;
}

pii_format pii_format_sniff(const void *head, size_t len, char *delimiter)
{
    const uint8_t *b = head;
    const uint8_t *nl = memchr(b, '\n', len);
    size_t n = nl ? (size_t)(nl - b) : len;
    if (n > 0 && b[n - 1] == '\r')
        n--;
    size_t ws = 0;
    while (ws < n && (b[ws] == ' ' || b[ws] == '\t'))
        ws++;
    if (ws < n && (b[ws] == '{' || b[ws] == '[')) {
        pii_status st = pii_json_walk(b, n, no_visit, NULL);
        if (st == PII_OK)
            return PII_FORMAT_JSONL;
    }
    static const uint8_t delims[] = {',', '\t'};
    for (size_t d = 0; d < sizeof(delims); d++) {
        pii_csv_field f[64];
        size_t nf = 0;
        if (memchr(b, delims[d], n) == NULL ||
            pii_csv_split(b, n, delims[d], f, 64, &nf) != PII_OK || nf < 2)
            continue;
        bool names = true;
        for (size_t i = 0; i < nf && names; i++) {
            size_t s = f[i].start + f[i].quoted, e = f[i].end - f[i].quoted;
            names = e > s && looks_like_name(b + s, e - s);
        }
        if (names) {
            if (delimiter)
                *delimiter = (char)delims[d];
            return delims[d] == ',' ? PII_FORMAT_CSV : PII_FORMAT_TSV;
        }
    }
    return PII_FORMAT_TEXT;
}

static pii_status lookup_type(const pii_config *cfg, const char *type, size_t *idx,
                              pii_error *err);

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = pii_malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

static pii_status policy_error(pii_error *err, const pii_policy *p, pii_policy_pos pos,
                               const char *what, const char *name)
{
    return pii_error_set(err, PII_E_CONFIG, "%.200s:%u:%u: %s '%.64s'", p->source, pos.line,
                         pos.column, what, name);
}

pii_status pii_config_load_policy(pii_config *cfg, const char *path, pii_error *err)
{
    pii_policy *p = NULL;
    pii_status st = pii_policy_load_file(path, &p, err);
    if (st != PII_OK)
        return st;
    pii_free_mem(cfg->policy_source);
    cfg->policy_source = dup_str(path);
    size_t n = cfg->defs.len;
    if (cfg->keep_first == NULL) {
        cfg->keep_first = pii_malloc(n * sizeof(int));
        cfg->keep_last = pii_malloc(n * sizeof(int));
        if (cfg->keep_first == NULL || cfg->keep_last == NULL) {
            st = pii_error_set(err, PII_E_NOMEM, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            cfg->keep_first[i] = cfg->keep_last[i] = -1;
    }
    if (p->has_default_action) {
        for (size_t i = 0; i < n; i++)
            cfg->action[i] = p->default_action;
    }
    for (size_t i = 0; i < p->nentities; i++) {
        const pii_policy_entity *pe = &p->entities[i];
        size_t idx = 0;
        if (lookup_type(cfg, pe->name, &idx, NULL) != PII_OK) {
            st = policy_error(err, p, pe->pos, "unknown entity type", pe->name);
            goto out;
        }
        cfg->action[idx] = pe->action;
        cfg->keep_first[idx] = pe->keep_first;
        cfg->keep_last[idx] = pe->keep_last;
    }
    if (p->key_file != NULL && !cfg->check_only &&
        (st = pii_config_add_key_file(cfg, p->key_file, err)) != PII_OK)
        goto out;
    for (size_t i = 0; i < p->nfields; i++) {
        const pii_policy_field *pf = &p->fields[i];
        size_t idx = 0;
        if (pf->type != NULL && lookup_type(cfg, pf->type, &idx, NULL) != PII_OK) {
            st = policy_error(err, p, pf->type_pos, "unknown entity type", pf->type);
            goto out;
        }
        if (pf->action == PII_FIELD_FPE && pf->type == NULL) {
            st = policy_error(err, p, pf->pos, "fpe needs a type (e.g. type: cn_mobile), field",
                              pf->name);
            goto out;
        }
        pii_field_rule *nr = pii_realloc(cfg->rules, (cfg->nrules + 1) * sizeof(*nr));
        if (nr == NULL) {
            st = pii_error_set(err, PII_E_NOMEM, "out of memory");
            goto out;
        }
        cfg->rules = nr;
        pii_field_rule *r = &cfg->rules[cfg->nrules];
        memset(r, 0, sizeof(*r));
        r->name = dup_str(pf->name);
        r->type = pf->type ? dup_str(pf->type) : NULL;
        if (r->name == NULL || (pf->type && r->type == NULL)) {
            pii_free_mem(r->name);
            pii_free_mem(r->type);
            st = pii_error_set(err, PII_E_NOMEM, "out of memory");
            goto out;
        }
        cfg->nrules++;
        bool digits = true;
        for (const char *c = pf->name; *c && digits; c++)
            digits = *c >= '0' && *c <= '9';
        r->column = digits && !pf->is_path ? (size_t)strtoul(pf->name, NULL, 10) : 0;
        r->scan = pf->action == PII_FIELD_SCAN;
        r->drop = pf->action == PII_FIELD_DROP;
        r->action = pf->action <= PII_FIELD_FPE ? (pii_action)pf->action : PII_ACTION_REDACT;
        r->det = -1;
        r->line = pf->pos.line;
        r->column_pos = pf->pos.column;
        if (pf->action == PII_FIELD_NOISE) {
            r->noise = true;
            r->np.mech = pf->noise.mechanism;
            r->np.epsilon = pf->noise.epsilon;
            r->np.delta = pf->noise.delta;
            r->np.sensitivity = pf->noise.sensitivity;
            r->np.lo = pf->noise.clamp_lo;
            r->np.hi = pf->noise.clamp_hi;
        } else if (pf->action == PII_FIELD_GENERALIZE) {
            r->generalize = true;
            r->gen = pf->gen;
            r->gen.key_field = NULL;
            if (pf->gen.key_field != NULL &&
                (r->gen.key_field = dup_str(pf->gen.key_field)) == NULL) {
                st = pii_error_set(err, PII_E_NOMEM, "out of memory");
                goto out;
            }
        }
    }
out:
    pii_policy_free(p);
    return st;
}

pii_status pii_config_add_key_file(pii_config *cfg, const char *path, pii_error *err)
{
    return pii_keyring_add_file(&cfg->keys, path, err);
}

void pii_config_set_fpe_markers(pii_config *cfg, bool on)
{
    cfg->fpe_markers = on;
}

void pii_config_set_detokenize(pii_config *cfg, bool on)
{
    cfg->detokenize = on;
}

pii_status pii_config_add_patterns(pii_config *cfg, const char *text, size_t len,
                                   const char *source, pii_error *err)
{
    size_t old = cfg->defs.len;
    pii_user_patterns *u = pii_realloc(cfg->user, (cfg->nuser + 1) * sizeof(*u));
    if (u == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory");
    cfg->user = u;
    pii_user_patterns up = {pii_malloc(strlen(source) + 1), pii_malloc(len + 1), len};
    if (up.source == NULL || up.text == NULL) {
        pii_free_mem(up.source);
        pii_free_mem(up.text);
        return pii_error_set(err, PII_E_NOMEM, "out of memory");
    }
    memcpy(up.source, source, strlen(source) + 1);
    memcpy(up.text, text, len);
    up.text[len] = '\0';
    pii_status st = pii_patfile_parse(text, len, source, &cfg->defs, err);
    if (st == PII_OK)
        st = sync_parallel(cfg, old);
    if (st != PII_OK) {
        pii_free_mem(up.source);
        pii_free_mem(up.text);
        if (st == PII_E_NOMEM)
            pii_error_set(err, st, "out of memory");
        return st;
    }
    cfg->user[cfg->nuser++] = up;
    return PII_OK;
}

#define MAX_PATTERN_FILE (1u << 20)

pii_status pii_config_add_patterns_file(pii_config *cfg, const char *path, pii_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return pii_error_set(err, PII_E_IO, "%.200s: %s", path, strerror(errno));
    char *buf = pii_malloc(MAX_PATTERN_FILE + 1);
    if (buf == NULL) {
        fclose(f);
        return pii_error_set(err, PII_E_NOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, MAX_PATTERN_FILE + 1, f);
    int bad = ferror(f);
    fclose(f);
    pii_status st;
    if (bad)
        st = pii_error_set(err, PII_E_IO, "%.200s: read error", path);
    else if (n > MAX_PATTERN_FILE)
        st = pii_error_set(err, PII_E_LIMIT, "%.200s: larger than %u bytes", path, MAX_PATTERN_FILE);
    else
        st = pii_config_add_patterns(cfg, buf, n, path, err);
    pii_free_mem(buf);
    return st;
}

size_t pii_config_entity_count(const pii_config *cfg)
{
    return cfg->defs.len;
}

const pii_entity_info *pii_config_entity_get(const pii_config *cfg, size_t index)
{
    return index < cfg->defs.len ? &cfg->info[index] : NULL;
}

/* Built-in listing without a config: one default config, built once. */
static pii_config *builtin_cfg;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_init(void)
{
    builtin_cfg = pii_config_new();
}

size_t pii_entity_count(void)
{
    pthread_once(&builtin_once, builtin_init);
    return builtin_cfg ? builtin_cfg->defs.len : 0;
}

const pii_entity_info *pii_entity_get(size_t index)
{
    pthread_once(&builtin_once, builtin_init);
    return builtin_cfg ? pii_config_entity_get(builtin_cfg, index) : NULL;
}

static pii_status lookup_type(const pii_config *cfg, const char *type, size_t *idx, pii_error *err)
{
    for (size_t i = 0; i < cfg->defs.len; i++) {
        if (strcmp(cfg->defs.v[i].id, type) == 0) {
            *idx = i;
            return PII_OK;
        }
    }
    return pii_error_set(err, PII_E_CONFIG,
                         "unknown entity type '%.64s' (see 'piiscrub entities')", type);
}

pii_status pii_config_set_action(pii_config *cfg, const char *type, pii_action action,
                                 pii_error *err)
{
    size_t idx = 0;
    pii_status st = lookup_type(cfg, type, &idx, err);
    if (st != PII_OK)
        return st;
    if ((unsigned)action >= NACTIONS)
        return pii_error_set(err, PII_E_CONFIG, "invalid action %d", (int)action);
    cfg->action[idx] = action;
    return PII_OK;
}

pii_status pii_config_set_enabled(pii_config *cfg, const char *type, bool enabled, pii_error *err)
{
    size_t idx = 0;
    pii_status st = lookup_type(cfg, type, &idx, err);
    if (st != PII_OK)
        return st;
    cfg->enabled[idx] = enabled;
    return PII_OK;
}

void pii_config_disable_all(pii_config *cfg)
{
    for (size_t i = 0; i < cfg->defs.len; i++)
        cfg->enabled[i] = false;
}

void pii_config_set_today(pii_config *cfg, uint32_t yyyymmdd)
{
    cfg->today = yyyymmdd;
}

void pii_config_set_line_buffered(pii_config *cfg, bool on)
{
    cfg->line_buffered = on;
}

void pii_config_set_finding_callback(pii_config *cfg, pii_finding_fn fn, void *ctx,
                                     unsigned flags)
{
    cfg->finding_fn = fn;
    cfg->finding_ctx = ctx;
    cfg->finding_flags = flags;
}

void pii_config_set_read_callback(pii_config *cfg, pii_read_fn fn, void *ctx)
{
    cfg->read_fn = fn;
    cfg->read_ctx = ctx;
}

void pii_config_set_scan_only(pii_config *cfg, bool on)
{
    cfg->scan_only = on;
}

void pii_config_set_stop_flag(pii_config *cfg, const volatile sig_atomic_t *flag)
{
    cfg->stop = flag;
}

void pii_config_set_reload_flag(pii_config *cfg, const volatile sig_atomic_t *flag)
{
    cfg->reload = flag;
}

pii_status pii_config_set_max_record(pii_config *cfg, size_t bytes)
{
    if (bytes < PII_MAX_RECORD_MIN || bytes > PII_MAX_RECORD_MAX)
        return PII_E_CONFIG;
    cfg->window = bytes;
    return PII_OK;
}

void pii_config_set_min_confidence(pii_config *cfg, unsigned min_confidence)
{
    cfg->min_confidence = (uint8_t)(min_confidence > 100 ? 100 : min_confidence);
}

static uint32_t today_utc(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL)
        return 99991231u; /* no clock: accept any date rather than reject all */
    return (uint32_t)(tm.tm_year + 1900) * 10000u + (uint32_t)(tm.tm_mon + 1) * 100u +
           (uint32_t)tm.tm_mday;
}

/* Subkeys for every enabled detector whose action needs one. An action
 * that needs a key without one, or fpe on a type with no fpe style, is a
 * configuration error: better refuse to start than write raw data. */
/* The action a detector's subkeys serve: its own, or a field rule's. */
static pii_action keyed_action(const pii_engine *e, size_t d)
{
    pii_action a = e->action[e->det.det[d].index];
    for (size_t i = 0; i < e->nrules; i++) {
        const pii_field_rule *r = &e->rules[i];
        if (r->det == (int)d && !r->scan && !r->drop &&
            (r->action == PII_ACTION_TOKEN || r->action == PII_ACTION_FPE) &&
            a != PII_ACTION_TOKEN && a != PII_ACTION_FPE)
            a = r->action;
    }
    return a;
}

/* FF1 needs libcrypto, which is opened on first use (transform/ff1.c): an
 * engine that will use it - detokenize, or fpe for an entity type or a
 * field - checks that it opens before any input is read, rather than
 * failing at the first value. */
static pii_status check_ff1(const pii_engine *e, pii_error *err)
{
    char what[96] = "";
    if (e->detokenize) {
        snprintf(what, sizeof what, "detokenize");
    } else if (!e->scan_only) {
        for (size_t d = 0; d < e->det.ndet && what[0] == '\0'; d++) {
            if (e->action[e->det.det[d].index] == PII_ACTION_FPE)
                snprintf(what, sizeof what, "action fpe for %.64s", e->det.det[d].def->id);
        }
        for (size_t i = 0; i < e->nrules && what[0] == '\0'; i++) {
            const pii_field_rule *r = &e->rules[i];
            if (r->action == PII_ACTION_FPE && !r->scan && !r->drop)
                snprintf(what, sizeof what, "field '%.64s': action fpe", r->name);
        }
    }
    const char *why;
    if (what[0] != '\0' && !pii_ff1_available(&why))
        return pii_error_set(err, PII_E_CRYPTO, "%s needs OpenSSL's libcrypto: %s", what, why);
    return PII_OK;
}

static pii_status derive_subkeys(pii_engine *e, pii_error *err)
{
    bool any = false;
    for (size_t i = 0; i < e->nrules; i++) {
        const pii_field_rule *r = &e->rules[i];
        if (r->action != PII_ACTION_TOKEN || r->scan || r->drop || r->det >= 0)
            continue;
        if (e->keys.n == 0)
            return pii_error_set(err, PII_E_CONFIG,
                                 "field '%.64s': action token needs a key: --key-file FILE or "
                                 "PIISCRUB_KEY_FILE",
                                 r->name);
        if (e->field_token_key == NULL) {
            /* a token rule without a type: tokens of their own kind (tok_field_...) */
            e->field_token_key = pii_secret_alloc(PII_KEY_BYTES);
            if (e->field_token_key == NULL)
                return pii_error_set(err, PII_E_NOMEM, "out of memory for keys");
            if (pii_key_derive(&e->keys.keys[0], PII_SUBKEY_TOKEN, e->generic.id,
                               e->field_token_key) != PII_OK)
                return pii_error_set(err, PII_E_CRYPTO, "key derivation failed");
        }
    }
    for (size_t d = 0; d < e->det.ndet; d++) {
        const pii_detector *det = &e->det.det[d];
        pii_action a = keyed_action(e, d);
        if (a != PII_ACTION_TOKEN && a != PII_ACTION_FPE)
            continue;
        if (a == PII_ACTION_FPE && det->def->fpe == PII_FPE_NONE)
            return pii_error_set(err, PII_E_CONFIG,
                                 "action fpe is not available for %s (its pattern file has no fpe "
                                 "style); use token or mask",
                                 det->def->id);
        if (e->keys.n == 0)
            return pii_error_set(err, PII_E_CONFIG,
                                 "action %s for %s needs a key: --key-file FILE or "
                                 "PIISCRUB_KEY_FILE (make one with 'piiscrub keygen')",
                                 pii_action_name(a), det->def->id);
        any = true;
    }
    for (size_t i = 0; i < e->nrules; i++) {
        const pii_field_rule *r = &e->rules[i];
        if (!r->generalize || r->gen.kind != PII_GEN_DATE_SHIFT)
            continue;
        if (e->keys.n == 0)
            return pii_error_set(err, PII_E_CONFIG,
                                 "field '%.64s': date_shift needs a key: --key-file FILE or "
                                 "PIISCRUB_KEY_FILE (make one with 'piiscrub keygen')",
                                 r->name);
        if (e->shift_key == NULL) {
            /* one subkey for every field: a subject's dates all move alike */
            e->shift_key = pii_secret_alloc(PII_KEY_BYTES);
            if (e->shift_key == NULL)
                return pii_error_set(err, PII_E_NOMEM, "out of memory for keys");
            if (pii_key_derive(&e->keys.keys[0], PII_SUBKEY_DATE_SHIFT, "date_shift",
                               e->shift_key) != PII_OK)
                return pii_error_set(err, PII_E_CRYPTO, "key derivation failed");
        }
    }
    if (!any)
        return PII_OK;
    e->subkeys = pii_secret_alloc(e->det.ndet * 2 * PII_KEY_BYTES);
    if (e->subkeys == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory for keys");
    for (size_t d = 0; d < e->det.ndet; d++) {
        const pii_detector *det = &e->det.det[d];
        pii_action a = keyed_action(e, d);
        if (a != PII_ACTION_TOKEN && a != PII_ACTION_FPE)
            continue;
        if (pii_key_derive(&e->keys.keys[0], PII_SUBKEY_TOKEN, det->def->id,
                           e->subkeys + (2 * d) * PII_KEY_BYTES) != PII_OK ||
            pii_key_derive(&e->keys.keys[0], PII_SUBKEY_FPE, det->def->id,
                           e->subkeys + (2 * d + 1) * PII_KEY_BYTES) != PII_OK)
            return pii_error_set(err, PII_E_CRYPTO, "key derivation failed");
    }
    return PII_OK;
}

pii_status pii_engine_new(const pii_config *cfg, pii_engine **out, pii_error *err)
{
    pii_status st = PII_OK;
    *out = NULL;
    pii_engine *e = pii_calloc(1, sizeof(*e));
    if (e == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory building the engine");
    PII_TRY(pii_builtin_defs(&e->defs, err));
    for (size_t i = 0; i < cfg->nuser; i++)
        PII_TRY(pii_patfile_parse(cfg->user[i].text, cfg->user[i].len, cfg->user[i].source,
                                  &e->defs, err));
    if (e->defs.len != cfg->defs.len) {
        st = pii_error_set(err, PII_E_INTERNAL, "detector definitions changed while building");
        goto out;
    }
    e->action = pii_calloc(e->defs.len ? e->defs.len : 1, sizeof(*e->action));
    if (e->action == NULL) {
        st = pii_error_set(err, PII_E_NOMEM, "out of memory building the engine");
        goto out;
    }
    memcpy(e->action, cfg->action, e->defs.len * sizeof(*e->action));
    for (size_t i = 0; cfg->keep_first != NULL && i < e->defs.len; i++) {
        if (cfg->keep_first[i] >= 0 || cfg->keep_last[i] >= 0) {
            /* policy: entities: {X: {keep_first: A, keep_last: B}} */
            e->defs.v[i].mask = PII_MASK_KEEP_ENDS;
            e->defs.v[i].mask_a = (uint8_t)(cfg->keep_first[i] >= 0 ? cfg->keep_first[i] : 0);
            e->defs.v[i].mask_b = (uint8_t)(cfg->keep_last[i] >= 0 ? cfg->keep_last[i] : 0);
        }
    }
    PII_TRY(pii_detect_cfg_build(&e->det, e->defs.v, cfg->enabled, e->defs.len, err));
    e->format = cfg->format;
    e->delim = cfg->delim;
    e->header = cfg->header;
    e->on_error_stop = cfg->on_error_stop;
    e->seeded = cfg->seeded;
    e->seed = cfg->seed;
    e->generic.id = (char *)"field";
    e->generic.label = (char *)"[REDACTED]";
    e->generic.mask = PII_MASK_ALL;
    e->generic.canon = PII_CANON_FOLD;
    e->generic.fpe = PII_FPE_NONE;
    if (cfg->nrules > 0) {
        e->rules = pii_calloc(cfg->nrules, sizeof(*e->rules));
        if (e->rules == NULL) {
            st = pii_error_set(err, PII_E_NOMEM, "out of memory building the engine");
            goto out;
        }
    }
    for (size_t i = 0; i < cfg->nrules; i++) {
        pii_field_rule *r = &e->rules[i];
        *r = cfg->rules[i];
        r->name = dup_str(cfg->rules[i].name);
        r->type = cfg->rules[i].type ? dup_str(cfg->rules[i].type) : NULL;
        r->gen.key_field = cfg->rules[i].gen.key_field ? dup_str(cfg->rules[i].gen.key_field)
                                                       : NULL;
        e->nrules++;
        if (r->name == NULL || (cfg->rules[i].type && r->type == NULL) ||
            (cfg->rules[i].gen.key_field && r->gen.key_field == NULL)) {
            st = pii_error_set(err, PII_E_NOMEM, "out of memory building the engine");
            goto out;
        }
        r->det = -1;
        for (size_t d = 0; r->type != NULL && d < e->det.ndet; d++) {
            if (strcmp(e->det.det[d].def->id, r->type) == 0)
                r->det = (int)d;
        }
        if (r->type != NULL && r->det < 0) {
            st = pii_error_set(err, PII_E_CONFIG, "%.200s:%u:%u: type '%.64s' of field '%.64s' is "
                               "not enabled (--only)",
                               cfg->policy_source ? cfg->policy_source : "policy", r->line,
                               r->column_pos, r->type, r->name);
            goto out;
        }
    }
    e->det.today = cfg->today ? cfg->today : today_utc();
    e->det.min_confidence = cfg->min_confidence;
    e->line_buffered = cfg->line_buffered;
    e->stop = cfg->stop;
    e->reload = cfg->reload;
    e->window = cfg->window;
    e->fpe_markers = cfg->fpe_markers;
    e->detokenize = cfg->detokenize;
    pii_keyring_init(&e->keys);
    if (pii_keyring_copy(&e->keys, &cfg->keys) != PII_OK) {
        st = pii_error_set(err, PII_E_NOMEM, "out of memory for keys");
        goto out;
    }
    if (pii_secret_init() != PII_OK) {
        st = pii_error_set(err, PII_E_CRYPTO, "libsodium failed to initialise");
        goto out;
    }
    e->finding_fn = cfg->finding_fn;
    e->finding_ctx = cfg->finding_ctx;
    e->scan_only = cfg->scan_only;
    e->read_fn = cfg->read_fn;
    e->read_ctx = cfg->read_ctx;
    if (e->finding_fn != NULL && (cfg->finding_flags & PII_FINDING_FINGERPRINT) &&
        e->keys.n > 0) {
        /* one subkey for all types: the type name is hashed with the value */
        e->fp_key = pii_secret_alloc(PII_KEY_BYTES);
        if (e->fp_key == NULL) {
            st = pii_error_set(err, PII_E_NOMEM, "out of memory for keys");
            goto out;
        }
        if (pii_key_derive(&e->keys.keys[0], PII_SUBKEY_FINGERPRINT, "fingerprint",
                           e->fp_key) != PII_OK) {
            st = pii_error_set(err, PII_E_CRYPTO, "key derivation failed");
            goto out;
        }
    }
    /* find only: nothing is rendered, so no action needs its key */
    if (!e->scan_only)
        PII_TRY(derive_subkeys(e, err));
    PII_TRY(check_ff1(e, err));
    *out = e;
    return PII_OK;
out:
    pii_engine_free(e);
    return st;
}

void pii_engine_free(pii_engine *engine)
{
    if (engine == NULL)
        return;
    pii_detect_cfg_free(&engine->det);
    pii_def_list_free(&engine->defs);
    pii_free_mem(engine->action);
    pii_keyring_free(&engine->keys);
    pii_secret_free(engine->subkeys);
    pii_secret_free(engine->shift_key);
    pii_secret_free(engine->field_token_key);
    pii_secret_free(engine->fp_key);
    for (size_t i = 0; i < engine->nrules; i++) {
        pii_free_mem(engine->rules[i].name);
        pii_free_mem(engine->rules[i].type);
        pii_free_mem(engine->rules[i].gen.key_field);
    }
    pii_free_mem(engine->rules);
    pii_free_mem(engine);
}
