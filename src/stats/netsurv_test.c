/* netsurv_test.c - Grafféo's log-rank-type test comparing net survival between groups
 * (Grafféo, Castell, Belot, Giorgi 2016), computed as relsurv's rs.diff: on a daily grid
 * (the union of 1, 2, ..., max time and the observed times), with exact integration of the
 * expected hazard within each grid interval. */
#include "pronostic/netsurv.h"
#include "pronostic/alloc.h"
#include "pronostic/num.h"
#include "netsurv_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>

int pn_netsurv_test(const pn_netsurv_input *in, const pn_ratetable *rt, const int *group, int k,
                    const int *stratum, int nstrata, double *chisq, int *df, double *p,
                    double *zh, unsigned *flags)
{
    if (k < 2) return PN_EINVAL;
    if (stratum == NULL) nstrata = 1;
    size_t n = in->n;
    double tmax = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = pn__ns_row(in, i);
        if (!(in->time[r] > 0) || !isfinite(in->time[r])) return PN_EINVAL;
        if (group[i] < 0 || group[i] >= k) return PN_EINVAL;
        if (stratum && (stratum[i] < 0 || stratum[i] >= nstrata)) return PN_EINVAL;
        if (in->time[r] > tmax) tmax = in->time[r];
    }
    if (tmax > 1e6) return PN_ERANGE;  /* a daily grid over more than 2,700 years */
    /* grid: 1, 2, ..., <= tmax, and every observed time */
    size_t nint = (size_t)floor(tmax);
    double *grid = pn_malloc((nint + n + 1) * sizeof *grid);
    if (grid == NULL) return PN_ENOMEM;
    size_t ng = 0;
    for (size_t t = 1; t <= nint; t++) grid[ng++] = (double)t;
    for (size_t i = 0; i < n; i++) grid[ng++] = in->time[pn__ns_row(in, i)];
    qsort(grid, ng, sizeof *grid, pn_cmp_double);
    size_t u = 0;
    for (size_t i = 0; i < ng; i++)
        if (u == 0 || grid[i] != grid[u - 1]) grid[u++] = grid[i];
    ng = u;

    size_t cells = ng * (size_t)k * (size_t)nstrata;
    double *acc = pn_calloc(cells ? cells : 1, 3 * sizeof(double));
    double *z = pn_calloc((size_t)k, sizeof *z);
    double *cov = pn_calloc((size_t)k * (size_t)k, sizeof *cov);
    int rc = PN_ENOMEM;
    if (acc == NULL || z == NULL || cov == NULL) goto done;
    double *wrisk = acc, *wevent = acc + cells, *dsq = acc + 2 * cells;
#define CELL(j, g, s) (((size_t)(s) * ng + (j)) * (size_t)k + (size_t)(g))
    for (size_t i = 0; i < n; i++) {
        size_t r = pn__ns_row(in, i);
        int g = group[i], s = stratum ? stratum[i] : 0;
        size_t k1 = pn__grid_first(grid, ng, in->time[r], 0);
        size_t k0 = in->entry ? pn__grid_first(grid, ng, in->entry[r], 1) : 0;
        pn_rate_cursor c;
        pn_rate_cursor_init(&c, rt, in->sex[r], in->age[r], in->date[r]);
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
        if (flags) *flags |= c.flags;
    }
    for (int s = 0; s < nstrata; s++)
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
                for (int a = 0; a < k; a++) {
                    double ya = (a == kt) - wrisk[CELL(j, a, s)] / W;
                    for (int b = 0; b < k; b++) {
                        double yb = (b == kt) - wrisk[CELL(j, b, s)] / W;
                        cov[a * k + b] += ya * yb * d;
                    }
                }
            }
        }
#undef CELL
    /* chi-square z' V^+ z over the k groups, V^+ the Moore-Penrose inverse of V (its
     * eigenvalues below DBL_EPSILON^0.75 times the largest taken as zero), df its rank. The
     * rows of V and the entries of z sum to zero, so when V has rank k - 1 this is rs.diff's
     * z' V^-1 z over the first k - 1 groups, whichever group is left out. When V is singular
     * (a group never at risk when anyone dies, no death at all), where rs.diff's solve() stops,
     * it is the form over the directions V spans, the same whatever the order of the groups. */
    {
        size_t kk = (size_t)k;
        gsl_matrix *V = gsl_matrix_alloc(kk, kk), *U = gsl_matrix_alloc(kk, kk);
        gsl_vector *ev = gsl_vector_alloc(kk);
        gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(kk);
        int ok = V && U && ev && ws;
        if (ok) {
            for (size_t a = 0; a < kk; a++)
                for (size_t b = 0; b < kk; b++) gsl_matrix_set(V, a, b, cov[a * kk + b]);
            gsl_error_handler_t *old = gsl_set_error_handler_off();
            ok = gsl_eigen_symmv(V, ev, U, ws) == 0;
            gsl_set_error_handler(old);
        }
        double q = 0, big = 0;
        int rank = 0;
        for (size_t i = 0; ok && i < kk; i++)
            if (gsl_vector_get(ev, i) > big) big = gsl_vector_get(ev, i);
        for (size_t i = 0; ok && i < kk; i++) {
            double lambda = gsl_vector_get(ev, i);
            if (!(lambda > big * 1.8189894035458565e-12)) continue; /* DBL_EPSILON^0.75 */
            double uz = 0;
            for (size_t a = 0; a < kk; a++) uz += gsl_matrix_get(U, a, i) * z[a];
            q += uz * uz / lambda;
            rank++;
        }
        gsl_eigen_symmv_free(ws);
        gsl_vector_free(ev);
        gsl_matrix_free(U);
        gsl_matrix_free(V);
        if (!ok) goto done;
        if (!isfinite(q)) { rc = PN_ESINGULAR; goto done; }
        /* no death at all: the test is undefined (p missing, as pn_logrank); df 0 otherwise
         * gives p 1 (R: pchisq(0, 0, lower.tail = FALSE)) */
        int any_death = 0;
        for (size_t i = 0; i < n && !any_death; i++) any_death = in->status[pn__ns_row(in, i)] == 1;
        *chisq = q;
        *df = rank;
        *p = !any_death ? NAN : rank > 0 ? gsl_cdf_chisq_Q(q, rank) : 1;
        if (zh)
            for (int g = 0; g < k; g++) zh[g] = z[g];
    }
    rc = PN_OK;
done:
    pn_free(cov);
    pn_free(z);
    pn_free(acc);
    pn_free(grid);
    return rc;
}
