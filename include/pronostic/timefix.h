/* timefix.h - times that differ by rounding only, made exactly equal as R's survival package
 * does before every fit (survfit, survdiff and coxph call aeqSurv() when timefix = TRUE).
 *
 * Over the sorted distinct values y of the exit times (and, with delayed entry, the entry
 * times), y[i+1] joins the class of y[i] when y[i+1] - y[i] <= tol or (y[i+1] - y[i]) / mean|y|
 * <= tol, with tol = sqrt(DBL_EPSILON); every value then becomes the first value (the "cut") of
 * its class. So 0.1 + 0.2 and 0.3 are one time, as in R. See docs/methods.md, "Tied times".
 *
 * A pure kernel: no I/O, no global state; the caller owns every buffer.
 */
#ifndef PRONOSTIC_TIMEFIX_H
#define PRONOSTIC_TIMEFIX_H

#include "pronostic/error.h"

#include <stddef.h>

#define PN_TIMEFIX_TOL 1.4901161193847656e-08 /* sqrt(DBL_EPSILON), R's default tolerance */

/* Turn the `n` finite values `v` (any order; caller-owned, overwritten) into the cuts of their
 * classes: on return v[0..ncut) holds the cuts in increasing order, and the count ncut is
 * returned. *merged (may be NULL) is set to 1 when at least two distinct values share a class,
 * 0 when every value is its own cut (nothing to change). */
size_t pn_timefix_cuts(double *v, size_t n, int *merged);

/* The value `t` becomes: the largest cut <= t (cuts[0] when t is below every cut). */
double pn_timefix_map(const double *cuts, size_t ncut, double t);

/* Apply the rule in place to the `n` exit times `time` and, when `entry` is not NULL, to the n
 * entry times with classes formed over both columns together (as aeqSurv on Surv(entry, time,
 * event)). `scratch` is caller-owned room for 2n doubles (4n with entry). Returns PN_OK, or
 * PN_ERANGE when a row's entry and exit fall into one class (R stops: "aeqSurv exception, an
 * interval has effective length 0"), with *bad_row (may be NULL) the first such row; the times
 * are then left partly changed. */
int pn_timefix_apply(double *time, double *entry, size_t n, double *scratch, size_t *bad_row);

#endif
