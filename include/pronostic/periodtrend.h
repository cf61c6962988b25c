/* periodtrend.h - net survival by period of diagnosis and its trend toward a target year, as the
 * `trend` subcommand and the report compute them (docs/methods.md, "Trend to 2030"): the
 * estimate of each period at each horizon, the weighted least-squares trend of those estimates
 * on the periods' mid-years, its projection (a proportion: cut to [0, 1]) and the change from
 * the first period with an estimate to the last. */
#ifndef PRONOSTIC_PERIODTREND_H
#define PRONOSTIC_PERIODTREND_H

#include "pronostic/error.h"
#include "pronostic/netsurv.h"
#include "pronostic/period.h"
#include "pronostic/trend.h"

#include <stddef.h>

/* The mid-year of a period (2010-2014: 2012.5), the x of the trend. */
double pn_period_midyear(const pn_period *period);

/* The estimates of every period: Pohar-Perme, or the ICSS `standard` (1..3) age-standardised
 * one, at the `nh` horizons at_days[] (days), of the rows of `all` (its row list ignored)
 * diagnosed in each period (year[i] the decimal year of diagnosis) with a follow-up > 0, rows
 * aged under 15 left out when standardising (`agegroup[i]` < 0; counted in *young). Outputs,
 * caller buffers indexed [p * nh + h]: est, se (NaN for a period without rows); per period p:
 * n[p] rows and events[p] deaths. *flags receives the life table's PN_RATE_* flags. On an
 * estimation failure returns its code with *failed the period's index. */
typedef struct pn_period_estimates_in {
    const pn_netsurv_input *all;  /* every row (time, status, age, date, sex) */
    const double *year;           /* decimal year of diagnosis of each row */
    const int *agegroup;          /* ICSS age group of each row (-1 under 15) */
    const pn_period *periods;
    size_t nperiods;
    const double *at_days;
    size_t nh;
    int standard;                 /* 0: Pohar-Perme of all ages */
    int scheme;                   /* enum pn_netsurv_scheme */
    const pn_ratetable *rt;
    const pn_netsurv_driver *drv; /* NULL: one part */
} pn_period_estimates_in;
int pn_period_estimates(const pn_period_estimates_in *in, double *est, double *se, double *n,
                        double *events, size_t *young, unsigned *flags, size_t *failed);

/* The trend of the period estimates est[p] (standard errors se[p]) of the `np` periods toward
 * `target_year`, with limits at the normal quantile z: Wald limits of the slope and of the
 * change, the projection and its limits cut to [0, 1]. ok is 0 (nothing else set) when fewer
 * than two periods have an estimate. */
typedef struct pn_trend_summary {
    int ok;
    pn_trend fit;
    double slope_lower, slope_upper;
    double projection, projection_lower, projection_upper;  /* in [0, 1] */
    double diff_lower, diff_upper;
    size_t first, last;           /* the first and last periods with an estimate */
} pn_trend_summary;
void pn_trend_summarise(const pn_period *periods, const double *est, const double *se, size_t np,
                        double target_year, double z, pn_trend_summary *out);

#endif
