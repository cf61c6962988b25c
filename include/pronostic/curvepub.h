/* curvepub.h - disclosure control of published survival curves (docs/methods.md, "Disclosure
 * control"): no point with fewer than k at risk, no count from 1 to k-1. */
#ifndef PRONOSTIC_CURVEPUB_H
#define PRONOSTIC_CURVEPUB_H

#include "pronostic/curves.h"

/* Protect `c` in place at threshold k (2 or more):
 * - a group of fewer than k subjects keeps no point, and its n is masked (primary);
 * - each curve is cut before its first point with fewer than k at risk;
 * - a point's events or censorings from 1 to k-1 are masked (primary), and the other of the
 *   two with them (secondary: their sum is the fall of the number at risk);
 * - a group's events are masked when from 1 to k-1 (primary) or when one of its points'
 *   counts is masked (secondary: the total less the others would give it back).
 * A masked count is NaN, and the point's `suppressed` says why. */
void pn_curves_protect(pn_curves *c, long long k);

#endif
