/* import.c - loading a CSV bundle (INTERFACES.md 2) into the store in one transaction.
 *
 * Each file is read once, streaming. A row goes through three gates: its fields (required,
 * encoding, format, not in the future), its own consistency (dates in order), and its
 * references (known, not quarantined patient or tumour). A row that fails any gate is written to
 * the quarantine with file, line, field and reason, and the import goes on. Source identifiers
 * are turned into keyed pseudonyms before anything is written, and never echoed in a reason.
 * Each stored row keeps a keyed fingerprint of its content (h): a row already stored with the
 * same content is left alone, which makes re-imports idempotent.
 */
#include "store_internal.h"
#include "store_map.h"
#include "import_pipe.h"
#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/csv.h"
#include "pronostic/date.h"
#include "pronostic/num.h"
#include "pronostic/site.h"

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- column specifications ---------------------------------------------------------------- */

enum kind {
    K_TEXT, K_ID, K_DATE, K_DATE_YM, K_ENUM, K_SEX, K_ICD10, K_TOPO, K_MORPH, K_DEP, K_COUNT,
    K_POSINT, K_NUM, K_FINESS
};

typedef struct colspec {
    const char *name;
    int kind;
    int required;
    const char *const *values; /* K_ENUM: NULL-terminated list */
} colspec;

#define MAXCOLS 12

typedef struct fval {
    const char *s;
    size_t len;
    int present;
    int64_t i;   /* enum index, integer, date (days), sex */
    double d;
    int prec;    /* dates: PN_DATE_DAY or PN_DATE_MONTH */
} fval;

static const char *const vital_values[] = {"alive", "dead", NULL};
static const char *const stage_systems[] = {"TNM8", "FIGO", "none", NULL};
static const char *const end_reasons[] = {"progression", "toxicity", "completed", "death", "other",
                                          NULL};

enum { P_ID, P_SEX, P_BIRTH, P_RES, P_VS, P_VSDATE, P_CAUSE, P_N };
static const colspec patient_cols[] = {
    {"patient_id", K_ID, 1, NULL},        {"sex", K_SEX, 1, NULL},
    {"birth_date", K_DATE_YM, 1, NULL},   {"residence", K_DEP, 0, NULL},
    {"vital_status", K_ENUM, 1, vital_values}, {"vital_status_date", K_DATE, 1, NULL},
    {"death_cause", K_ICD10, 0, NULL},
};

enum { T_ID, T_PID, T_DIAG, T_ICD10, T_TOPO, T_MORPH, T_SSYS, T_STAGE, T_CENTRE, T_N };
static const colspec tumour_cols[] = {
    {"tumour_id", K_ID, 1, NULL},       {"patient_id", K_ID, 1, NULL},
    {"diagnosis_date", K_DATE, 1, NULL}, {"icd10", K_ICD10, 0, NULL},
    {"topography", K_TOPO, 0, NULL},    {"morphology", K_MORPH, 0, NULL},
    {"stage_system", K_ENUM, 0, stage_systems}, {"stage", K_TEXT, 0, NULL},
    {"centre_id", K_FINESS, 0, NULL},
};

enum { E_PID, E_DATE, E_TYPE, E_TID, E_CENTRE, E_CODE, E_DETAIL, E_N };
static const colspec event_cols[] = {
    {"patient_id", K_ID, 1, NULL}, {"date", K_DATE, 1, NULL},
    {"type", K_ENUM, 1, pn__event_types}, {"tumour_id", K_ID, 0, NULL},
    {"centre_id", K_FINESS, 0, NULL}, {"code", K_TEXT, 0, NULL}, {"detail", K_TEXT, 0, NULL},
};

enum { A_PID, A_GENE, A_ALT, A_TID, A_PARTNER, A_PLATFORM, A_DATE, A_N };
static const colspec alteration_cols[] = {
    {"patient_id", K_ID, 1, NULL}, {"gene", K_TEXT, 1, NULL}, {"alteration", K_TEXT, 1, NULL},
    {"tumour_id", K_ID, 0, NULL},  {"partner_gene", K_TEXT, 0, NULL},
    {"platform_id", K_TEXT, 0, NULL}, {"date", K_DATE, 0, NULL},
};

enum { L_PID, L_LINE, L_START, L_END, L_REGIMEN, L_REASON, L_N };
static const colspec line_cols[] = {
    {"patient_id", K_ID, 1, NULL},   {"line", K_POSINT, 1, NULL},
    {"start_date", K_DATE, 1, NULL}, {"end_date", K_DATE, 0, NULL},
    {"regimen", K_TEXT, 0, NULL},    {"end_reason", K_ENUM, 0, end_reasons},
};

enum { C_ID, C_NAME, C_DEP, C_AUTH, C_NET, C_N };
static const colspec centre_cols[] = {
    {"centre_id", K_FINESS, 1, NULL}, {"name", K_TEXT, 1, NULL}, {"departement", K_DEP, 1, NULL},
    {"authorisations", K_TEXT, 0, NULL}, {"networks", K_TEXT, 0, NULL},
};

enum { R_DEP, R_NAME, R_REGION, R_POP, R_MRI, R_CT, R_PET, R_WAIT, R_N };
static const colspec territory_cols[] = {
    {"departement", K_DEP, 1, NULL}, {"name", K_TEXT, 1, NULL}, {"region", K_TEXT, 1, NULL},
    {"population", K_COUNT, 1, NULL}, {"mri", K_COUNT, 0, NULL}, {"ct", K_COUNT, 0, NULL},
    {"pet", K_COUNT, 0, NULL}, {"mri_wait_days", K_NUM, 0, NULL},
};

typedef struct imp imp;

typedef struct filespec {
    const char *file;
    int required;
    const colspec *cols;
    int ncols;
    int keyed;                 /* 1: the quarantine remembers the row's key (pseudonym) */
    int (*row)(imp *im, fval *v, const unsigned char *key);
} filespec;

/* ---- the import's state ------------------------------------------------------------------- */

struct imp {
    pn_store *st;
    sqlite3 *db;
    pn_diag *diag;
    pn_import_stats *stats;
    int64_t source, run;
    const char *source_name;
    int32_t today;
    const filespec *spec;
    pn_csv *csv;
    long line;
    int colidx[MAXCOLS];
    int old_quarantine;        /* earlier runs quarantined rows of this source and file */
    pn__map pmap, tmap;
    /* caches of the last identifiers looked up (events come grouped by patient) */
    char last_pid[256];
    size_t last_pid_len;
    unsigned char last_pkey[16];
    char last_tid[256];
    size_t last_tid_len;
    unsigned char last_tkey[16];
    const pn__entry *last_pentry;  /* the entry of last_pkey, valid while pmap.count is */
    size_t last_pentry_count;
    const pn__entry *last_tentry;  /* the same for tumours */
    size_t last_tentry_count;
    char *hbuf;
    size_t hcap;
    pn__pipe *pipe;            /* events and alterations: rows go to the writing thread */
    pn_diag wdiag;             /* the writing thread's diagnostic */
    sqlite3_stmt *q_ins, *q_del_key, *q_del_line;
    sqlite3_stmt *p_ins, *p_upd, *p_vs, *t_ins, *t_upd, *e_ins, *a_ins;
    sqlite3_stmt *e_ins_many;  /* EVENTS_PER_INSERT events in one statement */
    sqlite3_stmt *l_sel, *l_put, *c_sel, *c_put, *r_sel, *r_put, *j_sel, *j_put;
};

/* A database failure, reported in the writing thread's own diagnostic while the pipe runs. */
static int db_fail(imp *im, const char *what)
{
    return pn__store_error(im->st, what, im->pipe ? &im->wdiag : im->diag);
}

/* Bind a field's text, or NULL when absent. */
static void bind_text(sqlite3_stmt *s, int i, const fval *v)
{
    if (v->present) sqlite3_bind_text(s, i, v->s, (int)v->len, SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}

static void bind_opt_int(sqlite3_stmt *s, int i, const fval *v)
{
    if (v->present) sqlite3_bind_int64(s, i, v->i);
    else sqlite3_bind_null(s, i);
}

static int step_done(imp *im, sqlite3_stmt *s, const char *what)
{
    /* every statement has all its parameters bound before each step: no clear_bindings */
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? PN_OK : db_fail(im, what);
}

/* A keyless row (event, alteration) or a quarantine entry, as the reading thread hands it to
 * the writing thread (import_pipe.h). Text fields live in the batch's text area. */
enum { KREC_EVENT = 1, KREC_ALTERATION = 2, KREC_QUARANTINE = 3 };
#define KREC_TEXTS 5
typedef struct krec {
    uint8_t kind, has_key, has_tid, has_date, warning;
    long line;
    int64_t pid, tid, date, type;
    uint64_t h;
    size_t off[KREC_TEXTS];
    uint32_t len[KREC_TEXTS];
    uint8_t present[KREC_TEXTS];
    unsigned char key[16];
} krec;

static void krec_text(imp *im, krec *r, int slot, const char *s, size_t len, int present)
{
    r->present[slot] = (uint8_t)present;
    r->len[slot] = (uint32_t)len;
    r->off[slot] = present ? pn__pipe_text(im->pipe, s, len) : 0;
}

/* Write one quarantine entry (idempotent: the same entry twice is kept once). */
static int quarantine_write(imp *im, long line, const char *field, size_t flen, const char *reason,
                            size_t rlen, const char *severity, const unsigned char *key)
{
    sqlite3_stmt *s = im->q_ins;
    sqlite3_bind_int64(s, 1, im->source);
    sqlite3_bind_int64(s, 2, im->run);
    sqlite3_bind_text(s, 3, im->spec ? im->spec->file : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, line);
    sqlite3_bind_text(s, 5, field, (int)flen, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, reason, (int)rlen, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, severity, -1, SQLITE_STATIC);
    if (key) sqlite3_bind_blob(s, 8, key, 16, SQLITE_STATIC);
    else sqlite3_bind_null(s, 8);
    if (strcmp(severity, "error") == 0) im->stats->quarantined++;
    else im->stats->warnings++;
    return step_done(im, s, "writing the quarantine");
}

/* Record one quarantine entry: written now, or queued behind the rows before it. */
static int quarantine_at(imp *im, long line, const char *field, const char *severity,
                         const unsigned char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int quarantine_at(imp *im, long line, const char *field, const char *severity,
                         const unsigned char *key, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    size_t flen = strlen(field), rlen = strlen(reason);
    if (im->pipe == NULL) return quarantine_write(im, line, field, flen, reason, rlen, severity, key);
    krec *r = pn__pipe_reserve(im->pipe, flen + rlen);
    if (r == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "import: cannot queue a row");
    r->kind = KREC_QUARANTINE;
    r->line = line;
    krec_text(im, r, 0, field, flen, 1);
    krec_text(im, r, 1, reason, rlen, 1);
    r->warning = strcmp(severity, "error") != 0;
    if (key) {
        r->has_key = 1;
        memcpy(r->key, key, 16);
    }
    return PN_OK;
}

/* A row written (inserted or replaced) replaces what earlier runs quarantined for it: the same
 * key (keyed files) or the same line (files whose rows have no identifier of their own). Rows
 * found unchanged remove nothing. */
static int unquarantine_line(imp *im, const unsigned char *key, long line)
{
    if (!im->old_quarantine) return PN_OK;
    sqlite3_stmt *s = key ? im->q_del_key : im->q_del_line;
    sqlite3_bind_int64(s, 1, im->source);
    sqlite3_bind_text(s, 2, im->spec->file, -1, SQLITE_STATIC);
    if (key) sqlite3_bind_blob(s, 3, key, 16, SQLITE_STATIC);
    else sqlite3_bind_int64(s, 3, line);
    sqlite3_bind_int64(s, 4, im->run);
    return step_done(im, s, "updating the quarantine");
}

static int unquarantine(imp *im, const unsigned char *key) { return unquarantine_line(im, key, im->line); }

/* A short, printable echo of a field value for a reason (never used for identifiers). */
static const char *echo(const fval *v, char *buf, size_t cap)
{
    size_t n = v->len < cap - 4 ? v->len : cap - 4;
    while (n > 0 && n < v->len && ((unsigned char)v->s[n] & 0xC0) == 0x80) n--;
    memcpy(buf, v->s, n);
    if (n < v->len) memcpy(buf + n, "...", 4);
    else buf[n] = '\0';
    int utf8 = pn_utf8_valid(buf, n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)buf[i] < 0x20 || (!utf8 && (unsigned char)buf[i] >= 0x80)) buf[i] = '?';
    return buf;
}

/* Keyed fingerprint of the row's spec columns, in spec order (column order in files is free). */
static int row_hash(imp *im, const fval *v, uint64_t *out)
{
    size_t need = 0;
    for (int c = 0; c < im->spec->ncols; c++) need += v[c].len + 1;
    if (need > im->hcap) {
        size_t cap = im->hcap;
        if (pn_grow((void **)&im->hbuf, &cap, need, 1) != PN_OK)
            return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        im->hcap = cap;
    }
    size_t n = 0;
    for (int c = 0; c < im->spec->ncols; c++) {
        if (v[c].present) memcpy(im->hbuf + n, v[c].s, v[c].len), n += v[c].len;
        im->hbuf[n++] = '\x1f';
    }
    *out = pn_keyed_hash64(&im->st->key, im->hbuf, n);
    return PN_OK;
}

/* ---- field checks ----------------------------------------------------------------------- */

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Check field c of the current row; returns 1 when it is good, 0 after quarantining it, or a
 * negative code on a database error. */
static int check_field(imp *im, int c, fval *v, const unsigned char *key)
{
    const colspec *cs = &im->spec->cols[c];
    char e[64];
    long line = im->line;
    if (!v->present) {
        if (!cs->required) return 1;
        int rc = quarantine_at(im, line, cs->name, "error", key, "required field is empty");
        return rc < 0 ? rc : 0;
    }
    int rc = PN_OK;
    /* the other kinds are parsed strictly as ASCII, which refuses any other byte */
    if ((cs->kind == K_TEXT || cs->kind == K_ID) && !pn_utf8_valid(v->s, v->len)) {
        rc = quarantine_at(im, line, cs->name, "error", key,
                           "not valid UTF-8 (the file must be encoded in UTF-8)");
        return rc < 0 ? rc : 0;
    }
    switch (cs->kind) {
    case K_TEXT:
        return 1;
    case K_ID:
        if (v->len > 200)
            rc = quarantine_at(im, line, cs->name, "error", key, "identifier longer than 200 bytes");
        else return 1;
        break;
    case K_DATE: case K_DATE_YM: {
        int32_t days;
        int prec = PN_DATE_DAY;
        if (pn_date_parse(v->s, v->len, cs->kind == K_DATE_YM, &days, &prec) != PN_OK) {
            rc = quarantine_at(im, line, cs->name, "error", key, "'%s' is not a date (%s)",
                               echo(v, e, sizeof e),
                               cs->kind == K_DATE_YM ? "YYYY-MM-DD or YYYY-MM" : "YYYY-MM-DD");
        } else if (days > im->today) {
            /* the reason does not name today's date, so that a re-import on another day
             * finds the same entry */
            rc = quarantine_at(im, line, cs->name, "error", key, "date in the future: %s",
                               echo(v, e, sizeof e));
        } else {
            v->i = days;
            v->prec = prec;
            return 1;
        }
        break;
    }
    case K_ENUM:
        for (int k = 0; cs->values[k]; k++)
            if (strlen(cs->values[k]) == v->len && memcmp(cs->values[k], v->s, v->len) == 0) {
                v->i = k;
                return 1;
            }
        if (cs->values == pn__event_types)
            rc = quarantine_at(im, line, cs->name, "error", key,
                               "'%s' is not an event type of the bundle format",
                               echo(v, e, sizeof e));
        else {
            char list[160] = "";
            size_t n = 0;
            for (int k = 0; cs->values[k] && n < sizeof list; k++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "", cs->values[k]);
            rc = quarantine_at(im, line, cs->name, "error", key, "'%s' is not one of %s",
                               echo(v, e, sizeof e), list);
        }
        break;
    case K_SEX:
        if (v->len == 1 && (v->s[0] == 'M' || v->s[0] == 'F')) {
            v->i = v->s[0] == 'M' ? 1 : 2;
            return 1;
        }
        rc = quarantine_at(im, line, cs->name, "error", key, "'%s' is not M or F",
                           echo(v, e, sizeof e));
        break;
    case K_ICD10:
        if (pn_icd10_valid(v->s, v->len)) return 1;
        rc = quarantine_at(im, line, cs->name, "error", key, "'%s' is not an ICD-10 code",
                           echo(v, e, sizeof e));
        break;
    case K_TOPO:
        if (pn_topography_valid(v->s, v->len)) return 1;
        rc = quarantine_at(im, line, cs->name, "error", key,
                           "'%s' is not an ICD-O-3 topography code", echo(v, e, sizeof e));
        break;
    case K_MORPH:
        if (pn_morphology_valid(v->s, v->len)) return 1;
        rc = quarantine_at(im, line, cs->name, "error", key,
                           "'%s' is not an ICD-O-3 morphology code (NNNN/B)", echo(v, e, sizeof e));
        break;
    case K_DEP:
        if (pn_departement_valid(v->s, v->len)) return 1;
        rc = quarantine_at(im, line, cs->name, "error", key, "'%s' is not a département code",
                           echo(v, e, sizeof e));
        break;
    case K_COUNT: case K_POSINT:
        if (pn_parse_int64(v->s, v->len, &v->i) == PN_OK && v->i >= (cs->kind == K_POSINT))
            return 1;
        rc = quarantine_at(im, line, cs->name, "error", key, "'%s' is not a %s integer",
                           echo(v, e, sizeof e), cs->kind == K_POSINT ? "positive" : "non-negative");
        break;
    case K_NUM:
        if (pn_parse_double(v->s, v->len, &v->d) == PN_OK && v->d >= 0) return 1;
        rc = quarantine_at(im, line, cs->name, "error", key, "'%s' is not a non-negative number",
                           echo(v, e, sizeof e));
        break;
    case K_FINESS: {
        int ok = v->len == 9;
        for (size_t k = 0; ok && k < v->len; k++) ok = is_alnum(v->s[k]);
        if (ok) return 1;
        rc = quarantine_at(im, line, cs->name, "error", key,
                           "'%s' is not a FINESS number (9 characters)", echo(v, e, sizeof e));
        break;
    }
    }
    return rc < 0 ? rc : 0;
}

/* ---- references ------------------------------------------------------------------------- */

static void patient_key(imp *im, const fval *id, unsigned char out[16])
{
    if (id->len < sizeof im->last_pid && id->len == im->last_pid_len &&
        memcmp(id->s, im->last_pid, id->len) == 0) {
        memcpy(out, im->last_pkey, 16);
        return;
    }
    pn_pseudonym(&im->st->key, "patient", id->s, id->len, out);
    if (id->len < sizeof im->last_pid) {
        memcpy(im->last_pid, id->s, id->len);
        im->last_pid_len = id->len;
        memcpy(im->last_pkey, out, 16);
    }
}

/* Tumour identifiers are a source's own numbering: the pseudonym includes the source. */
static void tumour_key(imp *im, const fval *id, unsigned char out[16])
{
    if (id->len < sizeof im->last_tid && id->len == im->last_tid_len &&
        memcmp(id->s, im->last_tid, id->len) == 0) {
        memcpy(out, im->last_tkey, 16);
        return;
    }
    char buf[512];
    size_t sl = strlen(im->source_name);
    if (sl + 1 + id->len > sizeof buf) sl = sizeof buf - 1 - id->len; /* ids are <= 200 bytes */
    memcpy(buf, im->source_name, sl);
    buf[sl] = '\0';
    memcpy(buf + sl + 1, id->s, id->len);
    pn_pseudonym(&im->st->key, "tumour", buf, sl + 1 + id->len, out);
    if (id->len < sizeof im->last_tid) {
        memcpy(im->last_tid, id->s, id->len);
        im->last_tid_len = id->len;
        memcpy(im->last_tkey, out, 16);
    }
}

/* The loaded patient `id` refers to, or NULL after quarantining the row (*rc says whether that
 * failed). */
static const pn__entry *ref_patient(imp *im, const fval *id, const unsigned char *row_key, int *rc)
{
    unsigned char k[16];
    patient_key(im, id, k);
    const pn__entry *p;
    if (im->last_pentry != NULL && im->last_pentry_count == im->pmap.count &&
        memcmp(im->last_pentry->key, k, 16) == 0)
        p = im->last_pentry; /* no insert since: the pointer is still good */
    else p = pn__map_find(&im->pmap, k);
    im->last_pentry = p;
    im->last_pentry_count = im->pmap.count;
    if (p != NULL && p->state == PN__ENTRY_LOADED) return p;
    *rc = quarantine_at(im, im->line, "patient_id", "error", row_key,
                        p ? "refers to a quarantined patient" : "unknown patient_id");
    return NULL;
}

/* Optional tumour reference: *tid 0 when absent; returns 0 after quarantining a bad one. */
static int ref_tumour(imp *im, const fval *id, const pn__entry *patient, int64_t *tid, int *rc)
{
    *tid = 0;
    if (!id->present) return 1;
    unsigned char k[16];
    tumour_key(im, id, k);
    const pn__entry *t;
    if (im->last_tentry != NULL && im->last_tentry_count == im->tmap.count &&
        memcmp(im->last_tentry->key, k, 16) == 0)
        t = im->last_tentry; /* no insert since: the pointer is still good */
    else t = pn__map_find(&im->tmap, k);
    im->last_tentry = t;
    im->last_tentry_count = im->tmap.count;
    const char *why = NULL;
    if (t == NULL) why = "unknown tumour_id";
    else if (t->state != PN__ENTRY_LOADED) why = "refers to a quarantined tumour";
    else if (t->ref != patient->id) why = "tumour_id belongs to another patient";
    if (why) {
        *rc = quarantine_at(im, im->line, "tumour_id", "error", NULL, "%s", why);
        return 0;
    }
    *tid = t->id;
    return 1;
}

/* ---- row handlers ----------------------------------------------------------------------- */

static int patient_row(imp *im, fval *v, const unsigned char *key)
{
    int32_t birth = (int32_t)v[P_BIRTH].i;
    if (v[P_BIRTH].prec == PN_DATE_MONTH) birth -= 14; /* the 15th -> the 1st */
    if (v[P_VSDATE].i < birth) {
        pn__entry *q = pn__map_insert(&im->pmap, key);
        if (q == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        if (q->state == PN__ENTRY_NEW) q->state = PN__ENTRY_QUARANTINED;
        return quarantine_at(im, im->line, "vital_status_date", "error", key,
                             "vital_status_date is before birth_date");
    }
    uint64_t h;
    int rc = row_hash(im, v, &h);
    if (rc != PN_OK) return rc;
    pn__entry *p = pn__map_insert(&im->pmap, key);
    if (p == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
    sqlite3_stmt *s;
    if (p->state == PN__ENTRY_LOADED) {
        if (p->h == h) {
            /* seen in this run: a later row with other content is a duplicate */
            if (p->line == 0) p->line = (int32_t)im->line;
            im->stats->unchanged++;
            return PN_OK;
        }
        if (p->line > 0)
            return quarantine_at(im, im->line, "patient_id", "error", key,
                                 "duplicate patient_id with different content (first at line %ld)",
                                 (long)p->line);
        if (p->source != im->source) {
            /* the same person from another source: identity must agree; keep the latest
             * vital status */
            if (p->sex != v[P_SEX].i || p->date1 != birth)
                return quarantine_at(im, im->line, p->sex != v[P_SEX].i ? "sex" : "birth_date",
                                     "error", key,
                                     "differs from the same patient already loaded from another "
                                     "source");
            if (v[P_VSDATE].i <= p->date2) {
                im->stats->unchanged++;
                return PN_OK;
            }
            s = im->p_vs;
            sqlite3_bind_int64(s, 1, v[P_VS].i);
            sqlite3_bind_int64(s, 2, v[P_VSDATE].i);
            bind_text(s, 3, &v[P_CAUSE]);
            sqlite3_bind_int64(s, 4, im->run);
            sqlite3_bind_int64(s, 5, p->id);
            if ((rc = step_done(im, s, "updating a patient")) != PN_OK) return rc;
            p->flag = (uint8_t)v[P_VS].i;
            p->date2 = (int32_t)v[P_VSDATE].i;
            p->line = (int32_t)im->line;
            im->stats->loaded++;
            return unquarantine(im, key);
        }
        s = im->p_upd; /* a newer extract of the same source */
    } else {
        s = im->p_ins;
    }
    sqlite3_bind_int64(s, 1, (int64_t)h);
    sqlite3_bind_int64(s, 2, v[P_SEX].i);
    sqlite3_bind_int64(s, 3, v[P_BIRTH].i);
    sqlite3_bind_int(s, 4, v[P_BIRTH].prec);
    bind_text(s, 5, &v[P_RES]);
    sqlite3_bind_int64(s, 6, v[P_VS].i);
    sqlite3_bind_int64(s, 7, v[P_VSDATE].i);
    bind_text(s, 8, &v[P_CAUSE]);
    sqlite3_bind_int64(s, 9, im->source);
    sqlite3_bind_int64(s, 10, im->run);
    if (s == im->p_upd) sqlite3_bind_int64(s, 11, p->id);
    else sqlite3_bind_blob(s, 11, key, 16, SQLITE_STATIC);
    if ((rc = step_done(im, s, "writing a patient")) != PN_OK) return rc;
    if (s == im->p_ins) p->id = sqlite3_last_insert_rowid(im->db);
    p->state = PN__ENTRY_LOADED;
    p->h = h;
    p->sex = (uint8_t)v[P_SEX].i;
    p->date1 = birth;
    p->date2 = (int32_t)v[P_VSDATE].i;
    p->flag = (uint8_t)v[P_VS].i;
    p->line = (int32_t)im->line;
    p->source = im->source;
    im->stats->loaded++;
    return unquarantine(im, key);
}

static int tumour_row(imp *im, fval *v, const unsigned char *key)
{
    int rc = PN_OK;
    const char *why = NULL, *field = "diagnosis_date";
    const pn__entry *p = NULL;
    if (!v[T_ICD10].present && !v[T_TOPO].present) {
        field = "icd10";
        why = "icd10 or topography is required";
    } else if ((p = ref_patient(im, &v[T_PID], key, &rc)) == NULL) {
        why = "";
    } else if (v[T_DIAG].i < p->date1) {
        why = "diagnosis before birth";
    } else if (v[T_DIAG].i > p->date2) {
        why = p->flag ? "death before diagnosis (the patient's vital_status_date is earlier)"
                      : "diagnosis after the date the patient was last known alive";
    }
    if (why != NULL) {
        pn__entry *q = pn__map_insert(&im->tmap, key);
        if (q == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        if (q->state == PN__ENTRY_NEW) q->state = PN__ENTRY_QUARANTINED;
        if (why[0] == '\0') return rc; /* ref_patient quarantined it */
        return quarantine_at(im, im->line, field, "error", key, "%s", why);
    }
    uint64_t h;
    if ((rc = row_hash(im, v, &h)) != PN_OK) return rc;
    pn__entry *t = pn__map_insert(&im->tmap, key);
    if (t == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
    sqlite3_stmt *s = im->t_ins;
    if (t->state == PN__ENTRY_LOADED) {
        if (t->h == h) {
            if (t->line == 0) t->line = (int32_t)im->line;
            im->stats->unchanged++;
            return PN_OK;
        }
        if (t->line > 0)
            return quarantine_at(im, im->line, "tumour_id", "error", key,
                                 "duplicate tumour_id with different content (first at line %ld)",
                                 (long)t->line);
        s = im->t_upd;
    }
    int site = pn_site_classify(v[T_ICD10].present ? v[T_ICD10].s : NULL,
                                v[T_TOPO].present ? v[T_TOPO].s : NULL,
                                v[T_MORPH].present ? v[T_MORPH].s : NULL);
    sqlite3_bind_int64(s, 1, (int64_t)h);
    sqlite3_bind_int64(s, 2, p->id);
    sqlite3_bind_int64(s, 3, v[T_DIAG].i);
    bind_text(s, 4, &v[T_ICD10]);
    bind_text(s, 5, &v[T_TOPO]);
    bind_text(s, 6, &v[T_MORPH]);
    bind_text(s, 7, &v[T_SSYS]);
    bind_text(s, 8, &v[T_STAGE]);
    bind_text(s, 9, &v[T_CENTRE]);
    sqlite3_bind_int(s, 10, site);
    sqlite3_bind_int64(s, 11, im->source);
    sqlite3_bind_int64(s, 12, im->run);
    if (s == im->t_upd) sqlite3_bind_int64(s, 13, t->id);
    else sqlite3_bind_blob(s, 13, key, 16, SQLITE_STATIC);
    if ((rc = step_done(im, s, "writing a tumour")) != PN_OK) return rc;
    if (s == im->t_ins) t->id = sqlite3_last_insert_rowid(im->db);
    t->state = PN__ENTRY_LOADED;
    t->h = h;
    t->ref = p->id;
    t->date1 = (int32_t)v[T_DIAG].i;
    t->line = (int32_t)im->line;
    t->source = im->source;
    im->stats->loaded++;
    return unquarantine(im, key);
}

/* Insert a keyless row (events, alterations) unless the same content is already stored. */
static int insert_keyless(imp *im, sqlite3_stmt *s, const char *what, long line)
{
    int rc = step_done(im, s, what);
    if (rc != PN_OK) return rc;
    if (sqlite3_changes(im->db) == 0) {
        im->stats->unchanged++;
        return PN_OK;
    }
    im->stats->loaded++;
    return unquarantine_line(im, NULL, line);
}

static int event_row(imp *im, fval *v, const unsigned char *key)
{
    (void)key;
    int rc = PN_OK;
    const pn__entry *p = ref_patient(im, &v[E_PID], NULL, &rc);
    if (p == NULL) return rc;
    int64_t tid;
    if (!ref_tumour(im, &v[E_TID], p, &tid, &rc)) return rc;
    if (v[E_DATE].i < p->date1) return quarantine_at(im, im->line, "date", "error", NULL,
                                                     "event date before birth");
    uint64_t h;
    if ((rc = row_hash(im, v, &h)) != PN_OK) return rc;
    krec *r = pn__pipe_reserve(im->pipe, v[E_CENTRE].len + v[E_CODE].len + v[E_DETAIL].len);
    if (r == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "import: cannot queue a row");
    r->kind = KREC_EVENT;
    r->line = im->line;
    r->pid = p->id;
    r->h = h;
    r->date = v[E_DATE].i;
    r->type = v[E_TYPE].i;
    r->tid = tid;
    r->has_tid = tid != 0;
    krec_text(im, r, 0, v[E_CENTRE].s, v[E_CENTRE].len, v[E_CENTRE].present);
    krec_text(im, r, 1, v[E_CODE].s, v[E_CODE].len, v[E_CODE].present);
    krec_text(im, r, 2, v[E_DETAIL].s, v[E_DETAIL].len, v[E_DETAIL].present);
    return PN_OK;
}

static int alteration_row(imp *im, fval *v, const unsigned char *key)
{
    (void)key;
    int rc = PN_OK;
    const pn__entry *p = ref_patient(im, &v[A_PID], NULL, &rc);
    if (p == NULL) return rc;
    int64_t tid;
    if (!ref_tumour(im, &v[A_TID], p, &tid, &rc)) return rc;
    uint64_t h;
    if ((rc = row_hash(im, v, &h)) != PN_OK) return rc;
    krec *r = pn__pipe_reserve(im->pipe, v[A_GENE].len + v[A_ALT].len + v[A_PARTNER].len +
                                             v[A_PLATFORM].len);
    if (r == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "import: cannot queue a row");
    r->kind = KREC_ALTERATION;
    r->line = im->line;
    r->pid = p->id;
    r->h = h;
    r->tid = tid;
    r->has_tid = tid != 0;
    r->date = v[A_DATE].i;
    r->has_date = (uint8_t)v[A_DATE].present;
    krec_text(im, r, 0, v[A_GENE].s, v[A_GENE].len, v[A_GENE].present);
    krec_text(im, r, 1, v[A_ALT].s, v[A_ALT].len, v[A_ALT].present);
    krec_text(im, r, 2, v[A_PARTNER].s, v[A_PARTNER].len, v[A_PARTNER].present);
    krec_text(im, r, 3, v[A_PLATFORM].s, v[A_PLATFORM].len, v[A_PLATFORM].present);
    return PN_OK;
}

/* The writing thread: bind and insert each queued row, in file order. */
static void bind_krec_text(sqlite3_stmt *s, int i, const krec *r, int slot, const char *text)
{
    if (r->present[slot]) sqlite3_bind_text(s, i, text + r->off[slot], (int)r->len[slot], SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}

enum { EVENTS_PER_INSERT = 16 };

/* Bind an event's 9 values from parameter `base` + 1 on. */
static void bind_event(sqlite3_stmt *s, int base, const krec *r, int64_t run, const char *text)
{
    sqlite3_bind_int64(s, base + 1, r->pid);
    sqlite3_bind_int64(s, base + 2, (int64_t)r->h);
    sqlite3_bind_int64(s, base + 3, r->date);
    sqlite3_bind_int64(s, base + 4, r->type);
    if (r->has_tid) sqlite3_bind_int64(s, base + 5, r->tid);
    else sqlite3_bind_null(s, base + 5);
    bind_krec_text(s, base + 6, r, 0, text);
    bind_krec_text(s, base + 7, r, 1, text);
    bind_krec_text(s, base + 8, r, 2, text);
    sqlite3_bind_int64(s, base + 9, run);
}

static int write_krecs(void *ctx, const void *records, size_t n, const char *text)
{
    imp *im = ctx;
    const krec *rs = records;
    int rc = PN_OK;
    for (size_t i = 0; i < n && rc == PN_OK; i++) {
        const krec *r = &rs[i];
        sqlite3_stmt *s;
        switch (r->kind) {
        case KREC_QUARANTINE:
            rc = quarantine_write(im, r->line, text + r->off[0], r->len[0], text + r->off[1],
                                  r->len[1], r->warning ? "warning" : "error",
                                  r->has_key ? r->key : NULL);
            break;
        case KREC_EVENT:
            if (!im->old_quarantine && i + EVENTS_PER_INSERT <= n) {
                /* a run of events in one statement (no quarantine to update per line) */
                size_t k = 0;
                while (k < EVENTS_PER_INSERT && rs[i + k].kind == KREC_EVENT) k++;
                if (k == EVENTS_PER_INSERT) {
                    s = im->e_ins_many;
                    for (k = 0; k < EVENTS_PER_INSERT; k++) bind_event(s, (int)(9 * k), &rs[i + k], im->run, text);
                    rc = step_done(im, s, "writing events");
                    int added = sqlite3_changes(im->db);
                    im->stats->loaded += added;
                    im->stats->unchanged += EVENTS_PER_INSERT - added;
                    i += EVENTS_PER_INSERT - 1;
                    break;
                }
            }
            s = im->e_ins;
            bind_event(s, 0, r, im->run, text);
            rc = insert_keyless(im, s, "writing an event", r->line);
            break;
        case KREC_ALTERATION:
            s = im->a_ins;
            sqlite3_bind_int64(s, 1, r->pid);
            sqlite3_bind_int64(s, 2, (int64_t)r->h);
            if (r->has_tid) sqlite3_bind_int64(s, 3, r->tid);
            else sqlite3_bind_null(s, 3);
            bind_krec_text(s, 4, r, 0, text);
            bind_krec_text(s, 5, r, 1, text);
            bind_krec_text(s, 6, r, 2, text);
            bind_krec_text(s, 7, r, 3, text);
            if (r->has_date) sqlite3_bind_int64(s, 8, r->date);
            else sqlite3_bind_null(s, 8);
            sqlite3_bind_int64(s, 9, im->run);
            rc = insert_keyless(im, s, "writing an alteration", r->line);
            break;
        }
    }
    return rc;
}

/* Rows keyed by a natural key looked up in SQL (lines, centres, territories, trials): `sel` has
 * its key bound and returns (h, run). Returns 1 when `put` should write the row, 0 when it is
 * unchanged or was quarantined as a duplicate, or a negative code. */
static int keyed_state(imp *im, sqlite3_stmt *sel, uint64_t h, const char *keyfield, long line)
{
    int step = sqlite3_step(sel);
    int64_t old_h = 0, old_run = 0;
    if (step == SQLITE_ROW) {
        old_h = sqlite3_column_int64(sel, 0);
        old_run = sqlite3_column_int64(sel, 1);
    }
    sqlite3_reset(sel);
    if (step != SQLITE_ROW && step != SQLITE_DONE) return db_fail(im, "reading the store");
    if (step == SQLITE_DONE) return 1;
    if ((uint64_t)old_h == h) {
        im->stats->unchanged++;
        return 0;
    }
    if (old_run == im->run) {
        int rc = quarantine_at(im, line, keyfield, "error", NULL,
                               "duplicate %s with different content", keyfield);
        return rc < 0 ? rc : 0;
    }
    return 1; /* a newer extract replaces the stored row */
}

static int put_done(imp *im, sqlite3_stmt *put, const char *what)
{
    int rc = step_done(im, put, what);
    if (rc != PN_OK) return rc;
    im->stats->loaded++;
    return unquarantine(im, NULL);
}

static int line_row(imp *im, fval *v, const unsigned char *key)
{
    (void)key;
    int rc = PN_OK;
    const pn__entry *p = ref_patient(im, &v[L_PID], NULL, &rc);
    if (p == NULL) return rc;
    if (v[L_END].present && v[L_END].i < v[L_START].i)
        return quarantine_at(im, im->line, "end_date", "error", NULL, "end_date before start_date");
    uint64_t h;
    if ((rc = row_hash(im, v, &h)) != PN_OK) return rc;
    sqlite3_bind_int64(im->l_sel, 1, p->id);
    sqlite3_bind_int64(im->l_sel, 2, v[L_LINE].i);
    if ((rc = keyed_state(im, im->l_sel, h, "line", im->line)) <= 0) return rc;
    sqlite3_stmt *s = im->l_put;
    sqlite3_bind_int64(s, 1, p->id);
    sqlite3_bind_int64(s, 2, v[L_LINE].i);
    sqlite3_bind_int64(s, 3, (int64_t)h);
    sqlite3_bind_int64(s, 4, v[L_START].i);
    bind_opt_int(s, 5, &v[L_END]);
    bind_text(s, 6, &v[L_REGIMEN]);
    bind_text(s, 7, &v[L_REASON]);
    sqlite3_bind_int64(s, 8, im->source);
    sqlite3_bind_int64(s, 9, im->run);
    return put_done(im, s, "writing a treatment line");
}

static int centre_row(imp *im, fval *v, const unsigned char *key)
{
    (void)key;
    uint64_t h;
    int rc = row_hash(im, v, &h);
    if (rc != PN_OK) return rc;
    bind_text(im->c_sel, 1, &v[C_ID]);
    if ((rc = keyed_state(im, im->c_sel, h, "centre_id", im->line)) <= 0) return rc;
    sqlite3_stmt *s = im->c_put;
    bind_text(s, 1, &v[C_ID]);
    sqlite3_bind_int64(s, 2, (int64_t)h);
    bind_text(s, 3, &v[C_NAME]);
    bind_text(s, 4, &v[C_DEP]);
    bind_text(s, 5, &v[C_AUTH]);
    bind_text(s, 6, &v[C_NET]);
    sqlite3_bind_int64(s, 7, im->source);
    sqlite3_bind_int64(s, 8, im->run);
    return put_done(im, s, "writing a centre");
}

static int territory_row(imp *im, fval *v, const unsigned char *key)
{
    (void)key;
    uint64_t h;
    int rc = row_hash(im, v, &h);
    if (rc != PN_OK) return rc;
    bind_text(im->r_sel, 1, &v[R_DEP]);
    if ((rc = keyed_state(im, im->r_sel, h, "departement", im->line)) <= 0) return rc;
    sqlite3_stmt *s = im->r_put;
    bind_text(s, 1, &v[R_DEP]);
    sqlite3_bind_int64(s, 2, (int64_t)h);
    bind_text(s, 3, &v[R_NAME]);
    bind_text(s, 4, &v[R_REGION]);
    sqlite3_bind_int64(s, 5, v[R_POP].i);
    bind_opt_int(s, 6, &v[R_MRI]);
    bind_opt_int(s, 7, &v[R_CT]);
    bind_opt_int(s, 8, &v[R_PET]);
    if (v[R_WAIT].present) sqlite3_bind_double(s, 9, v[R_WAIT].d);
    else sqlite3_bind_null(s, 9);
    sqlite3_bind_int64(s, 10, im->source);
    sqlite3_bind_int64(s, 11, im->run);
    return put_done(im, s, "writing a territory");
}

static const filespec files[] = {
    {"territories.csv", 0, territory_cols, R_N, 0, territory_row},
    {"centres.csv", 0, centre_cols, C_N, 0, centre_row},
    {"patients.csv", 1, patient_cols, P_N, 1, patient_row},
    {"tumours.csv", 1, tumour_cols, T_N, 1, tumour_row},
    {"events.csv", 0, event_cols, E_N, 0, event_row},
    {"alterations.csv", 0, alteration_cols, A_N, 0, alteration_row},
    {"lines.csv", 0, line_cols, L_N, 0, line_row},
};
#define NFILES (sizeof files / sizeof *files)

/* ---- files ------------------------------------------------------------------------------ */

/* The text of a CSV diagnostic without its "file:line: " prefix. */
static const char *reason_of(const pn_diag *d, const char *name)
{
    const char *m = d->msg;
    size_t n = strlen(name);
    if (strncmp(m, name, n) == 0) {
        m += n;
        if (*m == ':') m++;
        while (*m >= '0' && *m <= '9') m++;
        if (*m == ':') m++;
        while (*m == ' ') m++;
    }
    return m;
}

/* The column name quoted in a "column 'X' appears twice" message. */
static void quoted_name(const char *msg, char *out, size_t cap)
{
    const char *a = strchr(msg, '\''), *b = a ? strchr(a + 1, '\'') : NULL;
    out[0] = '\0';
    if (a && b && (size_t)(b - a - 1) < cap) {
        memcpy(out, a + 1, (size_t)(b - a - 1));
        out[b - a - 1] = '\0';
    }
}

static int has_old_quarantine(imp *im)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(im->st,
        "SELECT 1 FROM quarantine WHERE source = ?1 AND file = ?2 AND severity = 'error' LIMIT 1",
        &s, im->diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_int64(s, 1, im->source);
    sqlite3_bind_text(s, 2, im->spec->file, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    sqlite3_finalize(s);
    if (step != SQLITE_ROW && step != SQLITE_DONE) return db_fail(im, "reading the quarantine");
    return step == SQLITE_ROW;
}

static int import_file(imp *im, const char *dir, const filespec *spec)
{
    char path[4096];
    im->spec = spec;
    im->line = 0;
    if (snprintf(path, sizeof path, "%s/%s", dir, spec->file) >= (int)sizeof path)
        return pn_diag_set(im->diag, PN_EINVAL, "%s: path too long", dir);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (!spec->required) return PN_OK;
        return quarantine_at(im, 0, "", "error", NULL, "required file is missing");
    }
    pn_diag d = {0};
    pn_csv_opts o = {0};
    int rc = pn_csv_open(&im->csv, path, &o, &d);
    if (rc != PN_OK) {
        char col[128] = "";
        if (rc == PN_EDUP) {
            quoted_name(d.msg, col, sizeof col);
            return quarantine_at(im, 1, col, "error", NULL,
                                 "column appears twice in the header; file not loaded");
        }
        if (rc == PN_EEMPTY) return quarantine_at(im, 0, "", "error", NULL, "empty file (no header row)");
        if (rc == PN_ENOMEM) return pn_diag_set(im->diag, rc, "out of memory");
        return quarantine_at(im, rc == PN_EIO ? 0 : 1, "", "error", NULL, "%s; file not loaded",
                             reason_of(&d, path));
    }
    if ((rc = has_old_quarantine(im)) < 0) goto done;
    im->old_quarantine = rc;
    /* header: required columns, unknown columns */
    int missing = 0;
    for (int c = 0; c < spec->ncols; c++) {
        im->colidx[c] = pn_csv_find(im->csv, spec->cols[c].name);
        if (im->colidx[c] < 0 && spec->cols[c].required) {
            missing = 1;
            if ((rc = quarantine_at(im, 1, spec->cols[c].name, "error", NULL,
                                    "required column is missing; file not loaded")) != PN_OK)
                goto done;
        }
    }
    if (spec->row == tumour_row && im->colidx[T_ICD10] < 0 && im->colidx[T_TOPO] < 0) {
        missing = 1;
        if ((rc = quarantine_at(im, 1, "icd10", "error", NULL,
                                "neither icd10 nor topography column; file not loaded")) != PN_OK)
            goto done;
    }
    for (size_t k = 0; k < pn_csv_ncols(im->csv); k++) {
        const char *name = pn_csv_colname(im->csv, k);
        int known = 0;
        for (int c = 0; c < spec->ncols && !known; c++) known = strcmp(name, spec->cols[c].name) == 0;
        if (!known && (rc = quarantine_at(im, 1, name, "warning", NULL,
                                          "unknown column, ignored")) != PN_OK)
            goto done;
    }
    if (missing) { rc = PN_OK; goto done; }
    if ((spec->row == event_row || spec->row == alteration_row) &&
        (rc = pn__pipe_start(&im->pipe, sizeof(krec), write_krecs, im)) != PN_OK) {
        rc = pn_diag_set(im->diag, rc, "cannot start the import's writing thread");
        goto done;
    }
    long rows = 0;
    fval v[MAXCOLS];
    for (;;) {
        int r = pn_csv_next(im->csv, &d);
        if (r == 0) break;
        im->line = pn_csv_line(im->csv);
        if (r < 0) {
            if (r == PN_ENOMEM) { rc = pn_diag_set(im->diag, r, "out of memory"); goto done; }
            rows++;
            im->stats->read++;
            /* a malformed row; the reader resumes after it except at a broken end of file */
            int fatal = strstr(d.msg, "unterminated") != NULL || r == PN_ETOOBIG || r == PN_EIO;
            long at = fatal ? im->line + 1 : im->line;
            if (fatal) {
                /* the message names the line where the bad row starts */
                const char *m = d.msg + strlen(path);
                if (*m == ':') at = strtol(m + 1, NULL, 10);
            }
            if ((rc = quarantine_at(im, at, "", "error", NULL, "%s%s", reason_of(&d, path),
                                    fatal ? "; the rest of the file is not loaded" : "")) != PN_OK)
                goto done;
            if (fatal) break;
            continue;
        }
        rows++;
        im->stats->read++;
        if (pn_csv_nfields(im->csv) != pn_csv_ncols(im->csv)) {
            if ((rc = quarantine_at(im, im->line, "", "error", NULL,
                                    "row has %zu fields, header has %zu", pn_csv_nfields(im->csv),
                                    pn_csv_ncols(im->csv))) != PN_OK)
                goto done;
            continue;
        }
        for (int c = 0; c < spec->ncols; c++) {
            fval *f = &v[c];
            memset(f, 0, sizeof *f);
            if (im->colidx[c] < 0) continue;
            f->s = pn_csv_field(im->csv, (size_t)im->colidx[c], &f->len);
            f->present = !pn_csv_missing(im->csv, (size_t)im->colidx[c]);
        }
        unsigned char key[16], *kp = NULL;
        if (spec->keyed && v[0].present && v[0].len <= 200 && pn_utf8_valid(v[0].s, v[0].len)) {
            if (spec->row == patient_row) patient_key(im, &v[0], key);
            else tumour_key(im, &v[0], key);
            kp = key;
        }
        int good = 1;
        for (int c = 0; c < spec->ncols; c++) {
            int ok = check_field(im, c, &v[c], kp);
            if (ok < 0) { rc = ok; goto done; }
            good &= ok;
        }
        if (!good) {
            if (kp) { /* later rows that refer to it say so */
                pn__entry *e = pn__map_insert(spec->row == patient_row ? &im->pmap : &im->tmap, kp);
                if (e == NULL) { rc = pn_diag_set(im->diag, PN_ENOMEM, "out of memory"); goto done; }
                if (e->state == PN__ENTRY_NEW) e->state = PN__ENTRY_QUARANTINED;
            }
            continue;
        }
        if ((rc = spec->row(im, v, kp)) != PN_OK) goto done;
    }
    if (rows == 0) rc = quarantine_at(im, 1, "", "warning", NULL, "header only: no data rows");
    else rc = PN_OK;
done:
    if (im->pipe != NULL) {
        int wrc = pn__pipe_finish(im->pipe);
        im->pipe = NULL;
        if (wrc != PN_OK) { /* the writer's failure is the cause of any reader's one */
            rc = wrc;
            *im->diag = im->wdiag;
        }
    }
    im->stats->bytes += (long long)pn_csv_offset(im->csv);
    pn_csv_close(im->csv);
    im->csv = NULL;
    return rc;
}

/* trials.json: a catalogue {"trials": [{"id": ...}, ...]}; each trial is kept as compact JSON. */
static const filespec trials_spec = {"trials.json", 0, NULL, 0, 0, NULL};

static int import_trials(imp *im, const char *dir)
{
    char path[4096];
    im->spec = &trials_spec;
    im->line = 0;
    snprintf(path, sizeof path, "%s/trials.json", dir);
    struct stat sb;
    if (stat(path, &sb) != 0) return PN_OK;
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL)
        return quarantine_at(im, err.line > 0 ? err.line : 0, "", "error", NULL,
                             "not valid JSON: %s; file not loaded", err.text);
    int rc = PN_OK;
    json_t *trials = json_object_get(root, "trials");
    if (!json_is_array(trials)) {
        rc = quarantine_at(im, 1, "trials", "error", NULL, "no \"trials\" array; file not loaded");
        goto done;
    }
    size_t i;
    json_t *t;
    json_array_foreach(trials, i, t) {
        char field[48];
        snprintf(field, sizeof field, "trials[%zu].id", i);
        json_t *id = json_object_get(t, "id");
        im->stats->read++;
        if (!json_is_string(id) || json_string_length(id) == 0) {
            if ((rc = quarantine_at(im, 0, field, "error", NULL, "trial without an id")) != PN_OK)
                goto done;
            continue;
        }
        char *text = json_dumps(t, JSON_COMPACT | JSON_SORT_KEYS);
        if (text == NULL) { rc = pn_diag_set(im->diag, PN_ENOMEM, "out of memory"); goto done; }
        uint64_t h = pn_keyed_hash64(&im->st->key, text, strlen(text));
        sqlite3_bind_text(im->j_sel, 1, json_string_value(id), -1, SQLITE_STATIC);
        rc = keyed_state(im, im->j_sel, h, "id", 0);
        if (rc > 0) {
            sqlite3_bind_text(im->j_put, 1, json_string_value(id), -1, SQLITE_STATIC);
            sqlite3_bind_int64(im->j_put, 2, (int64_t)h);
            sqlite3_bind_text(im->j_put, 3, text, -1, SQLITE_STATIC);
            sqlite3_bind_int64(im->j_put, 4, im->source);
            sqlite3_bind_int64(im->j_put, 5, im->run);
            rc = step_done(im, im->j_put, "writing a trial");
            if (rc == PN_OK) im->stats->loaded++;
        }
        free(text);
        if (rc < 0) goto done;
        rc = PN_OK;
    }
done:
    json_decref(root);
    return rc;
}

/* Files of the directory that are not part of the format: a warning each. */
static int unknown_files(imp *im, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) return PN_OK;
    struct dirent *e;
    int rc = PN_OK;
    filespec other = {"", 0, NULL, 0, 0, NULL};
    while (rc == PN_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        int known = strcmp(e->d_name, "trials.json") == 0;
        for (size_t f = 0; f < NFILES && !known; f++) known = strcmp(e->d_name, files[f].file) == 0;
        if (known) continue;
        char name[256];
        snprintf(name, sizeof name, "%s", e->d_name);
        other.file = name;
        im->spec = &other;
        rc = quarantine_at(im, 0, "", "warning", NULL, "unknown file, ignored");
    }
    closedir(d);
    im->spec = NULL;
    return rc;
}

/* ---- setup ------------------------------------------------------------------------------ */

static int load_maps(imp *im)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(im->st,
        "SELECT pid, pseudonym, h, sex, birth_date, birth_precision, vital_status, "
        "vital_status_date, source FROM patients", &s, im->diag);
    if (rc != PN_OK) return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(s, 1) != 16) continue;
        pn__entry *e = pn__map_insert(&im->pmap, sqlite3_column_blob(s, 1));
        if (e == NULL) { sqlite3_finalize(s); return pn_diag_set(im->diag, PN_ENOMEM, "out of memory"); }
        e->id = sqlite3_column_int64(s, 0);
        e->h = (uint64_t)sqlite3_column_int64(s, 2);
        e->sex = (uint8_t)sqlite3_column_int(s, 3);
        e->date1 = sqlite3_column_int(s, 4) - (sqlite3_column_int(s, 5) == PN_DATE_MONTH ? 14 : 0);
        e->flag = (uint8_t)sqlite3_column_int(s, 6);
        e->date2 = sqlite3_column_int(s, 7);
        e->source = sqlite3_column_int64(s, 8);
        e->state = PN__ENTRY_LOADED;
    }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE) return db_fail(im, "reading patients");
    if ((rc = pn__store_prepare(im->st, "SELECT tid, tkey, h, pid, diagnosis_date, source FROM tumours",
                                &s, im->diag)) != PN_OK)
        return rc;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(s, 1) != 16) continue;
        pn__entry *e = pn__map_insert(&im->tmap, sqlite3_column_blob(s, 1));
        if (e == NULL) { sqlite3_finalize(s); return pn_diag_set(im->diag, PN_ENOMEM, "out of memory"); }
        e->id = sqlite3_column_int64(s, 0);
        e->h = (uint64_t)sqlite3_column_int64(s, 2);
        e->ref = sqlite3_column_int64(s, 3);
        e->date1 = sqlite3_column_int(s, 4);
        e->source = sqlite3_column_int64(s, 5);
        e->state = PN__ENTRY_LOADED;
    }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE) return db_fail(im, "reading tumours");
    /* patients and tumours quarantined by earlier runs and never loaded */
    if ((rc = pn__store_prepare(im->st,
             "SELECT row_key, file FROM quarantine WHERE row_key IS NOT NULL AND severity = 'error'",
             &s, im->diag)) != PN_OK)
        return rc;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(s, 0) != 16) continue;
        const char *file = (const char *)sqlite3_column_text(s, 1);
        pn__map *m = strcmp(file, "patients.csv") == 0 ? &im->pmap : &im->tmap;
        pn__entry *e = pn__map_insert(m, sqlite3_column_blob(s, 0));
        if (e == NULL) { sqlite3_finalize(s); return pn_diag_set(im->diag, PN_ENOMEM, "out of memory"); }
        if (e->state == PN__ENTRY_NEW) e->state = PN__ENTRY_QUARANTINED;
    }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE) return db_fail(im, "reading the quarantine");
    return PN_OK;
}

typedef struct stmtdef {
    size_t offset;
    const char *sql;
} stmtdef;

#define ST(field, sql) {offsetof(imp, field), sql}
static const stmtdef stmts[] = {
    ST(q_ins, "INSERT OR IGNORE INTO quarantine(source, run, file, line, field, reason, severity,"
              " row_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
    ST(q_del_key, "DELETE FROM quarantine WHERE source = ?1 AND file = ?2 AND row_key = ?3"
                  " AND severity = 'error' AND run <> ?4"),
    ST(q_del_line, "DELETE FROM quarantine WHERE source = ?1 AND file = ?2 AND line = ?3"
                   " AND severity = 'error' AND run <> ?4"),
    ST(p_ins, "INSERT INTO patients(h, sex, birth_date, birth_precision, residence, vital_status,"
              " vital_status_date, death_cause, source, run, pseudonym)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
    ST(p_upd, "UPDATE patients SET h = ?1, sex = ?2, birth_date = ?3, birth_precision = ?4,"
              " residence = ?5, vital_status = ?6, vital_status_date = ?7, death_cause = ?8,"
              " source = ?9, run = ?10 WHERE pid = ?11"),
    ST(p_vs, "UPDATE patients SET vital_status = ?1, vital_status_date = ?2, death_cause = ?3,"
             " run = ?4 WHERE pid = ?5"),
    ST(t_ins, "INSERT INTO tumours(h, pid, diagnosis_date, icd10, topography, morphology,"
              " stage_system, stage, centre_id, site, source, run, tkey)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
    ST(t_upd, "UPDATE tumours SET h = ?1, pid = ?2, diagnosis_date = ?3, icd10 = ?4,"
              " topography = ?5, morphology = ?6, stage_system = ?7, stage = ?8, centre_id = ?9,"
              " site = ?10, source = ?11, run = ?12 WHERE tid = ?13"),
    ST(e_ins, "INSERT INTO events(pid, h, date, type, tid, centre_id, code, detail, run)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING"),
    ST(a_ins, "INSERT INTO alterations(pid, h, tid, gene, alteration, partner_gene, platform_id,"
              " date, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING"),
    ST(l_sel, "SELECT h, run FROM treatment_lines WHERE pid = ?1 AND line = ?2"),
    ST(l_put, "INSERT OR REPLACE INTO treatment_lines(pid, line, h, start_date, end_date, regimen,"
              " end_reason, source, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
    ST(c_sel, "SELECT h, run FROM centres WHERE centre_id = ?1"),
    ST(c_put, "INSERT OR REPLACE INTO centres(centre_id, h, name, departement, authorisations,"
              " networks, source, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
    ST(r_sel, "SELECT h, run FROM territories WHERE departement = ?1"),
    ST(r_put, "INSERT OR REPLACE INTO territories(departement, h, name, region, population, mri,"
              " ct, pet, mri_wait_days, source, run)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
    ST(j_sel, "SELECT h, run FROM trials WHERE id = ?1"),
    ST(j_put, "INSERT OR REPLACE INTO trials(id, h, json, source, run) VALUES (?1, ?2, ?3, ?4, ?5)"),
};
#define NSTMTS (sizeof stmts / sizeof *stmts)

static int start_run(imp *im, const char *source)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(im->st, "INSERT OR IGNORE INTO sources(name) VALUES (?1)", &s, im->diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    rc = sqlite3_step(s) == SQLITE_DONE ? PN_OK : db_fail(im, "registering the source");
    sqlite3_finalize(s);
    if (rc != PN_OK) return rc;
    if ((rc = pn__store_prepare(im->st, "SELECT id FROM sources WHERE name = ?1", &s, im->diag)) != PN_OK)
        return rc;
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    rc = sqlite3_step(s) == SQLITE_ROW ? PN_OK : db_fail(im, "registering the source");
    im->source = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != PN_OK) return rc;
    if ((rc = pn__store_prepare(im->st,
             "INSERT INTO runs(source, started) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
             &s, im->diag)) != PN_OK)
        return rc;
    sqlite3_bind_int64(s, 1, im->source);
    rc = sqlite3_step(s) == SQLITE_DONE ? PN_OK : db_fail(im, "recording the import run");
    sqlite3_finalize(s);
    im->run = sqlite3_last_insert_rowid(im->db);
    return rc;
}

static int finish_run(imp *im)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(im->st,
        "UPDATE runs SET finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), rows_read = ?1,"
        " rows_loaded = ?2, rows_unchanged = ?3, rows_quarantined = ?4, warnings = ?5 WHERE id = ?6",
        &s, im->diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_int64(s, 1, im->stats->read);
    sqlite3_bind_int64(s, 2, im->stats->loaded);
    sqlite3_bind_int64(s, 3, im->stats->unchanged);
    sqlite3_bind_int64(s, 4, im->stats->quarantined);
    sqlite3_bind_int64(s, 5, im->stats->warnings);
    sqlite3_bind_int64(s, 6, im->run);
    rc = sqlite3_step(s) == SQLITE_DONE ? PN_OK : db_fail(im, "recording the import run");
    sqlite3_finalize(s);
    return rc;
}

static int32_t today_of(const pn_import_opts *opts)
{
    if (opts && opts->today) return opts->today;
    const char *env = getenv("PRONOSTIC_TODAY");
    int32_t d;
    if (env && pn_date_parse(env, strlen(env), 0, &d, NULL) == PN_OK) return d;
    return pn_date_today();
}

int pn_store_import(pn_store *store, const char *dir, const pn_import_opts *opts,
                    pn_import_stats *stats, pn_diag *diag)
{
    pn_import_stats local;
    if (stats == NULL) stats = &local;
    memset(stats, 0, sizeof *stats);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return pn_diag_set(diag, PN_EIO, "%s: not a directory", dir);
    imp im = {0};
    im.st = store;
    im.db = store->db;
    im.diag = diag;
    im.stats = stats;
    im.today = today_of(opts);
    im.source_name = opts && opts->source && opts->source[0] ? opts->source : "default";
    int rc, began = 0;
    for (size_t i = 0; i < NSTMTS; i++) {
        sqlite3_stmt **slot = (sqlite3_stmt **)((char *)&im + stmts[i].offset);
        if ((rc = pn__store_prepare(store, stmts[i].sql, slot, diag)) != PN_OK) goto done;
    }
    /* page cache of the import: 256 MiB, or PRONOSTIC_IMPORT_CACHE_MB (tests use a small one
     * so that pages spill to the WAL early) */
    char pragma[64];
    int64_t cache_mb = 256, env_mb;
    const char *cache_env = getenv("PRONOSTIC_IMPORT_CACHE_MB");
    if (cache_env != NULL && pn_parse_int64(cache_env, strlen(cache_env), &env_mb) == PN_OK &&
        env_mb > 0 && env_mb < 1000000)
        cache_mb = env_mb;
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%lld", (long long)cache_mb * 1024);
    if ((rc = pn__store_exec(store, pragma, "setting the cache", diag)) != PN_OK ||
        (rc = pn__store_exec(store, "PRAGMA temp_store = MEMORY", "setting temp_store", diag)) != PN_OK ||
        /* pages read back while writing come from the page cache; a map of the growing file
         * would only add to the resident memory */
        (rc = pn__store_exec(store, "PRAGMA mmap_size = 0", "setting mmap", diag)) != PN_OK)
        goto done;
    {
        char sql[8192];
        size_t len = (size_t)snprintf(sql, sizeof sql, "INSERT INTO events(pid, h, date, type, tid,"
                                      " centre_id, code, detail, run) VALUES ");
        for (int k = 0; k < EVENTS_PER_INSERT; k++)
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%s(?,?,?,?,?,?,?,?,?)", k ? "," : "");
        snprintf(sql + len, sizeof sql - len, " ON CONFLICT DO NOTHING");
        if ((rc = pn__store_prepare(store, sql, &im.e_ins_many, diag)) != PN_OK) goto done;
    }
    if ((rc = pn__store_exec(store, "BEGIN IMMEDIATE", "starting the import", diag)) != PN_OK) goto done;
    began = 1;
    if ((rc = pn__map_init(&im.pmap, 1024)) != PN_OK || (rc = pn__map_init(&im.tmap, 1024)) != PN_OK) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = start_run(&im, im.source_name)) != PN_OK) goto done;
    if ((rc = load_maps(&im)) != PN_OK) goto done;
    if ((rc = unknown_files(&im, dir)) != PN_OK) goto done;
    for (size_t f = 0; f < NFILES; f++) {
        if ((rc = import_file(&im, dir, &files[f])) != PN_OK) goto done;
        if (opts && opts->progress)
            fprintf(stderr, "pronostic import: %s: %lld rows read so far\n", files[f].file,
                    stats->read);
    }
    if ((rc = import_trials(&im, dir)) != PN_OK) goto done;
    if ((rc = finish_run(&im)) != PN_OK) goto done;
    stats->run = im.run;
    rc = pn__store_exec(store, "COMMIT", "committing the import", diag);
    if (rc == PN_OK) began = 0;
done:
    if (began) sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    for (size_t i = 0; i < NSTMTS; i++)
        sqlite3_finalize(*(sqlite3_stmt **)((char *)&im + stmts[i].offset));
    sqlite3_finalize(im.e_ins_many);
    pn__map_free(&im.pmap);
    pn__map_free(&im.tmap);
    pn_free(im.hbuf);
    pn_csv_close(im.csv);
    return rc;
}
