/* cox_run.h - a Cox model fitted as `pronostic cox` fits it, for every entry point: the rows of a
 * pn_survdata checked, their covariates made a design matrix (treatment contrasts), the model
 * fitted in place (cox.h). Nothing is printed: warnings are the caller's to say from the
 * result (cox.h: converged, infinite, NaN coefficients). */
#ifndef PRONOSTIC_COX_RUN_H
#define PRONOSTIC_COX_RUN_H

#include "pronostic/cox.h"
#include "pronostic/design.h"
#include "pronostic/error.h"
#include "pronostic/survinput.h"

/* A fitted model: its design (column names, n, p) and the fit. Owned by the caller
 * (pn_cox_model_free). */
typedef struct pn_cox_model {
    pn_design *x;      /* the model columns (names, n, p, the matrix in the fit's row order) */
    pn_cox_result fit; /* coef, var and infinite point into the model's own arrays */
} pn_cox_model;

/* Fit the model of `opts` (ties, iterations; its data fields are ignored) on the rows of `d`:
 * `d`'s covariate columns move into the design and its rows are reordered by the fit. `source`
 * (the file or store named in messages), `entry` and `weights` (the column names, or NULL) make
 * the messages. Errors: PN_EEMPTY without rows, PN_ERANGE for a weight that is not positive or an
 * entry time that differs from its exit by rounding only, PN_ETOOBIG / PN_ENOMEM when the
 * workspace cannot be had, PN_EINTERNAL for a kernel failure; a message in `diag` each time. */
int pn_cox_run(pn_survdata *d, const pn_cox_input *opts, const char *source, const char *entry,
               const char *weights, pn_cox_model *out, pn_diag *diag);

/* Free what `m` holds (its struct is the caller's). */
void pn_cox_model_free(pn_cox_model *m);

#endif
