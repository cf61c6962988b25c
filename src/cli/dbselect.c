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

int pn_dbselect_cohort(const pn_args *args, pn_cohort **out, pn_diag *diag)
{
    *out = NULL;
    const char *db = pn_args_get(args, "db");
    if (db == NULL) return PN_OK;
    if (args->npos > 0)
        return pn_diag_set(diag, PN_EUSAGE, "give either FILE.csv or '--db', not both");
    pn_cohort_filter f;
    pn_cohort_filter_init(&f);
    if (pn_args_get(args, "site") == NULL)
        return pn_diag_set(diag, PN_EUSAGE, "option '--site' is required with '--db'");
    static const char *const names[] = {"site", "from", "to", "sex", "ages", "departement",
                                        "region", "closing"};
    int rc;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *v = pn_args_get(args, names[i]);
        if (v && (rc = pn_cohort_filter_param(&f, names[i], v, 0, diag)) != PN_OK) return rc;
    }
    if ((rc = pn_cohort_filter_check(&f, 0, diag)) != PN_OK) return rc;
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
