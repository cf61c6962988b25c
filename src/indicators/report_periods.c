/* report_periods.c - the rule that says whether a period's patients were followed long enough
 * for a horizon (docs/methods.md, "Report"); the periods themselves are period.h's. */
#include "pronostic/report.h"
#include "pronostic/date.h"

#include <string.h>

int pn_report_horizon_ok(const pn_period *period, double horizon_years, int32_t closing)
{
    double start = pn_days_from_civil(period->from, 1, 1);
    double mid = start + (period->to - period->from + 1) / 2.0 * PN_DAYS_PER_YEAR;
    return mid + horizon_years * PN_DAYS_PER_YEAR <= (double)closing;
}
