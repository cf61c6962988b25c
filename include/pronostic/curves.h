/* curves.h - Kaplan-Meier curves of a store selection, by group, with their confidence limits,
 * as every entry point draws them (the server's /api/v1/surv, its SVG): at every distinct time,
 * or on a regular grid of times (the published form, curves.c); and their disclosure control
 * (publish/curves_protect.c). */
#ifndef PRONOSTIC_CURVES_H
#define PRONOSTIC_CURVES_H

#include "pronostic/cohort.h"
#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pn_curve {
    char *label;              /* "all" or "var=value" (owned) */
    long long n, events;      /* subjects and deaths of the group */
    size_t k;                 /* points */
    double *time;             /* days since diagnosis; one allocation holds the 8 arrays */
    double *n_risk, *n_event, *n_censor;  /* at risk at the point; events and censorings
                                              since the previous point */
    double *surv, *lower, *upper;         /* NaN where not estimable */
    unsigned char *suppressed;            /* per point: PN_DCELL_* of its counts (0 when
                                              unprotected) */
    int n_status, events_status;          /* PN_DCELL_* of n and events */
} pn_curve;

/* Room for k points in `cv` (its time array holds the seven, suppressed zeroed; owned by the
 * curve: pn_curves_free). PN_OK or PN_ENOMEM. */
int pn_curve_points_alloc(pn_curve *cv, size_t k);

typedef struct pn_curves {
    size_t n;
    pn_curve *curve;
    int32_t closing;          /* the closing date used */
    size_t subjects;          /* tumours selected */
} pn_curves;

typedef struct pn_curves_opts {
    const char *by;           /* NULL or one store variable: sex, agegroup, period, year,
                                 departement, region */
    double conf;              /* confidence level (0.95) */
    double grid;              /* days between points (0: every distinct time) */
} pn_curves_opts;

/* The curves of `cohort` (borrowed, only read; a selection of the store, pn_cohort_select or
 * pn_cohort_select_rows): log limits as R's survfit. *out is the caller's (pn_curves_free).
 * PN_EEMPTY for an empty cohort; the errors of pn_cohort_survdata (an unknown `by`:
 * PN_ENOCOL). */
int pn_curves_of(const pn_cohort *cohort, const pn_curves_opts *o, pn_curves **out,
                 pn_diag *diag);
void pn_curves_free(pn_curves *c);

#endif
