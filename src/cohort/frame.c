/* frame.c - read named columns of a CSV into numeric and categorical (factor) columns. */
#include "pronostic/frame.h"
#include "pronostic/alloc.h"
#include "pronostic/strset.h"
#include "pronostic/csv.h"
#include "pronostic/num.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct level_key {
    const char *text;
    double value;
    int32_t code;
    int blank;          /* only spaces or tabs */
} level_key;

/* 1 when the `len` bytes of `s` are only spaces and tabs (a blank field, as R calls it). */
static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

/* By value, then by first appearance, so that equal values keep the first-seen text. */
static int cmp_numeric(const void *a, const void *b)
{
    const level_key *p = a, *q = b;
    if (p->value != q->value) return (p->value > q->value) - (p->value < q->value);
    return (p->code > q->code) - (p->code < q->code);
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(((const level_key *)a)->text, ((const level_key *)b)->text);
}

/* Reorder the first-seen levels of `set` as R's factor() does and recode `code` in place.
 * When every non-blank level is a number, the column is numeric to R (read.csv): blank fields
 * are missing and levels with equal values ("1", "1.0", "01") are one level, named by the text
 * seen first. Takes ownership of the strings in `set` (frees those it does not keep). */
static int finish_factor(pn_column *col, pn_strset *set, size_t nrows)
{
    size_t n = set->n;
    level_key *keys = pn_calloc(n, sizeof *keys);
    int32_t *remap = pn_calloc(n, sizeof *remap);
    col->levels = pn_calloc(n, sizeof *col->levels);
    if (keys == NULL || remap == NULL || col->levels == NULL) {
        pn_free(keys);
        pn_free(remap);
        return PN_ENOMEM;
    }
    int all_numeric = 1;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(set->items[i]);
        keys[i].text = set->items[i];
        keys[i].code = (int32_t)i;
        keys[i].blank = is_blank(set->items[i], len);
        keys[i].value = keys[i].blank ? INFINITY : 0;
        if (!keys[i].blank && pn_parse_double(set->items[i], len, &keys[i].value) != PN_OK)
            all_numeric = 0;
    }
    qsort(keys, n, sizeof *keys, all_numeric ? cmp_numeric : cmp_text);
    size_t nl = 0;
    for (size_t i = 0; i < n; i++) {
        char *text = set->items[keys[i].code];
        if (all_numeric && keys[i].blank) { /* blanks sort last: missing */
            remap[keys[i].code] = -1;
            pn_free(text);
        } else if (all_numeric && nl > 0 && keys[i].value == keys[i - 1].value) {
            remap[keys[i].code] = (int32_t)(nl - 1);
            pn_free(text);
        } else {
            remap[keys[i].code] = (int32_t)nl;
            col->levels[nl++] = text;
        }
    }
    col->nlevels = nl;
    for (size_t r = 0; r < nrows; r++)
        if (col->code[r] >= 0) col->code[r] = remap[col->code[r]];
    pn_free(keys);
    pn_free(remap);
    return PN_OK;
}

int pn_column_factor(pn_column *col, const char *const *values, size_t nrows)
{
    pn_strset set = {0};
    col->kind = PN_COL_CAT;
    col->code = pn_calloc(nrows, sizeof *col->code);
    if (col->code == NULL) return PN_ENOMEM;
    for (size_t r = 0; r < nrows; r++) {
        if (values[r] == NULL) {
            col->code[r] = -1;
            continue;
        }
        int64_t c = pn_strset_code(&set, values[r], strlen(values[r]));
        if (c < 0) {
            pn_strset_free(&set, 1);
            return (int)c;
        }
        col->code[r] = (int32_t)c;
    }
    int rc = finish_factor(col, &set, nrows);
    pn_strset_free(&set, rc != PN_OK);
    return rc;
}

pn_column *pn_frame_col(pn_frame *frame, const char *name)
{
    for (size_t i = 0; i < frame->ncols; i++)
        if (strcmp(frame->cols[i].name, name) == 0) return &frame->cols[i];
    return NULL;
}

void pn_frame_free(pn_frame *frame)
{
    if (frame == NULL) return;
    for (size_t i = 0; i < frame->ncols; i++) {
        pn_column *c = &frame->cols[i];
        pn_free(c->name);
        pn_free(c->num);
        pn_free(c->code);
        for (size_t l = 0; l < c->nlevels; l++) pn_free(c->levels[l]);
        pn_free(c->levels);
    }
    pn_free(frame->cols);
    pn_free(frame->line);
    pn_free(frame->source);
    pn_free(frame);
}

int pn_frame_read_csv(pn_frame **out, const char *path, const char *const *names,
                      const int *kinds, size_t n, pn_diag *diag)
{
    return pn_frame_read_csv_rows(out, path, names, kinds, n, NULL, NULL, diag);
}

/* The columns of the rows read so far, from one reader or from the readers of ranges of one
 * file merged in file order (frame.h). Categorical columns keep their texts in order of first
 * appearance until pn_framepart_finish puts them in R's order. */
struct pn_framepart {
    pn_frame *frame;
    pn_strset *sets;    /* per column: the distinct texts of a categorical column */
    int *index;         /* per column: its field in the CSV */
    int *kinds;
    size_t n, cap;
};

void pn_framepart_free(pn_framepart *fp)
{
    if (fp == NULL) return;
    if (fp->sets != NULL)
        for (size_t c = 0; c < fp->n; c++) pn_strset_free(&fp->sets[c], 1);
    pn_free(fp->sets);
    pn_free(fp->index);
    pn_free(fp->kinds);
    pn_frame_free(fp->frame);
    pn_free(fp);
}

int pn_framepart_new(pn_framepart **out, const struct pn_csv *header, const char *const *names,
                     const int *kinds, size_t n, pn_diag *diag)
{
    *out = NULL;
    pn_framepart *fp = pn_calloc(1, sizeof *fp);
    if (fp == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    fp->n = n;
    fp->frame = pn_calloc(1, sizeof *fp->frame);
    fp->sets = pn_calloc(n + 1, sizeof *fp->sets);
    fp->index = pn_calloc(n + 1, sizeof *fp->index);
    fp->kinds = pn_calloc(n + 1, sizeof *fp->kinds);
    if (fp->frame == NULL || fp->sets == NULL || fp->index == NULL || fp->kinds == NULL) goto nomem;
    pn_frame *frame = fp->frame;
    frame->cols = pn_calloc(n + 1, sizeof *frame->cols);
    frame->source = pn_strdup(pn_csv_name(header));
    if (frame->cols == NULL || frame->source == NULL) goto nomem;
    frame->ncols = n;
    for (size_t c = 0; c < n; c++) {
        frame->cols[c].name = pn_strdup(names[c]);
        frame->cols[c].kind = kinds[c];
        fp->kinds[c] = kinds[c];
        if (frame->cols[c].name == NULL) goto nomem;
        fp->index[c] = pn_csv_find(header, names[c]);
        if (fp->index[c] < 0) {
            int rc = pn_diag_set(diag, PN_ENOCOL, "column '%s' not found in %s", names[c],
                                 pn_csv_name(header));
            pn_framepart_free(fp);
            return rc;
        }
    }
    *out = fp;
    return PN_OK;
nomem:
    pn_framepart_free(fp);
    return pn_diag_set(diag, PN_ENOMEM, "out of memory");
}

const pn_frame *pn_framepart_frame(const pn_framepart *fp)
{
    return fp->frame;
}

/* Room for `need` rows in every stored column and in the lines. */
static int framepart_reserve(pn_framepart *fp, size_t need, int exact)
{
    if (need <= fp->cap) return PN_OK;
    size_t newcap = exact ? need : (fp->cap ? fp->cap * 2 : 1024);
    if (newcap < need) newcap = need;
    pn_frame *frame = fp->frame;
    for (size_t c = 0; c < fp->n; c++) {
        if (fp->kinds[c] == PN_COL_SKIP) continue;
        pn_column *col = &frame->cols[c];
        void **arr = fp->kinds[c] == PN_COL_NUM ? (void **)&col->num : (void **)&col->code;
        size_t sz = fp->kinds[c] == PN_COL_NUM ? sizeof(double) : sizeof(int32_t);
        void *grown = pn_reallocarray(*arr, newcap, sz);
        if (grown == NULL) return PN_ENOMEM;
        *arr = grown;
    }
    uint32_t *lines = pn_reallocarray(frame->line, newcap, sizeof *lines);
    if (lines == NULL) return PN_ENOMEM;
    frame->line = lines;
    fp->cap = newcap;
    return PN_OK;
}

int pn_framepart_read(pn_framepart *fp, struct pn_csv *csv, pn_frame_row_fn fn, void *ctx,
                      pn_diag *diag)
{
    pn_frame *frame = fp->frame;
    size_t n = fp->n;
    const int *kinds = fp->kinds, *index = fp->index;
    int rc;
    for (;;) {
        rc = pn_csv_next(csv, diag);
        if (rc < 0) return rc;
        if (rc == 0) break;
        if ((rc = pn_csv_require_width(csv, diag)) != PN_OK) return rc;
        size_t r = frame->nrows;
        if (framepart_reserve(fp, r + 1, 0) != PN_OK) goto nomem;
        long line = pn_csv_line(csv);
        frame->line[r] = line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)line;
        for (size_t c = 0; c < n; c++) {
            if (kinds[c] == PN_COL_SKIP) continue;
            size_t len;
            const char *text = pn_csv_field(csv, (size_t)index[c], &len);
            pn_column *col = &frame->cols[c];
            int missing = pn_csv_missing(csv, (size_t)index[c]);
            if (kinds[c] == PN_COL_NUM) {
                col->num[r] = NAN;
                if (!missing && !is_blank(text, len) &&
                    pn_parse_double(text, len, &col->num[r]) != PN_OK) {
                    size_t show = strcspn(text, "\r\n"); /* one line, at most 40 bytes */
                    return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s%s' is not a number",
                                       pn_csv_name(csv), pn_csv_line(csv), col->name,
                                       (int)(show < 40 ? show : 40), text,
                                       show < len || show > 40 ? "..." : "");
                }
            } else if (missing) {
                col->code[r] = -1;
            } else {
                int64_t code = pn_strset_code(&fp->sets[c], text, len);
                if (code < 0) goto nomem;
                col->code[r] = (int32_t)code;
            }
        }
        frame->nrows++;
        if (fn != NULL && (rc = fn(ctx, csv, frame, r, diag)) != PN_OK) return rc;
    }
    return PN_OK;
nomem:
    return pn_diag_set(diag, PN_ENOMEM, "out of memory");
}

int pn_framepart_merge(pn_framepart *dst, pn_framepart *src, long line_shift)
{
    size_t nd = dst->frame->nrows, ns = src->frame->nrows;
    if (ns == 0) return PN_OK;
    if (framepart_reserve(dst, nd + ns, 1) != PN_OK) return PN_ENOMEM;
    for (size_t c = 0; c < dst->n; c++) {
        pn_column *to = &dst->frame->cols[c], *from = &src->frame->cols[c];
        if (dst->kinds[c] == PN_COL_NUM) {
            memcpy(to->num + nd, from->num, ns * sizeof *to->num);
        } else if (dst->kinds[c] == PN_COL_CAT) {
            /* src's texts after dst's, in src's order of first appearance: the codes of one pass */
            pn_strset *set = &src->sets[c];
            int32_t *map = pn_malloc((set->n ? set->n : 1) * sizeof *map);
            if (map == NULL) return PN_ENOMEM;
            for (size_t i = 0; i < set->n; i++) {
                int64_t code = pn_strset_code(&dst->sets[c], set->items[i], set->len[i]);
                if (code < 0) {
                    pn_free(map);
                    return (int)code;
                }
                map[i] = (int32_t)code;
            }
            for (size_t r = 0; r < ns; r++)
                to->code[nd + r] = from->code[r] < 0 ? -1 : map[from->code[r]];
            pn_free(map);
        } else {
            continue;
        }
        /* the range's column is no longer needed: freed now, so that at most one column of
         * the range is held twice */
        pn_free(from->num);
        pn_free(from->code);
        from->num = NULL;
        from->code = NULL;
    }
    for (size_t r = 0; r < ns; r++) {
        long line = (long)src->frame->line[r] + line_shift;
        dst->frame->line[nd + r] = line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    }
    dst->frame->nrows = nd + ns;
    src->frame->nrows = 0;
    src->cap = 0;
    pn_free(src->frame->line);
    src->frame->line = NULL;
    return PN_OK;
}

int pn_framepart_finish(pn_framepart *fp, pn_frame **out, pn_diag *diag)
{
    *out = NULL;
    pn_frame *frame = fp->frame;
    for (size_t c = 0; c < fp->n; c++) {
        if (fp->kinds[c] != PN_COL_CAT) continue;
        if (frame->cols[c].code == NULL) frame->cols[c].code = pn_calloc(1, sizeof(int32_t));
        if (frame->cols[c].code == NULL) goto nomem;
        if (finish_factor(&frame->cols[c], &fp->sets[c], frame->nrows) != PN_OK) goto nomem;
        fp->sets[c].n = 0; /* the strings now belong to the column */
    }
    if (frame->line == NULL && (frame->line = pn_calloc(1, sizeof *frame->line)) == NULL)
        goto nomem;
    for (size_t c = 0; c < fp->n; c++)
        if (fp->kinds[c] == PN_COL_NUM && frame->cols[c].num == NULL) {
            frame->cols[c].num = pn_calloc(1, sizeof(double));
            if (frame->cols[c].num == NULL) goto nomem;
        }
    *out = frame;
    fp->frame = NULL;
    return PN_OK;
nomem:
    return pn_diag_set(diag, PN_ENOMEM, "out of memory");
}

int pn_frame_read_csv_rows(pn_frame **out, const char *path, const char *const *names,
                           const int *kinds, size_t n, pn_frame_row_fn fn, void *ctx,
                           pn_diag *diag)
{
    *out = NULL;
    pn_csv *csv = NULL;
    pn_framepart *fp = NULL;
    int rc = pn_csv_open(&csv, path, NULL, diag);
    if (rc != PN_OK) return rc;
    if ((rc = pn_framepart_new(&fp, csv, names, kinds, n, diag)) == PN_OK &&
        (rc = pn_framepart_read(fp, csv, fn, ctx, diag)) == PN_OK)
        rc = pn_framepart_finish(fp, out, diag);
    pn_framepart_free(fp);
    pn_csv_close(csv);
    return rc;
}
