/* proportion.h - a proportion's confidence interval: the Wilson score interval (Wilson 1927),
 * as R's prop.test(x, n, correct = FALSE) gives it (docs/methods.md, "Proportions"). No I/O, no
 * global state. */
#ifndef PRONOSTIC_PROPORTION_H
#define PRONOSTIC_PROPORTION_H

/* The Wilson interval of x successes out of n (0 <= x <= n, n > 0) for the normal quantile z
 * (pn_conf_z(0.95) for 95%) into *lower and *upper; both NaN when n is 0 or x is outside
 * [0, n]. */
void pn_wilson(double x, double n, double z, double *lower, double *upper);

#endif
