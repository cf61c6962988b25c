/* pathway_layout.h - the layout of the care-pathway indicators' cube (private to indicators/):
 * which cell holds a site, a time node and a node of a breakdown. pathway_cube.c says what the
 * cells and relations are; pathway_rows.c reads cells by this layout. */
#ifndef PRONOSTIC_PATHWAY_LAYOUT_H
#define PRONOSTIC_PATHWAY_LAYOUT_H

#include "pronostic/departement.h"
#include "pronostic/pathway.h"

#include <stddef.h>

/* The breakdowns besides site and time, and the sites' dimension size (node 0: all sites). */
enum { PN__D_SEX, PN__D_AGE, PN__D_TERR, PN__D_CENTRE, PN__ND };
#define PN__NSITE 8

typedef struct pn__pwl {
    int first_year, nyears, nperiods, first_period_start;
    size_t ntime;                  /* time nodes: 0 all, 1..P periods, P+1..P+Y years */
    size_t dn[PN__ND];             /* nodes of each breakdown, root (0) included */
    size_t nsub[PN__ND];           /* nodes 1..nsub of a breakdown are crossed with the periods
                                      too (sex, age group, the regions and "unknown"); the others
                                      (départements, centres) with all periods only */
    int *parent[PN__ND];           /* parent of each node (-1 for the root) */
    size_t base[PN__ND];           /* first cell of each breakdown's table */
    size_t ncells;
    int terr_of_dep[PN_DEPARTEMENT_INDEXES];  /* territory node of a département index */
    int dep_of_terr[PN_DEPARTEMENT_INDEXES + PN_REGION_COUNT + 2];  /* and back (0: none) */
} pn__pwl;

/* The layout of `set`'s cube (its years and centres); free with pn__pwl_free. PN_OK or
 * PN_ENOMEM. */
int pn__pwl_init(pn__pwl *L, const pn_pathway_set *set);
void pn__pwl_free(pn__pwl *L);

/* The core cell of site s (0..7) and time node t. */
size_t pn__pwl_core(const pn__pwl *L, int s, size_t t);
/* The cell of breakdown d at site s, period node p (0 all, 1..P) and node n (0: the core
 * cell of s and p; with p > 0, n <= nsub[d]). */
size_t pn__pwl_cell(const pn__pwl *L, int d, int s, int p, size_t n);
/* The period node (1..P) of a year; the time node of a year is 1 + P + (year - first_year). */
int pn__pwl_period(const pn__pwl *L, int year);
/* One past the last node of breakdown d present at period node p. */
size_t pn__pwl_avail(const pn__pwl *L, int d, int p);
/* The territory nodes: 1 + r for the region pn_region_code_at(r); PN_REGION_COUNT + 1 unknown. */
#define PN__TERR_UNKNOWN (PN_REGION_COUNT + 1)

#endif
