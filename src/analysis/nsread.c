/* nsread.c - the rows of a net-survival analysis (netsurv, netsurv-diff, trend) read by threads
 * side by side into one load state per range, merged in file order: arrays concatenated, --by
 * texts unified, lines shifted (analysis.h). */
#include "parread.h"
#include "pronostic/analysis.h"

typedef struct nsctx {
    const pn_nsspec *spec;
    const pn_csv *header;
} nsctx;

static void *part_new(void *ctx)
{
    nsctx *c = ctx;
    pn_nsload *l = NULL;
    pn_diag diag = {0};
    return pn_nsload_new(&l, c->spec, c->header, &diag) == PN_OK ? l : NULL;
}

static int part_read(void *ctx, void *part, pn_csv *csv, pn_diag *diag)
{
    (void)ctx;
    return pn_nsload_read(part, csv, diag);
}

static int part_can_follow(void *ctx, const void *dst, const void *src)
{
    (void)ctx;
    return pn_nsload_can_follow(dst, src);
}

static int part_merge(void *ctx, void *dst, void *src, long line_shift, pn_diag *diag)
{
    (void)ctx;
    return pn_nsload_merge(dst, src, line_shift, diag);
}

static void part_free(void *ctx, void *part)
{
    (void)ctx;
    pn_nsload_free(part);
}

static const pn_par_ops ns_ops = {part_new, part_read, part_can_follow, part_merge, part_free};

int pn_nsread_csv(const pn_nsspec *spec, int threads, size_t min_range, pn_nsdata **out,
                  pn_diag *diag)
{
    *out = NULL;
    pn_csv *header = NULL;
    pn_nsload *all = NULL;
    int rc = pn_csv_open(&header, spec->path, NULL, diag);
    if (rc != PN_OK) return rc;
    nsctx ctx = {.spec = spec, .header = header};
    if ((rc = pn_nsload_new(&all, spec, header, diag)) == PN_OK &&
        (rc = pn_par_read(spec->path, header, threads, min_range, &ns_ops, &ctx, all, diag)) ==
            PN_OK)
        rc = pn_nsload_finish(all, out, diag);
    pn_nsload_free(all);
    pn_csv_close(header);
    return rc;
}
