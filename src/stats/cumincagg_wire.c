/* cumincagg_wire.c - the competing-risks aggregate's serialised state (version 1, wire.h): the
 * number of event types, the rows per stratum code, and the (stratum, exit time, state, entry)
 * keys in increasing order with their sums. Sorted keys make the bytes canonical: equal states
 * serialise to equal bytes, and a state read back serialises to the bytes it was read from.
 *
 *   header  magic "PNCI", version 1, payload length
 *   u32     m, the event types (1..PN_CUMINC_MAX_STATES)
 *   u64     ncodes, then ncodes u64 row counts (the last one not 0)
 *   u64     nkeys, then per key: u32 stratum code, u32 state (0..m), f64 entry (-Inf: none),
 *           f64 exit time, f64 weight sum hi, lo, squared-weight sum hi, lo, u64 rows (>= 1)
 */
#include "pronostic/cuminc.h"
#include "pronostic/alloc.h"
#include "pronostic/wire.h"
#include "cuminc_internal.h"

#include <math.h>

#define PN__CI_MAGIC PN_WIRE_MAGIC('P', 'N', 'C', 'I')
#define PN__CI_VERSION 1u
#define PN__CI_KEY_BYTES 64

int pn_cumincagg_serialise(const pn_cumincagg *a, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    pn__cislot *keys;
    size_t n;
    if (pn__cumincagg_sorted(a, &keys, &n) != PN_OK) return PN_ENOMEM;
    size_t ncodes = pn_cumincagg_ngroups(a);
    pn_wire_writer w;
    pn_wire_begin(&w, PN__CI_MAGIC, PN__CI_VERSION);
    pn_wire_put_u32(&w, (uint32_t)a->m);
    pn_wire_put_u64(&w, ncodes);
    pn__rows_put(&w, a->nrec, ncodes);
    pn_wire_put_u64(&w, n);
    for (size_t i = 0; i < n; i++) {
        pn_wire_put_u32(&w, keys[i].group);
        pn_wire_put_u32(&w, keys[i].state);
        pn_wire_put_f64(&w, keys[i].entry);
        pn_wire_put_f64(&w, keys[i].time);
        pn__csum_put(&w, keys[i].w);
        pn__csum_put(&w, keys[i].w2);
        pn_wire_put_u64(&w, keys[i].n);
    }
    pn_free(keys);
    return pn_wire_end(&w, out, len);
}

/* One key, checked against the counts and the previous key, into the aggregate. */
static int get_key(pn_wire_reader *r, pn_cumincagg *a, size_t ncodes, size_t *rows_of,
                   const pn__cislot *prev, pn__cislot *s)
{
    int rc;
    uint64_t n;
    if ((rc = pn_wire_get_u32(r, &s->group)) != PN_OK ||
        (rc = pn_wire_get_u32(r, &s->state)) != PN_OK ||
        (rc = pn_wire_get_f64(r, &s->entry)) != PN_OK ||
        (rc = pn_wire_get_f64(r, &s->time)) != PN_OK)
        return rc;
    if (s->group >= ncodes || a->nrec[s->group] == 0)
        return pn_wire_fail(r, "a key of stratum code %u, which has no rows", s->group);
    if (s->state > (uint32_t)a->m)
        return pn_wire_fail(r, "a state %u beyond the %d event types", s->state, a->m);
    if (!isfinite(s->time) || (s->time == 0 && signbit(s->time)))
        return pn_wire_fail(r, "a time of %g, not a finite number (or -0)", s->time);
    if (s->entry != PN__NO_ENTRY &&
        (!isfinite(s->entry) || (s->entry == 0 && signbit(s->entry)) || !(s->entry < s->time)))
        return pn_wire_fail(r, "an entry time of %g for an exit at %g", s->entry, s->time);
    if (prev != NULL && pn__cislot_cmp(prev, s) >= 0)
        return pn_wire_fail(r, "keys out of order: (%u, %.17g, %u, %.17g) after (%u, %.17g, "
                            "%u, %.17g)", s->group, s->time, s->state, s->entry, prev->group,
                            prev->time, prev->state, prev->entry);
    if ((rc = pn__csum_get(r, &s->w, "weight")) != PN_OK ||
        (rc = pn__csum_get(r, &s->w2, "squared-weight")) != PN_OK ||
        (rc = pn_wire_get_u64(r, &n)) != PN_OK)
        return rc;
    if (n == 0 || n > a->nrec[s->group] - rows_of[s->group])
        return pn_wire_fail(r, "a key of %llu rows where stratum code %u has %zu rows left",
                            (unsigned long long)n, s->group,
                            a->nrec[s->group] - rows_of[s->group]);
    s->n = n;
    rows_of[s->group] += (size_t)n;
    pn__cislot *to = pn__cumincagg_find(a, s->group, s->state, s->entry, s->time);
    if (to == NULL) return PN_ENOMEM;
    *to = *s;
    return PN_OK;
}

int pn_cumincagg_deserialise(pn_cumincagg **out, const void *buf, size_t len, pn_diag *diag)
{
    *out = NULL;
    pn_wire_reader r;
    pn_cumincagg *a = NULL;
    size_t *rows_of = NULL;
    int rc = pn_wire_open(&r, buf, len, PN__CI_MAGIC, PN__CI_VERSION, "cumulative-incidence state",
                          diag);
    if (rc != PN_OK) return rc;
    uint32_t m;
    size_t ncodes, nkeys;
    if ((rc = pn_wire_get_u32(&r, &m)) != PN_OK) return rc;
    if (m < 1 || m > PN_CUMINC_MAX_STATES)
        return pn_wire_fail(&r, "%u event types, not 1 to %d", m, PN_CUMINC_MAX_STATES);
    if ((rc = pn_wire_get_count(&r, 8, &ncodes)) != PN_OK) return rc;
    if (ncodes >= PN__EMPTY) return pn_wire_fail(&r, "%zu stratum codes, too many", ncodes);
    if ((rc = pn_cumincagg_new(&a, (int)m)) != PN_OK) goto fail;
    if ((rc = pn__rows_get(&r, ncodes, &a->nrec, &a->nrec_cap)) != PN_OK) goto fail;
    if ((rc = pn_wire_get_count(&r, PN__CI_KEY_BYTES, &nkeys)) != PN_OK) goto fail;
    rows_of = pn_calloc(ncodes ? ncodes : 1, sizeof *rows_of);
    if (rows_of == NULL) {
        rc = PN_ENOMEM;
        goto fail;
    }
    pn__cislot prev, s;
    for (size_t i = 0; i < nkeys; i++) {
        if ((rc = get_key(&r, a, ncodes, rows_of, i ? &prev : NULL, &s)) != PN_OK) goto fail;
        prev = s;
    }
    for (size_t g = 0; g < ncodes; g++)
        if (rows_of[g] != a->nrec[g]) {
            rc = pn_wire_fail(&r, "stratum code %zu has %zu rows but keys for %zu", g, a->nrec[g],
                              rows_of[g]);
            goto fail;
        }
    if ((rc = pn_wire_close(&r)) != PN_OK) goto fail;
    pn_free(rows_of);
    *out = a;
    return PN_OK;
fail:
    pn_free(rows_of);
    pn_cumincagg_free(a);
    return rc;
}
