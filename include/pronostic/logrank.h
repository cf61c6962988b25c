/* logrank.h - the log-rank test and the Fleming-Harrington G-rho family, with strata.
 *
 * Compares the survival of k groups as R's survival::survdiff(Surv(time, status) ~ group +
 * strata(s), rho = rho) does: at each death time of a stratum, the weight is S(t-)^rho with S
 * the Kaplan-Meier estimate of the pooled stratum (left-continuous; rho = 0 is the log-rank
 * test, rho = 1 the Peto-Peto modification of the Gehan-Wilcoxon test). Observed (weighted)
 * and expected deaths per group and their variance matrix are summed over strata; the statistic
 * is (O-E)' V^- (O-E) over the groups with a positive expected count, the first of them left
 * out, and p is the upper tail of a chi-square. See docs/methods.md, "Log-rank and G-rho tests".
 *
 * The test needs only the number at risk and the deaths per (stratum, group, time), so its
 * state is the Kaplan-Meier aggregate (pn_kmagg, km.h: new / add / merge / serialise), one row
 * of group g in stratum s added under code s * ngroups + g; the final step is
 * pn_logrank_final (or pn_kmagg_tables then pn_logrank_tables), the tables also making times
 * that differ by rounding only equal, as R's aeqSurv() does. It is pure: no I/O, no global
 * state, the caller owns every buffer. pn_logrank does the same from rows, building the
 * aggregate itself.
 */
#ifndef PRONOSTIC_LOGRANK_H
#define PRONOSTIC_LOGRANK_H

#include "pronostic/error.h"
#include "pronostic/km.h"

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

/* Bytes of workspace pn_logrank_tables and pn_logrank need for k groups and `ntimes` times:
 * at least the number of distinct times of any stratum (the total of the tables' k, or the
 * number of rows, will do). SIZE_MAX when too large. */
size_t pn_logrank_work_size(size_t ngroups, size_t ntimes);

/* Compute the test from the per-(stratum, group) tables tab[s * ngroups + g], s < nstrata,
 * g < ngroups, of right-censored data (no delayed entry), as pn_kmagg_tables gives them
 * (n_records is the group's count of subjects in the stratum). The sums are formed in
 * survdiff's order (backward over the times), so that results agree with R to the last bits.
 * `work` is caller-owned scratch of at least pn_logrank_work_size(ngroups, total of the
 * tables' k) bytes, aligned for long double (as malloc returns). `out`'s arrays are
 * caller-owned and are overwritten. Returns PN_OK, or PN_EINVAL (fewer than 2 groups or 1
 * stratum, a negative or non-finite rho, too small a workspace). */
int pn_logrank_tables(const pn_kmtable *tab, size_t ngroups, size_t nstrata, double rho,
                      void *work, size_t work_size, pn_logrank_result *out);

/* The final step from the state: the test from the Kaplan-Meier aggregate `agg` (the caller's)
 * whose row of group g in stratum s was added under code s * ngroups + g, or under a code that
 * `recode` (when not NULL) maps to it. Allocates its tables and workspace. Returns as
 * pn_logrank_tables, or PN_ENOMEM, or PN_EINVAL (a code beyond the groups and strata), or
 * PN_ERANGE (pn_kmagg_tables: a stay within one class of times). */
int pn_logrank_final(const pn_kmagg *agg, size_t ngroups, size_t nstrata, const uint32_t *recode,
                     double rho, pn_logrank_result *out);

/* The same from rows: aggregates them (allocating the aggregate: PN_ENOMEM is possible) and
 * calls pn_logrank_tables with `work` (pn_logrank_work_size(ngroups, n) bytes). Returns PN_OK,
 * PN_ENOMEM, or PN_EINVAL (as pn_logrank_tables, or a code out of range, a negative or
 * non-finite time). */
int pn_logrank(const pn_logrank_input *in, void *work, size_t work_size, pn_logrank_result *out);

#endif
