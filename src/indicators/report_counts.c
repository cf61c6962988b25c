/* report_counts.c - the counts the survival report publishes, at their finest cells (report.h):
 * for every one of the seven sites (whatever site the report shows, so that disclosure control
 * protects one cube whatever the --site and --by of the query), every period of the report,
 * sex and region of residence, the patients of each measure and their deaths at each horizon,
 * by the rules of the report's cells (report.c). publish/ protects them as a cube. */
#include "pronostic/report.h"
#include "pronostic/alloc.h"
#include "pronostic/site.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

void pn_report_counts_free(pn_report_counts *c)
{
    if (c == NULL) return;
    pn_free(c->leaves);
    pn_free(c);
}

/* The leaf of (site, period, sex, region), added when new; where[] maps the dense key of
 * the four to a leaf's position + 1 (0: none yet). */
static pn_report_leaf *leaf_of(pn_report_counts *out, size_t *cap, size_t *where, size_t np,
                               int site, int period, int sex, int region)
{
    size_t key = (((size_t)(site - PN_SITE_PANCREAS) * np + (size_t)period) * 2 +
                  (size_t)(sex - 1)) * 128 + (size_t)region;
    if (where[key]) return &out->leaves[where[key] - 1];
    if (pn_grow((void **)&out->leaves, cap, out->n + 1, sizeof *out->leaves) != PN_OK) return NULL;
    pn_report_leaf *l = &out->leaves[out->n++];
    memset(l, 0, sizeof *l);
    l->site = site;
    l->period = period;
    l->sex = sex;
    l->region = region;
    where[key] = out->n;
    return l;
}

int pn_report_counts_compute(pn_store *store, const pn_report_opts *opts, const pn_report *r,
                             pn_report_counts **out, pn_diag *diag)
{
    *out = NULL;
    pn_report_counts *res = pn_calloc(1, sizeof *res);
    if (res == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    size_t cap = 0, np = r->nperiods ? r->nperiods : 1;
    int rc = PN_OK;
    size_t *where = pn_calloc((size_t)PN_SITE_COUNT * np * 2 * 128, sizeof *where);
    if (where == NULL) {
        pn_free(res);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    pn_cohort *c = NULL;
    pn_cohort_filter f = opts->filter;
    f.closing = r->closing;
    for (int site = PN_SITE_PANCREAS; site < PN_SITE_COUNT; site++) {
        f.site = site;
        if ((rc = pn_cohort_select(store, &f, &c, diag)) != PN_OK) goto fail;
        size_t idx[1];
        for (size_t i = 0; i < c->n; i++) {
            int y = (int)floor(c->diag_year[i]), p = -1;
            for (size_t k = 0; k < r->nperiods; k++)
                if (y >= r->periods[k].from && y <= r->periods[k].to) p = (int)k;
            if (p < 0) continue;
            int region = c->region[i] > 0 && c->region[i] < 128 ? c->region[i] : 0;
            pn_report_leaf *l = leaf_of(res, &cap, where, np, site, p, c->sex[i] == 2 ? 2 : 1, region);
            if (l == NULL) {
                rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
                goto fail;
            }
            /* the rows of each measure: observed all; net: follow-up > 0; net_std: and 15+ */
            int in[3] = {1, c->time[i] > 0, c->time[i] > 0 && c->age_years[i] >= 15};
            long long ev[PN__REPORT_NH];
            idx[0] = i;
            pn__report_count_events(c, idx, 1, ev);
            for (int m = 0; m < 3; m++) {
                if (!in[m]) continue;
                l->n[m]++;
                for (int h = 0; h < PN__REPORT_NH; h++) l->events[m][h] += ev[h];
            }
        }
        pn_cohort_free(c);
        c = NULL;
    }
    pn_free(where);
    *out = res;
    return PN_OK;
fail:
    pn_free(where);
    pn_cohort_free(c);
    pn_report_counts_free(res);
    return rc;
}
