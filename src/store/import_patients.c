/* import_patients.c - patients.csv and tumours.csv: each source's observation of a patient, and
 * the tumours checked against it.
 *
 * A patient row is one source's observation (table patient_obs, one per patient and source); the
 * patient's own row (table patients) is derived from all its observations after patients.csv
 * (import_consolidate.c), so that no source's death is lost and the result does not depend on
 * the order of imports. A tumour is checked against the observation its own bundle gives of the
 * patient, or against the consolidated patient when its bundle does not list the patient.
 */
#include "import_internal.h"
#include "pronostic/date.h"
#include "pronostic/site.h"

#include <string.h>

static const char *const vital_values[] = {"alive", "dead", NULL};
static const char *const stage_systems[] = {"TNM8", "FIGO", "none", NULL};

/* Version 1's columns, then version 2's place of death. */
enum { P_ID, P_SEX, P_BIRTH, P_RES, P_VS, P_VSDATE, P_CAUSE, P_V1, P_PLACE = P_V1, P_N };
static const pn__colspec patient_cols[] = {
    {"patient_id", K_ID, 1, NULL},        {"sex", K_SEX, 1, NULL},
    {"birth_date", K_DATE_YM, 1, NULL},   {"residence", K_DEP, 0, NULL},
    {"vital_status", K_ENUM, 1, vital_values}, {"vital_status_date", K_DATE, 1, NULL},
    {"death_cause", K_ICD10, 0, NULL},    {"death_place", K_ENUM, 0, pn_setting_names},
};

enum { T_ID, T_PID, T_DIAG, T_ICD10, T_TOPO, T_MORPH, T_SSYS, T_STAGE, T_CENTRE, T_N };
static const pn__colspec tumour_cols[] = {
    {"tumour_id", K_ID, 1, NULL},       {"patient_id", K_ID, 1, NULL},
    {"diagnosis_date", K_DATE, 1, NULL}, {"icd10", K_ICD10, 0, NULL},
    {"topography", K_TOPO, 0, NULL},    {"morphology", K_MORPH, 0, NULL},
    {"stage_system", K_ENUM, 0, stage_systems}, {"stage", K_TEXT, 0, NULL},
    {"centre_id", K_FINESS, 0, NULL},
};

/* Mark a patient for the end-of-run consolidation. */
static void make_dirty(pn__imp *im, pn__entry *p, int why)
{
    if (!p->dirty) im->n_dirty++;
    p->dirty |= (uint8_t)why;
}

/* This source's stored observation of patient p: *have 1 and *h its fingerprint, or *have 0. */
static int own_observation(pn__imp *im, const pn__entry *p, int *have, uint64_t *h)
{
    *have = 0;
    if (p->nsrc <= 1) {
        /* one observation: the entry's */
        if (p->source == im->source) {
            *have = 1;
            *h = p->h;
        }
        return PN_OK;
    }
    sqlite3_stmt *s = im->o_sel;
    sqlite3_bind_int64(s, 1, p->id);
    sqlite3_bind_int64(s, 2, im->source);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *have = 1;
        *h = (uint64_t)sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    return step == SQLITE_ROW || step == SQLITE_DONE ? PN_OK : pn__imp_fail(im, "reading a patient");
}

/* Bind the patient's facts (sex to death cause: 7 values) from parameter base + 1 on. */
static void bind_facts(sqlite3_stmt *s, int base, const pn__fval *v)
{
    sqlite3_bind_int64(s, base + 1, v[P_SEX].i);
    sqlite3_bind_int64(s, base + 2, v[P_BIRTH].i);
    sqlite3_bind_int(s, base + 3, v[P_BIRTH].prec);
    pn__imp_bind_text(s, base + 4, &v[P_RES]);
    sqlite3_bind_int64(s, base + 5, v[P_VS].i);
    sqlite3_bind_int64(s, base + 6, v[P_VSDATE].i);
    pn__imp_bind_text(s, base + 7, &v[P_CAUSE]);
}

/* Write this row as the source's observation of patient `pid`. */
static int put_observation(pn__imp *im, const pn__fval *v, int64_t pid, uint64_t h)
{
    sqlite3_stmt *s = im->o_put;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_int64(s, 2, im->source);
    sqlite3_bind_int64(s, 3, (int64_t)h);
    bind_facts(s, 3, v);
    sqlite3_bind_int64(s, 11, im->line);
    sqlite3_bind_int64(s, 12, im->run);
    pn__imp_bind_opt_int(s, 13, &v[P_PLACE]);
    return pn__imp_step(im, s, "writing a patient");
}

/* A new patient: its row is its first observation. */
static int insert_patient(pn__imp *im, const pn__fval *v, const unsigned char *key, uint64_t h,
                          int64_t *pid)
{
    sqlite3_stmt *s = im->p_ins;
    sqlite3_bind_int64(s, 1, (int64_t)h);
    bind_facts(s, 1, v);
    sqlite3_bind_int64(s, 9, im->source);
    sqlite3_bind_int64(s, 10, im->run);
    sqlite3_bind_blob(s, 11, key, 16, SQLITE_STATIC);
    pn__imp_bind_opt_int(s, 12, &v[P_PLACE]);
    int rc = pn__imp_step(im, s, "writing a patient");
    if (rc != PN_OK) return rc;
    *pid = sqlite3_last_insert_rowid(im->db);
    return put_observation(im, v, *pid, h);
}

static int patient_row(pn__imp *im, pn__fval *v, const unsigned char *key)
{
    int32_t birth = (int32_t)v[P_BIRTH].i;
    if (v[P_BIRTH].prec == PN_DATE_MONTH) birth -= 14; /* the 15th -> the 1st */
    if (v[P_VSDATE].i < birth) {
        pn__entry *q = pn__map_insert(&im->pmap, key);
        if (q == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        if (q->state == PN__ENTRY_NEW) q->state = PN__ENTRY_QUARANTINED;
        return pn__imp_quarantine(im, im->line, "vital_status_date", "error", key,
                                  "vital_status_date is before birth_date");
    }
    uint64_t h;
    int rc = pn__imp_row_hash(im, v, &h);
    if (rc != PN_OK) return rc;
    if (v[P_PLACE].present && v[P_VS].i == 0) {
        /* a place of death for a living patient: the row loads (its vital status is what
         * survival needs) without the place, and a warning says so */
        if ((rc = pn__imp_quarantine(im, im->line, "death_place", "warning", key,
                                     "death_place given for a patient reported alive; "
                                     "ignored")) != PN_OK)
            return rc;
        v[P_PLACE].present = 0;
    }
    pn__entry *p = pn__map_insert(&im->pmap, key);
    if (p == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
    int changed = 1;
    if (p->state == PN__ENTRY_LOADED) {
        if (p->line > 0) {
            /* seen in this run: a later row with other content is a duplicate */
            if (p->h == h) {
                im->stats->unchanged++;
                return PN_OK;
            }
            return pn__imp_quarantine(im, im->line, "patient_id", "error", key,
                                      "duplicate patient_id with different content (first at "
                                      "line %ld)", (long)p->line);
        }
        int have;
        uint64_t old_h = 0;
        if ((rc = own_observation(im, p, &have, &old_h)) != PN_OK) return rc;
        if (have && old_h == h) {
            changed = 0;
        } else {
            /* a new source for this patient, or a newer extract of the same source */
            if ((rc = put_observation(im, v, p->id, h)) != PN_OK) return rc;
            if (!have && p->nsrc < UINT16_MAX) p->nsrc++;
            make_dirty(im, p, PN__DIRTY_OBS);
        }
    } else {
        int64_t pid;
        if ((rc = insert_patient(im, v, key, h, &pid)) != PN_OK) return rc;
        p->id = pid;
        p->state = PN__ENTRY_LOADED;
        p->nsrc = 1;
        p->sex = (uint8_t)v[P_SEX].i;
        p->date1 = birth;
        p->date2 = (int32_t)v[P_VSDATE].i;
        p->flag = (uint8_t)v[P_VS].i;
        p->conflict = 0;
    }
    p->h = h;
    p->source = im->source;
    p->line = (int32_t)im->line;
    p->own_date1 = birth;
    p->own_date2 = (int32_t)v[P_VSDATE].i;
    p->own_flag = (uint8_t)v[P_VS].i;
    if (!changed) {
        im->stats->unchanged++;
        return PN_OK;
    }
    im->stats->loaded++;
    return pn__imp_unquarantine(im, key);
}

/* The tumours file needs a code column. */
static int tumour_header(pn__imp *im)
{
    if (im->colidx[T_ICD10] >= 0 || im->colidx[T_TOPO] >= 0) return 1;
    int rc = pn__imp_quarantine(im, 1, "icd10", "error", NULL,
                                "neither icd10 nor topography column; file not loaded");
    return rc < 0 ? rc : 0;
}

static int tumour_row(pn__imp *im, pn__fval *v, const unsigned char *key)
{
    int rc = PN_OK;
    const char *why = NULL, *field = "diagnosis_date";
    pn__entry *p = NULL;
    if (!v[T_ICD10].present && !v[T_TOPO].present) {
        field = "icd10";
        why = "icd10 or topography is required";
    } else if ((p = pn__imp_ref_patient(im, &v[T_PID], key, &rc)) == NULL) {
        why = "";
    } else {
        /* the patient as this bundle sent it, else as the store knows it */
        int own = p->line > 0;
        int32_t birth = own ? p->own_date1 : p->date1, last = own ? p->own_date2 : p->date2;
        int dead = own ? p->own_flag : p->flag;
        if (v[T_DIAG].i < birth) why = "diagnosis before birth";
        else if (v[T_DIAG].i > last)
            why = dead ? "death before diagnosis (the patient's vital_status_date is earlier)"
                       : "diagnosis after the date the patient was last known alive";
    }
    if (why != NULL) {
        pn__entry *q = pn__map_insert(&im->tmap, key);
        if (q == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        if (q->state == PN__ENTRY_NEW) q->state = PN__ENTRY_QUARANTINED;
        if (why[0] == '\0') return rc; /* pn__imp_ref_patient quarantined it */
        return pn__imp_quarantine(im, im->line, field, "error", key, "%s", why);
    }
    int64_t pid = p->id;
    uint64_t h;
    if ((rc = pn__imp_row_hash(im, v, &h)) != PN_OK) return rc;
    pn__entry *t = pn__map_insert(&im->tmap, key); /* p stays valid: another map */
    if (t == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
    sqlite3_stmt *s = im->t_ins;
    if (t->state == PN__ENTRY_LOADED) {
        if (t->h == h) {
            if (t->line == 0) t->line = (int32_t)im->line;
            im->stats->unchanged++;
            return PN_OK;
        }
        if (t->line > 0)
            return pn__imp_quarantine(im, im->line, "tumour_id", "error", key,
                                      "duplicate tumour_id with different content (first at "
                                      "line %ld)", (long)t->line);
        s = im->t_upd;
    }
    if (p->nsrc > 1) make_dirty(im, p, PN__DIRTY_TUMOUR); /* another source's death may precede */
    int site = pn_site_classify(v[T_ICD10].present ? v[T_ICD10].s : NULL,
                                v[T_TOPO].present ? v[T_TOPO].s : NULL,
                                v[T_MORPH].present ? v[T_MORPH].s : NULL);
    sqlite3_bind_int64(s, 1, (int64_t)h);
    sqlite3_bind_int64(s, 2, pid);
    sqlite3_bind_int64(s, 3, v[T_DIAG].i);
    pn__imp_bind_text(s, 4, &v[T_ICD10]);
    pn__imp_bind_text(s, 5, &v[T_TOPO]);
    pn__imp_bind_text(s, 6, &v[T_MORPH]);
    pn__imp_bind_text(s, 7, &v[T_SSYS]);
    pn__imp_bind_text(s, 8, &v[T_STAGE]);
    pn__imp_bind_text(s, 9, &v[T_CENTRE]);
    sqlite3_bind_int(s, 10, site);
    sqlite3_bind_int64(s, 11, im->source);
    sqlite3_bind_int64(s, 12, im->run);
    sqlite3_bind_int64(s, 13, im->line);
    if (s == im->t_upd) sqlite3_bind_int64(s, 14, t->id);
    else sqlite3_bind_blob(s, 14, key, 16, SQLITE_STATIC);
    if ((rc = pn__imp_step(im, s, "writing a tumour")) != PN_OK) return rc;
    if (s == im->t_ins) t->id = sqlite3_last_insert_rowid(im->db);
    t->state = PN__ENTRY_LOADED;
    t->h = h;
    t->ref = pid;
    t->date1 = (int32_t)v[T_DIAG].i;
    t->line = (int32_t)im->line;
    t->source = im->source;
    im->stats->loaded++;
    return pn__imp_unquarantine(im, key);
}

const pn__filespec pn__spec_patients = {
    "patients.csv", 1, patient_cols, P_N, 1, 0, NULL, patient_row, pn__imp_consolidate_patients,
    P_V1,
};
const pn__filespec pn__spec_tumours = {
    "tumours.csv", 1, tumour_cols, T_N, 2, 0, tumour_header, tumour_row, NULL, 0,
};
