/* audit.c - the audit table: privileged acts (a figure published without disclosure control,
 * a change of an account, a read of patient-level rows), who did them, when, what and how many
 * rows they read (store.h, "the audit of privileged acts"). The table is append-only: its
 * triggers (store_schema.c, version 4) refuse changes and early deletions. */
#include "store_internal.h"
#include "pronostic/date.h"

#include <string.h>
#include <time.h>

int pn_store_audit(pn_store *store, const char *who, const char *action, const char *detail,
                   long long rows, pn_diag *diag)
{
    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return pn_diag_set(diag, PN_EIO, "audit: cannot read the clock");
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, "INSERT INTO audit(at, who, action, detail, rows)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)", &s, diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, who ? who : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, action ? action : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, detail ? detail : "", -1, SQLITE_TRANSIENT);
    if (rows >= 0) sqlite3_bind_int64(s, 5, rows);
    else sqlite3_bind_null(s, 5);
    if (sqlite3_step(s) != SQLITE_DONE) rc = pn__store_error(store, "writing the audit", diag);
    sqlite3_finalize(s);
    return rc;
}

int pn_store_audit_list(pn_store *store, const pn_audit_filter *f,
                        int (*fn)(const pn_audit_row *row, void *ctx), void *ctx,
                        pn_diag *diag)
{
    static const pn_audit_filter all = {0};
    if (f == NULL) f = &all;
    int32_t day;
    int precision;
    if (f->since != NULL &&
        (strlen(f->since) != 10 ||
         pn_date_parse(f->since, 10, 0, &day, &precision) != PN_OK))
        return pn_diag_set(diag, PN_EINVAL, "since: '%.40s' is not a date (YYYY-MM-DD)", f->since);
    if (f->limit < 0)
        return pn_diag_set(diag, PN_EINVAL, "limit: %lld is negative", f->limit);
    /* `at` is "YYYY-MM-DDTHH:MM:SSZ": a day's entries sort at or after the day itself */
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, f->newest_first
        ? "SELECT id, at, who, action, detail, rows FROM audit WHERE (?1 IS NULL OR at >= ?1)"
          " AND (?2 IS NULL OR who = ?2 OR substr(who, 1, length(?2) + 1) = ?2 || '@')"
          " AND (?3 IS NULL OR action = ?3)"
          " ORDER BY id DESC LIMIT ?4"
        : "SELECT id, at, who, action, detail, rows FROM audit WHERE (?1 IS NULL OR at >= ?1)"
          " AND (?2 IS NULL OR who = ?2 OR substr(who, 1, length(?2) + 1) = ?2 || '@')"
          " AND (?3 IS NULL OR action = ?3)"
          " ORDER BY id LIMIT ?4", &s, diag);
    if (rc != PN_OK) return rc;
    if (f->since) sqlite3_bind_text(s, 1, f->since, -1, SQLITE_STATIC);
    if (f->who) sqlite3_bind_text(s, 2, f->who, -1, SQLITE_STATIC);
    if (f->action) sqlite3_bind_text(s, 3, f->action, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, f->limit > 0 ? f->limit : -1);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        pn_audit_row r = {
            .id = sqlite3_column_int64(s, 0),
            .at = (const char *)sqlite3_column_text(s, 1),
            .who = (const char *)sqlite3_column_text(s, 2),
            .action = (const char *)sqlite3_column_text(s, 3),
            .detail = (const char *)sqlite3_column_text(s, 4),
            .rows = sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 5),
        };
        if ((rc = fn(&r, ctx)) != 0) break;
    }
    if (rc == PN_OK && step != SQLITE_DONE) rc = pn__store_error(store, "reading the audit", diag);
    sqlite3_finalize(s);
    return rc;
}
