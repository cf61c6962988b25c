/* quarantine.c - listing what imports rejected (table quarantine) and the conflicts between
 * sources (table conflicts), and, on request, the rejected values read back from the bundle.
 *
 * The store keeps no rejected value: an entry names its file, line and field, and keeps a keyed
 * fingerprint of the value. Given the bundle's directory, the listing re-reads each file once and
 * prints a value only when its fingerprint is the rejected one (a file edited since shows none).
 * A conflict's values are the store's own (the two sources' observations), so its reason says
 * them.
 */
#include "store_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/date.h"

#include <stdio.h>
#include <string.h>

uint64_t pn__quarantine_value_hash(const pn_key *key, const char *value, size_t len)
{
    return pn_keyed_hash64(key, value, len);
}

static int wanted(const pn_quarantine_opts *o, const char *source, const char *severity)
{
    if (o == NULL) return 1;
    if (o->source != NULL && strcmp(o->source, source) != 0) return 0;
    if (o->severities == 0) return 1;
    int bit = strcmp(severity, "error") == 0     ? PN_QUARANTINE_ERRORS
              : strcmp(severity, "warning") == 0 ? PN_QUARANTINE_WARNINGS
                                                 : PN_QUARANTINE_CONFLICTS;
    return (o->severities & bit) != 0;
}

/* ---- the rejected values, read back from a bundle ---------------------------------------- */

typedef struct entry {
    pn_quarantine_row row;  /* its strings point into `text` */
    char *text;
    int has_h;
    uint64_t h;
    char *value;            /* the value read back, or NULL */
    int differs;            /* the file's value there is not the rejected one */
} entry;

typedef struct entries {
    entry *v;
    size_t n, cap;
} entries;

static void entries_free(entries *e)
{
    for (size_t i = 0; i < e->n; i++) {
        pn_free(e->v[i].text);
        pn_free(e->v[i].value);
    }
    pn_free(e->v);
}

/* Copy a row (its strings) into e. */
static int entries_add(entries *e, const pn_quarantine_row *r, int has_h, uint64_t h)
{
    if (pn_grow((void **)&e->v, &e->cap, e->n + 1, sizeof *e->v) != PN_OK) return PN_ENOMEM;
    const char *parts[] = {r->source, r->file, r->field, r->reason, r->severity};
    size_t total = 0;
    for (int k = 0; k < 5; k++) total += strlen(parts[k]) + 1;
    char *text = pn_malloc(total), *w = text;
    if (text == NULL) return PN_ENOMEM;
    const char *copies[5];
    for (int k = 0; k < 5; k++) {
        size_t n = strlen(parts[k]) + 1;
        memcpy(w, parts[k], n);
        copies[k] = w;
        w += n;
    }
    entry *x = &e->v[e->n++];
    memset(x, 0, sizeof *x);
    x->row = *r;
    x->row.source = copies[0];
    x->row.file = copies[1];
    x->row.field = copies[2];
    x->row.reason = copies[3];
    x->row.severity = copies[4];
    x->text = text;
    x->has_h = has_h;
    x->h = h;
    return PN_OK;
}

/* Fill the values of the entries of file `file` (entries sorted by file, then line) from
 * dir/file. Unreadable files leave their entries without values. */
static int read_values(pn_store *store, entries *e, size_t from, size_t to, const char *dir,
                       size_t *n_differ, pn_diag *diag)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, e->v[from].row.file) >= (int)sizeof path)
        return PN_OK;
    pn_csv *csv = NULL;
    pn_diag d = {0};
    pn_csv_opts o = {0};
    if (pn_csv_open(&csv, path, &o, &d) != PN_OK) return PN_OK;
    size_t i = from;
    int r, rc = PN_OK;
    while (i < to && (r = pn_csv_next(csv, &d)) != 0) {
        if (r == PN_ENOMEM) {
            rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
            break;
        }
        if (r < 0) continue; /* a malformed row: the reader goes on */
        long line = pn_csv_line(csv);
        while (i < to && e->v[i].row.line < line) i++;
        for (; i < to && e->v[i].row.line == line; i++) {
            entry *x = &e->v[i];
            int col = x->has_h ? pn_csv_find(csv, x->row.field) : -1;
            if (col < 0) continue;
            size_t len;
            const char *s = pn_csv_field(csv, (size_t)col, &len);
            if (pn__quarantine_value_hash(&store->key, s, len) != x->h) {
                x->differs = 1;
                (*n_differ)++;
                continue;
            }
            if ((x->value = pn_strndup(s, len)) == NULL) {
                rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
                break;
            }
        }
    }
    pn_csv_close(csv);
    return rc;
}

/* ---- conflicts -------------------------------------------------------------------------- */

/* A date as text: YYYY-MM-DD, or YYYY-MM for a month-precision birth date. */
static void date_text(int32_t days, int month_only, char out[11])
{
    pn_date_format(days, out);
    if (month_only) out[7] = '\0';
}

/* The care setting of column `col` (carevocab.h), "" when NULL or out of the vocabulary. */
static const char *setting_name(sqlite3_stmt *s, int col)
{
    if (sqlite3_column_type(s, col) == SQLITE_NULL) return "";
    int code = sqlite3_column_int(s, col);
    return code >= 0 && code < PN_SETTING_COUNT ? pn_setting_names[code] : "";
}

/* The reason of one conflict row of the query below (columns documented there). */
static void conflict_reason(sqlite3_stmt *s, char *out, size_t cap)
{
    const char *field = (const char *)sqlite3_column_text(s, 0);
    const char *src_a = (const char *)sqlite3_column_text(s, 2);
    long line_a = (long)sqlite3_column_int64(s, 10);
    char a[16], b[16], where[160];
    if (line_a > 0) snprintf(where, sizeof where, "source %s (patients.csv line %ld)", src_a, line_a);
    else snprintf(where, sizeof where, "source %s", src_a);
    if (sqlite3_column_int64(s, 1) != 0) { /* a tumour against a patient's fact */
        date_text(sqlite3_column_int(s, 17), 0, b);
        if (strcmp(field, "diagnosis_date") == 0) {
            date_text(sqlite3_column_int(s, 8), 0, a);
            snprintf(out, cap, "diagnosis on %s after the death on %s reported by %s: the "
                     "tumour is left out of analyses", b, a, where);
        } else {
            date_text(sqlite3_column_int(s, 5), sqlite3_column_int(s, 6) == PN_DATE_MONTH, a);
            snprintf(out, cap, "diagnosis on %s before the birth date %s reported by %s: the "
                     "tumour is left out of analyses", b, a, where);
        }
        return;
    }
    if (strcmp(field, "sex") == 0) {
        snprintf(out, cap, "sex %s here, %s from %s: the patient is left out of analyses until "
                 "the sources agree", sqlite3_column_int(s, 11) == 1 ? "M" : "F",
                 sqlite3_column_int(s, 4) == 1 ? "M" : "F", where);
    } else if (strcmp(field, "birth_date") == 0) {
        date_text(sqlite3_column_int(s, 12), sqlite3_column_int(s, 13) == PN_DATE_MONTH, b);
        date_text(sqlite3_column_int(s, 5), sqlite3_column_int(s, 6) == PN_DATE_MONTH, a);
        snprintf(out, cap, "birth date %s here, %s from %s: the patient is left out of analyses "
                 "until the sources agree", b, a, where);
    } else if (strcmp(field, "vital_status_date") == 0) {
        date_text(sqlite3_column_int(s, 15), 0, b);
        date_text(sqlite3_column_int(s, 8), 0, a);
        snprintf(out, cap, "death on %s here, on %s from %s: the earlier death is kept", b, a,
                 where);
    } else if (strcmp(field, "vital_status") == 0) {
        date_text(sqlite3_column_int(s, 15), 0, b);
        date_text(sqlite3_column_int(s, 8), 0, a);
        snprintf(out, cap, "alive on %s here, after the death on %s reported by %s: the death "
                 "stands", b, a, where);
    } else if (strcmp(field, "death_place") == 0) {
        snprintf(out, cap, "death place %s here, %s from %s: the place of %s is kept",
                 setting_name(s, 21), setting_name(s, 20), where, src_a);
    } else {
        const char *cb = (const char *)sqlite3_column_text(s, 16);
        const char *ca = (const char *)sqlite3_column_text(s, 9);
        snprintf(out, cap, "death cause %s here, %s from %s: the cause of %s is kept",
                 cb ? cb : "", ca ? ca : "", where, src_a);
    }
}

/* Columns: 0 field, 1 tid, 2 source a, 3 source b, 4-10 a's sex, birth, precision, status,
 * date, cause, line; 11-16 b's sex, birth, precision, status, date, cause; 17 the tumour's
 * diagnosis date, 18 the line of b's row (its observation's, or the tumour's), 19 its run;
 * 20, 21 a's and b's place of death. */
static const char conflicts_sql[] =
    "SELECT c.field, c.tid, sa.name, sb.name,"
    " oa.sex, oa.birth_date, oa.birth_precision, oa.vital_status, oa.vital_status_date,"
    " oa.death_cause, oa.line,"
    " ob.sex, ob.birth_date, ob.birth_precision, ob.vital_status, ob.vital_status_date,"
    " ob.death_cause, t.diagnosis_date,"
    " CASE WHEN c.tid <> 0 THEN t.line ELSE ob.line END,"
    " CASE WHEN c.tid <> 0 THEN t.run ELSE ob.run END,"
    " oa.death_place, ob.death_place"
    " FROM conflicts c JOIN sources sa ON sa.id = c.source_a JOIN sources sb ON sb.id = c.source_b"
    " JOIN patient_obs oa ON oa.pid = c.pid AND oa.source = c.source_a"
    " LEFT JOIN patient_obs ob ON ob.pid = c.pid AND ob.source = c.source_b"
    " LEFT JOIN tumours t ON t.tid = c.tid AND c.tid <> 0"
    " ORDER BY sb.name, c.tid <> 0, 19, c.field, sa.name";

static int list_conflicts(pn_store *store, const pn_quarantine_opts *opts,
                          int (*fn)(const pn_quarantine_row *row, void *ctx), void *ctx,
                          pn_diag *diag)
{
    if (opts != NULL && opts->severities != 0 && !(opts->severities & PN_QUARANTINE_CONFLICTS))
        return PN_OK;
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, conflicts_sql, &s, diag);
    if (rc != PN_OK) return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *src_b = (const char *)sqlite3_column_text(s, 3);
        if (!wanted(opts, src_b, "conflict")) continue;
        char reason[512];
        conflict_reason(s, reason, sizeof reason);
        int tumour = sqlite3_column_int64(s, 1) != 0;
        pn_quarantine_row row = {
            .source = src_b,
            .run = sqlite3_column_int64(s, 19),
            .file = tumour ? "tumours.csv" : "patients.csv",
            .line = (long)sqlite3_column_int64(s, 18),
            .field = tumour ? "diagnosis_date" : (const char *)sqlite3_column_text(s, 0),
            .reason = reason,
            .severity = "conflict",
        };
        if ((rc = fn(&row, ctx)) != 0) break;
    }
    if (rc == PN_OK && step != SQLITE_DONE) rc = pn__store_error(store, "reading the conflicts", diag);
    sqlite3_finalize(s);
    return rc;
}

/* ---- the listing ------------------------------------------------------------------------ */

static int distinct_sources(pn_store *store, long *n, pn_diag *diag)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store,
        "SELECT count(DISTINCT source) FROM (SELECT source FROM quarantine"
        " UNION SELECT source_b FROM conflicts)", &s, diag);
    if (rc != PN_OK) return rc;
    if (sqlite3_step(s) == SQLITE_ROW) *n = (long)sqlite3_column_int64(s, 0);
    else rc = pn__store_error(store, "reading the quarantine", diag);
    sqlite3_finalize(s);
    return rc;
}

int pn_store_quarantine(pn_store *store, const pn_quarantine_opts *opts,
                        int (*fn)(const pn_quarantine_row *row, void *ctx), void *ctx,
                        pn_diag *diag)
{
    const char *dir = opts ? opts->values_dir : NULL;
    if (dir != NULL && opts->source == NULL) {
        long n = 0;
        int rc = distinct_sources(store, &n, diag);
        if (rc != PN_OK) return rc;
        if (n > 1)
            return pn_diag_set(diag, PN_EUSAGE, "the store holds entries of %ld sources: give "
                               "--source NAME with the bundle of --show-values", n);
    }
    sqlite3_stmt *st = NULL;
    int rc = pn__store_prepare(store,
        "SELECT s.name, q.run, q.file, q.line, q.field, q.reason, q.severity, q.value_h "
        "FROM quarantine q JOIN sources s ON s.id = q.source "
        "ORDER BY s.name, q.file, q.line, q.id", &st, diag);
    if (rc != PN_OK) return rc;
    entries all = {0};
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        pn_quarantine_row row = {
            .source = (const char *)sqlite3_column_text(st, 0),
            .run = sqlite3_column_int64(st, 1),
            .file = (const char *)sqlite3_column_text(st, 2),
            .line = (long)sqlite3_column_int64(st, 3),
            .field = (const char *)sqlite3_column_text(st, 4),
            .reason = (const char *)sqlite3_column_text(st, 5),
            .severity = (const char *)sqlite3_column_text(st, 6),
        };
        if (!wanted(opts, row.source, row.severity)) continue;
        if (dir == NULL) {
            if ((rc = fn(&row, ctx)) != 0) break;
            continue;
        }
        int has_h = sqlite3_column_type(st, 7) != SQLITE_NULL;
        if (entries_add(&all, &row, has_h, (uint64_t)sqlite3_column_int64(st, 7)) != PN_OK) {
            rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == PN_OK && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = pn__store_error(store, "reading the quarantine", diag);
    sqlite3_finalize(st);
    size_t n_differ = 0;
    for (size_t i = 0; rc == PN_OK && i < all.n;) {
        size_t j = i;
        while (j < all.n && strcmp(all.v[j].row.file, all.v[i].row.file) == 0) j++;
        rc = read_values(store, &all, i, j, dir, &n_differ, diag);
        i = j;
    }
    for (size_t i = 0; rc == PN_OK && i < all.n; i++) {
        all.v[i].row.value = all.v[i].value;
        all.v[i].row.value_differs = all.v[i].differs;
        rc = fn(&all.v[i].row, ctx);
    }
    entries_free(&all);
    if (rc == PN_OK) rc = list_conflicts(store, opts, fn, ctx, diag);
    return rc;
}
