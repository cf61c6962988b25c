/* response.c - the responses of the server: JSON errors, bodies taken from the handlers, and
 * the secure headers every response carries (docs/api.md, "Conventions"). */
#include "server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/writer.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
                          "base-uri 'none'; form-action 'self'";

void pn__secure_headers(struct MHD_Response *m, int api)
{
    MHD_add_response_header(m, "Content-Security-Policy", csp);
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(m, "X-Frame-Options", "DENY");
    MHD_add_response_header(m, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(m, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(m, "Cache-Control", api ? "no-store" : "no-cache");
}

void pn__resp_take(pn__resp *r, unsigned status, const char *type, char *body, size_t len)
{
    pn_free(r->body);
    r->status = status;
    r->type = type;
    r->body = body;
    r->len = len;
}

void pn__json_num(FILE *f, double x)
{
    if (isfinite(x)) fprintf(f, "%.17g", x);
    else fputs("null", f);
}

void pn__resp_table(pn__resp *r, int csv, char *body, size_t len, const char *filename,
                    int cacheable)
{
    pn__resp_take(r, 200, csv ? "text/csv; charset=utf-8" : "application/json", body, len);
    if (csv) snprintf(r->filename, sizeof r->filename, "%s", filename);
    r->cacheable = cacheable;
}

int pn__error(pn__resp *r, unsigned status, const char *param, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        r->status = 500;
        return 0;
    }
    fprintf(f, "{\"error\": {\"status\": %u, ", status);
    if (param) {
        fputs("\"parameter\": ", f);
        pn_json_string(f, param);
        fputs(", ", f);
    }
    fputs("\"message\": ", f);
    pn_json_string(f, msg);
    fputs("}}\n", f);
    fclose(f);
    /* a memstream's buffer is malloc'd, and pn_free is free (alloc.h) */
    pn__resp_take(r, status, "application/json", buf, len);
    r->cacheable = 0;
    return 0;
}

static void free_body(void *p) { pn_free(p); }

struct MHD_Response *pn__resp_build(const pn__srv *srv, pn__resp *r)
{
    struct MHD_Response *m = MHD_create_response_from_buffer_with_free_callback(
        r->len, r->body ? r->body : (char *)"", r->body ? free_body : NULL);
    if (m == NULL) return NULL;
    r->body = NULL;
    r->len = 0;
    pn__secure_headers(m, 1);
    if (r->type) MHD_add_response_header(m, "Content-Type", r->type);
    if (r->cookie[0]) MHD_add_response_header(m, "Set-Cookie", r->cookie);
    if (r->filename[0]) {
        char cd[128];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", r->filename);
        MHD_add_response_header(m, "Content-Disposition", cd);
    }
    if (r->retry_after) {
        char ra[32];
        snprintf(ra, sizeof ra, "%u", r->retry_after);
        MHD_add_response_header(m, "Retry-After", ra);
    }
    if (srv && srv->tls) MHD_add_response_header(m, "Strict-Transport-Security", "max-age=31536000");
    return m;
}

void pn__resp_free(pn__resp *r)
{
    pn_free(r->body);
    r->body = NULL;
    r->ready = NULL;
}
