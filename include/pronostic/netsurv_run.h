/* netsurv_run.h - a net-survival analysis as `pronostic netsurv` runs it, for every entry point:
 * the rows of a pn_nsdata by stratum, optionally over a period window (Brenner), ICSS
 * age-standardised (directly or by Brenner's weights), read at chosen times and conditional on
 * surviving a first span; the estimates go over threads (netsurv_threads.h). Results and
 * warnings go to the caller's callbacks: this layer prints nothing. */
#ifndef PRONOSTIC_NETSURV_RUN_H
#define PRONOSTIC_NETSURV_RUN_H

#include "pronostic/error.h"
#include "pronostic/nsdata.h"
#include "pronostic/ratetable.h"

#include <stddef.h>

/* What to estimate. Times are in days, dates day numbers. */
typedef struct pn_netsurv_request {
    int method;         /* PN_NETSURV_POHAR_PERME or PN_NETSURV_EDERER2 */
    int scheme;         /* PN_NETSURV_RELSURV or PN_NETSURV_EXACT */
    int standard;       /* 0 none, 1..3 an ICSS standard, -1 each stratum its site's (the site=
                           part of its label: cns ICSS 2, the others ICSS 1) */
    int brenner;        /* with `standard`: Brenner's individual weights, not the direct sum */
    const double *at;   /* NULL, or `nat` increasing times to report at (required with a direct
                           standardisation) */
    size_t nat;
    double given;       /* > 0: conditional on having survived `given` days */
    int have_period;    /* follow-up within [pfrom, pto] only (delayed entry at pfrom) */
    double pfrom, pto;
    int threads;        /* threads for each estimate (1: none) */
} pn_netsurv_request;

/* One output row: a stratum at a time. */
typedef struct pn_netsurv_row {
    const char *stratum;                  /* its label ("all" without groups) */
    double time;                          /* days */
    double n_risk, n_event, n_censor;
    double surv;                          /* net survival */
    double se_log;                        /* standard error of its log (of the cumulative
                                             net hazard); std_err = surv * se_log */
} pn_netsurv_row;

/* Where the results go: `row` for each row in order (a non-PN_OK return stops the run with that
 * code), `warn` for each warning (a sentence without the program's prefix). */
typedef struct pn_netsurv_sink {
    int (*row)(void *ctx, const pn_netsurv_row *r);
    void (*warn)(void *ctx, const char *msg);
    void *ctx;
} pn_netsurv_sink;

/* Run the analysis of `rq` on the rows of `d` against the life table `rt` (both borrowed).
 * Rows with a follow-up time of 0, aged under 15 when standardising, or outside the period
 * window are left out and counted in warnings; a stratum without rows is a warning. *flags gets
 * the life-table edges met (PN_RATE_*). Errors: PN_EPARSE for a follow-up too long for the
 * relsurv scheme, the kernel's code otherwise, with a message naming the stratum in `diag`. */
int pn_netsurv_run(const pn_nsdata *d, const pn_ratetable *rt, const pn_netsurv_request *rq,
                   const pn_netsurv_sink *sink, unsigned *flags, pn_diag *diag);

#endif
