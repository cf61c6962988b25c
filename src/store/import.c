/* import.c - loading a CSV bundle (docs/interfaces.md 2) into the store in one transaction.
 *
 * Each file is read once, streaming (import_file.c). A row goes through three gates: its fields
 * (required, encoding, format, not in the future), its own consistency (dates in order), and its
 * references (known, not quarantined patient or tumour). A row that fails any gate is written to
 * the quarantine with file, line, field and reason, and the import goes on. Source identifiers
 * are turned into keyed pseudonyms before anything is written, and no field value is echoed in
 * a reason. Each stored row keeps a keyed fingerprint of its content (h): a row already stored
 * with the same content is left alone, which makes re-imports idempotent. Each source keeps its
 * own observation of a patient; the patient's row is consolidated from all of them
 * (import_consolidate.c). This file holds the run itself: statements, the in-memory maps,
 * the runs log, the files in order and the commit.
 */
#include "import_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/date.h"
#include "pronostic/num.h"

#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A database failure, reported in the writing thread's own diagnostic while the pipe runs. */
int pn__imp_fail(pn__imp *im, const char *what)
{
    return pn__store_error(im->st, what, im->pipe ? &im->wdiag : im->diag);
}

/* Bind a field's text, or NULL when absent. */
void pn__imp_bind_text(sqlite3_stmt *s, int i, const pn__fval *v)
{
    if (v->present) sqlite3_bind_text(s, i, v->s, (int)v->len, SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}

void pn__imp_bind_opt_int(sqlite3_stmt *s, int i, const pn__fval *v)
{
    if (v->present) sqlite3_bind_int64(s, i, v->i);
    else sqlite3_bind_null(s, i);
}

int pn__imp_step(pn__imp *im, sqlite3_stmt *s, const char *what)
{
    /* every statement has all its parameters bound before each step: no clear_bindings */
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? PN_OK : pn__imp_fail(im, what);
}


/* The files, in the order they are read: references before the rows that use them. */
static const pn__filespec *const files[] = {
    &pn__spec_territories, &pn__spec_centres, &pn__spec_patients, &pn__spec_tumours,
    &pn__spec_events, &pn__spec_alterations, &pn__spec_lines,
};
#define NFILES (sizeof files / sizeof *files)

/* Files of the directory that are not part of the format: a warning each. */
static int unknown_files(pn__imp *im, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) return PN_OK;
    struct dirent *e;
    int rc = PN_OK;
    pn__filespec other = {"", 0, NULL, 0, 0, 0, NULL, NULL, NULL, 0};
    while (rc == PN_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        int known = strcmp(e->d_name, "trials.json") == 0;
        for (size_t f = 0; f < NFILES && !known; f++) known = strcmp(e->d_name, files[f]->file) == 0;
        if (known) continue;
        char name[256];
        snprintf(name, sizeof name, "%s", e->d_name);
        other.file = name;
        im->spec = &other;
        rc = pn__imp_quarantine(im, 0, "", "warning", NULL, "unknown file, ignored");
    }
    closedir(d);
    im->spec = NULL;
    return rc;
}

/* ---- setup ------------------------------------------------------------------------------ */

static int load_maps(pn__imp *im)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(im->st,
        "SELECT pid, pseudonym, h, sex, birth_date, birth_precision, vital_status, "
        "vital_status_date, source, nsources, conflict FROM patients", &s, im->diag);
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
        int64_t nsrc = sqlite3_column_int64(s, 9);
        e->nsrc = nsrc < UINT16_MAX ? (uint16_t)nsrc : UINT16_MAX;
        e->conflict = (uint8_t)sqlite3_column_int(s, 10);
        e->had_conflict = e->conflict != 0;
        e->state = PN__ENTRY_LOADED;
    }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE) return pn__imp_fail(im, "reading patients");
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
    if (step != SQLITE_DONE) return pn__imp_fail(im, "reading tumours");
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
    if (step != SQLITE_DONE) return pn__imp_fail(im, "reading the quarantine");
    return PN_OK;
}

typedef struct stmtdef {
    size_t offset;
    const char *sql;
} stmtdef;

#define ST(field, sql) {offsetof(pn__imp, field), sql}
static const stmtdef stmts[] = {
    ST(q_ins, "INSERT OR IGNORE INTO quarantine(source, run, file, line, field, reason, severity,"
              " row_key, value_h) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
    ST(q_del_key, "DELETE FROM quarantine WHERE source = ?1 AND file = ?2 AND row_key = ?3"
                  " AND severity = 'error' AND run <> ?4"),
    ST(q_del_line, "DELETE FROM quarantine WHERE source = ?1 AND file = ?2 AND line = ?3"
                   " AND severity = 'error' AND run <> ?4"),
    ST(p_ins, "INSERT INTO patients(h, sex, birth_date, birth_precision, residence, vital_status,"
              " vital_status_date, death_cause, source, run, pseudonym, death_place, nsources,"
              " conflict) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, 0)"),
    ST(o_put, "INSERT OR REPLACE INTO patient_obs(pid, source, h, sex, birth_date,"
              " birth_precision, residence, vital_status, vital_status_date, death_cause, line,"
              " run, death_place) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
    ST(o_sel, "SELECT h FROM patient_obs WHERE pid = ?1 AND source = ?2"),
    ST(t_ins, "INSERT INTO tumours(h, pid, diagnosis_date, icd10, topography, morphology,"
              " stage_system, stage, centre_id, site, source, run, line, tkey)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
    ST(t_upd, "UPDATE tumours SET h = ?1, pid = ?2, diagnosis_date = ?3, icd10 = ?4,"
              " topography = ?5, morphology = ?6, stage_system = ?7, stage = ?8, centre_id = ?9,"
              " site = ?10, source = ?11, run = ?12, line = ?13 WHERE tid = ?14"),
    ST(e_ins, "INSERT INTO events(pid, h, date, type, tid, centre_id, code, detail, run,"
              " end_date, setting) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
              " ON CONFLICT DO NOTHING"),
    ST(a_ins, "INSERT INTO alterations(pid, h, tid, gene, alteration, partner_gene, platform_id,"
              " date, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING"),
    ST(l_sel, "SELECT h, run, source FROM treatment_lines WHERE pid = ?1 AND source = ?2"
              " AND line = ?3"),
    ST(l_put, "INSERT OR REPLACE INTO treatment_lines(pid, line, h, start_date, end_date, regimen,"
              " end_reason, source, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
    ST(c_sel, "SELECT h, run, source FROM centres WHERE centre_id = ?1"),
    ST(c_put, "INSERT OR REPLACE INTO centres(centre_id, h, name, departement, authorisations,"
              " networks, source, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
    ST(r_sel, "SELECT h, run, source FROM territories WHERE departement = ?1"),
    ST(r_put, "INSERT OR REPLACE INTO territories(departement, h, name, region, population, mri,"
              " ct, pet, mri_wait_days, source, run)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
    ST(j_sel, "SELECT h, run, source FROM trials WHERE id = ?1"),
    ST(j_put, "INSERT OR REPLACE INTO trials(id, h, json, source, run) VALUES (?1, ?2, ?3, ?4, ?5)"),
};
#define NSTMTS (sizeof stmts / sizeof *stmts)

static int start_run(pn__imp *im, const char *source)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(im->st, "INSERT OR IGNORE INTO sources(name) VALUES (?1)", &s, im->diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    rc = sqlite3_step(s) == SQLITE_DONE ? PN_OK : pn__imp_fail(im, "registering the source");
    sqlite3_finalize(s);
    if (rc != PN_OK) return rc;
    if ((rc = pn__store_prepare(im->st, "SELECT id FROM sources WHERE name = ?1", &s, im->diag)) != PN_OK)
        return rc;
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    rc = sqlite3_step(s) == SQLITE_ROW ? PN_OK : pn__imp_fail(im, "registering the source");
    im->source = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != PN_OK) return rc;
    if ((rc = pn__store_prepare(im->st,
             "INSERT INTO runs(source, started) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
             &s, im->diag)) != PN_OK)
        return rc;
    sqlite3_bind_int64(s, 1, im->source);
    rc = sqlite3_step(s) == SQLITE_DONE ? PN_OK : pn__imp_fail(im, "recording the import run");
    sqlite3_finalize(s);
    im->run = sqlite3_last_insert_rowid(im->db);
    return rc;
}

/* The conflicts this run's source is part of, once the run is done. */
static int count_conflicts(pn__imp *im)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(im->st,
        "SELECT count(*) FROM conflicts WHERE source_a = ?1 OR source_b = ?1", &s, im->diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_int64(s, 1, im->source);
    if (sqlite3_step(s) == SQLITE_ROW) im->stats->conflicts = sqlite3_column_int64(s, 0);
    else rc = pn__imp_fail(im, "counting the conflicts");
    sqlite3_finalize(s);
    return rc;
}

static int finish_run(pn__imp *im)
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
    rc = sqlite3_step(s) == SQLITE_DONE ? PN_OK : pn__imp_fail(im, "recording the import run");
    sqlite3_finalize(s);
    return rc;
}

static int32_t today_of(const pn_import_opts *opts)
{
    return opts && opts->today ? opts->today : pn_date_today_env();
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
    pn__imp im = {0};
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
                                      " centre_id, code, detail, run, end_date, setting) VALUES ");
        _Static_assert(EVENT_PARAMS == 11, "one ? per event value below");
        for (int k = 0; k < EVENTS_PER_INSERT; k++)
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%s(?,?,?,?,?,?,?,?,?,?,?)",
                                    k ? "," : "");
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
        if ((rc = pn__imp_file(&im, dir, files[f])) != PN_OK) goto done;
        im.spec = files[f];
        if (files[f]->done != NULL && (rc = files[f]->done(&im)) != PN_OK) goto done;
        if (opts && opts->progress) opts->progress(opts->progress_ctx, files[f]->file, stats->read);
    }
    if ((rc = pn__imp_consolidate_conflicts(&im)) != PN_OK) goto done;
    if ((rc = count_conflicts(&im)) != PN_OK) goto done;
    if ((rc = pn__imp_trials(&im, dir)) != PN_OK) goto done;
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
