/* cohort.h - selections of the store as the columns the survival kernels take.
 *
 * A selection is one site, optionally narrowed by period of diagnosis, sex, age group, and
 * territory (département or region). Per person, only the first primary tumour of the site is
 * kept (earliest diagnosis date, then smallest tumour row id: the ENCR/IARC multiple-primary
 * rule as docs/data-format.md states it). Follow-up runs from the diagnosis date to the
 * vital-status date, censored at the closing date; see docs/methods.md "Cohort extraction".
 *
 * The result is plain arrays, one element per selected tumour, owned by the pn_cohort and freed
 * together by pn_cohort_free: no CSV in between.
 */
#ifndef PRONOSTIC_COHORT_H
#define PRONOSTIC_COHORT_H

#include "pronostic/departement.h"
#include "pronostic/error.h"
#include "pronostic/store.h"

#include <stddef.h>
#include <stdint.h>

/* What to select. Initialise with pn_cohort_filter_init, then set what you need. */
typedef struct pn_cohort_filter {
    int site;              /* enum pn_site (1..7); PN_SITE_OTHER selects no site filter */
    int year_from;         /* first calendar year of diagnosis, inclusive; 0 = unbounded */
    int year_to;           /* last calendar year of diagnosis, inclusive; 0 = unbounded */
    int sex;               /* 0 = both, 1 = male, 2 = female */
    double age_min;        /* age at diagnosis in years: age_min <= age < age_max */
    double age_max;        /* (defaults 0 and 1e9: everyone) */
    char departement[4];   /* residence code ("75", "2A", "971"); "" = any */
    int region;            /* INSEE region code (pn_region_parse); 0 = any */
    int32_t closing;       /* closing date (days since 1970-01-01); PN_COHORT_CLOSING_AUTO =
                              the latest vital-status date in the store */
} pn_cohort_filter;

#define PN_COHORT_CLOSING_AUTO INT32_MIN

/* The columns of a selection, n elements each. */
typedef struct pn_cohort {
    size_t n;
    double *time;            /* days from diagnosis to the vital-status date or the closing
                                date, whichever comes first (0 when both are the same day) */
    int32_t *event;          /* 1: died on or before the closing date; 0: censored */
    double *age_years;       /* age at diagnosis in years ((diagnosis - birth) / 365.241) */
    int32_t *sex;            /* 1 male, 2 female */
    int32_t *diag_date;      /* diagnosis date, days since 1970-01-01 */
    double *diag_year;       /* diagnosis date as a decimal calendar year (pn_decimal_year) */
    int32_t *site;           /* enum pn_site */
    char (*departement)[4];  /* residence département code, "" when unknown */
    int32_t *region;         /* INSEE region code of the residence, 0 when unknown */
    int64_t *tumour;         /* the tumour's row id in the store (not a source identifier) */
    int32_t closing;         /* the closing date used */
    size_t n_after_closing;  /* tumours of the selection diagnosed after the closing date:
                                left out, counted for a message */
    size_t n_later_primaries;/* later tumours of the same person and site: left out */
    size_t n_conflicts;      /* first tumours left out because the patient's sources disagree
                                (sex or birth date), or because another source reports the
                                death before the diagnosis (docs/data-format.md) */
} pn_cohort;

/* A filter selecting everything, with the closing date PN_COHORT_CLOSING_AUTO. */
void pn_cohort_filter_init(pn_cohort_filter *filter);

/* ---- a filter from named text parameters (filter_param.c) ------------------------------- */

/* Set the field of `filter` that parameter `name` (site, from, to, sex, ages, departement,
 * region, closing) sets from its text `value`. PN_OK; PN_EUSAGE with a message naming the
 * parameter as the caller spells it (`http` 0: "option '--site'", 1: "parameter 'site'");
 * PN_ENOTFOUND, without a message, when `name` is not a filter parameter. */
int pn_cohort_filter_param(pn_cohort_filter *filter, const char *name, const char *value,
                           int http, pn_diag *diag);
/* PN_EUSAGE when the filter's parameters contradict each other (from after to; a département
 * and a region), named as pn_cohort_filter_param names them; else PN_OK. */
int pn_cohort_filter_check(const pn_cohort_filter *filter, int http, pn_diag *diag);
/* "option '--NAME'" (http 0) or "parameter 'NAME'" (http 1) into buf. */
void pn_param_label(char *buf, size_t len, int http, const char *name);

/* Select from `store` (read-only use) into a new *out the caller frees with pn_cohort_free.
 * An empty selection is not an error (n = 0). Errors: PN_EDB, PN_ENOMEM, PN_EINVAL. */
int pn_cohort_select(pn_store *store, const pn_cohort_filter *filter, pn_cohort **out,
                     pn_diag *diag);

/* ---- the store's tumours in memory (cohort_rows.c) ------------------------------------------ */

/* Every tumour of a store as pn_cohort_select reads them, with its latest vital-status date:
 * read once, then any number of selections without a store access (the server, once per
 * generation of the store). Owned by its reader: pn_cohort_rows_free. */
typedef struct pn_cohort_rows pn_cohort_rows;

/* Read them from `store` (read-only use) into a new *out. PN_OK, PN_EDB, PN_ENOMEM. */
int pn_cohort_rows_read(pn_store *store, pn_cohort_rows **out, pn_diag *diag);
/* Free them. Accepts NULL. */
void pn_cohort_rows_free(pn_cohort_rows *rows);
/* How many tumour rows are held. */
size_t pn_cohort_rows_count(const pn_cohort_rows *rows);
/* The selection pn_cohort_select would give from the store the rows were read from, into a new
 * *out (pn_cohort_free). `rows` is only read: selections may run side by side. Errors:
 * PN_EINVAL, PN_ENOMEM. */
int pn_cohort_select_rows(const pn_cohort_rows *rows, const pn_cohort_filter *filter,
                          pn_cohort **out, pn_diag *diag);

/* Free a cohort and its arrays. Accepts NULL. */
void pn_cohort_free(pn_cohort *cohort);

/* ---- a selection as analysis columns (cohort_columns.c) ----------------------------------- */

struct pn_column;
struct pn_survdata;

/* The store variable `name` (sex, age, agegroup, year, period, site, departement, region) of a
 * selection as a column (frame.h): numeric for age and year unless `as_factor`, else
 * categorical with R's level order. Free its contents with pn_cohort_column_free. PN_ENOCOL
 * (with a message listing the variables) for other names. */
int pn_cohort_column(const pn_cohort *c, const char *name, int as_factor, struct pn_column *col,
                     pn_diag *diag);
void pn_cohort_column_free(struct pn_column *col);

/* Group codes and "var=value[,var=value]" labels (R's strata order) of the `nby` variables
 * `by` (any number: no cap); *codes and *labels are the caller's (pn_free each label, then the
 * arrays). No variable: *codes NULL and *ngroups 0. */
int pn_cohort_groups(const pn_cohort *c, const char *const *by, size_t nby, int32_t **codes,
                     char ***labels, size_t *ngroups, pn_diag *diag);

/* The selection as survival rows (time in days, event), with groups `by`, strata and
 * covariates (those also listed in `factors` categorical), for surv and cox; *out is the
 * caller's (pn_survdata_free). */
int pn_cohort_survdata(const pn_cohort *c, const char *const *by, size_t nby,
                       const char *const *strata, size_t nstrata,
                       const char *const *covariates, size_t ncov,
                       const char *const *factors, size_t nfactors, struct pn_survdata **out,
                       pn_diag *diag);

#endif
