/* audit.c - the audit table: privileged acts (a figure published without disclosure control),
 * who did them, when and what (store.h, "the audit of privileged acts"). */
#include "store_internal.h"

#include <time.h>

int pn_store_audit(pn_store *store, const char *who, const char *action, const char *detail,
                   pn_diag *diag)
{
    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return pn_diag_set(diag, PN_EIO, "audit: cannot read the clock");
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, "INSERT INTO audit(at, who, action, detail)"
                               " VALUES (?1, ?2, ?3, ?4)", &s, diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, who ? who : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, action ? action : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, detail ? detail : "", -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE) rc = pn__store_error(store, "writing the audit", diag);
    sqlite3_finalize(s);
    return rc;
}

int pn_store_audit_list(pn_store *store, int (*fn)(const pn_audit_row *row, void *ctx),
                        void *ctx, pn_diag *diag)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, "SELECT id, at, who, action, detail FROM audit ORDER BY id",
                               &s, diag);
    if (rc != PN_OK) return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        pn_audit_row r = {
            .id = sqlite3_column_int64(s, 0),
            .at = (const char *)sqlite3_column_text(s, 1),
            .who = (const char *)sqlite3_column_text(s, 2),
            .action = (const char *)sqlite3_column_text(s, 3),
            .detail = (const char *)sqlite3_column_text(s, 4),
        };
        if ((rc = fn(&r, ctx)) != 0) break;
    }
    if (rc == PN_OK && step != SQLITE_DONE) rc = pn__store_error(store, "reading the audit", diag);
    sqlite3_finalize(s);
    return rc;
}
