/* periodtrend.c - net survival by period of diagnosis and its trend (periodtrend.h), shared by
 * the `trend` subcommand and the report. */
#include "pronostic/periodtrend.h"
#include "pronostic/alloc.h"
#include "pronostic/standardise.h"

#include <math.h>

double pn_period_midyear(const pn_period *period)
{
    return (period->from + period->to + 1) / 2.0;
}

int pn_period_estimates(const pn_period_estimates_in *in, double *est, double *se, double *n,
                        double *events, size_t *young, unsigned *flags, size_t *failed)
{
    const pn_netsurv_input *all = in->all;
    size_t *rows = pn_malloc((all->n ? all->n : 1) * sizeof *rows);
    if (rows == NULL) return PN_ENOMEM;
    *young = 0;
    int rc = PN_OK;
    for (size_t p = 0; p < in->nperiods && rc == PN_OK; p++) {
        const pn_period *per = &in->periods[p];
        size_t nr = 0;
        n[p] = events[p] = 0;
        for (size_t i = 0; i < all->n; i++) {
            int y = (int)floor(in->year[i]);
            if (y < per->from || y > per->to || !(all->time[i] > 0)) continue;
            if (in->standard && in->agegroup[i] < 0) {
                (*young)++;
                continue;
            }
            rows[nr++] = i;
            n[p] += 1;
            events[p] += all->status[i];
        }
        double *e = est + p * in->nh, *s = se + p * in->nh;
        if (nr == 0) {
            for (size_t h = 0; h < in->nh; h++) e[h] = s[h] = NAN;
            continue;
        }
        pn_netsurv_input part = *all;
        part.rows = rows;
        part.n = nr;
        rc = pn_netsurv_point(&part, in->rt, in->drv, in->scheme, in->standard, in->agegroup,
                              in->at_days, in->nh, e, s, NULL, NULL, NULL, flags);
        if (rc != PN_OK) *failed = p;
    }
    pn_free(rows);
    return rc;
}

void pn_trend_summarise(const pn_period *periods, const double *est, const double *se, size_t np,
                        double target_year, double z, pn_trend_summary *out)
{
    out->ok = 0;
    double *x = pn_malloc((np ? np : 1) * sizeof *x);
    if (x == NULL) return;
    for (size_t p = 0; p < np; p++) x[p] = pn_period_midyear(&periods[p]);
    int fit = pn_trend_fit(x, est, se, np, target_year, &out->fit);
    pn_free(x);
    if (fit != PN_OK) return;
    const pn_trend *t = &out->fit;
    out->ok = 1;
    out->slope_lower = t->slope - z * t->slope_se;
    out->slope_upper = t->slope + z * t->slope_se;
    out->diff_lower = t->diff - z * t->diff_se;
    out->diff_upper = t->diff + z * t->diff_se;
    /* a proportion: the straight line and its limits are cut to [0, 1] */
    out->projection = fmin(1, fmax(0, t->projection));
    out->projection_lower = fmin(1, fmax(0, t->projection - z * t->projection_se));
    out->projection_upper = fmin(1, fmax(0, t->projection + z * t->projection_se));
    out->first = out->last = np;
    for (size_t p = 0; p < np; p++)
        if (isfinite(est[p]) && se[p] > 0) {
            if (out->first == np) out->first = p;
            out->last = p;
        }
}
