/* cmd_trend.c - `pronostic trend`: net survival at 1 and 5 years by period of diagnosis, the
 * inverse-variance weighted trend across periods, its projection to 2030 and the change since
 * the baseline period (docs/methods.md, "Trend to 2030"). */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/date.h"
#include "pronostic/num.h"
#include "pronostic/report.h"
#include "pronostic/periodtrend.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const pn_optdef trend_defs[] = {
    PN_NETSURV_INPUT_OPTS,
    PN_DBSELECT_OPTS,
    PN_DBSELECT_CLOSING_OPT,
    {"periods", "Y1-Y2,Y3-Y4,...", "periods of diagnosis (default: 5-year periods from the earliest year)"},
    {"horizons", "1,5", "horizons in years (default 1,5)"},
    {"standardise", "icssK|site|none", "ICSS age standardisation: icss1, icss2, icss3, or site (the --site's standard); default none"},
    {"site", "NAME", "the cancer site, to choose the ICSS standard (cns: icss2, others icss1)"},
    {"target", "YEAR", "year of the projection (default 2030)"},
    {"conf", "0.95", "confidence level"},
    {NULL, NULL, NULL},
};

static const char trend_details[] =
    "Net survival (Pohar-Perme, or ICSS age-standardised) at each horizon for each period of\n"
    "diagnosis, then per horizon: the trend per calendar year (inverse-variance weighted least\n"
    "squares of the estimates on the periods' mid-years, each variance taken as known), its\n"
    "p-value, the projection to --target with its interval, and the change from the first\n"
    "(baseline) period to the last with its p-value. Output columns:\n"
    "period,horizon_years,measure,estimate,lower,upper,std_err,p,n,events,significant where\n"
    "measure is net (or net_std), trend_per_year, projection_YEAR or improvement; significant is\n"
    "yes when p < 1 - conf (for improvement: an increase), else no; a period whose patients were\n"
    "not followed long enough for a horizon has an empty estimate and is left out of the trend.";

/* The columns estimate, lower, upper, std_err of a slope or a difference: Wald limits +- z se. */
/* An estimate, its limits and its standard error. */
static void write_limits(pn_writer *w, double est, double lower, double upper, double se)
{
    pn_writer_num(w, est);
    pn_writer_num(w, lower);
    pn_writer_num(w, upper);
    pn_writer_num(w, se);
}

int pn_cmd_trend(int argc, char **argv)
{
    const char *cmd = "trend";
    pn_args args;
    pn_diag diag = {0};
    pn_nsdata *d = NULL;
    pn_ratetable *rt = NULL;
    pn_writer *w = NULL;
    pn_period *ps = NULL;
    size_t np = 0, nh = 0;
    double *hz = NULL, *res = NULL, *at = NULL;
    int rc = pn_args_parse(&args, cmd,
                           "FILE.csv --time COL --event COL --age COL --sex COL --year COL "
                           "[--periods 2000-2004,...] [--horizons 1,5] [--standardise icss1|...]",
                           trend_details, trend_defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    if ((rc = pn_args_input_or_db(&args, &diag)) != PN_OK) goto fail;
    int scheme, standard = 0;
    if ((rc = pn_ns_scheme(&args, &scheme, &diag)) != PN_OK) goto fail;
    if ((rc = pn_ns_standard(&args, 0, &standard, &diag)) != PN_OK) goto fail;
    double target = 2030, conf = 0.95;
    if ((rc = pn_args_double(&args, "target", &target, &diag)) != PN_OK) goto fail;
    if ((rc = pn_args_double(&args, "conf", &conf, &diag)) != PN_OK) goto fail;
    if (!(conf > 0 && conf < 1)) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--conf': must be between 0 and 1");
        goto fail;
    }
    const char *htext = pn_args_get(&args, "horizons");
    if (pn_parse_double_list(htext ? htext : "1,5", &hz, &nh) != PN_OK || nh == 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--horizons': '%s' is not a list of years", htext);
        goto fail;
    }
    for (size_t h = 0; h < nh; h++)
        if (!(hz[h] > 0) || (h > 0 && !(hz[h] > hz[h - 1]))) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "option '--horizons': years must be positive and increasing");
            goto fail;
        }
    if ((rc = pn_ns_load(cmd, &args, &d, &diag)) != PN_OK) goto fail;
    if (d->n == 0) {
        rc = pn_diag_set(&diag, PN_EEMPTY, "%s: no rows", args.npos ? args.positional[0] : "the selection");
        goto fail;
    }
    if (pn_args_has(&args, "periods")) {
        const char *v = pn_args_get(&args, "periods");
        if ((rc = pn_periods_parse(v, "option '--periods'", NULL, 0, &np, &diag)) != PN_OK) goto fail;
        if ((ps = pn_calloc(np, sizeof *ps)) == NULL) { rc = PN_ENOMEM; goto fail; }
        if ((rc = pn_periods_parse(v, "option '--periods'", ps, np, &np, &diag)) != PN_OK) goto fail;
    } else {
        int ymin = 9999, ymax = 0;
        for (size_t i = 0; i < d->n; i++) {
            int y = (int)floor(d->year[i]);
            if (y < ymin) ymin = y;
            if (y > ymax) ymax = y;
        }
        np = pn_periods_default(ymin, ymax, NULL, 0);
        if ((ps = pn_calloc(np, sizeof *ps)) == NULL) { rc = PN_ENOMEM; goto fail; }
        pn_periods_default(ymin, ymax, ps, np);
    }
    if ((rc = pn_ns_open_ratetable(&args, &rt, &diag)) != PN_OK) goto fail;
    int threads = 1;
    if ((rc = pn_args_threads(&args, &threads, &diag)) != PN_OK) goto fail;
    at = pn_malloc(nh * sizeof *at);
    res = pn_calloc(np * (2 * nh + 2), sizeof *res);  /* est, se per period and horizon; n, events */
    if (!at || !res) { rc = PN_ENOMEM; goto fail; }
    for (size_t h = 0; h < nh; h++) at[h] = hz[h] * PN_DAYS_PER_YEAR;
    double *est = res, *se = res + np * nh, *nsub = res + 2 * np * nh, *nev = nsub + np;
    unsigned flags = 0;
    size_t young = 0, failed = 0;
    pn_netsurv_input all = {.n = d->n, .time = d->time, .status = d->status, .age_days = d->age_days,
                            .date = d->date, .sex = d->sex};
    pn_netsurv_driver drv = {pn_ns_estimate, &threads};
    pn_period_estimates_in pin = {&all, d->year, d->agegroup, ps, np, at, nh, standard, scheme,
                                  rt, &drv};
    if ((rc = pn_period_estimates(&pin, est, se, nsub, nev, &young, &flags, &failed)) != PN_OK) {
        pn_diag_set(&diag, rc, "estimation failed for period %d-%d: %s", ps[failed].from,
                    ps[failed].to, pn_strerror(rc));
        goto fail;
    }
    if (young) pn_cli_warn(cmd, "%zu row%s aged under 15 excluded from the ICSS standardisation", young, young == 1 ? "" : "s");
    static const char *const cols[] = {"period", "horizon_years", "measure", "estimate", "lower",
                                       "upper", "std_err", "p", "n", "events", "significant"};
    /* held until the last row: a failure on the way leaves stdout empty */
    if ((rc = pn_writer_open_held(&w, stdout, args.format, cols, 11)) != PN_OK) goto fail;
    double z = pn_conf_z(conf);
    const char *measure = standard ? "net_std" : "net";
    char label[64], proj[32];
    snprintf(proj, sizeof proj, "projection_%g", target);
    double *y = pn_malloc(np * sizeof *y), *sy = pn_malloc(np * sizeof *sy);
    if (!y || !sy) {
        pn_free(y); pn_free(sy);
        rc = PN_ENOMEM;
        goto fail;
    }
    for (size_t h = 0; h < nh; h++) {
        for (size_t p = 0; p < np; p++) {
            y[p] = est[p * nh + h];
            sy[p] = se[p * nh + h];
            pn_period_format(&ps[p], label, sizeof label);
            pn_writer_str(w, label);
            pn_writer_num(w, hz[h]);
            pn_writer_str(w, measure);
            /* a period's estimate: the log-type limits of netsurv and relsurv, inside [0, inf) */
            double lo, hi;
            pn_conf_limits(y[p], y[p] > 0 ? sy[p] / y[p] : NAN, PN_CONF_LOG, z, PN_CONF_RSSURV,
                           &lo, &hi);
            pn_writer_num(w, y[p]);
            pn_writer_num(w, lo);
            pn_writer_num(w, hi);
            pn_writer_num(w, sy[p]);
            pn_writer_missing(w);
            pn_writer_num(w, nsub[p]);
            pn_writer_num(w, nev[p]);
            pn_writer_missing(w);
            pn_writer_end_row(w);
        }
        pn_trend_summary tr;
        pn_trend_summarise(ps, y, sy, np, target, z, &tr);
        if (!tr.ok) {
            pn_cli_warn(cmd, "horizon %g years: fewer than two periods with an estimate, no trend", hz[h]);
            continue;
        }
        pn_writer_missing(w);
        pn_writer_num(w, hz[h]);
        pn_writer_str(w, "trend_per_year");
        write_limits(w, tr.fit.slope, tr.slope_lower, tr.slope_upper, tr.fit.slope_se);
        pn_writer_num(w, tr.fit.slope_p);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_str(w, tr.fit.slope_p < 1 - conf ? "yes" : "no");
        pn_writer_end_row(w);
        pn_writer_missing(w);
        pn_writer_num(w, hz[h]);
        pn_writer_str(w, proj);
        write_limits(w, tr.projection, tr.projection_lower, tr.projection_upper,
                     tr.fit.projection_se);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_end_row(w);
        /* the change from the first period with an estimate to the last */
        char a[16], b[16];
        pn_period_format(&ps[tr.last], a, sizeof a);
        pn_period_format(&ps[tr.first], b, sizeof b);
        snprintf(label, sizeof label, "%s vs %s", a, b);
        pn_writer_str(w, label);
        pn_writer_num(w, hz[h]);
        pn_writer_str(w, "improvement");
        write_limits(w, tr.fit.diff, tr.diff_lower, tr.diff_upper, tr.fit.diff_se);
        pn_writer_num(w, tr.fit.diff_p);
        pn_writer_missing(w);
        pn_writer_missing(w);
        /* a significant improvement: an increase whose two-sided test rejects at 1 - conf */
        pn_writer_str(w, tr.fit.diff_p < 1 - conf ? (tr.fit.diff > 0 ? "yes" : "no (decrease)") : "no");
        pn_writer_end_row(w);
    }
    pn_free(y); pn_free(sy);
    rc = pn_writer_close(w);
    w = NULL;
    pn_ns_warn_flags(cmd, rt, flags);
    if (rc != PN_OK) { pn_diag_set(&diag, rc, "error writing the output"); goto fail; }
fail:
    pn_writer_discard(w);
    pn_free(res);
    pn_free(at);
    pn_free(hz);
    pn_free(ps);
    pn_ratetable_free(rt);
    pn_nsdata_free(d);
    if (rc != PN_OK) rc = pn_cli_fail(cmd, rc, &diag);
    pn_args_free(&args);
    return rc;
}
