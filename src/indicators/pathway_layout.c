/* pathway_layout.c - the layout of the care-pathway indicators' cube (pathway_layout.h). */
#include "pathway_layout.h"
#include "pronostic/alloc.h"
#include "pronostic/period.h"

#include <string.h>

size_t pn__pwl_core(const pn__pwl *L, int s, size_t t)
{
    return (size_t)s * L->ntime + t;
}

size_t pn__pwl_cell(const pn__pwl *L, int d, int s, int p, size_t n)
{
    if (n == 0) return pn__pwl_core(L, s, (size_t)p);
    size_t block = (L->dn[d] - 1) + (size_t)L->nperiods * L->nsub[d];
    size_t at = L->base[d] + (size_t)s * block;
    if (p == 0) return at + (n - 1);
    return at + (L->dn[d] - 1) + (size_t)(p - 1) * L->nsub[d] + (n - 1);
}

size_t pn__pwl_avail(const pn__pwl *L, int d, int p)
{
    return p == 0 ? L->dn[d] : 1 + L->nsub[d];
}

int pn__pwl_period(const pn__pwl *L, int year)
{
    return 1 + (pn_period_of_year(year, 0, 5).from - L->first_period_start) / 5;
}

void pn__pwl_free(pn__pwl *L)
{
    for (int d = 0; d < PN__ND; d++) {
        pn_free(L->parent[d]);
        L->parent[d] = NULL;
    }
}

int pn__pwl_init(pn__pwl *L, const pn_pathway_set *set)
{
    memset(L, 0, sizeof *L);
    int fy = set->first_year ? set->first_year : 2000, ly = set->last_year ? set->last_year : fy;
    pn_period p0 = pn_period_of_year(fy, 0, 5), p1 = pn_period_of_year(ly, 0, 5);
    L->first_year = fy;
    L->nyears = ly - fy + 1;
    L->first_period_start = p0.from;
    L->nperiods = (p1.from - p0.from) / 5 + 1;
    L->ntime = 1 + (size_t)L->nperiods + (size_t)L->nyears;
    L->dn[PN__D_SEX] = 3;
    L->dn[PN__D_AGE] = 7;
    L->dn[PN__D_CENTRE] = set->centres.n + 2;
    /* territory: root, the regions, unknown, then the départements that have a region */
    size_t nterr = 1 + PN_REGION_COUNT + 1;
    for (int i = 1; i < PN_DEPARTEMENT_INDEXES; i++) {
        const char *code = pn_departement_code(i);
        L->terr_of_dep[i] = PN__TERR_UNKNOWN;
        if (code && pn_region_of_departement(code) != 0) {
            L->dep_of_terr[nterr] = i;
            L->terr_of_dep[i] = (int)nterr++;
        }
    }
    L->dn[PN__D_TERR] = nterr;
    L->nsub[PN__D_SEX] = 2;
    L->nsub[PN__D_AGE] = 6;
    L->nsub[PN__D_TERR] = PN__TERR_UNKNOWN;
    L->nsub[PN__D_CENTRE] = 0;
    for (int d = 0; d < PN__ND; d++) {
        L->parent[d] = pn_calloc(L->dn[d], sizeof *L->parent[d]);
        if (L->parent[d] == NULL) {
            pn__pwl_free(L);
            return PN_ENOMEM;
        }
        L->parent[d][0] = -1;   /* every other node's parent is the root (0), but: */
    }
    /* a département's parent is its region */
    for (size_t n = PN__TERR_UNKNOWN + 1; n < nterr; n++) {
        int region = pn_region_of_departement(pn_departement_code(L->dep_of_terr[n]));
        for (int r = 0; r < PN_REGION_COUNT; r++)
            if (pn_region_code_at(r) == region) L->parent[PN__D_TERR][n] = 1 + r;
    }
    size_t next = PN__NSITE * L->ntime;
    for (int d = 0; d < PN__ND; d++) {
        L->base[d] = next;
        next += PN__NSITE * ((L->dn[d] - 1) + (size_t)L->nperiods * L->nsub[d]);
    }
    L->ncells = next;
    return PN_OK;
}

int pn_pw_by_parse(const char *name, int *by)
{
    static const struct { const char *name; int by; } bys[] = {
        {"year", PN_PW_BY_YEAR},         {"sex", PN_PW_BY_SEX},
        {"agegroup", PN_PW_BY_AGEGROUP}, {"departement", PN_PW_BY_DEPARTEMENT},
        {"region", PN_PW_BY_REGION},     {"centre", PN_PW_BY_CENTRE},
    };
    for (size_t i = 0; i < sizeof bys / sizeof *bys; i++)
        if (strcmp(name, bys[i].name) == 0) return *by = bys[i].by, PN_OK;
    return PN_EUSAGE;
}
