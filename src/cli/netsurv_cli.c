/* netsurv_cli.c - the options of the net-survival commands: their rows (a CSV or a store
 * selection, into a pn_nsdata), life table, scheme, threads and period window. Shared by
 * cmd_netsurv.c, cmd_netsurv_diff.c and cmd_trend.c. */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/analysis.h"
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/num.h"

#include <stdint.h>
#include <string.h>

/* The CSV rows named by the options of `args` (pn_ns_load says which). */
static int load_csv(const pn_args *args, pn_nsdata **out, pn_diag *diag)
{
    pn_nsspec sp = {.path = args->positional[0],
                    .time = pn_args_get(args, "time"),
                    .exit_date = pn_args_get(args, "exit-date"),
                    .event = pn_args_get(args, "event"),
                    .event_value = pn_args_get(args, "event-value"),
                    .age = pn_args_get(args, "age"),
                    .sex = pn_args_get(args, "sex"),
                    .year = pn_args_get(args, "year"),
                    .agegroup_col = pn_args_get(args, "agegroup-col"),
                    .today = pn_date_today_env(),
                    .closing = INT32_MAX};
    if ((sp.time == NULL) == (sp.exit_date == NULL))
        return pn_diag_set(diag, PN_EUSAGE, "give exactly one of '--time' and '--exit-date'");
    static const char *const need[] = {"event", "age", "sex", "year"};
    int rc = pn_args_require(args, need, 4, diag);
    if (rc != PN_OK) return rc;
    if ((rc = pn_args_time_unit(args, &sp.time_scale, diag)) != PN_OK) return rc;
    const char *aunit = pn_args_get(args, "age-unit");
    if (aunit != NULL && strcmp(aunit, "days") == 0) sp.age_in_days = 1;
    else if (aunit != NULL && strcmp(aunit, "years") != 0)
        return pn_diag_set(diag, PN_EUSAGE, "option '--age-unit': '%s' is not years or days", aunit);
    /* a diagnosis may not be after today, nor after --closing when it is given, ISO dates and
     * decimal years alike (both are checked as the day they stand for); with --period-last,
     * --closing ends the analysis window instead, and later diagnoses are outside it */
    const char *cl = pn_args_get(args, "closing");
    if (cl != NULL && pn_date_parse(cl, strlen(cl), 0, &sp.closing, NULL) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--closing': '%s' is not a date (YYYY-MM-DD)", cl);
    if (pn_args_has(args, "period-last")) sp.closing = INT32_MAX;
    pn_list by;
    if ((rc = pn_args_list(args, "by", &by, diag)) != PN_OK) return rc;
    sp.by = (const char *const *)by.items;
    sp.nby = by.n;
    /* a bad --threads is told where the command parses it, after the rows: one thread here */
    int threads = 1;
    pn_diag ignored = {0};
    if (pn_args_threads(args, &threads, &ignored) != PN_OK) threads = 1;
    rc = pn_nsread_csv(&sp, threads, 0, out, diag);
    pn_list_free(&by);
    return rc;
}

int pn_ns_load(const char *cmd, const pn_args *args, pn_nsdata **out, pn_diag *diag)
{
    static const char *const csv_only[] = {"time", "exit-date", "event", "event-value", "age",
                                           "age-unit", "year", "agegroup-col"};
    int rc = pn_args_refuse_with_db(args, csv_only, sizeof csv_only / sizeof *csv_only, diag);
    if (rc != PN_OK) return rc;
    pn_list by; /* its usage errors before the store is opened */
    if ((rc = pn_args_list(args, "by", &by, diag)) != PN_OK) return rc;
    pn_list_free(&by);
    struct pn_cohort *cohort = NULL;
    if ((rc = pn_dbselect_cohort(args, &cohort, diag)) != PN_OK) return rc;
    if (cohort != NULL) {
        double scale;
        pn_list names = {0};
        if ((rc = pn_args_time_unit(args, &scale, diag)) == PN_OK &&
            (rc = pn_args_list(args, "by", &names, diag)) == PN_OK)
            rc = pn_cohort_nsdata(cohort, (const char *const *)names.items, names.n, scale, out,
                                  diag);
        pn_list_free(&names);
        pn_cohort_free(cohort);
    } else {
        rc = load_csv(args, out, diag);
    }
    if (rc == PN_OK) {
        pn_cli_report_dropped(cmd, (*out)->dropped);
        pn_cli_warn_censoring(cmd, args->npos ? args->positional[0] : NULL,
                              pn_args_get(args, "event"), pn_args_get(args, "event-value"),
                              (*out)->censor_value, (*out)->censor_rows);
    }
    return rc;
}

int pn_ns_open_ratetable(const pn_args *args, pn_ratetable **rt, pn_diag *diag)
{
    const char *name = pn_args_get(args, "ratetable");
    return pn_ratetable_open(rt, name ? name : "fr", diag);
}

int pn_ns_scheme(const pn_args *args, int *scheme, pn_diag *diag)
{
    const char *s = pn_args_get(args, "scheme");
    if (s == NULL || strcmp(s, "relsurv") == 0) *scheme = PN_NETSURV_RELSURV;
    else if (strcmp(s, "exact") == 0) *scheme = PN_NETSURV_EXACT;
    else return pn_diag_set(diag, PN_EUSAGE, "option '--scheme': '%s' is not exact or relsurv", s);
    return PN_OK;
}

void pn_ns_warn_flags(const char *cmd, const pn_ratetable *rt, unsigned flags)
{
    int amin, amax, ymin, ymax;
    pn_ratetable_range(rt, &amin, &amax, &ymin, &ymax);
    if (flags & PN_RATE_AGE_ABOVE)
        pn_cli_warn(cmd, "ages beyond the life table's last age (%d): its rates were carried forward", amax);
    if (flags & PN_RATE_YEAR_ABOVE)
        pn_cli_warn(cmd, "follow-up beyond the life table's last year (%d): its rates were carried forward", ymax);
    if (flags & PN_RATE_AGE_BELOW)
        pn_cli_warn(cmd, "ages below the life table's first age (%d): its rates were used", amin);
    if (flags & PN_RATE_YEAR_BELOW)
        pn_cli_warn(cmd, "diagnoses before the life table's first year (%d): its rates were used", ymin);
}

static int parse_bound(const char *s, size_t len, int is_to, double *day)
{
    int32_t dd;
    if (len >= 7 && memchr(s, '-', len) != NULL) {
        if (pn_date_parse(s, len, 0, &dd, NULL) != PN_OK) return PN_EPARSE;
        *day = dd;
        return PN_OK;
    }
    int64_t y;
    if (pn_parse_int64(s, len, &y) != PN_OK || y < 1 || y > 9998) return PN_EPARSE;
    *day = is_to ? pn_days_from_civil((int)y, 12, 31) : pn_days_from_civil((int)y, 1, 1);
    return PN_OK;
}

int pn_ns_parse_window(const char *text, const char *option, double *from, double *to,
                       pn_diag *diag)
{
    const char *comma = strchr(text, ',');
    if (comma == NULL || parse_bound(text, (size_t)(comma - text), 0, from) != PN_OK ||
        parse_bound(comma + 1, strlen(comma + 1), 1, to) != PN_OK || !(*from <= *to))
        return pn_diag_set(diag, PN_EUSAGE,
                           "option '--%s': '%s' is not FROM,TO (ISO dates or years, FROM <= TO)",
                           option, text);
    return PN_OK;
}
