/* test_store_files.c - the store's files and how it is opened: every file 0600 whatever the
 * umask (the main file, and the -wal and -shm SQLite makes beside it while it is open), an
 * older store's modes tightened when opened for writing and left alone when read, a read-only
 * open that neither migrates nor writes, and the store's errors mapped to input errors. */
#include "pn_test.h"
#include "pn_testfs.h"
#include "pronostic/pseudonym.h"
#include "pronostic/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void make_dir(void)
{
    pn_test_mkdir(dir, sizeof dir, "pn_test_store_files");
    unsetenv(PN_KEY_ENV);
    setenv("PRONOSTIC_TODAY", "2025-01-01", 1);
    pn_test_write(dir, "patients.csv",
                  "patient_id,sex,birth_date,vital_status,vital_status_date\n"
                  "A,M,1950-01-01,dead,2020-01-11\nB,F,1960-06-15,alive,2024-06-30\n");
    pn_test_write(dir, "tumours.csv",
                  "tumour_id,patient_id,diagnosis_date,icd10\n"
                  "1,A,2020-01-01,C34.1\n2,B,2019-01-01,C25.0\n");
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

/* The permission bits of `path` + `suffix`, or -1 when it does not exist. */
static int mode_of(const char *path, const char *suffix)
{
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return stat(p, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

static int user_version(const char *db)
{
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return v;
}

static void set_user_version(const char *db, int v)
{
    sqlite3 *raw = NULL;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    PN_CHECK(sqlite3_open(db, &raw) == SQLITE_OK);
    PN_CHECK(sqlite3_exec(raw, sql, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(raw);
}

/* init, then an import, under three umasks: the main file, its key, and the -wal and -shm
 * that exist while the store is open are all 0600. */
PN_TEST(files_are_private_whatever_the_umask)
{
    static const mode_t masks[] = {022, 0, 0277};
    for (size_t m = 0; m < sizeof masks / sizeof *masks; m++) {
        make_dir();
        char db[128];
        snprintf(db, sizeof db, "%s/s.db", dir);
        mode_t old = umask(masks[m]);
        pn_diag d = {0};
        pn_store *s = NULL;
        pn_import_stats stats;
        PN_CHECK(pn_store_init(db, &d) == PN_OK);
        PN_CHECK(mode_of(db, "") == 0600);
        PN_CHECK(mode_of(db, ".key") == 0600);
        PN_CHECK(pn_store_open(&s, db, &d) == PN_OK);
        PN_CHECK(s != NULL && pn_store_tightened(s) == 0);
        PN_CHECK(s != NULL && pn_store_import(s, dir, NULL, &stats, &d) == PN_OK);
        PN_CHECK(stats.loaded == 4);
        /* while open, after writing: the log and the shared-memory index exist */
        PN_CHECK(mode_of(db, "-wal") == 0600);
        PN_CHECK(mode_of(db, "-shm") == 0600);
        PN_CHECK(mode_of(db, "") == 0600);
        pn_store_close(s);
        /* a reader leaves the modes as they are */
        PN_CHECK(pn_store_open_readonly(&s, db, &d) == PN_OK);
        pn_store_close(s);
        PN_CHECK(mode_of(db, "") == 0600);
        umask(old);
        remove_dir();
    }
}

/* A store made before its files were 0600: opening it for writing takes group and other rights
 * off its files (and says so); opening it for reading does not. */
PN_TEST(older_store_modes_tightened_on_write)
{
    make_dir();
    char db[128], side[140];
    snprintf(db, sizeof db, "%s/s.db", dir);
    pn_diag d = {0};
    pn_store *s = NULL;
    PN_CHECK(pn_store_init(db, &d) == PN_OK);
    PN_CHECK(chmod(db, 0644) == 0);
    snprintf(side, sizeof side, "%s-shm", db);
    pn_test_write(dir, "s.db-shm", ""); /* a leftover -shm of the old mode */
    PN_CHECK(chmod(side, 0664) == 0);
    PN_CHECK(pn_store_open_readonly(&s, db, &d) == PN_OK);
    pn_store_close(s);
    PN_CHECK(mode_of(db, "") == 0644);
    PN_CHECK(pn_store_open(&s, db, &d) == PN_OK);
    PN_CHECK(s != NULL && pn_store_tightened(s) == 1);
    PN_CHECK(mode_of(db, "") == 0600);
    PN_CHECK(mode_of(db, "-shm") == 0600);
    pn_store_close(s);
    PN_CHECK(pn_store_open(&s, db, &d) == PN_OK);
    PN_CHECK(s != NULL && pn_store_tightened(s) == 0);
    pn_store_close(s);
    remove_dir();
}

/* Read-only: no migration (a store that needs one is an input error saying what to do), and
 * no write goes through. */
PN_TEST(readonly_neither_migrates_nor_writes)
{
    make_dir();
    char db[128];
    snprintf(db, sizeof db, "%s/s.db", dir);
    pn_diag d = {0};
    pn_store *s = NULL;
    pn_import_stats stats;
    PN_CHECK(pn_store_init(db, &d) == PN_OK);
    PN_CHECK(pn_store_open_readonly(&s, db, &d) == PN_OK);
    PN_CHECK(s != NULL && pn_store_import(s, dir, NULL, &stats, &d) == PN_EIO);
    PN_CHECK(strstr(d.msg, "readonly") != NULL);
    pn_store_close(s);
    /* nothing was loaded */
    PN_CHECK(pn_store_open(&s, db, &d) == PN_OK);
    PN_CHECK(s != NULL && pn_store_import(s, dir, NULL, &stats, &d) == PN_OK && stats.loaded == 4);
    pn_store_close(s);
    /* a store whose schema is older than the program's */
    set_user_version(db, 0);
    pn_diag_clear(&d);
    PN_CHECK(pn_store_open_readonly(&s, db, &d) == PN_EIO);
    PN_CHECK(s == NULL);
    PN_CHECK(strstr(d.msg, "schema version 0 is older than this program's") != NULL);
    PN_CHECK(strstr(d.msg, "open it for writing once") != NULL);
    PN_CHECK(user_version(db) == 0);
    /* a newer one is refused by both */
    set_user_version(db, 99);
    PN_CHECK(pn_store_open_readonly(&s, db, &d) == PN_EDB);
    PN_CHECK(user_version(db) == 99);
    remove_dir();
}

/* PRONOSTIC_BUSY_TIMEOUT_MS: a store locked by another connection's write transaction is an
 * input error (exit 2) saying so, after the timeout; readers are not blocked (WAL). */
PN_TEST(locked_store_is_an_input_error)
{
    make_dir();
    char db[128];
    snprintf(db, sizeof db, "%s/s.db", dir);
    pn_diag d = {0};
    pn_store *s = NULL, *r = NULL;
    pn_import_stats stats;
    PN_CHECK(pn_store_init(db, &d) == PN_OK);
    sqlite3 *other = NULL;
    PN_CHECK(sqlite3_open(db, &other) == SQLITE_OK);
    PN_CHECK(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    setenv("PRONOSTIC_BUSY_TIMEOUT_MS", "50", 1);
    PN_CHECK(pn_store_open(&s, db, &d) == PN_OK);
    PN_CHECK(s != NULL && pn_store_import(s, dir, NULL, &stats, &d) == PN_EIO);
    PN_CHECK(pn_exit_code(d.code) == PN_EXIT_INPUT);
    PN_CHECK(strstr(d.msg, "the store is locked by another process (an import?)") != NULL);
    PN_CHECK(strstr(d.msg, "gave up after 0.05 s") != NULL);
    PN_CHECK(pn_store_open_readonly(&r, db, &d) == PN_OK);
    pn_store_close(r);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    PN_CHECK(s != NULL && pn_store_import(s, dir, NULL, &stats, &d) == PN_OK && stats.loaded == 4);
    pn_store_close(s);
    unsetenv("PRONOSTIC_BUSY_TIMEOUT_MS");
    remove_dir();
}

PN_TEST_MAIN(PN_T(files_are_private_whatever_the_umask), PN_T(older_store_modes_tightened_on_write),
             PN_T(readonly_neither_migrates_nor_writes), PN_T(locked_store_is_an_input_error))
