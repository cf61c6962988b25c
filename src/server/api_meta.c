/* api_meta.c - the endpoints about the API itself: its health and generation, and its OpenAPI
 * document (the file web/openapi.json, served as the dashboard's other files are). */
#include "server_internal.h"

#include "pronostic/alloc.h"

#include <string.h>

int pn__api_health(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, NULL, 0)) return 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) return pn__error(resp, 503, NULL, "out of memory");
    fprintf(f, "{\"status\": \"ok\", \"generation\": %lld}\n",
            __atomic_load_n(&req->srv->generation, __ATOMIC_ACQUIRE));
    fclose(f);
    pn__resp_take(resp, 200, "application/json", buf, len);
    return 0;
}

int pn__api_openapi(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, NULL, 0)) return 0;
    size_t len = 0;
    const char *doc = pn__webfiles_get(req->srv->web, "openapi.json", &len);
    if (doc == NULL) return pn__error(resp, 404, NULL, "the dashboard has no openapi.json");
    char *copy = pn_malloc(len);
    if (copy == NULL) return pn__error(resp, 503, NULL, "out of memory");
    memcpy(copy, doc, len);
    pn__resp_take(resp, 200, "application/json", copy, len);
    return 0;
}
