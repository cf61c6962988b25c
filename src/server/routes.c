/* routes.c - the API's endpoints (docs/api.md, "Endpoints"): method, path, the lowest role
 * allowed, whether protected answers are cached, and the handler. */
#include "server_internal.h"

#include <string.h>

static const pn__route routes[] = {
    {"GET", "/api/v1/health", PN__ROLE_PUBLIC, 0, pn__api_health},
    {"GET", "/api/v1/openapi.json", PN__ROLE_PUBLIC, 0, pn__api_openapi},
    {"GET", "/api/v1/session", PN__ROLE_PUBLIC, 0, pn__api_session},
    {"POST", "/api/v1/login", PN__ROLE_PUBLIC, 0, pn__api_login},
    {"POST", "/api/v1/logout", PN__ROLE_PUBLIC, 0, pn__api_logout},
    {"GET", "/api/v1/report", PN__ROLE_PUBLIC, 1, pn__api_report},
    {"GET", "/api/v1/surv", PN__ROLE_PUBLIC, 1, pn__api_surv},
    {"GET", "/api/v1/surv.svg", PN__ROLE_PUBLIC, 1, pn__api_surv_svg},
    {"GET", "/api/v1/map", PN__ROLE_PUBLIC, 1, pn__api_map},
    {"GET", "/api/v1/map.svg", PN__ROLE_PUBLIC, 1, pn__api_map_svg},
    {"GET", "/api/v1/pathway", PN__ROLE_PUBLIC, 1, pn__api_pathway},
    {"GET", "/api/v1/cases", PN__ROLE_ANALYST, 0, pn__api_cases},
    {"GET", "/api/v1/audit", PN__ROLE_ADMIN, 0, pn__api_audit},
    {"GET", "/api/v1/users", PN__ROLE_ADMIN, 0, pn__api_users},
};

const pn__route *pn__route_find(const char *method, const char *path, int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        if (strcmp(routes[i].path, path) != 0) continue;
        *path_known = 1;
        if (strcmp(routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            return &routes[i];
    }
    return NULL;
}
