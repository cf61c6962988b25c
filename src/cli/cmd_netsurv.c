/* cmd_netsurv.c - `pronostic netsurv`: net survival against a population life table
 * (docs/interfaces.md 1.3): Pohar-Perme or Ederer II, by group, at chosen times, ICSS age-standardised,
 * over a period window (Brenner) or conditional on having survived a first span. */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/date.h"
#include "pronostic/netsurv_run.h"
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

/* What the rows are written with: the writer, the limits' type and quantile, the time unit. */
typedef struct out_ctx {
    pn_writer *w;
    pn_conf_type conf_type;
    double z, scale;
} out_ctx;

/* The analysis' row callback: one output row, time in --time-unit, limits as rs.surv's. */
static int write_row(void *ctx, const pn_netsurv_row *r)
{
    const out_ctx *o = ctx;
    double lo, hi;
    pn_conf_limits(r->surv, r->se_log, o->conf_type, o->z, PN_CONF_RSSURV, &lo, &hi);
    pn_writer_str(o->w, r->stratum);
    pn_writer_num(o->w, r->time / o->scale);
    pn_writer_num(o->w, r->n_risk);
    pn_writer_num(o->w, r->n_event);
    pn_writer_num(o->w, r->n_censor);
    pn_writer_num(o->w, r->surv);
    pn_writer_num(o->w, r->surv * r->se_log);
    pn_writer_num(o->w, lo);
    pn_writer_num(o->w, hi);
    pn_writer_end_row(o->w);
    return PN_OK;
}

/* The analysis' warning callback: on stderr as `pronostic netsurv: warning: ...`. */
static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    pn_cli_warn("netsurv", "%s", msg);
}

int pn_cmd_netsurv(int argc, char **argv)
{
    const char *cmd = "netsurv";
    pn_args args;
    pn_diag diag = {0};
    pn_nsdata *d = NULL;
    pn_ratetable *rt = NULL;
    pn_writer *w = NULL;
    double *at = NULL, conf = 0.95;
    pn_netsurv_request o = {0};
    out_ctx out = {.conf_type = PN_CONF_LOG};
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
    if (ct != NULL && pn_conf_type_parse(ct, &out.conf_type) != PN_OK) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--conf-type': '%s' is not log, log-log or plain", ct);
        goto fail;
    }
    if ((rc = pn_args_double(&args, "conf", &conf, &diag)) != PN_OK) goto fail;
    if (!(conf > 0 && conf < 1)) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--conf': must be between 0 and 1");
        goto fail;
    }
    out.z = pn_conf_z(conf);
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
    out.scale = scale;
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
            closing = pn_nsdata_last_exit(d);
        }
        pn_netsurv_window_last(closing, (int)years, &o.pfrom, &o.pto);
        o.have_period = 1;
        char a[11], b[11];
        pn_date_format((int32_t)o.pfrom, a);
        pn_date_format(closing, b);
        pn_cli_warn(cmd, "period analysis on follow-up from %s to %s", a, b);
    }
    if (pn_args_has(&args, "at")) {
        if (pn_parse_double_list(pn_args_get(&args, "at"), &at, &o.nat) != PN_OK || o.nat == 0) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "option '--at': '%s' is not a list of numbers", pn_args_get(&args, "at"));
            goto fail;
        }
        for (size_t j = 0; j < o.nat; j++)
            if (!(at[j] >= 0) || (j > 0 && !(at[j] > at[j - 1]))) {
                rc = pn_diag_set(&diag, PN_EUSAGE, "option '--at': times must be non-negative and increasing");
                goto fail;
            }
        for (size_t j = 0; j < o.nat; j++) at[j] *= scale; /* to days, once all are checked */
    } else if (o.standard != 0 && !o.brenner) {
        at = pn_malloc(5 * sizeof *at);
        if (at == NULL) { rc = PN_ENOMEM; goto fail; }
        for (int j = 0; j < 5; j++) at[j] = (j + 1) * PN_DAYS_PER_YEAR;
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

    o.at = at;
    if ((rc = pn_args_threads(&args, &o.threads, &diag)) != PN_OK) goto fail;
    static const char *const cols[] = {"stratum", "time", "n_risk", "n_event", "n_censor",
                                       "surv", "std_err", "lower", "upper"};
    /* held until every stratum is estimated: a stratum that fails leaves stdout empty */
    if ((rc = pn_writer_open_held(&w, stdout, args.format, cols, 9)) != PN_OK) goto fail;
    out.w = w;
    unsigned flags = 0;
    pn_netsurv_sink sink = {write_row, warn, &out};
    if ((rc = pn_netsurv_run(d, rt, &o, &sink, &flags, &diag)) != PN_OK) goto fail;
    rc = pn_writer_close(w);
    w = NULL;
    pn_ns_warn_flags(cmd, rt, flags);
    if (rc != PN_OK) pn_diag_set(&diag, rc, "error writing the output");
fail:
    pn_writer_discard(w);
    pn_free(at);
    pn_ratetable_free(rt);
    pn_nsdata_free(d);
    rc = rc == PN_OK ? PN_EXIT_OK : pn_cli_fail(cmd, rc, &diag);
    pn_args_free(&args);
    return rc;
}
