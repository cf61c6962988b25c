/* design.h - the design matrix of a regression: covariate columns turned into model columns,
 * as R's model.matrix() does with treatment contrasts.
 *
 * A numeric covariate gives one column named as the covariate. A categorical covariate with L
 * levels among the rows gives L - 1 indicator columns, one per level but the first (the
 * reference, in R's level order), named covariate name followed by level text, as R names them
 * (`celltype` level `smallcell` -> `celltypesmallcell`). Levels that no row uses are left out, as
 * R does for text columns once rows with missing values are dropped.
 */
#ifndef PRONOSTIC_DESIGN_H
#define PRONOSTIC_DESIGN_H

#include "pronostic/error.h"
#include "pronostic/frame.h"

#include <stddef.h>

typedef struct pn_design {
    size_t n;          /* rows */
    size_t p;          /* model columns */
    double *x;         /* n * p, column-major: x[j * n + i] */
    char **names;      /* p column names */
    size_t *source;    /* p: index of the covariate each column comes from */
} pn_design;

/* Build the design matrix of the `ncov` covariate columns `cov` (n rows each, no missing
 * value). On success *out is owned by the caller (free with pn_design_free). Errors:
 * PN_EUSAGE (a categorical covariate with a single level among the rows, naming it),
 * PN_EINVAL (a missing value), PN_ENOMEM. */
int pn_design_build(pn_design **out, const pn_column *cov, size_t ncov, size_t n,
                    pn_diag *diag);

/* As pn_design_build, but each numeric column's values (cov[c].num) are freed, and set to
 * NULL, as soon as they are copied into the design (on failure too, for those copied), so
 * that the data are not held twice. */
int pn_design_build_take(pn_design **out, pn_column *cov, size_t ncov, size_t n,
                         pn_diag *diag);

/* Free the design and its arrays. Accepts NULL. */
void pn_design_free(pn_design *design);

#endif
