/* logrank.h - the log-rank test and the Fleming-Harrington G-rho family, with strata.
 *
 * Compares the survival of k groups as R's survival::survdiff(Surv(time, status) ~ group +
 * strata(s), rho = rho) does: at each death time of a stratum, the weight is S(t-)^rho with S
 * the Kaplan-Meier estimate of the pooled stratum (left-continuous; rho = 0 is the log-rank
 * test, rho = 1 the Peto-Peto modification of the Gehan-Wilcoxon test). Observed (weighted)
 * and expected deaths per group and their variance matrix are summed over strata; the statistic
 * is (O-E)' V^- (O-E) over the groups with a positive expected count, the first of them left
 * out, and p is the upper tail of a chi-square. Times are first made exactly equal when they
 * differ by rounding only, as R's aeqSurv() does. See docs/methods.md, "Log-rank and G-rho
 * tests".
 *
 * A pure kernel: no I/O, no global state; the caller owns every buffer.
 */
#ifndef PRONOSTIC_LOGRANK_H
#define PRONOSTIC_LOGRANK_H

#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pn_logrank_input {
    size_t n;               /* subjects */
    const double *time;     /* n follow-up times, finite and >= 0 */
    const unsigned char *event; /* n: 1 death, 0 censored */
    const int32_t *group;   /* n group codes in 0..ngroups-1 */
    size_t ngroups;         /* k >= 2 */
    const int32_t *stratum; /* n stratum codes in 0..nstrata-1, or NULL for one stratum */
    size_t nstrata;         /* ignored when stratum is NULL */
    double rho;             /* weight exponent, >= 0 (0: log-rank) */
} pn_logrank_input;

typedef struct pn_logrank_result {
    /* Caller-owned arrays, filled by pn_logrank: */
    double *n;         /* ngroups: subjects per group */
    double *observed;  /* ngroups: weighted observed deaths, summed over strata */
    double *expected;  /* ngroups: weighted expected deaths, summed over strata */
    double *var;       /* ngroups * ngroups, row-major: variance of O - E, summed over strata */
    /* Scalars set by pn_logrank: */
    double chisq;      /* the test statistic (0 when fewer than two groups have expected > 0) */
    int df;            /* degrees of freedom: the rank of the reduced variance matrix */
    double p;          /* upper-tail chi-square probability; NaN when no death was seen */
    int singular;      /* 1 when the reduced variance matrix was singular (R's survdiff stops
                          there; a generalised inverse is used and df is its rank) */
} pn_logrank_result;

/* Bytes of workspace pn_logrank needs for n subjects and k groups. */
size_t pn_logrank_work_size(size_t n, size_t ngroups);

/* Compute the test. `work` is caller-owned scratch of at least pn_logrank_work_size(n, k)
 * bytes, aligned for long double (as malloc returns). `out`'s arrays are caller-owned and are
 * overwritten. Returns PN_OK, or PN_EINVAL (fewer than 2 groups, a code out of range, a
 * negative or non-finite time or rho, too small a workspace). */
int pn_logrank(const pn_logrank_input *in, void *work, size_t work_size, pn_logrank_result *out);

#endif
