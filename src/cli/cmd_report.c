/* cmd_report.c - `pronostic report`: the programme's survival report from a store (docs/interfaces.md
 * 1.4): the long CSV/JSON form, one row per estimate, or on a terminal a table with one line per
 * site and period and a line per site for the trend to 2030. */
#include "cli.h"
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/report.h"
#include "pronostic/report_disclose.h"
#include "pronostic/site.h"
#include "pronostic/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const pn_optdef report_defs[] = {
    {"db", "FILE", "the store (required)"},
    {"site", "NAME", "one site: pancreas, oesophagus, liver, lung, cns, ovary or aml (default: all seven)"},
    {"from", "YEAR", "first year of diagnosis"},
    {"to", "YEAR", "last year of diagnosis"},
    {"sex", "male|female", "men or women only"},
    {"region", "NAME", "residents of one region (name or INSEE code)"},
    {"departement", "CODE", "residents of one département"},
    {"by", "sex|region|period", "split each site's rows further (default period: no split)"},
    {"periods", "Y1-Y2,...", "periods of diagnosis (default: 5-year periods from the earliest year)"},
    {"closing", "YYYY-MM-DD", "end of follow-up (default: the latest vital-status date in the store)"},
    {"ratetable", "fr|slopop|PATH", "population life table for net survival (default fr, INSEE)"},
    {"scheme", "exact|relsurv", "integration of the expected hazard (default relsurv)"},
    {"conf", "0.95", "confidence level"},
    {"min-cell", "K", "disclosure control: counts from 1 to K-1 are masked (default 10)"},
    {"no-suppress", NULL, "publish every figure unmasked: for privileged use only, recorded in the "
                          "store's audit table (needs the store writable)"},
    {NULL, NULL, NULL},
};

static const char report_details[] =
    "For each of the seven poor-prognosis sites: observed (Kaplan-Meier), net (Pohar-Perme)\n"
    "and ICSS age-standardised net survival at 1 and 5 years with their confidence limits, by\n"
    "period of diagnosis; then the trend of 5-year standardised net survival per calendar year,\n"
    "its p-value and its projection to 2030, to be read against the 33% line. A period's\n"
    "estimates at a horizon are left empty when the patients diagnosed up to the middle of the\n"
    "period could not all be followed that long before the closing date.\n"
    "CSV/JSON columns: site,period,sex,measure,horizon_years,estimate,lower,upper,n,events\n"
    "(and region with --by region), then suppressed; see docs/methods.md, \"Report\".\n"
    "Disclosure control (docs/methods.md, \"Disclosure control\"): counts from 1 to K-1\n"
    "(--min-cell, default 10) are masked (<K), more cells are masked (s) so that no masked count\n"
    "can be recovered from margins, and an estimate over a masked count is masked; the CSV's\n"
    "last column says primary or secondary. --no-suppress lifts it and is recorded in the\n"
    "store's audit table (who, when, the command line).";

/* The text of a masked figure: "<K" (primary) or "s" (secondary); NULL when published. */
static const char *mask_text(char *buf, size_t len, int status, long long k)
{
    if (status == PN_DCELL_PRIMARY) {
        snprintf(buf, len, "<%lld", k);
        return buf;
    }
    return status == PN_DCELL_SECONDARY ? "s" : NULL;
}

/* "12.3 (10.1-14.6)" in percent, with a '<' mark when below the 33% line; "" when missing. */
static void cell_text(char *buf, size_t len, const pn_report_row *row, int mark, int status,
                      long long k)
{
    char mb[32];
    const char *masked = mask_text(mb, sizeof mb, status, k);
    if (masked) {
        snprintf(buf, len, "%s", masked);
        return;
    }
    if (!isfinite(row->estimate)) {
        snprintf(buf, len, "-");
        return;
    }
    const char *flag = mark && row->estimate < PN_REPORT_THRESHOLD ? " <" : "";
    if (isfinite(row->lower) && isfinite(row->upper))
        snprintf(buf, len, "%.1f (%.1f-%.1f)%s", 100 * row->estimate, 100 * row->lower,
                 100 * row->upper, flag);
    else
        snprintf(buf, len, "%.1f%s", 100 * row->estimate, flag);
}

/* The stratum's label in the table: sex, or region name. */
static const char *stratum_label(const pn_report_row *row)
{
    if (row->region) return pn_region_name(row->region);
    return pn_report_sex_name(row->sex);
}

static int write_table(const pn_report *r, const pn_report_masks *m, long long min_cell)
{
    char closing[11];
    pn_date_format(r->closing, closing);
    printf("Survival of the poor-prognosis cancers, in %% with 95%% limits (closing date %s)\n"
           "observed: Kaplan-Meier; net_std: ICSS age-standardised net survival (Pohar-Perme);\n"
           "'<' marks a 5-year estimate below the 33%% line; '-': follow-up too short.\n",
           closing);
    if (m)
        printf("Disclosure control: counts under %lld shown as <%lld, cells masked to protect "
               "them as s\n(%zu primary, %zu secondary; LP audit passed, narrowest interval "
               "%g).\n\n", min_cell, min_cell, m->audit.nprimary, m->audit.nsecondary, m->audit.min_width);
    else
        printf("Disclosure control lifted (--no-suppress, recorded in the store's audit "
               "table).\n\n");
    static const char *const cols[] = {"site", "period", "group", "n", "observed_1y",
                                       "observed_5y", "net_std_1y", "net_std_5y"};
    pn_writer *w = NULL;
    int rc = pn_writer_open(&w, stdout, PN_FORMAT_TABLE, cols, 8);
    if (rc != PN_OK) return rc;
    char buf[4][64];
    const long long kk = min_cell;
    for (size_t i = 0; i < r->n;) {
        const pn_report_row *row = &r->rows[i];
        if (row->period_from == 0) {
            i++;
            continue;
        }
        /* one table row per site, group and period: the first row of each (observed, 1 year) */
        if (row->measure != PN_REPORT_OBSERVED || row->horizon_years != 1) {
            i++;
            continue;
        }
        const pn_report_row *c[4] = {pn_report_cell(r, row, PN_REPORT_OBSERVED, 1),
                                     pn_report_cell(r, row, PN_REPORT_OBSERVED, 5),
                                     pn_report_cell(r, row, PN_REPORT_NET_STD, 1),
                                     pn_report_cell(r, row, PN_REPORT_NET_STD, 5)};
        for (int k = 0; k < 4; k++) {
            if (c[k]) cell_text(buf[k], sizeof buf[k], c[k], k % 2 == 1, pn_report_row_status(m, r, c[k], 2), kk);
            else snprintf(buf[k], sizeof buf[k], "-");
        }
        char period[32];
        pn_period per = {row->period_from, row->period_to};
        pn_period_format(&per, period, sizeof period);
        pn_writer_str(w, pn_site_name(row->site));
        pn_writer_str(w, period);
        pn_writer_str(w, stratum_label(row));
        char nb[32];
        const char *nm = mask_text(nb, sizeof nb, pn_report_row_status(m, r, row, 0), kk);
        if (nm) pn_writer_str(w, nm);
        else pn_writer_int(w, row->n);
        for (int k = 0; k < 4; k++) pn_writer_str(w, buf[k]);
        pn_writer_end_row(w);
        i++;
    }
    if ((rc = pn_writer_close(w)) != PN_OK) return rc;
    printf("\nTrend of 5-year net_std across periods (inverse-variance weighted least squares) "
           "and its projection to 2030\n\n");
    static const char *const tcols[] = {"site", "group", "periods", "change_per_year",
                                        "p", "projection_2030", "vs_33%"};
    if ((rc = pn_writer_open(&w, stdout, PN_FORMAT_TABLE, tcols, 7)) != PN_OK) return rc;
    for (size_t i = 0; i < r->n; i++) {
        const pn_report_row *t = &r->rows[i];
        if (t->measure != PN_REPORT_TREND_PER_YEAR) continue;
        const pn_report_row *p = pn_report_cell(r, t, PN_REPORT_TREND_P, 5),
                            *proj = pn_report_cell(r, t, PN_REPORT_PROJECTION, 5);
        pn_writer_str(w, pn_site_name(t->site));
        pn_writer_str(w, stratum_label(t));
        pn_writer_int(w, (long long)pn_report_trend_periods(r, t));
        if (pn_report_row_status(m, r, t, 2) != PN_DCELL_PUBLISHED) {
            for (int k = 0; k < 4; k++) snprintf(buf[k], sizeof buf[k], "s");
        } else if (isfinite(t->estimate) && p != NULL && proj != NULL) {
            snprintf(buf[0], sizeof buf[0], "%+.2f (%+.2f to %+.2f) points", 100 * t->estimate,
                     100 * t->lower, 100 * t->upper);
            snprintf(buf[1], sizeof buf[1], "%.2g", p->estimate);
            cell_text(buf[2], sizeof buf[2], proj, 0, PN_DCELL_PUBLISHED, kk);
            snprintf(buf[3], sizeof buf[3], "%s", pn_report_verdict_name(pn_report_verdict(proj)));
        } else {
            for (int k = 0; k < 4; k++) snprintf(buf[k], sizeof buf[k], "-");
        }
        for (int k = 0; k < 4; k++) pn_writer_str(w, buf[k]);
        pn_writer_end_row(w);
    }
    return pn_writer_close(w);
}

int pn_cmd_report(int argc, char **argv)
{
    const char *cmd = "report";
    pn_args args;
    pn_diag diag = {0};
    pn_store *store = NULL;
    pn_ratetable *rt = NULL;
    pn_report *rep = NULL;
    pn_report_masks *masks = NULL;
    pn_period *periods = NULL;
    int rc = pn_args_parse(&args, cmd,
                           "--db FILE [--site SITE] [--from Y --to Y] [--by sex|region|period] "
                           "[--periods Y1-Y2,...] [--closing YYYY-MM-DD] [--ratetable fr|PATH] "
                           "[--min-cell K] [--no-suppress]",
                           report_details, report_defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_report_opts o = {.conf = 0.95};
    pn_cohort_filter_init(&o.filter);
    const char *db = pn_args_get(&args, "db"), *v;
    if (db == NULL) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--db' is required");
        goto fail;
    }
    if (args.npos > 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "unexpected argument '%s'", args.positional[0]);
        goto fail;
    }
    static const char *const filters[] = {"site", "from", "to", "sex", "region", "departement",
                                          "closing"};
    for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
        if ((v = pn_args_get(&args, filters[i])) &&
            (rc = pn_cohort_filter_param(&o.filter, filters[i], v, 0, &diag)) != PN_OK)
            goto fail;
    if ((rc = pn_cohort_filter_check(&o.filter, 0, &diag)) != PN_OK) goto fail;
    v = pn_args_get(&args, "by");
    if (v == NULL || strcmp(v, "period") == 0) o.by = PN_REPORT_BY_PERIOD;
    else if (strcmp(v, "sex") == 0) o.by = PN_REPORT_BY_SEX;
    else if (strcmp(v, "region") == 0) o.by = PN_REPORT_BY_REGION;
    else {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--by': '%s' is not sex, region or period", v);
        goto fail;
    }
    if ((v = pn_args_get(&args, "periods"))) {
        size_t np = 0;
        if ((rc = pn_periods_parse(v, "option '--periods'", NULL, 0, &np, &diag)) != PN_OK) goto fail;
        periods = pn_malloc(np * sizeof *periods);
        if (periods == NULL) {
            rc = pn_diag_set(&diag, PN_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = pn_periods_parse(v, "option '--periods'", periods, np, &np, &diag)) != PN_OK) goto fail;
        o.periods = periods;
        o.nperiods = np;
    }
    if ((rc = pn_args_double(&args, "conf", &o.conf, &diag)) != PN_OK) goto fail;
    if (!(o.conf > 0 && o.conf < 1)) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--conf': must be between 0 and 1");
        goto fail;
    }
    long min_cell = PN_DISCLOSURE_K_DEFAULT;
    if ((rc = pn_args_long(&args, "min-cell", &min_cell, &diag)) != PN_OK) goto fail;
    if (min_cell < 1 || min_cell > 1000000) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--min-cell': %ld is not between 1 and 1000000",
                         min_cell);
        goto fail;
    }
    int no_suppress = pn_args_has(&args, "no-suppress");
    if (no_suppress && pn_args_has(&args, "min-cell")) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "options '--no-suppress' and '--min-cell' exclude each other");
        goto fail;
    }
    if ((rc = pn_ns_scheme(&args, &o.scheme, &diag)) != PN_OK) goto fail;
    if ((rc = pn_ns_open_ratetable(&args, &rt, &diag)) != PN_OK) goto fail;
    o.rt = rt;
    if (no_suppress) {
        /* a privileged act: recorded (who, when, the command line) before anything is printed,
         * and refused when it cannot be recorded */
        if ((rc = pn_cli_open_no_suppress(&store, db, argc, argv, &diag)) != PN_OK) goto fail;
    } else if ((rc = pn_store_open_readonly(&store, db, &diag)) != PN_OK) {
        goto fail;
    }
    if ((rc = pn_report_published(store, &o, no_suppress ? 0 : min_cell, &rep, &masks,
                                  &diag)) != PN_OK)
        goto fail;
    if (rep->n_after_closing)
        pn_cli_warn(cmd, "%zu tumour%s diagnosed after the closing date left out",
                    rep->n_after_closing, rep->n_after_closing == 1 ? "" : "s");
    if (rep->n_conflicts)
        pn_cli_warn(cmd, "%zu tumour%s left out: the sources disagree on the patient or report "
                    "the death before the diagnosis (pronostic quarantine --conflicts)",
                    rep->n_conflicts, rep->n_conflicts == 1 ? "" : "s");
    if (rep->n_zero_time)
        pn_cli_warn(cmd, "%zu tumour%s with no follow-up (diagnosed on the vital-status date) "
                    "left out of net survival", rep->n_zero_time, rep->n_zero_time == 1 ? "" : "s");
    if (rep->n_under15)
        pn_cli_warn(cmd, "%zu tumour%s diagnosed before 15 left out of the ICSS standardisation",
                    rep->n_under15, rep->n_under15 == 1 ? "" : "s");
    pn_ns_warn_flags(cmd, rt, rep->rate_flags);
    rc = args.format == PN_FORMAT_TABLE
             ? write_table(rep, masks, min_cell)
             : pn_report_write_long(stdout, args.format, rep, masks, o.by == PN_REPORT_BY_REGION);
    if (rc != PN_OK) pn_diag_set(&diag, rc, "error writing the output");
fail:
    pn_report_masks_free(masks);
    pn_report_free(rep);
    pn_store_close(store);
    pn_ratetable_free(rt);
    pn_free(periods);
    if (rc != PN_OK) rc = pn_cli_fail(cmd, rc, &diag);
    pn_args_free(&args);
    return rc;
}
