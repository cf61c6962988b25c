/* netsurv_threads.c - the driver of the net-survival states over threads (netsurv_threads.h):
 * the subjects are dealt round-robin into one part per thread, each thread builds its part's
 * state (phase 1, the distinct times; phase 2, the sums on the merged grid; netsurv.h) and the
 * states are merged in part order, so the result does not depend on the scheduling. */
#include "pronostic/netsurv_threads.h"
#include "pronostic/alloc.h"
#include "pronostic/threads.h"

#include <pthread.h>
#include <string.h>

#define PN__NS_MIN_PER_THREAD 1024 /* below 2 x this many subjects, one thread */

typedef struct ns_part {
    pn_netsurv_input in; /* the part's subjects */
    const pn_ratetable *rt;
    const double *grid; /* phase 2: the merged grid */
    size_t ng;
    int method, scheme, phase;
    pn_nstimes *times; /* phase 1's state */
    pn_nsagg *agg;     /* phase 2's state */
    int rc;
} ns_part;

static void *part_run(void *arg)
{
    ns_part *p = arg;
    if (p->phase == 1) {
        p->rc = pn_nstimes_new(&p->times);
        if (p->rc == PN_OK) p->rc = pn_nstimes_add(p->times, &p->in);
    } else {
        p->rc = pn_nsagg_new(&p->agg, p->grid, p->ng, p->method, p->scheme);
        if (p->rc == PN_OK) p->rc = pn_nsagg_add(p->agg, &p->in, p->rt);
    }
    return NULL;
}

/* Run every part's phase, parts 1.. in threads and part 0 in this one (a part whose thread
 * cannot start runs here too); the first failure, or PN_OK. */
static int run_phase(ns_part *parts, size_t t, int phase)
{
    pthread_t tid[PN_MAX_THREADS];
    int started[PN_MAX_THREADS] = {0};
    for (size_t k = 0; k < t; k++)
        parts[k].phase = phase;
    for (size_t k = 1; k < t; k++)
        started[k] = pthread_create(&tid[k], NULL, part_run, &parts[k]) == 0;
    part_run(&parts[0]);
    for (size_t k = 1; k < t; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            part_run(&parts[k]);
    }
    for (size_t k = 0; k < t; k++)
        if (parts[k].rc != PN_OK) return parts[k].rc;
    return PN_OK;
}

int pn_ns_estimate(void *ctx, const pn_netsurv_input *in, const pn_ratetable *rt, int method,
                   int scheme, pn_netsurv_curve *out)
{
    int threads = ctx ? *(const int *)ctx : 1;
    size_t n = in->n, t = threads > 1 ? (size_t)threads : 1;
    if (t > PN_MAX_THREADS) t = PN_MAX_THREADS;
    if (t > n / PN__NS_MIN_PER_THREAD) t = n / PN__NS_MIN_PER_THREAD;
    if (t <= 1) return pn_netsurv_estimate(in, rt, method, scheme, out);
    out->len = 0;
    out->flags = 0;
    if (out->cap < n) return PN_EINVAL;
    int rc = pn_netsurv_check(in, method);
    if (rc != PN_OK) return rc;
    ns_part parts[PN_MAX_THREADS];
    memset(parts, 0, sizeof parts);
    double *grid = NULL;
    size_t ng = 0, *rows = pn_malloc(n * sizeof *rows);
    if (rows == NULL) return PN_ENOMEM;
    /* subject i goes to part i mod t: each part's rows are one block of `rows` */
    for (size_t k = 0, at = 0; k < t; k++) {
        ns_part *p = &parts[k];
        p->in = *in;
        p->in.rows = rows + at;
        p->in.n = 0;
        for (size_t i = k; i < n; i += t)
            rows[at + p->in.n++] = in->rows ? in->rows[i] : i;
        at += p->in.n;
        p->rt = rt;
        p->method = method;
        p->scheme = scheme;
    }
    if ((rc = run_phase(parts, t, 1)) != PN_OK) goto done;
    for (size_t k = 1; k < t; k++)
        if ((rc = pn_nstimes_merge(parts[0].times, parts[k].times)) != PN_OK) goto done;
    if ((rc = pn_nstimes_final(parts[0].times, &grid, &ng)) != PN_OK) goto done;
    for (size_t k = 0; k < t; k++) {
        parts[k].grid = grid;
        parts[k].ng = ng;
    }
    if ((rc = run_phase(parts, t, 2)) != PN_OK) goto done;
    for (size_t k = 1; k < t; k++)
        if ((rc = pn_nsagg_merge(parts[0].agg, parts[k].agg)) != PN_OK) goto done;
    rc = pn_nsagg_final(parts[0].agg, out);
done:
    for (size_t k = 0; k < t; k++) {
        pn_nsagg_free(parts[k].agg);
        pn_nstimes_free(parts[k].times);
    }
    pn_free(grid);
    pn_free(rows);
    return rc;
}
