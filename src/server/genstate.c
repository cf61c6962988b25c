/* genstate.c - objects built once per generation of the store and shared by the queries: the
 * current one is kept while it is current, each query holds a reference, and the first caller
 * of a new generation (the warm-up, usually) builds the next one, once; while it builds, the
 * others are answered from the previous one, said stale so that their answers are not cached,
 * and only when there is none do they wait. The previous one is freed when its last query lets
 * go. */
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

int pn__gen_acquire(pn__genstate *g, pn__srv *srv, pn__genobj **out, int *stale, pn_diag *diag)
{
    *out = NULL;
    pthread_mutex_lock(&g->lock);
    long long gen;
    for (;;) {
        gen = __atomic_load_n(&srv->generation, __ATOMIC_ACQUIRE);
        if (g->cur && g->cur->gen == gen) {
            g->cur->refs++;
            *out = g->cur;
            pthread_mutex_unlock(&g->lock);
            return PN_OK;
        }
        if (!g->building) break;            /* this caller builds it */
        if (g->cur && stale) {
            /* another caller is building it: the previous one meanwhile, said stale */
            g->cur->refs++;
            *out = g->cur;
            *stale = 1;
            pthread_mutex_unlock(&g->lock);
            return PN_OK;
        }
        pthread_cond_wait(&g->built, &g->lock);
    }
    g->building = 1;
    pthread_mutex_unlock(&g->lock);
    /* built outside the lock, so that the others can be answered meanwhile */
    pn__genobj *fresh = pn_calloc(1, sizeof *fresh);
    int rc = fresh ? g->build(srv, &fresh->obj, diag) : pn_diag_set(diag, PN_ENOMEM, "out of memory");
    pthread_mutex_lock(&g->lock);
    g->building = 0;
    if (rc == PN_OK) {
        fresh->owner = g;
        fresh->gen = gen;
        fresh->refs = 2;                    /* the owner's and this caller's */
        if (g->cur) unref(g, g->cur);
        g->cur = fresh;
        *out = fresh;
    } else {
        pn_free(fresh);
    }
    pthread_cond_broadcast(&g->built);
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
    int rc = pn__gen_acquire(g, srv, &o, NULL, &diag);
    if (rc == PN_OK) pn__gen_release(o);
    else if (rc != PN_ECANCELED) fprintf(stderr, "pronostic serve: %s: %s\n", g->what, diag.msg);
}

void pn__gen_clear(pn__genstate *g)
{
    pthread_mutex_lock(&g->lock);
    if (g->cur) unref(g, g->cur);
    g->cur = NULL;
    pthread_mutex_unlock(&g->lock);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->built);
}
