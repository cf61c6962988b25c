/* cox_run.c - a Cox model fitted from survival rows (cox_run.h): the rows' checks, the design
 * matrix taken from their covariates, the workspace, the fit in place (cox.h; docs/methods.md,
 * Cox model). */
#include "pronostic/alloc.h"
#include "pronostic/cox_run.h"

#include <stdint.h>

void pn_cox_model_free(pn_cox_model *m)
{
    if (m == NULL) return;
    pn_design_free(m->x);
    pn_free(m->fit.coef); /* coef and var are one block */
    pn_free(m->fit.infinite);
    *m = (pn_cox_model){0};
}

int pn_cox_run(pn_survdata *d, const pn_cox_input *opts, const char *source, const char *entry,
               const char *weights, pn_cox_model *out, pn_diag *diag)
{
    *out = (pn_cox_model){0};
    if (d->n == 0) return pn_diag_set(diag, PN_EEMPTY, "%s: no row left to fit the model", source);
    if (d->weight)
        for (size_t i = 0; i < d->n; i++)
            if (!(d->weight[i] > 0))
                return pn_diag_set(diag, PN_ERANGE, "%s: column '%s': weights must be positive "
                                   "(found %g)", source, weights, d->weight[i]);
    /* the covariates move into the design, and the fit reorders the rows in place */
    int rc = pn_design_build_take(&out->x, d->cov, d->ncov, d->n, diag);
    if (rc != PN_OK) return rc;
    size_t p = out->x->p;
    size_t wsize = pn_cox_rows_work_size(d->n, p, d->entry != NULL);
    void *work = wsize == SIZE_MAX ? NULL : pn_malloc(wsize);
    out->fit.coef = pn_reallocarray(NULL, p + p * p, sizeof *out->fit.coef);
    out->fit.infinite = pn_malloc(p);
    if (work == NULL || out->fit.coef == NULL || out->fit.infinite == NULL) {
        rc = pn_diag_set(diag, wsize == SIZE_MAX ? PN_ETOOBIG : PN_ENOMEM,
                         "%s: %zu rows and %zu model columns are too many to fit", source, d->n, p);
        goto done;
    }
    out->fit.var = out->fit.coef + p;
    pn_cox_rows rows = {.n = d->n, .p = p, .time = d->time, .entry = d->entry,
                        .event = d->event, .weight = d->weight, .stratum = d->stratum,
                        .x = out->x->x};
    rc = pn_cox_fit_rows(&rows, opts, work, wsize, &out->fit);
    if (rc == PN_ERANGE)
        pn_diag_set(diag, PN_ERANGE, "%s: column '%s': an entry time and its exit time differ by "
                    "rounding only (as R's aeqSurv, this is an error)", source, entry);
    else if (rc != PN_OK)
        rc = pn_diag_set(diag, PN_EINTERNAL, "internal error in the Cox kernel (%s)",
                         pn_strerror(rc));
done:
    pn_free(work);
    if (rc != PN_OK) pn_cox_model_free(out);
    return rc;
}
