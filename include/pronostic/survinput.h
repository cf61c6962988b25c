/* survinput.h - the rows of a survival analysis read from a flat CSV: time, event, and the
 * optional delayed entry, weights, groups (--by), strata and covariates.
 *
 * Rows with a missing value in any used column are dropped, as R does, and counted. Values are
 * checked as R's Surv() checks them: times are non-negative, an entry time is below its exit
 * time, weights are non-negative, and the event column holds the event value and at most one
 * other (censoring) value, in UTF-8. Failures name the file, the line and the column, and stop
 * the reading at the row where they are found (a wrong --event column is refused at its second
 * value that is not the event value, without reading the rest of the file).
 */
#ifndef PRONOSTIC_SURVINPUT_H
#define PRONOSTIC_SURVINPUT_H

#include "pronostic/csv.h"
#include "pronostic/error.h"
#include "pronostic/frame.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pn_survspec {
    const char *path;                 /* CSV file, "-" for stdin */
    const char *time;                 /* column names; time and event are required */
    const char *event;
    const char *event_value;          /* text meaning death; NULL means "1" */
    const char *entry;                /* delayed-entry column or NULL */
    const char *weights;              /* case-weight column or NULL */
    const char *const *by;            /* grouping columns combined into `group` */
    size_t nby;
    const char *const *strata;        /* stratification columns combined into `stratum` */
    size_t nstrata;
    const char *const *covariates;    /* covariate columns, numeric unless listed in factors */
    size_t ncov;
    const char *const *factors;       /* covariates read as categorical */
    size_t nfactors;
    int multistate;                   /* 1: competing events (pronostic cuminc; the stream
                                       * only): the event column holds the censoring value
                                       * and any number of event types */
    const char *censor_value;         /* with multistate: the text meaning censored (NULL: "0");
                                       * event_value is then unused */
} pn_survspec;

typedef struct pn_survdata {
    size_t n;              /* rows kept */
    size_t dropped;        /* rows dropped for a missing value in a used column */
    double *time;          /* n exit times */
    unsigned char *event;  /* n: 1 event (death), 0 censored */
    double *entry;         /* n entry times, or NULL */
    double *weight;        /* n weights, or NULL */
    int32_t *group;        /* n codes into group_labels, or NULL without --by */
    size_t ngroups;
    char **group_labels;   /* "col=value[,col=value]" ordered as R orders strata */
    int32_t *stratum;      /* n codes into strata_labels, or NULL without strata */
    size_t nstrata;
    char **strata_labels;
    pn_column *cov;        /* ncov covariate columns of n rows (pn_column of frame.h) */
    size_t ncov;
    size_t event_seen;     /* 1 when at least one row has the event value */
    char *censor_value;    /* the text that means censored (first spelling seen), or NULL */
    size_t censor_rows;    /* the rows that hold it */
} pn_survdata;

/* Read and check the rows described by `spec`. On success *out is owned by the caller (free with
 * pn_survdata_free). Errors: PN_ENOCOL (a named column is absent), PN_EPARSE and PN_ERANGE
 * (a bad value, naming file, line and column), PN_EIO, PN_ENOMEM. */
int pn_survdata_load(pn_survdata **out, const pn_survspec *spec, pn_diag *diag);

void pn_survdata_free(pn_survdata *data);

/* ---- the load over ranges of a file read side by side (the drivers of analysis/) ---------- */

/* The usage checks of `spec` made before its file is opened (a --factor column that is not a
 * covariate: PN_EUSAGE). PN_OK otherwise. */
int pn_survspec_check(const pn_survspec *spec, pn_diag *diag);

/* The columns of the rows of `spec` read so far: from one reader, or from the readers of
 * ranges of one file (csv.h) merged in file order. pn_survdata_load is check, new, read,
 * finish. */
typedef struct pn_survload pn_survload;

/* A state for the columns of `spec` in the file whose header `header` has read (PN_ENOCOL, as
 * pn_survdata_load, else PN_OK or PN_ENOMEM). `spec` is borrowed and must outlive the state.
 * *out is owned by the caller (pn_survload_free). */
int pn_survload_new(pn_survload **out, const pn_survspec *spec, const pn_csv *header,
                    pn_diag *diag);
/* Read the rows of `csv` (the header's reader, or a range of its file) to its end with the
 * checks and messages of pn_survdata_load; stops at the first error (returned, with the
 * message). */
int pn_survload_read(pn_survload *l, pn_csv *csv, pn_diag *diag);
/* 1 when the rows of `src` may follow those of `dst` (pn_eventcol_can_follow), else 0: they
 * must then be read again into dst. */
int pn_survload_can_follow(const pn_survload *dst, const pn_survload *src);
/* Append the rows of `src` (rows that follow those of dst in the file, its lines shifted by
 * `line_shift`) to dst: numeric columns concatenated, categorical levels unified in order of
 * first appearance (pn_framepart_merge); src's columns are freed as they are appended. PN_OK
 * or PN_ENOMEM / PN_ETOOBIG with the message. */
int pn_survload_merge(pn_survload *dst, pn_survload *src, long line_shift, pn_diag *diag);
/* After the last row: the event column's verdict and the rows kept, as pn_survdata_load
 * returns them (*out owned by the caller; the state is left empty, still to be freed). */
int pn_survload_finish(pn_survload *l, pn_survdata **out, pn_diag *diag);
void pn_survload_free(pn_survload *l);

/* Combine the categorical columns `cols` (n rows each, codes -1 = missing) into one code per
 * row, ordered as R's strata(): by the first column's levels, then the second's, ...; only
 * combinations that occur get a code. Rows with a missing code get -1. `labels` receives
 * ncomb strings "name=level[,name=level]" (owned by the caller, free each then the array). */
int pn_combine_factors(const pn_column *const *cols, size_t ncols, size_t n, int32_t *codes,
                       char ***labels, size_t *ncomb);

/* ---- streaming: the rows of a curve without keeping them (pronostic surv) ------------------ */

/* Called once per kept row, in file order, with the row's provisional group (codes in order of
 * first appearance; pn_survstream.recode maps them to the final groups and stratum_recode to
 * the final strata), its entry time (NaN
 * without spec->entry), exit time, event (1) or censoring (0), and weight (1 without
 * spec->weights). Returns PN_OK, or a negative PN_E* code that stops the reading. */
typedef int (*pn_survrow_fn)(void *ctx, uint32_t group, double entry, double time, int event,
                             double weight);

typedef struct pn_survstream {
    size_t n;              /* rows kept */
    size_t dropped;        /* rows dropped for a missing value in a used column */
    size_t nprov;          /* provisional groups given to the callback */
    uint32_t *recode;      /* nprov: provisional group -> final group */
    size_t ngroups;        /* final groups: 1 without --by */
    char **group_labels;   /* ngroups labels "col=value[,col=value]" in R's strata order, or NULL
                            * without --by */
    uint32_t *stratum_recode; /* nprov: provisional group -> final stratum, or NULL without
                               * spec->strata */
    size_t nstrata;        /* final strata (0 without spec->strata) */
    char **strata_labels;  /* nstrata labels, as group_labels */
    size_t event_seen;     /* 1 when at least one row has the event value */
    char *censor_value;    /* the text that means censored (first spelling seen), or NULL */
    size_t censor_rows;    /* the rows that hold it */
    /* with spec->multistate: the event types, numbered 1..nstates in R's factor() order of
     * their texts (texts equal as numbers are one type) */
    size_t nprov_states;   /* provisional event types given to the callback (1..nprov_states) */
    uint32_t *state_recode; /* nprov_states + 1: provisional type -> final type (0 -> 0) */
    size_t nstates;
    char **state_labels;   /* nstates texts: the label of each final type */
} pn_survstream;

/* Read the rows described by `spec` (time, event, entry, weights, by and strata; covariates
 * must be absent: PN_EINVAL) with the same checks and messages as pn_survdata_load, handing
 * each kept row to `fn` instead of storing it: memory is bounded by the number of distinct
 * group values, not by the number of rows. A provisional group stands for one combination of
 * the by and strata values: recode gives its final group, stratum_recode its final stratum. A
 * failure can come after rows were handed over (a bad row, or the event column refused at a
 * later row): the caller then discards them. On success *out is owned by the caller
 * (pn_survstream_free). */
int pn_survdata_stream(const pn_survspec *spec, pn_survrow_fn fn, void *ctx,
                       pn_survstream **out, pn_diag *diag);

void pn_survstream_free(pn_survstream *stream);

/* ---- the stream over ranges of a file read side by side (the drivers of analysis/) -------- */

/* The state of the rows of `spec` read so far: from one reader, or from the readers of ranges
 * of one file (csv.h) merged in file order. pn_survdata_stream is new, read, finish. */
typedef struct pn_survpart pn_survpart;

/* A state for the columns of `spec` (covariates absent) in the file whose header `header` has
 * read (PN_ENOCOL, as pn_survdata_stream, else PN_OK or PN_ENOMEM). `spec` is borrowed and
 * must outlive the state. *out is owned by the caller (pn_survpart_free). */
int pn_survpart_new(pn_survpart **out, const pn_survspec *spec, const pn_csv *header,
                    pn_diag *diag);
/* Read the rows of `csv` (the header's reader, or a range of its file) to its end, with the
 * checks and messages of pn_survdata_stream, handing each kept row to `fn` with the state's
 * provisional group; stops at the first error (returned, with the message). */
int pn_survpart_read(pn_survpart *part, pn_csv *csv, pn_survrow_fn fn, void *ctx,
                     pn_diag *diag);
/* The provisional groups handed over so far. */
size_t pn_survpart_nprov(const pn_survpart *part);
/* 1 when the rows of `src` may follow those of `dst` (pn_eventcol_can_follow), else 0: they
 * must then be read again into dst. */
int pn_survpart_can_follow(const pn_survpart *dst, const pn_survpart *src);
/* Append the state of `src` (rows that follow those of dst in the file, its lines shifted by
 * `line_shift`) to `dst`: map[g] receives dst's provisional group for src's g
 * (pn_survpart_nprov(src) entries). PN_OK, PN_ENOMEM or PN_ETOOBIG. */
int pn_survpart_merge(pn_survpart *dst, const pn_survpart *src, long line_shift, uint32_t *map);
/* With spec->multistate, after pn_survpart_merge(dst, src): smap[s] receives dst's provisional
 * event type for src's s (pn_survpart_nstates(src) + 1 entries; smap[0] = 0). */
void pn_survpart_state_map(const pn_survpart *dst, const pn_survpart *src, uint32_t *smap);
/* With spec->multistate: the provisional event types handed over so far. */
size_t pn_survpart_nstates(const pn_survpart *part);
/* After the last row: the event column's verdict (messages naming `source`) and the final
 * groups and strata, as pn_survdata_stream returns them; *out is owned by the caller. */
int pn_survpart_finish(pn_survpart *part, const char *source, pn_survstream **out,
                       pn_diag *diag);
void pn_survpart_free(pn_survpart *part);

/* ---- the rules of one row, for readers of other row layouts (netsurv's input) ------------- */

/* R's Surv() checks on one row's values, as the loader and the stream make them: a time or a
 * weight is not negative, and, for a kept row (`keep`), an entry time is before its exit time.
 * `t`, `entry` and `w` are NaN when missing or not used; the columns named are spec->time,
 * spec->entry and spec->weights; `source` and `line` locate the row. PN_OK or PN_ERANGE with a
 * message naming file, line and column. */
int pn_survrow_check(const pn_survspec *spec, const char *source, long line, double t,
                     double entry, double w, int keep, pn_diag *diag);

/* Field `idx` of the current row of `csv` as a number into *v: NaN when missing (or idx < 0),
 * else PN_EPARSE "FILE:LINE: column 'NAME': '...' is not a number". */
int pn_survrow_number(pn_csv *csv, int idx, const char *name, double *v, pn_diag *diag);

/* The event column's rule over rows read one by one: a text means the event when it equals the
 * event value as text or as a number ("2" and "2.0"); of the other texts, the first in R's
 * factor() order means censored, and any further one is an error; so is a text that is not
 * UTF-8. The column is known to be wrong at the row of its second non-event value (or of the
 * first text that is not UTF-8): pn_eventcol_refused then says so, and the reader stops there
 * (memory and time bounded whatever the column holds). */
typedef struct pn_eventcol pn_eventcol;

/* A new rule for event value `value` (NULL: "1"; the string is borrowed and must outlive the
 * rule). *out is owned by the caller (pn_eventcol_free). PN_OK or PN_ENOMEM. */
int pn_eventcol_new(pn_eventcol **out, const char *value);
/* The non-missing event text of a row (`len` bytes of `text`, on line `line`): 1 when it means
 * the event, 0 when not, or a negative PN_E* (PN_ENOMEM). */
int pn_eventcol_add(pn_eventcol *ev, const char *text, size_t len, long line);
/* 1 once the texts added make the column wrong (pn_eventcol_finish then gives the message,
 * as if the file ended at that row), 0 while they do not. */
int pn_eventcol_refused(const pn_eventcol *ev);
/* The event field `idx` of the current row of `csv` through the rule: *event 1 (the event), 0
 * (censored), or -1 when the field is missing (empty, NA, or only spaces). PN_OK, or PN_EPARSE
 * with pn_eventcol_finish's message when the column is refused at this row (`column` names it),
 * or PN_ENOMEM. The three readers of survival rows use it (survdata, stream, netsurv's). */
int pn_survrow_event(pn_eventcol *ev, pn_csv *csv, int idx, const char *column, int *event,
                     pn_diag *diag);
/* The censoring value seen (its first spelling, borrowed) and the number of rows that hold it:
 * 1 when there is one, 0 when every non-missing text meant the event. */
int pn_eventcol_censoring(const pn_eventcol *ev, const char **text, size_t *rows);
/* The same with a copy of the text into *text (owned by the caller; NULL when none). */
int pn_eventcol_copy_censoring(const pn_eventcol *ev, char **text, size_t *rows);
/* 1 when `text` is a usual code of the event column that is not the event: 0, 1 or 2 (as
 * numbers: "0.0" too), alive or censored (any case). Another censoring value ("Dead" for
 * --event-value dead, "l" typed for "1") deserves a warning. */
int pn_event_code_usual(const char *text);
/* After the last row (or once refused): PN_OK, or PN_EPARSE for a text neither the event value
 * nor the censoring value, naming `source`, the line where it first appeared and `column` (the
 * message of pn_survdata_load and pn_survdata_stream), or for a text that is not UTF-8, naming
 * its line; or PN_ENOMEM. */
int pn_eventcol_finish(const pn_eventcol *ev, const char *source, const char *column,
                       pn_diag *diag);
void pn_eventcol_free(pn_eventcol *ev);

/* The rule over the rows of a file read in ranges side by side: `src` holds the texts of the
 * rows that follow those of `dst`. pn_eventcol_can_follow: 1 when the texts of src, after those
 * of dst, do not make the column wrong (then pn_eventcol_merge gives the state of reading the
 * rows of both in order, src's lines shifted by `line_shift`), 0 when they do (the rows of src
 * must then be read again after dst's, one by one, for the message at the right row).
 * pn_eventcol_merge: PN_OK or PN_ENOMEM. */
int pn_eventcol_can_follow(const pn_eventcol *dst, const pn_eventcol *src);
int pn_eventcol_merge(pn_eventcol *dst, const pn_eventcol *src, long line_shift);

/* Competing events (spec->multistate): the event column's value is the censoring value, every
 * other text an event type, numbered 1.. in order of first appearance (pn_survrow_event and the
 * stream's callback give that provisional number). pn_eventcol_states: the final numbering in
 * R's factor() order of the texts, *recode (nstates + 1 entries, provisional -> final, 0 -> 0)
 * and *labels (nstates texts), both owned by the caller (pn_free; each label then the array).
 * pn_eventcol_state_map: map[s] = dst's type for src's type s, once src's texts were merged
 * into dst (pn_eventcol_merge). PN_OK or PN_ENOMEM. */
int pn_eventcol_states(const pn_eventcol *ev, const char *column, uint32_t **recode,
                       char ***labels, size_t *nstates);
int pn_eventcol_state_map(const pn_eventcol *dst, const pn_eventcol *src, uint32_t *map);

#endif
