/* survread.c - the rows of a Cox model (or any analysis that keeps its rows as columns) read by
 * threads side by side into one load state per range, merged in file order: numeric columns
 * concatenated, categorical levels unified, lines shifted (analysis.h). */
#include "parread.h"
#include "pronostic/analysis.h"

typedef struct survctx {
    const pn_survspec *spec;
    const pn_csv *header;
} survctx;

static void *part_new(void *ctx)
{
    survctx *c = ctx;
    pn_survload *l = NULL;
    pn_diag diag = {0};
    return pn_survload_new(&l, c->spec, c->header, &diag) == PN_OK ? l : NULL;
}

static int part_read(void *ctx, void *part, pn_csv *csv, pn_diag *diag)
{
    (void)ctx;
    return pn_survload_read(part, csv, diag);
}

static int part_can_follow(void *ctx, const void *dst, const void *src)
{
    (void)ctx;
    return pn_survload_can_follow(dst, src);
}

static int part_merge(void *ctx, void *dst, void *src, long line_shift, pn_diag *diag)
{
    (void)ctx;
    return pn_survload_merge(dst, src, line_shift, diag);
}

static void part_free(void *ctx, void *part)
{
    (void)ctx;
    pn_survload_free(part);
}

static const pn_par_ops surv_ops = {part_new, part_read, part_can_follow, part_merge, part_free};

int pn_survread_csv(const pn_survspec *spec, int threads, size_t min_range, pn_survdata **out,
                    pn_diag *diag)
{
    *out = NULL;
    int rc = pn_survspec_check(spec, diag);
    if (rc != PN_OK) return rc;
    pn_csv *header = NULL;
    pn_survload *all = NULL;
    if ((rc = pn_csv_open(&header, spec->path, NULL, diag)) != PN_OK) return rc;
    survctx ctx = {.spec = spec, .header = header};
    if ((rc = pn_survload_new(&all, spec, header, diag)) == PN_OK &&
        (rc = pn_par_read(spec->path, header, threads, min_range, &surv_ops, &ctx, all, diag)) ==
            PN_OK)
        rc = pn_survload_finish(all, out, diag);
    pn_survload_free(all);
    pn_csv_close(header);
    return rc;
}
