/* dtable.c - a table of linked counts (disclosure.h): its cells and additive relations, the
 * primary rule, and protection as primary suppression, the secondary heuristic
 * (dtable_secondary.c) and the LP audit (dtable_audit.c), with repairs guided by the audit's
 * binding relations (and, as a last resort, the whole table masked) until the audit passes. */
#include "pronostic/disclosure.h"
#include "pronostic/alloc.h"
#include "dtable_internal.h"

#include <math.h>
#include <string.h>

int pn_dtable_new(pn_dtable **out)
{
    *out = pn_calloc(1, sizeof **out);
    return *out ? PN_OK : PN_ENOMEM;
}

/* Drop what protection built (the index, levels and intervals). */
static void drop_index(pn_dtable *t)
{
    pn_free(t->inc_start);
    pn_free(t->inc);
    pn_free(t->level);
    t->inc_start = t->inc = t->level = NULL;
    t->indexed = 0;
}

void pn_dtable_free(pn_dtable *t)
{
    if (t == NULL) return;
    drop_index(t);
    pn_free(t->lo);
    pn_free(t->hi);
    pn_free(t->was_exact);
    pn_free(t->bind_first);
    pn_free(t->bind_n);
    pn_free(t->bind);
    pn_free(t->count);
    pn_free(t->status);
    pn_free(t->forced);
    pn_free(t->rel_total);
    pn_free(t->rel_start);
    pn_free(t->parts);
    pn_free(t);
}

int pn_dtable_cell(pn_dtable *t, long long count, size_t *index)
{
    if (count < 0) return PN_EINVAL;
    if (t->ncells == t->cellcap) {
        size_t cap = t->cellcap ? 2 * t->cellcap : 64;
        long long *c = pn_reallocarray(t->count, cap, sizeof *c);
        if (c == NULL) return PN_ENOMEM;
        t->count = c;
        unsigned char *s = pn_reallocarray(t->status, cap, 1);
        if (s == NULL) return PN_ENOMEM;
        t->status = s;
        unsigned char *f = pn_reallocarray(t->forced, cap, 1);
        if (f == NULL) return PN_ENOMEM;
        t->forced = f;
        t->cellcap = cap;
    }
    t->count[t->ncells] = count;
    t->status[t->ncells] = PN_DCELL_PUBLISHED;
    t->forced[t->ncells] = 0;
    if (index) *index = t->ncells;
    t->ncells++;
    drop_index(t);
    t->audited = 0;
    return PN_OK;
}

int pn_dtable_relation(pn_dtable *t, size_t total, const size_t *parts, size_t nparts)
{
    if (total >= t->ncells || nparts == 0) return PN_EINVAL;
    for (size_t i = 0; i < nparts; i++)
        if (parts[i] >= t->ncells || parts[i] == total) return PN_EINVAL;
    if (pn_grow((void **)&t->rel_total, &t->relcap, t->nrel + 1, sizeof *t->rel_total) != PN_OK)
        return PN_ENOMEM;
    size_t *st = pn_reallocarray(t->rel_start, t->relcap + 1, sizeof *st);
    if (st == NULL) return PN_ENOMEM;
    t->rel_start = st;
    if (pn_grow((void **)&t->parts, &t->partcap, t->nparts + nparts, sizeof *t->parts) != PN_OK)
        return PN_ENOMEM;
    memcpy(t->parts + t->nparts, parts, nparts * sizeof *parts);
    t->rel_start[t->nrel] = t->nparts;
    t->rel_total[t->nrel] = total;
    t->nparts += nparts;
    t->nrel++;
    t->rel_start[t->nrel] = t->nparts;
    drop_index(t);
    t->audited = 0;
    return PN_OK;
}

int pn_dtable_mask(pn_dtable *t, size_t cell)
{
    if (cell >= t->ncells) return PN_EINVAL;
    t->forced[cell] = 1;
    if (t->status[cell] == PN_DCELL_PUBLISHED) t->status[cell] = PN_DCELL_SECONDARY;
    return PN_OK;
}

void pn_dtable_set_exact(pn_dtable *t, int exact) { t->exact = exact != 0; }

int pn__dtable_index(pn_dtable *t, pn_diag *diag)
{
    if (t->indexed) return PN_OK;
    size_t n = t->ncells;
    for (size_t r = 0; r < t->nrel; r++) {
        long long sum = 0;
        for (size_t p = t->rel_start[r]; p < t->rel_start[r + 1]; p++) sum += t->count[t->parts[p]];
        if (sum != t->count[t->rel_total[r]])
            return pn_diag_set(diag, PN_EINVAL, "disclosure: relation %zu: cell %zu holds %lld but "
                               "its parts add up to %lld", r, t->rel_total[r],
                               t->count[t->rel_total[r]], sum);
    }
    t->inc_start = pn_calloc(n + 1, sizeof *t->inc_start);
    t->inc = pn_malloc((t->nparts + t->nrel + 1) * sizeof *t->inc);
    t->level = pn_calloc(n ? n : 1, sizeof *t->level);
    if (t->inc_start == NULL || t->inc == NULL || t->level == NULL) {
        drop_index(t);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    /* counting sort of (cell, relation) pairs, relations in increasing order per cell */
    for (size_t r = 0; r < t->nrel; r++) {
        t->inc_start[t->rel_total[r] + 1]++;
        for (size_t p = t->rel_start[r]; p < t->rel_start[r + 1]; p++) t->inc_start[t->parts[p] + 1]++;
    }
    for (size_t c = 0; c < n; c++) t->inc_start[c + 1] += t->inc_start[c];
    size_t *fill = pn_malloc((n ? n : 1) * sizeof *fill);
    if (fill == NULL) {
        drop_index(t);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    memcpy(fill, t->inc_start, n * sizeof *fill);
    for (size_t r = 0; r < t->nrel; r++) {
        size_t tot = t->rel_total[r];
        /* a relation listing a cell twice is indexed twice; harmless */
        t->inc[fill[tot]++] = r;
        for (size_t p = t->rel_start[r]; p < t->rel_start[r + 1]; p++) t->inc[fill[t->parts[p]]++] = r;
    }
    pn_free(fill);
    /* levels by relaxation; a cycle of relations stops after n passes */
    for (size_t pass = 0; pass <= n; pass++) {
        int changed = 0;
        for (size_t r = 0; r < t->nrel; r++) {
            size_t l = 0;
            for (size_t p = t->rel_start[r]; p < t->rel_start[r + 1]; p++)
                if (t->level[t->parts[p]] > l) l = t->level[t->parts[p]];
            if (l + 1 > t->level[t->rel_total[r]] && l + 1 <= n) {
                t->level[t->rel_total[r]] = l + 1;
                changed = 1;
            }
        }
        if (!changed) break;
    }
    t->indexed = 1;
    return PN_OK;
}

/* Audits after which a table still failing is masked whole (mask_everything). */
#define PN__DTABLE_MAX_ROUNDS 24

/* Start afresh: the caller's masks, then the primary rule. */
static void apply_primary(pn_dtable *t, long long k, pn_daudit *a)
{
    memset(a, 0, sizeof *a);
    a->ncells = t->ncells;
    a->k = k;
    for (size_t c = 0; c < t->ncells; c++) {
        if (t->count[c] >= 1 && t->count[c] < k) t->status[c] = PN_DCELL_PRIMARY;
        else t->status[c] = t->forced[c] ? PN_DCELL_SECONDARY : PN_DCELL_PUBLISHED;
    }
}

static void count_statuses(pn_dtable *t)
{
    t->audit.nprimary = t->audit.nsecondary = 0;
    for (size_t c = 0; c < t->ncells; c++) {
        if (t->status[c] == PN_DCELL_PRIMARY) t->audit.nprimary++;
        else if (t->status[c] == PN_DCELL_SECONDARY) t->audit.nsecondary++;
    }
}

int pn_dtable_audit(pn_dtable *t, long long k, pn_daudit *audit, pn_diag *diag)
{
    if (k < 1) return pn_diag_set(diag, PN_EINVAL, "disclosure: minimum cell count %lld < 1", k);
    int rc = pn__dtable_index(t, diag);
    if (rc != PN_OK) return rc;
    apply_primary(t, k, &t->audit);
    count_statuses(t);
    t->audit.nrounds = 1;
    if ((rc = pn__dtable_lp_audit(t, k, NULL, NULL, diag)) != PN_OK) return rc;
    t->audited = 1;
    if (audit) *audit = t->audit;
    return PN_OK;
}

/* The best candidate among the relations of cell c (or (size_t)-1). */
static size_t candidate_of_cell(const pn_dtable *t, size_t c)
{
    size_t best = (size_t)-1;
    for (size_t i = t->inc_start[c]; i < t->inc_start[c + 1]; i++) {
        size_t x = pn__dtable_candidate(t, t->inc[i]);
        if (x != (size_t)-1 && pn__dtable_better(t, x, best)) best = x;
    }
    return best;
}

/* Mask cell x as secondary when published (and, when zero_ok is 0, non-zero); 1 when masked. */
static int mask_more(pn_dtable *t, size_t x, int zero_ok)
{
    if (pn__dtable_masked(t, x) || (t->count[x] == 0 && !zero_ok)) return 0;
    t->status[x] = PN_DCELL_SECONDARY;
    return 1;
}

/* The best candidate (pn__dtable_better) of the relations binding failing cell c's interval in
 * the last audit, or (size_t)-1. */
static size_t binding_candidate(const pn_dtable *t, size_t c)
{
    size_t best = (size_t)-1;
    for (size_t i = 0; i < t->bind_n[c]; i++) {
        size_t x = pn__dtable_candidate(t, t->bind[t->bind_first[c] + i]);
        if (x != (size_t)-1 && pn__dtable_better(t, x, best)) best = x;
    }
    return best;
}

/* 1 when a relation binding failing cell c (else one of its own relations) got a cell masked
 * this round: its bound may have moved, and c is left for the next audit. */
static int helped(const pn_dtable *t, size_t c, const unsigned char *touched)
{
    for (size_t i = 0; i < t->bind_n[c]; i++)
        if (touched[t->bind[t->bind_first[c] + i]]) return 1;
    if (t->bind_n[c] > 0) return 0;
    for (size_t i = t->inc_start[c]; i < t->inc_start[c + 1]; i++)
        if (touched[t->inc[i]]) return 1;
    return 0;
}

/* Mask x (published, non-zero) and mark its relations touched; 1 when masked. */
static size_t mask_touch(pn_dtable *t, size_t x, unsigned char *touched)
{
    if (x == (size_t)-1 || !mask_more(t, x, 0)) return 0;
    for (size_t i = t->inc_start[x]; i < t->inc_start[x + 1]; i++) touched[t->inc[i]] = 1;
    return 1;
}

/* Mask every published non-zero cell of relation r. */
static size_t mask_relation(pn_dtable *t, size_t r, unsigned char *touched)
{
    size_t added = mask_touch(t, t->rel_total[r], touched);
    for (size_t p = t->rel_start[r]; p < t->rel_start[r + 1]; p++)
        added += mask_touch(t, t->parts[p], touched);
    return added;
}

/* One round of repairs after a failed audit. Each failing cell not yet helped this round gets
 * the best candidate of the relations that bind its interval (the audit's duals: masking one of
 * their published cells changes the bound), else its best linked candidate (from its
 * relations, then from those of the cells linked to it). A cell repaired PN__DTABLE_ESCALATE
 * times already gets the best candidate of each binding relation, and twice as often every
 * published non-zero cell of them (or, with nothing else to mask, of its own relations).
 * Returns the number of cells masked (0: nothing is left to mask near the failing cells). */
#define PN__DTABLE_ESCALATE 3
static size_t repair(pn_dtable *t, const unsigned char *failing, size_t *nfail,
                     unsigned char *touched)
{
    size_t added = 0;
    memset(touched, 0, t->nrel ? t->nrel : 1);
    for (size_t c = 0; c < t->ncells; c++) {
        if (!failing[c] || helped(t, c, touched)) continue;
        size_t level = nfail[c]++ / PN__DTABLE_ESCALATE, before = added;
        const size_t *bind = t->bind + (t->bind_n[c] ? t->bind_first[c] : 0);
        if (level == 0) {
            size_t x = binding_candidate(t, c);
            if (x == (size_t)-1) x = candidate_of_cell(t, c);
            /* two steps away: the candidates of the cells linked to c */
            for (size_t i = t->inc_start[c]; i < t->inc_start[c + 1] && x == (size_t)-1; i++) {
                size_t r = t->inc[i];
                x = candidate_of_cell(t, t->rel_total[r]);
                for (size_t p = t->rel_start[r]; p < t->rel_start[r + 1] && x == (size_t)-1; p++)
                    x = candidate_of_cell(t, t->parts[p]);
            }
            added += mask_touch(t, x, touched);
        } else if (level == 1) {
            for (size_t i = 0; i < t->bind_n[c]; i++)
                added += mask_touch(t, pn__dtable_candidate(t, bind[i]), touched);
        }
        for (size_t i = 0; added == before && i < t->bind_n[c]; i++)
            added += mask_relation(t, bind[i], touched);
        for (size_t i = t->inc_start[c]; added == before && i < t->inc_start[c + 1]; i++)
            added += mask_relation(t, t->inc[i], touched);
    }
    return added;
}

/* The last resort: mask every non-zero cell (stage 1), then every cell (stage 2). Every
 * relation then has a zero right-hand side, and each masked non-zero cell lies anywhere in
 * [0, +inf) (dtable_audit.c). */
static size_t mask_everything(pn_dtable *t, int stage)
{
    size_t added = 0;
    for (size_t c = 0; c < t->ncells; c++) added += (size_t)mask_more(t, c, stage >= 2);
    return added;
}

int pn_dtable_protect(pn_dtable *t, long long k, pn_daudit *audit, pn_diag *diag)
{
    if (k < 1) return pn_diag_set(diag, PN_EINVAL, "disclosure: minimum cell count %lld < 1", k);
    int rc = pn__dtable_index(t, diag);
    if (rc != PN_OK) return rc;
    t->audited = 0;
    apply_primary(t, k, &t->audit);
    size_t n1 = t->ncells ? t->ncells : 1;
    unsigned char *failing = pn_calloc(n1, 1);
    unsigned char *touched = pn_calloc(t->nrel ? t->nrel : 1, 1);
    unsigned char *before = pn_malloc(n1);
    unsigned char *fresh = pn_calloc(n1, 1);
    size_t *nfail = pn_calloc(n1, sizeof *nfail);
    if (failing == NULL || touched == NULL || before == NULL || fresh == NULL || nfail == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    size_t added = 0, nadded = 0, nlp = 0, rounds = 0;
    int stage = 0; /* 1, 2: mask_everything's stages */
    for (;;) {
        if ((rc = pn__dtable_secondary(t, k, &added, diag)) != PN_OK) goto done;
        /* the cells masked since the last audit (the first audit sees every group) */
        for (size_t c = 0; rounds > 0 && c < t->ncells; c++)
            fresh[c] = pn__dtable_masked(t, c) && !before[c];
        for (size_t c = 0; c < t->ncells; c++) before[c] = (unsigned char)pn__dtable_masked(t, c);
        memset(failing, 0, t->ncells);
        if ((rc = pn__dtable_lp_audit(t, k, failing, rounds > 0 ? fresh : NULL, diag)) != PN_OK)
            goto done;
        nlp += t->audit.nlp;
        rounds++;
        if (t->audit.passed) break;
        size_t more = 0;
        if (stage == 0 && rounds < PN__DTABLE_MAX_ROUNDS) more = repair(t, failing, nfail, touched);
        while (more == 0 && stage < 2) more = mask_everything(t, ++stage);
        if (more == 0) {
            size_t c = 0;
            while (c < t->ncells && !failing[c]) c++;
            rc = pn_diag_set(diag, PN_ERANGE, "disclosure: cell %zu (count %lld) cannot be "
                             "protected: its interval [%g, %g] is narrower than %lld with every "
                             "cell of the table masked", c, c < t->ncells ? t->count[c] : 0,
                             c < t->ncells ? t->lo[c] : 0, c < t->ncells ? t->hi[c] : 0, k);
            goto done;
        }
        nadded += more;
    }
    t->audit.nlp = nlp;
    t->audit.nadded = nadded;
    t->audit.nrounds = rounds;
    count_statuses(t);
    t->audited = 1;
    if (audit) *audit = t->audit;
    rc = PN_OK;
done:
    pn_free(nfail);
    pn_free(fresh);
    pn_free(before);
    pn_free(touched);
    pn_free(failing);
    return rc;
}

const pn_daudit *pn_dtable_get_audit(const pn_dtable *t) { return t->audited ? &t->audit : NULL; }

size_t pn_dtable_ncells(const pn_dtable *t) { return t->ncells; }

long long pn_dtable_count(const pn_dtable *t, size_t cell)
{
    return cell < t->ncells ? t->count[cell] : -1;
}

int pn_dtable_status(const pn_dtable *t, size_t cell)
{
    return cell < t->ncells ? t->status[cell] : -1;
}

int pn_dtable_interval(const pn_dtable *t, size_t cell, double *lo, double *hi)
{
    if (cell >= t->ncells || !t->audited || t->lo == NULL) return PN_EINVAL;
    *lo = t->lo[cell];
    *hi = t->hi[cell];
    return PN_OK;
}

int pn_dtable_sum_publishable(const pn_dtable *t, const size_t *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i] >= t->ncells || t->status[cells[i]] != PN_DCELL_PUBLISHED) return 0;
    return 1;
}

int pn_disclosure_derived(int numerator_status, int denominator_status, long long group_n,
                          long long k)
{
    if ((group_n >= 1 && group_n < k) || numerator_status == PN_DCELL_PRIMARY ||
        denominator_status == PN_DCELL_PRIMARY)
        return PN_DCELL_PRIMARY;
    if (numerator_status == PN_DCELL_SECONDARY || denominator_status == PN_DCELL_SECONDARY)
        return PN_DCELL_SECONDARY;
    return PN_DCELL_PUBLISHED;
}

const char *pn_disclosure_status_name(int status)
{
    return status == PN_DCELL_PRIMARY ? "primary" : status == PN_DCELL_SECONDARY ? "secondary" : "";
}
