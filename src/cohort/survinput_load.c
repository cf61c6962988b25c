/* survinput_load.c - read, check and compact the rows of a survival analysis from a CSV file into
 * columns (pn_survdata_load). */
#include "survinput_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/num.h"
#include "pronostic/strset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void pn_survdata_free(pn_survdata *d)
{
    if (d == NULL) return;
    pn_free(d->censor_value);
    pn_free(d->time);
    pn_free(d->event);
    pn_free(d->entry);
    pn_free(d->weight);
    pn_free(d->group);
    pn_free(d->stratum);
    pn__free_labels(d->group_labels, d->ngroups);
    pn__free_labels(d->strata_labels, d->nstrata);
    pn__free_cols(d->cov, d->ncov);
    pn_free(d);
}

static int listed(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0) return 1;
    return 0;
}

/* Take column `src` of the frame, keeping rows where keep[r]; moves levels into `dst`, and the
 * values too when every row is kept. */
static int compact_column(pn_column *dst, pn_column *src, const unsigned char *keep, size_t nrows,
                          size_t nkept)
{
    *dst = *src;
    dst->name = pn_strdup(src->name);
    if (dst->name == NULL) return PN_ENOMEM;
    src->levels = NULL;
    src->nlevels = 0;
    dst->num = NULL;
    dst->code = NULL;
    if (nkept == nrows && nrows > 0 &&
        (src->kind == PN_COL_NUM ? src->num != NULL : src->code != NULL)) {
        dst->num = src->num; /* every row kept: the values move instead of being copied */
        dst->code = src->code;
        src->num = NULL;
        src->code = NULL;
        return PN_OK;
    }
    if (src->kind == PN_COL_NUM) {
        dst->num = pn_malloc(nkept * sizeof *dst->num);
        if (dst->num == NULL) return PN_ENOMEM;
        for (size_t r = 0, k = 0; r < nrows; r++)
            if (keep[r]) dst->num[k++] = src->num[r];
    } else {
        dst->code = pn_malloc(nkept * sizeof *dst->code);
        if (dst->code == NULL) return PN_ENOMEM;
        for (size_t r = 0, k = 0; r < nrows; r++)
            if (keep[r]) dst->code[k++] = src->code[r];
    }
    return PN_OK;
}

/* The pieces of one load, so that cleanup is one function. */
typedef struct loader {
    const char **names;
    int *kinds;
    size_t ncols;
    pn_frame *frame;
    unsigned char *keep;
    pn_column *by, *strata;
} loader;

static int add_col(loader *l, const char *name, int kind)
{
    l->names[l->ncols] = name;
    l->kinds[l->ncols] = kind;
    return (int)l->ncols++;
}

/* The row hook of pn_survdata_load: the event column's rule and R's Surv() checks on each row
 * as it is read, so that a wrong event column or a bad value stops the reading at its row. */
typedef struct loadrow {
    const pn_survspec *spec;
    pn_eventcol *ev;
    int idx;                 /* the event column in the CSV, -1 until the first row */
    int ctime, centry, cweight;
    signed char *event;      /* per row: 1 event, 0 censored, -1 missing */
    size_t cap;
    unsigned char *keep;     /* per row: no missing value in a used column */
    size_t kcap;
} loadrow;

static int load_row(void *ctx, pn_csv *csv, const pn_frame *f, size_t r, pn_diag *diag)
{
    loadrow *lr = ctx;
    if (lr->idx < 0) lr->idx = pn_csv_find(csv, lr->spec->event);
    if (pn_grow((void **)&lr->event, &lr->cap, r + 1, 1) != PN_OK ||
        pn_grow((void **)&lr->keep, &lr->kcap, r + 1, 1) != PN_OK)
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int e;
    int rc = pn_survrow_event(lr->ev, csv, lr->idx, lr->spec->event, &e, diag);
    if (rc != PN_OK) return rc;
    int keep = e >= 0;
    for (size_t c = 0; c < f->ncols; c++) {
        const pn_column *col = &f->cols[c];
        if (col->kind == PN_COL_NUM ? isnan(col->num[r]) : col->kind == PN_COL_CAT && col->code[r] < 0)
            keep = 0;
    }
    lr->event[r] = (signed char)e;
    lr->keep[r] = (unsigned char)keep;
    return pn_survrow_check(lr->spec, f->source, (long)f->line[r], f->cols[lr->ctime].num[r],
                            lr->centry >= 0 ? f->cols[lr->centry].num[r] : NAN,
                            lr->cweight >= 0 ? f->cols[lr->cweight].num[r] : NAN, keep, diag);
}

int pn_survdata_load(pn_survdata **out, const pn_survspec *spec, pn_diag *diag)
{
    *out = NULL;
    size_t maxcols = 4 + spec->nby + spec->nstrata + spec->ncov;
    loader l = {0};
    loadrow lr = {.spec = spec, .idx = -1};
    pn_survdata *d = pn_calloc(1, sizeof *d);
    l.names = pn_calloc(maxcols, sizeof *l.names);
    l.kinds = pn_calloc(maxcols, sizeof *l.kinds);
    int rc = PN_ENOMEM;
    if (d == NULL || l.names == NULL || l.kinds == NULL) goto nomem;
    if (pn_eventcol_new(&lr.ev, spec->event_value) != PN_OK) goto nomem;
    int ctime = add_col(&l, spec->time, PN_COL_NUM);
    add_col(&l, spec->event, PN_COL_SKIP); /* read by the row hook, never stored as text */
    int centry = spec->entry ? add_col(&l, spec->entry, PN_COL_NUM) : -1;
    int cweight = spec->weights ? add_col(&l, spec->weights, PN_COL_NUM) : -1;
    int cby = (int)l.ncols;
    for (size_t i = 0; i < spec->nby; i++) add_col(&l, spec->by[i], PN_COL_CAT);
    int cstrata = (int)l.ncols;
    for (size_t i = 0; i < spec->nstrata; i++) add_col(&l, spec->strata[i], PN_COL_CAT);
    int ccov = (int)l.ncols;
    for (size_t i = 0; i < spec->ncov; i++)
        add_col(&l, spec->covariates[i],
                listed(spec->covariates[i], spec->factors, spec->nfactors) ? PN_COL_CAT : PN_COL_NUM);
    for (size_t i = 0; i < spec->nfactors; i++)
        if (!listed(spec->factors[i], spec->covariates, spec->ncov)) {
            rc = pn_diag_set(diag, PN_EUSAGE, "factor '%s' is not among the covariates",
                             spec->factors[i]);
            goto fail;
        }
    lr.ctime = ctime;
    lr.centry = centry;
    lr.cweight = cweight;
    rc = pn_frame_read_csv_rows(&l.frame, spec->path, l.names, l.kinds, l.ncols, load_row, &lr,
                                diag);
    if (rc != PN_OK) goto fail;
    pn_frame *f = l.frame;
    size_t nrows = f->nrows;
    if ((rc = pn_eventcol_finish(lr.ev, f->source, spec->event, diag)) != PN_OK) goto fail;
    if (pn_eventcol_copy_censoring(lr.ev, &d->censor_value, &d->censor_rows) != PN_OK) goto nomem;
    l.keep = lr.keep;
    lr.keep = NULL;
    if (l.keep == NULL && (l.keep = pn_malloc(1)) == NULL) goto nomem;
    size_t nkept = 0;
    for (size_t r = 0; r < nrows; r++) nkept += l.keep[r];
    d->n = nkept;
    d->dropped = nrows - nkept;
    if (nkept == nrows && nkept > 0) { /* every row kept: the times move, not copied */
        d->time = f->cols[ctime].num;
        f->cols[ctime].num = NULL;
    } else {
        d->time = pn_malloc(nkept * sizeof *d->time + 1);
    }
    d->event = pn_malloc(nkept + 1);
    if (d->time == NULL || d->event == NULL) goto nomem;
    if (centry >= 0 && (d->entry = pn_malloc(nkept * sizeof *d->entry + 1)) == NULL) goto nomem;
    if (cweight >= 0 && (d->weight = pn_malloc(nkept * sizeof *d->weight + 1)) == NULL) goto nomem;
    for (size_t r = 0, k = 0; r < nrows; r++) {
        if (!l.keep[r]) continue;
        if (f->cols[ctime].num != NULL) d->time[k] = f->cols[ctime].num[r];
        d->event[k] = lr.event[r] == 1;
        d->event_seen |= d->event[k];
        if (d->entry) d->entry[k] = f->cols[centry].num[r];
        if (d->weight) d->weight[k] = f->cols[cweight].num[r];
        k++;
    }
    l.by = pn_calloc(spec->nby + 1, sizeof *l.by);
    l.strata = pn_calloc(spec->nstrata + 1, sizeof *l.strata);
    d->cov = pn_calloc(spec->ncov + 1, sizeof *d->cov);
    if (l.by == NULL || l.strata == NULL || d->cov == NULL) goto nomem;
    for (size_t i = 0; i < spec->nby; i++)
        if (compact_column(&l.by[i], &f->cols[cby + (int)i], l.keep, nrows, nkept) != PN_OK) goto nomem;
    for (size_t i = 0; i < spec->nstrata; i++)
        if (compact_column(&l.strata[i], &f->cols[cstrata + (int)i], l.keep, nrows, nkept) != PN_OK)
            goto nomem;
    for (size_t i = 0; i < spec->ncov; i++) {
        d->ncov = i + 1;
        if (compact_column(&d->cov[i], &f->cols[ccov + (int)i], l.keep, nrows, nkept) != PN_OK)
            goto nomem;
    }
    rc = pn__combine(l.by, spec->nby, nkept, &d->group, &d->group_labels, &d->ngroups);
    if (rc == PN_OK) rc = pn__combine(l.strata, spec->nstrata, nkept, &d->stratum, &d->strata_labels, &d->nstrata);
    if (rc != PN_OK) {
        rc = pn_diag_set(diag, rc, "%s: too many group combinations", f->source);
        goto fail;
    }
    *out = d;
    d = NULL;
    rc = PN_OK;
    goto done;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
done:
    pn__free_cols(l.by, spec->nby);
    pn__free_cols(l.strata, spec->nstrata);
    pn_free(l.keep);
    pn_free(lr.keep);
    pn_free(lr.event);
    pn_eventcol_free(lr.ev);
    pn_frame_free(l.frame);
    pn_free(l.names);
    pn_free(l.kinds);
    pn_survdata_free(d);
    return rc;
}
