/* trend.h - the trend of survival estimates across periods of diagnosis, toward a target year
 * (docs/methods.md, "Trend to 2030"). A stats/ kernel: no I/O, no global state. */
#ifndef PRONOSTIC_TREND_H
#define PRONOSTIC_TREND_H

#include "pronostic/error.h"

#include <stddef.h>

/* Trend across periods: inverse-variance weighted least squares of the estimates y[p]
 * (standard errors se[p]) on the periods' mid-years x[p]. Outputs slope per year and its se,
 * the two-sided p-value of slope = 0, the projection at `target_year` with its se, and the
 * difference last - first period with its p-value. Periods with a non-finite estimate or
 * se <= 0 are skipped; fewer than 2 usable periods gives PN_EEMPTY. */
typedef struct pn_trend {
    double slope, slope_se, slope_p;
    double projection, projection_se;
    double diff, diff_se, diff_p;
    int nperiods;
} pn_trend;
int pn_trend_fit(const double *x, const double *y, const double *se, size_t m, double target_year,
                 pn_trend *out);

#endif
