/* km.c - Kaplan-Meier and Fleming-Harrington curves from per-time counts, their confidence
 * limits (conf.h, survfit's rule) and their values at requested times, as R's survfit and
 * summary.survfit compute them (docs/methods.md, "Kaplan-Meier", "Fleming-Harrington").
 */
#include "pronostic/km.h"

#include <math.h>

void pn_km_curve(const pn_kmtable *t, pn_km_method method, double *surv, double *selog)
{
    double km = 1, var = 0, hazard = 0;
    for (size_t i = 0; i < t->k; i++) {
        double n = t->n_risk[i], d = t->n_event[i];
        if (d > 0) {
            if (method == PN_KM_KAPLAN_MEIER) {
                /* everyone at risk dies (n == d, exactly: kmagg's sums are compensated): S = 0;
                 * the guard keeps S in [0, 1] should rounding ever leave n below d */
                km = n > d ? km * ((n - d) / n) : 0;
                var += n > d ? d / (n * (n - d)) : INFINITY; /* Greenwood; Inf when n == d */
            } else {
                hazard += d / n;          /* Nelson-Aalen */
                var += d / (n * n);
            }
        }
        surv[i] = method == PN_KM_KAPLAN_MEIER ? km : exp(-hazard);
        selog[i] = sqrt(var);
    }
}

/* Index of the last time <= x, or -1 (R's findInterval). */
static ptrdiff_t last_at_or_before(const double *time, size_t k, double x)
{
    size_t lo = 0, hi = k; /* first index with time > x */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time[mid] <= x) lo = mid + 1;
        else hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

size_t pn_km_at(const pn_kmtable *t, const double *surv, const double *selog, const double *at,
                size_t nat, pn_conf_type type, double z, double *n_risk, double *n_event,
                double *n_censor, double *s_at, double *selog_at, double *lower_at,
                double *upper_at)
{
    if (t->k == 0) return 0;
    /* R's summary works on survfit0(fit): a row at start time min(0, first time) is added
     * (surv 1, std.err 0, limits 1) unless the curve already starts there */
    double start = t->time[0] < 0 ? t->time[0] : 0, last = t->time[t->k - 1];
    if (start > last) last = start;
    size_t rows = 0;
    ptrdiff_t prev = -1; /* rows of events and censorings already counted */
    for (size_t j = 0; j < nat; j++) {
        double x = at[j];
        if (!isfinite(x) || x > last) continue;
        ptrdiff_t i = last_at_or_before(t->time, t->k, x);
        /* number at risk at the first time >= x (0 past the end) */
        ptrdiff_t ge = (i >= 0 && t->time[i] == x) ? i : i + 1;
        n_risk[rows] = ge < (ptrdiff_t)t->k ? t->n_risk[ge] : 0;
        double d = 0, c = 0;
        for (ptrdiff_t r = prev + 1; r <= i; r++) {
            d += t->n_event[r];
            c += t->n_censor[r];
        }
        if (i > prev) prev = i;
        n_event[rows] = d;
        n_censor[rows] = c;
        if (i < 0) {
            s_at[rows] = 1;
            selog_at[rows] = 0;
            lower_at[rows] = upper_at[rows] = 1;
        } else {
            s_at[rows] = surv[i];
            selog_at[rows] = selog[i];
            pn_conf_limits(surv[i], selog[i], type, z, PN_CONF_SURVFIT, &lower_at[rows],
                           &upper_at[rows]);
        }
        rows++;
    }
    return rows;
}
