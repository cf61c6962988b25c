/* pathway_cube.c - the cube of the care-pathway indicators' counts (pathway.h): its cells, its
 * additive relations, and the counts of a set of records in it.
 *
 * Layout (docs/methods.md, "Disclosure control"): the site dimension (node 0 all sites, 1..7 the
 * sites) crossed with
 *   - time: node 0 all years, 1..P the 5-year periods (2015-2019, ...), then the years
 *     ("core" cells: site x time);
 *   - for each of sex, age group, territory (France > region > département, with an
 *     "unknown" leaf) and centre (with an "unknown" leaf): the periods (node 0 all, 1..P) x the
 *     dimension's nodes; the dimension's root is the core cell of the same site and period, so
 *     the tables share their margins.
 * Every total of a hierarchy is a relation (total = sum of its parts), along every dimension
 * and at every level. The relations are listed so that evaluating them in order computes every
 * total from the leaves (the leaf cells are the only ones a record adds to).
 */
#include "pronostic/pathway.h"
#include "pronostic/alloc.h"

#include <string.h>

#include "pathway_layout.h"

/* ---- relations --------------------------------------------------------------------------- */

typedef struct rels {
    size_t n, nparts;
    size_t captotal, capstart, capparts;
    size_t *total, *start, *parts;
    int failed;
} rels;

static void rel_begin(rels *r, size_t total)
{
    if (r->failed) return;
    if (pn_grow((void **)&r->total, &r->captotal, r->n + 1, sizeof *r->total) != PN_OK ||
        pn_grow((void **)&r->start, &r->capstart, r->n + 2, sizeof *r->start) != PN_OK) {
        r->failed = 1;
        return;
    }
    r->total[r->n] = total;
    r->start[r->n] = r->nparts;
    r->n++;
    r->start[r->n] = r->nparts;
}

static void rel_part(rels *r, size_t cell)
{
    if (r->failed) return;
    if (pn_grow((void **)&r->parts, &r->capparts, r->nparts + 1, sizeof *r->parts) != PN_OK) {
        r->failed = 1;
        return;
    }
    r->parts[r->nparts++] = cell;
    r->start[r->n] = r->nparts;
}

/* Dimension d's hierarchy at (s, p) over the nodes present there: every internal node from
 * `first` up (0: the root too), children first (a parent's index is below its children's). */
static void hierarchy(const pn__pwl *L, rels *r, int d, int s, int p, size_t first)
{
    size_t na = pn__pwl_avail(L, d, p);
    for (size_t n = na; n-- > first;) {
        int has = 0;
        for (size_t c = n + 1; c < na && !has; c++) has = L->parent[d][c] == (int)n;
        if (!has) continue;
        rel_begin(r, pn__pwl_cell(L, d, s, p, n));
        for (size_t c = n + 1; c < na; c++)
            if (L->parent[d][c] == (int)n) rel_part(r, pn__pwl_cell(L, d, s, p, c));
    }
}

static void relations(const pn__pwl *L, rels *r)
{
    int P = L->nperiods;
    /* time, per site: periods from years, all from periods; then all sites */
    for (int s = 1; s < PN__NSITE; s++) {
        for (int p = 1; p <= P; p++) {
            rel_begin(r, pn__pwl_core(L, s, (size_t)p));
            for (int y = 0; y < L->nyears; y++)
                if (pn__pwl_period(L, L->first_year + y) == p)
                    rel_part(r, pn__pwl_core(L, s, 1 + (size_t)P + (size_t)y));
        }
        rel_begin(r, pn__pwl_core(L, s, 0));
        for (int p = 1; p <= P; p++) rel_part(r, pn__pwl_core(L, s, (size_t)p));
    }
    for (size_t t = 0; t < L->ntime; t++) {
        rel_begin(r, pn__pwl_core(L, 0, t));
        for (int s = 1; s < PN__NSITE; s++) rel_part(r, pn__pwl_core(L, s, t));
    }
    for (int d = 0; d < PN__ND; d++) {
        /* below the root per site and period; a node of every period at all periods; every
         * node at all sites */
        for (int s = 1; s < PN__NSITE; s++)
            for (int p = 1; p <= P; p++) hierarchy(L, r, d, s, p, 1);
        for (int s = 1; s < PN__NSITE; s++)
            for (size_t n = 1; n <= L->nsub[d]; n++) {
                rel_begin(r, pn__pwl_cell(L, d, s, 0, n));
                for (int p = 1; p <= P; p++) rel_part(r, pn__pwl_cell(L, d, s, p, n));
            }
        for (int p = 0; p <= P; p++)
            for (size_t n = 1; n < pn__pwl_avail(L, d, p); n++) {
                rel_begin(r, pn__pwl_cell(L, d, 0, p, n));
                for (int s = 1; s < PN__NSITE; s++) rel_part(r, pn__pwl_cell(L, d, s, p, n));
            }
        /* the remaining totals (true of the counts, needed by the protection): the root (the
         * core cell) at every site and period, and the hierarchy at all periods or all sites */
        for (int s = 0; s < PN__NSITE; s++)
            for (int p = 0; p <= P; p++) {
                if (s == 0 || p == 0) {
                    hierarchy(L, r, d, s, p, 0);
                } else if (pn__pwl_avail(L, d, p) > 1) {   /* the root: the core cell */
                    rel_begin(r, pn__pwl_cell(L, d, s, p, 0));
                    for (size_t c = 1; c < pn__pwl_avail(L, d, p); c++)
                        if (L->parent[d][c] == 0) rel_part(r, pn__pwl_cell(L, d, s, p, c));
                }
            }
    }
}

/* ---- counts -------------------------------------------------------------------------------- */

void pn_pw_cube_free(pn_pw_cube *cube)
{
    if (cube == NULL) return;
    pn_free(cube->counts);
    pn_free(cube->rel_total);
    pn_free(cube->rel_start);
    pn_free(cube->rel_parts);
    pn_free(cube);
}

int pn_pw_cube_build(const pn_pathway_set *set, pn_pw_cube **out, pn_diag *diag)
{
    *out = NULL;
    pn__pwl L;
    rels r;
    memset(&r, 0, sizeof r);
    pn_pw_cube *cube = NULL;
    int rc = pn__pwl_init(&L, set);
    if (rc != PN_OK) goto nomem;
    relations(&L, &r);
    if (r.failed) goto nomem;
    cube = pn_calloc(1, sizeof *cube);
    if (cube == NULL) goto nomem;
    cube->ncells = L.ncells;
    cube->ncounts = 2 * PN_PW_COUNT;
    cube->counts = pn_calloc(cube->ncells * cube->ncounts, sizeof *cube->counts);
    if (cube->counts == NULL) goto nomem;
    size_t P = (size_t)L.nperiods;
    /* the leaves: each record adds 1 to its leaf cell of every table for every count it is in */
    for (size_t i = 0; i < set->n; i++) {
        const pn_pw_record *x = &set->rec[i];
        size_t yi = (size_t)(x->year - L.first_year);
        int p = pn__pwl_period(&L, x->year);
        /* a record's leaves: its year; its sex, age group and region (or unknown) in its
         * period; its département and centre at all periods (crossed with nothing else) */
        size_t leaf[1 + PN__ND + 1];
        int terr = x->departement > 0 ? L.terr_of_dep[x->departement] : PN__TERR_UNKNOWN;
        int region = terr > PN__TERR_UNKNOWN ? L.parent[PN__D_TERR][terr] : terr;
        size_t nleaf = 0;
        leaf[nleaf++] = pn__pwl_core(&L, x->site, 1 + P + yi);
        leaf[nleaf++] = pn__pwl_cell(&L, PN__D_SEX, x->site, p, x->sex == 2 ? 2 : 1);
        leaf[nleaf++] = pn__pwl_cell(&L, PN__D_AGE, x->site, p,
                                     1 + (size_t)(x->agegroup < 0 ? 0 : x->agegroup));
        leaf[nleaf++] = pn__pwl_cell(&L, PN__D_TERR, x->site, p, (size_t)region);
        if (terr > PN__TERR_UNKNOWN)
            leaf[nleaf++] = pn__pwl_cell(&L, PN__D_TERR, x->site, 0, (size_t)terr);
        leaf[nleaf++] = pn__pwl_cell(&L, PN__D_CENTRE, x->site, 0,
                                     x->centre >= 0 ? 1 + (size_t)x->centre : L.dn[PN__D_CENTRE] - 1);
        for (int ind = 0; ind < PN_PW_COUNT; ind++) {
            if (!(x->den >> ind & 1)) continue;
            long long *c0 = cube->counts + (size_t)(2 * ind) * cube->ncells;
            for (size_t k = 0; k < nleaf; k++) c0[leaf[k]]++;
            if (x->num >> ind & 1) {
                long long *c1 = c0 + cube->ncells;
                for (size_t k = 0; k < nleaf; k++) c1[leaf[k]]++;
            }
        }
    }
    /* the totals, in the relations' order */
    for (size_t c = 0; c < cube->ncounts; c++) {
        long long *v = cube->counts + c * cube->ncells;
        for (size_t k = 0; k < r.n; k++) {
            long long sum = 0;
            for (size_t j = r.start[k]; j < r.start[k + 1]; j++) sum += v[r.parts[j]];
            v[r.total[k]] = sum;
        }
    }
    cube->nrel = r.n;
    cube->rel_total = r.total;
    cube->rel_start = r.start;
    cube->rel_parts = r.parts;
    cube->first_year = L.first_year;
    cube->nyears = L.nyears;
    cube->nperiods = L.nperiods;
    cube->ncentres = (int)set->centres.n;
    pn__pwl_free(&L);
    *out = cube;
    return PN_OK;
nomem:
    pn__pwl_free(&L);
    pn_free(r.total);
    pn_free(r.start);
    pn_free(r.parts);
    pn_pw_cube_free(cube);
    return pn_diag_set(diag, PN_ENOMEM, "out of memory building the indicators' cube");
}
