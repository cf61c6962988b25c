/* api_report.c - GET /api/v1/report: the report of `pronostic report` (docs/interfaces.md 1.4)
 * with the same parameters (less the life table and the integration scheme: the server uses
 * the French table, relsurv's scheme) under disclosure control; no_suppress for analysts and
 * administrators, audited. */
#include "server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/netsurv.h"
#include "pronostic/report.h"
#include "pronostic/report_disclose.h"
#include "pronostic/writer.h"

#include <stdlib.h>
#include <string.h>

static const char *const allowed[] = {"site", "from", "to", "sex", "region", "departement",
                                      "by", "periods", "closing", "conf", "min_cell",
                                      "no_suppress", "format"};

/* The body: {"closing", "min_cell", "protected", "rows": [...]} or the CSV rows. */
static int body(FILE *f, int csv, const pn_report *rep, const pn_report_masks *m, long long k,
                int by_region)
{
    if (csv) return pn_report_write_long(f, PN_FORMAT_CSV, rep, m, by_region);
    char closing[11];
    pn_date_format(rep->closing, closing);
    fprintf(f, "{\"closing\": \"%s\", \"min_cell\": %lld, \"protected\": %s, \"rows\": ",
            closing, k, m ? "true" : "false");
    int rc = pn_report_write_long(f, PN_FORMAT_JSON, rep, m, by_region);
    fputs("}\n", f);
    return rc;
}

int pn__api_report(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, allowed, sizeof allowed / sizeof *allowed)) return 0;
    pn_report_opts o = {.conf = 0.95, .rt = req->srv->rt, .scheme = PN_NETSURV_RELSURV};
    if (!pn__param_filter(req, resp, &o.filter, 0)) return 0;
    const char *v = pn__param(req, "by");
    if (v == NULL || strcmp(v, "period") == 0) o.by = PN_REPORT_BY_PERIOD;
    else if (strcmp(v, "sex") == 0) o.by = PN_REPORT_BY_SEX;
    else if (strcmp(v, "region") == 0) o.by = PN_REPORT_BY_REGION;
    else return pn__error(resp, 400, "by", "parameter 'by': '%.64s' is not sex, region or period", v);
    long long k;
    int no_suppress, csv;
    if (!pn__param_protection(req, resp, &k, &no_suppress)) return 0;
    if ((csv = pn__param_format(req, resp)) < 0) return 0;
    if (!pn__param_conf(req, resp, &o.conf)) return 0;
    pn_period periods[64];
    if ((v = pn__param(req, "periods"))) {
        pn_diag d = {0};
        size_t np = 0;
        if (pn_periods_parse(v, "parameter 'periods'", periods, 64, &np, &d) != PN_OK)
            return pn__error(resp, 400, "periods", "%s", d.msg);
        o.periods = periods;
        o.nperiods = np;
    }
    pn_diag diag = {0};
    pn_store *store = NULL;
    pn_report *rep = NULL;
    pn_report_masks *masks = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = NULL;
    int rc;
    if (no_suppress && (rc = pn__audit(req, "no-suppress", -1, &diag)) != PN_OK) goto done;
    if ((rc = pn_store_open_readonly(&store, req->srv->db, &diag)) != PN_OK) goto done;
    if ((rc = pn_report_published(store, &o, no_suppress ? 0 : k, &rep, &masks, &diag)) != PN_OK)
        goto done;
    if ((f = open_memstream(&buf, &len)) == NULL) {
        rc = pn_diag_set(&diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    rc = body(f, csv, rep, masks, k, o.by == PN_REPORT_BY_REGION);
    if (fclose(f) != 0 && rc == PN_OK) rc = pn_diag_set(&diag, PN_ENOMEM, "out of memory");
    f = NULL;
    if (rc == PN_OK) {
        pn__resp_table(resp, csv, buf, len, "rapport-survie.csv", !no_suppress);
        buf = NULL;
    }
done:
    if (rc != PN_OK) pn__fail(resp, rc, &diag);
    pn_free(buf);
    pn_report_masks_free(masks);
    pn_report_free(rep);
    pn_store_close(store);
    return 0;
}
