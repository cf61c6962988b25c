/* cmd_quarantine.c - `pronostic quarantine --db FILE`: the rejected rows and their reasons. */
#include "cli.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <string.h>

typedef struct listing {
    pn_writer *w;
    const char *source;   /* only this source, or NULL */
    int errors_only;      /* leave out the warnings */
} listing;

static int put_row(const pn_quarantine_row *q, void *ctx)
{
    const listing *l = ctx;
    pn_writer *w = l->w;
    if (l->source != NULL && strcmp(l->source, q->source) != 0) return 0;
    if (l->errors_only && strcmp(q->severity, "error") != 0) return 0;
    pn_writer_str(w, q->file);
    pn_writer_int(w, q->line);
    pn_writer_str(w, q->field);
    pn_writer_str(w, q->reason);
    pn_writer_str(w, q->severity);
    pn_writer_str(w, q->source);
    pn_writer_int(w, q->run);
    return pn_writer_end_row(w);
}

int pn_cmd_quarantine(int argc, char **argv)
{
    static const pn_optdef defs[] = {
        {"db", "FILE", "the store"},
        {"source", "NAME", "only the entries of this source"},
        {"errors", NULL, "only the rejected rows and files (no warnings)"},
        {NULL, NULL, NULL},
    };
    pn_args args;
    int rc = pn_args_parse(&args, "quarantine", "--db FILE",
                           "List the rows and files imports rejected (severity error) and the "
                           "warnings (unknown\ncolumns and files, header-only files): "
                           "file,line,field,reason,severity,source,run.\nLine 0 concerns a whole "
                           "file; line 1 is the header.",
                           defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_diag diag = {0};
    pn_store *store = NULL;
    pn_writer *w = NULL;
    static const char *const cols[] = {"file", "line", "field", "reason", "severity", "source",
                                       "run"};
    const char *db = pn_args_get(&args, "db");
    if (db == NULL) rc = pn_diag_set(&diag, PN_EUSAGE, "option '--db' is required");
    else if ((rc = pn_store_open_readonly(&store, db, &diag)) == PN_OK &&
             (rc = pn_writer_open(&w, stdout, args.format, cols, 7)) == PN_OK) {
        listing l = {w, pn_args_get(&args, "source"), pn_args_has(&args, "errors")};
        rc = pn_store_quarantine(store, put_row, &l, &diag);
    }
    int wrc = pn_writer_close(w);
    if (rc == PN_OK && wrc != PN_OK) rc = wrc;
    int exit_code = rc == PN_OK ? PN_EXIT_OK : pn_cli_fail("quarantine", rc, &diag);
    pn_store_close(store);
    pn_args_free(&args);
    return exit_code;
}
