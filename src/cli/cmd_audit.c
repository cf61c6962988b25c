/* cmd_audit.c - `pronostic audit --db FILE`: the store's audit of privileged acts (figures
 * published without disclosure control, changes of accounts, reads of patient-level rows),
 * filtered by day, user and action. */
#include "cli.h"
#include "pronostic/date.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <string.h>

static int put_entry(const pn_audit_row *r, void *ctx)
{
    pn_writer *w = ctx;
    pn_writer_int(w, r->id);
    pn_writer_str(w, r->at);
    pn_writer_str(w, r->who);
    pn_writer_str(w, r->action);
    if (r->rows >= 0) pn_writer_int(w, r->rows);
    else pn_writer_missing(w);
    pn_writer_str(w, r->detail);
    return pn_writer_end_row(w);
}

int pn_cmd_audit(int argc, char **argv)
{
    static const pn_optdef defs[] = {
        {"db", "FILE", "the store"},
        {"since", "YYYY-MM-DD", "only the entries of that day (UTC) and later"},
        {"who", "NAME", "only this user's entries"},
        {"action", "A", "only this action's entries (no-suppress, user-add, ...)"},
        {"limit", "N", "at most N entries (the first in the order listed)"},
        {"newest-first", NULL, "list the newest entries first"},
        {NULL, NULL, NULL},
    };
    pn_args args;
    int rc = pn_args_parse(&args, "audit", "--db FILE [--since YYYY-MM-DD] [--who NAME] "
                           "[--action A] [--limit N]",
                           "List the store's audit of privileged acts, oldest first: "
                           "id,at,who,action,rows,detail.\n`at` is the UTC time; `rows` the "
                           "number of patient-level rows the act read (empty when\nit was not "
                           "a read). The audit is append-only; its entries are kept at least "
                           "183 days.",
                           defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_diag diag = {0};
    pn_store *store = NULL;
    pn_writer *w = NULL;
    static const char *const cols[] = {"id", "at", "who", "action", "rows", "detail"};
    static const char *const need_db[] = {"db"};
    pn_audit_filter f = {pn_args_get(&args, "since"), pn_args_get(&args, "who"),
                         pn_args_get(&args, "action"), 0, pn_args_has(&args, "newest-first")};
    long limit = 0;
    int32_t day;
    if ((rc = pn_args_require(&args, need_db, 1, &diag)) != PN_OK ||
        (rc = pn_args_long(&args, "limit", &limit, &diag)) != PN_OK)
        goto done;
    if (pn_args_has(&args, "limit") && limit < 1) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--limit': %ld is not a positive number", limit);
        goto done;
    }
    f.limit = limit;
    if (f.since && (strlen(f.since) != 10 || pn_date_parse(f.since, 10, 0, &day, NULL) != PN_OK)) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--since': '%s' is not a date (YYYY-MM-DD)",
                         f.since);
        goto done;
    }
    if (args.npos > 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "unexpected argument '%s'", args.positional[0]);
        goto done;
    }
    if ((rc = pn_store_open_readonly(&store, pn_args_get(&args, "db"), &diag)) == PN_OK &&
        (rc = pn_writer_open(&w, stdout, args.format, cols, 6)) == PN_OK)
        rc = pn_store_audit_list(store, &f, put_entry, w, &diag);
done:;
    int wrc = pn_writer_close(w);
    if (rc == PN_OK && wrc != PN_OK) rc = pn_diag_set(&diag, wrc, "cannot write the list");
    int exit_code = rc == PN_OK ? PN_EXIT_OK : pn_cli_fail("audit", rc, &diag);
    pn_store_close(store);
    pn_args_free(&args);
    return exit_code;
}
