/* test_store_dbselect.c - `--db` selections: option parsing and the hand-over of a selection as
 * survival rows (surv, cox) and net-survival rows (netsurv). */
#include "pn_test.h"
#include "pronostic/alloc.h"
#include "pn_testfs.h"
#include "pn_teststore.h"
#include "cli/cli.h"
#include "cli/netsurv_cli.h"
#include "pronostic/nsdata.h"
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/frame.h"
#include "pronostic/ratetable.h"
#include "pronostic/site.h"
#include "pronostic/store.h"
#include "pronostic/survinput.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64], db[128];

static void write_file(const char *name, const char *text) { pn_test_write(dir, name, text); }

static int make_store(void)
{
    pn_test_mkdir(dir, sizeof dir, "pn_test_dbsel");
    if (dir[0] == '\0') return 0;
    unsetenv("PRONOSTIC_KEY");
    setenv("PRONOSTIC_TODAY", "2025-01-01", 1);
    write_file("patients.csv",
               "patient_id,sex,birth_date,residence,vital_status,vital_status_date\n"
               "a,M,1950-01-01,75,dead,2020-01-11\n"
               "b,F,1960-01-01,13,alive,2022-06-30\n"
               "c,F,1940-01-01,2A,dead,2021-03-01\n"
               "d,M,1980-01-01,69,alive,2022-06-30\n");
    write_file("tumours.csv",
               "tumour_id,patient_id,diagnosis_date,icd10\n"
               "1,a,2020-01-01,C25.0\n2,b,2019-01-01,C25.1\n3,c,2020-07-01,C25.9\n"
               "4,d,2016-03-01,C25.0\n5,d,2017-03-01,C34.1\n");
    return pn_test_store_of(dir, db, sizeof db);
}

static void remove_store(void) { pn_test_rmdir(dir); }

static const pn_optdef defs[] = {PN_DBSELECT_OPTS, PN_DBSELECT_SITE_OPT, PN_DBSELECT_SEX_OPT,
                                 PN_DBSELECT_CLOSING_OPT, {"by", "VARS", "groups"},
                                 {"time-unit", "UNIT", "unit"}, {NULL, NULL, NULL}};

/* Parse `argv` (NULL-ended) and select; returns the code of pn_dbselect_cohort. With `ns`,
 * the selection also becomes net-survival rows. */
static int select_ns(char **argv, pn_cohort **c, pn_nsdata **ns, pn_diag *d)
{
    int argc = 0;
    while (argv[argc]) argc++;
    pn_args args;
    int rc = pn_args_parse(&args, "surv", "", NULL, defs, argc, argv);
    if (rc == PN_OK) rc = pn_dbselect_cohort(&args, c, d);
    if (rc == PN_OK && ns != NULL) {
        double scale;
        pn_list by = {0};
        if ((rc = pn_args_time_unit(&args, &scale, d)) == PN_OK &&
            (rc = pn_args_list(&args, "by", &by, d)) == PN_OK)
            rc = pn_cohort_nsdata(*c, (const char *const *)by.items, by.n, scale, ns, d);
        pn_list_free(&by);
    }
    pn_args_free(&args);
    return rc;
}

static int select_with(char **argv, pn_cohort **c, pn_diag *d) { return select_ns(argv, c, NULL, d); }

PN_TEST(options)
{
    PN_CHECK(make_store());
    pn_cohort *c = NULL;
    pn_diag d = {0};
    char *a1[] = {"surv", "--db", db, "--site", "pancreas", "--closing", "2021-12-31", NULL};
    PN_CHECK(select_with(a1, &c, &d) == PN_OK);
    PN_CHECK(c != NULL && c->n == 4);
    if (c) PN_CHECK(c->closing == pn_days_from_civil(2021, 12, 31));
    pn_cohort_free(c);
    char *a2[] = {"surv", "--db", db, "--site", "pancreas", "--sex", "female", "--from", "2020",
                  NULL};
    PN_CHECK(select_with(a2, &c, &d) == PN_OK && c && c->n == 1);
    pn_cohort_free(c);
    char *a3[] = {"surv", "--db", db, "--site", "pancreas", "--ages", "65+", NULL};
    PN_CHECK(select_with(a3, &c, &d) == PN_OK && c && c->n == 2);
    pn_cohort_free(c);
    char *a4[] = {"surv", "--db", db, "--site", "pancreas", "--region", "Île-de-France", NULL};
    PN_CHECK(select_with(a4, &c, &d) == PN_OK && c && c->n == 1);
    pn_cohort_free(c);
    /* usage errors name the option */
    char *b1[] = {"surv", "--db", db, NULL};
    PN_CHECK(select_with(b1, &c, &d) == PN_EUSAGE && strstr(d.msg, "--site") != NULL);
    char *b2[] = {"surv", "--db", db, "--site", "colon", NULL};
    PN_CHECK(select_with(b2, &c, &d) == PN_EUSAGE && strstr(d.msg, "colon") != NULL);
    char *b3[] = {"surv", "--db", db, "--site", "lung", "--departement", "75", "--region", "Corse",
                  NULL};
    PN_CHECK(select_with(b3, &c, &d) == PN_EUSAGE);
    char *b4[] = {"surv", "--db", db, "--site", "lung", "--closing", "2021-13-01", NULL};
    PN_CHECK(select_with(b4, &c, &d) == PN_EUSAGE && strstr(d.msg, "--closing") != NULL);
    char *b5[] = {"surv", "data.csv", "--db", db, "--site", "lung", NULL};
    PN_CHECK(select_with(b5, &c, &d) == PN_EUSAGE);
    char *b6[] = {"surv", "--db", db, "--site", "ovary", NULL};
    PN_CHECK(select_with(b6, &c, &d) == PN_EEMPTY && c == NULL);
    char *b7[] = {"surv", "--db", db, "--site", "lung", "--from", "2020", "--to", "2019", NULL};
    PN_CHECK(select_with(b7, &c, &d) == PN_EUSAGE);
    /* without --db: nothing selected, no error */
    char *n1[] = {"surv", "x.csv", NULL};
    PN_CHECK(select_with(n1, &c, &d) == PN_OK && c == NULL);
    remove_store();
}

PN_TEST(survdata_and_nsdata)
{
    PN_CHECK(make_store());
    pn_cohort *c = NULL;
    pn_diag d = {0};
    char *a[] = {"surv", "--db", db, "--site", "pancreas", "--closing", "2021-12-31", NULL};
    PN_CHECK(select_with(a, &c, &d) == PN_OK && c != NULL);
    if (c == NULL) return;
    const char *by[] = {"sex"};
    const char *cov[] = {"age", "sex", "region"};
    const char *fac[] = {"sex", "region"};
    pn_survdata *sd = NULL;
    PN_CHECK(pn_cohort_survdata(c, by, 1, NULL, 0, cov, 3, fac, 2, &sd, &d) == PN_OK);
    if (sd != NULL) {
        PN_CHECK(sd->n == 4 && sd->ngroups == 2);
        PN_CHECK_STR(sd->group_labels[0], "sex=female");
        PN_CHECK_STR(sd->group_labels[1], "sex=male");
        PN_CHECK(sd->ncov == 3 && sd->cov[0].kind == PN_COL_NUM && sd->cov[1].kind == PN_COL_CAT);
        PN_CHECK(sd->cov[1].nlevels == 2 && strcmp(sd->cov[1].levels[0], "female") == 0);
        double events = 0;
        for (size_t i = 0; i < sd->n; i++) {
            events += sd->event[i];
            PN_CHECK(sd->time[i] == c->time[i]);
            PN_CHECK(sd->group[i] == (c->sex[i] == 2 ? 0 : 1));
        }
        PN_CHECK(events == 2); /* a and c died before the closing date */
        PN_CHECK(sd->event_seen == 1);
    }
    pn_survdata_free(sd);
    /* no cap on the number of grouping variables: a ninth is kept (its label is there) */
    const char *nine[] = {"sex", "agegroup", "period", "site", "departement", "region", "age",
                          "year", "sex"};
    int32_t *codes = NULL;
    char **labels = NULL;
    size_t ng = 0;
    PN_CHECK(pn_cohort_groups(c, nine, 9, &codes, &labels, &ng, &d) == PN_OK);
    PN_CHECK(ng >= 1 && labels != NULL);
    for (size_t g = 0; labels && g < ng; g++) {
        size_t parts = 1;
        for (const char *q = labels[g]; *q; q++) parts += *q == ',';
        PN_CHECK(parts == 9);
        const char *last = strrchr(labels[g], ',');
        PN_CHECK(last != NULL && strncmp(last, ",sex=", 5) == 0);
        pn_free(labels[g]);
    }
    pn_free(labels);
    pn_free(codes);
    const char *bad[] = {"colour"};
    PN_CHECK(pn_cohort_survdata(c, bad, 1, NULL, 0, NULL, 0, NULL, 0, &sd, &d) == PN_ENOCOL);
    PN_CHECK(sd == NULL);
    pn_cohort_free(c);
    c = NULL;
    pn_nsdata *ns = NULL;
    char *b[] = {"netsurv", "--db", db, "--site", "pancreas", "--closing", "2021-12-31", "--by",
                 "agegroup", "--time-unit", "years", NULL};
    PN_CHECK(select_ns(b, &c, &ns, &d) == PN_OK && c != NULL);
    if (ns != NULL && c != NULL) {
        PN_CHECK(ns->n == 4);
        PN_CHECK_NEAR(ns->time_scale, 365.241, 1e-12);
        for (size_t i = 0; i < ns->n; i++) {
            PN_CHECK_NEAR(ns->age_days[i], c->age_years[i] * 365.241, 1e-9);
            PN_CHECK(ns->sex[i] == (c->sex[i] == 1 ? PN_SEX_MALE : PN_SEX_FEMALE));
            PN_CHECK(ns->status[i] == c->event[i]);
            PN_CHECK(ns->date[i] == c->diag_date[i]);
        }
        PN_CHECK(ns->ngroups == 4); /* ages 36, 59, 70, 80: 15-44, 55-64, 65-74, 75+ */
        if (ns->ngroups == 4) PN_CHECK_STR(ns->group_labels[3], "agegroup=75+");
    }
    pn_nsdata_free(ns);
    pn_cohort_free(c);
    c = NULL;
    ns = NULL;
    char *e[] = {"netsurv", "--db", db, "--site", "pancreas", "--time-unit", "weeks", NULL};
    PN_CHECK(select_ns(e, &c, &ns, &d) == PN_EUSAGE && strstr(d.msg, "--time-unit") != NULL);
    PN_CHECK(ns == NULL);
    pn_cohort_free(c);
    remove_store();
}

PN_TEST_MAIN(PN_T(options), PN_T(survdata_and_nsdata))
