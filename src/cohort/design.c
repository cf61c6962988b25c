/* design.c - build a regression's design matrix from covariate columns: numeric columns as
 * they are, categorical ones as treatment-contrast indicators (first level as reference). */
#include "pronostic/design.h"

#include "pronostic/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void pn_design_free(pn_design *design)
{
    if (design == NULL) return;
    if (design->names)
        for (size_t j = 0; j < design->p; j++) pn_free(design->names[j]);
    pn_free(design->names);
    pn_free(design->source);
    pn_free(design->x);
    pn_free(design);
}

/* The model column of each level of `col` (-1 for the reference and unused levels) into
 * `colof` (nlevels), and the count of indicator columns. */
static size_t factor_columns(const pn_column *col, size_t n, long *colof)
{
    for (size_t l = 0; l < col->nlevels; l++) colof[l] = 0;
    for (size_t i = 0; i < n; i++) colof[col->code[i]] = 1;
    size_t used = 0;
    long next = 0;
    for (size_t l = 0; l < col->nlevels; l++) {
        if (!colof[l]) {
            colof[l] = -1;
            continue;
        }
        colof[l] = used++ == 0 ? -1 : next++;
    }
    return (size_t)next;
}

/* pn_design_build; with `take` (the same columns as `cov`, writable) pn_design_build_take:
 * each numeric column's values freed once copied. */
static int build(pn_design **out, const pn_column *cov, pn_column *take, size_t ncov, size_t n,
                 pn_diag *diag)
{
    int rc = PN_ENOMEM;
    long *colof = NULL;
    *out = NULL;
    pn_design *d = pn_calloc(1, sizeof *d);
    if (d == NULL) goto nomem;
    d->n = n;
    /* count the model columns and check the codes */
    size_t p = 0, maxlev = 1;
    for (size_t c = 0; c < ncov; c++) {
        if (cov[c].kind == PN_COL_NUM) {
            for (size_t i = 0; i < n; i++)
                if (isnan(cov[c].num[i])) {
                    rc = pn_diag_set(diag, PN_EINVAL, "covariate '%s': missing value in row %zu",
                                     cov[c].name, i + 1);
                    goto fail;
                }
            p++;
            continue;
        }
        for (size_t i = 0; i < n; i++)
            if (cov[c].code[i] < 0 || (size_t)cov[c].code[i] >= cov[c].nlevels) {
                rc = pn_diag_set(diag, PN_EINVAL, "covariate '%s': missing value in row %zu",
                                 cov[c].name, i + 1);
                goto fail;
            }
        if (cov[c].nlevels > maxlev) maxlev = cov[c].nlevels;
    }
    colof = pn_calloc(maxlev, sizeof *colof);
    if (colof == NULL) goto nomem;
    for (size_t c = 0; c < ncov; c++) {
        if (cov[c].kind == PN_COL_NUM) continue;
        size_t k = factor_columns(&cov[c], n, colof);
        if (k == 0) {
            rc = pn_diag_set(diag, PN_EUSAGE,
                             "factor '%s' has a single level among the rows used: it cannot be "
                             "a covariate", cov[c].name);
            goto fail;
        }
        p += k;
    }
    d->p = p;
    d->x = pn_calloc(n * p + 1, sizeof *d->x);
    d->names = pn_calloc(p + 1, sizeof *d->names);
    d->source = pn_calloc(p + 1, sizeof *d->source);
    if (d->x == NULL || d->names == NULL || d->source == NULL) goto nomem;
    size_t j = 0;
    for (size_t c = 0; c < ncov; c++) {
        const pn_column *col = &cov[c];
        if (col->kind == PN_COL_NUM) {
            memcpy(d->x + j * n, col->num, n * sizeof *d->x);
            if (take != NULL) {
                pn_free(take[c].num);
                take[c].num = NULL;
            }
            if ((d->names[j] = pn_strdup(col->name)) == NULL) goto nomem;
            d->source[j++] = c;
            continue;
        }
        size_t k = factor_columns(col, n, colof);
        for (size_t l = 0; l < col->nlevels; l++) {
            if (colof[l] < 0) continue;
            size_t jj = j + (size_t)colof[l];
            size_t len = strlen(col->name) + strlen(col->levels[l]) + 1;
            if ((d->names[jj] = pn_malloc(len)) == NULL) goto nomem;
            snprintf(d->names[jj], len, "%s%s", col->name, col->levels[l]);
            d->source[jj] = c;
        }
        for (size_t i = 0; i < n; i++) {
            long m = colof[col->code[i]];
            if (m >= 0) d->x[(j + (size_t)m) * n + i] = 1.0;
        }
        j += k;
    }
    pn_free(colof);
    *out = d;
    return PN_OK;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
    pn_free(colof);
    pn_design_free(d);
    return rc;
}

int pn_design_build(pn_design **out, const pn_column *cov, size_t ncov, size_t n,
                    pn_diag *diag)
{
    return build(out, cov, NULL, ncov, n, diag);
}

int pn_design_build_take(pn_design **out, pn_column *cov, size_t ncov, size_t n, pn_diag *diag)
{
    return build(out, cov, cov, ncov, n, diag);
}
