/* survinput.c - read, check and compact the rows of a survival analysis from a CSV file. */
#include "pronostic/survinput.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/num.h"
#include "pronostic/strset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 1 when level text `level` means the event value `value`: equal text, or equal numbers. */
static int same_value(const char *level, const char *value)
{
    if (strcmp(level, value) == 0) return 1;
    double a, b;
    return pn_parse_double(level, strlen(level), &a) == PN_OK &&
           pn_parse_double(value, strlen(value), &b) == PN_OK && a == b;
}

/* Free the contents of one column (its name, values and levels). */
static void free_column(pn_column *col)
{
    pn_free(col->name);
    pn_free(col->num);
    pn_free(col->code);
    for (size_t i = 0; i < col->nlevels; i++) pn_free(col->levels[i]);
    pn_free(col->levels);
}

/* Free `n` columns and their array (NULL accepted). */
static void free_cols(pn_column *cols, size_t n)
{
    if (cols == NULL) return;
    for (size_t c = 0; c < n; c++) free_column(&cols[c]);
    pn_free(cols);
}

/* Free `n` label strings and their array (NULL accepted). */
static void free_labels(char **labels, size_t n)
{
    if (labels == NULL) return;
    for (size_t i = 0; i < n; i++) pn_free(labels[i]);
    pn_free(labels);
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
    /* order the combinations as R does (first column slowest), then recode (no row kept:
     * keys is NULL, which qsort may not be given even for 0 elements) */
    if (nkeys > 1) qsort(keys, nkeys, sizeof *keys, cmp_u64);
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
    free_labels(lab, nkeys);
    pn_free(rowkey);
    pn_free(slots);
    pn_free(keys);
    return rc;
}

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
    free_labels(d->group_labels, d->ngroups);
    free_labels(d->strata_labels, d->nstrata);
    free_cols(d->cov, d->ncov);
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

int pn_survrow_check(const pn_survspec *spec, const char *source, long line, double t,
                     double entry, double w, int keep, pn_diag *diag)
{
    if (!isnan(t) && t < 0)
        return pn_diag_set(diag, PN_ERANGE, "%s:%ld: column '%s': negative time %g", source, line,
                           spec->time, t);
    if (!isnan(w) && w < 0)
        return pn_diag_set(diag, PN_ERANGE, "%s:%ld: column '%s': negative weight %g", source,
                           line, spec->weights, w);
    if (keep && spec->entry != NULL && !(entry < t))
        return pn_diag_set(diag, PN_ERANGE,
                           "%s:%ld: column '%s': entry time %g is not before the exit time %g",
                           source, line, spec->entry, entry, t);
    return PN_OK;
}

/* The message for an event value that is neither the event value nor the censoring value. */
static int unknown_event(pn_diag *diag, const char *source, long line, const char *column,
                         const char *level, const char *value, const char *censor)
{
    return pn_diag_set(diag, PN_EPARSE,
                       "%s:%ld: column '%s': unknown event value '%s' (the event value is '%s'"
                       " and '%s' already means censored)",
                       source, line, column, level, value, censor);
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
    rc = combine(l.by, spec->nby, nkept, &d->group, &d->group_labels, &d->ngroups);
    if (rc == PN_OK) rc = combine(l.strata, spec->nstrata, nkept, &d->stratum, &d->strata_labels, &d->nstrata);
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
    free_cols(l.by, spec->nby);
    free_cols(l.strata, spec->nstrata);
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

/* ---- streaming ---------------------------------------------------------------------------- */

/* Distinct texts of one column with codes in order of first appearance, and the line where
 * each first appears. */
typedef struct interned {
    pn_strset set;
    long *first_line;
    size_t lcap;
} interned;

/* Code of `len` bytes of `s`, added (first seen on `line`) when new; negative PN_E* on failure. */
static inline int64_t intern(interned *in, const char *s, size_t len, long line)
{
    size_t before = in->set.n;
    int64_t code = pn_strset_code(&in->set, s, len);
    if (code < 0 || in->set.n == before) return code;
    if (pn_grow((void **)&in->first_line, &in->lcap, in->set.n, sizeof *in->first_line) != PN_OK)
        return PN_ENOMEM;
    in->first_line[code] = line;
    return code;
}

static void intern_free(interned *in)
{
    pn_strset_free(&in->set, 1);
    pn_free(in->first_line);
}

/* Distinct tuples of by-codes, numbered in order of first appearance. */
typedef struct tuples {
    int32_t *codes;     /* n * width */
    size_t n, cap, width;
    int32_t *slots;     /* tuple + 1, 0 = empty */
    size_t nslots;
} tuples;

/* Rebuild an open-addressing table of `nslots` (a power of two) slots holding code + 1 (0 =
 * empty) for the codes 0..n-1, code c at hash(ctx, c); replaces *slots and *cur. */
static int slots_rebuild(int32_t **slots, size_t *cur, size_t nslots, size_t n,
                         uint64_t (*hash)(const void *ctx, size_t code), const void *ctx)
{
    int32_t *grown = pn_calloc(nslots, sizeof *grown);
    if (grown == NULL) return PN_ENOMEM;
    for (size_t c = 0; c < n; c++) {
        size_t k = hash(ctx, c) & (nslots - 1);
        while (grown[k]) k = (k + 1) & (nslots - 1);
        grown[k] = (int32_t)c + 1;
    }
    pn_free(*slots);
    *slots = grown;
    *cur = nslots;
    return PN_OK;
}

static uint64_t tuple_hash(const int32_t *t, size_t width)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < width; i++) h = (h ^ (uint32_t)t[i]) * 0xff51afd7ed558ccdULL;
    return h ^ (h >> 29);
}

static uint64_t tuple_hash_of(const void *ctx, size_t code)
{
    const tuples *tp = ctx;
    return tuple_hash(tp->codes + code * tp->width, tp->width);
}

static int64_t tuple_code(tuples *tp, const int32_t *t)
{
    if (tp->n * 2 >= tp->nslots &&
        slots_rebuild(&tp->slots, &tp->nslots, tp->nslots ? tp->nslots * 2 : 64, tp->n,
                      tuple_hash_of, tp) != PN_OK)
        return PN_ENOMEM;
    size_t k = tuple_hash(t, tp->width) & (tp->nslots - 1);
    while (tp->slots[k]) {
        size_t c = (size_t)tp->slots[k] - 1;
        if (memcmp(tp->codes + c * tp->width, t, tp->width * sizeof *t) == 0) return (int64_t)c;
        k = (k + 1) & (tp->nslots - 1);
    }
    if (tp->n >= INT32_MAX - 1) return PN_ETOOBIG;
    size_t need = (tp->n + 1) * tp->width, cap = tp->cap * tp->width;
    if (need > cap) {
        size_t ncap = tp->cap ? tp->cap * 2 : 16;
        int32_t *grown = pn_reallocarray(tp->codes, ncap * tp->width, sizeof *grown);
        if (grown == NULL) return PN_ENOMEM;
        tp->codes = grown;
        tp->cap = ncap;
    }
    memcpy(tp->codes + tp->n * tp->width, t, tp->width * sizeof *t);
    tp->slots[k] = (int32_t)tp->n + 1;
    return (int64_t)tp->n++;
}

void pn_survstream_free(pn_survstream *s)
{
    if (s == NULL) return;
    pn_free(s->censor_value);
    pn_free(s->recode);
    pn_free(s->stratum_recode);
    free_labels(s->group_labels, s->ngroups);
    free_labels(s->strata_labels, s->nstrata);
    pn_free(s);
}

/* R's factor() order of the distinct texts of `in`: rank[i] for text i, and the column
 * (levels in order) in `col` (owned by the caller: free_cols). */
static int rank_levels(const interned *in, pn_column *col, const char *name)
{
    memset(col, 0, sizeof *col);
    col->name = pn_strdup(name);
    if (col->name == NULL) return PN_ENOMEM;
    return pn_column_factor(col, (const char *const *)in->set.items, in->set.n);
}

/* ---- the event column's rule (pn_eventcol of survinput.h) ---------------------------------- */

struct pn_eventcol {
    interned texts;             /* distinct texts, with the line where each first appears */
    unsigned char *is_event;    /* per text: 1 when it means the event */
    size_t *rows;               /* per text: the rows that hold it */
    size_t cap, rcap;
    const char *value;          /* the event value (the caller's string) */
    int64_t censor;             /* the first non-event text, -1 before one is seen */
    long refused;               /* the line where the column became wrong, 0 while it is not */
    long bad_utf8;              /* the first line whose text is not UTF-8, 0 when none */
};

static void eventcol_clear(pn_eventcol *ev)
{
    intern_free(&ev->texts);
    pn_free(ev->is_event);
    pn_free(ev->rows);
}

/* A new text (code `code`, first on `line`): is it the event, and does it make the column
 * wrong (a second non-event level, or bytes that are not UTF-8)? */
static void eventcol_new_text(pn_eventcol *ev, int64_t code, long line)
{
    const char *text = ev->texts.set.items[code];
    ev->is_event[code] = (unsigned char)same_value(text, ev->value);
    if (!pn_utf8_valid(text, ev->texts.set.len[code])) {
        if (ev->bad_utf8 == 0) ev->bad_utf8 = line;
        if (ev->refused == 0) ev->refused = line;
        return;
    }
    if (ev->is_event[code]) return;
    if (ev->censor < 0) ev->censor = code;
    else if (!same_value(ev->texts.set.items[ev->censor], text) && ev->refused == 0)
        ev->refused = line;
}

/* 1 when the text means the event, 0 otherwise, or a negative PN_E* (inline: once per row). */
static inline int eventcol_add(pn_eventcol *ev, const char *text, size_t len, long line)
{
    size_t before = ev->texts.set.n;
    int64_t code = intern(&ev->texts, text, len, line);
    if (code < 0) return (int)code;
    if ((size_t)code >= ev->cap) {
        size_t old = ev->cap;
        if (pn_grow((void **)&ev->is_event, &ev->cap, (size_t)code + 1, 1) != PN_OK)
            return PN_ENOMEM;
        memset(ev->is_event + old, 0, ev->cap - old);
    }
    if ((size_t)code >= ev->rcap) {
        size_t old = ev->rcap;
        if (pn_grow((void **)&ev->rows, &ev->rcap, (size_t)code + 1, sizeof *ev->rows) != PN_OK)
            return PN_ENOMEM;
        memset(ev->rows + old, 0, (ev->rcap - old) * sizeof *ev->rows);
    }
    if (ev->texts.set.n > before) eventcol_new_text(ev, code, line);
    ev->rows[code]++;
    return ev->is_event[code];
}

int pn_eventcol_new(pn_eventcol **out, const char *value)
{
    *out = pn_calloc(1, sizeof **out);
    if (*out == NULL) return PN_ENOMEM;
    (*out)->value = value ? value : "1";
    (*out)->censor = -1;
    return PN_OK;
}

int pn_eventcol_add(pn_eventcol *ev, const char *text, size_t len, long line)
{
    return eventcol_add(ev, text, len, line);
}

int pn_eventcol_refused(const pn_eventcol *ev) { return ev->refused != 0; }

/* The censoring value is the first non-event text in R's factor() order, as pn_survdata_load
 * decides it; any other text is an error at the first line it appears on. A text that is not
 * UTF-8 is an error at its line; of two errors, the one on the earlier line is reported. */
int pn_eventcol_finish(const pn_eventcol *ev, const char *source, const char *column,
                       pn_diag *diag)
{
    if (ev->texts.set.n == 0) return PN_OK;
    pn_column col;
    int rc = rank_levels(&ev->texts, &col, column);
    if (rc != PN_OK) {
        free_column(&col);
        return rc;
    }
    int32_t censor = -1; /* the rank of the censoring level */
    for (size_t i = 0; i < ev->texts.set.n; i++)
        if (!ev->is_event[i] && (censor < 0 || col.code[i] < censor)) censor = col.code[i];
    size_t bad = ev->texts.set.n;
    for (size_t i = 0; i < ev->texts.set.n; i++)
        if (!ev->is_event[i] && col.code[i] != censor &&
            (bad == ev->texts.set.n || ev->texts.first_line[i] < ev->texts.first_line[bad]))
            bad = i;
    if (ev->bad_utf8 > 0 && (bad == ev->texts.set.n || ev->bad_utf8 <= ev->texts.first_line[bad]))
        rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': not valid UTF-8 (the file must be "
                         "encoded in UTF-8)", source, ev->bad_utf8, column);
    else if (bad < ev->texts.set.n) {
        char a[96], b[96];
        rc = unknown_event(diag, source, ev->texts.first_line[bad], column,
                           pn_text_shown(ev->texts.set.items[bad], a, sizeof a), ev->value,
                           pn_text_shown(col.levels[censor], b, sizeof b));
    }
    free_column(&col);
    return rc;
}

int pn_eventcol_censoring(const pn_eventcol *ev, const char **text, size_t *rows)
{
    *text = NULL;
    *rows = 0;
    for (size_t i = 0; i < ev->texts.set.n; i++) {
        if (ev->is_event[i]) continue;
        if (*text == NULL) *text = ev->texts.set.items[i];
        *rows += ev->rows[i];
    }
    return *text != NULL;
}

int pn_event_code_usual(const char *text)
{
    double v;
    if (strcasecmp(text, "alive") == 0 || strcasecmp(text, "censored") == 0) return 1;
    return pn_parse_double(text, strlen(text), &v) == PN_OK && (v == 0 || v == 1 || v == 2);
}

void pn_eventcol_free(pn_eventcol *ev)
{
    if (ev == NULL) return;
    eventcol_clear(ev);
    pn_free(ev);
}

/* 1 when the `len` bytes of `s` are only spaces and tabs (a blank field). */
static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

int pn_survrow_event(pn_eventcol *ev, pn_csv *csv, int idx, const char *column, int *event,
                     pn_diag *diag)
{
    *event = -1;
    if (pn_csv_missing(csv, (size_t)idx)) return PN_OK;
    size_t len;
    const char *text = pn_csv_field(csv, (size_t)idx, &len);
    if (blank(text, len)) return PN_OK;
    int is = eventcol_add(ev, text, len, pn_csv_line(csv));
    if (is < 0) return pn_diag_set(diag, is, "out of memory");
    if (ev->refused) {
        int rc = pn_eventcol_finish(ev, pn_csv_name(csv), column, diag);
        return rc != PN_OK ? rc : pn_diag_set(diag, PN_EINTERNAL, "event column check");
    }
    *event = is;
    return PN_OK;
}

int pn_eventcol_copy_censoring(const pn_eventcol *ev, char **text, size_t *rows)
{
    const char *t;
    *text = NULL;
    if (!pn_eventcol_censoring(ev, &t, rows)) return PN_OK;
    *text = pn_strdup(t);
    return *text ? PN_OK : PN_ENOMEM;
}

/* The state of one streaming read, so that cleanup is one function. */
typedef struct streamer {
    pn_csv *csv;
    int idx_time, idx_event, idx_entry, idx_weight;
    int *idx_by;                /* nby by columns, then nstrata strata columns */
    pn_eventcol event;
    interned *by;               /* nby + nstrata */
    tuples groups;
    int32_t *tuple;             /* nby + nstrata */
    int32_t *prov1;             /* one by column: its value's tuple, or -1 */
    size_t prov1_cap;
    pn_column *ranked;          /* nby + nstrata + 1 */
} streamer;

static void streamer_free(streamer *st, size_t width)
{
    pn_csv_close(st->csv);
    pn_free(st->idx_by);
    eventcol_clear(&st->event);
    if (st->by != NULL)
        for (size_t i = 0; i < width; i++) intern_free(&st->by[i]);
    pn_free(st->by);
    pn_free(st->groups.codes);
    pn_free(st->groups.slots);
    pn_free(st->tuple);
    pn_free(st->prov1);
    free_cols(st->ranked, width);
}

int pn_survrow_number(pn_csv *csv, int idx, const char *name, double *v, pn_diag *diag)
{
    *v = NAN;
    if (idx < 0 || pn_csv_missing(csv, (size_t)idx)) return PN_OK;
    size_t len;
    const char *text = pn_csv_field(csv, (size_t)idx, &len);
    if (pn_parse_double(text, len, v) != PN_OK)
        return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.40s' is not a number",
                           pn_csv_name(csv), pn_csv_line(csv), name, text);
    return PN_OK;
}

static int find_column(pn_csv *csv, const char *name, int *idx, pn_diag *diag)
{
    *idx = pn_csv_find(csv, name);
    if (*idx < 0)
        return pn_diag_set(diag, PN_ENOCOL, "column '%s' not found in %s", name, pn_csv_name(csv));
    return PN_OK;
}

/* Combine the ranked columns [first, first + ncols) over the np tuples into final codes in
 * R's strata order: recode[t] for tuple t, with *labels and *ncomb as pn_combine_factors. */
static int combine_tuples(streamer *st, size_t first, size_t ncols, size_t np, uint32_t *recode,
                          char ***labels, size_t *ncomb)
{
    int32_t *codes = NULL;
    int rc = combine(st->ranked + first, ncols, np, &codes, labels, ncomb);
    if (rc == PN_OK)
        for (size_t t = 0; t < np; t++) recode[t] = (uint32_t)codes[t];
    pn_free(codes);
    return rc;
}

/* Final groups and strata: each column's levels in R's order, then the combinations of the by
 * columns (and, apart, of the strata columns) as R's strata. */
static int finish_groups(streamer *st, const pn_survspec *spec, pn_survstream *out)
{
    size_t nby = spec->nby, ns = spec->nstrata, width = nby + ns, np = st->groups.n;
    out->nprov = width ? np : 1;
    out->recode = pn_calloc(out->nprov ? out->nprov : 1, sizeof *out->recode);
    if (out->recode == NULL) return PN_ENOMEM;
    if (ns > 0) {
        out->stratum_recode = pn_calloc(out->nprov ? out->nprov : 1, sizeof *out->stratum_recode);
        if (out->stratum_recode == NULL) return PN_ENOMEM;
    }
    if (nby == 0) out->ngroups = 1;
    if (width == 0 || np == 0) return PN_OK; /* no row kept: no group */
    st->ranked = pn_calloc(width + 1, sizeof *st->ranked);
    if (st->ranked == NULL) return PN_ENOMEM;
    for (size_t c = 0; c < width; c++) {
        pn_column rank;
        int rc = rank_levels(&st->by[c], &rank, c < nby ? spec->by[c] : spec->strata[c - nby]);
        st->ranked[c] = rank; /* owned by st from here */
        if (rc != PN_OK) return rc;
        /* the column over the tuples: the rank of each tuple's value */
        int32_t *tcode = pn_malloc(np * sizeof *tcode);
        if (tcode == NULL) return PN_ENOMEM;
        for (size_t t = 0; t < np; t++) tcode[t] = rank.code[st->groups.codes[t * width + c]];
        pn_free(st->ranked[c].code);
        st->ranked[c].code = tcode;
    }
    int rc = PN_OK;
    if (nby > 0) rc = combine_tuples(st, 0, nby, np, out->recode, &out->group_labels, &out->ngroups);
    if (rc == PN_OK && ns > 0)
        rc = combine_tuples(st, nby, ns, np, out->stratum_recode, &out->strata_labels,
                            &out->nstrata);
    return rc;
}

int pn_survdata_stream(const pn_survspec *spec, pn_survrow_fn fn, void *ctx, pn_survstream **out,
                       pn_diag *diag)
{
    *out = NULL;
    if (spec->ncov > 0) return PN_EINVAL;
    size_t nby = spec->nby, width = nby + spec->nstrata; /* by columns, then strata columns */
    streamer st = {0};
    st.idx_entry = st.idx_weight = -1;
    pn_survstream *res = pn_calloc(1, sizeof *res);
    st.idx_by = pn_calloc(width + 1, sizeof *st.idx_by);
    st.by = pn_calloc(width + 1, sizeof *st.by);
    st.tuple = pn_calloc(width + 1, sizeof *st.tuple);
    int rc = PN_ENOMEM;
    if (res == NULL || st.idx_by == NULL || st.by == NULL || st.tuple == NULL) goto nomem;
    st.groups.width = width;
    st.event.value = spec->event_value ? spec->event_value : "1";
    st.event.censor = -1;
    rc = pn_csv_open(&st.csv, spec->path, NULL, diag);
    if (rc != PN_OK) goto fail;
    pn_csv *csv = st.csv;
    if ((rc = find_column(csv, spec->time, &st.idx_time, diag)) != PN_OK ||
        (rc = find_column(csv, spec->event, &st.idx_event, diag)) != PN_OK ||
        (spec->entry && (rc = find_column(csv, spec->entry, &st.idx_entry, diag)) != PN_OK) ||
        (spec->weights && (rc = find_column(csv, spec->weights, &st.idx_weight, diag)) != PN_OK))
        goto fail;
    for (size_t c = 0; c < width; c++)
        if ((rc = find_column(csv, c < nby ? spec->by[c] : spec->strata[c - nby], &st.idx_by[c],
                              diag)) != PN_OK)
            goto fail;
    for (;;) {
        rc = pn_csv_next(csv, diag);
        if (rc < 0) goto fail;
        if (rc == 0) break;
        long line = pn_csv_line(csv);
        if ((rc = pn_csv_require_width(csv, diag)) != PN_OK) goto fail;
        double t, entry, w;
        if ((rc = pn_survrow_number(csv, st.idx_time, spec->time, &t, diag)) != PN_OK ||
            (rc = pn_survrow_number(csv, st.idx_entry, spec->entry, &entry, diag)) != PN_OK ||
            (rc = pn_survrow_number(csv, st.idx_weight, spec->weights, &w, diag)) != PN_OK)
            goto fail;
        int keep = !isnan(t) && (st.idx_entry < 0 || !isnan(entry)) &&
                   (st.idx_weight < 0 || !isnan(w));
        int event;
        if ((rc = pn_survrow_event(&st.event, csv, st.idx_event, spec->event, &event, diag)) != PN_OK)
            goto fail;
        if (event < 0) {
            keep = 0;
            event = 0;
        }
        for (size_t c = 0; c < width; c++) {
            if (pn_csv_missing(csv, (size_t)st.idx_by[c])) {
                keep = 0;
                continue;
            }
            size_t len;
            const char *text = pn_csv_field(csv, (size_t)st.idx_by[c], &len);
            int64_t code = intern(&st.by[c], text, len, line);
            if (code < 0) goto nomem;
            st.tuple[c] = (int32_t)code;
        }
        rc = pn_survrow_check(spec, pn_csv_name(csv), line, t, entry, w, keep, diag);
        if (rc != PN_OK) goto fail;
        if (!keep) {
            res->dropped++;
            continue;
        }
        uint32_t group = 0;
        if (width == 1) { /* one column: remember each value's tuple instead of hashing it */
            size_t code = (size_t)st.tuple[0];
            if (code >= st.prov1_cap) {
                size_t old = st.prov1_cap;
                if (pn_grow((void **)&st.prov1, &st.prov1_cap, code + 1, sizeof *st.prov1) != PN_OK)
                    goto nomem;
                for (size_t i = old; i < st.prov1_cap; i++) st.prov1[i] = -1;
            }
            if (st.prov1[code] < 0) {
                int64_t g = tuple_code(&st.groups, st.tuple);
                if (g < 0) goto nomem;
                st.prov1[code] = (int32_t)g;
            }
            group = (uint32_t)st.prov1[code];
        } else if (width > 1) {
            int64_t g = tuple_code(&st.groups, st.tuple);
            if (g < 0) goto nomem;
            group = (uint32_t)g;
        }
        rc = fn(ctx, group, st.idx_entry >= 0 ? entry : NAN, t, event,
                st.idx_weight >= 0 ? w : 1.0);
        if (rc != PN_OK) {
            pn_diag_set(diag, rc, "%s: %s", pn_csv_name(csv), pn_strerror(rc));
            goto fail;
        }
        res->n++;
        res->event_seen |= (size_t)event;
    }
    rc = pn_eventcol_finish(&st.event, pn_csv_name(csv), spec->event, diag);
    if (rc == PN_ENOMEM) goto nomem;
    if (rc != PN_OK) goto fail;
    if (pn_eventcol_copy_censoring(&st.event, &res->censor_value, &res->censor_rows) != PN_OK)
        goto nomem;
    rc = finish_groups(&st, spec, res);
    if (rc == PN_ENOMEM) goto nomem;
    if (rc != PN_OK) {
        rc = pn_diag_set(diag, rc, "%s: too many group combinations", pn_csv_name(csv));
        goto fail;
    }
    streamer_free(&st, width);
    *out = res;
    return PN_OK;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
    streamer_free(&st, width);
    pn_survstream_free(res);
    return rc;
}
