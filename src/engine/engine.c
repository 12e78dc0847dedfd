/*
 * engine.c - configuration and the immutable engine built from it.
 * The engine copies everything it needs out of the config, so a config can
 * be changed or freed after pii_engine_new without touching live engines.
 */
#include <string.h>
#include <time.h>

#include "common/pii_alloc.h"
#include "common/pii_error.h"
#include "engine/engine_internal.h"

const char *pii_version(void)
{
    return PII_VERSION_STRING;
}

static const char *const action_names[] = {
    [PII_ACTION_MASK] = "mask",
    [PII_ACTION_REDACT] = "redact",
    [PII_ACTION_KEEP] = "keep",
};

pii_status pii_action_from_name(const char *name, pii_action *out)
{
    for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
        if (strcmp(name, action_names[i]) == 0) {
            *out = (pii_action)i;
            return PII_OK;
        }
    }
    return PII_E_CONFIG;
}

const char *pii_action_name(pii_action action)
{
    if ((unsigned)action < sizeof(action_names) / sizeof(action_names[0]))
        return action_names[action];
    return "?";
}

pii_config *pii_config_new(void)
{
    pii_config *cfg = pii_calloc(1, sizeof(*cfg));
    if (cfg == NULL)
        return NULL;
    for (int i = 0; i < PII_ENT_COUNT; i++) {
        cfg->action[i] = pii_entity_def_get((pii_entity_type)i)->info.default_action;
        cfg->enabled[i] = true;
    }
    return cfg;
}

void pii_config_free(pii_config *cfg)
{
    pii_free_mem(cfg);
}

static pii_status lookup_type(const char *type, int *idx, pii_error *err)
{
    *idx = pii_entity_lookup(type);
    if (*idx < 0)
        return pii_error_set(err, PII_E_CONFIG,
                             "unknown entity type '%.64s' (see 'piiscrub entities')", type);
    return PII_OK;
}

pii_status pii_config_set_action(pii_config *cfg, const char *type, pii_action action,
                                 pii_error *err)
{
    int idx;
    pii_status st = lookup_type(type, &idx, err);
    if (st != PII_OK)
        return st;
    if ((unsigned)action >= sizeof(action_names) / sizeof(action_names[0]))
        return pii_error_set(err, PII_E_CONFIG, "invalid action %d", (int)action);
    cfg->action[idx] = action;
    return PII_OK;
}

pii_status pii_config_set_enabled(pii_config *cfg, const char *type, bool enabled, pii_error *err)
{
    int idx;
    pii_status st = lookup_type(type, &idx, err);
    if (st != PII_OK)
        return st;
    cfg->enabled[idx] = enabled;
    return PII_OK;
}

void pii_config_disable_all(pii_config *cfg)
{
    for (int i = 0; i < PII_ENT_COUNT; i++)
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

static uint32_t today_utc(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL)
        return 99991231u; /* no clock: accept any date rather than reject all */
    return (uint32_t)(tm.tm_year + 1900) * 10000u + (uint32_t)(tm.tm_mon + 1) * 100u +
           (uint32_t)tm.tm_mday;
}

pii_status pii_engine_new(const pii_config *cfg, pii_engine **out, pii_error *err)
{
    *out = NULL;
    pii_engine *e = pii_calloc(1, sizeof(*e));
    if (e == NULL)
        return pii_error_set(err, PII_E_NOMEM, "out of memory building the engine");
    for (int i = 0; i < PII_ENT_COUNT; i++) {
        e->action[i] = cfg->action[i];
        if (cfg->enabled[i])
            e->det.enabled |= 1u << i;
    }
    e->det.today = cfg->today ? cfg->today : today_utc();
    e->line_buffered = cfg->line_buffered;
    *out = e;
    return PII_OK;
}

void pii_engine_free(pii_engine *engine)
{
    pii_free_mem(engine);
}
