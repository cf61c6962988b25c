/* curvepub.h - disclosure control of published survival curves (docs/methods.md, "Disclosure
 * control"): no point with fewer than k at risk, no count from 1 to k-1. */
#ifndef PRONOSTIC_CURVEPUB_H
#define PRONOSTIC_CURVEPUB_H

#include "pronostic/curves.h"

/* Protect `c` in place at threshold k (2 or more):
 * - a group of fewer than k subjects keeps no point, and its n is masked (primary);
 * - each curve is cut before its first point with fewer than k at risk;
 * - a point whose events or censorings are from 1 to k-1 has both masked (primary: their sum
 *   is the fall of the number at risk); its estimate and limits are kept;
 * - a group's events are masked when from 1 to k-1 (primary), or (secondary) when one of its
 *   points' counts is masked or when the events of the tail cut off are from 1 to k-1 (the
 *   total less the points' would give them back);
 * - when exactly one group's n (or events) is masked, the smallest other group's is too
 *   (secondary), so that the whole selection's less the others does not give it back.
 * A masked count is NaN, and the point's `suppressed` says why; n and events by their
 * statuses. */
void pn_curves_protect(pn_curves *c, long long k);

#endif
