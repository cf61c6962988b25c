/* report_lookup.c - reading a computed report (report.h): the cell of a measure for a row's
 * site, group and period, the estimates a trend used, and the trend's verdict against the
 * programme's 33% line. Callers find rows by what they are, never by their position. */
#include "pronostic/report.h"

#include <math.h>

/* 1 when two rows are of the same site and group (sex, region). */
static int same_group(const pn_report_row *a, const pn_report_row *b)
{
    return a->site == b->site && a->sex == b->sex && a->region == b->region;
}

const pn_report_row *pn_report_cell(const pn_report *r, const pn_report_row *ref, int measure,
                                    double horizon_years)
{
    for (size_t i = 0; i < r->n; i++) {
        const pn_report_row *q = &r->rows[i];
        if (same_group(q, ref) && q->period_from == ref->period_from &&
            q->period_to == ref->period_to && q->measure == measure &&
            (q->period_from == 0 || q->horizon_years == horizon_years))
            return q;
    }
    return NULL;
}

size_t pn_report_trend_periods(const pn_report *r, const pn_report_row *trend)
{
    size_t used = 0;
    for (size_t i = 0; i < r->n; i++) {
        const pn_report_row *q = &r->rows[i];
        if (same_group(q, trend) && q->period_from != 0 && q->measure == PN_REPORT_NET_STD &&
            q->horizon_years == 5 && isfinite(q->estimate))
            used++;
    }
    return used;
}

int pn_report_verdict(const pn_report_row *projection)
{
    if (!isfinite(projection->estimate)) return PN_REPORT_UNDECIDED;
    if (projection->lower >= PN_REPORT_THRESHOLD) return PN_REPORT_ABOVE;
    if (projection->upper < PN_REPORT_THRESHOLD) return PN_REPORT_BELOW;
    return PN_REPORT_UNDECIDED;
}

const char *pn_report_verdict_name(int verdict)
{
    return verdict == PN_REPORT_ABOVE ? "above" : verdict == PN_REPORT_BELOW ? "below" : "undecided";
}
