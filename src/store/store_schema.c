/* store_schema.c - the store's schema, as numbered migrations (PRAGMA user_version).
 *
 * Never edit a migration that has shipped: append a new one. Identifiers from the sources never
 * appear: patients and tumours are keyed by pseudonyms (BLOB), rows refer to each other by
 * integer row ids, and `h` is each row's keyed content fingerprint (pseudonym.h), which makes
 * re-imports idempotent. Pseudonyms are unique by construction: the import indexes them in
 * memory inside its write transaction (imports are serialised), so the tables carry no index on
 * them (an index would cost a random B-tree insert per row). Every row keeps the import run that wrote it (runs.source names its
 * source); the small tables also keep the source directly.
 */
#include "store_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/carevocab.h"

#include <string.h>

/* Version 2's fixup: quarantine reasons of version 1 that quoted the rejected value
 * ("'X' is not a date ...", "date in the future: X") keep only the rule ("not a date ...",
 * "date in the future"); the value may have been an identifier sent in the wrong column. */
static int scrub_reasons(pn_store *store, pn_diag *diag)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int rc = pn__store_prepare(store,
        "SELECT id, reason FROM quarantine WHERE reason LIKE '''%'' is not %'"
        " OR reason LIKE 'date in the future: %'", &sel, diag);
    if (rc == PN_OK)
        rc = pn__store_prepare(store, "UPDATE OR REPLACE quarantine SET reason = ?2 WHERE id = ?1",
                               &upd, diag);
    int step = SQLITE_DONE;
    while (rc == PN_OK && (step = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(sel, 1);
        const char *keep = NULL;
        if (strncmp(r, "date in the future: ", 20) == 0) {
            keep = "date in the future";
        } else {
            /* the last "' is not ": the rule that follows it never holds one */
            for (const char *q = strstr(r, "' is not "); q != NULL; q = strstr(q + 1, "' is not "))
                keep = q + 5;
        }
        if (keep == NULL) continue;
        char *copy = pn_strdup(keep);
        if (copy == NULL) {
            rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
            break;
        }
        sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_text(upd, 2, copy, -1, SQLITE_TRANSIENT);
        pn_free(copy);
        if (sqlite3_step(upd) != SQLITE_DONE)
            rc = pn__store_error(store, "migrating the quarantine", diag);
        sqlite3_reset(upd);
    }
    if (rc == PN_OK && step != SQLITE_DONE)
        rc = pn__store_error(store, "migrating the quarantine", diag);
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    return rc;
}

const pn__migration pn__store_migrations[] = {
    {/* 1: the first schema */
    "CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE sources(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE runs(id INTEGER PRIMARY KEY, source INTEGER NOT NULL REFERENCES sources(id),"
    "  started TEXT NOT NULL, finished TEXT, rows_read INTEGER, rows_loaded INTEGER,"
    "  rows_unchanged INTEGER, rows_quarantined INTEGER, warnings INTEGER);"
    "CREATE TABLE patients(pid INTEGER PRIMARY KEY, pseudonym BLOB NOT NULL,"
    "  h INTEGER NOT NULL, sex INTEGER NOT NULL, birth_date INTEGER NOT NULL,"
    "  birth_precision INTEGER NOT NULL, residence TEXT, vital_status INTEGER NOT NULL,"
    "  vital_status_date INTEGER NOT NULL, death_cause TEXT,"
    "  source INTEGER NOT NULL, run INTEGER NOT NULL);"
    "CREATE TABLE tumours(tid INTEGER PRIMARY KEY, tkey BLOB NOT NULL, h INTEGER NOT NULL,"
    "  pid INTEGER NOT NULL REFERENCES patients(pid), diagnosis_date INTEGER NOT NULL,"
    "  icd10 TEXT, topography TEXT, morphology TEXT, stage_system TEXT, stage TEXT,"
    "  centre_id TEXT, site INTEGER NOT NULL, source INTEGER NOT NULL, run INTEGER NOT NULL);"
    "CREATE INDEX tumours_site ON tumours(site, pid, diagnosis_date);"
    "CREATE TABLE event_types(code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "INSERT INTO event_types VALUES (0,'imaging'),(1,'biopsy'),(2,'pathology'),"
    "  (3,'tumour_board'),(4,'surgery'),(5,'chemotherapy'),(6,'radiotherapy'),"
    "  (7,'targeted_therapy'),(8,'immunotherapy'),(9,'emergency_visit'),"
    "  (10,'hospital_admission'),(11,'icu_admission'),(12,'palliative_care'),"
    "  (13,'supportive_care'),(14,'pain_consultation'),(15,'trial_screening'),"
    "  (16,'trial_inclusion'),(17,'progression'),(18,'death');"
    "CREATE TABLE events(pid INTEGER NOT NULL, h INTEGER NOT NULL, date INTEGER NOT NULL,"
    "  type INTEGER NOT NULL, tid INTEGER, centre_id TEXT, code TEXT, detail TEXT,"
    "  run INTEGER NOT NULL, PRIMARY KEY(pid, h)) WITHOUT ROWID;"
    "CREATE TABLE alterations(pid INTEGER NOT NULL, h INTEGER NOT NULL, tid INTEGER,"
    "  gene TEXT NOT NULL, alteration TEXT NOT NULL, partner_gene TEXT, platform_id TEXT,"
    "  date INTEGER, run INTEGER NOT NULL, PRIMARY KEY(pid, h))"
    "  WITHOUT ROWID;"
    "CREATE TABLE treatment_lines(pid INTEGER NOT NULL, line INTEGER NOT NULL,"
    "  h INTEGER NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER, regimen TEXT,"
    "  end_reason TEXT, source INTEGER NOT NULL, run INTEGER NOT NULL, PRIMARY KEY(pid, line))"
    "  WITHOUT ROWID;"
    "CREATE TABLE centres(centre_id TEXT PRIMARY KEY, h INTEGER NOT NULL, name TEXT NOT NULL,"
    "  departement TEXT NOT NULL, authorisations TEXT, networks TEXT,"
    "  source INTEGER NOT NULL, run INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE territories(departement TEXT PRIMARY KEY, h INTEGER NOT NULL,"
    "  name TEXT NOT NULL, region TEXT NOT NULL, population INTEGER NOT NULL, mri INTEGER,"
    "  ct INTEGER, pet INTEGER, mri_wait_days REAL, source INTEGER NOT NULL,"
    "  run INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE trials(id TEXT PRIMARY KEY, h INTEGER NOT NULL, json TEXT NOT NULL,"
    "  source INTEGER NOT NULL, run INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE quarantine(id INTEGER PRIMARY KEY, source INTEGER NOT NULL,"
    "  run INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, field TEXT NOT NULL,"
    "  reason TEXT NOT NULL, severity TEXT NOT NULL, row_key BLOB,"
    "  UNIQUE(source, file, line, field, reason));"
    "CREATE INDEX quarantine_key ON quarantine(source, file, row_key);", NULL},
    {/* 2: one observation per patient and source (lossless consolidation), the conflicts
      * between sources, a tumour's line, treatment lines per source, and the fingerprint of a
      * quarantined value. A patient's version-1 row becomes its source's observation; where
      * another source had overwritten its vital status (the run that wrote it is another
      * source's), the observation's fingerprint is 0, so that re-importing the source rewrites
      * it from its file. */
    "CREATE TABLE patient_obs(pid INTEGER NOT NULL, source INTEGER NOT NULL, h INTEGER NOT NULL,"
    "  sex INTEGER NOT NULL, birth_date INTEGER NOT NULL, birth_precision INTEGER NOT NULL,"
    "  residence TEXT, vital_status INTEGER NOT NULL, vital_status_date INTEGER NOT NULL,"
    "  death_cause TEXT, line INTEGER NOT NULL, run INTEGER NOT NULL,"
    "  PRIMARY KEY(pid, source)) WITHOUT ROWID;"
    "INSERT INTO patient_obs SELECT p.pid, p.source,"
    "  CASE WHEN r.source = p.source THEN p.h ELSE 0 END, p.sex, p.birth_date,"
    "  p.birth_precision, p.residence, p.vital_status, p.vital_status_date, p.death_cause, 0,"
    "  p.run FROM patients p LEFT JOIN runs r ON r.id = p.run;"
    "UPDATE patients SET h = 0 WHERE run NOT IN (SELECT id FROM runs WHERE source = patients.source);"
    "ALTER TABLE patients ADD COLUMN nsources INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE patients ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE tumours ADD COLUMN line INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE conflicts(pid INTEGER NOT NULL, field TEXT NOT NULL, tid INTEGER NOT NULL,"
    "  source_a INTEGER NOT NULL, source_b INTEGER NOT NULL,"
    "  PRIMARY KEY(pid, field, tid, source_a, source_b)) WITHOUT ROWID;"
    "CREATE TABLE treatment_lines2(pid INTEGER NOT NULL, line INTEGER NOT NULL,"
    "  h INTEGER NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER, regimen TEXT,"
    "  end_reason TEXT, source INTEGER NOT NULL, run INTEGER NOT NULL,"
    "  PRIMARY KEY(pid, source, line)) WITHOUT ROWID;"
    "INSERT INTO treatment_lines2 SELECT pid, line, h, start_date, end_date, regimen, end_reason,"
    "  source, run FROM treatment_lines;"
    "DROP TABLE treatment_lines;"
    "ALTER TABLE treatment_lines2 RENAME TO treatment_lines;"
    "ALTER TABLE quarantine ADD COLUMN value_h INTEGER;",
    scrub_reasons},
    {/* 3: bundle format version 2 (the end of a stay and its setting, the place of death) and
      * the audit of privileged acts (a figure published without disclosure control). The new
      * columns are NULL where a source did not give them. Codes: carevocab.h. */
    "ALTER TABLE events ADD COLUMN end_date INTEGER;"
    "ALTER TABLE events ADD COLUMN setting INTEGER;"
    "ALTER TABLE patients ADD COLUMN death_place INTEGER;"
    "ALTER TABLE patient_obs ADD COLUMN death_place INTEGER;"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,"
    "  action TEXT NOT NULL, detail TEXT NOT NULL);",
    NULL},
    {/* 4: accounts and their API tokens (account.h: argon2id hashes only), the number of
      * patient-level rows an audited act read (NULL: not a read), and the audit made
      * append-only: no entry is changed, none younger than 183 days is deleted (code de la
      * santé publique, R. 6113-9-2: traces of access kept at least six months). An entry whose
      * time cannot be read counts as young. */
    "CREATE TABLE accounts(name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,"
    "  sources TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE tokens(id TEXT PRIMARY KEY, account TEXT NOT NULL, hash TEXT NOT NULL,"
    "  created TEXT NOT NULL);"
    "CREATE INDEX tokens_account ON tokens(account);"
    "ALTER TABLE audit ADD COLUMN rows INTEGER;"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit is append-only: an entry cannot be changed'); END;"
    "CREATE TRIGGER audit_retention BEFORE DELETE ON audit"
    "  WHEN julianday(OLD.at) IS NULL OR julianday(OLD.at) > julianday('now', '-183 days') BEGIN"
    "  SELECT RAISE(ABORT, 'audit entries are kept at least 183 days (code de la sante"
    " publique R. 6113-9-2)'); END;",
    NULL},
};

const int pn__store_nmigrations = (int)(sizeof pn__store_migrations / sizeof *pn__store_migrations);
