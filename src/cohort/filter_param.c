/* filter_param.c - a selection's filter (cohort.h, pn_cohort_filter) set from named text
 * parameters, one at a time: the options of the command line (`--site lung`) and the query
 * parameters of the HTTP API (`site=lung`) are parsed by the same code and their messages name
 * the parameter as its caller spells it. */
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/departement.h"
#include "pronostic/num.h"
#include "pronostic/sex.h"
#include "pronostic/site.h"

#include <stdio.h>
#include <string.h>

void pn_param_label(char *buf, size_t len, int http, const char *name)
{
    if (http) snprintf(buf, len, "parameter '%s'", name);
    else snprintf(buf, len, "option '--%s'", name);
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
    return *lo >= 0 && *lo < *hi ? PN_OK : PN_EPARSE;
}

static int parse_year(const char *v, int *out)
{
    int64_t y;
    if (pn_parse_int64(v, strlen(v), &y) != PN_OK || y < 1800 || y > 2200) return PN_EPARSE;
    *out = (int)y;
    return PN_OK;
}

int pn_cohort_filter_param(pn_cohort_filter *f, const char *name, const char *v, int http,
                           pn_diag *diag)
{
    char label[64];
    pn_param_label(label, sizeof label, http, name);
    if (strcmp(name, "site") == 0) {
        if (pn_site_parse(v, &f->site) != PN_OK)
            return pn_diag_set(diag, PN_EUSAGE, "%s: '%s' is not one of pancreas, oesophagus, "
                               "liver, lung, cns, ovary, aml", label, v);
    } else if (strcmp(name, "from") == 0 || strcmp(name, "to") == 0) {
        if (parse_year(v, name[0] == 'f' ? &f->year_from : &f->year_to) != PN_OK)
            return pn_diag_set(diag, PN_EUSAGE, "%s: '%s' is not a year", label, v);
    } else if (strcmp(name, "sex") == 0) {
        int sex;
        if (pn_sex_parse(v, strlen(v), &sex) != PN_OK)
            return pn_diag_set(diag, PN_EUSAGE, "%s: '%s' is not male or female", label, v);
        f->sex = sex == PN_SEX_FEMALE ? 2 : 1;
    } else if (strcmp(name, "ages") == 0) {
        if (parse_ages(v, &f->age_min, &f->age_max) != PN_OK)
            return pn_diag_set(diag, PN_EUSAGE, "%s: '%s' is not MIN-MAX, MIN+ or -MAX (years, "
                               "MAX excluded)", label, v);
    } else if (strcmp(name, "departement") == 0) {
        size_t len = strlen(v);
        if (!pn_departement_valid(v, len))
            return pn_diag_set(diag, PN_EUSAGE, "%s: '%s' is not a département code (01..95, "
                               "2A, 2B, 971..976)", label, v);
        memcpy(f->departement, v, len + 1);
    } else if (strcmp(name, "region") == 0) {
        if (pn_region_parse(v, &f->region) != PN_OK)
            return pn_diag_set(diag, PN_EUSAGE, "%s: '%s' is not a French region", label, v);
    } else if (strcmp(name, "closing") == 0) {
        if (pn_date_parse(v, strlen(v), 0, &f->closing, NULL) != PN_OK)
            return pn_diag_set(diag, PN_EUSAGE, "%s: '%s' is not a date (YYYY-MM-DD)", label, v);
    } else {
        return PN_ENOTFOUND;
    }
    return PN_OK;
}

int pn_cohort_filter_check(const pn_cohort_filter *f, int http, pn_diag *diag)
{
    const char *p = http ? "" : "--";
    if (f->year_from && f->year_to && f->year_from > f->year_to)
        return pn_diag_set(diag, PN_EUSAGE, "%s '%sfrom' is after '%sto'",
                           http ? "parameter" : "option", p, p);
    if (f->departement[0] && f->region)
        return pn_diag_set(diag, PN_EUSAGE, "give '%sdepartement' or '%sregion', not both", p, p);
    return PN_OK;
}
