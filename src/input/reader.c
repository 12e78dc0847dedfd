/*
 * reader.c - read(2) with EINTR retry, and pipe-buffer enlargement.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "input/reader.h"

#include "piiscrub/piiscrub.h" /* PII_STOP_POLL_MS */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether either flag (each may be NULL) is set. */
static int flagged(const volatile sig_atomic_t *a, const volatile sig_atomic_t *b)
{
    return (a != NULL && *a) || (b != NULL && *b);
}

ssize_t pii_reader_read(int fd, void *buf, size_t n, const volatile sig_atomic_t *stop,
                        const volatile sig_atomic_t *reload)
{
    for (;;) {
        if (stop != NULL || reload != NULL) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            int k;
            while (!flagged(stop, reload) && (k = poll(&p, 1, PII_STOP_POLL_MS)) <= 0) {
                if (k < 0 && errno != EINTR)
                    break; /* let read report it */
            }
            if (flagged(stop, reload)) {
                errno = ECANCELED;
                return -1;
            }
        }
        ssize_t r = read(fd, buf, n);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

bool pii_reader_ready(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int k;
    do {
        k = poll(&p, 1, 0);
    } while (k < 0 && errno == EINTR);
    return k > 0;
}

void pii_reader_grow_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
        (void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
    (void)fd;
#endif
}
