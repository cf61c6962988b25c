/* generation.c - the store's generation: a number that changes with every import that
 * committed, so that what was computed from the store can be known stale (the server's
 * cache). */
#include "store_internal.h"

int pn_store_generation(pn_store *store, long long *out, pn_diag *diag)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, "SELECT coalesce(max(id), 0) FROM runs", &s, diag);
    if (rc != PN_OK) return rc;
    if (sqlite3_step(s) == SQLITE_ROW) *out = sqlite3_column_int64(s, 0);
    else rc = pn__store_error(store, "reading the store's generation", diag);
    sqlite3_finalize(s);
    return rc;
}
