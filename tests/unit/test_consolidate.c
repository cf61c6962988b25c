/* test_consolidate.c - the consolidation rule of one patient's observations (consolidate.h) and
 * the vocabulary of centre mentions (mentions.h). */
#include "pn_test.h"
#include "store/consolidate.h"
#include "pronostic/date.h"
#include "pronostic/mentions.h"

static pn__obs obs(int64_t source, int sex, const char *birth, int dead, const char *date,
                   const char *cause)
{
    pn__obs o = {0};
    int32_t d;
    int prec = PN_DATE_DAY;
    o.source = source;
    o.sex = sex;
    pn_date_parse(birth, strlen(birth), 1, &d, &prec);
    o.birth = d;
    o.birth_prec = prec;
    o.dead = dead;
    pn_date_parse(date, strlen(date), 0, &o.date, NULL);
    o.cause = cause;
    o.cause_len = cause ? strlen(cause) : 0;
    o.has_residence = 1;
    o.death_place = -1;
    return o;
}

static int32_t day(const char *s)
{
    int32_t d;
    pn_date_parse(s, strlen(s), 0, &d, NULL);
    return d;
}

PN_TEST(one_source_is_itself)
{
    pn__obs o[] = {obs(1, 1, "1950-03-02", 1, "2020-06-01", "C25.0")};
    pn__consolidated c;
    pn__conflict conf[8];
    size_t n;
    pn__consolidate(o, 1, &c, conf, &n);
    PN_CHECK(n == 0 && c.conflict == 0);
    PN_CHECK(c.vital_from == 0 && c.birth_from == 0 && c.cause_from == 0 && c.residence_from == 0);
}

PN_TEST(a_death_stands_against_a_later_alive)
{
    /* the defect: A's death, B alive later; in either order of the observations */
    for (int flip = 0; flip < 2; flip++) {
        pn__obs a = obs(1, 1, "1950-03-02", 1, "2020-06-01", "C25.0");
        pn__obs b = obs(2, 1, "1950-03-02", 0, "2021-01-01", NULL);
        pn__obs o[2] = {flip ? b : a, flip ? a : b};
        pn__consolidated c;
        pn__conflict conf[8];
        size_t n;
        pn__consolidate(o, 2, &c, conf, &n);
        int death = flip ? 1 : 0;
        PN_CHECK(c.vital_from == death && o[c.vital_from].dead);
        PN_CHECK(o[c.vital_from].date == day("2020-06-01"));
        PN_CHECK(c.cause_from == death);
        PN_CHECK(n == 1 && strcmp(conf[0].field, "vital_status") == 0);
        PN_CHECK(conf[0].a == death && conf[0].b == 1 - death);
        PN_CHECK(c.conflict == PN__CONFLICT_VITAL);
    }
}

PN_TEST(a_death_after_an_alive_date_is_no_conflict)
{
    pn__obs o[] = {obs(1, 2, "1960-05-05", 0, "2019-01-01", NULL),
                   obs(2, 2, "1960-05-05", 1, "2020-03-01", NULL)};
    pn__consolidated c;
    pn__conflict conf[8];
    size_t n;
    pn__consolidate(o, 2, &c, conf, &n);
    PN_CHECK(n == 0 && c.conflict == 0 && c.vital_from == 1 && c.cause_from == -1);
}

PN_TEST(two_death_dates_keep_the_earlier)
{
    pn__obs o[] = {obs(1, 1, "1945-01-01", 1, "2020-02-01", "C34.1"),
                   obs(2, 1, "1945-01-01", 1, "2020-01-01", NULL),
                   obs(3, 1, "1945-01-01", 1, "2020-01-01", "C34.9")};
    pn__consolidated c;
    pn__conflict conf[16];
    size_t n;
    pn__consolidate(o, 3, &c, conf, &n);
    PN_CHECK(c.vital_from == 1);
    PN_CHECK(c.cause_from == 2); /* the kept death has no cause: the same day's other one */
    PN_CHECK(n == 1 && strcmp(conf[0].field, "vital_status_date") == 0 && conf[0].a == 1 &&
             conf[0].b == 0);
    /* two causes on the same day: a conflict on the cause */
    o[1].cause = "C25.0";
    o[1].cause_len = 5;
    pn__consolidate(o, 3, &c, conf, &n);
    PN_CHECK(c.cause_from == 1);
    PN_CHECK(n == 2 && strcmp(conf[1].field, "death_cause") == 0 && conf[1].a == 1 && conf[1].b == 2);
}

PN_TEST(the_place_of_death_follows_the_death_that_stands)
{
    /* 0 acute_hospital, 1 home, 2 hospice (enum pn_setting) */
    pn__obs o[] = {obs(1, 1, "1945-01-01", 1, "2020-02-01", NULL),
                   obs(2, 1, "1945-01-01", 1, "2020-01-01", NULL),
                   obs(3, 1, "1945-01-01", 1, "2020-01-01", NULL),
                   obs(4, 1, "1945-01-01", 0, "2019-01-01", NULL)};
    o[0].death_place = 2; /* a later death's place is not the kept death's */
    o[2].death_place = 1;
    o[3].death_place = 0; /* an alive observation's place is never used */
    pn__consolidated c;
    pn__conflict conf[24];
    size_t n;
    pn__consolidate(o, 4, &c, conf, &n);
    PN_CHECK(c.vital_from == 1 && c.place_from == 2);
    PN_CHECK(n == 1 && strcmp(conf[0].field, "vital_status_date") == 0);
    /* the same death in two places: a conflict, the first (by source order) is kept */
    o[1].death_place = 0;
    pn__consolidate(o, 4, &c, conf, &n);
    PN_CHECK(c.place_from == 1);
    PN_CHECK(n == 2 && strcmp(conf[1].field, "death_place") == 0 && conf[1].a == 1 &&
             conf[1].b == 2);
    PN_CHECK(c.conflict == PN__CONFLICT_VITAL);
    /* the same place twice: no conflict */
    o[2].death_place = 0;
    pn__consolidate(o, 4, &c, conf, &n);
    PN_CHECK(c.place_from == 1 && n == 1);
    /* nobody dead: no place */
    pn__obs alive[] = {obs(1, 1, "1945-01-01", 0, "2020-02-01", NULL)};
    alive[0].death_place = 1;
    pn__consolidate(alive, 1, &c, conf, &n);
    PN_CHECK(c.place_from == -1 && n == 0);
    PN_CHECK(pn__consolidate_max_conflicts(4) >= 3 * 4);
}

PN_TEST(alive_everywhere_is_the_latest_date)
{
    pn__obs o[] = {obs(1, 2, "1950-03", 0, "2022-01-01", NULL),
                   obs(2, 2, "1950-03-22", 0, "2023-06-01", NULL),
                   obs(3, 2, "1950-03", 0, "2023-06-01", NULL)};
    o[0].has_residence = 0;
    pn__consolidated c;
    pn__conflict conf[16];
    size_t n;
    pn__consolidate(o, 3, &c, conf, &n);
    PN_CHECK(n == 0 && c.conflict == 0);
    PN_CHECK(c.vital_from == 1);      /* the first of the two latest */
    PN_CHECK(c.birth_from == 1);      /* YYYY-MM refined by a day of the same month */
    PN_CHECK(c.residence_from == 1);
}

PN_TEST(identity_conflicts)
{
    pn__obs o[] = {obs(1, 1, "1950-03", 0, "2022-01-01", NULL),
                   obs(2, 1, "1950-03-22", 0, "2023-06-01", NULL),
                   obs(3, 1, "1950-03-05", 0, "2023-06-01", NULL)};
    pn__consolidated c;
    pn__conflict conf[16];
    size_t n;
    /* each day is compatible with the month, but not with each other */
    pn__consolidate(o, 3, &c, conf, &n);
    PN_CHECK(n == 1 && strcmp(conf[0].field, "birth_date") == 0 && conf[0].a == 1 && conf[0].b == 2);
    PN_CHECK(c.conflict == PN__CONFLICT_IDENTITY && c.birth_from == 0);
    o[2] = obs(3, 2, "1950-04", 0, "2023-06-01", NULL);
    pn__consolidate(o, 3, &c, conf, &n);
    PN_CHECK(n == 4); /* sex: (0,2) (1,2); birth: (0,2) (1,2) */
    PN_CHECK(c.sex == 1 && (c.conflict & PN__CONFLICT_IDENTITY));
    PN_CHECK(pn__consolidate_max_conflicts(3) >= n);
    PN_CHECK(pn__birth_compatible(day("1950-03-22"), PN_DATE_DAY, day("1950-03-15"), PN_DATE_MONTH));
    PN_CHECK(!pn__birth_compatible(day("1950-03-22"), PN_DATE_DAY, day("1950-04-15"), PN_DATE_MONTH));
}

PN_TEST(mentions)
{
    pn_mention_problem p;
    const char *ok = "SURG-A1;SURG-B5;SYST-C;RT-B";
    PN_CHECK(pn_mentions_check(ok, strlen(ok), PN_MENTIONS_AUTHORISATIONS, &p) == 0);
    const char *bad[] = {"SURG-A8", "SURG-A1;;RT-A", "SURG-A1;", "RT-A;RT-A", "surg-a1", "SURG-A1;X;;"};
    const int kind[] = {PN_MENTION_UNKNOWN, PN_MENTION_EMPTY, PN_MENTION_EMPTY, PN_MENTION_TWICE,
                        PN_MENTION_UNKNOWN, PN_MENTION_EMPTY};
    const size_t item[] = {1, 2, 2, 2, 1, 3};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        p.kind = 0;
        PN_CHECK(pn_mentions_check(bad[i], strlen(bad[i]), PN_MENTIONS_AUTHORISATIONS, &p) == -1);
        PN_CHECK(p.kind == (pn_mention_fault)kind[i] && p.item == item[i]);
    }
    const char *net = "FEM-NET;GLIOREC";
    PN_CHECK(pn_mentions_check(net, strlen(net), PN_MENTIONS_NETWORKS, &p) == 0);
    PN_CHECK(pn_mentions_check("GLIOREC;FEM-NET;OTHER", 21, PN_MENTIONS_NETWORKS, &p) == -1 &&
             p.kind == PN_MENTION_UNKNOWN && p.item == 3);
    PN_CHECK(!pn_mention_known("FEM-NET", 7, PN_MENTIONS_AUTHORISATIONS));
}

PN_TEST_MAIN(PN_T(one_source_is_itself), PN_T(a_death_stands_against_a_later_alive),
             PN_T(a_death_after_an_alive_date_is_no_conflict), PN_T(two_death_dates_keep_the_earlier),
             PN_T(the_place_of_death_follows_the_death_that_stands),
             PN_T(alive_everywhere_is_the_latest_date), PN_T(identity_conflicts), PN_T(mentions))
