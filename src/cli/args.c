/* args.c - option parsing for subcommands: --name VALUE, --name=VALUE, flags, positionals. */
#include "cli.h"
#include "pronostic/alloc.h"
#include "pronostic/date.h"
#include "pronostic/threads.h"
#include "pronostic/num.h"
#include "pronostic/survinput.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const pn_optdef common_defs[] = {
    {"format", "csv|json|table", "output format (default: table on a terminal, csv otherwise)"},
    {"help", NULL, "print this help and exit"},
};

static void usage(FILE *out, const char *cmd, const char *synopsis, const char *details,
                  const pn_optdef *defs)
{
    fprintf(out, "usage: pronostic %s %s\n", cmd, synopsis);
    if (details != NULL) fprintf(out, "\n%s\n", details);
    fprintf(out, "\noptions:\n");
    for (const pn_optdef *d = defs; d->name; d++) {
        int pad = 28 - (int)strlen(d->name) - (d->metavar ? 1 : 0);
        fprintf(out, "  --%s%s%-*s %s\n", d->name, d->metavar ? " " : "", pad > 0 ? pad : 0,
                d->metavar ? d->metavar : "", d->help);
    }
    for (size_t i = 0; i < sizeof common_defs / sizeof *common_defs; i++)
        fprintf(out, "  --%-28s %s\n", common_defs[i].name, common_defs[i].help);
}

static const pn_optdef *find_def(const pn_optdef *defs, const char *name, size_t len,
                                 size_t *index)
{
    for (size_t i = 0; defs[i].name; i++)
        if (strlen(defs[i].name) == len && strncmp(defs[i].name, name, len) == 0) {
            *index = i;
            return &defs[i];
        }
    return NULL;
}

int pn_args_parse(pn_args *args, const char *cmd, const char *synopsis, const char *details,
                  const pn_optdef *defs, int argc, char **argv)
{
    memset(args, 0, sizeof *args);
    args->cmd = cmd;
    args->defs = defs;
    while (defs[args->ndefs].name) args->ndefs++;
    args->values = pn_calloc(args->ndefs, sizeof *args->values);
    args->positional = pn_calloc((size_t)argc, sizeof *args->positional);
    if (args->values == NULL || args->positional == NULL) {
        fprintf(stderr, "pronostic %s: out of memory\n", cmd);
        return PN_EUSAGE;
    }
    const char *format = NULL;
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_positional || a[0] != '-' || a[1] == '\0') {
            args->positional[args->npos++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) { only_positional = 1; continue; }
        if (a[1] != '-') {
            if (strcmp(a, "-h") == 0) a = "--help";
            else {
                fprintf(stderr, "pronostic %s: unknown option '%s' (see pronostic %s --help)\n",
                        cmd, a, cmd);
                return PN_EUSAGE;
            }
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        if (len == 4 && strncmp(name, "help", 4) == 0) {
            usage(stdout, cmd, synopsis, details, defs);
            return 1;
        }
        const char *value = eq ? eq + 1 : NULL;
        size_t idx = 0;
        const pn_optdef *def = find_def(defs, name, len, &idx);
        int is_format = len == 6 && strncmp(name, "format", 6) == 0;
        if (def == NULL && !is_format) {
            fprintf(stderr, "pronostic %s: unknown option '--%.*s' (see pronostic %s --help)\n",
                    cmd, (int)len, name, cmd);
            return PN_EUSAGE;
        }
        int wants_value = is_format || def->metavar != NULL;
        if (wants_value && value == NULL) {
            if (i + 1 >= argc) {
                fprintf(stderr, "pronostic %s: option '--%.*s' needs a value\n", cmd, (int)len,
                        name);
                return PN_EUSAGE;
            }
            value = argv[++i];
        } else if (!wants_value && value != NULL) {
            fprintf(stderr, "pronostic %s: option '--%.*s' takes no value\n", cmd, (int)len, name);
            return PN_EUSAGE;
        }
        /* a second value would silently replace the first: refuse it, whichever it is */
        if (is_format ? format != NULL : args->values[idx] != NULL) {
            fprintf(stderr, "pronostic %s: option '--%.*s' given twice\n", cmd, (int)len, name);
            return PN_EUSAGE;
        }
        if (is_format) format = value;
        else args->values[idx] = wants_value ? value : "1";
    }
    args->format = pn_format_default(stdout);
    if (format != NULL && pn_format_parse(format, &args->format) != PN_OK) {
        fprintf(stderr, "pronostic %s: option '--format': '%s' is not csv, json or table\n", cmd,
                format);
        return PN_EUSAGE;
    }
    return PN_OK;
}

void pn_args_free(pn_args *args)
{
    pn_free(args->values);
    pn_free(args->positional);
    args->values = NULL;
    args->positional = NULL;
}

const char *pn_args_get(const pn_args *args, const char *name)
{
    size_t idx;
    if (find_def(args->defs, name, strlen(name), &idx) == NULL) return NULL;
    return args->values[idx];
}

int pn_args_has(const pn_args *args, const char *name) { return pn_args_get(args, name) != NULL; }

int pn_args_require(const pn_args *args, const char *const *names, size_t n, pn_diag *diag)
{
    for (size_t i = 0; i < n; i++)
        if (!pn_args_has(args, names[i]))
            return pn_diag_set(diag, PN_EUSAGE, "option '--%s' is required", names[i]);
    return PN_OK;
}

int pn_args_input(const pn_args *args, pn_diag *diag)
{
    if (args->npos == 1) return PN_OK;
    if (args->npos == 0) return pn_diag_set(diag, PN_EUSAGE, "missing input FILE.csv");
    return pn_diag_set(diag, PN_EUSAGE, "expected one input file, got %zu", args->npos);
}

int pn_args_input_or_db(const pn_args *args, pn_diag *diag)
{
    if (pn_args_has(args, "db"))
        return args->npos == 0 ? PN_OK
                               : pn_diag_set(diag, PN_EUSAGE, "give either FILE.csv or --db FILE, not both");
    if (args->npos == 0)
        return pn_diag_set(diag, PN_EUSAGE, "missing input FILE.csv (or --db FILE)");
    return pn_args_input(args, diag);
}

int pn_args_refuse_with_db(const pn_args *args, const char *const *csv_only, size_t n,
                           pn_diag *diag)
{
    if (!pn_args_has(args, "db")) return PN_OK;
    for (size_t i = 0; i < n; i++)
        if (pn_args_has(args, csv_only[i]))
            return pn_diag_set(diag, PN_EUSAGE, "option '--%s' names a CSV column: not with --db",
                               csv_only[i]);
    return PN_OK;
}

int pn_args_survival_source(const pn_args *args, pn_diag *diag)
{
    static const char *const required[] = {"time", "event"};
    static const char *const csv_only[] = {"time", "event", "event-value", "entry", "weights"};
    int rc = pn_args_input_or_db(args, diag);
    if (rc != PN_OK) return rc;
    if (!pn_args_has(args, "db")) return pn_args_require(args, required, 2, diag);
    return pn_args_refuse_with_db(args, csv_only, sizeof csv_only / sizeof *csv_only, diag);
}

int pn_args_time_unit(const pn_args *args, double *days_per_unit, pn_diag *diag)
{
    const char *unit = pn_args_get(args, "time-unit");
    if (unit == NULL || strcmp(unit, "days") == 0) *days_per_unit = 1.0;
    else if (strcmp(unit, "months") == 0) *days_per_unit = PN_DAYS_PER_YEAR / 12.0;
    else if (strcmp(unit, "years") == 0) *days_per_unit = PN_DAYS_PER_YEAR;
    else
        return pn_diag_set(diag, PN_EUSAGE, "option '--time-unit': '%s' is not days, months or years",
                           unit);
    return PN_OK;
}

int pn_args_double(const pn_args *args, const char *name, double *out, pn_diag *diag)
{
    const char *v = pn_args_get(args, name);
    if (v == NULL) return PN_OK;
    if (pn_parse_double(v, strlen(v), out) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--%s': '%s' is not a number", name, v);
    return PN_OK;
}

int pn_args_long(const pn_args *args, const char *name, long *out, pn_diag *diag)
{
    const char *v = pn_args_get(args, name);
    if (v == NULL) return PN_OK;
    int64_t x;
    if (pn_parse_int64(v, strlen(v), &x) != PN_OK || x < -2147483647 || x > 2147483647)
        return pn_diag_set(diag, PN_EUSAGE, "option '--%s': '%s' is not an integer", name, v);
    *out = (long)x;
    return PN_OK;
}

int pn_args_list(const pn_args *args, const char *name, pn_list *list, pn_diag *diag)
{
    memset(list, 0, sizeof *list);
    const char *text = pn_args_get(args, name);
    if (text == NULL) return PN_OK;
    size_t cap = 1;
    for (const char *p = text; *p; p++) cap += *p == ',';
    list->copy = pn_strdup(text);
    list->items = pn_calloc(cap, sizeof *list->items);
    if (list->copy == NULL || list->items == NULL) {
        pn_list_free(list);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    char *s = list->copy;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma) *comma = '\0';
        if (*s == '\0') {
            pn_list_free(list);
            return pn_diag_set(diag, PN_EUSAGE, "option '--%s': empty item in '%s'", name, text);
        }
        for (size_t i = 0; i < list->n; i++)
            if (strcmp(list->items[i], s) == 0) {
                int rc = pn_diag_set(diag, PN_EUSAGE, "option '--%s': '%s' is listed twice in '%s'",
                                     name, s, text);
                pn_list_free(list);
                return rc;
            }
        list->items[list->n++] = s;
        if (comma == NULL) return PN_OK;
        s = comma + 1;
    }
}

void pn_list_free(pn_list *list)
{
    pn_free(list->copy);
    pn_free((void *)list->items);
    memset(list, 0, sizeof *list);
}

void pn_cli_report_dropped(const char *cmd, size_t dropped)
{
    if (dropped > 0)
        fprintf(stderr, "pronostic %s: %zu row%s with missing values dropped\n", cmd, dropped,
                dropped == 1 ? "" : "s");
}

int pn_cli_fail(const char *cmd, int rc, const pn_diag *diag)
{
    const char *msg = diag && diag->msg[0] ? diag->msg : pn_strerror(rc);
    fprintf(stderr, "pronostic %s: %s\n", cmd, msg);
    return pn_exit_code(rc);
}

void pn_cli_warn(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "pronostic %s: warning: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void pn_cli_warn_no_event(const char *cmd, const char *path, const char *event,
                          const char *event_value, const char *consequence)
{
    pn_cli_warn(cmd, "no event (value '%s' of column '%s') in %s: %s",
                event_value ? event_value : "1", event, path, consequence);
}

void pn_cli_warn_censoring(const char *cmd, const char *path, const char *column,
                           const char *event_value, const char *censor, size_t rows)
{
    if (censor == NULL || pn_event_code_usual(censor)) return;
    char shown[96];
    pn_text_shown(censor, shown, sizeof shown);
    pn_cli_warn(cmd, "column '%s' of %s: '%s' (%zu row%s) is read as censored: it is not the "
                "event value '%s' nor a usual censoring code (0, 1, 2, alive, censored); check "
                "--event and --event-value", column, path, shown, rows, rows == 1 ? "" : "s",
                event_value ? event_value : "1");
}

int pn_args_threads(const pn_args *args, int *threads, pn_diag *diag)
{
    long t = pn_threads_default();
    if (pn_args_has(args, "threads")) {
        int rc = pn_args_long(args, "threads", &t, diag);
        if (rc != PN_OK) return rc;
        if (t < 1)
            return pn_diag_set(diag, PN_EUSAGE, "option '--threads': must be at least 1");
    }
    if (t > PN_MAX_THREADS) t = PN_MAX_THREADS;
    *threads = (int)t;
    return PN_OK;
}

int pn_args_year_range(const pn_args *args, int *from, int *to, pn_diag *diag)
{
    long f = 0, t = 0;
    int rc = pn_args_long(args, "from", &f, diag);
    if (rc == PN_OK) rc = pn_args_long(args, "to", &t, diag);
    if (rc != PN_OK) return rc;
    if ((f && (f < 1800 || f > 2200)) || (t && (t < 1800 || t > 2200)) || (f && t && f > t))
        return pn_diag_set(diag, PN_EUSAGE, "options '--from'/'--to': %ld-%ld is not a range of "
                           "years", f, t);
    *from = (int)f;
    *to = (int)t;
    return PN_OK;
}

int pn_cli_command_line(int argc, char **argv, char **out)
{
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) return PN_ENOMEM;
    fputs("pronostic", f);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int plain = a[0] != '\0';
        for (const char *c = a; *c && plain; c++)
            plain = isalnum((unsigned char)*c) || strchr("_./:=,+-", *c) != NULL;
        fputc(' ', f);
        if (plain) {
            fputs(a, f);
            continue;
        }
        fputc('\'', f);
        for (const char *c = a; *c; c++) {
            if (*c == '\'') fputs("'\\''", f);
            else fputc(*c, f);
        }
        fputc('\'', f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return PN_ENOMEM;
    }
    *out = pn_strdup(buf);
    free(buf); /* open_memstream's buffer comes from malloc */
    return *out ? PN_OK : PN_ENOMEM;
}

int pn_args_conf_interval(const pn_args *args, pn_conf_type *type, double *z, pn_diag *diag)
{
    const char *ct = pn_args_get(args, "conf-type");
    *type = PN_CONF_LOG;
    if (ct != NULL && pn_conf_type_parse(ct, type) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--conf-type': '%s' is not log, log-log or plain", ct);
    double conf = 0.95;
    int rc = pn_args_double(args, "conf", &conf, diag);
    if (rc != PN_OK) return rc;
    if (!(conf > 0 && conf < 1))
        return pn_diag_set(diag, PN_EUSAGE, "option '--conf': %g is not between 0 and 1", conf);
    *z = pn_conf_z(conf);
    return PN_OK;
}
