/* test_logrank.c - unit tests of the log-rank / G-rho kernel against values printed by R's
 * survival::survdiff (3.5) on small hand-made data sets, and its edge cases. */
#include "pn_test.h"
#include "pronostic/logrank.h"

#include <math.h>
#include <stdlib.h>

#define K_MAX 4

typedef struct lr_case {
    double n[K_MAX], obs[K_MAX], exp[K_MAX], var[K_MAX * K_MAX];
    pn_logrank_result res;
    int rc;
} lr_case;

/* Run the kernel on arrays (groups given 1-based as in the R calls, strata 1-based or NULL). */
static void run(lr_case *c, size_t n, const double *t, const unsigned char *e, const int *g1,
                size_t k, const int *s1, size_t ns, double rho)
{
    int32_t group[16], stratum[16];
    for (size_t i = 0; i < n; i++) {
        group[i] = g1[i] - 1;
        stratum[i] = s1 ? s1[i] - 1 : 0;
    }
    pn_logrank_input in = {.n = n, .time = t, .event = e, .group = group, .ngroups = k,
                           .stratum = s1 ? stratum : NULL, .nstrata = ns, .rho = rho};
    c->res = (pn_logrank_result){.n = c->n, .observed = c->obs, .expected = c->exp,
                                 .var = c->var};
    size_t ws = pn_logrank_work_size(k, n);
    void *work = malloc(ws);
    c->rc = pn_logrank(&in, work, ws, &c->res);
    free(work);
}

/* survdiff(Surv(t, e) ~ g, rho = 1) with a death and a censoring at the same time (t = 2) */
PN_TEST(rho1_with_death_and_censoring_tied)
{
    const double t[] = {1, 2, 2, 3, 4};
    const unsigned char e[] = {1, 1, 0, 1, 0};
    const int g[] = {1, 2, 1, 2, 1};
    lr_case c;
    run(&c, 5, t, e, g, 2, NULL, 0, 1);
    PN_CHECK(c.rc == PN_OK);
    PN_CHECK(c.n[0] == 3 && c.n[1] == 2);
    PN_CHECK_NEAR(c.obs[0], 1, 1e-14);
    PN_CHECK_NEAR(c.obs[1], 1.4, 1e-14);  /* weighted by S(t-) = 0.8 at t = 2 and 3 */
    PN_CHECK_NEAR(c.exp[0], 1.3, 1e-14);
    PN_CHECK_NEAR(c.exp[1], 1.1, 1e-14);
    PN_CHECK_NEAR(c.var[0], 0.49, 1e-14);
    PN_CHECK_NEAR(c.var[1], -0.49, 1e-14);
    PN_CHECK_NEAR(c.res.chisq, 0.18367346938775514, 1e-13);
    PN_CHECK(c.res.df == 1 && !c.res.singular);
    PN_CHECK_NEAR(c.res.p, 0.66823514179524934, 1e-13);
    run(&c, 5, t, e, g, 2, NULL, 0, 0);
    PN_CHECK_NEAR(c.exp[0], 1.6, 1e-14);
    PN_CHECK_NEAR(c.var[3], 0.74, 1e-14);
    PN_CHECK_NEAR(c.res.chisq, 0.48648648648648662, 1e-13);
    PN_CHECK_NEAR(c.res.p, 0.4854988026442823, 1e-13);
}

PN_TEST(times_of_zero)
{
    const double t[] = {0, 0, 2, 3, 4, 5};
    const unsigned char e[] = {1, 0, 1, 1, 0, 1};
    const int g[] = {1, 2, 1, 2, 1, 2};
    lr_case c;
    run(&c, 6, t, e, g, 2, NULL, 0, 0);
    PN_CHECK(c.rc == PN_OK);
    PN_CHECK_NEAR(c.obs[0], 2, 1e-14);
    PN_CHECK_NEAR(c.exp[0], 4.0 / 3, 1e-14);
    PN_CHECK_NEAR(c.exp[1], 8.0 / 3, 1e-14);
    PN_CHECK_NEAR(c.var[0], 13.0 / 18, 1e-14);
    PN_CHECK_NEAR(c.res.chisq, 8.0 / 13, 1e-13);
    PN_CHECK_NEAR(c.res.p, 0.43276758066778476, 1e-13);
}

PN_TEST(group_with_no_events)
{
    const double t[] = {1, 2, 3, 4, 5, 6};
    const unsigned char e[] = {1, 1, 0, 0, 1, 0};
    const int g[] = {1, 1, 2, 2, 3, 3};
    lr_case c;
    run(&c, 6, t, e, g, 3, NULL, 0, 0);
    PN_CHECK(c.rc == PN_OK);
    PN_CHECK(c.obs[1] == 0);
    PN_CHECK_NEAR(c.exp[1], 0.73333333333333339, 1e-14);
    PN_CHECK_NEAR(c.var[5], -0.27111111111111108, 1e-14);
    PN_CHECK_NEAR(c.res.chisq, 5.6279069767441836, 1e-12);
    PN_CHECK(c.res.df == 2);
    PN_CHECK_NEAR(c.res.p, 0.059967442539708565, 1e-13);
}

PN_TEST(stratum_with_no_events)
{
    const double t[] = {1, 2, 3, 4, 5, 6, 7, 8};
    const unsigned char e[] = {1, 1, 0, 1, 0, 0, 0, 0};
    const int g[] = {1, 2, 1, 2, 1, 2, 1, 2}, s[] = {1, 1, 1, 1, 2, 2, 2, 2};
    lr_case c;
    run(&c, 8, t, e, g, 2, s, 2, 0);
    PN_CHECK(c.rc == PN_OK);
    PN_CHECK(c.n[0] == 4 && c.n[1] == 4);
    PN_CHECK_NEAR(c.exp[0], 0.83333333333333326, 1e-14);
    PN_CHECK_NEAR(c.var[0], 0.47222222222222221, 1e-14);
    PN_CHECK_NEAR(c.res.chisq, 1.0 / 17, 1e-13);
    PN_CHECK_NEAR(c.res.p, 0.80836515591451041, 1e-13);
    /* without the strata the same data give another answer: the strata are used */
    run(&c, 8, t, e, g, 2, NULL, 0, 0);
    PN_CHECK(fabs(c.res.chisq - 1.0 / 17) > 1e-3);
}

PN_TEST(everyone_censored)
{
    const double t[] = {1, 2, 3, 4};
    const unsigned char e[] = {0, 0, 0, 0};
    const int g[] = {1, 1, 2, 2};
    lr_case c;
    run(&c, 4, t, e, g, 2, NULL, 0, 0);
    PN_CHECK(c.rc == PN_OK);
    PN_CHECK(c.obs[0] == 0 && c.exp[0] == 0 && c.exp[1] == 0 && c.var[0] == 0);
    PN_CHECK(c.res.chisq == 0 && c.res.df == 0);
    PN_CHECK(isnan(c.res.p)); /* R: chisq 0 on -1 df, p NaN */
}

PN_TEST(one_subject)
{
    const double t[] = {5};
    const unsigned char e[] = {1};
    const int g[] = {2};
    lr_case c;
    run(&c, 1, t, e, g, 2, NULL, 0, 0);
    PN_CHECK(c.rc == PN_OK);
    PN_CHECK(c.n[0] == 0 && c.n[1] == 1);
    PN_CHECK(c.obs[1] == 1 && c.exp[1] == 1 && c.var[3] == 0);
    PN_CHECK(c.res.chisq == 0 && c.res.df == 0 && c.res.p == 1);
}

/* groups that never meet within a stratum: V = 0; R's solve() stops, we report rank 0 */
PN_TEST(separated_strata_are_singular)
{
    const double t[] = {1, 2, 3, 4};
    const unsigned char e[] = {1, 1, 1, 1};
    const int g[] = {1, 1, 2, 2}, s[] = {1, 1, 2, 2};
    lr_case c;
    run(&c, 4, t, e, g, 2, s, 2, 0);
    PN_CHECK(c.rc == PN_OK);
    PN_CHECK(c.res.singular == 1 && c.res.df == 0 && c.res.chisq == 0 && c.res.p == 1);
}

/* times that differ by rounding only are ties, as R's aeqSurv makes them */
PN_TEST(near_equal_times_are_tied)
{
    const double t[] = {1, 1 + 1e-12, 2, 3, 3, 4}, t2[] = {1, 1, 2, 3, 3, 4};
    const unsigned char e[] = {1, 1, 1, 0, 1, 1};
    const int g[] = {1, 2, 2, 1, 1, 2};
    lr_case a, b;
    run(&a, 6, t, e, g, 2, NULL, 0, 0.5);
    run(&b, 6, t2, e, g, 2, NULL, 0, 0.5);
    PN_CHECK(a.rc == PN_OK && b.rc == PN_OK);
    PN_CHECK(a.exp[0] == b.exp[0] && a.obs[1] == b.obs[1] && a.res.chisq == b.res.chisq);
    PN_CHECK_NEAR(a.obs[1], 2.3938468501173515, 1e-14);
    PN_CHECK_NEAR(a.exp[0], 1.8796528112548947, 1e-14);
    PN_CHECK_NEAR(a.res.chisq, 0.043926097119856101, 1e-13);
    PN_CHECK_NEAR(a.res.p, 0.83399116911425064, 1e-13);
}

/* the order of the input rows does not matter */
PN_TEST(row_order_does_not_matter)
{
    const double t[] = {4, 3, 2, 2, 1};
    const unsigned char e[] = {0, 1, 0, 1, 1};
    const int g[] = {1, 2, 1, 2, 1};
    lr_case c;
    run(&c, 5, t, e, g, 2, NULL, 0, 1);
    PN_CHECK_NEAR(c.res.chisq, 0.18367346938775514, 1e-13);
    PN_CHECK_NEAR(c.obs[1], 1.4, 1e-14);
}

PN_TEST(refuses_invalid_input)
{
    const double t[] = {1, 2}, tneg[] = {1, -2}, tnan[] = {1, NAN};
    const unsigned char e[] = {1, 1};
    const int g[] = {1, 2}, gbad[] = {1, 3};
    lr_case c;
    run(&c, 2, t, e, g, 1, NULL, 0, 0);
    PN_CHECK(c.rc == PN_EINVAL);  /* fewer than two groups */
    run(&c, 2, t, e, gbad, 2, NULL, 0, 0);
    PN_CHECK(c.rc == PN_EINVAL);
    run(&c, 2, tneg, e, g, 2, NULL, 0, 0);
    PN_CHECK(c.rc == PN_EINVAL);
    run(&c, 2, tnan, e, g, 2, NULL, 0, 0);
    PN_CHECK(c.rc == PN_EINVAL);
    run(&c, 2, t, e, g, 2, NULL, 0, -1);
    PN_CHECK(c.rc == PN_EINVAL);
    const int s[] = {1, 2};
    run(&c, 2, t, e, g, 2, s, 1, 0);
    PN_CHECK(c.rc == PN_EINVAL);  /* stratum code out of range */
    int32_t gg[] = {0, 1};
    pn_logrank_input in = {.n = 2, .time = t, .event = e, .group = gg, .ngroups = 2};
    char small[8];
    PN_CHECK(pn_logrank(&in, small, sizeof small, &c.res) == PN_EINVAL);
}

/* the kernel over tables: a stratum where one group has no row, tables from the aggregate
 * with a recode (provisional cells in another order), the same result as from rows; too small
 * a workspace is refused */
PN_TEST(tables_kernel_matches_rows)
{
    const double t[] = {1, 2, 2, 3, 4, 5, 6, 7};
    const unsigned char e[] = {1, 1, 0, 1, 0, 1, 1, 0};
    const int g[] = {1, 2, 1, 2, 1, 2, 1, 1};
    const int s[] = {1, 1, 1, 1, 2, 2, 2, 2};
    lr_case rows;
    run(&rows, 8, t, e, g, 2, s, 2, 0.5);
    PN_CHECK(rows.rc == PN_OK);
    /* provisional cell p = 3 - (stratum * 2 + group): recode maps it back */
    pn_kmagg *agg = NULL;
    PN_CHECK(pn_kmagg_new(&agg) == PN_OK);
    if (agg == NULL) return;
    for (size_t i = 0; i < 8; i++)
        pn_kmagg_add(agg, (uint32_t)(3 - ((s[i] - 1) * 2 + (g[i] - 1))), NAN, t[i], e[i], 1);
    const uint32_t recode[] = {3, 2, 1, 0};
    pn_kmtables *tabs = NULL;
    PN_CHECK(pn_kmagg_tables(agg, 4, recode, &tabs) == PN_OK);
    lr_case c;
    c.res = (pn_logrank_result){.n = c.n, .observed = c.obs, .expected = c.exp, .var = c.var};
    size_t ws = pn_logrank_work_size(2, 8);
    void *work = malloc(ws);
    if (tabs != NULL && work != NULL) {
        PN_CHECK(pn_logrank_tables(tabs->tab, 2, 2, 0.5, work, ws, &c.res) == PN_OK);
        PN_CHECK(c.n[0] == 5 && c.n[1] == 3);
        PN_CHECK(c.obs[0] == rows.obs[0] && c.obs[1] == rows.obs[1]);
        PN_CHECK(c.exp[0] == rows.exp[0] && c.var[1] == rows.var[1]);
        PN_CHECK(c.res.chisq == rows.res.chisq && c.res.df == 1);
        PN_CHECK(pn_logrank_tables(tabs->tab, 2, 2, 0.5, work, pn_logrank_work_size(2, 1) - 16,
                                   &c.res) == PN_EINVAL);
    }
    free(work);
    pn_kmtables_free(tabs);
    pn_kmagg_free(agg);
}

PN_TEST_MAIN(PN_T(rho1_with_death_and_censoring_tied), PN_T(times_of_zero),
             PN_T(group_with_no_events), PN_T(stratum_with_no_events), PN_T(everyone_censored),
             PN_T(one_subject), PN_T(separated_strata_are_singular),
             PN_T(near_equal_times_are_tied), PN_T(row_order_does_not_matter),
             PN_T(refuses_invalid_input), PN_T(tables_kernel_matches_rows))
