/* store.h - the pronostic store: one SQLite file (WAL) with a versioned schema, its secret key,
 * bundle import and the quarantine of rejected rows.
 *
 * A store is the file FILE and its key FILE.key (32 random bytes as 64 hex digits, mode 0600),
 * or the key given in the environment variable PRONOSTIC_KEY (64 hex digits). Every source
 * identifier (patient_id, tumour_id) is replaced by a keyed BLAKE2b pseudonym before anything
 * is written; see pseudonym.h and docs/data-format.md "The store".
 */
#ifndef PRONOSTIC_STORE_H
#define PRONOSTIC_STORE_H

#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pn_store pn_store;

/* The schema version this build writes; pn_store_open migrates older stores up to it. */
#define PN_STORE_SCHEMA_VERSION 4

/* Create an empty store at `path` and its key file `path`.key (unless PRONOSTIC_KEY is set, in
 * which case that key is used and no file is written). Refuses (PN_EDUP) when `path` or the
 * key file already exists. The store's files (`path`, and the -wal, -shm and journal SQLite
 * makes beside it) are mode 0600 whatever the umask, like the key. */
int pn_store_init(const char *path, pn_diag *diag);

/* Open an existing store for writing: load and check its key (PN_EPERM when the key file is
 * readable by group or others or is not the store's key), take group and other rights off its
 * files (a store made before they were 0600; see pn_store_tightened), check it (PRAGMA
 * quick_check: a damaged store is PN_EIO) and migrate its schema. A store that cannot be
 * written (permissions, read-only file system) is PN_EIO. On success *out owns the connection;
 * close it with pn_store_close.
 *
 * Errors of the store's files and system are PN_EIO (exit 2) with a message naming the cause:
 * damaged, locked by another process (waited for 10 s, or PRONOSTIC_BUSY_TIMEOUT_MS
 * milliseconds), disk full, no permission; internal ones PN_EDB (exit 4). */
int pn_store_open(pn_store **out, const char *path, pn_diag *diag);

/* Open an existing store for reading only (every analysis): its key is checked, nothing is
 * written, modes are left alone, no quick_check, and no migration (a store whose schema is
 * older than this program's is PN_EIO, saying to open it for writing once). Works on a
 * read-only directory or file system: when SQLite cannot create the -shm a WAL store needs
 * and the store was closed cleanly (no write-ahead log left), the file is read as immutable;
 * with a non-empty -wal that cannot be read it is PN_EIO, saying what to do. On success *out
 * owns the connection; close it with pn_store_close. */
int pn_store_open_readonly(pn_store **out, const char *path, pn_diag *diag);

/* 1 when pn_store_open took group and other rights off the store's files (`store` is
 * borrowed). */
int pn_store_tightened(const pn_store *store);

/* Close the store. Accepts NULL. */
void pn_store_close(pn_store *store);

/* Import options and counts. */
typedef struct pn_import_opts {
    const char *source;   /* name of the sending source (--source); NULL: "default" */
    int32_t today;        /* dates after this day are "in the future"; 0: pn_date_today(), or
                             the environment variable PRONOSTIC_TODAY (YYYY-MM-DD) when set */
    /* Called after each file of the bundle with its name and the rows read so far (all files);
     * NULL: nothing. The library prints nothing itself. */
    void (*progress)(void *ctx, const char *file, long long rows_read);
    void *progress_ctx;
} pn_import_opts;

typedef struct pn_import_stats {
    long long run;           /* the import run's id */
    long long read;          /* data rows read, all files */
    long long loaded;        /* rows inserted or updated */
    long long unchanged;     /* rows already in the store with the same content */
    long long quarantined;   /* rows (and files) rejected by this import */
    long long warnings;      /* warnings (unknown columns, header-only files) */
    long long conflicts;     /* conflicts between this run's source and another, after the run
                                (pronostic quarantine --conflicts) */
    long long bytes;         /* input bytes read */
} pn_import_stats;

/* Import the CSV bundle in directory `dir` (docs/interfaces.md 2) in one transaction. Rejected rows
 * go to the quarantine; they do not make the import fail. Returns PN_OK (stats->quarantined says
 * whether anything was rejected), or an error for which nothing was written. `opts` may be
 * NULL. */
int pn_store_import(pn_store *store, const char *dir, const pn_import_opts *opts,
                    pn_import_stats *stats, pn_diag *diag);

/* One quarantine entry, as pn_store_quarantine hands it to its callback (views valid during
 * the call only). */
typedef struct pn_quarantine_row {
    const char *source;
    long long run;
    const char *file;
    long line;            /* 0 for a file-level entry (missing file) */
    const char *field;    /* "" when the whole row or file is concerned */
    const char *reason;   /* the rule broken; never the rejected value */
    const char *severity; /* "error" (row not loaded), "warning", or "conflict" (two sources
                             disagree; both rows are kept) */
    const char *value;    /* with values_dir: the rejected value read back from the bundle,
                             or NULL */
    int value_differs;    /* with values_dir: the bundle's value there is not the rejected one
                             (the file changed since its import) */
} pn_quarantine_row;

/* Severities to list (bits); 0 lists them all. */
enum { PN_QUARANTINE_ERRORS = 1, PN_QUARANTINE_WARNINGS = 2, PN_QUARANTINE_CONFLICTS = 4 };

typedef struct pn_quarantine_opts {
    const char *source;     /* only this source's entries, or NULL */
    int severities;         /* PN_QUARANTINE_* bits; 0: all */
    const char *values_dir; /* the bundle the entries came from: read the rejected values back
                               from its files (needs `source` when several sources have
                               entries: PN_EUSAGE), or NULL */
} pn_quarantine_opts;

/* Call `fn` for every quarantine entry in source, file, line order, then for every conflict
 * between sources (severity "conflict", on the row of the second source, its reason naming the
 * first source, its line and both values); stops and returns fn's value when it is non-zero.
 * `opts` may be NULL (everything, no values). */
int pn_store_quarantine(pn_store *store, const pn_quarantine_opts *opts,
                        int (*fn)(const pn_quarantine_row *row, void *ctx), void *ctx,
                        pn_diag *diag);

/* ---- the audit of privileged acts (audit.c) --------------------------------------------- */

/* Record in the store's audit table that `who` (a user name) did `action` (a short word, such
 * as "no-suppress" or "user-add") with `detail` (what was done: the command and its options;
 * never a secret), at the current UTC time; `rows` is the number of patient-level rows the act
 * read, or < 0 for an act that is not a read (stored NULL). The strings are copied. Needs a
 * store opened for writing (pn_store_open); PN_OK, or the store's error (nothing written).
 * The audit is append-only: the store refuses to change an entry, or to delete one younger
 * than 183 days (docs/data-format.md, "The audit"). */
int pn_store_audit(pn_store *store, const char *who, const char *action, const char *detail,
                   long long rows, pn_diag *diag);

/* One audit entry, as pn_store_audit_list hands it to its callback (views valid during the
 * call). `at` is "YYYY-MM-DDTHH:MM:SSZ"; `rows` is -1 when the act was not a read. */
typedef struct pn_audit_row {
    long long id;
    const char *at, *who, *action, *detail;
    long long rows;
} pn_audit_row;

/* Which entries pn_store_audit_list gives; every field may be left 0 or NULL (no filter). */
typedef struct pn_audit_filter {
    const char *since;    /* "YYYY-MM-DD": entries of that UTC day and later; NULL: all */
    const char *who;      /* only this user's entries (its name, or its name@address as the
                             server writes them), or NULL */
    const char *action;   /* only this action's entries, or NULL */
    long long limit;      /* at most this many entries (the first in the order asked); 0: all */
    int newest_first;     /* 1: newest first; 0: oldest first */
} pn_audit_filter;

/* Call `fn` for every audit entry that `f` selects (NULL: all, oldest first), in id order;
 * stops and returns fn's value when non-zero. PN_EINVAL naming the field for a `since` that is
 * not a date or a negative `limit`. */
int pn_store_audit_list(pn_store *store, const pn_audit_filter *f,
                        int (*fn)(const pn_audit_row *row, void *ctx), void *ctx,
                        pn_diag *diag);

/* ---- transactions (store.c) ------------------------------------------------------------- */

/* Begin a read whose every statement sees the same state of the store, whatever another
 * process commits meanwhile (a savepoint: on a store opened read-only too, and nested reads
 * are one), so that figures computed in several statements agree with each other. End it with
 * pn_store_read_end (which accepts a store without one). */
int pn_store_read_begin(pn_store *store, pn_diag *diag);
void pn_store_read_end(pn_store *store);

/* Begin a write transaction (BEGIN IMMEDIATE: waits for another writer like every write), so
 * that several changes, such as an account's and the audit entry that records it, are made
 * together or not at all. End it with pn_store_commit, or pn_store_rollback (accepts a store
 * without a transaction). Transactions do not nest. */
int pn_store_begin(pn_store *store, pn_diag *diag);
int pn_store_commit(pn_store *store, pn_diag *diag);
void pn_store_rollback(pn_store *store);

/* ---- reads for the layers above (scan.c) ------------------------------------------------ */

/* One tumour with its patient's consolidated facts, as pn_store_scan_tumours hands it to its
 * callback (the residence is a view valid during the call only). Dates are days since
 * 1970-01-01; a YYYY-MM birth date is the 15th of its month. */
typedef struct pn_store_tumour {
    int64_t tid, pid;          /* row ids in the store (not source identifiers) */
    int32_t diagnosis_date;
    int site;                  /* enum pn_site */
    int sex;                   /* 1 male, 2 female */
    int32_t birth_date;
    int dead;                  /* 1: the consolidated vital status is dead */
    int32_t vital_status_date; /* death date, or the date last known alive */
    const char *residence;     /* département code, or NULL */
    size_t residence_len;
    int identity_conflict;     /* 1: the patient's sources disagree on sex or birth date */
} pn_store_tumour;

/* Call `fn` for every tumour of `site` (PN_SITE_OTHER: every tumour), ordered by patient, then
 * (for every tumour) site, then diagnosis date and row id; stops and returns fn's value when it
 * is not PN_OK. */
int pn_store_scan_tumours(pn_store *store, int site,
                          int (*fn)(const pn_store_tumour *t, void *ctx), void *ctx,
                          pn_diag *diag);

/* The store's generation in *out: the id of its latest committed import run (0 before any),
 * which changes with every import (generation.c). */
int pn_store_generation(pn_store *store, long long *out, pn_diag *diag);

/* The row ids of the tumours of the patients that any of the `n` sources named `sources` sent,
 * ascending, without repeats: *tids (the caller's, pn_free) of *ntids (source_tumours.c). */
int pn_store_source_tumours(pn_store *store, const char *const *sources, size_t n,
                            int64_t **tids, size_t *ntids, pn_diag *diag);

/* The latest vital-status date of the store's patients in *out (0 when it has none). */
int pn_store_latest_vital_date(pn_store *store, int32_t *out, pn_diag *diag);

#endif
