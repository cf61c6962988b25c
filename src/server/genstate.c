/* genstate.c - objects built once per generation of the store and shared by the queries: the
 * current one is kept while it is current, each query holds a reference, and the first query
 * of a new generation builds the next one while the others wait for it (one build, not one
 * each); the previous one is freed when its last query lets go. */
#include "server_internal.h"

#include "pronostic/alloc.h"

struct pn__genobj {
    pn__genstate *owner;
    long long gen;
    int refs;                   /* the owner's (while current) and each query's */
    void *obj;
};

static void unref(pn__genstate *g, pn__genobj *o)
{
    /* under g->lock */
    if (--o->refs == 0) {
        g->destroy(o->obj);
        pn_free(o);
    }
}

int pn__gen_acquire(pn__genstate *g, pn__srv *srv, pn__genobj **out, pn_diag *diag)
{
    *out = NULL;
    int rc = PN_OK;
    pthread_mutex_lock(&g->lock);
    long long gen = __atomic_load_n(&srv->generation, __ATOMIC_ACQUIRE);
    if (g->cur == NULL || g->cur->gen != gen) {
        pn__genobj *fresh = pn_calloc(1, sizeof *fresh);
        if (fresh == NULL) rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        else if ((rc = g->build(srv, &fresh->obj, diag)) != PN_OK) pn_free(fresh);
        if (rc == PN_OK) {
            fresh->owner = g;
            fresh->gen = gen;
            fresh->refs = 1;
            if (g->cur) unref(g, g->cur);
            g->cur = fresh;
        }
    }
    if (rc == PN_OK) {
        g->cur->refs++;
        *out = g->cur;
    }
    pthread_mutex_unlock(&g->lock);
    return rc;
}

void *pn__gen_obj(const pn__genobj *o) { return o->obj; }

void pn__gen_release(pn__genobj *o)
{
    if (o == NULL) return;
    pn__genstate *g = o->owner;
    pthread_mutex_lock(&g->lock);
    unref(g, o);
    pthread_mutex_unlock(&g->lock);
}

void pn__gen_warm(pn__genstate *g, pn__srv *srv)
{
    pn_diag diag = {0};
    pn__genobj *o = NULL;
    if (pn__gen_acquire(g, srv, &o, &diag) == PN_OK) pn__gen_release(o);
    else fprintf(stderr, "pronostic serve: %s: %s\n", g->what, diag.msg);
}

void pn__gen_clear(pn__genstate *g)
{
    pthread_mutex_lock(&g->lock);
    if (g->cur) unref(g, g->cur);
    g->cur = NULL;
    pthread_mutex_unlock(&g->lock);
}
