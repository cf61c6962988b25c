/* whoami.c - who runs the command, for the audit: the effective user's name (or "uid N" when
 * it has none), and the recording of an act under that name. */
#include "cli.h"
#include "pronostic/store.h"

#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

void pn_cli_whoami(char *buf, size_t size)
{
    uid_t uid = geteuid();
    struct passwd *pw = getpwuid(uid);
    if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
        snprintf(buf, size, "%s", pw->pw_name);
    else
        snprintf(buf, size, "uid %ld", (long)uid);
}

int pn_cli_audit(struct pn_store *store, const char *action, const char *detail, long long rows,
                 pn_diag *diag)
{
    char who[256];
    pn_cli_whoami(who, sizeof who);
    return pn_store_audit(store, who, action, detail, rows, diag);
}
