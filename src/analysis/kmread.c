/* kmread.c - the rows of a curve or a log-rank test read by threads side by side into one
 * survival aggregate per range, merged in file order with the groups of each range recoded
 * (analysis.h). With many groups, the plain rows (weight 1, no entry) are counted in batches
 * sorted by group, so that each group's counts are touched together rather than at random: the
 * rows of each group reach the aggregate in their file order, and every other row after the
 * batch before it, so the state is the one of the rows one by one. */
#include "parread.h"
#include "pronostic/alloc.h"
#include "pronostic/analysis.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Batches: rows of a part whose group codes reach PN__KM_BATCH_GROUPS (and stay below
 * PN__KM_BATCH_MAX_GROUPS, past which groups are too sparse to gain) are held PN__KM_BATCH at a
 * time. */
#define PN__KM_BATCH (1u << 19)
#define PN__KM_BATCH_GROUPS 16u
#define PN__KM_BATCH_MAX_GROUPS 4096u

typedef struct kmrow {
    uint32_t group, event;
    double time;
} kmrow;

typedef struct kmpart {
    pn_survpart *rows;
    pn_kmagg *agg; /* per provisional group of `rows` */
    int fractional_weight;
    kmrow *batch, *sorted; /* PN__KM_BATCH each, once batching started */
    size_t nbatch;
    uint32_t *count;       /* PN__KM_BATCH_MAX_GROUPS + 1 bucket starts */
    int batching;          /* 1 while plain rows go into the batch */
    int no_batch;          /* too many groups, or no memory for the batch: rows one by one */
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
    pn_free(k->batch);
    pn_free(k->sorted);
    pn_free(k->count);
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

/* Give up batching in `k` (its batch is empty): rows go one by one from here on (the buffers
 * are freed at the end of the read). */
static void stop_batch(kmpart *k)
{
    k->batching = 0;
    k->no_batch = 1;
}

/* Add the batch of `k` to its aggregate, group by group (a stable counting sort), and empty it.
 * PN_OK or PN_ENOMEM. */
static int flush_batch(kmpart *k)
{
    if (k->nbatch == 0) return PN_OK;
    uint32_t ng = 0;
    for (size_t i = 0; i < k->nbatch; i++)
        if (k->batch[i].group >= ng) ng = k->batch[i].group + 1;
    memset(k->count, 0, ((size_t)ng + 1) * sizeof *k->count);
    for (size_t i = 0; i < k->nbatch; i++) k->count[k->batch[i].group + 1]++;
    for (uint32_t g = 1; g <= ng; g++) k->count[g] += k->count[g - 1];
    for (size_t i = 0; i < k->nbatch; i++) k->sorted[k->count[k->batch[i].group]++] = k->batch[i];
    int rc = PN_OK;
    for (size_t i = 0; i < k->nbatch && rc == PN_OK; i++)
        rc = pn_kmagg_add(k->agg, k->sorted[i].group, NAN, k->sorted[i].time,
                          (int)k->sorted[i].event, 1.0);
    k->nbatch = 0;
    return rc;
}

/* Start the batch of `k` for a plain row of group `group`: 1 when started, 0 when the part
 * stays one row at a time (too few groups yet, too many, or no memory). */
static int start_batch(kmpart *k, uint32_t group)
{
    if (k->no_batch || group < PN__KM_BATCH_GROUPS || group >= PN__KM_BATCH_MAX_GROUPS) return 0;
    k->batch = pn_malloc(PN__KM_BATCH * sizeof *k->batch);
    k->sorted = pn_malloc(PN__KM_BATCH * sizeof *k->sorted);
    k->count = pn_malloc((PN__KM_BATCH_MAX_GROUPS + 1) * sizeof *k->count);
    if (k->batch == NULL || k->sorted == NULL || k->count == NULL) {
        stop_batch(k);
        return 0;
    }
    k->batching = 1;
    return 1;
}

/* The rows' callback: add the row to the part's aggregate, through the batch when it is a plain
 * row (weight 1, no entry) of a part with many groups; any other row first adds the batch
 * before it. */
static int add_row(void *ctx, uint32_t group, double entry, double time, int event, double weight)
{
    kmpart *k = ctx;
    if (weight != floor(weight)) k->fractional_weight = 1;
    if (!k->batching && group < PN__KM_BATCH_GROUPS) /* few groups: no batch */
        return pn_kmagg_add(k->agg, group, entry, time, event, weight);
    int plain = weight == 1 && isnan(entry) && isfinite(time);
    if (!k->batching && !(plain && start_batch(k, group)))
        return pn_kmagg_add(k->agg, group, entry, time, event, weight);
    if (plain && group < PN__KM_BATCH_MAX_GROUPS) {
        k->batch[k->nbatch++] = (kmrow){group, event != 0, time};
        return k->nbatch == PN__KM_BATCH ? flush_batch(k) : PN_OK;
    }
    int rc = flush_batch(k);
    if (plain) stop_batch(k); /* too many groups to gain: one by one from here on */
    return rc == PN_OK ? pn_kmagg_add(k->agg, group, entry, time, event, weight) : rc;
}

static int kmpart_read(void *ctx, void *p, pn_csv *csv, pn_diag *diag)
{
    kmpart *k = p;
    int rc = pn_survpart_read(k->rows, csv, add_row, k, diag);
    int frc = flush_batch(k); /* the part's rows are all in its aggregate when it is merged */
    /* its buffers go (a file read in many ranges holds many parts at once); a later read of
     * the same part may start a batch again */
    pn_free(k->batch);
    pn_free(k->sorted);
    pn_free(k->count);
    k->batch = k->sorted = NULL;
    k->count = NULL;
    k->batching = 0;
    if (rc == PN_OK && frc != PN_OK) rc = pn_diag_set(diag, frc, "out of memory");
    return rc;
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
