/* cuminc_gray.c - Gray's (1988) test that the cumulative incidence of one event type is the same
 * in every group, stratified, with rho = 0: the score and its variance of cmprsk's crstm.f
 * (subroutine crst, per stratum, summed over strata), transcribed operation for operation from
 * the per-time counts of the tables (docs/methods.md, "Gray's test"). The statistic is
 * s' V^-1 s, chi-square with (groups - 1) degrees of freedom; -1 when V is singular, as cmprsk
 * reports it (its QR rank test is approximated by a pivoted Cholesky with the same tolerance).
 */
#include "pronostic/cuminc.h"
#include "pronostic/alloc.h"
#include "cuminc_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One (cell, time) of a stratum: the time, the cell's test group, and the cell's row of counts. */
typedef struct grayrow {
    double time;
    uint32_t group;
    const double *event; /* m unweighted event counts */
    double censor;
} grayrow;

static int cmp_row(const void *pa, const void *pb)
{
    const grayrow *a = pa, *b = pb;
    return (a->time > b->time) - (a->time < b->time);
}

/* The scratch of crst for ng groups. */
typedef struct crst {
    size_t ng, ng1;
    double *rs, *f1m, *f1, *skmm, *skm, *v3, *v2, *c, *a, *d1, *d2, *d0;
} crst;

/* crst of one stratum (rows sorted by time) for event type `cause` (1..m): adds its score to
 * s (ng1) and its variance to v (packed lower triangle, ng1 (ng1 + 1) / 2). */
static void crst_run(crst *w, const grayrow *rows, size_t nrows, size_t m, size_t cause,
                     double *s, double *v)
{
    size_t ng = w->ng, ng1 = w->ng1;
    double *rs = w->rs, *f1m = w->f1m, *f1 = w->f1, *skmm = w->skmm, *skm = w->skm, *v3 = w->v3,
           *v2 = w->v2, *c = w->c, *a = w->a, *d1 = w->d1, *d2 = w->d2, *d0 = w->d0;
    for (size_t i = 0; i < ng; i++) {
        rs[i] = 0;
        f1m[i] = f1[i] = 0;
        skmm[i] = skm[i] = 1;
        v3[i] = 0;
        for (size_t j = 0; j < ng1; j++) v2[j * ng + i] = 0;
        for (size_t j = 0; j < ng; j++) c[i * ng + j] = 0;
    }
    for (size_t r = 0; r < nrows; r++) {
        double n = rows[r].censor;
        for (size_t e = 0; e < m; e++) n += rows[r].event[e];
        rs[rows[r].group] += n;
    }
    double fm = 0, f = 0;
    for (size_t ll = 0; ll < nrows;) {
        size_t lu = ll;
        while (lu < nrows && rows[lu].time == rows[ll].time) lu++;
        for (size_t i = 0; i < ng; i++) d0[i] = d1[i] = d2[i] = 0;
        for (size_t r = ll; r < lu; r++) {
            size_t g = rows[r].group;
            d0[g] += rows[r].censor;
            for (size_t e = 0; e < m; e++) {
                if (e + 1 == cause) d1[g] += rows[r].event[e];
                else d2[g] += rows[r].event[e];
            }
        }
        double nd1 = 0, nd2 = 0;
        for (size_t i = 0; i < ng; i++) {
            nd1 += d1[i];
            nd2 += d2[i];
        }
        if (nd1 != 0 || nd2 != 0) {
            double tr = 0, tq = 0;
            for (size_t i = 0; i < ng; i++) {
                if (rs[i] <= 0) continue;
                double td = d1[i] + d2[i];
                skm[i] = skmm[i] * (rs[i] - td) / rs[i];
                f1[i] = f1m[i] + (skmm[i] * d1[i]) / rs[i];
                tr = tr + rs[i] / skmm[i];
                tq = tq + rs[i] * (1 - f1m[i]) / skmm[i];
            }
            f = fm + nd1 / tr;
            const double fb = 1; /* (1 - fm)^rho, rho = 0 */
            for (size_t i = 0; i < ng; i++) {
                for (size_t j = i; j < ng; j++) a[i * ng + j] = 0;
                if (rs[i] <= 0) continue;
                double t1 = rs[i] / skmm[i];
                a[i * ng + i] = fb * t1 * (1 - t1 / tr);
                c[i * ng + i] = c[i * ng + i] + a[i * ng + i] * nd1 / (tr * (1 - fm));
                for (size_t j = i + 1; j < ng; j++) {
                    if (rs[j] <= 0) continue;
                    a[i * ng + j] = -fb * t1 * rs[j] / (skmm[j] * tr);
                    c[i * ng + j] = c[i * ng + j] + a[i * ng + j] * nd1 / (tr * (1 - fm));
                }
            }
            for (size_t i = 1; i < ng; i++)
                for (size_t j = 0; j < i; j++) {
                    a[i * ng + j] = a[j * ng + i];
                    c[i * ng + j] = c[j * ng + i];
                }
            for (size_t i = 0; i < ng1; i++) {
                if (rs[i] <= 0) continue;
                s[i] = s[i] + fb * (d1[i] - nd1 * rs[i] * (1 - f1m[i]) / (skmm[i] * tq));
            }
            if (nd1 > 0) {
                for (size_t k = 0; k < ng; k++) {
                    if (rs[k] <= 0) continue;
                    double t4 = 1;
                    if (skm[k] > 0) t4 = 1 - (1 - f) / skm[k];
                    double t5 = 1;
                    if (nd1 > 1) t5 = 1 - (nd1 - 1) / (tr * skmm[k] - 1);
                    double t3 = t5 * skmm[k] * nd1 / (tr * rs[k]);
                    v3[k] = v3[k] + t4 * t4 * t3;
                    for (size_t i = 0; i < ng1; i++) {
                        double t1 = a[i * ng + k] - t4 * c[i * ng + k];
                        v2[i * ng + k] = v2[i * ng + k] + t1 * t4 * t3;
                        for (size_t j = 0; j <= i; j++) {
                            double t2 = a[j * ng + k] - t4 * c[j * ng + k];
                            v[i * (i + 1) / 2 + j] += t1 * t2 * t3;
                        }
                    }
                }
            }
            if (nd2 != 0) {
                for (size_t k = 0; k < ng; k++) {
                    if (skm[k] <= 0 || d2[k] <= 0) continue;
                    double t4 = (1 - f) / skm[k];
                    double t5 = 1;
                    if (d2[k] > 1) t5 = 1 - (d2[k] - 1.0) / (rs[k] - 1.0);
                    double t6 = rs[k];
                    double t3 = t5 * ((skmm[k] * skmm[k]) * d2[k]) / (t6 * t6);
                    v3[k] = v3[k] + t4 * t4 * t3;
                    for (size_t i = 0; i < ng1; i++) {
                        double t1 = t4 * c[i * ng + k];
                        v2[i * ng + k] = v2[i * ng + k] - t1 * t4 * t3;
                        for (size_t j = 0; j <= i; j++) {
                            double t2 = t4 * c[j * ng + k];
                            v[i * (i + 1) / 2 + j] += t1 * t2 * t3;
                        }
                    }
                }
            }
        }
        if (lu >= nrows) break;
        for (size_t i = 0; i < ng; i++) rs[i] -= d0[i] + d1[i] + d2[i];
        fm = f;
        for (size_t i = 0; i < ng; i++) {
            f1m[i] = f1[i];
            skmm[i] = skm[i];
        }
        ll = lu;
    }
    for (size_t i = 0; i < ng1; i++)
        for (size_t j = 0; j <= i; j++) {
            double *l = &v[i * (i + 1) / 2 + j];
            for (size_t k = 0; k < ng; k++) {
                *l = *l + c[i * ng + k] * c[j * ng + k] * v3[k];
                *l = *l + c[i * ng + k] * v2[j * ng + k];
                *l = *l + c[j * ng + k] * v2[i * ng + k];
            }
        }
}

/* s' V^-1 s for the symmetric n x n matrix V (overwritten), or -1 when V is singular: a
 * pivoted Cholesky refusing a pivot below 1e-7 times its column's original size (R's qr tol). */
static double quad_form(double *V, const double *s, size_t n, double *x, size_t *perm)
{
    for (size_t i = 0; i < n; i++) perm[i] = i;
    double big = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(V[i * n + i]) > big) big = fabs(V[i * n + i]);
    /* L D L' of V with diagonal pivoting; x = the solution of V x = s */
    for (size_t j = 0; j < n; j++) {
        size_t p = j;
        for (size_t i = j + 1; i < n; i++)
            if (fabs(V[perm[i] * n + perm[i]]) > fabs(V[perm[p] * n + perm[p]])) p = i;
        size_t tmp = perm[j];
        perm[j] = perm[p];
        perm[p] = tmp;
        double piv = V[perm[j] * n + perm[j]];
        if (!(fabs(piv) > 1e-7 * big)) return -1;
        for (size_t i = j + 1; i < n; i++) {
            double l = V[perm[i] * n + perm[j]] / piv;
            for (size_t k = j + 1; k < n; k++)
                V[perm[i] * n + perm[k]] -= l * V[perm[j] * n + perm[k]];
            V[perm[i] * n + perm[j]] = l;
        }
    }
    /* solve L y = s (permuted), D z = y, L' x = z; statistic s' x */
    for (size_t i = 0; i < n; i++) {
        double y = s[perm[i]];
        for (size_t j = 0; j < i; j++) y -= V[perm[i] * n + perm[j]] * x[j];
        x[i] = y;
    }
    for (size_t i = 0; i < n; i++) x[i] /= V[perm[i] * n + perm[i]];
    for (size_t i = n; i-- > 0;)
        for (size_t j = i + 1; j < n; j++) x[i] -= V[perm[j] * n + perm[i]] * x[j];
    double q = 0;
    for (size_t i = 0; i < n; i++) q += s[perm[i]] * x[i];
    return q;
}

int pn_cuminc_gray(const pn_cuminctables *tabs, const uint32_t *group, size_t ngroups,
                   const uint32_t *stratum, size_t nstrata, pn_gray_result *res)
{
    size_t m = tabs->m, ncell = tabs->ngroups, ng = ngroups, ng1 = ng - 1;
    if (ng < 2 || tabs->any_entry || tabs->nonunit) return PN_EINVAL;
    if (nstrata == 0 || stratum == NULL) nstrata = 1;
    for (size_t c = 0; c < ncell; c++)
        if (group[c] >= ng || (stratum != NULL && stratum[c] >= nstrata)) return PN_EINVAL;
    size_t nrows = 0;
    for (size_t c = 0; c < ncell; c++) nrows += tabs->tab[c].k;
    grayrow *rows = pn_malloc((nrows ? nrows : 1) * sizeof *rows);
    double *work = pn_calloc(ng * (9 + 3 * ng) + ng1 * (ng1 + 2) + ng1 * ng1 + ng1, sizeof *work);
    size_t *perm = pn_malloc((ng1 ? ng1 : 1) * sizeof *perm);
    if (rows == NULL || work == NULL || perm == NULL) {
        pn_free(rows);
        pn_free(work);
        pn_free(perm);
        return PN_ENOMEM;
    }
    crst w = {.ng = ng, .ng1 = ng1};
    double *q = work;
    w.rs = q; q += ng;
    w.f1m = q; q += ng;
    w.f1 = q; q += ng;
    w.skmm = q; q += ng;
    w.skm = q; q += ng;
    w.v3 = q; q += ng;
    w.d0 = q; q += ng;
    w.d1 = q; q += ng;
    w.d2 = q; q += ng;
    w.v2 = q; q += ng * ng;
    w.c = q; q += ng * ng;
    w.a = q; q += ng * ng;
    double *s = q, *v = s + ng1, *V = v + ng1 * (ng1 + 1) / 2, *x = V + ng1 * ng1;
    res->df = (int)ng1;
    for (size_t cause = 1; cause <= m; cause++) {
        memset(s, 0, ng1 * sizeof *s);
        memset(v, 0, ng1 * (ng1 + 1) / 2 * sizeof *v);
        for (size_t ks = 0; ks < nstrata; ks++) {
            size_t n = 0;
            for (size_t c = 0; c < ncell; c++) {
                if (stratum != NULL && stratum[c] != ks) continue;
                const pn_cuminctable *t = &tabs->tab[c];
                const double *cnt = tabs->cnt + tabs->cnt_off[c];
                for (size_t i = 0; i < t->k; i++)
                    rows[n++] = (grayrow){t->time[i], group[c], cnt + t->k + i * m,
                                          cnt[t->k + t->k * m + i]};
            }
            if (n == 0) continue;
            qsort(rows, n, sizeof *rows, cmp_row);
            crst_run(&w, rows, n, m, cause, s, v);
        }
        for (size_t i = 0; i < ng1; i++)
            for (size_t j = 0; j <= i; j++)
                V[i * ng1 + j] = V[j * ng1 + i] = v[i * (i + 1) / 2 + j];
        double stat = quad_form(V, s, ng1, x, perm);
        res->stat[cause - 1] = stat;
        res->p[cause - 1] = stat < 0 ? 1 : gsl_cdf_chisq_Q(stat, (double)ng1);
    }
    pn_free(rows);
    pn_free(work);
    pn_free(perm);
    return PN_OK;
}
