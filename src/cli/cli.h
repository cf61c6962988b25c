/* cli.h - the command line's shared pieces: option tables, parsing, output and error reporting.
 *
 * Each subcommand declares a table of pn_optdef, calls pn_args_parse, and reports failures with
 * pn_cli_fail, which prints one line on stderr and returns the exit code of INTERFACES.md 1.
 * `--help` and `--format` are accepted by every subcommand.
 */
#ifndef PRONOSTIC_CLI_H
#define PRONOSTIC_CLI_H

#include "pronostic/error.h"
#include "pronostic/writer.h"

#include <stddef.h>
#include <stdio.h>

#define PN_VERSION "0.1.0"

typedef struct pn_optdef {
    const char *name;     /* without the leading "--" */
    const char *metavar;  /* NULL for a flag without value */
    const char *help;
} pn_optdef;

typedef struct pn_args {
    const char *cmd;
    const pn_optdef *defs;
    size_t ndefs;
    const char **values;  /* per def: the last value given, or NULL; flags get "1" */
    char **positional;
    size_t npos;
    pn_format format;
} pn_args;

/* Parse argv (argv[0] is the subcommand's name) against `defs` (ended by a {NULL} entry).
 * Returns PN_OK; 1 after printing help on stdout for --help; or PN_EUSAGE after printing a
 * one-line message naming the option. `synopsis` and `defs` feed the help text. */
int pn_args_parse(pn_args *args, const char *cmd, const char *synopsis, const char *details,
                  const pn_optdef *defs, int argc, char **argv);
void pn_args_free(pn_args *args);

/* The value of option `name` or NULL when not given. */
const char *pn_args_get(const pn_args *args, const char *name);
/* 1 when option `name` was given. */
int pn_args_has(const pn_args *args, const char *name);
/* Parse option `name` as a number (PN_OK, leaves *out untouched when absent) or report a usage
 * error naming it. */
int pn_args_double(const pn_args *args, const char *name, double *out, pn_diag *diag);
int pn_args_long(const pn_args *args, const char *name, long *out, pn_diag *diag);

/* A comma-separated option value split into items ("a,b" -> "a", "b"). */
typedef struct pn_list {
    char *copy;           /* the value, with the commas replaced by NULs */
    const char **items;   /* n pointers into copy */
    size_t n;
} pn_list;

/* Split option `name`'s value into *list (owned by the caller: pn_list_free). An absent option
 * gives an empty list; an empty item ("a,,b") is a usage error naming the option. */
int pn_args_list(const pn_args *args, const char *name, pn_list *list, pn_diag *diag);
void pn_list_free(pn_list *list);

/* Tell stderr how many rows were dropped for missing values (nothing when none). */
void pn_cli_report_dropped(const char *cmd, size_t dropped);

/* Print "pronostic CMD: MESSAGE" on stderr (the diag message, or pn_strerror(rc)) and return
 * the exit code for rc. */
int pn_cli_fail(const char *cmd, int rc, const pn_diag *diag);

/* Print a warning "pronostic CMD: warning: ..." on stderr. */
void pn_cli_warn(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Subcommands: each takes argc/argv with argv[0] the subcommand's name, returns an exit code. */
typedef int (*pn_command_fn)(int argc, char **argv);

#endif
