/* survinput.c - read, check and compact the rows of a survival analysis from a CSV file. */
#include "pronostic/survinput.h"
#include "pronostic/alloc.h"
#include "pronostic/num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when level text `level` means the event value `value`: equal text, or equal numbers. */
static int same_value(const char *level, const char *value)
{
    if (strcmp(level, value) == 0) return 1;
    double a, b;
    return pn_parse_double(level, strlen(level), &a) == PN_OK &&
           pn_parse_double(value, strlen(value), &b) == PN_OK && a == b;
}

typedef struct keyslot {
    uint64_t key;
    int32_t code; /* -1 empty */
} keyslot;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

int pn_combine_factors(const pn_column *const *cols, size_t ncols, size_t n, int32_t *codes,
                       char ***labels, size_t *ncomb)
{
    int rc = PN_ENOMEM;
    uint64_t radix = 1;
    for (size_t c = ncols; c-- > 0;) {
        uint64_t nl = cols[c]->nlevels ? cols[c]->nlevels : 1;
        if (radix > UINT64_MAX / nl) return PN_ETOOBIG;
        radix *= nl;
    }
    size_t nslots = 64, nkeys = 0, kcap = 0;
    keyslot *slots = NULL;
    uint64_t *keys = NULL, *rowkey = pn_malloc(n * sizeof *rowkey);
    char **lab = NULL;
    if (rowkey == NULL) goto done;
    slots = pn_malloc(nslots * sizeof *slots);
    if (slots == NULL) goto done;
    for (size_t i = 0; i < nslots; i++) slots[i].code = -1;
    for (size_t r = 0; r < n; r++) {
        uint64_t key = 0;
        int missing = 0;
        for (size_t c = 0; c < ncols; c++) {
            int32_t code = cols[c]->code[r];
            if (code < 0) missing = 1;
            key = key * (cols[c]->nlevels ? cols[c]->nlevels : 1) + (uint64_t)(code < 0 ? 0 : code);
        }
        rowkey[r] = missing ? UINT64_MAX : key;
        if (missing) continue;
        size_t k = mix(key) & (nslots - 1);
        while (slots[k].code >= 0 && slots[k].key != key) k = (k + 1) & (nslots - 1);
        if (slots[k].code >= 0) continue;
        if (pn_grow((void **)&keys, &kcap, nkeys + 1, sizeof *keys) != PN_OK) goto done;
        slots[k].key = key;
        slots[k].code = (int32_t)nkeys;
        keys[nkeys++] = key;
        if (nkeys * 2 > nslots) { /* rehash */
            size_t ns = nslots * 2;
            keyslot *grown = pn_malloc(ns * sizeof *grown);
            if (grown == NULL) goto done;
            for (size_t i = 0; i < ns; i++) grown[i].code = -1;
            for (size_t i = 0; i < nkeys; i++) {
                size_t j = mix(keys[i]) & (ns - 1);
                while (grown[j].code >= 0) j = (j + 1) & (ns - 1);
                grown[j].key = keys[i];
                grown[j].code = (int32_t)i;
            }
            pn_free(slots);
            slots = grown;
            nslots = ns;
        }
    }
    /* order the combinations as R does (first column slowest), then recode */
    qsort(keys, nkeys, sizeof *keys, cmp_u64);
    for (size_t i = 0; i < nkeys; i++) {
        size_t k = mix(keys[i]) & (nslots - 1);
        while (slots[k].key != keys[i]) k = (k + 1) & (nslots - 1);
        slots[k].code = (int32_t)i;
    }
    for (size_t r = 0; r < n; r++) {
        if (rowkey[r] == UINT64_MAX) {
            codes[r] = -1;
            continue;
        }
        size_t k = mix(rowkey[r]) & (nslots - 1);
        while (slots[k].key != rowkey[r]) k = (k + 1) & (nslots - 1);
        codes[r] = slots[k].code;
    }
    lab = pn_calloc(nkeys, sizeof *lab);
    if (lab == NULL) goto done;
    for (size_t i = 0; i < nkeys; i++) {
        size_t len = 1, pos = 0;
        uint64_t key = keys[i], div = radix;
        for (size_t c = 0; c < ncols; c++) {
            div /= cols[c]->nlevels ? cols[c]->nlevels : 1;
            len += strlen(cols[c]->name) + strlen(cols[c]->levels[key / div % cols[c]->nlevels]) + 2;
        }
        lab[i] = pn_malloc(len);
        if (lab[i] == NULL) goto done;
        div = radix;
        for (size_t c = 0; c < ncols; c++) {
            div /= cols[c]->nlevels;
            pos += (size_t)snprintf(lab[i] + pos, len - pos, "%s%s=%s", c ? "," : "", cols[c]->name,
                                    cols[c]->levels[key / div % cols[c]->nlevels]);
        }
    }
    *labels = lab;
    *ncomb = nkeys;
    lab = NULL;
    rc = PN_OK;
done:
    if (lab != NULL) {
        for (size_t i = 0; i < nkeys; i++) pn_free(lab[i]);
        pn_free(lab);
    }
    pn_free(rowkey);
    pn_free(slots);
    pn_free(keys);
    return rc;
}

void pn_survdata_free(pn_survdata *d)
{
    if (d == NULL) return;
    pn_free(d->time);
    pn_free(d->event);
    pn_free(d->entry);
    pn_free(d->weight);
    pn_free(d->group);
    pn_free(d->stratum);
    for (size_t i = 0; i < d->ngroups; i++) pn_free(d->group_labels[i]);
    pn_free(d->group_labels);
    for (size_t i = 0; i < d->nstrata; i++) pn_free(d->strata_labels[i]);
    pn_free(d->strata_labels);
    for (size_t c = 0; c < d->ncov; c++) {
        pn_column *col = &d->cov[c];
        pn_free(col->name);
        pn_free(col->num);
        pn_free(col->code);
        for (size_t l = 0; l < col->nlevels; l++) pn_free(col->levels[l]);
        pn_free(col->levels);
    }
    pn_free(d->cov);
    pn_free(d);
}

static int listed(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0) return 1;
    return 0;
}

/* Take column `src` of the frame, keeping rows where keep[r]; moves levels into `dst`. */
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

static void free_cols(pn_column *cols, size_t n)
{
    if (cols == NULL) return;
    for (size_t c = 0; c < n; c++) {
        pn_free(cols[c].name);
        pn_free(cols[c].num);
        pn_free(cols[c].code);
        for (size_t i = 0; i < cols[c].nlevels; i++) pn_free(cols[c].levels[i]);
        pn_free(cols[c].levels);
    }
    pn_free(cols);
}

/* Combine compacted categorical columns into codes and labels (NULL codes when none). */
static int combine(pn_column *cols, size_t ncols, size_t n, int32_t **codes, char ***labels,
                   size_t *ncomb)
{
    if (ncols == 0) return PN_OK;
    const pn_column **ptrs = pn_calloc(ncols, sizeof *ptrs);
    *codes = pn_malloc(n * sizeof **codes);
    if (ptrs == NULL || *codes == NULL) {
        pn_free(ptrs);
        return PN_ENOMEM;
    }
    for (size_t c = 0; c < ncols; c++) ptrs[c] = &cols[c];
    int rc = pn_combine_factors(ptrs, ncols, n, *codes, labels, ncomb);
    pn_free(ptrs);
    return rc;
}

int pn_survdata_load(pn_survdata **out, const pn_survspec *spec, pn_diag *diag)
{
    *out = NULL;
    size_t maxcols = 4 + spec->nby + spec->nstrata + spec->ncov;
    loader l = {0};
    pn_survdata *d = pn_calloc(1, sizeof *d);
    l.names = pn_calloc(maxcols, sizeof *l.names);
    l.kinds = pn_calloc(maxcols, sizeof *l.kinds);
    int rc = PN_ENOMEM;
    if (d == NULL || l.names == NULL || l.kinds == NULL) goto nomem;
    int ctime = add_col(&l, spec->time, PN_COL_NUM);
    int cevent = add_col(&l, spec->event, PN_COL_CAT);
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
    rc = pn_frame_read_csv(&l.frame, spec->path, l.names, l.kinds, l.ncols, diag);
    if (rc != PN_OK) goto fail;
    pn_frame *f = l.frame;
    size_t nrows = f->nrows;

    /* event levels: the event value, and at most one other (censoring) value */
    const pn_column *ev = &f->cols[cevent];
    const char *value = spec->event_value ? spec->event_value : "1";
    int32_t event_level = -1, censor_level = -1;
    for (size_t i = 0; i < ev->nlevels; i++) {
        if (same_value(ev->levels[i], value)) event_level = (int32_t)i;
        else if (censor_level < 0) censor_level = (int32_t)i;
    }
    l.keep = pn_malloc(nrows ? nrows : 1);
    if (l.keep == NULL) goto nomem;
    size_t nkept = 0;
    for (size_t r = 0; r < nrows; r++) {
        int32_t e = ev->code[r];
        if (e >= 0 && e != event_level && e != censor_level) {
            rc = pn_diag_set(diag, PN_EPARSE,
                             "%s:%u: column '%s': unknown event value '%s' (the event value is '%s'"
                             " and '%s' already means censored)",
                             f->source, f->line[r], spec->event, ev->levels[e], value,
                             ev->levels[censor_level]);
            goto fail;
        }
        int keep = e >= 0;
        for (size_t c = 0; c < l.ncols; c++) {
            const pn_column *col = &f->cols[c];
            if (col->kind == PN_COL_NUM ? isnan(col->num[r]) : col->code[r] < 0) keep = 0;
        }
        double t = f->cols[ctime].num[r];
        if (!isnan(t) && t < 0) {
            rc = pn_diag_set(diag, PN_ERANGE, "%s:%u: column '%s': negative time %g", f->source,
                             f->line[r], spec->time, t);
            goto fail;
        }
        if (cweight >= 0 && f->cols[cweight].num[r] < 0) {
            rc = pn_diag_set(diag, PN_ERANGE, "%s:%u: column '%s': negative weight %g", f->source,
                             f->line[r], spec->weights, f->cols[cweight].num[r]);
            goto fail;
        }
        if (keep && centry >= 0 && !(f->cols[centry].num[r] < t)) {
            rc = pn_diag_set(diag, PN_ERANGE,
                             "%s:%u: column '%s': entry time %g is not before the exit time %g",
                             f->source, f->line[r], spec->entry, f->cols[centry].num[r], t);
            goto fail;
        }
        l.keep[r] = (unsigned char)keep;
        nkept += (size_t)keep;
    }
    d->n = nkept;
    d->dropped = nrows - nkept;
    d->time = pn_malloc(nkept * sizeof *d->time + 1);
    d->event = pn_malloc(nkept + 1);
    if (d->time == NULL || d->event == NULL) goto nomem;
    if (centry >= 0 && (d->entry = pn_malloc(nkept * sizeof *d->entry + 1)) == NULL) goto nomem;
    if (cweight >= 0 && (d->weight = pn_malloc(nkept * sizeof *d->weight + 1)) == NULL) goto nomem;
    for (size_t r = 0, k = 0; r < nrows; r++) {
        if (!l.keep[r]) continue;
        d->time[k] = f->cols[ctime].num[r];
        d->event[k] = ev->code[r] == event_level;
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
    rc = combine(l.by, spec->nby, nkept, &d->group, &d->group_labels, &d->ngroups);
    if (rc == PN_OK) rc = combine(l.strata, spec->nstrata, nkept, &d->stratum, &d->strata_labels, &d->nstrata);
    if (rc != PN_OK) {
        rc = pn_diag_set(diag, rc, "%s: too many group combinations", f->source);
        goto fail;
    }
    free_cols(l.by, spec->nby);
    free_cols(l.strata, spec->nstrata);
    pn_free(l.keep);
    pn_frame_free(l.frame);
    pn_free(l.names);
    pn_free(l.kinds);
    *out = d;
    return PN_OK;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
    free_cols(l.by, spec->nby);
    free_cols(l.strata, spec->nstrata);
    pn_free(l.keep);
    pn_frame_free(l.frame);
    pn_free(l.names);
    pn_free(l.kinds);
    pn_survdata_free(d);
    return rc;
}
