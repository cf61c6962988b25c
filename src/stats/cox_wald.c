/* cox_wald.c - the Wald summary of a Cox fit's coefficients (cox.h): standard errors from the
 * inverse information, z, two-sided p-values and limits of the hazard ratio, as R's
 * summary(coxph) (Therneau and Grambsch, 2000, section 3.4). */
#include "pronostic/cox.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

pn_cox_wald pn_cox_wald_term(const pn_cox_result *r, size_t p, size_t j, double conf)
{
    pn_cox_wald t = {NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    double b = r->coef[j];
    if (isnan(b)) return t;
    double zq = gsl_cdf_ugaussian_Pinv((1 + conf) / 2); /* R: qnorm((1 + conf.int) / 2) */
    t.coef = b;
    t.exp_coef = exp(b);
    t.se = sqrt(r->var[j * p + j]);
    t.z = b / t.se;
    t.p = 2 * gsl_cdf_ugaussian_Q(fabs(t.z));
    t.lower = exp(b - zq * t.se);
    t.upper = exp(b + zq * t.se);
    return t;
}
