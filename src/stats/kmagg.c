/* kmagg.c - the survival aggregate: weighted sums of events, censorings and entries per
 * (stratum, time), built row by row in a hash table, then turned into per-stratum tables of
 * distinct exit times with the number at risk (a reverse cumulative sum). Everything a
 * Kaplan-Meier, Fleming-Harrington or actuarial estimate needs is in these sums, so the input
 * never has to be sorted or kept.
 *
 * Most data have no weights and integer times (days): while every row added has weight 1, a
 * stratum with enough rows counts its integer times in a dense array (two 32-bit counts per
 * time, indexed by the time) instead of the hash table, which costs an index instead of a
 * probe. Those counts and the hash slots then hold exact integers, so a time's count is the
 * same however its rows were shared between the two; the first row with another weight moves
 * the dense counts into the slots (exactly), and from then on only the slots are used. The
 * state is thus the same, sum for sum and bit for bit, as if every row had gone to the hash.
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
    a->unit = 1;
    a->gap_entry = a->gap_time = NAN;
    a->slots = empty_slots(a->nslots);
    if (a->slots == NULL) {
        pn_free(a);
        return PN_ENOMEM;
    }
    *out = a;
    return PN_OK;
}

/* Free the dense counts of every stratum (the aggregate keeps its slots). */
static void dense_free(pn_kmagg *a)
{
    for (size_t g = 0; g < a->dense_cap; g++) pn_free(a->dense[g].cnt);
    pn_free(a->dense);
    a->dense = NULL;
    a->dense_cap = 0;
}

void pn_kmagg_free(pn_kmagg *a)
{
    if (a == NULL) return;
    dense_free(a);
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
    return pn__count_rows(&a->nrec, &a->nrec_cap, group, n);
}

/* Add `events` and `censors` rows of weight 1 leaving at integer time t to the slot of
 * (group, t). PN_OK or PN_ENOMEM (the slot is then unchanged). */
static int slot_add_counts(pn_kmagg *a, uint32_t group, uint32_t t, double events,
                           double censors)
{
    pn__kmslot *s = pn__kmagg_find(a, group, (double)t);
    if (s == NULL) return PN_ENOMEM;
    s->exits = 1;
    pn__csum_merge(&s->w_event, (pn__csum){events, 0});
    pn__csum_merge(&s->w_censor, (pn__csum){censors, 0});
    return PN_OK;
}

/* Leave unit mode: every dense count into its slot (exact: both are integers), the dense
 * arrays freed. PN_OK or PN_ENOMEM (the counts not yet moved stay dense, the state is whole
 * and still in unit mode). */
static int leave_unit(pn_kmagg *a)
{
    for (size_t g = 0; g < a->dense_cap; g++) {
        pn__kmdense *d = &a->dense[g];
        for (uint32_t t = 0; t < d->len; t++) {
            uint32_t *c = d->cnt + 2 * (size_t)t;
            if ((c[0] | c[1]) == 0) continue;
            if (slot_add_counts(a, (uint32_t)g, t, c[0], c[1]) != PN_OK) return PN_ENOMEM;
            c[0] = c[1] = 0;
        }
    }
    dense_free(a);
    a->unit = 0;
    return PN_OK;
}

#define PN__DENSE_MIN 1024u        /* the smallest dense array: times 0..1023 */
#define PN__DENSE_MAX (1u << 24)   /* times at or beyond this are counted in the hash */

/* In unit mode, give stratum `group` a dense array holding integer time `time`, when the
 * array (8 bytes a time) stays within 16 bytes per row of the stratum. 1 when the time now has
 * a cell, 0 when it stays in the hash (or memory ran short: the hash is then used). */
static int dense_reach(pn_kmagg *a, uint32_t group, double time)
{
    if (!(time >= 0 && time < PN__DENSE_MAX) || time != floor(time) || group >= a->nrec_cap)
        return 0;
    uint32_t len = PN__DENSE_MIN;
    while (len <= (uint32_t)time) len *= 2;
    if ((size_t)len > 2 * (a->nrec[group] + 1)) return 0;
    if (group >= a->dense_cap) {
        size_t old = a->dense_cap;
        if (pn_grow((void **)&a->dense, &a->dense_cap, (size_t)group + 1, sizeof *a->dense) != PN_OK)
            return 0;
        memset(a->dense + old, 0, (a->dense_cap - old) * sizeof *a->dense);
    }
    pn__kmdense *d = &a->dense[group];
    uint32_t *grown = pn_reallocarray(d->cnt, 2 * (size_t)len, sizeof *grown);
    if (grown == NULL) return 0;
    memset(grown + 2 * (size_t)d->len, 0, 2 * (size_t)(len - d->len) * sizeof *grown);
    d->cnt = grown;
    d->len = len;
    return 1;
}

/* The dense count of (group, time) for an exit with or without event, or NULL when that time
 * has no cell or the count is full. */
static inline uint32_t *dense_cell(pn_kmagg *a, uint32_t group, double time, int event)
{
    if (group >= a->dense_cap) return NULL;
    pn__kmdense *d = &a->dense[group];
    if (!(time >= 0 && time < (double)d->len)) return NULL;
    uint32_t t = (uint32_t)time;
    if ((double)t != time) return NULL;
    uint32_t *c = d->cnt + 2 * (size_t)t + (event == 0);
    return *c < UINT32_MAX ? c : NULL;
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
    if (a->unit) {
        if (weight != 1) {
            if (leave_unit(a) != PN_OK) return PN_ENOMEM;
        } else if (isnan(entry)) {
            uint32_t *c = dense_cell(a, group, time, event);
            if (c == NULL && dense_reach(a, group, time)) c = dense_cell(a, group, time, event);
            if (c != NULL) {
                ++*c;
                a->nrec[group]++; /* the stratum has rows: group < nrec_cap */
                return PN_OK;
            }
        }
    }
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

/* Merge slot `from` into dst's slot of the same (stratum, time), the stratum recoded by `map`
 * when not NULL. PN_OK or PN_ENOMEM. */
static int merge_slot(pn_kmagg *dst, const pn__kmslot *from, const uint32_t *map)
{
    pn__kmslot *to = pn__kmagg_find(dst, map ? map[from->group] : from->group, from->time);
    if (to == NULL) return PN_ENOMEM;
    to->exits |= from->exits;
    pn__csum_merge(&to->w_event, from->w_event);
    pn__csum_merge(&to->w_censor, from->w_censor);
    pn__csum_merge(&to->w_enter, from->w_enter);
    return PN_OK;
}

/* Add dense counts of (group, t) to dst in unit mode: to its dense cell when it has room,
 * else to its slot. PN_OK or PN_ENOMEM. */
static int merge_counts(pn_kmagg *dst, uint32_t group, uint32_t t, uint32_t events,
                        uint32_t censors)
{
    if (group < dst->dense_cap && t < dst->dense[group].len) {
        uint32_t *c = dst->dense[group].cnt + 2 * (size_t)t;
        if (c[0] <= UINT32_MAX - events && c[1] <= UINT32_MAX - censors) {
            c[0] += events;
            c[1] += censors;
            return PN_OK;
        }
    }
    return slot_add_counts(dst, group, t, events, censors);
}

int pn_kmagg_merge_map(pn_kmagg *dst, const pn_kmagg *src, const uint32_t *map)
{
    if (!src->unit && dst->unit && leave_unit(dst) != PN_OK) return PN_ENOMEM;
    if (dst->unit || src->dense_cap == 0) {
        /* slot by slot; with dst in unit mode src is too, every sum is an exact integer and
         * src's dense counts merge apart from its slots */
        for (size_t i = 0; i < src->nslots; i++)
            if (src->slots[i].group != PN__EMPTY && merge_slot(dst, &src->slots[i], map) != PN_OK)
                return PN_ENOMEM;
        for (size_t g = 0; g < src->dense_cap; g++) {
            const pn__kmdense *d = &src->dense[g];
            for (uint32_t t = 0; t < d->len; t++) {
                const uint32_t *c = d->cnt + 2 * (size_t)t;
                if ((c[0] | c[1]) != 0 && merge_counts(dst, map ? map[g] : (uint32_t)g, t, c[0],
                                                       c[1]) != PN_OK)
                    return PN_ENOMEM;
            }
        }
    } else {
        /* dst holds other weights: each time of src as the one slot src stands for */
        pn__kmslot *keys;
        size_t n;
        if (pn__kmagg_sorted_slots(src, &keys, &n) != PN_OK) return PN_ENOMEM;
        for (size_t i = 0; i < n; i++)
            if (merge_slot(dst, &keys[i], map) != PN_OK) {
                pn_free(keys);
                return PN_ENOMEM;
            }
        pn_free(keys);
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

/* The slots of `a`, hash and dense together, as pn__kmagg_sorted_slots; in that order when
 * `sorted` (or when some counts are dense), else in the hash's order. */
static int collect_slots(const pn_kmagg *a, int sorted, pn__kmslot **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t ncells = 0, m = 0;
    for (size_t g = 0; g < a->dense_cap; g++)
        for (uint32_t t = 0; t < a->dense[g].len; t++)
            ncells += (a->dense[g].cnt[2 * (size_t)t] | a->dense[g].cnt[2 * (size_t)t + 1]) != 0;
    pn__kmslot *hash = pn_malloc((a->used ? a->used : 1) * sizeof *hash);
    if (hash == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < a->nslots; i++)
        if (a->slots[i].group != PN__EMPTY) hash[m++] = a->slots[i];
    if (m > 1 && (sorted || ncells > 0)) qsort(hash, m, sizeof *hash, pn__kmslot_cmp);
    if (ncells == 0) {
        *out = hash;
        *n = m;
        return PN_OK;
    }
    pn__kmslot *res = pn_malloc((m + ncells) * sizeof *res);
    if (res == NULL) {
        pn_free(hash);
        return PN_ENOMEM;
    }
    /* the dense cells come in order (stratum, then time): merge them with the sorted slots,
     * adding a cell and a slot of the same time up (exact integers) */
    size_t i = 0, r = 0;
    for (size_t g = 0; g < a->dense_cap; g++) {
        const pn__kmdense *d = &a->dense[g];
        for (uint32_t t = 0; t < d->len; t++) {
            const uint32_t *c = d->cnt + 2 * (size_t)t;
            if ((c[0] | c[1]) == 0) continue;
            pn__kmslot cell = {.time = (double)t, .group = (uint32_t)g, .exits = 1,
                               .w_event = {c[0], 0}, .w_censor = {c[1], 0}, .w_enter = {0, 0}};
            int cmp = -1;
            while (i < m && (cmp = pn__kmslot_cmp(&hash[i], &cell)) < 0) res[r++] = hash[i++];
            if (i < m && cmp == 0) {
                pn__kmslot s = hash[i++];
                s.exits = 1;
                pn__csum_merge(&s.w_event, cell.w_event);
                pn__csum_merge(&s.w_censor, cell.w_censor);
                res[r++] = s;
            } else {
                res[r++] = cell;
            }
        }
    }
    while (i < m) res[r++] = hash[i++];
    pn_free(hash);
    *out = res;
    *n = r;
    return PN_OK;
}

int pn__kmagg_sorted_slots(const pn_kmagg *a, pn__kmslot **out, size_t *n)
{
    return collect_slots(a, 1, out, n);
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
    pn__kmslot *keys = NULL;
    double *cuts = NULL;
    size_t nkeys = 0, nexits = 0;
    pn_kmtables *t = pn_calloc(1, sizeof *t);
    if (t == NULL || collect_slots(a, 0, &keys, &nkeys) != PN_OK) goto fail;
    t->ngroups = ngroups;
    t->tab = pn_calloc(ngroups ? ngroups : 1, sizeof *t->tab);
    t->nrec = pn_calloc(ngroups ? ngroups : 1, sizeof *t->nrec);
    if (t->tab == NULL || t->nrec == NULL) goto fail;
    for (size_t i = 0; i < nkeys; i++) {
        if (recode != NULL) keys[i].group = recode[keys[i].group];
        if (keys[i].group >= ngroups) {
            rc = PN_EINVAL;
            goto fail;
        }
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
