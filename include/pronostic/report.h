/* report.h - the survival report of the poor-prognosis programme (docs/interfaces.md 1.4): for each
 * of the seven sites, observed (Kaplan-Meier), net (Pohar-Perme) and ICSS age-standardised net
 * survival at 1 and 5 years with their confidence limits, by period of diagnosis, then the
 * trend of 5-year standardised net survival across periods and its projection to 2030.
 *
 * pn_report_compute reads the cohorts from a store and fills an array of rows; it prints
 * nothing (the `report` subcommand writes the rows). Every statistic comes from the stats/
 * kernels (km.h, netsurv.h); the rules that choose periods, horizons and cells are described in
 * docs/methods.md, "Report".
 */
#ifndef PRONOSTIC_REPORT_H
#define PRONOSTIC_REPORT_H

#include "pronostic/cohort.h"
#include "pronostic/error.h"
#include "pronostic/period.h"
#include "pronostic/ratetable.h"
#include "pronostic/store.h"

#include <stddef.h>
#include <stdint.h>

/* The measures of a row, in the order a site's rows use them. */
enum pn_report_measure {
    PN_REPORT_OBSERVED = 0,       /* Kaplan-Meier */
    PN_REPORT_NET = 1,            /* Pohar-Perme, all ages */
    PN_REPORT_NET_STD = 2,        /* ICSS age-standardised Pohar-Perme (the site's standard) */
    PN_REPORT_TREND_PER_YEAR = 3, /* slope of 5-year net_std per calendar year */
    PN_REPORT_TREND_P = 4,        /* two-sided p-value of slope = 0 (in `estimate`) */
    PN_REPORT_PROJECTION = 5,     /* 5-year net_std projected to 2030 */
    PN_REPORT_MEASURE_COUNT = 6
};

/* "observed", "net", "net_std", "trend_per_year", "trend_p", "projection_2030". */
const char *pn_report_measure_name(int measure);

/* How rows are split besides site and period. */
enum pn_report_by {
    PN_REPORT_BY_PERIOD = 0,  /* the default: all patients of a site and period */
    PN_REPORT_BY_SEX = 1,     /* also men and women separately */
    PN_REPORT_BY_REGION = 2   /* also each region of residence separately */
};


/* The projection year of PN_REPORT_PROJECTION and the programme's threshold. */
#define PN_REPORT_TARGET_YEAR 2030
#define PN_REPORT_THRESHOLD 0.33

typedef struct pn_report_opts {
    pn_cohort_filter filter;           /* site (PN_SITE_OTHER: the seven sites), years, sex,
                                          territory, closing date (PN_COHORT_CLOSING_AUTO) */
    const pn_period *periods;   /* increasing, disjoint; NULL: 5-year periods from the
                                          earliest year of diagnosis (pn_periods_default) */
    size_t nperiods;
    int by;                            /* enum pn_report_by */
    const pn_ratetable *rt;            /* population table for net survival (not owned) */
    int scheme;                        /* enum pn_netsurv_scheme (relsurv's daily scheme: 1) */
    double conf;                       /* confidence level, 0 < conf < 1 (0.95) */
} pn_report_opts;

/* One estimate. Trend rows have period_from = period_to = 0. */
typedef struct pn_report_row {
    int site;                /* enum pn_site */
    int period_from, period_to;
    int sex;                 /* 0 all, 1 male, 2 female */
    int region;              /* INSEE region code with PN_REPORT_BY_REGION, else 0 (all) */
    int measure;             /* enum pn_report_measure */
    double horizon_years;    /* 1 or 5 */
    double estimate, lower, upper;  /* NaN when not estimable (see docs/methods.md "Report") */
    long long n;             /* patients in the cell (for net_std: aged 15 or more) */
    long long events;        /* their deaths up to the horizon */
} pn_report_row;

typedef struct pn_report {
    size_t n;                    /* rows */
    pn_report_row *rows;         /* site by site: cells period by period, then trend rows */
    pn_period *periods;   /* the periods used */
    size_t nperiods;
    int32_t closing;             /* the closing date used (days since 1970-01-01) */
    size_t n_zero_time;          /* tumours with no follow-up (left out of net survival) */
    size_t n_under15;            /* tumours diagnosed before 15 (left out of net_std) */
    size_t n_after_closing;      /* tumours diagnosed after the closing date (left out) */
    size_t n_conflicts;          /* tumours left out because their sources disagree */
    unsigned rate_flags;         /* PN_RATE_* flags met by the life table look-ups */
} pn_report;

/* Compute the report over `store` (read only). *out is owned by the caller (pn_report_free).
 * Errors: PN_EINVAL (bad options), PN_EEMPTY (no tumour of the selected sites),
 * PN_EDB, PN_ENOMEM; `diag` says which. */
int pn_report_compute(pn_store *store, const pn_report_opts *opts, pn_report **out,
                      pn_diag *diag);

/* Free a report. Accepts NULL. */
void pn_report_free(pn_report *report);

/* ---- the published counts at their finest cells (report_counts.c) ----------------------- */

/* The patients and deaths of one site, period (index into the report's periods), sex (1 male,
 * 2 female) and region of residence (INSEE code, 0 unknown), for each measure (observed, net,
 * net_std: enum pn_report_measure) and, for deaths, each horizon (1, 5 years). */
typedef struct pn_report_leaf {
    int site, period, sex, region;
    long long n[3];
    long long events[3][2];
} pn_report_leaf;

typedef struct pn_report_counts {
    size_t n;
    pn_report_leaf *leaves;
} pn_report_counts;

/* The counts of every one of the seven sites (opts' site ignored, its other filters kept) over
 * the periods and closing date of the computed report `r`, for disclosure control: any row of
 * `r` is a sum of leaves. *out owned by the caller (pn_report_counts_free). PN_OK, PN_EDB,
 * PN_ENOMEM. */
int pn_report_counts_compute(pn_store *store, const pn_report_opts *opts, const pn_report *r,
                             pn_report_counts **out, pn_diag *diag);
void pn_report_counts_free(pn_report_counts *c);

/* ---- reading a report (report_lookup.c) -------------------------------------------------- */

/* The row of `measure` for the site, group (sex, region) and period of `ref`, at
 * `horizon_years` (ignored for trend rows, whose period is 0); NULL when there is none (a
 * horizon the follow-up does not reach). */
const pn_report_row *pn_report_cell(const pn_report *r, const pn_report_row *ref, int measure,
                                    double horizon_years);

/* The number of periods whose 5-year net_std estimate the trend of `trend`'s site and group
 * used (those with an estimate). */
size_t pn_report_trend_periods(const pn_report *r, const pn_report_row *trend);

/* The projection's verdict against the programme's threshold PN_REPORT_THRESHOLD: above (its
 * lower limit is at or above it), below (its upper limit is under it), else undecided (also
 * without a projection). */
enum pn_report_verdict { PN_REPORT_UNDECIDED = 0, PN_REPORT_ABOVE = 1, PN_REPORT_BELOW = 2 };
int pn_report_verdict(const pn_report_row *projection);
/* "above", "below", "undecided". */
const char *pn_report_verdict_name(int verdict);

/* 1 when a period's estimates at `horizon_years` are reported for closing date `closing`: the
 * patients diagnosed up to the middle of the period can all be followed that long, i.e.
 * January 1st of `from` + (to - from + 1) / 2 years + horizon <= closing (years of 365.241
 * days). */
int pn_report_horizon_ok(const pn_period *period, double horizon_years, int32_t closing);

#endif
