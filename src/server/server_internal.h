/* server_internal.h - what the server's files share: its state, a request as the handlers see
 * it, the response they fill, and the pieces each file provides (docs/api.md). */
#ifndef PRONOSTIC_SERVER_INTERNAL_H
#define PRONOSTIC_SERVER_INTERNAL_H

#include "pronostic/cohort.h"
#include "pronostic/error.h"
#include "pronostic/server.h"
#include "pronostic/store.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Limits of a request (docs/api.md, "Conventions"). */
#define PN__MAX_BODY 16384
#define PN__MAX_URL 4096
#define PN__MAX_PARAMS 32
#define PN__MAX_CONNECTIONS 256
#define PN__CONNECTION_TIMEOUT 30

/* The roles, lowest first (the accounts of the store, account.h, use the same numbers). */
enum { PN__ROLE_PUBLIC = 0, PN__ROLE_RESEARCHER = 1, PN__ROLE_ANALYST = 2, PN__ROLE_ADMIN = 3 };

typedef struct pn__cache pn__cache;
typedef struct pn__sessions pn__sessions;
typedef struct pn__webfiles pn__webfiles;
typedef struct pn__genobj pn__genobj;
typedef struct pn__srv pn__srv;

/* Objects built once per generation of the store (genstate.c): how to build one (into *obj,
 * PN_OK or an error with diag) and free one, what it is (for the log), and the current one. */
typedef struct pn__genstate {
    pthread_mutex_t lock;
    pthread_cond_t built;       /* signalled when a build ends */
    pn__genobj *cur;
    int building;               /* 1 while a caller builds the next one */
    int (*build)(pn__srv *srv, void **obj, pn_diag *diag);
    void (*destroy)(void *obj);
    const char *what;
} pn__genstate;

struct pn__srv {
    pn_server_opts opts;
    char *db;                   /* the store's path (owned) */
    pn_store *writer;           /* the store opened for writing: the audit, under writer_lock */
    pthread_mutex_t writer_lock;
    pn__webfiles *web;
    pn__cache *cache;
    pn__sessions *sessions;
    pn__genstate pathway;       /* the care-pathway indicators' records and cube (api_pathway.c) */
    pn__genstate tumours;       /* the store's tumours in memory, for the curves (tumours.c) */
    long long min_cell;
    int tls;                    /* served over TLS: cookies are Secure */
    long long generation;       /* changes with each import (the watcher, server.c); read and
                                   written atomically */
    struct pn_ratetable *rt;    /* the French life table, for net survival */
    struct pn_svg_geo *geo;     /* the départements' outlines, for the maps */
};

typedef struct pn__qparam {
    const char *name, *value;   /* MHD's, valid during the request */
} pn__qparam;

/* The caller's identity: a session (cookie) or an API token, else the public. */
typedef struct pn__who {
    int role;
    char user[72];              /* "" for the public */
    char **sources;             /* an analyst's granted sources (owned) */
    size_t nsources;
    int by_session;             /* 1: identified by the session cookie (CSRF checked) */
    char csrf[64];              /* the session's CSRF token */
    unsigned char stamp[16];    /* the account's at the login (account.h): a password changed
                                   since ends the session (accounts_follow.c) */
} pn__who;

typedef struct pn__req {
    pn__srv *srv;
    struct MHD_Connection *conn;
    const char *method, *url;
    pn__qparam params[PN__MAX_PARAMS];
    size_t nparams;
    char *body;                 /* the request body, NUL-terminated (owned), or NULL */
    size_t body_len;
    int body_too_big;
    int bad_param;              /* a parameter with a NUL byte, or too many parameters */
    char addr[64];              /* the client's address */
    pn__who who;
    long long gen;              /* the store's generation when the request was answered: the
                                   cache's look-up and keeping both use it */
    int stale;                  /* 1: answered from an older generation's state while the
                                   current one is built (genstate.c): not cached */
} pn__req;

typedef struct pn__resp {
    unsigned status;
    const char *type;           /* Content-Type */
    char *body;                 /* owned (pn_malloc'd), len bytes */
    size_t len;
    struct MHD_Response *ready; /* a response to queue as is (borrowed: a dashboard file's,
                                   built once) */
    char cookie[256];           /* a Set-Cookie value, or "" */
    char filename[64];          /* Content-Disposition attachment name, or "" */
    unsigned retry_after;       /* seconds, for 429 */
    int cacheable;              /* 1: the same for every caller allowed to ask (cache.c) */
} pn__resp;

/* ---- response.c --------------------------------------------------------------------------- */

/* An error response: {"error": {"status": S, "parameter": P, "message": M}} (`param` NULL: no
 * parameter named). Returns 0. */
int pn__error(pn__resp *r, unsigned status, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A JSON number, or null when not finite. */
void pn__json_num(FILE *f, double x);
/* The body of a table endpoint from a memstream's buffer (taken): JSON, or CSV downloaded as
 * `filename`; `cacheable` when protected. */
void pn__resp_table(pn__resp *r, int csv, char *body, size_t len, const char *filename,
                    int cacheable);
/* The response's body from a memstream's buffer (taken) with `type`. */
void pn__resp_take(pn__resp *r, unsigned status, const char *type, char *body, size_t len);
/* Build the MHD response of `r` with the secure headers (docs/api.md); NULL when out of
 * memory. The caller owns the reference, and must not destroy r->ready's (borrowed). */
struct MHD_Response *pn__resp_build(const pn__srv *srv, pn__resp *r);
/* Add the secure headers every response carries. */
void pn__secure_headers(struct MHD_Response *m, int api);
void pn__resp_free(pn__resp *r);

/* ---- params.c ----------------------------------------------------------------------------- */

/* 400 (returns 0) unless every parameter of the request is one of the `n` names `allowed`,
 * given once; else 1. */
int pn__params_only(pn__req *req, pn__resp *resp, const char *const *allowed, size_t n);
/* The value of parameter `name` or NULL. */
const char *pn__param(const pn__req *req, const char *name);
/* "name=value&..." of the request's parameters sorted by name (the cache key); caller frees. */
char *pn__params_canonical(const pn__req *req);
/* A flag parameter: absent 0, "1" or "true" 1, else 400 (returns -1). */
int pn__param_flag(pn__req *req, pn__resp *resp, const char *name);
/* An integer parameter within [lo, hi]: PN_OK (*out untouched when absent), else 400 (returns
 * -1). */
int pn__param_long(pn__req *req, pn__resp *resp, const char *name, long lo, long hi, long *out);
/* The confidence level `conf` (0 < conf < 1) into *conf, untouched when absent: 1, or 0 after
 * a 400. */
int pn__param_conf(pn__req *req, pn__resp *resp, double *conf);
/* The output format: json (default) or csv; -1 after a 400. */
int pn__param_format(pn__req *req, pn__resp *resp);
/* Set `filter`'s fields from the request's parameters that are filter parameters (cohort.h,
 * pn_cohort_filter_param: site, from, to, sex, ages, departement, region, closing) and check
 * them together: 1, or 0 after a 400. The public may not use `ages` nor `departement` on
 * survival selections (`fine` 1): 403. */
int pn__param_filter(pn__req *req, pn__resp *resp, pn_cohort_filter *filter, int fine);
/* min_cell (K of the disclosure control) and no_suppress (analyst or admin only: 403; audited
 * by the caller): 1, or 0 after an error response. */
int pn__param_protection(pn__req *req, pn__resp *resp, long long *k, int *no_suppress);

/* Map an error of a lower layer to a response: PN_EUSAGE 400 (naming the parameter the message
 * names), PN_EEMPTY 404, PN_EPERM 403, else 500 with a generic message (the detail goes to
 * stderr, never to the client). Returns 0. */
int pn__fail(pn__resp *resp, int rc, const pn_diag *diag);

/* ---- webfiles.c --------------------------------------------------------------------------- */

/* Load every regular file under `dir` (at most 4 MiB each, 32 MiB in all, names of
 * [A-Za-z0-9._-] without a leading dot) into memory; PN_OK or PN_EIO naming the file. */
int pn__webfiles_load(const char *dir, pn__webfiles **out, pn_diag *diag);
void pn__webfiles_free(pn__webfiles *w);
/* The file at URL path `path` ("/" is index.html) into resp, or 404; paths with "..", a
 * backslash or a byte outside the names' characters are 400. Returns 0. */
int pn__webfiles_serve(const pn__webfiles *w, const char *path, pn__resp *resp);
/* The bytes of file `name` (e.g. "openapi.json"), or NULL. */
const char *pn__webfiles_get(const pn__webfiles *w, const char *name, size_t *len);

/* ---- cache.c ------------------------------------------------------------------------------ */

int pn__cache_new(pn__cache **out);
void pn__cache_free(pn__cache *c);
/* Queue on `conn` the cached response of `key` for generation `gen`: MHD_YES or MHD_NO as
 * MHD_queue_response says, or -1 when there is none. */
int pn__cache_queue(pn__cache *c, const char *key, long long gen, struct MHD_Connection *conn);
/* Keep `m` under `key` for generation `gen`, taking the caller's reference: 1 when kept, 0
 * when not (too large: the caller keeps its reference). */
int pn__cache_put(pn__cache *c, const char *key, long long gen, struct MHD_Response *m,
                  unsigned status, size_t bytes);

/* ---- routes.c: the API's table; request.c: MHD's callbacks ----------------------------- */

typedef int (*pn__handler)(pn__req *req, pn__resp *resp);
typedef struct pn__route {
    const char *method, *path;
    int role;                   /* the lowest role allowed */
    int cached;                 /* 1: its protected answers are cached by URL */
    pn__handler fn;
} pn__route;
const pn__route *pn__route_find(const char *method, const char *path, int *path_known);

enum MHD_Result pn__access(void *cls, struct MHD_Connection *conn, const char *url,
                           const char *method, const char *version, const char *upload,
                           size_t *upload_size, void **con_cls);
/* The decoding of %XX in the path and the parameters (MHD_OPTION_UNESCAPE_CALLBACK): in place,
 * returns the new length; %00 becomes the byte 0x01, refused everywhere. */
size_t pn__unescape(void *cls, struct MHD_Connection *conn, char *s);
void pn__completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                   enum MHD_RequestTerminationCode toe);

/* ---- session.c: sessions, verified tokens, failed logins ----------------------------------- */

/* Sessions living `idle` seconds unused and `max` at most. PN_OK or PN_ENOMEM. */
int pn__sessions_new(pn__sessions **out, int idle, int max);
void pn__sessions_free(pn__sessions *ss);
/* A new session for `who` (copied): its id (43 characters) into id and its CSRF token into
 * csrf (both of at least 64 bytes). PN_OK or PN_ENOMEM. */
int pn__session_open(pn__sessions *ss, const pn__who *who, char *id, size_t idlen, char *csrf,
                     size_t csrflen);
/* The live session with id `id` (token 0) or the API token `id` verified less than a minute
 * ago (token 1) into *out (the caller's: pn__who_clear); a session's idle time restarts.
 * PN_OK, PN_ENOTFOUND (unknown or expired), PN_ENOMEM. */
int pn__session_find(pn__sessions *ss, const char *id, int token, pn__who *out);
void pn__session_close(pn__sessions *ss, const char *id);
/* Remember that API token `token` is `who`'s for a minute. */
int pn__token_remember(pn__sessions *ss, const char *token, const pn__who *who);
/* End every session whose caller `still` (called under the sessions' lock, so it must not
 * block) no longer finds justified (0), and forget every verified API token, so that each is
 * checked again against the store at its next use. */
void pn__sessions_prune(pn__sessions *ss, int (*still)(const pn__who *who, void *ctx), void *ctx);
/* Seconds the next login for `user` from `addr` must wait (0: none), and the record of an
 * attempt's outcome: after 5 failures in 15 minutes each further failure doubles the wait,
 * from 1 s up to 15 minutes; a success clears the account's and the address's count. */
unsigned pn__login_wait(pn__sessions *ss, const char *user, const char *addr);
void pn__login_result(pn__sessions *ss, const char *user, const char *addr, int ok);

/* ---- auth.c: who asks ------------------------------------------------------------------- */

/* Fill req->who from the session cookie or the bearer token (the public when neither); 0 with
 * an error response (401: an expired or unknown session or token), else 1. */
int pn__identify(pn__req *req, pn__resp *resp);
void pn__who_clear(pn__who *who);
/* The login's body, JSON {"user": "...", "password": "..."} and nothing else (no duplicate
 * key, no NUL in either string): the parsed document (the caller's: json_decref) with *user and
 * *password borrowed from it, or NULL for any other body. */
typedef struct json_t json_t;
json_t *pn__login_body(const char *body, size_t len, const char **user, const char **password);


/* ---- audit (request.c): a patient-level read or an unprotected figure, recorded -------- */

/* Record in the store's audit that the caller did `action` on `what` (rows: the patient-level
 * rows read, -1: not a read). PN_OK, or the store's error: then nothing is to be sent. */
int pn__audit(pn__req *req, const char *action, long long rows, pn_diag *diag);

/* ---- the handlers ------------------------------------------------------------------------- */

int pn__api_health(pn__req *req, pn__resp *resp);
int pn__api_openapi(pn__req *req, pn__resp *resp);
int pn__api_report(pn__req *req, pn__resp *resp);
int pn__api_surv(pn__req *req, pn__resp *resp);
int pn__api_surv_svg(pn__req *req, pn__resp *resp);
int pn__api_pathway(pn__req *req, pn__resp *resp);
int pn__api_session(pn__req *req, pn__resp *resp);
int pn__api_cases(pn__req *req, pn__resp *resp);
int pn__api_audit(pn__req *req, pn__resp *resp);
int pn__api_users(pn__req *req, pn__resp *resp);
int pn__api_map(pn__req *req, pn__resp *resp);
int pn__api_map_svg(pn__req *req, pn__resp *resp);
int pn__api_login(pn__req *req, pn__resp *resp);
int pn__api_logout(pn__req *req, pn__resp *resp);

/* api_surv.c: the curves a request asks for, protected unless no_suppress: 1 with *out (the
 * caller's, pn_curves_free), *k and *prot, or 0 after an error response. */
struct pn_curves;
int pn__surv_curves(pn__req *req, pn__resp *resp, struct pn_curves **out, long long *k,
                    int *prot);

/* accounts_follow.c: called by the watcher with its store; `digest` (PN_ACCOUNT_DIGEST_LEN
 * bytes) and `known` are the watcher's memory of the last digest of the accounts. When the
 * accounts changed since, the sessions no longer justified end (pn__sessions_prune). */
void pn__accounts_follow(pn__srv *srv, pn_store *store, unsigned char *digest, int *known);

/* ---- genstate.c: objects built once per generation ------------------------------------ */

/* The object of the store's current generation with a reference for the caller
 * (pn__gen_release), built first when there is none or it is of an older generation. While
 * another caller builds it, a caller passing `stale` gets the previous object (if any) and
 * *stale set to 1 (left as it was otherwise: a request's flag gathers every state it used);
 * one passing NULL waits. PN_OK or the build's error. */
int pn__gen_acquire(pn__genstate *g, pn__srv *srv, pn__genobj **out, int *stale, pn_diag *diag);
/* The object a reference holds. */
void *pn__gen_obj(const pn__genobj *o);
/* Let go of a reference (NULL accepted); the last one frees the object. */
void pn__gen_release(pn__genobj *o);
/* Build the current generation's object if it is not yet (the warm-up), logging a failure. */
void pn__gen_warm(pn__genstate *g, pn__srv *srv);
/* Let go of the current object and destroy the lock (the server's stop). */
void pn__gen_clear(pn__genstate *g);

/* api_pathway.c: how the care-pathway state is built and freed (a pn__genstate's build and
 * destroy), and its parts, borrowed from a reference. */
int pn__pathway_build(pn__srv *srv, void **obj, pn_diag *diag);
void pn__pathway_destroy(void *obj);
struct pn_pathway_set;
struct pn_pw_cube;
struct pn_pw_protected;
struct pn_pathway_conf;
void pn__pathway_parts(const pn__genobj *o, const struct pn_pathway_set **set,
                       const struct pn_pw_cube **cube, const struct pn_pathway_conf **conf,
                       const struct pn_pw_protected **prot);

/* tumours.c: the store's tumours in memory (pn_cohort_rows), built and freed; and the
 * selection `filter` of the current generation's tumours into a new *out (pn_cohort_free), as
 * pn_cohort_select would give it from the store (req->stale set when from an older one). */
int pn__tumours_build(pn__srv *srv, void **obj, pn_diag *diag);
void pn__tumours_destroy(void *obj);
struct pn_cohort;
struct pn_cohort_filter;
int pn__select(pn__req *req, const struct pn_cohort_filter *filter, struct pn_cohort **out,
               pn_diag *diag);

#endif
