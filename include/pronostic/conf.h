/* conf.h - confidence limits of a survival value: the interval types (log, log-log, plain), their
 * parser, the normal quantile of a confidence level, and the limits themselves, shared by the
 * Kaplan-Meier curves (km.h), net survival (netsurv.h), the report and the command line
 * (docs/methods.md, "Confidence limits").
 *
 * Every limit is computed from the survival value S and the standard error of log S (for net
 * survival, the standard error of the cumulative net hazard, which R's relsurv uses the same
 * way). Two R conventions differ only at the edges and are both kept, so that each estimator
 * agrees with its reference: survival's survfit (limits kept within [0, 1]; NA where S is 0)
 * and relsurv's rs.surv (no capping: net survival may exceed 1; limits 0 where S is 0).
 * No I/O, no global state.
 */
#ifndef PRONOSTIC_CONF_H
#define PRONOSTIC_CONF_H

typedef enum pn_conf_type { PN_CONF_LOG = 0, PN_CONF_LOGLOG = 1, PN_CONF_PLAIN = 2 } pn_conf_type;

/* Whose edge rules apply (see the header comment). */
typedef enum pn_conf_rule { PN_CONF_SURVFIT = 0, PN_CONF_RSSURV = 1 } pn_conf_rule;

/* Parse "log", "log-log" or "plain" into *out; PN_OK, or PN_EINVAL (*out untouched). */
int pn_conf_type_parse(const char *text, pn_conf_type *out);

/* The two-sided normal quantile for confidence level `conf` (0 < conf < 1), computed as
 * survival's qnorm(1 - (1 - conf) / 2). */
double pn_conf_z(double conf);

/* Limits of survival `s` with standard error of log S `selog` and quantile `z`, for interval
 * `type` under `rule`, into *lower and *upper (caller's); NaN where R gives NA:
 *   plain   s -+ z selog s
 *   log     exp(log s -+ z selog)
 *   log-log exp(-exp(log(-log s) -+ z selog / log s))
 * PN_CONF_SURVFIT (survfit_confint with ulimit): NaN when s or selog is NaN; plain limits cut to
 * [0, 1] (NaN when z selog s is NaN, as at s = 0 with an infinite selog); log: NaN at s = 0,
 * upper cut to 1; log-log: NaN at s = 0 and s = 1.
 * PN_CONF_RSSURV (rs.surv): 0 and 0 at s = 0; NaN when s is negative or NaN or selog is not
 * finite; s and s when selog is 0; otherwise the formulas, uncapped. */
void pn_conf_limits(double s, double selog, pn_conf_type type, double z, pn_conf_rule rule,
                    double *lower, double *upper);

#endif
