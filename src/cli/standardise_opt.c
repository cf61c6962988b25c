/* standardise_opt.c - the one parser of `--standardise icss1|icss2|icss3|site|none` for netsurv
 * and trend (netsurv_cli.h). */
#include "cli.h"
#include "netsurv_cli.h"
#include "pronostic/site.h"

#include <string.h>

/* 1 when the comma-separated --by list names the column `site`. */
static int by_has_site(const pn_args *args, pn_diag *diag)
{
    pn_list by;
    if (pn_args_list(args, "by", &by, diag) != PN_OK) return 0;
    int has = 0;
    for (size_t i = 0; i < by.n && !has; i++) has = strcmp(by.items[i], "site") == 0;
    pn_list_free(&by);
    return has;
}

int pn_ns_standard(const pn_args *args, int per_site, int *standard, pn_diag *diag)
{
    const char *st = pn_args_get(args, "standardise");
    if (st == NULL || strcmp(st, "none") == 0) *standard = 0;
    else if (strcmp(st, "icss1") == 0) *standard = 1;
    else if (strcmp(st, "icss2") == 0) *standard = 2;
    else if (strcmp(st, "icss3") == 0) *standard = 3;
    else if (strcmp(st, "site") == 0) {
        const char *name = pn_args_get(args, "site");
        int site;
        if (name != NULL) {
            if (pn_site_parse(name, &site) != PN_OK)
                return pn_diag_set(diag, PN_EUSAGE, "option '--site': '%s' is not one of "
                                   "pancreas, oesophagus, liver, lung, cns, ovary, aml", name);
            *standard = pn_site_icss(site);
        } else if (per_site && by_has_site(args, diag)) {
            *standard = -1; /* per stratum, from its site */
        } else {
            return pn_diag_set(diag, PN_EUSAGE, "option '--standardise site' needs '--site NAME'%s",
                               per_site ? " or a 'site' column in '--by'" : "");
        }
    } else {
        return pn_diag_set(diag, PN_EUSAGE, "option '--standardise': '%s' is not icss1, icss2, "
                           "icss3, site or none", st);
    }
    return PN_OK;
}
