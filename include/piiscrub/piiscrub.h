/*
 * piiscrub.h - the public API of libpiiscrub, a streaming PII finder and
 * transformer.
 *
 * Model
 *   pii_config   mutable settings (actions per entity type, enabled types).
 *   pii_engine   built once from a config; immutable afterwards and safe to
 *                share between threads.
 *   pii_stream   per-thread state: feed it bytes, get transformed bytes back.
 *
 * Ownership rule (stated once, applies everywhere): a function *borrows* its
 * pointer arguments for the duration of the call unless its comment says it
 * *takes ownership*; a function documented as returning an *owned* object
 * makes the caller responsible for the matching `_free`. Every `_free`
 * accepts NULL.
 *
 * Errors: functions return pii_status; PII_OK is 0. Values are pinned forever.
 * Details (never containing input bytes or key material) go into an optional
 * caller-owned pii_error.
 */
#ifndef PIISCRUB_H
#define PIISCRUB_H

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PII_API __attribute__((visibility("default")))
#define PII_NODISCARD __attribute__((warn_unused_result))
#else
#define PII_API
#define PII_NODISCARD
#endif

#define PII_VERSION_MAJOR 0
#define PII_VERSION_MINOR 1
#define PII_VERSION_PATCH 0
#define PII_VERSION_STRING "0.1.0"

/* The library's version string ("0.1.0"); static storage. */
PII_API const char *pii_version(void);

/* Status codes. Pinned: never renumbered; retired codes become PII_E_OBSOLETEn. */
typedef enum {
    PII_OK = 0,
    PII_E_NOMEM = 1,    /* an allocation failed */
    PII_E_IO = 2,       /* read or write failed (see pii_error.sys_errno) */
    PII_E_PARSE = 3,    /* input could not be understood */
    PII_E_LIMIT = 4,    /* a hard limit was reached */
    PII_E_CONFIG = 5,   /* invalid configuration: unknown type or action */
    PII_E_PATTERN = 6,  /* a user pattern failed to compile */
    PII_E_CRYPTO = 7,   /* a cryptographic primitive failed */
    PII_E_INTERNAL = 8, /* a bug or API misuse */
    PII_E_PIPE = 9,     /* output reader went away (EPIPE); not an error for a filter */
    PII_E_STOPPED = 10, /* stopped on request (pii_config_set_stop_flag) at a record end */
    PII_E_RELOAD = 11,  /* returned at a record end for a reload (pii_config_set_reload_flag) */
} pii_status;

/* A static, human-readable description of `status`; never NULL. */
PII_API const char *pii_strerror(pii_status status);

#define PII_ERROR_MSG_SIZE 256

/* Error details, owned by the caller. Messages never contain input data. */
typedef struct {
    pii_status status;
    int sys_errno;           /* errno for PII_E_IO / PII_E_PIPE, else 0 */
    uint64_t line;           /* 1-based record number where relevant, else 0 */
    uint64_t byte_offset;    /* 0-based input offset where relevant */
    char msg[PII_ERROR_MSG_SIZE];
} pii_error;

/* What to do with a finding. */
typedef enum {
    PII_ACTION_MASK = 0,   /* partial masking in the usual conventions (138****5678) */
    PII_ACTION_REDACT = 1, /* replace with a type label ([CN_MOBILE]) */
    PII_ACTION_KEEP = 2,   /* leave the value as it is (still counted) */
    PII_ACTION_TOKEN = 3,  /* keyed deterministic one-way token (tok_cn_mobile_...); needs a key */
    PII_ACTION_FPE = 4,    /* FF1 format-preserving encryption, reversible; needs a key */
} pii_action;

/* Parse "mask" / "redact" / "keep" / "token" / "fpe". PII_E_CONFIG if unknown. */
PII_API PII_NODISCARD pii_status pii_action_from_name(const char *name, pii_action *out);

/* The action's name ("mask", ...); static storage; "?" if out of range. */
PII_API const char *pii_action_name(pii_action action);

/* Description of one entity type (a detector). */
typedef struct {
    const char *name;        /* CLI/policy name: "cn_mobile" */
    const char *label;       /* redaction label: "[CN_MOBILE]" */
    const char *description; /* one line, English */
    const char *example;     /* a synthetic example value ("" if none) */
    const char *kind;        /* candidate generator: "digits", "regex", ... */
    const char *source;      /* pattern file it was defined in */
    unsigned priority;
    pii_action default_action;
} pii_entity_info;

/* Number of built-in entity types (from patterns/builtin, embedded). */
PII_API size_t pii_entity_count(void);

/* Info for built-in entity `index` (0 <= index < pii_entity_count()), or
 * NULL. Strings have static storage. Thread-safe. */
PII_API const pii_entity_info *pii_entity_get(size_t index);

/* ---- configuration ---------------------------------------------------- */

typedef struct pii_config pii_config;

/* Returns an owned config with every built-in entity enabled and its default
 * action, or NULL when out of memory. */
PII_API pii_config *pii_config_new(void);
PII_API void pii_config_free(pii_config *cfg);

/* Add user detectors from pattern-file text[0, len) (the format of
 * patterns/README.md); `source` names it in messages. The new types are
 * enabled with their default action. PII_E_PATTERN with file:line in err on
 * a bad file (nothing is added then). */
PII_API PII_NODISCARD pii_status pii_config_add_patterns(pii_config *cfg, const char *text,
                                                         size_t len, const char *source,
                                                         pii_error *err);

/* Same, reading the file at `path`. PII_E_IO when it cannot be read. */
PII_API PII_NODISCARD pii_status pii_config_add_patterns_file(pii_config *cfg, const char *path,
                                                              pii_error *err);

/* Entity types known to this config (built-in and added), in order. The
 * returned info is valid until the config is changed or freed. */
PII_API size_t pii_config_entity_count(const pii_config *cfg);
PII_API const pii_entity_info *pii_config_entity_get(const pii_config *cfg, size_t index);

/* Findings with a confidence (0..100) below this are ignored. Default 50:
 * checksum-valid values stay even next to a negative context word such as
 * 订单号; weak candidates (unallocated phone sub-ranges) then drop. */
PII_API void pii_config_set_min_confidence(pii_config *cfg, unsigned min_confidence);

/* Set the action for entity `type` (an entity name such as "cn_mobile").
 * PII_E_CONFIG for an unknown type (details in err, which may be NULL). */
PII_API PII_NODISCARD pii_status pii_config_set_action(pii_config *cfg, const char *type,
                                                       pii_action action, pii_error *err);

/* Enable or disable detection of entity `type`. PII_E_CONFIG if unknown. */
PII_API PII_NODISCARD pii_status pii_config_set_enabled(pii_config *cfg, const char *type,
                                                        bool enabled, pii_error *err);

/* Disable every entity type (start of an --only list). */
PII_API void pii_config_disable_all(pii_config *cfg);

/* Date used to reject birth dates in the future, as YYYYMMDD. Defaults to
 * today's UTC date when the engine is built; tests pin it. */
PII_API void pii_config_set_today(pii_config *cfg, uint32_t yyyymmdd);

/* Load a key file (see `piiscrub keygen`): needed by the token and fpe
 * actions and by detokenizing. The first key loaded encrypts; all loaded
 * keys decrypt (rotation). Refuses a file readable by group or others.
 * Key material is kept in locked, guarded memory and wiped on free. */
PII_API PII_NODISCARD pii_status pii_config_add_key_file(pii_config *cfg, const char *path,
                                                         pii_error *err);

/* Wrap fpe output in a surrogate marker "{{fpe:KEYID:TYPE:VALUE}}" so that
 * detokenizing finds it in free text without guessing. Default on. */
PII_API void pii_config_set_fpe_markers(pii_config *cfg, bool on);

/* Build an engine that reverses fpe markers instead of detecting (the
 * `detokenize` command). Default off. */
PII_API void pii_config_set_detokenize(pii_config *cfg, bool on);

/* Write a new key file's text (a fresh 256-bit key and its id) into
 * buf[0, cap); *len receives its length. The text is secret: write it to a
 * 0600 file and wipe buf with pii_wipe. cap of 256 is enough. */
PII_API PII_NODISCARD pii_status pii_key_generate(char *buf, size_t cap, size_t *len,
                                                  pii_error *err);

/* Overwrite n bytes at p with zeros in a way the compiler cannot drop. */
PII_API void pii_wipe(void *p, size_t n);

/* Input formats. */
typedef enum {
    PII_FORMAT_TEXT = 0,  /* lines of text; every byte scanned */
    PII_FORMAT_CSV = 1,   /* RFC 4180; fields scanned or transformed by policy */
    PII_FORMAT_TSV = 2,   /* CSV with a tab delimiter */
    PII_FORMAT_JSONL = 3, /* one JSON value a line; string values scanned */
} pii_format;

/* Set the input format (default text). `delimiter` 0 keeps the format's
 * own (',' or '\t'); `header`: the first CSV record names the columns. */
PII_API void pii_config_set_format(pii_config *cfg, pii_format format, char delimiter, bool header);

/* Guess the format of a file from its first record: a '{' or '[' first
 * byte that parses as JSON is jsonl; a first line that splits into two or
 * more CSV (or TSV) fields that all look like column names is csv (tsv)
 * with a header; anything else is text. */
PII_API pii_format pii_format_sniff(const void *head, size_t len, char *delimiter);

/* Apply a policy file (YAML; see examples/policy.yaml): defaults, entity
 * actions, key_file and per-field rules. Entity and type names are checked
 * against the config's detectors, so add --patterns files first. Errors
 * name FILE:LINE:COLUMN. */
PII_API PII_NODISCARD pii_status pii_config_load_policy(pii_config *cfg, const char *path,
                                                        pii_error *err);

/* Validate only (check-policy): pii_config_load_policy checks a policy's
 * key_file entry but does not read the key. */
PII_API void pii_config_set_check_only(pii_config *cfg, bool on);

/* A record that cannot be parsed: false (default) scans it as text and
 * counts it; true stops with PII_E_PARSE before writing any of it. */
PII_API void pii_config_set_stop_on_parse_error(pii_config *cfg, bool stop);

/* FOR TESTS ONLY: draw differential-privacy noise from a ChaCha20 stream
 * keyed by `seed` instead of the system CSPRNG, so that runs repeat
 * exactly. Output made this way is NOT private: anyone who knows or
 * guesses the seed can subtract the noise. */
PII_API void pii_config_set_noise_seed(pii_config *cfg, uint64_t seed);

/* Flush output after each complete line (log-shipping sidecar). Default off. */
PII_API void pii_config_set_line_buffered(pii_config *cfg, bool on);

/*
 * Stop on request, e.g. from a signal handler: the file-descriptor drivers
 * (pii_run_fd, pii_run_fd_head, pii_run_fd_parallel, pii_run_fd_resume)
 * read *flag before every read and at least every PII_STOP_POLL_MS while
 * they wait for input. Once it is non-zero they read no more, write the output of every
 * complete record and return PII_E_STOPPED. The bytes of an incomplete
 * last record are neither processed nor written: stats->bytes_unfinished
 * counts them, so bytes_in - bytes_unfinished is where the input was left.
 * A record longer than the window, partly written already, is finished
 * first (reading on), so the output never ends inside a record. The flag
 * is borrowed for the engine's lifetime; NULL turns stopping off.
 */
#define PII_STOP_POLL_MS 200
PII_API void pii_config_set_stop_flag(pii_config *cfg, const volatile sig_atomic_t *flag);

/*
 * Reload on request (SIGHUP): like the stop flag, *flag is read before
 * every read and at least every PII_STOP_POLL_MS while waiting for input,
 * but only by pii_run_fd_resume (the other drivers ignore it). Once it is
 * non-zero and the input is at a record end, the driver writes the output
 * of every complete record read so far and returns PII_E_RELOAD with the
 * rest (the start of an incomplete record, and a CSV header already
 * written) in its pii_resume. The caller clears the flag, builds a new
 * engine (or keeps the old one) and calls pii_run_fd_resume again on the
 * same fd. The flag is borrowed for the engine's lifetime; NULL (the
 * default) turns reloading off.
 */
PII_API void pii_config_set_reload_flag(pii_config *cfg, const volatile sig_atomic_t *flag);

/*
 * The longest record (line, CSV record, JSON line) processed whole. A
 * longer one is processed in windows of this many bytes that overlap by
 * the longest value a detector reads, so that nothing is cut and nothing
 * passes raw; a CSV or JSON record longer than this is scanned as text
 * (and counted as a parse error). Memory per stream is about 5x this
 * (input window and output), per thread with pii_run_fd_parallel (2N + 2
 * streams). PII_E_CONFIG outside [PII_MAX_RECORD_MIN, PII_MAX_RECORD_MAX].
 */
#define PII_MAX_RECORD_DEFAULT ((size_t)1 << 20)
#define PII_MAX_RECORD_MIN ((size_t)64 << 10)
#define PII_MAX_RECORD_MAX ((size_t)256 << 20)
PII_API PII_NODISCARD pii_status pii_config_set_max_record(pii_config *cfg, size_t bytes);

/*
 * Findings without their values: a callback that receives one event per
 * finding (and per record that could not be parsed), for reports and for
 * `piiscrub scan`. The event never holds the value itself; with
 * PII_FINDING_FINGERPRINT and a key (pii_config_add_key_file), a keyed
 * fingerprint of it: BLAKE2b-128 under a subkey of its own (never equal to
 * a token), over the entity type and the same canonical form the token
 * action hashes, so "13812345678" and "138-1234-5678" get the same
 * fingerprint in any file and any format. Without a key there is none.
 *
 * Positions are those of the original input of the stream or driver:
 * `offset` and `length` in bytes (a JSON string's escapes and a CSV
 * field's doubled quotes inside the value count as written), `line` is
 * 1 + the number of '\n' before `offset`, `record` the 1-based CSV/JSON
 * record (text: the line). Across reads, windows of long records, and
 * with pii_run_fd_parallel, events arrive in input order, one at a time:
 * from the calling thread, or with pii_run_fd_parallel from whichever of
 * its threads writes the batch (one writes at a time, so the callback is
 * never entered twice at once). The pointers in an event are valid during
 * the call only.
 * Without a callback nothing is computed (one NULL check per finding).
 */
typedef enum {
    PII_EVENT_FINDING = 0,     /* a value was found (and acted on) */
    PII_EVENT_PARSE_ERROR = 1, /* a CSV/JSON record did not parse: scanned as text */
} pii_event_kind;

typedef struct {
    pii_event_kind kind;
    const char *type;     /* entity type ("cn_mobile"; "field" for a policy field rule
                             without a type); NULL for PII_EVENT_PARSE_ERROR */
    const char *detector; /* the pattern file that defines the type ("cn_mobile.pat", a
                             --patterns path), or "policy" for a whole-field rule */
    const char *action;   /* what was done: mask, redact, keep, token, fpe, drop, noise,
                             generalize (with pii_config_set_scan_only: what would be) */
    unsigned confidence;  /* 0..100 (100 for a field rule) */
    uint64_t offset;      /* 0-based byte offset in the input */
    uint64_t length;      /* bytes in the input (0 for a parse error) */
    uint64_t line;        /* 1-based line of offset */
    uint64_t record;      /* 1-based record (text: the line) */
    const char *field;    /* CSV column name (its 1-based index without a header) or
                             JSON path ("user.phone"); NULL in text, a CSV header row,
                             and a record scanned as text */
    const char *fingerprint; /* 32 lower-case hex digits, or NULL */
} pii_finding_event;

typedef void (*pii_finding_fn)(const pii_finding_event *ev, void *ctx);

#define PII_FINDING_FINGERPRINT 1u /* flags: fingerprint values (needs a key) */

/* Set the finding callback (NULL: none, the default); ctx is passed
 * through. `flags`: PII_FINDING_FINGERPRINT or 0. It also turns on the
 * line count in pii_stream_stats.lines. */
PII_API void pii_config_set_finding_callback(pii_config *cfg, pii_finding_fn fn, void *ctx,
                                             unsigned flags);

/* Progress: the file-descriptor drivers call fn(bytes, ctx) after every
 * read of `bytes` (> 0) bytes of input, from the thread that reads (the
 * caller's). Meant for progress displays: it is called per read, never per
 * byte or record. NULL (the default): none. */
typedef void (*pii_read_fn)(size_t bytes, void *ctx);
PII_API void pii_config_set_read_callback(pii_config *cfg, pii_read_fn fn, void *ctx);

/* Find only (`piiscrub scan`): no value is transformed, no noise drawn;
 * the output is the input unchanged (drivers may discard it: out_fd < 0).
 * Actions that would need a key do not need one. Default off. */
PII_API void pii_config_set_scan_only(pii_config *cfg, bool on);

/* ---- engine ----------------------------------------------------------- */

typedef struct pii_engine pii_engine;

/* Build an engine from `cfg` (borrowed; later changes to cfg do not affect the
 * engine). On success *out is an owned engine, immutable and thread-safe. */
PII_API PII_NODISCARD pii_status pii_engine_new(const pii_config *cfg, pii_engine **out,
                                                pii_error *err);
PII_API void pii_engine_free(pii_engine *engine);

/* ---- streaming -------------------------------------------------------- */

/* Cursor over caller memory (zstd style): the library advances `pos`. */
typedef struct {
    const void *src;
    size_t size;
    size_t pos;
} pii_inbuf;

typedef struct {
    void *dst;
    size_t size;
    size_t pos;
} pii_outbuf;

typedef struct pii_stream pii_stream;

/* Returns an owned stream bound to `engine` (borrowed: it must outlive the
 * stream), or NULL when out of memory. A stream is used by one thread at a time. */
PII_API pii_stream *pii_stream_new(const pii_engine *engine);
PII_API void pii_stream_free(pii_stream *s);

/* Consume input from `in` and produce output into `out`. Always makes forward
 * progress when in has unread bytes and out has room: it either consumes
 * input or produces output. Output lags input by at most one record (or one
 * window of a very long record). */
PII_API PII_NODISCARD pii_status pii_stream_push(pii_stream *s, pii_inbuf *in, pii_outbuf *out,
                                                 pii_error *err);

/* Signal end of input and drain. Call repeatedly until *remaining is 0; after
 * that the stream is finished and must be freed or reset. */
PII_API PII_NODISCARD pii_status pii_stream_finish(pii_stream *s, pii_outbuf *out,
                                                   size_t *remaining, pii_error *err);

/* Input bytes consumed by pii_stream_push but not processed yet: the start
 * of an incomplete last record (and up to a window of a longer one). Once
 * the output is drained, everything before them has been written: a
 * follower that stops here resumes reading at (bytes consumed - pending). */
PII_API size_t pii_stream_pending(const pii_stream *s);

/*
 * Handing a stream over to another engine at a record end (a reload): the
 * input not processed yet (the start of an incomplete record), the CSV
 * header that names the columns (it was written already and is not written
 * again; the new engine's column rules apply to it) and the counters.
 * pii_resume_new returns an owned, empty hand-over, or NULL when out of
 * memory. It holds input bytes: free it (the bytes are wiped) when done.
 */
typedef struct pii_resume pii_resume;
PII_API pii_resume *pii_resume_new(void);
PII_API void pii_resume_free(pii_resume *r);

/* Move s's state into r (empty) and finish s, which must be freed after.
 * All output must have been taken. PII_E_LIMIT, leaving s and r as they
 * were, while a record longer than the window is partly written: push more
 * input and try again at its end. */
PII_API PII_NODISCARD pii_status pii_stream_suspend(pii_stream *s, pii_resume *r,
                                                    pii_error *err);

/* Continue in s (new, nothing pushed yet; usually of another engine) what
 * r holds, emptying r: the CSV header primes s (its output is dropped), the
 * counters go on, and the unprocessed input is pushed (its output, if any,
 * comes with the next push or finish). */
PII_API PII_NODISCARD pii_status pii_stream_resume(pii_stream *s, pii_resume *r, pii_error *err);

/* Counters since the stream was created. */
typedef struct {
    uint64_t bytes_in;
    uint64_t bytes_out;
    uint64_t findings;   /* values transformed (detokenize: markers restored) */
    uint64_t unresolved; /* detokenize: markers left as they were (unknown key or type) */
    uint64_t records;      /* CSV/JSONL records seen */
    uint64_t parse_errors; /* records that could not be parsed (scanned as text) */
    uint64_t noised;       /* values given differential-privacy noise */
    uint64_t generalized;  /* values generalized */
    uint64_t not_understood; /* noise/generalize values that were not a number, date,
                                address...: redacted instead (fail closed) */
    double max_record_epsilon; /* largest epsilon spent on one record (basic composition) */
    double max_record_delta;   /* largest delta spent on one record */
    uint64_t bytes_unfinished; /* of bytes_in: an incomplete last record left by a stop */
    uint64_t limit_hits; /* pattern matches that hit the PCRE2 match/depth limit: the
                            rest of that line was redacted (fail closed) */
    uint64_t lines; /* '\n' in the input, plus 1 for an unterminated last line; counted
                       only with a finding callback (pii_config_set_finding_callback) */
} pii_stream_stats;

PII_API void pii_stream_get_stats(const pii_stream *s, pii_stream_stats *out);

/*
 * Privacy accounting for the engine's noise fields, as text for a summary
 * (no data values, no keys): epsilon (and delta) per field and the bound
 * per record under basic composition, with `stats` (may be NULL) adding the
 * largest spend actually observed in one record. Lines start with
 * "piiscrub: "; a line starting "piiscrub: warning: " is written when the
 * per-record epsilon exceeds PII_DP_EPSILON_WARN. Writes at most cap bytes
 * including a NUL; returns the length the full text needs (snprintf
 * style), 0 when the engine adds no noise.
 */
#define PII_DP_EPSILON_WARN 10.0
PII_API size_t pii_engine_privacy_report(const pii_engine *engine, const pii_stream_stats *stats,
                                         char *buf, size_t cap);

/* ---- convenience wrappers --------------------------------------------- */

/* Transform a whole buffer. On success *out is owned (free with pii_free)
 * and *out_len its length. */
PII_API PII_NODISCARD pii_status pii_redact_buffer(const pii_engine *engine, const void *in,
                                                   size_t in_len, char **out, size_t *out_len,
                                                   pii_error *err);

/* Free memory returned by the library (pii_redact_buffer). NULL is a no-op. */
PII_API void pii_free(void *p);

/* Stream from file descriptor in_fd to out_fd until end of input (out_fd
 * < 0: the output is discarded, as for pii_config_set_scan_only). Retries
 * EINTR. A reader that went away on out_fd yields PII_E_PIPE (callers that
 * act as filters treat it as success). `stats` may be NULL. */
PII_API PII_NODISCARD pii_status pii_run_fd(const pii_engine *engine, int in_fd, int out_fd,
                                            pii_stream_stats *stats, pii_error *err);

/* pii_run_fd with head[0, head_len) (borrowed) processed before the bytes
 * of in_fd: for callers that had to read ahead, e.g. to sniff a format. */
PII_API PII_NODISCARD pii_status pii_run_fd_head(const pii_engine *engine, const void *head,
                                                 size_t head_len, int in_fd, int out_fd,
                                                 pii_stream_stats *stats, pii_error *err);

/*
 * pii_run_fd_head over `threads` threads, the calling one included (1:
 * exactly pii_run_fd_head): the input is cut into batches at record ends;
 * each thread reads a batch, transforms it, and writes every finished
 * batch that is next in input order, one writer at a time, so the output
 * is the same bytes as with one thread. Memory stays bounded (2 * threads + 2 batches
 * in flight, usually ~256 KiB each, at most a 1 MiB window). Records
 * longer than a 1 MiB window, and --on-error=stop, are processed by one
 * stream. With a noise seed (pii_config_set_noise_seed) each batch draws
 * its own stream of the seed, so seeded noise depends on the batching.
 * in_fd < 0: head only.
 */
PII_API PII_NODISCARD pii_status pii_run_fd_parallel(const pii_engine *engine, const void *head,
                                                     size_t head_len, int in_fd, int out_fd,
                                                     unsigned threads, pii_stream_stats *stats,
                                                     pii_error *err);

/*
 * pii_run_fd_parallel that can hand over to another engine (a reload; see
 * pii_config_set_reload_flag). r (borrowed, not NULL) is processed first:
 * its CSV header primes the streams, and its unprocessed input goes before
 * head. On PII_E_RELOAD the output of every complete record read is
 * written (with threads > 1 every batch in flight is written first), and r
 * holds what is left: call again with r, a new engine, no head and the same
 * in_fd. The switch comes at the first record end after the flag is seen:
 * bytes read before it are processed by this engine (with threads > 1,
 * whole batches). `stats` (may be NULL) count from the first call on; on
 * any other return r is empty.
 */
PII_API PII_NODISCARD pii_status pii_run_fd_resume(const pii_engine *engine, pii_resume *r,
                                                   const void *head, size_t head_len, int in_fd,
                                                   int out_fd, unsigned threads,
                                                   pii_stream_stats *stats, pii_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PIISCRUB_H */
