/* netsurv.c - the Pohar-Perme and Ederer II net survival estimators on one part of the
 * subjects (both phases of the state, netsurv.h), the checks of their input, the curve's
 * buffers, and reading a curve at chosen times (limits: conf.h). */
#include "pronostic/netsurv.h"
#include "pronostic/alloc.h"
#include "netsurv_internal.h"

#include <math.h>
#include <string.h>

int pn_netsurv_curve_init(pn_netsurv_curve *c, size_t cap)
{
    memset(c, 0, sizeof *c);
    size_t n = cap ? cap : 1;
    double *block = pn_calloc(n, 6 * sizeof(double));
    if (block == NULL) return PN_ENOMEM;
    c->cap = cap;
    c->time = block;
    c->n_risk = block + n;
    c->n_event = block + 2 * n;
    c->n_censor = block + 3 * n;
    c->surv = block + 4 * n;
    c->se = block + 5 * n;
    return PN_OK;
}

void pn_netsurv_curve_free(pn_netsurv_curve *c)
{
    if (c == NULL) return;
    pn_free(c->time);
    memset(c, 0, sizeof *c);
}

void pn__ns_put_row(pn_netsurv_curve *out, size_t k, double time, double nrisk, double nev,
                    double nout, double s, double v)
{
    out->time[k] = time;
    out->n_risk[k] = nrisk;
    out->n_event[k] = nev;
    out->n_censor[k] = nout - nev;
    out->surv[k] = s;
    out->se[k] = sqrt(v);
}

size_t pn__ns_bad_time(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(v[i] > 0) || !isfinite(v[i]) || (i > 0 && !(v[i] > v[i - 1]))) return i;
    return n;
}

int pn_netsurv_check(const pn_netsurv_input *in, int method)
{
    if (in->weight && method != PN_NETSURV_POHAR_PERME) return PN_EINVAL;
    for (size_t i = 0; i < in->n; i++) {
        size_t r = pn__ns_row(in, i);
        if (!(in->time[r] > 0) || !isfinite(in->time[r]) ||
            (in->entry && !(in->entry[r] >= 0 && in->entry[r] < in->time[r])) ||
            (in->weight && !(in->weight[r] > 0 && isfinite(in->weight[r]))))
            return PN_EINVAL;
    }
    return PN_OK;
}

int pn_netsurv_estimate(const pn_netsurv_input *in, const pn_ratetable *rt, int method,
                        int scheme, pn_netsurv_curve *out)
{
    out->len = 0;
    out->flags = 0;
    if (out->cap < in->n) return PN_EINVAL;
    int rc = pn_netsurv_check(in, method);
    if (rc != PN_OK) return rc;
    /* both phases on one part at the cost of one sort: the sorted times give the grid (phase 1's
     * final) and each subject's place on it */
    size_t n = in->n, ng = 0;
    pn_nsagg *agg = NULL;
    pn__ns_sorted *order = pn__ns_sort(in);
    double *grid = pn_malloc((n ? n : 1) * sizeof *grid);
    size_t *kend = pn_malloc((n ? n : 1) * sizeof *kend);
    rc = PN_ENOMEM;
    if (order == NULL || grid == NULL || kend == NULL) goto done;
    for (size_t i = 0; i < n; i++) {
        if (ng == 0 || order[i].time != grid[ng - 1]) grid[ng++] = order[i].time;
        kend[i] = ng - 1;
    }
    if ((rc = pn_nsagg_new(&agg, grid, ng, method, scheme)) != PN_OK) goto done;
    if ((rc = pn__nsagg_walk(agg, in, rt, order, kend)) != PN_OK) goto done;
    rc = pn_nsagg_final(agg, out);
done:
    pn_nsagg_free(agg);
    pn_free(kend);
    pn_free(grid);
    pn_free(order);
    return rc;
}

void pn_netsurv_at(const pn_netsurv_curve *c, const double *at, size_t m, double *surv,
                   double *se, double *n_risk, double *n_event, double *n_censor)
{
    size_t k = 0;  /* rows with time <= at[j] consumed so far */
    for (size_t j = 0; j < m; j++) {
        double ev = 0, ce = 0;
        while (k < c->len && c->time[k] <= at[j]) {
            ev += c->n_event[k];
            ce += c->n_censor[k];
            k++;
        }
        surv[j] = k > 0 ? c->surv[k - 1] : 1.0;
        se[j] = k > 0 ? c->se[k - 1] : 0.0;
        /* at risk at at[j]: those at risk at the first time >= at[j] */
        size_t f = k;
        if (f > 0 && c->time[f - 1] == at[j]) f--;
        n_risk[j] = f < c->len ? c->n_risk[f] : 0;
        n_event[j] = ev;
        n_censor[j] = ce;
    }
}
