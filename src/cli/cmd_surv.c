/* cmd_surv.c - `pronostic surv`: Kaplan-Meier, Fleming-Harrington or actuarial survival from a
 * flat CSV, overall or by group, at every time, at chosen times, or summarised by median and
 * restricted mean (docs/interfaces.md 1.1; docs/methods.md).
 */
#include "cli.h"
#include "pronostic/alloc.h"
#include "pronostic/analysis.h"
#include "pronostic/cohort.h"
#include "pronostic/conf.h"
#include "pronostic/km.h"
#include "pronostic/lifetable.h"
#include "pronostic/num.h"
#include "pronostic/survinput.h"
#include "pronostic/svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char synopsis[] =
    "FILE.csv --time COL --event COL [--event-value V] [--by COL[,COL]]\n"
    "                      | --db FILE --site SITE [--from Y --to Y] [--sex S] [--ages A-B]\n"
    "                        [--departement CODE|--region NAME] [--closing DATE] [--by VAR]\n"
    "                      [--method km|fh|lifetable] [--conf 0.95] [--conf-type log|log-log|plain]\n"
    "                      [--at T1,T2,...] [--weights COL] [--entry COL] [--summary]\n"
    "                      [--threads N] [--plot FILE.svg]";

static const char details[] =
    "Survival curves as R's survfit(Surv(time, event) ~ by) computes them.\n"
    "Output: one row per stratum and distinct time with an event or censoring:\n"
    "  stratum,time,n_risk,n_event,n_censor,surv,std_err,lower,upper\n"
    "(std_err is the standard error of surv, as summary(fit) prints it). With --at: one row per\n"
    "stratum and requested time (as summary(fit, times=)); times past a stratum's last time are\n"
    "left out, as R does. With --summary: one row per stratum:\n"
    "  stratum,n,events,median,median_lower,median_upper,rmst,rmst_se\n"
    "(rmst restricted to the last --at time, else to the largest time of all strata).\n"
    "--method lifetable: the actuarial table on the intervals [0,T1), [T1,T2), ... of --at:\n"
    "  stratum,start,time,n_start,n_risk,n_event,n_censor,surv,std_err,lower,upper\n"
    "where n_risk = n_start - n_censor/2 and surv is the survival at the interval's end.\n"
    "Rows with a missing value in a used column are dropped and counted on stderr.\n"
    "With --db, the first primary tumour of the site per person in the store, followed in days\n"
    "from diagnosis to the vital-status date, censored at --closing; --by takes store variables\n"
    "(sex, agegroup, period, year, departement, region).\n"
    "--plot FILE.svg also draws every stratum's curve (km or fh, at every time, whatever --at and\n"
    "--summary print) with its confidence band into FILE.svg, written before the output (a\n"
    "temporary file renamed over it); with --db, a line marks 33 % survival.";

static const pn_optdef defs[] = {
    PN_SURV_INPUT_OPTS,
    {"by", "COL[,COL]", "grouping columns: one curve per combination"},
    {"method", "km|fh|lifetable", "Kaplan-Meier (default), Fleming-Harrington, actuarial"},
    {"conf", "LEVEL", "confidence level (default 0.95)"},
    {"conf-type", "log|log-log|plain", "confidence limits (default log)"},
    {"at", "T1,T2,...", "report at these times (intervals of the life table)"},
    {"weights", "COL", "case weights column"},
    {"entry", "COL", "delayed entry time column (left truncation)"},
    {"summary", NULL, "median, its limits and restricted mean per stratum"},
    {"plot", "FILE.svg", "also draw the curves and their confidence bands into FILE.svg"},
    PN_THREADS_OPT,
    PN_DBSELECT_OPTS,
    PN_DBSELECT_SITE_OPT,
    PN_DBSELECT_SEX_OPT,
    PN_DBSELECT_CLOSING_OPT,
    {NULL, NULL, NULL},
};

typedef enum method { M_KM, M_FH, M_LIFETABLE } method;

typedef struct options {
    method method;
    pn_conf_type conf_type;
    double z;
    double *at;
    size_t nat;
    int summary;
    const char *plot;     /* --plot FILE.svg, or NULL */
} options;

static const char *const curve_cols[] = {"stratum", "time", "n_risk", "n_event", "n_censor",
                                         "surv", "std_err", "lower", "upper"};
static const char *const life_cols[] = {"stratum", "start", "time", "n_start", "n_risk",
                                        "n_event", "n_censor", "surv", "std_err", "lower",
                                        "upper"};
static const char *const summary_cols[] = {"stratum", "n", "events", "median", "median_lower",
                                           "median_upper", "rmst", "rmst_se"};

static void write_curve_row(pn_writer *w, const char *label, double time, double n_risk,
                            double n_event, double n_censor, double s, double selog,
                            double lower, double upper)
{
    pn_writer_str(w, label);
    pn_writer_num(w, time);
    pn_writer_num(w, n_risk);
    pn_writer_num(w, n_event);
    pn_writer_num(w, n_censor);
    pn_writer_num(w, s);
    pn_writer_num(w, s * selog); /* standard error of S, NaN (missing) once S = 0 */
    pn_writer_num(w, lower);
    pn_writer_num(w, upper);
    pn_writer_end_row(w);
}

/* Write the rows of every stratum. Buffers are sized for the largest table. */
static int write_tables(const pn_kmtables *tabs, char *const *labels, const options *o,
                        pn_format format)
{
    int rc = PN_ENOMEM;
    size_t kmax = 1;
    double largest = 0;
    for (size_t g = 0; g < tabs->ngroups; g++) {
        const pn_kmtable *t = &tabs->tab[g];
        if (t->k > kmax) kmax = t->k;
        if (t->k > 0 && t->time[t->k - 1] > largest) largest = t->time[t->k - 1];
    }
    size_t nbuf = kmax > o->nat ? kmax : o->nat;
    double *buf = pn_malloc(nbuf * 10 * sizeof *buf + 1);
    pn_writer *w = NULL;
    if (buf == NULL) goto done;
    double *surv = buf, *selog = surv + nbuf, *b[8];
    for (int i = 0; i < 8; i++) b[i] = selog + nbuf * (size_t)(i + 1);
    if (o->summary)
        rc = pn_writer_open(&w, stdout, format, summary_cols, 8);
    else if (o->method == M_LIFETABLE)
        rc = pn_writer_open(&w, stdout, format, life_cols, 11);
    else
        rc = pn_writer_open(&w, stdout, format, curve_cols, 9);
    if (rc != PN_OK) goto done;
    pn_km_method km = o->method == M_FH ? PN_KM_FLEMING_HARRINGTON : PN_KM_KAPLAN_MEIER;
    for (size_t g = 0; g < tabs->ngroups; g++) {
        const pn_kmtable *t = &tabs->tab[g];
        const char *label = labels[g];
        if (o->method == M_LIFETABLE) {
            double *n_start = b[0], *n_event = b[1], *n_censor = b[2], *n_risk = b[3];
            pn_lifetable(t, o->at, o->nat, n_start, n_event, n_censor, n_risk, surv, selog);
            for (size_t j = 0; j < o->nat; j++) {
                double lo, hi;
                pn_conf_limits(surv[j], selog[j], o->conf_type, o->z, PN_CONF_SURVFIT, &lo, &hi);
                pn_writer_str(w, label);
                pn_writer_num(w, j == 0 ? 0 : o->at[j - 1]);
                pn_writer_num(w, o->at[j]);
                pn_writer_num(w, n_start[j]);
                pn_writer_num(w, n_risk[j]);
                pn_writer_num(w, n_event[j]);
                pn_writer_num(w, n_censor[j]);
                pn_writer_num(w, surv[j]);
                pn_writer_num(w, surv[j] * selog[j]);
                pn_writer_num(w, lo);
                pn_writer_num(w, hi);
                pn_writer_end_row(w);
            }
            continue;
        }
        pn_km_curve(t, km, surv, selog);
        if (o->summary) {
            double *lower = b[0], *upper = b[1], events = 0;
            for (size_t i = 0; i < t->k; i++) {
                pn_conf_limits(surv[i], selog[i], o->conf_type, o->z, PN_CONF_SURVFIT, &lower[i], &upper[i]);
                events += t->n_event[i];
            }
            double rmst = NAN, se = NAN;
            if (t->k > 0) pn_km_rmst(t, surv, o->nat ? o->at[o->nat - 1] : largest, &rmst, &se);
            pn_writer_str(w, label);
            pn_writer_num(w, (double)t->n_records);
            pn_writer_num(w, events);
            pn_writer_num(w, pn_km_median(t->k, t->time, surv));
            pn_writer_num(w, pn_km_median(t->k, t->time, lower));
            pn_writer_num(w, pn_km_median(t->k, t->time, upper));
            pn_writer_num(w, rmst);
            pn_writer_num(w, se);
            pn_writer_end_row(w);
        } else if (o->nat > 0) {
            size_t rows = pn_km_at(t, surv, selog, o->at, o->nat, o->conf_type, o->z, b[0], b[1],
                                   b[2], b[3], b[4], b[5], b[6]);
            for (size_t j = 0; j < rows; j++)
                write_curve_row(w, label, o->at[j], b[0][j], b[1][j], b[2][j], b[3][j], b[4][j],
                                b[5][j], b[6][j]);
        } else {
            for (size_t i = 0; i < t->k; i++) {
                double lo, hi;
                pn_conf_limits(surv[i], selog[i], o->conf_type, o->z, PN_CONF_SURVFIT, &lo, &hi);
                write_curve_row(w, label, t->time[i], t->n_risk[i], t->n_event[i],
                                t->n_censor[i], surv[i], selog[i], lo, hi);
            }
        }
    }
    rc = pn_writer_close(w);
    w = NULL;
done:
    pn_writer_close(w);
    pn_free(buf);
    return rc;
}

/* The x axis of a plot of times in days up to `largest`: --time-unit's unit when given, else
 * years from two years on, months from 90 days, days below; its label. */
static double plot_axis(const pn_args *args, double unit, double largest, int from_db,
                        const char **label)
{
    static const char *const csv_labels[] = {"Temps (jours)", "Temps (mois)", "Temps (années)"};
    static const char *const db_labels[] = {"Jours depuis le diagnostic",
                                            "Mois depuis le diagnostic",
                                            "Années depuis le diagnostic"};
    double year = 365.241, scale;
    if (pn_args_has(args, "time-unit")) scale = unit;
    else scale = largest >= 2 * year ? year : largest >= 90 ? year / 12 : 1;
    int k = scale >= year - 1e-9 ? 2 : scale > 1 ? 1 : 0;
    *label = from_db ? db_labels[k] : csv_labels[k];
    return scale;
}

/* --plot: every stratum's curve by `km` with the limits the rows print, times in days (the
 * tables' times are in units of `unit` days), drawn by pn_svg_curves into o->plot. */
static int write_plot(const pn_kmtables *tabs, char *const *labels, const options *o,
                      const pn_args *args, double unit, int from_db, const char *input,
                      pn_diag *diag)
{
    int rc = PN_ENOMEM;
    size_t total = 0;
    double largest = 0;
    for (size_t g = 0; g < tabs->ngroups; g++) {
        const pn_kmtable *t = &tabs->tab[g];
        total += t->k;
        if (t->k > 0 && t->time[t->k - 1] * unit > largest) largest = t->time[t->k - 1] * unit;
    }
    pn_svg_series *series = pn_calloc(tabs->ngroups + 1, sizeof *series);
    double *buf = pn_malloc((5 * total + 1) * sizeof *buf);
    char *svg = NULL;
    size_t len = 0;
    if (series == NULL || buf == NULL) {
        pn_diag_set(diag, rc, "out of memory");
        goto done;
    }
    pn_km_method km = o->method == M_FH ? PN_KM_FLEMING_HARRINGTON : PN_KM_KAPLAN_MEIER;
    double *p = buf;
    for (size_t g = 0; g < tabs->ngroups; g++) {
        const pn_kmtable *t = &tabs->tab[g];
        double *time = p, *surv = p + t->k, *selog = p + 2 * t->k, *lo = p + 3 * t->k,
               *hi = p + 4 * t->k;
        p += 5 * t->k;
        pn_km_curve(t, km, surv, selog);
        for (size_t i = 0; i < t->k; i++) {
            time[i] = t->time[i] * unit;
            pn_conf_limits(surv[i], selog[i], o->conf_type, o->z, PN_CONF_SURVFIT, &lo[i], &hi[i]);
        }
        series[g] = (pn_svg_series){labels[g], t->k, time, surv, lo, hi};
    }
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    char title[256];
    snprintf(title, sizeof title, "Survie (%s), %s",
             o->method == M_FH ? "Fleming-Harrington" : "Kaplan-Meier", base);
    pn_svg_curves_opts so = {.title = title, .y_label = "Survie (%)",
                             .threshold = from_db ? 0.33 : NAN};
    so.time_scale = plot_axis(args, unit, largest, from_db, &so.x_label);
    rc = pn_svg_curves(&so, series, tabs->ngroups, &svg, &len, diag);
    if (rc == PN_OK) rc = pn_cli_write_file(o->plot, svg, len, diag);
done:
    pn_free(svg);
    pn_free(buf);
    pn_free(series);
    return rc;
}

/* Check the options that do not depend on the data. */
static int read_options(const pn_args *args, options *o, pn_diag *diag)
{
    const char *m = pn_args_get(args, "method");
    o->method = M_KM;
    if (m != NULL) {
        if (strcmp(m, "km") == 0) o->method = M_KM;
        else if (strcmp(m, "fh") == 0) o->method = M_FH;
        else if (strcmp(m, "lifetable") == 0) o->method = M_LIFETABLE;
        else return pn_diag_set(diag, PN_EUSAGE, "option '--method': '%s' is not km, fh or lifetable", m);
    }
    int rc = pn_args_conf_interval(args, &o->conf_type, &o->z, diag);
    if (rc != PN_OK) return rc;
    o->summary = pn_args_has(args, "summary");
    o->plot = pn_args_get(args, "plot");
    const char *at = pn_args_get(args, "at");
    if (at != NULL) {
        if (pn_parse_double_list(at, &o->at, &o->nat) != PN_OK || o->nat == 0)
            return pn_diag_set(diag, PN_EUSAGE, "option '--at': '%s' is not a list of numbers", at);
        for (size_t i = 0; i < o->nat; i++)
            if (!(o->at[i] >= 0))
                return pn_diag_set(diag, PN_EUSAGE, "option '--at': time %g is negative", o->at[i]);
        qsort(o->at, o->nat, sizeof *o->at, pn_cmp_double);
    }
    if (o->method == M_LIFETABLE) {
        if (o->nat == 0)
            return pn_diag_set(diag, PN_EUSAGE, "option '--method lifetable' needs '--at' (the interval ends)");
        if (o->at[0] <= 0)
            return pn_diag_set(diag, PN_EUSAGE, "option '--at': life-table interval ends must be positive");
        for (size_t i = 1; i < o->nat; i++)
            if (o->at[i] == o->at[i - 1])
                return pn_diag_set(diag, PN_EUSAGE, "option '--at': interval end %g given twice", o->at[i]);
        if (pn_args_has(args, "entry"))
            return pn_diag_set(diag, PN_EUSAGE, "option '--entry' does not apply to '--method lifetable'");
        if (o->summary)
            return pn_diag_set(diag, PN_EUSAGE, "option '--summary' does not apply to '--method lifetable'");
        if (o->plot)
            return pn_diag_set(diag, PN_EUSAGE, "option '--plot' does not apply to '--method lifetable'");
    }
    return PN_OK;
}

int pn_cmd_surv(int argc, char **argv)
{
    pn_args args;
    int rc = pn_args_parse(&args, "surv", synopsis, details, defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_diag diag = {0};
    options o = {0};
    char all[] = "all", *all_label = all;
    pn_list by = {0};
    pn_kmread *read = NULL;
    pn_kmagg *agg = NULL;
    pn_kmtables *tabs = NULL;
    pn_cohort *cohort = NULL;
    pn_survdata *sd = NULL;
    if ((rc = pn_args_survival_source(&args, &diag)) != PN_OK) goto done;
    rc = read_options(&args, &o, &diag);
    if (rc != PN_OK) goto done;
    double unit;
    if ((rc = pn_args_time_unit(&args, &unit, &diag)) != PN_OK) goto done;
    if ((rc = pn_args_list(&args, "by", &by, &diag)) != PN_OK) goto done;
    int threads;
    if ((rc = pn_args_threads(&args, &threads, &diag)) != PN_OK) goto done;
    pn_survspec spec = {
        .path = args.positional[0],
        .time = pn_args_get(&args, "time"),
        .event = pn_args_get(&args, "event"),
        .event_value = pn_args_get(&args, "event-value"),
        .entry = pn_args_get(&args, "entry"),
        .weights = pn_args_get(&args, "weights"),
        .by = by.items,
        .nby = by.n,
    };
    if ((rc = pn_dbselect_cohort(&args, &cohort, &diag)) != PN_OK) goto done;
    size_t ngroups, dropped, n;
    const uint32_t *recode = NULL;
    char **labels;
    int event_seen;
    if (cohort != NULL) {
        /* a store selection: its rows are already columns, in days, reported in --time-unit */
        rc = pn_cohort_survdata(cohort, by.items, by.n, NULL, 0, NULL, 0, NULL, 0, &sd, &diag);
        if (rc != PN_OK) goto done;
        if ((rc = pn_kmagg_new(&agg)) != PN_OK) goto done;
        for (size_t i = 0; i < sd->n && rc == PN_OK; i++)
            rc = pn_kmagg_add(agg, sd->group ? (uint32_t)sd->group[i] : 0, NAN,
                              sd->time[i] / unit, sd->event[i], 1.0);
        if (rc != PN_OK) goto done;
        ngroups = sd->group ? sd->ngroups : 1;
        labels = sd->group_labels;
        n = sd->n;
        dropped = sd->dropped;
        event_seen = (int)sd->event_seen;
        spec.path = pn_args_get(&args, "db");
    } else {
        rc = pn_kmread_csv(&spec, threads, 0, &read, &diag);
        if (rc != PN_OK) goto done;
        const pn_survstream *stream = read->stream;
        agg = read->agg;
        read->agg = NULL;
        if (read->fractional_weight)
            pn_cli_warn("surv", "column '%s' has non-integer weights: std_err and the limits use "
                        "Greenwood's variance with weighted counts, as R's survfit(..., robust = "
                        "FALSE); R's default for such weights is a robust variance",
                        spec.weights);
        pn_cli_warn_censoring("surv", spec.path, spec.event, spec.event_value,
                              stream->censor_value, stream->censor_rows);
        ngroups = stream->ngroups;
        recode = stream->recode;
        labels = stream->group_labels;
        n = stream->n;
        dropped = stream->dropped;
        event_seen = stream->event_seen;
    }
    pn_cli_report_dropped("surv", dropped);
    if (n > 0 && !event_seen)
        pn_cli_warn_no_event("surv", spec.path, spec.event ? spec.event : "vital_status",
                             spec.event_value, "every row is censored");
    rc = pn_kmagg_tables(agg, ngroups, recode, &tabs);
    if (rc == PN_ERANGE)
        pn_diag_set(&diag, rc, "%s: column '%s': an entry time and its exit time differ by "
                    "rounding only (as R's aeqSurv, this is an error)", spec.path, spec.entry);
    if (rc != PN_OK) goto done;
    if (o.plot != NULL &&
        (rc = write_plot(tabs, labels ? labels : &all_label, &o, &args, unit,
                         cohort != NULL, spec.path, &diag)) != PN_OK)
        goto done;
    rc = write_tables(tabs, labels ? labels : &all_label, &o, args.format);
    if (rc != PN_OK)
        pn_diag_set(&diag, rc, rc == PN_ENOMEM ? "out of memory" : "cannot write the output");
done:
    pn_kmtables_free(tabs);
    pn_kmagg_free(agg);
    pn_kmread_free(read);
    pn_survdata_free(sd);
    pn_cohort_free(cohort);
    pn_list_free(&by);
    pn_free(o.at);
    pn_args_free(&args);
    return rc == PN_OK ? PN_EXIT_OK : pn_cli_fail("surv", rc, &diag);
}
