/* cmd_serve.c - `pronostic serve`: the HTTP API and the dashboard (docs/api.md) until Ctrl-C. */
#include "cli.h"
#include "pronostic/server.h"

#include <string.h>

static const pn_optdef defs[] = {
    {"db", "FILE", "the store (required; opened for writing, for the audit of reads)"},
    {"listen", "HOST:PORT", "address to listen on (default 127.0.0.1:8080; port 0: any free)"},
    PN_THREADS_OPT,
    {"tls-cert", "FILE", "PEM certificate: serve HTTPS (with --tls-key)"},
    {"tls-key", "FILE", "PEM private key of --tls-cert"},
    {"web", "DIR", "the dashboard's files (default: the web/ folder of the sources)"},
    {"min-cell", "K", "disclosure control threshold (default 10)"},
    {"session-idle", "SECONDS", "a session unused this long expires (default 1800)"},
    {"port-file", "FILE", "write the port listened on to FILE once listening"},
    {NULL, NULL, NULL},
};

static const char details[] =
    "Serves the French dashboard and the JSON API under /api/v1/ (docs/api.md; the OpenAPI\n"
    "document at /api/v1/openapi.json). Aggregates are published under disclosure control;\n"
    "accounts (pronostic user) log in for more; every patient-level read and every figure\n"
    "without disclosure control is recorded in the store's audit (pronostic audit).";

int pn_cmd_serve(int argc, char **argv)
{
    const char *cmd = "serve";
    pn_args args;
    pn_diag diag = {0};
    int rc = pn_args_parse(&args, cmd, "--db FILE [--listen HOST:PORT] [--threads N] "
                           "[--tls-cert FILE --tls-key FILE] [--web DIR] [--min-cell K] "
                           "[--session-idle SECONDS] [--port-file FILE]",
                           details, defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_server_opts o = {
        .db = pn_args_get(&args, "db"),
        .listen = pn_args_get(&args, "listen"),
        .tls_cert = pn_args_get(&args, "tls-cert"),
        .tls_key = pn_args_get(&args, "tls-key"),
        .web_dir = pn_args_get(&args, "web"),
        .port_file = pn_args_get(&args, "port-file"),
    };
    long k = 10, idle = 1800;
    if (o.db == NULL) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--db' is required");
    } else if (args.npos > 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "unexpected argument '%s'", args.positional[0]);
    } else if ((rc = pn_args_long(&args, "min-cell", &k, &diag)) == PN_OK &&
               (k < 2 || k > 1000000)) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--min-cell': must be from 2 to 1000000");
    } else if (rc == PN_OK && (rc = pn_args_long(&args, "session-idle", &idle, &diag)) == PN_OK &&
               (idle < 1 || idle > 86400)) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--session-idle': must be from 1 to 86400");
    }
    if (rc == PN_OK && pn_args_has(&args, "threads"))
        rc = pn_args_threads(&args, &o.threads, &diag);
    if (rc == PN_OK) {
        o.min_cell = k;
        o.session_idle = (int)idle;
        rc = pn_server_run(&o, &diag);
    }
    if (rc != PN_OK) rc = pn_cli_fail(cmd, rc, &diag);
    pn_args_free(&args);
    return rc;
}
