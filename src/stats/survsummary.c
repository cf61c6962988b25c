/* survsummary.c - one-line summaries of a survival curve: median survival with its confidence
 * limits, and the restricted mean survival time with its standard error, by the rules of R's
 * print.survfit and survmean (docs/methods.md, "Median and RMST").
 */
#include "pronostic/km.h"

#include <float.h>
#include <math.h>

double pn_km_median(size_t k, const double *time, const double *y)
{
    const double tol = sqrt(DBL_EPSILON);
    size_t first = k;
    for (size_t i = 0; i < k; i++)
        if (!isnan(y[i]) && y[i] < 0.5 + tol) {
            first = i;
            break;
        }
    if (first == k) return NAN;
    if (fabs(y[first] - 0.5) < tol) {
        /* flat at 0.5: the midpoint between this time and the next time the curve drops */
        for (size_t i = first + 1; i < k; i++)
            if (!isnan(y[i]) && y[i] < 0.5 + tol && y[i] < y[first])
                return (time[first] + time[i]) / 2;
    }
    return time[first];
}

void pn_km_rmst(const pn_kmtable *t, const double *surv, double end, double *rmst, double *se)
{
    double start = (t->k > 0 && t->time[0] < 0) ? t->time[0] : 0;
    size_t keep = 0;
    while (keep < t->k && t->time[keep] <= end) keep++;
    /* the step function's rectangles: from start to time[0] at height 1, then from time[i-1]
     * to time[i] at surv[i-1], the last one ending at `end` */
    double area = 0, prev_t = start, prev_s = 1;
    for (size_t i = 0; i < keep; i++) {
        area += (t->time[i] - prev_t) * prev_s;
        prev_t = t->time[i];
        prev_s = surv[i];
    }
    area += (end - prev_t) * prev_s;
    *rmst = area + start;
    /* variance: sum over kept times i of (area after time[i])^2 * d_i / (n_i (n_i - d_i)) */
    double var = 0, after = (end - prev_t) * prev_s;
    for (size_t i = keep; i-- > 0;) {
        double n = t->n_risk[i], d = t->n_event[i];
        double h = (n - d == 0) ? 0 : d / (n * (n - d));
        var += after * after * h;
        if (i > 0) after += (t->time[i] - t->time[i - 1]) * surv[i - 1];
    }
    *se = sqrt(var);
}
