/* survinput_factors.c - the group levels and labels of the survival rows: distinct texts of a
 * column, tuples of codes, R's factor() order and strata() combinations. */
#include "survinput_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/hash.h"
#include "pronostic/num.h"
#include "pronostic/strset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Free the contents of one column (its name, values and levels). */
void pn__free_column(pn_column *col)
{
    pn_free(col->name);
    pn_free(col->num);
    pn_free(col->code);
    for (size_t i = 0; i < col->nlevels; i++) pn_free(col->levels[i]);
    pn_free(col->levels);
}

/* Free `n` columns and their array (NULL accepted). */
void pn__free_cols(pn_column *cols, size_t n)
{
    if (cols == NULL) return;
    for (size_t c = 0; c < n; c++) pn__free_column(&cols[c]);
    pn_free(cols);
}

/* Free `n` label strings and their array (NULL accepted). */
void pn__free_labels(char **labels, size_t n)
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
        size_t k = pn_hash_mix64(key) & (nslots - 1);
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
                size_t j = pn_hash_mix64(keys[i]) & (ns - 1);
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
        size_t k = pn_hash_mix64(keys[i]) & (nslots - 1);
        while (slots[k].key != keys[i]) k = (k + 1) & (nslots - 1);
        slots[k].code = (int32_t)i;
    }
    for (size_t r = 0; r < n; r++) {
        if (rowkey[r] == UINT64_MAX) {
            codes[r] = -1;
            continue;
        }
        size_t k = pn_hash_mix64(rowkey[r]) & (nslots - 1);
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
    pn__free_labels(lab, nkeys);
    pn_free(rowkey);
    pn_free(slots);
    pn_free(keys);
    return rc;
}

/* Combine compacted categorical columns into codes and labels (NULL codes when none). */
int pn__combine(pn_column *cols, size_t ncols, size_t n, int32_t **codes, char ***labels,
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

int64_t pn__intern_set(interned *in, const char *s, size_t len, long line, pn__textslot *slot,
                       uint64_t a, uint64_t b)
{
    size_t before = in->set.n;
    int64_t code = pn_strset_code(&in->set, s, len);
    if (code < 0) return code;
    if (in->set.n != before) {
        if (pn_grow((void **)&in->first_line, &in->lcap, in->set.n, sizeof *in->first_line) !=
            PN_OK)
            return PN_ENOMEM;
        in->first_line[code] = line;
    }
    if (len <= UINT32_MAX) *slot = (pn__textslot){a, b, (uint32_t)len, (int32_t)code + 1};
    return code;
}

void pn__intern_free(interned *in)
{
    pn_strset_free(&in->set, 1);
    pn_free(in->first_line);
    memset(in, 0, sizeof *in);
}

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
    uint64_t h = PN_HASH_GOLDEN;
    for (size_t i = 0; i < width; i++) h = pn_hash_mix64(h ^ (uint32_t)t[i]);
    return h;
}

static uint64_t tuple_hash_of(const void *ctx, size_t code)
{
    const tuples *tp = ctx;
    return tuple_hash(tp->codes + code * tp->width, tp->width);
}

int64_t pn__tuple_code(tuples *tp, const int32_t *t)
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

/* R's factor() order of the distinct texts of `in`: rank[i] for text i, and the column
 * (levels in order) in `col` (owned by the caller: free_cols). */
int pn__rank_levels(const interned *in, pn_column *col, const char *name)
{
    memset(col, 0, sizeof *col);
    col->name = pn_strdup(name);
    if (col->name == NULL) return PN_ENOMEM;
    return pn_column_factor(col, (const char *const *)in->set.items, in->set.n);
}
