/* cuminc.h - competing risks: the cumulative incidence of each event type by the Aalen-Johansen
 * estimator with its infinitesimal-jackknife standard error and confidence limits, as R's
 * survival package computes them (survfit(Surv(time, factor(status)) ~ g), summary(fit,
 * times=); survfitCI / survfitci.c of survival 3.5), and Gray's test between groups, as
 * cmprsk::cuminc(ftime, fstatus, group, strata, rho = 0)$Tests (crstm.f)
 * (docs/methods.md, "Cumulative incidence (Aalen-Johansen)", "Gray's test").
 *
 * States: 0 = censored (still in the initial state), 1..m = the m competing event types. Each
 * row is one subject (R's id = one per row).
 *
 * The state is an aggregate of the rows (pn_cumincagg): new / add / merge / serialise /
 * deserialise / free, then a "final", pn_cumincagg_tables (per stratum: the distinct exit
 * times, the number at risk, the events of each type, the censorings), followed by
 * pn_cuminc_curve (estimates and standard errors at every time) and pn_cuminc_at / pn_cuminc_value
 * (values at chosen times), or pn_cuminc_gray. Aggregates of any split of the rows merge into
 * the aggregate of all of them, and serialise to versioned, architecture-neutral bytes
 * (wire.h). pn_cumincagg_estimate does tables, curve and value in one call.
 *
 * The kernels do no I/O, keep no global state, and write into buffers the caller owns.
 */
#ifndef PRONOSTIC_CUMINC_H
#define PRONOSTIC_CUMINC_H

#include "pronostic/conf.h"
#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

#define PN_CUMINC_MAX_STATES 1000 /* the most event types an aggregate takes */

/* ---- the aggregate: per-(stratum, state, entry, exit) sums, built row by row ------------- */

typedef struct pn_cumincagg pn_cumincagg;

/* A new empty aggregate of `nstates` event types (1 <= nstates <= PN_CUMINC_MAX_STATES);
 * *out is owned by the caller (pn_cumincagg_free). PN_OK, PN_EINVAL or PN_ENOMEM. */
int pn_cumincagg_new(pn_cumincagg **out, int nstates);
void pn_cumincagg_free(pn_cumincagg *agg);

/* The number of event types the aggregate was made for. */
int pn_cumincagg_nstates(const pn_cumincagg *agg);

/* Add one subject of stratum `group` (0-based, below UINT32_MAX) leaving observation at `time`
 * (finite) in `state` (0: censored, 1..nstates: that event type), with case weight `weight`
 * (finite, >= 0; 1 without weights), and, when `entry` is not NaN, entering the risk set at
 * `entry` (finite, < time; delayed entry, as R's Surv(entry, time, factor(status)) with one id
 * per row). PN_OK, PN_ENOMEM, or PN_EINVAL (group UINT32_MAX, a state out of range, a time,
 * entry or weight not finite, a negative weight, entry >= time; the aggregate is unchanged). */
int pn_cumincagg_add(pn_cumincagg *agg, uint32_t group, double entry, double time, int state,
                     double weight);

/* Merge `src` into `dst` (two distinct aggregates of the same nstates; both keep their
 * ownership): whatever the split of the rows and the order of the merges, the result
 * serialises to the same bytes. PN_OK, PN_EINVAL (nstates differ) or PN_ENOMEM (dst is then
 * incomplete: free it). */
int pn_cumincagg_merge(pn_cumincagg *dst, const pn_cumincagg *src);
/* The same with src's stratum g counted as dst's gmap[g] and src's event type s (1..) as dst's
 * smap[s] (smap[0] is ignored: censored stays 0); NULL maps mean the same codes. For parts of a
 * file read side by side, whose codes were given in order of appearance in each part. With
 * smap, the aggregates may have different nstates: PN_EINVAL when a mapped type is beyond dst's
 * (or a mapped stratum is UINT32_MAX). */
int pn_cumincagg_merge_map(pn_cumincagg *dst, const pn_cumincagg *src, const uint32_t *gmap,
                           const uint32_t *smap);

/* One past the highest stratum code with rows (0 when empty). */
size_t pn_cumincagg_ngroups(const pn_cumincagg *agg);

/* The aggregate as bytes (version 1; layout in src/stats/cumincagg_wire.c): *out, of *len
 * bytes, is owned by the caller (pn_free). Equal aggregates give equal bytes. PN_OK or
 * PN_ENOMEM. */
int pn_cumincagg_serialise(const pn_cumincagg *agg, unsigned char **out, size_t *len);

/* An aggregate read back from the `len` bytes at `buf` (the caller's, not kept): *out is owned
 * by the caller and serialises to the same bytes. PN_OK, PN_ENOMEM, or PN_EPARSE with a message
 * in `diag` (may be NULL) for bytes that are not such a state: truncated, oversized, another
 * version, a count beyond the buffer, keys out of order, a state out of range, a time or sum
 * that is not finite, an entry not before its exit, counts that contradict each other. */
int pn_cumincagg_deserialise(pn_cumincagg **out, const void *buf, size_t len, pn_diag *diag);

/* ---- the final: per-stratum tables ------------------------------------------------------- */

/* The table of one stratum: k distinct exit times in increasing order, with the (weighted)
 * number at risk just before each time (entered strictly before it, not yet left), the
 * (weighted) events of each type at it, n_event[i * m + s - 1] for type s, and the censorings.
 * Views into storage owned by a pn_cuminctables. */
typedef struct pn_cuminctable {
    size_t k, m;
    const double *time;
    const double *n_risk;
    const double *n_event;  /* k * m */
    const double *n_censor;
    size_t n_records;       /* rows of input in the stratum (unweighted), R's `n` */
} pn_cuminctable;

typedef struct pn_cuminctables pn_cuminctables; /* layout in src/stats/cuminc_internal.h */

enum {
    PN_CUMINC_TIMEFIX = 1, /* make times that differ by rounding only equal, as survfit does */
};

/* The tables of strata 0..ngroups-1 (a stratum without rows has k = 0). When `recode` is not
 * NULL, the stratum codes given to add are first mapped through it (recode[code] = final
 * stratum). With PN_CUMINC_TIMEFIX in `flags`, times are first made equal as R's survfit does
 * (timefix.h; classes over the entry and exit times of all strata); without it they are
 * compared exactly, as cmprsk does. *out is owned by the caller (pn_cuminctables_free). PN_OK,
 * PN_ENOMEM, PN_EINVAL (a code beyond ngroups), or PN_ERANGE when a row's entry and exit fall
 * into one class of times (R's aeqSurv stops there). */
int pn_cumincagg_tables(const pn_cumincagg *agg, size_t ngroups, const uint32_t *recode,
                        int flags, pn_cuminctables **out);
void pn_cuminctables_free(pn_cuminctables *tables);

size_t pn_cuminctables_ngroups(const pn_cuminctables *tables);
/* The table of stratum g (< ngroups), owned by `tables`. */
const pn_cuminctable *pn_cuminctables_table(const pn_cuminctables *tables, size_t g);

/* ---- the estimators ---------------------------------------------------------------------- */

/* The Aalen-Johansen estimates of stratum g at each of its k times: est[i * m + s - 1], the
 * probability of having had event s by time[i], and se[i * m + s - 1] its standard error by
 * the infinitesimal jackknife (R's std.err for multi-state curves: the square root of the sum
 * over subjects of (weight * influence)^2); surv[i] (may be NULL) the probability of no event
 * yet, R's pstate of "(s0)". Buffers of k * m (surv: k) values owned by the caller. PN_OK or
 * PN_ENOMEM (scratch of the variance). */
int pn_cuminc_curve(const pn_cuminctables *tables, size_t g, double *est, double *se,
                    double *surv);

/* Confidence limits of an estimate p with standard error se (of p itself) as R's
 * survfit_confint(p, se, logse = FALSE, conf.type) for multi-state curves (default type log:
 * exp(log p -+ z se / p), upper cut to 1; NaN (R's NA) where p is 0). */
void pn_cuminc_limits(double p, double se, pn_conf_type type, double z, double *lower,
                      double *upper);

/* Values of state s (1..m) at requested times, as R's summary(fit, times=, extend=FALSE) gives
 * them: for each of the `nat` increasing times at[] not beyond the table's last time, one row:
 * the number at risk at the first time >= at[j] (0 past the end), the events of type s since
 * the previous requested time, the estimate and its standard error at the last time <= at[j]
 * (0 and 0 before the first time, with limits 0 and 0, as survfit0 gives them for multi-state
 * curves), and the limits. est/se are pn_cuminc_curve's. Returns the number of rows written into
 * the caller's buffers of nat values each (any may be NULL). */
size_t pn_cuminc_at(const pn_cuminctable *t, const double *est, const double *se, size_t s,
                    const double *at, size_t nat, pn_conf_type type, double z, double *n_risk,
                    double *n_event, double *est_at, double *se_at, double *lower_at,
                    double *upper_at);

/* The value of state s (1..m) at one time `at` (any finite time, also past the last one): the
 * step value at the last time <= at (0, se 0 and limits 0 before the first time). */
void pn_cuminc_value(const pn_cuminctable *t, const double *est, const double *se, size_t s,
                     double at, pn_conf_type type, double z, double *est_at, double *se_at,
                     double *lower_at, double *upper_at);

/* One call for one stratum: the tables of `agg` (strata as given to add, PN_CUMINC_TIMEFIX),
 * the curve of stratum `group`, and the value of state s at time `at` with limits of level
 * `conf` (log type). PN_OK, PN_EINVAL (s out of range, conf not in (0, 1)), PN_ERANGE, or
 * PN_ENOMEM. A stratum without rows gives NaN. */
int pn_cumincagg_estimate(const pn_cumincagg *agg, uint32_t group, int s, double at,
                          double conf, double *est, double *se, double *lower, double *upper);

/* ---- Gray's test ------------------------------------------------------------------------- */

/* The result for each event type s = 1..m (arrays of m values, caller-owned): the statistic
 * s' V^- s of Gray (1988) with rho = 0, its degrees of freedom (the number of groups - 1) and
 * p-value (chi-square); statistic -1 and p 1 when V is singular, as cmprsk gives them. */
typedef struct pn_gray_result {
    double *stat;
    double *p;
    int df;
} pn_gray_result;

/* Gray's test of the tables `tables` (built without PN_CUMINC_TIMEFIX, as cmprsk compares times
 * exactly) whose strata are the cells of group x stratum: cell c belongs to test group
 * group[c] (0..ngroups-1) and stratum stratum[c] (0..nstrata-1; NULL: one stratum). The groups
 * are those with rows, numbered as cmprsk numbers the levels that occur. Counts are the rows
 * (unweighted): PN_EINVAL when a row had a weight other than 1 or a delayed entry (cmprsk has
 * neither), or fewer than 2 groups. PN_OK or PN_ENOMEM. */
int pn_cuminc_gray(const pn_cuminctables *tables, const uint32_t *group, size_t ngroups,
                   const uint32_t *stratum, size_t nstrata, pn_gray_result *res);

#endif
