/* demo_internal.h - shared pieces of the synthetic-France generator (src/demo/ only):
 * geography (départements, centres, territories), per-patient simulation and row writing. */
#ifndef PRONOSTIC_DEMO_INTERNAL_H
#define PRONOSTIC_DEMO_INTERNAL_H

#include "pronostic/demo.h"
#include "pronostic/site.h"

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
} pn__demo_dept;

typedef struct pn__demo_centre {
    char id[10];                  /* FINESS-like: 9 characters */
    char name[96];
    int dept;
    int kind;                     /* 0 university hospital, 1 cancer centre, 2 general, 3 private */
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

/* Prepare the incidence table of a run (after geo and model are set). */
void pn__demo_run_init(pn__demo_run *run);
/* Simulate patient i and write all its rows. Returns PN_OK or PN_EIO. */
int pn__demo_patient(pn__demo_run *run, uint64_t i);
/* The patient id of index i: a 10-digit hospital number, distinct for distinct i. */
void pn__demo_patient_id(uint64_t seed, uint64_t i, char out[16]);

#endif
