/* netsurv_internal.h - what the net-survival kernels share inside stats/: the row of the i-th
 * subject of an input, the searches of a sorted grid of distinct follow-up times, the checks of
 * a grid, the layout of the estimators' state (pn_nsagg, nsagg.c) and the walks of the two
 * integration schemes that fill it (netsurv_exact.c, netsurv_relsurv.c). The small helpers are
 * inline: they run once per subject in the hot paths. */
#ifndef PRONOSTIC_STATS_NETSURV_INTERNAL_H
#define PRONOSTIC_STATS_NETSURV_INTERNAL_H

#include "pronostic/netsurv.h"
#include "pronostic/netsurv_test.h"

#include <stddef.h>
#include <stdint.h>

/* The relsurv scheme and the Grafféo test walk one step per day: refuse longer follow-ups. */
#define PN__NS_MAX_DAYS 1e6

/* Every PN_RATE_* flag: a serialised state's flags are within these. */
#define PN__RATE_ALL                                                                               \
    (PN_RATE_AGE_ABOVE | PN_RATE_YEAR_ABOVE | PN_RATE_YEAR_BELOW | PN_RATE_AGE_BELOW)

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

/* The index of the first of the `n` values v[] that is not positive and finite or not above
 * the previous one, or n when they are strictly increasing positive finite times. */
size_t pn__ns_bad_time(const double *v, size_t n);

/* The estimators' state. The sums `acc` (nacc doubles) have the layout of the scheme:
 * exact: 9 arrays of ng + 1 (w_end, w_in, w_out, d_w, d_w2, dl, drisk, nev, nout);
 * relsurv: 4 arrays of nsteps + 1 (p, q, cor, h), then 9 of ng + 1 (inp, inq, outp, outq, d_w,
 * d_w2, drisk, nev, nout). drisk, nev and nout (the last three) are counts in both. */
struct pn_nsagg {
    int method, scheme;
    unsigned flags;          /* PN_RATE_* flags met */
    uint64_t n;              /* subjects added */
    size_t ng;
    double *grid;            /* ng distinct times, increasing (owned) */
    size_t nsteps;           /* relsurv: the daily steps of the grid (derived from it) */
    double *st, *len;        /* their start and length */
    size_t *first_step;      /* ng + 1: the first step of each interval */
    size_t nacc;
    double *acc;
};

/* The first of the three count arrays (drisk; then nev, nout) in a state's sums. */
static inline double *pn__nsagg_counts(const pn_nsagg *a)
{
    return a->acc + (a->scheme == PN_NETSURV_RELSURV ? 4 * (a->nsteps + 1) : 0) + 6 * (a->ng + 1);
}

/* A subject and its follow-up time, for sorting. */
typedef struct pn__ns_sorted {
    double time;
    size_t row;
} pn__ns_sorted;

/* One walk: the subjects of one input in increasing order of time, added into a state. */
typedef struct pn__ns_walk {
    const pn_netsurv_input *in;
    const pn_ratetable *rt;
    const pn__ns_sorted *order;  /* in->n subjects, increasing time */
    const size_t *kend;          /* grid index of each one's time */
    pn_nsagg *agg;               /* grid, steps, method and the sums added into */
    unsigned flags;              /* PN_RATE_* flags met */
    int rc;                      /* a walk's failure (PN_ENOMEM): nothing was added */
} pn__ns_walk;

/* The exact scheme (netsurv_exact.c): the number of sums for a grid of ng times, the walk, and
 * the curve from the sums. */
size_t pn__ns_exact_nacc(size_t ng);
void pn__ns_walk_exact(pn__ns_walk *w);
void pn__ns_final_exact(const pn_nsagg *a, pn_netsurv_curve *out);

/* The relsurv scheme (netsurv_relsurv.c): the daily steps of a grid, into st/len/first_step
 * when they are not NULL (then with room for the count, which is returned; first_step has ng + 1
 * entries); the walks, with delayed entry or without (flat); the curve from the sums. */
size_t pn__ns_steps(const double *grid, size_t ng, double *st, double *len, size_t *first_step);
size_t pn__ns_relsurv_nacc(size_t ng, size_t nsteps);
void pn__ns_walk_relsurv(pn__ns_walk *w);
void pn__ns_walk_relsurv_flat(pn__ns_walk *w);
void pn__ns_final_relsurv(const pn_nsagg *a, pn_netsurv_curve *out);

/* The input's subjects in increasing order of time (a new array, owned by the caller), or NULL
 * when out of memory. */
pn__ns_sorted *pn__ns_sort(const pn_netsurv_input *in);

/* Add the checked subjects of `in`, sorted in `order` with their grid indices `kend`, into the
 * state: the walk of its scheme. PN_OK or PN_ENOMEM (nothing added). */
int pn__nsagg_walk(pn_nsagg *a, const pn_netsurv_input *in, const pn_ratetable *rt,
                   const pn__ns_sorted *order, const size_t *kend);

/* A state of `method` and `scheme` on a copy of the checked grid, with its sums zeroed (nsagg.c,
 * shared with its deserialisation). */
int pn__nsagg_alloc(pn_nsagg **out, const double *grid, size_t ng, int method, int scheme);

/* The state of Grafféo's test (netsurv_test.c, netsurv_test_wire.c): its sums per grid time,
 * group and stratum, cell (j, g, s) at (s * ng + j) * k + g of each of the three arrays of
 * acc: wrisk (sum of 1/S_Pi at risk), wevent (deaths minus expected, weighted), dsq (squared
 * weights of deaths). The grid is the days 1, 2, ..., floor(max time) joined with the times. */
struct pn_nstestagg {
    int k, nstrata;
    unsigned flags;          /* PN_RATE_* flags met */
    int any_death;           /* 1 once a subject with a death was added */
    uint64_t n;              /* subjects added */
    size_t ntimes;
    double *times;           /* the distinct follow-up times (owned) */
    size_t ng;
    double *grid;            /* the daily grid joined with the times (owned) */
    size_t cells;            /* ng * k * nstrata */
    double *acc;             /* 3 * cells sums */
};

/* At most this many groups (its variance matrix has k x k cells) and strata in the test. */
#define PN__NSTEST_MAX 65536

/* The test's grid of the checked `times`, into `grid` when not NULL; returns its length. */
size_t pn__nstest_grid(const double *times, size_t ntimes, double *grid);

/* A test state on a copy of checked times, its sums zeroed (shared with deserialisation). */
int pn__nstestagg_alloc(pn_nstestagg **out, const double *times, size_t ntimes, int k,
                        int nstrata);

/* Row k of a curve: the counts, the net survival s and the variance v of its cumulative
 * hazard. */
void pn__ns_put_row(pn_netsurv_curve *out, size_t k, double time, double nrisk, double nev,
                    double nout, double s, double v);

#endif
