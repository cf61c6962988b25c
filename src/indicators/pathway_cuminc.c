/* pathway_cuminc.c - the cumulative incidence of treatment of a row's records (the Aalen-Johansen
 * estimator of stats/cuminc.h, death before treatment competing). */
#include "pathway_rows_internal.h"
#include "pronostic/cuminc.h"

#include <math.h>

int pn__pw_cuminc(const pn_pathway_set *set, const size_t *idx, size_t n, int origin, int day,
                  double *est, double *lower, double *upper, pn_diag *diag)
{
    *est = *lower = *upper = NAN;
    pn_cumincagg *agg = NULL;
    if (pn_cumincagg_new(&agg, 2) != PN_OK)
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    size_t used = 0;
    int rc = PN_OK;
    for (size_t k = 0; k < n && rc == PN_OK; k++) {
        const pn_pw_record *r = &set->rec[idx[k]];
        if (r->ci_time[origin] < 0) continue;
        rc = pn_cumincagg_add(agg, 0, NAN, (double)r->ci_time[origin], r->ci_state[origin], 1.0);
        used++;
    }
    double se;
    if (rc == PN_OK && used > 0)
        rc = pn_cumincagg_estimate(agg, 0, 1, (double)day, 0.95, est, &se, lower, upper);
    pn_cumincagg_free(agg);
    if (rc == PN_ENOMEM) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    if (rc != PN_OK) return pn_diag_set(diag, rc, "pathway: the cumulative incidence of treatment failed");
    return PN_OK;
}
