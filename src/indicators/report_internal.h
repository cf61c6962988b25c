/* report_internal.h - what the report's files share: the cell estimators over a list of rows
 * of a cohort, kept apart so that each file includes only the kernel header it needs. */
#ifndef PRONOSTIC_REPORT_INTERNAL_H
#define PRONOSTIC_REPORT_INTERNAL_H

#include "pronostic/cohort.h"
#include "pronostic/ratetable.h"

#include <stddef.h>

/* Observed survival (Kaplan-Meier, R's log limits at level `conf`) of the `n` cohort rows
 * listed in rows[], read at the `m` increasing times at[] (days). est/lower/upper are caller
 * buffers of m values; a time beyond the last follow-up gives 0 when the curve has reached 0,
 * else NaN. PN_OK or PN_ENOMEM. */
int pn__report_observed(const pn_cohort *c, const size_t *rows, size_t n, const double *at,
                        size_t m, double conf, double *est, double *lower, double *upper);

/* The cohort's columns as the net-survival kernel takes them, follow-up cut at `tmax` days
 * (those followed longer are censored there: the curve below tmax is unchanged).
 * Owned by the caller: pn__report_netdata_free. */
typedef struct pn__report_netdata {
    double *time, *age_days, *date;
    int *status, *sex;
} pn__report_netdata;
int pn__report_netdata_init(pn__report_netdata *d, const pn_cohort *c, double tmax);
void pn__report_netdata_free(pn__report_netdata *d);

/* Net survival of the `n` rows listed in rows[] (each with follow-up > 0; for standard > 0,
 * aged 15 or more): Pohar-Perme when `standard` is 0, else ICSS `standard` age-standardised,
 * read at the m times at[] (days). est, se (of the survival), lower, upper: caller buffers of m
 * values; log limits at level `conf`. `flags` receives PN_RATE_* flags. PN_OK, PN_ENOMEM. */
int pn__report_net(const pn__report_netdata *d, const size_t *rows, size_t n,
                   const pn_ratetable *rt, int scheme, int standard, const double *at, size_t m,
                   double conf, double *est, double *se, double *lower, double *upper,
                   unsigned *flags);

/* The report's horizons in years (1 and 5). */
#define PN__REPORT_NH 2
extern const double pn__report_horizons[PN__REPORT_NH];

/* Deaths up to each horizon among the n cohort rows listed in rows[], in ev[PN__REPORT_NH]. */
void pn__report_count_events(const pn_cohort *c, const size_t *rows, size_t n, long long *ev);

#endif
