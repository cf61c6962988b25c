/* period.c - periods of diagnosis (period.h): the period of a year, the default 5-year periods,
 * and the --periods list. */
#include "pronostic/period.h"
#include "pronostic/num.h"

#include <stdio.h>
#include <string.h>

pn_period pn_period_of_year(int year, int origin, int width)
{
    int k = year - origin;
    int from = year - (((k % width) + width) % width);
    pn_period p = {from, from + width - 1};
    return p;
}

void pn_period_format(const pn_period *period, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d-%d", period->from, period->to);
}

size_t pn_periods_default(int first_year, int last_year, pn_period *out, size_t cap)
{
    if (last_year < first_year) return 0;
    size_t n = (size_t)((last_year - first_year) / 5 + 1);
    for (size_t p = 0; p < n && p < cap; p++) {
        out[p] = pn_period_of_year(first_year + 5 * (int)p, first_year, 5);
        if (out[p].to > last_year) out[p].to = last_year;
    }
    return n;
}

int pn_periods_parse(const char *text, const char *what, pn_period *out, size_t cap, size_t *n,
                     pn_diag *diag)
{
    size_t k = 0;
    const char *s = text;
    if (*s == '\0') return pn_diag_set(diag, PN_EUSAGE, "%s: empty list", what);
    int64_t prev_to = 0;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        const char *dash = memchr(s, '-', len);
        int64_t a, b;
        if (dash == NULL || pn_parse_int64(s, (size_t)(dash - s), &a) != PN_OK ||
            pn_parse_int64(dash + 1, len - (size_t)(dash - s) - 1, &b) != PN_OK || a > b ||
            a < 1800 || b > 2200 || (k > 0 && a <= prev_to))
            return pn_diag_set(diag, PN_EUSAGE,
                               "%s: '%.*s' in '%s' is not a year range Y1-Y2 after the previous "
                               "one", what, (int)len, s, text);
        if (k < cap) {
            out[k].from = (int)a;
            out[k].to = (int)b;
        }
        prev_to = b;
        k++;
        if (comma == NULL) break;
        s = comma + 1;
    }
    *n = k;
    return PN_OK;
}
