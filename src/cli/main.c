/*
 * main.c - the piiscrub command: parses arguments, builds an engine through
 * the public API and runs it over stdin or the named files. It includes
 * only <piiscrub/piiscrub.h>; everything that touches data lives in the
 * library.
 *
 * Exit codes are part of the interface (README, --help):
 *   0 success (also when the reader of stdout went away: EPIPE)
 *   2 usage or configuration error
 *   3 input error: a file cannot be opened or read
 *   4 output error: writing stdout failed (disk full, I/O error)
 *   5 internal error or out of memory
 * 1 is reserved for `piiscrub scan`: personal data found.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "follow.h"
#include "reload.h"
#include "report.h"
#include "piiscrub/piiscrub.h"

static const char usage_text[] =
    "Usage: piiscrub [OPTIONS] [FILE...]\n"
    "       piiscrub entities [--patterns FILE] [--tsv]\n"
    "       piiscrub keygen [-o FILE]\n"
    "       piiscrub check-policy FILE [--patterns FILE]...\n"
    "       piiscrub detokenize [--key-file FILE]... [FILE...]\n"
    "       piiscrub scan [OPTIONS] [--fail-on TYPE[,TYPE...]] [FILE...]\n"
    "\n"
    "Find personal data (phones, IDs, cards, e-mails, IPs...) in text and write\n"
    "the text to stdout with each finding masked, redacted or kept. Reads the\n"
    "FILEs in order, or stdin when none is given or FILE is '-'.\n"
    "\n"
    "Options (a short option's value may be attached: -j4, -oemail):\n"
    "  -a, --action TYPE=ACTION  action for an entity type (repeatable); ACTION is\n"
    "                            mask (default), redact, keep, token (keyed one-way token)\n"
    "                            or fpe (format-preserving encryption, reversible with\n"
    "                            the key); TYPE 'all' sets every type (all=fpe fails:\n"
    "                            not every type has a format-preserving form)\n"
    "  -o, --only TYPE[,TYPE...] detect only these entity types\n"
    "  -p, --patterns FILE       add detectors from a pattern file (repeatable; see\n"
    "                            patterns/README.md); their types work with --action/--only\n"
    "      --min-confidence N    ignore findings below confidence N (0-100, default 50)\n"
    "  -k, --key-file FILE       key for the token and fpe actions and for detokenize\n"
    "                            (repeatable: the first encrypts, all decrypt); default:\n"
    "                            the file named by $PIISCRUB_KEY_FILE. Never on argv.\n"
    "  -f, --format FORMAT       text, csv, tsv, jsonl or auto (default text; auto\n"
    "                            sniffs the first record of each input)\n"
    "      --delimiter C         CSV field delimiter (default ',' for csv, tab for tsv;\n"
    "                            'tab' or '\\t' for a tab)\n"
    "      --no-header           the first CSV record is data; policy fields name\n"
    "                            columns by 1-based index\n"
    "      --policy FILE         YAML policy: defaults, entities, fields (see\n"
    "                            examples/policy.yaml)\n"
    "      --on-error MODE       a record that cannot be parsed is scanned as text and\n"
    "                            counted (scan, default) or stops piiscrub (stop)\n"
    "      --no-fpe-markers      write fpe values bare, without {{fpe:KEYID:TYPE:...}}\n"
    "                            (detokenize then cannot find them in free text)\n"
    "      --max-record SIZE     the longest record processed whole (default 1M, 64K to\n"
    "                            256M; K/M/G suffixes); a longer one is processed in\n"
    "                            overlapping windows, never cut and never passed raw\n";
/* the rest of --help (one literal would pass the 4095 bytes C requires
 * compilers to support) */
static const char usage_text2[] =
    "      --follow FILE         follow FILE like tail -F: wait for it to grow, go on\n"
    "                            across rotation (rename or truncation); one thread;\n"
    "                            stop with SIGTERM/SIGINT, reload with SIGHUP\n"
    "      --state FILE          with --follow: keep the position after the last\n"
    "                            complete record written in FILE, and resume from it\n"
    "      --line-buffered       write each line's output as soon as it is complete\n"
    "                            (piiscrub already writes after every read; kept for\n"
    "                            scripts that ask for it explicitly)\n"
    "      --today YYYYMMDD      latest accepted birth date in ID numbers (tests only;\n"
    "                            default: today, UTC)\n"
    "  -j, --threads N           worker threads (default: the number of CPUs, at most\n"
    "                            8); output is in input order, the same bytes as -j 1\n"
    "      --seed N              TESTS ONLY: reproducible noise for policy 'noise' fields;\n"
    "                            the output is then NOT private (a warning says so)\n"
    "      --report FILE         write counts (type x action x field), records, bytes,\n"
    "                            duration, unparsed records and epsilon as JSON to FILE\n"
    "                            (never a value); --stats: the same summary on stderr\n"
    "      --progress            a progress line on stderr when it is a terminal\n"
    "  -h, --help                show this help and exit\n"
    "  -V, --version             show the version and exit\n"
    "\n"
    "Commands:\n"
    "  entities                  list the entity types with an example of each\n"
    "                            (--tsv: tab-separated, for scripts)\n"
    "  keygen                    write a new 256-bit key (mode 0600) to FILE or stdout\n"
    "                            (-o: an existing FILE is an error)\n"
    "  check-policy              check a policy file (structure, names, types) without\n"
    "                            reading data or keys; exit 0 when it is valid\n"
    "  detokenize                restore the original bytes of fpe values (markers)\n"
    "  scan                      find only: one JSON line per finding on stdout (file,\n"
    "                            line, offset, length, type, detector, confidence,\n"
    "                            action, field; with a key a keyed fingerprint; never\n"
    "                            the value) and a summary on stderr; nothing else is\n"
    "                            written. Exit 1 when something was found (--fail-on\n"
    "                            TYPES: one of these types), 0 when nothing was\n"
    "                            (other statuses as below)\n"
    "\n"
    "Signals: SIGTERM and SIGINT stop piiscrub at the next record end: the output\n"
    "ends with the last complete record (an incomplete one is not written), exit 0.\n"
    "SIGHUP reloads the --policy, key and --patterns files (options on top, as at\n"
    "start-up) at a record end: the records read before it keep the old\n"
    "configuration (-j N: the batches in flight are written first), the rest get\n"
    "the new one; a file that does not load keeps the old one, and stderr says why.\n"
    "\n"
    "Exit status: 0 success (also when stdout's reader goes away, or when stopped\n"
    "by SIGTERM/SIGINT), 1 scan found personal data, 2 usage or configuration\n"
    "error, 3 input error, 4 output error, 5 internal error or a record that cannot\n"
    "be parsed with --on-error=stop.\n";

void pii_cli_die_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "piiscrub: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'piiscrub --help' for more information.\n");
    va_end(ap);
    exit(EXIT_USAGE);
}

/* Make sure fds 0, 1 and 2 are open, so that a file we open never becomes
 * "stdout" by accident (curl's tool_main does the same). */
/* SIGTERM / SIGINT: stop at the next record end (pii_config_set_stop_flag). */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

/* SIGHUP: reload the policy and keys at the next record end
 * (pii_config_set_reload_flag, reload.c). Caught from the start, so that a
 * HUP during start-up does not kill piiscrub: it is a reload then. */
static volatile sig_atomic_t reload_signal;

static void on_hangup(int sig)
{
    (void)sig;
    reload_signal = 1;
}

static void catch_hangup(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_hangup;
    sigemptyset(&sa.sa_mask);
    /* SA_RESTART: a write to a slow stdout (`piiscrub entities | less`) is
     * not cut short; the drivers wait for input in poll(2), which a signal
     * interrupts all the same, and then look at the flag */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &sa, NULL);
}

static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns to look at the flag */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

static void ensure_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (n < 0 || n != fd)
                exit(EXIT_INTERNAL);
        }
    }
}

/* Flush and close stdout; a failure (disk full) is an output error. */
static int finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, "piiscrub: writing to stdout failed: %s\n", strerror(errno));
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}

static int list_entities(const pii_config *cfg, bool tsv)
{
    for (size_t i = 0; i <= pii_config_entity_count(cfg); i++) {
        const pii_entity_info *e = i ? pii_config_entity_get(cfg, i - 1) : NULL;
        const char *c[5] = {"TYPE", "DEFAULT", "KIND", "EXAMPLE", "FINDS"};
        if (e != NULL) {
            c[0] = e->name;
            c[1] = pii_action_name(e->default_action);
            c[2] = e->kind;
            c[3] = e->example;
            c[4] = e->description;
        }
        if (tsv)
            printf("%s\t%s\t%s\t%s\t%s\n", c[0], c[1], c[2], c[3], c[4]);
        else
            printf("%-12s %-8s %-10s %-30s %s\n", c[0], c[1], c[2], c[3], c[4]);
    }
    return finish_stdout();
}

static void load_patterns(pii_config *cfg, const char *path)
{
    pii_error err;
    pii_status st = pii_config_add_patterns_file(cfg, path, &err);
    if (st != PII_OK) {
        fprintf(stderr, "piiscrub: %s\n", err.msg);
        exit(st == PII_E_IO ? EXIT_INPUT : EXIT_USAGE);
    }
}

static void apply_action(pii_config *cfg, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (eq == NULL || eq == spec)
        pii_cli_die_usage("--action expects TYPE=ACTION, got '%s'", spec);
    char type[64];
    size_t tl = (size_t)(eq - spec);
    if (tl >= sizeof(type))
        pii_cli_die_usage("unknown entity type in '%s'", spec);
    memcpy(type, spec, tl);
    type[tl] = '\0';
    pii_action act;
    if (pii_action_from_name(eq + 1, &act) != PII_OK)
        pii_cli_die_usage("unknown action '%s' (expected mask, redact, keep, token or fpe)", eq + 1);
    pii_error err;
    if (strcmp(type, "all") == 0) {
        for (size_t i = 0; i < pii_config_entity_count(cfg); i++) {
            if (pii_config_set_action(cfg, pii_config_entity_get(cfg, i)->name, act, &err) != PII_OK)
                pii_cli_die_usage("%s", err.msg);
        }
    } else if (pii_config_set_action(cfg, type, act, &err) != PII_OK) {
        pii_cli_die_usage("%s", err.msg);
    }
}

static void apply_only(pii_config *cfg, const char *list)
{
    pii_config_disable_all(cfg);
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char type[64];
        if (n == 0 || n >= sizeof(type))
            pii_cli_die_usage("--only expects TYPE[,TYPE...], got '%s'", list);
        memcpy(type, p, n);
        type[n] = '\0';
        pii_error err;
        if (pii_config_set_enabled(cfg, type, true, &err) != PII_OK)
            pii_cli_die_usage("%s", err.msg);
        if (comma == NULL)
            break;
        p = comma + 1;
    }
}

static int exit_for(pii_status st)
{
    switch (st) {
    case PII_OK:
    case PII_E_PIPE:
    case PII_E_STOPPED:
        return EXIT_OK;
    case PII_E_RELOAD: /* handled by pii_cli_run_fd */
    case PII_E_IO:
        return EXIT_OUTPUT; /* input errors are classified by the caller */
    case PII_E_CONFIG:
    case PII_E_PATTERN:
        return EXIT_USAGE;
    case PII_E_NOMEM:
    case PII_E_PARSE:
    case PII_E_LIMIT:
    case PII_E_CRYPTO:
    case PII_E_INTERNAL:
        return EXIT_INTERNAL;
    }
    return EXIT_INTERNAL;
}

/* A size: decimal digits with an optional K, M or G (binary units). */
static size_t size_arg(const char *v, const char *opt)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (!isdigit((unsigned char)v[0]) || errno || (shift > 0 && end[1] != '\0') ||
        (shift == 0 && *end != '\0') || n > (SIZE_MAX >> shift))
        pii_cli_die_usage("%s expects a size such as 65536, 512K or 4M, got '%s'", opt, v);
    return (size_t)n << shift;
}

/* The value of a numeric option: decimal digits only, in [lo, hi]; any
 * other text ends the program with a usage error naming `what`. */
static unsigned long long number_arg(const char *v, unsigned long long lo, unsigned long long hi,
                                     const char *opt, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!isdigit((unsigned char)v[0]) || errno || *end || n < lo || n > hi)
        pii_cli_die_usage("%s expects %s, got '%s'", opt, what, v);
    return n;
}

/* Long options that take a value accept "--opt VALUE" and "--opt=VALUE". */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) == 0 && a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc)
        pii_cli_die_usage("option '%s' needs a value", name);
    return argv[++*i];
}

static int is_opt(const char *a, const char *shrt, const char *lng)
{
    size_t n = strlen(lng);
    return (shrt && strcmp(a, shrt) == 0) || strcmp(a, lng) == 0 ||
           (strncmp(a, lng, n) == 0 && a[n] == '=');
}

/* `piiscrub keygen [-o FILE]`: a new key, to a new 0600 file or stdout. */
static int keygen(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            path = argv[++i];
        else
            pii_cli_die_usage("keygen takes only -o FILE, got '%s'", argv[i]);
    }
    char buf[256];
    size_t len = 0;
    pii_error err;
    if (pii_key_generate(buf, sizeof(buf), &len, &err) != PII_OK) {
        fprintf(stderr, "piiscrub: %s\n", err.msg);
        return EXIT_INTERNAL;
    }
    int rc = EXIT_OK;
    int fd = STDOUT_FILENO;
    if (path != NULL) {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            fprintf(stderr, "piiscrub: keygen: %s: %s\n", path, strerror(errno));
            pii_wipe(buf, sizeof(buf));
            return errno == EEXIST ? EXIT_USAGE : EXIT_OUTPUT;
        }
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "piiscrub: keygen: write failed: %s\n", strerror(errno));
            rc = EXIT_OUTPUT;
            break;
        }
        off += (size_t)w;
    }
    pii_wipe(buf, sizeof(buf));
    if (path != NULL && (fsync(fd) != 0 || close(fd) != 0) && rc == EXIT_OK) {
        fprintf(stderr, "piiscrub: keygen: %s: %s\n", path, strerror(errno));
        rc = EXIT_OUTPUT;
    }
    return rc;
}

static void load_key(pii_config *cfg, const char *path)
{
    pii_error err;
    pii_status st = pii_config_add_key_file(cfg, path, &err);
    if (st != PII_OK) {
        fprintf(stderr, "piiscrub: %s\n", err.msg);
        exit(st == PII_E_IO ? EXIT_INPUT : EXIT_USAGE);
    }
}

static char **split_argv; /* from split_short_values, freed at exit */

static void free_split_argv(void)
{
    free(split_argv);
}

/* Split "-j4" into "-j" "4" for the short options that take a value (as
 * getopt does), up to "--"; the result points into argv. NULL when out
 * of memory. */
static char **split_short_values(int argc, char **argv, int *out_argc)
{
    static char with_value[][3] = {"-p", "-k", "-f", "-a", "-o", "-j"};
    char **v = malloc(((size_t)argc * 2 + 1) * sizeof(*v));
    if (v == NULL)
        return NULL;
    int n = 0;
    bool opts = true;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i > 0 && opts && strcmp(a, "--") == 0)
            opts = false;
        char *shrt = NULL; /* "-j" when a is "-j4" */
        if (i > 0 && opts && a[0] == '-' && a[1] != '-' && a[1] != '\0' && a[2] != '\0') {
            for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]) && shrt == NULL; k++)
                shrt = a[1] == with_value[k][1] ? with_value[k] : NULL;
        }
        if (shrt != NULL)
            v[n++] = shrt;
        v[n++] = shrt != NULL ? argv[i] + 2 : argv[i];
    }
    v[n] = NULL;
    *out_argc = n;
    return v;
}

int main(int argc, char **argv)
{
    ensure_std_fds();
    signal(SIGPIPE, SIG_IGN); /* writes then fail with EPIPE, which we handle */
    catch_hangup();

    split_argv = split_short_values(argc, argv, &argc);
    if (split_argv == NULL || atexit(free_split_argv) != 0) {
        fprintf(stderr, "piiscrub: out of memory\n");
        return EXIT_INTERNAL;
    }
    argv = split_argv;

    if (argc >= 2 && strcmp(argv[1], "keygen") == 0)
        return keygen(argc, argv);

    pii_config *cfg = pii_config_new();
    if (cfg == NULL) {
        fprintf(stderr, "piiscrub: out of memory\n");
        return EXIT_INTERNAL;
    }
    int first = 1;
    bool entities = argc >= 2 && strcmp(argv[1], "entities") == 0;
    bool detokenize = argc >= 2 && strcmp(argv[1], "detokenize") == 0;
    bool scan = argc >= 2 && strcmp(argv[1], "scan") == 0;
    bool tsv = false, any_key = false;
    if (entities || detokenize || scan)
        first = 2;
    pii_config_set_detokenize(cfg, detokenize);
    /* pattern files first, so that --action and --only can name their types */
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (is_opt(a, "-p", "--patterns")) {
            load_patterns(cfg, opt_value(argc, argv, &i, strcmp(a, "-p") == 0 ? "-p" : "--patterns"));
        } else if (!entities && is_opt(a, "-k", "--key-file")) {
            load_key(cfg, opt_value(argc, argv, &i, strcmp(a, "-k") == 0 ? "-k" : "--key-file"));
            any_key = true;
        } else if (entities && strcmp(a, "--tsv") == 0)
            tsv = true;
        else if (entities)
            pii_cli_die_usage("entities takes only --patterns and --tsv, got '%s'", a);
    }
    if (entities) {
        int rc = list_entities(cfg, tsv);
        pii_config_free(cfg);
        return rc;
    }
    /* policies after pattern files (they may name user types), before keys
     * on the command line are used */
    const char *policy = NULL;
    bool check_only = argc >= 2 && strcmp(argv[1], "check-policy") == 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (is_opt(argv[i], NULL, "--policy"))
            policy = opt_value(argc, argv, &i, "--policy");
    }
    if (check_only) {
        if (argc < 3)
            pii_cli_die_usage("%s", "check-policy needs a FILE");
        policy = argv[2];
    }
    if (policy != NULL) {
        pii_error perr;
        pii_config_set_check_only(cfg, check_only);
        pii_status pst = pii_config_load_policy(cfg, policy, &perr);
        if (pst != PII_OK) {
            fprintf(stderr, "piiscrub: %s\n", perr.msg);
            pii_config_free(cfg);
            return pst == PII_E_IO ? EXIT_INPUT : EXIT_USAGE;
        }
        if (check_only) {
            /* structure, names and types are checked; keys are not read */
            pii_config_free(cfg);
            fprintf(stderr, "piiscrub: %s: policy OK\n", policy);
            return EXIT_OK;
        }
    }
    const char *env_key = getenv("PIISCRUB_KEY_FILE");
    if (!any_key && env_key != NULL && *env_key != '\0')
        load_key(cfg, env_key);
    int nfiles = 0;
    char **files = calloc((size_t)argc, sizeof(char *));
    if (files == NULL) {
        fprintf(stderr, "piiscrub: out of memory\n");
        return EXIT_INTERNAL;
    }
    int only_args = 0;
    pii_format format = PII_FORMAT_TEXT;
    bool format_auto = false, header = true, sniff_stdin = false;
    static char sniff_buf[65536];
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (unsigned)ncpu;
    size_t sniff_len = 0;
    char delim = 0;
    const char *follow = NULL, *state = NULL;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!only_args && is_opt(a, "-p", "--patterns")) {
            (void)opt_value(argc, argv, &i, strcmp(a, "-p") == 0 ? "-p" : "--patterns");
            continue; /* loaded above */
        }
        if (!only_args && is_opt(a, "-k", "--key-file")) {
            (void)opt_value(argc, argv, &i, strcmp(a, "-k") == 0 ? "-k" : "--key-file");
            continue; /* loaded above */
        }
        if (!only_args && strcmp(a, "--no-fpe-markers") == 0) {
            pii_config_set_fpe_markers(cfg, false);
            continue;
        }
        if (!only_args && is_opt(a, NULL, "--policy")) {
            (void)opt_value(argc, argv, &i, "--policy");
            continue; /* loaded above */
        }
        if (!only_args && is_opt(a, "-f", "--format")) {
            const char *v = opt_value(argc, argv, &i, strcmp(a, "-f") == 0 ? "-f" : "--format");
            if (strcmp(v, "text") == 0)
                format = PII_FORMAT_TEXT;
            else if (strcmp(v, "csv") == 0)
                format = PII_FORMAT_CSV;
            else if (strcmp(v, "tsv") == 0)
                format = PII_FORMAT_TSV;
            else if (strcmp(v, "jsonl") == 0)
                format = PII_FORMAT_JSONL;
            else if (strcmp(v, "auto") == 0)
                format_auto = true;
            else
                pii_cli_die_usage("--format expects text, csv, tsv, jsonl or auto, got '%s'", v);
            continue;
        }
        if (!only_args && is_opt(a, NULL, "--delimiter")) {
            const char *v = opt_value(argc, argv, &i, "--delimiter");
            if (strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0)
                delim = '\t';
            else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' && v[0] != '\r')
                delim = v[0];
            else
                pii_cli_die_usage("--delimiter expects one character (or 'tab'), got '%s'", v);
            continue;
        }
        if (!only_args && !detokenize && pii_cli_obs_option(argc, argv, &i, scan))
            continue; /* --report, --stats, --progress, --fail-on (report.c) */
        if (!only_args && strcmp(a, "--no-header") == 0) {
            header = false;
            continue;
        }
        if (!only_args && is_opt(a, NULL, "--on-error")) {
            const char *v = opt_value(argc, argv, &i, "--on-error");
            if (strcmp(v, "stop") == 0)
                pii_config_set_stop_on_parse_error(cfg, true);
            else if (strcmp(v, "scan") != 0)
                pii_cli_die_usage("--on-error expects scan or stop, got '%s'", v);
            continue;
        }
        if (detokenize && !only_args && a[0] == '-' && strcmp(a, "-") != 0 && strcmp(a, "--") != 0)
            pii_cli_die_usage("detokenize takes only --key-file and files, got '%s'", a);
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            files[nfiles++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            only_args = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "-V") == 0 ||
                   strcmp(a, "--version") == 0) {
            if (a[1] == 'h' || a[2] == 'h')
                fputs(usage_text, stdout), fputs(usage_text2, stdout);
            else
                printf("piiscrub %s\n", pii_version());
            pii_config_free(cfg);
            free(files);
            return finish_stdout();
        } else if (is_opt(a, "-a", "--action")) {
            apply_action(cfg, opt_value(argc, argv, &i, strcmp(a, "-a") == 0 ? "-a" : "--action"));
        } else if (is_opt(a, "-o", "--only")) {
            apply_only(cfg, opt_value(argc, argv, &i, strcmp(a, "-o") == 0 ? "-o" : "--only"));
        } else if (is_opt(a, NULL, "--min-confidence")) {
            const char *v = opt_value(argc, argv, &i, "--min-confidence");
            pii_config_set_min_confidence(cfg, (unsigned)number_arg(v, 0, 100, "--min-confidence",
                                                                    "0-100"));
        } else if (strcmp(a, "--line-buffered") == 0) {
            pii_config_set_line_buffered(cfg, true);
        } else if (is_opt(a, NULL, "--max-record")) {
            const char *v = opt_value(argc, argv, &i, "--max-record");
            if (pii_config_set_max_record(cfg, size_arg(v, "--max-record")) != PII_OK)
                pii_cli_die_usage("--max-record expects a size from 64K to 256M, got '%s'", v);
        } else if (is_opt(a, NULL, "--follow")) {
            follow = opt_value(argc, argv, &i, "--follow");
        } else if (is_opt(a, NULL, "--state")) {
            state = opt_value(argc, argv, &i, "--state");
        } else if (is_opt(a, "-j", "--threads")) {
            const char *v = opt_value(argc, argv, &i, strcmp(a, "-j") == 0 ? "-j" : "--threads");
            threads = (unsigned)number_arg(v, 1, 64, "--threads", "1 to 64");
        } else if (is_opt(a, NULL, "--seed")) {
            const char *v = opt_value(argc, argv, &i, "--seed");
            pii_config_set_noise_seed(cfg, (uint64_t)number_arg(v, 0, UINT64_MAX, "--seed",
                                                                "a number from 0 to 2^64-1"));
            fprintf(stderr, "piiscrub: warning: --seed makes the noise reproducible: the output is "
                            "NOT private; use it for tests only\n");
        } else if (is_opt(a, NULL, "--today")) {
            const char *v = opt_value(argc, argv, &i, "--today");
            pii_config_set_today(cfg, (uint32_t)number_arg(v, 10000101, 99991231, "--today",
                                                           "YYYYMMDD"));
        } else {
            pii_cli_die_usage("unknown option '%s'", a);
        }
    }

    if (state != NULL && follow == NULL)
        pii_cli_die_usage("%s", "--state needs --follow FILE");
    if (follow != NULL && nfiles > 0)
        pii_cli_die_usage("--follow reads only its FILE; got '%s' as well", files[0]);
    if (follow != NULL && scan)
        pii_cli_die_usage("%s", "scan does not take --follow");
    if (follow != NULL && format_auto)
        pii_cli_die_usage("%s", "--follow needs a --format other than auto");
    if (format_auto && nfiles <= 1) {
        /* sniff the first record: peek at the file (or stdin's pipe buffer
         * is not rewindable, so for stdin piiscrub reads ahead itself) */
        const char *f0 = nfiles ? files[0] : "-";
        if (strcmp(f0, "-") != 0) {
            FILE *fp = fopen(f0, "rb");
            if (fp != NULL) {
                char head[4096];
                size_t hn = fread(head, 1, sizeof(head), fp);
                fclose(fp);
                format = pii_format_sniff(head, hn, &delim);
            }
        } else {
            sniff_stdin = true;
        }
    }
    pii_error err;
    if (sniff_stdin) {
        /* read the first chunk of stdin, sniff it, and hand it to the
         * engine in front of the rest */
        ssize_t hn;
        do {
            hn = read(STDIN_FILENO, sniff_buf, sizeof(sniff_buf));
        } while (hn < 0 && errno == EINTR);
        sniff_len = hn > 0 ? (size_t)hn : 0;
        format = pii_format_sniff(sniff_buf, sniff_len, &delim);
    }
    pii_config_set_format(cfg, format, delim, header);
    int orc = pii_cli_obs_setup(cfg, scan, files, nfiles, follow != NULL);
    if (orc != 0) {
        pii_config_free(cfg);
        free(files);
        return orc;
    }
    pii_config_set_stop_flag(cfg, &stop_signal);
    pii_config_set_reload_flag(cfg, &reload_signal);
    catch_stop_signals();
    pii_cli_setup cs = {.argc = argc,     .argv = argv,           .first = first,
                        .detokenize = detokenize, .format = format, .delim = delim,
                        .header = header, .stop = &stop_signal, .reload = &reload_signal};
    pii_status st = pii_engine_new(cfg, &cs.eng, &err);
    pii_config_free(cfg);
    if (st != PII_OK) {
        fprintf(stderr, "piiscrub: %s\n", err.msg);
        free(files);
        return exit_for(st);
    }

    int rc = EXIT_OK;
    const char *how = "complete"; /* for --report */
    int out_fd = scan ? -1 : STDOUT_FILENO; /* scan writes findings, not data */
    if (follow != NULL) {
        rc = pii_cli_follow(&cs, follow, state);
        nfiles = 0; /* nothing else to read */
    } else if (nfiles == 0) {
        files[nfiles++] = "-";
    }
    for (int i = 0; i < nfiles && rc == EXIT_OK; i++) {
        int fd = 0;
        if (strcmp(files[i], "-") != 0) {
            fd = open(files[i], O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                fprintf(stderr, "piiscrub: %s: %s\n", files[i], strerror(errno));
                rc = EXIT_INPUT;
                break;
            }
        }
        pii_stream_stats stats = {0};
        pii_cli_obs_input(files[i]);
        if (fd == 0 && sniff_len > 0) {
            st = pii_cli_run_fd(&cs, sniff_buf, sniff_len, fd, out_fd, threads, &stats, &err);
            sniff_len = 0;
        } else {
            st = pii_cli_run_fd(&cs, NULL, 0, fd, out_fd, threads, &stats, &err);
        }
        pii_cli_obs_input_done(&stats, format);
        if (stats.parse_errors > 0)
            fprintf(stderr,
                    "piiscrub: %s: %llu of %llu records could not be parsed as %s; they were "
                    "scanned as text\n",
                    strcmp(files[i], "-") ? files[i] : "(stdin)",
                    (unsigned long long)stats.parse_errors, (unsigned long long)stats.records,
                    format == PII_FORMAT_JSONL ? "JSON" : "CSV");
        if (stats.not_understood > 0)
            fprintf(stderr,
                    "piiscrub: %s: %llu values of noise/generalize fields were not understood "
                    "(not a number, date, address or IPv4 address, or no date_shift subject); "
                    "they were redacted\n",
                    strcmp(files[i], "-") ? files[i] : "(stdin)",
                    (unsigned long long)stats.not_understood);
        if (stats.limit_hits > 0)
            fprintf(stderr,
                    "piiscrub: %s: %llu pattern match%s hit the PCRE2 match or depth limit; the "
                    "rest of each such line was redacted\n",
                    strcmp(files[i], "-") ? files[i] : "(stdin)",
                    (unsigned long long)stats.limit_hits, stats.limit_hits == 1 ? "" : "es");
        char report[4096];
        size_t rn = pii_engine_privacy_report(cs.eng, &stats, report, sizeof(report));
        if (rn > 0 && !scan)
            fputs(report, stderr);
        if (fd != 0)
            close(fd);
        if (st == PII_E_PIPE)
            break; /* reader went away: stop quietly, like other filters */
        if (st == PII_E_STOPPED) {
            how = "stopped";
            fprintf(stderr, "piiscrub: %s: stopped by %s after the last complete record",
                    strcmp(files[i], "-") ? files[i] : "(stdin)",
                    stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
            if (stats.bytes_unfinished > 0)
                fprintf(stderr, "; the %llu bytes of an incomplete record after it were not "
                                "written",
                        (unsigned long long)stats.bytes_unfinished);
            fputc('\n', stderr);
            break; /* exit 0: everything read up to a record end is written */
        }
        if (st != PII_OK) {
            int input_side = st == PII_E_IO && strncmp(err.msg, "read", 4) == 0;
            fprintf(stderr, "piiscrub: %s: %s\n", strcmp(files[i], "-") ? files[i] : "(stdin)",
                    err.msg);
            rc = input_side ? EXIT_INPUT : exit_for(st);
        }
    }
    rc = pii_cli_obs_finish(rc, rc != EXIT_OK ? "error" : how);
    pii_engine_free(cs.eng);
    free(files);
    if (close(STDOUT_FILENO) != 0 && errno != EBADF && rc == EXIT_OK) {
        fprintf(stderr, "piiscrub: closing stdout: %s\n", strerror(errno));
        rc = EXIT_OUTPUT;
    }
    return rc;
}
