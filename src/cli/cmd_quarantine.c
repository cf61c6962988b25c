/* cmd_quarantine.c - `pronostic quarantine --db FILE`: the rejected rows and their reasons, the
 * conflicts between sources, and on request the rejected values read back from the bundle. */
#include "cli.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <string.h>

typedef struct listing {
    pn_writer *w;
    int values;           /* a value column (--show-values) */
    size_t n_differ;      /* values the bundle no longer holds */
} listing;

static int put_row(const pn_quarantine_row *q, void *ctx)
{
    listing *l = ctx;
    pn_writer *w = l->w;
    pn_writer_str(w, q->file);
    pn_writer_int(w, q->line);
    pn_writer_str(w, q->field);
    pn_writer_str(w, q->reason);
    pn_writer_str(w, q->severity);
    pn_writer_str(w, q->source);
    pn_writer_int(w, q->run);
    if (l->values) {
        if (q->value) pn_writer_str(w, q->value);
        else pn_writer_missing(w);
        l->n_differ += q->value_differs != 0;
    }
    return pn_writer_end_row(w);
}

int pn_cmd_quarantine(int argc, char **argv)
{
    static const pn_optdef defs[] = {
        {"db", "FILE", "the store"},
        {"source", "NAME", "only the entries of this source"},
        {"errors", NULL, "only the rejected rows and files (no warnings, no conflicts)"},
        {"conflicts", NULL, "only the conflicts between sources"},
        {"show-values", "DIR", "read the rejected values back from the bundle DIR (a value "
                               "column; needs --source when several sources have entries)"},
        {NULL, NULL, NULL},
    };
    pn_args args;
    int rc = pn_args_parse(&args, "quarantine", "--db FILE",
                           "List the rows and files imports rejected (severity error), the "
                           "warnings (unknown\ncolumns and files, header-only files) and the "
                           "conflicts between sources (severity\nconflict: both rows are kept; "
                           "the reason names the other source, its line and both\nvalues): "
                           "file,line,field,reason,severity,source,run. Line 0 concerns a whole "
                           "file;\nline 1 is the header. Reasons never quote the rejected value: "
                           "--show-values DIR\nreads it back from the bundle (column value, "
                           "empty when the file no longer holds it).",
                           defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_diag diag = {0};
    pn_store *store = NULL;
    pn_writer *w = NULL;
    static const char *const cols[] = {"file", "line", "field", "reason", "severity", "source",
                                       "run", "value"};
    const char *db = pn_args_get(&args, "db");
    pn_quarantine_opts o = {pn_args_get(&args, "source"), 0, pn_args_get(&args, "show-values")};
    if (pn_args_has(&args, "errors")) o.severities |= PN_QUARANTINE_ERRORS;
    if (pn_args_has(&args, "conflicts")) o.severities |= PN_QUARANTINE_CONFLICTS;
    listing l = {NULL, o.values_dir != NULL, 0};
    if (db == NULL) rc = pn_diag_set(&diag, PN_EUSAGE, "option '--db' is required");
    else if ((rc = pn_store_open_readonly(&store, db, &diag)) == PN_OK &&
             (rc = pn_writer_open(&w, stdout, args.format, cols, l.values ? 8 : 7)) == PN_OK) {
        l.w = w;
        rc = pn_store_quarantine(store, &o, put_row, &l, &diag);
    }
    int wrc = pn_writer_close(w);
    if (rc == PN_OK && wrc != PN_OK) rc = wrc;
    if (rc == PN_OK && l.n_differ)
        pn_cli_warn("quarantine", "%zu value%s no longer in the file (%s changed since its "
                    "import): left empty", l.n_differ, l.n_differ == 1 ? " is" : "s are",
                    o.values_dir);
    int exit_code = rc == PN_OK ? PN_EXIT_OK : pn_cli_fail("quarantine", rc, &diag);
    pn_store_close(store);
    pn_args_free(&args);
    return exit_code;
}
