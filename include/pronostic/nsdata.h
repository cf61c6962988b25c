/* nsdata.h - the rows of a net-survival analysis: follow-up, vital status, age, sex and date of
 * diagnosis, groups and ICSS age groups, read from a flat CSV (pn_nsdata_load) or taken from a
 * selection of the store (pn_cohort_nsdata). Units are in the field names' comments: times and
 * ages in days, dates as day numbers (days since 1970-01-01), sexes PN_SEX_*.
 */
#ifndef PRONOSTIC_NSDATA_H
#define PRONOSTIC_NSDATA_H

#include "pronostic/cohort.h"
#include "pronostic/csv.h"
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

/* ---- the load over ranges of a file read side by side (the drivers of analysis/) ---------- */

/* The rows of `spec` read so far: from one reader, or from the readers of ranges of one file
 * (csv.h) merged in file order. pn_nsdata_load is new, read, finish. */
typedef struct pn_nsload pn_nsload;

/* A state for the columns of `spec` in the file whose header `header` has read (PN_ENOCOL with
 * the message of pn_nsdata_load, else PN_OK or PN_ENOMEM). `spec` is borrowed and must outlive
 * the state. *out is owned by the caller (pn_nsload_free). */
int pn_nsload_new(pn_nsload **out, const pn_nsspec *spec, const pn_csv *header, pn_diag *diag);
/* Read the rows of `csv` (the header's reader, or a range of its file) to its end with the
 * checks and messages of pn_nsdata_load (lines as `csv` counts them); stops at the first error
 * (returned, with the message). */
int pn_nsload_read(pn_nsload *l, pn_csv *csv, pn_diag *diag);
/* 1 when the rows of `src` may follow those of `dst` (pn_eventcol_can_follow), else 0: they
 * must then be read again into dst. */
int pn_nsload_can_follow(const pn_nsload *dst, const pn_nsload *src);
/* Append the rows of `src` (rows that follow those of dst in the file, its lines shifted by
 * `line_shift`) to dst: arrays concatenated, --by texts unified in order of first appearance,
 * dropped rows added; src's arrays are freed as they are appended. PN_OK, or PN_ENOMEM /
 * PN_ETOOBIG with the message. */
int pn_nsload_merge(pn_nsload *dst, pn_nsload *src, long line_shift, pn_diag *diag);
/* After the last row: the event column's verdict and the --by groups, the rows as
 * pn_nsdata_load returns them (*out owned by the caller; the state still to be freed). */
int pn_nsload_finish(pn_nsload *l, pn_nsdata **out, pn_diag *diag);
void pn_nsload_free(pn_nsload *l);

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
