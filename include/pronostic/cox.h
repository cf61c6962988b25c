/* cox.h - the Cox proportional hazards model, fitted as R's survival::coxph() fits it.
 *
 * Maximises the log partial likelihood with Efron's or Breslow's handling of tied death times,
 * separately per stratum (a baseline hazard per stratum, common coefficients), for right-censored
 * data or with delayed entry (the risk set at t holds the rows with entry < t <= exit). The fit
 * follows coxph.fit / agreg.fit: covariates are centred and scaled (except those whose values are
 * all in {-1, 0, 1}), Newton-Raphson starts at beta = 0, a step that lowers the log-likelihood is
 * halved, iteration stops when |1 - loglik_old / loglik_new| <= eps, a Cholesky (LDL') with
 * tolerance toler_chol drops columns that are linear combinations of earlier ones (their
 * coefficient is NaN: R's NA), and a coefficient that R's toler.inf rule flags as possibly
 * infinite (separated data) is reported in `infinite`. Times that differ by rounding only are
 * first made equal, as coxph's timefix (timefix.h). See docs/methods.md, "Cox model".
 *
 * A pure kernel: no I/O, no global state; the caller owns every buffer.
 */
#ifndef PRONOSTIC_COX_H
#define PRONOSTIC_COX_H

#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

enum pn_cox_ties { PN_COX_EFRON = 0, PN_COX_BRESLOW = 1 };

typedef struct pn_cox_input {
    size_t n;                   /* rows */
    size_t p;                   /* covariates (columns of x), >= 1 */
    const double *time;         /* n exit times, finite */
    const double *entry;        /* n entry times (< exit), or NULL for right-censored data */
    const unsigned char *event; /* n: 1 death, 0 censored */
    const double *weight;       /* n case weights > 0, or NULL for 1 */
    const int32_t *stratum;     /* n stratum codes >= 0, or NULL for one stratum */
    const double *x;            /* n * p, column-major: x[j * n + i] is covariate j of row i */
    int ties;                   /* PN_COX_EFRON (R's default) or PN_COX_BRESLOW */
    int max_iter;               /* R's iter.max: 20 */
    double eps;                 /* R's eps: 1e-9 */
    double toler_chol;          /* R's toler.chol: DBL_EPSILON^0.75 */
    double toler_inf;           /* R's toler.inf: sqrt(eps) */
} pn_cox_input;

/* Fill `in` with R's defaults (coxph.control()) and zero the data fields. */
void pn_cox_input_init(pn_cox_input *in);

typedef struct pn_cox_result {
    /* Caller-owned arrays, filled by pn_cox_fit: */
    double *coef;            /* p coefficients; NaN for a column dropped as singular */
    double *var;             /* p * p variance matrix (inverse information), row-major; rows
                                and columns of dropped columns are 0, as in R */
    unsigned char *infinite; /* p flags: 1 when the coefficient may be infinite */
    /* Scalars set by pn_cox_fit: */
    double loglik_null;      /* log partial likelihood at beta = 0 */
    double loglik;           /* at the estimate */
    double score_test;       /* the score test at beta = 0 */
    int iterations;          /* as R's fit$iter */
    int converged;           /* 0 when iterations ran out (R's "did not converge" warning) */
    int rank;                /* rank of the information matrix */
    size_t nevents;          /* rows with an event */
} pn_cox_result;

/* The rows of a fit in place (pn_cox_fit_rows): the caller's writable arrays, as in
 * pn_cox_input (event: 1 death, 0 censored). */
typedef struct pn_cox_rows {
    size_t n, p;
    double *time;
    double *entry;          /* or NULL */
    unsigned char *event;
    double *weight;         /* or NULL */
    int32_t *stratum;       /* or NULL */
    double *x;              /* n * p, column-major */
} pn_cox_rows;

/* Bytes of workspace pn_cox_fit_rows needs for n rows, p covariates, with delayed entry
 * (counting = 1) or not: 16 bytes a row (32 with delayed entry) and a few kilobytes. */
size_t pn_cox_rows_work_size(size_t n, size_t p, int counting);

/* Fit the model to `rows` in place, with the options (ties, max_iter, eps, toler_chol,
 * toler_inf) of `opt`, whose data fields are not used: the rows are reordered in the caller's
 * arrays (by stratum, then decreasing time), their times made equal where they differ by
 * rounding only and the covariate columns centred and scaled, so that nothing of the size of
 * the data is copied; their contents afterwards are that reordering (not the caller's order).
 * `work` is caller-owned scratch of pn_cox_rows_work_size bytes, aligned for double. Results
 * and errors as pn_cox_fit, bit for bit. */
int pn_cox_fit_rows(pn_cox_rows *rows, const pn_cox_input *opt, void *work, size_t work_size,
                    pn_cox_result *out);

/* Bytes of workspace pn_cox_fit needs for n rows and p covariates. */
size_t pn_cox_work_size(size_t n, size_t p);

/* Fit the model. `work` is caller-owned scratch of at least pn_cox_work_size(n, p) bytes,
 * aligned for double (as malloc returns); the rows are copied into it and fitted there
 * (pn_cox_fit_rows fits the caller's arrays in place, without the copy). `out`'s arrays are caller-owned and overwritten.
 * With no event at all, as R does, nothing is fitted: every coefficient is NaN, both
 * log-likelihoods 0 and iterations 0. Returns PN_OK, or PN_EINVAL (p = 0, a non-finite time
 * or covariate, an entry not before its exit, a negative stratum code, a weight that is not
 * positive, too small a workspace), or PN_ERANGE when an entry time and its exit time differ by
 * rounding only (R's coxph stops there too). */
int pn_cox_fit(const pn_cox_input *in, void *work, size_t work_size, pn_cox_result *out);

/* The Wald summary of one coefficient, as R's summary(coxph) prints it. */
typedef struct pn_cox_wald {
    double coef, exp_coef; /* beta and exp(beta) */
    double se;             /* sqrt of the variance's diagonal */
    double z, p;           /* beta / se and its two-sided normal p-value */
    double lower, upper;   /* the `conf` limits of exp(beta): exp(beta -/+ z_q se) */
} pn_cox_wald;

/* The Wald summary of coefficient `j` of a fit of `p` covariates (`r` borrowed), with limits at
 * the confidence level `conf` (0 < conf < 1; R prints 0.95). A coefficient dropped as singular
 * has every field NaN. */
pn_cox_wald pn_cox_wald_term(const pn_cox_result *r, size_t p, size_t j, double conf);

#endif
