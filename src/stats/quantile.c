/* quantile.c - R's type-7 sample quantile of sorted values (quantile.h). */
#include "pronostic/quantile.h"

#include <math.h>

double pn_quantile7(const double *x, size_t n, double prob)
{
    if (n == 0 || !(prob >= 0 && prob <= 1)) return NAN;
    double h = (double)(n - 1) * prob;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1) return x[n - 1];
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}
