/* auth.c - who asks: the session cookie or the API token of a request, else the public. */
#include "server_internal.h"

#include "pronostic/alloc.h"

#include <string.h>

void pn__who_clear(pn__who *who)
{
    for (size_t i = 0; i < who->nsources; i++) pn_free(who->sources[i]);
    pn_free(who->sources);
    memset(who, 0, sizeof *who);
}

int pn__identify(pn__req *req, pn__resp *resp)
{
    req->who.role = PN__ROLE_PUBLIC;
    return 1;
}
