/* import_internal.h - what the import's files share: the column kinds, a row's field values, the
 * file table, the import's state (pn__imp) and the helpers every row handler uses.
 *
 * The import is split by concept: import.c (the run: setup, files in order, commit),
 * import_file.c (one CSV file: header, rows, field checks), import_fields.c (field kinds and
 * the row fingerprint), import_quarantine.c (writing and replacing quarantine entries),
 * import_refs.c (pseudonyms and references to patients and tumours), import_patients.c
 * (patients and tumours), import_keyless.c (events and alterations, written by a second
 * thread), import_keyed.c (treatment lines, centres, territories), import_trials.c
 * (trials.json) and import_consolidate.c (one patient's status from every source's rows).
 */
#ifndef PRONOSTIC_IMPORT_INTERNAL_H
#define PRONOSTIC_IMPORT_INTERNAL_H

#include "store_internal.h"
#include "store_map.h"
#include "import_pipe.h"
#include "pronostic/csv.h"

#include <stddef.h>
#include <stdint.h>

/* ---- columns and field values ----------------------------------------------------------- */

enum pn__kind {
    K_TEXT, K_ID, K_DATE, K_DATE_YM, K_ENUM, K_SEX, K_ICD10, K_TOPO, K_MORPH, K_DEP, K_COUNT,
    K_POSINT, K_NUM, K_FINESS, K_AUTHS, K_NETWORKS
};

typedef struct pn__colspec {
    const char *name;
    int kind;
    int required;
    const char *const *values; /* K_ENUM: NULL-terminated list */
} pn__colspec;

#define MAXCOLS 12

typedef struct pn__fval {
    const char *s;
    size_t len;
    int present;
    int64_t i;   /* enum index, integer, date (days), sex */
    double d;
    int prec;    /* dates: PN_DATE_DAY or PN_DATE_MONTH */
} pn__fval;

typedef struct pn__imp pn__imp;

/* One file of the bundle: its columns and the handler of a row whose fields passed their
 * checks (`key` is the row's pseudonym for keyed files, else NULL). */
typedef struct pn__filespec {
    const char *file;
    int required;
    const pn__colspec *cols;
    int ncols;
    int keyed;                 /* 1 patient ids, 2 tumour ids: the quarantine remembers the
                                  row's pseudonym */
    int piped;                 /* 1: rows go to the writing thread (events, alterations) */
    /* Optional header check beyond the required columns (tumours: icd10 or topography);
     * returns 1 when the file can be read, 0 after quarantining it, or a negative code. */
    int (*header)(pn__imp *im);
    int (*row)(pn__imp *im, pn__fval *v, const unsigned char *key);
    /* Optional: called once the file's rows are all read (patients: consolidation). */
    int (*done)(pn__imp *im);
    /* The leading columns that bundle format version 1 had (0: all of them). The columns
     * after them (version 2's) enter a row's fingerprint only when present, so that a row
     * without them keeps the fingerprint version 1 gave it (re-imports stay idempotent). */
    int v1cols;
} pn__filespec;

/* The files of the bundle, in the order they are read (import.c), and each file's spec. */
extern const pn__filespec pn__spec_territories, pn__spec_centres, pn__spec_patients,
    pn__spec_tumours, pn__spec_events, pn__spec_alterations, pn__spec_lines;

/* ---- the import's state ----------------------------------------------------------------- */

struct pn__imp {
    pn_store *st;
    sqlite3 *db;
    pn_diag *diag;
    pn_import_stats *stats;
    int64_t source, run;
    const char *source_name;
    int32_t today;
    const pn__filespec *spec;
    pn_csv *csv;
    long line;
    int colidx[MAXCOLS];
    int old_quarantine;        /* earlier runs quarantined rows of this source and file */
    pn__map pmap, tmap;
    /* caches of the last identifiers looked up (events come grouped by patient) */
    char last_pid[256];
    size_t last_pid_len;
    unsigned char last_pkey[16];
    char last_tid[256];
    size_t last_tid_len;
    unsigned char last_tkey[16];
    pn__entry *last_pentry;        /* the entry of last_pkey, valid while pmap.count is */
    size_t last_pentry_count;
    const pn__entry *last_tentry;  /* the same for tumours */
    size_t last_tentry_count;
    char *hbuf;
    size_t hcap;
    size_t n_dirty;            /* patients whose observations changed, or that have several
                                  sources and got a tumour: consolidated at the end */
    pn__pipe *pipe;            /* events and alterations: rows go to the writing thread */
    pn_diag wdiag;             /* the writing thread's diagnostic */
    sqlite3_stmt *q_ins, *q_del_key, *q_del_line;
    sqlite3_stmt *p_ins, *o_put, *o_sel, *t_ins, *t_upd, *e_ins, *a_ins;
    sqlite3_stmt *e_ins_many;  /* EVENTS_PER_INSERT events in one statement */
    sqlite3_stmt *l_sel, *l_put, *c_sel, *c_put, *r_sel, *r_put, *j_sel, *j_put;
};

/* ---- helpers (import.c) ------------------------------------------------------------------ */

/* A database failure naming `what`, reported in the writing thread's own diagnostic while the
 * pipe runs. Returns the error code. */
int pn__imp_fail(pn__imp *im, const char *what);
/* Bind a field's text (borrowed until the statement's next step), or NULL when absent. */
void pn__imp_bind_text(sqlite3_stmt *s, int i, const pn__fval *v);
/* Bind a field's integer, or NULL when absent. */
void pn__imp_bind_opt_int(sqlite3_stmt *s, int i, const pn__fval *v);
/* Step a statement that returns no row, then reset it. */
int pn__imp_step(pn__imp *im, sqlite3_stmt *s, const char *what);

/* ---- fields (import_fields.c) ------------------------------------------------------------ */

/* Check field c of the current row (parsing it into v); returns 1 when it is good, 0 after
 * quarantining it, or a negative code on a database error. */
int pn__imp_check_field(pn__imp *im, int c, pn__fval *v, const unsigned char *key);
/* Keyed fingerprint of the row's spec columns, in spec order (column order in files is free). */
int pn__imp_row_hash(pn__imp *im, const pn__fval *v, uint64_t *out);

/* ---- quarantine (import_quarantine.c) ---------------------------------------------------- */

/* Record one quarantine entry for line `line` of the current file: written now, or queued
 * behind the rows before it while the writing thread runs. The reason names the rule, never a
 * field's value; the value's keyed fingerprint is kept when `field` is a column of the current
 * row (quarantine --show-values checks it). `key` (16 bytes or NULL) is the row's pseudonym. */
int pn__imp_quarantine(pn__imp *im, long line, const char *field, const char *severity,
                       const unsigned char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Write one entry now (the writing thread's side of pn__imp_quarantine). */
int pn__imp_quarantine_write(pn__imp *im, long line, const char *field, size_t flen,
                             const char *reason, size_t rlen, const char *severity,
                             const unsigned char *key, int has_value_h, uint64_t value_h);
/* A row written replaces what earlier runs quarantined for it: the same key (keyed files) or
 * the same line (files whose rows have no identifier of their own). */
int pn__imp_unquarantine_line(pn__imp *im, const unsigned char *key, long line);
int pn__imp_unquarantine(pn__imp *im, const unsigned char *key);

/* ---- references (import_refs.c) ---------------------------------------------------------- */

void pn__imp_patient_key(pn__imp *im, const pn__fval *id, unsigned char out[16]);
void pn__imp_tumour_key(pn__imp *im, const pn__fval *id, unsigned char out[16]);
/* The loaded patient `id` refers to, or NULL after quarantining the row (*rc says whether that
 * failed). The entry is the map's (valid until the next insert into it). */
pn__entry *pn__imp_ref_patient(pn__imp *im, const pn__fval *id, const unsigned char *row_key,
                               int *rc);
/* Optional tumour reference: *tid 0 when absent; returns 0 after quarantining a bad one. */
int pn__imp_ref_tumour(pn__imp *im, const pn__fval *id, const pn__entry *patient, int64_t *tid,
                       int *rc);

/* ---- the writing thread's records (import_keyless.c) ------------------------------------- */

/* A keyless row (event, alteration) or a quarantine entry, as the reading thread hands it to
 * the writing thread (import_pipe.h). Text fields live in the batch's text area. */
enum { KREC_EVENT = 1, KREC_ALTERATION = 2, KREC_QUARANTINE = 3 };
#define KREC_TEXTS 5
typedef struct pn__krec {
    uint8_t kind, has_key, has_tid, has_date, warning, has_value_h;
    uint8_t has_end, has_setting;   /* events: end_date and setting given */
    long line;
    int64_t pid, tid, date, type;
    int64_t end_date, setting;      /* events (version 2 of the bundle format) */
    uint64_t h;
    size_t off[KREC_TEXTS];
    uint32_t len[KREC_TEXTS];
    uint8_t present[KREC_TEXTS];
    unsigned char key[16];
} pn__krec;

/* Copy a text into the record's batch (slot `slot`). */
void pn__imp_krec_text(pn__imp *im, pn__krec *r, int slot, const char *s, size_t len,
                       int present);
/* The writing thread's batch handler (pn__pipe_fn). */
int pn__imp_write_krecs(void *ctx, const void *records, size_t n, const char *text);
enum { EVENTS_PER_INSERT = 16 };
/* The values of one event in e_ins and e_ins_many: pid, h, date, type, tid, centre_id, code,
 * detail, run, end_date, setting. */
enum { EVENT_PARAMS = 11 };

/* ---- keyed rows (import_keyed.c) --------------------------------------------------------- */

/* Rows keyed by a natural key looked up in SQL: `sel` has its key bound and returns
 * (h, run, source). Returns 1 when the row should be written, 0 when it is unchanged or was
 * quarantined as a duplicate, or a negative code. */
int pn__imp_keyed_state(pn__imp *im, sqlite3_stmt *sel, uint64_t h, const char *keyfield,
                        long line);

/* ---- files (import_file.c, import_trials.c) ---------------------------------------------- */

/* Read one CSV file of the bundle in `dir` through its spec. */
int pn__imp_file(pn__imp *im, const char *dir, const pn__filespec *spec);
/* Read trials.json (optional). */
int pn__imp_trials(pn__imp *im, const char *dir);

/* ---- consolidation (import_consolidate.c) ------------------------------------------------ */

/* After patients.csv: the consolidated row of every patient whose observations changed. */
int pn__imp_consolidate_patients(pn__imp *im);
/* At the end: the conflicts of every patient marked dirty (observations and tumours). */
int pn__imp_consolidate_conflicts(pn__imp *im);

#endif
