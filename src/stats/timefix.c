/* timefix.c - R's aeqSurv(): classes of nearly equal times, and the times mapped to them. */
#include "pronostic/timefix.h"
#include "pronostic/hash.h"
#include "pronostic/num.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t pn_timefix_cuts(double *v, size_t n, int *merged)
{
    if (merged != NULL) *merged = 0;
    if (n == 0) return 0;
    qsort(v, n, sizeof *v, pn_cmp_double);
    size_t m = 1; /* distinct values (0 and -0 are one) */
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[m - 1]) v[m++] = v[i];
    long double sum = 0; /* R's mean() accumulates in long double */
    for (size_t i = 0; i < m; i++) sum += fabs(v[i]);
    double mean = (double)(sum / (long double)m);
    /* compact the cuts (first value of each class) to the front; position i is only written at
     * step i or later, so v[i - 1] still holds its original value at step i */
    size_t ncut = 1;
    for (size_t i = 1; i < m; i++) {
        double dy = v[i] - v[i - 1];
        if (!(dy <= PN_TIMEFIX_TOL || dy / mean <= PN_TIMEFIX_TOL)) v[ncut++] = v[i];
    }
    if (merged != NULL) *merged = ncut < m;
    return ncut;
}

double pn_timefix_map(const double *cuts, size_t ncut, double t)
{
    size_t lo = 0, hi = ncut; /* the answer is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (cuts[mid] <= t) lo = mid;
        else hi = mid;
    }
    return cuts[lo];
}

static uint64_t mix(double x)
{
    uint64_t k;
    memcpy(&k, &x, sizeof k);
    return pn_hash_mix64(k);
}

/* Add finite x to the open-addressing set `tab` of `size` slots (NaN = empty); 1 when new. */
static int set_add(double *tab, size_t size, double x)
{
    if (x == 0) x = 0; /* -0 and 0 are one value */
    size_t k = (size_t)(mix(x) % size);
    while (!isnan(tab[k])) {
        if (tab[k] == x) return 0;
        if (++k == size) k = 0;
    }
    tab[k] = x;
    return 1;
}

int pn_timefix_apply(double *time, double *entry, size_t n, double *scratch, size_t *bad_row)
{
    /* the distinct finite values first, through a hash set (many rows share few times), then
     * sorted; non-finite values are left out of the classes and left alone, as R */
    size_t size = (entry != NULL ? 4 : 2) * n, m = 0;
    if (size == 0) return PN_OK;
    for (size_t i = 0; i < size; i++) scratch[i] = NAN;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(time[i])) m += (size_t)set_add(scratch, size, time[i]);
        if (entry != NULL && isfinite(entry[i])) m += (size_t)set_add(scratch, size, entry[i]);
    }
    size_t d = 0; /* compact the set's values to the front: position d <= i is free */
    for (size_t i = 0; i < size && d < m; i++)
        if (!isnan(scratch[i])) scratch[d++] = scratch[i];
    int merged;
    size_t ncut = pn_timefix_cuts(scratch, m, &merged);
    if (!merged) return PN_OK;
    for (size_t i = 0; i < n; i++) {
        double t = isfinite(time[i]) ? pn_timefix_map(scratch, ncut, time[i]) : time[i];
        if (entry != NULL) {
            double e = isfinite(entry[i]) ? pn_timefix_map(scratch, ncut, entry[i]) : entry[i];
            if (e == t && entry[i] != time[i]) {
                if (bad_row != NULL) *bad_row = i;
                return PN_ERANGE;
            }
            entry[i] = e;
        }
        time[i] = t;
    }
    return PN_OK;
}
