/* test_report.c - the survival report engine: default periods, the follow-up rule, --periods
 * parsing, and pn_report_compute on a small hand-made store whose Kaplan-Meier values, counts
 * and strata are known by hand. */
#include "pn_test.h"
#include "pn_testfs.h"
#include "pronostic/date.h"
#include "pronostic/pseudonym.h"
#include "pronostic/ratetable.h"
#include "pronostic/report.h"
#include "pronostic/site.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <stdlib.h>

PN_TEST(default_periods)
{
    pn_period p[8];
    PN_CHECK(pn_periods_default(2000, 2024, p, 8) == 5);
    PN_CHECK(p[0].from == 2000 && p[0].to == 2004);
    PN_CHECK(p[4].from == 2020 && p[4].to == 2024);
    /* the last period is cut at the last year */
    PN_CHECK(pn_periods_default(2000, 2022, p, 8) == 5);
    PN_CHECK(p[4].from == 2020 && p[4].to == 2022);
    PN_CHECK(pn_periods_default(2003, 2003, p, 8) == 1);
    PN_CHECK(p[0].from == 2003 && p[0].to == 2003);
    PN_CHECK(pn_periods_default(2005, 2004, p, 8) == 0);
    /* counting without room */
    PN_CHECK(pn_periods_default(1990, 2019, NULL, 0) == 6);
}

PN_TEST(horizon_rule)
{
    pn_period p = {2015, 2019};
    int32_t c2024 = pn_days_from_civil(2024, 12, 31);
    PN_CHECK(pn_report_horizon_ok(&p, 5, c2024));
    PN_CHECK(pn_report_horizon_ok(&p, 1, c2024));
    /* the middle of 2015-2019 is 2017-07-02: 5 years later is 2022-07-02 */
    PN_CHECK(!pn_report_horizon_ok(&p, 5, pn_days_from_civil(2022, 6, 30)));
    PN_CHECK(pn_report_horizon_ok(&p, 5, pn_days_from_civil(2022, 7, 3)));
    pn_period last = {2020, 2024};
    PN_CHECK(pn_report_horizon_ok(&last, 1, c2024));
    PN_CHECK(!pn_report_horizon_ok(&last, 5, c2024));
}

PN_TEST(parse_periods)
{
    pn_period p[4];
    size_t n = 0;
    PN_CHECK(pn_periods_parse("2010-2015,2016-2020", "option '--periods'", p, 4, &n, NULL) == PN_OK);
    PN_CHECK(n == 2 && p[0].from == 2010 && p[0].to == 2015 && p[1].from == 2016 &&
             p[1].to == 2020);
    PN_CHECK(pn_periods_parse("2001-2001", "option '--periods'", NULL, 0, &n, NULL) == PN_OK && n == 1);
    pn_diag d = {0};
    PN_CHECK(pn_periods_parse("2010-2005", "option '--periods'", p, 4, &n, &d) == PN_EUSAGE);
    PN_CHECK(strstr(d.msg, "--periods") != NULL);
    PN_CHECK(pn_periods_parse("2000-2009,2005-2014", "option '--periods'", p, 4, &n, NULL) == PN_EUSAGE);
    PN_CHECK(pn_periods_parse("2000", "option '--periods'", p, 4, &n, NULL) == PN_EUSAGE);
    PN_CHECK(pn_periods_parse("2000-20x5", "option '--periods'", p, 4, &n, NULL) == PN_EUSAGE);
    PN_CHECK(pn_periods_parse("", "option '--periods'", p, 4, &n, NULL) == PN_EUSAGE);
    /* an overlap is refused even beyond the room given (the count-only pass) */
    PN_CHECK(pn_periods_parse("2000-2009,2005-2014", "option '--periods'", NULL, 0, &n, NULL) ==
             PN_EUSAGE);
    /* the period of a year: aligned on the origin, also before it */
    pn_period a = pn_period_of_year(2017, 0, 5), b = pn_period_of_year(1999, 2000, 5);
    PN_CHECK(a.from == 2015 && a.to == 2019 && b.from == 1995 && b.to == 1999);
    PN_CHECK(pn_periods_parse("2000-2004,", "option '--periods'", p, 4, &n, NULL) == PN_EUSAGE);
}

PN_TEST(measure_names)
{
    PN_CHECK_STR(pn_report_measure_name(PN_REPORT_OBSERVED), "observed");
    PN_CHECK_STR(pn_report_measure_name(PN_REPORT_NET), "net");
    PN_CHECK_STR(pn_report_measure_name(PN_REPORT_NET_STD), "net_std");
    PN_CHECK_STR(pn_report_measure_name(PN_REPORT_TREND_PER_YEAR), "trend_per_year");
    PN_CHECK_STR(pn_report_measure_name(PN_REPORT_TREND_P), "trend_p");
    PN_CHECK_STR(pn_report_measure_name(PN_REPORT_PROJECTION), "projection_2030");
}

/* ---- a hand-made store ---------------------------------------------------------------------
 * Six lung patients diagnosed 2010-06-01, aged 60: A, B, C men in Paris (75), D, E, F women in
 * Finistère (29). A dies at day 100, B at 200, C at 500, E at 3000; D and F are alive at the
 * closing date 2020-12-31 (the latest vital-status date). B has a second lung tumour in 2012
 * (a later primary, left out). One pancreas patient (G) is diagnosed in 2016.
 * Kaplan-Meier: S(1 y) = 4/6, S(5 y) = 3/6; men 1/3 and 0, women 1 and 1. */

static char dir[64];

static void write_file(const char *name, const char *text) { pn_test_write(dir, name, text); }

static pn_store *make_store(void)
{
    pn_test_mkdir(dir, sizeof dir, "pn_test_report");
    if (dir[0] == '\0') return NULL;
    unsetenv(PN_KEY_ENV);
    setenv("PRONOSTIC_TODAY", "2025-01-01", 1);
    write_file("patients.csv",
               "patient_id,sex,birth_date,residence,vital_status,vital_status_date\n"
               "A,M,1950-06-01,75,dead,2010-09-09\n"
               "B,M,1950-06-01,75,dead,2010-12-18\n"
               "C,M,1950-06-01,75,dead,2011-10-14\n"
               "D,F,1950-06-01,29,alive,2020-12-31\n"
               "E,F,1950-06-01,29,dead,2018-08-18\n"
               "F,F,1950-06-01,29,alive,2020-12-31\n"
               "G,F,1950-06-01,29,alive,2020-12-31\n");
    write_file("tumours.csv",
               "tumour_id,patient_id,diagnosis_date,icd10\n"
               "A1,A,2010-06-01,C34.1\nB1,B,2010-06-01,C34.1\nB2,B,2010-09-01,C34.3\n"
               "C1,C,2010-06-01,C34.1\nD1,D,2010-06-01,C34.1\nE1,E,2010-06-01,C34.1\n"
               "F1,F,2010-06-01,C34.1\nG1,G,2016-03-01,C25.0\n");
    char db[128];
    snprintf(db, sizeof db, "%s/s.db", dir);
    pn_store *s = NULL;
    pn_import_stats st;
    if (pn_store_init(db, NULL) != PN_OK || pn_store_open(&s, db, NULL) != PN_OK) return NULL;
    if (pn_store_import(s, dir, NULL, &st, NULL) != PN_OK || st.quarantined != 0) {
        pn_store_close(s);
        return NULL;
    }
    return s;
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

static const pn_report_row *find(const pn_report *r, int site, int from, int sex, int region,
                                 int measure, double h)
{
    for (size_t i = 0; i < r->n; i++) {
        const pn_report_row *x = &r->rows[i];
        if (x->site == site && x->period_from == from && x->sex == sex && x->region == region &&
            x->measure == measure && x->horizon_years == h)
            return x;
    }
    return NULL;
}

PN_TEST(compute_small_store)
{
    pn_store *s = make_store();
    pn_ratetable *rt = NULL;
    PN_CHECK(s != NULL);
    PN_CHECK(pn_ratetable_open(&rt, "fr", NULL) == PN_OK);
    if (s == NULL || rt == NULL) goto done;
    pn_report_opts o = {.rt = rt, .scheme = 1, .conf = 0.95};
    pn_cohort_filter_init(&o.filter);
    pn_report *r = NULL;
    PN_CHECK(pn_report_compute(s, &o, &r, NULL) == PN_OK);
    if (r == NULL) goto done;
    PN_CHECK(r->closing == pn_days_from_civil(2020, 12, 31));
    /* default periods from the earliest year (2010) to the closing year */
    PN_CHECK(r->nperiods == 3 && r->periods[0].from == 2010 && r->periods[2].to == 2020);
    /* seven sites x 3 periods x 6 cells + 7 x 3 trend rows */
    PN_CHECK(r->n == 7 * 3 * 6 + 7 * 3);
    const pn_report_row *o1 = find(r, PN_SITE_LUNG, 2010, 0, 0, PN_REPORT_OBSERVED, 1);
    const pn_report_row *o5 = find(r, PN_SITE_LUNG, 2010, 0, 0, PN_REPORT_OBSERVED, 5);
    PN_CHECK(o1 && o5);
    if (o1 && o5) {
        PN_CHECK_NEAR(o1->estimate, 4.0 / 6, 1e-12);
        PN_CHECK_NEAR(o5->estimate, 3.0 / 6, 1e-12);
        PN_CHECK(o1->n == 6 && o1->events == 2 && o5->n == 6 && o5->events == 3);
        /* R: log limits, Greenwood se of log S at 1 y = sqrt(1/(6*5) + 1/(5*4)) */
        double se = sqrt(1.0 / 30 + 1.0 / 20);
        PN_CHECK_NEAR(o1->lower, 4.0 / 6 * exp(-1.959963984540054 * se), 1e-9);
        PN_CHECK_NEAR(o1->upper, fmin(1, 4.0 / 6 * exp(1.959963984540054 * se)), 1e-9);
    }
    /* net survival: aged 60, the background mortality makes it a little above observed */
    const pn_report_row *n1 = find(r, PN_SITE_LUNG, 2010, 0, 0, PN_REPORT_NET, 1);
    const pn_report_row *n5 = find(r, PN_SITE_LUNG, 2010, 0, 0, PN_REPORT_NET, 5);
    PN_CHECK(n1 && n5);
    if (n1 && n5 && o1 && o5) {
        PN_CHECK(n1->estimate > o1->estimate && n1->estimate < o1->estimate + 0.02);
        PN_CHECK(n5->estimate > o5->estimate && n5->estimate < o5->estimate + 0.05);
        PN_CHECK(n1->lower < n1->estimate && n1->estimate < n1->upper);
    }
    /* net_std needs every ICSS age group: everyone is 60, so it is not estimable */
    const pn_report_row *s1 = find(r, PN_SITE_LUNG, 2010, 0, 0, PN_REPORT_NET_STD, 1);
    PN_CHECK(s1 && isnan(s1->estimate) && s1->n == 6);
    /* empty periods: rows with n = 0 and no estimate */
    const pn_report_row *e = find(r, PN_SITE_LUNG, 2015, 0, 0, PN_REPORT_OBSERVED, 1);
    PN_CHECK(e && e->n == 0 && isnan(e->estimate));
    /* the pancreas patient: alive at 1 year; 2015-2019 is too recent for 5 years (its middle,
     * 2017-07-02, plus 5 years is after the closing date) */
    const pn_report_row *g1 = find(r, PN_SITE_PANCREAS, 2015, 0, 0, PN_REPORT_OBSERVED, 1);
    const pn_report_row *g5 = find(r, PN_SITE_PANCREAS, 2015, 0, 0, PN_REPORT_OBSERVED, 5);
    PN_CHECK(g1 && g1->n == 1 && g1->estimate == 1 && g5 && isnan(g5->estimate));
    /* the last period is cut at the closing year, 2020, and is too recent even for 1 year */
    PN_CHECK(r->periods[2].from == 2020);
    const pn_report_row *l1 = find(r, PN_SITE_LUNG, 2020, 0, 0, PN_REPORT_OBSERVED, 1);
    PN_CHECK(l1 && l1->n == 0 && isnan(l1->estimate));
    /* trend rows exist for every site, empty with a single usable period */
    for (int site = PN_SITE_PANCREAS; site < PN_SITE_COUNT; site++)
        for (int m = PN_REPORT_TREND_PER_YEAR; m <= PN_REPORT_PROJECTION; m++) {
            const pn_report_row *t = find(r, site, 0, 0, 0, m, 5);
            PN_CHECK(t && isnan(t->estimate));
        }
    pn_report_free(r);
    r = NULL;

    /* one site, by sex, a closing date in 2014 and one period */
    pn_period per = {2010, 2014};
    o.filter.site = PN_SITE_LUNG;
    o.filter.closing = pn_days_from_civil(2014, 12, 31);
    o.periods = &per;
    o.nperiods = 1;
    o.by = PN_REPORT_BY_SEX;
    PN_CHECK(pn_report_compute(s, &o, &r, NULL) == PN_OK);
    if (r == NULL) goto done;
    PN_CHECK(r->n == 3 * (6 + 3));  /* all, male, female */
    const pn_report_row *m1 = find(r, PN_SITE_LUNG, 2010, 1, 0, PN_REPORT_OBSERVED, 1);
    const pn_report_row *f1 = find(r, PN_SITE_LUNG, 2010, 2, 0, PN_REPORT_OBSERVED, 1);
    const pn_report_row *a5 = find(r, PN_SITE_LUNG, 2010, 0, 0, PN_REPORT_OBSERVED, 5);
    PN_CHECK(m1 && f1 && a5);
    if (m1 && f1 && a5) {
        PN_CHECK_NEAR(m1->estimate, 1.0 / 3, 1e-12);
        PN_CHECK_NEAR(f1->estimate, 1.0, 1e-12);
        PN_CHECK(m1->n == 3 && f1->n == 3);
        /* mid-2012 + 5 years is after the 2014 closing date: the 5-year cell is empty */
        PN_CHECK(isnan(a5->estimate) && a5->n == 6 && a5->events == 3);
    }
    pn_report_free(r);
    r = NULL;

    /* by region: Île-de-France (11) holds the three men */
    o.by = PN_REPORT_BY_REGION;
    o.filter.closing = PN_COHORT_CLOSING_AUTO;
    PN_CHECK(pn_report_compute(s, &o, &r, NULL) == PN_OK);
    if (r != NULL) {
        const pn_report_row *idf = find(r, PN_SITE_LUNG, 2010, 0, 11, PN_REPORT_OBSERVED, 1);
        const pn_report_row *idf5 = find(r, PN_SITE_LUNG, 2010, 0, 11, PN_REPORT_OBSERVED, 5);
        const pn_report_row *bzh = find(r, PN_SITE_LUNG, 2010, 0, 53, PN_REPORT_OBSERVED, 5);
        PN_CHECK(idf && idf->n == 3 && idf5 && bzh && bzh->n == 3 && bzh->events == 0);
        if (idf) PN_CHECK_NEAR(idf->estimate, 1.0 / 3, 1e-12);
        /* everyone in Paris died within 5 years: the curve ends at 0 before the horizon */
        if (idf5) PN_CHECK(idf5->estimate == 0 && idf5->events == 3);
        if (bzh) PN_CHECK_NEAR(bzh->estimate, 1.0, 1e-12);
        /* no region 24 (Centre-Val de Loire) rows: only regions with patients */
        PN_CHECK(find(r, PN_SITE_LUNG, 2010, 0, 24, PN_REPORT_OBSERVED, 1) == NULL);
    }
    pn_report_free(r);
    r = NULL;

    /* bad options and an empty selection */
    pn_diag d = {0};
    o.conf = 1.5;
    PN_CHECK(pn_report_compute(s, &o, &r, &d) == PN_EINVAL && r == NULL);
    o.conf = 0.95;
    o.filter.site = PN_SITE_AML;
    PN_CHECK(pn_report_compute(s, &o, &r, &d) == PN_EEMPTY && r == NULL);
    pn_report_free(NULL);
done:
    pn_ratetable_free(rt);
    pn_store_close(s);
    remove_dir();
}

PN_TEST_MAIN(PN_T(default_periods), PN_T(horizon_rule), PN_T(parse_periods), PN_T(measure_names),
             PN_T(compute_small_store))
