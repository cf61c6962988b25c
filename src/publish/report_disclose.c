/* report_disclose.c - the survival report's counts as cubes (report_disclose.h): dims site
 * (all > the seven sites), period (all > the report's periods), sex (both > male, female) and
 * region (France > every region, and an unknown leaf); published tables site x period x sex and
 * site x period x region; one cube per count the report prints; then each row's statuses. */
#include "pronostic/report_disclose.h"
#include "pronostic/alloc.h"
#include "pronostic/departement.h"
#include "pronostic/site.h"

#include <math.h>
#include <string.h>

enum { NVAR = 9, DIM_SITE = 0, DIM_PERIOD = 1, DIM_SEX = 2, DIM_REGION = 3 };

void pn_report_masks_free(pn_report_masks *m)
{
    if (m == NULL) return;
    pn_free(m->n_status);
    pn_free(m->events_status);
    pn_free(m->estimate_status);
    pn_free(m);
}

static long long leaf_value(const pn_report_leaf *l, int v)
{
    return v < 3 ? l->n[v] : l->events[(v - 3) / 2][(v - 3) % 2];
}

static int worst(int a, int b)
{
    return a == PN_DCELL_PRIMARY || b == PN_DCELL_PRIMARY ? PN_DCELL_PRIMARY
           : a == PN_DCELL_SECONDARY || b == PN_DCELL_SECONDARY ? PN_DCELL_SECONDARY
                                                                : PN_DCELL_PUBLISHED;
}

typedef struct ctx {
    const pn_report *r;
    pn_dcube *cube[NVAR];
    int region_node[128];
} ctx;

static int period_index(const pn_report *r, int from, int to)
{
    for (size_t p = 0; p < r->nperiods; p++)
        if (r->periods[p].from == from && r->periods[p].to == to) return (int)p;
    return -1;
}

/* The status (and count) of variable v at a row's group and period node. */
static int status_at(const ctx *x, int v, const pn_report_row *row, int pnode, long long *count)
{
    int node[4] = {row->site, pnode, row->sex, row->region ? x->region_node[row->region] : 0};
    size_t idx;
    if (pn_dcube_index(x->cube[v], node, &idx) != PN_OK) return -1;
    const pn_dtable *t = pn_dcube_dtable(x->cube[v]);
    if (count) *count = pn_dtable_count(t, idx);
    return pn_dtable_status(t, idx);
}

int pn_report_protect(const pn_report *r, const pn_report_counts *counts, long long k,
                      pn_report_masks **out, pn_diag *diag)
{
    *out = NULL;
    ctx x = {.r = r};
    int rc = PN_OK;
    pn_report_masks *m = pn_calloc(1, sizeof *m);
    int *psite = NULL, *pperiod = NULL, *preg = NULL;
    int *nodes = NULL;
    if (m == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    m->n = r->n;
    m->k = k;
    m->n_status = pn_calloc(r->n ? r->n : 1, 1);
    m->events_status = pn_calloc(r->n ? r->n : 1, 1);
    m->estimate_status = pn_calloc(r->n ? r->n : 1, 1);
    size_t np = r->nperiods;
    psite = pn_malloc(PN_SITE_COUNT * sizeof *psite);
    pperiod = pn_malloc((np + 1) * sizeof *pperiod);
    preg = pn_malloc(130 * sizeof *preg);
    nodes = pn_malloc((np ? np : 1) * sizeof *nodes);
    if (!m->n_status || !m->events_status || !m->estimate_status || !psite || !pperiod || !preg ||
        !nodes)
        goto nomem;
    /* the dims: site node = site code, period node = index + 1, sex node = code */
    psite[0] = pperiod[0] = preg[0] = -1;
    for (int s = 1; s < PN_SITE_COUNT; s++) psite[s] = 0;
    for (size_t p = 1; p <= np; p++) pperiod[p] = 0;
    static const int psex[3] = {-1, 0, 0};
    size_t nreg = 1;
    memset(x.region_node, 0, sizeof x.region_node);
    for (int g = 1; g < 128; g++)
        if (pn_region_name(g)[0] != '\0') {
            x.region_node[g] = (int)nreg;
            preg[nreg++] = 0;
        }
    int unknown = (int)nreg;
    preg[nreg++] = 0;
    x.region_node[0] = unknown; /* a leaf's unknown region; the rows' region 0 is the root */
    pn_ddim dims[4] = {{"site", PN_SITE_COUNT, psite}, {"period", np + 1, pperiod},
                       {"sex", 3, psex}, {"region", nreg, preg}};
    const unsigned masks[2] = {1u << DIM_SITE | 1u << DIM_PERIOD | 1u << DIM_SEX,
                               1u << DIM_SITE | 1u << DIM_PERIOD | 1u << DIM_REGION};
    memset(&m->audit, 0, sizeof m->audit);
    m->audit.min_width = INFINITY;
    m->audit.passed = 1;
    m->audit.exact = 1;
    m->audit.k = k;
    for (int v = 0; v < NVAR; v++) {
        if ((rc = pn_dcube_new_masks(&x.cube[v], dims, 4, masks, 2)) != PN_OK) goto nomem;
        for (size_t i = 0; i < counts->n; i++) {
            const pn_report_leaf *l = &counts->leaves[i];
            int leaf[4] = {l->site, l->period + 1, l->sex, x.region_node[l->region]};
            if (pn_dcube_add(x.cube[v], leaf, leaf_value(l, v)) != PN_OK) {
                rc = pn_diag_set(diag, PN_EINTERNAL, "disclosure: a count outside the report's cube");
                goto fail;
            }
        }
        pn_daudit a;
        if ((rc = pn_dcube_protect(x.cube[v], k, &a, diag)) != PN_OK) goto fail;
        m->ncubes++;
        m->audit.ncells += a.ncells;
        m->audit.nprimary += a.nprimary;
        m->audit.nsecondary += a.nsecondary;
        m->audit.nlp += a.nlp;
        m->audit.nadded += a.nadded;
        m->audit.ncomponents += a.ncomponents;
        if (a.largest > m->audit.largest) m->audit.largest = a.largest;
        if (a.nrounds > m->audit.nrounds) m->audit.nrounds = a.nrounds;
        if (a.min_width < m->audit.min_width) m->audit.min_width = a.min_width;
        m->audit.passed &= a.passed;
        m->audit.exact &= a.exact;
    }
    /* the period rows */
    for (size_t i = 0; i < r->n; i++) {
        const pn_report_row *row = &r->rows[i];
        if (row->period_from == 0) continue;
        int p = period_index(r, row->period_from, row->period_to);
        int mm = row->measure, h = row->horizon_years == 1 ? 0 : 1;
        long long n = -1, ev = -1;
        int sn = p < 0 ? -1 : status_at(&x, mm, row, p + 1, &n);
        int se = p < 0 ? -1 : status_at(&x, 3 + 2 * mm + h, row, p + 1, &ev);
        if (sn < 0 || se < 0 || n != row->n || ev != row->events) {
            rc = pn_diag_set(diag, PN_EINTERNAL, "disclosure: the report's row %zu (%s, %d-%d) is "
                             "not the sum of its counts (n %lld vs %lld)", i,
                             pn_site_name(row->site), row->period_from, row->period_to, row->n, n);
            goto fail;
        }
        m->n_status[i] = (unsigned char)sn;
        m->events_status[i] = (unsigned char)se;
        m->estimate_status[i] = (unsigned char)pn_disclosure_derived(se, sn, row->n, k);
    }
    /* the trend rows: sums over the periods with a 5-year net_std estimate */
    for (size_t i = 0; i < r->n; i++) {
        const pn_report_row *row = &r->rows[i];
        if (row->period_from != 0) continue;
        size_t nn = 0;
        int est = PN_DCELL_PUBLISHED;
        for (size_t p = 0; p < np; p++) {
            pn_report_row ref = *row;
            ref.period_from = r->periods[p].from;
            ref.period_to = r->periods[p].to;
            const pn_report_row *q = pn_report_cell(r, &ref, PN_REPORT_NET_STD, 5);
            if (q == NULL || !isfinite(q->estimate)) continue;
            nodes[nn++] = (int)p + 1;
            est = worst(est, m->estimate_status[q - r->rows]);
        }
        int node[4] = {row->site, 0, row->sex, row->region ? x.region_node[row->region] : 0};
        int sn = PN_DCELL_PUBLISHED, se = PN_DCELL_PUBLISHED;
        if (nn > 0) {
            if (!pn_dcube_sum_publishable(x.cube[2], node, DIM_PERIOD, nodes, nn))
                sn = PN_DCELL_SECONDARY;
            if (!pn_dcube_sum_publishable(x.cube[3 + 2 * 2 + 1], node, DIM_PERIOD, nodes, nn))
                se = PN_DCELL_SECONDARY;
        }
        m->n_status[i] = (unsigned char)sn;
        m->events_status[i] = (unsigned char)se;
        m->estimate_status[i] = (unsigned char)est;
    }
    rc = PN_OK;
    goto done;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
    pn_report_masks_free(m);
    m = NULL;
done:
    for (int v = 0; v < NVAR; v++) pn_dcube_free(x.cube[v]);
    pn_free(nodes);
    pn_free(preg);
    pn_free(pperiod);
    pn_free(psite);
    *out = m;
    return rc;
}

int pn_report_published(pn_store *store, const pn_report_opts *opts, long long k,
                        pn_report **rep, pn_report_masks **masks, pn_diag *diag)
{
    *rep = NULL;
    *masks = NULL;
    pn_report_counts *counts = NULL;
    /* the figures and the counts that protect them from one state of the store */
    int rc = pn_store_read_begin(store, diag);
    if (rc == PN_OK) rc = pn_report_compute(store, opts, rep, diag);
    if (rc == PN_OK && k > 0) rc = pn_report_counts_compute(store, opts, *rep, &counts, diag);
    pn_store_read_end(store);
    if (rc == PN_OK && k > 0) rc = pn_report_protect(*rep, counts, k, masks, diag);
    pn_report_counts_free(counts);
    if (rc != PN_OK) {
        pn_report_free(*rep);
        *rep = NULL;
    }
    return rc;
}
