/* netsurv.h - net survival against a population life table: Pohar-Perme, Ederer II, the
 * Grafféo log-rank-type test, age standardisation (ICSS) and the trend across periods.
 *
 * These are stats/ kernels: no I/O, no global state; results go to caller-owned buffers
 * (pn_netsurv_curve_init allocates one, pn_netsurv_curve_free releases it). Times are in days
 * of follow-up, ages in days, dates as day numbers (days since 1970-01-01), sexes PN_SEX_*.
 * Formulas and references: docs/methods.md, "Net survival".
 */
#ifndef PRONOSTIC_NETSURV_H
#define PRONOSTIC_NETSURV_H

#include "pronostic/error.h"
#include "pronostic/ratetable.h"

#include <stddef.h>

enum pn_netsurv_method { PN_NETSURV_POHAR_PERME = 0, PN_NETSURV_EDERER2 = 1 };

/* How the expected hazard is integrated between two distinct follow-up times:
 * EXACT integrates the piecewise-constant population hazard exactly (it changes at age cuts and
 * on January 1st); RELSURV reproduces relsurv's rs.surv digit for digit: daily sub-steps with
 * the hazard of the cell where each step begins, and its trapezoid-like weighting. */
enum pn_netsurv_scheme { PN_NETSURV_EXACT = 0, PN_NETSURV_RELSURV = 1 };

/* The subjects: `n` rows, or the `n` rows listed in `rows` when it is not NULL. */
typedef struct pn_netsurv_input {
    size_t n;
    const size_t *rows;     /* NULL, or n row indices into the arrays below */
    const double *time;     /* end of follow-up (days, > 0) */
    const double *entry;    /* NULL, or delayed entry (days, 0 <= entry < time) */
    const int *status;      /* 1 = death, 0 = censored */
    const double *age;      /* age at diagnosis, days */
    const double *date;     /* date of diagnosis, day number */
    const int *sex;         /* PN_SEX_MALE or PN_SEX_FEMALE */
    const double *weight;   /* NULL, or a positive weight per subject (Pohar-Perme only): every
                               sum is weighted (w_i / S_Pi), the variance by w_i^2 / S_Pi^2;
                               Brenner's age standardisation uses it */
    int threads;            /* 0 or 1: the caller's thread only; k: up to k worker threads */
} pn_netsurv_input;

/* One curve: a row per distinct follow-up time (R's rs.surv rows). Buffers owned by the caller. */
typedef struct pn_netsurv_curve {
    size_t cap, len;
    double *time, *n_risk, *n_event, *n_censor;
    double *surv;          /* net survival */
    double *se;            /* standard error of the cumulative net hazard (rs.surv std.err) */
    unsigned flags;        /* PN_RATE_* flags met while integrating */
} pn_netsurv_curve;

/* Allocate the buffers of a curve with room for `cap` rows (cap >= the number of subjects is
 * always enough). PN_OK or PN_ENOMEM. */
int pn_netsurv_curve_init(pn_netsurv_curve *curve, size_t cap);
/* Free the buffers (the struct itself is the caller's). Accepts NULL. */
void pn_netsurv_curve_free(pn_netsurv_curve *curve);

/* Estimate net survival of the input's subjects into `out` (cap >= input->n).
 * Errors: PN_EINVAL (a time <= 0 or not finite, entry >= time, a weight not positive, weights
 * with Ederer II), PN_ERANGE (the relsurv scheme
 * with a follow-up over 10^6 days: it walks one step per day), PN_ENOMEM. */
int pn_netsurv_estimate(const pn_netsurv_input *in, const pn_ratetable *rt, int method,
                        int scheme, pn_netsurv_curve *out);

/* The curve read at requested times, as R's summary(fit, times = at): surv and se at the last
 * time <= at[k] (1 and 0 before the first), n_risk at the first time >= at[k], n_event and
 * n_censor counted since the previous requested time. Requested times beyond the last time are
 * reported with the last values and n_risk 0. Outputs are caller buffers of length m. */
void pn_netsurv_at(const pn_netsurv_curve *curve, const double *at, size_t m, double *surv,
                   double *se, double *n_risk, double *n_event, double *n_censor);

/* Grafféo's log-rank-type test of equal net survival between `k` groups (relsurv's rs.diff;
 * in->weight and in->entry are not used):
 * `group[i]` in 0..k-1 for each row of `in` (over the same row list), `stratum` NULL or a
 * stratum code 0..nstrata-1 per row. Outputs: chi-square, degrees of freedom, p-value, and per
 * group the observed minus expected weighted events zh[k] (caller buffer, may be NULL); `flags`
 * (may be NULL) receives the PN_RATE_* flags met. The statistic is z' V^+ z over the k groups
 * with V^+ the Moore-Penrose inverse of their variance: rs.diff's statistic when V has rank
 * k - 1, and defined when it is singular (a group never at risk when anyone dies, no death at
 * all), where rs.diff stops; *df is the rank of V, below k - 1 when V is singular. With *df 0
 * the statistic is 0 and p 1, or NaN when no row has a death (the test is undefined). Errors: PN_EINVAL (k < 2, a group or stratum code out of range),
 * PN_ERANGE (a follow-up over 10^6 days: the grid is daily), PN_ESINGULAR (a statistic that is
 * not finite), PN_ENOMEM. */
int pn_netsurv_test(const pn_netsurv_input *in, const pn_ratetable *rt, const int *group,
                    int k, const int *stratum, int nstrata, double *chisq, int *df, double *p,
                    double *zh, unsigned *flags);

/* ICSS age standards (Corazziari, Quinn, Capocaccia 2004): weights of the age groups 15-44,
 * 45-54, 55-64, 65-74, 75+ for standard 1, 2 or 3. Returns a static array of 5 weights summing
 * to 1, or NULL for an unknown standard. */
const double *pn_icss_weights(int standard);
/* The ICSS age group 0..4 of an age in years, or -1 below 15. */
int pn_icss_group(double age_years);

/* The number of ICSS age groups (standard 1..3) with a positive weight but no subject in the
 * input (`agegroup` as for pn_netsurv_point): the direct standardised estimate is then
 * undefined. A negative PN_E* code for an unknown standard. */
int pn_icss_empty_groups(const pn_netsurv_input *in, int standard, const int *agegroup);

/* Brenner's individual weights (Brenner, Arndt, Gefeller, Hakulinen 2004): subject i of ICSS
 * age group g gets w_g / (n_g / n), n_g the subjects of group g among the n of the input aged
 * 15 or more (`agegroup` as for pn_netsurv_point, NULL: from in->age). `weight` is a caller
 * buffer indexed like the input arrays; rows under 15 get 0. Returns the number of age groups
 * with a positive standard weight but no subject (the weights then do not reproduce the
 * standard), or a negative PN_E* code. */
int pn_brenner_weights(const pn_netsurv_input *in, int standard, const int *agegroup,
                       double *weight);

/* Direct standardisation: the weighted sum of `k` group estimates s[g] with standard errors of
 * the survival se_s[g] (weights w[g]); *std and *std_se receive the standardised estimate and
 * its standard error (variance the weighted sum of variances). A group with a NaN estimate
 * makes the result NaN. */
void pn_standardise(const double *w, const double *s, const double *se_s, size_t k, double *std,
                    double *std_se);

/* Net survival read at the times at[m] (days), for the report and trend engines: Pohar-Perme
 * when `standard` is 0, else the ICSS `standard` (1..3) age-standardised Pohar-Perme over the
 * five age groups (rows under 15 are left out). `agegroup` gives each row's group 0..4 (-1: under
 * 15), indexed like the input arrays; NULL derives it from in->age. Outputs (caller buffers of
 * length m): est, se (standard error of the survival, not of the cumulative hazard), and when
 * not NULL n_risk, n_event, n_censor summed over the groups. Past an age group's last
 * follow-up time its estimate keeps its last value when everyone at risk then died (the curve
 * is then ~0, as relsurv's summary(extend = TRUE) gives it); otherwise (the last subject
 * censored) est[j] is NaN. `flags` (may be NULL) receives PN_RATE_* flags. */
int pn_netsurv_point(const pn_netsurv_input *in, const pn_ratetable *rt, int scheme, int standard,
                     const int *agegroup, const double *at, size_t m, double *est, double *se,
                     double *n_risk, double *n_event, double *n_censor, unsigned *flags);

/* Trend across periods (docs/methods.md "Trend to 2030"): inverse-variance weighted least
 * squares of the estimates y[p] (standard errors se[p]) on the periods' mid-years x[p].
 * Outputs slope per year and its se, the two-sided p-value of slope = 0, the projection at
 * `target_year` with its se, and the difference last - first period with its p-value.
 * Periods with a non-finite estimate or se <= 0 are skipped; fewer than 2 usable periods gives
 * PN_EEMPTY. */
typedef struct pn_trend {
    double slope, slope_se, slope_p;
    double projection, projection_se;
    double diff, diff_se, diff_p;
    int nperiods;
} pn_trend;
int pn_trend_fit(const double *x, const double *y, const double *se, size_t m, double target_year,
                 pn_trend *out);

#endif
