/*
 * regression_driver.c - main() for building a harness without libFuzzer
 * (zstd tests/fuzz/regression_driver.c): every file named on the command
 * line, and every regular file inside a directory named there (not
 * recursive, dot files skipped, in name order), is read into an exactly
 * sized heap buffer and passed once to LLVMFuzzerTestOneInput. ctest runs
 * it over fuzz/corpora/<harness>/ with the ordinary compiler, so seeds and
 * minimized crashers are replayed under gcc + ASan/UBSan in every build.
 *
 * A harness failure aborts (FUZZ_ASSERT or a sanitizer). The exit status is
 * 1 when an argument cannot be read or when no input was found at all (a
 * wrong corpus path must not pass silently), 0 otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FUZZ_NO_SANITIZER_DEFAULTS /* the harness carries them */
#include "fuzz_helpers.h"

#define MAX_INPUT_SIZE ((size_t)1 << 27)

/* Replay one file; returns 1 if it was run, 0 if skipped, -1 on error. */
static int replay_file(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(sb.st_mode))
        return 0;
    if ((uintmax_t)sb.st_size > MAX_INPUT_SIZE) {
        fprintf(stderr, "%s: larger than %zu bytes\n", path, MAX_INPUT_SIZE);
        return -1;
    }
    size_t size = (size_t)sb.st_size;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    /* exactly sized, so the harness reading past the input is an ASan report */
    uint8_t *buf = malloc(size);
    FUZZ_ASSERT(buf != NULL || size == 0);
    size_t got = size > 0 ? fread(buf, 1, size, f) : 0;
    int bad = ferror(f) || got != size;
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: short read\n", path);
        free(buf);
        return -1;
    }
    fprintf(stderr, "replay %s (%zu bytes)\n", path, size);
    LLVMFuzzerTestOneInput(buf, size);
    free(buf);
    return 1;
}

static int skip_dot(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Replay every regular file in `dir`; adds to *tested, returns -1 on error. */
static int replay_dir(const char *dir, unsigned *tested)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, skip_dot, alphasort);
    if (n < 0) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return -1;
    }
    int ret = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(dir) + 1 + strlen(names[i]->d_name) + 1;
        char *path = malloc(len);
        FUZZ_ASSERT(path != NULL);
        snprintf(path, len, "%s/%s", dir, names[i]->d_name);
        int r = replay_file(path);
        if (r < 0)
            ret = -1;
        else
            *tested += (unsigned)r;
        free(path);
        free(names[i]);
    }
    free(names);
    return ret;
}

int main(int argc, char **argv)
{
    unsigned tested = 0;
    int ret = 0;
    if (argc < 2)
        fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        int r;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            r = replay_dir(argv[i], &tested);
        } else {
            r = replay_file(argv[i]);
            if (r > 0)
                tested += (unsigned)r;
        }
        if (r < 0)
            ret = 1;
    }
    if (tested == 0) {
        fprintf(stderr, "%s: no inputs found\n", argv[0]);
        ret = 1;
    }
    fprintf(stderr, "replayed %u input(s): %s\n", tested, ret == 0 ? "ok" : "FAILED");
    return ret;
}
