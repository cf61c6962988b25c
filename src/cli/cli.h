/* cli.h - the command line's shared pieces: option tables, parsing, output and error reporting.
 *
 * Each subcommand declares a table of pn_optdef, calls pn_args_parse, and reports failures with
 * pn_cli_fail, which prints one line on stderr and returns the exit code of docs/interfaces.md 1.
 * `--help` and `--format` are accepted by every subcommand.
 */
#ifndef PRONOSTIC_CLI_H
#define PRONOSTIC_CLI_H

#include "pronostic/conf.h"
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

/* Option table entries shared by the subcommands that read survival rows (surv, logrank, cox). */
#define PN_SURV_INPUT_OPTS                                                                       \
    {"time", "COL", "follow-up (exit) time column (required)"},                                 \
    {"event", "COL", "event column (required)"},                                                 \
    {"event-value", "V", "value of the event column that means death (default: 1)"},             \
    {"time-unit", "days|months|years", "unit of the times (default days; with --db, of the output)"}

/* The option of the subcommands that read with threads (surv, logrank, cox, netsurv, trend). */
#define PN_THREADS_OPT {"threads", "N", "worker threads (default: the number of processors)"}

/* Parse argv (argv[0] is the subcommand's name) against `defs` (ended by a {NULL} entry).
 * Returns PN_OK; 1 after printing help on stdout for --help; or PN_EUSAGE after printing a
 * one-line message naming the option (an unknown option, a missing value, a value given to a
 * flag, an option given twice). `synopsis` and `defs` feed the help text. */
int pn_args_parse(pn_args *args, const char *cmd, const char *synopsis, const char *details,
                  const pn_optdef *defs, int argc, char **argv);
void pn_args_free(pn_args *args);

/* The value of option `name` or NULL when not given. */
const char *pn_args_get(const pn_args *args, const char *name);
/* 1 when option `name` was given. */
int pn_args_has(const pn_args *args, const char *name);
/* PN_OK when each of the `n` options `names` was given, else PN_EUSAGE naming the first one
 * missing: "option '--NAME' is required". */
int pn_args_require(const pn_args *args, const char *const *names, size_t n, pn_diag *diag);
/* PN_OK when exactly one positional argument (the input FILE.csv) was given, else PN_EUSAGE:
 * "missing input FILE.csv" or "expected one input file, got N". */
int pn_args_input(const pn_args *args, pn_diag *diag);
/* For subcommands that read FILE.csv or a --db selection: exactly one of the two. */
int pn_args_input_or_db(const pn_args *args, pn_diag *diag);
/* The input of surv and cox: FILE.csv with --time and --event, or --db without the options that
 * name CSV columns (--time, --event, --event-value, --entry, --weights). */
int pn_args_survival_source(const pn_args *args, pn_diag *diag);
/* With --db, PN_EUSAGE naming the first of the `n` options `csv_only` given (they name CSV
 * columns, which a store selection does not have); PN_OK otherwise. */
int pn_args_refuse_with_db(const pn_args *args, const char *const *csv_only, size_t n,
                           pn_diag *diag);
/* The number of days in one unit of --time-unit (days: 1, months: 365.241/12, years: 365.241);
 * PN_EUSAGE naming the option for another value. */
int pn_args_time_unit(const pn_args *args, double *days_per_unit, pn_diag *diag);
/* Parse option `name` as a number (PN_OK, leaves *out untouched when absent) or report a usage
 * error naming it. */
int pn_args_double(const pn_args *args, const char *name, double *out, pn_diag *diag);
int pn_args_long(const pn_args *args, const char *name, long *out, pn_diag *diag);
/* --threads (PN_THREADS_OPT), or the number of online processors; at most 16. PN_OK or
 * PN_EUSAGE. */
int pn_args_threads(const pn_args *args, int *threads, pn_diag *diag);
/* --conf-type log|log-log|plain (default log) into *type and --conf LEVEL (default 0.95, in
 * (0, 1)) as its normal quantile into *z; PN_EUSAGE naming the option otherwise. */
int pn_args_conf_interval(const pn_args *args, pn_conf_type *type, double *z, pn_diag *diag);
/* --from YEAR and --to YEAR (each optional; 0 when not given) into *from and *to: years 1800 to
 * 2200, from <= to; PN_EUSAGE naming the options otherwise. */
int pn_args_year_range(const pn_args *args, int *from, int *to, pn_diag *diag);

/* A comma-separated option value split into items ("a,b" -> "a", "b"). */
typedef struct pn_list {
    char *copy;           /* the value, with the commas replaced by NULs */
    const char **items;   /* n pointers into copy */
    size_t n;
} pn_list;

/* Split option `name`'s value into *list (owned by the caller: pn_list_free). An absent option
 * gives an empty list; an empty item ("a,,b") or an item listed twice ("sex,sex") is a usage
 * error naming the option. */
int pn_args_list(const pn_args *args, const char *name, pn_list *list, pn_diag *diag);
void pn_list_free(pn_list *list);

/* The command line as a person would type it again, "pronostic SUBCOMMAND ARGS..." (argv[0]
 * is the subcommand), each argument holding other than [A-Za-z0-9_./:=,+-] single-quoted:
 * *out is owned by the caller (pn_free). PN_OK or PN_ENOMEM. */
int pn_cli_command_line(int argc, char **argv, char **out);

struct pn_store;
/* --no-suppress: open the store `db` for writing into *store (the caller closes it) and record
 * the act (who, when, the command line argv[0..argc)) in its audit table. PN_OK, or an error
 * saying the store must be writable (nothing recorded, *store NULL). */
int pn_cli_open_no_suppress(struct pn_store **store, const char *db, int argc, char **argv,
                            pn_diag *diag);

/* Write the `len` bytes of `data` (borrowed) to the file `path` atomically: a temporary file
 * beside it (PATH.tmp.PID), flushed, then renamed over `path`. PN_OK, or PN_EIO "cannot write
 * 'PATH': reason" (nothing left behind), PN_ENOMEM. */
int pn_cli_write_file(const char *path, const char *data, size_t len, pn_diag *diag);
/* The effective user's name, or "uid N" when it has none, into `buf` (whoami.c). */
void pn_cli_whoami(char *buf, size_t size);
/* Record in the audit of `store` (opened for writing) that the effective user did `action` with
 * `detail` (never a secret), having read `rows` patient-level rows (< 0: not a read). */
int pn_cli_audit(struct pn_store *store, const char *action, const char *detail, long long rows,
                 pn_diag *diag);

/* Tell stderr how many rows were dropped for missing values (nothing when none). */
void pn_cli_report_dropped(const char *cmd, size_t dropped);

/* Print "pronostic CMD: MESSAGE" on stderr (the diag message, or pn_strerror(rc)) and return
 * the exit code for rc. */
int pn_cli_fail(const char *cmd, int rc, const pn_diag *diag);

/* Print a warning "pronostic CMD: warning: ..." on stderr. */
void pn_cli_warn(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Warn that no row of `path` has the event value (NULL: "1") in column `event`, saying what
 * follows ("every row is censored", "the test is undefined"). */
void pn_cli_warn_no_event(const char *cmd, const char *path, const char *event,
                          const char *event_value, const char *consequence);

/* Warn once when the event column's censoring value `censor` (NULL: none) is not a usual code
 * (pn_event_code_usual: 0, 1, 2, alive, censored): "Dead" for --event-value dead, "l" typed for
 * "1", or a value carrying a byte-order mark censor deaths silently otherwise. The warning
 * names the column, the file, the value (control bytes and a BOM shown as escapes) and its
 * number of rows. */
void pn_cli_warn_censoring(const char *cmd, const char *path, const char *column,
                           const char *event_value, const char *censor, size_t rows);

/* Subcommands: each takes argc/argv with argv[0] the subcommand's name, returns an exit code. */
typedef int (*pn_command_fn)(int argc, char **argv);
#define PN_COMMAND(name, fn, summary) int fn(int argc, char **argv);
#include "commands.def"
#undef PN_COMMAND

/* ---- --db: a selection of the store as analysis input (src/cli/dbselect.c) ----------------- */

/* Option table entries for --db selections. Commands add PN_DBSELECT_SITE_OPT,
 * PN_DBSELECT_SEX_OPT and PN_DBSELECT_CLOSING_OPT unless they have a --site, --sex or --closing
 * option of their own (netsurv's keep their meaning for CSV input; with --db, --site and --sex
 * select, --closing ends the follow-up). */
#define PN_DBSELECT_OPTS                                                                         \
    {"db", "FILE", "analyse a selection of this store instead of FILE.csv"},                     \
    {"from", "YEAR", "with --db: first year of diagnosis"},                                      \
    {"to", "YEAR", "with --db: last year of diagnosis"},                                         \
    {"ages", "MIN-MAX", "with --db: ages at diagnosis MIN <= age < MAX (65-75, 75+, -15)"},      \
    {"departement", "CODE", "with --db: residence in this département (75, 2A, 971)"},          \
    {"region", "NAME", "with --db: residence in this region (name or INSEE code)"}
#define PN_DBSELECT_SITE_OPT {"site", "SITE", "with --db: pancreas|oesophagus|liver|lung|cns|ovary|aml"}
#define PN_DBSELECT_SEX_OPT {"sex", "male|female", "with --db: select one sex"}
#define PN_DBSELECT_CLOSING_OPT                                                                  \
    {"closing", "YYYY-MM-DD", "with --db: end of follow-up (default: latest vital-status date)"}

#include <stdint.h>

struct pn_cohort;
struct pn_column;
struct pn_survdata;

/* When --db is given: parse the selection options, select from the store and print a one-line
 * summary on stderr ("N tumours selected ..."); *out is then owned by the caller
 * (pn_cohort_free). Without --db: PN_OK and *out NULL (read FILE.csv as usual). Usage errors
 * name the option; an empty selection is PN_EEMPTY. */
int pn_dbselect_cohort(const pn_args *args, struct pn_cohort **out, pn_diag *diag);

#endif
