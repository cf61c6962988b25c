/* test_netsurv.c - unit tests of stats/netsurv: Pohar-Perme and Ederer II against hand
 * computations, the two integration schemes, reading at times, the Grafféo test, ICSS
 * standardisation and the trend. */
#include "pn_test.h"
#include "pronostic/date.h"
#include "pronostic/conf.h"
#include "pronostic/netsurv.h"
#include "pronostic/netsurv_test.h"
#include "pronostic/standardise.h"
#include "pronostic/trend.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A table whose hazard is `lambda` everywhere (ages 0-1, years 2000-2001: every subject
 * leaves it, which carries the same rate). */
static pn_ratetable *constant_table(double lambda)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/pn_ns_XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "age,sex,year,value\n");
    for (int a = 0; a < 2; a++)
        for (int y = 2000; y < 2002; y++) {
            fprintf(f, "%d,male,%d,%.17g\n", a, y, lambda);
            fprintf(f, "%d,female,%d,%.17g\n", a, y, lambda);
        }
    fclose(f);
    pn_ratetable *rt = NULL;
    pn_ratetable_load_csv(&rt, path, NULL);
    unlink(path);
    return rt;
}

/* Six subjects: times 10, 20 (death), 20 (death), 35, 50 (death), 80. */
static const double T[6] = {10, 20, 20, 35, 50, 80};
static const int ST[6] = {0, 1, 1, 0, 1, 0};
static const double AGE[6] = {20000, 21000, 22000, 23000, 24000, 25000};
static const double DATE[6] = {11000, 11100, 11200, 11300, 11400, 11500};
static const int SEX[6] = {PN_SEX_MALE, PN_SEX_FEMALE, PN_SEX_MALE, PN_SEX_FEMALE, PN_SEX_MALE, PN_SEX_FEMALE};

PN_TEST(constant_hazard_by_hand)
{
    double lambda = 1e-4;
    pn_ratetable *rt = constant_table(lambda);
    PN_CHECK(rt != NULL);
    if (rt == NULL) return;
    pn_netsurv_input in = {.n = 6, .time = T, .status = ST, .age_days = AGE, .date = DATE, .sex = SEX};
    /* With one hazard for all, every weight is exp(lambda t): Pohar-Perme's increment is
     * d/n - lambda dt, as Ederer II's, and both schemes integrate it exactly. */
    const double grid[5] = {10, 20, 35, 50, 80};
    const double nrisk[5] = {6, 5, 3, 2, 1}, nev[5] = {0, 2, 0, 1, 0};
    for (int method = 0; method < 2; method++)
        for (int scheme = 0; scheme < 2; scheme++) {
            pn_netsurv_curve c;
            PN_CHECK(pn_netsurv_curve_init(&c, 6) == PN_OK);
            PN_CHECK(pn_netsurv_estimate(&in, rt, method, scheme, &c) == PN_OK);
            PN_CHECK(c.len == 5);
            double s = 1, prev = 0, v = 0;
            for (int k = 0; k < 5 && k < (int)c.len; k++) {
                s *= 1 - (nev[k] / nrisk[k] - lambda * (grid[k] - prev));
                /* PP variance: sum d exp(2 L) / (n exp(L))^2 = d / n^2, as Ederer II's */
                v += nev[k] / (nrisk[k] * nrisk[k]);
                prev = grid[k];
                PN_CHECK_NEAR(c.time[k], grid[k], 0);
                PN_CHECK_NEAR(c.n_risk[k], nrisk[k], 0);
                PN_CHECK_NEAR(c.n_event[k], nev[k], 0);
                PN_CHECK_NEAR(c.surv[k], s, 1e-13);
                PN_CHECK_NEAR(c.se[k], sqrt(v), 1e-13);
            }
            PN_CHECK_NEAR(c.n_censor[0], 1, 0);
            PN_CHECK_NEAR(c.n_censor[4], 1, 0);
            pn_netsurv_curve_free(&c);
        }
    pn_ratetable_free(rt);
}

PN_TEST(weights_favour_the_old)
{
    /* On the French table, Pohar-Perme weighs a death of an old subject by 1/S_P: check one
     * interval by hand with the exact scheme. Two subjects, aged 40 and 90, both followed
     * to 400 days; the 90-year-old dies at 400. */
    pn_ratetable *rt = NULL;
    PN_CHECK(pn_ratetable_open(&rt, "fr", NULL) == PN_OK);
    if (rt == NULL) return;
    const double t[2] = {400, 400}, age[2] = {40 * 365.241, 90 * 365.241};
    const double date[2] = {pn_days_from_civil(2005, 3, 1), pn_days_from_civil(2005, 3, 1)};
    const int st[2] = {0, 1}, sex[2] = {0, 0};
    pn_netsurv_input in = {.n = 2, .time = t, .status = st, .age_days = age, .date = date, .sex = sex};
    pn_netsurv_curve c;
    PN_CHECK(pn_netsurv_curve_init(&c, 2) == PN_OK);
    PN_CHECK(pn_netsurv_estimate(&in, rt, PN_NETSURV_POHAR_PERME, PN_NETSURV_EXACT, &c) == PN_OK);
    double L0 = pn_ratetable_cumhaz(rt, PN_SEX_MALE, age[0], date[0], 400, NULL);
    double L1 = pn_ratetable_cumhaz(rt, PN_SEX_MALE, age[1], date[1], 400, NULL);
    double w = exp(L0) + exp(L1);
    double haz = exp(L1) / w - log(w / 2);
    PN_CHECK(c.len == 1);
    PN_CHECK_NEAR(c.surv[0], 1 - haz, 1e-14);
    PN_CHECK_NEAR(c.se[0], sqrt(exp(2 * L1) / (w * w)), 1e-14);
    /* relsurv's scheme averages the weighted hazard over the days elapsed in an interval (a
     * lagging mean): over one 400-day interval whose weights shift toward the 90-year-old it
     * falls short of the exact integral, by about 0.3 points here */
    pn_netsurv_curve r;
    PN_CHECK(pn_netsurv_curve_init(&r, 2) == PN_OK);
    PN_CHECK(pn_netsurv_estimate(&in, rt, PN_NETSURV_POHAR_PERME, PN_NETSURV_RELSURV, &r) == PN_OK);
    PN_CHECK_NEAR(r.surv[0], c.surv[0], 1e-2);
    PN_CHECK(fabs(r.surv[0] - c.surv[0]) > 1e-6);
    pn_netsurv_curve_free(&r);
    pn_netsurv_curve_free(&c);
    pn_ratetable_free(rt);
}

PN_TEST(equal_weights_change_nothing)
{
    /* Pohar-Perme is invariant to a common weight; Brenner's weights reproduce the standard */
    pn_ratetable *rt = NULL;
    PN_CHECK(pn_ratetable_open(&rt, "fr", NULL) == PN_OK);
    if (rt == NULL) return;
    double w[6] = {2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, date[6], age[6];
    for (int i = 0; i < 6; i++) {
        date[i] = pn_days_from_civil(2001 + i, 3, 1);
        age[i] = (30 + 10 * i) * 365.241;
    }
    pn_netsurv_input in = {.n = 6, .time = T, .status = ST, .age_days = age, .date = date, .sex = SEX};
    for (int scheme = 0; scheme < 2; scheme++) {
        pn_netsurv_curve a, b;
        PN_CHECK(pn_netsurv_curve_init(&a, 6) == PN_OK && pn_netsurv_curve_init(&b, 6) == PN_OK);
        in.weight = NULL;
        PN_CHECK(pn_netsurv_estimate(&in, rt, PN_NETSURV_POHAR_PERME, scheme, &a) == PN_OK);
        in.weight = w;
        PN_CHECK(pn_netsurv_estimate(&in, rt, PN_NETSURV_POHAR_PERME, scheme, &b) == PN_OK);
        for (size_t k = 0; k < a.len; k++) {
            PN_CHECK_NEAR(b.surv[k], a.surv[k], 1e-13);
            PN_CHECK_NEAR(b.se[k], a.se[k], 1e-13);
        }
        PN_CHECK(pn_netsurv_estimate(&in, rt, PN_NETSURV_EDERER2, scheme, &b) == PN_EINVAL);
        pn_netsurv_curve_free(&a);
        pn_netsurv_curve_free(&b);
    }
    /* ages 30..80: groups 0,0,1,2,3,4 -> w_g / (n_g / 6) */
    double bw[6];
    in.weight = NULL;
    PN_CHECK(pn_brenner_weights(&in, 1, NULL, bw) == 0);
    PN_CHECK_NEAR(bw[0], 0.07 / (2.0 / 6), 1e-15);
    PN_CHECK_NEAR(bw[2], 0.12 * 6, 1e-15);
    PN_CHECK_NEAR(bw[5], 0.29 * 6, 1e-15);
    double sum = 0;
    for (int i = 0; i < 6; i++) sum += bw[i];
    PN_CHECK_NEAR(sum / 6, 1, 1e-14);
    pn_ratetable_free(rt);
}

PN_TEST(reading_at_times)
{
    double time[3] = {10, 20, 30}, nr[3] = {5, 3, 1}, ne[3] = {1, 1, 1}, nc[3] = {1, 1, 0};
    double surv[3] = {0.8, 0.6, 0.3}, se[3] = {0.1, 0.2, 0.3};
    pn_netsurv_curve c = {.cap = 3, .len = 3, .time = time, .n_risk = nr, .n_event = ne,
                          .n_censor = nc, .surv = surv, .se = se};
    double at[4] = {5, 20, 25, 40}, s[4], e[4], r[4], ev[4], ce[4];
    pn_netsurv_at(&c, at, 4, s, e, r, ev, ce);
    PN_CHECK_NEAR(s[0], 1, 0);
    PN_CHECK_NEAR(r[0], 5, 0);
    PN_CHECK_NEAR(s[1], 0.6, 0);
    PN_CHECK_NEAR(r[1], 3, 0);
    PN_CHECK_NEAR(ev[1], 2, 0);
    PN_CHECK_NEAR(ce[1], 2, 0);
    PN_CHECK_NEAR(s[2], 0.6, 0);
    PN_CHECK_NEAR(r[2], 1, 0);
    PN_CHECK_NEAR(ev[2], 0, 0);
    PN_CHECK_NEAR(s[3], 0.3, 0);
    PN_CHECK_NEAR(r[3], 0, 0);
    PN_CHECK_NEAR(ev[3], 1, 0);
}

PN_TEST(limits)
{
    double lo, hi;
    double z = pn_conf_z(0.95);
    pn_conf_limits(0.5, 0.1, PN_CONF_LOG, z, PN_CONF_RSSURV, &lo, &hi);
    PN_CHECK_NEAR(lo, 0.5 * exp(-1.959963984540054 * 0.1), 1e-12);
    PN_CHECK_NEAR(hi, 0.5 * exp(1.959963984540054 * 0.1), 1e-12);
    pn_conf_limits(0.5, 0.1, PN_CONF_PLAIN, z, PN_CONF_RSSURV, &lo, &hi);
    PN_CHECK_NEAR(lo, 0.5 - 1.959963984540054 * 0.05, 1e-12);
}

PN_TEST(identical_groups_do_not_differ)
{
    gsl_set_error_handler_off(); /* as the program does at start (main.c) */
    pn_ratetable *rt = constant_table(2e-4);
    if (rt == NULL) { PN_CHECK(0); return; }
    /* the six subjects twice, once per group: the statistic is 0 */
    double t[12], age[12], date[12];
    int st[12], sex[12], grp[12];
    for (int i = 0; i < 12; i++) {
        t[i] = T[i % 6]; age[i] = AGE[i % 6]; date[i] = DATE[i % 6];
        st[i] = ST[i % 6]; sex[i] = SEX[i % 6]; grp[i] = i / 6;
    }
    pn_netsurv_input in = {.n = 12, .time = t, .status = st, .age_days = age, .date = date, .sex = sex};
    double chisq = -1, p = -1, zh[2];
    int df = 0;
    PN_CHECK(pn_netsurv_test(&in, rt, grp, 2, NULL, 0, &chisq, &df, &p, zh, NULL) == PN_OK);
    PN_CHECK_NEAR(chisq, 0, 1e-20);
    PN_CHECK(df == 1);
    PN_CHECK_NEAR(p, 1, 1e-12);
    /* shift group 1's deaths earlier: a positive statistic, excess deaths in group 1 */
    for (int i = 6; i < 12; i++) if (st[i]) t[i] -= 5;
    PN_CHECK(pn_netsurv_test(&in, rt, grp, 2, NULL, 0, &chisq, &df, &p, zh, NULL) == PN_OK);
    PN_CHECK(chisq > 0 && p < 1);
    PN_CHECK_NEAR(zh[0] + zh[1], 0, 1e-12);
    PN_CHECK(pn_netsurv_test(&in, rt, grp, 1, NULL, 0, &chisq, &df, &p, zh, NULL) == PN_EINVAL);
    pn_ratetable_free(rt);
}

PN_TEST(period_window_by_delayed_entry)
{
    /* Delayed entry removes subjects from the early risk sets only. */
    pn_ratetable *rt = constant_table(1e-4);
    if (rt == NULL) { PN_CHECK(0); return; }
    double entry[6] = {0, 0, 15, 0, 0, 0};
    pn_netsurv_input in = {.n = 6, .time = T, .entry = entry, .status = ST, .age_days = AGE,
                           .date = DATE, .sex = SEX};
    pn_netsurv_curve c;
    PN_CHECK(pn_netsurv_curve_init(&c, 6) == PN_OK);
    PN_CHECK(pn_netsurv_estimate(&in, rt, PN_NETSURV_POHAR_PERME, PN_NETSURV_EXACT, &c) == PN_OK);
    PN_CHECK_NEAR(c.n_risk[0], 5, 0);   /* subject 3 enters at 15, after time 10 */
    PN_CHECK_NEAR(c.n_risk[1], 5, 0);
    PN_CHECK_NEAR(c.n_censor[0], 1, 0);  /* counted from exits, not from changes of n_risk */
    PN_CHECK_NEAR(c.surv[0], 1 + 1e-4 * 10, 1e-14);
    /* relsurv's scheme with delayed entry agrees here (constant hazard) */
    pn_netsurv_curve r;
    PN_CHECK(pn_netsurv_curve_init(&r, 6) == PN_OK);
    PN_CHECK(pn_netsurv_estimate(&in, rt, PN_NETSURV_POHAR_PERME, PN_NETSURV_RELSURV, &r) == PN_OK);
    for (size_t k = 0; k < c.len && k < r.len; k++) {
        PN_CHECK_NEAR(r.surv[k], c.surv[k], 1e-12);
        PN_CHECK_NEAR(r.n_risk[k], c.n_risk[k], 0);
        PN_CHECK_NEAR(r.n_censor[k], c.n_censor[k], 0);
    }
    pn_netsurv_curve_free(&r);
    entry[2] = 25;  /* entry after its exit: refused */
    PN_CHECK(pn_netsurv_estimate(&in, rt, PN_NETSURV_POHAR_PERME, PN_NETSURV_EXACT, &c) == PN_EINVAL);
    pn_netsurv_curve_free(&c);
    pn_ratetable_free(rt);
}

PN_TEST(icss)
{
    for (int k = 1; k <= 3; k++) {
        const double *w = pn_icss_weights(k);
        PN_CHECK(w != NULL);
        double sum = 0;
        for (int g = 0; g < 5; g++) sum += w[g];
        PN_CHECK_NEAR(sum, 1, 1e-12);
    }
    PN_CHECK(pn_icss_weights(4) == NULL);
    PN_CHECK(pn_icss_weights(1)[0] == 0.07 && pn_icss_weights(2)[4] == 0.14);
    PN_CHECK(pn_icss_group(14.99) == -1);
    PN_CHECK(pn_icss_group(15) == 0);
    PN_CHECK(pn_icss_group(44.9) == 0);
    PN_CHECK(pn_icss_group(45) == 1);
    PN_CHECK(pn_icss_group(74.99) == 3);
    PN_CHECK(pn_icss_group(75) == 4);
    const double s[5] = {0.9, 0.8, 0.7, 0.6, 0.5}, se[5] = {0.01, 0.02, 0.03, 0.04, 0.05};
    double est, est_se;
    pn_standardise(pn_icss_weights(1), s, se, 5, &est, &est_se);
    PN_CHECK_NEAR(est, 0.07 * 0.9 + 0.12 * 0.8 + 0.23 * 0.7 + 0.29 * 0.6 + 0.29 * 0.5, 1e-15);
    double v = 0.07 * 0.07 * 1e-4 + 0.12 * 0.12 * 4e-4 + 0.23 * 0.23 * 9e-4 + 0.29 * 0.29 * 16e-4 +
               0.29 * 0.29 * 25e-4;
    PN_CHECK_NEAR(est_se, sqrt(v), 1e-15);
}

PN_TEST(trend)
{
    /* points on a line 0.1 + 0.01 (x - 2000) with equal se: slope 0.01, projection exact */
    const double x[4] = {2002, 2007, 2012, 2017}, se[4] = {0.01, 0.01, 0.01, 0.01};
    double y[4];
    for (int i = 0; i < 4; i++) y[i] = 0.1 + 0.01 * (x[i] - 2000);
    pn_trend tr;
    PN_CHECK(pn_trend_fit(x, y, se, 4, 2030, &tr) == PN_OK);
    PN_CHECK_NEAR(tr.slope, 0.01, 1e-12);
    PN_CHECK_NEAR(tr.projection, 0.4, 1e-12);
    /* var(slope) = 1 / sum w (x - xbar)^2 = 1e-4 / 125 */
    PN_CHECK_NEAR(tr.slope_se, sqrt(1e-4 / 125), 1e-12);
    PN_CHECK(tr.slope_p < 1e-6);
    PN_CHECK_NEAR(tr.diff, 0.15, 1e-12);
    PN_CHECK_NEAR(tr.diff_se, sqrt(2e-4), 1e-15);
    /* a period without a usable estimate is skipped; fewer than two is refused */
    double y2[2] = {0.3, NAN}, se2[2] = {0.01, 0.01};
    PN_CHECK(pn_trend_fit(x, y2, se2, 2, 2030, &tr) == PN_EEMPTY);
}

/* An age group whose members all died before a requested time: its estimate there is its last
 * value (~0), as relsurv's summary(extend = TRUE); with its last member censored, it is missing. */
static int point_case(pn_ratetable *rt, int last_status, double *est, double *se, double *parts)
{
    /* two subjects per ICSS group: group 0 dies at 50 and 80, the others leave at 200 and 400 */
    double t[10], age[10], date[10];
    int st[10], sex[10], ag[10];
    for (int i = 0; i < 10; i++) {
        ag[i] = i / 2;
        t[i] = ag[i] == 0 ? (i % 2 ? 80 : 50) : (i % 2 ? 400 : 200);
        st[i] = ag[i] == 0 ? (i % 2 ? last_status : 1) : i % 2 == 0;
        age[i] = 20000 + 100 * i;
        date[i] = 11000 + 10 * i;
        sex[i] = i % 2 ? PN_SEX_FEMALE : PN_SEX_MALE;
    }
    pn_netsurv_input in = {.n = 10, .time = t, .status = st, .age_days = age, .date = date, .sex = sex};
    const double at[2] = {60, 300};
    int rc = pn_netsurv_point(&in, rt, NULL, PN_NETSURV_RELSURV, 1, ag, at, 2, est, se, NULL,
                              NULL, NULL, NULL);
    /* each group alone, read at 300 */
    for (int g = 0; g < 5; g++) {
        pn_netsurv_input gi = in;
        size_t rows[2] = {(size_t)(2 * g), (size_t)(2 * g + 1)};
        gi.rows = rows;
        gi.n = 2;
        pn_netsurv_curve c;
        if (pn_netsurv_curve_init(&c, 2) != PN_OK) return PN_ENOMEM;
        if (pn_netsurv_estimate(&gi, rt, PN_NETSURV_POHAR_PERME, PN_NETSURV_RELSURV, &c) != PN_OK)
            rc = PN_EINVAL;
        double sv, sev, a, b, d;
        pn_netsurv_at(&c, &at[1], 1, &sv, &sev, &a, &b, &d);
        parts[g] = sv;
        pn_netsurv_curve_free(&c);
    }
    return rc;
}

PN_TEST(point_after_everyone_died)
{
    double lambda = 1e-4;
    pn_ratetable *rt = constant_table(lambda);
    if (rt == NULL) { PN_CHECK(0); return; }
    double est[2], se[2], parts[5];
    PN_CHECK(point_case(rt, 1, est, se, parts) == PN_OK);
    /* group 0: 1 - (1/2 - lambda 50) at 50, then the last factor lambda (80 - 50) */
    PN_CHECK_NEAR(parts[0], (0.5 + lambda * 50) * lambda * 30, 1e-12);
    const double *w = pn_icss_weights(1);
    double want = 0;
    for (int g = 0; g < 5; g++) want += w[g] * parts[g];
    PN_CHECK(isfinite(est[0]) && isfinite(est[1]) && isfinite(se[1]));
    PN_CHECK_NEAR(est[1], want, 1e-15);
    /* the last member of group 0 censored: no estimate past 80, one at 60 */
    PN_CHECK(point_case(rt, 0, est, se, parts) == PN_OK);
    PN_CHECK(isfinite(est[0]));
    PN_CHECK(isnan(est[1]));
    pn_ratetable_free(rt);
}

PN_TEST_MAIN(PN_T(constant_hazard_by_hand), PN_T(weights_favour_the_old),
             PN_T(equal_weights_change_nothing), PN_T(reading_at_times),
             PN_T(limits), PN_T(identical_groups_do_not_differ), PN_T(period_window_by_delayed_entry),
             PN_T(icss), PN_T(trend), PN_T(point_after_everyone_died))
