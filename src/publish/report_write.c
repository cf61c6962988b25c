/* report_write.c - the report's long form (docs/interfaces.md 1.4: one row per estimate, with
 * its masks) through a writer, for every entry point: `pronostic report --format csv|json` and
 * the server's /api/v1/report. */
#include "pronostic/departement.h"
#include "pronostic/period.h"
#include "pronostic/report_disclose.h"
#include "pronostic/site.h"
#include "pronostic/writer.h"

#include <math.h>

int pn_report_row_status(const pn_report_masks *m, const pn_report *r, const pn_report_row *row,
                      int which)
{
    if (m == NULL) return PN_DCELL_PUBLISHED;
    size_t i = (size_t)(row - r->rows);
    return which == 0 ? m->n_status[i] : which == 1 ? m->events_status[i] : m->estimate_status[i];
}

const char *pn_report_sex_name(int sex)
{
    return sex == 1 ? "male" : sex == 2 ? "female" : "all";
}

int pn_report_write_long(FILE *out, pn_format format, const pn_report *r,
                         const pn_report_masks *m, int with_region)
{
    static const char *const cols[] = {"site", "period", "sex", "measure", "horizon_years",
                                       "estimate", "lower", "upper", "n", "events", "region",
                                       "suppressed"};
    static const char *const cols_noregion[] = {"site", "period", "sex", "measure",
                                                "horizon_years", "estimate", "lower", "upper",
                                                "n", "events", "suppressed"};
    pn_writer *w = NULL;
    int rc = pn_writer_open(&w, out, format, with_region ? cols : cols_noregion,
                            with_region ? 12 : 11);
    if (rc != PN_OK) return rc;
    char period[32];
    for (size_t i = 0; i < r->n; i++) {
        const pn_report_row *row = &r->rows[i];
        pn_writer_str(w, pn_site_name(row->site));
        if (row->period_from) {
            pn_period per = {row->period_from, row->period_to};
            pn_period_format(&per, period, sizeof period);
            pn_writer_str(w, period);
        } else {
            pn_writer_missing(w);
        }
        pn_writer_str(w, pn_report_sex_name(row->sex));
        pn_writer_str(w, pn_report_measure_name(row->measure));
        pn_writer_num(w, row->horizon_years);
        int sn = pn_report_row_status(m, r, row, 0), se = pn_report_row_status(m, r, row, 1),
            sx = pn_report_row_status(m, r, row, 2);
        pn_writer_num(w, sx ? NAN : row->estimate);
        pn_writer_num(w, sx ? NAN : row->lower);
        pn_writer_num(w, sx ? NAN : row->upper);
        if (sn) pn_writer_missing(w);
        else pn_writer_int(w, row->n);
        if (se) pn_writer_missing(w);
        else pn_writer_int(w, row->events);
        if (with_region) pn_writer_str(w, row->region ? pn_region_name(row->region) : "all");
        /* the row's strongest reason: its counts', or its estimate's */
        int st = sn == PN_DCELL_PRIMARY || se == PN_DCELL_PRIMARY || sx == PN_DCELL_PRIMARY
                     ? PN_DCELL_PRIMARY
                 : sn || se || sx ? PN_DCELL_SECONDARY
                                  : PN_DCELL_PUBLISHED;
        pn_writer_str(w, pn_disclosure_status_name(st));
        pn_writer_end_row(w);
    }
    return pn_writer_close(w);
}
