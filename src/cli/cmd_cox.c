/* cmd_cox.c - `pronostic cox`: fit a Cox proportional hazards model (docs/interfaces.md 1.2), as R's
 * coxph(Surv(time, event) ~ covariates + strata(strata), ties = ...). */
#include "cli.h"
#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/cox.h"
#include "pronostic/design.h"
#include "pronostic/survinput.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const pn_optdef cox_defs[] = {
    PN_SURV_INPUT_OPTS,
    {"covariates", "COL[,COL...]", "covariate columns (required)"},
    {"factor", "COL[,COL]", "covariates that are categorical (treatment contrasts)"},
    {"strata", "COL[,COL]", "a baseline hazard per stratum of these columns"},
    {"ties", "efron|breslow", "handling of tied death times (default: efron)"},
    {"entry", "COL", "delayed entry time column (left truncation)"},
    {"weights", "COL", "case weights column (positive numbers)"},
    {"iter-max", "N", "maximum Newton-Raphson iterations (default: 20)"},
    PN_DBSELECT_OPTS,
    PN_DBSELECT_SITE_OPT,
    PN_DBSELECT_SEX_OPT,
    PN_DBSELECT_CLOSING_OPT,
    {NULL, NULL, NULL},
};

static const char cox_details[] =
    "Fits a Cox proportional hazards model, as R's coxph(Surv(time, event) ~ covariates +\n"
    "strata(strata)) (with --entry: Surv(entry, time, event)). Covariates listed in --factor\n"
    "are categorical: one indicator per level but the first, named column then level (as R).\n"
    "Output columns: term,coef,exp_coef,se,z,p,lower,upper (95% limits of exp(coef)), a row per\n"
    "model term, then rows loglik_null, loglik, n, events and iterations with the value in\n"
    "coef. Rows with a missing value in a used column are dropped and counted on stderr.\n"
    "Warnings (as R's): iterations ran out, a coefficient may be infinite (separated data), a\n"
    "column is a linear combination of others (its coefficient is empty).\n"
    "With --db, a selection of the store (the first primary tumour of --site per person, time\n"
    "in days censored at --closing); covariates, --factor and --strata are store variables:\n"
    "sex, age, agegroup, year, period, departement, region.";

/* A summary row: the value in `coef`, the other fields empty. */
static void summary_row(pn_writer *w, const char *term, double value, int integer)
{
    pn_writer_str(w, term);
    if (integer) pn_writer_int(w, (long long)value);
    else pn_writer_num(w, value);
    for (int i = 0; i < 6; i++) pn_writer_missing(w);
    pn_writer_end_row(w);
}

static int write_result(const pn_args *args, const pn_design *x, const pn_cox_result *r)
{
    static const char *const cols[] = {"term", "coef", "exp_coef", "se", "z", "p", "lower",
                                       "upper"};
    pn_writer *w = NULL;
    int rc = pn_writer_open(&w, stdout, args->format, cols, sizeof cols / sizeof *cols);
    if (rc != PN_OK) return rc;
    for (size_t j = 0; j < x->p; j++) {
        pn_cox_wald t = pn_cox_wald_term(r, x->p, j, 0.95);
        pn_writer_str(w, x->names[j]);
        if (isnan(t.coef)) {
            for (int i = 0; i < 7; i++) pn_writer_missing(w);
        } else {
            const double v[7] = {t.coef, t.exp_coef, t.se, t.z, t.p, t.lower, t.upper};
            for (int i = 0; i < 7; i++) pn_writer_num(w, v[i]);
        }
        pn_writer_end_row(w);
    }
    summary_row(w, "loglik_null", r->loglik_null, 0);
    summary_row(w, "loglik", r->loglik, 0);
    summary_row(w, "n", (double)x->n, 1);
    summary_row(w, "events", (double)r->nevents, 1);
    summary_row(w, "iterations", r->iterations, 1);
    return pn_writer_close(w);
}

/* Warn as R does about the fit: no event, iterations ran out, a coefficient that may be
 * infinite, a column dropped as a linear combination of the others. */
static void warn_fit(const char *cmd, const pn_design *x, const pn_cox_result *r, int max_iter)
{
    if (r->nevents == 0) {
        pn_cli_warn(cmd, "no event among the %zu rows: the coefficients cannot be estimated",
                    x->n);
        return;
    }
    if (!r->converged)
        pn_cli_warn(cmd, "ran out of iterations (--iter-max %d) and did not converge",
                    max_iter);
    for (size_t j = 0; j < x->p; j++) {
        if (isnan(r->coef[j]))
            pn_cli_warn(cmd, "term '%s' is a linear combination of the others (or constant): "
                        "its coefficient is not estimable", x->names[j]);
        else if (r->infinite[j])
            pn_cli_warn(cmd, "loglik converged before variable %zu ('%s'); coefficient may be "
                        "infinite", j + 1, x->names[j]);
    }
}

/* When a covariate not listed in --factor holds text, say how to make it categorical. */
static void hint_factor(pn_diag *diag, const char *const *cov, size_t ncov,
                        const char *const *fac, size_t nfac)
{
    if (diag->code != PN_EPARSE || strstr(diag->msg, "is not a number") == NULL) return;
    for (size_t i = 0; i < ncov; i++) {
        int listed = 0;
        for (size_t k = 0; k < nfac; k++) listed |= strcmp(cov[i], fac[k]) == 0;
        char key[256];
        snprintf(key, sizeof key, "column '%s':", cov[i]);
        if (listed || strstr(diag->msg, key) == NULL) continue;
        size_t len = strlen(diag->msg);
        snprintf(diag->msg + len, sizeof diag->msg - len, " (list it in --factor if '%s' is "
                 "categorical)", cov[i]);
        return;
    }
}

int pn_cmd_cox(int argc, char **argv)
{
    const char *cmd = "cox";
    pn_args args;
    pn_diag diag = {0};
    pn_survdata *d = NULL;
    pn_cohort *cohort = NULL;
    pn_design *x = NULL;
    pn_list cov = {0}, fac = {0}, strata = {0};
    void *work = NULL;
    double *buf = NULL;
    unsigned char *inf = NULL;
    int rc = pn_args_parse(&args, cmd, "FILE.csv --time COL --event COL --covariates "
                           "COL[,COL...] [--factor COL[,COL]] [--strata COL]\n"
                           "                     [--ties efron|breslow] [--entry COL]\n"
                           "                 | --db FILE --site SITE [filters] --covariates VAR[,VAR]",
                           cox_details, cox_defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    static const char *const required[] = {"covariates"};
    if ((rc = pn_args_survival_source(&args, &diag)) != PN_OK ||
        (rc = pn_args_require(&args, required, 1, &diag)) != PN_OK)
        goto fail;
    pn_cox_input in;
    pn_cox_input_init(&in);
    const char *ties = pn_args_get(&args, "ties");
    if (ties != NULL && strcmp(ties, "efron") != 0) {
        if (strcmp(ties, "breslow") != 0) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "option '--ties': '%s' is not efron or breslow",
                             ties);
            goto fail;
        }
        in.ties = PN_COX_BRESLOW;
    }
    long iter_max = in.max_iter;
    if ((rc = pn_args_long(&args, "iter-max", &iter_max, &diag)) != PN_OK) goto fail;
    if (iter_max < 0 || iter_max > 10000) {
        rc = pn_diag_set(&diag, PN_EUSAGE, "option '--iter-max': %ld is not in 0..10000",
                         iter_max);
        goto fail;
    }
    in.max_iter = (int)iter_max;
    if ((rc = pn_args_list(&args, "covariates", &cov, &diag)) != PN_OK ||
        (rc = pn_args_list(&args, "factor", &fac, &diag)) != PN_OK ||
        (rc = pn_args_list(&args, "strata", &strata, &diag)) != PN_OK)
        goto fail;

    pn_survspec spec = {.path = args.positional[0], .time = pn_args_get(&args, "time"),
                        .event = pn_args_get(&args, "event"),
                        .event_value = pn_args_get(&args, "event-value"),
                        .entry = pn_args_get(&args, "entry"),
                        .weights = pn_args_get(&args, "weights"), .strata = strata.items,
                        .nstrata = strata.n, .covariates = cov.items, .ncov = cov.n,
                        .factors = fac.items, .nfactors = fac.n};
    double unit;
    if ((rc = pn_args_time_unit(&args, &unit, &diag)) != PN_OK) goto fail;
    if ((rc = pn_dbselect_cohort(&args, &cohort, &diag)) != PN_OK) goto fail;
    if (cohort != NULL) {
        /* a store selection: covariates and strata are store variables */
        rc = pn_cohort_survdata(cohort, NULL, 0, strata.items, strata.n, cov.items, cov.n,
                                  fac.items, fac.n, &d, &diag);
        if (rc != PN_OK) goto fail;
        for (size_t i = 0; i < d->n; i++) d->time[i] /= unit; /* days to --time-unit */
        spec.path = pn_args_get(&args, "db");
    } else if ((rc = pn_survdata_load(&d, &spec, &diag)) != PN_OK) {
        hint_factor(&diag, cov.items, cov.n, fac.items, fac.n);
        goto fail;
    }
    pn_cli_report_dropped(cmd, d->dropped);
    pn_cli_warn_censoring(cmd, spec.path, spec.event, spec.event_value, d->censor_value,
                          d->censor_rows);
    if (d->n == 0) {
        rc = pn_diag_set(&diag, PN_EEMPTY, "%s: no row left to fit the model", spec.path);
        goto fail;
    }
    if (d->weight)
        for (size_t i = 0; i < d->n; i++)
            if (!(d->weight[i] > 0)) {
                rc = pn_diag_set(&diag, PN_ERANGE, "%s: column '%s': weights must be positive "
                                 "(found %g)", spec.path, spec.weights, d->weight[i]);
                goto fail;
            }
    /* the covariates move into the design, and the fit reorders the rows in place */
    if ((rc = pn_design_build_take(&x, d->cov, d->ncov, d->n, &diag)) != PN_OK) goto fail;

    size_t p = x->p;
    size_t wsize = pn_cox_rows_work_size(d->n, p, d->entry != NULL);
    work = wsize == SIZE_MAX ? NULL : pn_malloc(wsize);
    buf = pn_reallocarray(NULL, p + p * p, sizeof *buf);
    inf = pn_malloc(p);
    if (work == NULL || buf == NULL || inf == NULL) {
        rc = pn_diag_set(&diag, wsize == SIZE_MAX ? PN_ETOOBIG : PN_ENOMEM,
                         "%s: %zu rows and %zu model columns are too many to fit", spec.path,
                         d->n, p);
        goto fail;
    }
    pn_cox_rows rows = {.n = d->n, .p = p, .time = d->time, .entry = d->entry,
                        .event = d->event, .weight = d->weight, .stratum = d->stratum,
                        .x = x->x};
    pn_cox_result res = {.coef = buf, .var = buf + p, .infinite = inf};
    if ((rc = pn_cox_fit_rows(&rows, &in, work, wsize, &res)) == PN_ERANGE) {
        rc = pn_diag_set(&diag, PN_ERANGE, "%s: column '%s': an entry time and its exit time "
                         "differ by rounding only (as R's aeqSurv, this is an error)", spec.path,
                         spec.entry);
        goto fail;
    }
    if (rc != PN_OK) {
        rc = pn_diag_set(&diag, PN_EINTERNAL, "internal error in the Cox kernel (%s)",
                         pn_strerror(rc));
        goto fail;
    }
    warn_fit(cmd, x, &res, in.max_iter);
    if ((rc = write_result(&args, x, &res)) != PN_OK) {
        rc = pn_diag_set(&diag, rc, "cannot write the output");
        goto fail;
    }
    rc = PN_EXIT_OK;
    goto done;
fail:
    rc = pn_cli_fail(cmd, rc, &diag);
done:
    pn_free(inf);
    pn_free(buf);
    pn_free(work);
    pn_design_free(x);
    pn_survdata_free(d);
    pn_cohort_free(cohort);
    pn_list_free(&cov);
    pn_list_free(&fac);
    pn_list_free(&strata);
    pn_args_free(&args);
    return rc;
}
