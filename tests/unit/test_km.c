/* test_km.c - unit tests of the survival-curve kernels: the aggregate (counts, at-risk sums with
 * delayed entry, merging), Kaplan-Meier and Fleming-Harrington values worked by hand, confidence
 * limits, values at times, median and RMST rules, the life table, and the row stream. */
#include "pn_test.h"
#include "pn_testfs.h"
#include "pronostic/conf.h"
#include "pronostic/km.h"
#include "pronostic/lifetable.h"
#include "pronostic/survinput.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

typedef struct row {
    uint32_t g;
    double entry, time;
    int event;
    double w;
} row;

static pn_kmtables *tables_of(const row *rows, size_t n, size_t ngroups)
{
    pn_kmagg *a = NULL;
    if (pn_kmagg_new(&a) != PN_OK) return NULL;
    for (size_t i = 0; i < n; i++)
        pn_kmagg_add(a, rows[i].g, rows[i].entry, rows[i].time, rows[i].event, rows[i].w);
    pn_kmtables *t = NULL;
    pn_kmagg_tables(a, ngroups, NULL, &t);
    pn_kmagg_free(a);
    return t;
}

PN_TEST(aggregate_counts_ties_event_and_censor_at_one_time)
{
    /* times 2 (event), 2 (censored), 3 (event), 5 (censored) */
    row r[] = {{0, NAN, 3, 1, 1}, {0, NAN, 2, 0, 1}, {0, NAN, 5, 0, 1}, {0, NAN, 2, 1, 1}};
    pn_kmtables *t = tables_of(r, 4, 1);
    PN_CHECK(t != NULL && t->tab[0].k == 3);
    if (t == NULL) return;
    const pn_kmtable *k = &t->tab[0];
    PN_CHECK(k->time[0] == 2 && k->n_risk[0] == 4 && k->n_event[0] == 1 && k->n_censor[0] == 1);
    PN_CHECK(k->time[1] == 3 && k->n_risk[1] == 2 && k->n_event[1] == 1);
    PN_CHECK(k->time[2] == 5 && k->n_risk[2] == 1 && k->n_censor[2] == 1);
    PN_CHECK(k->n_records == 4);
    /* the event counts before the censoring at t = 2: S = 3/4, then 3/4 * 1/2 */
    double s[3], se[3];
    pn_km_curve(k, PN_KM_KAPLAN_MEIER, s, se);
    PN_CHECK_NEAR(s[0], 0.75, 1e-15);
    PN_CHECK_NEAR(s[1], 0.375, 1e-15);
    PN_CHECK_NEAR(s[2], 0.375, 1e-15);
    PN_CHECK_NEAR(se[1], sqrt(1.0 / (4 * 3) + 1.0 / (2 * 1)), 1e-15);
    pn_km_curve(k, PN_KM_FLEMING_HARRINGTON, s, se);
    PN_CHECK_NEAR(s[1], exp(-(0.25 + 0.5)), 1e-15);
    PN_CHECK_NEAR(se[1], sqrt(1.0 / 16 + 1.0 / 4), 1e-15);
    pn_kmtables_free(t);
}

PN_TEST(aggregate_delayed_entry_and_weights)
{
    /* (entry, exit]: (0,4] event, (2,6] censored, (5,8] event, (1,3] event, w 2 for the last */
    row r[] = {{0, 0, 4, 1, 1}, {0, 2, 6, 0, 1}, {0, 5, 8, 1, 1}, {0, 1, 3, 1, 2}};
    pn_kmtables *t = tables_of(r, 4, 1);
    if (t == NULL) return;
    const pn_kmtable *k = &t->tab[0];
    PN_CHECK(k->k == 4);
    PN_CHECK(k->time[0] == 3 && k->n_risk[0] == 4 && k->n_event[0] == 2); /* 1 + 1 + w 2 */
    PN_CHECK(k->time[1] == 4 && k->n_risk[1] == 2);  /* (0,4] and (2,6] */
    PN_CHECK(k->time[2] == 6 && k->n_risk[2] == 2);  /* (2,6] and (5,8] */
    PN_CHECK(k->time[3] == 8 && k->n_risk[3] == 1);
    pn_kmtables_free(t);
}

PN_TEST(aggregate_merge_equals_whole_and_recode)
{
    row r[] = {{1, NAN, 1, 1, 1}, {0, NAN, 2, 0, 1}, {1, NAN, 2, 1, 1}, {0, NAN, 2, 1, 1},
               {1, NAN, 7, 0, 1}, {0, NAN, 9, 1, 1}};
    pn_kmagg *a = NULL, *b = NULL, *whole = NULL;
    PN_CHECK(pn_kmagg_new(&a) == PN_OK && pn_kmagg_new(&b) == PN_OK && pn_kmagg_new(&whole) == PN_OK);
    for (size_t i = 0; i < 6; i++) {
        pn_kmagg_add(i < 3 ? a : b, r[i].g, NAN, r[i].time, r[i].event, 1);
        pn_kmagg_add(whole, r[i].g, NAN, r[i].time, r[i].event, 1);
    }
    PN_CHECK(pn_kmagg_merge(a, b) == PN_OK);
    const uint32_t swap[] = {1, 0};
    pn_kmtables *x = NULL, *y = NULL;
    PN_CHECK(pn_kmagg_tables(a, 2, swap, &x) == PN_OK);
    PN_CHECK(pn_kmagg_tables(whole, 2, NULL, &y) == PN_OK);
    if (x != NULL && y != NULL) {
        for (size_t g = 0; g < 2; g++) {
            const pn_kmtable *p = &x->tab[1 - g], *q = &y->tab[g];
            PN_CHECK(p->k == q->k && p->n_records == q->n_records);
            for (size_t i = 0; i < p->k && i < q->k; i++)
                PN_CHECK(p->time[i] == q->time[i] && p->n_risk[i] == q->n_risk[i] &&
                         p->n_event[i] == q->n_event[i] && p->n_censor[i] == q->n_censor[i]);
        }
    }
    uint32_t bad[] = {0, 5};
    pn_kmtables *z = NULL;
    PN_CHECK(pn_kmagg_tables(whole, 2, bad, &z) == PN_EINVAL && z == NULL);
    pn_kmtables_free(x);
    pn_kmtables_free(y);
    pn_kmagg_free(a);
    pn_kmagg_free(b);
    pn_kmagg_free(whole);
}

PN_TEST(limits_follow_r_rules)
{
    double z = pn_conf_z(0.95), lo, hi;
    PN_CHECK_NEAR(z, 1.959963984540054, 1e-14);
    pn_conf_limits(0.8, 0.1, PN_CONF_LOG, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK_NEAR(lo, 0.8 * exp(-z * 0.1), 1e-15);
    PN_CHECK_NEAR(hi, 0.8 * exp(z * 0.1), 1e-15);
    pn_conf_limits(0.95, 0.1, PN_CONF_LOG, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(hi == 1); /* clipped */
    pn_conf_limits(0.95, 0.1, PN_CONF_PLAIN, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(hi == 1 && fabs(lo - (0.95 - 0.95 * 0.1 * z)) < 1e-15);
    pn_conf_limits(1, 0, PN_CONF_LOGLOG, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi)); /* R: NA where S = 1 */
    pn_conf_limits(0, INFINITY, PN_CONF_LOG, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));
    pn_conf_limits(0, INFINITY, PN_CONF_PLAIN, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));
    pn_conf_type ct;
    PN_CHECK(pn_conf_type_parse("log-log", &ct) == PN_OK && ct == PN_CONF_LOGLOG);
    PN_CHECK(pn_conf_type_parse("logit", &ct) == PN_EINVAL);
}

PN_TEST(values_at_times)
{
    row r[] = {{0, NAN, 2, 1, 1}, {0, NAN, 4, 0, 1}, {0, NAN, 6, 1, 1}, {0, NAN, 8, 0, 1}};
    pn_kmtables *t = tables_of(r, 4, 1);
    if (t == NULL) return;
    const pn_kmtable *k = &t->tab[0];
    double s[4], se[4], at[] = {1, 4, 5, 8, 9};
    double nr[5], ne[5], nc[5], sa[5], sea[5], lo[5], hi[5];
    pn_km_curve(k, PN_KM_KAPLAN_MEIER, s, se);
    size_t rows = pn_km_at(k, s, se, at, 5, PN_CONF_LOG, 1.96, nr, ne, nc, sa, sea, lo, hi);
    PN_CHECK(rows == 4); /* 9 is past the last time */
    PN_CHECK(sa[0] == 1 && sea[0] == 0 && lo[0] == 1 && nr[0] == 4 && ne[0] == 0);
    PN_CHECK(sa[1] == 0.75 && nr[1] == 3 && ne[1] == 1 && nc[1] == 1); /* at risk at 4 */
    PN_CHECK(sa[2] == 0.75 && nr[2] == 2 && ne[2] == 0 && nc[2] == 0); /* first time >= 5 is 6 */
    PN_CHECK(sa[3] == 0.375 && nr[3] == 1 && ne[3] == 1 && nc[3] == 1);
    pn_kmtables_free(t);
}

PN_TEST(median_rules)
{
    double time[] = {1, 2, 3, 4};
    double y1[] = {0.75, 0.5, 0.25, 0};   /* flat at 0.5 from 2 to 3: (2 + 3) / 2 */
    PN_CHECK(pn_km_median(4, time, y1) == 2.5);
    double y2[] = {0.8, 0.6, 0.4, 0.4};
    PN_CHECK(pn_km_median(4, time, y2) == 3);
    double y3[] = {0.9, 0.8, 0.7, 0.6};
    PN_CHECK(isnan(pn_km_median(4, time, y3)));
    double y4[] = {NAN, 0.6, 0.5, 0.5};   /* flat at 0.5 to the end: no lower step */
    PN_CHECK(pn_km_median(4, time, y4) == 3);
}

PN_TEST(rmst_by_hand)
{
    /* events at 2 and 6 of 4 subjects; censored 4, 8 */
    row r[] = {{0, NAN, 2, 1, 1}, {0, NAN, 4, 0, 1}, {0, NAN, 6, 1, 1}, {0, NAN, 8, 0, 1}};
    pn_kmtables *t = tables_of(r, 4, 1);
    if (t == NULL) return;
    double s[4], se[4], mean, sd;
    pn_km_curve(&t->tab[0], PN_KM_KAPLAN_MEIER, s, se);
    pn_km_rmst(&t->tab[0], s, 8, &mean, &sd);
    PN_CHECK_NEAR(mean, 2 * 1 + 4 * 0.75 + 2 * 0.375, 1e-14);
    /* area after 6: 2 * 0.375, after 2: + 4 * 0.75; h(2) = 1/(4*3), h(6) = 1/(2*1) */
    double a6 = 0.75, a2 = 0.75 + 3;
    PN_CHECK_NEAR(sd, sqrt(a2 * a2 / 12 + a6 * a6 / 2), 1e-14);
    pn_km_rmst(&t->tab[0], s, 3, &mean, &sd);
    PN_CHECK_NEAR(mean, 2 + 0.75, 1e-14);
    pn_kmtables_free(t);
}

PN_TEST(lifetable_by_hand)
{
    /* intervals [0,5), [5,10), [10,15): events at 1, 6; censored at 3, 7, 12; one beyond */
    row r[] = {{0, NAN, 1, 1, 1}, {0, NAN, 3, 0, 1}, {0, NAN, 6, 1, 1},
               {0, NAN, 7, 0, 1}, {0, NAN, 12, 0, 1}, {0, NAN, 20, 1, 1}};
    pn_kmtables *t = tables_of(r, 6, 1);
    if (t == NULL) return;
    double cuts[] = {5, 10, 15}, ns[3], ne[3], nc[3], nr[3], s[3], se[3];
    pn_lifetable(&t->tab[0], cuts, 3, ns, ne, nc, nr, s, se);
    PN_CHECK(ns[0] == 6 && ne[0] == 1 && nc[0] == 1 && nr[0] == 5.5);
    PN_CHECK(ns[1] == 4 && ne[1] == 1 && nc[1] == 1 && nr[1] == 3.5);
    PN_CHECK(ns[2] == 2 && ne[2] == 0 && nc[2] == 1 && nr[2] == 1.5);
    PN_CHECK_NEAR(s[0], 1 - 1 / 5.5, 1e-15);
    PN_CHECK_NEAR(s[1], (1 - 1 / 5.5) * (1 - 1 / 3.5), 1e-15);
    PN_CHECK(s[2] == s[1]);
    PN_CHECK_NEAR(se[1], sqrt(1 / (5.5 * 4.5) + 1 / (3.5 * 2.5)), 1e-15);
    pn_kmtables_free(t);
}

typedef struct collected {
    size_t n;
    uint32_t group[16];
    double time[16];
    int event[16];
} collected;

static int collect(void *ctx, uint32_t group, double entry, double time, int event, double weight)
{
    collected *c = ctx;
    (void)entry;
    (void)weight;
    if (c->n >= 16) return PN_ETOOBIG;
    c->group[c->n] = group;
    c->time[c->n] = time;
    c->event[c->n++] = event;
    return PN_OK;
}

static const char *write_tmp(const char *text) { return pn_test_tmpfile("pn_test_km", text); }

PN_TEST(stream_matches_loader)
{
    const char *by[] = {"sex", "arm"};
    pn_survspec spec = {.time = "t", .event = "status", .event_value = "2", .by = by, .nby = 2};
    spec.path = write_tmp("t,status,sex,arm\n5,2,2,b\n3,1,1,b\n,2,1,a\n7,2,1,a\n9,NA,2,a\n"
                          "4,1,10,a\n6,2,1,b\n");
    pn_diag diag = {0};
    pn_survdata *d = NULL;
    pn_survstream *s = NULL;
    collected c = {0};
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_OK);
    PN_CHECK(pn_survdata_stream(&spec, collect, &c, &s, &diag) == PN_OK);
    if (d != NULL && s != NULL) {
        PN_CHECK(s->n == d->n && c.n == d->n && s->dropped == d->dropped && s->dropped == 2);
        PN_CHECK(s->ngroups == d->ngroups);
        for (size_t g = 0; g < s->ngroups && g < d->ngroups; g++)
            PN_CHECK_STR(s->group_labels[g], d->group_labels[g]);
        for (size_t i = 0; i < c.n && i < d->n; i++) {
            PN_CHECK(c.group[i] < s->nprov && s->recode[c.group[i]] == (uint32_t)d->group[i]);
            PN_CHECK(c.time[i] == d->time[i] && c.event[i] == d->event[i]);
        }
    }
    pn_survdata_free(d);
    pn_survstream_free(s);
    unlink(spec.path);
}

PN_TEST(stream_reports_unknown_event_value_at_its_first_line)
{
    pn_survspec spec = {.time = "t", .event = "e"};
    spec.path = write_tmp("t,e\n1,1\n2,3\n3,0\n4,3\n5,0\n");
    pn_diag diag = {0};
    pn_survstream *s = NULL;
    collected c = {0};
    /* levels 0 < 1 < 3: 0 is the censoring value, so 3 (first on line 3) is unknown */
    PN_CHECK(pn_survdata_stream(&spec, collect, &c, &s, &diag) == PN_EPARSE && s == NULL);
    PN_CHECK(strstr(diag.msg, ":3: column 'e': unknown event value '3'") != NULL);
    spec.path = write_tmp("t,e\n1,1\n-2,0\n");
    c.n = 0;
    PN_CHECK(pn_survdata_stream(&spec, collect, &c, &s, &diag) == PN_ERANGE);
    PN_CHECK(strstr(diag.msg, ":3: column 't': negative time -2") != NULL);
    unlink(spec.path);
}

/* --strata through the stream: final groups and strata as the loader gives them (a missing
 * stratum value drops the row) */
PN_TEST(stream_strata_match_loader)
{
    const char *by[] = {"arm"}, *strata[] = {"site", "sex"};
    pn_survspec spec = {.time = "t", .event = "status", .by = by, .nby = 1, .strata = strata,
                        .nstrata = 2};
    spec.path = write_tmp("t,status,arm,site,sex\n5,1,b,x,F\n3,0,a,y,M\n2,1,a,x,\n7,1,a,x,M\n"
                          "4,1,b,y,M\n6,0,b,x,F\n8,1,a,y,F\n");
    pn_diag diag = {0};
    pn_survdata *d = NULL;
    pn_survstream *s = NULL;
    collected c = {0};
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_OK);
    PN_CHECK(pn_survdata_stream(&spec, collect, &c, &s, &diag) == PN_OK);
    if (d != NULL && s != NULL) {
        PN_CHECK(s->n == 6 && c.n == d->n && s->dropped == 1 && d->dropped == 1);
        PN_CHECK(s->ngroups == 2 && s->nstrata == d->nstrata && s->nstrata == 4);
        PN_CHECK(s->stratum_recode != NULL && s->nprov == 5);
        for (size_t g = 0; g < s->nstrata && g < d->nstrata; g++)
            PN_CHECK_STR(s->strata_labels[g], d->strata_labels[g]);
        PN_CHECK_STR(s->strata_labels[0], "site=x,sex=F");
        for (size_t i = 0; i < c.n && i < d->n; i++) {
            PN_CHECK(s->recode[c.group[i]] == (uint32_t)d->group[i]);
            PN_CHECK(s->stratum_recode[c.group[i]] == (uint32_t)d->stratum[i]);
        }
    }
    pn_survdata_free(d);
    pn_survstream_free(s);
    unlink(spec.path);
}

/* Delayed entry with non-integer weights: an early cohort dies out (everyone at risk at t = 5
 * dies there), then others enter. The number at risk at 5 is the exits after it minus the
 * entries after it: computed without cancellation it equals the deaths exactly, S is exactly 0
 * (no interval) and stays in [0, 1]; plain double sums left a rounding error there. */
PN_TEST(aggregate_fractional_weights_without_cancellation)
{
    pn_kmagg *agg = NULL;
    PN_CHECK(pn_kmagg_new(&agg) == PN_OK);
    if (agg == NULL) return;
    const double early[] = {0.1, 0.2, 0.3, 0.415, 0.777};
    double deaths = 0;
    for (size_t i = 0; i < 5; i++) {
        PN_CHECK(pn_kmagg_add(agg, 0, 0, i < 2 ? 3 : 5, 1, early[i]) == PN_OK);
        if (i >= 2) deaths += early[i];
    }
    for (int i = 0; i < 300; i++) {
        double w = 0.5 + 0.001 * (double)((i * 389) % 1499);
        PN_CHECK(pn_kmagg_add(agg, 0, 6 + i % 37, 60 + (i * 7) % 211, i % 3 != 0, w) == PN_OK);
    }
    pn_kmtables *tabs = NULL;
    PN_CHECK(pn_kmagg_tables(agg, 1, NULL, &tabs) == PN_OK);
    if (tabs == NULL) { pn_kmagg_free(agg); return; }
    const pn_kmtable *t = &tabs->tab[0];
    PN_CHECK(t->k > 2 && t->time[1] == 5);
    PN_CHECK(t->n_risk[1] == t->n_event[1]);            /* exactly: everyone at risk died */
    PN_CHECK_NEAR(t->n_event[1], deaths, 1e-15);
    double surv[400], selog[400];
    pn_km_curve(t, PN_KM_KAPLAN_MEIER, surv, selog);
    PN_CHECK(surv[1] == 0 && isinf(selog[1]));
    size_t outside = 0;
    for (size_t i = 0; i < t->k; i++) outside += !(surv[i] >= 0 && surv[i] <= 1);
    PN_CHECK(outside == 0);
    double lo, hi;
    pn_conf_limits(surv[1], selog[1], PN_CONF_LOG, 1.96, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));                    /* no interval at S = 0, as R */
    pn_kmtables_free(tabs);
    pn_kmagg_free(agg);
}

PN_TEST_MAIN(PN_T(aggregate_counts_ties_event_and_censor_at_one_time),
             PN_T(aggregate_fractional_weights_without_cancellation),
             PN_T(aggregate_delayed_entry_and_weights), PN_T(aggregate_merge_equals_whole_and_recode),
             PN_T(limits_follow_r_rules), PN_T(values_at_times), PN_T(median_rules),
             PN_T(rmst_by_hand), PN_T(lifetable_by_hand), PN_T(stream_matches_loader), PN_T(stream_strata_match_loader),
             PN_T(stream_reports_unknown_event_value_at_its_first_line))
