/* dtable_internal.h - the layout of a table of linked counts (disclosure.h), shared by its
 * files: the cells and relations (dtable.c), the secondary heuristic (dtable_secondary.c) and
 * the LP audit (dtable_audit.c). */
#ifndef PRONOSTIC_DTABLE_INTERNAL_H
#define PRONOSTIC_DTABLE_INTERNAL_H

#include "pronostic/disclosure.h"

#include <stddef.h>

struct pn_dtable {
    size_t ncells, cellcap;
    long long *count;
    unsigned char *status;    /* PN_DCELL_* */
    unsigned char *forced;    /* 1: masked by the caller (pn_dtable_mask) */
    double *lo, *hi;          /* the last audit's intervals (NULL before) */
    unsigned char *was_exact; /* 1 where the last audit solved the interval exactly */
    /* the last audit's binding relations of each failing cell c (those whose published cells
     * fix its narrow interval, by the duals): bind[bind_first[c] .. + bind_n[c] - 1] */
    size_t *bind_first, *bind_n;
    size_t *bind, nbind, bindcap;
    /* relations: relation r's total is rel_total[r], its parts parts[rel_start[r] ..
     * rel_start[r + 1] - 1] */
    size_t nrel, relcap;
    size_t *rel_total;
    size_t *rel_start;        /* nrel + 1 entries once a relation exists */
    size_t nparts, partcap;
    size_t *parts;
    /* the relations of each cell (as total or part): inc[inc_start[c] .. inc_start[c+1]-1],
     * built at protection (pn__dtable_index) */
    size_t *inc_start, *inc;
    size_t *level;            /* 0 for a cell that is no relation's total, else 1 + its parts' */
    int indexed;
    int exact;
    int audited;
    pn_daudit audit;
};

/* Build the cell-to-relation index and the levels, and check that every relation adds up.
 * PN_OK, PN_EINVAL, PN_ENOMEM. */
int pn__dtable_index(pn_dtable *t, pn_diag *diag);

/* 1 when masked. */
static inline int pn__dtable_masked(const pn_dtable *t, size_t c)
{
    return t->status[c] != PN_DCELL_PUBLISHED;
}

/* The secondary heuristic to a fixed point (dtable_secondary.c); *added counts the cells it
 * masked. PN_OK, PN_ERANGE (a cell that no candidate can protect), PN_ENOMEM. */
int pn__dtable_secondary(pn_dtable *t, long long k, size_t *added, pn_diag *diag);
/* The best cell to mask next among the published non-zero cells of relation r (the lowest
 * level, then the smallest count, then the lowest index), or (size_t)-1 when there is none. */
size_t pn__dtable_candidate(const pn_dtable *t, size_t r);
/* 1 when cell x is a better candidate than best ((size_t)-1: none yet): the lowest level,
 * then the smallest count, then the lowest index. */
int pn__dtable_better(const pn_dtable *t, size_t x, size_t best);

/* The LP audit of the current pattern (dtable_audit.c): fills t->lo, t->hi and t->audit's
 * counts, min_width and passed; failing[] (ncells entries, may be NULL) set to 1 for each
 * masked cell whose interval is narrower than k, with its binding relations in t->bind (the
 * relations whose duals are non-zero in either of its two programmes). With fresh[] (may be NULL: audit every group),
 * the cells masked since the previous audit of the same table at the same k: a group of masked
 * cells holding none of them is the same group under the same constraints as then, and keeps
 * its intervals. PN_OK, PN_EINTERNAL, PN_ENOMEM. */
int pn__dtable_lp_audit(pn_dtable *t, long long k, unsigned char *failing,
                        const unsigned char *fresh, pn_diag *diag);

#endif
