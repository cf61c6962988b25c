/* test_store.c - pseudonyms and keys, store creation and migration, and cohort extraction
 * (first primary per person and site, follow-up cut at the closing date, filters). */
#include "pn_test.h"
#include "pn_testfs.h"
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/pseudonym.h"
#include "pronostic/site.h"
#include "pronostic/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void write_file(const char *name, const char *text) { pn_test_write(dir, name, text); }

static void make_dir(void)
{
    pn_test_mkdir(dir, sizeof dir, "pn_test_store");
    unsetenv(PN_KEY_ENV);
    setenv("PRONOSTIC_TODAY", "2025-01-01", 1);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

PN_TEST(pseudonyms)
{
    pn_key a, b;
    PN_CHECK(pn_key_generate(&a) == PN_OK);
    PN_CHECK(pn_key_generate(&b) == PN_OK);
    unsigned char p1[16], p2[16], p3[16], p4[16];
    pn_pseudonym(&a, "patient", "12345", 5, p1);
    pn_pseudonym(&a, "patient", "12345", 5, p2);
    pn_pseudonym(&b, "patient", "12345", 5, p3);
    pn_pseudonym(&a, "tumour", "12345", 5, p4);
    PN_CHECK(memcmp(p1, p2, 16) == 0);
    PN_CHECK(memcmp(p1, p3, 16) != 0);
    PN_CHECK(memcmp(p1, p4, 16) != 0);
    PN_CHECK(pn_keyed_hash64(&a, "x", 1) == pn_keyed_hash64(&a, "x", 1));
    PN_CHECK(pn_keyed_hash64(&a, "x", 1) != pn_keyed_hash64(&b, "x", 1));
    /* a known key, as hex: parsing is exact and the pseudonym is reproducible */
    pn_key k;
    const char *hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
    PN_CHECK(pn_key_from_hex(hex, strlen(hex), &k) == PN_OK);
    PN_CHECK(k.bytes[0] == 0 && k.bytes[15] == 15 && k.bytes[31] == 31);
    PN_CHECK(pn_key_from_hex(hex, 63, &k) == PN_EPARSE);
    PN_CHECK(pn_key_from_hex("zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 64,
                             &k) == PN_EPARSE);
}

PN_TEST(key_file)
{
    make_dir();
    char db[128], key[140];
    snprintf(db, sizeof db, "%s/k.db", dir);
    snprintf(key, sizeof key, "%s/k.db.key", dir);
    pn_key a, b;
    pn_diag d = {0};
    PN_CHECK(pn_key_generate(&a) == PN_OK);
    PN_CHECK(pn_key_write(key, &a, &d) == PN_OK);
    struct stat st;
    PN_CHECK(stat(key, &st) == 0 && (st.st_mode & 0777) == 0600);
    PN_CHECK(pn_key_write(key, &a, &d) == PN_EDUP);
    PN_CHECK(pn_key_load(db, &b, &d) == PN_OK);
    PN_CHECK(memcmp(a.bytes, b.bytes, 32) == 0 && memcmp(a.hash_key, b.hash_key, 16) == 0);
    PN_CHECK(chmod(key, 0644) == 0);
    PN_CHECK(pn_key_load(db, &b, &d) == PN_EPERM);
    PN_CHECK(chmod(key, 0604) == 0);
    PN_CHECK(pn_key_load(db, &b, &d) == PN_EPERM);
    PN_CHECK(unlink(key) == 0);
    PN_CHECK(pn_key_load(db, &b, &d) == PN_ENOTFOUND);
    setenv(PN_KEY_ENV, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1);
    PN_CHECK(pn_key_load(db, &b, &d) == PN_OK && b.bytes[31] == 31);
    setenv(PN_KEY_ENV, "0001", 1);
    PN_CHECK(pn_key_load(db, &b, &d) == PN_EPARSE);
    unsetenv(PN_KEY_ENV);
    remove_dir();
}

PN_TEST(init_and_migrate)
{
    make_dir();
    char db[128];
    snprintf(db, sizeof db, "%s/s.db", dir);
    pn_diag d = {0};
    pn_store *s = NULL;
    PN_CHECK(pn_store_open(&s, db, &d) == PN_ENOTFOUND);
    PN_CHECK(pn_store_init(db, &d) == PN_OK);
    PN_CHECK(pn_store_init(db, &d) == PN_EDUP);
    PN_CHECK(pn_store_open(&s, db, &d) == PN_OK);
    pn_store_close(s);
    sqlite3 *raw = NULL;
    PN_CHECK(sqlite3_open(db, &raw) == SQLITE_OK);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &st, NULL);
    PN_CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == PN_STORE_SCHEMA_VERSION);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL);
    PN_CHECK(sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0);
    sqlite3_finalize(st);
    /* a store from a newer program is refused */
    sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(raw);
    PN_CHECK(pn_store_open(&s, db, &d) == PN_EDB);
    PN_CHECK(s == NULL);
    /* another store's key is refused */
    char db2[128];
    snprintf(db2, sizeof db2, "%s/t.db", dir);
    PN_CHECK(pn_store_init(db2, &d) == PN_OK);
    char k1[140], k2[140];
    snprintf(k1, sizeof k1, "%s.key", db);
    snprintf(k2, sizeof k2, "%s.key", db2);
    PN_CHECK(rename(k1, k2) == 0);
    PN_CHECK(pn_store_open(&s, db2, &d) == PN_EPERM);
    remove_dir();
}

/* A small store: dates chosen so that every number below can be checked by hand. */
static pn_store *cohort_store(void)
{
    make_dir();
    write_file("patients.csv",
               "patient_id,sex,birth_date,residence,vital_status,vital_status_date\n"
               "A,M,1950-01-01,75,dead,2020-01-11\n"       /* dies 10 days after diagnosis */
               "B,F,1960-06-15,13,alive,2024-06-30\n"      /* alive, followed past closing */
               "C,F,1940-01-01,2A,dead,2023-03-01\n"       /* dies after the closing date */
               "D,M,1955-01-01,971,alive,2021-12-31\n"     /* lung twice: first primary 2018 */
               "E,M,1970-01-01,,alive,2024-06-30\n"        /* diagnosed after closing */
               "F,F,1945-05-05,69,dead,2019-03-03\n");     /* pancreas */
    write_file("tumours.csv",
               "tumour_id,patient_id,diagnosis_date,icd10,topography,morphology\n"
               "1,A,2020-01-01,C34.1,,\n"
               "2,B,2019-01-01,,C34.9,8070/3\n"
               "3,C,2020-07-01,C33,,\n"
               "4,D,2020-05-05,C34.3,,\n"
               "5,D,2018-02-02,C34.1,,\n"
               "6,E,2023-02-01,C34.1,,\n"
               "7,F,2019-01-01,C25.0,,\n"
               "8,A,2015-01-01,C18.7,,\n");
    char db[128];
    snprintf(db, sizeof db, "%s/c.db", dir);
    pn_diag d = {0};
    pn_store *s = NULL;
    pn_import_stats stats;
    if (pn_store_init(db, &d) != PN_OK || pn_store_open(&s, db, &d) != PN_OK) return NULL;
    if (pn_store_import(s, dir, NULL, &stats, &d) != PN_OK || stats.quarantined != 0) {
        fprintf(stderr, "import: %s (%lld quarantined)\n", d.msg, stats.quarantined);
        pn_store_close(s);
        return NULL;
    }
    return s;
}

static long find_row(const pn_cohort *c, int32_t diag)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->diag_date[i] == diag) return (long)i;
    return -1;
}

PN_TEST(cohort_lung)
{
    pn_store *s = cohort_store();
    PN_CHECK(s != NULL);
    if (s == NULL) return;
    pn_cohort_filter f;
    pn_cohort_filter_init(&f);
    f.site = PN_SITE_LUNG;
    f.closing = pn_days_from_civil(2022, 12, 31);
    pn_cohort *c = NULL;
    pn_diag d = {0};
    PN_CHECK(pn_cohort_select(s, &f, &c, &d) == PN_OK);
    PN_CHECK(c->n == 4);
    PN_CHECK(c->n_later_primaries == 1);
    PN_CHECK(c->n_after_closing == 1);
    long a = find_row(c, pn_days_from_civil(2020, 1, 1));
    PN_CHECK(a >= 0);
    if (a >= 0) {
        PN_CHECK_NEAR(c->time[a], 10, 0);
        PN_CHECK(c->event[a] == 1);
        PN_CHECK(c->sex[a] == 1);
        PN_CHECK_NEAR(c->age_years[a], (pn_days_from_civil(2020, 1, 1) - pn_days_from_civil(1950, 1, 1)) / 365.241, 1e-12);
        PN_CHECK_STR(c->departement[a], "75");
        PN_CHECK(c->region[a] == 11);
        PN_CHECK_NEAR(c->diag_year[a], 2020.0, 1e-12);
    }
    long b = find_row(c, pn_days_from_civil(2019, 1, 1));
    PN_CHECK(b >= 0);
    if (b >= 0) { /* censored at the closing date */
        PN_CHECK_NEAR(c->time[b], pn_days_from_civil(2022, 12, 31) - pn_days_from_civil(2019, 1, 1), 0);
        PN_CHECK(c->event[b] == 0);
        PN_CHECK(c->region[b] == 93);
    }
    long cc = find_row(c, pn_days_from_civil(2020, 7, 1));
    PN_CHECK(cc >= 0);
    if (cc >= 0) { /* died after closing: censored alive at closing */
        PN_CHECK_NEAR(c->time[cc], pn_days_from_civil(2022, 12, 31) - pn_days_from_civil(2020, 7, 1), 0);
        PN_CHECK(c->event[cc] == 0);
        PN_CHECK_STR(c->departement[cc], "2A");
        PN_CHECK(c->region[cc] == 94);
    }
    /* D: only the 2018 tumour, followed to its last-known-alive date */
    PN_CHECK(find_row(c, pn_days_from_civil(2020, 5, 5)) < 0);
    long dd = find_row(c, pn_days_from_civil(2018, 2, 2));
    PN_CHECK(dd >= 0);
    if (dd >= 0) {
        PN_CHECK_NEAR(c->time[dd], pn_days_from_civil(2021, 12, 31) - pn_days_from_civil(2018, 2, 2), 0);
        PN_CHECK(c->event[dd] == 0);
        PN_CHECK(c->region[dd] == 1);
    }
    pn_cohort_free(c);

    /* a period filter does not promote a later primary: 2020 leaves D out entirely */
    f.year_from = 2020;
    f.year_to = 2020;
    PN_CHECK(pn_cohort_select(s, &f, &c, &d) == PN_OK);
    PN_CHECK(c->n == 2);
    pn_cohort_free(c);
    f.year_from = f.year_to = 0;
    f.sex = 2;
    PN_CHECK(pn_cohort_select(s, &f, &c, &d) == PN_OK);
    PN_CHECK(c->n == 2);
    pn_cohort_free(c);
    f.sex = 0;
    PN_CHECK(pn_region_parse("provence-alpes-cote d'azur", &f.region) == PN_OK);
    PN_CHECK(pn_cohort_select(s, &f, &c, &d) == PN_OK);
    PN_CHECK(c->n == 1 && c->departement[0][0] == '1');
    pn_cohort_free(c);
    f.region = 0;
    memcpy(f.departement, "2A", 3);
    PN_CHECK(pn_cohort_select(s, &f, &c, &d) == PN_OK);
    PN_CHECK(c->n == 1);
    pn_cohort_free(c);
    f.departement[0] = '\0';
    f.age_min = 65;
    PN_CHECK(pn_cohort_select(s, &f, &c, &d) == PN_OK);
    PN_CHECK(c->n == 2); /* A (70) and C (80); B 58, D 63 */
    pn_cohort_free(c);
    /* automatic closing: the latest vital-status date (2024-06-30): E is in, C dies */
    pn_cohort_filter_init(&f);
    f.site = PN_SITE_LUNG;
    PN_CHECK(pn_cohort_select(s, &f, &c, &d) == PN_OK);
    PN_CHECK(c->n == 5 && c->closing == pn_days_from_civil(2024, 6, 30));
    long c2 = find_row(c, pn_days_from_civil(2020, 7, 1));
    PN_CHECK(c2 >= 0 && c->event[c2] == 1);
    pn_cohort_free(c);
    /* all sites: first primary per person and site, so A counts twice (lung and colon) */
    f.site = PN_SITE_OTHER;
    PN_CHECK(pn_cohort_select(s, &f, &c, &d) == PN_OK);
    PN_CHECK(c->n == 7);
    pn_cohort_free(c);
    pn_store_close(s);
    remove_dir();
}

PN_TEST(regions)
{
    PN_CHECK(pn_region_of_departement("75") == 11);
    PN_CHECK(pn_region_of_departement("2B") == 94);
    PN_CHECK(pn_region_of_departement("974") == 4);
    PN_CHECK(pn_region_of_departement("975") == 0);
    PN_CHECK(pn_region_of_departement("20") == 0);
    PN_CHECK(pn_region_of_departement("96") == 0);
    PN_CHECK(pn_departement_valid("01", 2) && !pn_departement_valid("1", 1));
    PN_CHECK(!pn_departement_valid("977", 3) && pn_departement_valid("976", 3));
    int r = 0;
    PN_CHECK(pn_region_parse("Île-de-France", &r) == PN_OK && r == 11);
    PN_CHECK(pn_region_parse("ile-de-france", &r) == PN_OK && r == 11);
    PN_CHECK(pn_region_parse("84", &r) == PN_OK && r == 84);
    PN_CHECK(pn_region_parse("Atlantis", &r) == PN_ENOTFOUND);
    PN_CHECK_STR(pn_region_name(53), "Bretagne");
    /* every metropolitan département has a region */
    for (int i = 1; i <= 95; i++) {
        char code[3] = {(char)('0' + i / 10), (char)('0' + i % 10), '\0'};
        if (i != 20) PN_CHECK(pn_region_of_departement(code) != 0);
    }
}

PN_TEST_MAIN(PN_T(pseudonyms), PN_T(key_file), PN_T(init_and_migrate), PN_T(cohort_lung),
             PN_T(regions))
