/* netsurv_exact.c - the exact integration scheme of the net-survival estimators: each subject's
 * population hazard, piecewise constant, integrated exactly between the distinct follow-up
 * times; the walk that adds a part's subjects into the state's sums, and the curve from them
 * (docs/methods.md, "Net survival", Two integration schemes). */
#include "pronostic/netsurv.h"
#include "netsurv_internal.h"

#include <math.h>

size_t pn__ns_exact_nacc(size_t ng) { return 9 * (ng + 1); }

/* Per grid time k, over the risk set R_k = {entry < t_k <= time}:
 * w_end[k] = sum exp(L_i(t_k)), w_start[k] = sum exp(L_i(t_{k-1})), d_w[k] = sum d_i exp(L_i),
 * d_w2[k] = sum d_i exp(2 L_i), dl[k] = sum (L_i(t_k) - L_i(t_{k-1})). The Pohar-Perme expected
 * hazard increment is log(w_end / w_start), the exact integral of the weighted mean hazard
 * (d/dt sum exp(L_i) = sum lambda_i exp(L_i)). The hot loop only adds into w_end: w_start
 * follows from w_start[k] = w_end[k-1] - (weights leaving at t_{k-1}) + (weights entering at
 * t_k), and the numbers at risk from a difference array. Sums: 9 arrays of ng + 1. */
void pn__ns_walk_exact(pn__ns_walk *job)
{
    const pn_netsurv_input *in = job->in;
    const double *grid = job->agg->grid;
    size_t ng = job->agg->ng, m = ng + 1;
    double *w_end = job->agg->acc, *w_in = w_end + m, *w_out = w_end + 2 * m;
    double *d_w = w_end + 3 * m, *d_w2 = w_end + 4 * m, *dl = w_end + 5 * m;
    double *drisk = w_end + 6 * m, *nev = w_end + 7 * m, *nout = w_end + 8 * m;
    const int e2 = job->agg->method == PN_NETSURV_EDERER2;
    for (size_t i = 0; i < in->n; i++) {
        size_t r = job->order[i].row, k1 = job->kend[i];
        size_t k0 = in->entry ? pn__grid_first(grid, ng, in->entry[r], 1) : 0;
        pn_rate_cursor c;
        pn_rate_cursor_init(&c, job->rt, in->sex[r], in->age_days[r], in->date[r]);
        double tprev = k0 > 0 ? grid[k0 - 1] : 0.0;
        double L = k0 > 0 ? pn_rate_cursor_cumhaz(&c, tprev) : 0.0;
        double e = exp(L) * (in->weight ? in->weight[r] : 1.0);
        double last_dl = -1, last_f = 1;
        /* exp(lambda * g) for whole-day gaps g < 64 within the current cell (stamped by cell) */
        double gexp[64];
        unsigned gstamp[64] = {0}, stamp = 1;
        w_in[k0] += e;
        drisk[k0] += 1;
        drisk[k1 + 1] -= 1;
        for (size_t k = k0; k <= k1; k++) {
            double t = grid[k], dL, f;
            if (t <= c.t1) {
                double g = t - tprev;
                dL = c.lambda * g;
                L += dL;
                if (dL == last_dl) {
                    f = last_f;
                } else if (g < 64 && g == (double)(int)g) {
                    int gi = (int)g;
                    if (gstamp[gi] != stamp) { gstamp[gi] = stamp; gexp[gi] = exp(dL); }
                    f = gexp[gi];
                } else {
                    f = exp(dL);
                }
            } else {
                double Lnew = pn_rate_cursor_cumhaz(&c, t);
                dL = Lnew - L;
                L = Lnew;
                f = exp(dL);
                stamp++;
            }
            last_dl = dL;
            last_f = f;
            e *= f;
            w_end[k] += e;
            if (e2) dl[k] += dL;
            tprev = t;
        }
        /* the subject leaves at k1: its weight, and as a death its weight and its square */
        w_out[k1] += e;
        nout[k1] += 1;
        if (in->status[r] == 1) {
            d_w[k1] += e;
            d_w2[k1] += e * e;
            nev[k1] += 1;
        }
        job->flags |= c.flags;
    }
}

void pn__ns_final_exact(const pn_nsagg *a, pn_netsurv_curve *out)
{
    size_t ng = a->ng, m = ng + 1;
    const double *acc = a->acc;
    const double *w_end = acc, *w_in = acc + m, *w_out = acc + 2 * m, *d_w = acc + 3 * m;
    const double *d_w2 = acc + 4 * m, *dl = acc + 5 * m, *drisk = acc + 6 * m;
    const double *nev = acc + 7 * m, *nout = acc + 8 * m;
    const int e2 = a->method == PN_NETSURV_EDERER2;
    double s = 1, v = 0, nrisk = 0, prev_end = 0, prev_out = 0;
    for (size_t k = 0; k < ng; k++) {
        nrisk += drisk[k];
        double w_start = prev_end - prev_out + w_in[k];
        prev_end = w_end[k];
        prev_out = w_out[k];
        double haz;
        if (nrisk <= 0) {
            haz = 0;
        } else if (e2) {
            haz = nev[k] / nrisk - dl[k] / nrisk;
            v += nev[k] / (nrisk * nrisk);
        } else {
            haz = d_w[k] / w_end[k] - log(w_end[k] / w_start);
            v += d_w2[k] / (w_end[k] * w_end[k]);
        }
        s *= 1 - haz;
        pn__ns_put_row(out, k, a->grid[k], nrisk, nev[k], nout[k], s, v);
    }
    out->len = ng;
    out->flags = a->flags;
}
