/* cmd_cuminc.c - `pronostic cuminc`: the cumulative incidence of competing events from a flat CSV
 * (Aalen-Johansen, as R's survfit(Surv(time, factor(status)) ~ by)), at every event time or at
 * chosen times, or Gray's test between groups (cmprsk::cuminc's Tests) (docs/interfaces.md 1.5;
 * docs/methods.md). */
#include "cli.h"
#include "pronostic/alloc.h"
#include "pronostic/analysis.h"
#include "pronostic/conf.h"
#include "pronostic/cuminc.h"
#include "pronostic/num.h"
#include "pronostic/survinput.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char synopsis[] =
    "FILE.csv --time COL --status COL [--censor-value V] [--by COL[,COL]]\n"
    "                        [--entry COL] [--at T1,T2,...] [--conf 0.95]\n"
    "                        [--conf-type log|log-log|plain] [--test gray [--strata COL[,COL]]]\n"
    "                        [--threads N]";

static const char details[] =
    "The cumulative incidence of each competing event, as R's\n"
    "summary(survfit(Surv(time, factor(status)) ~ by), times = ...) gives it (Aalen-Johansen,\n"
    "infinitesimal-jackknife standard error, log limits by default). Every value of --status\n"
    "other than the censoring value (default 0) is an event type, ordered as R's factor levels.\n"
    "Output: stratum,state,time,n_risk,n_event,estimate,std_err,lower,upper: per stratum, per\n"
    "event type, one row per time where some event (of any type) happens in the stratum (as\n"
    "summary(fit)), or with --at one row per requested time not beyond the stratum's last time\n"
    "(n_event counted since the previous requested time). n_risk is the number still free of\n"
    "any event and under observation (R's n.risk of the state (s0)); std_err is the standard\n"
    "error of the estimate itself. With --test gray: instead, Gray's test that the incidence of\n"
    "each event type is the same in the groups of --by (stratified by --strata), as\n"
    "cmprsk::cuminc(..., rho = 0)$Tests: state,statistic,df,p. Rows with a missing value in a\n"
    "used column are dropped and counted on stderr.";

static const pn_optdef defs[] = {
    {"time", "COL", "follow-up (exit) time column (required)"},
    {"status", "COL", "status column: the censoring value or an event type (required)"},
    {"censor-value", "V", "value of the status column that means censored (default: 0)"},
    {"by", "COL[,COL]", "grouping columns: one set of curves per combination"},
    {"entry", "COL", "delayed entry time column (left truncation)"},
    {"at", "T1,T2,...", "report at these times"},
    {"conf", "LEVEL", "confidence level (default 0.95)"},
    {"conf-type", "log|log-log|plain", "confidence limits (default log, as survfit)"},
    {"test", "gray", "Gray's test between the groups of --by instead of the curves"},
    {"strata", "COL[,COL]", "with --test gray: stratify the test by these columns"},
    PN_THREADS_OPT,
    {NULL, NULL, NULL},
};

typedef struct options {
    pn_conf_type conf_type;
    double z;
    double *at;
    size_t nat;
    int gray;
} options;

static int read_options(const pn_args *args, options *o, pn_diag *diag)
{
    int rc = pn_args_conf_interval(args, &o->conf_type, &o->z, diag);
    if (rc != PN_OK) return rc;
    const char *at = pn_args_get(args, "at");
    if (at != NULL) {
        if (pn_parse_double_list(at, &o->at, &o->nat) != PN_OK || o->nat == 0)
            return pn_diag_set(diag, PN_EUSAGE, "option '--at': '%s' is not a list of numbers", at);
        for (size_t i = 0; i < o->nat; i++)
            if (!(o->at[i] >= 0) || !isfinite(o->at[i]))
                return pn_diag_set(diag, PN_EUSAGE, "option '--at': time %g is not a finite non-negative number", o->at[i]);
        qsort(o->at, o->nat, sizeof *o->at, pn_cmp_double);
    }
    const char *test = pn_args_get(args, "test");
    if (test != NULL) {
        if (strcmp(test, "gray") != 0)
            return pn_diag_set(diag, PN_EUSAGE, "option '--test': '%s' is not gray", test);
        o->gray = 1;
        if (!pn_args_has(args, "by"))
            return pn_diag_set(diag, PN_EUSAGE, "option '--test gray' needs '--by' (the groups to compare)");
        if (pn_args_has(args, "entry"))
            return pn_diag_set(diag, PN_EUSAGE, "option '--entry' does not apply to '--test gray' (cmprsk has no delayed entry)");
        if (pn_args_has(args, "at"))
            return pn_diag_set(diag, PN_EUSAGE, "option '--at' does not apply to '--test gray'");
    } else if (pn_args_has(args, "strata")) {
        return pn_diag_set(diag, PN_EUSAGE, "option '--strata' applies to '--test gray' only");
    }
    return PN_OK;
}

/* The curves of every stratum and event type. */
static int write_curves(const pn_cuminctables *tabs, char *const *labels,
                        char *const *states, const options *o, pn_format format)
{
    static const char *const cols[] = {"stratum", "state", "time", "n_risk", "n_event",
                                       "estimate", "std_err", "lower", "upper"};
    size_t ng = pn_cuminctables_ngroups(tabs), kmax = 1, m = 1;
    for (size_t g = 0; g < ng; g++) {
        const pn_cuminctable *t = pn_cuminctables_table(tabs, g);
        if (t->k > kmax) kmax = t->k;
        m = t->m;
    }
    size_t nb = o->nat > 0 ? o->nat : 1;
    double *est = pn_malloc(2 * kmax * m * sizeof *est), *b = pn_malloc(6 * nb * sizeof *b);
    pn_writer *w = NULL;
    int rc = PN_ENOMEM;
    if (est == NULL || b == NULL) goto done;
    double *se = est + kmax * m;
    if ((rc = pn_writer_open(&w, stdout, format, cols, 9)) != PN_OK) goto done;
    for (size_t g = 0; g < ng; g++) {
        const pn_cuminctable *t = pn_cuminctables_table(tabs, g);
        if (t->k == 0) continue;
        if ((rc = pn_cuminc_curve(tabs, g, est, se, NULL)) != PN_OK) goto done;
        for (size_t s = 1; s <= m; s++) {
            if (o->nat > 0) {
                size_t rows = pn_cuminc_at(t, est, se, s, o->at, o->nat, o->conf_type, o->z, b,
                                           b + nb, b + 2 * nb, b + 3 * nb, b + 4 * nb, b + 5 * nb);
                for (size_t j = 0; j < rows; j++) {
                    pn_writer_str(w, labels[g]);
                    pn_writer_str(w, states[s - 1]);
                    pn_writer_num(w, o->at[j]);
                    for (int c = 0; c < 6; c++) pn_writer_num(w, b[c * nb + j]);
                    pn_writer_end_row(w);
                }
                continue;
            }
            for (size_t i = 0; i < t->k; i++) {
                double any = 0;
                for (size_t e = 0; e < m; e++) any += t->n_event[i * m + e];
                if (!(any > 0)) continue; /* summary(fit): the times with an event */
                double p = est[i * m + s - 1], sd = se[i * m + s - 1], lo, hi;
                pn_cuminc_limits(p, sd, o->conf_type, o->z, &lo, &hi);
                pn_writer_str(w, labels[g]);
                pn_writer_str(w, states[s - 1]);
                pn_writer_num(w, t->time[i]);
                pn_writer_num(w, t->n_risk[i]);
                pn_writer_num(w, t->n_event[i * m + s - 1]);
                pn_writer_num(w, p);
                pn_writer_num(w, sd);
                pn_writer_num(w, lo);
                pn_writer_num(w, hi);
                pn_writer_end_row(w);
            }
        }
    }
    rc = pn_writer_close(w);
    w = NULL;
done:
    pn_writer_close(w);
    pn_free(est);
    pn_free(b);
    return rc;
}

/* Gray's test of each event type between the groups. */
static int write_gray(const pn_cumincread *r, const char *path, pn_format format, pn_diag *diag)
{
    static const char *const cols[] = {"state", "statistic", "df", "p"};
    const pn_survstream *st = r->stream;
    pn_cuminctables *tabs = NULL;
    pn_writer *w = NULL;
    size_t m = st->nstates;
    double *buf = pn_malloc(2 * m * sizeof *buf);
    int rc = PN_ENOMEM;
    if (buf == NULL) goto done;
    if (st->ngroups < 2) {
        rc = pn_diag_set(diag, PN_EEMPTY, "%s: Gray's test needs at least 2 groups, the rows have %zu",
                         path, st->ngroups);
        goto done;
    }
    /* one table per provisional cell (group x stratum), times compared exactly as cmprsk */
    if ((rc = pn_cumincagg_tables(r->agg, st->nprov, NULL, 0, &tabs)) != PN_OK) goto done;
    pn_gray_result res = {.stat = buf, .p = buf + m};
    rc = pn_cuminc_gray(tabs, st->recode, st->ngroups, st->stratum_recode, st->nstrata, &res);
    if (rc != PN_OK) goto done;
    if ((rc = pn_writer_open(&w, stdout, format, cols, 4)) != PN_OK) goto done;
    for (size_t s = 0; s < m; s++) {
        pn_writer_str(w, st->state_labels[s]);
        pn_writer_num(w, res.stat[s]);
        pn_writer_int(w, res.df);
        pn_writer_num(w, res.p[s]);
        pn_writer_end_row(w);
    }
    rc = pn_writer_close(w);
    w = NULL;
done:
    if (rc == PN_ENOMEM) pn_diag_set(diag, rc, "out of memory");
    pn_writer_close(w);
    pn_cuminctables_free(tabs);
    pn_free(buf);
    return rc;
}

int pn_cmd_cuminc(int argc, char **argv)
{
    const char *cmd = "cuminc";
    pn_args args;
    int rc = pn_args_parse(&args, cmd, synopsis, details, defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_diag diag = {0};
    options o = {0};
    pn_list by = {0}, strata = {0};
    pn_cumincread *read = NULL;
    pn_cuminctables *tabs = NULL;
    char all[] = "all", *all_label = all;
    static const char *const required[] = {"time", "status"};
    if ((rc = pn_args_input(&args, &diag)) != PN_OK ||
        (rc = pn_args_require(&args, required, 2, &diag)) != PN_OK ||
        (rc = read_options(&args, &o, &diag)) != PN_OK ||
        (rc = pn_args_list(&args, "by", &by, &diag)) != PN_OK ||
        (rc = pn_args_list(&args, "strata", &strata, &diag)) != PN_OK)
        goto done;
    int threads;
    if ((rc = pn_args_threads(&args, &threads, &diag)) != PN_OK) goto done;
    pn_survspec spec = {
        .path = args.positional[0],
        .time = pn_args_get(&args, "time"),
        .event = pn_args_get(&args, "status"),
        .entry = pn_args_get(&args, "entry"),
        .by = by.items,
        .nby = by.n,
        .strata = strata.items,
        .nstrata = strata.n,
        .multistate = 1,
        .censor_value = pn_args_get(&args, "censor-value"),
    };
    if ((rc = pn_cumincread_csv(&spec, threads, 0, &read, &diag)) != PN_OK) goto done;
    const pn_survstream *st = read->stream;
    if (st->n == 0) {
        rc = pn_diag_set(&diag, PN_EEMPTY, "%s: no row left (%zu rows with a missing value in a "
                         "used column)", spec.path, st->dropped);
        goto done;
    }
    pn_cli_report_dropped(cmd, st->dropped);
    if (read->agg == NULL) {
            rc = pn_diag_set(&diag, PN_EEMPTY, "%s: column '%s': no event: every value is the "
                             "censoring value '%s'", spec.path, spec.event,
                             spec.censor_value ? spec.censor_value : "0");
        goto done;
    }
    if (o.gray) {
        rc = write_gray(read, spec.path, args.format, &diag);
        if (rc != PN_OK && diag.code == PN_OK) pn_diag_set(&diag, rc, "cannot write the output");
        goto done;
    }
    rc = pn_cumincagg_tables(read->agg, st->ngroups, st->recode, PN_CUMINC_TIMEFIX, &tabs);
    if (rc == PN_ERANGE) {
        pn_diag_set(&diag, rc, "%s: column '%s': an entry time and its exit time differ by "
                    "rounding only (as R's aeqSurv, this is an error)", spec.path, spec.entry);
        goto done;
    }
    if (rc != PN_OK) {
        pn_diag_set(&diag, rc, "out of memory");
        goto done;
    }
    rc = write_curves(tabs, st->group_labels ? st->group_labels : &all_label, st->state_labels,
                      &o, args.format);
    if (rc != PN_OK)
        pn_diag_set(&diag, rc, rc == PN_ENOMEM ? "out of memory" : "cannot write the output");
done:
    pn_cuminctables_free(tabs);
    pn_cumincread_free(read);
    pn_list_free(&by);
    pn_list_free(&strata);
    pn_free(o.at);
    pn_args_free(&args);
    return rc == PN_OK ? PN_EXIT_OK : pn_cli_fail(cmd, rc, &diag);
}
