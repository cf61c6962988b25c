/* netsurv.c - the Pohar-Perme and Ederer II net survival estimators, integrated exactly or with
 * relsurv's daily scheme; reading a curve at chosen times (limits: conf.h). */
#include "pronostic/netsurv.h"
#include "pronostic/alloc.h"
#include "netsurv_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
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

typedef struct by_time {
    double time;
    size_t row;
} by_time;

static int cmp_time(const void *a, const void *b)
{
    double x = ((const by_time *)a)->time, y = ((const by_time *)b)->time;
    return (x > y) - (x < y);
}

/* Sort subjects by time and build the grid of distinct times. On success *order (n) and
 * *grid (*ngrid) are new arrays; kend[i] (subject in sorted order) is its time's grid index. */
static int build_grid(const pn_netsurv_input *in, by_time **order_out, double **grid_out,
                      size_t *ngrid_out, size_t **kend_out)
{
    size_t n = in->n;
    by_time *order = pn_malloc((n ? n : 1) * sizeof *order);
    double *grid = pn_malloc((n ? n : 1) * sizeof *grid);
    size_t *kend = pn_malloc((n ? n : 1) * sizeof *kend);
    if (!order || !grid || !kend) {
        pn_free(order); pn_free(grid); pn_free(kend);
        return PN_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        size_t r = pn__ns_row(in, i);
        order[i].time = in->time[r];
        order[i].row = r;
        if (!(in->time[r] > 0) || !isfinite(in->time[r]) ||
            (in->entry && !(in->entry[r] >= 0 && in->entry[r] < in->time[r])) ||
            (in->weight && !(in->weight[r] > 0 && isfinite(in->weight[r])))) {
            pn_free(order); pn_free(grid); pn_free(kend);
            return PN_EINVAL;
        }
    }
    qsort(order, n, sizeof *order, cmp_time);
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        if (ng == 0 || order[i].time != grid[ng - 1]) grid[ng++] = order[i].time;
        kend[i] = ng - 1;
    }
    *order_out = order;
    *grid_out = grid;
    *ngrid_out = ng;
    *kend_out = kend;
    return PN_OK;
}

/* The subjects' walks run in `threads` workers (pthreads, subjects dealt round-robin so each
 * gets a share of long follow-ups), each adding into its own accumulator block; the blocks are
 * then summed into the first. A worker's block holds `nacc` doubles. */
typedef struct walk_job {
    const pn_netsurv_input *in;
    const pn_ratetable *rt;
    const by_time *order;
    const size_t *kend;
    const double *grid;
    size_t ng;
    const double *st, *len;      /* relsurv scheme: steps */
    const size_t *first_step;
    size_t nsteps;
    int e2;
    size_t first, stride;        /* subjects first, first + stride, ... */
    double *acc;
    unsigned flags;
    int rc;                      /* a worker's failure (PN_ENOMEM) */
} walk_job;

typedef void (*walk_fn)(walk_job *job);

typedef struct walk_worker {
    walk_job job;
    walk_fn fn;
} walk_worker;

static void *walk_thread(void *arg)
{
    walk_worker *w = arg;
    w->fn(&w->job);
    return NULL;
}

/* Run `fn` over the subjects with up to `threads` workers; job0 is the template whose `acc`
 * (nacc doubles, zeroed) receives the sums. */
static int run_walks(walk_job *job0, walk_fn fn, size_t nacc, int threads)
{
    size_t n = job0->in->n;
    int t = threads > 1 && n >= 2048 ? threads : 1;
    if (t > 16) t = 16;
    job0->rc = PN_OK;
    if (t == 1) {
        job0->first = 0;
        job0->stride = 1;
        fn(job0);
        return job0->rc;
    }
    walk_worker jobs[16];
    pthread_t tid[16];
    int started = 0, rc = PN_OK;
    for (int k = 0; k < t; k++) {
        jobs[k].job = *job0;
        jobs[k].fn = fn;
        jobs[k].job.first = (size_t)k;
        jobs[k].job.stride = (size_t)t;
        jobs[k].job.flags = 0;
        if (k > 0) {
            jobs[k].job.acc = pn_calloc(nacc ? nacc : 1, sizeof(double));
            if (jobs[k].job.acc == NULL) { rc = PN_ENOMEM; break; }
        }
    }
    if (rc == PN_OK)
        for (int k = 1; k < t; k++) {
            if (pthread_create(&tid[k], NULL, walk_thread, &jobs[k]) != 0) break;
            started = k;
        }
    if (rc == PN_OK) {
        /* this thread does worker 0, then the workers that could not be started */
        fn(&jobs[0].job);
        for (int k = started + 1; k < t; k++) fn(&jobs[k].job);
    }
    for (int k = 1; k <= started; k++) pthread_join(tid[k], NULL);
    job0->flags = jobs[0].job.flags;
    for (int k = 0; k < t; k++)
        if (jobs[k].job.rc != PN_OK) rc = jobs[k].job.rc;
    for (int k = 1; k < t; k++) {
        if (jobs[k].job.acc == NULL) continue;
        if (rc == PN_OK) {
            for (size_t j = 0; j < nacc; j++) job0->acc[j] += jobs[k].job.acc[j];
            job0->flags |= jobs[k].job.flags;
        }
        pn_free(jobs[k].job.acc);
    }
    return rc;
}

/* The sums of the subjects leaving at each grid time: their weight w (exp(Lambda_i), or 1/S_Pi),
 * their number, and for deaths w, w^2 and their number. Views into a walker's block. */
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

/* Row k of the curve: the counts, the net survival s and the variance v of its cumulative
 * hazard. */
static void put_row(pn_netsurv_curve *out, size_t k, double time, double nrisk, double nev,
                    double nout, double s, double v)
{
    out->time[k] = time;
    out->n_risk[k] = nrisk;
    out->n_event[k] = nev;
    out->n_censor[k] = nout - nev;
    out->surv[k] = s;
    out->se[k] = sqrt(v);
}

/* Exact integration. Per grid time k, over the risk set R_k = {entry < t_k <= time}:
 * w_end[k] = sum exp(L_i(t_k)), w_start[k] = sum exp(L_i(t_{k-1})), d_w[k] = sum d_i exp(L_i),
 * d_w2[k] = sum d_i exp(2 L_i), dl[k] = sum (L_i(t_k) - L_i(t_{k-1})). The Pohar-Perme expected
 * hazard increment is log(w_end / w_start), the exact integral of the weighted mean hazard
 * (d/dt sum exp(L_i) = sum lambda_i exp(L_i)). The hot loop only adds into w_end: w_start
 * follows from w_start[k] = w_end[k-1] - (weights leaving at t_{k-1}) + (weights entering at
 * t_k), and the numbers at risk from a difference array. Block layout: 8 arrays of ng + 1. */
static void walk_exact(walk_job *job)
{
    const pn_netsurv_input *in = job->in;
    const double *grid = job->grid;
    size_t ng = job->ng, m = ng + 1;
    double *w_end = job->acc, *w_in = w_end + m, *w_out = w_end + 2 * m, *d_w = w_end + 3 * m;
    double *d_w2 = w_end + 4 * m, *dl = w_end + 5 * m, *drisk = w_end + 6 * m, *nev = w_end + 7 * m;
    const exit_sums exits = {w_out, d_w, d_w2, nev, w_end + 8 * m};
    const int e2 = job->e2;
    for (size_t i = job->first; i < in->n; i += job->stride) {
        size_t r = job->order[i].row, k1 = job->kend[i];
        size_t k0 = in->entry ? pn__grid_first(grid, ng, in->entry[r], 1) : 0;
        pn_rate_cursor c;
        pn_rate_cursor_init(&c, job->rt, in->sex[r], in->age[r], in->date[r]);
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
        exit_add(&exits, k1, e, in->status[r] == 1);
        job->flags |= c.flags;
    }
}

static int estimate_exact(walk_job *job, pn_netsurv_curve *out)
{
    size_t ng = job->ng, m = ng + 1;
    double *acc = pn_calloc(m, 9 * sizeof(double));
    if (acc == NULL) return PN_ENOMEM;
    job->acc = acc;
    int rc = run_walks(job, walk_exact, 9 * m, job->in->threads);
    if (rc != PN_OK) { pn_free(acc); return rc; }
    double *w_end = acc, *w_in = acc + m, *w_out = acc + 2 * m, *d_w = acc + 3 * m;
    double *d_w2 = acc + 4 * m, *dl = acc + 5 * m, *drisk = acc + 6 * m, *nev = acc + 7 * m;
    double *nout = acc + 8 * m;
    double s = 1, v = 0, nrisk = 0, prev_end = 0, prev_out = 0;
    for (size_t k = 0; k < ng; k++) {
        nrisk += drisk[k];
        double w_start = prev_end - prev_out + w_in[k];
        prev_end = w_end[k];
        prev_out = w_out[k];
        double haz;
        if (nrisk <= 0) {
            haz = 0;
        } else if (job->e2) {
            haz = nev[k] / nrisk - dl[k] / nrisk;
            v += nev[k] / (nrisk * nrisk);
        } else {
            haz = d_w[k] / w_end[k] - log(w_end[k] / w_start);
            v += d_w2[k] / (w_end[k] * w_end[k]);
        }
        s *= 1 - haz;
        put_row(out, k, job->grid[k], nrisk, nev[k], nout[k], s, v);
    }
    out->len = ng;
    out->flags = job->flags;
    pn_free(acc);
    return PN_OK;
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
 * (inp, inq). Block layout: 4 arrays of nsteps + 1 (p, q, cor, h), then 6 of ng + 1
 * (inp, inq, outp, outq, d_w, d_w2), then 3 (drisk, nev, nout: exits). */
static void walk_relsurv(walk_job *job)
{
    const pn_netsurv_input *in = job->in;
    size_t ns = job->nsteps + 1, m = job->ng + 1;
    double *p = job->acc, *q = p + ns, *cor = p + 2 * ns, *h = p + 3 * ns;
    double *inp = p + 4 * ns, *inq = inp + m, *outp = inp + 2 * m, *outq = inp + 3 * m;
    double *drisk = inp + 6 * m;
    const exit_sums exits = {outq, inp + 4 * m, inp + 5 * m, inp + 7 * m, inp + 8 * m};
    const double *st = job->st, *len = job->len;
    const size_t *first_step = job->first_step;
    const int e2 = job->e2;
    for (size_t i = job->first; i < in->n; i += job->stride) {
        size_t r = job->order[i].row, k1 = job->kend[i];
        size_t kin = in->entry ? pn__grid_first(job->grid, job->ng, in->entry[r], 1) : 0;
        if (kin > k1) continue;
        pn_rate_cursor c;
        pn_rate_cursor_init(&c, job->rt, in->sex[r], in->age[r], in->date[r]);
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
 * has no look-up. Produces the block of walk_relsurv. */
static void walk_relsurv_flat(walk_job *job)
{
    const pn_netsurv_input *in = job->in;
    size_t ns = job->nsteps + 1, m = job->ng + 1, nsteps = job->nsteps;
    double *p = job->acc, *q = p + ns, *cor = p + 2 * ns, *h = p + 3 * ns;
    double *outp = p + 4 * ns + 2 * m, *drisk = outp + 4 * m;
    const exit_sums exits = {outp + m, outp + 2 * m, outp + 3 * m, outp + 5 * m, outp + 6 * m};
    const double *st = job->st, *len = job->len;
    const size_t *first_step = job->first_step;
    size_t na = 0;
    for (size_t i = job->first; i < in->n; i += job->stride) na++;
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
    {
        size_t j = 0, last = job->first + (na - 1) * job->stride;
        for (size_t a = 0; a < na; a++, j++) {
            size_t i = last - a * job->stride;
            row[j] = job->order[i].row;
            kend[j] = job->kend[i];
        }
    }
    /* place each subject in its first cell and the bucket of the step where it leaves it */
    for (size_t j = 0; j < na; j++) {
        size_t r = row[j];
        pn_rate_cursor *c = &cur[j];
        pn_rate_cursor_init(c, job->rt, in->sex[r], in->age[r], in->date[r]);
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
        if (job->e2) {
            double hs = 0;
            for (size_t j = 0; j < act; j++) hs += lam[j];
            h[s] += len[s] * hs;
        }
        /* the end of interval k: the subjects whose follow-up ends there leave */
        while (k < job->ng && s + 1 == first_step[k + 1]) {
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

static int estimate_relsurv(walk_job *job, pn_netsurv_curve *out)
{
    const double *grid = job->grid;
    size_t ng = job->ng;
    /* The steps: start time and length, and the first step of each interval. */
    size_t nsteps = 0, cap = 0;
    double *st = NULL, *len = NULL;
    size_t *first_step = pn_malloc((ng + 1) * sizeof *first_step);
    double *acc = NULL;
    int rc = PN_ENOMEM;
    if (first_step == NULL) goto done;
    /* one step per day of the longest follow-up: refuse absurd spans (over 2,700 years) */
    if (ng > 0 && grid[ng - 1] > 1e6) { rc = PN_ERANGE; goto done; }
    double time = 0;
    for (size_t j = 0; j < ng; j++) {
        double thiscell = grid[j] - time, ftime = 0;
        first_step[j] = nsteps;
        while (ftime < thiscell) {
            double f = 1.0;
            if (thiscell - ftime < f) f = thiscell - ftime;
            if (nsteps == cap) {
                size_t ncap = cap ? 2 * cap : 1024;
                double *nst = pn_reallocarray(st, ncap, sizeof *st);
                if (nst == NULL) goto done;
                st = nst;
                double *nl = pn_reallocarray(len, ncap, sizeof *len);
                if (nl == NULL) goto done;
                len = nl;
                cap = ncap;
            }
            st[nsteps] = time + ftime;
            len[nsteps] = f;
            nsteps++;
            ftime += f;
        }
        time += thiscell;
    }
    first_step[ng] = nsteps;
    size_t ns = nsteps + 1, m = ng + 1, nacc = 4 * ns + 9 * m;
    acc = pn_calloc(nacc, sizeof(double));
    if (acc == NULL) goto done;
    job->st = st;
    job->len = len;
    job->first_step = first_step;
    job->nsteps = nsteps;
    job->acc = acc;
    if ((rc = run_walks(job, job->in->entry ? walk_relsurv : walk_relsurv_flat, nacc,
                        job->in->threads)) != PN_OK)
        goto done;
    double *p = acc, *q = acc + ns, *cor = acc + 2 * ns, *h = acc + 3 * ns;
    double *inp = acc + 4 * ns, *inq = inp + m, *outp = inp + 2 * m, *outq = inp + 3 * m;
    double *d_w = inp + 4 * m, *d_w2 = inp + 5 * m, *drisk = inp + 6 * m, *nev = inp + 7 * m;
    double *nout = inp + 8 * m;
    double *nrisk = drisk;  /* turned into running sums below */
    double s = 1, v = 0, run = 0;
    for (size_t k = 0; k < ng; k++) {
        run += drisk[k];
        nrisk[k] = run;
        double haz = 0;
        size_t s0 = first_step[k], s1 = first_step[k + 1];
        if (nrisk[k] > 0 && s1 > s0) {
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
            if (job->e2) {
                haz = nev[k] / nrisk[k] - hz / nrisk[k];
                v += nev[k] / (nrisk[k] * nrisk[k]);
            } else {
                haz = d_w[k] / yisi - fint;
                v += d_w2[k] / (yisi * yisi);
            }
        }
        s *= 1 - haz;
        put_row(out, k, grid[k], nrisk[k], nev[k], nout[k], s, v);
    }
    out->len = ng;
    out->flags = job->flags;
    rc = PN_OK;
done:
    pn_free(acc);
    pn_free(first_step);
    pn_free(len);
    pn_free(st);
    return rc;
}

int pn_netsurv_estimate(const pn_netsurv_input *in, const pn_ratetable *rt, int method,
                        int scheme, pn_netsurv_curve *out)
{
    if (in->weight && method != PN_NETSURV_POHAR_PERME) return PN_EINVAL;
    by_time *order = NULL;
    double *grid = NULL;
    size_t ng = 0, *kend = NULL;
    out->len = 0;
    out->flags = 0;
    if (out->cap < in->n) return PN_EINVAL;
    int rc = build_grid(in, &order, &grid, &ng, &kend);
    if (rc != PN_OK) return rc;
    walk_job job = {.in = in, .rt = rt, .order = order, .kend = kend, .grid = grid, .ng = ng,
                    .e2 = method == PN_NETSURV_EDERER2};
    if (scheme == PN_NETSURV_RELSURV)
        rc = estimate_relsurv(&job, out);
    else
        rc = estimate_exact(&job, out);
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
