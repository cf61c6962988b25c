/* cmd_logrank.c - `pronostic logrank`: compare groups with the log-rank or G-rho test
 * (docs/interfaces.md 1.2), as R's survdiff(Surv(time, event) ~ by + strata(strata), rho = rho). */
#include "cli.h"
#include "pronostic/alloc.h"
#include "pronostic/analysis.h"
#include "pronostic/km.h"
#include "pronostic/logrank_run.h"
#include "pronostic/survinput.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const pn_optdef logrank_defs[] = {
    PN_SURV_INPUT_OPTS,
    {"by", "COL[,COL]", "groups to compare (required)"},
    {"strata", "COL[,COL]", "stratify the test by these columns"},
    {"rho", "R", "G-rho weight S(t-)^R: 0 log-rank (default), 1 Peto-Peto"},
    PN_THREADS_OPT,
    {NULL, NULL, NULL},
};

static const char logrank_details[] =
    "Tests whether survival differs between the groups of --by, as R's\n"
    "survdiff(Surv(time, event) ~ by + strata(strata), rho = R). Output columns:\n"
    "group,n,observed,expected,chisq,df,p: a row per group (col=value), then a row 'test'\n"
    "with the chi-square statistic, its degrees of freedom and p-value. Rows with a missing\n"
    "value in a used column are dropped and counted on stderr.";

static int write_result(const pn_args *args, const pn_survstream *d, const pn_logrank_result *r)
{
    static const char *const cols[] = {"group", "n", "observed", "expected", "chisq", "df", "p"};
    pn_writer *w = NULL;
    int rc = pn_writer_open(&w, stdout, args->format, cols, sizeof cols / sizeof *cols);
    if (rc != PN_OK) return rc;
    for (size_t g = 0; g < d->ngroups; g++) {
        pn_writer_str(w, d->group_labels[g]);
        pn_writer_num(w, r->n[g]);
        pn_writer_num(w, r->observed[g]);
        pn_writer_num(w, r->expected[g]);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_missing(w);
        pn_writer_end_row(w);
    }
    pn_writer_str(w, "test");
    for (int i = 0; i < 3; i++) pn_writer_missing(w);
    pn_writer_num(w, r->chisq);
    pn_writer_int(w, r->df);
    pn_writer_num(w, r->p);
    pn_writer_end_row(w);
    return pn_writer_close(w);
}

int pn_cmd_logrank(int argc, char **argv)
{
    const char *cmd = "logrank";
    pn_args args;
    pn_diag diag = {0};
    pn_kmread *read = NULL;
    const pn_survstream *d = NULL;
    pn_logrank_test test = {0};
    pn_list by = {0}, strata = {0};
    int rc = pn_args_parse(&args, cmd, "FILE.csv --time COL --event COL --by COL [--strata COL] "
                           "[--rho 0] [--threads N]", logrank_details, logrank_defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    static const char *const required[] = {"time", "event", "by"};
    if ((rc = pn_args_input(&args, &diag)) != PN_OK ||
        (rc = pn_args_require(&args, required, 3, &diag)) != PN_OK)
        goto fail;
    double unit, rho = 0; /* the test does not depend on the unit of time: only checked */
    if ((rc = pn_args_time_unit(&args, &unit, &diag)) != PN_OK) goto fail;
    if ((rc = pn_args_double(&args, "rho", &rho, &diag)) != PN_OK) goto fail;
    if (!(rho >= 0) || !isfinite(rho)) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--rho': '%s' is not a non-negative number",
                         pn_args_get(&args, "rho"));
        goto fail;
    }
    if ((rc = pn_args_list(&args, "by", &by, &diag)) != PN_OK ||
        (rc = pn_args_list(&args, "strata", &strata, &diag)) != PN_OK)
        goto fail;

    /* one pass over the rows into per-(group and stratum, time) counts: memory is bounded by
     * the number of distinct times, not rows */
    pn_survspec spec = {.path = args.positional[0], .time = pn_args_get(&args, "time"),
                        .event = pn_args_get(&args, "event"),
                        .event_value = pn_args_get(&args, "event-value"),
                        .by = by.items, .nby = by.n, .strata = strata.items,
                        .nstrata = strata.n};
    int threads;
    if ((rc = pn_args_threads(&args, &threads, &diag)) != PN_OK) goto fail;
    if ((rc = pn_kmread_csv(&spec, threads, 0, &read, &diag)) != PN_OK) goto fail;
    d = read->stream;
    pn_cli_report_dropped(cmd, d->dropped);
    pn_cli_warn_censoring(cmd, spec.path, spec.event, spec.event_value, d->censor_value,
                          d->censor_rows);
    if ((rc = pn_logrank_run(read, rho, spec.path, pn_args_get(&args, "by"), &test, &diag)) !=
        PN_OK)
        goto fail;
    if (!d->event_seen)
        pn_cli_warn_no_event(cmd, spec.path, spec.event, spec.event_value,
                             "the test is undefined");
    else if (test.res.singular)
        pn_cli_warn(cmd, "the variance matrix is singular (R's survdiff stops here); "
                    "a generalised inverse was used and df is its rank");
    if ((rc = write_result(&args, d, &test.res)) != PN_OK) {
        rc = pn_diag_set(&diag, rc, "cannot write the output");
        goto fail;
    }
    rc = PN_EXIT_OK;
    goto done;
fail:
    rc = pn_cli_fail(cmd, rc, &diag);
done:
    pn_logrank_test_free(&test);
    pn_kmread_free(read);
    pn_list_free(&by);
    pn_list_free(&strata);
    pn_args_free(&args);
    return rc;
}
