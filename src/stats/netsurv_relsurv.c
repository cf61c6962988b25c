/* netsurv_relsurv.c - relsurv's integration scheme of the net-survival estimators (rs.surv's
 * netfastpinter2, precision one day): the daily steps of a grid of distinct times, the walks
 * that add a part's subjects into the state's sums (with delayed entry, subject by subject;
 * without, step by step over flat arrays), and the curve from the sums (docs/methods.md, "Net
 * survival", Two integration schemes). */
#include "pronostic/netsurv.h"
#include "pronostic/alloc.h"
#include "netsurv_internal.h"

#include <math.h>
#include <string.h>

size_t pn__ns_steps(const double *grid, size_t ng, double *st, double *len, size_t *first_step)
{
    size_t nsteps = 0;
    double time = 0;
    for (size_t j = 0; j < ng; j++) {
        double thiscell = grid[j] - time, ftime = 0;
        if (first_step) first_step[j] = nsteps;
        while (ftime < thiscell) {
            double f = 1.0;
            if (thiscell - ftime < f) f = thiscell - ftime;
            if (st) {
                st[nsteps] = time + ftime;
                len[nsteps] = f;
            }
            nsteps++;
            ftime += f;
        }
        time += thiscell;
    }
    if (first_step) first_step[ng] = nsteps;
    return nsteps;
}

size_t pn__ns_relsurv_nacc(size_t ng, size_t nsteps) { return 4 * (nsteps + 1) + 9 * (ng + 1); }

/* The sums of the subjects leaving at each grid time: their weight w (1/S_Pi), their number,
 * and for deaths w, w^2 and their number. Views into a state's sums. */
typedef struct exit_sums {
    double *w, *d_w, *d_w2, *nev, *nout;
} exit_sums;

static inline void exit_add(const exit_sums *x, size_t k, double w, int died)
{
    x->w[k] += w;
    x->nout[k] += 1;
    if (died) {
        x->d_w[k] += w;
        x->d_w2[k] += w * w;
        x->nev[k] += 1;
    }
}

/* relsurv's scheme (netfastpinter2 with precision 1 day): each interval between distinct times
 * is cut into steps of at most one day; within a step every subject's hazard is that of the
 * cell where the step begins. Per step s: p[s] = sum lambda_i / S_i(start), q[s] = sum 1/S_i(start),
 * p2, q2 the same at the step's end, h[s] = sum step * lambda_i. The expected hazard of an
 * interval is sum_s step_s (P_s / Q_s + P2_s / Q2_s) / 2 with P, Q, P2, Q2 summed over the
 * interval's steps up to s (relsurv's running sums). Subjects with an entry time contribute
 * from the first interval ending after it, with S_i counted from diagnosis.
 * The walk carries 1/S_i as inv (times exp(step * lambda) per step) and only adds into p and q:
 * a step's end values are the next step's start values, so q2[s] = q[s+1] and
 * p2[s] = p[s+1] + cor[s], where cor[s] gathers (lambda_i(s) - lambda_i(s+1)) / S_i for the
 * rare subjects whose cell changes between the two steps; at the last step of interval k the
 * risk set changes, corrected by the weights leaving at k (outp, outq) and entering at k + 1
 * (inp, inq). The state's sums: 4 arrays of nsteps + 1 (p, q, cor, h), then 6 of ng + 1
 * (inp, inq, outp, outq, d_w, d_w2), then 3 (drisk, nev, nout: exits). */
void pn__ns_walk_relsurv(pn__ns_walk *job)
{
    const pn_netsurv_input *in = job->in;
    const pn_nsagg *a = job->agg;
    size_t ns = a->nsteps + 1, m = a->ng + 1;
    double *p = a->acc, *q = p + ns, *cor = p + 2 * ns, *h = p + 3 * ns;
    double *inp = p + 4 * ns, *inq = inp + m, *outp = inp + 2 * m, *outq = inp + 3 * m;
    double *drisk = inp + 6 * m;
    const exit_sums exits = {outq, inp + 4 * m, inp + 5 * m, inp + 7 * m, inp + 8 * m};
    const double *st = a->st, *len = a->len;
    const size_t *first_step = a->first_step;
    const int e2 = a->method == PN_NETSURV_EDERER2;
    for (size_t i = 0; i < in->n; i++) {
        size_t r = job->order[i].row, k1 = job->kend[i];
        size_t kin = in->entry ? pn__grid_first(a->grid, a->ng, in->entry[r], 1) : 0;
        if (kin > k1) continue;
        pn_rate_cursor c;
        pn_rate_cursor_init(&c, job->rt, in->sex[r], in->age_days[r], in->date[r]);
        double inv = in->weight ? in->weight[r] : 1.0, last_arg = NAN, last_ex = 1;
        size_t sb = first_step[kin], se = first_step[k1 + 1];
        for (size_t s = 0; s < sb; s++) {  /* before entry: the weight grows, nothing is added */
            double arg = len[s] * pn_rate_cursor_hazard_at(&c, st[s]);
            if (arg != last_arg) { last_arg = arg; last_ex = exp(arg); }
            inv *= last_ex;
        }
        double lam_prev = sb < se ? pn_rate_cursor_hazard_at(&c, st[sb]) : 0;
        if (kin > 0) {
            inp[kin] += lam_prev * inv;
            inq[kin] += inv;
        }
        for (size_t s = sb; s < se; s++) {
            double lambda = pn_rate_cursor_hazard_at(&c, st[s]);
            if (lambda != lam_prev) {
                cor[s - 1] += (lam_prev - lambda) * inv;
                lam_prev = lambda;
            }
            double arg = len[s] * lambda;
            if (arg != last_arg) { last_arg = arg; last_ex = exp(arg); }
            p[s] += lambda * inv;
            q[s] += inv;
            if (e2) h[s] += arg;
            inv *= last_ex;
        }
        outp[k1] += lam_prev * inv;
        drisk[kin] += 1;
        drisk[k1 + 1] -= 1;
        exit_add(&exits, k1, inv, in->status[r] == 1);
        job->flags |= c.flags;
    }
}

/* The first step s in [from, se) whose start lies outside the cursor's current cell (relsurv's
 * comparisons), or se. Steps last at most one day, so the step of follow-up time tau is at least
 * floor(tau - st[from]) steps ahead: start there and walk; bisect if the walk gets long. */
static size_t next_change(const pn_rate_cursor *c, const double *st, size_t from, size_t se)
{
#define PN__INSIDE(k) (c->age0 + st[k] < c->next_age && c->date0 + st[k] < c->next_date)
    if (from >= se) return se;
    double tau = c->next_age - c->age0, tdate = c->next_date - c->date0;
    if (tdate < tau) tau = tdate;
    double ahead = tau - st[from];
    size_t g = from;
    if (ahead > 1) g = ahead >= (double)(se - from) ? se - 1 : from + (size_t)ahead - 1;
    while (g > from && !PN__INSIDE(g)) g--;  /* rounding at the edge */
    for (int walk = 0; g < se && PN__INSIDE(g); walk++) {
        if (walk == 8) {  /* many short steps: bisect the rest */
            size_t lo = g + 1, hi = se;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (PN__INSIDE(mid)) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
        g++;
    }
    return g;
#undef PN__INSIDE
}

/* The same sums without delayed entry, walked step by step over the subjects at risk (the
 * relsurv loop order) with the subjects' state in flat arrays: at step s every subject at risk
 * adds lambda_i / S_i and 1/S_i, then multiplies 1/S_i by exp(lambda_i). Subjects are held in
 * decreasing order of follow-up, so those at risk are a prefix that shrinks at each interval's
 * end. A subject's cell changes at a step found by binary search over the step starts (the
 * same comparisons as relsurv's); it waits in that step's bucket, so the loop over subjects
 * has no look-up. Adds into the same sums as pn__ns_walk_relsurv. */
void pn__ns_walk_relsurv_flat(pn__ns_walk *job)
{
    const pn_netsurv_input *in = job->in;
    const pn_nsagg *a = job->agg;
    size_t ns = a->nsteps + 1, m = a->ng + 1, nsteps = a->nsteps;
    double *p = a->acc, *q = p + ns, *cor = p + 2 * ns, *h = p + 3 * ns;
    double *outp = p + 4 * ns + 2 * m, *drisk = outp + 4 * m;
    const exit_sums exits = {outp + m, outp + 2 * m, outp + 3 * m, outp + 5 * m, outp + 6 * m};
    const double *st = a->st, *len = a->len;
    const size_t *first_step = a->first_step;
    size_t na = in->n;
    double *inv = pn_malloc((na ? na : 1) * 3 * sizeof(double));
    pn_rate_cursor *cur = pn_malloc((na ? na : 1) * sizeof *cur);
    size_t *kend = pn_malloc((na ? na : 1) * sizeof *kend);
    size_t *row = pn_malloc((na ? na : 1) * sizeof *row);
    size_t *link = pn_malloc((na ? na : 1) * sizeof *link);
    size_t *head = pn_malloc((nsteps + 1) * sizeof *head);
    if (!inv || !cur || !kend || !row || !link || !head) {
        job->rc = PN_ENOMEM;
        goto done;
    }
    double *lam = inv + na, *ex = inv + 2 * na;
    const size_t none = (size_t)-1;
    for (size_t s = 0; s <= nsteps; s++) head[s] = none;
    /* subjects in decreasing order of follow-up */
    for (size_t j = 0; j < na; j++) {
        row[j] = job->order[na - 1 - j].row;
        kend[j] = job->kend[na - 1 - j];
    }
    /* place each subject in its first cell and the bucket of the step where it leaves it */
    for (size_t j = 0; j < na; j++) {
        size_t r = row[j];
        pn_rate_cursor *c = &cur[j];
        pn_rate_cursor_init(c, job->rt, in->sex[r], in->age_days[r], in->date[r]);
        size_t se = first_step[kend[j] + 1];
        lam[j] = se > 0 ? pn_rate_cursor_hazard_at(c, st[0]) : 0;
        ex[j] = exp(lam[j]);
        inv[j] = in->weight ? in->weight[r] : 1.0;
        /* first step s in (0, se) whose start leaves the cell */
        size_t lo = next_change(c, st, 1, se);
        if (lo < se) { link[j] = head[lo]; head[lo] = j; }
    }
    size_t act = na;  /* subjects at risk: row[0 .. act) */
    size_t k = 0;     /* current interval */
    for (size_t s = 0; s < nsteps; s++) {
        /* cell changes at this step */
        for (size_t j = head[s]; j != none;) {
            size_t nx = link[j];
            if (j < act) {
                pn_rate_cursor *c = &cur[j];
                double nl = pn_rate_cursor_hazard_at(c, st[s]);
                if (nl != lam[j]) cor[s - 1] += (lam[j] - nl) * inv[j];
                lam[j] = nl;
                ex[j] = exp(nl);
                size_t se = first_step[kend[j] + 1], lo = next_change(c, st, s + 1, se);
                if (lo < se) { link[j] = head[lo]; head[lo] = j; }
            }
            j = nx;
        }
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        if (len[s] == 1.0) {
            /* two-lane vectors (GCC/Clang vector extension; SSE2 on x86-64) */
            typedef double v2 __attribute__((vector_size(16)));
            v2 qa = {0, 0}, qb = {0, 0}, pa = {0, 0}, pb = {0, 0};
            size_t j = 0;
            for (; j + 4 <= act; j += 4) {
                v2 i0, i1, l0, l1, e0, e1;
                memcpy(&i0, inv + j, sizeof i0); memcpy(&i1, inv + j + 2, sizeof i1);
                memcpy(&l0, lam + j, sizeof l0); memcpy(&l1, lam + j + 2, sizeof l1);
                memcpy(&e0, ex + j, sizeof e0); memcpy(&e1, ex + j + 2, sizeof e1);
                qa += i0; qb += i1;
                pa += l0 * i0; pb += l1 * i1;
                i0 *= e0; i1 *= e1;
                memcpy(inv + j, &i0, sizeof i0); memcpy(inv + j + 2, &i1, sizeof i1);
            }
            q0 = qa[0]; q1 = qa[1]; q2 = qb[0]; q3 = qb[1];
            p0 = pa[0]; p1 = pa[1]; p2 = pb[0]; p3 = pb[1];
            for (; j < act; j++) {
                q0 += inv[j];
                p0 += lam[j] * inv[j];
                inv[j] *= ex[j];
            }
        } else {
            for (size_t j = 0; j < act; j++) {
                q0 += inv[j];
                p0 += lam[j] * inv[j];
                inv[j] *= exp(len[s] * lam[j]);
            }
        }
        p[s] += (p0 + p1) + (p2 + p3);
        q[s] += (q0 + q1) + (q2 + q3);
        if (a->method == PN_NETSURV_EDERER2) {
            double hs = 0;
            for (size_t j = 0; j < act; j++) hs += lam[j];
            h[s] += len[s] * hs;
        }
        /* the end of interval k: the subjects whose follow-up ends there leave */
        while (k < a->ng && s + 1 == first_step[k + 1]) {
            while (act > 0 && kend[act - 1] == k) {
                size_t j = act - 1, r = row[j];
                outp[k] += lam[j] * inv[j];
                drisk[0] += 1;
                drisk[k + 1] -= 1;
                exit_add(&exits, k, inv[j], in->status[r] == 1);
                job->flags |= cur[j].flags;
                act--;
            }
            k++;
        }
    }
done:
    pn_free(head);
    pn_free(link);
    pn_free(row);
    pn_free(kend);
    pn_free(cur);
    pn_free(inv);
}

void pn__ns_final_relsurv(const pn_nsagg *a, pn_netsurv_curve *out)
{
    size_t ng = a->ng, ns = a->nsteps + 1, m = ng + 1;
    const size_t *first_step = a->first_step;
    const double *len = a->len, *acc = a->acc;
    const double *p = acc, *q = acc + ns, *cor = acc + 2 * ns, *h = acc + 3 * ns;
    const double *inp = acc + 4 * ns, *inq = inp + m, *outp = inp + 2 * m, *outq = inp + 3 * m;
    const double *d_w = inp + 4 * m, *d_w2 = inp + 5 * m, *drisk = inp + 6 * m;
    const double *nev = inp + 7 * m, *nout = inp + 8 * m;
    const int e2 = a->method == PN_NETSURV_EDERER2;
    double s = 1, v = 0, nrisk = 0;
    for (size_t k = 0; k < ng; k++) {
        nrisk += drisk[k];
        double haz = 0;
        size_t s0 = first_step[k], s1 = first_step[k + 1];
        if (nrisk > 0 && s1 > s0) {
            double P = 0, Q = 0, P2 = 0, Q2 = 0, fint = 0, hz = 0, yisi = 0;
            for (size_t t = s0; t < s1; t++) {
                double p2 = p[t + 1] + cor[t], q2 = q[t + 1];
                if (t + 1 == s1) {  /* the risk set changes after the interval's last step */
                    p2 += outp[k] - inp[k + 1];
                    q2 += outq[k] - inq[k + 1];
                    yisi = q2;
                }
                P += p[t]; Q += q[t]; P2 += p2; Q2 += q2;
                fint += (P / Q / 2 + P2 / Q2 / 2) * len[t];
                hz += h[t];
            }
            if (e2) {
                haz = nev[k] / nrisk - hz / nrisk;
                v += nev[k] / (nrisk * nrisk);
            } else {
                haz = d_w[k] / yisi - fint;
                v += d_w2[k] / (yisi * yisi);
            }
        }
        s *= 1 - haz;
        pn__ns_put_row(out, k, a->grid[k], nrisk, nev[k], nout[k], s, v);
    }
    out->len = ng;
    out->flags = a->flags;
}
