/* netsurv_test.c - Grafféo's log-rank-type test comparing net survival between groups
 * (Grafféo, Castell, Belot, Giorgi 2016), computed as relsurv's rs.diff: on a daily grid
 * (the union of 1, 2, ..., max time and the observed times), with exact integration of the
 * expected hazard within each grid interval. A mergeable state (netsurv_test.h): the sums per
 * (grid time, group, stratum), added part by part; the test is its final. */
#include "pronostic/netsurv_test.h"
#include "pronostic/alloc.h"
#include "pronostic/num.h"
#include "netsurv_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>

size_t pn__nstest_grid(const double *times, size_t ntimes, double *grid)
{
    size_t nint = ntimes ? (size_t)floor(times[ntimes - 1]) : 0, ng = 0, i = 0;
    for (size_t t = 1; t <= nint || i < ntimes;) {
        double x;
        if (i >= ntimes || (t <= nint && (double)t <= times[i])) {
            x = (double)t++;
            if (i < ntimes && times[i] == x) i++;
        } else {
            x = times[i++];
        }
        if (grid) grid[ng] = x;
        ng++;
    }
    return ng;
}

void pn_nstestagg_free(pn_nstestagg *a)
{
    if (a == NULL) return;
    pn_free(a->acc);
    pn_free(a->grid);
    pn_free(a->times);
    pn_free(a);
}

int pn__nstestagg_alloc(pn_nstestagg **out, const double *times, size_t ntimes, int k,
                        int nstrata)
{
    *out = NULL;
    size_t ng = pn__nstest_grid(times, ntimes, NULL);
    if ((size_t)k > SIZE_MAX / (size_t)nstrata || ng > SIZE_MAX / 3 / ((size_t)k * (size_t)nstrata))
        return PN_ENOMEM;
    pn_nstestagg *a = pn_calloc(1, sizeof *a);
    if (a == NULL) return PN_ENOMEM;
    a->k = k;
    a->nstrata = nstrata;
    a->ntimes = ntimes;
    a->ng = ng;
    a->cells = ng * (size_t)k * (size_t)nstrata;
    a->times = pn_malloc((ntimes ? ntimes : 1) * sizeof *a->times);
    a->grid = pn_malloc((ng ? ng : 1) * sizeof *a->grid);
    a->acc = pn_calloc(a->cells ? a->cells : 1, 3 * sizeof *a->acc);
    if (a->times == NULL || a->grid == NULL || a->acc == NULL) {
        pn_nstestagg_free(a);
        return PN_ENOMEM;
    }
    if (ntimes) memcpy(a->times, times, ntimes * sizeof *times);
    pn__nstest_grid(times, ntimes, a->grid);
    *out = a;
    return PN_OK;
}

int pn_nstestagg_new(pn_nstestagg **out, const double *times, size_t ntimes, int k, int nstrata)
{
    *out = NULL;
    if (k < 2 || k > PN__NSTEST_MAX || nstrata < 1 || nstrata > PN__NSTEST_MAX ||
        pn__ns_bad_time(times, ntimes) < ntimes)
        return PN_EINVAL;
    /* a daily grid over more than 2,700 years */
    if (ntimes > 0 && times[ntimes - 1] > PN__NS_MAX_DAYS) return PN_ERANGE;
    return pn__nstestagg_alloc(out, times, ntimes, k, nstrata);
}

int pn_nstestagg_add(pn_nstestagg *a, const pn_netsurv_input *in, const pn_ratetable *rt,
                     const int *group, const int *stratum)
{
    const int k = a->k;
    const size_t ng = a->ng;
    const double *grid = a->grid;
    for (size_t i = 0; i < in->n; i++) {
        double t = in->time[pn__ns_row(in, i)];
        size_t j = pn__grid_first(grid, ng, t, 0);
        if (j == ng || grid[j] != t || group[i] < 0 || group[i] >= k ||
            (stratum && (stratum[i] < 0 || stratum[i] >= a->nstrata)))
            return PN_EINVAL;
    }
    double *wrisk = a->acc, *wevent = a->acc + a->cells, *dsq = a->acc + 2 * a->cells;
#define CELL(j, g, s) (((size_t)(s) * ng + (j)) * (size_t)k + (size_t)(g))
    for (size_t i = 0; i < in->n; i++) {
        size_t r = pn__ns_row(in, i);
        int g = group[i], s = stratum ? stratum[i] : 0;
        size_t k1 = pn__grid_first(grid, ng, in->time[r], 0);
        size_t k0 = in->entry ? pn__grid_first(grid, ng, in->entry[r], 1) : 0;
        pn_rate_cursor c;
        pn_rate_cursor_init(&c, rt, in->sex[r], in->age_days[r], in->date[r]);
        double L = 0;
        for (size_t j = 0; j <= k1; j++) {
            double Lnew = pn_rate_cursor_cumhaz(&c, grid[j]);
            double dL = Lnew - L;
            L = Lnew;
            if (j < k0) continue;
            double e = exp(L);
            wrisk[CELL(j, g, s)] += e;
            wevent[CELL(j, g, s)] -= dL * e;
            if (j == k1 && in->status[r] == 1) {
                wevent[CELL(j, g, s)] += e;
                dsq[CELL(j, g, s)] += e * e;
            }
        }
        a->flags |= c.flags;
        if (in->status[r] == 1) a->any_death = 1;
    }
#undef CELL
    a->n += in->n;
    return PN_OK;
}

int pn_nstestagg_merge(pn_nstestagg *dst, const pn_nstestagg *src)
{
    if (dst->k != src->k || dst->nstrata != src->nstrata || dst->ntimes != src->ntimes ||
        (dst->ntimes && memcmp(dst->times, src->times, dst->ntimes * sizeof *dst->times) != 0))
        return PN_EINVAL;
    for (size_t j = 0; j < 3 * dst->cells; j++) dst->acc[j] += src->acc[j];
    dst->flags |= src->flags;
    dst->any_death |= src->any_death;
    dst->n += src->n;
    return PN_OK;
}

/* The chi-square z' V^+ z over the k groups, V^+ the Moore-Penrose inverse of V (its
 * eigenvalues below DBL_EPSILON^0.75 times the largest taken as zero), df its rank. The rows of
 * V and the entries of z sum to zero, so when V has rank k - 1 this is rs.diff's z' V^-1 z over
 * the first k - 1 groups, whichever group is left out. When V is singular (a group never at
 * risk when anyone dies, no death at all), where rs.diff's solve() stops, it is the form over
 * the directions V spans, the same whatever the order of the groups. PN_OK, PN_ENOMEM, or
 * PN_EINTERNAL when the eigensolver fails (GSL's error handler is the program's: off). */
static int moore_penrose_form(const double *cov, const double *z, size_t kk, double *q, int *rank)
{
    gsl_matrix *V = gsl_matrix_alloc(kk, kk), *U = gsl_matrix_alloc(kk, kk);
    gsl_vector *ev = gsl_vector_alloc(kk);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(kk);
    int rc = V && U && ev && ws ? PN_OK : PN_ENOMEM;
    if (rc == PN_OK) {
        for (size_t a = 0; a < kk; a++)
            for (size_t b = 0; b < kk; b++) gsl_matrix_set(V, a, b, cov[a * kk + b]);
        if (gsl_eigen_symmv(V, ev, U, ws) != 0) rc = PN_EINTERNAL;
    }
    double big = 0;
    *q = 0;
    *rank = 0;
    for (size_t i = 0; rc == PN_OK && i < kk; i++)
        if (gsl_vector_get(ev, i) > big) big = gsl_vector_get(ev, i);
    for (size_t i = 0; rc == PN_OK && i < kk; i++) {
        double lambda = gsl_vector_get(ev, i);
        if (!(lambda > big * 1.8189894035458565e-12)) continue; /* DBL_EPSILON^0.75 */
        double uz = 0;
        for (size_t a = 0; a < kk; a++) uz += gsl_matrix_get(U, a, i) * z[a];
        *q += uz * uz / lambda;
        (*rank)++;
    }
    gsl_eigen_symmv_free(ws);
    gsl_vector_free(ev);
    gsl_matrix_free(U);
    gsl_matrix_free(V);
    return rc;
}

int pn_nstestagg_final(const pn_nstestagg *a, double *chisq, int *df, double *p, double *zh,
                       unsigned *flags)
{
    const int k = a->k;
    const size_t ng = a->ng;
    const double *wrisk = a->acc, *wevent = a->acc + a->cells, *dsq = a->acc + 2 * a->cells;
    double *z = pn_calloc((size_t)k, sizeof *z);
    double *cov = pn_calloc((size_t)k * (size_t)k, sizeof *cov);
    int rc = PN_ENOMEM;
    if (z == NULL || cov == NULL) goto done;
#define CELL(j, g, s) (((size_t)(s) * ng + (j)) * (size_t)k + (size_t)(g))
    for (int s = 0; s < a->nstrata; s++)
        for (size_t j = 0; j < ng; j++) {
            double W = 0, E = 0;
            for (int g = 0; g < k; g++) {
                W += wrisk[CELL(j, g, s)];
                E += wevent[CELL(j, g, s)];
            }
            if (!(W > 0)) continue;
            for (int g = 0; g < k; g++)
                z[g] += wevent[CELL(j, g, s)] - wrisk[CELL(j, g, s)] / W * E;
            for (int kt = 0; kt < k; kt++) {
                double d = dsq[CELL(j, kt, s)];
                if (d == 0) continue;
                for (int ia = 0; ia < k; ia++) {
                    double ya = (ia == kt) - wrisk[CELL(j, ia, s)] / W;
                    for (int ib = 0; ib < k; ib++) {
                        double yb = (ib == kt) - wrisk[CELL(j, ib, s)] / W;
                        cov[ia * k + ib] += ya * yb * d;
                    }
                }
            }
        }
#undef CELL
    double q;
    int rank;
    if ((rc = moore_penrose_form(cov, z, (size_t)k, &q, &rank)) != PN_OK) goto done;
    if (!isfinite(q)) { rc = PN_ESINGULAR; goto done; }
    /* no death at all: the test is undefined (p missing, as pn_logrank); df 0 otherwise gives
     * p 1 (R: pchisq(0, 0, lower.tail = FALSE)) */
    *chisq = q;
    *df = rank;
    *p = !a->any_death ? NAN : rank > 0 ? gsl_cdf_chisq_Q(q, rank) : 1;
    if (zh)
        for (int g = 0; g < k; g++) zh[g] = z[g];
    if (flags) *flags |= a->flags;
    rc = PN_OK;
done:
    pn_free(cov);
    pn_free(z);
    return rc;
}

int pn_netsurv_test(const pn_netsurv_input *in, const pn_ratetable *rt, const int *group, int k,
                    const int *stratum, int nstrata, double *chisq, int *df, double *p,
                    double *zh, unsigned *flags)
{
    if (k < 2) return PN_EINVAL;
    if (stratum == NULL) nstrata = 1;
    double tmax = 0;
    for (size_t i = 0; i < in->n; i++) {
        size_t r = pn__ns_row(in, i);
        if (!(in->time[r] > 0) || !isfinite(in->time[r])) return PN_EINVAL;
        if (group[i] < 0 || group[i] >= k) return PN_EINVAL;
        if (stratum && (stratum[i] < 0 || stratum[i] >= nstrata)) return PN_EINVAL;
        if (in->time[r] > tmax) tmax = in->time[r];
    }
    if (tmax > PN__NS_MAX_DAYS) return PN_ERANGE;  /* a daily grid over more than 2,700 years */
    pn_nstimes *times = NULL;
    pn_nstestagg *agg = NULL;
    double *grid = NULL;
    size_t ng = 0;
    int rc;
    if ((rc = pn_nstimes_new(&times)) != PN_OK || (rc = pn_nstimes_add(times, in)) != PN_OK ||
        (rc = pn_nstimes_final(times, &grid, &ng)) != PN_OK ||
        (rc = pn_nstestagg_new(&agg, grid, ng, k, nstrata)) != PN_OK ||
        (rc = pn_nstestagg_add(agg, in, rt, group, stratum)) != PN_OK)
        goto done;
    rc = pn_nstestagg_final(agg, chisq, df, p, zh, flags);
done:
    pn_nstestagg_free(agg);
    pn_free(grid);
    pn_nstimes_free(times);
    return rc;
}
