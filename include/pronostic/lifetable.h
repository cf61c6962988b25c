/* lifetable.h - the actuarial life table (Cutler & Ederer 1958; Collett 2015, section 2.1.1):
 * survival over fixed intervals, with subjects censored in an interval counted as at risk for
 * half of it, and Greenwood's variance (docs/methods.md, "Life table").
 *
 * Its state is the Kaplan-Meier aggregate (pn_kmagg, km.h: new / add / merge / serialise, rows
 * without delayed entry); the final step is pn_kmagg_tables, then pn_lifetable on each
 * stratum's table. A pure kernel: no I/O, no global state, buffers owned by the caller.
 */
#ifndef PRONOSTIC_LIFETABLE_H
#define PRONOSTIC_LIFETABLE_H

#include "pronostic/km.h"

#include <stddef.h>

/* The life table of the per-time counts `t` (right-censored data: no delayed entry) over the
 * intervals [0, cuts[0]), [cuts[0], cuts[1]), ..., [cuts[m-2], cuts[m-1]); `cuts` increasing
 * and > 0. For interval j, into the caller's buffers of m values: n_start[j] entering it alive
 * (weighted), n_event[j] and n_censor[j] in it, n_risk[j] = n_start - n_censor / 2 (the
 * effective number at risk), surv[j] the survival at its end, and selog[j] the standard
 * error of log surv (Greenwood: sqrt of the sum of d / (n_risk (n_risk - d)); Inf once surv
 * reaches 0). An interval nobody enters has n_risk 0 and leaves surv unchanged. */
void pn_lifetable(const pn_kmtable *t, const double *cuts, size_t m, double *n_start,
                  double *n_event, double *n_censor, double *n_risk, double *surv,
                  double *selog);

#endif
