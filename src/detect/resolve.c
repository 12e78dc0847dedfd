/*
 * resolve.c - overlap resolution. Detectors run independently, so an e-mail
 * whose local part is a phone number yields two findings. The rule is
 * deterministic and documented in the README: after sorting by start, an
 * overlapping pair keeps the longer span, then the higher priority, then the
 * earlier start. Sorting uses a total order so the result never depends on
 * the order in which detectors ran.
 */
#include <stdlib.h>

#include "common/pii_alloc.h"
#include "detect/detect.h"

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

void pii_detect_resolve(pii_findings *f)
{
    if (f->len < 2)
        return;
    int sorted = 1;
    for (size_t i = 1; i < f->len && sorted; i++)
        sorted = cmp_finding(&f->v[i - 1], &f->v[i]) <= 0;
    if (!sorted)
        qsort(f->v, f->len, sizeof(f->v[0]), cmp_finding);
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
