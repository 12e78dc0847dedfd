/*
 * writer.c - a write(2) loop that never loses bytes silently: short writes
 * are continued, EINTR retried, EPIPE reported as its own status so a
 * filter can stop quietly, and every other error surfaces as PII_E_IO.
 */
#include "output/writer.h"

#include <errno.h>
#include <unistd.h>

pii_status pii_writer_write_all(int fd, const void *p, size_t n, int *sys_errno)
{
    const unsigned char *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            *sys_errno = errno;
            return errno == EPIPE ? PII_E_PIPE : PII_E_IO;
        }
        if (w == 0) {
            *sys_errno = EIO;
            return PII_E_IO;
        }
        b += w;
        n -= (size_t)w;
    }
    return PII_OK;
}
