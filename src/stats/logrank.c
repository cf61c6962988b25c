/* logrank.c - the log-rank / G-rho test statistic with strata (R's survdiff), a pure kernel. */
#include "pronostic/logrank.h"
#include "pronostic/timefix.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One subject, sorted by stratum, then time, then deaths before censorings (as survdiff). */
typedef struct pn__lr_rec {
    double time;
    int32_t stratum;
    int32_t group;
    int32_t status;
    int32_t pad;
} pn__lr_rec;

/* Offsets of the workspace pieces, all multiples of 16 bytes (for long double). */
typedef struct pn__lr_layout {
    size_t rec, uniq, km, risk, sobs, sexp, aobs, aexp, vv, rhs, sol, idx, total;
} pn__lr_layout;

static size_t pn__round16(size_t x) { return (x + 15) & ~(size_t)15; }

static int pn__lr_layout_of(size_t n, size_t k, pn__lr_layout *l)
{
    if (n > SIZE_MAX / 64 || k > 65536) return PN_EINVAL;
    size_t o = 0;
    l->rec = o;  o += pn__round16(n * sizeof(pn__lr_rec));
    l->uniq = o; o += pn__round16(n * sizeof(double));
    l->km = o;   o += pn__round16(n * sizeof(double));
    l->risk = o; o += pn__round16(k * sizeof(double));
    l->sobs = o; o += pn__round16(k * sizeof(double));
    l->sexp = o; o += pn__round16(k * sizeof(double));
    l->aobs = o; o += pn__round16(k * sizeof(long double));
    l->aexp = o; o += pn__round16(k * sizeof(long double));
    l->vv = o;   o += pn__round16(k * k * sizeof(double));
    l->rhs = o;  o += pn__round16(k * sizeof(double));
    l->sol = o;  o += pn__round16(k * sizeof(double));
    l->idx = o;  o += pn__round16(k * sizeof(size_t));
    l->total = o;
    return PN_OK;
}

size_t pn_logrank_work_size(size_t n, size_t ngroups)
{
    pn__lr_layout l;
    if (pn__lr_layout_of(n, ngroups, &l) != PN_OK) return SIZE_MAX;
    return l.total ? l.total : 8;
}

static int pn__cmp_rec(const void *a, const void *b)
{
    const pn__lr_rec *x = a, *y = b;
    if (x->stratum != y->stratum) return x->stratum < y->stratum ? -1 : 1;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    return (y->status > x->status) - (y->status < x->status); /* deaths first */
}

/* Make times that differ by rounding only exactly equal (timefix.h). `uniq` is scratch for n
 * doubles. */
static void pn__timefix(pn__lr_rec *rec, size_t n, double *uniq)
{
    for (size_t i = 0; i < n; i++) uniq[i] = rec[i].time;
    int merged;
    size_t ncut = pn_timefix_cuts(uniq, n, &merged);
    if (!merged) return;
    for (size_t r = 0; r < n; r++) rec[r].time = pn_timefix_map(uniq, ncut, rec[r].time);
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

int pn_logrank(const pn_logrank_input *in, void *work, size_t work_size, pn_logrank_result *out)
{
    size_t n = in->n, k = in->ngroups;
    size_t ns = in->stratum ? in->nstrata : 1;
    pn__lr_layout l;
    if (k < 2 || pn__lr_layout_of(n, k, &l) != PN_OK || work == NULL || work_size < l.total ||
        !(in->rho >= 0) || !isfinite(in->rho) || ns < 1)
        return PN_EINVAL;
    unsigned char *w = work;
    pn__lr_rec *rec = (pn__lr_rec *)(void *)(w + l.rec);
    double *uniq = (double *)(void *)(w + l.uniq), *km = (double *)(void *)(w + l.km);
    double *risk = (double *)(void *)(w + l.risk), *vv = (double *)(void *)(w + l.vv);
    double *rhs = (double *)(void *)(w + l.rhs), *sol = (double *)(void *)(w + l.sol);
    size_t *idx = (size_t *)(void *)(w + l.idx);
    double *sobs = (double *)(void *)(w + l.sobs), *sexp = (double *)(void *)(w + l.sexp);
    long double *aobs = (long double *)(void *)(w + l.aobs);
    long double *aexp = (long double *)(void *)(w + l.aexp);

    for (size_t g = 0; g < k; g++) out->n[g] = out->observed[g] = out->expected[g] = 0;
    for (size_t i = 0; i < k * k; i++) out->var[i] = 0;
    for (size_t r = 0; r < n; r++) {
        int32_t g = in->group[r], s = in->stratum ? in->stratum[r] : 0;
        double t = in->time[r];
        if (g < 0 || (size_t)g >= k || s < 0 || (size_t)s >= ns || !isfinite(t) || t < 0)
            return PN_EINVAL;
        rec[r] = (pn__lr_rec){.time = t, .stratum = s, .group = g, .status = in->event[r] != 0};
        out->n[g] += 1;
    }
    pn__timefix(rec, n, uniq);
    qsort(rec, n, sizeof *rec, pn__cmp_rec);

    /* as survdiff: observed and expected per stratum in double, then summed over strata with a
     * long double accumulator (R's sum()); the variance is accumulated across strata */
    double *obs = sobs, *exp = sexp, *var = out->var;
    for (size_t g = 0; g < k; g++) aobs[g] = aexp[g] = 0;
    double rho = in->rho;
    int any_death = 0;
    for (size_t start = 0; start < n;) {
        size_t end = start + 1; /* one past the stratum's last subject */
        while (end < n && rec[end].stratum == rec[start].stratum) end++;
        /* pooled Kaplan-Meier of the stratum, left-continuous: km[i] = S(t_i -) */
        if (rho != 0) {
            double s = 1;
            for (size_t i = start; i < end;) {
                size_t j = i;
                double deaths = 0, nrisk = (double)(end - i);
                while (j < end && rec[j].time == rec[i].time) {
                    km[j] = s;
                    deaths += rec[j].status;
                    j++;
                }
                s = s * (nrisk - deaths) / nrisk;
                i = j;
            }
        }
        for (size_t g = 0; g < k; g++) risk[g] = obs[g] = exp[g] = 0;
        /* backwards over the distinct times, so that risk[] holds the numbers at risk */
        for (size_t i = end; i > start;) {
            size_t j = i - 1;
            double t = rec[j].time;
            double wt = rho == 0 ? 1 : pow(km[j], rho);
            double deaths = 0;
            for (;;) {
                const pn__lr_rec *p = &rec[j];
                deaths += p->status;
                risk[p->group] += 1;
                obs[p->group] += p->status * wt;
                if (j == start || rec[j - 1].time != t) break;
                j--;
            }
            i = j;
            double nrisk = (double)(end - j);
            if (deaths > 0) {
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
        }
        for (size_t g = 0; g < k; g++) {
            aobs[g] += obs[g];
            aexp[g] += exp[g];
        }
        start = end;
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
