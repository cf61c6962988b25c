/* kmagg_wire.c - the survival aggregate's serialised state (version 1, wire.h): the rows per
 * stratum code, the shortest stay, and the (stratum, time) slots in increasing order with their
 * compensated sums. Sorted slots make the bytes canonical: equal states serialise to equal
 * bytes, and a state read back serialises to the bytes it was read from.
 *
 *   header  magic "PNKM", version 1, payload length
 *   u64     ncodes, then ncodes u64 row counts (the last one not 0)
 *   f64     gap_entry, gap_time (both NaN, or both finite)
 *   u64     nslots, then per slot: u32 stratum code, u32 exits (0 or 1), f64 time,
 *           f64 event hi, lo, censor hi, lo, entry hi, lo
 */
#include "pronostic/km.h"
#include "pronostic/alloc.h"
#include "pronostic/wire.h"
#include "kmagg_internal.h"

#include <math.h>

#define PN__KM_MAGIC PN_WIRE_MAGIC('P', 'N', 'K', 'M')
#define PN__KM_VERSION 1u
#define PN__KM_SLOT_BYTES 64

int pn_kmagg_serialise(const pn_kmagg *a, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    pn__kmslot *keys;
    size_t n;
    if (pn__kmagg_sorted_slots(a, &keys, &n) != PN_OK) return PN_ENOMEM;
    size_t ncodes = pn_kmagg_ngroups(a);
    pn_wire_writer w;
    pn_wire_begin(&w, PN__KM_MAGIC, PN__KM_VERSION);
    pn_wire_put_u64(&w, ncodes);
    pn__rows_put(&w, a->nrec, ncodes);
    pn_wire_put_f64(&w, a->gap_entry);
    pn_wire_put_f64(&w, a->gap_time);
    pn_wire_put_u64(&w, n);
    for (size_t i = 0; i < n; i++) {
        pn_wire_put_u32(&w, keys[i].group);
        pn_wire_put_u32(&w, keys[i].exits);
        pn_wire_put_f64(&w, keys[i].time);
        pn__csum_put(&w, keys[i].w_event);
        pn__csum_put(&w, keys[i].w_censor);
        pn__csum_put(&w, keys[i].w_enter);
    }
    pn_free(keys);
    return pn_wire_end(&w, out, len);
}

/* 1 when the sum is an integer held exactly (no rounding error kept, below 2^53). */
static int exact_count(pn__csum c)
{
    return c.lo == 0 && c.hi == floor(c.hi) && c.hi < 9007199254740992.0;
}

/* One slot, checked against the counts and the previous slot, into the aggregate. */
static int get_slot(pn_wire_reader *r, pn_kmagg *a, size_t ncodes, size_t *exits_of,
                    const pn__kmslot *prev, pn__kmslot *s)
{
    int rc;
    if ((rc = pn_wire_get_u32(r, &s->group)) != PN_OK ||
        (rc = pn_wire_get_u32(r, &s->exits)) != PN_OK ||
        (rc = pn_wire_get_f64(r, &s->time)) != PN_OK)
        return rc;
    if (s->group >= ncodes || a->nrec[s->group] == 0)
        return pn_wire_fail(r, "a slot of stratum code %u, which has no rows", s->group);
    if (s->exits > 1) return pn_wire_fail(r, "an exit flag of %u, not 0 or 1", s->exits);
    if (!isfinite(s->time) || (s->time == 0 && signbit(s->time)))
        return pn_wire_fail(r, "a time of %g, not a finite number (or -0)", s->time);
    if (prev != NULL && pn__kmslot_cmp(prev, s) >= 0)
        return pn_wire_fail(r, "slots out of order: (%u, %.17g) after (%u, %.17g)", s->group,
                            s->time, prev->group, prev->time);
    if ((rc = pn__csum_get(r, &s->w_event, "event")) != PN_OK ||
        (rc = pn__csum_get(r, &s->w_censor, "censoring")) != PN_OK ||
        (rc = pn__csum_get(r, &s->w_enter, "entry")) != PN_OK)
        return rc;
    if (!s->exits && (s->w_event.hi != 0 || s->w_censor.hi != 0))
        return pn_wire_fail(r, "events or censorings at a time nobody leaves");
    if (s->exits && ++exits_of[s->group] > a->nrec[s->group])
        return pn_wire_fail(r, "stratum code %u has more exit times than its %zu rows", s->group,
                            a->nrec[s->group]);
    pn__kmslot *to = pn__kmagg_find(a, s->group, s->time);
    if (to == NULL) return PN_ENOMEM;
    *to = *s;
    /* unit mode (kmagg.c) only while every sum is an exact integer */
    if (!exact_count(s->w_event) || !exact_count(s->w_censor) || !exact_count(s->w_enter))
        a->unit = 0;
    return PN_OK;
}

int pn_kmagg_deserialise(pn_kmagg **out, const void *buf, size_t len, pn_diag *diag)
{
    *out = NULL;
    pn_wire_reader r;
    pn_kmagg *a = NULL;
    size_t *exits_of = NULL;
    int rc = pn_wire_open(&r, buf, len, PN__KM_MAGIC, PN__KM_VERSION, "Kaplan-Meier state", diag);
    if (rc != PN_OK) return rc;
    size_t ncodes, nslots;
    if ((rc = pn_wire_get_count(&r, 8, &ncodes)) != PN_OK) return rc;
    if (ncodes >= PN__EMPTY) return pn_wire_fail(&r, "%zu stratum codes, too many", ncodes);
    if ((rc = pn_kmagg_new(&a)) != PN_OK) goto fail;
    if ((rc = pn__rows_get(&r, ncodes, &a->nrec, &a->nrec_cap)) != PN_OK) goto fail;
    if ((rc = pn_wire_get_f64(&r, &a->gap_entry)) != PN_OK ||
        (rc = pn_wire_get_f64(&r, &a->gap_time)) != PN_OK)
        goto fail;
    if (isnan(a->gap_entry) != isnan(a->gap_time) ||
        (!isnan(a->gap_time) && !(isfinite(a->gap_entry) && isfinite(a->gap_time)))) {
        rc = pn_wire_fail(&r, "a shortest stay of (%g, %g]", a->gap_entry, a->gap_time);
        goto fail;
    }
    if ((rc = pn_wire_get_count(&r, PN__KM_SLOT_BYTES, &nslots)) != PN_OK) goto fail;
    exits_of = pn_calloc(ncodes ? ncodes : 1, sizeof *exits_of);
    if (exits_of == NULL) {
        rc = PN_ENOMEM;
        goto fail;
    }
    pn__kmslot prev, s;
    for (size_t i = 0; i < nslots; i++) {
        if ((rc = get_slot(&r, a, ncodes, exits_of, i ? &prev : NULL, &s)) != PN_OK) goto fail;
        prev = s;
    }
    for (size_t g = 0; g < ncodes; g++)
        if (a->nrec[g] > 0 && exits_of[g] == 0) {
            rc = pn_wire_fail(&r, "stratum code %zu has %zu rows but no exit time", g, a->nrec[g]);
            goto fail;
        }
    if ((rc = pn_wire_close(&r)) != PN_OK) goto fail;
    pn_free(exits_of);
    *out = a;
    return PN_OK;
fail:
    pn_free(exits_of);
    pn_kmagg_free(a);
    return rc;
}
