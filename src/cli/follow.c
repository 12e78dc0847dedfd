/*
 * follow.c - `--follow FILE [--state FILE]` (see follow.h): tail -F over
 * the public streaming API, one thread.
 *
 * The follower keeps one stream per file it reads. `done` counts the bytes
 * of the current file pushed into the stream; once the stream's output is
 * written, everything before done - pii_stream_pending() is on stdout, and
 * that is the position the state file records.
 */
#include "follow.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

#define FOLLOW_READ (256u * 1024u)
#define STATE_MAGIC "piiscrub-follow-state 1"

typedef struct {
    pii_cli_setup *cs; /* cs->eng: the engine of s */
    const char *path, *state_path;
    volatile sig_atomic_t *stop;
    int fd;
    dev_t dev;
    ino_t ino;
    uint64_t done; /* bytes of the current file pushed into s */
    pii_stream *s;
    uint8_t *out;
    size_t out_cap;
    pii_resume *r; /* a hand-over to a reloaded engine */
} follower;

static int write_all(const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            if (errno == EPIPE)
                return EXIT_OK; /* the reader went away: stop quietly */
            fprintf(stderr, "piiscrub: write to output failed: %s\n", strerror(errno));
            return EXIT_OUTPUT;
        }
        p += w;
        n -= (size_t)w;
    }
    return -1; /* go on */
}

/* Save (dev, ino, offset) atomically; a failure is reported, not fatal. */
static void save_state(const follower *f)
{
    if (f->state_path == NULL || f->fd < 0)
        return;
    uint64_t at = f->done - pii_stream_pending(f->s);
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", f->state_path) >= (int)sizeof(tmp))
        return;
    FILE *fp = fopen(tmp, "w");
    bool ok = fp != NULL &&
              fprintf(fp, STATE_MAGIC "\n%" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
                      (uint64_t)f->dev, (uint64_t)f->ino, at) > 0;
    if (fp != NULL && fclose(fp) != 0)
        ok = false;
    if (!ok || rename(tmp, f->state_path) != 0) {
        static bool told;
        if (!told)
            fprintf(stderr, "piiscrub: %s: cannot save the follow state: %s\n", f->state_path,
                    strerror(errno));
        told = true;
    }
}

/* The saved offset in the file (dev, ino), or 0. */
static uint64_t load_state(const char *state_path, dev_t dev, ino_t ino)
{
    FILE *fp = fopen(state_path, "r");
    if (fp == NULL)
        return 0;
    char magic[64];
    uint64_t sdev, sino, at;
    bool ok = fgets(magic, sizeof(magic), fp) != NULL &&
              strncmp(magic, STATE_MAGIC "\n", sizeof(STATE_MAGIC)) == 0 &&
              fscanf(fp, "%" SCNu64 " %" SCNu64 " %" SCNu64, &sdev, &sino, &at) == 3;
    fclose(fp);
    if (!ok) {
        fprintf(stderr, "piiscrub: %s: not a follow state file; starting at the start of the "
                        "file\n", state_path);
        return 0;
    }
    return sdev == (uint64_t)dev && sino == (uint64_t)ino ? at : 0;
}

/* Push in[0, n) (NULL: finish the stream) and write the output. */
static int feed(follower *f, const uint8_t *in, size_t n)
{
    pii_error err;
    pii_inbuf ib = {in, n, 0};
    for (;;) {
        pii_outbuf ob = {f->out, f->out_cap, 0};
        size_t remaining = 0;
        pii_status st = in != NULL ? pii_stream_push(f->s, &ib, &ob, &err)
                                   : pii_stream_finish(f->s, &ob, &remaining, &err);
        if (st != PII_OK) {
            fprintf(stderr, "piiscrub: %s: %s\n", f->path, err.msg);
            return EXIT_INTERNAL;
        }
        int rc = write_all(f->out, ob.pos);
        if (rc >= 0)
            return rc;
        if (in != NULL ? ib.pos >= ib.size && ob.pos < ob.size : remaining == 0)
            return -1;
    }
}

/* Sleep one poll step unless stopped. */
static void nap(const follower *f)
{
    if (!*f->stop)
        (void)poll(NULL, 0, PII_FOLLOW_POLL_MS);
}

/* Open `path` once it exists; -1 when stopped first. */
static int open_when_there(follower *f)
{
    bool told = false;
    while (!*f->stop) {
        int fd = open(f->path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0) {
            f->dev = st.st_dev;
            f->ino = st.st_ino;
            return fd;
        }
        if (fd >= 0)
            close(fd);
        if (errno != ENOENT) {
            fprintf(stderr, "piiscrub: %s: %s\n", f->path, strerror(errno));
            return -2;
        }
        if (!told)
            fprintf(stderr, "piiscrub: %s: waiting for the file to appear\n", f->path);
        told = true;
        nap(f);
    }
    return -1;
}

/* The current file is done (rotated or truncated): its held last line is
 * complete now; start a new stream. */
static int next_stream(follower *f)
{
    int rc = feed(f, NULL, 0);
    if (rc >= 0)
        return rc;
    pii_stream_free(f->s);
    f->s = pii_stream_new(f->cs->eng);
    if (f->s == NULL) {
        fprintf(stderr, "piiscrub: out of memory\n");
        return EXIT_INTERNAL;
    }
    f->done = 0;
    return -1;
}

/* SIGHUP: once s is at a record end, build the configuration again and
 * hand s over to the new engine; a configuration that does not load keeps
 * the old one (pii_cli_reload says why). -1: go on. */
static int maybe_reload(follower *f)
{
    if (!*f->cs->reload)
        return -1;
    pii_error err;
    pii_status st = pii_stream_suspend(f->s, f->r, &err);
    if (st == PII_E_LIMIT)
        return -1; /* inside a record longer than the window: at its end */
    if (st != PII_OK) {
        fprintf(stderr, "piiscrub: %s: %s\n", f->path, err.msg);
        return EXIT_INTERNAL;
    }
    pii_engine *old = pii_cli_reload(f->cs); /* NULL: the old engine goes on */
    pii_stream *s = pii_stream_new(f->cs->eng);
    if (s == NULL) {
        fprintf(stderr, "piiscrub: out of memory\n");
        pii_engine_free(old);
        return EXIT_INTERNAL;
    }
    st = pii_stream_resume(s, f->r, &err);
    pii_stream_free(f->s); /* before the engine it was made with */
    pii_engine_free(old);
    f->s = s;
    if (st != PII_OK) {
        fprintf(stderr, "piiscrub: %s: %s\n", f->path, err.msg);
        return EXIT_INTERNAL;
    }
    return feed(f, (const uint8_t *)"", 0); /* output of the hand-over, if any */
}

/* At the end of the file: what happened to `path`? -1: go on reading. */
static int at_end(follower *f)
{
    struct stat now, cur;
    if (stat(f->path, &now) != 0) {
        nap(f); /* renamed away, the new one not there yet: keep the old one */
        return -1;
    }
    if (now.st_dev != f->dev || now.st_ino != f->ino) {
        /* rotated by rename: the old file is read to its end (we are at
         * it), so take the new one */
        int rc = next_stream(f);
        if (rc >= 0)
            return rc;
        close(f->fd);
        f->fd = open_when_there(f);
        if (f->fd == -2)
            return EXIT_INPUT;
        if (f->fd >= 0)
            save_state(f);
        return -1;
    }
    if (fstat(f->fd, &cur) == 0 && (uint64_t)cur.st_size < f->done) {
        /* truncated (copytruncate): from the start */
        int rc = next_stream(f);
        if (rc >= 0)
            return rc;
        if (lseek(f->fd, 0, SEEK_SET) < 0) {
            fprintf(stderr, "piiscrub: %s: %s\n", f->path, strerror(errno));
            return EXIT_INPUT;
        }
        save_state(f);
        return -1;
    }
    nap(f);
    return -1;
}

int pii_cli_follow(pii_cli_setup *cs, const char *path, const char *state_path)
{
    volatile sig_atomic_t *stop = cs->stop;
    follower f = {.cs = cs, .path = path, .state_path = state_path, .stop = stop, .fd = -1};
    int rc = -1;
    uint8_t *in = malloc(FOLLOW_READ);
    f.out_cap = 64u * 1024u;
    f.out = malloc(f.out_cap);
    f.s = pii_stream_new(cs->eng);
    f.r = pii_resume_new();
    if (in == NULL || f.out == NULL || f.s == NULL || f.r == NULL) {
        fprintf(stderr, "piiscrub: out of memory\n");
        rc = EXIT_INTERNAL;
        goto out;
    }
    f.fd = open_when_there(&f);
    if (f.fd == -2) {
        rc = EXIT_INPUT;
        goto out;
    }
    if (f.fd >= 0 && state_path != NULL) {
        uint64_t at = load_state(state_path, f.dev, f.ino);
        struct stat st;
        if (at > 0 && fstat(f.fd, &st) == 0 && (uint64_t)st.st_size >= at &&
            lseek(f.fd, (off_t)at, SEEK_SET) == (off_t)at)
            f.done = at; /* resume; a file now shorter was truncated: from the start */
    }
    while (rc < 0 && f.fd >= 0 && !*stop) {
        if ((rc = maybe_reload(&f)) >= 0)
            break;
        ssize_t r = read(f.fd, in, FOLLOW_READ);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "piiscrub: %s: read failed: %s\n", path, strerror(errno));
            rc = EXIT_INPUT;
            break;
        }
        if (r == 0) {
            rc = at_end(&f);
            continue;
        }
        pii_cli_progress_read((size_t)r, NULL); /* --progress (reads past the engine's reader) */
        rc = feed(&f, in, (size_t)r);
        f.done += (uint64_t)r;
        save_state(&f);
    }
    if (rc < 0) {
        /* stopped: the held incomplete record is not written; the state
         * says to read it again */
        save_state(&f);
        rc = EXIT_OK;
    }
out:
    if (f.fd >= 0)
        close(f.fd);
    pii_stream_free(f.s);
    pii_resume_free(f.r);
    free(f.out);
    free(in);
    return rc;
}
