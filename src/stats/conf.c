/* conf.c - confidence limits of a survival value (log, log-log, plain) under survival's survfit
 * and relsurv's rs.surv edge rules (conf.h; docs/methods.md, "Confidence limits"). */
#include "pronostic/conf.h"
#include "pronostic/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

int pn_conf_type_parse(const char *text, pn_conf_type *out)
{
    if (strcmp(text, "log") == 0) *out = PN_CONF_LOG;
    else if (strcmp(text, "log-log") == 0) *out = PN_CONF_LOGLOG;
    else if (strcmp(text, "plain") == 0) *out = PN_CONF_PLAIN;
    else return PN_EINVAL;
    return PN_OK;
}

double pn_conf_z(double conf)
{
    return gsl_cdf_ugaussian_Pinv(1 - (1 - conf) / 2);
}

void pn_conf_limits(double s, double selog, pn_conf_type type, double z, pn_conf_rule rule,
                    double *lower, double *upper)
{
    *lower = *upper = NAN;
    const int capped = rule == PN_CONF_SURVFIT;
    if (capped && (isnan(s) || isnan(selog))) return;
    if (!capped) {
        if (s == 0) {
            *lower = *upper = 0;
            return;
        }
        if (!(s > 0) || !isfinite(selog)) return;
        if (selog == 0) {
            *lower = *upper = s;
            return;
        }
    }
    switch (type) {
    case PN_CONF_PLAIN: {
        /* each in R's order of the products: survfit se * p * z, rs.surv std.err * z * surv */
        double half = capped ? selog * s * z : z * selog * s;
        if (isnan(half)) return;  /* s == 0 with an infinite selog, as in R */
        *lower = capped ? fmax(s - half, 0) : s - half;
        *upper = capped ? fmin(s + half, 1) : s + half;
        break;
    }
    case PN_CONF_LOG:
        if (s == 0) return;
        *lower = exp(log(s) - z * selog);
        *upper = exp(log(s) + z * selog);
        if (capped) *upper = fmin(*upper, 1);
        break;
    case PN_CONF_LOGLOG: {
        if (capped && (s == 0 || s == 1)) return;
        double ll = log(-log(s)), half = z * selog / log(s);
        *lower = exp(-exp(ll - half));
        *upper = exp(-exp(ll + half));
        break;
    }
    }
}
