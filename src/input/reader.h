/*
 * reader.h - stage 1: reading bytes from a file descriptor.
 */
#ifndef PII_READER_H
#define PII_READER_H

#include <stddef.h>
#include <sys/types.h>

/* read(2) that retries EINTR. Returns bytes read, 0 at end of input, or -1
 * with errno set. */
ssize_t pii_reader_read(int fd, void *buf, size_t n);

/* Best effort: enlarge the pipe buffer when fd is a pipe (fewer, larger
 * reads and writes). Errors are ignored: it is only an optimisation. */
void pii_reader_grow_pipe(int fd);

#endif /* PII_READER_H */
