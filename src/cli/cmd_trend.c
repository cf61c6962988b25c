/* cmd_trend.c - `pronostic trend`: net survival at 1 and 5 years by period of diagnosis, the
 * inverse-variance weighted trend across periods, its projection to 2030 and the change since
 * the baseline period (docs/methods.md, "Trend to 2030"). */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/date.h"
#include "pronostic/num.h"
#include "pronostic/report.h"
#include "pronostic/trend.h"

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
static void write_wald(pn_writer *w, double est, double se, double z)
{
    pn_writer_num(w, est);
    pn_writer_num(w, est - z * se);
    pn_writer_num(w, est + z * se);
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
    size_t *rows = NULL;
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
    if ((rc = pn_ns_threads(&args, &threads, &diag)) != PN_OK) goto fail;
    at = pn_malloc(nh * sizeof *at);
    res = pn_calloc(np * nh * 5, sizeof *res);  /* est, se, n_risk(unused), n, events */
    rows = pn_malloc(d->n * sizeof *rows);
    if (!at || !res || !rows) { rc = PN_ENOMEM; goto fail; }
    for (size_t h = 0; h < nh; h++) at[h] = hz[h] * PN_DAYS_PER_YEAR;
    unsigned flags = 0;
    size_t young = 0;
    double *nsub = pn_calloc(2 * np, sizeof *nsub);
    if (nsub == NULL) { rc = PN_ENOMEM; goto fail; }
    for (size_t p = 0; p < np; p++) {
        size_t nr = 0;
        for (size_t i = 0; i < d->n; i++) {
            int y = (int)floor(d->year[i]);
            if (y < ps[p].from || y > ps[p].to || !(d->time[i] > 0)) continue;
            if (standard && d->agegroup[i] < 0) { young++; continue; }
            rows[nr++] = i;
            nsub[2 * p] += 1;
            nsub[2 * p + 1] += d->status[i];
        }
        double *est = res + p * nh * 5, *se = est + nh;
        if (nr == 0) {
            for (size_t h = 0; h < nh; h++) est[h] = NAN;
            continue;
        }
        pn_netsurv_input in = {.n = nr, .rows = rows, .time = d->time, .status = d->status,
                               .age = d->age, .date = d->date, .sex = d->sex};
        pn_netsurv_driver drv = {pn_ns_estimate, &threads};
        rc = pn_netsurv_point(&in, rt, &drv, scheme, standard, d->agegroup, at, nh, est, se,
                              NULL, NULL, NULL, &flags);
        if (rc != PN_OK) {
            pn_free(nsub);
            pn_diag_set(&diag, rc, "estimation failed for period %d-%d: %s", ps[p].from, ps[p].to,
                        pn_strerror(rc));
            goto fail;
        }
    }
    if (young) pn_cli_warn(cmd, "%zu row%s aged under 15 excluded from the ICSS standardisation", young, young == 1 ? "" : "s");
    static const char *const cols[] = {"period", "horizon_years", "measure", "estimate", "lower",
                                       "upper", "std_err", "p", "n", "events", "significant"};
    /* held until the last row: a failure on the way leaves stdout empty */
    if ((rc = pn_writer_open_held(&w, stdout, args.format, cols, 11)) != PN_OK) { pn_free(nsub); goto fail; }
    double z = pn_conf_z(conf);
    const char *measure = standard ? "net_std" : "net";
    char label[64], proj[32];
    snprintf(proj, sizeof proj, "projection_%g", target);
    double *x = pn_malloc(np * sizeof *x), *y = pn_malloc(np * sizeof *y), *sy = pn_malloc(np * sizeof *sy);
    if (!x || !y || !sy) {
        pn_free(x); pn_free(y); pn_free(sy); pn_free(nsub);
        rc = PN_ENOMEM;
        goto fail;
    }
    for (size_t h = 0; h < nh; h++) {
        for (size_t p = 0; p < np; p++) {
            double est = res[p * nh * 5 + h], se = res[p * nh * 5 + nh + h];
            snprintf(label, sizeof label, "%d-%d", ps[p].from, ps[p].to);
            x[p] = (ps[p].from + ps[p].to + 1) / 2.0;
            y[p] = est;
            sy[p] = se;
            pn_writer_str(w, label);
            pn_writer_num(w, hz[h]);
            pn_writer_str(w, measure);
            /* a period's estimate: the log-type limits of netsurv and relsurv, inside [0, inf) */
            double lo, hi;
            pn_conf_limits(est, est > 0 ? se / est : NAN, PN_CONF_LOG, z, PN_CONF_RSSURV, &lo, &hi);
            pn_writer_num(w, est);
            pn_writer_num(w, lo);
            pn_writer_num(w, hi);
            pn_writer_num(w, se);
            pn_writer_missing(w);
            pn_writer_num(w, nsub[2 * p]);
            pn_writer_num(w, nsub[2 * p + 1]);
            pn_writer_missing(w);
            pn_writer_end_row(w);
        }
        pn_trend tr;
        int trc = pn_trend_fit(x, y, sy, np, target, &tr);
        if (trc != PN_OK) {
            pn_cli_warn(cmd, "horizon %g years: fewer than two periods with an estimate, no trend", hz[h]);
            continue;
        }
        pn_writer_missing(w);
        pn_writer_num(w, hz[h]);
        pn_writer_str(w, "trend_per_year");
        write_wald(w, tr.slope, tr.slope_se, z);
        pn_writer_num(w, tr.slope_p);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_str(w, tr.slope_p < 1 - conf ? "yes" : "no");
        pn_writer_end_row(w);
        pn_writer_missing(w);
        pn_writer_num(w, hz[h]);
        pn_writer_str(w, proj);
        /* a proportion: the linear projection and its limits are clipped to [0, 1] */
        double plo = tr.projection - z * tr.projection_se, phi = tr.projection + z * tr.projection_se;
        pn_writer_num(w, fmin(1, fmax(0, tr.projection)));
        pn_writer_num(w, fmin(1, fmax(0, plo)));
        pn_writer_num(w, fmin(1, fmax(0, phi)));
        pn_writer_num(w, tr.projection_se);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_end_row(w);
        /* the change from the first period with an estimate to the last */
        size_t f = np, l = np;
        for (size_t p = 0; p < np; p++)
            if (isfinite(y[p]) && sy[p] > 0) { if (f == np) f = p; l = p; }
        snprintf(label, sizeof label, "%d-%d vs %d-%d", ps[l].from, ps[l].to, ps[f].from, ps[f].to);
        pn_writer_str(w, label);
        pn_writer_num(w, hz[h]);
        pn_writer_str(w, "improvement");
        write_wald(w, tr.diff, tr.diff_se, z);
        pn_writer_num(w, tr.diff_p);
        pn_writer_missing(w);
        pn_writer_missing(w);
        /* a significant improvement: an increase whose two-sided test rejects at 1 - conf */
        pn_writer_str(w, tr.diff_p < 1 - conf ? (tr.diff > 0 ? "yes" : "no (decrease)") : "no");
        pn_writer_end_row(w);
    }
    pn_free(x); pn_free(y); pn_free(sy); pn_free(nsub);
    rc = pn_writer_close(w);
    w = NULL;
    pn_ns_warn_flags(cmd, rt, flags);
    if (rc != PN_OK) { pn_diag_set(&diag, rc, "error writing the output"); goto fail; }
fail:
    pn_writer_discard(w);
    pn_free(rows);
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
