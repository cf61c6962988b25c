/* scan_pathway.c - the store's read of whole care pathways (pathscan.h): patients with their
 * tumours, events and treatment lines over a range of patient row ids, and the centres.
 *
 * Four ordered cursors over the range, merged by patient: patients (rowid order), events
 * (primary key pid, h), treatment lines (primary key pid, source, line) and the tumours of the
 * range, read first into memory and sorted (their table is in tumour order). A patient's rows
 * are copied into buffers the scan owns and reuses, sorted, and handed over in one call.
 */
#include "store_internal.h"
#include "consolidate.h"
#include "pronostic/alloc.h"
#include "pronostic/carevocab.h"
#include "pronostic/pathscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable byte arena for one patient's texts, and arrays of its rows. */
typedef struct scanbuf {
    char *text;
    size_t ntext, captext;
    pn_scan_event *ev;
    size_t nev, capev;
    pn_scan_line *ln;
    size_t nln, capln;
    /* each event's texts as offsets into `text` (SIZE_MAX: none), resolved to pointers once
     * the arena stops moving */
    struct evtext { size_t centre, code; } *off;
    size_t capoff;
} scanbuf;

typedef struct tumrow {
    int64_t pid;
    pn_scan_tumour t;
    size_t centre_off;  /* into the tumour text arena; SIZE_MAX: none */
} tumrow;

/* Copy `len` bytes of `s` into the arena; *off is its offset, SIZE_MAX for NULL. */
static int keep_text(char **text, size_t *ntext, size_t *cap, const unsigned char *s, size_t len,
                     size_t *off)
{
    if (s == NULL) {
        *off = SIZE_MAX;
        return PN_OK;
    }
    void *p = *text;
    if (pn_grow(&p, cap, *ntext + len + 1, 1) != PN_OK) return PN_ENOMEM;
    *text = p;
    memcpy(*text + *ntext, s, len);
    (*text)[*ntext + len] = '\0';
    *off = *ntext;
    *ntext += len + 1;
    return PN_OK;
}

/* 1 when a stage text says stage IV: "IV", "IVA", "IVB"... (any case), "4...", or a TNM
 * string with M1 ("T2N1M1a"). */
static int stage_iv(const unsigned char *s, size_t len)
{
    if (s == NULL || len == 0) return 0;
    if (len >= 2 && (s[0] == 'I' || s[0] == 'i') && (s[1] == 'V' || s[1] == 'v')) return 1;
    if (s[0] == '4') return 1;
    for (size_t i = 0; i + 1 < len; i++)
        if ((s[i] == 'M' || s[i] == 'm') && s[i + 1] == '1') return 1;
    return 0;
}

static int cmp_tumrow(const void *a, const void *b)
{
    const tumrow *x = a, *y = b;
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    if (x->t.site != y->t.site) return x->t.site < y->t.site ? -1 : 1;
    if (x->t.diagnosis_date != y->t.diagnosis_date)
        return x->t.diagnosis_date < y->t.diagnosis_date ? -1 : 1;
    return x->t.tid < y->t.tid ? -1 : x->t.tid > y->t.tid;
}

static int event_before(const pn_scan_event *x, const pn_scan_event *y)
{
    if (x->date != y->date) return x->date < y->date;
    if (x->type != y->type) return x->type < y->type;
    return x->end_date < y->end_date;
}

/* Insertion sort of a patient's events (a few dozen), carrying their text offsets along. */
static void sort_events(scanbuf *b)
{
    for (size_t i = 1; i < b->nev; i++) {
        pn_scan_event e = b->ev[i];
        struct evtext o = b->off[i];
        size_t j = i;
        for (; j > 0 && event_before(&e, &b->ev[j - 1]); j--) {
            b->ev[j] = b->ev[j - 1];
            b->off[j] = b->off[j - 1];
        }
        b->ev[j] = e;
        b->off[j] = o;
    }
}

static void sort_lines(scanbuf *b)
{
    for (size_t i = 1; i < b->nln; i++) {
        pn_scan_line l = b->ln[i];
        size_t j = i;
        for (; j > 0 && (l.start_date < b->ln[j - 1].start_date ||
                         (l.start_date == b->ln[j - 1].start_date && l.line < b->ln[j - 1].line));
             j--)
            b->ln[j] = b->ln[j - 1];
        b->ln[j] = l;
    }
}

int pn_store_pid_bounds(pn_store *store, int64_t *lo, int64_t *hi, pn_diag *diag)
{
    sqlite3_stmt *s = NULL;
    *lo = *hi = 0;
    int rc = pn__store_prepare(store, "SELECT min(pid), max(pid) FROM patients", &s, diag);
    if (rc != PN_OK) return rc;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *lo = sqlite3_column_int64(s, 0);
        *hi = sqlite3_column_int64(s, 1);
    } else {
        rc = pn__store_error(store, "reading the store", diag);
    }
    sqlite3_finalize(s);
    return rc;
}

/* The tumours of [from, to), sorted by patient, site, diagnosis date, row id. */
static int read_tumours(pn_store *store, int64_t from, int64_t to, tumrow **out, size_t *n,
                        char **text, pn_diag *diag)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0, ntext = 0, captext = 0;
    *out = NULL;
    *n = 0;
    *text = NULL;
    int rc = pn__store_prepare(store, "SELECT pid, tid, diagnosis_date, site, stage, centre_id"
                               " FROM tumours WHERE pid >= ?1 AND pid < ?2", &s, diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        void *p = *out;
        if (pn_grow(&p, &cap, *n + 1, sizeof **out) != PN_OK) goto nomem;
        *out = p;
        tumrow *r = &(*out)[(*n)++];
        memset(r, 0, sizeof *r);
        r->pid = sqlite3_column_int64(s, 0);
        r->t.tid = sqlite3_column_int64(s, 1);
        r->t.diagnosis_date = sqlite3_column_int(s, 2);
        r->t.site = sqlite3_column_int(s, 3);
        r->t.stage_iv = stage_iv(sqlite3_column_text(s, 4), (size_t)sqlite3_column_bytes(s, 4));
        if (keep_text(text, &ntext, &captext, sqlite3_column_text(s, 5),
                      (size_t)sqlite3_column_bytes(s, 5), &r->centre_off) != PN_OK)
            goto nomem;
    }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE) return pn__store_error(store, "reading the tumours", diag);
    for (size_t i = 0; i < *n; i++) {
        tumrow *r = &(*out)[i];
        r->t.centre = r->centre_off == SIZE_MAX ? NULL : *text + r->centre_off;
        r->t.centre_len = r->t.centre ? strlen(r->t.centre) : 0;
    }
    if (*n > 1) qsort(*out, *n, sizeof **out, cmp_tumrow);
    return PN_OK;
nomem:
    sqlite3_finalize(s);
    return pn_diag_set(diag, PN_ENOMEM, "out of memory reading the tumours");
}

/* The codes of a patient's systemic treatments (a patient without treatment lines: the new
 * regimens are told by their codes), matched to its events by date and type in order. */
static int read_codes(pn_store *store, sqlite3_stmt *cs, int64_t pid, scanbuf *b, pn_diag *diag)
{
    sqlite3_reset(cs);
    sqlite3_bind_int64(cs, 1, pid);
    int step;
    while ((step = sqlite3_step(cs)) == SQLITE_ROW) {
        int32_t date = sqlite3_column_int(cs, 0);
        int type = sqlite3_column_int(cs, 1);
        for (size_t k = 0; k < b->nev; k++)
            if (b->ev[k].date == date && b->ev[k].type == type && b->off[k].code == SIZE_MAX) {
                if (keep_text(&b->text, &b->ntext, &b->captext, sqlite3_column_text(cs, 2),
                              (size_t)sqlite3_column_bytes(cs, 2), &b->off[k].code) != PN_OK)
                    return pn_diag_set(diag, PN_ENOMEM, "out of memory reading the care pathways");
                break;
            }
    }
    if (step != SQLITE_DONE) return pn__store_error(store, "reading the care pathways", diag);
    return PN_OK;
}

int pn_store_scan_patients(pn_store *store, int64_t pid_from, int64_t pid_to,
                           int (*fn)(const pn_scan_patient *p, void *ctx), void *ctx,
                           pn_diag *diag)
{
    sqlite3_stmt *ps = NULL, *es = NULL, *ls = NULL, *cs = NULL;
    tumrow *tum = NULL;
    /* The events' columns: a text or the setting only where the indicators read them (the
     * surgery's centre, the death's place), in one column: a column left out of a row is not
     * decoded, and 30 million rows read fewer columns. The codes of systemic treatments are read
     * apart (codes_sql), for the patients without treatment lines only. */
    char events_sql[320], codes_sql[200];
    snprintf(events_sql, sizeof events_sql,
             "SELECT pid, date, type, end_date, tid, CASE type WHEN %d THEN centre_id WHEN %d"
             " THEN setting END FROM events WHERE pid >= ?1 AND pid < ?2 ORDER BY pid",
             PN_EVENT_SURGERY, PN_EVENT_DEATH);
    snprintf(codes_sql, sizeof codes_sql,
             "SELECT date, type, code FROM events WHERE pid = ?1 AND type IN (%d, %d, %d)"
             " AND code IS NOT NULL", PN_EVENT_CHEMOTHERAPY, PN_EVENT_TARGETED_THERAPY,
             PN_EVENT_IMMUNOTHERAPY);
    char *tumtext = NULL;
    pn_scan_tumour *ptum = NULL;
    size_t ntum = 0, capptum = 0;
    scanbuf b;
    memset(&b, 0, sizeof b);
    int rc = read_tumours(store, pid_from, pid_to, &tum, &ntum, &tumtext, diag);
    if (rc != PN_OK) goto done;
    if ((rc = pn__store_prepare(store,
             "SELECT pid, sex, birth_date, vital_status, vital_status_date, residence, conflict,"
             " death_place FROM patients WHERE pid >= ?1 AND pid < ?2 ORDER BY pid", &ps,
             diag)) != PN_OK ||
        (rc = pn__store_prepare(store,
             events_sql, &es, diag)) != PN_OK ||
        (rc = pn__store_prepare(store, codes_sql, &cs, diag)) != PN_OK ||
        (rc = pn__store_prepare(store,
             "SELECT pid, line, start_date, end_date FROM treatment_lines"
             " WHERE pid >= ?1 AND pid < ?2 ORDER BY pid", &ls, diag)) != PN_OK)
        goto done;
    sqlite3_stmt *stmts[3] = {ps, es, ls};  /* cs is bound per patient */
    for (int k = 0; k < 3; k++) {
        sqlite3_bind_int64(stmts[k], 1, pid_from);
        sqlite3_bind_int64(stmts[k], 2, pid_to);
    }
    int estep = sqlite3_step(es), lstep = sqlite3_step(ls), pstep;
    size_t ti = 0;
    while ((pstep = sqlite3_step(ps)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(ps, 0);
        b.nev = b.nln = b.ntext = 0;
        while (lstep == SQLITE_ROW && sqlite3_column_int64(ls, 0) < pid) lstep = sqlite3_step(ls);
        while (lstep == SQLITE_ROW && sqlite3_column_int64(ls, 0) == pid) {
            void *p = b.ln;
            if (pn_grow(&p, &b.capln, b.nln + 1, sizeof *b.ln) != PN_OK) goto nomem;
            b.ln = p;
            pn_scan_line *l = &b.ln[b.nln++];
            l->line = sqlite3_column_int(ls, 1);
            l->start_date = sqlite3_column_int(ls, 2);
            l->end_date = sqlite3_column_type(ls, 3) == SQLITE_NULL ? PN_NO_DATE
                                                                     : sqlite3_column_int(ls, 3);
            lstep = sqlite3_step(ls);
        }
        /* this patient's rows of each cursor (rows of unknown patients are passed over) */
        size_t nsystemic = 0;
        while (estep == SQLITE_ROW && sqlite3_column_int64(es, 0) < pid) estep = sqlite3_step(es);
        while (estep == SQLITE_ROW && sqlite3_column_int64(es, 0) == pid) {
            if (pn_grow((void **)&b.ev, &b.capev, b.nev + 1, sizeof *b.ev) != PN_OK ||
                pn_grow((void **)&b.off, &b.capoff, b.nev + 1, sizeof *b.off) != PN_OK)
                goto nomem;
            pn_scan_event *e = &b.ev[b.nev];
            memset(e, 0, sizeof *e);
            e->date = sqlite3_column_int(es, 1);
            e->type = sqlite3_column_int(es, 2);
            e->end_date = sqlite3_column_type(es, 3) == SQLITE_NULL ? PN_NO_DATE
                                                                     : sqlite3_column_int(es, 3);
            e->tid = sqlite3_column_int64(es, 4);
            e->setting = -1;
            b.off[b.nev].centre = b.off[b.nev].code = SIZE_MAX;
            if (e->type == PN_EVENT_SURGERY) {
                if (keep_text(&b.text, &b.ntext, &b.captext, sqlite3_column_text(es, 5),
                              (size_t)sqlite3_column_bytes(es, 5), &b.off[b.nev].centre) != PN_OK)
                    goto nomem;
            } else if (e->type == PN_EVENT_DEATH && sqlite3_column_type(es, 5) != SQLITE_NULL) {
                e->setting = sqlite3_column_int(es, 5);
            }
            if (e->type == PN_EVENT_CHEMOTHERAPY || e->type == PN_EVENT_TARGETED_THERAPY ||
                e->type == PN_EVENT_IMMUNOTHERAPY)
                nsystemic++;
            b.nev++;
            estep = sqlite3_step(es);
        }
        while (ti < ntum && tum[ti].pid < pid) ti++;
        size_t t0 = ti;
        while (ti < ntum && tum[ti].pid == pid) ti++;
        if (ti == t0) continue;  /* no tumour: not a patient of any indicator */
        if (nsystemic > 0 && b.nln == 0 &&
            (rc = read_codes(store, cs, pid, &b, diag)) != PN_OK)
            goto done;
        {
            void *p = ptum;
            if (pn_grow(&p, &capptum, ti - t0, sizeof *ptum) != PN_OK) goto nomem;
            ptum = p;
        }
        for (size_t k = t0; k < ti; k++) ptum[k - t0] = tum[k].t;
        sort_events(&b);
        sort_lines(&b);
        for (size_t k = 0; k < b.nev; k++) {
            pn_scan_event *e = &b.ev[k];
            e->centre = b.off[k].centre == SIZE_MAX ? NULL : b.text + b.off[k].centre;
            e->centre_len = e->centre ? strlen(e->centre) : 0;
            e->code = b.off[k].code == SIZE_MAX ? NULL : b.text + b.off[k].code;
            e->code_len = e->code ? strlen(e->code) : 0;
        }
        const char *res = (const char *)sqlite3_column_text(ps, 5);
        pn_scan_patient pt = {
            .pid = pid,
            .sex = sqlite3_column_int(ps, 1),
            .birth_date = sqlite3_column_int(ps, 2),
            .dead = sqlite3_column_int(ps, 3) == 1,
            .vital_status_date = sqlite3_column_int(ps, 4),
            .residence = res,
            .residence_len = res ? (size_t)sqlite3_column_bytes(ps, 5) : 0,
            .identity_conflict = (sqlite3_column_int(ps, 6) & PN__CONFLICT_IDENTITY) != 0,
            .death_place = sqlite3_column_type(ps, 7) == SQLITE_NULL ? -1
                                                                      : sqlite3_column_int(ps, 7),
            .ntumours = ti - t0,
            .tumours = ptum,
            .nevents = b.nev,
            .events = b.ev,
            .nlines = b.nln,
            .lines = b.ln,
        };
        if ((rc = fn(&pt, ctx)) != PN_OK) goto done;
    }
    if (pstep != SQLITE_DONE || (estep != SQLITE_DONE && estep != SQLITE_ROW) ||
        (lstep != SQLITE_DONE && lstep != SQLITE_ROW))
        rc = pn__store_error(store, "reading the care pathways", diag);
    goto done;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory reading the care pathways");
done:
    sqlite3_finalize(ps);
    sqlite3_finalize(es);
    sqlite3_finalize(ls);
    sqlite3_finalize(cs);
    pn_free(tum);
    pn_free(tumtext);
    pn_free(ptum);
    pn_free(b.text);
    pn_free(b.ev);
    pn_free(b.ln);
    pn_free(b.off);
    return rc;
}

int pn_store_scan_centres(pn_store *store, int (*fn)(const pn_scan_centre *c, void *ctx),
                          void *ctx, pn_diag *diag)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(store, "SELECT centre_id, name, departement, authorisations"
                               " FROM centres ORDER BY centre_id", &s, diag);
    if (rc != PN_OK) return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        pn_scan_centre c = {
            .centre_id = (const char *)sqlite3_column_text(s, 0),
            .name = (const char *)sqlite3_column_text(s, 1),
            .departement = (const char *)sqlite3_column_text(s, 2),
            .authorisations = (const char *)sqlite3_column_text(s, 3),
        };
        if ((rc = fn(&c, ctx)) != 0) break;
    }
    if (rc == PN_OK && step != SQLITE_DONE) rc = pn__store_error(store, "reading the centres", diag);
    sqlite3_finalize(s);
    return rc;
}
