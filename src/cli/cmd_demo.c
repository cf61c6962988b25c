/* cmd_demo.c - `pronostic demo`: write the synthetic national bundle (docs/interfaces.md 1.4). */
#include "cli.h"
#include "pronostic/demo.h"
#include "pronostic/ratetable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const pn_optdef defs[] = {
    {"out", "DIR", "output directory (created if absent; its bundle files are overwritten)"},
    {"patients", "N", "number of patients (default 10000)"},
    {"seed", "S", "random seed, a non-negative integer (default 1)"},
    {"with-errors", NULL, "append a few deliberately bad rows (listed on stderr)"},
    {"ratetable", "fr|PATH", "life table for background mortality (default fr)"},
    {"quiet", NULL, "no notes on stderr"},
    {NULL, NULL, NULL},
};

static int parse_count(const pn_args *args, const char *name, uint64_t *out, pn_diag *diag)
{
    const char *v = pn_args_get(args, name);
    if (v == NULL) return PN_OK;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0)
        return pn_diag_set(diag, PN_EUSAGE, "option --%s: '%s' is not a non-negative integer",
                           name, v);
    *out = n;
    return PN_OK;
}

/* A note on stderr for each bad row --with-errors injects (unless --quiet). */
static void print_note(void *ctx, const char *file, unsigned long long line, const char *field,
                       const char *why)
{
    (void)ctx;
    fprintf(stderr, "pronostic demo: note: bad row %s:%llu: field '%s': %s\n", file, line, field,
            why);
}

int pn_cmd_demo(int argc, char **argv)
{
    pn_args args;
    pn_diag diag;
    pn_diag_clear(&diag);
    pn_ratetable *rt = NULL;
    int rc = pn_args_parse(&args, "demo", "--out DIR [--patients N] [--seed S] [--with-errors]",
                           "Writes a synthetic national CSV bundle (patients, tumours, events, "
                           "lines, alterations,\ncentres, territories, trials.json) for the seven "
                           "poor-prognosis cancers, diagnoses 2000-2024,\ndeterministic for a seed. "
                           "Prints the rows written per file.",
                           defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_demo_options opt;
    memset(&opt, 0, sizeof opt);
    opt.patients = 10000;
    opt.seed = 1;
    opt.out_dir = pn_args_get(&args, "out");
    opt.with_errors = pn_args_has(&args, "with-errors");
    if (!pn_args_has(&args, "quiet")) opt.note = print_note;
    if (args.npos > 0) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "unexpected argument '%s'", args.positional[0]);
        goto fail;
    }
    if (opt.out_dir == NULL) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option --out is required");
        goto fail;
    }
    if ((rc = parse_count(&args, "patients", &opt.patients, &diag)) != PN_OK ||
        (rc = parse_count(&args, "seed", &opt.seed, &diag)) != PN_OK)
        goto fail;
    if (opt.patients > PN_DEMO_MAX_PATIENTS) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option --patients: at most %llu patients",
                         (unsigned long long)PN_DEMO_MAX_PATIENTS);
        goto fail;
    }
    const char *table = pn_args_get(&args, "ratetable");
    if ((rc = pn_ratetable_open(&rt, table ? table : "fr", &diag)) != PN_OK) goto fail;
    opt.ratetable = rt;
    pn_demo_counts counts;
    if ((rc = pn_demo_write(&opt, &counts, &diag)) != PN_OK) goto fail;

    pn_writer *w = NULL;
    const char *cols[] = {"file", "rows"};
    if ((rc = pn_writer_open(&w, stdout, args.format, cols, 2)) != PN_OK) goto fail;
    const struct { const char *name; unsigned long long n; } rows[] = {
        {"patients.csv", counts.patients}, {"tumours.csv", counts.tumours},
        {"events.csv", counts.events}, {"lines.csv", counts.lines},
        {"alterations.csv", counts.alterations}, {"centres.csv", counts.centres},
        {"territories.csv", counts.territories}, {"trials.json", counts.trials},
        {"injected_errors", counts.injected_errors},
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        pn_writer_str(w, rows[k].name);
        pn_writer_int(w, (long long)rows[k].n);
        pn_writer_end_row(w);
    }
    rc = pn_writer_close(w);
    if (rc != PN_OK) goto fail;
    pn_ratetable_free(rt);
    pn_args_free(&args);
    return PN_EXIT_OK;
fail:
    pn_ratetable_free(rt);
    pn_args_free(&args);
    return pn_cli_fail("demo", rc, &diag);
}
