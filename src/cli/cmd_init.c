/* cmd_init.c - `pronostic init --db FILE`: create an empty store and its secret key. */
#include "cli.h"
#include "pronostic/pseudonym.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int pn_cmd_init(int argc, char **argv)
{
    static const pn_optdef defs[] = {
        {"db", "FILE", "the store to create (its key goes to FILE.key, mode 0600)"},
        {NULL, NULL, NULL},
    };
    pn_args args;
    int rc = pn_args_parse(&args, "init", "--db FILE",
                           "Create an empty store FILE (SQLite, WAL) and a new 32-byte secret key "
                           "in FILE.key,\nreadable by its owner only. With PRONOSTIC_KEY set (64 "
                           "hex digits), that key is used\nand no key file is written. Keep the "
                           "key: without it the store's pseudonyms cannot be\nlinked to new data. "
                           "An existing FILE.key without its store (an init stopped half-way,\n"
                           "or a store rebuilt on purpose) is reused, so pseudonyms stay the same.",
                           defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_diag diag = {0};
    int reused = 0;
    const char *db = pn_args_get(&args, "db");
    if (db == NULL) {
        pn_diag_set(&diag, PN_EUSAGE, "option '--db' is required");
        rc = PN_EUSAGE;
    } else if (args.npos > 0) {
        pn_diag_set(&diag, PN_EUSAGE, "unexpected argument '%s'", args.positional[0]);
        rc = PN_EUSAGE;
    } else {
        char keypath[4096];
        const char *env = getenv(PN_KEY_ENV);
        snprintf(keypath, sizeof keypath, "%s.key", db);
        reused = (env == NULL || env[0] == '\0') && access(keypath, F_OK) == 0;
        rc = pn_store_init(db, &diag);
    }
    int exit_code = rc == PN_OK ? PN_EXIT_OK : pn_cli_fail("init", rc, &diag);
    if (rc == PN_OK)
        fprintf(stderr, "pronostic init: created %s%s\n", db,
                reused ? " (with its existing key file)" : "");
    pn_args_free(&args);
    return exit_code;
}
