/* api_cases.c - GET /api/v1/cases: patient-level rows of a selection (the first primary of a
 * site per person, as every analysis selects it), for analysts (only the patients their
 * sources sent) and administrators; every answer is first recorded in the store's audit with
 * the number of rows it gives, and refused when it cannot be recorded. Identifiers are the
 * store's row ids, never a source's identifier. */
#include "server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/date.h"
#include "pronostic/site.h"
#include "pronostic/writer.h"

#include <stdlib.h>
#include <string.h>

static const char *const allowed[] = {"site", "from", "to", "sex", "ages", "departement",
                                      "region", "closing", "limit", "offset"};

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int pn__api_cases(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, allowed, sizeof allowed / sizeof *allowed)) return 0;
    pn_cohort_filter filter;
    if (!pn__param_filter(req, resp, &filter, 1)) return 0;
    long limit = 100, offset = 0;
    if (pn__param_long(req, resp, "limit", 1, 10000, &limit) != PN_OK ||
        pn__param_long(req, resp, "offset", 0, 1000000000L, &offset) != PN_OK)
        return 0;
    pn_diag diag = {0};
    pn_store *store = NULL;
    pn_cohort *c = NULL;
    int64_t *tids = NULL;
    size_t ntids = 0, *keep = NULL, nkeep = 0;
    char *buf = NULL;
    size_t len = 0;
    int rc = pn__select(req, &filter, &c, &diag);
    int restricted = req->who.role < PN__ROLE_ADMIN;
    if (rc == PN_OK && restricted && (rc = pn_store_open_readonly(&store, req->srv->db, &diag)) == PN_OK)
        rc = pn_store_source_tumours(store, (const char *const *)req->who.sources,
                                     req->who.nsources, &tids, &ntids, &diag);
    pn_store_close(store);
    store = NULL;
    if (rc != PN_OK) goto done;
    if ((keep = pn_malloc((c->n ? c->n : 1) * sizeof *keep)) == NULL) goto nomem;
    for (size_t i = 0; i < c->n; i++)
        if (!restricted || bsearch(&c->tumour[i], tids, ntids, sizeof *tids, by_id))
            keep[nkeep++] = i;
    size_t from = (size_t)offset < nkeep ? (size_t)offset : nkeep;
    size_t to = from + (size_t)limit < nkeep ? from + (size_t)limit : nkeep;
    /* recorded before anything is sent: who, when, the query, the rows given */
    if ((rc = pn__audit(req, "read-cases", (long long)(to - from), &diag)) != PN_OK) goto done;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) goto nomem;
    fprintf(f, "{\"count\": %zu, \"rows\": [", nkeep);
    for (size_t j = from; j < to; j++) {
        size_t i = keep[j];
        char day[11];
        pn_date_format(c->diag_date[i], day);
        fprintf(f, "%s{\"tumour\": %lld, \"site\": \"%s\", \"diagnosis_date\": \"%s\", "
                "\"sex\": \"%s\", \"age\": %.17g, \"departement\": ", j > from ? ",\n" : "\n",
                (long long)c->tumour[i], pn_site_name(c->site[i]), day,
                c->sex[i] == 2 ? "female" : "male", c->age_years[i]);
        if (c->departement[i][0]) pn_json_string(f, c->departement[i]);
        else fputs("null", f);
        fprintf(f, ", \"time\": %.17g, \"event\": %d}", c->time[i], c->event[i] ? 1 : 0);
    }
    fputs("]}\n", f);
    if (fclose(f) != 0) goto nomem;
    pn__resp_take(resp, 200, "application/json", buf, len);
    buf = NULL;
    goto done;
nomem:
    rc = pn_diag_set(&diag, PN_ENOMEM, "out of memory");
done:
    if (rc != PN_OK) pn__fail(resp, rc, &diag);
    pn_free(buf);
    pn_free(keep);
    pn_free(tids);
    pn_cohort_free(c);
    return 0;
}
