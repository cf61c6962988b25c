/* api_map.c - GET /api/v1/map and /api/v1/map.svg: one figure per area of France, for the
 * dashboard's map. Survival (observed or standardised net, at 1 or 5 years) by region of
 * residence, from the report split by region for a site and a period, with the report's
 * protection; a care-pathway indicator by region or département, from the protected cube.
 * Survival by département is not offered: its cells are too small to publish. The SVG is the
 * choropleth of publish/svg over the bundled outlines (data/geo; metropolitan départements). */
#include "server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/departement.h"
#include "pronostic/netsurv.h"
#include "pronostic/pathway.h"
#include "pronostic/period.h"
#include "pronostic/pwpublish.h"
#include "pronostic/report.h"
#include "pronostic/report_disclose.h"
#include "pronostic/site.h"
#include "pronostic/svg.h"
#include "pronostic/writer.h"

#include <math.h>
#include <string.h>

typedef struct area {
    char code[8];
    char name[96];
    double estimate, lower, upper;
    long long n;                /* -1: masked */
    int suppressed;             /* PN_DCELL_* */
} area;

typedef struct mapdata {
    int departements;           /* level */
    int percent;                /* the figure is a proportion */
    char measure[64], site[16], period[16];
    size_t n;
    area a[PN_DEPARTEMENT_INDEXES];
} mapdata;

static const char *const allowed[] = {"measure", "site", "level", "period", "min_cell", "format"};

static void dep_name(const pn__srv *srv, const char *code, char *out, size_t len)
{
    char c[8];
    snprintf(c, sizeof c, "%s", code);
    code = c;
    snprintf(out, len, "%s", c);
    for (size_t i = 0; srv->geo && i < pn_svg_geo_count(srv->geo); i++)
        if (strcmp(pn_svg_geo_code(srv->geo, i), code) == 0)
            snprintf(out, len, "%s", pn_svg_geo_name(srv->geo, i));
}

/* Survival by region from the report. */
static int survival(pn__req *req, pn__resp *resp, mapdata *m, int measure, double horizon,
                    long long k)
{
    pn_report_opts o = {.conf = 0.95, .rt = req->srv->rt, .scheme = PN_NETSURV_RELSURV,
                        .by = PN_REPORT_BY_REGION};
    pn_cohort_filter_init(&o.filter);
    if (pn_site_parse(m->site, &o.filter.site) != PN_OK)
        return pn__error(resp, 400, "site", "parameter 'site': survival maps need one of "
                         "pancreas, oesophagus, liver, lung, cns, ovary, aml");
    pn_diag diag = {0};
    pn_store *store = NULL;
    pn_report *rep = NULL;
    pn_report_masks *masks = NULL;
    int rc = pn_store_open_readonly(&store, req->srv->db, &diag);
    if (rc == PN_OK) rc = pn_report_published(store, &o, k, &rep, &masks, &diag);
    pn_store_close(store);
    if (rc != PN_OK) goto done;
    /* the period: the one asked for, else the latest whose figure for all regions exists */
    if (m->period[0] == '\0') {
        for (size_t i = 0; i < rep->n; i++) {
            const pn_report_row *r = &rep->rows[i];
            if (r->region == 0 && r->period_from && r->measure == measure &&
                r->horizon_years == horizon && isfinite(r->estimate)) {
                pn_period p = {r->period_from, r->period_to};
                pn_period_format(&p, m->period, sizeof m->period);
            }
        }
    }
    for (size_t i = 0; i < rep->n; i++) {
        const pn_report_row *r = &rep->rows[i];
        if (r->region == 0 || !r->period_from || r->measure != measure || r->horizon_years != horizon)
            continue;
        char per[16];
        pn_period p = {r->period_from, r->period_to};
        pn_period_format(&p, per, sizeof per);
        if (strcmp(per, m->period) != 0) continue;
        area *a = &m->a[m->n++];
        snprintf(a->code, sizeof a->code, "%02d", r->region);
        snprintf(a->name, sizeof a->name, "%s", pn_region_name(r->region));
        int sx = pn_report_row_status(masks, rep, r, 2), sn = pn_report_row_status(masks, rep, r, 0);
        a->estimate = sx ? NAN : r->estimate;
        a->lower = sx ? NAN : r->lower;
        a->upper = sx ? NAN : r->upper;
        a->n = sn ? -1 : r->n;
        a->suppressed = sx ? sx : sn;
    }
    if (m->n == 0 && m->period[0])
        rc = pn_diag_set(&diag, PN_EEMPTY, "no figure for period %s", m->period);
done:
    pn_report_masks_free(masks);
    pn_report_free(rep);
    if (rc == PN_EEMPTY && m->period[0] == '\0') return 1;   /* nothing estimable: no area */
    return rc == PN_OK ? 1 : pn__fail(resp, rc, &diag);
}

/* A pathway indicator by region or département from the protected cube. */
static int pathway(pn__req *req, pn__resp *resp, mapdata *m, int indicator, long long k)
{
    pn_pw_query q = {.indicator = indicator, .http = 1, .by = m->departements ? PN_PW_BY_DEPARTEMENT
                                                                    : PN_PW_BY_REGION};
    if (m->site[0] && strcmp(m->site, "all") != 0 && pn_site_parse(m->site, &q.site) != PN_OK)
        return pn__error(resp, 400, "site", "parameter 'site': '%.16s' is not one of pancreas, "
                         "oesophagus, liver, lung, cns, ovary, aml", m->site);
    if (m->period[0]) return pn__error(resp, 400, "period", "parameter 'period' is for survival maps");
    pn_diag diag = {0};
    pn__genobj *st = NULL;
    pn_pw_protected *own = NULL;
    pn_pw_row *rows = NULL;
    size_t nrows = 0;
    int rc = pn__gen_acquire(&req->srv->pathway, req->srv, &st, &req->stale, &diag);
    if (rc != PN_OK) return pn__fail(resp, rc, &diag);
    const pn_pathway_set *set;
    const pn_pw_cube *cube;
    const pn_pathway_conf *conf;
    const pn_pw_protected *prot;
    pn__pathway_parts(st, &set, &cube, &conf, &prot);
    rc = pn_pw_rows(set, cube, conf, &q, &rows, &nrows, &diag);
    if (rc == PN_OK && k != req->srv->min_cell) {
        rc = pn_pw_protect(cube, k, 1u << indicator, 1, &own, &diag);
        prot = own;
    }
    m->percent = pn_pw_kind(indicator) != PN_PW_DELAY;
    for (size_t i = 0; rc == PN_OK && i < nrows && m->n < PN_DEPARTEMENT_INDEXES; i++) {
        const pn_pw_row *r = &rows[i];
        const char *eq = strchr(r->group, '=');
        if (r->site != q.site || eq == NULL || strcmp(eq + 1, "unknown") == 0) continue;
        area *a = &m->a[m->n];
        if (m->departements) {
            snprintf(a->code, sizeof a->code, "%s", eq + 1);
            dep_name(req->srv, a->code, a->name, sizeof a->name);
        } else {
            int reg;
            if (pn_region_parse(eq + 1, &reg) != PN_OK) continue;
            snprintf(a->code, sizeof a->code, "%02d", reg);
            snprintf(a->name, sizeof a->name, "%s", pn_region_name(reg));
        }
        pn_pw_mask mk = {0};
        pn_pw_mask_row(prot, r, &mk);
        a->estimate = mk.estimate ? NAN : r->estimate;
        a->lower = mk.estimate ? NAN : r->lower;
        a->upper = mk.estimate ? NAN : r->upper;
        a->n = mk.denominator ? -1 : r->denominator;
        a->suppressed = mk.suppressed;
        m->n++;
    }
    pn_free(rows);
    pn_pw_protected_free(own);
    pn__gen_release(st);
    return rc == PN_OK ? 1 : pn__fail(resp, rc, &diag);
}

/* The areas of the request into *m: 1, or 0 after an error response. */
static int map_of(pn__req *req, pn__resp *resp, mapdata *m, long long *k)
{
    if (!pn__params_only(req, resp, allowed, sizeof allowed / sizeof *allowed)) return 0;
    memset(m, 0, sizeof *m);
    const char *measure = pn__param(req, "measure"), *v;
    if (measure == NULL) return pn__error(resp, 400, "measure", "parameter 'measure' is required");
    snprintf(m->measure, sizeof m->measure, "%s", measure);
    if ((v = pn__param(req, "site"))) snprintf(m->site, sizeof m->site, "%.15s", v);
    if ((v = pn__param(req, "level")) && strcmp(v, "departement") == 0) m->departements = 1;
    else if (v && strcmp(v, "region") != 0)
        return pn__error(resp, 400, "level", "parameter 'level': '%.64s' is not region or "
                         "departement", v);
    if ((v = pn__param(req, "period"))) {
        pn_period p;
        size_t np;
        pn_diag d = {0};
        if (pn_periods_parse(v, "parameter 'period'", &p, 1, &np, &d) != PN_OK || np != 1)
            return pn__error(resp, 400, "period", "parameter 'period': '%.64s' is not one "
                             "period Y1-Y2", v);
        pn_period_format(&p, m->period, sizeof m->period);
    }
    long kk = (long)req->srv->min_cell;
    if (pn__param_long(req, resp, "min_cell", req->srv->min_cell, 1000000, &kk) != PN_OK) return 0;
    *k = kk;
    static const struct { const char *name; int measure; double horizon; } surv[] = {
        {"observed_1y", PN_REPORT_OBSERVED, 1}, {"observed_5y", PN_REPORT_OBSERVED, 5},
        {"net_std_1y", PN_REPORT_NET_STD, 1},   {"net_std_5y", PN_REPORT_NET_STD, 5},
    };
    for (size_t i = 0; i < sizeof surv / sizeof *surv; i++) {
        if (strcmp(measure, surv[i].name) != 0) continue;
        if (m->departements)
            return pn__error(resp, 400, "level", "survival maps are by region: by département "
                             "the cells are too small to publish");
        m->percent = 1;
        return survival(req, resp, m, surv[i].measure, surv[i].horizon, kk);
    }
    int ind;
    if (strncmp(measure, "pathway:", 8) == 0 && (ind = pn_pw_parse(measure + 8)) >= 0)
        return pathway(req, resp, m, ind, kk);
    return pn__error(resp, 400, "measure", "parameter 'measure': '%.64s' is not observed_1y, "
                     "observed_5y, net_std_1y, net_std_5y or pathway:INDICATOR", measure);
}

/* The areas of the request (the caller's, pn_free), or NULL after an error response. */
static mapdata *map_get(pn__req *req, pn__resp *resp, long long *k)
{
    mapdata *m = pn_malloc(sizeof *m);
    if (m == NULL) {
        pn__error(resp, 503, NULL, "out of memory");
        return NULL;
    }
    if (!map_of(req, resp, m, k)) {
        pn_free(m);
        return NULL;
    }
    return m;
}

int pn__api_map(pn__req *req, pn__resp *resp)
{
    int csv = pn__param_format(req, resp);
    if (csv < 0) return 0;
    long long k;
    mapdata *m = map_get(req, resp, &k);
    if (m == NULL) return 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        pn_free(m);
        return pn__error(resp, 503, NULL, "out of memory");
    }
    if (csv) {
        static const char *const cols[] = {"code", "name", "estimate", "lower", "upper", "n",
                                           "suppressed"};
        pn_writer *w = NULL;
        if (pn_writer_open(&w, f, PN_FORMAT_CSV, cols, 7) == PN_OK) {
            for (size_t i = 0; i < m->n; i++) {
                const area *a = &m->a[i];
                pn_writer_str(w, a->code);
                pn_writer_str(w, a->name);
                pn_writer_num(w, a->estimate);
                pn_writer_num(w, a->lower);
                pn_writer_num(w, a->upper);
                if (a->n < 0) pn_writer_missing(w);
                else pn_writer_int(w, a->n);
                pn_writer_str(w, pn_disclosure_status_name(a->suppressed));
                pn_writer_end_row(w);
            }
            pn_writer_close(w);
        }
    } else {
        fprintf(f, "{\"level\": \"%s\", \"measure\": ", m->departements ? "departement" : "region");
        pn_json_string(f, m->measure);
        fputs(", \"site\": ", f);
        pn_json_string(f, m->site[0] ? m->site : "all");
        fputs(", \"period\": ", f);
        if (m->period[0]) pn_json_string(f, m->period);
        else fputs("null", f);
        fprintf(f, ", \"min_cell\": %lld, \"areas\": [", k);
        for (size_t i = 0; i < m->n; i++) {
            const area *a = &m->a[i];
            fprintf(f, "%s{\"code\": \"%s\", \"name\": ", i ? ",\n" : "\n", a->code);
            pn_json_string(f, a->name);
            fputs(", \"estimate\": ", f);
            pn__json_num(f, a->estimate);
            fputs(", \"lower\": ", f);
            pn__json_num(f, a->lower);
            fputs(", \"upper\": ", f);
            pn__json_num(f, a->upper);
            if (a->n < 0) fputs(", \"n\": null", f);
            else fprintf(f, ", \"n\": %lld", a->n);
            fprintf(f, ", \"suppressed\": \"%s\"}", pn_disclosure_status_name(a->suppressed));
        }
        fputs("]}\n", f);
    }
    pn_free(m);
    if (fclose(f) != 0) {
        pn_free(buf);
        return pn__error(resp, 503, NULL, "out of memory");
    }
    pn__resp_table(resp, csv, buf, len, "carte.csv", 1);
    return 0;
}

int pn__api_map_svg(pn__req *req, pn__resp *resp)
{
    if (req->srv->geo == NULL) return pn__error(resp, 404, NULL, "the server has no map outlines");
    long long k;
    mapdata *m = map_get(req, resp, &k);
    if (m == NULL) return 0;
    /* a value per département of the outlines: its own, or its region's */
    size_t ng = pn_svg_geo_count(req->srv->geo);
    const char **codes = pn_calloc(ng ? ng : 1, sizeof *codes);
    double *values = pn_calloc(ng ? ng : 1, sizeof *values);
    int rc = codes && values ? PN_OK : PN_ENOMEM;
    for (size_t i = 0; rc == PN_OK && i < ng; i++) {
        const char *code = pn_svg_geo_code(req->srv->geo, i);
        char reg[8];
        snprintf(reg, sizeof reg, "%02d", pn_region_of_departement(code));
        codes[i] = code;
        values[i] = NAN;
        for (size_t j = 0; j < m->n; j++)
            if (strcmp(m->a[j].code, m->departements ? code : reg) == 0) values[i] = m->a[j].estimate;
    }
    char title[160];
    snprintf(title, sizeof title, "%s%s%s, par %s", m->measure, m->site[0] ? " — " : "",
             m->site, m->departements ? "département" : "région");
    pn_svg_map_opts o = {.title = title, .legend = m->measure, .percent = m->percent};
    char *svg = NULL;
    size_t len = 0;
    pn_diag diag = {0};
    if (rc == PN_OK) rc = pn_svg_map(req->srv->geo, &o, codes, values, ng, &svg, &len, &diag);
    pn_free(codes);
    pn_free(values);
    pn_free(m);
    if (rc != PN_OK) return pn__fail(resp, rc, &diag);
    pn__resp_take(resp, 200, "image/svg+xml", svg, len);
    resp->cacheable = 1;
    return 0;
}
