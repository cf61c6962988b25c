/* netsurv.h - net survival against a population life table: the Pohar-Perme and Ederer II
 * estimators, as mergeable states, and the curve they give. The other net-survival families
 * have their own headers: Grafféo's test (netsurv_test.h), ICSS age standardisation and
 * Brenner's weights (standardise.h), the trend across periods (trend.h).
 *
 * These are stats/ kernels: no I/O, no global state, no threads; results go to caller-owned
 * buffers (pn_netsurv_curve_init allocates one, pn_netsurv_curve_free releases it). Times are in
 * days of follow-up, ages in days, dates as day numbers (days since 1970-01-01), sexes PN_SEX_*.
 * Formulas and references: docs/methods.md, "Net survival" and "Aggregate states".
 *
 * The state, in two phases. Every sum of the estimators is indexed by the distinct follow-up
 * times of all the subjects (the at-risk sums at t_k take in every subject followed past t_k,
 * whichever subject's exit made t_k a time), and a subject's term at t_k depends on t_k through
 * its own population hazard, so no fixed-size summary of a subject can be added before the
 * times are known. Hence:
 *   1. pn_nstimes: the set of distinct follow-up times (new / add / merge / serialise); its
 *      final, pn_nstimes_final, is the grid.
 *   2. pn_nsagg: the sums given the grid (new(grid) / add / merge / serialise); its final,
 *      pn_nsagg_final, is the curve.
 * Both merge over any split of the subjects (a union; sums added), so threads, PostgreSQL
 * parallel workers and Citus workers run phase 1, the leader merges and hands the grid out, they
 * run phase 2 and the leader merges again. pn_netsurv_estimate runs both phases on one part.
 */
#ifndef PRONOSTIC_NETSURV_H
#define PRONOSTIC_NETSURV_H

#include "pronostic/error.h"
#include "pronostic/ratetable.h"

#include <stddef.h>
#include <stdint.h>

enum pn_netsurv_method { PN_NETSURV_POHAR_PERME = 0, PN_NETSURV_EDERER2 = 1 };

/* How the expected hazard is integrated between two distinct follow-up times:
 * EXACT integrates the piecewise-constant population hazard exactly (it changes at age cuts and
 * on January 1st; src/stats/netsurv_exact.c); RELSURV reproduces relsurv's rs.surv digit for
 * digit: daily sub-steps with the hazard of the cell where each step begins, and its
 * trapezoid-like weighting (src/stats/netsurv_relsurv.c). */
enum pn_netsurv_scheme { PN_NETSURV_EXACT = 0, PN_NETSURV_RELSURV = 1 };

/* The subjects: `n` rows, or the `n` rows listed in `rows` when it is not NULL. */
typedef struct pn_netsurv_input {
    size_t n;
    const size_t *rows;     /* NULL, or n row indices into the arrays below */
    const double *time;     /* end of follow-up (days, > 0) */
    const double *entry;    /* NULL, or delayed entry (days, 0 <= entry < time) */
    const int *status;      /* 1 = death, 0 = censored */
    const double *age_days; /* age at diagnosis, days */
    const double *date;     /* date of diagnosis, day number */
    const int *sex;         /* PN_SEX_MALE or PN_SEX_FEMALE */
    const double *weight;   /* NULL, or a positive weight per subject (Pohar-Perme only): every
                               sum is weighted (w_i / S_Pi), the variance by w_i^2 / S_Pi^2;
                               Brenner's age standardisation uses it */
} pn_netsurv_input;

/* One curve: a row per distinct follow-up time (R's rs.surv rows). Buffers owned by the caller. */
typedef struct pn_netsurv_curve {
    size_t cap, len;
    double *time, *n_risk, *n_event, *n_censor;
    double *surv;          /* net survival */
    double *se;            /* standard error of the cumulative net hazard (rs.surv std.err) */
    unsigned flags;        /* PN_RATE_* flags met while integrating */
} pn_netsurv_curve;

/* Allocate the buffers of a curve with room for `cap` rows (cap >= the number of subjects, or
 * of distinct times, is always enough). PN_OK or PN_ENOMEM. */
int pn_netsurv_curve_init(pn_netsurv_curve *curve, size_t cap);
/* Free the buffers (the struct itself is the caller's). Accepts NULL. */
void pn_netsurv_curve_free(pn_netsurv_curve *curve);

/* The checks of the subjects that estimation makes: PN_OK, or PN_EINVAL for a time <= 0 or not
 * finite, an entry not in [0, time), a weight not positive and finite, or weights with
 * Ederer II (`method`). */
int pn_netsurv_check(const pn_netsurv_input *in, int method);

/* ---- phase 1: the set of distinct follow-up times ---------------------------------------- */

typedef struct pn_nstimes pn_nstimes;

/* A new empty set; *out owned by the caller (pn_nstimes_free). PN_OK or PN_ENOMEM. */
int pn_nstimes_new(pn_nstimes **out);
void pn_nstimes_free(pn_nstimes *times); /* accepts NULL */
/* Add the follow-up times of the input's subjects. PN_OK, PN_ENOMEM, or PN_EINVAL (a time <= 0
 * or not finite; the set is then unchanged). */
int pn_nstimes_add(pn_nstimes *times, const pn_netsurv_input *in);
/* Add the times of `src` into `dst` (two distinct sets, both keep their ownership): the union.
 * PN_OK or PN_ENOMEM. */
int pn_nstimes_merge(pn_nstimes *dst, const pn_nstimes *src);
/* The final: the distinct times in increasing order, a new array *grid of *ng values owned by
 * the caller (pn_free). PN_OK or PN_ENOMEM. */
int pn_nstimes_final(const pn_nstimes *times, double **grid, size_t *ng);
/* Bytes (version 1, magic "PNNT": u64 count, then the distinct times increasing): *out of *len
 * bytes owned by the caller (pn_free). PN_OK or PN_ENOMEM. */
int pn_nstimes_serialise(const pn_nstimes *times, unsigned char **out, size_t *len);
/* Read back (`buf` stays the caller's): PN_OK (*out owned by the caller), PN_ENOMEM, or
 * PN_EPARSE with a message in `diag` (may be NULL): truncated, oversized, a count beyond the
 * buffer, times not increasing, not finite or not positive. */
int pn_nstimes_deserialise(pn_nstimes **out, const void *buf, size_t len, pn_diag *diag);

/* ---- phase 2: the sums of an estimator given the grid ------------------------------------ */

typedef struct pn_nsagg pn_nsagg;

/* A new state of `method` and `scheme` on the `ng` distinct times grid[] (the caller's, copied;
 * increasing, positive, finite: pn_nstimes_final of every subject that will be added). *out is
 * owned by the caller (pn_nsagg_free). PN_OK, PN_ENOMEM, PN_EINVAL (an unknown method or
 * scheme, a grid that is not increasing, positive and finite), or PN_ERANGE (the relsurv scheme
 * with a follow-up over 10^6 days: it walks one step per day). */
int pn_nsagg_new(pn_nsagg **out, const double *grid, size_t ng, int method, int scheme);
void pn_nsagg_free(pn_nsagg *agg); /* accepts NULL */
/* Add the input's subjects, integrating their expected hazard in `rt` (which must be the same
 * table for every part of one estimate). PN_OK, PN_ENOMEM, or PN_EINVAL (pn_netsurv_check, or a
 * subject whose time is not a time of the grid); on an error the state is unchanged. */
int pn_nsagg_add(pn_nsagg *agg, const pn_netsurv_input *in, const pn_ratetable *rt);
/* Add the sums of `src` into `dst` (two distinct states): PN_OK, or PN_EINVAL when their
 * method, scheme or grid differ. */
int pn_nsagg_merge(pn_nsagg *dst, const pn_nsagg *src);
/* The final: the curve, one row per time of the grid, into `out` (cap >= the grid's length,
 * else PN_EINVAL); out->flags receives the PN_RATE_* flags met. */
int pn_nsagg_final(const pn_nsagg *agg, pn_netsurv_curve *out);
/* The number of times of the state's grid. */
size_t pn_nsagg_ntimes(const pn_nsagg *agg);
/* Bytes (version 1, magic "PNNS"; layout in src/stats/nsagg_wire.c): *out of *len bytes owned
 * by the caller (pn_free). PN_OK or PN_ENOMEM. */
int pn_nsagg_serialise(const pn_nsagg *agg, unsigned char **out, size_t *len);
/* Read back: PN_OK (*out owned by the caller; it serialises to the same bytes), PN_ENOMEM, or
 * PN_EPARSE with a message in `diag` (may be NULL): truncated, oversized, an unknown method,
 * scheme or flag, a grid that is not increasing, positive and finite, a length of the sums that
 * does not match the grid, a sum that is NaN, counts that are not whole or contradict each
 * other (deaths beyond exits, exits beyond the number at risk, a number at risk below 0, exits
 * that do not add up to the subjects). */
int pn_nsagg_deserialise(pn_nsagg **out, const void *buf, size_t len, pn_diag *diag);

/* ---- one part, and callers' drivers ------------------------------------------------------ */

/* Estimate net survival of the input's subjects into `out` (cap >= input->n): both phases on
 * the one part, in the caller's thread. Errors: PN_EINVAL (pn_netsurv_check, an unknown method
 * or scheme, cap too small), PN_ERANGE (the relsurv scheme with a follow-up over 10^6 days),
 * PN_ENOMEM. */
int pn_netsurv_estimate(const pn_netsurv_input *in, const pn_ratetable *rt, int method,
                        int scheme, pn_netsurv_curve *out);

/* How a caller has a curve estimated where a kernel needs several (pn_netsurv_point):
 * `estimate` has the contract of pn_netsurv_estimate, e.g. a driver that splits the subjects
 * over threads, builds one state per part and merges them (the command line's, in
 * src/cli/netsurv_cli.c). A NULL driver, or a NULL `estimate`, means pn_netsurv_estimate. */
typedef struct pn_netsurv_driver {
    int (*estimate)(void *ctx, const pn_netsurv_input *in, const pn_ratetable *rt, int method,
                    int scheme, pn_netsurv_curve *out);
    void *ctx;
} pn_netsurv_driver;

/* The curve read at requested times, as R's summary(fit, times = at): surv and se at the last
 * time <= at[k] (1 and 0 before the first), n_risk at the first time >= at[k], n_event and
 * n_censor counted since the previous requested time. Requested times beyond the last time are
 * reported with the last values and n_risk 0. Outputs are caller buffers of length m. */
void pn_netsurv_at(const pn_netsurv_curve *curve, const double *at, size_t m, double *surv,
                   double *se, double *n_risk, double *n_event, double *n_censor);

#endif
