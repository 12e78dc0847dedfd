/*
 * reload.c - SIGHUP (see reload.h). The handler in main.c only sets a
 * flag; the drivers return at a record end (pii_run_fd_resume, or the
 * follower through pii_stream_suspend), and the engine is built here,
 * outside the handler, from the command line again. A configuration that
 * fails to load or build changes nothing: the old engine goes on.
 *
 * The walk over the options mirrors main.c, which checked every value at
 * start-up and exits on an error there; here nothing exits. The order is
 * start-up's: pattern files, key files, the policy, the key from the
 * environment, then the options in command-line order. tests/cli/reload.sh
 * checks that a reload of unchanged files gives the same output.
 */
#include "reload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

/* err names what failed: what, then the option's value (checked at
 * start-up, so no data and no key). */
static pii_status fail(pii_error *err, pii_status st, const char *what, const char *value)
{
    err->status = st;
    snprintf(err->msg, sizeof(err->msg), "%s%.64s", what, value);
    return st;
}

/* Whether a is the option shrt (may be NULL) or lng, alone or as
 * "lng=VALUE"; *v receives the value of an option that takes one. */
static bool opt(const pii_cli_setup *cs, int *i, const char *shrt, const char *lng, bool value,
                const char **v)
{
    const char *a = cs->argv[*i];
    size_t n = strlen(lng);
    if (strncmp(a, lng, n) == 0 && a[n] == '=' && value) {
        *v = a + n + 1;
        return true;
    }
    if (!((shrt != NULL && strcmp(a, shrt) == 0) || strcmp(a, lng) == 0))
        return false;
    if (value)
        *v = *i + 1 < cs->argc ? cs->argv[++*i] : "";
    return true;
}

/* Options that take a value and do not change the config. */
static bool skip_value_option(const pii_cli_setup *cs, int *i)
{
    static const char *const with_value[][2] = {
        {"-f", "--format"}, {NULL, "--delimiter"}, {NULL, "--follow"},
        {NULL, "--state"},  {"-j", "--threads"},   {"-p", "--patterns"},
        {"-k", "--key-file"}, {NULL, "--policy"}, {NULL, "--report"},
        {NULL, "--fail-on"},
    };
    const char *v;
    for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
        if (opt(cs, i, with_value[k][0], with_value[k][1], true, &v))
            return true;
    }
    return false;
}

static pii_status apply_action(pii_config *cfg, const char *spec, pii_error *err)
{
    const char *eq = strchr(spec, '=');
    char type[64];
    pii_action act;
    if (eq == NULL || (size_t)(eq - spec) >= sizeof(type) ||
        pii_action_from_name(eq + 1, &act) != PII_OK)
        return fail(err, PII_E_CONFIG, "--action: bad TYPE=ACTION: ", spec);
    memcpy(type, spec, (size_t)(eq - spec));
    type[eq - spec] = '\0';
    if (strcmp(type, "all") != 0)
        return pii_config_set_action(cfg, type, act, err);
    for (size_t i = 0; i < pii_config_entity_count(cfg); i++) {
        pii_status st = pii_config_set_action(cfg, pii_config_entity_get(cfg, i)->name, act, err);
        if (st != PII_OK)
            return st;
    }
    return PII_OK;
}

static pii_status apply_only(pii_config *cfg, const char *list, pii_error *err)
{
    pii_config_disable_all(cfg);
    for (const char *p = list;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char type[64];
        if (n == 0 || n >= sizeof(type))
            return fail(err, PII_E_CONFIG, "--only: bad list: ", list);
        memcpy(type, p, n);
        type[n] = '\0';
        pii_status st = pii_config_set_enabled(cfg, type, true, err);
        if (st != PII_OK || comma == NULL)
            return st;
        p = comma + 1;
    }
}

/* A size checked at start-up: digits and an optional K, M or G. */
static size_t size_value(const char *v)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    unsigned shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20
                   : *end == 'G' || *end == 'g'                       ? 30
                                                                       : 0;
    return (size_t)n << shift;
}

/* The options after the files are loaded, in command-line order. */
static pii_status apply_options(const pii_cli_setup *cs, pii_config *cfg, pii_error *err)
{
    pii_status st = PII_OK;
    for (int i = cs->first; i < cs->argc && st == PII_OK; i++) {
        const char *a = cs->argv[i], *v = NULL;
        if (strcmp(a, "--") == 0)
            break;
        if (strcmp(a, "--no-fpe-markers") == 0)
            pii_config_set_fpe_markers(cfg, false);
        else if (opt(cs, &i, NULL, "--on-error", true, &v))
            pii_config_set_stop_on_parse_error(cfg, strcmp(v, "stop") == 0);
        else if (strcmp(a, "--line-buffered") == 0)
            pii_config_set_line_buffered(cfg, true);
        else if (opt(cs, &i, "-a", "--action", true, &v))
            st = apply_action(cfg, v, err);
        else if (opt(cs, &i, "-o", "--only", true, &v))
            st = apply_only(cfg, v, err);
        else if (opt(cs, &i, NULL, "--min-confidence", true, &v))
            pii_config_set_min_confidence(cfg, (unsigned)strtoul(v, NULL, 10));
        else if (opt(cs, &i, NULL, "--max-record", true, &v))
            st = pii_config_set_max_record(cfg, size_value(v));
        else if (opt(cs, &i, NULL, "--seed", true, &v))
            pii_config_set_noise_seed(cfg, strtoull(v, NULL, 10));
        else if (opt(cs, &i, NULL, "--today", true, &v))
            pii_config_set_today(cfg, (uint32_t)strtoul(v, NULL, 10));
        else
            (void)skip_value_option(cs, &i);
    }
    return st;
}

pii_status pii_cli_engine_build(const pii_cli_setup *cs, pii_engine **out, pii_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof(*err));
    pii_config *cfg = pii_config_new();
    if (cfg == NULL)
        return fail(err, PII_E_NOMEM, "out of memory", "");
    pii_config_set_detokenize(cfg, cs->detokenize);
    pii_status st = PII_OK;
    bool any_key = false;
    const char *policy = NULL, *v = NULL;
    for (int i = cs->first; i < cs->argc && st == PII_OK; i++) {
        if (strcmp(cs->argv[i], "--") == 0)
            break;
        if (opt(cs, &i, "-p", "--patterns", true, &v)) {
            st = pii_config_add_patterns_file(cfg, v, err);
        } else if (opt(cs, &i, "-k", "--key-file", true, &v)) {
            st = pii_config_add_key_file(cfg, v, err);
            any_key = true;
        } else if (opt(cs, &i, NULL, "--policy", true, &v)) {
            policy = v;
        } else {
            (void)skip_value_option(cs, &i);
        }
    }
    if (st == PII_OK && policy != NULL)
        st = pii_config_load_policy(cfg, policy, err);
    const char *env_key = getenv("PIISCRUB_KEY_FILE");
    if (st == PII_OK && !any_key && env_key != NULL && *env_key != '\0')
        st = pii_config_add_key_file(cfg, env_key, err);
    if (st == PII_OK)
        st = apply_options(cs, cfg, err);
    if (st == PII_OK) {
        pii_config_set_format(cfg, cs->format, cs->delim, cs->header);
        pii_config_set_stop_flag(cfg, cs->stop);
        pii_config_set_reload_flag(cfg, cs->reload);
        pii_cli_obs_apply(cfg);
        st = pii_engine_new(cfg, out, err);
    }
    pii_config_free(cfg);
    return st;
}

pii_engine *pii_cli_reload(pii_cli_setup *cs)
{
    *cs->reload = 0; /* a HUP from here on asks for another reload */
    pii_engine *eng = NULL;
    pii_error err;
    if (pii_cli_engine_build(cs, &eng, &err) != PII_OK) {
        fprintf(stderr, "piiscrub: reload failed: %s; keeping the previous policy and keys\n",
                err.msg);
        return NULL;
    }
    pii_engine *old = cs->eng;
    cs->eng = eng;
    fprintf(stderr, "piiscrub: reloaded the policy and keys\n");
    return old;
}

pii_status pii_cli_run_fd(pii_cli_setup *cs, const void *head, size_t head_len, int fd,
                          int out_fd, unsigned threads, pii_stream_stats *stats, pii_error *err)
{
    pii_resume *r = pii_resume_new();
    if (r == NULL)
        return fail(err, PII_E_NOMEM, "out of memory", "");
    pii_status st =
        pii_run_fd_resume(cs->eng, r, head, head_len, fd, out_fd, threads, stats, err);
    while (st == PII_E_RELOAD) {
        /* every complete record is written and no stream uses the engine */
        pii_engine_free(pii_cli_reload(cs));
        st = pii_run_fd_resume(cs->eng, r, NULL, 0, fd, out_fd, threads, stats, err);
    }
    pii_resume_free(r);
    return st;
}
