/* no_suppress.c - the privileged act of publishing without disclosure control (--no-suppress of
 * report and pathway): the store opened for writing and the act recorded in its audit table
 * (who, when, the command line) before anything is printed; refused when it cannot be
 * recorded. */
#include "cli.h"
#include "pronostic/alloc.h"
#include "pronostic/store.h"

#include <stdio.h>

int pn_cli_open_no_suppress(pn_store **store, const char *db, int argc, char **argv,
                            pn_diag *diag)
{
    *store = NULL;
    int rc = pn_store_open(store, db, diag);
    if (rc != PN_OK) {
        char why[sizeof diag->msg];
        snprintf(why, sizeof why, "%s", diag->msg);
        return pn_diag_set(diag, rc, "option '--no-suppress' needs the store opened for writing, "
                           "to record the act in its audit table: %s", why);
    }
    char *line = NULL;
    if ((rc = pn_cli_command_line(argc, argv, &line)) != PN_OK) {
        rc = pn_diag_set(diag, rc, "out of memory");
    } else {
        rc = pn_cli_audit(*store, "no-suppress", line, -1, diag);
    }
    pn_free(line);
    if (rc != PN_OK) {
        pn_store_close(*store);
        *store = NULL;
    }
    return rc;
}
