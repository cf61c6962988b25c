/* proportion.c - the Wilson score interval of a proportion (proportion.h):
 *   (p + z^2/2n -+ z sqrt(p (1 - p) / n + z^2 / 4n^2)) / (1 + z^2 / n),  p = x / n,
 * the roots in p of (p - x/n)^2 = z^2 p (1 - p) / n (Wilson 1927; R's prop.test without the
 * continuity correction). */
#include "pronostic/proportion.h"

#include <math.h>

void pn_wilson(double x, double n, double z, double *lower, double *upper)
{
    if (!(n > 0) || !(x >= 0) || !(x <= n) || !isfinite(z)) {
        *lower = *upper = NAN;
        return;
    }
    /* R's prop.test(correct = FALSE) in its own arrangement, so that the digits agree */
    double p = x / n, z22n = z * z / (2 * n);
    double root = z * sqrt(p * (1 - p) / n + z22n / (2 * n));
    *upper = p >= 1 ? 1 : (p + z22n + root) / (1 + 2 * z22n);
    *lower = p <= 0 ? 0 : (p + z22n - root) / (1 + 2 * z22n);
}
