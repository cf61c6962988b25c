/* error.c - pn_strerror, pn_errname and diagnostics, generated from the PN_ERRORS table. */
#include "pronostic/error.h"

#include <stdarg.h>
#include <stdio.h>

const char *pn_strerror(int code)
{
    switch (code) {
#define PN__ERR_MSG(name, value, msg) case (value): return (msg);
        PN_ERRORS(PN__ERR_MSG)
#undef PN__ERR_MSG
    default: return "unknown error";
    }
}

const char *pn_errname(int code)
{
    switch (code) {
#define PN__ERR_NAME(name, value, msg) case (value): return #name;
        PN_ERRORS(PN__ERR_NAME)
#undef PN__ERR_NAME
    default: return "EUNKNOWN";
    }
}

int pn_diag_set(pn_diag *diag, int code, const char *fmt, ...)
{
    if (diag == NULL) return code;
    diag->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
    va_end(ap);
    return code;
}

void pn_diag_clear(pn_diag *diag)
{
    if (diag == NULL) return;
    diag->code = 0;
    diag->msg[0] = '\0';
}

int pn_exit_code(int code)
{
    switch (code) {
    case PN_OK: return PN_EXIT_OK;
    case PN_EUSAGE: case PN_ENOCOL: case PN_EINVAL: return PN_EXIT_USAGE;
    case PN_EIO: case PN_EPARSE: case PN_ERANGE: case PN_ETOOBIG: case PN_ENOTFOUND:
    case PN_EDUP: case PN_EEMPTY: case PN_EENCODING: case PN_EPERM: return PN_EXIT_INPUT;
    case PN_EPARTIAL: return PN_EXIT_PARTIAL;
    default: return PN_EXIT_INTERNAL;
    }
}
