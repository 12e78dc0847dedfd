/*
 * engine_internal.h - engine and stream internals shared by the engine/ sources.
 */
#ifndef PII_ENGINE_INTERNAL_H
#define PII_ENGINE_INTERNAL_H

#include <stdbool.h>

#include "common/pii_buf.h"
#include "common/pii_entity.h"
#include "detect/detect.h"
#include "piiscrub/piiscrub.h"

/* A record with no newline is scanned in windows of this many bytes. */
#define PII_WINDOW_SIZE ((size_t)1 << 20)
/* Capacity of a stream's input buffer: a window plus its look-behind. A
 * record without newline is cut into windows whose edges fall at
 * k * PII_STREAM_IN_CAP - (k - 1) * (PII_DETECT_MAX_SPAN + PII_DETECT_LOOKBEHIND)
 * (k = 1, 2, ...) when no finding straddles the commit point. */
#define PII_STREAM_IN_CAP (PII_WINDOW_SIZE + PII_DETECT_LOOKBEHIND)

struct pii_config {
    pii_action action[PII_ENT_COUNT];
    bool enabled[PII_ENT_COUNT];
    uint32_t today; /* 0: today's UTC date at engine build */
    bool line_buffered;
};

struct pii_engine {
    pii_detect_cfg det;
    pii_action action[PII_ENT_COUNT];
    bool line_buffered;
};

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

#endif /* PII_ENGINE_INTERNAL_H */
