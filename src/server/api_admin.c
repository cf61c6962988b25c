/* api_admin.c - the administrator's endpoints: the store's audit (GET /api/v1/audit) and its
 * accounts (GET /api/v1/users, without any hash). */
#include "server_internal.h"

#include "pronostic/account.h"
#include "pronostic/alloc.h"
#include "pronostic/date.h"
#include "pronostic/writer.h"

#include <string.h>

/* The JSON array being written: its file and the rows so far (for the commas). */
typedef struct rows_out {
    FILE *f;
    size_t n;
} rows_out;

static int audit_row(const pn_audit_row *r, void *ctx)
{
    rows_out *o = ctx;
    FILE *f = o->f;
    fprintf(f, "%s{\"id\": %lld, \"at\": ", o->n++ ? ",\n" : "\n", r->id);
    pn_json_string(f, r->at);
    fputs(", \"who\": ", f);
    pn_json_string(f, r->who);
    fputs(", \"action\": ", f);
    pn_json_string(f, r->action);
    if (r->rows >= 0) fprintf(f, ", \"rows\": %lld", r->rows);
    else fputs(", \"rows\": null", f);
    fputs(", \"detail\": ", f);
    pn_json_string(f, r->detail);
    fputs("}", f);
    return 0;
}

/* Run `list` over a store opened read-only into {"rows": [...]}. */
static int rows_doc(pn__req *req, pn__resp *resp,
                    int (*list)(pn_store *, rows_out *, void *, pn_diag *), void *arg)
{
    pn_diag diag = {0};
    pn_store *store = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = pn_store_open_readonly(&store, req->srv->db, &diag);
    FILE *f = rc == PN_OK ? open_memstream(&buf, &len) : NULL;
    if (rc == PN_OK && f == NULL) rc = pn_diag_set(&diag, PN_ENOMEM, "out of memory");
    if (rc == PN_OK) {
        rows_out o = {f, 0};
        fputs("{\"rows\": [", f);
        rc = list(store, &o, arg, &diag);
        fputs("]}\n", f);
    }
    if (f && fclose(f) != 0 && rc == PN_OK) rc = pn_diag_set(&diag, PN_ENOMEM, "out of memory");
    pn_store_close(store);
    if (rc != PN_OK) {
        pn_free(buf);
        return pn__fail(resp, rc, &diag);
    }
    pn__resp_take(resp, 200, "application/json", buf, len);
    return 0;
}

static int list_audit(pn_store *store, rows_out *o, void *arg, pn_diag *diag)
{
    return pn_store_audit_list(store, arg, audit_row, o, diag);
}

int pn__api_audit(pn__req *req, pn__resp *resp)
{
    static const char *const allowed[] = {"limit", "who", "action", "since"};
    if (!pn__params_only(req, resp, allowed, 4)) return 0;
    long limit = 100;
    if (pn__param_long(req, resp, "limit", 1, 100000, &limit) != PN_OK) return 0;
    pn_audit_filter flt = {.since = pn__param(req, "since"), .who = pn__param(req, "who"),
                           .action = pn__param(req, "action"), .limit = limit,
                           .newest_first = 1};
    int32_t day;
    if (flt.since && pn_date_parse(flt.since, strlen(flt.since), 0, &day, NULL) != PN_OK)
        return pn__error(resp, 400, "since", "parameter 'since': '%.64s' is not a date "
                         "(YYYY-MM-DD)", flt.since);
    return rows_doc(req, resp, list_audit, &flt);
}

static int user_row(const pn_account_row *r, void *ctx)
{
    rows_out *o = ctx;
    FILE *f = o->f;
    fprintf(f, "%s{\"name\": ", o->n++ ? ",\n" : "\n");
    pn_json_string(f, r->name);
    fputs(", \"role\": ", f);
    pn_json_string(f, r->role);
    fputs(", \"sources\": [", f);
    const char *s = r->sources ? r->sources : "";
    for (int first = 1; *s; first = 0) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(n < 127 ? n : 127), s);
        if (!first) fputs(", ", f);
        pn_json_string(f, name);
        s += n + (comma != NULL);
    }
    fputs("], \"created\": ", f);
    pn_json_string(f, r->created);
    fprintf(f, ", \"tokens\": %lld, \"disabled\": %s}", r->ntokens, r->disabled ? "true" : "false");
    return 0;
}

static int list_users(pn_store *store, rows_out *o, void *arg, pn_diag *diag)
{
    return pn_account_list(store, user_row, o, diag);
}

int pn__api_users(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, NULL, 0)) return 0;
    return rows_doc(req, resp, list_users, NULL);
}
