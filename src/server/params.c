/* params.c - the query parameters of a request: only the names an endpoint knows, each once,
 * with values checked one by one (a 400 naming the parameter otherwise), and their canonical
 * form, the key of the cache. */
#include "server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/cohort.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *pn__param(const pn__req *req, const char *name)
{
    for (size_t i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, name) == 0) return req->params[i].value;
    return NULL;
}

int pn__params_only(pn__req *req, pn__resp *resp, const char *const *allowed, size_t n)
{
    if (req->bad_param)
        return pn__error(resp, 400, NULL, "the query has a NUL byte or more than %d parameters",
                         PN__MAX_PARAMS);
    for (size_t i = 0; i < req->nparams; i++) {
        const char *name = req->params[i].name;
        size_t k = 0;
        while (k < n && strcmp(allowed[k], name) != 0) k++;
        if (k == n)
            return pn__error(resp, 400, name, "unknown parameter '%.64s' for %s", name, req->url);
        for (size_t j = 0; j < i; j++)
            if (strcmp(req->params[j].name, name) == 0)
                return pn__error(resp, 400, name, "parameter '%s' given twice", name);
        if (req->params[i].value == NULL || req->params[i].value[0] == '\0')
            return pn__error(resp, 400, name, "parameter '%s' has no value", name);
    }
    return 1;
}

static int by_name(const void *a, const void *b)
{
    const pn__qparam *x = a, *y = b;
    return strcmp(x->name, y->name);
}

char *pn__params_canonical(const pn__req *req)
{
    pn__qparam sorted[PN__MAX_PARAMS];
    memcpy(sorted, req->params, req->nparams * sizeof *sorted);
    qsort(sorted, req->nparams, sizeof *sorted, by_name);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) return NULL;
    fputs(req->url, f);
    for (size_t i = 0; i < req->nparams; i++) {
        /* the separators cannot appear unescaped: names and values are written with their
         * lengths */
        fprintf(f, "|%zu:%s=%zu:%s", strlen(sorted[i].name), sorted[i].name,
                strlen(sorted[i].value), sorted[i].value);
    }
    if (fclose(f) != 0) {
        pn_free(buf);
        return NULL;
    }
    return buf;
}

int pn__param_flag(pn__req *req, pn__resp *resp, const char *name)
{
    const char *v = pn__param(req, name);
    if (v == NULL) return 0;
    if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) return 1;
    if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0) return 0;
    pn__error(resp, 400, name, "parameter '%s': '%.64s' is not 1, true, 0 or false", name, v);
    return -1;
}

int pn__param_long(pn__req *req, pn__resp *resp, const char *name, long lo, long hi, long *out)
{
    const char *v = pn__param(req, name);
    if (v == NULL) return PN_OK;
    char *end = NULL;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || x < lo || x > hi) {
        pn__error(resp, 400, name, "parameter '%s': '%.64s' is not an integer from %ld to %ld",
                  name, v, lo, hi);
        return -1;
    }
    *out = x;
    return PN_OK;
}

int pn__param_conf(pn__req *req, pn__resp *resp, double *conf)
{
    const char *v = pn__param(req, "conf");
    if (v == NULL) return 1;
    char *end;
    double x = strtod(v, &end);
    if (*end != '\0' || !(x > 0 && x < 1))
        return pn__error(resp, 400, "conf", "parameter 'conf': '%.64s' is not a level between 0 "
                         "and 1", v);
    *conf = x;
    return 1;
}

int pn__param_format(pn__req *req, pn__resp *resp)
{
    const char *v = pn__param(req, "format");
    if (v == NULL || strcmp(v, "json") == 0) return 0;
    if (strcmp(v, "csv") == 0) return 1;
    pn__error(resp, 400, "format", "parameter 'format': '%.64s' is not json or csv", v);
    return -1;
}

int pn__param_filter(pn__req *req, pn__resp *resp, pn_cohort_filter *f, int fine)
{
    pn_diag diag = {0};
    pn_cohort_filter_init(f);
    for (size_t i = 0; i < req->nparams; i++) {
        const pn__qparam *p = &req->params[i];
        int rc = pn_cohort_filter_param(f, p->name, p->value, 1, &diag);
        if (rc == PN_ENOTFOUND) continue;
        if (rc != PN_OK) return pn__error(resp, 400, p->name, "%s", diag.msg);
        if (fine && req->who.role == PN__ROLE_PUBLIC &&
            (strcmp(p->name, "ages") == 0 || strcmp(p->name, "departement") == 0))
            return pn__error(resp, 403, p->name, "parameter '%s': selections by age or "
                             "département need an account (researcher or above)", p->name);
    }
    if (pn_cohort_filter_check(f, 1, &diag) != PN_OK)
        return pn__error(resp, 400, NULL, "%s", diag.msg);
    return 1;
}

int pn__param_protection(pn__req *req, pn__resp *resp, long long *k, int *no_suppress)
{
    long kk = (long)req->srv->min_cell;
    if (pn__param_long(req, resp, "min_cell", 2, 1000000, &kk) != PN_OK) return 0;
    if (kk < req->srv->min_cell)
        return pn__error(resp, 400, "min_cell", "parameter 'min_cell': %ld is below the "
                         "server's threshold %lld", kk, req->srv->min_cell);
    int ns = pn__param_flag(req, resp, "no_suppress");
    if (ns < 0) return 0;
    if (ns && req->who.role < PN__ROLE_ANALYST)
        return pn__error(resp, 403, "no_suppress", "parameter 'no_suppress': figures without "
                         "disclosure control are for analysts and administrators");
    if (ns && pn__param(req, "min_cell"))
        return pn__error(resp, 400, "min_cell", "parameters 'no_suppress' and 'min_cell' "
                         "exclude each other");
    *k = kk;
    *no_suppress = ns;
    return 1;
}

/* The parameter a lower layer's message names ("parameter 'site': ..."), into buf. */
static const char *named_param(const char *msg, char *buf, size_t len)
{
    const char *p = strstr(msg, "parameter '");
    if (p == NULL) return NULL;
    p += strlen("parameter '");
    const char *q = strchr(p, '\'');
    if (q == NULL || (size_t)(q - p) >= len) return NULL;
    memcpy(buf, p, (size_t)(q - p));
    buf[q - p] = '\0';
    return buf;
}

int pn__fail(pn__resp *resp, int rc, const pn_diag *diag)
{
    char name[64];
    const char *msg = diag && diag->msg[0] ? diag->msg : pn_strerror(rc);
    switch (rc) {
    case PN_EUSAGE:
    case PN_EINVAL:
        return pn__error(resp, 400, named_param(msg, name, sizeof name), "%s", msg);
    case PN_EEMPTY:
        return pn__error(resp, 404, NULL, "%s", msg);
    case PN_EPERM:
        return pn__error(resp, 403, NULL, "%s", msg);
    case PN_ENOMEM:
        return pn__error(resp, 503, NULL, "out of memory, try again later");
    default:
        fprintf(stderr, "pronostic serve: %s\n", msg);
        return pn__error(resp, 500, NULL, "internal error (the server's log has the detail)");
    }
}
