/* auth.c - who asks, and the endpoints that open and close a session: a request is the
 * public's unless it carries a live session cookie (pn_session) or an API token (Authorization:
 * Bearer); an unknown or expired one is a 401 that clears the cookie. Passwords and tokens are
 * checked by the store's argon2id (account.h), at most two at a time, and failed logins are
 * slowed per account and per address (session.c). */
#include "server_internal.h"

#include "pronostic/account.h"
#include "pronostic/alloc.h"
#include "pronostic/writer.h"

#include <jansson.h>
#include <sodium.h>
#include <semaphore.h>
#include <string.h>

/* argon2id takes 19 MiB and tens of milliseconds: two at a time, whatever the load */
static sem_t hashing;
static pthread_once_t hashing_once = PTHREAD_ONCE_INIT;
static void hashing_init(void) { sem_init(&hashing, 0, 2); }

void pn__who_clear(pn__who *who)
{
    for (size_t i = 0; i < who->nsources; i++) pn_free(who->sources[i]);
    pn_free(who->sources);
    sodium_memzero(who, sizeof *who);
}

_Static_assert(sizeof ((pn__who *)0)->stamp == PN_ACCOUNT_STAMP_LEN, "pn__who.stamp");

/* The account `a` as a caller. */
static int who_of(const pn_account *a, pn__who *w)
{
    memset(w, 0, sizeof *w);
    w->role = a->role;
    snprintf(w->user, sizeof w->user, "%s", a->name);
    memcpy(w->stamp, a->stamp, sizeof w->stamp);
    if (a->nsources == 0) return PN_OK;
    if ((w->sources = pn_calloc(a->nsources, sizeof *w->sources)) == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < a->nsources; i++) {
        if ((w->sources[i] = pn_strdup(a->sources[i])) == NULL) return PN_ENOMEM;
        w->nsources++;
    }
    return PN_OK;
}

/* Verify a password (user != NULL) or a token with the store: PN_OK and *w, PN_EPERM, or the
 * store's error. */
static int verify(pn__srv *srv, const char *user, const char *secret, pn__who *w, pn_diag *diag)
{
    pthread_once(&hashing_once, hashing_init);
    pn_store *store = NULL;
    pn_account *a = NULL;
    int rc = pn_store_open_readonly(&store, srv->db, diag);
    if (rc == PN_OK) {
        sem_wait(&hashing);
        rc = user ? pn_account_verify_password(store, user, secret, &a, diag)
                  : pn_account_verify_token(store, secret, &a, diag);
        sem_post(&hashing);
    }
    pn_store_close(store);
    if (rc == PN_OK) rc = who_of(a, w);
    pn_account_free(a);
    return rc;
}

static void clear_cookie(const pn__req *req, pn__resp *resp)
{
    snprintf(resp->cookie, sizeof resp->cookie,
             "pn_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             req->srv->tls ? "; Secure" : "");
}

int pn__identify(pn__req *req, pn__resp *resp)
{
    req->who.role = PN__ROLE_PUBLIC;
    const char *auth = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "pn_session");
    if (auth) {
        if (strncmp(auth, "Bearer ", 7) != 0 || strlen(auth + 7) > 128)
            return pn__error(resp, 401, NULL, "the Authorization header is not 'Bearer TOKEN'");
        const char *token = auth + 7;
        if (pn__session_find(req->srv->sessions, token, 1, &req->who) == PN_OK) return 1;
        pn_diag diag = {0};
        pn__who w;
        int rc = verify(req->srv, NULL, token, &w, &diag);
        if (rc == PN_EPERM) return pn__error(resp, 401, NULL, "unknown or revoked API token");
        if (rc != PN_OK) return pn__fail(resp, rc, &diag);
        pn__token_remember(req->srv->sessions, token, &w);
        req->who = w;
        return 1;
    }
    if (cookie) {
        if (strlen(cookie) < 128 &&
            pn__session_find(req->srv->sessions, cookie, 0, &req->who) == PN_OK)
            return 1;
        pn__error(resp, 401, NULL, "the session has expired or is unknown: log in again");
        clear_cookie(req, resp);
        return 0;
    }
    return 1;
}

/* {"user": ..., "role": ..., "csrf": ...} of `w` into resp. */
static int session_body(pn__resp *resp, const pn__who *w)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) return pn__error(resp, 503, NULL, "out of memory");
    fputs("{\"user\": ", f);
    if (w->user[0]) pn_json_string(f, w->user);
    else fputs("null", f);
    fprintf(f, ", \"role\": \"%s\", \"csrf\": ", pn_role_name(w->role));
    if (w->by_session) pn_json_string(f, w->csrf);
    else fputs("null", f);
    fputs("}\n", f);
    fclose(f);
    pn__resp_take(resp, 200, "application/json", buf, len);
    return 0;
}

int pn__api_session(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, NULL, 0)) return 0;
    return session_body(resp, &req->who);
}

json_t *pn__login_body(const char *body, size_t len, const char **user, const char **password)
{
    *user = *password = NULL;
    if (body == NULL) return NULL;
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(doc) || json_object_size(doc) != 2) goto bad;
    json_t *u = json_object_get(doc, "user"), *p = json_object_get(doc, "password");
    if (!json_is_string(u) || !json_is_string(p)) goto bad;
    /* "\u0000" in either: a string C would read shorter than it is */
    if (strlen(json_string_value(u)) != json_string_length(u) ||
        strlen(json_string_value(p)) != json_string_length(p))
        goto bad;
    *user = json_string_value(u);
    *password = json_string_value(p);
    return doc;
bad:
    json_decref(doc);
    return NULL;
}

int pn__api_login(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, NULL, 0)) return 0;
    const char *ct = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
    if (ct == NULL || strncmp(ct, "application/json", 16) != 0)
        return pn__error(resp, 415, NULL, "the body must be application/json");
    const char *user = NULL, *password = NULL;
    json_t *doc = pn__login_body(req->body, req->body_len, &user, &password);
    if (doc == NULL)
        return pn__error(resp, 400, NULL, "the body must be {\"user\": \"...\", \"password\": \"...\"}");
    unsigned wait = pn__login_wait(req->srv->sessions, user, req->addr);
    if (wait > 0) {
        json_decref(doc);
        resp->retry_after = wait;
        return pn__error(resp, 429, NULL, "too many failed logins: try again in %u s", wait);
    }
    pn_diag diag = {0};
    pn__who w;
    int rc = verify(req->srv, user, password, &w, &diag);
    pn__login_result(req->srv->sessions, user, req->addr, rc == PN_OK);
    json_decref(doc);
    if (rc == PN_EPERM) return pn__error(resp, 401, NULL, "wrong user name or password");
    if (rc != PN_OK) return pn__fail(resp, rc, &diag);
    char id[64], csrf[64];
    rc = pn__session_open(req->srv->sessions, &w, id, sizeof id, csrf, sizeof csrf);
    if (rc != PN_OK) {
        pn__who_clear(&w);
        return pn__error(resp, 503, NULL, "out of memory");
    }
    snprintf(resp->cookie, sizeof resp->cookie,
             "pn_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", id,
             req->srv->opts.session_max > 0 ? req->srv->opts.session_max : 8 * 3600,
             req->srv->tls ? "; Secure" : "");
    sodium_memzero(id, sizeof id);
    w.by_session = 1;
    snprintf(w.csrf, sizeof w.csrf, "%s", csrf);
    session_body(resp, &w);
    pn__who_clear(&w);
    return 0;
}

int pn__api_logout(pn__req *req, pn__resp *resp)
{
    if (!pn__params_only(req, resp, NULL, 0)) return 0;
    const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "pn_session");
    if (cookie) pn__session_close(req->srv->sessions, cookie);
    clear_cookie(req, resp);
    pn__who pub = {.role = PN__ROLE_PUBLIC};
    return session_body(resp, &pub);
}
