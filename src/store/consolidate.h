/* consolidate.h - one patient's consolidated facts from every source's observation of it: the
 * rule of docs/data-format.md "Several sources", as a pure function (no I/O, no allocation).
 *
 * Each source keeps its own observation of a patient (table patient_obs). The patient's row is
 * derived from all of them, the same whatever the order in which the sources were imported:
 * - sex and birth date must agree; a YYYY-MM birth date agrees with any day of that month and
 *   the more precise one is used. A disagreement is an identity conflict: the patient is kept
 *   but left out of analyses until the sources agree.
 * - a death reported by any source stands, at the earliest death date reported; another death
 *   date, an "alive" date after that death, or another cause of death on the same date are
 *   vital-status conflicts (listed; the death stands). The place of death is that of the
 *   death that stands, else of another death on the same date; two such deaths in different
 *   places are a vital-status conflict too.
 * - without a death, the patient is alive at the latest date any source reports.
 * - the residence is that of the most recent observation that gives one.
 * Ties are broken by the order of the observations, which the caller sorts by source name.
 */
#ifndef PRONOSTIC_CONSOLIDATE_H
#define PRONOSTIC_CONSOLIDATE_H

#include <stddef.h>
#include <stdint.h>

typedef struct pn__obs {
    int64_t source;
    int sex;              /* 1 male, 2 female */
    int32_t birth;        /* days; a YYYY-MM date is stored as the 15th */
    int birth_prec;       /* PN_DATE_DAY or PN_DATE_MONTH */
    int has_residence;
    int dead;             /* 1 dead, 0 alive */
    int32_t date;         /* vital-status date */
    const char *cause;    /* death cause or NULL (borrowed) */
    size_t cause_len;
    int death_place;      /* enum pn_setting of carevocab.h, or -1 when not given */
} pn__obs;

/* Bits of patients.conflict: the sources disagree on the identity, on the vital status, or a
 * tumour contradicts another source's death or birth date (set by import_consolidate.c). */
enum { PN__CONFLICT_IDENTITY = 1, PN__CONFLICT_VITAL = 2, PN__CONFLICT_TUMOUR = 4 };

typedef struct pn__consolidated {
    int vital_from;       /* the observation giving the vital status and its date */
    int birth_from;       /* the observation giving the birth date and its precision */
    int residence_from;   /* the observation giving the residence, -1 when none does */
    int cause_from;       /* the observation giving the death cause, -1 when none */
    int place_from;       /* the observation giving the place of death, -1 when none */
    int sex;
    unsigned conflict;    /* PN__CONFLICT_* bits */
} pn__consolidated;

/* One conflict: `field` (a column of patients.csv) and the two observations that disagree, a
 * being the one the consolidated row keeps (or the first by source order). */
typedef struct pn__conflict {
    const char *field;    /* "sex", "birth_date", "vital_status_date", "vital_status",
                             "death_cause", "death_place" (static storage) */
    int a, b;
} pn__conflict;

/* The most conflicts pn__consolidate can report for n observations. */
size_t pn__consolidate_max_conflicts(size_t n);

/* Consolidate the n >= 1 observations (sorted by source name) into *out; the conflicts go to
 * conf (room for pn__consolidate_max_conflicts(n)), their number to *nconf. */
void pn__consolidate(const pn__obs *obs, size_t n, pn__consolidated *out, pn__conflict *conf,
                     size_t *nconf);

/* 1 when two birth dates (as pn__obs stores them) may be the same person's. */
int pn__birth_compatible(int32_t a, int a_prec, int32_t b, int b_prec);

#endif
