/* cmd_netsurv.c - `pronostic netsurv`: net survival against a population life table
 * (docs/interfaces.md 1.3): Pohar-Perme or Ederer II, by group, at chosen times, ICSS age-standardised,
 * over a period window (Brenner) or conditional on having survived a first span. */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/date.h"
#include "pronostic/netsurv_window.h"
#include "pronostic/num.h"

#include <math.h>
#include <string.h>

static const pn_optdef netsurv_defs[] = {
    PN_NETSURV_INPUT_OPTS,
    PN_DBSELECT_OPTS,
    {"method", "pohar-perme|ederer2", "estimator (default pohar-perme)"},
    {"at", "T1,T2,...", "report these times only (unit of --time-unit)"},
    {"by", "COL[,COL]", "one curve per group"},
    {"conf", "0.95", "confidence level"},
    {"conf-type", "log|log-log|plain", "confidence interval type (default log, as relsurv)"},
    {"standardise", "icssK|site|none", "ICSS age standardisation: icss1, icss2, icss3, or site (the --site's standard, or per site of --by); default none"},
    {"standardise-method", "direct|brenner", "direct (default): weighted sum of the age groups' estimates; brenner: individual weights"},
    {"site", "NAME", "the cancer site, to choose the ICSS standard (cns: icss2, others icss1)"},
    {"agegroup-col", "COL", "ICSS age group column (1..5 or 15-44,...,75+) instead of groups from --age"},
    {"period", "FROM,TO", "period analysis (Brenner): follow-up within these calendar dates or years"},
    {"period-last", "N", "period analysis on the last N years of follow-up, up to --closing"},
    {"closing", "YYYY-MM-DD", "end of the --period-last window (default: the latest follow-up date)"},
    {"given", "T", "conditional net survival given survival to T (unit of --time-unit)"},
    {NULL, NULL, NULL},
};

static const char netsurv_details[] =
    "Net survival against a population life table, as R's relsurv::rs.surv(Surv(time, event) ~ by,\n"
    "ratetable, method = \"pohar-perme\" or \"ederer2\", rmap = list(age, sex, year)).\n"
    "Output columns: stratum,time,n_risk,n_event,n_censor,surv,std_err,lower,upper with surv the net\n"
    "survival, std_err its standard error (as summary() prints it). --standardise weights the\n"
    "Pohar-Perme estimates of the ICSS age groups 15-44, 45-54, 55-64, 65-74, 75+ (Corazziari 2004);\n"
    "rows aged under 15 are excluded and counted on stderr; it reports the --at times (default\n"
    "1 to 5 years). --scheme relsurv (default) reproduces relsurv's daily integration, exact\n"
    "integrates the life table's hazard exactly (docs/methods.md, Net survival). With --db, the\n"
    "rows are a selection of the store (--site, --sex, --from, --to, ...; --closing ends the\n"
    "follow-up) and --by takes store variables (sex, agegroup, period, region, ...).";

typedef struct ns_opts {
    int method, scheme, standard;
    pn_conf_type conf_type;
    int brenner;           /* --standardise-method brenner */
    double *wbuf;          /* its weights, one per input row */
    const char *cmd;
    double conf, z, given;
    double *at;
    size_t nat;
    int have_period;
    double pfrom, pto;
    int threads;           /* --threads */
    pn_netsurv_driver drv; /* the threaded driver on `threads` */
} ns_opts;

static void write_row(pn_writer *w, const char *stratum, double time, double nrisk, double nev,
                      double ncens, double surv, double se_cum, const ns_opts *o)
{
    double lo, hi;
    pn_conf_limits(surv, se_cum, o->conf_type, o->z, PN_CONF_RSSURV, &lo, &hi);
    pn_writer_str(w, stratum);
    pn_writer_num(w, time);
    pn_writer_num(w, nrisk);
    pn_writer_num(w, nev);
    pn_writer_num(w, ncens);
    pn_writer_num(w, surv);
    pn_writer_num(w, surv * se_cum);
    pn_writer_num(w, lo);
    pn_writer_num(w, hi);
    pn_writer_end_row(w);
}

/* Survival and cumulative-hazard se read at `at` (days), conditional on `given` when > 0. */
static void read_at(const pn_netsurv_curve *c, const double *at, size_t m, double given, double *s,
                    double *se, double *nr, double *ne, double *nc)
{
    pn_netsurv_at(c, at, m, s, se, nr, ne, nc);
    if (given > 0) {
        double sg, seg, a, ev0, ce0;
        pn_netsurv_at(c, &given, 1, &sg, &seg, &a, &ev0, &ce0);
        pn_netsurv_condition(sg, seg, s, se, m);
        int first = 1;
        for (size_t j = 0; j < m; j++) {
            if (at[j] >= given && first) {
                /* the first reported time counts deaths and censorings after `given` */
                ne[j] -= ev0;
                nc[j] -= ce0;
                for (size_t i = 0; i < j; i++) { ne[j] += ne[i]; nc[j] += nc[i]; }
                first = 0;
            }
        }
    }
}

/* One stratum: rows `rows` (n) of the input arrays. */
static int run_stratum(const char *label, const pn_netsurv_input *base, const size_t *rows, size_t n,
                       const int *agegroup, const pn_ratetable *rt, const ns_opts *o,
                       double scale, pn_writer *w, unsigned *flags)
{
    pn_netsurv_input in = *base;
    in.rows = rows;
    in.n = n;
    int rc;
    if (o->brenner && o->standard != 0) {
        int empty = pn_brenner_weights(&in, o->standard, agegroup, o->wbuf);
        if (empty < 0) return empty;
        if (empty > 0)
            pn_cli_warn(o->cmd, "stratum %s: %d ICSS age group%s without patients: Brenner's weights "
                        "cannot reproduce the standard", label, empty, empty == 1 ? "" : "s");
        in.weight = o->wbuf;
    }
    if (o->standard == 0 || o->brenner) {
        pn_netsurv_curve c;
        if ((rc = pn_netsurv_curve_init(&c, n)) != PN_OK) return rc;
        rc = pn_ns_estimate(o->drv.ctx, &in, rt, o->method, o->scheme, &c);
        if (rc != PN_OK) { pn_netsurv_curve_free(&c); return rc; }
        *flags |= c.flags;
        if (o->nat > 0) {
            double *buf = pn_malloc(5 * o->nat * sizeof *buf);
            if (buf == NULL) { pn_netsurv_curve_free(&c); return PN_ENOMEM; }
            read_at(&c, o->at, o->nat, o->given, buf, buf + o->nat, buf + 2 * o->nat,
                    buf + 3 * o->nat, buf + 4 * o->nat);
            double last = c.len > 0 ? c.time[c.len - 1] : -1;
            for (size_t j = 0; j < o->nat; j++) {
                if (o->given > 0 && o->at[j] < o->given) continue;
                if (o->at[j] > last) continue; /* past the end: no row, as summary(extend=FALSE) */
                write_row(w, label, o->at[j] / scale, buf[2 * o->nat + j], buf[3 * o->nat + j],
                          buf[4 * o->nat + j], buf[j], buf[o->nat + j], o);
            }
            pn_free(buf);
        } else {
            double sg = 1, seg = 0;
            if (o->given > 0) {
                double a, b, d;
                pn_netsurv_at(&c, &o->given, 1, &sg, &seg, &a, &b, &d);
            }
            for (size_t k = 0; k < c.len; k++) {
                if (o->given > 0 && c.time[k] < o->given) continue;
                double sk = c.surv[k], sek = c.se[k];
                pn_netsurv_condition(sg, seg, &sk, &sek, 1);
                write_row(w, label, c.time[k] / scale, c.n_risk[k], c.n_event[k], c.n_censor[k],
                          sk, sek, o);
            }
        }
        pn_netsurv_curve_free(&c);
        return PN_OK;
    }
    /* ICSS standardisation: the weighted Pohar-Perme estimates of the age groups at the --at
     * times; conditional on --given as the ratio of standardised estimates. */
    size_t m = o->nat;
    double *buf = pn_malloc((5 * m + 2) * sizeof *buf);
    if (buf == NULL) return PN_ENOMEM;
    double *est = buf, *se = buf + m, *nr = buf + 2 * m, *ne = buf + 3 * m, *nc = buf + 4 * m;
    double *g = buf + 5 * m;
    rc = pn_netsurv_point(&in, rt, &o->drv, o->scheme, o->standard, agegroup, o->at, m, est, se,
                          nr, ne, nc, flags);
    if (rc == PN_OK && o->given > 0)
        rc = pn_netsurv_point(&in, rt, &o->drv, o->scheme, o->standard, agegroup, &o->given, 1,
                              &g[0], &g[1], NULL, NULL, NULL, flags);
    if (rc != PN_OK) {
        pn_free(buf);
        return rc;
    }
    size_t undefined = 0;
    for (size_t j = 0; j < m; j++) undefined += isnan(est[j]);
    if (undefined > 0) {
        int empty = pn_icss_empty_groups(&in, o->standard, agegroup);
        if (empty > 0)
            pn_cli_warn(o->cmd, "stratum %s: %d ICSS age group%s without patients: the "
                        "standardised estimate is undefined (empty)", label, empty,
                        empty == 1 ? "" : "s");
        else
            pn_cli_warn(o->cmd, "stratum %s: the standardised estimate is undefined at %zu "
                        "time%s, past the end of an age group's follow-up", label, undefined,
                        undefined == 1 ? "" : "s");
    }
    for (size_t j = 0; j < m; j++) {
        if (o->given > 0 && o->at[j] < o->given) continue;
        double s = est[j], sc = est[j] > 0 ? se[j] / est[j] : NAN;
        if (o->given > 0) pn_netsurv_condition(g[0], g[1] / g[0], &s, &sc, 1);
        write_row(w, label, o->at[j] / scale, nr[j], ne[j], nc[j], s, sc, o);
    }
    pn_free(buf);
    return PN_OK;
}

int pn_cmd_netsurv(int argc, char **argv)
{
    const char *cmd = "netsurv";
    pn_args args;
    pn_diag diag = {0};
    pn_nsdata *d = NULL;
    pn_ratetable *rt = NULL;
    pn_writer *w = NULL;
    size_t *rows = NULL;
    double *pentry = NULL, *ptime = NULL;
    int *pstatus = NULL;
    unsigned char *keep = NULL;
    ns_opts o = {0};
    o.conf = 0.95;
    o.conf_type = PN_CONF_LOG;
    int rc = pn_args_parse(&args, cmd,
                           "FILE.csv --time COL --event COL --age COL --sex COL --year COL "
                           "[--ratetable fr|PATH] [--method pohar-perme|ederer2] [--at T1,...] "
                           "[--by COL] [--standardise icss1|icss2|icss3|none]",
                           netsurv_details, netsurv_defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    if ((rc = pn_args_input_or_db(&args, &diag)) != PN_OK) goto fail;
    const char *m = pn_args_get(&args, "method");
    if (m == NULL || strcmp(m, "pohar-perme") == 0) o.method = PN_NETSURV_POHAR_PERME;
    else if (strcmp(m, "ederer2") == 0) o.method = PN_NETSURV_EDERER2;
    else {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--method': '%s' is not pohar-perme or ederer2", m);
        goto fail;
    }
    if ((rc = pn_ns_scheme(&args, &o.scheme, &diag)) != PN_OK) goto fail;
    const char *ct = pn_args_get(&args, "conf-type");
    if (ct != NULL && pn_conf_type_parse(ct, &o.conf_type) != PN_OK) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--conf-type': '%s' is not log, log-log or plain", ct);
        goto fail;
    }
    if ((rc = pn_args_double(&args, "conf", &o.conf, &diag)) != PN_OK) goto fail;
    if (!(o.conf > 0 && o.conf < 1)) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--conf': must be between 0 and 1");
        goto fail;
    }
    o.z = pn_conf_z(o.conf);
    if ((rc = pn_ns_standard(&args, 1, &o.standard, &diag)) != PN_OK) goto fail;
    const char *sm = pn_args_get(&args, "standardise-method");
    if (sm != NULL && strcmp(sm, "brenner") == 0) o.brenner = 1;
    else if (sm != NULL && strcmp(sm, "direct") != 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--standardise-method': '%s' is not direct or brenner", sm);
        goto fail;
    }
    if (o.brenner && o.standard == 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--standardise-method brenner' needs '--standardise'");
        goto fail;
    }
    o.cmd = cmd;
    if (o.standard != 0 && o.method != PN_NETSURV_POHAR_PERME) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--standardise' needs --method pohar-perme");
        goto fail;
    }
    if (pn_args_has(&args, "period") &&
        (rc = pn_ns_parse_window(pn_args_get(&args, "period"), "period", &o.pfrom, &o.pto, &diag)) != PN_OK)
        goto fail;
    o.have_period = pn_args_has(&args, "period");

    if ((rc = pn_ns_load(cmd, &args, &d, &diag)) != PN_OK) goto fail;
    double scale = d->time_scale;
    if (pn_args_has(&args, "period-last")) {
        long years = 0;
        if ((rc = pn_args_long(&args, "period-last", &years, &diag)) != PN_OK) goto fail;
        if (o.have_period || years < 1 || years > 100) {
            rc = pn_diag_set(&diag, PN_EUSAGE, o.have_period ? "options '--period' and '--period-last' exclude each other"
                                                            : "option '--period-last': give 1 to 100 years");
            goto fail;
        }
        int32_t closing = INT32_MIN;
        const char *cl = pn_args_get(&args, "closing");
        if (cl != NULL) {
            if (pn_date_parse(cl, strlen(cl), 0, &closing, NULL) != PN_OK) {
                rc = pn_diag_set(&diag, PN_EUSAGE, "option '--closing': '%s' is not a date (YYYY-MM-DD)", cl);
                goto fail;
            }
        } else {
            for (size_t i = 0; i < d->n; i++) {
                double e = floor(d->date[i] + d->time[i]);
                if (e > closing) closing = (int32_t)e;
            }
        }
        pn_netsurv_window_last(closing, (int)years, &o.pfrom, &o.pto);
        o.have_period = 1;
        char a[11], b[11];
        pn_date_format((int32_t)o.pfrom, a);
        pn_date_format(closing, b);
        pn_cli_warn(cmd, "period analysis on follow-up from %s to %s", a, b);
    }
    if (pn_args_has(&args, "at")) {
        if (pn_parse_double_list(pn_args_get(&args, "at"), &o.at, &o.nat) != PN_OK || o.nat == 0) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "option '--at': '%s' is not a list of numbers", pn_args_get(&args, "at"));
            goto fail;
        }
        for (size_t j = 0; j < o.nat; j++)
            if (!(o.at[j] >= 0) || (j > 0 && !(o.at[j] > o.at[j - 1]))) {
                rc = pn_diag_set(&diag, PN_EUSAGE, "option '--at': times must be non-negative and increasing");
                goto fail;
            }
        for (size_t j = 0; j < o.nat; j++) o.at[j] *= scale; /* to days, once all are checked */
    } else if (o.standard != 0 && !o.brenner) {
        o.at = pn_malloc(5 * sizeof *o.at);
        if (o.at == NULL) { rc = PN_ENOMEM; goto fail; }
        for (int j = 0; j < 5; j++) o.at[j] = (j + 1) * PN_DAYS_PER_YEAR;
        o.nat = 5;
    }
    if (pn_args_has(&args, "given")) {
        if ((rc = pn_args_double(&args, "given", &o.given, &diag)) != PN_OK) goto fail;
        if (!(o.given > 0)) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "option '--given': must be a positive time");
            goto fail;
        }
        o.given *= scale;
    }
    if ((rc = pn_ns_open_ratetable(&args, &rt, &diag)) != PN_OK) goto fail;

    size_t n = d->n;
    pn_netsurv_input base = {.n = n, .time = d->time, .status = d->status, .age_days = d->age_days,
                             .date = d->date, .sex = d->sex};
    if ((rc = pn_ns_threads(&args, &o.threads, &diag)) != PN_OK) goto fail;
    o.drv = (pn_netsurv_driver){pn_ns_estimate, &o.threads};
    rows = pn_malloc((n ? n : 1) * sizeof *rows);
    if (rows == NULL) { rc = PN_ENOMEM; goto fail; }
    if (o.brenner && (o.wbuf = pn_calloc(n ? n : 1, sizeof *o.wbuf)) == NULL) { rc = PN_ENOMEM; goto fail; }
    if (o.have_period) {
        pentry = pn_malloc((n ? n : 1) * sizeof *pentry);
        ptime = pn_malloc((n ? n : 1) * sizeof *ptime);
        pstatus = pn_malloc((n ? n : 1) * sizeof *pstatus);
        keep = pn_malloc(n ? n : 1);
        if (!pentry || !ptime || !pstatus || !keep) { rc = PN_ENOMEM; goto fail; }
        pn_netsurv_window(n, d->date, d->time, d->status, o.pfrom, o.pto, pentry, ptime,
                          pstatus, keep);
        base.entry = pentry;
        base.time = ptime;
        base.status = pstatus;
    }
    size_t zero = 0, young = 0, outside = 0;
    for (size_t i = 0; i < n; i++) {
        if (keep && !keep[i]) outside++;
        else if (!(base.time[i] > 0)) zero++;
        else if (o.standard && d->agegroup[i] < 0) young++;
    }
    if (zero) pn_cli_warn(cmd, "%zu row%s with a follow-up time of 0 excluded (no time at risk)", zero, zero == 1 ? "" : "s");
    if (young) pn_cli_warn(cmd, "%zu row%s aged under 15 excluded from the ICSS standardisation", young, young == 1 ? "" : "s");
    if (outside) pn_cli_warn(cmd, "%zu row%s not under follow-up in the period window excluded", outside, outside == 1 ? "" : "s");

    static const char *const cols[] = {"stratum", "time", "n_risk", "n_event", "n_censor",
                                       "surv", "std_err", "lower", "upper"};
    /* held until every stratum is estimated: a stratum that fails leaves stdout empty */
    if ((rc = pn_writer_open_held(&w, stdout, args.format, cols, 9)) != PN_OK) goto fail;
    unsigned flags = 0;
    size_t ngroups = d->group ? d->ngroups : 1;
    for (size_t g = 0; g < ngroups; g++) {
        size_t nr = 0;
        for (size_t i = 0; i < n; i++) {
            if (d->group && d->group[i] != (int32_t)g) continue;
            if ((keep && !keep[i]) || !(base.time[i] > 0)) continue;
            if (o.standard && d->agegroup[i] < 0) continue;
            rows[nr++] = i;
        }
        const char *label = d->group ? d->group_labels[g] : "all";
        if (nr == 0) {
            pn_cli_warn(cmd, "stratum %s has no rows to estimate", label);
            continue;
        }
        ns_opts so = o;
        if (o.standard < 0) {
            /* the stratum's site: cns takes ICSS 2, the others ICSS 1 (docs/interfaces.md 4) */
            const char *p = strstr(label, "site=");
            so.standard = p != NULL && strncmp(p + 5, "cns", 3) == 0 && (p[8] == ',' || p[8] == '\0') ? 2 : 1;
        }
        rc = run_stratum(label, &base, rows, nr, d->agegroup, rt, &so, scale, w, &flags);
        if (rc == PN_ERANGE) {
            pn_diag_set(&diag, PN_EPARSE, "stratum %s: a follow-up longer than 10^6 days (check "
                        "--time-unit), too long for --scheme relsurv's daily steps", label);
            goto fail;
        }
        if (rc != PN_OK) {
            pn_diag_set(&diag, rc, "estimation failed for stratum %s: %s", label, pn_strerror(rc));
            goto fail;
        }
    }
    rc = pn_writer_close(w);
    w = NULL;
    pn_ns_warn_flags(cmd, rt, flags);
    if (rc != PN_OK) pn_diag_set(&diag, rc, "error writing the output");
fail:
    pn_writer_discard(w);
    pn_free(o.wbuf);
    pn_free(o.at);
    pn_free(rows);
    pn_free(pentry); pn_free(ptime); pn_free(pstatus); pn_free(keep);
    pn_ratetable_free(rt);
    pn_nsdata_free(d);
    rc = rc == PN_OK ? PN_EXIT_OK : pn_cli_fail(cmd, rc, &diag);
    pn_args_free(&args);
    return rc;
}
