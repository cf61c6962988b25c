/* cuminc.c - the Aalen-Johansen estimate of the cumulative incidence of each competing event with
 * its infinitesimal-jackknife (IJ) standard error, as R's survfitci.c (survival 3.5) computes
 * them, its confidence limits (survfit_confint with logse = FALSE) and its values at chosen
 * times (summary.survfitms). docs/methods.md, "Cumulative incidence (Aalen-Johansen)".
 *
 * The state vector p = (p0, p1..pm) (p0: no event yet) moves at each time with events by
 * p <- p H, H the identity but for row 0: H00 = 1 - d/n, H0s = d_s/n. R keeps the influence U_i
 * of every subject (a row vector of m + 1) and updates it as U_i <- U_i H, then, for a subject
 * at risk, U_i -= (p0/n) H[0,] and U_i[new state] += p0/n; the variance of p_s is
 * sum_i w_i^2 U_i[s]^2. Here no subject is kept: the subjects at risk that entered at the same
 * time index (a cohort; one cohort without delayed entry) share one U, and the subjects that
 * have left only move by H, so their contribution is the matrix Sigma = sum w^2 U'U, which
 * moves as H' Sigma H. The cost is O(cohorts m + m^3) a time instead of O(n m^2).
 */
#include "pronostic/cuminc.h"
#include "pronostic/alloc.h"
#include "cuminc_internal.h"

#include <math.h>
#include <string.h>

/* Sigma <- H' Sigma H for the H of one time (row 0: h00, h[1..m]; other rows the identity),
 * with `tmp` room for (m+1)^2. */
static void move_sigma(double *sig, size_t q, double h00, const double *h, double *tmp)
{
    /* tmp = Sigma H: column 0 scaled by h00; column s gains column 0 times h[s] */
    for (size_t r = 0; r < q; r++) {
        const double *row = sig + r * q;
        tmp[r * q] = row[0] * h00;
        for (size_t s = 1; s < q; s++) tmp[r * q + s] = row[s] + row[0] * h[s];
    }
    /* Sigma = H' tmp: row 0 scaled by h00; row s gains row 0 times h[s] */
    for (size_t c = 0; c < q; c++) {
        sig[c] = tmp[c] * h00;
        for (size_t s = 1; s < q; s++) sig[s * q + c] = tmp[s * q + c] + tmp[c] * h[s];
    }
}

/* u <- u H (a row vector of q). */
static void move_u(double *u, size_t q, double h00, const double *h)
{
    double u0 = u[0];
    for (size_t s = 1; s < q; s++) u[s] = u[0] * h[s] + u[s];
    u[0] = u0 * h00;
}

int pn_cuminc_curve(const pn_cuminctables *tabs, size_t g, double *est, double *se, double *surv)
{
    const pn_cuminctable *t = &tabs->tab[g];
    size_t k = t->k, m = t->m, q = m + 1;
    if (k == 0) return PN_OK;
    const pn__ciexit *ex = tabs->exits + tabs->exit_off[g];
    size_t nex = tabs->exit_off[g + 1] - tabs->exit_off[g];
    /* scratch: Sigma, tmp, h, p, per cohort U (k+1 of q), W2, rows left, active list */
    double *work = pn_calloc(3 * q * q + 3 * q + (k + 1) * q, sizeof *work);
    uint64_t *left = pn_calloc(k + 1, sizeof *left);
    uint32_t *active = pn_malloc((k + 1) * sizeof *active);
    pn__csum *w2 = pn_calloc(k + 1, sizeof *w2);
    if (work == NULL || left == NULL || active == NULL || w2 == NULL) {
        pn_free(work);
        pn_free(left);
        pn_free(active);
        pn_free(w2);
        return PN_ENOMEM;
    }
    double *sig = work, *tmp = sig + q * q, *h = tmp + 2 * q * q, *p = h + q, *U = p + q,
           *uexit = U + (k + 1) * q;
    for (size_t i = 0; i < nex; i++) {
        pn__csum_add(&w2[ex[i].cohort], ex[i].w2);
        left[ex[i].cohort] += ex[i].n;
    }
    size_t nactive = 0, e = 0;
    p[0] = 1;
    for (size_t i = 0; i < k; i++) {
        if (left[i] > 0) active[nactive++] = (uint32_t)i; /* cohort i is at risk from time i */
        double n = t->n_risk[i], d = 0;
        const double *ev = t->n_event + i * m;
        for (size_t s = 0; s < m; s++) d += ev[s];
        int moves = d > 0;
        double p0 = p[0], step = moves ? p0 / n : 0;
        if (moves) {
            double h00 = 1 - d / n;
            for (size_t s = 0; s < m; s++) h[s + 1] = ev[s] / n;
            move_sigma(sig, q, h00, h, tmp);
            for (size_t a = 0; a < nactive; a++) {
                double *u = U + (size_t)active[a] * q;
                move_u(u, q, h00, h);
                u[0] -= h00 * step;
                for (size_t s = 1; s < q; s++) u[s] -= h[s] * step;
                u[0] += step; /* the subjects that stay in state 0 */
            }
            for (size_t s = 1; s < q; s++) p[s] = p0 * h[s] + p[s];
            p[0] = p0 * h00;
        }
        /* the subjects leaving now: their influence into Sigma, their weight out of the cohort */
        for (; e < nex && ex[e].exit == i; e++) {
            const double *u = U + (size_t)ex[e].cohort * q;
            memcpy(uexit, u, q * sizeof *uexit);
            if (moves && ex[e].state > 0) {
                uexit[0] -= step;
                uexit[ex[e].state] += step;
            }
            for (size_t r = 0; r < q; r++)
                for (size_t c = 0; c < q; c++) sig[r * q + c] += ex[e].w2 * uexit[r] * uexit[c];
            pn__csum_add(&w2[ex[e].cohort], -ex[e].w2);
            left[ex[e].cohort] -= ex[e].n;
        }
        for (size_t a = 0; a < nactive;) {
            if (left[active[a]] == 0) active[a] = active[--nactive];
            else a++;
        }
        for (size_t s = 1; s < q; s++) {
            double v = sig[s * q + s];
            for (size_t a = 0; a < nactive; a++) {
                double us = U[(size_t)active[a] * q + s];
                v += pn__csum_value(w2[active[a]]) * us * us;
            }
            est[i * m + s - 1] = p[s];
            se[i * m + s - 1] = sqrt(v > 0 ? v : 0);
        }
        if (surv != NULL) surv[i] = p[0];
    }
    pn_free(work);
    pn_free(left);
    pn_free(active);
    pn_free(w2);
    return PN_OK;
}

void pn_cuminc_limits(double p, double se, pn_conf_type type, double z, double *lower,
                      double *upper)
{
    /* survfit_confint: se of log p = se / p (0 when se is 0), then survival's limits */
    double selog = se == 0 ? 0 : se / p;
    pn_conf_limits(p, selog, type, z, PN_CONF_SURVFIT, lower, upper);
}

/* Index of the last time <= x, or -1. */
static ptrdiff_t last_at_or_before(const double *time, size_t k, double x)
{
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time[mid] <= x) lo = mid + 1;
        else hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

static void value_at(const pn_cuminctable *t, const double *est, const double *se, size_t s,
                     ptrdiff_t i, pn_conf_type type, double z, double *e, double *sd, double *lo,
                     double *hi)
{
    double a = 0, b = 0, l = 0, u = 0; /* before the first time: survfit0's row of p0 */
    if (i >= 0) {
        a = est[(size_t)i * t->m + s - 1];
        b = se[(size_t)i * t->m + s - 1];
        pn_cuminc_limits(a, b, type, z, &l, &u);
    }
    if (e) *e = a;
    if (sd) *sd = b;
    if (lo) *lo = l;
    if (hi) *hi = u;
}

void pn_cuminc_value(const pn_cuminctable *t, const double *est, const double *se, size_t s,
                     double at, pn_conf_type type, double z, double *est_at, double *se_at,
                     double *lower_at, double *upper_at)
{
    value_at(t, est, se, s, last_at_or_before(t->time, t->k, at), type, z, est_at, se_at,
             lower_at, upper_at);
}

size_t pn_cuminc_at(const pn_cuminctable *t, const double *est, const double *se, size_t s,
                    const double *at, size_t nat, pn_conf_type type, double z, double *n_risk,
                    double *n_event, double *est_at, double *se_at, double *lower_at,
                    double *upper_at)
{
    if (t->k == 0) return 0;
    double last = t->time[t->k - 1];
    if (last < 0) last = 0; /* survfit0's start time min(0, first time) */
    size_t rows = 0;
    ptrdiff_t prev = -1;
    for (size_t j = 0; j < nat; j++) {
        double x = at[j];
        if (!isfinite(x) || x > last) continue;
        ptrdiff_t i = last_at_or_before(t->time, t->k, x);
        ptrdiff_t ge = (i >= 0 && t->time[i] == x) ? i : i + 1;
        if (n_risk) n_risk[rows] = ge < (ptrdiff_t)t->k ? t->n_risk[ge] : 0;
        double d = 0;
        for (ptrdiff_t r = prev + 1; r <= i; r++) d += t->n_event[(size_t)r * t->m + s - 1];
        if (i > prev) prev = i;
        if (n_event) n_event[rows] = d;
        value_at(t, est, se, s, i, type, z, est_at ? est_at + rows : NULL,
                 se_at ? se_at + rows : NULL, lower_at ? lower_at + rows : NULL,
                 upper_at ? upper_at + rows : NULL);
        rows++;
    }
    return rows;
}

int pn_cumincagg_estimate(const pn_cumincagg *agg, uint32_t group, int s, double at,
                          double conf, double *est, double *se, double *lower, double *upper)
{
    *est = *se = *lower = *upper = NAN;
    if (s < 1 || s > pn_cumincagg_nstates(agg) || !(conf > 0 && conf < 1)) return PN_EINVAL;
    size_t ng = pn_cumincagg_ngroups(agg);
    if (group >= ng) return PN_OK;
    pn_cuminctables *tabs;
    int rc = pn_cumincagg_tables(agg, ng, NULL, PN_CUMINC_TIMEFIX, &tabs);
    if (rc != PN_OK) return rc;
    const pn_cuminctable *t = &tabs->tab[group];
    if (t->k > 0) {
        double *buf = pn_malloc(2 * t->k * t->m * sizeof *buf);
        rc = buf == NULL ? PN_ENOMEM : pn_cuminc_curve(tabs, group, buf, buf + t->k * t->m, NULL);
        if (rc == PN_OK)
            pn_cuminc_value(t, buf, buf + t->k * t->m, (size_t)s, at, PN_CONF_LOG,
                            pn_conf_z(conf), est, se, lower, upper);
        pn_free(buf);
    }
    pn_cuminctables_free(tabs);
    return rc;
}
