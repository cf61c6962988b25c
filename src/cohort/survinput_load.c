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
    if (nkept == nrows && nrows > 0 && (src->kind == PN_COL_NUM ? src->num != NULL : src->code != NULL)) {
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

/* The state of a load: the frame's columns of the rows read so far and, per row, the event
 * and whether it is kept (survinput.h: pn_survload). */
struct pn_survload {
    const pn_survspec *spec;
    const char **names;
    int *kinds;
    size_t ncols;
    int ctime, centry, cweight, cby, cstrata, ccov;
    pn_framepart *part;
    pn_eventcol *ev;
    int idx;                 /* the event column in the CSV */
    signed char *event;      /* per row: 1 event, 0 censored, -1 missing */
    size_t cap;
    unsigned char *keep;     /* per row: no missing value in a used column */
    size_t kcap;
};

static int add_col(pn_survload *l, const char *name, int kind)
{
    l->names[l->ncols] = name;
    l->kinds[l->ncols] = kind;
    return (int)l->ncols++;
}

int pn_survspec_check(const pn_survspec *spec, pn_diag *diag)
{
    for (size_t i = 0; i < spec->nfactors; i++)
        if (!listed(spec->factors[i], spec->covariates, spec->ncov))
            return pn_diag_set(diag, PN_EUSAGE, "factor '%s' is not among the covariates",
                               spec->factors[i]);
    return PN_OK;
}

void pn_survload_free(pn_survload *l)
{
    if (l == NULL) return;
    pn_framepart_free(l->part);
    pn_eventcol_free(l->ev);
    pn_free(l->event);
    pn_free(l->keep);
    pn_free(l->names);
    pn_free(l->kinds);
    pn_free(l);
}

int pn_survload_new(pn_survload **out, const pn_survspec *spec, const pn_csv *header,
                    pn_diag *diag)
{
    *out = NULL;
    if (spec->multistate) return PN_EINVAL; /* competing events: the stream only */
    size_t maxcols = 4 + spec->nby + spec->nstrata + spec->ncov;
    pn_survload *l = pn_calloc(1, sizeof *l);
    if (l == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    l->spec = spec;
    l->names = pn_calloc(maxcols, sizeof *l->names);
    l->kinds = pn_calloc(maxcols, sizeof *l->kinds);
    if (l->names == NULL || l->kinds == NULL || pn_eventcol_new(&l->ev, spec->event_value) != PN_OK) {
        pn_survload_free(l);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    l->ctime = add_col(l, spec->time, PN_COL_NUM);
    add_col(l, spec->event, PN_COL_SKIP); /* read by the row hook, never stored as text */
    l->centry = spec->entry ? add_col(l, spec->entry, PN_COL_NUM) : -1;
    l->cweight = spec->weights ? add_col(l, spec->weights, PN_COL_NUM) : -1;
    l->cby = (int)l->ncols;
    for (size_t i = 0; i < spec->nby; i++) add_col(l, spec->by[i], PN_COL_CAT);
    l->cstrata = (int)l->ncols;
    for (size_t i = 0; i < spec->nstrata; i++) add_col(l, spec->strata[i], PN_COL_CAT);
    l->ccov = (int)l->ncols;
    for (size_t i = 0; i < spec->ncov; i++)
        add_col(l, spec->covariates[i],
                listed(spec->covariates[i], spec->factors, spec->nfactors) ? PN_COL_CAT : PN_COL_NUM);
    int rc = pn_framepart_new(&l->part, header, l->names, l->kinds, l->ncols, diag);
    if (rc != PN_OK) {
        pn_survload_free(l);
        return rc;
    }
    l->idx = pn_csv_find(header, spec->event);
    *out = l;
    return PN_OK;
}

/* The row hook of the load: the event column's rule and R's Surv() checks on each row as it is
 * read, so that a wrong event column or a bad value stops the reading at its row. */
static int load_row(void *ctx, pn_csv *csv, const pn_frame *f, size_t r, pn_diag *diag)
{
    pn_survload *l = ctx;
    if (pn_grow((void **)&l->event, &l->cap, r + 1, 1) != PN_OK ||
        pn_grow((void **)&l->keep, &l->kcap, r + 1, 1) != PN_OK)
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int e;
    int rc = pn_survrow_event(l->ev, csv, l->idx, l->spec->event, &e, diag);
    if (rc != PN_OK) return rc;
    int keep = e >= 0;
    for (size_t c = 0; c < f->ncols; c++) {
        const pn_column *col = &f->cols[c];
        if (col->kind == PN_COL_NUM ? isnan(col->num[r]) : col->kind == PN_COL_CAT && col->code[r] < 0)
            keep = 0;
    }
    l->event[r] = (signed char)e;
    l->keep[r] = (unsigned char)keep;
    return pn_survrow_check(l->spec, f->source, pn_csv_line(csv), f->cols[l->ctime].num[r],
                            l->centry >= 0 ? f->cols[l->centry].num[r] : NAN,
                            l->cweight >= 0 ? f->cols[l->cweight].num[r] : NAN, keep, diag);
}

int pn_survload_read(pn_survload *l, pn_csv *csv, pn_diag *diag)
{
    return pn_framepart_read(l->part, csv, load_row, l, diag);
}

int pn_survload_can_follow(const pn_survload *dst, const pn_survload *src)
{
    return pn_eventcol_can_follow(dst->ev, src->ev);
}

/* Append `ns` bytes of `src` after the `nd` of *dst (capacity *cap). */
static int append_bytes(void **dst, size_t *cap, size_t nd, const void *src, size_t ns)
{
    if (ns == 0) return PN_OK;
    if (nd + ns > *cap) {
        void *grown = pn_reallocarray(*dst, nd + ns, 1);
        if (grown == NULL) return PN_ENOMEM;
        *dst = grown;
        *cap = nd + ns;
    }
    memcpy((char *)*dst + nd, src, ns);
    return PN_OK;
}

int pn_survload_merge(pn_survload *dst, pn_survload *src, long line_shift, pn_diag *diag)
{
    size_t nd = pn_framepart_frame(dst->part)->nrows, ns = pn_framepart_frame(src->part)->nrows;
    int rc = pn_eventcol_merge(dst->ev, src->ev, line_shift);
    if (rc == PN_OK && (append_bytes((void **)&dst->event, &dst->cap, nd, src->event, ns) != PN_OK ||
                        append_bytes((void **)&dst->keep, &dst->kcap, nd, src->keep, ns) != PN_OK))
        rc = PN_ENOMEM;
    if (rc == PN_OK) rc = pn_framepart_merge(dst->part, src->part, line_shift);
    if (rc != PN_OK)
        return pn_diag_set(diag, rc, rc == PN_ENOMEM ? "out of memory" : "too many levels");
    pn_free(src->event);
    pn_free(src->keep);
    src->event = NULL;
    src->keep = NULL;
    src->cap = src->kcap = 0;
    return PN_OK;
}

int pn_survload_finish(pn_survload *l, pn_survdata **out, pn_diag *diag)
{
    *out = NULL;
    const pn_survspec *spec = l->spec;
    pn_frame *f = NULL;
    pn_column *by = NULL, *strata = NULL;
    unsigned char *keep = NULL;
    int ctime = l->ctime, centry = l->centry, cweight = l->cweight;
    pn_survdata *d = pn_calloc(1, sizeof *d);
    int rc = PN_ENOMEM;
    if (d == NULL) goto nomem;
    if ((rc = pn_framepart_finish(l->part, &f, diag)) != PN_OK) goto fail;
    size_t nrows = f->nrows;
    if ((rc = pn_eventcol_finish(l->ev, f->source, spec->event, diag)) != PN_OK) goto fail;
    if (pn_eventcol_copy_censoring(l->ev, &d->censor_value, &d->censor_rows) != PN_OK) goto nomem;
    keep = l->keep;
    l->keep = NULL;
    if (keep == NULL && (keep = pn_malloc(1)) == NULL) goto nomem;
    size_t nkept = 0;
    for (size_t r = 0; r < nrows; r++) nkept += keep[r];
    d->n = nkept;
    d->dropped = nrows - nkept;
    pn_free(f->line); /* the lines served the messages of the rows only */
    f->line = NULL;
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
        if (!keep[r]) continue;
        if (f->cols[ctime].num != NULL) d->time[k] = f->cols[ctime].num[r];
        d->event[k] = l->event[r] == 1;
        d->event_seen |= d->event[k];
        if (d->entry) d->entry[k] = f->cols[centry].num[r];
        if (d->weight) d->weight[k] = f->cols[cweight].num[r];
        k++;
    }
    pn_free(l->event);
    l->event = NULL;
    l->cap = 0;
    by = pn_calloc(spec->nby + 1, sizeof *by);
    strata = pn_calloc(spec->nstrata + 1, sizeof *strata);
    d->cov = pn_calloc(spec->ncov + 1, sizeof *d->cov);
    if (by == NULL || strata == NULL || d->cov == NULL) goto nomem;
    for (size_t i = 0; i < spec->nby; i++)
        if (compact_column(&by[i], &f->cols[l->cby + (int)i], keep, nrows, nkept) != PN_OK) goto nomem;
    for (size_t i = 0; i < spec->nstrata; i++)
        if (compact_column(&strata[i], &f->cols[l->cstrata + (int)i], keep, nrows, nkept) != PN_OK)
            goto nomem;
    for (size_t i = 0; i < spec->ncov; i++) {
        d->ncov = i + 1;
        if (compact_column(&d->cov[i], &f->cols[l->ccov + (int)i], keep, nrows, nkept) != PN_OK)
            goto nomem;
    }
    rc = pn__combine(by, spec->nby, nkept, &d->group, &d->group_labels, &d->ngroups);
    if (rc == PN_OK) rc = pn__combine(strata, spec->nstrata, nkept, &d->stratum, &d->strata_labels, &d->nstrata);
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
    pn__free_cols(by, spec->nby);
    pn__free_cols(strata, spec->nstrata);
    pn_free(keep);
    pn_frame_free(f);
    pn_survdata_free(d);
    return rc;
}

int pn_survdata_load(pn_survdata **out, const pn_survspec *spec, pn_diag *diag)
{
    *out = NULL;
    int rc = pn_survspec_check(spec, diag);
    if (rc != PN_OK) return rc;
    pn_csv *csv = NULL;
    pn_survload *l = NULL;
    if ((rc = pn_csv_open(&csv, spec->path, NULL, diag)) != PN_OK) return rc;
    if ((rc = pn_survload_new(&l, spec, csv, diag)) == PN_OK &&
        (rc = pn_survload_read(l, csv, diag)) == PN_OK)
        rc = pn_survload_finish(l, out, diag);
    pn_survload_free(l);
    pn_csv_close(csv);
    return rc;
}
