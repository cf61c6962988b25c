/* netsurv_window.c - Brenner's period window and conditional net survival (netsurv_window.h). */
#include "pronostic/netsurv_window.h"
#include "pronostic/date.h"

#include <math.h>

void pn_netsurv_window_last(int32_t closing, int years, double *from, double *to)
{
    int y, m, d;
    pn_civil_from_days(closing, &y, &m, &d);
    if (m == 2 && d == 29) d = 28;
    *from = pn_days_from_civil(y - years, m, d) + 1;
    *to = closing;
}

void pn_netsurv_window(size_t n, const double *date, const double *time, const int *status,
                       double from, double to, double *entry, double *time_out, int *status_out,
                       unsigned char *keep)
{
    for (size_t i = 0; i < n; i++) {
        double lo = from - date[i], hi = to + 1 - date[i];
        double e = lo > 0 ? lo : 0, t = time[i] < hi ? time[i] : hi;
        entry[i] = e;
        time_out[i] = t;
        status_out[i] = status[i] && time[i] <= hi;
        keep[i] = t > e;
    }
}

void pn_netsurv_condition(double surv_given, double se_given, double *surv, double *se, size_t m)
{
    for (size_t j = 0; j < m; j++) {
        surv[j] = surv[j] / surv_given;
        double v = se[j] * se[j] - se_given * se_given;
        se[j] = sqrt(v > 0 ? v : 0);
    }
}
