/* test_conf.c - confidence limits (conf.h): the formulas of the three interval types, the edge
 * rules of survival's survfit and relsurv's rs.surv, the parser and the quantile; and that the
 * Kaplan-Meier and net-survival headers can be included together (one pn_conf_type). */
#include "pronostic/conf.h"
#include "pronostic/error.h"
#include "pronostic/km.h"
#include "pronostic/netsurv.h"
#include "pn_test.h"

#include <math.h>

PN_TEST(parse_and_quantile)
{
    pn_conf_type t = PN_CONF_PLAIN;
    PN_CHECK(pn_conf_type_parse("log", &t) == PN_OK && t == PN_CONF_LOG);
    PN_CHECK(pn_conf_type_parse("log-log", &t) == PN_OK && t == PN_CONF_LOGLOG);
    PN_CHECK(pn_conf_type_parse("plain", &t) == PN_OK && t == PN_CONF_PLAIN);
    PN_CHECK(pn_conf_type_parse("logit", &t) == PN_EINVAL && t == PN_CONF_PLAIN);
    PN_CHECK(pn_conf_type_parse("", &t) == PN_EINVAL);
    /* R: qnorm(0.975), qnorm(0.95) */
    PN_CHECK(pn_conf_z(0.95) == 1.9599639845400536);
    PN_CHECK(pn_conf_z(0.9) == 1.6448536269514715);
}

PN_TEST(formulas_inside_the_edges)
{
    double z = 1.959963984540054, s = 0.6, se = 0.1, lo, hi;
    for (int rule = 0; rule < 2; rule++) {
        pn_conf_limits(s, se, PN_CONF_LOG, z, (pn_conf_rule)rule, &lo, &hi);
        PN_CHECK_NEAR(lo, s * exp(-z * se), 1e-15);
        PN_CHECK_NEAR(hi, s * exp(z * se), 1e-15);
        pn_conf_limits(s, se, PN_CONF_PLAIN, z, (pn_conf_rule)rule, &lo, &hi);
        PN_CHECK_NEAR(lo, s - z * se * s, 1e-15);
        PN_CHECK_NEAR(hi, s + z * se * s, 1e-15);
        pn_conf_limits(s, se, PN_CONF_LOGLOG, z, (pn_conf_rule)rule, &lo, &hi);
        /* R: exp(-exp(log(-log(0.6)) -+ 0.1 * qnorm(0.975) / log(0.6))) */
        PN_CHECK_NEAR(lo, 0.47249387095885853, 1e-14);
        PN_CHECK_NEAR(hi, 0.70606440457112185, 1e-14);
        PN_CHECK(lo < s && s < hi);
    }
}

PN_TEST(survfit_rule_caps_and_gives_na_at_zero)
{
    double z = pn_conf_z(0.95), lo, hi;
    pn_conf_limits(0.95, 0.1, PN_CONF_LOG, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(hi == 1 && lo < 0.95);
    pn_conf_limits(0.95, 0.1, PN_CONF_PLAIN, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(hi == 1);
    pn_conf_limits(0.05, 0.8, PN_CONF_PLAIN, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(lo == 0);
    pn_conf_limits(0, INFINITY, PN_CONF_LOG, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));
    pn_conf_limits(0, INFINITY, PN_CONF_PLAIN, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));
    pn_conf_limits(1, 0, PN_CONF_LOGLOG, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));
    pn_conf_limits(NAN, 0.1, PN_CONF_LOG, z, PN_CONF_SURVFIT, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));
}

PN_TEST(rssurv_rule_is_uncapped_and_zero_at_zero)
{
    double z = pn_conf_z(0.95), lo, hi;
    /* net survival can exceed 1 and its limits are not cut, as in rs.surv */
    pn_conf_limits(0.95, 0.1, PN_CONF_LOG, z, PN_CONF_RSSURV, &lo, &hi);
    PN_CHECK_NEAR(hi, 0.95 * exp(z * 0.1), 1e-15);
    PN_CHECK(hi > 1);
    pn_conf_limits(1.02, 0.01, PN_CONF_PLAIN, z, PN_CONF_RSSURV, &lo, &hi);
    PN_CHECK_NEAR(hi, 1.02 + z * 0.01 * 1.02, 1e-15);
    pn_conf_limits(0.05, 0.8, PN_CONF_PLAIN, z, PN_CONF_RSSURV, &lo, &hi);
    PN_CHECK(lo < 0);
    for (int t = 0; t < 3; t++) {
        pn_conf_limits(0, 0.3, (pn_conf_type)t, z, PN_CONF_RSSURV, &lo, &hi);
        PN_CHECK(lo == 0 && hi == 0);
        pn_conf_limits(0.8, 0, (pn_conf_type)t, z, PN_CONF_RSSURV, &lo, &hi);
        PN_CHECK(lo == 0.8 && hi == 0.8);
        pn_conf_limits(0.8, INFINITY, (pn_conf_type)t, z, PN_CONF_RSSURV, &lo, &hi);
        PN_CHECK(isnan(lo) && isnan(hi));
        pn_conf_limits(-0.1, 0.1, (pn_conf_type)t, z, PN_CONF_RSSURV, &lo, &hi);
        PN_CHECK(isnan(lo) && isnan(hi));
    }
}

PN_TEST_MAIN(PN_T(parse_and_quantile), PN_T(formulas_inside_the_edges),
             PN_T(survfit_rule_caps_and_gives_na_at_zero), PN_T(rssurv_rule_is_uncapped_and_zero_at_zero))
