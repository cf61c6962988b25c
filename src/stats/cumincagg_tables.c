/* cumincagg_tables.c - the final of the competing-risks aggregate: per stratum, the distinct exit
 * times with the number at risk (entered before, not yet left: a reverse cumulative sum of exits
 * minus entries), the events of each type and the censorings, weighted and unweighted, and the
 * exits grouped by entry cohort that the infinitesimal-jackknife variance walks (cuminc.c).
 * Times that differ by rounding only are first made equal as R's survfit does (timefix.h).
 */
#include "pronostic/cuminc.h"
#include "pronostic/alloc.h"
#include "pronostic/timefix.h"
#include "cuminc_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pn_cuminctables_free(pn_cuminctables *t)
{
    if (t == NULL) return;
    pn_free(t->tab);
    pn_free(t->store);
    pn_free(t->cnt);
    pn_free(t->cnt_off);
    pn_free(t->exits);
    pn_free(t->exit_off);
    pn_free(t);
}

size_t pn_cuminctables_ngroups(const pn_cuminctables *t) { return t->ngroups; }

const pn_cuminctable *pn_cuminctables_table(const pn_cuminctables *t, size_t g)
{
    return &t->tab[g];
}

/* Times that differ by rounding only made equal over every exit and entry time of all strata.
 * PN_ERANGE when a row's entry and exit fall into one class. */
static int timefix(pn__cislot *keys, size_t n)
{
    if (n == 0) return PN_OK;
    double *v = pn_malloc(2 * n * sizeof *v);
    if (v == NULL) return PN_ENOMEM;
    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        v[nv++] = keys[i].time;
        if (keys[i].entry != PN__NO_ENTRY) v[nv++] = keys[i].entry;
    }
    int merged;
    size_t ncut = pn_timefix_cuts(v, nv, &merged);
    int rc = PN_OK;
    if (merged) {
        for (size_t i = 0; i < n && rc == PN_OK; i++) {
            keys[i].time = pn_timefix_map(v, ncut, keys[i].time);
            if (keys[i].entry != PN__NO_ENTRY) {
                keys[i].entry = pn_timefix_map(v, ncut, keys[i].entry);
                if (keys[i].entry == keys[i].time) rc = PN_ERANGE;
            }
        }
    }
    pn_free(v);
    return rc;
}

/* Keys made equal by the recode or the timefix added up (keys sorted). Returns the new count. */
static size_t combine(pn__cislot *keys, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && pn__cislot_cmp(&keys[m - 1], &keys[i]) == 0) {
            pn__csum_merge(&keys[m - 1].w, keys[i].w);
            pn__csum_merge(&keys[m - 1].w2, keys[i].w2);
            keys[m - 1].n += keys[i].n;
        } else {
            keys[m++] = keys[i];
        }
    }
    return m;
}

static int cmp_entry(const void *pa, const void *pb)
{
    const pn__cislot *a = pa, *b = pb;
    return (a->entry > b->entry) - (a->entry < b->entry);
}

/* The first index of `time` (k increasing) greater than x. */
static size_t first_after(const double *time, size_t k, double x)
{
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time[mid] <= x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Fill the arrays of one stratum from its keys [first, last) (sorted by time); `ent` is room
 * for last - first keys. */
static void fill_stratum(pn_cuminctables *t, size_t g, const pn__cislot *keys, size_t first,
                         size_t last, pn__cislot *ent, double *time, double *risk, double *event,
                         double *censor, double *cnt, pn__ciexit *exits, size_t *nexit)
{
    size_t m = t->m, k = 0;
    for (size_t i = first; i < last; i++)
        if (i == first || keys[i].time != keys[i - 1].time) time[k++] = keys[i].time;
    double *crisk = cnt, *cevent = cnt + k, *ccensor = cevent + k * m;
    memset(event, 0, k * m * sizeof *event);
    memset(cevent, 0, k * m * sizeof *cevent);
    for (size_t j = 0; j < k; j++) censor[j] = ccensor[j] = 0;
    /* the counts at each time, and the entries of the stratum sorted by entry time */
    size_t j = 0, nent = 0;
    for (size_t i = first; i < last; i++) {
        while (time[j] != keys[i].time) j++;
        if (keys[i].state == 0) {
            censor[j] += pn__csum_value(keys[i].w);
            ccensor[j] += (double)keys[i].n;
        } else {
            event[j * m + keys[i].state - 1] += pn__csum_value(keys[i].w);
            cevent[j * m + keys[i].state - 1] += (double)keys[i].n;
        }
        if (keys[i].entry != PN__NO_ENTRY) ent[nent++] = keys[i];
        uint32_t cohort = keys[i].entry == PN__NO_ENTRY
                              ? 0 : (uint32_t)first_after(time, k, keys[i].entry);
        exits[(*nexit)++] = (pn__ciexit){(uint32_t)j, cohort, keys[i].state,
                                         pn__csum_value(keys[i].w2), keys[i].n};
    }
    qsort(ent, nent, sizeof *ent, cmp_entry);
    /* at risk at time[j]: exits at or after it minus entries at or after it, compensated */
    pn__csum w = {0, 0}, c = {0, 0};
    size_t i = last, e = nent;
    for (size_t jj = k; jj-- > 0;) {
        while (i > first && keys[i - 1].time >= time[jj]) {
            i--;
            pn__csum_merge(&w, keys[i].w);
            pn__csum_add(&c, (double)keys[i].n);
        }
        while (e > 0 && ent[e - 1].entry >= time[jj]) {
            e--;
            pn__csum_merge(&w, (pn__csum){-ent[e].w.hi, -ent[e].w.lo});
            pn__csum_add(&c, -(double)ent[e].n);
        }
        risk[jj] = pn__csum_value(w);
        crisk[jj] = pn__csum_value(c);
    }
    pn_cuminctable *tab = &t->tab[g];
    tab->k = k;
    tab->m = m;
    tab->time = time;
    tab->n_risk = risk;
    tab->n_event = event;
    tab->n_censor = censor;
}

static int cmp_exit(const void *pa, const void *pb)
{
    const pn__ciexit *a = pa, *b = pb;
    if (a->exit != b->exit) return a->exit < b->exit ? -1 : 1;
    if (a->cohort != b->cohort) return a->cohort < b->cohort ? -1 : 1;
    return (a->state > b->state) - (a->state < b->state);
}

int pn_cumincagg_tables(const pn_cumincagg *a, size_t ngroups, const uint32_t *recode, int flags,
                        pn_cuminctables **out)
{
    *out = NULL;
    int rc = PN_ENOMEM;
    pn__cislot *keys = NULL, *ent = NULL;
    size_t n = 0, m = (size_t)a->m;
    pn_cuminctables *t = pn_calloc(1, sizeof *t);
    if (t == NULL || pn__cumincagg_sorted(a, &keys, &n) != PN_OK) goto fail;
    t->ngroups = ngroups;
    t->m = m;
    t->tab = pn_calloc(ngroups ? ngroups : 1, sizeof *t->tab);
    t->cnt_off = pn_calloc(ngroups ? ngroups : 1, sizeof *t->cnt_off);
    t->exit_off = pn_calloc(ngroups + 1, sizeof *t->exit_off);
    if (t->tab == NULL || t->cnt_off == NULL || t->exit_off == NULL) goto fail;
    for (size_t g = 0; g < ngroups; g++) t->tab[g].m = m;
    for (size_t i = 0; i < n; i++) {
        if (recode != NULL) keys[i].group = recode[keys[i].group];
        if (keys[i].group >= ngroups) {
            rc = PN_EINVAL;
            goto fail;
        }
        if (keys[i].entry != PN__NO_ENTRY) t->any_entry = 1;
        if (pn__csum_value(keys[i].w) != (double)keys[i].n ||
            pn__csum_value(keys[i].w2) != (double)keys[i].n)
            t->nonunit = 1;
    }
    for (size_t g = 0; g < a->nrec_cap; g++) {
        if (a->nrec[g] == 0) continue;
        size_t to = recode != NULL ? recode[g] : g;
        if (to >= ngroups) {
            rc = PN_EINVAL;
            goto fail;
        }
        t->tab[to].n_records += a->nrec[g];
    }
    if ((flags & PN_CUMINC_TIMEFIX) && (rc = timefix(keys, n)) != PN_OK) goto fail;
    rc = PN_ENOMEM;
    qsort(keys, n, sizeof *keys, pn__cislot_cmp);
    n = combine(keys, n);
    /* distinct times of all strata: at most n */
    size_t nt = 0;
    for (size_t i = 0; i < n; i++)
        nt += i == 0 || keys[i].group != keys[i - 1].group || keys[i].time != keys[i - 1].time;
    t->store = pn_malloc(((nt ? nt : 1) * (3 + m)) * sizeof *t->store);
    t->cnt = pn_malloc(((nt ? nt : 1) * (2 + m)) * sizeof *t->cnt);
    t->exits = pn_malloc((n ? n : 1) * sizeof *t->exits);
    ent = pn_malloc((n ? n : 1) * sizeof *ent);
    if (t->store == NULL || t->cnt == NULL || t->exits == NULL || ent == NULL) goto fail;
    double *time = t->store, *risk = time + nt, *censor = risk + nt, *event = censor + nt;
    size_t off = 0, nexit = 0;
    for (size_t i = 0, g = 0; g < ngroups; g++) {
        size_t first = i;
        while (i < n && keys[i].group == g) i++;
        t->exit_off[g] = nexit;
        t->cnt_off[g] = off * (2 + m);
        fill_stratum(t, g, keys, first, i, ent, time + off, risk + off, event + off * m,
                     censor + off, t->cnt + off * (2 + m), t->exits, &nexit);
        qsort(t->exits + t->exit_off[g], nexit - t->exit_off[g], sizeof *t->exits, cmp_exit);
        off += t->tab[g].k;
    }
    t->exit_off[ngroups] = nexit;
    pn_free(ent);
    pn_free(keys);
    *out = t;
    return PN_OK;
fail:
    pn_free(ent);
    pn_free(keys);
    pn_cuminctables_free(t);
    return rc;
}
