/* nsagg_wire.c - the serialised state of the net-survival estimators (version 1, wire.h):
 *
 *   header  magic "PNNS", version 1, payload length
 *   u32     method (0 Pohar-Perme, 1 Ederer II), scheme (0 exact, 1 relsurv),
 *           flags (PN_RATE_*), 0 (reserved)
 *   u64     subjects added
 *   u64     ng, then the grid: ng f64 times, strictly increasing, positive, finite
 *   u64     nacc, then the nacc f64 sums in the scheme's layout (netsurv_internal.h), nacc
 *           being 9 (ng + 1) for exact and 4 (nsteps + 1) + 9 (ng + 1) for relsurv, nsteps the
 *           daily steps of the grid
 *
 * Reading checks everything a state built by pn_nsagg_add satisfies: no sum is NaN; the counts
 * (the difference array of the number at risk, deaths and exits per time) are whole numbers,
 * deaths <= exits <= number at risk >= 0 at every time, the number at risk ends at 0 and the
 * exits add up to the subjects. */
#include "pronostic/netsurv.h"
#include "pronostic/alloc.h"
#include "pronostic/wire.h"
#include "netsurv_internal.h"

#include <math.h>

#define PN__NS_MAGIC PN_WIRE_MAGIC('P', 'N', 'N', 'S')
#define PN__NS_VERSION 1u

int pn_nsagg_serialise(const pn_nsagg *a, unsigned char **out, size_t *len)
{
    pn_wire_writer w;
    pn_wire_begin(&w, PN__NS_MAGIC, PN__NS_VERSION);
    pn_wire_put_u32(&w, (uint32_t)a->method);
    pn_wire_put_u32(&w, (uint32_t)a->scheme);
    pn_wire_put_u32(&w, a->flags);
    pn_wire_put_u32(&w, 0);
    pn_wire_put_u64(&w, a->n);
    pn_wire_put_u64(&w, a->ng);
    pn_wire_put_f64s(&w, a->grid, a->ng);
    pn_wire_put_u64(&w, a->nacc);
    pn_wire_put_f64s(&w, a->acc, a->nacc);
    return pn_wire_end(&w, out, len);
}

static int whole(double x)
{
    return isfinite(x) && x == floor(x) && fabs(x) <= 9007199254740992.0;
}

/* The counts of a state read back, against each other and the number of subjects. */
static int check_counts(pn_wire_reader *r, const pn_nsagg *a)
{
    size_t m = a->ng + 1;
    const double *drisk = pn__nsagg_counts(a), *nev = drisk + m, *nout = drisk + 2 * m;
    double atrisk = 0, exits = 0;
    for (size_t k = 0; k < m; k++) {
        if (!whole(drisk[k]) || !whole(nev[k]) || !whole(nout[k]))
            return pn_wire_fail(r, "the counts at time %zu are not whole numbers", k);
        atrisk += drisk[k];
        exits += nout[k];
        if (!(nev[k] >= 0 && nev[k] <= nout[k] && (k == a->ng ? nout[k] == 0 : nout[k] <= atrisk)))
            return pn_wire_fail(r, "at time %zu: %g deaths, %g exits, %g at risk", k, nev[k],
                                nout[k], atrisk);
    }
    if (atrisk != 0)
        return pn_wire_fail(r, "%g subjects still at risk after the last time", atrisk);
    if (exits != (double)a->n)
        return pn_wire_fail(r, "%g exits for %llu subjects", exits, (unsigned long long)a->n);
    return PN_OK;
}

int pn_nsagg_deserialise(pn_nsagg **out, const void *buf, size_t len, pn_diag *diag)
{
    *out = NULL;
    pn_wire_reader r;
    pn_nsagg *a = NULL;
    double *grid = NULL;
    uint32_t method, scheme, flags, reserved;
    uint64_t n;
    size_t ng, nacc;
    int rc = pn_wire_open(&r, buf, len, PN__NS_MAGIC, PN__NS_VERSION, "net survival state", diag);
    if (rc != PN_OK) return rc;
    if ((rc = pn_wire_get_u32(&r, &method)) != PN_OK ||
        (rc = pn_wire_get_u32(&r, &scheme)) != PN_OK ||
        (rc = pn_wire_get_u32(&r, &flags)) != PN_OK ||
        (rc = pn_wire_get_u32(&r, &reserved)) != PN_OK)
        return rc;
    if (method > PN_NETSURV_EDERER2 || scheme > PN_NETSURV_RELSURV || (flags & ~PN__RATE_ALL) ||
        reserved != 0) {
        r.off = PN_WIRE_HEADER;
        return pn_wire_fail(&r,
                            "method %u, scheme %u, flags 0x%x, reserved %u: not a known "
                            "kind of state",
                            method, scheme, flags, reserved);
    }
    if ((rc = pn_wire_get_u64(&r, &n)) != PN_OK || (rc = pn_wire_get_count(&r, 8, &ng)) != PN_OK)
        return rc;
    if (n > 9007199254740992ull)
        return pn_wire_fail(&r, "%llu subjects, too many", (unsigned long long)n);
    grid = pn_malloc((ng ? ng : 1) * sizeof *grid);
    if (grid == NULL) return PN_ENOMEM;
    size_t at = r.off;
    if ((rc = pn_wire_get_f64s(&r, grid, ng)) != PN_OK) goto fail;
    size_t bad = pn__ns_bad_time(grid, ng);
    if (bad < ng) {
        r.off = at + 8 * bad;
        rc = pn_wire_fail(&r,
                          "grid time %zu is %.17g: not positive, finite and above the "
                          "previous",
                          bad, grid[bad]);
        goto fail;
    }
    if (scheme == PN_NETSURV_RELSURV && ng > 0 && grid[ng - 1] > PN__NS_MAX_DAYS) {
        rc = pn_wire_fail(&r, "a grid to %g days, beyond the relsurv scheme's 10^6", grid[ng - 1]);
        goto fail;
    }
    /* the length of the sums, known from the grid before anything is allocated for them */
    size_t want = scheme == PN_NETSURV_RELSURV
                      ? pn__ns_relsurv_nacc(ng, pn__ns_steps(grid, ng, NULL, NULL, NULL))
                      : pn__ns_exact_nacc(ng);
    if ((rc = pn_wire_get_count(&r, 8, &nacc)) != PN_OK) goto fail;
    if (nacc != want) {
        r.off -= 8;
        rc = pn_wire_fail(&r, "%zu sums, the grid needs %zu", nacc, want);
        goto fail;
    }
    if ((rc = pn__nsagg_alloc(&a, grid, ng, (int)method, (int)scheme)) != PN_OK) goto fail;
    at = r.off;
    if ((rc = pn_wire_get_f64s(&r, a->acc, nacc)) != PN_OK) goto fail;
    for (size_t j = 0; j < nacc; j++)
        if (isnan(a->acc[j])) {
            r.off = at + 8 * j;
            rc = pn_wire_fail(&r, "sum %zu is NaN", j);
            goto fail;
        }
    a->flags = flags;
    a->n = n;
    if ((rc = check_counts(&r, a)) != PN_OK || (rc = pn_wire_close(&r)) != PN_OK) goto fail;
    pn_free(grid);
    *out = a;
    return PN_OK;
fail:
    pn_nsagg_free(a);
    pn_free(grid);
    return rc;
}
