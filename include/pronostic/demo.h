/* demo.h - the synthetic France: a seeded generator of a complete CSV bundle (docs/interfaces.md 2).
 *
 * `pronostic demo` writes, for N synthetic patients diagnosed 2000-2024 with one of the seven
 * poor-prognosis cancers, every file of the import bundle: patients, tumours, care-pathway events,
 * treatment lines, molecular alterations, centres, territories and the trial catalogue. Patient i
 * depends only on (seed, i), so the output is deterministic for a seed and the first rows of a
 * large run equal a small run's. Files are written row by row: memory does not depend on N.
 *
 * The survival model (docs/methods.md, "Synthetic data"): death is the first of a background
 * death drawn from a population life table and an excess death drawn from a piecewise-constant
 * excess hazard c_s * b_s(t) * a_s(age group) * exp(-g_s (year - 2012.5)), with c_s calibrated so
 * that the ICSS-standardised 5-year net survival of diagnoses 2010-2015 equals the published French
 * figure of each site.
 */
#ifndef PRONOSTIC_DEMO_H
#define PRONOSTIC_DEMO_H

#include "pronostic/error.h"
#include "pronostic/ratetable.h"
#include "pronostic/rng.h"

#include <stddef.h>
#include <stdint.h>

/* Sites are the enum pn_site values of site.h (PN_SITE_PANCREAS ... PN_SITE_AML). */
#define PN_DEMO_NSITES 7
#define PN_DEMO_NGROUPS 5     /* ICSS age groups 15-44, 45-54, 55-64, 65-74, 75+ */
#define PN_DEMO_NINTERVALS 7  /* excess-hazard intervals, years since diagnosis */
#define PN_DEMO_MAX_PATIENTS 1000000000ULL   /* patient ids stay distinct below 9e9 */

/* The calibrated excess-hazard model: a plain value the caller owns. */
typedef struct pn_demo_model {
    double scale[PN_DEMO_NSITES];   /* c_s, per year */
} pn_demo_model;

/* The published French ICSS-standardised 5-year net survival for diagnoses 2010-2015 (0-1) of
 * a site (enum pn_site), NaN for PN_SITE_OTHER. The standard is pn_site_icss(site). */
double pn_demo_target_net5(int site);

/* Solve for c_s of every site (bisection on the analytic standardised net survival). Returns
 * PN_OK or PN_ECONVERGE. */
int pn_demo_model_calibrate(pn_demo_model *model);
/* Cumulative excess hazard at t years after a diagnosis at decimal year `dx_year`, ICSS age
 * group `group` (0-4 as pn_icss_group; children, -1, use 0), for a site of enum pn_site. */
double pn_demo_excess_cumhaz(const pn_demo_model *model, int site, int group, double dx_year,
                             double t);
/* ICSS-standardised net survival at t years, averaged over diagnoses uniform on [y0, y1). */
double pn_demo_std_net(const pn_demo_model *model, int site, double t, double y0, double y1);
/* An excess death time in years (may be INFINITY: the hazard is positive at all times, so only
 * for an all-zero hazard). */
double pn_demo_draw_excess(const pn_demo_model *model, int site, int group, double dx_year,
                           pn_rng *rng);
/* A background death time in days after a diagnosis on day `dx_date` at age `age_days`, for
 * `sex` (PN_SEX_MALE or PN_SEX_FEMALE), by inverting the table's exact cumulative hazard (the
 * same cells as pronostic netsurv uses); INFINITY when it falls after `horizon` days. */
double pn_demo_draw_background(const pn_ratetable *rt, double age_days, int sex, double dx_date,
                               double horizon, pn_rng *rng);

typedef struct pn_demo_options {
    const char *out_dir;        /* created if absent; files inside are overwritten */
    uint64_t patients;          /* N */
    uint64_t seed;
    int with_errors;            /* add a few deliberately bad rows (listed on stderr) */
    const char *data_dir;       /* where departements.csv is; NULL: $PRONOSTIC_DATA_DIR, else
                                 * the bundled data/ */
    const pn_ratetable *ratetable;   /* background mortality (required, not owned) */
    int32_t closing;            /* end of follow-up, days since 1970; 0: 2024-12-31 */
    /* Called for each bad row --with-errors injects (its file, line, field and why); NULL:
     * nothing. The library prints nothing itself. */
    void (*note)(void *ctx, const char *file, unsigned long long line, const char *field,
                 const char *why);
    void *note_ctx;
} pn_demo_options;

/* Rows written per file (header excluded). */
typedef struct pn_demo_counts {
    unsigned long long patients, tumours, events, alterations, lines, centres, territories,
        trials, injected_errors;
} pn_demo_counts;

/* Write the bundle. `counts` may be NULL. Returns PN_OK, PN_EINVAL (no options, output
 * directory or life table, more than PN_DEMO_MAX_PATIENTS), PN_EIO (with the path in diag),
 * PN_EPARSE or PN_ENOCOL (bad departements.csv) or PN_ENOMEM. */
int pn_demo_write(const pn_demo_options *options, pn_demo_counts *counts, pn_diag *diag);

#endif
