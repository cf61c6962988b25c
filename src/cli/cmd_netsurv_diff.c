/* cmd_netsurv_diff.c - `pronostic netsurv-diff`: Grafféo's log-rank-type test comparing net
 * survival between groups, as R's relsurv::rs.diff. */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/netsurv_test.h"

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

int pn_cmd_netsurv_diff(int argc, char **argv)
{
    const char *cmd = "netsurv-diff";
    pn_args args;
    pn_diag diag = {0};
    pn_nsdata *d = NULL;
    pn_ratetable *rt = NULL;
    pn_writer *w = NULL;
    size_t *rows = NULL;
    int *group = NULL;
    double *zh = NULL, *cnt = NULL;
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
    size_t n = d->n, k = d->ngroups, nr = 0, zero = 0;
    rows = pn_malloc((n ? n : 1) * sizeof *rows);
    group = pn_malloc((n ? n : 1) * sizeof *group);
    zh = pn_calloc(k, sizeof *zh);
    cnt = pn_calloc(2 * k, sizeof *cnt);
    if (!rows || !group || !zh || !cnt) { rc = PN_ENOMEM; goto fail; }
    for (size_t i = 0; i < n; i++) {
        if (!(d->time[i] > 0)) { zero++; continue; }
        rows[nr] = i;
        group[nr] = d->group[i];
        cnt[d->group[i]] += 1;
        cnt[k + (size_t)d->group[i]] += d->status[i];
        nr++;
    }
    if (zero) pn_cli_warn(cmd, "%zu row%s with a follow-up time of 0 excluded (no time at risk)", zero, zero == 1 ? "" : "s");
    for (size_t g = 0; g < k; g++)
        if (cnt[k + g] < 10)
            pn_cli_warn(cmd, "group %s has fewer than 10 deaths", d->group_labels[g]);
    pn_netsurv_input in = {.n = nr, .rows = rows, .time = d->time, .status = d->status,
                           .age_days = d->age_days, .date = d->date, .sex = d->sex};
    double chisq = NAN, p = NAN;
    int df = 0;
    unsigned flags = 0;
    rc = pn_netsurv_test(&in, rt, group, (int)k, NULL, 0, &chisq, &df, &p, zh, &flags);
    if (rc != PN_OK) {
        pn_diag_set(&diag, rc, "the test failed: %s", pn_strerror(rc));
        goto fail;
    }
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
        pn_writer_num(w, cnt[g]);
        pn_writer_num(w, cnt[k + g]);
        pn_writer_num(w, zh[g]);
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
    pn_free(cnt);
    pn_free(zh);
    pn_free(group);
    pn_free(rows);
    pn_ratetable_free(rt);
    pn_nsdata_free(d);
    if (rc != PN_OK) rc = pn_cli_fail(cmd, rc, &diag);
    pn_args_free(&args);
    return rc;
}
