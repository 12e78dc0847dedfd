/*
 * report.c - counts of findings per type x action x field, the --report
 * JSON file, the --stats / scan summary on stderr, and the finding
 * callback that feeds them (and `piiscrub scan`'s JSON Lines, scan.c).
 *
 * The callback sees only what pii_finding_event carries: positions, names
 * and an optional keyed fingerprint, never a value; nothing here can print
 * data. Events arrive one at a time in input order (also with -jN, from
 * the pipeline's writer thread while main waits), so no lock is needed.
 * The counts live in an open-addressing hash table keyed by the three
 * strings, which grows with the number of distinct keys (JSON paths can be
 * many) and is sorted only when written, so -j1 and -jN reports are equal.
 */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "jsonw.h"
#include "scan.h"

#define PARSE_LINES_MAX 1000 /* parse-error positions kept in the report */

typedef struct {
    char *type, *action, *field; /* field NULL: text */
    uint64_t count;
} count_row;

typedef struct {
    size_t file; /* index in inputs */
    uint64_t line;
} bad_record;

static struct {
    bool scan, stats, progress;
    const char *report; /* --report FILE */
    bool observe;       /* a finding callback is set */
    bool progress_on;   /* --progress and stderr is a terminal: a read callback */
    count_row *rows;    /* hash table, nrows_alloc (a power of 2) slots */
    size_t nrows, nrows_alloc;
    uint64_t findings;
    bad_record *bad;
    size_t nbad;
    uint64_t parse_errors;
    char **inputs;
    size_t ninputs;
    char *cur_json; /* the current input's name as a JSON string */
    pii_stream_stats total;
    uint64_t records;
    bool nomem;
    struct timespec t0;
} obs;

bool pii_cli_obs_scan(void)
{
    return obs.scan;
}

bool pii_cli_obs_option(int argc, char **argv, int *i, bool scan)
{
    const char *a = argv[*i];
    const char *names[] = {"--report", "--fail-on"};
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(a, names[k], n) != 0 || (a[n] != '\0' && a[n] != '='))
            continue;
        if (k == 1 && !scan)
            pii_cli_die_usage("%s is an option of 'piiscrub scan'", names[k]);
        const char *v = a[n] == '=' ? a + n + 1 : NULL;
        if (v == NULL) {
            if (*i + 1 >= argc)
                pii_cli_die_usage("option '%s' needs a value", names[k]);
            v = argv[++*i];
        }
        if (*v == '\0')
            pii_cli_die_usage("option '%s' needs a value", names[k]);
        if (k == 0)
            obs.report = v;
        else
            pii_cli_scan_set_fail_on(v);
        return true;
    }
    if (strcmp(a, "--stats") == 0) {
        obs.stats = true;
        return true;
    }
    if (strcmp(a, "--progress") == 0) {
        obs.progress = true;
        return true;
    }
    return false;
}

/* ---- the counts ---------------------------------------------------------- */

static uint64_t hash_str(uint64_t h, const char *s)
{
    if (s == NULL)
        return h * 1099511628211ull + 1; /* NULL differs from "" */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return (h ^ 0xFF) * 1099511628211ull;
}

static bool same_str(const char *a, const char *b)
{
    return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static char *dup_or_null(const char *s, bool *ok)
{
    if (s == NULL)
        return NULL;
    char *d = strdup(s);
    if (d == NULL)
        *ok = false;
    return d;
}

static bool table_grow(void)
{
    size_t na = obs.nrows_alloc ? obs.nrows_alloc * 2 : 64;
    count_row *nv = calloc(na, sizeof(*nv));
    if (nv == NULL)
        return false;
    for (size_t i = 0; i < obs.nrows_alloc; i++) {
        count_row *r = &obs.rows[i];
        if (r->type == NULL)
            continue;
        size_t h = (size_t)hash_str(hash_str(hash_str(14695981039346656037ull, r->type), r->action),
                                    r->field);
        size_t j = h & (na - 1);
        while (nv[j].type != NULL)
            j = (j + 1) & (na - 1);
        nv[j] = *r;
    }
    free(obs.rows);
    obs.rows = nv;
    obs.nrows_alloc = na;
    return true;
}

static void count_add(const char *type, const char *action, const char *field)
{
    if ((obs.nrows + 1) * 2 > obs.nrows_alloc && !table_grow()) {
        obs.nomem = true;
        return;
    }
    size_t h = (size_t)hash_str(hash_str(hash_str(14695981039346656037ull, type), action), field);
    size_t j = h & (obs.nrows_alloc - 1);
    while (obs.rows[j].type != NULL) {
        count_row *r = &obs.rows[j];
        if (strcmp(r->type, type) == 0 && same_str(r->action, action) &&
            same_str(r->field, field)) {
            r->count++;
            return;
        }
        j = (j + 1) & (obs.nrows_alloc - 1);
    }
    bool ok = true;
    count_row r = {dup_or_null(type, &ok), dup_or_null(action, &ok), dup_or_null(field, &ok), 1};
    if (!ok) {
        free(r.type);
        free(r.action);
        free(r.field);
        obs.nomem = true;
        return;
    }
    obs.rows[j] = r;
    obs.nrows++;
}

static void on_event(const pii_finding_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == PII_EVENT_PARSE_ERROR) {
        obs.parse_errors++;
        if (obs.nbad < PARSE_LINES_MAX) {
            if (obs.bad == NULL && (obs.bad = malloc(PARSE_LINES_MAX * sizeof(*obs.bad))) == NULL) {
                obs.nomem = true;
                return;
            }
            obs.bad[obs.nbad++] = (bad_record){obs.ninputs - 1, ev->line};
        }
        return;
    }
    obs.findings++;
    count_add(ev->type != NULL ? ev->type : "?", ev->action, ev->field);
    if (obs.scan)
        pii_cli_scan_event(obs.cur_json, ev);
}

/* ---- setup and inputs ------------------------------------------------------ */

static unsigned long long input_size(const char *name, bool *known)
{
    struct stat sb;
    int r = strcmp(name, "-") == 0 ? fstat(STDIN_FILENO, &sb) : stat(name, &sb);
    if (r != 0 || !S_ISREG(sb.st_mode)) {
        *known = false;
        return 0;
    }
    return (unsigned long long)sb.st_size;
}

int pii_cli_obs_setup(pii_config *cfg, bool scan, char *const *files, int nfiles, bool growing)
{
    obs.scan = scan;
    clock_gettime(CLOCK_MONOTONIC, &obs.t0);
    if (scan && pii_cli_scan_check_fail_on(cfg) != 0)
        return EXIT_USAGE;
    obs.observe = scan || obs.stats || obs.report != NULL;
    obs.progress_on = obs.progress && isatty(STDERR_FILENO);
    pii_cli_obs_apply(cfg);
    if (obs.progress_on) {
        bool known = !growing; /* a followed file has no end to measure against */
        unsigned long long total = 0;
        for (int i = 0; i < nfiles; i++)
            total += input_size(files[i], &known);
        if (nfiles == 0)
            total = input_size("-", &known);
        pii_cli_progress_start(known ? total : 0);
    }
    return 0;
}

void pii_cli_obs_apply(pii_config *cfg)
{
    if (obs.observe)
        pii_config_set_finding_callback(cfg, on_event, NULL,
                                        obs.scan ? PII_FINDING_FINGERPRINT : 0);
    if (obs.scan)
        pii_config_set_scan_only(cfg, true);
    if (obs.progress_on)
        pii_config_set_read_callback(cfg, pii_cli_progress_read, NULL);
}

void pii_cli_obs_input(const char *name)
{
    if (!obs.observe)
        return;
    char **nv = realloc(obs.inputs, (obs.ninputs + 1) * sizeof(*nv));
    char *copy = strdup(name);
    if (nv != NULL)
        obs.inputs = nv;
    if (nv == NULL || copy == NULL) {
        free(copy);
        obs.nomem = true;
        /* keep the input index valid for parse-error positions */
        if (nv == NULL)
            return;
        copy = NULL;
    }
    obs.inputs[obs.ninputs++] = copy;
    free(obs.cur_json);
    size_t n = strlen(name);
    obs.cur_json = malloc(PII_CLI_JSON_CAP(n));
    if (obs.cur_json == NULL)
        obs.nomem = true;
    else
        pii_cli_json_escape((const uint8_t *)name, n, obs.cur_json);
}

void pii_cli_obs_input_done(const pii_stream_stats *st, pii_format format)
{
    if (!obs.observe)
        return;
    obs.total.bytes_in += st->bytes_in;
    if (!obs.scan) /* scan's output is discarded: nothing is written */
        obs.total.bytes_out += st->bytes_out;
    obs.total.bytes_unfinished += st->bytes_unfinished;
    obs.total.lines += st->lines;
    obs.total.records += st->records;
    obs.total.noised += st->noised;
    obs.total.generalized += st->generalized;
    obs.total.not_understood += st->not_understood;
    obs.total.limit_hits += st->limit_hits;
    if (st->max_record_epsilon > obs.total.max_record_epsilon)
        obs.total.max_record_epsilon = st->max_record_epsilon;
    if (st->max_record_delta > obs.total.max_record_delta)
        obs.total.max_record_delta = st->max_record_delta;
    /* records: CSV/JSON records, or the lines of text */
    obs.records += format == PII_FORMAT_TEXT ? st->lines : st->records;
}

/* ---- output ---------------------------------------------------------------- */

static int row_cmp(const void *pa, const void *pb)
{
    const count_row *a = pa, *b = pb;
    int c = strcmp(a->type, b->type);
    if (c == 0)
        c = strcmp(a->action ? a->action : "", b->action ? b->action : "");
    if (c == 0 && !same_str(a->field, b->field))
        c = a->field == NULL ? -1 : b->field == NULL ? 1 : strcmp(a->field, b->field);
    return c;
}

/* The rows, sorted (type, action, field); the table is compacted in place. */
static void sort_rows(void)
{
    size_t n = 0;
    for (size_t i = 0; i < obs.nrows_alloc; i++) {
        if (obs.rows[i].type != NULL)
            obs.rows[n++] = obs.rows[i];
    }
    if (n > 0)
        qsort(obs.rows, n, sizeof(*obs.rows), row_cmp);
    obs.nrows_alloc = 0; /* no longer a hash table */
    obs.nrows = n;
}

static void json_str(FILE *f, const char *s)
{
    if (s == NULL)
        fputs("null", f);
    else
        pii_cli_json_write(f, s, strlen(s));
}

static void write_json(FILE *f, const char *how, int rc, double secs)
{
    fprintf(f, "{\n  \"piiscrub_report\": 1,\n  \"version\": ");
    json_str(f, pii_version());
    fprintf(f, ",\n  \"mode\": \"%s\",\n  \"status\": \"%s\",\n  \"exit_status\": %d,\n",
            obs.scan ? "scan" : "filter", how, rc);
    fprintf(f, "  \"inputs\": [");
    for (size_t i = 0; i < obs.ninputs; i++) {
        fputs(i ? ", " : "", f);
        json_str(f, obs.inputs[i]);
    }
    fprintf(f, "],\n  \"findings\": %llu,\n  \"counts\": [", (unsigned long long)obs.findings);
    for (size_t i = 0; i < obs.nrows; i++) {
        const count_row *r = &obs.rows[i];
        fprintf(f, "%s\n    {\"type\": ", i ? "," : "");
        json_str(f, r->type);
        fputs(", \"action\": ", f);
        json_str(f, r->action);
        fputs(", \"field\": ", f);
        json_str(f, r->field);
        fprintf(f, ", \"count\": %llu}", (unsigned long long)r->count);
    }
    fprintf(f, "%s],\n  \"by_type\": {", obs.nrows ? "\n  " : "");
    for (size_t i = 0; i < obs.nrows;) {
        uint64_t sum = 0;
        size_t j = i;
        while (j < obs.nrows && strcmp(obs.rows[j].type, obs.rows[i].type) == 0)
            sum += obs.rows[j++].count;
        fputs(i ? ", " : "", f);
        json_str(f, obs.rows[i].type);
        fprintf(f, ": %llu", (unsigned long long)sum);
        i = j;
    }
    const pii_stream_stats *t = &obs.total;
    fprintf(f,
            "},\n  \"records\": %llu,\n  \"lines\": %llu,\n  \"bytes_in\": %llu,\n"
            "  \"bytes_out\": %llu,\n  \"bytes_unfinished\": %llu,\n  \"duration_seconds\": %.3f,\n",
            (unsigned long long)obs.records, (unsigned long long)t->lines,
            (unsigned long long)t->bytes_in, (unsigned long long)t->bytes_out,
            (unsigned long long)t->bytes_unfinished, secs);
    fprintf(f, "  \"parse_errors\": {\"count\": %llu, \"records\": [",
            (unsigned long long)obs.parse_errors);
    for (size_t i = 0; i < obs.nbad; i++) {
        fprintf(f, "%s{\"input\": ", i ? ", " : "");
        json_str(f, obs.bad[i].file < obs.ninputs ? obs.inputs[obs.bad[i].file] : NULL);
        fprintf(f, ", \"line\": %llu}", (unsigned long long)obs.bad[i].line);
    }
    fprintf(f, "], \"not_listed\": %llu},\n", (unsigned long long)(obs.parse_errors - obs.nbad));
    fprintf(f,
            "  \"privacy\": {\"noised\": %llu, \"generalized\": %llu, \"not_understood\": %llu, "
            "\"max_record_epsilon\": %.17g, \"max_record_delta\": %.17g},\n",
            (unsigned long long)t->noised, (unsigned long long)t->generalized,
            (unsigned long long)t->not_understood, t->max_record_epsilon, t->max_record_delta);
    fprintf(f, "  \"pattern_limit_hits\": %llu\n}\n", (unsigned long long)t->limit_hits);
}

/* Write the report to obs.report through a temporary file in the same
 * directory and rename(2), so a reader never sees half a report. */
static int write_report(const char *how, int rc, double secs)
{
    const char *path = obs.report;
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (tmp == NULL) {
        fprintf(stderr, "piiscrub: --report: out of memory\n");
        return EXIT_INTERNAL;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        fprintf(stderr, "piiscrub: --report %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return EXIT_OUTPUT;
    }
    mode_t um = umask(0); /* mkstemp made it 0600: a report holds no data */
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    write_json(f, how, rc, secs);
    int bad = fflush(f) != 0 || ferror(f) || fsync(fd) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        fprintf(stderr, "piiscrub: --report %s: %s\n", path, strerror(e));
        unlink(tmp);
    }
    free(tmp);
    return bad ? EXIT_OUTPUT : EXIT_OK;
}

/* The summary on stderr: per type (scan), or type x action x field (--stats). */
static void write_summary(bool detail, double secs)
{
    fprintf(stderr, "piiscrub: %s summary\n", obs.scan ? "scan" : "run");
    if (detail && obs.nrows > 0) {
        fprintf(stderr, "  %-16s %-10s %-24s %10s\n", "TYPE", "ACTION", "FIELD", "COUNT");
        for (size_t i = 0; i < obs.nrows; i++) {
            const count_row *r = &obs.rows[i];
            fprintf(stderr, "  %-16s %-10s ", r->type, r->action ? r->action : "-");
            if (r->field == NULL)
                fprintf(stderr, "%-24s", "-");
            else
                pii_cli_json_write(stderr, r->field, strlen(r->field));
            fprintf(stderr, " %10llu\n", (unsigned long long)r->count);
        }
    }
    fprintf(stderr, "  %-16s %10s\n", "TYPE", "COUNT");
    for (size_t i = 0; i < obs.nrows;) {
        uint64_t sum = 0;
        size_t j = i;
        while (j < obs.nrows && strcmp(obs.rows[j].type, obs.rows[i].type) == 0)
            sum += obs.rows[j++].count;
        fprintf(stderr, "  %-16s %10llu\n", obs.rows[i].type, (unsigned long long)sum);
        i = j;
    }
    fprintf(stderr, "  %-16s %10llu\n", "total", (unsigned long long)obs.findings);
    fprintf(stderr,
            "  %llu records, %llu bytes in, %llu bytes out, %llu not parsed, %.3f s\n",
            (unsigned long long)obs.records, (unsigned long long)obs.total.bytes_in,
            (unsigned long long)obs.total.bytes_out, (unsigned long long)obs.parse_errors, secs);
    if (obs.total.max_record_epsilon > 0)
        fprintf(stderr, "  largest epsilon spent on one record: %g\n",
                obs.total.max_record_epsilon);
}

int pii_cli_obs_finish(int rc, const char *how)
{
    pii_cli_progress_end();
    if (!obs.observe)
        return rc;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - obs.t0.tv_sec) + (double)(t1.tv_nsec - obs.t0.tv_nsec) / 1e9;
    if (obs.nomem) {
        fprintf(stderr, "piiscrub: out of memory counting findings\n");
        if (rc == EXIT_OK)
            rc = EXIT_INTERNAL;
    }
    if (obs.scan) {
        int src = pii_cli_scan_finish();
        if (src != EXIT_OK && rc == EXIT_OK)
            rc = src;
        if (rc == EXIT_OK && pii_cli_scan_found())
            rc = EXIT_FOUND;
    }
    sort_rows();
    if (obs.report != NULL) {
        int rrc = write_report(how, rc, secs);
        if (rrc != EXIT_OK && (rc == EXIT_OK || rc == EXIT_FOUND))
            rc = rrc;
    }
    if (obs.scan || obs.stats)
        write_summary(obs.stats, secs);
    for (size_t i = 0; i < obs.nrows; i++) {
        free(obs.rows[i].type);
        free(obs.rows[i].action);
        free(obs.rows[i].field);
    }
    free(obs.rows);
    for (size_t i = 0; i < obs.ninputs; i++)
        free(obs.inputs[i]);
    free(obs.inputs);
    free(obs.cur_json);
    free(obs.bad);
    return rc;
}
