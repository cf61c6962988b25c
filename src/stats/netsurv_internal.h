/* netsurv_internal.h - what the net-survival kernels (netsurv.c, netsurv_test.c, standardise.c)
 * share inside stats/: the row of the i-th subject of an input, and the searches of a sorted
 * grid of distinct follow-up times. Inline: they run once per subject in the hot paths. */
#ifndef PRONOSTIC_STATS_NETSURV_INTERNAL_H
#define PRONOSTIC_STATS_NETSURV_INTERNAL_H

#include "pronostic/netsurv.h"

#include <stddef.h>

/* Row index (into the input's arrays) of the input's i-th subject. */
static inline size_t pn__ns_row(const pn_netsurv_input *in, size_t i)
{
    return in->rows ? in->rows[i] : i;
}

/* The first index k of the `ng` increasing values grid[] with grid[k] > x (`strict` nonzero)
 * or grid[k] >= x (`strict` 0); ng when there is none. Binary search. */
static inline size_t pn__grid_first(const double *grid, size_t ng, double x, int strict)
{
    size_t lo = 0, hi = ng;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strict ? grid[mid] > x : grid[mid] >= x) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

#endif
