/*
 * engine_internal.h - engine and stream internals shared by the engine/ sources.
 */
#ifndef PII_ENGINE_INTERNAL_H
#define PII_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h> /* ssize_t */

#include "common/pii_buf.h"
#include "detect/detect.h"
#include "detect/patfile.h"
#include "engine/keys.h"
#include "engine/policy.h"
#include "transform/noise.h"
#include "piiscrub/piiscrub.h"

/* A record longer than the engine's window (pii_config_set_max_record;
 * by default this many bytes) is scanned in windows. */
#define PII_WINDOW_SIZE PII_MAX_RECORD_DEFAULT
/* Capacity of a stream's input buffer: a window plus its look-behind. A
 * record without newline is cut into windows whose edges fall at
 * k * PII_STREAM_IN_CAP - (k - 1) * (PII_DETECT_MAX_SPAN + PII_DETECT_LOOKBEHIND)
 * (k = 1, 2, ...) when no finding straddles the commit point. This is the
 * default; an engine's own is pii_engine_in_cap(). */
#define PII_STREAM_IN_CAP (PII_WINDOW_SIZE + PII_DETECT_LOOKBEHIND)

/* The most one read takes, serial (pii_run_stream) or parallel (one batch):
 * the bytes read, scanned and copied out in one round then stay in the
 * core's L2 cache (copying from the kernel and writing the output cost ~4%
 * more with 1 MiB rounds, on sparse and dense logs alike). */
#ifndef PII_BATCH_BYTES
#define PII_BATCH_BYTES ((size_t)256 << 10)
#endif

#define PII_MAX_COLUMNS 1024
#define PII_COLUMN_NAME_MAX 127

/* A per-field rule from a policy file (CSV column or JSON path). */
typedef struct {
    char *name;        /* header name or JSON path pattern */
    size_t column;     /* 1-based column when name is a number and there is no header, else 0 */
    bool scan;         /* run the detectors inside the value */
    bool drop;         /* remove the value */
    pii_action action; /* whole-value action when !scan && !drop */
    char *type;        /* entity type whose label/mask/token/fpe style applies, or NULL */
    int det;           /* engine: index of that type in det.det, or -1 */
    unsigned line, column_pos; /* where the policy defined it, for messages */
    bool noise;            /* differentially private noise by np */
    pii_noise_params np;
    bool generalize;       /* coarsen by gen (gen.key_field is owned) */
    pii_policy_generalize gen;
} pii_field_rule;

/* A user pattern file as given to the config; the engine parses it again
 * so that it owns its detector definitions outright. */
typedef struct {
    char *source;
    char *text;
    size_t len;
} pii_user_patterns;

struct pii_config {
    pii_def_list defs;      /* built-in, then user detectors */
    pii_entity_info *info;  /* parallel to defs (strings point into defs) */
    pii_action *action;     /* parallel to defs */
    bool *enabled;          /* parallel to defs */
    pii_user_patterns *user;
    size_t nuser;
    uint32_t today; /* 0: today's UTC date at engine build */
    uint8_t min_confidence;
    bool line_buffered;
    bool fpe_markers;
    bool detokenize;
    const volatile sig_atomic_t *stop; /* pii_config_set_stop_flag, borrowed */
    const volatile sig_atomic_t *reload; /* pii_config_set_reload_flag, borrowed */
    size_t window; /* pii_config_set_max_record */
    pii_keyring keys;
    pii_format format;
    uint8_t delim;
    bool header;
    bool on_error_stop;
    bool check_only; /* check-policy: do not load key files */
    pii_field_rule *rules;
    size_t nrules;
    bool seeded; /* noise from a seeded stream (tests only) */
    uint64_t seed;
    pii_finding_fn finding_fn; /* pii_config_set_finding_callback */
    void *finding_ctx;
    unsigned finding_flags;
    bool scan_only;
    pii_read_fn read_fn; /* pii_config_set_read_callback */
    void *read_ctx;
    int *keep_first; /* per def: mask override, -1 none */
    int *keep_last;
    char *policy_source;
};

struct pii_engine {
    pii_def_list defs;     /* owned copy (re-parsed) of the config's detectors */
    pii_detect_cfg det;    /* compiled, enabled detectors */
    pii_action *action;    /* per def index */
    bool line_buffered;
    const volatile sig_atomic_t *stop; /* stop on request (borrowed), or NULL */
    const volatile sig_atomic_t *reload; /* reload on request (borrowed), or NULL */
    size_t window;                     /* a longer record is scanned in windows */
    bool fpe_markers;
    bool detokenize;       /* reverse fpe markers instead of detecting */
    pii_keyring keys;      /* keys[0] encrypts; all decrypt */
    /* per enabled detector (index into det.det): [2 * d] token subkey,
     * [2 * d + 1] fpe subkey, derived from keys[0]; guarded memory */
    uint8_t *subkeys;
    pii_format format;
    uint8_t delim;
    bool header;
    bool on_error_stop;
    pii_field_rule *rules; /* owned copies */
    size_t nrules;
    pii_detector_def generic; /* for whole-value rules without a type */
    bool seeded;          /* noise from a seeded stream (tests only) */
    uint64_t seed;
    uint8_t *shift_key;   /* date_shift subkey (guarded), or NULL */
    uint8_t *field_token_key; /* token subkey of `generic` (guarded), or NULL */
    pii_finding_fn finding_fn; /* per-finding events, or NULL */
    void *finding_ctx;
    uint8_t *fp_key; /* fingerprint subkey (guarded): a key and PII_FINDING_FINGERPRINT */
    bool scan_only;  /* find only: nothing transformed */
    pii_read_fn read_fn; /* called after every read of the fd drivers, or NULL */
    void *read_ctx;
};

/* A hand-over between engines (pii_stream_suspend, pii_run_fd_resume). */
struct pii_resume {
    pii_buf hdr;        /* the CSV header record, without terminator */
    bool have_header;   /* the stream had passed its header (hdr may be empty) */
    pii_buf tail;       /* input not processed yet: the start of a record */
    bool text_fallback; /* a CSV stream scanning as text since a too long record */
    bool have_stats;
    pii_stream_stats stats; /* counters so far, without the tail's bytes */
};

/* Empty r, wiping the input bytes it held. */
void pii_resume_clear(pii_resume *r);

/* Parse the embedded built-in pattern files into *out. */
PII_NODISCARD pii_status pii_builtin_defs(pii_def_list *out, pii_error *err);

/* Make s as new but keep its buffers and key contexts (a worker reuses one
 * stream for many batches); seeded noise then draws from stream `id` of
 * the seed (pii_stream_new uses 0). */
void pii_stream_restart(pii_stream *s, uint64_t id);

/* Zero-copy input for pii_run_fd: a writable window at the end of the
 * stream's input buffer. Always at least 1 byte unless finished. */
void pii_stream_input_space(pii_stream *s, uint8_t **ptr, size_t *room);

/* Declare that n bytes were written into the window; processes what is
 * complete and appends the result to the stream's pending output. */
PII_NODISCARD pii_status pii_stream_input_commit(pii_stream *s, size_t n, pii_error *err);

/* Pending output [*ptr, *ptr + *len) and marking it delivered. */
void pii_stream_output_pending(const pii_stream *s, const uint8_t **ptr, size_t *len);
void pii_stream_output_consumed(pii_stream *s, size_t n);

/* End of input: process everything left (the last, unterminated record). */
PII_NODISCARD pii_status pii_stream_end(pii_stream *s, pii_error *err);

/* Capacity of a stream's input buffer for engine e: its window plus the
 * look-behind (see PII_STREAM_IN_CAP). */
static inline size_t pii_engine_in_cap(const pii_engine *e)
{
    return e->window + PII_DETECT_LOOKBEHIND;
}

/* Events of s go to fn(ev, ctx) instead of the engine's callback (the
 * parallel driver buffers them per batch); offsets, lines and records are
 * then relative to the stream's input. Only for an engine with a callback. */
void pii_stream_set_event_sink(pii_stream *s, pii_finding_fn fn, void *ctx);

/* Positions in events: the first `skip` bytes of the stream's input (a
 * primed CSV header: skip_lines '\n', skip_records records) report
 * nothing and are not counted; the rest is reported as if the stream's
 * input started at input offset base_off, line base_line + 1, after
 * base_rec records. pii_stream_new/restart reset it to all 0. */
void pii_stream_set_origin(pii_stream *s, uint64_t skip, uint64_t skip_lines,
                           uint64_t skip_records, uint64_t base_off, uint64_t base_line,
                           uint64_t base_rec);

/* '\n' in the stream's input so far (with a finding callback; else 0). */
uint64_t pii_stream_newlines(const pii_stream *s);

/* The engine s was created with. */
const pii_engine *pii_stream_engine(const pii_stream *s);

/* Whether part of the current record was already processed and written
 * (a record longer than the window): stopping now would cut it. */
bool pii_stream_mid_record(const pii_stream *s);

/* Stop on request: at an end of input that a stop made, the incomplete
 * last record is not processed but counted in bytes_unfinished. */
void pii_stream_abandon(pii_stream *s);

/* run.c: write all of p[0, n) to fd, or read up to n bytes from fd into
 * *got (0 at end of input); on failure the error names the operation and
 * errno. A set stop flag (may be NULL) makes the read PII_E_STOPPED, a set
 * reload flag (may be NULL) PII_E_RELOAD. */
PII_NODISCARD pii_status pii_run_write(int fd, const void *p, size_t n, pii_error *err);
PII_NODISCARD pii_status pii_run_read(int fd, void *p, size_t n,
                                      const volatile sig_atomic_t *stop,
                                      const volatile sig_atomic_t *reload, size_t *got,
                                      pii_error *err);

/* run.c: tell the engine's read callback about n bytes read. */
static inline void pii_run_progress(const pii_engine *e, size_t n)
{
    if (e->read_fn != NULL && n > 0)
        e->read_fn(n, e->read_ctx);
}

/* run.c: pii_redact_buffer that also returns the stream's counters
 * (stats may be NULL); events false: no finding events. */
PII_NODISCARD pii_status pii_run_buffer(const pii_engine *engine, const void *in, size_t in_len,
                                        char **out, size_t *out_len, pii_stream_stats *stats,
                                        bool events, pii_error *err);

/* run.c: drive stream s to the end of the input - `prime` first, whose
 * prime_len bytes of output are dropped (a CSV header that primes a
 * stream which did not start the output), then head[0, head_len), then
 * in_fd until end of input (in_fd < 0: nothing more) - writing output to
 * out_fd after every read. With the engine's stop flag set it returns
 * PII_E_STOPPED at the first record end (pii_config_set_stop_flag). With
 * r (may be NULL), what r holds comes after prime and before head, and
 * the engine's reload flag makes it return PII_E_RELOAD at the first
 * record end with the rest in r (pii_run_fd_resume). */
PII_NODISCARD pii_status pii_run_stream(pii_stream *s, pii_resume *r, const void *prime,
                                        size_t prime_len, const void *head, size_t head_len,
                                        int in_fd, int out_fd, pii_error *err);

/* run.c: pii_run_fd_resume with one thread. */
PII_NODISCARD pii_status pii_run_fd_single(const pii_engine *engine, pii_resume *r,
                                           const void *head, size_t head_len, int in_fd,
                                           int out_fd, pii_stream_stats *stats, pii_error *err);

#endif /* PII_ENGINE_INTERNAL_H */
