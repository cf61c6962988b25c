/* logrank_run.c - the G-rho test from counted rows (logrank_run.h): the tables of each group
 * within each stratum, then the test (logrank.h; docs/methods.md, Log-rank and G-rho tests). */
#include "pronostic/alloc.h"
#include "pronostic/km.h"
#include "pronostic/logrank_run.h"
#include "pronostic/survinput.h"

#include <stdint.h>

void pn_logrank_test_free(pn_logrank_test *t)
{
    if (t == NULL) return;
    pn_free(t->res.n); /* the four arrays are one block */
    *t = (pn_logrank_test){0};
}

int pn_logrank_run(const pn_kmread *read, double rho, const char *source, const char *by,
                   pn_logrank_test *out, pn_diag *diag)
{
    const pn_survstream *d = read->stream;
    *out = (pn_logrank_test){0};
    if (d->ngroups < 2)
        return pn_diag_set(diag, PN_EEMPTY, "%s: the test needs at least two groups of '--by %s'"
                           ", found %zu", source, by, d->ngroups);
    size_t k = d->ngroups, ns = d->stratum_recode ? d->nstrata : 1;
    if (k > PN_LOGRANK_MAX_GROUPS)
        /* the test's variance matrix has k x k cells: refuse before trying to allocate it */
        return pn_diag_set(diag, PN_ETOOBIG, "%s: '--by %s' makes %zu groups; the test compares "
                           "at most %d (is it an identifier column?)", source, by, k,
                           PN_LOGRANK_MAX_GROUPS);
    if (ns > UINT32_MAX / k)
        return pn_diag_set(diag, PN_ETOOBIG, "%s: too many group and stratum combinations",
                           source);
    pn_kmtables *tabs = NULL;
    void *work = NULL;
    int rc = PN_ENOMEM;
    /* the table of each provisional group: its stratum's block, then its group */
    uint32_t *cell = pn_reallocarray(NULL, d->nprov ? d->nprov : 1, sizeof *cell);
    if (cell == NULL) goto nomem;
    for (size_t p = 0; p < d->nprov; p++)
        cell[p] = (d->stratum_recode ? d->stratum_recode[p] : 0) * (uint32_t)k + d->recode[p];
    if ((rc = pn_kmagg_tables(read->agg, ns * k, cell, &tabs)) != PN_OK) {
        rc = pn_diag_set(diag, rc, rc == PN_ENOMEM ? "out of memory"
                                                   : "internal error in the survival aggregate");
        goto done;
    }
    size_t ntimes = 0;
    for (size_t i = 0; i < ns * k; i++) ntimes += tabs->tab[i].k;
    size_t wsize = pn_logrank_work_size(k, ntimes);
    work = wsize == SIZE_MAX ? NULL : pn_malloc(wsize);
    double *buf = pn_reallocarray(NULL, 3 * k + k * k, sizeof *buf);
    out->k = k;
    out->res = (pn_logrank_result){.n = buf, .observed = buf + k, .expected = buf + 2 * k,
                                   .var = buf + 3 * k};
    if (work == NULL || buf == NULL) goto nomem;
    if ((rc = pn_logrank_tables(tabs->tab, k, ns, rho, work, wsize, &out->res)) != PN_OK)
        rc = pn_diag_set(diag, PN_EINTERNAL, "internal error in the log-rank kernel");
    goto done;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
done:
    if (rc != PN_OK) pn_logrank_test_free(out);
    pn_free(work);
    pn_free(cell);
    pn_kmtables_free(tabs);
    return rc;
}
