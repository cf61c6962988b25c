/* report_periods.c - the periods of diagnosis of the report: the default 5-year periods, the
 * --periods list, and the rule that says whether a period's patients were followed long enough
 * for a horizon (docs/methods.md, "Report"). */
#include "pronostic/report.h"
#include "pronostic/date.h"
#include "pronostic/num.h"

#include <string.h>

size_t pn_report_default_periods(int first_year, int last_year, pn_report_period *out,
                                 size_t cap)
{
    if (last_year < first_year) return 0;
    size_t n = (size_t)((last_year - first_year) / 5 + 1);
    for (size_t p = 0; p < n && p < cap; p++) {
        out[p].from = first_year + 5 * (int)p;
        out[p].to = out[p].from + 4 < last_year ? out[p].from + 4 : last_year;
    }
    return n;
}

int pn_report_horizon_ok(const pn_report_period *period, double horizon_years, int32_t closing)
{
    double start = pn_days_from_civil(period->from, 1, 1);
    double mid = start + (period->to - period->from + 1) / 2.0 * PN_DAYS_PER_YEAR;
    return mid + horizon_years * PN_DAYS_PER_YEAR <= (double)closing;
}

int pn_report_parse_periods(const char *text, pn_report_period *out, size_t cap, size_t *n,
                            pn_diag *diag)
{
    size_t k = 0;
    const char *s = text;
    if (*s == '\0') return pn_diag_set(diag, PN_EUSAGE, "option '--periods': empty list");
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        const char *dash = memchr(s, '-', len);
        int64_t a, b;
        if (dash == NULL || pn_parse_int64(s, (size_t)(dash - s), &a) != PN_OK ||
            pn_parse_int64(dash + 1, len - (size_t)(dash - s) - 1, &b) != PN_OK || a > b ||
            a < 1800 || b > 2200 || (k > 0 && k <= cap && a <= out[k - 1].to))
            return pn_diag_set(diag, PN_EUSAGE,
                               "option '--periods': '%.*s' in '%s' is not a year range Y1-Y2 "
                               "after the previous one", (int)len, s, text);
        if (k < cap) {
            out[k].from = (int)a;
            out[k].to = (int)b;
        }
        k++;
        if (comma == NULL) break;
        s = comma + 1;
    }
    *n = k;
    return PN_OK;
}
