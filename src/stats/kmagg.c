/* kmagg.c - the survival aggregate: weighted sums of events, censorings and entries per
 * (stratum, time), built row by row in a hash table, then turned into per-stratum tables of
 * distinct exit times with the number at risk (a reverse cumulative sum). Everything a
 * Kaplan-Meier, Fleming-Harrington or actuarial estimate needs is in these sums, so the input
 * never has to be sorted or kept.
 *
 * Every sum is compensated (a double and its rounding error, Kahan-Babuska-Neumaier): with
 * delayed entry the number at risk is a sum of exits minus a sum of entries, and with
 * non-integer weights plain double sums left 2.0650000000000004 at risk where 2.065 died, a
 * survival of 2.2e-16 instead of 0. Compensated, each count is the exact sum of the weights
 * rounded once, so everyone at risk dying gives n_risk == n_event exactly. Integer weights (and
 * no weights: 1 each) sum exactly either way, below 2^53.
 */
#include "pronostic/km.h"
#include "pronostic/alloc.h"
#include "pronostic/hash.h"
#include "pronostic/timefix.h"
#include "kmagg_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(double time, uint32_t group)
{
    uint64_t bits;
    memcpy(&bits, &time, sizeof bits);
    return pn_hash_mix64(bits ^ ((uint64_t)group * PN_HASH_GOLDEN));
}

static pn__kmslot *empty_slots(size_t n)
{
    pn__kmslot *s = pn_malloc(n * sizeof *s);
    if (s == NULL) return NULL;
    for (size_t i = 0; i < n; i++) s[i].group = PN__EMPTY;
    return s;
}

int pn_kmagg_new(pn_kmagg **out)
{
    *out = NULL;
    pn_kmagg *a = pn_calloc(1, sizeof *a);
    if (a == NULL) return PN_ENOMEM;
    a->nslots = 1024;
    a->gap_entry = a->gap_time = NAN;
    a->slots = empty_slots(a->nslots);
    if (a->slots == NULL) {
        pn_free(a);
        return PN_ENOMEM;
    }
    *out = a;
    return PN_OK;
}

void pn_kmagg_free(pn_kmagg *a)
{
    if (a == NULL) return;
    pn_free(a->slots);
    pn_free(a->nrec);
    pn_free(a);
}

static int rehash(pn_kmagg *a)
{
    size_t ns = a->nslots * 2;
    pn__kmslot *grown = empty_slots(ns);
    if (grown == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < a->nslots; i++) {
        if (a->slots[i].group == PN__EMPTY) continue;
        size_t j = hash_key(a->slots[i].time, a->slots[i].group) & (ns - 1);
        while (grown[j].group != PN__EMPTY) j = (j + 1) & (ns - 1);
        grown[j] = a->slots[i];
    }
    pn_free(a->slots);
    a->slots = grown;
    a->nslots = ns;
    return PN_OK;
}

pn__kmslot *pn__kmagg_find(pn_kmagg *a, uint32_t group, double time)
{
    if (time == 0) time = 0; /* -0 and 0 are one time */
    size_t mask = a->nslots - 1, j = hash_key(time, group) & mask;
    for (;;) {
        pn__kmslot *s = &a->slots[j];
        if (s->group == group && s->time == time) return s;
        if (s->group == PN__EMPTY) break;
        j = (j + 1) & mask;
    }
    if ((a->used + 1) * 4 > a->nslots * 3) {
        if (rehash(a) != PN_OK) return NULL;
        return pn__kmagg_find(a, group, time);
    }
    pn__kmslot *s = &a->slots[j];
    s->group = group;
    s->time = time;
    s->exits = 0;
    s->w_event = s->w_censor = s->w_enter = (pn__csum){0, 0};
    a->used++;
    return s;
}

int pn__kmagg_count(pn_kmagg *a, uint32_t group, size_t n)
{
    if (group >= a->nrec_cap) {
        size_t old = a->nrec_cap;
        if (pn_grow((void **)&a->nrec, &a->nrec_cap, (size_t)group + 1, sizeof *a->nrec) != PN_OK)
            return PN_ENOMEM;
        memset(a->nrec + old, 0, (a->nrec_cap - old) * sizeof *a->nrec);
    }
    a->nrec[group] += n;
    return PN_OK;
}

/* Whether the stay (entry, time] should replace the shortest one kept, (gap_entry, gap_time]:
 * it is shorter, or as short and enters earlier, or as both and leaves earlier. A total order,
 * so the stay kept is the same whatever the order of the rows and of the merges. */
static int shorter_stay(const pn_kmagg *a, double entry, double time)
{
    if (isnan(a->gap_time)) return 1;
    double gap = time - entry, kept = a->gap_time - a->gap_entry;
    if (gap != kept) return gap < kept;
    if (entry != a->gap_entry) return entry < a->gap_entry;
    return time < a->gap_time;
}

int pn_kmagg_add(pn_kmagg *a, uint32_t group, double entry, double time, int event, double weight)
{
    if (group == PN__EMPTY || !isfinite(time) || !(isnan(entry) || isfinite(entry)) ||
        !(weight >= 0) || !isfinite(weight))
        return PN_EINVAL;
    pn__kmslot *s = pn__kmagg_find(a, group, time);
    if (s == NULL) return PN_ENOMEM;
    s->exits = 1;
    pn__csum_add(event ? &s->w_event : &s->w_censor, weight);
    if (!isnan(entry)) {
        pn__kmslot *e = pn__kmagg_find(a, group, entry);
        if (e == NULL) return PN_ENOMEM;
        pn__csum_add(&e->w_enter, weight);
        if (shorter_stay(a, entry, time)) {
            a->gap_entry = entry;
            a->gap_time = time;
        }
    }
    return pn__kmagg_count(a, group, 1);
}

int pn_kmagg_merge_map(pn_kmagg *dst, const pn_kmagg *src, const uint32_t *map)
{
    for (size_t i = 0; i < src->nslots; i++) {
        const pn__kmslot *from = &src->slots[i];
        if (from->group == PN__EMPTY) continue;
        pn__kmslot *to = pn__kmagg_find(dst, map ? map[from->group] : from->group, from->time);
        if (to == NULL) return PN_ENOMEM;
        to->exits |= from->exits;
        pn__csum_merge(&to->w_event, from->w_event);
        pn__csum_merge(&to->w_censor, from->w_censor);
        pn__csum_merge(&to->w_enter, from->w_enter);
    }
    for (size_t g = 0; g < src->nrec_cap; g++)
        if (src->nrec[g] &&
            pn__kmagg_count(dst, map ? map[g] : (uint32_t)g, src->nrec[g]) != PN_OK)
            return PN_ENOMEM;
    if (!isnan(src->gap_time) && shorter_stay(dst, src->gap_entry, src->gap_time)) {
        dst->gap_entry = src->gap_entry;
        dst->gap_time = src->gap_time;
    }
    return PN_OK;
}

int pn_kmagg_merge(pn_kmagg *dst, const pn_kmagg *src)
{
    return pn_kmagg_merge_map(dst, src, NULL);
}

size_t pn_kmagg_ngroups(const pn_kmagg *a)
{
    size_t n = a->nrec_cap;
    while (n > 0 && a->nrec[n - 1] == 0) n--;
    return n;
}

int pn__kmslot_cmp(const void *pa, const void *pb)
{
    const pn__kmslot *a = pa, *b = pb;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    return (a->time > b->time) - (a->time < b->time);
}

void pn_kmtables_free(pn_kmtables *t)
{
    if (t == NULL) return;
    pn_free(t->tab);
    pn_free(t->store);
    pn_free(t->nrec);
    pn_free(t);
}

/* Times of `keys` that differ by rounding only, made equal as R's survfit does (timefix.h): the
 * classes are formed over every distinct exit and entry time of all strata. *cuts is set (owned
 * by the caller) only when some times changed. PN_ERANGE when the row with the shortest stay
 * enters and leaves within one class (R's aeqSurv stops there). */
static int timefix(pn__kmslot *keys, size_t nkeys, const pn_kmagg *a, double **cuts)
{
    *cuts = NULL;
    if (nkeys < 2) return PN_OK;
    double *v = pn_malloc(nkeys * sizeof *v);
    if (v == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < nkeys; i++) v[i] = keys[i].time;
    int merged;
    size_t ncut = pn_timefix_cuts(v, nkeys, &merged);
    if (!merged) {
        pn_free(v);
        return PN_OK;
    }
    if (!isnan(a->gap_time) &&
        pn_timefix_map(v, ncut, a->gap_entry) == pn_timefix_map(v, ncut, a->gap_time)) {
        pn_free(v);
        return PN_ERANGE;
    }
    for (size_t i = 0; i < nkeys; i++) keys[i].time = pn_timefix_map(v, ncut, keys[i].time);
    *cuts = v;
    return PN_OK;
}

int pn_kmagg_tables(const pn_kmagg *a, size_t ngroups, const uint32_t *recode, pn_kmtables **out)
{
    *out = NULL;
    int rc = PN_ENOMEM;
    pn__kmslot *keys = pn_malloc((a->used ? a->used : 1) * sizeof *keys);
    double *cuts = NULL;
    pn_kmtables *t = pn_calloc(1, sizeof *t);
    if (keys == NULL || t == NULL) goto fail;
    t->ngroups = ngroups;
    t->tab = pn_calloc(ngroups ? ngroups : 1, sizeof *t->tab);
    t->nrec = pn_calloc(ngroups ? ngroups : 1, sizeof *t->nrec);
    if (t->tab == NULL || t->nrec == NULL) goto fail;
    size_t nkeys = 0, nexits = 0;
    for (size_t i = 0; i < a->nslots; i++) {
        if (a->slots[i].group == PN__EMPTY) continue;
        pn__kmslot s = a->slots[i];
        if (recode != NULL) s.group = recode[s.group];
        if (s.group >= ngroups) {
            rc = PN_EINVAL;
            goto fail;
        }
        keys[nkeys++] = s;
    }
    for (size_t g = 0; g < a->nrec_cap; g++) {
        if (a->nrec[g] == 0) continue;
        size_t to = recode != NULL ? recode[g] : g;
        if (to >= ngroups) {
            rc = PN_EINVAL;
            goto fail;
        }
        t->nrec[to] += a->nrec[g];
    }
    if ((rc = timefix(keys, nkeys, a, &cuts)) != PN_OK) goto fail;
    qsort(keys, nkeys, sizeof *keys, pn__kmslot_cmp);
    if (cuts != NULL) { /* times made equal: add up the sums of each (stratum, time) */
        size_t m = 0;
        for (size_t i = 0; i < nkeys; i++) {
            if (m > 0 && keys[m - 1].group == keys[i].group && keys[m - 1].time == keys[i].time) {
                pn__kmslot *to = &keys[m - 1];
                to->exits |= keys[i].exits;
                pn__csum_merge(&to->w_event, keys[i].w_event);
                pn__csum_merge(&to->w_censor, keys[i].w_censor);
                pn__csum_merge(&to->w_enter, keys[i].w_enter);
            } else {
                keys[m++] = keys[i];
            }
        }
        nkeys = m;
    }
    for (size_t i = 0; i < nkeys; i++) nexits += keys[i].exits != 0;
    rc = PN_ENOMEM;
    t->store = pn_malloc((nexits ? nexits : 1) * 4 * sizeof *t->store);
    if (t->store == NULL) goto fail;
    double *time = t->store, *risk = time + nexits, *event = risk + nexits,
           *censor = event + nexits;
    /* forward pass: place each stratum's exit times; backward pass: at-risk sums */
    size_t row = 0;
    for (size_t i = 0; i < nkeys;) {
        uint32_t g = keys[i].group;
        size_t first = i, firstrow = row;
        while (i < nkeys && keys[i].group == g) {
            if (keys[i].exits) {
                time[row] = keys[i].time;
                event[row] = pn__csum_value(keys[i].w_event);
                censor[row] = pn__csum_value(keys[i].w_censor);
                row++;
            }
            i++;
        }
        /* at risk at t_j: exits at or after t_j minus entries at or after t_j, compensated */
        pn__csum atrisk = {0, 0};
        size_t r = row;
        for (size_t j = i; j-- > first;) {
            pn__csum_merge(&atrisk, keys[j].w_event);
            pn__csum_merge(&atrisk, keys[j].w_censor);
            pn__csum_merge(&atrisk, (pn__csum){-keys[j].w_enter.hi, -keys[j].w_enter.lo});
            if (keys[j].exits) risk[--r] = pn__csum_value(atrisk);
        }
        pn_kmtable *tab = &t->tab[g];
        tab->k = row - firstrow;
        tab->time = time + firstrow;
        tab->n_risk = risk + firstrow;
        tab->n_event = event + firstrow;
        tab->n_censor = censor + firstrow;
    }
    for (size_t g = 0; g < ngroups; g++) t->tab[g].n_records = t->nrec[g];
    pn_free(cuts);
    pn_free(keys);
    *out = t;
    return PN_OK;
fail:
    pn_free(cuts);
    pn_free(keys);
    pn_kmtables_free(t);
    return rc;
}
