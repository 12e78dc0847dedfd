/*
 * writer.h - stage 5: writing bytes to a file descriptor.
 */
#ifndef PII_WRITER_H
#define PII_WRITER_H

#include <stddef.h>

#include "piiscrub/piiscrub.h"

/* Write all n bytes, retrying EINTR and short writes. Returns PII_OK,
 * PII_E_PIPE when the reader went away (EPIPE), or PII_E_IO; *sys_errno
 * receives errno on failure. */
PII_NODISCARD pii_status pii_writer_write_all(int fd, const void *p, size_t n, int *sys_errno);

#endif /* PII_WRITER_H */
