/* csum_wire.c - what the aggregate states share: a compensated sum in their bytes, and the
 * per-group row counts, counted and in their bytes (kmagg_internal.h). */
#include "kmagg_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/wire.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

void pn__csum_put(pn_wire_writer *w, pn__csum c)
{
    pn_wire_put_f64(w, c.hi);
    pn_wire_put_f64(w, c.lo);
}

int pn__csum_get(pn_wire_reader *r, pn__csum *c, const char *name)
{
    int rc = pn_wire_get_f64(r, &c->hi);
    if (rc == PN_OK) rc = pn_wire_get_f64(r, &c->lo);
    if (rc != PN_OK) return rc;
    if (!(c->hi >= 0) || !isfinite(c->hi) || !isfinite(c->lo))
        return pn_wire_fail(r, "a %s sum of %g%+g, not a finite non-negative sum", name, c->hi,
                            c->lo);
    return PN_OK;
}

int pn__count_rows(size_t **nrec, size_t *cap, uint32_t group, size_t n)
{
    if (group >= *cap) {
        size_t old = *cap;
        if (pn_grow((void **)nrec, cap, (size_t)group + 1, sizeof **nrec) != PN_OK)
            return PN_ENOMEM;
        memset(*nrec + old, 0, (*cap - old) * sizeof **nrec);
    }
    (*nrec)[group] += n;
    return PN_OK;
}

void pn__rows_put(pn_wire_writer *w, const size_t *nrec, size_t ncodes)
{
    for (size_t g = 0; g < ncodes; g++) pn_wire_put_u64(w, nrec[g]);
}

int pn__rows_get(pn_wire_reader *r, size_t ncodes, size_t **nrec, size_t *cap)
{
    if (ncodes == 0) return PN_OK;
    int rc = pn__count_rows(nrec, cap, (uint32_t)(ncodes - 1), 0);
    if (rc != PN_OK) return rc;
    for (size_t g = 0; g < ncodes; g++) {
        uint64_t c;
        if ((rc = pn_wire_get_u64(r, &c)) != PN_OK) return rc;
        if (c > SIZE_MAX / 2)
            return pn_wire_fail(r, "a count of %llu rows, too large", (unsigned long long)c);
        (*nrec)[g] = (size_t)c;
    }
    if ((*nrec)[ncodes - 1] == 0)
        return pn_wire_fail(r, "the last of %zu stratum codes has no rows", ncodes);
    return PN_OK;
}
