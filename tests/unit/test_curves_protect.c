/* test_curves_protect.c - disclosure control of published curves (curvepub.h) on hand-made
 * curves: the cut before fewer than k at risk, small counts of a point masked together, a
 * group's events masked when a point's are or when the cut tail's events would be given back,
 * a small group without points, and a second group masked with the only masked one. */
#include "pn_test.h"
#include "pronostic/alloc.h"
#include "pronostic/curvepub.h"
#include "pronostic/curves.h"
#include "pronostic/disclosure.h"

#include <math.h>
#include <string.h>

/* A group of n subjects and `events` deaths with the points (n_risk, n_event, n_censor). */
static void group(pn_curve *cv, long long n, long long events, size_t k, const double (*pts)[3])
{
    memset(cv, 0, sizeof *cv);
    cv->label = pn_strdup("g");
    cv->n = n;
    cv->events = events;
    cv->k = k;
    PN_CHECK(pn_curve_points_alloc(cv, k) == PN_OK);
    for (size_t i = 0; i < k; i++) {
        cv->time[i] = 30.0 * (double)(i + 1);
        cv->n_risk[i] = pts[i][0];
        cv->n_event[i] = pts[i][1];
        cv->n_censor[i] = pts[i][2];
        cv->surv[i] = cv->lower[i] = cv->upper[i] = 0.5;
    }
}

static pn_curves *curves(size_t n)
{
    pn_curves *c = pn_calloc(1, sizeof *c);
    c->curve = pn_calloc(n, sizeof *c->curve);
    c->n = n;
    return c;
}

PN_TEST(cut_and_points)
{
    /* 100 subjects, 60 deaths: points at 100, 80, 50, 12 and 8 at risk (the last cut) */
    static const double p[][3] = {{100, 20, 0}, {80, 25, 5}, {50, 3, 15}, {12, 2, 2}, {8, 1, 0}};
    pn_curves *c = curves(1);
    group(&c->curve[0], 100, 60, 5, p);
    pn_curves_protect(c, 10);
    pn_curve *cv = &c->curve[0];
    PN_CHECK(cv->k == 4);                                   /* the point with 8 at risk is gone */
    PN_CHECK(cv->suppressed[0] == PN_DCELL_PUBLISHED && cv->n_event[0] == 20);
    PN_CHECK(cv->n_risk[1] == 80);
    /* 5 censorings: small, masked with the 25 events of the point (their sum is 80 - 50) */
    PN_CHECK(cv->suppressed[1] == PN_DCELL_PRIMARY && isnan(cv->n_event[1]) && isnan(cv->n_censor[1]));
    PN_CHECK(cv->suppressed[2] == PN_DCELL_PRIMARY && isnan(cv->n_event[2]) && isnan(cv->n_censor[2]));
    PN_CHECK(cv->suppressed[3] == PN_DCELL_PRIMARY && cv->n_risk[3] == 12);
    PN_CHECK(cv->surv[2] == 0.5);                           /* the estimate is kept */
    PN_CHECK(cv->n_status == PN_DCELL_PUBLISHED && cv->events_status == PN_DCELL_SECONDARY);
    pn_curves_free(c);
}

PN_TEST(tail_events)
{
    /* every point's counts at k or more, but 60 - (20 + 35) = 5 deaths in the cut tail */
    static const double p[][3] = {{100, 20, 10}, {70, 35, 10}, {9, 3, 0}};
    pn_curves *c = curves(1);
    group(&c->curve[0], 100, 60, 3, p);
    pn_curves_protect(c, 10);
    PN_CHECK(c->curve[0].k == 2);
    PN_CHECK(c->curve[0].suppressed[0] == PN_DCELL_PUBLISHED &&
             c->curve[0].suppressed[1] == PN_DCELL_PUBLISHED);
    PN_CHECK(c->curve[0].events_status == PN_DCELL_SECONDARY);
    /* the same with 10 deaths in the tail: the total is shown */
    static const double q[][3] = {{100, 20, 10}, {70, 30, 10}, {9, 3, 0}};
    pn_curves *d = curves(1);
    group(&d->curve[0], 100, 60, 3, q);
    pn_curves_protect(d, 10);
    PN_CHECK(d->curve[0].events_status == PN_DCELL_PUBLISHED);
    pn_curves_free(c);
    pn_curves_free(d);
}

PN_TEST(small_group_and_partner)
{
    static const double big[][3] = {{300, 100, 20}, {180, 60, 20}};
    static const double mid[][3] = {{120, 40, 10}, {70, 20, 10}};
    pn_curves *c = curves(3);
    group(&c->curve[0], 300, 160, 2, big);
    group(&c->curve[1], 6, 4, 0, NULL);
    group(&c->curve[2], 120, 60, 2, mid);
    pn_curves_protect(c, 10);
    PN_CHECK(c->curve[1].k == 0 && c->curve[1].n_status == PN_DCELL_PRIMARY &&
             c->curve[1].events_status == PN_DCELL_PRIMARY);
    /* the smallest other group masked too, the largest shown */
    PN_CHECK(c->curve[2].n_status == PN_DCELL_SECONDARY && c->curve[2].events_status == PN_DCELL_SECONDARY);
    PN_CHECK(c->curve[0].n_status == PN_DCELL_PUBLISHED && c->curve[0].events_status == PN_DCELL_PUBLISHED);
    pn_curves_free(c);
    /* two groups masked already: no partner needed */
    pn_curves *d = curves(3);
    group(&d->curve[0], 300, 160, 2, big);
    group(&d->curve[1], 6, 4, 0, NULL);
    group(&d->curve[2], 5, 2, 0, NULL);
    pn_curves_protect(d, 10);
    PN_CHECK(d->curve[0].n_status == PN_DCELL_PUBLISHED && d->curve[0].events_status == PN_DCELL_PUBLISHED);
    pn_curves_free(d);
    /* one group alone: nothing to difference against */
    pn_curves *e = curves(1);
    group(&e->curve[0], 300, 160, 2, big);
    pn_curves_protect(e, 10);
    PN_CHECK(e->curve[0].n_status == PN_DCELL_PUBLISHED && e->curve[0].events_status == PN_DCELL_PUBLISHED);
    pn_curves_free(e);
}

PN_TEST_MAIN(PN_T(cut_and_points), PN_T(tail_events), PN_T(small_group_and_partner))
