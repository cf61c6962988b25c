/* netsurv_threads.h - net survival over threads: the subjects are split into parts, each
 * thread builds its part's mergeable states (netsurv.h: phase 1 the distinct times, phase 2 the
 * sums on the merged grid) and the states are merged in part order, so the result does not
 * depend on the scheduling. The one driver every entry point (command line, server) uses. */
#ifndef PRONOSTIC_NETSURV_THREADS_H
#define PRONOSTIC_NETSURV_THREADS_H

#include "pronostic/netsurv.h"
#include "pronostic/ratetable.h"

/* pn_netsurv_estimate's contract (netsurv.h), with the subjects dealt round-robin into parts of
 * at least 1024 subjects for up to *(int *)ctx threads (NULL: one), one state per part, merged
 * in part order. Usable as a pn_netsurv_driver's estimate. The caller owns `in` and `out`. */
int pn_ns_estimate(void *ctx, const pn_netsurv_input *in, const pn_ratetable *rt, int method,
                   int scheme, pn_netsurv_curve *out);

#endif
