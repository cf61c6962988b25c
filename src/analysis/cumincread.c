/* cumincread.c - the rows of a competing-risks analysis (pronostic cuminc) read by threads side by
 * side, one competing-risks aggregate per range, merged in file order with the groups and the
 * event types of each range recoded (analysis.h). The event column is read by the stream's
 * competing-events rule (survinput.h, spec->multistate): the aggregates count the provisional
 * event types, and the final aggregate the types in R's factor() order. */
#include "parread.h"
#include "pronostic/alloc.h"
#include "pronostic/analysis.h"
#include "pronostic/cuminc.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct cipart {
    pn_survpart *rows;
    pn_cumincagg *agg; /* per provisional group and provisional event type of `rows` */
    int too_many;      /* a row had a provisional type beyond PN_CUMINC_MAX_STATES */
} cipart;

typedef struct cictx {
    const pn_survspec *spec;
    const pn_csv *header;
} cictx;

static void cipart_free(void *ctx, void *p)
{
    (void)ctx;
    cipart *k = p;
    if (k == NULL) return;
    pn_survpart_free(k->rows);
    pn_cumincagg_free(k->agg);
    pn_free(k);
}

static void *cipart_new(void *ctx)
{
    cictx *c = ctx;
    cipart *k = pn_calloc(1, sizeof *k);
    pn_diag diag = {0};
    if (k == NULL) return NULL;
    if (pn_survpart_new(&k->rows, c->spec, c->header, &diag) != PN_OK ||
        pn_cumincagg_new(&k->agg, PN_CUMINC_MAX_STATES) != PN_OK) {
        cipart_free(ctx, k);
        return NULL;
    }
    return k;
}

static int add_row(void *ctx, uint32_t group, double entry, double time, int state, double weight)
{
    cipart *k = ctx;
    if (state > PN_CUMINC_MAX_STATES) {
        k->too_many = 1;
        return PN_ETOOBIG;
    }
    return pn_cumincagg_add(k->agg, group, entry, time, state, weight);
}

static int cipart_read(void *ctx, void *p, pn_csv *csv, pn_diag *diag)
{
    (void)ctx;
    cipart *k = p;
    int rc = pn_survpart_read(k->rows, csv, add_row, k, diag);
    if (k->too_many)
        rc = pn_diag_set(diag, PN_ETOOBIG, "%s: more than %d distinct event values",
                         pn_csv_name(csv), PN_CUMINC_MAX_STATES);
    return rc;
}

static int cipart_can_follow(void *ctx, const void *dst, const void *src)
{
    (void)ctx;
    return pn_survpart_can_follow(((const cipart *)dst)->rows, ((const cipart *)src)->rows);
}

static int cipart_merge(void *ctx, void *dst, void *src, long line_shift, pn_diag *diag)
{
    (void)ctx;
    cipart *d = dst, *s = src;
    size_t np = pn_survpart_nprov(s->rows), ns = pn_survpart_nstates(s->rows);
    uint32_t *map = pn_malloc((np ? np : 1) * sizeof *map);
    uint32_t *smap = pn_calloc(ns + 1, sizeof *smap);
    int rc = PN_ENOMEM;
    if (map != NULL && smap != NULL) {
        rc = pn_survpart_merge(d->rows, s->rows, line_shift, map);
        if (rc == PN_OK) {
            pn_survpart_state_map(d->rows, s->rows, smap);
            rc = pn_cumincagg_merge_map(d->agg, s->agg, map, smap);
        }
    }
    pn_free(map);
    pn_free(smap);
    if (rc == PN_EINVAL)
        return pn_diag_set(diag, PN_ETOOBIG, "more than %d distinct event values",
                           PN_CUMINC_MAX_STATES);
    if (rc != PN_OK)
        return pn_diag_set(diag, rc, rc == PN_ENOMEM ? "out of memory" : "too many groups");
    return PN_OK;
}

static const pn_par_ops ci_ops = {cipart_new, cipart_read, cipart_can_follow, cipart_merge,
                                  cipart_free};

int pn_cumincread_csv(const pn_survspec *spec, int threads, size_t min_range,
                      pn_cumincread **out, pn_diag *diag)
{
    *out = NULL;
    if (spec->ncov > 0 || !spec->multistate) return PN_EINVAL;
    pn_csv *header = NULL;
    cipart *all = NULL;
    pn_cumincread *res = pn_calloc(1, sizeof *res);
    if (res == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int rc = pn_csv_open(&header, spec->path, NULL, diag);
    if (rc != PN_OK) goto done;
    cictx ctx = {.spec = spec, .header = header};
    all = cipart_new(&ctx);
    if (all == NULL) {
        /* the columns again, for the message (a missing column) */
        pn_survpart *probe = NULL;
        rc = pn_survpart_new(&probe, spec, header, diag);
        pn_survpart_free(probe);
        if (rc == PN_OK) rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = pn_par_read(spec->path, header, threads, min_range, &ci_ops, &ctx, all, diag)) !=
        PN_OK)
        goto done;
    if ((rc = pn_survpart_finish(all->rows, pn_csv_name(header), &res->stream, diag)) != PN_OK)
        goto done;
    if (res->stream->nstates > 0) {
        /* the final aggregate: the event types in R's order */
        if ((rc = pn_cumincagg_new(&res->agg, (int)res->stream->nstates)) != PN_OK ||
            (rc = pn_cumincagg_merge_map(res->agg, all->agg, NULL, res->stream->state_recode)) !=
                PN_OK) {
            rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
            goto done;
        }
    }
    *out = res;
    res = NULL;
done:
    cipart_free(NULL, all);
    pn_cumincread_free(res);
    pn_csv_close(header);
    return rc;
}

void pn_cumincread_free(pn_cumincread *r)
{
    if (r == NULL) return;
    pn_survstream_free(r->stream);
    pn_cumincagg_free(r->agg);
    pn_free(r);
}
