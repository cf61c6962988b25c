/* fuzz_server.c - libFuzzer target for what `pronostic serve` parses from a request before any
 * store is read (src/server/): the first byte picks
 *   0  the decoding of %XX (pn__unescape): never longer than its input, never an early NUL
 *      (%00 is the byte 0x01), the identity on text without '%';
 *   1  the login's body (pn__login_body): accepted only as a JSON object of exactly the two
 *      strings user and password, neither holding a NUL;
 *   2  query parameters (name=value&...): their checks (pn__params_only, pn__param_filter,
 *      pn__param_protection, pn__param_conf, pn__param_format, pn__param_long) for each role;
 *      every refusal is a 400 or 403 whose body is the JSON error naming a parameter of the
 *      query or none; the canonical key does not depend on the parameters' order;
 *   3  a path of the dashboard (pn__webfiles_serve over a folder of three files made at start):
 *      a file is served only for its exact path, or "/" for index.html; anything else is a 4xx. */
#include "pn_fuzz.h"
#include "server/server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/writer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pn__webfiles *web;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/pn_fuzz_web_XXXXXX";
    if (mkdtemp(dir) == NULL) abort();
    const char *files[] = {"index.html", "app.js", "js/page.js"};
    char path[256];
    snprintf(path, sizeof path, "%s/js", dir);
    if (mkdir(path, 0700) != 0) abort();
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "w");
        if (f == NULL) abort();
        fputs("x", f);
        fclose(f);
    }
    pn_diag diag = {0};
    if (pn__webfiles_load(dir, &web, &diag) != PN_OK) abort();
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/js", dir);
    rmdir(path);
    rmdir(dir);
    return 0;
}

/* The input as a C string (up to its first NUL, as MHD hands strings over). */
static char *cstring(const uint8_t *data, size_t size)
{
    char *s = pn_malloc(size + 1);
    if (s == NULL) abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static void unescape(const uint8_t *data, size_t size)
{
    char *s = cstring(data, size);
    size_t before = strlen(s);
    int plain = strchr(s, '%') == NULL;
    char *copy = pn_strdup(s);
    size_t n = pn__unescape(NULL, NULL, s);
    if (n > before || strlen(s) != n) abort();
    if (plain && strcmp(s, copy) != 0) abort();
    pn_free(copy);
    pn_free(s);
}

static void login(const uint8_t *data, size_t size)
{
    const char *user, *password;
    json_t *doc = pn__login_body((const char *)data, size, &user, &password);
    if (doc == NULL) {
        if (user || password) abort();
        return;
    }
    if (!json_is_object(doc) || json_object_size(doc) != 2 || user == NULL || password == NULL ||
        strcmp(json_string_value(json_object_get(doc, "user")), user) != 0 ||
        strcmp(json_string_value(json_object_get(doc, "password")), password) != 0)
        abort();
    json_decref(doc);
}

/* A name as a JSON document gives it back (invalid UTF-8 replaced by U+FFFD, pn_json_string),
 * as a new string (the caller's: free). */
static char *as_json(const char *name)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) abort();
    pn_json_string(f, name);
    fclose(f);
    json_error_t e;
    json_t *v = json_loadb(buf, len, JSON_DECODE_ANY, &e);
    if (!json_is_string(v)) abort();
    char *out = strdup(json_string_value(v));
    if (out == NULL) abort();
    json_decref(v);
    free(buf);
    return out;
}

/* A refusal: a 400 or 403, JSON {"error": {"status", ["parameter",] "message"}} whose
 * parameter, when named, is one of the request's or a known one. */
static void check_error(const pn__req *req, pn__resp *resp)
{
    if (resp->status != 400 && resp->status != 403) abort();
    json_error_t e;
    json_t *doc = json_loadb(resp->body, resp->len, 0, &e);
    json_t *err = json_object_get(doc, "error");
    if (!json_is_object(err) || json_integer_value(json_object_get(err, "status")) != resp->status ||
        !json_is_string(json_object_get(err, "message")))
        abort();
    json_t *param = json_object_get(err, "parameter");
    if (param) {
        const char *name = json_string_value(param);
        int found = 0;
        for (size_t i = 0; name && !found && i < req->nparams; i++) {
            char *j = as_json(req->params[i].name);
            found = strcmp(j, name) == 0;
            free(j);
        }
        if (!found) abort();
    }
    json_decref(doc);
    pn__resp_free(resp);
    memset(resp, 0, sizeof *resp);
}

static void params(const uint8_t *data, size_t size)
{
    if (size < 1) return;
    int role = data[0] % 4;
    char *s = cstring(data + 1, size - 1);
    pn__srv srv = {.min_cell = 10};
    pn__req req = {.srv = &srv, .url = "/api/v1/surv", .method = "GET"};
    req.who.role = role;
    /* name=value pairs, decoded as MHD would (a value may be empty, a name may repeat) */
    for (char *p = s, *next; p && *p; p = next) {
        next = strchr(p, '&');
        if (next) *next++ = '\0';
        char *eq = strchr(p, '=');
        if (eq) *eq++ = '\0';
        if (req.nparams == PN__MAX_PARAMS) {
            req.bad_param = 1;
            break;
        }
        pn__unescape(NULL, NULL, p);
        if (eq) pn__unescape(NULL, NULL, eq);
        if (strchr(p, '\x01') || (eq && strchr(eq, '\x01'))) req.bad_param = 1;
        req.params[req.nparams].name = p;
        req.params[req.nparams].value = eq ? eq : "";
        req.nparams++;
    }
    static const char *const allowed[] = {"site", "from", "to", "sex", "ages", "departement",
                                          "region", "closing", "by", "conf", "min_cell",
                                          "no_suppress", "format", "limit"};
    pn__resp resp = {0};
    if (!pn__params_only(&req, &resp, allowed, sizeof allowed / sizeof *allowed)) {
        check_error(&req, &resp);
    } else {
        pn_cohort_filter f;
        if (!pn__param_filter(&req, &resp, &f, 1)) check_error(&req, &resp);
        long long k;
        int ns;
        if (!pn__param_protection(&req, &resp, &k, &ns)) check_error(&req, &resp);
        else if (k < srv.min_cell || (ns && role < PN__ROLE_ANALYST)) abort();
        double conf = 0.95;
        if (!pn__param_conf(&req, &resp, &conf)) check_error(&req, &resp);
        else if (!(conf > 0 && conf < 1)) abort();
        if (pn__param_format(&req, &resp) < 0) check_error(&req, &resp);
        long limit = 100;
        if (pn__param_long(&req, &resp, "limit", 1, 10000, &limit) != PN_OK) check_error(&req, &resp);
        else if (limit < 1 || limit > 10000) abort();
        /* the cache's key: the same whatever the order of the parameters */
        char *a = pn__params_canonical(&req);
        for (size_t i = 0; i < req.nparams / 2; i++) {
            pn__qparam t = req.params[i];
            req.params[i] = req.params[req.nparams - 1 - i];
            req.params[req.nparams - 1 - i] = t;
        }
        char *b = pn__params_canonical(&req);
        if (a == NULL || b == NULL || strcmp(a, b) != 0) abort();
        pn_free(a);
        pn_free(b);
    }
    pn__resp_free(&resp);
    pn_free(s);
}

static void path(const uint8_t *data, size_t size)
{
    char *s = cstring(data, size);
    pn__resp resp = {0};
    pn__webfiles_serve(web, s, &resp);
    int served = resp.status == 200 && resp.ready != NULL;
    int known = strcmp(s, "/") == 0 || strcmp(s, "/index.html") == 0 || strcmp(s, "/app.js") == 0 ||
                strcmp(s, "/js/page.js") == 0;
    if (served != known) abort();
    if (!served && (resp.status < 400 || resp.status > 499)) abort();
    pn__resp_free(&resp);
    pn_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    switch (data[0] % 4) {
    case 0: unescape(data + 1, size - 1); break;
    case 1: login(data + 1, size - 1); break;
    case 2: params(data + 1, size - 1); break;
    default: path(data + 1, size - 1); break;
    }
    return 0;
}
