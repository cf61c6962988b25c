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

const char *const pn__store_migrations[] = {
    /* 1: the first schema */
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
    "CREATE INDEX quarantine_key ON quarantine(source, file, row_key);",
};

const int pn__store_nmigrations = (int)(sizeof pn__store_migrations / sizeof *pn__store_migrations);

const char *const pn__event_types[] = {
    "imaging", "biopsy", "pathology", "tumour_board", "surgery", "chemotherapy", "radiotherapy",
    "targeted_therapy", "immunotherapy", "emergency_visit", "hospital_admission",
    "icu_admission", "palliative_care", "supportive_care", "pain_consultation",
    "trial_screening", "trial_inclusion", "progression", "death", NULL,
};
const int pn__n_event_types = (int)(sizeof pn__event_types / sizeof *pn__event_types) - 1;
