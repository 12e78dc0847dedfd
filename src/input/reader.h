/*
 * reader.h - stage 1: reading bytes from a file descriptor.
 */
#ifndef PII_READER_H
#define PII_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <signal.h>

/* read(2) that retries EINTR. Returns bytes read, 0 at end of input, or -1
 * with errno set. With a stop flag (may be NULL) it returns -1 with errno
 * ECANCELED as soon as *stop is set: before reading, and while it waits
 * for input, which it does in poll(2) steps of PII_STOP_POLL_MS so that a
 * signal arriving just before the wait is not missed. A reload flag (may
 * be NULL) does the same; the caller tells the two apart. */
ssize_t pii_reader_read(int fd, void *buf, size_t n, const volatile sig_atomic_t *stop,
                        const volatile sig_atomic_t *reload);

/* Whether a read of fd would return at once (input, end of input or an
 * error is pending), without waiting. False when poll(2) fails. */
bool pii_reader_ready(int fd);

/* Best effort: enlarge the pipe buffer when fd is a pipe (fewer, larger
 * reads and writes). Errors are ignored: it is only an optimisation. */
void pii_reader_grow_pipe(int fd);

#endif /* PII_READER_H */
