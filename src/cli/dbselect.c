/* dbselect.c - `--db FILE --site SITE [filters]`: a selection of the store as the input of
 * surv, cox and netsurv, handed over as columns (no CSV in between).
 *
 * The options are parsed here once for the three subcommands; the selection is made by
 * pn_cohort_select (cohort.h); its columns become a pn_survdata (surv, cox: pn_cohort_survdata)
 * or a pn_nsdata (netsurv: pn_cohort_nsdata). Store variables usable with --by, --covariates and --factor: sex, age, agegroup,
 * year, period, site, departement, region.
 */
#include "cli.h"
#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/frame.h"
#include "pronostic/num.h"
#include "pronostic/ratetable.h"
#include "pronostic/site.h"
#include "pronostic/store.h"
#include "pronostic/survinput.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int parse_year(const pn_args *args, const char *name, int *out, pn_diag *diag)
{
    const char *v = pn_args_get(args, name);
    if (v == NULL) return PN_OK;
    int64_t y;
    if (pn_parse_int64(v, strlen(v), &y) != PN_OK || y < 1800 || y > 2200)
        return pn_diag_set(diag, PN_EUSAGE, "option '--%s': '%s' is not a year", name, v);
    *out = (int)y;
    return PN_OK;
}


/* "65-75" (65 <= age < 75), "75-" or "75+" (75 and over), "-15" (under 15). */
static int parse_ages(const char *v, double *lo, double *hi)
{
    const char *dash = strchr(v, '-');
    size_t len = strlen(v);
    if (len > 0 && v[len - 1] == '+') {
        *hi = 1e9;
        return pn_parse_double(v, len - 1, lo);
    }
    if (dash == NULL) return PN_EPARSE;
    *lo = 0;
    *hi = 1e9;
    if (dash > v && pn_parse_double(v, (size_t)(dash - v), lo) != PN_OK) return PN_EPARSE;
    if (dash[1] != '\0' && pn_parse_double(dash + 1, strlen(dash + 1), hi) != PN_OK) return PN_EPARSE;
    return *lo < *hi ? PN_OK : PN_EPARSE;
}

int pn_dbselect_cohort(const pn_args *args, pn_cohort **out, pn_diag *diag)
{
    *out = NULL;
    const char *db = pn_args_get(args, "db");
    if (db == NULL) return PN_OK;
    if (args->npos > 0)
        return pn_diag_set(diag, PN_EUSAGE, "give either FILE.csv or '--db', not both");
    pn_cohort_filter f;
    pn_cohort_filter_init(&f);
    const char *site = pn_args_get(args, "site"), *v;
    if (site == NULL)
        return pn_diag_set(diag, PN_EUSAGE, "option '--site' is required with '--db'");
    if (pn_site_parse(site, &f.site) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--site': '%s' is not one of pancreas, "
                           "oesophagus, liver, lung, cns, ovary, aml", site);
    int rc;
    if ((rc = parse_year(args, "from", &f.year_from, diag)) != PN_OK ||
        (rc = parse_year(args, "to", &f.year_to, diag)) != PN_OK)
        return rc;
    if (f.year_from && f.year_to && f.year_from > f.year_to)
        return pn_diag_set(diag, PN_EUSAGE, "option '--from' is after '--to'");
    if ((v = pn_args_get(args, "sex")) != NULL && pn_sex_parse(v, strlen(v), &f.sex) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--sex': '%s' is not male or female", v);
    if ((v = pn_args_get(args, "ages")) != NULL && parse_ages(v, &f.age_min, &f.age_max) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--ages': '%s' is not MIN-MAX, MIN+ or -MAX "
                           "(years, MAX excluded)", v);
    const char *dep = pn_args_get(args, "departement"), *region = pn_args_get(args, "region");
    if (dep != NULL && region != NULL)
        return pn_diag_set(diag, PN_EUSAGE, "give '--departement' or '--region', not both");
    if (dep != NULL) {
        if (!pn_departement_valid(dep, strlen(dep)))
            return pn_diag_set(diag, PN_EUSAGE, "option '--departement': '%s' is not a "
                               "département code (01..95, 2A, 2B, 971..976)", dep);
        memcpy(f.departement, dep, strlen(dep) + 1);
    }
    if (region != NULL && pn_region_parse(region, &f.region) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--region': '%s' is not a French region", region);
    if ((v = pn_args_get(args, "closing")) != NULL &&
        pn_date_parse(v, strlen(v), 0, &f.closing, NULL) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--closing': '%s' is not a date (YYYY-MM-DD)", v);
    pn_store *store = NULL;
    if ((rc = pn_store_open_readonly(&store, db, diag)) != PN_OK) return rc;
    rc = pn_cohort_select(store, &f, out, diag);
    pn_store_close(store);
    if (rc != PN_OK) return rc;
    const pn_cohort *c = *out;
    char closing[11];
    pn_date_format(c->closing, closing);
    fprintf(stderr, "pronostic %s: %zu tumours selected from %s (%s, closing date %s)",
            args->cmd, c->n, db, pn_site_name(f.site), closing);
    if (c->n_later_primaries || c->n_after_closing)
        fprintf(stderr, "; left out: %zu later primaries of the same site, %zu diagnosed after "
                "the closing date", c->n_later_primaries, c->n_after_closing);
    if (c->n_conflicts)
        fprintf(stderr, "; left out: %zu whose sources disagree (pronostic quarantine "
                "--conflicts)", c->n_conflicts);
    fputc('\n', stderr);
    if (c->n == 0) {
        pn_cohort_free(*out);
        *out = NULL;
        return pn_diag_set(diag, PN_EEMPTY, "the selection is empty");
    }
    return PN_OK;
}
