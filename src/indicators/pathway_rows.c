/* pathway_rows.c - the rows of a care-pathway query (pathway.h): per indicator, site and group,
 * the counts read from the cube (the cells the row sums, kept with the row so that the publish
 * layer can protect them), the estimate and its interval.
 *
 * A year range is a union of cube cells: whole 5-year periods where the range covers them, and
 * single years otherwise when the row is broken down by year or not at all (the time table
 * has the years); other breakdowns cross the periods only, so their range must cover whole
 * periods (PN_EUSAGE otherwise). Medians and cumulative incidences are computed from the
 * records of the row.
 */
#include "pathway_layout.h"
#include "pathway_rows_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/proportion.h"
#include "pronostic/quantile.h"
#include "pronostic/site.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The groups of a breakdown: label and node (a time node for the year, else a node of the
 * breakdown's dimension). */
typedef struct group {
    char label[48];
    size_t node;
} group;

static const char *const age_labels[7] = {"", "0-14", "15-44", "45-54", "55-64", "65-74", "75+"};

/* The dimension of a breakdown (-1 for the year and none). */
static int dim_of(int by)
{
    switch (by) {
    case PN_PW_BY_SEX: return PN__D_SEX;
    case PN_PW_BY_AGEGROUP: return PN__D_AGE;
    case PN_PW_BY_DEPARTEMENT:
    case PN_PW_BY_REGION: return PN__D_TERR;
    case PN_PW_BY_CENTRE: return PN__D_CENTRE;
    default: return -1;
    }
}

static size_t make_groups(const pn__pwl *L, const pn_pathway_set *set, int by, int from, int to,
                          group *g)
{
    size_t n = 0;
    size_t P = (size_t)L->nperiods;
    switch (by) {
    case PN_PW_BY_YEAR:
        for (int y = from; y <= to; y++, n++) {
            snprintf(g[n].label, sizeof g[n].label, "year=%d", y);
            g[n].node = 1 + P + (size_t)(y - L->first_year);
        }
        break;
    case PN_PW_BY_SEX:
        snprintf(g[0].label, sizeof g[0].label, "sex=male");
        snprintf(g[1].label, sizeof g[1].label, "sex=female");
        g[0].node = 1;
        g[1].node = 2;
        n = 2;
        break;
    case PN_PW_BY_AGEGROUP:
        for (size_t a = 1; a < 7; a++, n++) {
            snprintf(g[n].label, sizeof g[n].label, "agegroup=%s", age_labels[a]);
            g[n].node = a;
        }
        break;
    case PN_PW_BY_REGION:
        for (int r = 0; r < PN_REGION_COUNT; r++, n++) {
            snprintf(g[n].label, sizeof g[n].label, "region=%s",
                     pn_region_name(pn_region_code_at(r)));
            g[n].node = 1 + (size_t)r;
        }
        snprintf(g[n].label, sizeof g[n].label, "region=unknown");
        g[n++].node = PN__TERR_UNKNOWN;
        break;
    case PN_PW_BY_DEPARTEMENT:
        for (size_t t = PN__TERR_UNKNOWN + 1; t < L->dn[PN__D_TERR]; t++, n++) {
            snprintf(g[n].label, sizeof g[n].label, "departement=%s",
                     pn_departement_code(L->dep_of_terr[t]));
            g[n].node = t;
        }
        snprintf(g[n].label, sizeof g[n].label, "departement=unknown");
        g[n++].node = PN__TERR_UNKNOWN;
        break;
    case PN_PW_BY_CENTRE:
        for (size_t c = 0; c < set->centres.n; c++, n++) {
            snprintf(g[n].label, sizeof g[n].label, "centre=%s", set->centres.id[c]);
            g[n].node = 1 + c;
        }
        snprintf(g[n].label, sizeof g[n].label, "centre=unknown");
        g[n].node = L->dn[PN__D_CENTRE] - 1;
        n++;
        break;
    default:
        break;
    }
    return n;
}

/* The group index (into make_groups' list) of a record, or -1. */
static int group_of(const pn__pwl *L, int by, int from, const pn_pw_record *r)
{
    switch (by) {
    case PN_PW_BY_YEAR: return r->year - from;
    case PN_PW_BY_SEX: return r->sex == 2 ? 1 : 0;
    case PN_PW_BY_AGEGROUP: return r->agegroup < 0 ? 0 : r->agegroup;
    case PN_PW_BY_REGION: {
        int t = r->departement > 0 ? L->terr_of_dep[r->departement] : PN__TERR_UNKNOWN;
        if (t == PN__TERR_UNKNOWN) return PN_REGION_COUNT;
        return L->parent[PN__D_TERR][t] - 1;
    }
    case PN_PW_BY_DEPARTEMENT: {
        int t = r->departement > 0 ? L->terr_of_dep[r->departement] : PN__TERR_UNKNOWN;
        if (t == PN__TERR_UNKNOWN) return (int)(L->dn[PN__D_TERR] - PN__TERR_UNKNOWN - 1);
        return t - PN__TERR_UNKNOWN - 1;
    }
    case PN_PW_BY_CENTRE: return r->centre >= 0 ? r->centre : (int)(L->dn[PN__D_CENTRE] - 2);
    default: return -1;
    }
}

/* The time cells of the range [from, to]: *nt time nodes of the core table and *np period nodes
 * of the breakdowns' tables (*np 0 when the range does not cover whole periods). */
static void time_cells(const pn__pwl *L, int from, int to, size_t *tn, size_t *nt, size_t *pn,
                       size_t *np)
{
    int last = L->first_year + L->nyears - 1;
    size_t P = (size_t)L->nperiods;
    *nt = *np = 0;
    if (from == L->first_year && to == last) {
        tn[(*nt)++] = 0;
        pn[(*np)++] = 0;
        return;
    }
    int whole = 1;
    for (size_t p = 1; p <= P; p++) {
        /* the years of period p that have data (the layout's years) */
        int a = L->first_period_start + 5 * (int)(p - 1), b = a + 4;
        if (a < L->first_year) a = L->first_year;
        if (b > last) b = last;
        if (b < from || a > to) continue;
        if (a >= from && b <= to) {
            tn[(*nt)++] = p;
            pn[(*np)++] = p;
        } else {
            whole = 0;
            for (int y = a > from ? a : from; y <= (b < to ? b : to); y++)
                tn[(*nt)++] = 1 + P + (size_t)(y - L->first_year);
        }
    }
    if (!whole) *np = 0;
}

/* The slots (site x group) of a record: up to 4 (its site and all sites, its group and all);
 * -1 when the record is outside the year range. */
static int record_slots(const pn__pwl *L, const pn_pw_query *q, int from, int to, size_t ngs,
                        const pn_pw_record *r, size_t *slots)
{
    if (r->year < from || r->year > to) return -1;
    int gi = group_of(L, q->by, from, r);
    int ss[2] = {r->site, 0}, n = 0;
    for (int k = 0; k < 2; k++)
        for (int gk = 0; gk < (gi >= 0 ? 2 : 1); gk++)
            slots[n++] = (size_t)ss[k] * ngs + (gk ? 1 + (size_t)gi : 0);
    return n;
}

/* The records that have delay d, in increasing order of the delay (a counting sort: delays are
 * whole days), into order[] (room for set->n); returns how many. */
static size_t by_delay(const pn_pathway_set *set, int d, uint32_t *order, size_t **count,
                       size_t *ncount)
{
    int32_t max = -1;
    for (size_t i = 0; i < set->n; i++)
        if (set->rec[i].delay[d] > max) max = set->rec[i].delay[d];
    if (max < 0) return 0;
    if ((size_t)max + 2 > *ncount) {
        size_t *c = pn_reallocarray(*count, (size_t)max + 2, sizeof *c);
        if (c == NULL) return SIZE_MAX;
        *count = c;
        *ncount = (size_t)max + 2;
    }
    size_t *c = *count;
    memset(c, 0, ((size_t)max + 2) * sizeof *c);
    for (size_t i = 0; i < set->n; i++)
        if (set->rec[i].delay[d] >= 0) c[set->rec[i].delay[d] + 1]++;
    for (int32_t v = 0; v <= max; v++) c[v + 1] += c[v];
    for (size_t i = 0; i < set->n; i++)
        if (set->rec[i].delay[d] >= 0) order[c[set->rec[i].delay[d]]++] = (uint32_t)i;
    return c[max];
}

/* The years' parameters as the caller names them, for a message. */
static const char *years_label(const pn_pw_query *q)
{
    return q->http ? "parameters 'from'/'to'" : "options '--from'/'--to'";
}

int pn_pw_rows(const pn_pathway_set *set, const pn_pw_cube *cube, const pn_pathway_conf *conf,
               const pn_pw_query *q, pn_pw_row **rows, size_t *nrows, pn_diag *diag)
{
    *rows = NULL;
    *nrows = 0;
    pn__pwl L;
    group *groups = NULL;
    size_t *start = NULL, *members = NULL, *fill = NULL;
    double *vals = NULL;
    uint32_t *order = NULL, *sorted[3] = {NULL, NULL, NULL};
    size_t *nsorted[3] = {NULL, NULL, NULL}, *dcount = NULL, ndcount = 0;
    pn_pw_row *out = NULL;
    int rc = pn__pwl_init(&L, set);
    if (rc != PN_OK) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    if (L.ncells != cube->ncells) {
        pn__pwl_free(&L);
        return pn_diag_set(diag, PN_EINVAL, "pathway: the cube is not the set's");
    }
    int last = L.first_year + L.nyears - 1;
    int from = q->year_from && q->year_from > L.first_year ? q->year_from : L.first_year;
    int to = q->year_to && q->year_to < last ? q->year_to : last;
    if (set->n == 0 || from > to) goto done;
    size_t tn[PN_PW_ROW_MAXCELLS], pn[PN_PW_ROW_MAXCELLS], nt, np;
    if (L.nyears > PN_PW_ROW_MAXCELLS) {
        rc = pn_diag_set(diag, PN_EINVAL, "pathway: more than %d years of diagnosis",
                         PN_PW_ROW_MAXCELLS);
        goto done;
    }
    time_cells(&L, from, to, tn, &nt, pn, &np);
    int d = dim_of(q->by);
    int whole_only = q->by == PN_PW_BY_DEPARTEMENT || q->by == PN_PW_BY_CENTRE;
    if (whole_only && !(np == 1 && pn[0] == 0)) {
        rc = pn_diag_set(diag, PN_EUSAGE, "%s: with %s%s, the protected cube has the whole"
                         " range of years only (%d-%d; disclosure control, docs/methods.md)",
                         years_label(q), q->http ? "by=" : "--by ",
                         q->by == PN_PW_BY_CENTRE ? "centre" : "departement", L.first_year, last);
        goto done;
    }
    if (d >= 0 && np == 0) {
        char list[256] = "";
        size_t len = 0;
        for (int p = 0; p < L.nperiods && len < sizeof list; p++) {
            int a = L.first_period_start + 5 * p;
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%d-%d", p ? ", " : "",
                                    a < L.first_year ? L.first_year : a,
                                    a + 4 > last ? last : a + 4);
        }
        rc = pn_diag_set(diag, PN_EUSAGE, "%s: with a breakdown other than"
                         " the year, the years must cover whole periods of the protected cube"
                         " (%s; disclosure control, docs/methods.md)", years_label(q), list);
        goto done;
    }
    size_t ngroups_max = 32 + (size_t)L.nyears + L.dn[PN__D_TERR] + L.dn[PN__D_CENTRE];
    groups = pn_calloc(ngroups_max, sizeof *groups);
    if (groups == NULL) goto nomem;
    size_t ng = make_groups(&L, set, q->by, from, to, groups);
    size_t ngs = 1 + ng;   /* group slots: 0 "all", then the groups */
    int sites[8], nsites = 0;
    if (q->site) {
        sites[nsites++] = q->site;
    } else {
        for (int s = 1; s < PN__NSITE; s++) sites[nsites++] = s;
        sites[nsites++] = 0;
    }
    /* the records of each (site, group slot): counts, then members */
    size_t nslots = PN__NSITE * ngs;
    start = pn_calloc(nslots + 1, sizeof *start);
    fill = pn_calloc(nslots, sizeof *fill);
    if (start == NULL || fill == NULL) goto nomem;
    size_t sl[4];
    for (size_t i = 0; i < set->n; i++) {
        int ns = record_slots(&L, q, from, to, ngs, &set->rec[i], sl);
        for (int k = 0; k < ns; k++) start[sl[k] + 1]++;
    }
    for (size_t k = 0; k < nslots; k++) start[k + 1] += start[k];
    members = pn_reallocarray(NULL, start[nslots] ? start[nslots] : 1, sizeof *members);
    order = pn_reallocarray(NULL, set->n ? set->n : 1, sizeof *order);
    for (int dl = 0; dl < 3; dl++) {
        sorted[dl] = pn_reallocarray(NULL, start[nslots] ? start[nslots] : 1, sizeof **sorted);
        nsorted[dl] = pn_calloc(nslots, sizeof **nsorted);
        if (sorted[dl] == NULL || nsorted[dl] == NULL) goto nomem;
    }
    if (members == NULL || order == NULL) goto nomem;
    for (size_t i = 0; i < set->n; i++) {
        int ns = record_slots(&L, q, from, to, ngs, &set->rec[i], sl);
        for (int k = 0; k < ns; k++) members[start[sl[k]] + fill[sl[k]]++] = i;
    }
    /* each slot's records with a delay, in the delay's order: the quantiles need no sort */
    for (int dl = 0; dl < 3; dl++) {
        size_t no = by_delay(set, dl, order, &dcount, &ndcount);
        if (no == SIZE_MAX) goto nomem;
        for (size_t j = 0; j < no; j++) {
            int ns = record_slots(&L, q, from, to, ngs, &set->rec[order[j]], sl);
            for (int k = 0; k < ns; k++)
                sorted[dl][start[sl[k]] + nsorted[dl][sl[k]]++] = order[j];
        }
    }
    vals = pn_reallocarray(NULL, set->n ? set->n : 1, sizeof *vals);
    if (vals == NULL) goto nomem;
    size_t cap = (size_t)PN_PW_COUNT * (size_t)nsites * ngs;
    out = pn_calloc(cap ? cap : 1, sizeof *out);
    if (out == NULL) goto nomem;
    double z = pn_conf_z(0.95);
    size_t n = 0;
    for (int ind = 0; ind < PN_PW_COUNT; ind++) {
        if (q->indicator >= 0 && ind != q->indicator) continue;
        for (int si = 0; si < nsites; si++) {
            int s = sites[si];
            if (ind == PN_PW_SURGERY_AUTHORISED && s != 0 && conf->nmentions[s] <= 0) continue;
            for (size_t gs = 0; gs < ngs; gs++) {
                pn_pw_row *row = &out[n];
                memset(row, 0, sizeof *row);
                row->indicator = ind;
                row->site = s;
                snprintf(row->group, sizeof row->group, "%s", gs == 0 ? "all" : groups[gs - 1].label);
                if (gs == 0 || q->by == PN_PW_BY_YEAR) {
                    if (gs == 0) {
                        for (size_t k = 0; k < nt; k++) row->cells[row->ncells++] = pn__pwl_core(&L, s, tn[k]);
                    } else {
                        row->cells[row->ncells++] = pn__pwl_core(&L, s, groups[gs - 1].node);
                    }
                } else {
                    for (size_t k = 0; k < np; k++)
                        row->cells[row->ncells++] = pn__pwl_cell(&L, d, s, (int)pn[k], groups[gs - 1].node);
                }
                const long long *cd = cube->counts + (size_t)(2 * ind) * cube->ncells;
                const long long *cn = cd + cube->ncells;
                for (size_t k = 0; k < row->ncells; k++) {
                    row->denominator += cd[row->cells[k]];
                    row->numerator += cn[row->cells[k]];
                }
                if (gs > 0 && row->denominator == 0) continue;
                row->estimate = row->lower = row->upper = NAN;
                row->benchmark = conf->benchmark[ind];
                size_t slot = (size_t)s * ngs + gs;
                const size_t *mem = members + start[slot];
                size_t nm = start[slot + 1] - start[slot];
                int kind = pn_pw_kind(ind), dl = pn_pw_delay_of(ind);
                if (kind == PN_PW_SHARE && row->denominator > 0) {
                    row->estimate = (double)row->numerator / (double)row->denominator;
                    pn_wilson((double)row->numerator, (double)row->denominator, z, &row->lower,
                              &row->upper);
                } else if (kind == PN_PW_DELAY) {
                    size_t nv = nsorted[dl][slot];
                    const uint32_t *srt = sorted[dl] + start[slot];
                    for (size_t k = 0; k < nv; k++) vals[k] = set->rec[srt[k]].delay[dl];
                    row->estimate = pn_quantile7(vals, nv, 0.5);
                    row->lower = pn_quantile7(vals, nv, 0.25);
                    row->upper = pn_quantile7(vals, nv, 0.75);
                } else if (kind == PN_PW_CUMINC) {
                    rc = pn__pw_cuminc(set, mem, nm, dl == 1 ? 0 : 1, conf->target_days[dl],
                                       &row->estimate, &row->lower, &row->upper, diag);
                    if (rc != PN_OK) goto done;
                }
                n++;
            }
        }
    }
    *rows = out;
    *nrows = n;
    out = NULL;
    goto done;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
done:
    pn__pwl_free(&L);
    pn_free(groups);
    pn_free(start);
    pn_free(fill);
    pn_free(members);
    pn_free(vals);
    pn_free(order);
    pn_free(dcount);
    for (int dl = 0; dl < 3; dl++) {
        pn_free(sorted[dl]);
        pn_free(nsorted[dl]);
    }
    pn_free(out);
    return rc;
}
