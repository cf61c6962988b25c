/* kmread.c - the rows of a curve or a log-rank test read by threads side by side into one
 * survival aggregate per range, merged in file order with the groups of each range recoded
 * (analysis.h). */
#include "parread.h"
#include "pronostic/alloc.h"
#include "pronostic/analysis.h"

#include <math.h>

typedef struct kmpart {
    pn_survpart *rows;
    pn_kmagg *agg; /* per provisional group of `rows` */
    int fractional_weight;
} kmpart;

typedef struct kmctx {
    const pn_survspec *spec;
    const pn_csv *header;
} kmctx;

static void kmpart_free(void *ctx, void *p)
{
    kmpart *k = p;
    if (k == NULL) return;
    pn_survpart_free(k->rows);
    pn_kmagg_free(k->agg);
    pn_free(k);
}

static void *kmpart_new(void *ctx)
{
    kmctx *c = ctx;
    kmpart *k = pn_calloc(1, sizeof *k);
    pn_diag diag = {0};
    if (k == NULL) return NULL;
    if (pn_survpart_new(&k->rows, c->spec, c->header, &diag) != PN_OK ||
        pn_kmagg_new(&k->agg) != PN_OK) {
        kmpart_free(ctx, k);
        return NULL;
    }
    return k;
}

/* The rows' callback: add the row to the part's aggregate. */
static int add_row(void *ctx, uint32_t group, double entry, double time, int event, double weight)
{
    kmpart *k = ctx;
    if (weight != floor(weight)) k->fractional_weight = 1;
    return pn_kmagg_add(k->agg, group, entry, time, event, weight);
}

static int kmpart_read(void *ctx, void *p, pn_csv *csv, pn_diag *diag)
{
    kmpart *k = p;
    return pn_survpart_read(k->rows, csv, add_row, k, diag);
}

static int kmpart_can_follow(void *ctx, const void *dst, const void *src)
{
    return pn_survpart_can_follow(((const kmpart *)dst)->rows, ((const kmpart *)src)->rows);
}

static int kmpart_merge(void *ctx, void *dst, void *src, long line_shift, pn_diag *diag)
{
    kmpart *d = dst, *s = src;
    size_t np = pn_survpart_nprov(s->rows);
    uint32_t *map = pn_malloc((np ? np : 1) * sizeof *map);
    if (map == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int rc = pn_survpart_merge(d->rows, s->rows, line_shift, map);
    if (rc == PN_OK) rc = pn_kmagg_merge_map(d->agg, s->agg, map);
    pn_free(map);
    d->fractional_weight |= s->fractional_weight;
    if (rc != PN_OK)
        return pn_diag_set(diag, rc, rc == PN_ENOMEM ? "out of memory" : "too many groups");
    return PN_OK;
}

static const pn_par_ops km_ops = {kmpart_new, kmpart_read, kmpart_can_follow, kmpart_merge,
                                  kmpart_free};

int pn_kmread_csv(const pn_survspec *spec, int threads, size_t min_range, pn_kmread **out,
                  pn_diag *diag)
{
    *out = NULL;
    if (spec->ncov > 0) return PN_EINVAL;
    pn_csv *header = NULL;
    kmpart *all = NULL;
    pn_kmread *res = pn_calloc(1, sizeof *res);
    if (res == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int rc = pn_csv_open(&header, spec->path, NULL, diag);
    if (rc != PN_OK) goto done;
    kmctx ctx = {.spec = spec, .header = header};
    all = pn_calloc(1, sizeof *all);
    if (all == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = pn_survpart_new(&all->rows, spec, header, diag)) != PN_OK) goto done;
    if ((rc = pn_kmagg_new(&all->agg)) != PN_OK) {
        rc = pn_diag_set(diag, rc, "out of memory");
        goto done;
    }
    if ((rc = pn_par_read(spec->path, header, threads, min_range, &km_ops, &ctx, all, diag)) != PN_OK)
        goto done;
    if ((rc = pn_survpart_finish(all->rows, pn_csv_name(header), &res->stream, diag)) != PN_OK)
        goto done;
    res->agg = all->agg;
    all->agg = NULL;
    res->fractional_weight = all->fractional_weight;
    *out = res;
    res = NULL;
done:
    kmpart_free(NULL, all);
    pn_kmread_free(res);
    pn_csv_close(header);
    return rc;
}

void pn_kmread_free(pn_kmread *r)
{
    if (r == NULL) return;
    pn_survstream_free(r->stream);
    pn_kmagg_free(r->agg);
    pn_free(r);
}
