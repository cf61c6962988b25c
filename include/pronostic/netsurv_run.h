/* netsurv_run.h - a net-survival analysis as `pronostic netsurv` runs it, for every entry point:
 * the rows of a pn_nsdata by stratum, optionally over a period window (Brenner), ICSS
 * age-standardised (directly or by Brenner's weights), read at chosen times and conditional on
 * surviving a first span; the estimates go over threads (netsurv_threads.h). And Grafféo's test
 * between groups. Results and warnings go to the caller's callbacks: this layer prints nothing. */
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

/* The result of Grafféo's test between the groups of a pn_nsdata (pn_netsurv_diff_run). */
typedef struct pn_netsurv_diff_result {
    size_t k;             /* groups: d->ngroups */
    double *n, *events;   /* k each: rows and deaths of each group (follow-up > 0) */
    double *obs_minus_exp; /* k: weighted observed minus expected deaths (rs.diff's zh) */
    double chisq, p;      /* the statistic and its p-value (NaN without death) */
    int df;               /* its degrees of freedom (the variance's rank, k - 1 unless singular) */
    unsigned flags;       /* the life-table edges met (PN_RATE_*) */
} pn_netsurv_diff_result;

/* Grafféo's test (netsurv_test.h) between the groups of `d` (at least two; `d` and `rt`
 * borrowed): rows with a follow-up of 0 are left out, and a warning says how many; a group with
 * fewer than 10 deaths is a warning. `out`'s arrays are allocated here and owned by the caller
 * (pn_netsurv_diff_result_free). */
int pn_netsurv_diff_run(const pn_nsdata *d, const pn_ratetable *rt, const pn_netsurv_sink *sink,
                        pn_netsurv_diff_result *out, pn_diag *diag);

/* Free the arrays of `r` (its struct is the caller's). */
void pn_netsurv_diff_result_free(pn_netsurv_diff_result *r);

#endif
