/* pathread.c - the care pathways of a store read side by side (pathread.h): the patient row
 * ids [lo, hi] cut into equal spans, one per thread, each read through its own read-only
 * connection. Row ids are dense (SQLite rowids of one table), so equal spans hold about as many
 * patients. */
#include "pronostic/pathread.h"
#include "pronostic/threads.h"

#include <pthread.h>
#include <string.h>

typedef struct span {
    const char *path;
    int64_t from, to;
    int (*fn)(const pn_scan_patient *p, void *ctx);
    void *ctx;
    pn_diag diag;
    int rc;
} span;

static void *span_run(void *arg)
{
    span *s = arg;
    pn_store *store = NULL;
    s->rc = pn_store_open_readonly(&store, s->path, &s->diag);
    if (s->rc == PN_OK) s->rc = pn_store_scan_patients(store, s->from, s->to, s->fn, s->ctx, &s->diag);
    pn_store_close(store);
    return NULL;
}

int pn_pathways_read(const char *path, int nthreads, int (*fn)(const pn_scan_patient *p, void *ctx),
                     void *const *ctxs, pn_diag *diag)
{
    if (nthreads < 1 || nthreads > PN_MAX_THREADS)
        return pn_diag_set(diag, PN_EINVAL, "threads: %d is not between 1 and %d", nthreads,
                           PN_MAX_THREADS);
    pn_store *store = NULL;
    int64_t lo = 0, hi = 0;
    int rc = pn_store_open_readonly(&store, path, diag);
    if (rc == PN_OK) rc = pn_store_pid_bounds(store, &lo, &hi, diag);
    pn_store_close(store);
    if (rc != PN_OK) return rc;
    span s[PN_MAX_THREADS];
    pthread_t tid[PN_MAX_THREADS];
    int started[PN_MAX_THREADS] = {0};
    int64_t width = (hi - lo + 1 + nthreads - 1) / nthreads;
    if (width < 1) width = 1;
    for (int k = 0; k < nthreads; k++) {
        memset(&s[k], 0, sizeof s[k]);
        s[k].path = path;
        s[k].from = lo + width * k;
        s[k].to = k == nthreads - 1 ? hi + 1 : lo + width * (k + 1);
        s[k].fn = fn;
        s[k].ctx = ctxs[k];
    }
    for (int k = 1; k < nthreads; k++) started[k] = pthread_create(&tid[k], NULL, span_run, &s[k]) == 0;
    span_run(&s[0]);
    for (int k = 1; k < nthreads; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            span_run(&s[k]);
    }
    for (int k = 0; k < nthreads; k++)
        if (s[k].rc != PN_OK) {
            if (diag) *diag = s[k].diag;
            return s[k].rc;
        }
    return PN_OK;
}
