/* netsurv_cli.h - what `netsurv`, `netsurv-diff` and `trend` share: their common options, their
 * rows (from the options to a pn_nsdata, nsdata.h), and the period (Brenner) and age-group
 * selections. */
#ifndef PRONOSTIC_NETSURV_CLI_H
#define PRONOSTIC_NETSURV_CLI_H

#include "cli.h"
#include "pronostic/netsurv.h"
#include "pronostic/netsurv_threads.h"
#include "pronostic/nsdata.h"
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

/* The rows of a net-survival command: a selection of the store with --db (dbselect.c), else
 * FILE.csv (pn_nsdata_load, the columns and units of the options: --time or --exit-date,
 * --event, --event-value, --age, --age-unit, --sex, --year, --by, --agegroup-col, --time-unit;
 * no diagnosis after today (PRONOSTIC_TODAY or the system date), nor after --closing when it is
 * given, except with --period-last, whose window --closing ends); the rows dropped for missing values, and a censoring value that is
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

/* Warn once on stderr about the table edges the estimation met (PN_RATE_* flags). */
void pn_ns_warn_flags(const char *cmd, const pn_ratetable *rt, unsigned flags);

/* Parse "FROM,TO" where each is an ISO date or a year (a year FROM means January 1st, a year TO
 * December 31st); the window is [from, to] as day numbers. */
int pn_ns_parse_window(const char *text, const char *option, double *from, double *to,
                       pn_diag *diag);

#endif
