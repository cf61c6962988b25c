/* api_surv.c - GET /api/v1/surv: Kaplan-Meier curves of a selection of the store by group,
 * with their 95% band (curves.h). Published on a monthly grid under disclosure control
 * (curvepub.h); with no_suppress (analysts, administrators; audited) at every distinct time,
 * as `pronostic surv --db` gives them. */
#include "server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/curvepub.h"
#include "pronostic/date.h"
#include "pronostic/disclosure.h"
#include "pronostic/site.h"
#include "pronostic/svg.h"
#include "pronostic/writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const allowed[] = {"site", "from", "to", "sex", "ages", "departement",
                                      "region", "closing", "by", "conf", "min_cell",
                                      "no_suppress", "format"};

/* The published grid: one point a month (a year of 365.241 days over 12). */
#define GRID_DAYS (365.241 / 12)

static void count(FILE *f, long long v, int status)
{
    if (status != PN_DCELL_PUBLISHED) fputs("null", f);
    else fprintf(f, "%lld", v);
}

static void json(FILE *f, const pn_curves *c, const char *site, long long k, int prot)
{
    char closing[11];
    pn_date_format(c->closing, closing);
    fputs("{\"site\": ", f);
    pn_json_string(f, site);
    fprintf(f, ", \"closing\": \"%s\", \"min_cell\": %lld, \"protected\": %s, "
            "\"time_unit\": \"days\", \"groups\": [", closing, k, prot ? "true" : "false");
    for (size_t g = 0; g < c->n; g++) {
        const pn_curve *cv = &c->curve[g];
        fputs(g ? ", {\"group\": " : "{\"group\": ", f);
        pn_json_string(f, cv->label);
        fputs(", \"n\": ", f);
        count(f, cv->n, cv->n_status);
        fputs(", \"events\": ", f);
        count(f, cv->events, cv->events_status);
        fputs(", \"points\": [", f);
        const char *const names[] = {"time", "n_risk", "n_event", "n_censor", "estimate",
                                     "lower", "upper"};
        const double *const cols[] = {cv->time, cv->n_risk, cv->n_event, cv->n_censor,
                                      cv->surv, cv->lower, cv->upper};
        for (size_t i = 0; i < cv->k; i++) {
            for (size_t j = 0; j < sizeof names / sizeof *names; j++) {
                fprintf(f, "%s\"%s\": ", j ? ", " : i ? ", {" : "{", names[j]);
                pn__json_num(f, cols[j][i]);
            }
            fprintf(f, ", \"suppressed\": \"%s\"}", pn_disclosure_status_name(cv->suppressed[i]));
        }
        fputs("]}", f);
    }
    fputs("]}\n", f);
}

static int csv(FILE *f, const pn_curves *c)
{
    static const char *const cols[] = {"group", "time", "n_risk", "n_event", "n_censor",
                                       "estimate", "lower", "upper", "suppressed"};
    pn_writer *w = NULL;
    int rc = pn_writer_open(&w, f, PN_FORMAT_CSV, cols, 9);
    if (rc != PN_OK) return rc;
    for (size_t g = 0; g < c->n; g++) {
        const pn_curve *cv = &c->curve[g];
        for (size_t i = 0; i < cv->k; i++) {
            pn_writer_str(w, cv->label);
            pn_writer_num(w, cv->time[i]);
            pn_writer_num(w, cv->n_risk[i]);
            pn_writer_num(w, cv->n_event[i]);
            pn_writer_num(w, cv->n_censor[i]);
            pn_writer_num(w, cv->surv[i]);
            pn_writer_num(w, cv->lower[i]);
            pn_writer_num(w, cv->upper[i]);
            pn_writer_str(w, pn_disclosure_status_name(cv->suppressed[i]));
            pn_writer_end_row(w);
        }
    }
    return pn_writer_close(w);
}

int pn__surv_curves(pn__req *req, pn__resp *resp, pn_curves **out, long long *k, int *prot)
{
    *out = NULL;
    if (!pn__params_only(req, resp, allowed, sizeof allowed / sizeof *allowed)) return 0;
    pn_cohort_filter filter;
    if (!pn__param_filter(req, resp, &filter, 1)) return 0;
    pn_curves_opts o = {.conf = 0.95, .grid = GRID_DAYS};
    const char *by = pn__param(req, "by");
    static const char *const bys[] = {"sex", "agegroup", "period", "year", "region",
                                      "departement"};
    if (by) {
        size_t i = 0;
        while (i < sizeof bys / sizeof *bys && strcmp(by, bys[i]) != 0) i++;
        if (i == sizeof bys / sizeof *bys)
            return pn__error(resp, 400, "by", "parameter 'by': '%.64s' is not sex, agegroup, "
                             "period, year, region or departement", by);
        if (strcmp(by, "departement") == 0 && req->who.role == PN__ROLE_PUBLIC)
            return pn__error(resp, 403, "by", "parameter 'by': curves by département need an "
                             "account (researcher or above)");
        o.by = by;
    }
    if (!pn__param_conf(req, resp, &o.conf)) return 0;
    int no_suppress;
    if (!pn__param_protection(req, resp, k, &no_suppress)) return 0;
    if (no_suppress) o.grid = 0;
    pn_diag diag = {0};
    pn_cohort *cohort = NULL;
    int rc;
    if (no_suppress && (rc = pn__audit(req, "no-suppress", -1, &diag)) != PN_OK)
        return pn__fail(resp, rc, &diag);
    if ((rc = pn__select(req, &filter, &cohort, &diag)) == PN_OK)
        rc = pn_curves_of(cohort, &o, out, &diag);
    pn_cohort_free(cohort);
    if (rc != PN_OK) return pn__fail(resp, rc, &diag);
    if (!no_suppress) pn_curves_protect(*out, *k);
    *prot = !no_suppress;
    return 1;
}

int pn__api_surv(pn__req *req, pn__resp *resp)
{
    int fmt = pn__param_format(req, resp);
    if (fmt < 0) return 0;
    pn_curves *c = NULL;
    long long k;
    int prot;
    if (!pn__surv_curves(req, resp, &c, &k, &prot)) return 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = PN_ENOMEM;
    if (f != NULL) {
        const char *site = pn__param(req, "site");
        if (fmt == 1) rc = csv(f, c);
        else {
            json(f, c, site ? site : "all", k, prot);
            rc = PN_OK;
        }
        if (fclose(f) != 0) rc = PN_ENOMEM;
    }
    pn_curves_free(c);
    if (rc != PN_OK) {
        pn_free(buf);
        return pn__error(resp, 503, NULL, "out of memory");
    }
    pn__resp_table(resp, fmt, buf, len, "courbes-survie.csv", prot);
    return 0;
}

int pn__api_surv_svg(pn__req *req, pn__resp *resp)
{
    if (pn__param(req, "format")) return pn__error(resp, 400, "format", "parameter 'format' "
                                                   "is not one of /api/v1/surv.svg's");
    pn_curves *c = NULL;
    long long k;
    int prot;
    if (!pn__surv_curves(req, resp, &c, &k, &prot)) return 0;
    pn_svg_series *s = pn_calloc(c->n ? c->n : 1, sizeof *s);
    if (s == NULL) {
        pn_curves_free(c);
        return pn__error(resp, 503, NULL, "out of memory");
    }
    for (size_t g = 0; g < c->n; g++)
        s[g] = (pn_svg_series){c->curve[g].label, c->curve[g].k, c->curve[g].time,
                               c->curve[g].surv, c->curve[g].lower, c->curve[g].upper};
    const char *site = pn__param(req, "site");
    char title[128];
    snprintf(title, sizeof title, "Survie observée (Kaplan-Meier) — %s", site ? site : "les sept localisations");
    pn_svg_curves_opts o = {.title = title, .x_label = "Années depuis le diagnostic",
                            .y_label = "Survie (%)", .time_scale = 365.241, .threshold = 0.33};
    char *svg = NULL;
    size_t len = 0;
    pn_diag diag = {0};
    int rc = pn_svg_curves(&o, s, c->n, &svg, &len, &diag);
    pn_free(s);
    pn_curves_free(c);
    if (rc != PN_OK) return pn__fail(resp, rc, &diag);
    pn__resp_take(resp, 200, "image/svg+xml", svg, len);
    resp->cacheable = prot;
    return 0;
}
