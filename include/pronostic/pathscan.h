/* pathscan.h - the store's read of whole care pathways: each patient with their tumours, care
 * events and treatment lines, in patient order over a range of patient row ids (so that
 * threads, each with its own connection, can read ranges side by side); and the centres with
 * their authorisations. The indicators of care pathways and end of life are computed from it
 * (docs/methods.md, "Care-pathway indicators").
 *
 * Everything handed to a callback is a view valid during the call only. Dates are days since
 * 1970-01-01.
 */
#ifndef PRONOSTIC_PATHSCAN_H
#define PRONOSTIC_PATHSCAN_H

#include "pronostic/error.h"
#include "pronostic/store.h"

#include <stddef.h>
#include <stdint.h>

/* A date that was not given (an event without end_date, a line not ended). */
#define PN_NO_DATE INT32_MIN

typedef struct pn_scan_event {
    int32_t date;
    int32_t end_date;      /* the end of a stay or episode, or PN_NO_DATE */
    int type;              /* enum pn_event_type (carevocab.h) */
    int setting;           /* enum pn_setting, or -1 when not given (read for a death only) */
    int64_t tid;           /* the tumour the event names (row id), or 0 */
    const char *centre;    /* centre_id, or NULL (read for a surgery only) */
    size_t centre_len;
    const char *code;      /* code (ATC drug...), or NULL (read for chemotherapy, targeted
                              therapy and immunotherapy only) */
    size_t code_len;
} pn_scan_event;

typedef struct pn_scan_line {
    int line;              /* 1, 2, ... */
    int32_t start_date;
    int32_t end_date;      /* or PN_NO_DATE */
} pn_scan_line;

typedef struct pn_scan_tumour {
    int64_t tid;
    int32_t diagnosis_date;
    int site;              /* enum pn_site */
    int stage_iv;          /* 1: stage IV (TNM IV, IVA, IVB..., FIGO IV...) at diagnosis */
    const char *centre;    /* centre_id, or NULL */
    size_t centre_len;
} pn_scan_tumour;

typedef struct pn_scan_patient {
    int64_t pid;           /* row id in the store (not a source identifier) */
    int sex;               /* 1 male, 2 female */
    int32_t birth_date;
    int dead;              /* the consolidated vital status is dead */
    int32_t vital_status_date;
    const char *residence; /* département code, or NULL */
    size_t residence_len;
    int death_place;       /* enum pn_setting, or -1 */
    int identity_conflict; /* the patient's sources disagree on sex or birth date */
    size_t ntumours;       /* at least 1 */
    const pn_scan_tumour *tumours;  /* by site, then diagnosis date, then row id */
    size_t nevents;
    const pn_scan_event *events;    /* by date, then type, then end date */
    size_t nlines;
    const pn_scan_line *lines;      /* by start date, then line */
} pn_scan_patient;

/* The smallest and largest patient row ids in *lo and *hi (both 0 when there is none). */
int pn_store_pid_bounds(pn_store *store, int64_t *lo, int64_t *hi, pn_diag *diag);

/* Call `fn` for every patient with at least one tumour whose row id is in [pid_from, pid_to),
 * in row-id order; stops and returns fn's value when it is not PN_OK. `store` is borrowed and
 * only read; one store (connection) per thread. */
int pn_store_scan_patients(pn_store *store, int64_t pid_from, int64_t pid_to,
                           int (*fn)(const pn_scan_patient *p, void *ctx), void *ctx,
                           pn_diag *diag);

/* A centre of centres.csv. */
typedef struct pn_scan_centre {
    const char *centre_id;
    const char *name;
    const char *departement;
    const char *authorisations;  /* ';'-separated mentions, or NULL */
} pn_scan_centre;

/* Call `fn` for every centre in centre_id order; stops and returns fn's value when non-zero. */
int pn_store_scan_centres(pn_store *store, int (*fn)(const pn_scan_centre *c, void *ctx),
                          void *ctx, pn_diag *diag);

#endif
