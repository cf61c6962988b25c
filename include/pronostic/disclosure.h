/* disclosure.h - disclosure control of published counts (docs/methods.md, "Disclosure control"):
 * primary suppression of small counts, secondary suppression over additive relations (margins
 * and hierarchies), and an audit of every protected table by linear programming (GLPK).
 *
 * A pn_dtable is a set of cells holding non-negative integer counts and of additive relations
 * between them (total = sum of parts). pn_dtable_protect masks every count from 1 to k-1
 * (primary), then masks more cells (secondary) until, for every masked cell, the minimum and
 * maximum value that the published cells, the relations and non-negativity allow are at least
 * k apart; it ends with a passing audit, masking as much as it takes (ultimately every cell of
 * the table). Zero counts are published unless the whole table has to be masked.
 *
 * A pn_dcube is a cube of hierarchical dimensions whose published tables are margins of one
 * fixed set of cells: tables sharing dimensions share their common cells (one cell, not two
 * copies), so that the cube is protected once, whatever query is later asked of it, and any two
 * published tables of it are consistent.
 *
 * Nothing here prints; the protected table keeps its audit for the caller to print or save.
 */
#ifndef PRONOSTIC_DISCLOSURE_H
#define PRONOSTIC_DISCLOSURE_H

#include "pronostic/error.h"

#include <stddef.h>

/* The default minimum cell count (`--min-cell`). */
#define PN_DISCLOSURE_K_DEFAULT 10

/* ---- a table of linked counts (dtable.c, dtable_secondary.c, dtable_audit.c) ------------- */

typedef struct pn_dtable pn_dtable;

/* A cell's status after protection. */
enum { PN_DCELL_PUBLISHED = 0, PN_DCELL_PRIMARY = 1, PN_DCELL_SECONDARY = 2 };

/* The audit of a protected table. */
typedef struct pn_daudit {
    size_t ncells;      /* cells of the table */
    size_t nprimary;    /* cells masked because 1 <= count < k */
    size_t nsecondary;  /* cells masked to protect them (by the heuristic or the audit) */
    size_t nlp;         /* linear programmes solved */
    double min_width;   /* the narrowest interval max - min over the masked cells (+inf when
                           none is masked); exact when `exact`, else a lower bound on it */
    int passed;         /* 1 when every masked cell's interval is at least k wide */
    /* added */
    int exact;          /* 1 when every interval was solved exactly (pn_dtable_set_exact) */
    size_t ncomponents; /* connected groups of masked cells, each audited on its own */
    size_t largest;     /* masked cells in the largest group */
    size_t nadded;      /* secondary cells added because an audit failed */
    size_t nrounds;     /* audits run (1 when the heuristic's pattern passed at once) */
    long long k;        /* the threshold used */
} pn_daudit;

/* A new empty table, owned by the caller (pn_dtable_free). PN_OK or PN_ENOMEM. */
int pn_dtable_new(pn_dtable **out);
/* Free a table. Accepts NULL. */
void pn_dtable_free(pn_dtable *t);

/* Add a cell holding `count` (>= 0); its index (0, 1, ... in order of addition) in *index
 * (may be NULL). PN_OK, PN_EINVAL (negative count), PN_ENOMEM. */
int pn_dtable_cell(pn_dtable *t, long long count, size_t *index);
/* State that cell `total` is the sum of the `nparts` cells parts[] (copied). PN_OK, PN_EINVAL
 * (an unknown cell, no part, the total among its parts), PN_ENOMEM. The counts are checked
 * against the relation at protection. */
int pn_dtable_relation(pn_dtable *t, size_t total, const size_t *parts, size_t nparts);
/* Mask a cell before protection, as the caller chooses (status secondary unless its count makes
 * it primary): to reproduce a given pattern and audit it (pn_dtable_audit), or to force the
 * suppression of a cell whatever its count. PN_OK or PN_EINVAL. */
int pn_dtable_mask(pn_dtable *t, size_t cell);
/* When `exact` is 1, the audit solves both linear programmes of every masked cell, so that
 * pn_dtable_interval gives every exact interval and min_width is exact. Otherwise (the default,
 * much faster) a cell is passed as soon as feasible solutions found for it or for other cells
 * show values at least k apart: its interval is then an inner bound of the exact one. */
void pn_dtable_set_exact(pn_dtable *t, int exact);

/* Protect the table at threshold k >= 1: primary suppression, the secondary heuristic to a
 * fixed point, then the LP audit; while the audit finds an interval narrower than k, mask more
 * cells (the published cells that bind it, by the LP's duals; as a last resort every non-zero
 * cell, then every cell) and audit again. Protecting again starts afresh (the same result).
 * *audit (may be NULL) receives the audit, also kept with the table (pn_dtable_get_audit).
 * PN_OK with audit->passed = 1; PN_EINVAL (k < 1, a relation whose counts do not add up),
 * PN_ERANGE (a zero cell the caller masked stays narrower than k with every cell masked: no
 * pattern can protect it; diag says which), PN_EINTERNAL (the LP solver failed), PN_ENOMEM. */
int pn_dtable_protect(pn_dtable *t, long long k, pn_daudit *audit, pn_diag *diag);
/* Audit the current pattern only: the primary rule is applied (cells the caller masked stay
 * masked), no secondary cell is added. PN_OK whatever the verdict (audit->passed says it). */
int pn_dtable_audit(pn_dtable *t, long long k, pn_daudit *audit, pn_diag *diag);
/* The last audit (NULL before any). Borrowed. */
const pn_daudit *pn_dtable_get_audit(const pn_dtable *t);

/* Number of cells, a cell's count, a cell's status (PN_DCELL_*; -1 for an unknown cell). */
size_t pn_dtable_ncells(const pn_dtable *t);
long long pn_dtable_count(const pn_dtable *t, size_t cell);
int pn_dtable_status(const pn_dtable *t, size_t cell);
/* After an audit, the interval [lo, hi] of a masked cell (hi = +inf when unbounded): exact with
 * pn_dtable_set_exact, else an inner bound; a published cell gives its count twice.
 * PN_OK, PN_EINVAL (unknown cell, or no audit yet). */
int pn_dtable_interval(const pn_dtable *t, size_t cell, double *lo, double *hi);
/* 1 when every one of the n cells is published, so that their sum (a total over a range that
 * is not a cell of the table) may be published too; 0 otherwise (or for an unknown cell). */
int pn_dtable_sum_publishable(const pn_dtable *t, const size_t *cells, size_t n);

/* ---- a cube of hierarchical dimensions (dcube.c) ------------------------------------------ */

/* A dimension: nodes 0..nnodes-1, node 0 the root ("all"); parent[0] = -1 and parent[i] < i
 * otherwise; leaves are the nodes without children. */
typedef struct pn_ddim {
    const char *name;
    size_t nnodes;
    const int *parent;
} pn_ddim;

#define PN_DCUBE_MAXDIMS 16

typedef struct pn_dcube pn_dcube;

/* A cube over `ndims` dimensions (copied) publishing `ntables` two-dimension tables: table i
 * crosses dims tables[i][0] x tables[i][1] (every node of each; -1 as the second: a
 * one-dimension table). Owned by the caller (pn_dcube_free). PN_OK, PN_EINVAL (a bad
 * dimension or table; the cell keys need more than 64 bits), PN_ENOMEM. */
int pn_dcube_new(pn_dcube **out, const pn_ddim *dims, size_t ndims, const int (*tables)[2],
                 size_t ntables);
/* The same for tables of any number of dimensions: table i crosses the dims whose bits are set
 * in masks[i] (bit d for dim d). */
int pn_dcube_new_masks(pn_dcube **out, const pn_ddim *dims, size_t ndims, const unsigned *masks,
                       size_t ntables);
/* Add `count` (>= 0) subjects at leaf[d] of each dim d: to every cell covering them. leaf[d]
 * must be a leaf of each dim that a table crosses (an "unknown" leaf for a missing value; an
 * inner node would break the additivity of its children); any node of another dim. PN_OK or
 * PN_EINVAL. Not after protection. */
int pn_dcube_add(pn_dcube *c, const int *leaf, long long count);
/* Sum the margins and protect the cube's cells at threshold k (pn_dtable_protect: same codes).
 * A cube is protected once; the statuses depend only on the counts, not on any query. */
int pn_dcube_protect(pn_dcube *c, long long k, pn_daudit *audit, pn_diag *diag);
/* The cell of table `table` at node_a of its first dim and node_b of its second (ignored for a
 * one-dimension table): its count and status, after protection (either may be NULL).
 * PN_OK or PN_EINVAL. */
int pn_dcube_cell(const pn_dcube *c, size_t table, int node_a, int node_b, long long *count,
                  int *status);
/* The cell at node[d] of every dim d (0, the root, for a dim the cell does not split): its
 * index in the cube's table (pn_dcube_dtable). PN_OK, or PN_ENOTFOUND when no published
 * table holds it, PN_EINVAL for a node out of range. */
int pn_dcube_index(const pn_dcube *c, const int *node, size_t *index);
/* The cube's table of cells (borrowed, valid until pn_dcube_free): status, interval, audit. */
const pn_dtable *pn_dcube_dtable(const pn_dcube *c);
pn_dtable *pn_dcube_dtable_mut(pn_dcube *c);
/* The range check: 1 when the total of the cells at node[] with dim `dim` replaced by each of
 * the n nodes[] (e.g. years 2010-2016 of a site) may be published: the leaves under those
 * nodes are exactly the leaves under one node of the dim whose cell is published, or every one
 * of the n cells is published. 0 otherwise (also for a cell no table holds). */
int pn_dcube_sum_publishable(const pn_dcube *c, const int *node, int dim, const int *nodes,
                             size_t n);
/* Free a cube. Accepts NULL. */
void pn_dcube_free(pn_dcube *c);

/* ---- derived figures ---------------------------------------------------------------------- */

/* The status of a proportion, rate or survival estimate given the statuses of its numerator
 * and denominator (PN_DCELL_PUBLISHED when it has none) and its group's number of subjects:
 * primary when the group has 1 to k-1 subjects or a count is primary, secondary when a count is
 * secondary, else published. */
int pn_disclosure_derived(int numerator_status, int denominator_status, long long group_n,
                          long long k);
/* "", "primary", "secondary". */
const char *pn_disclosure_status_name(int status);

#endif
