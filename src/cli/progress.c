/*
 * progress.c - --progress: one line on stderr, redrawn with '\r' at most
 * four times a second: bytes read, MB/s, and with a known total size
 * (regular files) the percentage and an ETA. Only when stderr is a
 * terminal (report.c checks isatty); the line is erased at the end. It is
 * driven by the library's read callback, so the clock is looked at once per
 * read (up to a window of input), never per byte or record.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define REDRAW_NS 250000000LL

static struct {
    bool on;
    bool drawn;
    unsigned long long total, done;
    long long t0, last; /* ns, CLOCK_MONOTONIC */
} pg;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void pii_cli_progress_start(unsigned long long total)
{
    pg.on = true;
    pg.total = total;
    pg.t0 = now_ns();
    pg.last = pg.t0 - REDRAW_NS; /* the first read draws */
}

static void put_bytes(char *buf, size_t cap, unsigned long long b)
{
    if (b < 10ull << 10)
        snprintf(buf, cap, "%llu B", b);
    else if (b < 10ull << 20)
        snprintf(buf, cap, "%.1f KiB", (double)b / 1024.0);
    else if (b < 10ull << 30)
        snprintf(buf, cap, "%.1f MiB", (double)b / 1048576.0);
    else
        snprintf(buf, cap, "%.2f GiB", (double)b / 1073741824.0);
}

static void draw(long long t)
{
    char line[160], done[32];
    double secs = (double)(t - pg.t0) / 1e9;
    double mbs = secs > 0 ? (double)pg.done / 1e6 / secs : 0;
    put_bytes(done, sizeof(done), pg.done);
    int n;
    if (pg.total > 0) {
        unsigned long long d = pg.done < pg.total ? pg.done : pg.total;
        double frac = (double)d / (double)pg.total;
        long long eta = mbs > 0 ? (long long)((double)(pg.total - d) / 1e6 / mbs) : -1;
        char etas[32];
        if (eta >= 0)
            snprintf(etas, sizeof(etas), "%lld:%02lld:%02lld", eta / 3600, eta / 60 % 60,
                     eta % 60);
        else
            snprintf(etas, sizeof(etas), "--:--");
        n = snprintf(line, sizeof(line), "\rpiiscrub: %5.1f%%  %s  %.1f MB/s  ETA %s\033[K",
                     frac * 100.0, done, mbs, etas);
    } else {
        n = snprintf(line, sizeof(line), "\rpiiscrub: %s  %.1f MB/s\033[K", done, mbs);
    }
    if (n > 0) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
        (void)w; /* a progress line that cannot be shown is not an error */
        pg.drawn = true;
    }
}

void pii_cli_progress_read(size_t n, void *ctx)
{
    (void)ctx;
    if (!pg.on)
        return;
    pg.done += n;
    long long t = now_ns();
    if (t - pg.last >= REDRAW_NS) {
        pg.last = t;
        draw(t);
    }
}

void pii_cli_progress_end(void)
{
    if (!pg.on)
        return;
    if (pg.drawn) {
        static const char erase[] = "\r\033[K";
        ssize_t w = write(STDERR_FILENO, erase, sizeof(erase) - 1);
        (void)w;
    }
    pg.on = false;
}
