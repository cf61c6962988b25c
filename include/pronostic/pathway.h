/* pathway.h - the care-pathway and end-of-life indicators (docs/methods.md, "Care-pathway
 * indicators"): their parameters (one configuration file, data/pathway.conf), the evaluation
 * of one patient's pathway (a pure function of the store's pathway read, pathscan.h), the
 * patients' records of a whole store, the protected cube's layout and counts, and the rows of
 * a query.
 *
 * One record per patient and site: the first primary tumour of the site (as cohort.h's
 * selections), diagnosed on or before the closing date, of a patient whose sources agree on who
 * they are. Each indicator is a numerator and a denominator over records (a delay is the median
 * over the records that have it); the counts go into one cube per count (site x year and
 * site x period x {sex, age group, territory, centre}, docs/methods.md "Disclosure control"),
 * which the publish layer protects before anything is shown.
 */
#ifndef PRONOSTIC_PATHWAY_H
#define PRONOSTIC_PATHWAY_H

#include "pronostic/error.h"
#include "pronostic/pathscan.h"

#include <stddef.h>
#include <stdint.h>

/* ---- indicators ----------------------------------------------------------------------- */

enum pn_pw_indicator {
    PN_PW_IMAGING_TO_DIAGNOSIS, PN_PW_IMAGING_TO_DIAGNOSIS_WT,
    PN_PW_DIAGNOSIS_TO_TREATMENT, PN_PW_DIAGNOSIS_TO_TREATMENT_WT,
    PN_PW_DIAGNOSIS_TO_TREATMENT_CI,
    PN_PW_IMAGING_TO_TREATMENT, PN_PW_IMAGING_TO_TREATMENT_WT, PN_PW_IMAGING_TO_TREATMENT_CI,
    PN_PW_TUMOUR_BOARD, PN_PW_RUPTURE, PN_PW_EMERGENCY_RETURN, PN_PW_EMERGENCY_DIAGNOSIS,
    PN_PW_EARLY_PALLIATIVE, PN_PW_EARLY_PALLIATIVE_METASTATIC,
    PN_PW_CHEMO_LAST_14D, PN_PW_NEW_REGIMEN_LAST_30D, PN_PW_ED_LAST_30D, PN_PW_ADMISSIONS_LAST_30D,
    PN_PW_ICU_LAST_30D, PN_PW_DEATH_ACUTE_HOSPITAL, PN_PW_PALLIATIVE_LAST_3D, PN_PW_NO_PALLIATIVE,
    PN_PW_SURGERY_AUTHORISED,
    PN_PW_COUNT
};

/* How an indicator's estimate is made. */
enum pn_pw_kind {
    PN_PW_SHARE = 0,   /* numerator / denominator, Wilson interval */
    PN_PW_DELAY = 1,   /* the median delay in days over the numerator's records, quartiles */
    PN_PW_CUMINC = 2   /* Aalen-Johansen cumulative incidence of treatment by the target day,
                          death before treatment competing */
};

/* The indicator's name in the output ("imaging_to_diagnosis", ...), its kind, and the delay it
 * reads (0 imaging to diagnosis, 1 diagnosis to treatment, 2 imaging to treatment; -1 none). */
const char *pn_pw_name(int indicator);
int pn_pw_kind(int indicator);
int pn_pw_delay_of(int indicator);
/* The indicator named `name`, or -1. */
int pn_pw_parse(const char *name);

/* ---- parameters (pathway_conf.c) -------------------------------------------------------- */

#define PN_PW_MAX_MENTIONS 4

typedef struct pn_pathway_conf {
    int target_days[3];           /* per delay (imaging-diagnosis, diagnosis-treatment,
                                     imaging-treatment): the target of _within_target and the
                                     day of _cuminc */
    int imaging_lookback_days;    /* imaging, biopsy, board of the work-up: from dx - this */
    int window_days;              /* ruptures and emergency returns: from dx to dx + this */
    int rupture_gap_days;
    int emergency_return_days;
    int emergency_diagnosis_days;
    int early_palliative_days;    /* a first palliative contact more than this before death */
    int early_palliative_weeks;   /* ... or within this after a stage IV diagnosis/progression */
    int chemo_last_days, new_regimen_last_days, acute_last_days, palliative_late_days;
    unsigned eol_chemo_types;     /* bits (1 << enum pn_event_type) counted as chemotherapy at
                                     the end of life */
    /* per site (enum pn_site): the authorisation mentions under which its surgery is done in an
     * authorised centre; nmentions -1: not known (missing in the reference data: the indicator
     * is not computed for the site), 0: the site has no cancer surgery */
    int nmentions[8];
    char mentions[8][PN_PW_MAX_MENTIONS][12];
    double benchmark[PN_PW_COUNT];  /* NaN: none */
} pn_pathway_conf;

/* The defaults (as data/pathway.conf gives them). */
void pn_pathway_conf_defaults(pn_pathway_conf *conf);

/* Read the configuration file at `path` over the values already in *conf: lines "key = value",
 * '#' comments, blank lines. PN_OK, PN_EIO (cannot read), or PN_EPARSE with "PATH:LINE: ..."
 * naming the key (an unknown key, a value that is not a number in its range, an unknown event
 * type or site, a key given twice). */
int pn_pathway_conf_load(pn_pathway_conf *conf, const char *path, pn_diag *diag);
/* The same from `len` bytes of text named `name` in messages (the file's reader and the fuzz
 * target's). */
int pn_pathway_conf_parse(pn_pathway_conf *conf, const char *text, size_t len, const char *name,
                          pn_diag *diag);

/* ---- one patient (pathway_eval.c) ------------------------------------------------------- */

/* The facts of one record that the cube and the rows need. */
typedef struct pn_pw_record {
    int site;                /* enum pn_site, 1..7 */
    int year;                /* calendar year of diagnosis */
    int sex;                 /* 1 male, 2 female */
    int agegroup;            /* 0: under 15, 1..5: the ICSS groups 15-44 ... 75+ */
    int departement;         /* pn_departement_index of the residence, 0 unknown */
    int centre;              /* index into the centre list (pn_pathway_set), -1 unknown */
    uint32_t den, num;       /* bit i: the record is in indicator i's denominator, numerator */
    int32_t delay[3];        /* days; -1: none */
    /* the cumulative incidence's data per origin (0 diagnosis, 1 first imaging): time in days
     * from the origin, state 1 treated, 2 died untreated, 0 censored; time -1: no origin */
    int32_t ci_time[2];
    int8_t ci_state[2];
} pn_pw_record;

/* The centres known to the evaluation: their ids (sorted) and authorisation lists. */
typedef struct pn_pw_centres {
    size_t n;
    char **id;
    char **authorisations;   /* NULL when none */
} pn_pw_centres;

/* Evaluate patient `p` against `conf`, with follow-up closed at `closing`: writes one record per
 * site of the patient's first primary tumours into out[] (room for 7) and their number into
 * *n (0 for a patient left out: no tumour of the seven sites diagnosed by the closing date, or
 * an identity conflict, or a death before the diagnosis). `centres` (sorted ids) resolves the
 * centres; borrowed. Pure: no I/O. */
void pn_pathway_evaluate(const pn_scan_patient *p, const pn_pathway_conf *conf, int32_t closing,
                         const pn_pw_centres *centres, pn_pw_record *out, size_t *n);

/* ---- a whole store (pathway_set.c) -------------------------------------------------------- */

typedef struct pn_pathway_set {
    size_t n;
    pn_pw_record *rec;       /* in patient order, then site */
    pn_pw_centres centres;
    int32_t closing;
    int first_year, last_year;   /* of the records' diagnoses (0 when none) */
} pn_pathway_set;

/* Read every patient of the store at `path` with `nthreads` threads and evaluate them: *out is
 * the caller's (pn_pathway_set_free). `closing` PN_NO_DATE: the store's latest vital-status
 * date. The records do not depend on the number of threads. */
int pn_pathway_set_read(const char *path, const pn_pathway_conf *conf, int32_t closing,
                        int nthreads, pn_pathway_set **out, pn_diag *diag);
/* The same from records made elsewhere (tests): takes a copy of rec[0..n) and the centres. */
int pn_pathway_set_from(const pn_pw_record *rec, size_t n, const pn_pw_centres *centres,
                        int32_t closing, pn_pathway_set **out);
void pn_pathway_set_free(pn_pathway_set *set);

/* ---- the cube (pathway_cube.c) ------------------------------------------------------------ */

/* The dimensions a row may be broken down by (--by), besides the site. */
enum pn_pw_dim { PN_PW_BY_NONE = 0, PN_PW_BY_YEAR, PN_PW_BY_SEX, PN_PW_BY_AGEGROUP,
                 PN_PW_BY_DEPARTEMENT, PN_PW_BY_REGION, PN_PW_BY_CENTRE };
/* The breakdown named `name` (year, sex, agegroup, departement, region, centre) into *by:
 * PN_OK, or PN_EUSAGE for another name. */
int pn_pw_by_parse(const char *name, int *by);

/* The cube's cells for one set: every count (numerator or denominator of an indicator) has the
 * same cells and relations, so the layout is shared; count c's values are
 * counts[c * ncells ...]. Count 2i is indicator i's denominator, 2i + 1 its numerator. */
typedef struct pn_pw_cube {
    size_t ncells;
    size_t ncounts;          /* 2 * PN_PW_COUNT */
    long long *counts;       /* ncounts x ncells */
    /* additive relations: cell rel_total[r] = sum of cells rel_parts[rel_start[r] ..
     * rel_start[r + 1]) */
    size_t nrel;
    size_t *rel_total, *rel_start, *rel_parts;
    /* the layout's parameters (indexing, pathway_cube.c) */
    int first_year, nyears, nperiods, ncentres;
} pn_pw_cube;

int pn_pw_cube_build(const pn_pathway_set *set, pn_pw_cube **out, pn_diag *diag);
void pn_pw_cube_free(pn_pw_cube *cube);

/* ---- a query's rows (pathway_rows.c) ------------------------------------------------------ */

typedef struct pn_pw_query {
    int indicator;           /* -1: all */
    int site;                /* enum pn_site; 0: every site and `all` */
    int by;                  /* enum pn_pw_dim */
    int year_from, year_to;  /* 0: unbounded */
    int http;                /* 1: messages name query parameters (from, by), 0: options */
} pn_pw_query;

/* The most cube cells one row sums (a range of years or periods). */
#define PN_PW_ROW_MAXCELLS 64

typedef struct pn_pw_row {
    int indicator;
    int site;                /* 0: all sites */
    char group[48];          /* "all" or "col=value" */
    long long numerator, denominator;
    double estimate, lower, upper;   /* NaN where there is none */
    double benchmark;                /* NaN: none */
    size_t ncells;           /* the cube cells the counts sum (the same for both counts) */
    size_t cells[PN_PW_ROW_MAXCELLS];
} pn_pw_row;

/* The rows of `q` over `set` and its cube: *rows (caller's, pn_free) of *nrows. PN_EUSAGE with a
 * message for a query the cube cannot answer (a year range that does not cover whole 5-year
 * periods with a breakdown other than the year). */
int pn_pw_rows(const pn_pathway_set *set, const pn_pw_cube *cube, const pn_pathway_conf *conf,
               const pn_pw_query *q, pn_pw_row **rows, size_t *nrows, pn_diag *diag);

#endif
