/* dtable_secondary.c - the secondary suppression heuristic of a table of linked counts
 * (docs/methods.md, "Disclosure control"): relation by relation, in order, to a fixed point,
 *   - a relation with exactly one masked cell would give it away (total minus the other parts,
 *     or the sum of the parts): mask one more of its cells;
 *   - a relation whose masked cells are all parts (its total published) and add up to less
 *     than k bounds each of them within less than k: mask one more part (or the total).
 * The cell masked is the relation's best candidate: among its published cells with a non-zero
 * count, the lowest level (a cell that is no total before a margin), then the smallest count,
 * then the lowest index. Zero cells are never chosen. Deterministic: the same table gives the
 * same pattern. The LP audit (dtable_audit.c) then checks the pattern. */
#include "pronostic/disclosure.h"
#include "dtable_internal.h"

int pn__dtable_better(const pn_dtable *t, size_t x, size_t best)
{
    if (best == (size_t)-1) return 1;
    return t->level[x] < t->level[best] ||
           (t->level[x] == t->level[best] &&
            (t->count[x] < t->count[best] || (t->count[x] == t->count[best] && x < best)));
}

size_t pn__dtable_candidate(const pn_dtable *t, size_t r)
{
    size_t best = (size_t)-1;
    size_t tot = t->rel_total[r];
    for (size_t p = t->rel_start[r]; p <= t->rel_start[r + 1]; p++) {
        size_t x = p < t->rel_start[r + 1] ? t->parts[p] : tot;
        if (pn__dtable_masked(t, x) || t->count[x] == 0) continue;
        if (pn__dtable_better(t, x, best)) best = x;
    }
    return best;
}

/* 1 when relation r exposes a masked cell as the heuristic sees it. */
static int exposes(const pn_dtable *t, size_t r, long long k)
{
    size_t nmasked = 0;
    long long sum = 0;
    int total_masked = pn__dtable_masked(t, t->rel_total[r]);
    if (total_masked) nmasked++;
    for (size_t p = t->rel_start[r]; p < t->rel_start[r + 1]; p++)
        if (pn__dtable_masked(t, t->parts[p])) {
            nmasked++;
            sum += t->count[t->parts[p]];
        }
    if (nmasked == 0) return 0;
    if (nmasked == 1) return 1;
    return !total_masked && sum < k;
}

int pn__dtable_secondary(pn_dtable *t, long long k, size_t *added, pn_diag *diag)
{
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t r = 0; r < t->nrel; r++) {
            while (exposes(t, r, k)) {
                size_t x = pn__dtable_candidate(t, r);
                if (x == (size_t)-1) break; /* nothing left to mask here: the audit decides */
                t->status[x] = PN_DCELL_SECONDARY;
                (*added)++;
                changed = 1;
            }
        }
    }
    (void)diag;
    return PN_OK;
}
