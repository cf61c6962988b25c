/* import_keyless.c - events.csv and alterations.csv: rows without an identifier of their own,
 * checked on the reading thread and written by the writing thread (import_pipe.h). An identical
 * row (the same fingerprint for the same patient) is a repeat, whichever source sent it.
 */
#include "import_internal.h"

#include <string.h>

/* Version 1's columns, then version 2's: the end of a stay and the care setting. */
enum { E_PID, E_DATE, E_TYPE, E_TID, E_CENTRE, E_CODE, E_DETAIL, E_V1, E_END = E_V1, E_SETTING,
       E_N };
static const pn__colspec event_cols[] = {
    {"patient_id", K_ID, 1, NULL}, {"date", K_DATE, 1, NULL},
    {"type", K_ENUM, 1, pn_event_type_names}, {"tumour_id", K_ID, 0, NULL},
    {"centre_id", K_FINESS, 0, NULL}, {"code", K_TEXT, 0, NULL}, {"detail", K_TEXT, 0, NULL},
    {"end_date", K_DATE, 0, NULL}, {"setting", K_ENUM, 0, pn_setting_names},
};

enum { A_PID, A_GENE, A_ALT, A_TID, A_PARTNER, A_PLATFORM, A_DATE, A_N };
static const pn__colspec alteration_cols[] = {
    {"patient_id", K_ID, 1, NULL}, {"gene", K_TEXT, 1, NULL}, {"alteration", K_TEXT, 1, NULL},
    {"tumour_id", K_ID, 0, NULL},  {"partner_gene", K_TEXT, 0, NULL},
    {"platform_id", K_TEXT, 0, NULL}, {"date", K_DATE, 0, NULL},
};

/* Insert a keyless row (events, alterations) unless the same content is already stored. */
static int insert_keyless(pn__imp *im, sqlite3_stmt *s, const char *what, long line)
{
    int rc = pn__imp_step(im, s, what);
    if (rc != PN_OK) return rc;
    if (sqlite3_changes(im->db) == 0) {
        im->stats->unchanged++;
        return PN_OK;
    }
    im->stats->loaded++;
    return pn__imp_unquarantine_line(im, NULL, line);
}

static int event_row(pn__imp *im, pn__fval *v, const unsigned char *key)
{
    (void)key;
    int rc = PN_OK;
    pn__entry *p = pn__imp_ref_patient(im, &v[E_PID], NULL, &rc);
    if (p == NULL) return rc;
    int64_t tid;
    if (!pn__imp_ref_tumour(im, &v[E_TID], p, &tid, &rc)) return rc;
    /* the birth date this bundle gives, else the store's (as tumours are checked) */
    if (v[E_DATE].i < (p->line > 0 ? p->own_date1 : p->date1))
        return pn__imp_quarantine(im, im->line, "date", "error", NULL, "event date before birth");
    if (v[E_END].present && v[E_END].i < v[E_DATE].i)
        return pn__imp_quarantine(im, im->line, "end_date", "error", NULL, "end_date before date");
    uint64_t h;
    if ((rc = pn__imp_row_hash(im, v, &h)) != PN_OK) return rc;
    pn__krec *r = pn__pipe_reserve(im->pipe, v[E_CENTRE].len + v[E_CODE].len + v[E_DETAIL].len);
    if (r == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "import: cannot queue a row");
    r->kind = KREC_EVENT;
    r->line = im->line;
    r->pid = p->id;
    r->h = h;
    r->date = v[E_DATE].i;
    r->type = v[E_TYPE].i;
    r->tid = tid;
    r->has_tid = tid != 0;
    r->has_end = (uint8_t)v[E_END].present;
    r->end_date = v[E_END].i;
    r->has_setting = (uint8_t)v[E_SETTING].present;
    r->setting = v[E_SETTING].i;
    pn__imp_krec_text(im, r, 0, v[E_CENTRE].s, v[E_CENTRE].len, v[E_CENTRE].present);
    pn__imp_krec_text(im, r, 1, v[E_CODE].s, v[E_CODE].len, v[E_CODE].present);
    pn__imp_krec_text(im, r, 2, v[E_DETAIL].s, v[E_DETAIL].len, v[E_DETAIL].present);
    return PN_OK;
}

static int alteration_row(pn__imp *im, pn__fval *v, const unsigned char *key)
{
    (void)key;
    int rc = PN_OK;
    pn__entry *p = pn__imp_ref_patient(im, &v[A_PID], NULL, &rc);
    if (p == NULL) return rc;
    int64_t tid;
    if (!pn__imp_ref_tumour(im, &v[A_TID], p, &tid, &rc)) return rc;
    uint64_t h;
    if ((rc = pn__imp_row_hash(im, v, &h)) != PN_OK) return rc;
    pn__krec *r = pn__pipe_reserve(im->pipe, v[A_GENE].len + v[A_ALT].len + v[A_PARTNER].len +
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
    pn__imp_krec_text(im, r, 0, v[A_GENE].s, v[A_GENE].len, v[A_GENE].present);
    pn__imp_krec_text(im, r, 1, v[A_ALT].s, v[A_ALT].len, v[A_ALT].present);
    pn__imp_krec_text(im, r, 2, v[A_PARTNER].s, v[A_PARTNER].len, v[A_PARTNER].present);
    pn__imp_krec_text(im, r, 3, v[A_PLATFORM].s, v[A_PLATFORM].len, v[A_PLATFORM].present);
    return PN_OK;
}

/* The writing thread: bind and insert each queued row, in file order. */
static void bind_krec_text(sqlite3_stmt *s, int i, const pn__krec *r, int slot, const char *text)
{
    if (r->present[slot]) sqlite3_bind_text(s, i, text + r->off[slot], (int)r->len[slot], SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}


/* Bind an event's EVENT_PARAMS values from parameter `base` + 1 on (the order of e_ins). */
static void bind_event(sqlite3_stmt *s, int base, const pn__krec *r, int64_t run, const char *text)
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
    if (r->has_end) sqlite3_bind_int64(s, base + 10, r->end_date);
    else sqlite3_bind_null(s, base + 10);
    if (r->has_setting) sqlite3_bind_int64(s, base + 11, r->setting);
    else sqlite3_bind_null(s, base + 11);
}

int pn__imp_write_krecs(void *ctx, const void *records, size_t n, const char *text)
{
    pn__imp *im = ctx;
    const pn__krec *rs = records;
    int rc = PN_OK;
    for (size_t i = 0; i < n && rc == PN_OK; i++) {
        const pn__krec *r = &rs[i];
        sqlite3_stmt *s;
        switch (r->kind) {
        case KREC_QUARANTINE:
            rc = pn__imp_quarantine_write(im, r->line, text + r->off[0], r->len[0], text + r->off[1],
                                           r->len[1], r->warning ? "warning" : "error",
                                           r->has_key ? r->key : NULL, r->has_value_h, r->h);
            break;
        case KREC_EVENT:
            if (!im->old_quarantine && i + EVENTS_PER_INSERT <= n) {
                /* a run of events in one statement (no quarantine to update per line) */
                size_t k = 0;
                while (k < EVENTS_PER_INSERT && rs[i + k].kind == KREC_EVENT) k++;
                if (k == EVENTS_PER_INSERT) {
                    s = im->e_ins_many;
                    for (k = 0; k < EVENTS_PER_INSERT; k++) bind_event(s, (int)(EVENT_PARAMS * k), &rs[i + k], im->run, text);
                    rc = pn__imp_step(im, s, "writing events");
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


const pn__filespec pn__spec_events = {
    "events.csv", 0, event_cols, E_N, 0, 1, NULL, event_row, NULL, E_V1,
};
const pn__filespec pn__spec_alterations = {
    "alterations.csv", 0, alteration_cols, A_N, 0, 1, NULL, alteration_row, NULL, 0,
};
