/* netsurv_test_wire.c - the serialised state of Grafféo's test (version 1, wire.h):
 *
 *   header  magic "PNGT", version 1, payload length
 *   u32     k (groups, 2..65536), nstrata (1..65536), flags (PN_RATE_*), any_death (0 or 1)
 *   u64     subjects added
 *   u64     ntimes, then the distinct follow-up times (f64), increasing, positive, finite
 *   u64     3 cells, then the sums wrisk, wevent, dsq of cells = ng k nstrata each (ng the
 *           length of the daily grid joined with the times; layout in netsurv_internal.h)
 *
 * Reading also checks that no sum is NaN, that the at-risk and squared sums are not negative,
 * and that a state without a death has no squared sum. */
#include "pronostic/netsurv_test.h"
#include "pronostic/alloc.h"
#include "pronostic/wire.h"
#include "netsurv_internal.h"

#include <math.h>

#define PN__GT_MAGIC PN_WIRE_MAGIC('P', 'N', 'G', 'T')
#define PN__GT_VERSION 1u

int pn_nstestagg_serialise(const pn_nstestagg *a, unsigned char **out, size_t *len)
{
    pn_wire_writer w;
    pn_wire_begin(&w, PN__GT_MAGIC, PN__GT_VERSION);
    pn_wire_put_u32(&w, (uint32_t)a->k);
    pn_wire_put_u32(&w, (uint32_t)a->nstrata);
    pn_wire_put_u32(&w, a->flags);
    pn_wire_put_u32(&w, (uint32_t)a->any_death);
    pn_wire_put_u64(&w, a->n);
    pn_wire_put_u64(&w, a->ntimes);
    pn_wire_put_f64s(&w, a->times, a->ntimes);
    pn_wire_put_u64(&w, 3 * (uint64_t)a->cells);
    pn_wire_put_f64s(&w, a->acc, 3 * a->cells);
    return pn_wire_end(&w, out, len);
}

int pn_nstestagg_deserialise(pn_nstestagg **out, const void *buf, size_t len, pn_diag *diag)
{
    *out = NULL;
    pn_wire_reader r;
    pn_nstestagg *a = NULL;
    double *times = NULL;
    uint32_t k, nstrata, flags, any_death;
    uint64_t n;
    size_t ntimes, nacc;
    int rc =
        pn_wire_open(&r, buf, len, PN__GT_MAGIC, PN__GT_VERSION, "net survival test state", diag);
    if (rc != PN_OK) return rc;
    if ((rc = pn_wire_get_u32(&r, &k)) != PN_OK || (rc = pn_wire_get_u32(&r, &nstrata)) != PN_OK ||
        (rc = pn_wire_get_u32(&r, &flags)) != PN_OK ||
        (rc = pn_wire_get_u32(&r, &any_death)) != PN_OK)
        return rc;
    if (k < 2 || k > PN__NSTEST_MAX || nstrata < 1 || nstrata > PN__NSTEST_MAX ||
        (flags & ~PN__RATE_ALL) || any_death > 1) {
        r.off = PN_WIRE_HEADER;
        return pn_wire_fail(&r,
                            "%u groups, %u strata, flags 0x%x, death flag %u: not such a "
                            "state",
                            k, nstrata, flags, any_death);
    }
    if ((rc = pn_wire_get_u64(&r, &n)) != PN_OK ||
        (rc = pn_wire_get_count(&r, 8, &ntimes)) != PN_OK)
        return rc;
    times = pn_malloc((ntimes ? ntimes : 1) * sizeof *times);
    if (times == NULL) return PN_ENOMEM;
    size_t at = r.off;
    if ((rc = pn_wire_get_f64s(&r, times, ntimes)) != PN_OK) goto fail;
    size_t bad = pn__ns_bad_time(times, ntimes);
    if (bad < ntimes) {
        r.off = at + 8 * bad;
        rc = pn_wire_fail(&r, "time %zu is %.17g: not positive, finite and above the previous", bad,
                          times[bad]);
        goto fail;
    }
    if (ntimes > 0 && times[ntimes - 1] > PN__NS_MAX_DAYS) {
        rc = pn_wire_fail(&r, "times to %g days, beyond the daily grid's 10^6", times[ntimes - 1]);
        goto fail;
    }
    /* the length of the sums, known from the times before anything is allocated for them */
    size_t ng = pn__nstest_grid(times, ntimes, NULL);
    if ((rc = pn_wire_get_count(&r, 8, &nacc)) != PN_OK) goto fail;
    if (nacc != 3 * ng * (size_t)k * (size_t)nstrata) {
        r.off -= 8;
        rc = pn_wire_fail(&r, "%zu sums, %zu grid times x %u groups x %u strata need %zu", nacc, ng,
                          k, nstrata, 3 * ng * (size_t)k * (size_t)nstrata);
        goto fail;
    }
    if ((rc = pn__nstestagg_alloc(&a, times, ntimes, (int)k, (int)nstrata)) != PN_OK) goto fail;
    at = r.off;
    if ((rc = pn_wire_get_f64s(&r, a->acc, nacc)) != PN_OK) goto fail;
    for (size_t j = 0; j < nacc; j++) {
        double x = a->acc[j];
        int sq = j >= 2 * a->cells, nonneg = j < a->cells || sq;
        if (isnan(x) || (nonneg && !(x >= 0)) || (sq && !any_death && x != 0)) {
            r.off = at + 8 * j;
            rc = pn_wire_fail(&r, "sum %zu is %g: %s", j, x,
                              isnan(x)    ? "NaN"
                              : !(x >= 0) ? "negative"
                                          : "a death's, without deaths");
            goto fail;
        }
    }
    a->flags = flags;
    a->any_death = (int)any_death;
    a->n = n;
    if ((rc = pn_wire_close(&r)) != PN_OK) goto fail;
    pn_free(times);
    *out = a;
    return PN_OK;
fail:
    pn_nstestagg_free(a);
    pn_free(times);
    return rc;
}
