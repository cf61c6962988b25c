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
#include "pronostic/timefix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PN__EMPTY UINT32_MAX

/* A compensated sum: the value is hi + lo, lo the rounding errors of the additions. */
typedef struct csum {
    double hi, lo;
} csum;

/* Add x to the sum (Neumaier's variant of Kahan summation: exact error of each addition). */
static inline void csum_add(csum *c, double x)
{
    double t = c->hi + x;
    c->lo += fabs(c->hi) >= fabs(x) ? (c->hi - t) + x : (x - t) + c->hi;
    c->hi = t;
}

/* Add another compensated sum. */
static inline void csum_merge(csum *c, csum x)
{
    csum_add(c, x.hi);
    c->lo += x.lo;
}

static inline double csum_value(csum c) { return c.hi + c.lo; }

typedef struct slot {
    double time;
    uint32_t group;     /* PN__EMPTY when the slot is free */
    uint32_t exits;     /* 1 when at least one subject leaves at this time (0 for entries only) */
    csum w_event;       /* weighted events at time */
    csum w_censor;      /* weighted censorings at time */
    csum w_enter;       /* weighted entries at time (delayed entry) */
} slot;

struct pn_kmagg {
    slot *slots;
    size_t nslots;      /* power of two */
    size_t used;
    size_t *nrec;       /* rows per stratum code */
    size_t nrec_cap;
    double gap_entry;   /* the row with the shortest time from entry to exit (delayed entry), */
    double gap_time;    /* NaN when none: the one most likely to fall into one time class */
};

static uint64_t hash_key(double time, uint32_t group)
{
    uint64_t bits;
    memcpy(&bits, &time, sizeof bits);
    uint64_t k = bits ^ ((uint64_t)group * 0x9e3779b97f4a7c15ULL);
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static slot *empty_slots(size_t n)
{
    slot *s = pn_malloc(n * sizeof *s);
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
    slot *grown = empty_slots(ns);
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

/* The slot of (group, time), created empty when absent; NULL when out of memory. */
static slot *find(pn_kmagg *a, uint32_t group, double time)
{
    if (time == 0) time = 0; /* -0 and 0 are one time */
    size_t mask = a->nslots - 1, j = hash_key(time, group) & mask;
    for (;;) {
        slot *s = &a->slots[j];
        if (s->group == group && s->time == time) return s;
        if (s->group == PN__EMPTY) break;
        j = (j + 1) & mask;
    }
    if ((a->used + 1) * 4 > a->nslots * 3) {
        if (rehash(a) != PN_OK) return NULL;
        return find(a, group, time);
    }
    slot *s = &a->slots[j];
    s->group = group;
    s->time = time;
    s->exits = 0;
    s->w_event = s->w_censor = s->w_enter = (csum){0, 0};
    a->used++;
    return s;
}

static int count_record(pn_kmagg *a, uint32_t group, size_t n)
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

int pn_kmagg_add(pn_kmagg *a, uint32_t group, double entry, double time, int event, double weight)
{
    if (group == PN__EMPTY) return PN_EINVAL;
    slot *s = find(a, group, time);
    if (s == NULL) return PN_ENOMEM;
    s->exits = 1;
    csum_add(event ? &s->w_event : &s->w_censor, weight);
    if (!isnan(entry)) {
        slot *e = find(a, group, entry);
        if (e == NULL) return PN_ENOMEM;
        csum_add(&e->w_enter, weight);
        if (isnan(a->gap_time) || time - entry < a->gap_time - a->gap_entry) {
            a->gap_entry = entry;
            a->gap_time = time;
        }
    }
    return count_record(a, group, 1);
}

int pn_kmagg_merge(pn_kmagg *dst, const pn_kmagg *src)
{
    for (size_t i = 0; i < src->nslots; i++) {
        const slot *from = &src->slots[i];
        if (from->group == PN__EMPTY) continue;
        slot *to = find(dst, from->group, from->time);
        if (to == NULL) return PN_ENOMEM;
        to->exits |= from->exits;
        csum_merge(&to->w_event, from->w_event);
        csum_merge(&to->w_censor, from->w_censor);
        csum_merge(&to->w_enter, from->w_enter);
    }
    for (size_t g = 0; g < src->nrec_cap; g++)
        if (src->nrec[g] && count_record(dst, (uint32_t)g, src->nrec[g]) != PN_OK) return PN_ENOMEM;
    if (!isnan(src->gap_time) &&
        (isnan(dst->gap_time) || src->gap_time - src->gap_entry < dst->gap_time - dst->gap_entry)) {
        dst->gap_entry = src->gap_entry;
        dst->gap_time = src->gap_time;
    }
    return PN_OK;
}

static int cmp_slot(const void *pa, const void *pb)
{
    const slot *a = pa, *b = pb;
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
static int timefix(slot *keys, size_t nkeys, const pn_kmagg *a, double **cuts)
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
    slot *keys = pn_malloc((a->used ? a->used : 1) * sizeof *keys);
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
        slot s = a->slots[i];
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
    qsort(keys, nkeys, sizeof *keys, cmp_slot);
    if (cuts != NULL) { /* times made equal: add up the sums of each (stratum, time) */
        size_t m = 0;
        for (size_t i = 0; i < nkeys; i++) {
            if (m > 0 && keys[m - 1].group == keys[i].group && keys[m - 1].time == keys[i].time) {
                slot *to = &keys[m - 1];
                to->exits |= keys[i].exits;
                csum_merge(&to->w_event, keys[i].w_event);
                csum_merge(&to->w_censor, keys[i].w_censor);
                csum_merge(&to->w_enter, keys[i].w_enter);
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
                event[row] = csum_value(keys[i].w_event);
                censor[row] = csum_value(keys[i].w_censor);
                row++;
            }
            i++;
        }
        /* at risk at t_j: exits at or after t_j minus entries at or after t_j, compensated */
        csum atrisk = {0, 0};
        size_t r = row;
        for (size_t j = i; j-- > first;) {
            csum_merge(&atrisk, keys[j].w_event);
            csum_merge(&atrisk, keys[j].w_censor);
            csum_merge(&atrisk, (csum){-keys[j].w_enter.hi, -keys[j].w_enter.lo});
            if (keys[j].exits) risk[--r] = csum_value(atrisk);
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
