/* import_keyed.c - the files whose rows have a natural key looked up in SQL: lines.csv (a
 * source's own numbering of a patient's treatment lines, kept per source), centres.csv and
 * territories.csv (reference data: a newer row replaces the stored one, with a warning when it
 * comes from another source).
 */
#include "import_internal.h"

#include <string.h>

static const char *const end_reasons[] = {"progression", "toxicity", "completed", "death", "other",
                                          NULL};

enum { L_PID, L_LINE, L_START, L_END, L_REGIMEN, L_REASON, L_N };
static const pn__colspec line_cols[] = {
    {"patient_id", K_ID, 1, NULL},   {"line", K_POSINT, 1, NULL},
    {"start_date", K_DATE, 1, NULL}, {"end_date", K_DATE, 0, NULL},
    {"regimen", K_TEXT, 0, NULL},    {"end_reason", K_ENUM, 0, end_reasons},
};

enum { C_ID, C_NAME, C_DEP, C_AUTH, C_NET, C_N };
static const pn__colspec centre_cols[] = {
    {"centre_id", K_FINESS, 1, NULL}, {"name", K_TEXT, 1, NULL}, {"departement", K_DEP, 1, NULL},
    {"authorisations", K_AUTHS, 0, NULL}, {"networks", K_NETWORKS, 0, NULL},
};

enum { R_DEP, R_NAME, R_REGION, R_POP, R_MRI, R_CT, R_PET, R_WAIT, R_N };
static const pn__colspec territory_cols[] = {
    {"departement", K_DEP, 1, NULL}, {"name", K_TEXT, 1, NULL}, {"region", K_TEXT, 1, NULL},
    {"population", K_COUNT, 1, NULL}, {"mri", K_COUNT, 0, NULL}, {"ct", K_COUNT, 0, NULL},
    {"pet", K_COUNT, 0, NULL}, {"mri_wait_days", K_NUM, 0, NULL},
};

int pn__imp_keyed_state(pn__imp *im, sqlite3_stmt *sel, uint64_t h, const char *keyfield, long line)
{
    int step = sqlite3_step(sel);
    int64_t old_h = 0, old_run = 0, old_source = 0;
    if (step == SQLITE_ROW) {
        old_h = sqlite3_column_int64(sel, 0);
        old_run = sqlite3_column_int64(sel, 1);
        old_source = sqlite3_column_int64(sel, 2);
    }
    sqlite3_reset(sel);
    if (step != SQLITE_ROW && step != SQLITE_DONE) return pn__imp_fail(im, "reading the store");
    if (step == SQLITE_DONE) return 1;
    if ((uint64_t)old_h == h) {
        im->stats->unchanged++;
        return 0;
    }
    if (old_run == im->run) {
        int rc = pn__imp_quarantine(im, line, keyfield, "error", NULL,
                               "duplicate %s with different content", keyfield);
        return rc < 0 ? rc : 0;
    }
    if (old_source != im->source) {
        /* reference data: the latest import that changes it wins; say whose row it replaces */
        int rc = pn__imp_quarantine(im, line, keyfield, "warning", NULL,
                                    "replaces the row of %s sent by another source",
                                    keyfield);
        if (rc < 0) return rc;
    }
    return 1; /* a newer extract replaces the stored row */
}

static int put_done(pn__imp *im, sqlite3_stmt *put, const char *what)
{
    int rc = pn__imp_step(im, put, what);
    if (rc != PN_OK) return rc;
    im->stats->loaded++;
    return pn__imp_unquarantine(im, NULL);
}

static int line_row(pn__imp *im, pn__fval *v, const unsigned char *key)
{
    (void)key;
    int rc = PN_OK;
    pn__entry *p = pn__imp_ref_patient(im, &v[L_PID], NULL, &rc);
    if (p == NULL) return rc;
    if (v[L_END].present && v[L_END].i < v[L_START].i)
        return pn__imp_quarantine(im, im->line, "end_date", "error", NULL, "end_date before start_date");
    uint64_t h;
    if ((rc = pn__imp_row_hash(im, v, &h)) != PN_OK) return rc;
    sqlite3_bind_int64(im->l_sel, 1, p->id);
    sqlite3_bind_int64(im->l_sel, 2, im->source);
    sqlite3_bind_int64(im->l_sel, 3, v[L_LINE].i);
    if ((rc = pn__imp_keyed_state(im, im->l_sel, h, "line", im->line)) <= 0) return rc;
    sqlite3_stmt *s = im->l_put;
    sqlite3_bind_int64(s, 1, p->id);
    sqlite3_bind_int64(s, 2, v[L_LINE].i);
    sqlite3_bind_int64(s, 3, (int64_t)h);
    sqlite3_bind_int64(s, 4, v[L_START].i);
    pn__imp_bind_opt_int(s, 5, &v[L_END]);
    pn__imp_bind_text(s, 6, &v[L_REGIMEN]);
    pn__imp_bind_text(s, 7, &v[L_REASON]);
    sqlite3_bind_int64(s, 8, im->source);
    sqlite3_bind_int64(s, 9, im->run);
    return put_done(im, s, "writing a treatment line");
}

static int centre_row(pn__imp *im, pn__fval *v, const unsigned char *key)
{
    (void)key;
    uint64_t h;
    int rc = pn__imp_row_hash(im, v, &h);
    if (rc != PN_OK) return rc;
    pn__imp_bind_text(im->c_sel, 1, &v[C_ID]);
    if ((rc = pn__imp_keyed_state(im, im->c_sel, h, "centre_id", im->line)) <= 0) return rc;
    sqlite3_stmt *s = im->c_put;
    pn__imp_bind_text(s, 1, &v[C_ID]);
    sqlite3_bind_int64(s, 2, (int64_t)h);
    pn__imp_bind_text(s, 3, &v[C_NAME]);
    pn__imp_bind_text(s, 4, &v[C_DEP]);
    pn__imp_bind_text(s, 5, &v[C_AUTH]);
    pn__imp_bind_text(s, 6, &v[C_NET]);
    sqlite3_bind_int64(s, 7, im->source);
    sqlite3_bind_int64(s, 8, im->run);
    return put_done(im, s, "writing a centre");
}

static int territory_row(pn__imp *im, pn__fval *v, const unsigned char *key)
{
    (void)key;
    uint64_t h;
    int rc = pn__imp_row_hash(im, v, &h);
    if (rc != PN_OK) return rc;
    pn__imp_bind_text(im->r_sel, 1, &v[R_DEP]);
    if ((rc = pn__imp_keyed_state(im, im->r_sel, h, "departement", im->line)) <= 0) return rc;
    sqlite3_stmt *s = im->r_put;
    pn__imp_bind_text(s, 1, &v[R_DEP]);
    sqlite3_bind_int64(s, 2, (int64_t)h);
    pn__imp_bind_text(s, 3, &v[R_NAME]);
    pn__imp_bind_text(s, 4, &v[R_REGION]);
    sqlite3_bind_int64(s, 5, v[R_POP].i);
    pn__imp_bind_opt_int(s, 6, &v[R_MRI]);
    pn__imp_bind_opt_int(s, 7, &v[R_CT]);
    pn__imp_bind_opt_int(s, 8, &v[R_PET]);
    if (v[R_WAIT].present) sqlite3_bind_double(s, 9, v[R_WAIT].d);
    else sqlite3_bind_null(s, 9);
    sqlite3_bind_int64(s, 10, im->source);
    sqlite3_bind_int64(s, 11, im->run);
    return put_done(im, s, "writing a territory");
}

const pn__filespec pn__spec_lines = {
    "lines.csv", 0, line_cols, L_N, 0, 0, NULL, line_row, NULL, 0,
};
const pn__filespec pn__spec_centres = {
    "centres.csv", 0, centre_cols, C_N, 0, 0, NULL, centre_row, NULL, 0,
};
const pn__filespec pn__spec_territories = {
    "territories.csv", 0, territory_cols, R_N, 0, 0, NULL, territory_row, NULL, 0,
};
