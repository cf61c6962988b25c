/* store_internal.h - what the store's files share: the connection, the key, SQL helpers. */
#ifndef PRONOSTIC_STORE_INTERNAL_H
#define PRONOSTIC_STORE_INTERNAL_H

#include "pronostic/carevocab.h"
#include "pronostic/pseudonym.h"
#include "pronostic/store.h"

#include <sqlite3.h>

struct pn_store {
    sqlite3 *db;
    char *path;
    pn_key key;
    int readonly;   /* opened by pn_store_open_readonly */
    int tightened;  /* pn_store_open took group and other rights off its files */
    int busy_ms;    /* how long a locked store is waited for */
};

/* The store's files (store_files.c). Create `path` empty with mode 0600 whatever the umask
 * (PN_EDUP when it exists): SQLite gives its -wal, -shm and journal the main file's mode. */
int pn__store_create_file(const char *path, pn_diag *diag);
/* Take group and other rights off `path` and its existing -wal, -shm and -journal; 1 when a
 * mode was changed. */
int pn__store_tighten(const char *path);
/* 1 when `path`-wal exists and is not empty (it may hold committed changes). */
int pn__store_wal_pending(const char *path);
/* "file:PATH?immutable=1" with PATH percent-encoded; the caller frees it (pn_free). */
char *pn__store_immutable_uri(const char *path);


/* The migrations: migration i (0-based) takes the schema from version i to i + 1: its SQL,
 * then its fixup (NULL, or a function run in the same transaction). */
typedef struct pn__migration {
    const char *sql;
    int (*fixup)(pn_store *store, pn_diag *diag);
} pn__migration;
extern const pn__migration pn__store_migrations[];
extern const int pn__store_nmigrations;

/* Run SQL without results; on failure set diag (pn__store_error) naming `what`. */
int pn__store_exec(pn_store *store, const char *sql, const char *what, pn_diag *diag);

/* Prepare a statement; on failure set diag (pn__store_error). *out is NULL on failure. */
int pn__store_prepare(pn_store *store, const char *sql, sqlite3_stmt **out, pn_diag *diag);

/* Set diag from the connection's last error, in `what`, and return its code: PN_EIO (exit 2)
 * for what the user's files or system caused, each with a message saying so (not a store or
 * damaged, locked by another process, disk full, no permission or a read-only file system, an
 * I/O error), PN_ENOMEM, else PN_EDB (an internal error). */
int pn__store_error(pn_store *store, const char *what, pn_diag *diag);

/* The connection, for the cohort layer's read-only queries (bound parameters only). */
sqlite3 *pn__store_db(pn_store *store);


/* The keyed fingerprint of a quarantined field value (table quarantine, value_h): lets
 * `quarantine --show-values` tell whether a source file still holds the rejected value. */
uint64_t pn__quarantine_value_hash(const pn_key *key, const char *value, size_t len);

/* The hash an unknown account's password is checked against (account.c; static). */
const char *pn__account_dummy_hash(void);

#endif
