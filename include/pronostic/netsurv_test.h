/* netsurv_test.h - Grafféo's log-rank-type test of equal net survival between groups (relsurv's
 * rs.diff), as a mergeable state (docs/methods.md, "Net survival" and "Aggregate states").
 *
 * Like the estimators (netsurv.h), the test's sums are indexed by a grid known only once every
 * subject's follow-up time is: the days 1, 2, ..., max time joined with the distinct times. So
 * it has the same two phases: phase 1 is the set of distinct times (pn_nstimes, netsurv.h), and
 * phase 2 this state, new(times) / add / merge / serialise, whose final is the test.
 * A stats/ kernel: no I/O, no global state, no threads. It uses GSL's eigensolver and leaves
 * GSL's error handler as the program set it (the program turns it off once at start).
 */
#ifndef PRONOSTIC_NETSURV_TEST_H
#define PRONOSTIC_NETSURV_TEST_H

#include "pronostic/error.h"
#include "pronostic/netsurv.h"
#include "pronostic/ratetable.h"

#include <stddef.h>

typedef struct pn_nstestagg pn_nstestagg;

/* A new state for 2 <= `k` <= 65536 groups and 1 <= `nstrata` <= 65536 strata over the distinct
 * follow-up times times[] (the caller's, copied; pn_nstimes_final of every subject that will be
 * added). *out is owned by the caller (pn_nstestagg_free). PN_OK, PN_ENOMEM, PN_EINVAL (k or
 * nstrata out of range, times that are not increasing, positive and finite), PN_ERANGE (a
 * follow-up over 10^6 days: the grid is daily). */
int pn_nstestagg_new(pn_nstestagg **out, const double *times, size_t ntimes, int k, int nstrata);
void pn_nstestagg_free(pn_nstestagg *agg); /* accepts NULL */
/* Add the input's subjects (in->weight is not used), subject i of the input in group group[i]
 * (0..k-1) and stratum stratum[i] (0..nstrata-1; NULL: stratum 0). PN_OK, PN_ENOMEM, or
 * PN_EINVAL (a time that is not one of the state's times, a code out of range); on an error
 * the state is unchanged. */
int pn_nstestagg_add(pn_nstestagg *agg, const pn_netsurv_input *in, const pn_ratetable *rt,
                     const int *group, const int *stratum);
/* Add `src` into `dst` (two distinct states): PN_OK, or PN_EINVAL when their groups, strata or
 * times differ. */
int pn_nstestagg_merge(pn_nstestagg *dst, const pn_nstestagg *src);
/* The final: the test, as pn_netsurv_test describes its outputs. PN_OK, PN_ESINGULAR, or
 * PN_ENOMEM. */
int pn_nstestagg_final(const pn_nstestagg *agg, double *chisq, int *df, double *p, double *zh,
                       unsigned *flags);
/* Bytes (version 1, magic "PNGT"; layout in src/stats/netsurv_test_wire.c): *out of *len bytes
 * owned by the caller (pn_free). PN_OK or PN_ENOMEM. */
int pn_nstestagg_serialise(const pn_nstestagg *agg, unsigned char **out, size_t *len);
/* Read back: PN_OK (*out owned by the caller; it serialises to the same bytes), PN_ENOMEM, or
 * PN_EPARSE with a message in `diag` (may be NULL): truncated, oversized, fewer than 2 groups or
 * 1 stratum, times that are not increasing, positive and finite, sums whose length does not
 * match, a NaN sum, a negative at-risk or squared sum. */
int pn_nstestagg_deserialise(pn_nstestagg **out, const void *buf, size_t len, pn_diag *diag);

/* Grafféo's log-rank-type test of equal net survival between `k` groups (relsurv's rs.diff;
 * in->weight is not used; in->entry, when given, starts each subject's sums at its entry):
 * `group[i]` in 0..k-1 for each row of `in` (over the same row list), `stratum` NULL or a
 * stratum code 0..nstrata-1 per row. Outputs: chi-square, degrees of freedom, p-value, and per
 * group the observed minus expected weighted events zh[k] (caller buffer, may be NULL); `flags`
 * (may be NULL) receives the PN_RATE_* flags met. The statistic is z' V^+ z over the k groups
 * with V^+ the Moore-Penrose inverse of their variance: rs.diff's statistic when V has rank
 * k - 1, and defined when it is singular (a group never at risk when anyone dies, no death at
 * all), where rs.diff stops; *df is the rank of V, below k - 1 when V is singular. With *df 0
 * the statistic is 0 and p 1, or NaN when no row has a death (the test is undefined). The two
 * phases on one part. Errors: PN_EINVAL (k < 2, a group or stratum code out of range, a time
 * <= 0 or not finite), PN_ERANGE (a follow-up over 10^6 days: the grid is daily), PN_ESINGULAR
 * (a statistic that is not finite), PN_ENOMEM. */
int pn_netsurv_test(const pn_netsurv_input *in, const pn_ratetable *rt, const int *group,
                    int k, const int *stratum, int nstrata, double *chisq, int *df, double *p,
                    double *zh, unsigned *flags);

#endif
