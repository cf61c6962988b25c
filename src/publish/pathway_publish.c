/* pathway_publish.c - disclosure control of the care-pathway indicators (pwpublish.h): the
 * cube's distinct counts, grouped by the identities between them, each group protected as one
 * table of linked cells (disclosure.h), the groups side by side on threads; then the masks of
 * the rows. */
#include "pronostic/pwpublish.h"
#include "pronostic/alloc.h"
#include "pronostic/threads.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* One protected table: the member counts' cells one after another. */
typedef struct group {
    int wanted;          /* read by the query: protected */
    size_t nmem;
    size_t mem[3];       /* distinct-count indexes */
    pn_dtable *t;
    pn_daudit audit;
    int rc;
    pn_diag diag;
} group;

struct pn_pw_protected {
    const pn_pw_cube *cube;
    long long k;
    int vec_of_count[2 * PN_PW_COUNT];   /* count -> distinct count */
    size_t nvec;
    size_t first_count[2 * PN_PW_COUNT]; /* distinct count -> its first count */
    size_t group_of[2 * PN_PW_COUNT];    /* distinct count -> group */
    size_t slot_of[2 * PN_PW_COUNT];     /* distinct count -> position in its group */
    size_t ngroups;
    group groups[2 * PN_PW_COUNT];
    size_t next;                          /* the next group to protect (threads) */
    pthread_mutex_t lock;
};

static const long long *values(const pn_pw_cube *c, size_t count)
{
    return c->counts + count * c->ncells;
}

/* Build and protect group g's table. */
static void protect_group(pn_pw_protected *p, group *g)
{
    const pn_pw_cube *c = p->cube;
    size_t n = c->ncells;
    g->rc = pn_dtable_new(&g->t);
    for (size_t m = 0; m < g->nmem && g->rc == PN_OK; m++) {
        const long long *v = values(c, p->first_count[g->mem[m]]);
        for (size_t i = 0; i < n && g->rc == PN_OK; i++) {
            size_t idx;
            g->rc = pn_dtable_cell(g->t, v[i], &idx);
        }
    }
    for (size_t m = 0; m < g->nmem && g->rc == PN_OK; m++) {
        size_t off = m * n;
        size_t parts[4096];
        for (size_t r = 0; r < c->nrel && g->rc == PN_OK; r++) {
            size_t np = c->rel_start[r + 1] - c->rel_start[r];
            if (np > sizeof parts / sizeof *parts) {
                g->rc = pn_diag_set(&g->diag, PN_EINVAL, "disclosure: a total of %zu parts", np);
                break;
            }
            for (size_t j = 0; j < np; j++) parts[j] = off + c->rel_parts[c->rel_start[r] + j];
            g->rc = pn_dtable_relation(g->t, off + c->rel_total[r], parts, np);
        }
    }
    /* the identity of the group of three: member 0 = member 1 + member 2, cell by cell */
    if (g->nmem == 3)
        for (size_t i = 0; i < n && g->rc == PN_OK; i++) {
            size_t parts[2] = {n + i, 2 * n + i};
            g->rc = pn_dtable_relation(g->t, i, parts, 2);
        }
    if (g->rc == PN_OK) g->rc = pn_dtable_protect(g->t, p->k, &g->audit, &g->diag);
    else if (g->rc == PN_ENOMEM) pn_diag_set(&g->diag, PN_ENOMEM, "out of memory");
}

static void *worker(void *arg)
{
    pn_pw_protected *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t g = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (g >= p->ngroups) return NULL;
        if (p->groups[g].wanted) protect_group(p, &p->groups[g]);
    }
}

/* The distinct count equal to count c among the first ones, or -1. */
static int same_as(const pn_pw_protected *p, size_t c)
{
    const pn_pw_cube *cube = p->cube;
    for (size_t v = 0; v < p->nvec; v++)
        if (memcmp(values(cube, p->first_count[v]), values(cube, c),
                   cube->ncells * sizeof *cube->counts) == 0)
            return (int)v;
    return -1;
}

int pn_pw_protect(const pn_pw_cube *cube, long long k, unsigned indicators, int nthreads,
                  pn_pw_protected **out, pn_diag *diag)
{
    *out = NULL;
    pn_pw_protected *p = pn_calloc(1, sizeof *p);
    if (p == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    p->cube = cube;
    p->k = k;
    pthread_mutex_init(&p->lock, NULL);
    for (size_t c = 0; c < cube->ncounts; c++) {
        int v = same_as(p, c);
        if (v < 0) {
            v = (int)p->nvec++;
            p->first_count[v] = c;
        }
        p->vec_of_count[c] = v;
    }
    /* the group of three (decedents, without and with palliative care), then one group per
     * other distinct count */
    size_t tri[3] = {(size_t)p->vec_of_count[2 * PN_PW_NO_PALLIATIVE],
                     (size_t)p->vec_of_count[2 * PN_PW_NO_PALLIATIVE + 1],
                     (size_t)p->vec_of_count[2 * PN_PW_PALLIATIVE_LAST_3D]};
    int tri_distinct = tri[0] != tri[1] && tri[0] != tri[2] && tri[1] != tri[2];
    for (size_t v = 0; v < p->nvec; v++) p->group_of[v] = SIZE_MAX;
    if (tri_distinct) {
        group *g = &p->groups[p->ngroups];
        g->nmem = 3;
        for (int m = 0; m < 3; m++) {
            g->mem[m] = tri[m];
            p->group_of[tri[m]] = p->ngroups;
            p->slot_of[tri[m]] = (size_t)m;
        }
        p->ngroups++;
    }
    for (size_t v = 0; v < p->nvec; v++) {
        if (p->group_of[v] != SIZE_MAX) continue;
        group *g = &p->groups[p->ngroups];
        g->nmem = 1;
        g->mem[0] = v;
        p->group_of[v] = p->ngroups++;
        p->slot_of[v] = 0;
    }
    /* the groups the query reads (a group's statuses depend on its own counts only) */
    for (size_t c = 0; c < cube->ncounts; c++)
        if (indicators == 0 || (indicators >> (c / 2) & 1))
            p->groups[p->group_of[p->vec_of_count[c]]].wanted = 1;
    if (nthreads < 1) nthreads = 1;
    if (nthreads > PN_MAX_THREADS) nthreads = PN_MAX_THREADS;
    pthread_t tid[PN_MAX_THREADS];
    int started[PN_MAX_THREADS] = {0};
    for (int t = 1; t < nthreads; t++) started[t] = pthread_create(&tid[t], NULL, worker, p) == 0;
    worker(p);
    for (int t = 1; t < nthreads; t++)
        if (started[t]) pthread_join(tid[t], NULL);
    for (size_t g = 0; g < p->ngroups; g++)
        if (p->groups[g].rc != PN_OK) {
            int rc = p->groups[g].rc;
            if (diag) *diag = p->groups[g].diag;
            pn_pw_protected_free(p);
            return rc;
        }
    *out = p;
    return PN_OK;
}

void pn_pw_protected_free(pn_pw_protected *p)
{
    if (p == NULL) return;
    for (size_t g = 0; g < p->ngroups; g++) pn_dtable_free(p->groups[g].t);
    pthread_mutex_destroy(&p->lock);
    pn_free(p);
}

/* The status of count c of the row (the sum of its cells): published when every cell is, else
 * primary when one of them is, else secondary. */
static int count_status(const pn_pw_protected *p, size_t c, const pn_pw_row *row)
{
    size_t v = (size_t)p->vec_of_count[c];
    const group *g = &p->groups[p->group_of[v]];
    size_t off = p->slot_of[v] * p->cube->ncells;
    size_t cells[PN_PW_ROW_MAXCELLS];
    int primary = 0;
    for (size_t i = 0; i < row->ncells; i++) {
        cells[i] = off + row->cells[i];
        if (pn_dtable_status(g->t, cells[i]) == PN_DCELL_PRIMARY) primary = 1;
    }
    if (pn_dtable_sum_publishable(g->t, cells, row->ncells)) return PN_DCELL_PUBLISHED;
    return primary ? PN_DCELL_PRIMARY : PN_DCELL_SECONDARY;
}

void pn_pw_mask_row(const pn_pw_protected *p, const pn_pw_row *row, pn_pw_mask *m)
{
    int num = count_status(p, (size_t)(2 * row->indicator + 1), row);
    int den = count_status(p, (size_t)(2 * row->indicator), row);
    /* the subjects the estimate is over: the numerator's for a delay, else the denominator's */
    long long subjects = pn_pw_kind(row->indicator) == PN_PW_DELAY ? row->numerator : row->denominator;
    int est = pn_disclosure_derived(num, den, subjects, p->k);
    m->numerator = num != PN_DCELL_PUBLISHED;
    m->denominator = den != PN_DCELL_PUBLISHED;
    m->estimate = est != PN_DCELL_PUBLISHED;
    m->suppressed = est;
}

void pn_pw_protected_audit(const pn_pw_protected *p, pn_daudit *a)
{
    memset(a, 0, sizeof *a);
    a->passed = 1;
    a->exact = 1;
    a->min_width = INFINITY;
    a->k = p->k;
    for (size_t g = 0; g < p->ngroups; g++) {
        if (!p->groups[g].wanted) continue;
        const pn_daudit *x = &p->groups[g].audit;
        a->ncells += x->ncells;
        a->nprimary += x->nprimary;
        a->nsecondary += x->nsecondary;
        a->nlp += x->nlp;
        a->ncomponents += x->ncomponents;
        a->nadded += x->nadded;
        if (x->largest > a->largest) a->largest = x->largest;
        if (x->nrounds > a->nrounds) a->nrounds = x->nrounds;
        if (x->min_width < a->min_width) a->min_width = x->min_width;
        a->passed = a->passed && x->passed;
        a->exact = a->exact && x->exact;
    }
}

int pn_pw_protected_write_audit(const pn_pw_protected *p, const char *path, pn_diag *diag)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return pn_diag_set(diag, PN_EIO, "%s: cannot write the audit: %s", path, strerror(errno));
    fprintf(f, "count,cell,status,value,min,max\n");
    size_t n = p->cube->ncells;
    for (size_t v = 0; v < p->nvec; v++) {
        const group *g = &p->groups[p->group_of[v]];
        if (!g->wanted) continue;
        size_t off = p->slot_of[v] * n, c = p->first_count[v];
        for (size_t i = 0; i < n; i++) {
            int st = pn_dtable_status(g->t, off + i);
            if (st == PN_DCELL_PUBLISHED) continue;
            double lo = NAN, hi = NAN;
            pn_dtable_interval(g->t, off + i, &lo, &hi);
            fprintf(f, "%s.%s,%zu,%s,%lld,%.17g,%.17g\n", pn_pw_name((int)(c / 2)),
                    c % 2 ? "numerator" : "denominator", i,
                    st == PN_DCELL_PRIMARY ? "primary" : "secondary",
                    pn_dtable_count(g->t, off + i), lo, hi);
        }
    }
    if (fclose(f) != 0) return pn_diag_set(diag, PN_EIO, "%s: cannot write the audit", path);
    return PN_OK;
}
