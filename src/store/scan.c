/* scan.c - the store's reads for the layers above it: the tumours of a site with their
 * patients' consolidated facts, in the order a survival selection takes them, and the latest
 * vital-status date. No other module writes SQL against the store's tables. */
#include "store_internal.h"
#include "consolidate.h"
#include "pronostic/site.h"

int pn_store_latest_vital_date(pn_store *store, int32_t *out, pn_diag *diag)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, "SELECT max(vital_status_date) FROM patients", &s, diag);
    if (rc != PN_OK) return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_type(s, 0) == SQLITE_NULL ? 0 : sqlite3_column_int(s, 0);
    else
        rc = pn__store_error(store, "reading the store", diag);
    sqlite3_finalize(s);
    return rc;
}

int pn_store_scan_tumours(pn_store *store, int site,
                          int (*fn)(const pn_store_tumour *t, void *ctx), void *ctx,
                          pn_diag *diag)
{
    if (site < 0 || site >= PN_SITE_COUNT)
        return pn_diag_set(diag, PN_EINVAL, "no such site code %d", site);
    /* one ordered scan of the index tumours_site (site, pid, diagnosis date) */
    const char *sql = site != PN_SITE_OTHER
        ? "SELECT t.tid, t.pid, t.diagnosis_date, t.site, p.sex, p.birth_date, p.vital_status,"
          " p.vital_status_date, p.residence, p.conflict FROM tumours t JOIN patients p"
          " ON p.pid = t.pid WHERE t.site = ?1 ORDER BY t.pid, t.diagnosis_date, t.tid"
        : "SELECT t.tid, t.pid, t.diagnosis_date, t.site, p.sex, p.birth_date, p.vital_status,"
          " p.vital_status_date, p.residence, p.conflict FROM tumours t JOIN patients p"
          " ON p.pid = t.pid WHERE ?1 = 0 ORDER BY t.pid, t.site, t.diagnosis_date, t.tid";
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, sql, &s, diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_int(s, 1, site);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *res = (const char *)sqlite3_column_text(s, 8);
        pn_store_tumour t = {
            .tid = sqlite3_column_int64(s, 0),
            .pid = sqlite3_column_int64(s, 1),
            .diagnosis_date = sqlite3_column_int(s, 2),
            .site = sqlite3_column_int(s, 3),
            .sex = sqlite3_column_int(s, 4),
            .birth_date = sqlite3_column_int(s, 5),
            .dead = sqlite3_column_int(s, 6) == 1,
            .vital_status_date = sqlite3_column_int(s, 7),
            .residence = res,
            .residence_len = res ? (size_t)sqlite3_column_bytes(s, 8) : 0,
            .identity_conflict = (sqlite3_column_int(s, 9) & PN__CONFLICT_IDENTITY) != 0,
        };
        if ((rc = fn(&t, ctx)) != PN_OK) break;
    }
    if (rc == PN_OK && step != SQLITE_DONE) rc = pn__store_error(store, "reading the store", diag);
    sqlite3_finalize(s);
    return rc;
}
