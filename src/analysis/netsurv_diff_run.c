/* netsurv_diff_run.c - Grafféo's test of equal net survival between groups as `pronostic
 * netsurv-diff` runs it (netsurv_run.h): the rows with follow-up, the groups' counts, the test
 * (netsurv_test.h; docs/methods.md). */
#include "netsurv_sink.h"
#include "pronostic/alloc.h"
#include "pronostic/netsurv_run.h"
#include "pronostic/netsurv_test.h"

#include <math.h>

void pn_netsurv_diff_result_free(pn_netsurv_diff_result *r)
{
    if (r == NULL) return;
    pn_free(r->n);
    pn_free(r->obs_minus_exp);
    r->n = r->events = r->obs_minus_exp = NULL;
}

int pn_netsurv_diff_run(const pn_nsdata *d, const pn_ratetable *rt, const pn_netsurv_sink *sink,
                        pn_netsurv_diff_result *out, pn_diag *diag)
{
    size_t n = d->n, k = d->ngroups, nr = 0, zero = 0;
    *out = (pn_netsurv_diff_result){.k = k, .chisq = NAN, .p = NAN};
    if (d->group == NULL || k < 2)
        return pn_diag_set(diag, PN_EINVAL, "the test needs at least two groups, found %zu",
                           d->group ? k : 1);
    size_t *rows = pn_malloc((n ? n : 1) * sizeof *rows);
    int *group = pn_malloc((n ? n : 1) * sizeof *group);
    out->obs_minus_exp = pn_calloc(k ? k : 1, sizeof *out->obs_minus_exp);
    out->n = pn_calloc(2 * (k ? k : 1), sizeof *out->n);
    int rc = PN_ENOMEM;
    if (!rows || !group || !out->obs_minus_exp || !out->n) {
        pn_diag_set(diag, rc, "out of memory");
        goto done;
    }
    out->events = out->n + k;
    for (size_t i = 0; i < n; i++) {
        if (!(d->time[i] > 0)) {
            zero++;
            continue;
        }
        rows[nr] = i;
        group[nr] = d->group[i];
        out->n[d->group[i]] += 1;
        out->events[d->group[i]] += d->status[i];
        nr++;
    }
    if (zero)
        pn__sink_warnf(sink, "%zu row%s with a follow-up time of 0 excluded (no time at risk)",
                       zero, zero == 1 ? "" : "s");
    for (size_t g = 0; g < k; g++)
        if (out->events[g] < 10)
            pn__sink_warnf(sink, "group %s has fewer than 10 deaths", d->group_labels[g]);
    pn_netsurv_input in = {.n = nr,
                           .rows = rows,
                           .time = d->time,
                           .status = d->status,
                           .age_days = d->age_days,
                           .date = d->date,
                           .sex = d->sex};
    rc = pn_netsurv_test(&in, rt, group, (int)k, NULL, 0, &out->chisq, &out->df, &out->p,
                         out->obs_minus_exp, &out->flags);
    if (rc != PN_OK) pn_diag_set(diag, rc, "the test failed: %s", pn_strerror(rc));
done:
    pn_free(group);
    pn_free(rows);
    return rc;
}
