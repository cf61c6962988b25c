/* test_ratetable.c - unit tests of ratetable/: loading and checks, look-up at cell edges,
 * exact cumulative hazard, the forward cursor and the out-of-table flags. */
#include "pn_test.h"
#include "pronostic/date.h"
#include "pronostic/ratetable.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Write `text` to a temporary file; its path goes to `path` (at least 64 bytes). */
static void write_tmp(char *path, const char *text)
{
    snprintf(path, 64, "/tmp/pn_rt_XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

/* Two ages (0, 1), two years (2000, 2001); males 1e-3 * (1 + age + 2 * (year - 2000)),
 * females half of that. Columns in a shuffled order. */
static const char small_table[] =
    "value,year,sex,age\n"
    "0.001,2000,male,0\n0.002,2000,male,1\n0.003,2001,male,0\n0.004,2001,male,1\n"
    "0.0005,2000,female,0\n0.001,2000,female,1\n0.0015,2001,female,0\n0.002,2001,female,1\n";

PN_TEST(loads_columns_in_any_order)
{
    char path[64];
    write_tmp(path, small_table);
    pn_ratetable *rt = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_ratetable_load_csv(&rt, path, &diag) == PN_OK);
    int a0, a1, y0, y1;
    pn_ratetable_range(rt, &a0, &a1, &y0, &y1);
    PN_CHECK(a0 == 0 && a1 == 1 && y0 == 2000 && y1 == 2001);
    double jan2000 = pn_days_from_civil(2000, 1, 1), jan2001 = pn_days_from_civil(2001, 1, 1);
    unsigned flags = 0;
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_MALE, 10, jan2000 + 5, &flags), 0.001, 0);
    /* the age cut is at 365.241 days: just below and at it */
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_MALE, 365.2, jan2000, &flags), 0.001, 0);
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_MALE, 365.241, jan2000, &flags), 0.002, 0);
    /* January 1st changes the year */
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_FEMALE, 10, jan2001 - 1, &flags), 0.0005, 0);
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_FEMALE, 10, jan2001, &flags), 0.0015, 0);
    PN_CHECK(flags == 0);
    /* beyond the edges: carried, and flagged */
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_MALE, 5000, jan2001 + 900, &flags), 0.004, 0);
    PN_CHECK(flags == (PN_RATE_AGE_ABOVE | PN_RATE_YEAR_ABOVE));
    flags = 0;
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_MALE, 0, jan2000 - 400, &flags), 0.001, 0);
    PN_CHECK(flags == PN_RATE_YEAR_BELOW);
    pn_ratetable_free(rt);
    /* a table starting at age 1: a younger subject gets age 1's rates, flagged */
    unlink(path);
    write_tmp(path, "age,sex,year,value\n1,male,2000,0.25\n1,female,2000,0.5\n");
    rt = NULL;
    PN_CHECK(pn_ratetable_load_csv(&rt, path, NULL) == PN_OK);
    flags = 0;
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_FEMALE, 100, jan2000, &flags), 0.5, 0);
    PN_CHECK(flags == PN_RATE_AGE_BELOW);
    pn_ratetable_free(rt);
    unlink(path);
}

PN_TEST(cumulative_hazard_is_exact)
{
    char path[64];
    write_tmp(path, small_table);
    pn_ratetable *rt = NULL;
    PN_CHECK(pn_ratetable_load_csv(&rt, path, NULL) == PN_OK);
    /* A boy aged 300 days on 2000-11-01 (day D): cuts at age 365.241 (t = 65.241) and on
     * 2001-01-01 (t = 61). Hazards: 0.001 until 61, 0.003 until 65.241, then 0.004. */
    double D = pn_days_from_civil(2000, 11, 1);
    double t = 100;
    double want = 0.001 * 61 + 0.003 * (65.241 - 61) + 0.004 * (t - 65.241);
    PN_CHECK_NEAR(pn_ratetable_cumhaz(rt, PN_SEX_MALE, 300, D, t, NULL), want, 1e-15);
    /* the cursor gives the same, step by step, and never goes back */
    pn_rate_cursor c;
    pn_rate_cursor_init(&c, rt, PN_SEX_MALE, 300, D);
    PN_CHECK_NEAR(pn_rate_cursor_cumhaz(&c, 30), 0.03, 1e-15);
    PN_CHECK_NEAR(pn_rate_cursor_cumhaz(&c, 63), 0.061 + 0.006, 1e-15);
    PN_CHECK_NEAR(pn_rate_cursor_cumhaz(&c, t), want, 1e-15);
    /* relsurv's location of a point: the cell where the point lies */
    pn_rate_cursor_init(&c, rt, PN_SEX_MALE, 300, D);
    PN_CHECK_NEAR(pn_rate_cursor_hazard_at(&c, 60), 0.001, 0);
    PN_CHECK_NEAR(pn_rate_cursor_hazard_at(&c, 61), 0.003, 0);
    PN_CHECK_NEAR(pn_rate_cursor_hazard_at(&c, 65), 0.003, 0);
    PN_CHECK_NEAR(pn_rate_cursor_hazard_at(&c, 66), 0.004, 0);
    PN_CHECK(c.flags == 0);
    PN_CHECK_NEAR(pn_rate_cursor_hazard_at(&c, 500), 0.004, 0);
    PN_CHECK(c.flags & PN_RATE_YEAR_ABOVE);
    pn_ratetable_free(rt);
    unlink(path);
}

static int load_text(const char *text, pn_diag *diag)
{
    char path[64];
    write_tmp(path, text);
    pn_ratetable *rt = NULL;
    int rc = pn_ratetable_load_csv(&rt, path, diag);
    pn_ratetable_free(rt);
    unlink(path);
    return rc;
}

PN_TEST(bad_tables_are_refused_with_the_line)
{
    pn_diag diag = {0};
    PN_CHECK(load_text("age,sex,year\n0,male,2000\n", &diag) == PN_ENOCOL);
    PN_CHECK(strstr(diag.msg, "'value'") != NULL);
    PN_CHECK(load_text("age,sex,year,value\n0,male,2000,0.1\n0,x,2000,0.1\n", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, ":3:") != NULL && strstr(diag.msg, "sex") != NULL);
    PN_CHECK(load_text("age,sex,year,value\n0,male,2000,-0.1\n", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, ":2:") != NULL);
    PN_CHECK(load_text("age,sex,year,value\n0,male,2000,abc\n", &diag) == PN_EPARSE);
    PN_CHECK(load_text("age,sex,year,value\n0,male,2000,0.1\n0,M,2000,0.2\n", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "duplicate") != NULL && strstr(diag.msg, ":3:") != NULL);
    /* female rows missing: an incomplete grid */
    PN_CHECK(load_text("age,sex,year,value\n0,male,2000,0.1\n", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "incomplete grid") != NULL);
    PN_CHECK(load_text("age,sex,year,value\n", &diag) == PN_EEMPTY);
    PN_CHECK(load_text("age,sex,year,value\n0.5,male,2000,0.1\n", &diag) == PN_EPARSE);
}

PN_TEST(bundled_tables_load)
{
    pn_ratetable *rt = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_ratetable_open(&rt, "fr", &diag) == PN_OK);
    if (rt == NULL) return;
    int a0, a1, y0, y1;
    pn_ratetable_range(rt, &a0, &a1, &y0, &y1);
    PN_CHECK(a0 == 0 && a1 == 99 && y0 == 1977 && y1 == 2019);
    /* first row of the file: 0,female,1977,3.0173237077615657e-5 */
    PN_CHECK_NEAR(pn_ratetable_hazard(rt, PN_SEX_FEMALE, 100, pn_days_from_civil(1977, 6, 1), NULL),
                  3.0173237077615657e-5, 0);
    pn_ratetable_free(rt);
    rt = NULL;
    PN_CHECK(pn_ratetable_open(&rt, "slopop", &diag) == PN_OK);
    if (rt == NULL) return;
    pn_ratetable_range(rt, &a0, &a1, &y0, &y1);
    PN_CHECK(a0 == 0 && a1 == 103 && y0 == 1930 && y1 == 2022);
    pn_ratetable_free(rt);
}

PN_TEST(sex_codes)
{
    int s = -1;
    PN_CHECK(pn_sex_parse("male", 4, &s) == PN_OK && s == PN_SEX_MALE);
    PN_CHECK(pn_sex_parse("F", 1, &s) == PN_OK && s == PN_SEX_FEMALE);
    PN_CHECK(pn_sex_parse("1", 1, &s) == PN_OK && s == PN_SEX_MALE);
    PN_CHECK(pn_sex_parse("2", 1, &s) == PN_OK && s == PN_SEX_FEMALE);
    PN_CHECK(pn_sex_parse("3", 1, &s) == PN_EPARSE);
    PN_CHECK(pn_sex_parse("", 0, &s) == PN_EPARSE);
}

PN_TEST_MAIN(PN_T(loads_columns_in_any_order), PN_T(cumulative_hazard_is_exact),
             PN_T(bad_tables_are_refused_with_the_line), PN_T(bundled_tables_load), PN_T(sex_codes))
