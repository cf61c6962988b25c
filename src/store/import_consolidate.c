/* import_consolidate.c - the store side of consolidate.h: read a patient's observations (one per
 * source), write its consolidated row, and rebuild its conflicts.
 *
 * Only the patients the run changed are visited (pn__entry.dirty): those whose observation
 * changed, and those with several sources that got a tumour. Conflicts are rebuilt from all of a
 * patient's observations and tumours each time, so that they do not depend on the order in
 * which the sources were imported. Table conflicts keeps, per patient, the field, the tumour
 * (0 for the patient's own fields) and the two sources; the values are read back from the
 * observations and tumours when the conflicts are listed (quarantine.c).
 */
#include "import_internal.h"
#include "consolidate.h"
#include "pronostic/alloc.h"
#include "pronostic/date.h"

#include <string.h>

#define CAUSE_MAX 16 /* an ICD-10 code, checked on import, is at most 7 bytes */

/* A tumour's conflict, collected before the patient's conflicts are rewritten. */
typedef struct tconflict {
    const char *field;
    int64_t tid, a, b;
} tconflict;

typedef struct obsbuf {
    pn__obs *obs;
    int64_t *run;
    uint64_t *h;
    char (*cause)[CAUSE_MAX];
    pn__conflict *conf;
    tconflict *tconf;
    size_t cap, n, conf_cap, tconf_cap;
    sqlite3_stmt *sel, *upd, *del, *ins, *tum, *flag;
} obsbuf;

static void obsbuf_free(obsbuf *b)
{
    pn_free(b->obs);
    pn_free(b->run);
    pn_free(b->h);
    pn_free(b->cause);
    pn_free(b->conf);
    pn_free(b->tconf);
    sqlite3_finalize(b->flag);
    sqlite3_finalize(b->sel);
    sqlite3_finalize(b->upd);
    sqlite3_finalize(b->del);
    sqlite3_finalize(b->ins);
    sqlite3_finalize(b->tum);
}

static int obsbuf_reserve(pn__imp *im, obsbuf *b, size_t n)
{
    if (n > b->cap) {
        size_t cap = n < 8 ? 8 : 2 * n;
        pn__obs *o = pn_reallocarray(b->obs, cap, sizeof *o);
        if (o) b->obs = o;
        int64_t *r = pn_reallocarray(b->run, cap, sizeof *r);
        if (r) b->run = r;
        uint64_t *h = pn_reallocarray(b->h, cap, sizeof *h);
        if (h) b->h = h;
        char(*c)[CAUSE_MAX] = pn_reallocarray(b->cause, cap, sizeof *c);
        if (c) b->cause = c;
        if (!o || !r || !h || !c) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        b->cap = cap;
    }
    size_t need = pn__consolidate_max_conflicts(n);
    if (need > b->conf_cap) {
        pn__conflict *c = pn_reallocarray(b->conf, need, sizeof *c);
        if (c == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        b->conf = c;
        b->conf_cap = need;
    }
    return PN_OK;
}

/* Read patient pid's observations, sorted by source name, into b. */
static int read_obs(pn__imp *im, obsbuf *b, int64_t pid)
{
    if (b->sel == NULL &&
        pn__store_prepare(im->st,
            "SELECT o.source, o.h, o.sex, o.birth_date, o.birth_precision,"
            " o.residence IS NOT NULL, o.vital_status, o.vital_status_date, o.death_cause, o.run,"
            " o.death_place FROM patient_obs o JOIN sources s ON s.id = o.source WHERE o.pid = ?1"
            " ORDER BY s.name", &b->sel, im->diag) != PN_OK)
        return PN_EDB;
    sqlite3_stmt *s = b->sel;
    sqlite3_bind_int64(s, 1, pid);
    b->n = 0;
    int step, rc = PN_OK;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if ((rc = obsbuf_reserve(im, b, b->n + 1)) != PN_OK) break;
        size_t i = b->n++;
        pn__obs *o = &b->obs[i];
        memset(o, 0, sizeof *o);
        o->source = sqlite3_column_int64(s, 0);
        b->h[i] = (uint64_t)sqlite3_column_int64(s, 1);
        o->sex = sqlite3_column_int(s, 2);
        o->birth = sqlite3_column_int(s, 3);
        o->birth_prec = sqlite3_column_int(s, 4);
        o->has_residence = sqlite3_column_int(s, 5);
        o->dead = sqlite3_column_int(s, 6);
        o->date = sqlite3_column_int(s, 7);
        if (sqlite3_column_type(s, 8) != SQLITE_NULL) {
            size_t len = (size_t)sqlite3_column_bytes(s, 8);
            if (len >= CAUSE_MAX) len = CAUSE_MAX - 1;
            memcpy(b->cause[i], sqlite3_column_text(s, 8), len);
            b->cause[i][len] = '\0';
            o->cause_len = len;
        }
        b->run[i] = sqlite3_column_int64(s, 9);
        o->death_place = sqlite3_column_type(s, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 10);
    }
    if (rc == PN_OK && step != SQLITE_DONE) rc = pn__imp_fail(im, "reading a patient's sources");
    sqlite3_reset(s);
    /* the cause pointers, once the buffer no longer moves */
    for (size_t i = 0; i < b->n; i++) b->obs[i].cause = b->obs[i].cause_len ? b->cause[i] : NULL;
    if (rc == PN_OK && b->n == 0)
        rc = pn_diag_set(im->diag, PN_EDB, "%s: a patient without any source's row", im->st->path);
    return rc;
}

/* Consolidate patient p from its observations into *c (conflicts in b->conf, *nconf). */
static int consolidate_obs(pn__imp *im, obsbuf *b, const pn__entry *p, pn__consolidated *c,
                           size_t *nconf)
{
    int rc = read_obs(im, b, p->id);
    if (rc == PN_OK) pn__consolidate(b->obs, b->n, c, b->conf, nconf);
    return rc;
}

/* Consolidate patient p; write its row and refresh the entry. */
static int consolidate_one(pn__imp *im, obsbuf *b, pn__entry *p)
{
    pn__consolidated cs, *c = &cs;
    size_t nconf;
    int rc = consolidate_obs(im, b, p, c, &nconf);
    if (rc != PN_OK) return rc;
    if (b->upd == NULL &&
        (rc = pn__store_prepare(im->st,
             "UPDATE patients SET sex = ?2, birth_date = ?3, birth_precision = ?4,"
             " residence = (SELECT residence FROM patient_obs WHERE pid = ?1 AND source = ?5),"
             " vital_status = ?6, vital_status_date = ?7,"
             " death_cause = (SELECT death_cause FROM patient_obs WHERE pid = ?1 AND source = ?8),"
             " death_place = (SELECT death_place FROM patient_obs WHERE pid = ?1 AND source = ?14),"
             " source = ?9, h = ?10, run = ?11, nsources = ?12, conflict = ?13 WHERE pid = ?1",
             &b->upd, im->diag)) != PN_OK)
        return rc;
    const pn__obs *bo = &b->obs[c->birth_from], *vo = &b->obs[c->vital_from];
    /* the tumour bit stays until the conflicts are rebuilt at the end of the run */
    unsigned bits = c->conflict | (p->conflict & PN__CONFLICT_TUMOUR);
    sqlite3_stmt *s = b->upd;
    sqlite3_bind_int64(s, 1, p->id);
    sqlite3_bind_int(s, 2, c->sex);
    sqlite3_bind_int(s, 3, bo->birth);
    sqlite3_bind_int(s, 4, bo->birth_prec);
    sqlite3_bind_int64(s, 5, c->residence_from >= 0 ? b->obs[c->residence_from].source : -1);
    sqlite3_bind_int(s, 6, vo->dead);
    sqlite3_bind_int(s, 7, vo->date);
    sqlite3_bind_int64(s, 8, c->cause_from >= 0 ? b->obs[c->cause_from].source : -1);
    sqlite3_bind_int64(s, 9, vo->source);
    sqlite3_bind_int64(s, 10, (int64_t)b->h[c->vital_from]);
    sqlite3_bind_int64(s, 11, b->run[c->vital_from]);
    sqlite3_bind_int64(s, 12, (int64_t)b->n);
    sqlite3_bind_int(s, 13, (int)bits);
    sqlite3_bind_int64(s, 14, c->place_from >= 0 ? b->obs[c->place_from].source : -1);
    if ((rc = pn__imp_step(im, s, "writing a patient")) != PN_OK) return rc;
    p->sex = (uint8_t)c->sex;
    p->date1 = bo->birth - (bo->birth_prec == PN_DATE_MONTH ? 14 : 0);
    p->date2 = vo->date;
    p->flag = (uint8_t)vo->dead;
    p->nsrc = b->n < UINT16_MAX ? (uint16_t)b->n : UINT16_MAX;
    p->conflict = (uint8_t)bits;
    return PN_OK;
}

int pn__imp_consolidate_patients(pn__imp *im)
{
    if (im->n_dirty == 0) return PN_OK;
    obsbuf b = {0};
    int rc = PN_OK;
    for (size_t i = 0; i < im->pmap.cap && rc == PN_OK; i++) {
        pn__entry *p = &im->pmap.slots[i];
        if (p->state != PN__ENTRY_LOADED || !(p->dirty & PN__DIRTY_OBS)) continue;
        rc = consolidate_one(im, &b, p);
    }
    obsbuf_free(&b);
    return rc;
}

/* Insert one conflict row. */
static int put_conflict(pn__imp *im, obsbuf *b, int64_t pid, const char *field, int64_t tid,
                        int64_t source_a, int64_t source_b)
{
    sqlite3_stmt *s = b->ins;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_text(s, 2, field, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, tid);
    sqlite3_bind_int64(s, 4, source_a);
    sqlite3_bind_int64(s, 5, source_b);
    return pn__imp_step(im, s, "writing a conflict");
}

/* Rebuild patient p's conflicts: its observations' and its tumours' against them. The
 * conflicts are rewritten only when there were or are some (patients.conflict says so). */
static int conflicts_one(pn__imp *im, obsbuf *b, pn__entry *p)
{
    pn__consolidated c;
    size_t nconf;
    int rc = consolidate_obs(im, b, p, &c, &nconf);
    if (rc != PN_OK) return rc;
    /* tumours diagnosed after the death, or (the identity agreeing) before the birth, that
     * another source, or a newer extract, reports */
    const pn__obs *vo = &b->obs[c.vital_from], *bo = &b->obs[c.birth_from];
    int32_t birth = bo->birth - (bo->birth_prec == PN_DATE_MONTH ? 14 : 0);
    sqlite3_stmt *s = b->tum;
    sqlite3_bind_int64(s, 1, p->id);
    size_t nt = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t tid = sqlite3_column_int64(s, 0), tsrc = sqlite3_column_int64(s, 1);
        int32_t dx = sqlite3_column_int(s, 2);
        const char *field = NULL;
        int64_t against = 0;
        if (vo->dead && dx > vo->date) field = "diagnosis_date", against = vo->source;
        else if (!(c.conflict & PN__CONFLICT_IDENTITY) && dx < birth)
            field = "birth_date", against = bo->source;
        if (field == NULL) continue;
        if (pn_grow((void **)&b->tconf, &b->tconf_cap, nt + 1, sizeof *b->tconf) != PN_OK) {
            rc = pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
            break;
        }
        b->tconf[nt++] = (tconflict){field, tid, against, tsrc};
    }
    if (rc == PN_OK && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = pn__imp_fail(im, "reading a patient's tumours");
    sqlite3_reset(s);
    if (rc != PN_OK) return rc;
    unsigned bits = c.conflict | (nt ? PN__CONFLICT_TUMOUR : 0);
    if (p->conflict == 0 && bits == 0 && !p->had_conflict) return PN_OK; /* none before or now */
    sqlite3_bind_int64(b->del, 1, p->id);
    if ((rc = pn__imp_step(im, b->del, "writing a conflict")) != PN_OK) return rc;
    for (size_t k = 0; k < nconf && rc == PN_OK; k++)
        rc = put_conflict(im, b, p->id, b->conf[k].field, 0, b->obs[b->conf[k].a].source,
                          b->obs[b->conf[k].b].source);
    for (size_t k = 0; k < nt && rc == PN_OK; k++)
        rc = put_conflict(im, b, p->id, b->tconf[k].field, b->tconf[k].tid, b->tconf[k].a,
                          b->tconf[k].b);
    if (rc == PN_OK && bits != p->conflict) {
        sqlite3_bind_int64(b->flag, 1, p->id);
        sqlite3_bind_int(b->flag, 2, (int)bits);
        rc = pn__imp_step(im, b->flag, "writing a patient");
        p->conflict = (uint8_t)bits;
    }
    return rc;
}

int pn__imp_consolidate_conflicts(pn__imp *im)
{
    if (im->n_dirty == 0) return PN_OK;
    obsbuf b = {0};
    int rc;
    if ((rc = pn__store_prepare(im->st, "DELETE FROM conflicts WHERE pid = ?1", &b.del,
                                im->diag)) != PN_OK ||
        (rc = pn__store_prepare(im->st,
             "INSERT OR IGNORE INTO conflicts(pid, field, tid, source_a, source_b)"
             " VALUES (?1, ?2, ?3, ?4, ?5)", &b.ins, im->diag)) != PN_OK ||
        /* the index on (site, pid, ...) serves a lookup by pid over the eight site codes */
        (rc = pn__store_prepare(im->st, "UPDATE patients SET conflict = ?2 WHERE pid = ?1",
                                &b.flag, im->diag)) != PN_OK ||
        (rc = pn__store_prepare(im->st,
             "SELECT tid, source, diagnosis_date FROM tumours"
             " WHERE site IN (0, 1, 2, 3, 4, 5, 6, 7) AND pid = ?1 ORDER BY tid",
             &b.tum, im->diag)) != PN_OK)
        goto done;
    for (size_t i = 0; i < im->pmap.cap && rc == PN_OK; i++) {
        pn__entry *p = &im->pmap.slots[i];
        if (p->state != PN__ENTRY_LOADED || !p->dirty) continue;
        rc = conflicts_one(im, &b, p);
        p->dirty = 0;
    }
done:
    obsbuf_free(&b);
    return rc;
}
