/* quantile.h - sample quantiles of sorted values, R's default (quantile type 7, Hyndman and
 * Fan 1996): the medians and quartiles of delays (docs/methods.md, "Care-pathway indicators").
 * No I/O, no global state. */
#ifndef PRONOSTIC_QUANTILE_H
#define PRONOSTIC_QUANTILE_H

#include <stddef.h>

/* The quantile `prob` (0..1) of the n values x[] sorted in increasing order: with
 * h = (n - 1) prob, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). NaN when n is 0.
 * `x` is borrowed. */
double pn_quantile7(const double *x, size_t n, double prob);

#endif
