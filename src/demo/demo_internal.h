/* demo_internal.h - shared pieces of the synthetic-France generator (src/demo/ only):
 * geography (départements, centres, territories), per-patient simulation and row writing. */
#ifndef PRONOSTIC_DEMO_INTERNAL_H
#define PRONOSTIC_DEMO_INTERNAL_H

#include "pronostic/demo.h"
#include "pronostic/site.h"

#include <stdint.h>
#include <stdio.h>

/* Indices of the generator's per-site tables: enum pn_site minus 1. */
enum { PN__DEMO_PANCREAS = PN_SITE_PANCREAS - 1, PN__DEMO_OESOPHAGUS = PN_SITE_OESOPHAGUS - 1,
       PN__DEMO_LIVER = PN_SITE_LIVER - 1, PN__DEMO_LUNG = PN_SITE_LUNG - 1,
       PN__DEMO_CNS = PN_SITE_CNS - 1, PN__DEMO_OVARY = PN_SITE_OVARY - 1,
       PN__DEMO_AML = PN_SITE_AML - 1 };
_Static_assert(PN_SITE_AML - PN_SITE_PANCREAS + 1 == PN_DEMO_NSITES, "seven sites, in order");

#define PN__DEMO_MAX_DEPTS 128
#define PN__DEMO_MAX_CENTRES 1024

typedef struct pn__demo_dept {
    char code[4];
    char name[48];
    char region[48];
    long population;
    int first_centre, ncentres;   /* centres of this département: [first, first + n) */
    int reference_centre;         /* the region's reference (university) centre */
    int local_centre;             /* its local hospital without a surgery authorisation */
} pn__demo_dept;

typedef struct pn__demo_centre {
    char id[10];                  /* FINESS-like: 9 characters */
    char name[96];
    int dept;
    int kind;                     /* 0 university hospital, 1 cancer centre, 2 general, 3 private,
                                     4 local hospital (no cancer-treatment authorisation) */
    char authorisations[160];
    char networks[32];
} pn__demo_centre;

typedef struct pn__demo_geo {
    pn__demo_dept depts[PN__DEMO_MAX_DEPTS];
    int ndepts;
    double pop_cum[PN__DEMO_MAX_DEPTS];
    pn__demo_centre centres[PN__DEMO_MAX_CENTRES];
    int ncentres;
} pn__demo_geo;

/* Read `path` (code,name,region,population) into geo and build its centres from `seed`. */
int pn__demo_geo_load(pn__demo_geo *geo, const char *path, uint64_t seed, pn_diag *diag);
/* Write centres.csv and territories.csv rows (headers included); add the row counts. */
int pn__demo_write_centres(const pn__demo_geo *geo, FILE *out, unsigned long long *rows);
int pn__demo_write_territories(const pn__demo_geo *geo, uint64_t seed, FILE *out,
                               unsigned long long *rows);

/* The trial catalogue (docs/interfaces.md 3) as JSON text, and its number of trials. */
const char *pn__demo_trials_json(void);
int pn__demo_ntrials(void);

/* Everything the patient writer needs, fixed for a run. */
typedef struct pn__demo_files {
    FILE *patients, *tumours, *events, *alterations, *lines;
} pn__demo_files;

typedef struct pn__demo_run {
    const pn_demo_options *opt;
    pn_demo_model model;
    const pn__demo_geo *geo;
    pn__demo_files files;
    double incidence_cum[PN_DEMO_NSITES * 2 * 25];   /* site x sex x year 2000-2024 */
    int32_t closing;
    pn_demo_counts counts;
} pn__demo_run;

/* ---- one patient while it is written (demo_patient.c), and its care pathway (demo_pathway.c) */

/* The rows of one patient depend on two random streams of the run's seed: stream i (site,
 * survival, stage, alterations, treatment lines and the pathway of earlier versions) and
 * stream i | PN__DEMO_PATHWAY_STREAM (what version 2 of the bundle added: stays and their ends,
 * cycles, sessions, follow-up, the place of death), so that the patients, tumours, lines and
 * alterations of a seed are those of earlier versions. */
#define PN__DEMO_PATHWAY_STREAM 0x8000000000000000ULL
#define PN__DEMO_NO_END INT32_MIN   /* an event without end_date */
#define PN__DEMO_MAX_ED 64
#define PN__DEMO_SEEN 512   /* a power of two */

typedef struct pn__demo_person {
    char id[16], tumour[20];
    const char *centre;       /* the treating centre (tumours.csv) */
    const char *surgery_centre;   /* the centre that operates (events.csv), maybe another */
    int site, sex, stage;     /* site: index 0-6 (PN__DEMO_*); sex 1 male, 2 female; stage 0-4 */
    double age, dx_year;
    int32_t dx, birth, end;   /* end: death or last known alive */
    int dead, cancer_death;
    const struct pn__demo_coding *code;        /* the tumour's codes (demo_patient.c) */
    const struct pn__demo_alteration *target;  /* the actionable alteration found, if any */
    int death_place;          /* enum pn_setting for the dead, else -1 */
    int palliative;           /* the dead's palliative care: PN__DEMO_PALL_* */
    pn_rng pw;                /* the pathway's stream (see above) */
    pn__demo_run *run;
    int32_t first_progression;   /* 0 until the first progression or relapse */
    int32_t treat_end;        /* end of the last systemic line that ended, 0 when none */
    int32_t dying_stay;       /* 1: an admission already ends on the day of death */
    int32_t ed_days[PN__DEMO_MAX_ED];   /* days of emergency visits: one visit a day at most */
    int ned;
    /* fingerprints of the events written (open addressing, 0 empty): an event identical to
     * one already written (the same day, type, codes, end and setting) is written once */
    uint64_t seen[PN__DEMO_SEEN];
    int nseen;
} pn__demo_person;

enum { PN__DEMO_PALL_NONE, PN__DEMO_PALL_EARLY, PN__DEMO_PALL_MID, PN__DEMO_PALL_LATE };

/* Write one row of events.csv for patient p at `centre` (NULL: the treating centre), unless
 * `date` is after the patient's end (death or last news). `end` (or PN__DEMO_NO_END) is the
 * end of a stay, capped at death (a stay not ended at the last news of a living patient has
 * none); `setting` is an enum pn_setting or -1. */
void pn__demo_event(pn__demo_person *p, const char *centre, int32_t date, const char *type,
                    const char *code, const char *detail, int32_t end, int setting);
/* The place of death and the kind of palliative care of a dead patient (p->dead, p->end,
 * p->cancer_death set), from its pathway stream. */
void pn__demo_death_place(pn__demo_person *p);
/* An emergency visit on `date` (none if there was one that day), then, drawn from `rng` as in
 * earlier versions, possibly an unplanned admission the same day (p_admit) and intensive care
 * (p_icu); the lengths of stay come from the pathway stream. */
void pn__demo_emergency(pn__demo_person *p, pn_rng *rng, int32_t date, double p_admit,
                        double p_icu);
/* A planned stay from `date` (median length `los` days) at `centre` with `detail`; may be
 * followed by an emergency visit within 30 days of discharge. Returns the discharge day. */
int32_t pn__demo_stay(pn__demo_person *p, const char *centre, int32_t date, double los,
                      const char *detail);
/* The administrations of a systemic line after its first (written by the caller at `start`),
 * every 14 or 21 days until `stop` (exclusive), evaluation imaging every 4 cycles, possibly one
 * rupture (a gap of more than 60 days); `ongoing`: the line had not ended at p->end. */
void pn__demo_cycles(pn__demo_person *p, const char *type, const char *atc, const char *name,
                     int32_t start, int32_t stop, int ongoing);
/* A radiotherapy course from `start` for `days` days: its start event (with its end) and a
 * session event a week. */
void pn__demo_radiotherapy(pn__demo_person *p, int32_t start, int days, const char *detail);
/* Follow-up imaging from `from` to `until` (exclusive): every 3 months in the first 2 years
 * after diagnosis, every 6 months to 5 years, then yearly. */
void pn__demo_follow_up(pn__demo_person *p, int32_t from, int32_t until);
/* The end of life of a dead patient: palliative care episodes, emergency visits and stays of
 * the last month, the stay in which a hospital death happens, the death event. */
void pn__demo_end_of_life(pn__demo_person *p, const char *cause);

/* Prepare the incidence table of a run (after geo and model are set). */
void pn__demo_run_init(pn__demo_run *run);
/* Simulate patient i and write all its rows. Returns PN_OK or PN_EIO. */
int pn__demo_patient(pn__demo_run *run, uint64_t i);
/* The patient id of index i: a 10-digit hospital number, distinct for distinct i. */
void pn__demo_patient_id(uint64_t seed, uint64_t i, char out[16]);

#endif
