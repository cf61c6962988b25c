/* cumincagg.c - the competing-risks aggregate: per (stratum, state, entry, exit time) the rows,
 * the sum of their weights and of their squared weights, in a hash table built row by row.
 * Everything the Aalen-Johansen estimate, its infinitesimal-jackknife variance (which needs the
 * pairs of entry and exit: the influence of a row depends on both) and Gray's test need is in
 * these sums, so the input never has to be sorted or kept. Sums are compensated (kmagg_internal.h):
 * integer weights sum exactly, whatever the split of the rows and the order of the merges.
 */
#include "pronostic/cuminc.h"
#include "pronostic/alloc.h"
#include "pronostic/hash.h"
#include "cuminc_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(uint32_t group, uint32_t state, double entry, double time)
{
    uint64_t t, e;
    memcpy(&t, &time, sizeof t);
    memcpy(&e, &entry, sizeof e);
    return pn_hash_mix64(t ^ pn_hash_mix64(e + ((uint64_t)group << 20 | state) * PN_HASH_GOLDEN));
}

static pn__cislot *empty_slots(size_t n)
{
    pn__cislot *s = pn_malloc(n * sizeof *s);
    if (s == NULL) return NULL;
    for (size_t i = 0; i < n; i++) s[i].group = PN__EMPTY;
    return s;
}

int pn_cumincagg_new(pn_cumincagg **out, int nstates)
{
    *out = NULL;
    if (nstates < 1 || nstates > PN_CUMINC_MAX_STATES) return PN_EINVAL;
    pn_cumincagg *a = pn_calloc(1, sizeof *a);
    if (a == NULL) return PN_ENOMEM;
    a->m = nstates;
    a->nslots = 256;
    a->slots = empty_slots(a->nslots);
    if (a->slots == NULL) {
        pn_free(a);
        return PN_ENOMEM;
    }
    *out = a;
    return PN_OK;
}

void pn_cumincagg_free(pn_cumincagg *a)
{
    if (a == NULL) return;
    pn_free(a->slots);
    pn_free(a->nrec);
    pn_free(a);
}

int pn_cumincagg_nstates(const pn_cumincagg *a) { return a->m; }

static int rehash(pn_cumincagg *a)
{
    size_t ns = a->nslots * 2;
    pn__cislot *grown = empty_slots(ns);
    if (grown == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < a->nslots; i++) {
        const pn__cislot *s = &a->slots[i];
        if (s->group == PN__EMPTY) continue;
        size_t j = hash_key(s->group, s->state, s->entry, s->time) & (ns - 1);
        while (grown[j].group != PN__EMPTY) j = (j + 1) & (ns - 1);
        grown[j] = *s;
    }
    pn_free(a->slots);
    a->slots = grown;
    a->nslots = ns;
    return PN_OK;
}

pn__cislot *pn__cumincagg_find(pn_cumincagg *a, uint32_t group, uint32_t state, double entry,
                               double time)
{
    if (time == 0) time = 0; /* -0 and 0 are one time */
    if (entry == 0) entry = 0;
    if ((a->used + 1) * 4 > a->nslots * 3 && rehash(a) != PN_OK) return NULL;
    size_t mask = a->nslots - 1, j = hash_key(group, state, entry, time) & mask;
    for (;;) {
        pn__cislot *s = &a->slots[j];
        if (s->group == PN__EMPTY) break;
        if (s->group == group && s->state == state && s->time == time && s->entry == entry)
            return s;
        j = (j + 1) & mask;
    }
    pn__cislot *s = &a->slots[j];
    *s = (pn__cislot){.entry = entry, .time = time, .group = group, .state = state};
    a->used++;
    return s;
}

int pn__cumincagg_count(pn_cumincagg *a, uint32_t group, size_t n)
{
    return pn__count_rows(&a->nrec, &a->nrec_cap, group, n);
}

int pn_cumincagg_add(pn_cumincagg *a, uint32_t group, double entry, double time, int state,
                     double weight)
{
    if (group == PN__EMPTY || state < 0 || state > a->m || !isfinite(time) ||
        !(isnan(entry) || (isfinite(entry) && entry < time)) || !(weight >= 0) ||
        !isfinite(weight))
        return PN_EINVAL;
    if (pn__cumincagg_count(a, group, 0) != PN_OK) return PN_ENOMEM;
    pn__cislot *s = pn__cumincagg_find(a, group, (uint32_t)state,
                                       isnan(entry) ? PN__NO_ENTRY : entry, time);
    if (s == NULL) return PN_ENOMEM;
    pn__csum_add(&s->w, weight);
    pn__csum_add(&s->w2, weight * weight);
    s->n++;
    a->nrec[group]++;
    return PN_OK;
}

int pn_cumincagg_merge_map(pn_cumincagg *dst, const pn_cumincagg *src, const uint32_t *gmap,
                           const uint32_t *smap)
{
    if (smap == NULL && dst->m != src->m) return PN_EINVAL;
    for (size_t i = 0; i < src->nslots; i++) {
        const pn__cislot *f = &src->slots[i];
        if (f->group == PN__EMPTY) continue;
        uint32_t g = gmap ? gmap[f->group] : f->group;
        uint32_t st = smap && f->state > 0 ? smap[f->state] : f->state;
        if (g == PN__EMPTY || st > (uint32_t)dst->m) return PN_EINVAL;
        pn__cislot *to = pn__cumincagg_find(dst, g, st, f->entry, f->time);
        if (to == NULL) return PN_ENOMEM;
        pn__csum_merge(&to->w, f->w);
        pn__csum_merge(&to->w2, f->w2);
        to->n += f->n;
    }
    for (size_t g = 0; g < src->nrec_cap; g++)
        if (src->nrec[g] &&
            pn__cumincagg_count(dst, gmap ? gmap[g] : (uint32_t)g, src->nrec[g]) != PN_OK)
            return PN_ENOMEM;
    return PN_OK;
}

int pn_cumincagg_merge(pn_cumincagg *dst, const pn_cumincagg *src)
{
    return pn_cumincagg_merge_map(dst, src, NULL, NULL);
}

size_t pn_cumincagg_ngroups(const pn_cumincagg *a)
{
    size_t n = a->nrec_cap;
    while (n > 0 && a->nrec[n - 1] == 0) n--;
    return n;
}

int pn__cislot_cmp(const void *pa, const void *pb)
{
    const pn__cislot *a = pa, *b = pb;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    if (a->state != b->state) return a->state < b->state ? -1 : 1;
    return (a->entry > b->entry) - (a->entry < b->entry);
}

int pn__cumincagg_sorted(const pn_cumincagg *a, pn__cislot **out, size_t *n)
{
    *out = pn_malloc((a->used ? a->used : 1) * sizeof **out);
    *n = 0;
    if (*out == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < a->nslots; i++)
        if (a->slots[i].group != PN__EMPTY) (*out)[(*n)++] = a->slots[i];
    qsort(*out, *n, sizeof **out, pn__cislot_cmp);
    return PN_OK;
}
