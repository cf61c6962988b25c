/* report_net.c - the report's net survival cells: Pohar-Perme, all ages or ICSS
 * age-standardised, of a list of cohort rows read at the horizons (netsurv.h kernels). */
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/date.h"
#include "pronostic/standardise.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

void pn__report_netdata_free(pn__report_netdata *d)
{
    if (d == NULL) return;
    pn_free(d->time);
    pn_free(d->age_days);
    pn_free(d->date);
    pn_free(d->status);
    pn_free(d->sex);
    memset(d, 0, sizeof *d);
}

int pn__report_netdata_init(pn__report_netdata *d, const pn_cohort *c, double tmax)
{
    size_t n = c->n ? c->n : 1;
    memset(d, 0, sizeof *d);
    d->time = pn_malloc(n * sizeof *d->time);
    d->age_days = pn_malloc(n * sizeof *d->age_days);
    d->date = pn_malloc(n * sizeof *d->date);
    d->status = pn_malloc(n * sizeof *d->status);
    d->sex = pn_malloc(n * sizeof *d->sex);
    if (!d->time || !d->age_days || !d->date || !d->status || !d->sex) {
        pn__report_netdata_free(d);
        return PN_ENOMEM;
    }
    for (size_t i = 0; i < c->n; i++) {
        /* censoring at tmax leaves every grid time below tmax, and so the curve there, as it
         * was; it spares the daily integration of the long survivors' later years */
        int cut = c->time[i] > tmax;
        d->time[i] = cut ? tmax : c->time[i];
        d->status[i] = cut ? 0 : c->event[i] != 0;
        d->age_days[i] = c->age_years[i] * PN_DAYS_PER_YEAR;
        d->date[i] = c->diag_date[i];
        d->sex[i] = c->sex[i];
    }
    return PN_OK;
}

int pn__report_net(const pn__report_netdata *d, const size_t *rows, size_t n,
                   const pn_ratetable *rt, int scheme, int standard, const double *at, size_t m,
                   double conf, double *est, double *se, double *lower, double *upper,
                   unsigned *flags)
{
    for (size_t j = 0; j < m; j++) est[j] = se[j] = lower[j] = upper[j] = NAN;
    if (n == 0) return PN_OK;
    pn_netsurv_input in = {.n = n, .rows = rows, .time = d->time, .status = d->status,
                           .age_days = d->age_days, .date = d->date, .sex = d->sex};
    int rc = pn_netsurv_point(&in, rt, NULL, scheme, standard, NULL, at, m, est, se, NULL, NULL,
                              NULL, flags);
    if (rc != PN_OK) return rc;
    for (size_t j = 0; j < m; j++) {
        if (!isfinite(est[j])) {
            est[j] = se[j] = NAN;
            continue;
        }
        /* log limits, as relsurv's default: se of log S is se(S) / S */
        if (est[j] > 0)
            pn_conf_limits(est[j], se[j] / est[j], PN_CONF_LOG, pn_conf_z(conf), PN_CONF_RSSURV,
                           &lower[j], &upper[j]);
    }
    return PN_OK;
}
