/* server.h - `pronostic serve`: the HTTP API under /api/v1/ and the dashboard's static files
 * (docs/api.md), on GNU libmicrohttpd's thread pool, over the same lower layers as the command
 * line. */
#ifndef PRONOSTIC_SERVER_H
#define PRONOSTIC_SERVER_H

#include "pronostic/error.h"

typedef struct pn_server_opts {
    const char *db;           /* the store (required); opened read-only per query, and once for
                                 writing, for its audit */
    const char *listen;       /* "HOST:PORT" (NULL: 127.0.0.1:8080); port 0: a free port */
    int threads;              /* the pool's threads (0: the number of processors) */
    const char *tls_cert;     /* PEM files for HTTPS, both or neither */
    const char *tls_key;
    const char *web_dir;      /* the dashboard's files (NULL: the source tree's web/) */
    long long min_cell;       /* disclosure threshold K (0: 10) */
    int session_idle;         /* seconds a session lives unused (0: 1800) */
    int session_max;          /* seconds a session lives at most (0: 28800) */
    const char *port_file;    /* NULL, or a file the bound port is written to once listening */
} pn_server_opts;

/* Run the server until SIGINT or SIGTERM: loads the dashboard's files, opens the store, binds,
 * prints "pronostic serve: listening on URL" on stderr, serves, and returns PN_OK after a
 * clean stop. Errors (the store, the files, the address in use, TLS files) are returned with a
 * message before anything is served. */
int pn_server_run(const pn_server_opts *opts, pn_diag *diag);

#endif
