/* report_observed.c - the report's observed survival cells: Kaplan-Meier of a list of cohort
 * rows read at the horizons, with the km.h kernels (R's survfit and summary.survfit). */
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/km.h"
#include "report_internal.h"

#include <math.h>

int pn__report_observed(const pn_cohort *c, const size_t *rows, size_t n, const double *at,
                        size_t m, double conf, double *est, double *lower, double *upper)
{
    pn_kmagg *agg = NULL;
    pn_kmtables *tabs = NULL;
    double *buf = NULL;
    int rc;
    for (size_t j = 0; j < m; j++) est[j] = lower[j] = upper[j] = NAN;
    if (n == 0) return PN_OK;
    if ((rc = pn_kmagg_new(&agg)) != PN_OK) goto done;
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        if ((rc = pn_kmagg_add(agg, 0, NAN, c->time[r], c->event[r] != 0, 1.0)) != PN_OK)
            goto done;
    }
    if ((rc = pn_kmagg_tables(agg, 1, NULL, &tabs)) != PN_OK) goto done;
    const pn_kmtable *t = &tabs->tab[0];
    rc = PN_ENOMEM;
    buf = pn_calloc(2 * t->k + 8 * m, sizeof *buf);
    if (buf == NULL) goto done;
    double *surv = buf, *selog = buf + t->k, *b = buf + 2 * t->k;
    pn_km_curve(t, PN_KM_KAPLAN_MEIER, surv, selog);
    size_t got = pn_km_at(t, surv, selog, at, m, PN_CONF_LOG, pn_conf_z(conf), b, b + m,
                          b + 2 * m, b + 3 * m, b + 4 * m, b + 5 * m, b + 6 * m);
    /* pn_km_at writes the times up to the last follow-up, in order: at[0..got-1] */
    for (size_t j = 0; j < got; j++) {
        est[j] = b[3 * m + j];
        lower[j] = b[5 * m + j];
        upper[j] = b[6 * m + j];
    }
    for (size_t j = got; j < m; j++)
        if (t->k > 0 && surv[t->k - 1] == 0) est[j] = 0;
    rc = PN_OK;
done:
    pn_free(buf);
    pn_kmtables_free(tabs);
    pn_kmagg_free(agg);
    return rc;
}
