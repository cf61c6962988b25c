/* request.c - libmicrohttpd's callbacks: a request's context is made at its first call, its
 * body gathered within the limit, then it is routed (a dashboard file, or an endpoint of the
 * API after the caller's role, the CSRF token and the cache are checked) and answered; the
 * context is freed when MHD says the request is done. */
#include "server_internal.h"

#include "pronostic/alloc.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     size_t key_size, const char *value, size_t value_size)
{
    pn__req *req = cls;
    if (req->nparams == PN__MAX_PARAMS || key == NULL || key_size == 0 ||
        strlen(key) != key_size || (value && strlen(value) != value_size)) {
        req->bad_param = 1;   /* too many parameters, or a NUL byte in a value */
        return MHD_YES;
    }
    for (const char *c = value; c && *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            req->bad_param = 1;   /* a control character (pn__unescape turns NUL into 0x01) */
            return MHD_YES;
        }
    req->params[req->nparams++] = (pn__qparam){key, value ? value : ""};
    return MHD_YES;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void client_addr(pn__req *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(req->addr, sizeof req->addr, "?");
    if (ci == NULL || ci->client_addr == NULL) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, req->addr,
                  sizeof req->addr);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  req->addr, sizeof req->addr);
}

static enum MHD_Result reply(pn__req *req, pn__resp *resp, const char *cache_key)
{
    if (resp->ready) {
        enum MHD_Result r = MHD_queue_response(req->conn, resp->status, resp->ready);
        pn__resp_free(resp);
        return r;
    }
    size_t bytes = resp->len;
    struct MHD_Response *m = pn__resp_build(req->srv, resp);
    pn__resp_free(resp);
    if (m == NULL) return MHD_NO;
    enum MHD_Result r = MHD_queue_response(req->conn, resp->status, m);
    if (!(cache_key && resp->status == 200 && resp->cacheable && !req->stale &&
          pn__cache_put(req->srv->cache, cache_key, req->gen, m, resp->status,
                        bytes)))
        MHD_destroy_response(m);
    return r;
}

/* The CSRF rule: a state-changing request identified by its session cookie carries the
 * session's token in X-CSRF-Token; none may come from another origin (an Origin header
 * other than this server's own, "null" included). */
static int csrf_ok(pn__req *req)
{
    if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) return 1;
    const char *origin = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Host");
    if (origin) {
        /* "null" (a sandboxed frame, a file, a redirect across origins) is another origin */
        const char *o = strstr(origin, "://");
        if (o == NULL || host == NULL || strcmp(o + 3, host) != 0) return 0;
    }
    if (!req->who.by_session) return 1;
    const char *t = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    size_t n = strlen(req->who.csrf);
    return t && n > 0 && strlen(t) == n && sodium_memcmp(t, req->who.csrf, n) == 0;
}

/* The cache key: the canonical URL and the caller's class (the public, or an account), since
 * some parameters are refused to the public. */
static char *cache_key(const pn__req *req)
{
    char *canon = pn__params_canonical(req);
    if (canon == NULL) return NULL;
    size_t n = strlen(canon);
    char *key = pn_malloc(n + 3);
    if (key) {
        memcpy(key, canon, n);
        key[n] = '#';
        key[n + 1] = req->who.role == PN__ROLE_PUBLIC ? 'p' : 'a';
        key[n + 2] = '\0';
    }
    pn_free(canon);
    return key;
}

static enum MHD_Result answer(pn__req *req)
{
    pn__resp resp = {.status = 200};
    const char *path = req->url;
    MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, collect_param, req);
    size_t qlen = strlen(path);
    for (size_t i = 0; i < req->nparams; i++)
        qlen += strlen(req->params[i].name) + strlen(req->params[i].value) + 2;
    if (qlen > PN__MAX_URL) {
        pn__error(&resp, 414, NULL, "the URL is longer than %d bytes", PN__MAX_URL);
        return reply(req, &resp, NULL);
    }
    if (strncmp(path, "/api/", 5) != 0) {
        if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
            pn__error(&resp, 405, NULL, "the dashboard's files are read with GET");
        else
            pn__webfiles_serve(req->srv->web, path, &resp);
        return reply(req, &resp, NULL);
    }
    int path_known = 0;
    const pn__route *rt = pn__route_find(req->method, path, &path_known);
    if (rt == NULL) {
        if (path_known) pn__error(&resp, 405, NULL, "method %s not allowed here", req->method);
        else pn__error(&resp, 404, NULL, "no such endpoint");
        return reply(req, &resp, NULL);
    }
    if (req->body_too_big) {
        pn__error(&resp, 413, NULL, "the body is longer than %d bytes", PN__MAX_BODY);
        return reply(req, &resp, NULL);
    }
    if (!pn__identify(req, &resp)) return reply(req, &resp, NULL);
    if (req->who.role < rt->role) {
        if (req->who.role == PN__ROLE_PUBLIC)
            pn__error(&resp, 401, NULL, "log in first (POST /api/v1/login)");
        else
            pn__error(&resp, 403, NULL, "role %s may not use %s", 
                      req->who.role == PN__ROLE_RESEARCHER ? "researcher" : "analyst", path);
        return reply(req, &resp, NULL);
    }
    if (!csrf_ok(req)) {
        pn__error(&resp, 403, NULL, "missing or wrong X-CSRF-Token, or another origin");
        return reply(req, &resp, NULL);
    }
    char *key = NULL;
    req->gen = __atomic_load_n(&req->srv->generation, __ATOMIC_ACQUIRE);
    if (rt->cached && pn__param(req, "no_suppress") == NULL && !req->bad_param &&
        (key = cache_key(req)) != NULL) {
        int q = pn__cache_queue(req->srv->cache, key, req->gen, req->conn);
        if (q >= 0) {
            pn_free(key);
            return (enum MHD_Result)q;
        }
    }
    rt->fn(req, &resp);
    enum MHD_Result r = reply(req, &resp, key);
    pn_free(key);
    return r;
}

size_t pn__unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    /* MHD's own decoding, except that an encoded NUL (%00) becomes 0x01, which no path of the
     * dashboard and no parameter accepts, instead of ending the string early: "/a.html%00.js"
     * must not be served as "/a.html" */
    char *out = s;
    for (const char *in = s; *in;) {
        int hi, lo;
        if (in[0] == '%' && (hi = hexval(in[1])) >= 0 && (lo = hexval(in[2])) >= 0) {
            int c = hi * 16 + lo;
            *out++ = c == 0 ? '\x01' : (char)c;
            in += 3;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

enum MHD_Result pn__access(void *cls, struct MHD_Connection *conn, const char *url,
                           const char *method, const char *version, const char *upload,
                           size_t *upload_size, void **con_cls)
{
    pn__req *req = *con_cls;
    if (req == NULL) {
        req = pn_calloc(1, sizeof *req);
        if (req == NULL) return MHD_NO;
        req->srv = cls;
        req->conn = conn;
        req->method = method;
        req->url = url;
        client_addr(req);
        *con_cls = req;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strlen(cl) > 9) req->body_too_big = 1;
        else if (cl && strtol(cl, NULL, 10) > PN__MAX_BODY) req->body_too_big = 1;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!req->body_too_big) {
            if (req->body_len + *upload_size > PN__MAX_BODY) {
                req->body_too_big = 1;
                pn_free(req->body);
                req->body = NULL;
                req->body_len = 0;
            } else {
                char *b = pn_reallocarray(req->body, req->body_len + *upload_size + 1, 1);
                if (b == NULL) return MHD_NO;
                memcpy(b + req->body_len, upload, *upload_size);
                req->body = b;
                req->body_len += *upload_size;
                req->body[req->body_len] = '\0';
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return answer(req);
}

void pn__completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                   enum MHD_RequestTerminationCode toe)
{
    pn__req *req = *con_cls;
    if (req == NULL) return;
    pn__who_clear(&req->who);
    pn_free(req->body);
    pn_free(req);
    *con_cls = NULL;
}

int pn__audit(pn__req *req, const char *action, long long rows, pn_diag *diag)
{
    char *what = pn__params_canonical(req);
    if (what == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    char who[160];
    snprintf(who, sizeof who, "%s@%s", req->who.user[0] ? req->who.user : "public", req->addr);
    pthread_mutex_lock(&req->srv->writer_lock);
    int rc = pn_store_audit(req->srv->writer, who, action, what, rows, diag);
    pthread_mutex_unlock(&req->srv->writer_lock);
    pn_free(what);
    return rc;
}
