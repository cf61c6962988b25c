/* cmd_pathway.c - `pronostic pathway`: the care-pathway and end-of-life indicators of a store
 * (docs/interfaces.md 1.4), one row per indicator, site and group, through disclosure control
 * unless --no-suppress (recorded in the store's audit table). */
#include "cli.h"
#include "pronostic/alloc.h"
#include "pronostic/datadir.h"
#include "pronostic/date.h"
#include "pronostic/pathway.h"
#include "pronostic/pwpublish.h"
#include "pronostic/site.h"
#include "pronostic/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const pn_optdef pathway_defs[] = {
    {"db", "FILE", "the store (required)"},
    {"indicator", "NAME", "one indicator (default: all; names in docs/methods.md)"},
    {"site", "NAME", "one site: pancreas, oesophagus, liver, lung, cns, ovary or aml (default: "
                     "the seven and all)"},
    {"by", "centre|departement|region|year|sex|agegroup", "one row per group as well"},
    {"from", "YEAR", "first year of diagnosis"},
    {"to", "YEAR", "last year of diagnosis"},
    {"closing", "YYYY-MM-DD", "end of follow-up (default: the latest vital-status date)"},
    {"config", "FILE", "the indicators' parameters (default: data/pathway.conf)"},
    {"min-cell", "K", "disclosure control: mask counts from 1 to K-1 (default 10)"},
    {"no-suppress", NULL, "publish without disclosure control (recorded in the store's audit)"},
    {"audit", "FILE", "write the disclosure audit (every masked cell's interval) as CSV"},
    PN_THREADS_OPT,
    {NULL, NULL, NULL},
};

static const char pathway_details[] =
    "For each of the seven poor-prognosis sites (and all of them): delays from first imaging to\n"
    "diagnosis and to treatment and from diagnosis to treatment (median and quartiles, share\n"
    "within the target, cumulative incidence of treatment with death as a competing event),\n"
    "tumour board before treatment, pathway ruptures, emergency returns and emergency\n"
    "diagnoses, early palliative care, the aggressiveness of end-of-life care with Earle's\n"
    "benchmarks, and surgery in an authorised centre. Columns:\n"
    "indicator,site,group,numerator,denominator,estimate,lower,upper,benchmark,suppressed\n"
    "A masked figure is empty and `suppressed` says primary or secondary (docs/methods.md,\n"
    "\"Care-pathway indicators\" and \"Disclosure control\").";

int pn_cmd_pathway(int argc, char **argv)
{
    const char *cmd = "pathway";
    pn_args args;
    pn_diag diag = {0};
    pn_pathway_set *set = NULL;
    pn_pw_cube *cube = NULL;
    pn_pw_row *rows = NULL;
    pn_pw_protected *prot = NULL;
    size_t nrows = 0;
    int rc = pn_args_parse(&args, cmd,
                           "--db FILE [--indicator NAME] [--site SITE] [--by centre|departement|"
                           "region|year|sex|agegroup] [--from Y --to Y] [--min-cell K | "
                           "--no-suppress] [--config FILE]",
                           pathway_details, pathway_defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_pw_query q = {.indicator = -1};
    const char *db = pn_args_get(&args, "db"), *v;
    if (db == NULL) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--db' is required");
        goto fail;
    }
    if (args.npos > 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "unexpected argument '%s'", args.positional[0]);
        goto fail;
    }
    if ((v = pn_args_get(&args, "indicator")) && (q.indicator = pn_pw_parse(v)) < 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--indicator': '%s' is not an indicator "
                         "(docs/methods.md, \"Care-pathway indicators\", lists them)", v);
        goto fail;
    }
    if ((v = pn_args_get(&args, "site")) && pn_site_parse(v, &q.site) != PN_OK) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--site': '%s' is not one of pancreas, "
                         "oesophagus, liver, lung, cns, ovary, aml", v);
        goto fail;
    }
    if ((v = pn_args_get(&args, "by")) && pn_pw_by_parse(v, &q.by) != PN_OK) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--by': '%s' is not centre, departement, "
                         "region, year, sex or agegroup", v);
        goto fail;
    }
    if ((rc = pn_args_year_range(&args, &q.year_from, &q.year_to, &diag)) != PN_OK) goto fail;
    int32_t closing = PN_NO_DATE;
    if ((v = pn_args_get(&args, "closing")) &&
        pn_date_parse(v, strlen(v), 0, &closing, NULL) != PN_OK) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--closing': '%s' is not a date (YYYY-MM-DD)", v);
        goto fail;
    }
    int no_suppress = pn_args_has(&args, "no-suppress");
    long k = 10;
    if (no_suppress && (pn_args_has(&args, "min-cell") || pn_args_has(&args, "audit"))) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--no-suppress' excludes '--min-cell' and "
                         "'--audit'");
        goto fail;
    }
    if ((rc = pn_args_long(&args, "min-cell", &k, &diag)) != PN_OK) goto fail;
    if (k < 2 || k > 1000000) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--min-cell': must be from 2 to 1000000");
        goto fail;
    }
    int threads;
    if ((rc = pn_args_threads(&args, &threads, &diag)) != PN_OK) goto fail;
    pn_pathway_conf conf;
    pn_pathway_conf_defaults(&conf);
    char path[4096];
    if ((v = pn_args_get(&args, "config")) == NULL) {
        if ((rc = pn_data_path(path, sizeof path, NULL, "pathway.conf", &diag)) != PN_OK) goto fail;
        v = path;
    }
    if ((rc = pn_pathway_conf_load(&conf, v, &diag)) != PN_OK) goto fail;
    if (no_suppress) {
        /* recorded before anything is shown; needs the store writable */
        pn_store *store = NULL;
        rc = pn_cli_open_no_suppress(&store, db, argc, argv, &diag);
        pn_store_close(store);
        if (rc != PN_OK) goto fail;
    }
    if ((rc = pn_pathway_set_read(db, &conf, closing, threads, &set, &diag)) != PN_OK) goto fail;
    if ((rc = pn_pw_cube_build(set, &cube, &diag)) != PN_OK) goto fail;
    if ((rc = pn_pw_rows(set, cube, &conf, &q, &rows, &nrows, &diag)) != PN_OK) goto fail;
    if (!no_suppress) {
        if ((rc = pn_pw_protect(cube, k, q.indicator >= 0 ? 1u << q.indicator : 0, threads, &prot, &diag)) != PN_OK) goto fail;
        pn_daudit a;
        pn_pw_protected_audit(prot, &a);
        pn_cli_warn(cmd, "disclosure control (k = %ld): %zu of %zu cells masked (%zu primary, "
                    "%zu secondary); audit by linear programming: %s, narrowest interval %g",
                    k, a.nprimary + a.nsecondary, a.ncells, a.nprimary, a.nsecondary,
                    a.passed ? "passed" : "FAILED", a.min_width);
        if ((v = pn_args_get(&args, "audit")) &&
            (rc = pn_pw_protected_write_audit(prot, v, &diag)) != PN_OK)
            goto fail;
    } else {
        pn_cli_warn(cmd, "no disclosure control (--no-suppress): recorded in the store's audit");
    }
    for (int s = 1; s <= PN_SITE_AML && (q.indicator < 0 || q.indicator == PN_PW_SURGERY_AUTHORISED); s++)
        if ((q.site == 0 || q.site == s) && conf.nmentions[s] < 0)
            pn_cli_warn(cmd, "surgery_in_authorised_centre: no authorisation mention known for %s "
                        "(missing in the reference data; set surgery_mentions.%s in the "
                        "configuration)", pn_site_name(s), pn_site_name(s));
    if ((rc = pn_pw_write_rows(stdout, args.format, rows, nrows, prot)) != PN_OK)
        pn_diag_set(&diag, rc, "error writing the output");
fail:
    pn_pw_protected_free(prot);
    pn_free(rows);
    pn_pw_cube_free(cube);
    pn_pathway_set_free(set);
    if (rc != PN_OK) rc = pn_cli_fail(cmd, rc, &diag);
    pn_args_free(&args);
    return rc;
}
