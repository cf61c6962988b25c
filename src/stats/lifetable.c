/* lifetable.c - the actuarial life table over fixed intervals (Cutler & Ederer 1958), from the
 * per-time counts of one stratum (docs/methods.md, "Life table"). */
#include "pronostic/lifetable.h"

#include <math.h>

void pn_lifetable(const pn_kmtable *t, const double *cuts, size_t m, double *n_start,
                  double *n_event, double *n_censor, double *n_risk, double *surv,
                  double *selog)
{
    double alive = 0;
    for (size_t i = 0; i < t->k; i++) alive += t->n_event[i] + t->n_censor[i];
    double s = 1, var = 0;
    size_t i = 0;
    while (i < t->k && t->time[i] < 0) i++; /* times are >= 0 by contract; be safe */
    for (size_t j = 0; j < m; j++) {
        double d = 0, c = 0;
        for (; i < t->k && t->time[i] < cuts[j]; i++) {
            d += t->n_event[i];
            c += t->n_censor[i];
        }
        double eff = alive - c / 2;
        n_start[j] = alive;
        n_event[j] = d;
        n_censor[j] = c;
        n_risk[j] = eff;
        if (eff > 0 && d > 0) {
            s *= (eff - d) / eff;
            var += d / (eff * (eff - d));
        }
        surv[j] = s;
        selog[j] = sqrt(var);
        alive -= d + c;
    }
}
