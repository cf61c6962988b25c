/* nstimes.c - phase 1 of the net-survival states (netsurv.h): the set of distinct follow-up
 * times of the subjects, built part by part and merged (a union), and its serialised form:
 *
 *   header  magic "PNNT", version 1, payload length
 *   u64     count, then the distinct times (f64), strictly increasing, positive, finite
 *
 * Times are appended as they come and folded into the sorted distinct prefix when the appended
 * tail grows as long as the prefix (amortised n log n, and memory of the order of the distinct
 * times when there are many ties, as with follow-up in whole days); two folded sets merge in one
 * linear pass. */
#include "pronostic/netsurv.h"
#include "pronostic/alloc.h"
#include "pronostic/num.h"
#include "pronostic/wire.h"
#include "netsurv_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PN__NT_MAGIC PN_WIRE_MAGIC('P', 'N', 'N', 'T')
#define PN__NT_VERSION 1u

struct pn_nstimes {
    double *v; /* v[0 .. nsorted) distinct and increasing, then appended times */
    size_t n, cap, nsorted;
};

int pn_nstimes_new(pn_nstimes **out)
{
    *out = pn_calloc(1, sizeof **out);
    return *out == NULL ? PN_ENOMEM : PN_OK;
}

void pn_nstimes_free(pn_nstimes *t)
{
    if (t == NULL) return;
    pn_free(t->v);
    pn_free(t);
}

/* The distinct values of the increasing a[na] (distinct) and b[nb] (ties allowed), merged
 * into `dst` (room for na + nb values); returns their number. */
static size_t merge_distinct(const double *a, size_t na, const double *b, size_t nb, double *dst)
{
    size_t i = 0, j = 0, m = 0;
    while (i < na || j < nb) {
        double x = j >= nb || (i < na && a[i] <= b[j]) ? a[i++] : b[j++];
        if (m == 0 || x != dst[m - 1]) dst[m++] = x;
    }
    return m;
}

/* Sort v[from .. n) and fold it into the distinct sorted prefix v[0 .. from), into `dst` (room
 * for n values; may not be v); returns the number of distinct values. */
static size_t fold(double *v, size_t from, size_t n, double *dst)
{
    qsort(v + from, n - from, sizeof *v, pn_cmp_double);
    return merge_distinct(v, from, v + from, n - from, dst);
}

/* Fold the appended tail into the prefix. PN_OK or PN_ENOMEM (the set unchanged). */
static int compact(pn_nstimes *t)
{
    if (t->nsorted == t->n) return PN_OK;
    double *dst = pn_malloc(t->n * sizeof *dst);
    if (dst == NULL) return PN_ENOMEM;
    size_t m = fold(t->v, t->nsorted, t->n, dst);
    pn_free(t->v);
    t->v = dst;
    t->n = t->nsorted = m;
    t->cap = m;
    return PN_OK;
}

/* Append n times; fold when the tail is as long as the prefix (and at least 64 long). */
static int append(pn_nstimes *t, const double *x, const pn_netsurv_input *in, size_t n)
{
    if (n > SIZE_MAX / 2 - t->n) return PN_ENOMEM;
    if (pn_grow((void **)&t->v, &t->cap, t->n + n, sizeof *t->v) != PN_OK) return PN_ENOMEM;
    for (size_t i = 0; i < n; i++)
        t->v[t->n + i] = x ? x[i] : in->time[pn__ns_row(in, i)];
    t->n += n;
    size_t tail = t->n - t->nsorted;
    if (tail >= 64 && tail >= t->nsorted) return compact(t);
    return PN_OK;
}

int pn_nstimes_add(pn_nstimes *t, const pn_netsurv_input *in)
{
    for (size_t i = 0; i < in->n; i++) {
        double x = in->time[pn__ns_row(in, i)];
        if (!(x > 0) || !isfinite(x)) return PN_EINVAL;
    }
    return append(t, NULL, in, in->n);
}

int pn_nstimes_merge(pn_nstimes *dst, const pn_nstimes *src)
{
    if (src->nsorted < src->n) return append(dst, src->v, NULL, src->n);
    /* both folded (as the parts of a driver are): one linear pass */
    int rc = compact(dst);
    if (rc != PN_OK) return rc;
    size_t room = dst->n + src->n ? dst->n + src->n : 1;
    double *out = pn_malloc(room * sizeof *out);
    if (out == NULL) return PN_ENOMEM;
    size_t m = merge_distinct(dst->v, dst->n, src->v, src->n, out);
    pn_free(dst->v);
    dst->v = out;
    dst->n = dst->nsorted = m;
    dst->cap = room;
    return PN_OK;
}

int pn_nstimes_final(const pn_nstimes *t, double **grid, size_t *ng)
{
    *grid = NULL;
    *ng = 0;
    size_t n = t->n ? t->n : 1;
    double *tmp = pn_malloc(n * sizeof *tmp), *dst = pn_malloc(n * sizeof *dst);
    if (tmp == NULL || dst == NULL) {
        pn_free(tmp);
        pn_free(dst);
        return PN_ENOMEM;
    }
    if (t->n) memcpy(tmp, t->v, t->n * sizeof *tmp);
    *ng = fold(tmp, t->nsorted, t->n, dst);
    pn_free(tmp);
    *grid = dst;
    return PN_OK;
}

int pn_nstimes_serialise(const pn_nstimes *t, unsigned char **out, size_t *len)
{
    double *grid;
    size_t ng;
    *out = NULL;
    *len = 0;
    int rc = pn_nstimes_final(t, &grid, &ng);
    if (rc != PN_OK) return rc;
    pn_wire_writer w;
    pn_wire_begin(&w, PN__NT_MAGIC, PN__NT_VERSION);
    pn_wire_put_u64(&w, ng);
    pn_wire_put_f64s(&w, grid, ng);
    pn_free(grid);
    return pn_wire_end(&w, out, len);
}

int pn_nstimes_deserialise(pn_nstimes **out, const void *buf, size_t len, pn_diag *diag)
{
    *out = NULL;
    pn_wire_reader r;
    int rc = pn_wire_open(&r, buf, len, PN__NT_MAGIC, PN__NT_VERSION, "net survival times", diag);
    size_t n;
    if (rc != PN_OK || (rc = pn_wire_get_count(&r, 8, &n)) != PN_OK) return rc;
    pn_nstimes *t = pn_calloc(1, sizeof *t);
    double *v = pn_malloc((n ? n : 1) * sizeof *v);
    if (t == NULL || v == NULL) {
        rc = PN_ENOMEM;
        goto fail;
    }
    size_t at = r.off;
    if ((rc = pn_wire_get_f64s(&r, v, n)) != PN_OK) goto fail;
    size_t bad = pn__ns_bad_time(v, n);
    if (bad < n) {
        r.off = at + 8 * bad;
        rc = pn_wire_fail(&r, "time %zu is %.17g: not positive, finite and above the previous", bad,
                          v[bad]);
        goto fail;
    }
    if ((rc = pn_wire_close(&r)) != PN_OK) goto fail;
    t->v = v;
    t->n = t->nsorted = t->cap = n;
    *out = t;
    return PN_OK;
fail:
    pn_free(v);
    pn_free(t);
    return rc;
}
