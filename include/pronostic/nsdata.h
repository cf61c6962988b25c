/* nsdata.h - the rows of a net-survival analysis: follow-up, vital status, age, sex and date of
 * diagnosis, groups and ICSS age groups, read from a flat CSV (pn_nsdata_load) or taken from a
 * selection of the store (pn_cohort_nsdata). Units are in the field names' comments: times and
 * ages in days, dates as day numbers (days since 1970-01-01), sexes PN_SEX_*.
 */
#ifndef PRONOSTIC_NSDATA_H
#define PRONOSTIC_NSDATA_H

#include "pronostic/cohort.h"
#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pn_nsdata {
    size_t n;              /* rows kept */
    size_t dropped;        /* rows dropped for a missing value */
    double *time;          /* follow-up, days */
    int *status;           /* 1 death */
    double *age_days;      /* age at diagnosis, days */
    double *date;          /* day number of diagnosis */
    int *sex;              /* PN_SEX_* */
    double *year;          /* decimal year of diagnosis */
    long *line;            /* line of each row in the file (the store's tumour row with --db) */
    int32_t *group;        /* --by code per row, or NULL */
    char **group_labels;   /* "col=value" in R's strata order */
    size_t ngroups;
    int *agegroup;         /* ICSS group 0..4 (or -1 below 15) per row */
    double time_scale;     /* days per unit of the user's time unit */
    char *censor_value;    /* the event column's censoring text, or NULL (and from the store) */
    size_t censor_rows;    /* the rows that hold it */
} pn_nsdata;

/* What to read from a CSV: the file and the column names (NULL when not given). Exactly one of
 * `time` and `exit_date` is given; `event`, `age`, `sex` and `year` are required. */
typedef struct pn_nsspec {
    const char *path;         /* CSV file, "-" for stdin */
    const char *time;         /* follow-up column, in units of `time_scale` days */
    const char *exit_date;    /* or the date of death or last news (ISO) */
    const char *event;
    const char *event_value;  /* text meaning death; NULL means "1" */
    const char *age;          /* age at diagnosis, in years, or in days when age_in_days */
    int age_in_days;
    const char *sex;          /* male|female|M|F|1|2 */
    const char *year;         /* date of diagnosis: ISO date or decimal year */
    const char *agegroup_col; /* ICSS age groups (1..5 or 15-44 ... 75+), or NULL: from age */
    const char *const *by;    /* grouping columns combined into `group` */
    size_t nby;
    double time_scale;        /* days per unit of `time` */
    int32_t today;            /* no diagnosis after this day */
    int32_t closing;          /* nor after this one (INT32_MAX: no such bound) */
} pn_nsspec;

/* Read the rows named by `spec`. Time, event and missing values follow surv's rules
 * (survinput.h: pn_survrow_number, pn_survrow_check, pn_eventcol): a row with a missing value in
 * a used column is dropped and counted; a time that is not a number or is negative, and an
 * event column with a third value, are errors; "2.0" means the event value "2". A date of
 * diagnosis (ISO or decimal year) after spec->today or spec->closing is an error. Errors carry a
 * message naming file, line and column (PN_ENOCOL for a missing column, naming the option
 * "--time", "--exit-date", "--event", "--age", "--sex", "--year", "--agegroup-col" or "--by").
 * On success *out is owned by the caller (pn_nsdata_free). */
int pn_nsdata_load(pn_nsdata **out, const pn_nsspec *spec, pn_diag *diag);

/* The rows of a store selection `c` (borrowed): follow-up in days, ages in days, `line` the
 * tumour row, groups of the store variables `by` (pn_cohort_groups). *out is owned by the
 * caller. */
int pn_cohort_nsdata(const pn_cohort *c, const char *const *by, size_t nby, double time_scale,
                     pn_nsdata **out, pn_diag *diag);

/* The latest end of follow-up among the rows of `d` (the day of diagnosis plus the follow-up,
 * floored), INT32_MIN without rows: the default closing date of a last-N-years window. */
int32_t pn_nsdata_last_exit(const pn_nsdata *d);

/* Free `d` and its arrays (NULL is accepted). */
void pn_nsdata_free(pn_nsdata *d);

#endif
