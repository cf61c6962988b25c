/* test_timefix.c - unit tests of the timefix kernel (R's aeqSurv): absolute and relative
 * tolerance, the first value of a class as its cut, entry and exit merged into one class, and
 * non-finite values left alone; and the Kaplan-Meier aggregate applying it across strata. */
#include "pn_test.h"
#include "pronostic/km.h"
#include "pronostic/timefix.h"

#include <math.h>

PN_TEST(cuts_merge_rounding_differences)
{
    double v[] = {0.3, 0.1 + 0.2, 0.7, 0.1 * 7, 3.3 / 3, 1.1, 0.3};
    int merged = -1;
    size_t ncut = pn_timefix_cuts(v, 7, &merged);
    PN_CHECK(merged == 1);
    PN_CHECK(ncut == 3);
    PN_CHECK(v[0] == 0.3 && v[1] == 0.7 && v[2] == 3.3 / 3); /* the smallest of each class */
    PN_CHECK(pn_timefix_map(v, ncut, 0.1 + 0.2) == 0.3);
    PN_CHECK(pn_timefix_map(v, ncut, 0.1 * 7) == 0.7);
    PN_CHECK(pn_timefix_map(v, ncut, 1.1) == 3.3 / 3);
    PN_CHECK(pn_timefix_map(v, ncut, 0.2) == 0.3); /* below every cut: the first */
}

PN_TEST(cuts_relative_to_the_mean)
{
    /* 100 and 100 (1 + 1e-9) differ by 1e-7 > sqrt(eps), but by 5e-9 relative to the mean 20 */
    double v[] = {100 * (1 + 1e-9), 100, 1, 2, 3, 4, 5, 6, 7, 8};
    int merged = 0;
    size_t ncut = pn_timefix_cuts(v, 10, &merged);
    PN_CHECK(merged == 1 && ncut == 9 && v[8] == 100);
    /* alone, the mean is 100: 1e-7 / 100 = 1e-9, merged too; 1 and 1 + 1e-7 are not */
    double w[] = {1, 1 + 1e-7, 5};
    ncut = pn_timefix_cuts(w, 3, &merged);
    PN_CHECK(merged == 0 && ncut == 3);
    PN_CHECK(pn_timefix_cuts(w, 0, &merged) == 0 && merged == 0);
}

PN_TEST(apply_with_entry_and_its_exception)
{
    double time[] = {0.3, 0.1 + 0.2, 2, INFINITY};
    double entry[] = {0, 0, 0.3 - 1e-12, 0};
    double scratch[16];
    PN_CHECK(pn_timefix_apply(time, entry, 4, scratch, NULL) == PN_OK);
    /* 0.3 - 1e-12, 0.3 and 0.1 + 0.2 are one class whose cut is 0.3 - 1e-12 */
    PN_CHECK(time[0] == 0.3 - 1e-12 && time[1] == 0.3 - 1e-12 && entry[2] == 0.3 - 1e-12);
    PN_CHECK(time[2] == 2 && isinf(time[3]) && entry[0] == 0);
    double t2[] = {5, 1 + 1e-12, 3};
    double e2[] = {0, 1, 0};
    size_t bad = 99;
    PN_CHECK(pn_timefix_apply(t2, e2, 3, scratch, &bad) == PN_ERANGE && bad == 1);
    double t3[] = {1, 2, 3};
    PN_CHECK(pn_timefix_apply(t3, NULL, 3, scratch, NULL) == PN_OK && t3[1] == 2);
}

PN_TEST(aggregate_merges_near_ties_across_strata)
{
    pn_kmagg *a = NULL;
    PN_CHECK(pn_kmagg_new(&a) == PN_OK);
    if (a == NULL) return;
    /* stratum 0: deaths at 0.3 and 0.1 + 0.2, censored at 0.7; stratum 1: 0.1 * 7 and 0.7 */
    pn_kmagg_add(a, 0, NAN, 0.3, 1, 1);
    pn_kmagg_add(a, 0, NAN, 0.1 + 0.2, 1, 1);
    pn_kmagg_add(a, 0, NAN, 0.7, 0, 1);
    pn_kmagg_add(a, 1, NAN, 0.1 * 7, 1, 1);
    pn_kmagg_add(a, 1, NAN, 0.7, 0, 2);
    pn_kmtables *t = NULL;
    PN_CHECK(pn_kmagg_tables(a, 2, NULL, &t) == PN_OK && t != NULL);
    if (t != NULL) {
        const pn_kmtable *s0 = &t->tab[0], *s1 = &t->tab[1];
        PN_CHECK(s0->k == 2 && s0->time[0] == 0.3 && s0->n_event[0] == 2 && s0->n_risk[0] == 3);
        PN_CHECK(s0->time[1] == 0.7 && s0->n_censor[1] == 1 && s0->n_risk[1] == 1);
        PN_CHECK(s1->k == 1 && s1->time[0] == 0.7 && s1->n_event[0] == 1 &&
                 s1->n_censor[0] == 2 && s1->n_risk[0] == 3);
    }
    pn_kmtables_free(t);
    /* a row entering and leaving within one class: an error, as R's aeqSurv */
    PN_CHECK(pn_kmagg_add(a, 0, 5, 5 + 1e-12, 1, 1) == PN_OK);
    t = NULL;
    PN_CHECK(pn_kmagg_tables(a, 2, NULL, &t) == PN_ERANGE && t == NULL);
    pn_kmagg_free(a);
}

/* many rows over few times (the hash set path), -0 and 0 as one value, a near tie among them */
PN_TEST(apply_many_rows_few_times)
{
    enum { N = 1000 };
    static double time[N], scratch[2 * N];
    for (int i = 0; i < N; i++) time[i] = (double)(i % 7) + (i % 7 == 3 ? 0 : 0.5);
    time[10] = 4.5 + 1e-12; /* near 4.5 */
    time[11] = -0.0;
    PN_CHECK(pn_timefix_apply(time, NULL, N, scratch, NULL) == PN_OK);
    PN_CHECK(time[10] == 4.5 && time[11] == 0 && time[3] == 3 && time[4] == 4.5);
    int ok = 1;
    for (int i = 12; i < N; i++) ok &= time[i] == (double)(i % 7) + (i % 7 == 3 ? 0 : 0.5);
    PN_CHECK(ok);
}

PN_TEST_MAIN(PN_T(cuts_merge_rounding_differences), PN_T(cuts_relative_to_the_mean),
             PN_T(apply_with_entry_and_its_exception), PN_T(aggregate_merges_near_ties_across_strata),
             PN_T(apply_many_rows_few_times))
