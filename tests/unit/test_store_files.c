/* test_store_files.c - the store's files and how it is opened: every file 0600 whatever the
 * umask (the main file, and the -wal and -shm SQLite makes beside it while it is open), and an
 * older store's modes tightened when opened for writing. */
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
        umask(old);
        remove_dir();
    }
}

/* A store made before its files were 0600: opening it for writing takes group and other rights
 * off its files (and says so). */
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

PN_TEST_MAIN(PN_T(files_are_private_whatever_the_umask), PN_T(older_store_modes_tightened_on_write))
