/* cmd_netsurv_diff.c - `pronostic netsurv-diff`: Grafféo's log-rank-type test comparing net
 * survival between groups, as R's relsurv::rs.diff. */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/netsurv_run.h"

#include <math.h>
#include <string.h>

static const pn_optdef diff_defs[] = {
    PN_NETSURV_INPUT_OPTS,
    PN_DBSELECT_OPTS,
    PN_DBSELECT_SITE_OPT,
    PN_DBSELECT_CLOSING_OPT,
    {"by", "COL[,COL]", "groups to compare (required)"},
    {NULL, NULL, NULL},
};

static const char diff_details[] =
    "Tests whether net survival differs between the groups of --by (Grafféo, Castell, Belot,\n"
    "Giorgi 2016), as R's relsurv::rs.diff(Surv(time, event) ~ by, ratetable, rmap = list(age,\n"
    "sex, year)). Output columns: group,n,events,obs_minus_exp,chisq,df,p: a row per group with\n"
    "its weighted observed minus expected deaths (rs.diff's zh; the last group's is omitted by\n"
    "rs.diff and given here for completeness), then a row 'test' with the chi-square statistic,\n"
    "its degrees of freedom and p-value. The expected hazard is integrated exactly on a daily\n"
    "grid, as rs.diff does; --scheme does not apply.";

/* The analysis' warnings, on stderr as `pronostic netsurv-diff: warning: ...`. */
static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    pn_cli_warn("netsurv-diff", "%s", msg);
}

int pn_cmd_netsurv_diff(int argc, char **argv)
{
    const char *cmd = "netsurv-diff";
    pn_args args;
    pn_diag diag = {0};
    pn_nsdata *d = NULL;
    pn_ratetable *rt = NULL;
    pn_writer *w = NULL;
    pn_netsurv_diff_result res = {0};
    int rc = pn_args_parse(&args, cmd,
                           "FILE.csv --time COL --event COL --age COL --sex COL --year COL --by COL "
                           "[--ratetable fr|PATH]",
                           diff_details, diff_defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    if ((rc = pn_args_input_or_db(&args, &diag)) != PN_OK) goto fail;
    if (!pn_args_has(&args, "by")) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--by' is required");
        goto fail;
    }
    if ((rc = pn_ns_load(cmd, &args, &d, &diag)) != PN_OK) goto fail;
    if (d->ngroups < 2) {
        rc = pn_diag_set(&diag, PN_EEMPTY, "the test needs at least two groups of '--by %s', found %zu",
                         pn_args_get(&args, "by"), d->ngroups);
        goto fail;
    }
    if ((rc = pn_ns_open_ratetable(&args, &rt, &diag)) != PN_OK) goto fail;
    pn_netsurv_sink sink = {NULL, warn, NULL};
    if ((rc = pn_netsurv_diff_run(d, rt, &sink, &res, &diag)) != PN_OK) goto fail;
    size_t k = res.k;
    double chisq = res.chisq, p = res.p;
    int df = res.df;
    unsigned flags = res.flags;
    if (isnan(p))
        pn_cli_warn(cmd, "no death in %s: the test is undefined", args.npos ? args.positional[0]
                                                                            : "the selection");
    else if (df < (int)k - 1)
        pn_cli_warn(cmd, "the variance matrix is singular (R's rs.diff stops here); a generalised "
                    "inverse was used and df is its rank, %d instead of %zu", df, k - 1);
    static const char *const cols[] = {"group", "n", "events", "obs_minus_exp", "chisq", "df", "p"};
    if ((rc = pn_writer_open(&w, stdout, args.format, cols, 7)) != PN_OK) goto fail;
    for (size_t g = 0; g < k; g++) {
        pn_writer_str(w, d->group_labels[g]);
        pn_writer_num(w, res.n[g]);
        pn_writer_num(w, res.events[g]);
        pn_writer_num(w, res.obs_minus_exp[g]);
        for (int j = 0; j < 3; j++) pn_writer_missing(w);
        pn_writer_end_row(w);
    }
    pn_writer_str(w, "test");
    for (int j = 0; j < 3; j++) pn_writer_missing(w);
    pn_writer_num(w, chisq);
    pn_writer_int(w, df);
    pn_writer_num(w, p);
    pn_writer_end_row(w);
    rc = pn_writer_close(w);
    w = NULL;
    pn_ns_warn_flags(cmd, rt, flags);
    if (rc != PN_OK) { pn_diag_set(&diag, rc, "error writing the output"); goto fail; }
    rc = PN_OK;
fail:
    pn_writer_close(w);
    pn_netsurv_diff_result_free(&res);
    pn_ratetable_free(rt);
    pn_nsdata_free(d);
    if (rc != PN_OK) rc = pn_cli_fail(cmd, rc, &diag);
    pn_args_free(&args);
    return rc;
}
