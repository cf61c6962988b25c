/* error.h - the one error vocabulary of pronostic: PN_E* codes, messages, diagnostics.
 *
 * Every function that can fail returns an int: 0 (PN_OK) on success, a negative PN_E* code
 * otherwise. The code says what kind of failure; the optional pn_diag says where (file, line,
 * field) in one human sentence. The table below is the single source of both the enum and
 * pn_strerror(); add a code by adding one line.
 */
#ifndef PRONOSTIC_ERROR_H
#define PRONOSTIC_ERROR_H

#include <stddef.h>

/* X(name, value, message). Values are stable: never renumber, only append. */
#define PN_ERRORS(X)                                                       \
    X(OK, 0, "success")                                                    \
    X(ENOMEM, -1, "out of memory")                                         \
    X(EINVAL, -2, "invalid argument")                                      \
    X(EIO, -3, "input/output error")                                       \
    X(EPARSE, -4, "malformed input")                                       \
    X(ERANGE, -5, "value out of range")                                    \
    X(ENOCOL, -6, "missing column")                                        \
    X(EUSAGE, -7, "usage error")                                           \
    X(ETOOBIG, -8, "input too large")                                      \
    X(ENOTFOUND, -9, "not found")                                          \
    X(EDUP, -10, "duplicate")                                              \
    X(ECONVERGE, -11, "did not converge")                                  \
    X(ESINGULAR, -12, "singular matrix")                                   \
    X(EDB, -13, "database error")                                          \
    X(EPERM, -14, "permission denied")                                     \
    X(EEMPTY, -15, "no data")                                              \
    X(EINTERNAL, -16, "internal error")                                    \
    X(EPARTIAL, -17, "partial success")                                    \
    X(ECRYPTO, -18, "cryptographic failure")                               \
    X(EENCODING, -19, "invalid encoding")                                  \
    X(ECANCELED, -20, "cancelled")

enum pn_error {
#define PN__ERR_ENUM(name, value, msg) PN_##name = (value),
    PN_ERRORS(PN__ERR_ENUM)
#undef PN__ERR_ENUM
};

/* Static message for a code; "unknown error" for a code not in the table. */
const char *pn_strerror(int code);

/* Symbolic name ("EPARSE") for a code; "EUNKNOWN" for a code not in the table. */
const char *pn_errname(int code);

/* A diagnostic: where and why, as one sentence for a person. Callers own it (usually on the
 * stack); functions that take a `pn_diag *` may receive NULL and then only return the code. */
typedef struct pn_diag {
    int code;           /* the PN_E* code last set, 0 if none */
    char msg[1024];     /* "file.csv:12: column 'time': 'abc' is not a number" */
} pn_diag;

/* Record a failure in `diag` (may be NULL) and return `code`, so callers can write
 * `return pn_diag_set(diag, PN_EPARSE, "%s:%ld: ...", ...);`. The last call wins. */
int pn_diag_set(pn_diag *diag, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clear a diagnostic. */
void pn_diag_clear(pn_diag *diag);

/* Exit codes of the command line (docs/interfaces.md 1): map a PN_E* code to 0..4. */
enum pn_exit { PN_EXIT_OK = 0, PN_EXIT_USAGE = 1, PN_EXIT_INPUT = 2, PN_EXIT_PARTIAL = 3,
               PN_EXIT_INTERNAL = 4 };
int pn_exit_code(int code);

#endif
