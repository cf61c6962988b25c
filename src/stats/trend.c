/* trend.c - the trend of survival estimates across periods of diagnosis: inverse-variance
 * weighted least squares on the periods' mid-years (each estimate's variance taken as known),
 * the projection to a target year, and the change since the baseline (first) period. */
#include "pronostic/trend.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

int pn_trend_fit(const double *x, const double *y, const double *se, size_t m, double target_year,
                 pn_trend *out)
{
    double sw = 0, swx = 0, swy = 0;
    int np = 0;
    size_t first = m, last = m;
    for (size_t p = 0; p < m; p++) {
        if (!isfinite(y[p]) || !isfinite(x[p]) || !(se[p] > 0) || !isfinite(se[p])) continue;
        double w = 1 / (se[p] * se[p]);
        sw += w;
        swx += w * x[p];
        swy += w * y[p];
        np++;
        if (first == m) first = p;
        last = p;
    }
    out->nperiods = np;
    if (np < 2) return PN_EEMPTY;
    double xb = swx / sw, yb = swy / sw, sxx = 0, sxy = 0;
    for (size_t p = 0; p < m; p++) {
        if (!isfinite(y[p]) || !isfinite(x[p]) || !(se[p] > 0) || !isfinite(se[p])) continue;
        double w = 1 / (se[p] * se[p]);
        sxx += w * (x[p] - xb) * (x[p] - xb);
        sxy += w * (x[p] - xb) * (y[p] - yb);
    }
    if (!(sxx > 0)) return PN_ESINGULAR;
    out->slope = sxy / sxx;
    out->slope_se = sqrt(1 / sxx);
    out->slope_p = 2 * gsl_cdf_ugaussian_Q(fabs(out->slope / out->slope_se));
    out->projection = yb + out->slope * (target_year - xb);
    out->projection_se = sqrt(1 / sw + (target_year - xb) * (target_year - xb) / sxx);
    out->diff = y[last] - y[first];
    out->diff_se = sqrt(se[last] * se[last] + se[first] * se[first]);
    out->diff_p = 2 * gsl_cdf_ugaussian_Q(fabs(out->diff / out->diff_se));
    return PN_OK;
}
