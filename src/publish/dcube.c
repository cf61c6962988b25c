/* dcube.c - a cube of hierarchical dimensions whose published tables share their margins
 * (disclosure.h): one cell per coordinate (a node of every dim, the root for a dim the cell
 * does not split), whichever tables hold it; the relations of every table along each of its
 * dims (a cell = the sum of its children's cells), each stated once; the subjects added at the
 * finest cells of each table and summed up the hierarchies at protection, which protects the
 * cube's one table of cells (dtable.c). */
#include "pronostic/disclosure.h"
#include "pronostic/alloc.h"
#include "pronostic/hash.h"
#include "dtable_internal.h"

#include <stdint.h>
#include <string.h>

typedef struct dimx {
    size_t nnodes;
    int *parent;
    int *first_child, *next_sibling;
    int *leaf_ord;       /* ordinal among the leaves, -1 for an inner node */
    int *leaf_node;      /* the node of each leaf ordinal */
    size_t *under;       /* leaves under each node (itself for a leaf) */
    size_t nleaves;
    unsigned shift, bits;
} dimx;

struct pn_dcube {
    size_t ndims;
    dimx dim[PN_DCUBE_MAXDIMS];
    unsigned used;           /* dims some table crosses */
    size_t ntables;
    unsigned *mask;
    int (*tdims)[2];         /* a two-dimension table's dims in the caller's order */
    long long **fine;        /* per table: counts at its finest cells (leaf x leaf ...) */
    size_t *nfine;
    uint64_t *keys;          /* hash of cell keys; UINT64_MAX empty */
    size_t *vals;
    size_t hcap;
    size_t *owner;           /* per cell: the first table holding it */
    pn_dtable *dt;
    int summed;
};

static uint64_t key_of(const pn_dcube *c, const int *node)
{
    uint64_t k = 0;
    for (size_t d = 0; d < c->ndims; d++) k |= (uint64_t)node[d] << c->dim[d].shift;
    return k;
}

static size_t lookup(const pn_dcube *c, uint64_t key)
{
    if (c->hcap == 0) return (size_t)-1;
    size_t m = c->hcap - 1;
    for (size_t h = pn_hash_mix64(key) & m;; h = (h + 1) & m) {
        if (c->keys[h] == key) return c->vals[h];
        if (c->keys[h] == UINT64_MAX) return (size_t)-1;
    }
}

static int insert(pn_dcube *c, uint64_t key, size_t val)
{
    if (2 * (c->dt->ncells + 1) > c->hcap) {
        size_t ncap = c->hcap ? 2 * c->hcap : 1024;
        uint64_t *nk = pn_malloc(ncap * sizeof *nk);
        size_t *nv = pn_malloc(ncap * sizeof *nv);
        if (nk == NULL || nv == NULL) {
            pn_free(nk);
            pn_free(nv);
            return PN_ENOMEM;
        }
        memset(nk, 0xff, ncap * sizeof *nk);
        for (size_t i = 0; i < c->hcap; i++) {
            if (c->keys[i] == UINT64_MAX) continue;
            size_t h = pn_hash_mix64(c->keys[i]) & (ncap - 1);
            while (nk[h] != UINT64_MAX) h = (h + 1) & (ncap - 1);
            nk[h] = c->keys[i];
            nv[h] = c->vals[i];
        }
        pn_free(c->keys);
        pn_free(c->vals);
        c->keys = nk;
        c->vals = nv;
        c->hcap = ncap;
    }
    size_t h = pn_hash_mix64(key) & (c->hcap - 1);
    while (c->keys[h] != UINT64_MAX) h = (h + 1) & (c->hcap - 1);
    c->keys[h] = key;
    c->vals[h] = val;
    return PN_OK;
}

void pn_dcube_free(pn_dcube *c)
{
    if (c == NULL) return;
    for (size_t d = 0; d < c->ndims; d++) {
        pn_free(c->dim[d].parent);
        pn_free(c->dim[d].first_child);
        pn_free(c->dim[d].next_sibling);
        pn_free(c->dim[d].leaf_ord);
        pn_free(c->dim[d].leaf_node);
        pn_free(c->dim[d].under);
    }
    for (size_t t = 0; c->fine && t < c->ntables; t++) pn_free(c->fine[t]);
    pn_free(c->fine);
    pn_free(c->nfine);
    pn_free(c->mask);
    pn_free(c->tdims);
    pn_free(c->keys);
    pn_free(c->vals);
    pn_free(c->owner);
    pn_dtable_free(c->dt);
    pn_free(c);
}

static int copy_dim(dimx *x, const pn_ddim *d, pn_diag *diag)
{
    size_t n = d->nnodes;
    if (n == 0 || n > (size_t)1 << 30 || d->parent == NULL || d->parent[0] != -1)
        return pn_diag_set(diag, PN_EINVAL, "disclosure: dim %s: no nodes or node 0 is not the root",
                           d->name ? d->name : "?");
    x->nnodes = n;
    x->parent = pn_malloc(n * sizeof *x->parent);
    x->first_child = pn_malloc(n * sizeof *x->first_child);
    x->next_sibling = pn_malloc(n * sizeof *x->next_sibling);
    x->leaf_ord = pn_malloc(n * sizeof *x->leaf_ord);
    x->leaf_node = pn_malloc(n * sizeof *x->leaf_node);
    x->under = pn_calloc(n, sizeof *x->under);
    if (!x->parent || !x->first_child || !x->next_sibling || !x->leaf_ord || !x->leaf_node ||
        !x->under)
        return PN_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        x->parent[i] = d->parent[i];
        x->first_child[i] = x->next_sibling[i] = -1;
        if (i > 0 && (d->parent[i] < 0 || (size_t)d->parent[i] >= i))
            return pn_diag_set(diag, PN_EINVAL, "disclosure: dim %s: node %zu's parent %d is not "
                               "an earlier node", d->name ? d->name : "?", i, d->parent[i]);
    }
    /* children in increasing order: link from the last node down */
    for (size_t i = n; i-- > 1;) {
        int p = x->parent[i];
        x->next_sibling[i] = x->first_child[p];
        x->first_child[p] = (int)i;
    }
    x->nleaves = 0;
    for (size_t i = 0; i < n; i++) {
        x->leaf_ord[i] = -1;
        if (x->first_child[i] < 0) {
            x->leaf_ord[i] = (int)x->nleaves;
            x->leaf_node[x->nleaves++] = (int)i;
            for (int a = (int)i; a >= 0; a = x->parent[a]) x->under[a]++;
        }
    }
    x->bits = 0;
    while (((size_t)1 << x->bits) < n) x->bits++;
    return PN_OK;
}

/* The dims of a table (bits of its mask), in increasing order; their number. */
static size_t table_dims(const pn_dcube *c, size_t t, int *dims)
{
    size_t k = 0;
    for (size_t d = 0; d < c->ndims; d++)
        if (c->mask[t] & (1u << d)) dims[k++] = (int)d;
    return k;
}

/* Advance an odometer over the nodes of dims[0..k-1]; 0 when it wraps. */
static int next_coord(const pn_dcube *c, const int *dims, size_t k, int *node)
{
    for (size_t i = 0; i < k; i++) {
        int d = dims[i];
        if ((size_t)++node[d] < c->dim[d].nnodes) return 1;
        node[d] = 0;
    }
    return 0;
}

static unsigned support(const pn_dcube *c, const int *node)
{
    unsigned s = 0;
    for (size_t d = 0; d < c->ndims; d++)
        if (node[d] != 0) s |= 1u << d;
    return s;
}

/* The cells of every table and their relations. */
static int build(pn_dcube *c, pn_diag *diag)
{
    int dims[PN_DCUBE_MAXDIMS], node[PN_DCUBE_MAXDIMS];
    size_t *parts = NULL, partcap = 0, ocap = 0;
    int rc = PN_OK;
    for (size_t t = 0; t < c->ntables; t++) {
        size_t k = table_dims(c, t, dims);
        memset(node, 0, sizeof node);
        do {
            uint64_t key = key_of(c, node);
            if (lookup(c, key) != (size_t)-1) continue;
            size_t idx;
            if ((rc = pn_dtable_cell(c->dt, 0, &idx)) != PN_OK) goto done;
            if ((rc = insert(c, key, idx)) != PN_OK) goto done;
            if ((rc = pn_grow((void **)&c->owner, &ocap, idx + 1, sizeof *c->owner)) != PN_OK)
                goto done;
            c->owner[idx] = t;
        } while (next_coord(c, dims, k, node));
    }
    for (size_t t = 0; t < c->ntables; t++) {
        size_t k = table_dims(c, t, dims);
        memset(node, 0, sizeof node);
        do {
            unsigned sup = support(c, node);
            for (size_t i = 0; i < k; i++) {
                int d = dims[i];
                const dimx *x = &c->dim[d];
                if (x->first_child[node[d]] < 0) continue;
                /* stated by an earlier table holding this cell and dim already */
                int earlier = 0;
                for (size_t u = 0; u < t && !earlier; u++)
                    earlier = (c->mask[u] & (1u << d)) && (sup & ~c->mask[u]) == 0;
                if (earlier) continue;
                size_t np = 0;
                int keep = node[d];
                for (int ch = x->first_child[keep]; ch >= 0; ch = x->next_sibling[ch]) {
                    node[d] = ch;
                    if ((rc = pn_grow((void **)&parts, &partcap, np + 1, sizeof *parts)) != PN_OK)
                        goto done;
                    parts[np++] = lookup(c, key_of(c, node));
                }
                node[d] = keep;
                if ((rc = pn_dtable_relation(c->dt, lookup(c, key_of(c, node)), parts, np)) != PN_OK)
                    goto done;
            }
        } while (next_coord(c, dims, k, node));
    }
done:
    pn_free(parts);
    if (rc == PN_ENOMEM) pn_diag_set(diag, rc, "out of memory");
    return rc;
}

int pn_dcube_new_masks(pn_dcube **out, const pn_ddim *dims, size_t ndims, const unsigned *masks,
                       size_t ntables)
{
    *out = NULL;
    if (ndims == 0 || ndims > PN_DCUBE_MAXDIMS || ntables == 0) return PN_EINVAL;
    pn_dcube *c = pn_calloc(1, sizeof *c);
    if (c == NULL) return PN_ENOMEM;
    c->ndims = ndims;
    int rc = PN_OK;
    unsigned shift = 0;
    for (size_t d = 0; d < ndims; d++) {
        if ((rc = copy_dim(&c->dim[d], &dims[d], NULL)) != PN_OK) goto fail;
        c->dim[d].shift = shift;
        shift += c->dim[d].bits;
    }
    if (shift > 63) {
        rc = PN_EINVAL;
        goto fail;
    }
    c->ntables = ntables;
    c->mask = pn_malloc(ntables * sizeof *c->mask);
    c->tdims = pn_malloc(ntables * sizeof *c->tdims);
    c->fine = pn_calloc(ntables, sizeof *c->fine);
    c->nfine = pn_calloc(ntables, sizeof *c->nfine);
    if (!c->mask || !c->tdims || !c->fine || !c->nfine || pn_dtable_new(&c->dt) != PN_OK) {
        rc = PN_ENOMEM;
        goto fail;
    }
    for (size_t t = 0; t < ntables; t++) {
        if (masks[t] == 0 || masks[t] >> ndims) {
            rc = PN_EINVAL;
            goto fail;
        }
        c->mask[t] = masks[t];
        c->used |= masks[t];
        int dd[PN_DCUBE_MAXDIMS];
        size_t k = table_dims(c, t, dd);
        c->tdims[t][0] = dd[0];
        c->tdims[t][1] = k > 1 ? dd[1] : -1;
        size_t nf = 1;
        for (size_t i = 0; i < k; i++) nf *= c->dim[dd[i]].nleaves;
        c->nfine[t] = nf;
        c->fine[t] = pn_calloc(nf, sizeof *c->fine[t]);
        if (c->fine[t] == NULL) {
            rc = PN_ENOMEM;
            goto fail;
        }
    }
    if ((rc = build(c, NULL)) != PN_OK) goto fail;
    *out = c;
    return PN_OK;
fail:
    pn_dcube_free(c);
    return rc;
}

int pn_dcube_new(pn_dcube **out, const pn_ddim *dims, size_t ndims, const int (*tables)[2],
                 size_t ntables)
{
    *out = NULL;
    if (ntables == 0 || ndims > PN_DCUBE_MAXDIMS) return PN_EINVAL;
    unsigned *masks = pn_malloc(ntables * sizeof *masks);
    if (masks == NULL) return PN_ENOMEM;
    for (size_t t = 0; t < ntables; t++) {
        int a = tables[t][0], b = tables[t][1];
        if (a < 0 || (size_t)a >= ndims || b < -1 || b == a || (b >= 0 && (size_t)b >= ndims)) {
            pn_free(masks);
            return PN_EINVAL;
        }
        masks[t] = (1u << a) | (b >= 0 ? 1u << b : 0);
    }
    int rc = pn_dcube_new_masks(out, dims, ndims, masks, ntables);
    pn_free(masks);
    if (rc == PN_OK)
        for (size_t t = 0; t < ntables; t++) {
            (*out)->tdims[t][0] = tables[t][0];
            (*out)->tdims[t][1] = tables[t][1];
        }
    return rc;
}

int pn_dcube_add(pn_dcube *c, const int *leaf, long long count)
{
    if (count < 0 || c->summed) return PN_EINVAL;
    for (size_t d = 0; d < c->ndims; d++) {
        if (leaf[d] < 0 || (size_t)leaf[d] >= c->dim[d].nnodes) return PN_EINVAL;
        if ((c->used & (1u << d)) && c->dim[d].leaf_ord[leaf[d]] < 0) return PN_EINVAL;
    }
    int dims[PN_DCUBE_MAXDIMS];
    for (size_t t = 0; t < c->ntables; t++) {
        size_t k = table_dims(c, t, dims), off = 0;
        for (size_t i = k; i-- > 0;)
            off = off * c->dim[dims[i]].nleaves + (size_t)c->dim[dims[i]].leaf_ord[leaf[dims[i]]];
        c->fine[t][off] += count;
    }
    return PN_OK;
}

/* Every cell's count: each table's finest counts added to every cell of that table covering
 * them (the cells it owns; a shared cell is summed once, from its first table). */
static void sum_margins(pn_dcube *c)
{
    pn_dtable *dt = c->dt;
    for (size_t i = 0; i < dt->ncells; i++) dt->count[i] = 0;
    int dims[PN_DCUBE_MAXDIMS], node[PN_DCUBE_MAXDIMS], leaf[PN_DCUBE_MAXDIMS];
    for (size_t t = 0; t < c->ntables; t++) {
        size_t k = table_dims(c, t, dims);
        for (size_t f = 0; f < c->nfine[t]; f++) {
            long long v = c->fine[t][f];
            if (v == 0) continue;
            memset(node, 0, sizeof node);
            size_t rest = f;
            for (size_t i = 0; i < k; i++) {
                const dimx *x = &c->dim[dims[i]];
                leaf[i] = x->leaf_node[rest % x->nleaves];
                rest /= x->nleaves;
                node[dims[i]] = leaf[i];
            }
            /* odometer over the ancestors-or-self of each leaf */
            for (;;) {
                size_t cell = lookup(c, key_of(c, node));
                if (c->owner[cell] == t) dt->count[cell] += v;
                size_t i = 0;
                for (; i < k; i++) {
                    int d = dims[i];
                    if (node[d] != 0) {
                        node[d] = c->dim[d].parent[node[d]];
                        break;
                    }
                    node[d] = leaf[i];
                }
                if (i == k) break;
            }
        }
    }
    c->summed = 1;
}

int pn_dcube_protect(pn_dcube *c, long long k, pn_daudit *audit, pn_diag *diag)
{
    if (!c->summed) sum_margins(c);
    return pn_dtable_protect(c->dt, k, audit, diag);
}

int pn_dcube_index(const pn_dcube *c, const int *node, size_t *index)
{
    for (size_t d = 0; d < c->ndims; d++)
        if (node[d] < 0 || (size_t)node[d] >= c->dim[d].nnodes) return PN_EINVAL;
    size_t i = lookup(c, key_of(c, node));
    if (i == (size_t)-1) return PN_ENOTFOUND;
    *index = i;
    return PN_OK;
}

int pn_dcube_cell(const pn_dcube *c, size_t table, int node_a, int node_b, long long *count,
                  int *status)
{
    if (table >= c->ntables) return PN_EINVAL;
    int node[PN_DCUBE_MAXDIMS] = {0};
    node[c->tdims[table][0]] = node_a;
    if (c->tdims[table][1] >= 0) node[c->tdims[table][1]] = node_b;
    size_t i;
    int rc = pn_dcube_index(c, node, &i);
    if (rc != PN_OK) return PN_EINVAL;
    if (count) *count = c->dt->count[i];
    if (status) *status = c->dt->status[i];
    return PN_OK;
}

const pn_dtable *pn_dcube_dtable(const pn_dcube *c) { return c->dt; }
pn_dtable *pn_dcube_dtable_mut(pn_dcube *c) { return c->dt; }

int pn_dcube_sum_publishable(const pn_dcube *c, const int *node, int dim, const int *nodes,
                             size_t n)
{
    if (dim < 0 || (size_t)dim >= c->ndims || n == 0) return 0;
    const dimx *x = &c->dim[dim];
    int at[PN_DCUBE_MAXDIMS];
    memcpy(at, node, c->ndims * sizeof *at);
    /* every listed cell published: the sum is a function of published figures */
    int all = 1;
    for (size_t i = 0; i < n; i++) {
        if (nodes[i] < 0 || (size_t)nodes[i] >= x->nnodes) return 0;
        at[dim] = nodes[i];
        size_t idx;
        if (pn_dcube_index(c, at, &idx) != PN_OK) return 0;
        if (c->dt->status[idx] != PN_DCELL_PUBLISHED) all = 0;
    }
    if (all) return 1;
    /* else the range must be one node of the dim: its leaves exactly those of the nodes */
    size_t covered = 0;
    size_t *hit = pn_calloc(x->nnodes, sizeof *hit);
    unsigned char *listed = pn_calloc(x->nnodes, 1);
    int ok = 0;
    if (hit == NULL || listed == NULL) goto done;
    for (size_t i = 0; i < n; i++) listed[nodes[i]] = 1;
    for (size_t l = 0; l < x->nleaves; l++) {
        int leaf = x->leaf_node[l], times = 0;
        for (int a = leaf; a >= 0; a = x->parent[a]) times += listed[a];
        if (times > 1) goto done; /* overlapping nodes: not a partition of one node */
        if (times == 0) continue;
        covered++;
        for (int a = leaf; a >= 0; a = x->parent[a]) hit[a]++;
    }
    for (size_t v = 0; v < x->nnodes && !ok; v++) {
        if (hit[v] != covered || x->under[v] != covered) continue;
        at[dim] = (int)v;
        size_t idx;
        if (pn_dcube_index(c, at, &idx) == PN_OK && c->dt->status[idx] == PN_DCELL_PUBLISHED) ok = 1;
    }
done:
    pn_free(listed);
    pn_free(hit);
    return ok;
}
