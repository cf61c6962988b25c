/* netsurv_cli.h - what `netsurv`, `netsurv-diff` and `trend` share: their common options, the
 * reading of a net-survival CSV (time, event, age, sex, date of diagnosis, groups) with
 * messages naming the row, and the period (Brenner) and age-group selections. */
#ifndef PRONOSTIC_NETSURV_CLI_H
#define PRONOSTIC_NETSURV_CLI_H

#include "cli.h"
#include "pronostic/netsurv.h"
#include "pronostic/ratetable.h"
#include "pronostic/standardise.h"

#include <stddef.h>
#include <stdint.h>

/* Option table entries every net-survival command accepts (spliced into each command's table
 * by the macro). */
#define PN_NETSURV_INPUT_OPTS                                                                    \
    {"time", "COL", "follow-up time column (or give --exit-date)"},                              \
    {"exit-date", "COL", "date of death or last news (ISO), instead of --time"},                 \
    {"event", "COL", "vital status column (required)"},                                          \
    {"event-value", "V", "value of the event column that means death (default: 1)"},             \
    {"age", "COL", "age at diagnosis column, in years (required)"},                              \
    {"age-unit", "years|days", "unit of --age (default years; relsurv data use days)"},          \
    {"sex", "COL", "sex column: male|female|M|F|1|2, 1 = male (required)"},                      \
    {"year", "COL", "date of diagnosis column: ISO date or decimal year (required)"},            \
    {"time-unit", "days|months|years", "unit of --time and --at (default days)"},                \
    {"ratetable", "fr|slopop|PATH", "population life table (default fr, INSEE)"},                \
    {"scheme", "exact|relsurv", "integration of the expected hazard (default relsurv)"},         \
    PN_THREADS_OPT

typedef struct pn_nsdata {
    size_t n;              /* rows kept */
    size_t dropped;        /* rows dropped for a missing value */
    double *time;          /* follow-up, days */
    int *status;           /* 1 death */
    double *age;           /* days */
    double *date;          /* day number of diagnosis */
    int *sex;
    double *year;          /* decimal year of diagnosis */
    long *line;            /* line of each row in the file */
    int32_t *group;        /* --by code per row, or NULL */
    char **group_labels;   /* "col=value" in R's strata order */
    size_t ngroups;
    int *agegroup;         /* ICSS group 0..4 (or -1 below 15) per row, from --agegroup-col */
    double time_scale;     /* days per unit of --time-unit */
    char *censor_value;    /* the event column's censoring text, or NULL (and with --db) */
    size_t censor_rows;    /* the rows that hold it */
} pn_nsdata;

/* Read the rows named by the options in `args` (--time or --exit-date, --event, --event-value,
 * --age, --sex, --year, --by, --agegroup-col, the units) from the file args->positional[0].
 * Time, event and missing values follow surv's rules (survinput.h: pn_survrow_number,
 * pn_survrow_check, pn_eventcol): a row with a missing value in a used column is dropped and
 * counted; a time that is not a number or is negative, and an event column with a third value,
 * are errors; "2.0" means the event value "2". A date of diagnosis (ISO or decimal year) after
 * today (PRONOSTIC_TODAY or the system date) is an error, and so is one after --closing when it
 * is given (except with --period-last, whose window --closing ends). --agegroup-col gives ICSS
 * age groups (1..5 or 15-44, 45-54, 55-64, 65-74, 75+). Errors carry a message naming file,
 * line and column. On success *out is owned by the caller (pn_nsdata_free). */
int pn_nsdata_load(pn_nsdata **out, const pn_args *args, pn_diag *diag);
void pn_nsdata_free(pn_nsdata *d);

/* The rows of a net-survival command: a selection of the store with --db (dbselect.c), else
 * FILE.csv (pn_nsdata_load); the rows dropped for missing values, and a censoring value that is
 * not a usual code (pn_cli_warn_censoring), are told on stderr as `cmd`. *out is owned by the
 * caller. */
int pn_ns_load(const char *cmd, const pn_args *args, pn_nsdata **out, pn_diag *diag);

/* The common option values: ratetable (loaded), method scheme, time scale. */
int pn_ns_open_ratetable(const pn_args *args, pn_ratetable **rt, pn_diag *diag);
int pn_ns_scheme(const pn_args *args, int *scheme, pn_diag *diag);
/* --standardise into *standard: 0 none, 1..3 the ICSS standard, with `site` the standard of
 * --site (pn_site_icss), or, when `per_site` and --by names a `site` column, -1 (each stratum
 * its site's). PN_EUSAGE naming the option otherwise (standardise_opt.c). */
int pn_ns_standard(const pn_args *args, int per_site, int *standard, pn_diag *diag);

/* The threaded driver (netsurv_threads.c): pn_netsurv_estimate's contract, with the subjects
 * dealt round-robin into parts of at least 1024 subjects for up to *(int *)ctx threads (NULL:
 * one), one state per part, merged in part order. As a pn_netsurv_driver's estimate. */
int pn_ns_estimate(void *ctx, const pn_netsurv_input *in, const pn_ratetable *rt, int method,
                   int scheme, pn_netsurv_curve *out);

/* Warn once on stderr about the table edges the estimation met (PN_RATE_* flags). */
void pn_ns_warn_flags(const char *cmd, const pn_ratetable *rt, unsigned flags);

/* Parse "FROM,TO" where each is an ISO date or a year (a year FROM means January 1st, a year TO
 * December 31st); the window is [from, to] as day numbers. */
int pn_ns_parse_window(const char *text, const char *option, double *from, double *to,
                       pn_diag *diag);

#endif
