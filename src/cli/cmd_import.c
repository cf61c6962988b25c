/* cmd_import.c - `pronostic import DIR --db FILE [--source NAME]`: load a CSV bundle. */
#include "cli.h"
#include "pronostic/date.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <string.h>

/* --progress: a line on stderr after each file. */
static void print_progress(void *ctx, const char *file, long long rows_read)
{
    (void)ctx;
    fprintf(stderr, "pronostic import: %s: %lld rows read so far\n", file, rows_read);
}

int pn_cmd_import(int argc, char **argv)
{
    static const pn_optdef defs[] = {
        {"db", "FILE", "the store (created by pronostic init)"},
        {"source", "NAME", "name of the sending source (default: default)"},
        {"today", "YYYY-MM-DD", "judge dates in the future against this day (default: today, "
                                "or PRONOSTIC_TODAY)"},
        {"progress", NULL, "print progress on stderr"},
        {NULL, NULL, NULL},
    };
    pn_args args;
    int rc = pn_args_parse(&args, "import", "DIR --db FILE [--source NAME]",
                           "Load the CSV bundle in DIR (docs/data-format.md) in one transaction. "
                           "Rejected rows go\nto the quarantine (pronostic quarantine); the exit "
                           "code is then 3, as it is when this\nsource disagrees with another "
                           "(conflicts: both rows are kept). Re-importing the same\nbundle "
                           "changes nothing. Prints run,read,loaded,unchanged,quarantined,"
                           "warnings,conflicts.",
                           defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_diag diag = {0};
    pn_store *store = NULL;
    pn_import_opts opts = {0};
    pn_import_stats stats = {0};
    const char *db = pn_args_get(&args, "db"), *today = pn_args_get(&args, "today");
    opts.source = pn_args_get(&args, "source");
    if (pn_args_has(&args, "progress")) opts.progress = print_progress;
    if (db == NULL) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--db' is required");
    } else if (args.npos != 1) {
        rc = pn_diag_set(&diag, PN_EUSAGE, args.npos == 0 ? "the bundle directory is required"
                                                          : "give one bundle directory");
    } else if (today != NULL &&
               pn_date_parse(today, strlen(today), 0, &opts.today, NULL) != PN_OK) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--today': '%s' is not a date (YYYY-MM-DD)",
                         today);
    } else if (opts.source != NULL && opts.source[0] == '\0') {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--source': empty name");
    } else if ((rc = pn_store_open(&store, db, &diag)) == PN_OK) {
        if (pn_store_tightened(store))
            pn_cli_warn("import", "%s and its files were readable by group or others; they are "
                        "now readable by their owner only (mode 0600)", db);
        rc = pn_store_import(store, args.positional[0], &opts, &stats, &diag);
    }
    int exit_code;
    if (rc != PN_OK) {
        exit_code = pn_cli_fail("import", rc, &diag);
    } else {
        static const char *const cols[] = {"run", "read", "loaded", "unchanged", "quarantined",
                                           "warnings", "conflicts"};
        pn_writer *w = NULL;
        exit_code = PN_EXIT_OK;
        if (pn_writer_open(&w, stdout, args.format, cols, 7) == PN_OK) {
            pn_writer_int(w, stats.run);
            pn_writer_int(w, stats.read);
            pn_writer_int(w, stats.loaded);
            pn_writer_int(w, stats.unchanged);
            pn_writer_int(w, stats.quarantined);
            pn_writer_int(w, stats.warnings);
            pn_writer_int(w, stats.conflicts);
            pn_writer_end_row(w);
        }
        if (pn_writer_close(w) != PN_OK) exit_code = PN_EXIT_INTERNAL;
        if (stats.quarantined > 0) {
            fprintf(stderr,
                    "pronostic import: %lld rows quarantined (pronostic quarantine --db %s)\n",
                    stats.quarantined, db);
            if (exit_code == PN_EXIT_OK) exit_code = PN_EXIT_PARTIAL;
        }
        if (stats.conflicts > 0) {
            fprintf(stderr,
                    "pronostic import: %lld conflicts between this source and others; both rows "
                    "are kept (pronostic quarantine --conflicts --db %s)\n", stats.conflicts, db);
            if (exit_code == PN_EXIT_OK) exit_code = PN_EXIT_PARTIAL;
        }
    }
    pn_store_close(store);
    pn_args_free(&args);
    return exit_code;
}
