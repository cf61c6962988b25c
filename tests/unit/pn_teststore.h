/* pn_teststore.h - a store for unit tests: made from the bundle of CSV files a test wrote into
 * a directory, and the directory removed at the end. */
#ifndef PN_TESTSTORE_H
#define PN_TESTSTORE_H

#include "pronostic/store.h"

#include <stdio.h>
#include <stdlib.h>

/* Make the store DIR/s.db (its path into db, `len` bytes) and import the bundle of DIR into it:
 * 1 when every row was loaded, 0 otherwise (the store's message on stderr). */
static inline int pn_test_store_of(const char *dir, char *db, size_t len)
{
    snprintf(db, len, "%s/s.db", dir);
    pn_diag d = {0};
    pn_store *s = NULL;
    pn_import_stats st;
    int ok = pn_store_init(db, &d) == PN_OK && pn_store_open(&s, db, &d) == PN_OK &&
             pn_store_import(s, dir, NULL, &st, &d) == PN_OK && st.quarantined == 0;
    if (!ok) fprintf(stderr, "pn_test_store_of %s: %s\n", dir, d.msg);
    pn_store_close(s);
    return ok;
}

/* Remove the directory `dir` and what it holds. */
static inline void pn_test_rmdir(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

#endif
