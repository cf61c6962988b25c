/* pathway_set.c - the indicator records of a whole store (pathway.h): the centres and the
 * closing date read first, then every patient's pathway read side by side (pathread.h) and
 * evaluated on its thread, the threads' records joined in range order (so that they do not
 * depend on the number of threads). */
#include "pronostic/pathway.h"
#include "pronostic/alloc.h"
#include "pronostic/pathread.h"
#include "pronostic/site.h"
#include "pronostic/threads.h"

#include <stdlib.h>
#include <string.h>

void pn_pathway_set_free(pn_pathway_set *set)
{
    if (set == NULL) return;
    for (size_t i = 0; i < set->centres.n; i++) {
        pn_free(set->centres.id[i]);
        pn_free(set->centres.authorisations[i]);
    }
    pn_free(set->centres.id);
    pn_free(set->centres.authorisations);
    pn_free(set->rec);
    pn_free(set);
}

/* The year range of the records. */
static void year_range(pn_pathway_set *set)
{
    set->first_year = set->last_year = 0;
    for (size_t i = 0; i < set->n; i++) {
        int y = set->rec[i].year;
        if (set->first_year == 0 || y < set->first_year) set->first_year = y;
        if (y > set->last_year) set->last_year = y;
    }
}

static int copy_centres(pn_pw_centres *dst, const pn_pw_centres *src)
{
    memset(dst, 0, sizeof *dst);
    if (src == NULL || src->n == 0) return PN_OK;
    dst->id = pn_calloc(src->n, sizeof *dst->id);
    dst->authorisations = pn_calloc(src->n, sizeof *dst->authorisations);
    if (dst->id == NULL || dst->authorisations == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < src->n; i++) {
        dst->n = i + 1;
        dst->id[i] = pn_strdup(src->id[i]);
        dst->authorisations[i] = src->authorisations[i] ? pn_strdup(src->authorisations[i]) : NULL;
        if (dst->id[i] == NULL || (src->authorisations[i] && dst->authorisations[i] == NULL))
            return PN_ENOMEM;
    }
    return PN_OK;
}

int pn_pathway_set_from(const pn_pw_record *rec, size_t n, const pn_pw_centres *centres,
                        int32_t closing, pn_pathway_set **out)
{
    *out = NULL;
    pn_pathway_set *set = pn_calloc(1, sizeof *set);
    if (set == NULL) return PN_ENOMEM;
    set->rec = pn_reallocarray(NULL, n ? n : 1, sizeof *set->rec);
    if (set->rec == NULL || copy_centres(&set->centres, centres) != PN_OK) {
        pn_pathway_set_free(set);
        return PN_ENOMEM;
    }
    if (n) memcpy(set->rec, rec, n * sizeof *rec);
    set->n = n;
    set->closing = closing;
    year_range(set);
    *out = set;
    return PN_OK;
}

/* ---- reading the store ------------------------------------------------------------------- */

typedef struct centres_build {
    pn_pw_centres *c;
    size_t capid, capauth;
} centres_build;

static int take_centre(const pn_scan_centre *sc, void *ctx)
{
    centres_build *b = ctx;
    pn_pw_centres *c = b->c;
    if (pn_grow((void **)&c->id, &b->capid, c->n + 1, sizeof *c->id) != PN_OK ||
        pn_grow((void **)&c->authorisations, &b->capauth, c->n + 1,
                sizeof *c->authorisations) != PN_OK)
        return PN_ENOMEM;
    c->id[c->n] = pn_strdup(sc->centre_id);
    c->authorisations[c->n] = sc->authorisations ? pn_strdup(sc->authorisations) : NULL;
    c->n++;
    if (c->id[c->n - 1] == NULL || (sc->authorisations && c->authorisations[c->n - 1] == NULL))
        return PN_ENOMEM;
    return PN_OK;
}

/* One thread's records. */
typedef struct part {
    const pn_pathway_conf *conf;
    int32_t closing;
    const pn_pw_centres *centres;
    pn_pw_record *rec;
    size_t n, cap;
} part;

static int take_patient(const pn_scan_patient *p, void *ctx)
{
    part *t = ctx;
    if (pn_grow((void **)&t->rec, &t->cap, t->n + PN_SITE_AML, sizeof *t->rec) != PN_OK)
        return PN_ENOMEM;
    size_t n = 0;
    pn_pathway_evaluate(p, t->conf, t->closing, t->centres, t->rec + t->n, &n);
    t->n += n;
    return PN_OK;
}

int pn_pathway_set_read(const char *path, const pn_pathway_conf *conf, int32_t closing,
                        int nthreads, pn_pathway_set **out, pn_diag *diag)
{
    *out = NULL;
    pn_pathway_set *set = pn_calloc(1, sizeof *set);
    if (set == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    part parts[PN_MAX_THREADS];
    void *ctxs[PN_MAX_THREADS];
    memset(parts, 0, sizeof parts);
    if (nthreads < 1) nthreads = 1;
    if (nthreads > PN_MAX_THREADS) nthreads = PN_MAX_THREADS;
    pn_store *store = NULL;
    int rc = pn_store_open_readonly(&store, path, diag);
    if (rc != PN_OK) goto fail;
    centres_build cb = {&set->centres, 0, 0};
    rc = pn_store_scan_centres(store, take_centre, &cb, diag);
    if (rc == PN_ENOMEM) rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
    if (rc == PN_OK && closing == PN_NO_DATE) rc = pn_store_latest_vital_date(store, &closing, diag);
    pn_store_close(store);
    if (rc != PN_OK) goto fail;
    set->closing = closing;
    for (int k = 0; k < nthreads; k++) {
        parts[k].conf = conf;
        parts[k].closing = closing;
        parts[k].centres = &set->centres;
        ctxs[k] = &parts[k];
    }
    rc = pn_pathways_read(path, nthreads, take_patient, ctxs, diag);
    if (rc == PN_ENOMEM) rc = pn_diag_set(diag, PN_ENOMEM, "out of memory reading the pathways");
    if (rc != PN_OK) goto fail;
    size_t total = 0;
    for (int k = 0; k < nthreads; k++) total += parts[k].n;
    set->rec = pn_reallocarray(NULL, total ? total : 1, sizeof *set->rec);
    if (set->rec == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto fail;
    }
    for (int k = 0; k < nthreads; k++) {
        if (parts[k].n) memcpy(set->rec + set->n, parts[k].rec, parts[k].n * sizeof *set->rec);
        set->n += parts[k].n;
    }
    for (int k = 0; k < nthreads; k++) pn_free(parts[k].rec);
    year_range(set);
    *out = set;
    return PN_OK;
fail:
    for (int k = 0; k < nthreads; k++) pn_free(parts[k].rec);
    pn_pathway_set_free(set);
    return rc;
}
