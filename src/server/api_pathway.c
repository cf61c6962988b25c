/* api_pathway.c - GET /api/v1/pathway: the care-pathway and end-of-life indicators of
 * `pronostic pathway` (docs/interfaces.md 1.4). The store's records, their cube and its
 * protection at the server's threshold are built once per generation of the store (a few
 * seconds on a national store) and shared by the queries, which only sum and mask rows. */
#include "server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/datadir.h"
#include "pronostic/date.h"
#include "pronostic/pathway.h"
#include "pronostic/pwpublish.h"
#include "pronostic/site.h"
#include "pronostic/writer.h"

#include <string.h>

/* The state of one generation: the records, their cube and its protection. */
typedef struct pwstate {
    pn_pathway_conf conf;
    pn_pathway_set *set;
    pn_pw_cube *cube;
    pn_pw_protected *prot;      /* at the server's threshold, every indicator */
} pwstate;

void pn__pathway_destroy(void *obj)
{
    pwstate *s = obj;
    if (s == NULL) return;
    pn_pw_protected_free(s->prot);
    pn_pw_cube_free(s->cube);
    pn_pathway_set_free(s->set);
    pn_free(s);
}

int pn__pathway_build(pn__srv *srv, void **obj, pn_diag *diag)
{
    pwstate *s = pn_calloc(1, sizeof *s);
    if (s == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    pn_pathway_conf_defaults(&s->conf);
    char path[4096];
    int threads = srv->opts.threads > 0 ? srv->opts.threads : 2;
    int rc = pn_data_path(path, sizeof path, NULL, "pathway.conf", diag);
    if (rc == PN_OK) rc = pn_pathway_conf_load(&s->conf, path, diag);
    if (rc == PN_OK) rc = pn_pathway_set_read(srv->db, &s->conf, PN_NO_DATE, threads, &s->set, diag);
    if (rc == PN_OK) rc = pn_pw_cube_build(s->set, &s->cube, diag);
    if (rc == PN_OK) rc = pn_pw_protect(s->cube, srv->min_cell, 0, threads, &s->prot, diag);
    if (rc != PN_OK) {
        pn__pathway_destroy(s);
        return rc;
    }
    *obj = s;
    return PN_OK;
}

static const char *const allowed[] = {"indicator", "site", "by", "from", "to", "min_cell",
                                      "no_suppress", "format"};

int pn__api_pathway(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, allowed, sizeof allowed / sizeof *allowed)) return 0;
    pn_pw_query q = {.indicator = -1, .http = 1};
    const char *v;
    if ((v = pn__param(req, "indicator")) && (q.indicator = pn_pw_parse(v)) < 0)
        return pn__error(resp, 400, "indicator", "parameter 'indicator': '%.64s' is not an "
                         "indicator (docs/methods.md, \"Care-pathway indicators\")", v);
    if ((v = pn__param(req, "site")) && pn_site_parse(v, &q.site) != PN_OK)
        return pn__error(resp, 400, "site", "parameter 'site': '%.64s' is not one of pancreas, "
                         "oesophagus, liver, lung, cns, ovary, aml", v);
    if ((v = pn__param(req, "by")) && pn_pw_by_parse(v, &q.by) != PN_OK)
        return pn__error(resp, 400, "by", "parameter 'by': '%.64s' is not centre, departement, "
                         "region, year, sex or agegroup", v);
    long y = 0;
    if (pn__param_long(req, resp, "from", 1800, 2200, &y) != PN_OK) return 0;
    q.year_from = (int)y;
    y = 0;
    if (pn__param_long(req, resp, "to", 1800, 2200, &y) != PN_OK) return 0;
    q.year_to = (int)y;
    if (q.year_from && q.year_to && q.year_from > q.year_to)
        return pn__error(resp, 400, "from", "parameter 'from' is after 'to'");
    long long k;
    int no_suppress, csv;
    if (!pn__param_protection(req, resp, &k, &no_suppress)) return 0;
    if ((csv = pn__param_format(req, resp)) < 0) return 0;
    pn_diag diag = {0};
    pn__genobj *ref = NULL;
    pn_pw_protected *own = NULL;
    pn_pw_row *rows = NULL;
    size_t nrows = 0;
    char *buf = NULL;
    size_t len = 0;
    int rc;
    if (no_suppress && (rc = pn__audit(req, "no-suppress", -1, &diag)) != PN_OK) goto done;
    if ((rc = pn__gen_acquire(&req->srv->pathway, req->srv, &ref, &req->stale, &diag)) != PN_OK)
        goto done;
    const pwstate *st = pn__gen_obj(ref);
    rc = pn_pw_rows(st->set, st->cube, &st->conf, &q, &rows, &nrows, &diag);
    if (rc == PN_EUSAGE) {
        pn__error(resp, 400, "from", "%s", diag.msg);
        goto done;
    }
    if (rc != PN_OK) goto done;
    const pn_pw_protected *prot = no_suppress ? NULL : st->prot;
    if (!no_suppress && k != req->srv->min_cell) {
        /* another threshold than the server's: protected for this query */
        rc = pn_pw_protect(st->cube, k, q.indicator >= 0 ? 1u << q.indicator : 0, 1, &own, &diag);
        if (rc != PN_OK) goto done;
        prot = own;
    }
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        rc = pn_diag_set(&diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    if (!csv)
        fprintf(f, "{\"min_cell\": %lld, \"protected\": %s, \"rows\": ", k,
                prot ? "true" : "false");
    rc = pn_pw_write_rows(f, csv ? PN_FORMAT_CSV : PN_FORMAT_JSON, rows, nrows, prot);
    if (!csv) fputs("}\n", f);
    if (fclose(f) != 0 && rc == PN_OK) rc = pn_diag_set(&diag, PN_ENOMEM, "out of memory");
    if (rc == PN_OK) {
        pn__resp_table(resp, csv, buf, len, "indicateurs-parcours.csv", !no_suppress);
        buf = NULL;
    }
done:
    if (rc != PN_OK && resp->body == NULL) pn__fail(resp, rc, &diag);
    pn_free(buf);
    pn_free(rows);
    pn_pw_protected_free(own);
    pn__gen_release(ref);
    return 0;
}

void pn__pathway_parts(const pn__genobj *o, const pn_pathway_set **set, const pn_pw_cube **cube,
                       const pn_pathway_conf **conf, const pn_pw_protected **prot)
{
    const pwstate *s = pn__gen_obj(o);
    *set = s->set;
    *cube = s->cube;
    *conf = &s->conf;
    *prot = s->prot;
}
