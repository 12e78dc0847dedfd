/*
 * readfault.c - an LD_PRELOAD shim for the CLI tests (tests/cli/faults.sh):
 * a read error in the middle of a file, which no ordinary file gives.
 *
 *   LD_PRELOAD=pii_readfault.so PII_READFAULT_FILE=PATH PII_READFAULT_AFTER=N cmd
 *
 * read(2) on any descriptor open on PATH (the same device and inode, so a
 * FILE argument and stdin redirected from PATH both count) returns the
 * file's first N bytes, in reads no longer than asked, and then fails with
 * EIO every time. Every other read(2) passes through. The shim calls the
 * read system call itself, so it works in front of the sanitizer runtimes
 * (with ASAN_OPTIONS=verify_asan_link_order=0) and under valgrind.
 *
 * Only read(2) is wrapped: stdio's internal reads (fread) do not go through
 * it, which is what the tests want (they fault the data path). The state
 * is not locked: piiscrub reads its input, key and policy files on one
 * thread.
 *
 *   LD_PRELOAD=pii_readfault.so PII_DLOPEN_FAIL=TEXT cmd
 *
 * also makes dlopen(3) fail for every file name that contains TEXT, as if
 * that library were not installed (libcrypto, which piiscrub opens on the
 * first fpe or detokenize); dlerror() then says so.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int state; /* 0: not looked at the environment yet, 1: armed, -1: off */
static dev_t target_dev;
static ino_t target_ino;
static unsigned long long left; /* bytes of the target still to deliver */

static void arm(void)
{
    const char *path = getenv("PII_READFAULT_FILE");
    const char *after = getenv("PII_READFAULT_AFTER");
    struct stat st;
    state = -1;
    if (path == NULL || after == NULL || stat(path, &st) != 0)
        return;
    target_dev = st.st_dev;
    target_ino = st.st_ino;
    left = strtoull(after, NULL, 10);
    state = 1;
}

ssize_t read(int fd, void *buf, size_t n)
{
    if (state == 0)
        arm();
    struct stat st;
    if (state == 1 && fstat(fd, &st) == 0 && st.st_dev == target_dev && st.st_ino == target_ino) {
        if (left == 0) {
            errno = EIO;
            return -1;
        }
        if (n > left)
            n = (size_t)left;
        long r = syscall(SYS_read, fd, buf, n);
        if (r > 0)
            left -= (unsigned long long)r;
        return (ssize_t)r;
    }
    return (ssize_t)syscall(SYS_read, fd, buf, n);
}

static const char *dl_failed; /* the name refused last, for dlerror */

void *dlopen(const char *file, int mode)
{
    const char *fail = getenv("PII_DLOPEN_FAIL");
    if (file != NULL && fail != NULL && *fail != '\0' && strstr(file, fail) != NULL) {
        dl_failed = file;
        return NULL;
    }
    void *(*real)(const char *, int);
    *(void **)&real = dlsym(RTLD_NEXT, "dlopen"); /* POSIX: a function pointer from dlsym */
    dl_failed = NULL;
    return real != NULL ? real(file, mode) : NULL;
}

char *dlerror(void)
{
    char *(*real)(void);
    *(void **)&real = dlsym(RTLD_NEXT, "dlerror");
    if (dl_failed != NULL) {
        dl_failed = NULL;
        return (char *)"cannot open shared object file: refused by pii_readfault.so "
                       "(PII_DLOPEN_FAIL)";
    }
    return real != NULL ? real() : NULL;
}
