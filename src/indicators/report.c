/* report.c - the survival report engine: selects each site's cohort from the store, splits it
 * by period of diagnosis (and sex or region), fills the observed, net and age-standardised net
 * survival cells at 1 and 5 years, then fits the trend of 5-year standardised net survival and
 * its 2030 projection (docs/methods.md, "Report"). No printing: the rows go to the caller. */
#include "pronostic/report.h"
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/date.h"
#include "pronostic/periodtrend.h"
#include "pronostic/site.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

const double pn__report_horizons[PN__REPORT_NH] = {1, 5};

const char *pn_report_measure_name(int measure)
{
    static const char *const names[PN_REPORT_MEASURE_COUNT] = {
        "observed", "net", "net_std", "trend_per_year", "trend_p", "projection_2030"};
    return measure >= 0 && measure < PN_REPORT_MEASURE_COUNT ? names[measure] : "unknown";
}

void pn_report_free(pn_report *r)
{
    if (r == NULL) return;
    pn_free(r->rows);
    pn_free(r->periods);
    pn_free(r);
}

/* ---- building ------------------------------------------------------------------------- */

typedef struct builder {
    pn_report *r;
    size_t cap;
    const pn_report_opts *o;
    double z;
    /* scratch, sized for the largest cohort */
    size_t *rows_obs, *rows_net, *rows_std;
} builder;

static int add_row(builder *b, const pn_report_row *row)
{
    if (pn_grow((void **)&b->r->rows, &b->cap, b->r->n + 1, sizeof *b->r->rows) != PN_OK)
        return PN_ENOMEM;
    b->r->rows[b->r->n++] = *row;
    return PN_OK;
}

void pn__report_count_events(const pn_cohort *c, const size_t *rows, size_t n, long long *ev)
{
    for (int h = 0; h < PN__REPORT_NH; h++) ev[h] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        if (!c->event[r]) continue;
        for (int h = 0; h < PN__REPORT_NH; h++)
            if (c->time[r] <= pn__report_horizons[h] * PN_DAYS_PER_YEAR) ev[h]++;
    }
}

/* A stratum: everyone (sex 0, region 0), one sex, or one region. */
typedef struct stratum {
    int sex, region;
} stratum;

static int in_stratum(const pn_cohort *c, size_t i, const stratum *s)
{
    return (s->sex == 0 || c->sex[i] == s->sex) && (s->region == 0 || c->region[i] == s->region);
}

/* The cells of one site and stratum over every period, then its trend rows. */
static int fill_stratum(builder *b, int site, const pn_cohort *c, const pn__report_netdata *nd,
                        const stratum *st, pn_diag *diag)
{
    const pn_report_opts *o = b->o;
    pn_report *r = b->r;
    size_t np = r->nperiods;
    double at[PN__REPORT_NH];
    for (int h = 0; h < PN__REPORT_NH; h++) at[h] = pn__report_horizons[h] * PN_DAYS_PER_YEAR;
    double *tx = pn_malloc(3 * (np ? np : 1) * sizeof *tx);
    long long *tn = pn_calloc(2 * (np ? np : 1), sizeof *tn);
    int rc = PN_ENOMEM;
    if (tx == NULL || tn == NULL) goto done;
    double *ty = tx + np, *tse = tx + 2 * np;
    for (size_t p = 0; p < np; p++) {
        const pn_period *per = &r->periods[p];
        size_t nobs = 0, nnet = 0, nstd = 0;
        for (size_t i = 0; i < c->n; i++) {
            int y = (int)floor(c->diag_year[i]);
            if (y < per->from || y > per->to || !in_stratum(c, i, st)) continue;
            b->rows_obs[nobs++] = i;
            if (!(c->time[i] > 0)) continue;
            b->rows_net[nnet++] = i;
            if (c->age_years[i] >= 15) b->rows_std[nstd++] = i;
        }
        double est[3][PN__REPORT_NH], lo[3][PN__REPORT_NH], hi[3][PN__REPORT_NH], se[PN__REPORT_NH];
        long long ev[3][PN__REPORT_NH];
        size_t nm[3] = {nobs, nnet, nstd};
        if ((rc = pn__report_observed(c, b->rows_obs, nobs, at, PN__REPORT_NH, o->conf, est[0], lo[0],
                                      hi[0])) != PN_OK)
            goto done;
        if ((rc = pn__report_net(nd, b->rows_net, nnet, o->rt, o->scheme, 0, at, PN__REPORT_NH, o->conf,
                                 est[1], se, lo[1], hi[1], &r->rate_flags)) != PN_OK)
            goto done;
        if ((rc = pn__report_net(nd, b->rows_std, nstd, o->rt, o->scheme, pn_site_icss(site), at,
                                 PN__REPORT_NH, o->conf, est[2], se, lo[2], hi[2], &r->rate_flags)) != PN_OK)
            goto done;
        pn__report_count_events(c, b->rows_obs, nobs, ev[0]);
        pn__report_count_events(c, b->rows_net, nnet, ev[1]);
        pn__report_count_events(c, b->rows_std, nstd, ev[2]);
        for (int h = 0; h < PN__REPORT_NH; h++) {
            int ok = pn_report_horizon_ok(per, pn__report_horizons[h], r->closing);
            for (int m = 0; m < 3; m++) {
                pn_report_row row = {.site = site, .period_from = per->from, .period_to = per->to,
                                     .sex = st->sex, .region = st->region, .measure = m,
                                     .horizon_years = pn__report_horizons[h], .n = (long long)nm[m],
                                     .events = ev[m][h], .estimate = NAN, .lower = NAN,
                                     .upper = NAN};
                if (ok) {
                    row.estimate = est[m][h];
                    row.lower = lo[m][h];
                    row.upper = hi[m][h];
                }
                if ((rc = add_row(b, &row)) != PN_OK) goto done;
            }
        }
        /* the trend's inputs: 5-year standardised net survival (se from the last call) */
        int ok5 = pn_report_horizon_ok(per, pn__report_horizons[PN__REPORT_NH - 1], r->closing);
        ty[p] = ok5 ? est[2][PN__REPORT_NH - 1] : NAN;
        tse[p] = ok5 ? se[PN__REPORT_NH - 1] : NAN;
        tn[2 * p] = (long long)nstd;
        tn[2 * p + 1] = ev[2][PN__REPORT_NH - 1];
    }
    pn_trend_summary tr;
    pn_trend_summarise(r->periods, ty, tse, np, PN_REPORT_TARGET_YEAR, b->z, &tr);
    long long n_used = 0, ev_used = 0;
    for (size_t p = 0; p < np; p++)
        if (isfinite(ty[p]) && tse[p] > 0 && isfinite(tse[p])) {
            n_used += tn[2 * p];
            ev_used += tn[2 * p + 1];
        }
    for (int m = PN_REPORT_TREND_PER_YEAR; m <= PN_REPORT_PROJECTION; m++) {
        pn_report_row row = {.site = site, .sex = st->sex, .region = st->region, .measure = m,
                             .horizon_years = pn__report_horizons[PN__REPORT_NH - 1], .n = n_used, .events = ev_used,
                             .estimate = NAN, .lower = NAN, .upper = NAN};
        if (tr.ok && m == PN_REPORT_TREND_PER_YEAR) {
            row.estimate = tr.fit.slope;
            row.lower = tr.slope_lower;
            row.upper = tr.slope_upper;
        } else if (tr.ok && m == PN_REPORT_TREND_P) {
            row.estimate = tr.fit.slope_p;
        } else if (tr.ok) {
            row.estimate = tr.projection;
            row.lower = tr.projection_lower;
            row.upper = tr.projection_upper;
        }
        if ((rc = add_row(b, &row)) != PN_OK) goto done;
    }
    rc = PN_OK;
done:
    if (rc == PN_ENOMEM) pn_diag_set(diag, rc, "out of memory");
    else if (rc != PN_OK)
        pn_diag_set(diag, rc, "%s: net survival estimation failed: %s", pn_site_name(site),
                    pn_strerror(rc));
    pn_free(tn);
    pn_free(tx);
    return rc;
}

/* The strata of a site: everyone, then each sex or each region present. */
static size_t site_strata(const pn_cohort *c, int by, stratum *out)
{
    size_t n = 0;
    out[n++] = (stratum){0, 0};
    if (by == PN_REPORT_BY_SEX) {
        int seen[3] = {0, 0, 0};
        for (size_t i = 0; i < c->n; i++) seen[c->sex[i] == 2 ? 2 : 1] = 1;
        for (int s = 1; s <= 2; s++)
            if (seen[s]) out[n++] = (stratum){s, 0};
    } else if (by == PN_REPORT_BY_REGION) {
        unsigned char seen[128] = {0};
        for (size_t i = 0; i < c->n; i++)
            if (c->region[i] > 0 && c->region[i] < 128) seen[c->region[i]] = 1;
        for (int g = 1; g < 128; g++)
            if (seen[g]) out[n++] = (stratum){0, g};
    }
    return n;
}

static int check_opts(const pn_report_opts *o, pn_diag *diag)
{
    if (o->rt == NULL) return pn_diag_set(diag, PN_EINVAL, "no life table");
    if (!(o->conf > 0 && o->conf < 1))
        return pn_diag_set(diag, PN_EINVAL, "confidence level %g is not between 0 and 1", o->conf);
    if (o->by < PN_REPORT_BY_PERIOD || o->by > PN_REPORT_BY_REGION)
        return pn_diag_set(diag, PN_EINVAL, "unknown split %d", o->by);
    for (size_t p = 0; o->periods && p < o->nperiods; p++)
        if (o->periods[p].from > o->periods[p].to ||
            (p > 0 && o->periods[p].from <= o->periods[p - 1].to))
            return pn_diag_set(diag, PN_EINVAL, "periods must be increasing and disjoint");
    if (o->periods && o->nperiods == 0) return pn_diag_set(diag, PN_EINVAL, "no period");
    return PN_OK;
}

int pn_report_compute(pn_store *store, const pn_report_opts *o, pn_report **out, pn_diag *diag)
{
    *out = NULL;
    int rc = check_opts(o, diag);
    if (rc != PN_OK) return rc;
    pn_cohort *coh[PN_SITE_COUNT] = {0};
    int sites[PN_SITE_COUNT];
    size_t nsites = 0, nmax = 0, total = 0;
    builder b = {0};
    pn__report_netdata nd = {0};
    pn_report *r = pn_calloc(1, sizeof *r);
    if (r == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    if (o->filter.site != PN_SITE_OTHER) sites[nsites++] = o->filter.site;
    else
        for (int s = PN_SITE_PANCREAS; s < PN_SITE_COUNT; s++) sites[nsites++] = s;
    /* the cohorts, all with the same closing date */
    pn_cohort_filter f = o->filter;
    for (size_t k = 0; k < nsites; k++) {
        f.site = sites[k];
        if ((rc = pn_cohort_select(store, &f, &coh[k], diag)) != PN_OK) goto fail;
        f.closing = coh[k]->closing;
        r->n_after_closing += coh[k]->n_after_closing;
        r->n_conflicts += coh[k]->n_conflicts;
        if (coh[k]->n > nmax) nmax = coh[k]->n;
        total += coh[k]->n;
    }
    r->closing = f.closing;
    if (total == 0) {
        int narrowed = f.year_from || f.year_to || f.sex || f.departement[0] || f.region ||
                       f.age_min > 0 || f.age_max < 1e9;
        rc = pn_diag_set(diag, PN_EEMPTY, "no tumour of the selected site%s %s", nsites > 1 ? "s" : "",
                         narrowed ? "matches the filters (--from/--to, --sex, territory) among "
                                    "those diagnosed before the closing date"
                                  : "in the store (diagnosed before the closing date)");
        goto fail;
    }
    /* the periods */
    if (o->periods) {
        r->nperiods = o->nperiods;
        r->periods = pn_malloc(o->nperiods * sizeof *r->periods);
        if (r->periods == NULL) goto nomem;
        memcpy(r->periods, o->periods, o->nperiods * sizeof *r->periods);
    } else {
        int first = 99999, last, d;
        for (size_t k = 0; k < nsites; k++)
            for (size_t i = 0; i < coh[k]->n; i++)
                if ((int)floor(coh[k]->diag_year[i]) < first) first = (int)floor(coh[k]->diag_year[i]);
        pn_civil_from_days(r->closing, &last, &d, &d);
        if (o->filter.year_from && o->filter.year_from < first) first = o->filter.year_from;
        if (o->filter.year_to && o->filter.year_to < last) last = o->filter.year_to;
        r->nperiods = pn_periods_default(first, last, NULL, 0);
        r->periods = pn_malloc((r->nperiods ? r->nperiods : 1) * sizeof *r->periods);
        if (r->periods == NULL) goto nomem;
        pn_periods_default(first, last, r->periods, r->nperiods);
    }
    b.r = r;
    b.o = o;
    b.z = pn_conf_z(o->conf);
    b.rows_obs = pn_malloc((nmax ? nmax : 1) * sizeof *b.rows_obs);
    b.rows_net = pn_malloc((nmax ? nmax : 1) * sizeof *b.rows_net);
    b.rows_std = pn_malloc((nmax ? nmax : 1) * sizeof *b.rows_std);
    if (!b.rows_obs || !b.rows_net || !b.rows_std) goto nomem;
    /* follow-up beyond the last horizon does not change the estimates: cut it there */
    double tmax = floor(pn__report_horizons[PN__REPORT_NH - 1] * PN_DAYS_PER_YEAR) + 2;
    stratum st[2 + 128];
    for (size_t k = 0; k < nsites; k++) {
        const pn_cohort *c = coh[k];
        for (size_t i = 0; i < c->n; i++) {
            if (!(c->time[i] > 0)) r->n_zero_time++;
            else if (c->age_years[i] < 15) r->n_under15++;
        }
        if ((rc = pn__report_netdata_init(&nd, c, tmax)) != PN_OK) goto nomem;
        size_t ns = site_strata(c, o->by, st);
        for (size_t s = 0; s < ns; s++)
            if ((rc = fill_stratum(&b, sites[k], c, &nd, &st[s], diag)) != PN_OK) goto fail;
        pn__report_netdata_free(&nd);
    }
    pn_free(b.rows_std);
    pn_free(b.rows_net);
    pn_free(b.rows_obs);
    for (size_t k = 0; k < nsites; k++) pn_cohort_free(coh[k]);
    *out = r;
    return PN_OK;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
    pn__report_netdata_free(&nd);
    pn_free(b.rows_std);
    pn_free(b.rows_net);
    pn_free(b.rows_obs);
    for (size_t k = 0; k < nsites; k++) pn_cohort_free(coh[k]);
    pn_report_free(r);
    return rc;
}
