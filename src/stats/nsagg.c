/* nsagg.c - phase 2 of the net-survival states (netsurv.h): the Pohar-Perme or Ederer II sums
 * of a part of the subjects on a grid of distinct times, added part by part (each part walked
 * by its integration scheme, netsurv_exact.c or netsurv_relsurv.c), merged by adding the sums,
 * and turned into the curve. A part's subjects are walked in increasing order of follow-up
 * time, so that one part holding every subject gives the sums, bit for bit, of a single pass. */
#include "pronostic/netsurv.h"
#include "pronostic/alloc.h"
#include "netsurv_internal.h"

#include <stdlib.h>
#include <string.h>

void pn_nsagg_free(pn_nsagg *a)
{
    if (a == NULL) return;
    pn_free(a->acc);
    pn_free(a->first_step);
    pn_free(a->len);
    pn_free(a->st);
    pn_free(a->grid);
    pn_free(a);
}

int pn__nsagg_alloc(pn_nsagg **out, const double *grid, size_t ng, int method, int scheme)
{
    *out = NULL;
    if ((method != PN_NETSURV_POHAR_PERME && method != PN_NETSURV_EDERER2) ||
        (scheme != PN_NETSURV_EXACT && scheme != PN_NETSURV_RELSURV) ||
        pn__ns_bad_time(grid, ng) < ng)
        return PN_EINVAL;
    /* one step per day of the longest follow-up: refuse absurd spans (over 2,700 years) */
    if (scheme == PN_NETSURV_RELSURV && ng > 0 && grid[ng - 1] > PN__NS_MAX_DAYS) return PN_ERANGE;
    pn_nsagg *a = pn_calloc(1, sizeof *a);
    if (a == NULL) return PN_ENOMEM;
    a->method = method;
    a->scheme = scheme;
    a->ng = ng;
    a->grid = pn_malloc((ng ? ng : 1) * sizeof *a->grid);
    if (a->grid == NULL) goto fail;
    if (ng) memcpy(a->grid, grid, ng * sizeof *grid);
    if (scheme == PN_NETSURV_RELSURV) {
        a->nsteps = pn__ns_steps(grid, ng, NULL, NULL, NULL);
        a->st = pn_malloc((a->nsteps ? a->nsteps : 1) * sizeof *a->st);
        a->len = pn_malloc((a->nsteps ? a->nsteps : 1) * sizeof *a->len);
        a->first_step = pn_malloc((ng + 1) * sizeof *a->first_step);
        if (a->st == NULL || a->len == NULL || a->first_step == NULL) goto fail;
        pn__ns_steps(grid, ng, a->st, a->len, a->first_step);
        a->nacc = pn__ns_relsurv_nacc(ng, a->nsteps);
    } else {
        a->nacc = pn__ns_exact_nacc(ng);
    }
    a->acc = pn_calloc(a->nacc, sizeof *a->acc);
    if (a->acc == NULL) goto fail;
    *out = a;
    return PN_OK;
fail:
    pn_nsagg_free(a);
    return PN_ENOMEM;
}

int pn_nsagg_new(pn_nsagg **out, const double *grid, size_t ng, int method, int scheme)
{
    return pn__nsagg_alloc(out, grid, ng, method, scheme);
}

size_t pn_nsagg_ntimes(const pn_nsagg *a)
{
    return a->ng;
}

static int cmp_time(const void *a, const void *b)
{
    double x = ((const pn__ns_sorted *)a)->time, y = ((const pn__ns_sorted *)b)->time;
    return (x > y) - (x < y);
}

pn__ns_sorted *pn__ns_sort(const pn_netsurv_input *in)
{
    pn__ns_sorted *order = pn_malloc((in->n ? in->n : 1) * sizeof *order);
    if (order == NULL) return NULL;
    for (size_t i = 0; i < in->n; i++) {
        size_t r = pn__ns_row(in, i);
        order[i].time = in->time[r];
        order[i].row = r;
    }
    qsort(order, in->n, sizeof *order, cmp_time);
    return order;
}

int pn__nsagg_walk(pn_nsagg *a, const pn_netsurv_input *in, const pn_ratetable *rt,
                   const pn__ns_sorted *order, const size_t *kend)
{
    if (in->n == 0) return PN_OK;
    pn__ns_walk w = {.in = in, .rt = rt, .order = order, .kend = kend, .agg = a, .rc = PN_OK};
    if (a->scheme == PN_NETSURV_EXACT) pn__ns_walk_exact(&w);
    else if (in->entry) pn__ns_walk_relsurv(&w);
    else pn__ns_walk_relsurv_flat(&w);
    if (w.rc != PN_OK) return w.rc;
    a->flags |= w.flags;
    a->n += in->n;
    return PN_OK;
}

int pn_nsagg_add(pn_nsagg *a, const pn_netsurv_input *in, const pn_ratetable *rt)
{
    int rc = pn_netsurv_check(in, a->method);
    if (rc != PN_OK || in->n == 0) return rc;
    size_t n = in->n;
    pn__ns_sorted *order = pn__ns_sort(in);
    size_t *kend = pn_malloc(n * sizeof *kend);
    rc = PN_ENOMEM;
    if (order == NULL || kend == NULL) goto done;
    /* each subject's time on the grid (both sorted: one pass) */
    rc = PN_EINVAL;
    for (size_t i = 0, k = 0; i < n; i++) {
        while (k < a->ng && a->grid[k] < order[i].time) k++;
        if (k == a->ng || a->grid[k] != order[i].time) goto done;
        kend[i] = k;
    }
    rc = pn__nsagg_walk(a, in, rt, order, kend);
done:
    pn_free(kend);
    pn_free(order);
    return rc;
}

int pn_nsagg_merge(pn_nsagg *dst, const pn_nsagg *src)
{
    if (dst->method != src->method || dst->scheme != src->scheme || dst->ng != src->ng ||
        (dst->ng && memcmp(dst->grid, src->grid, dst->ng * sizeof *dst->grid) != 0))
        return PN_EINVAL;
    for (size_t j = 0; j < dst->nacc; j++)
        dst->acc[j] += src->acc[j];
    dst->flags |= src->flags;
    dst->n += src->n;
    return PN_OK;
}

int pn_nsagg_final(const pn_nsagg *a, pn_netsurv_curve *out)
{
    out->len = 0;
    out->flags = 0;
    if (out->cap < a->ng) return PN_EINVAL;
    if (a->scheme == PN_NETSURV_EXACT)
        pn__ns_final_exact(a, out);
    else
        pn__ns_final_relsurv(a, out);
    return PN_OK;
}
