/*
 * resolve.c - overlap resolution. Detectors run independently, so an e-mail
 * whose local part is a phone number yields two findings. The rule is
 * deterministic and documented in the README: after sorting by start, an
 * overlapping pair keeps the longer span, then the higher priority, then the
 * earlier start. Sorting uses a total order so the result never depends on
 * the order in which detectors ran.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "common/pii_alloc.h"
#include "detect/detect.h"

bool pii_findings_reserve(pii_findings *f, size_t n)
{
    if (f->alloc >= n)
        return true;
    size_t na = f->alloc ? f->alloc : 64;
    while (na < n)
        na *= 2;
    pii_finding *v = pii_realloc(f->v, na * sizeof(*v));
    if (v == NULL)
        return false;
    f->v = v;
    f->alloc = na;
    return true;
}

void pii_findings_free(pii_findings *f)
{
    pii_free_mem(f->v);
    f->v = NULL;
    f->len = f->alloc = 0;
}

static int cmp_finding(const void *a, const void *b)
{
    const pii_finding *x = a;
    const pii_finding *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    return (int)x->det - (int)y->det;
}

/* true when a should be kept over b (they overlap). */
static int wins(const pii_finding *a, const pii_finding *b)
{
    size_t la = a->end - a->start;
    size_t lb = b->end - b->start;
    if (la != lb)
        return la > lb;
    if (a->priority != b->priority)
        return a->priority > b->priority;
    return a->start <= b->start;
}

/* The end of the sorted run of v[0, n) that starts at a. */
static size_t run_end(const pii_finding *v, size_t n, size_t a)
{
    size_t b = a + 1;
    while (b < n && cmp_finding(&v[b - 1], &v[b]) <= 0)
        b++;
    return b;
}

/* Sort f->v by cmp_finding, stably. The scanner leaves a few sorted runs -
 * its pass from left to right, then the bracketed numbers and the user
 * patterns, each in order - so runs are merged into the sorted prefix one
 * by one, from the back, with the run in scratch space past f->len. Many
 * runs, or no memory for the scratch, go to qsort (glibc's is a stable
 * merge sort too). */
static void sort_findings(pii_findings *f)
{
    pii_finding *v = f->v;
    size_t n = f->len;
    size_t a = run_end(v, n, 0);
    for (int merges = 0; a < n; merges++) {
        size_t b = run_end(v, n, a);
        size_t k = b - a;
        if (merges == 8 || (f->alloc < n + k && !pii_findings_reserve(f, n + k))) {
            qsort(f->v, f->len, sizeof(f->v[0]), cmp_finding);
            return;
        }
        v = f->v;
        pii_finding *run = v + n; /* scratch */
        for (size_t i = 0; i < k; i++)
            run[i] = v[a + i];
        /* merge v[0, a) and run[0, k) into v[0, b), largest first; on a
         * tie the earlier run's element goes first (stays left) */
        size_t i = a, j = k, o = b;
        while (j > 0) {
            if (i > 0 && cmp_finding(&v[i - 1], &run[j - 1]) > 0)
                v[--o] = v[--i];
            else
                v[--o] = run[--j];
        }
        a = b;
    }
}

void pii_detect_resolve(pii_findings *f)
{
    if (f->len < 2)
        return;
    sort_findings(f);
    size_t n = 0; /* f->v[0, n) accepted, non-overlapping */
    for (size_t i = 0; i < f->len; i++) {
        const pii_finding *c = &f->v[i];
        if (n == 0 || c->start >= f->v[n - 1].end) {
            f->v[n++] = *c;
        } else if (wins(c, &f->v[n - 1])) {
            f->v[n - 1] = *c;
            /* the replacement may now overlap earlier accepted findings */
            while (n >= 2 && f->v[n - 2].end > f->v[n - 1].start) {
                if (wins(&f->v[n - 1], &f->v[n - 2])) {
                    f->v[n - 2] = f->v[n - 1];
                }
                n--;
            }
        }
    }
    f->len = n;
}
