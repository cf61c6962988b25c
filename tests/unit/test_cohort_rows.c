/* test_cohort_rows.c - selections from the store's tumours held in memory (pn_cohort_rows, the
 * server's path) are the selections of the store itself (pn_cohort_select, the command line's):
 * every column and every count, for filters on each field, later primaries of the same site,
 * unknown and malformed residences and a closing date that cuts diagnoses. */
#include "pn_test.h"
#include "pn_testfs.h"
#include "pn_teststore.h"
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/site.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64], db[128];

static int make_store(void)
{
    pn_test_mkdir(dir, sizeof dir, "pn_test_crows");
    if (dir[0] == '\0') return 0;
    unsetenv("PRONOSTIC_KEY");
    setenv("PRONOSTIC_TODAY", "2025-01-01", 1);
    pn_test_write(dir, "patients.csv",
                  "patient_id,sex,birth_date,residence,vital_status,vital_status_date\n"
                  "a,M,1950-01-01,75,dead,2020-01-11\n"
                  "b,F,1960-01-01,13,alive,2022-06-30\n"
                  "c,F,1940-01-01,2A,dead,2021-03-01\n"
                  "d,M,1980-01-01,69,alive,2022-06-30\n"
                  "e,F,1955-05-05,,dead,2019-02-01\n"
                  "f,M,1945-03-03,974,alive,2023-01-01\n"
                  "g,F,1970-07-07,13,dead,2022-12-01\n");
    pn_test_write(dir, "tumours.csv",
                  "tumour_id,patient_id,diagnosis_date,icd10\n"
                  "1,a,2020-01-01,C25.0\n2,b,2019-01-01,C25.1\n3,c,2020-07-01,C25.9\n"
                  "4,d,2016-03-01,C25.0\n5,d,2017-03-01,C34.1\n6,d,2018-03-01,C34.3\n"
                  "7,e,2015-06-01,C34.1\n8,f,2021-01-01,C22.0\n9,f,2022-11-01,C34.9\n"
                  "10,g,2010-01-01,C56\n11,g,2012-01-01,C56\n12,b,2020-05-05,C15.3\n");
    return pn_test_store_of(dir, db, sizeof db);
}

static void same(const pn_cohort *a, const pn_cohort *b, int which)
{
    PN_CHECK(a->n == b->n);
    PN_CHECK(a->closing == b->closing);
    PN_CHECK(a->n_after_closing == b->n_after_closing);
    PN_CHECK(a->n_later_primaries == b->n_later_primaries);
    PN_CHECK(a->n_conflicts == b->n_conflicts);
    for (size_t i = 0; i < a->n && i < b->n; i++) {
        int eq = a->time[i] == b->time[i] && a->event[i] == b->event[i] &&
                 a->age_years[i] == b->age_years[i] && a->sex[i] == b->sex[i] &&
                 a->diag_date[i] == b->diag_date[i] && a->diag_year[i] == b->diag_year[i] &&
                 a->site[i] == b->site[i] && a->region[i] == b->region[i] &&
                 a->tumour[i] == b->tumour[i] &&
                 strcmp(a->departement[i], b->departement[i]) == 0;
        if (!eq) fprintf(stderr, "filter %d, row %zu differs\n", which, i);
        PN_CHECK(eq);
    }
}

PN_TEST(rows_select_as_the_store)
{
    if (!make_store()) {
        PN_CHECK(0);
        return;
    }
    pn_diag d = {0};
    pn_store *s = NULL;
    pn_cohort_rows *rows = NULL;
    PN_CHECK(pn_store_open_readonly(&s, db, &d) == PN_OK);
    PN_CHECK(pn_cohort_rows_read(s, &rows, &d) == PN_OK);
    PN_CHECK(rows && pn_cohort_rows_count(rows) == 12);
    /* the filters: none, each site, sex, ages, years, a département, a region, closing dates */
    const char *params[][2] = {
        {NULL, NULL},        {"site", "pancreas"}, {"site", "lung"},    {"site", "ovary"},
        {"site", "liver"},   {"site", "oesophagus"}, {"sex", "female"}, {"ages", "60-80"},
        {"from", "2017"},    {"to", "2019"},       {"departement", "13"}, {"region", "93"},
        {"closing", "2020-06-30"}, {"closing", "2015-12-31"}, {"departement", "974"},
    };
    size_t total = 0;
    for (size_t k = 0; k < sizeof params / sizeof *params && rows; k++) {
        pn_cohort_filter f;
        pn_cohort_filter_init(&f);
        if (params[k][0])
            PN_CHECK(pn_cohort_filter_param(&f, params[k][0], params[k][1], 0, &d) == PN_OK);
        pn_cohort *a = NULL, *b = NULL;
        PN_CHECK(pn_cohort_select(s, &f, &a, &d) == PN_OK);
        PN_CHECK(pn_cohort_select_rows(rows, &f, &b, &d) == PN_OK);
        if (a && b) same(a, b, (int)k);
        if (a) total += a->n;
        pn_cohort_free(a);
        pn_cohort_free(b);
    }
    /* the filters selected something, so the comparison compared rows */
    PN_CHECK(total > 20);
    /* a filter out of its domain is refused the same way */
    pn_cohort_filter f;
    pn_cohort_filter_init(&f);
    f.sex = 7;
    pn_cohort *c = NULL;
    PN_CHECK(rows && pn_cohort_select_rows(rows, &f, &c, &d) == PN_EINVAL && c == NULL);
    pn_cohort_rows_free(rows);
    pn_cohort_rows_free(NULL);
    pn_store_close(s);
    pn_test_rmdir(dir);
}

PN_TEST_MAIN(PN_T(rows_select_as_the_store))
