/* km.h - survival curves from right-censored or left-truncated data: the per-time counts of
 * each stratum (an aggregate that rows are added to one by one), Kaplan-Meier with Greenwood
 * variance, Fleming-Harrington (exp of Nelson-Aalen), confidence limits, values at chosen times,
 * median survival with its limits and the restricted mean (docs/methods.md, "Kaplan-Meier",
 * "Fleming-Harrington", "Median and RMST"). Every formula follows R's survival package
 * (survfit, summary.survfit, print.survfit) so that results agree digit for digit.
 *
 * The state is an aggregate of the rows (pn_kmagg): new / add / merge / final, where final is
 * pn_kmagg_tables (the per-time counts) followed by pn_km_curve (or pn_lifetable, lifetable.h,
 * or pn_logrank_tables, logrank.h, which read the same tables). Aggregates of any split of the
 * rows merge into the aggregate of all of them (counts exactly, weighted sums compensated), and
 * serialise to versioned, architecture-neutral bytes (wire.h), so that threads, PostgreSQL
 * parallel workers or Citus workers can each build one and a leader merges them
 * (docs/methods.md, "Aggregate states").
 *
 * The kernels do no I/O, keep no global state and write into buffers the caller owns.
 */
#ifndef PRONOSTIC_KM_H
#define PRONOSTIC_KM_H

#include "pronostic/conf.h"
#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

typedef enum pn_km_method { PN_KM_KAPLAN_MEIER = 0, PN_KM_FLEMING_HARRINGTON = 1 } pn_km_method;

/* The per-time counts of one stratum: k distinct exit times in increasing order (a time where
 * at least one subject has an event or is censored), with the (weighted) number at risk just
 * before each time, the (weighted) events and censorings at it. Views into storage owned by
 * a pn_kmtables. */
typedef struct pn_kmtable {
    size_t k;
    const double *time;
    const double *n_risk;
    const double *n_event;
    const double *n_censor;
    size_t n_records;   /* rows of input in the stratum (unweighted), R's `n` */
} pn_kmtable;

/* ---- the aggregate: per-(stratum, time) sums, built row by row ---------------------------- */

typedef struct pn_kmagg pn_kmagg;

/* A new empty aggregate; *out is owned by the caller (pn_kmagg_free). PN_OK or PN_ENOMEM. */
int pn_kmagg_new(pn_kmagg **out);
void pn_kmagg_free(pn_kmagg *agg);

/* Add one subject of stratum `group` (0-based, below UINT32_MAX) leaving observation at `time`
 * (finite, >= 0) with an event (event != 0) or censored, with case weight `weight` (finite,
 * >= 0; 1 without weights), and, when `entry` is not NaN, entering the risk set at `entry`
 * (finite, < time; delayed entry, as R's Surv(entry, time, event)). PN_OK, PN_ENOMEM, or
 * PN_EINVAL (a code of UINT32_MAX, a time or entry that is not finite, a weight that is
 * negative or not finite; the aggregate is then unchanged). */
int pn_kmagg_add(pn_kmagg *agg, uint32_t group, double entry, double time, int event,
                 double weight);

/* Merge `src` into `dst` (two distinct aggregates; both keep their ownership): aggregates of
 * parts of the data combine into the aggregate of the whole, whatever the split and the order
 * of the merges. PN_OK or PN_ENOMEM (dst is then incomplete: free it). */
int pn_kmagg_merge(pn_kmagg *dst, const pn_kmagg *src);
/* pn_kmagg_merge with src's stratum g counted as dst's map[g] (map has an entry for every
 * stratum code given to src; NULL: the same codes), for states whose codes were given apart
 * (the parts of a file read side by side). */
int pn_kmagg_merge_map(pn_kmagg *dst, const pn_kmagg *src, const uint32_t *map);

/* One past the highest stratum code with rows (0 when empty): the `ngroups` of
 * pn_kmagg_tables without a recode. */
size_t pn_kmagg_ngroups(const pn_kmagg *agg);

/* The aggregate as bytes (version 1; layout in src/stats/kmagg_wire.c): *out, of *len bytes, is
 * owned by the caller (pn_free). Equal aggregates give equal bytes. PN_OK or PN_ENOMEM. */
int pn_kmagg_serialise(const pn_kmagg *agg, unsigned char **out, size_t *len);

/* An aggregate read back from the `len` bytes at `buf` (the caller's, not kept): *out is owned
 * by the caller (pn_kmagg_free), and serialises to the same bytes. PN_OK, PN_ENOMEM, or
 * PN_EPARSE with a message in `diag` (may be NULL) for bytes that are not such a state:
 * truncated, oversized, another version, a count beyond the buffer, slots out of order, a time
 * or sum that is not finite, counts that contradict each other. */
int pn_kmagg_deserialise(pn_kmagg **out, const void *buf, size_t len, pn_diag *diag);

/* The per-stratum tables of the aggregate, for strata 0..ngroups-1 (a stratum without rows
 * has k = 0). When `recode` is not NULL, the stratum codes given to pn_kmagg_add are first
 * mapped through it (recode[code] = final stratum). Times that differ by rounding only are
 * first made equal as R's survfit does (timefix.h; classes over the times of all strata).
 * *out is owned by the caller. PN_OK, PN_ENOMEM, PN_EINVAL (a code beyond ngroups), or
 * PN_ERANGE when the row with the shortest stay enters and leaves within one class of times
 * (R's aeqSurv stops there; other rows are not checked). */
typedef struct pn_kmtables {
    size_t ngroups;
    pn_kmtable *tab;    /* ngroups tables */
    double *store;      /* the arrays the tables view */
    size_t *nrec;
} pn_kmtables;
int pn_kmagg_tables(const pn_kmagg *agg, size_t ngroups, const uint32_t *recode,
                    pn_kmtables **out);
void pn_kmtables_free(pn_kmtables *tables);

/* ---- the estimators ---------------------------------------------------------------------- */

/* The survival curve of table `t` by `method`: surv[i] at t->time[i] and selog[i], the
 * standard error of log S (Greenwood for Kaplan-Meier, sqrt(sum d/n^2) for Fleming-Harrington)
 * as R's survfit stores it in `std.err` (Inf once S reaches 0). Buffers of t->k values owned by
 * the caller. */
void pn_km_curve(const pn_kmtable *t, pn_km_method method, double *surv, double *selog);

/* Values at requested times, as R's summary(fit, times=, extend=FALSE): for each of the
 * `nat` increasing times at[] not beyond the last time of the table, one row: the curve's
 * value at the last time <= at[j] (1 before the first time), the number at risk at the first
 * time >= at[j], and events and censorings since the previous requested time. Returns the
 * number of rows written into the caller's buffers of nat values each (row j is for at[j]).
 * lower/upper of a time before the first exit are 1, as survfit0 gives them. */
size_t pn_km_at(const pn_kmtable *t, const double *surv, const double *selog,
                const double *at, size_t nat, pn_conf_type type, double z, double *n_risk,
                double *n_event, double *n_censor, double *s_at, double *selog_at,
                double *lower_at, double *upper_at);

/* The 0.5 crossing of a curve as R's print.survfit finds it: the first time where y < 0.5
 * (within sqrt(DBL_EPSILON)), averaged with the next lower step when the curve is flat at
 * exactly 0.5; NaN values are skipped; NaN when the curve never crosses. */
double pn_km_median(size_t k, const double *time, const double *y);

/* Restricted mean survival time up to `end` from start time min(0, first time), and its
 * standard error, as R's survmean (print(fit, rmean=end)). */
void pn_km_rmst(const pn_kmtable *t, const double *surv, double end, double *rmst,
                double *se);

#endif
