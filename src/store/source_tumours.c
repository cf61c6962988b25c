/* source_tumours.c - the tumours of the patients that given sources sent: what an analyst
 * granted those sources may read row by row (the server's /api/v1/cases). */
#include "store_internal.h"

#include "pronostic/alloc.h"

#include <stdlib.h>

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int pn_store_source_tumours(pn_store *store, const char *const *sources, size_t n,
                            int64_t **tids, size_t *ntids, pn_diag *diag)
{
    *tids = NULL;
    *ntids = 0;
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store,
        "SELECT t.tid FROM tumours t WHERE t.pid IN (SELECT o.pid FROM patient_obs o"
        " JOIN sources s ON s.id = o.source WHERE s.name = ?1) ORDER BY t.tid", &s, diag);
    if (rc != PN_OK) return rc;
    int64_t *out = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < n && rc == PN_OK; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, sources[i], -1, SQLITE_TRANSIENT);
        int step;
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            if ((rc = pn_grow((void **)&out, &cap, len + 1, sizeof *out)) != PN_OK) break;
            out[len++] = sqlite3_column_int64(s, 0);
        }
        if (rc == PN_OK && step != SQLITE_DONE)
            rc = pn__store_error(store, "reading the tumours of a source", diag);
    }
    sqlite3_finalize(s);
    if (rc == PN_ENOMEM) pn_diag_set(diag, rc, "out of memory");
    if (rc != PN_OK) {
        pn_free(out);
        return rc;
    }
    /* several sources: one sorted list without repeats */
    if (n > 1) {
        qsort(out, len, sizeof *out, by_id);
        size_t m = 0;
        for (size_t i = 0; i < len; i++)
            if (m == 0 || out[m - 1] != out[i]) out[m++] = out[i];
        len = m;
    }
    *tids = out;
    *ntids = len;
    return PN_OK;
}
