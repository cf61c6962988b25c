/* logrank.c - the log-rank / G-rho test statistic with strata (R's survdiff), computed from the
 * per-(stratum, group, time) counts of the Kaplan-Meier aggregate: a pure kernel over tables,
 * and a convenience entry point over rows that builds the aggregate first. */
#include "pronostic/logrank.h"
#include "pronostic/alloc.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Offsets of the workspace pieces, all multiples of 16 bytes (for long double). */
typedef struct pn__lr_layout {
    size_t risk, dead, sobs, sexp, aobs, aexp, vv, rhs, sol, idx, cur, km, total;
} pn__lr_layout;

static size_t pn__round16(size_t x) { return (x + 15) & ~(size_t)15; }

static int pn__lr_layout_of(size_t k, size_t ntimes, pn__lr_layout *l)
{
    if (k > 65536 || ntimes > SIZE_MAX / 64) return PN_EINVAL;
    size_t o = 0;
    l->risk = o; o += pn__round16(k * sizeof(double));
    l->dead = o; o += pn__round16(k * sizeof(double));
    l->sobs = o; o += pn__round16(k * sizeof(double));
    l->sexp = o; o += pn__round16(k * sizeof(double));
    l->aobs = o; o += pn__round16(k * sizeof(long double));
    l->aexp = o; o += pn__round16(k * sizeof(long double));
    l->vv = o;   o += pn__round16(k * k * sizeof(double));
    l->rhs = o;  o += pn__round16(k * sizeof(double));
    l->sol = o;  o += pn__round16(k * sizeof(double));
    l->idx = o;  o += pn__round16(k * sizeof(size_t));
    l->cur = o;  o += pn__round16(k * sizeof(size_t));
    l->km = o;   o += pn__round16(ntimes * sizeof(double));
    l->total = o;
    return PN_OK;
}

size_t pn_logrank_work_size(size_t ngroups, size_t ntimes)
{
    pn__lr_layout l;
    if (pn__lr_layout_of(ngroups, ntimes, &l) != PN_OK) return SIZE_MAX;
    return l.total ? l.total : 16;
}

/* Quadratic form b' A^- b for the symmetric positive semi-definite m x m matrix A (row-major,
 * overwritten by its LDL' factors), with a generalised inverse: pivots below a tolerance
 * relative to the largest diagonal are taken as zero and their rows dropped. `x` is scratch
 * for m doubles. Returns the form; *rank receives the number of non-zero pivots. */
static double pn__quadform_ginv(double *a, const double *b, double *x, size_t m, int *rank)
{
    double big = 0;
    for (size_t i = 0; i < m; i++)
        if (fabs(a[i * m + i]) > big) big = fabs(a[i * m + i]);
    const double eps = big * 1.8189894035458565e-12; /* DBL_EPSILON^0.75, as coxph's toler */
    int r = 0;
    for (size_t j = 0; j < m; j++) {
        double piv = a[j * m + j];
        if (!(piv > eps)) {
            for (size_t i = j; i < m; i++) a[i * m + j] = 0;
            a[j * m + j] = 0;
            continue;
        }
        r++;
        for (size_t i = j + 1; i < m; i++) {
            double t = a[i * m + j] / piv;
            a[i * m + j] = t;
            for (size_t c = j + 1; c <= i; c++) a[i * m + c] -= t * a[c * m + j] * piv;
        }
    }
    /* solve L y = b (unit lower triangle), then form y' D^- y */
    double q = 0;
    for (size_t i = 0; i < m; i++) {
        double s = b[i];
        for (size_t c = 0; c < i; c++) s -= a[i * m + c] * x[c];
        x[i] = s;
    }
    for (size_t i = 0; i < m; i++)
        if (a[i * m + i] != 0) q += x[i] * x[i] / a[i * m + i];
    *rank = r;
    return q;
}

int pn_logrank_tables(const pn_kmtable *tab, size_t ngroups, size_t nstrata, double rho,
                      void *work, size_t work_size, pn_logrank_result *out)
{
    size_t k = ngroups, ntimes = 0;
    for (size_t i = 0; k >= 2 && i < nstrata * k; i++) ntimes += tab[i].k;
    pn__lr_layout l;
    if (k < 2 || nstrata < 1 || pn__lr_layout_of(k, ntimes, &l) != PN_OK || work == NULL ||
        work_size < l.total || !(rho >= 0) || !isfinite(rho))
        return PN_EINVAL;
    unsigned char *w = work;
    double *risk = (double *)(void *)(w + l.risk), *dead = (double *)(void *)(w + l.dead);
    double *vv = (double *)(void *)(w + l.vv), *rhs = (double *)(void *)(w + l.rhs);
    double *sol = (double *)(void *)(w + l.sol), *km = (double *)(void *)(w + l.km);
    size_t *idx = (size_t *)(void *)(w + l.idx), *cur = (size_t *)(void *)(w + l.cur);
    double *obs = (double *)(void *)(w + l.sobs), *exp = (double *)(void *)(w + l.sexp);
    long double *aobs = (long double *)(void *)(w + l.aobs);
    long double *aexp = (long double *)(void *)(w + l.aexp);
    double *var = out->var;

    for (size_t g = 0; g < k; g++) {
        out->n[g] = 0;
        aobs[g] = aexp[g] = 0;
    }
    for (size_t i = 0; i < k * k; i++) var[i] = 0;
    int any_death = 0;
    /* as survdiff: observed and expected per stratum in double, then summed over strata with a
     * long double accumulator (R's sum()); the variance is accumulated across strata */
    for (size_t s = 0; s < nstrata; s++) {
        const pn_kmtable *ts = tab + s * k;
        /* forward over the distinct times: the pooled Kaplan-Meier, left-continuous
         * (km[j] = S(t_j -)), which the backward pass needs only when rho != 0 */
        size_t nt = 0;
        double surv = 1;
        for (size_t g = 0; g < k; g++) cur[g] = 0;
        for (;;) {
            double t = INFINITY;
            for (size_t g = 0; g < k; g++)
                if (cur[g] < ts[g].k && ts[g].time[cur[g]] < t) t = ts[g].time[cur[g]];
            if (t == INFINITY) break;
            double nrisk = 0, deaths = 0;
            for (size_t g = 0; g < k; g++) {
                const pn_kmtable *tg = &ts[g];
                if (cur[g] >= tg->k) continue;
                nrisk += tg->n_risk[cur[g]];
                if (tg->time[cur[g]] == t) deaths += tg->n_event[cur[g]++];
            }
            km[nt++] = surv;
            surv = surv * (nrisk - deaths) / nrisk;
        }
        /* backward over the distinct times, as survdiff, so that the sums are formed in R's
         * order: risk[g] is the group's count at risk at the current time */
        for (size_t g = 0; g < k; g++) {
            out->n[g] += (double)ts[g].n_records;
            obs[g] = exp[g] = risk[g] = 0;
            cur[g] = ts[g].k; /* one past the next row to consume, going down */
        }
        for (size_t j = nt; j-- > 0;) {
            double t = -INFINITY;
            for (size_t g = 0; g < k; g++)
                if (cur[g] > 0 && ts[g].time[cur[g] - 1] > t) t = ts[g].time[cur[g] - 1];
            double nrisk = 0, deaths = 0;
            for (size_t g = 0; g < k; g++) {
                const pn_kmtable *tg = &ts[g];
                dead[g] = 0;
                if (cur[g] > 0 && tg->time[cur[g] - 1] == t) {
                    cur[g]--;
                    risk[g] = tg->n_risk[cur[g]];
                    dead[g] = tg->n_event[cur[g]];
                }
                nrisk += risk[g];
                deaths += dead[g];
            }
            double wt = rho == 0 ? 1 : pow(km[j], rho);
            for (size_t g = 0; g < k; g++) {
                /* survdiff adds the weight once per death */
                if (dead[g] == floor(dead[g]) && dead[g] <= 1e9)
                    for (double d = 0; d < dead[g]; d++) obs[g] += wt;
                else
                    obs[g] += wt * dead[g];
            }
            if (!(deaths > 0)) continue;
            any_death = 1;
            for (size_t g = 0; g < k; g++) exp[g] += wt * deaths * risk[g] / nrisk;
            if (nrisk > 1) {
                double w2 = wt * wt;
                for (size_t a = 0; a < k; a++) {
                    double tmp = w2 * deaths * risk[a] * (nrisk - deaths) / (nrisk * (nrisk - 1));
                    var[a * k + a] += tmp;
                    for (size_t b = 0; b < k; b++) var[a * k + b] -= tmp * risk[b] / nrisk;
                }
            }
        }
        for (size_t g = 0; g < k; g++) {
            aobs[g] += obs[g];
            aexp[g] += exp[g];
        }
    }
    obs = out->observed;
    exp = out->expected;
    for (size_t g = 0; g < k; g++) {
        obs[g] = (double)aobs[g];
        exp[g] = (double)aexp[g];
    }

    /* the statistic over the groups with a positive expected count, the first one left out */
    size_t m = 0;
    for (size_t g = 0; g < k; g++)
        if (exp[g] > 0) idx[m++] = g;
    out->singular = 0;
    out->chisq = 0;
    out->df = 0;
    if (m >= 2) {
        size_t d = m - 1;
        for (size_t a = 0; a < d; a++) {
            rhs[a] = obs[idx[a + 1]] - exp[idx[a + 1]];
            for (size_t b = 0; b < d; b++) vv[a * d + b] = var[idx[a + 1] * k + idx[b + 1]];
        }
        int rank = 0;
        out->chisq = pn__quadform_ginv(vv, rhs, sol, d, &rank);
        out->df = rank;
        out->singular = (size_t)rank < d;
    }
    if (!any_death) out->p = NAN;
    else if (out->df == 0) out->p = 1;
    else out->p = gsl_cdf_chisq_Q(out->chisq, out->df);
    return PN_OK;
}

int pn_logrank_final(const pn_kmagg *agg, size_t ngroups, size_t nstrata, const uint32_t *recode,
                     double rho, pn_logrank_result *out)
{
    size_t k = ngroups;
    if (k < 2 || nstrata < 1 || k > 65536 || nstrata > UINT32_MAX / k) return PN_EINVAL;
    pn_kmtables *tabs = NULL;
    void *work = NULL;
    int rc = pn_kmagg_tables(agg, nstrata * k, recode, &tabs);
    if (rc != PN_OK) return rc;
    size_t ntimes = 0;
    for (size_t i = 0; i < nstrata * k; i++) ntimes += tabs->tab[i].k;
    size_t ws = pn_logrank_work_size(k, ntimes);
    work = ws == SIZE_MAX ? NULL : pn_malloc(ws);
    rc = work == NULL ? PN_ENOMEM : pn_logrank_tables(tabs->tab, k, nstrata, rho, work, ws, out);
    pn_free(work);
    pn_kmtables_free(tabs);
    return rc;
}

int pn_logrank(const pn_logrank_input *in, void *work, size_t work_size, pn_logrank_result *out)
{
    size_t n = in->n, k = in->ngroups;
    size_t ns = in->stratum ? in->nstrata : 1;
    if (k < 2 || ns < 1 || k > 65536 || ns > UINT32_MAX / k) return PN_EINVAL;
    for (size_t r = 0; r < n; r++) {
        int32_t g = in->group[r], s = in->stratum ? in->stratum[r] : 0;
        double t = in->time[r];
        if (g < 0 || (size_t)g >= k || s < 0 || (size_t)s >= ns || !isfinite(t) || t < 0)
            return PN_EINVAL;
    }
    pn_kmagg *agg = NULL;
    pn_kmtables *tabs = NULL;
    int rc = pn_kmagg_new(&agg);
    for (size_t r = 0; r < n && rc == PN_OK; r++) {
        size_t s = in->stratum ? (size_t)in->stratum[r] : 0;
        rc = pn_kmagg_add(agg, (uint32_t)(s * k + (size_t)in->group[r]), NAN, in->time[r],
                          in->event[r] != 0, 1.0);
    }
    if (rc == PN_OK) rc = pn_kmagg_tables(agg, ns * k, NULL, &tabs);
    if (rc == PN_OK) rc = pn_logrank_tables(tabs->tab, k, ns, in->rho, work, work_size, out);
    pn_kmtables_free(tabs);
    pn_kmagg_free(agg);
    return rc;
}
