/* cox.c - the Cox proportional hazards fit: partial likelihood (Efron or Breslow ties, strata,
 * delayed entry) maximised by Newton-Raphson with R's step-halving and convergence rules.
 *
 * Rows are sorted once (in the caller's arrays: pn_cox_fit_rows fits in place, pn_cox_fit on a
 * copy) per stratum by decreasing exit time (and, with delayed entry, by
 * decreasing entry time); each iteration then walks the rows from the latest time backward,
 * keeping the risk-set sums S0 = sum w exp(eta), S1 = sum w exp(eta) x and S2 = sum w exp(eta)
 * x x' up to date (adding rows as their exit time is reached, removing them once the time falls
 * to their entry), which costs O(n p^2) per iteration. The information matrix is factored as
 * L D L' with R's pivot tolerance; columns whose pivot falls below it are dropped. The
 * algorithm follows survival's coxfit6.c (right-censored data) and agfit4.c (delayed entry),
 * whose rules differ slightly; see docs/methods.md, "Cox model".
 */
#include "pronostic/cox.h"
#include "pronostic/timefix.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void pn_cox_input_init(pn_cox_input *in)
{
    memset(in, 0, sizeof *in);
    in->ties = PN_COX_EFRON;
    in->max_iter = 20;
    in->eps = 1e-9;
    in->toler_chol = pow(DBL_EPSILON, 0.75);
    in->toler_inf = sqrt(1e-9);
}

/* Rows are ordered by stratum, then by decreasing time: the unsigned key of a time encodes it
 * so that unsigned order is decreasing time order, and the sort is a stable LSD radix sort of
 * row numbers whose digits are read from the rows' times and strata. */
#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_PASSES 9 /* 6 digits of the 64-bit key, then 3 of the 32-bit stratum */

/* The unsigned key of time t: larger times give smaller keys. */
static uint64_t time_key(double t)
{
    uint64_t u;
    if (t == 0) t = 0.0; /* -0 sorts as 0 */
    memcpy(&u, &t, sizeof u);
    u = (u >> 63) ? ~u : u | ((uint64_t)1 << 63); /* increasing with t */
    return ~u;
}

/* Digit `pass` of the key of row i: its time in t[], its stratum in s[] (NULL: 0). */
static uint32_t digit(const double *t, const int32_t *s, uint32_t i, int pass)
{
    if (pass < 6) return (uint32_t)(time_key(t[i]) >> (RADIX_BITS * pass)) & (RADIX_SIZE - 1);
    uint32_t st = s != NULL ? (uint32_t)s[i] : 0;
    return (st >> (RADIX_BITS * (pass - 6))) & (RADIX_SIZE - 1);
}

/* Sort the row numbers 0..n-1 by stratum s[], then decreasing time t[], ties in row order,
 * into `perm` (n); `tmp` is n of scratch and `hist` RADIX_PASSES * RADIX_SIZE counters.
 * Digits that every row shares are skipped. */
static void radix_order(const double *t, const int32_t *s, size_t n, uint32_t *perm,
                        uint32_t *tmp, uint32_t *hist)
{
    for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
    if (n < 2) return;
    memset(hist, 0, RADIX_PASSES * RADIX_SIZE * sizeof *hist);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = time_key(t[i]);
        uint32_t st = s != NULL ? (uint32_t)s[i] : 0;
        for (int d = 0; d < 6; d++) hist[d * RADIX_SIZE + ((k >> (RADIX_BITS * d)) & (RADIX_SIZE - 1))]++;
        for (int d = 6; d < RADIX_PASSES; d++)
            hist[d * RADIX_SIZE + ((st >> (RADIX_BITS * (d - 6))) & (RADIX_SIZE - 1))]++;
    }
    uint32_t *src = perm, *dst = tmp;
    for (int d = 0; d < RADIX_PASSES; d++) {
        uint32_t *h = hist + d * RADIX_SIZE;
        if (h[digit(t, s, src[0], d)] == n) continue;
        uint32_t sum = 0;
        for (uint32_t b = 0; b < RADIX_SIZE; b++) {
            uint32_t c = h[b];
            h[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) dst[h[digit(t, s, src[i], d)]++] = src[i];
        uint32_t *x = src;
        src = dst;
        dst = x;
    }
    if (src != perm) memcpy(perm, src, n * sizeof *perm);
}

/* Reorder the n values of `v` (each `size` bytes) so that v[k] becomes v[perm[k]], through
 * `scratch` (n * size bytes). */
static void permute(void *v, size_t size, size_t n, const uint32_t *perm, void *scratch)
{
    if (v == NULL) return;
    if (size == sizeof(double)) {
        const double *a = v;
        double *b = scratch;
        for (size_t k = 0; k < n; k++) b[k] = a[perm[k]];
    } else if (size == sizeof(int32_t)) {
        const int32_t *a = v;
        int32_t *b = scratch;
        for (size_t k = 0; k < n; k++) b[k] = a[perm[k]];
    } else {
        const unsigned char *a = v;
        unsigned char *b = scratch;
        for (size_t k = 0; k < n; k++) b[k] = a[perm[k]];
    }
    memcpy(v, scratch, n * size);
}

/* The workspace: the rows are the caller's arrays (pn_cox_rows), in exit order once set up:
 * stratum ascending, exit time descending. */
typedef struct cox_ws {
    size_t n, p;
    int counting;         /* 1 with delayed entry */
    int efron;
    const double *x;      /* n * p, column-major, centred and scaled */
    const double *time;   /* n exit times */
    const double *entry;  /* n entry times (counting only) */
    const double *w;      /* n weights, or NULL for 1 */
    const int32_t *stratum; /* n, or NULL for one stratum */
    const unsigned char *event; /* n */
    double *risk;         /* n: w exp(eta) (counting only) */
    double *eta;          /* n (counting only) */
    uint32_t *by_entry;   /* n positions in exit order, sorted by stratum, entry descending
                             (counting only) */
    /* p-sized scratch */
    double *s1, *d1, *s2, *d2; /* risk-set and tied-death sums: p, p, p*p, p*p */
    double *scale, *mean;
    double *good, *trial, *step, *u, *imat, *chol;
    double *xk;           /* p: one row's covariates */
} cox_ws;

static size_t align8(size_t bytes) { return (bytes + 7) & ~(size_t)7; }

/* Bytes of the row-sized part of the workspace (timefix's set, the order, the reordering's
 * scratch; with delayed entry the risks and linear predictors too). */
static size_t rows_bytes(size_t n, int counting)
{
    return (counting ? 32 : 16) * n;
}

static size_t small_bytes(size_t p)
{
    return align8((11 * p + 5 * p * p) * sizeof(double)) +
           align8(RADIX_PASSES * RADIX_SIZE * sizeof(uint32_t));
}

static int too_big(size_t n, size_t p)
{
    return p == 0 || n > UINT32_MAX || p > 4096 ||
           n > (SIZE_MAX / 4) / (p + 8) / sizeof(double);
}

size_t pn_cox_rows_work_size(size_t n, size_t p, int counting)
{
    if (too_big(n, p)) return SIZE_MAX;
    return rows_bytes(n, counting) + small_bytes(p);
}

/* The copy of the rows that pn_cox_fit makes: x, time, entry, weight, stratum, event. */
static size_t copy_bytes(size_t n, size_t p)
{
    return align8(n * p * sizeof(double)) + align8(3 * n * sizeof(double)) +
           align8(n * sizeof(int32_t)) + align8(n);
}

size_t pn_cox_work_size(size_t n, size_t p)
{
    if (too_big(n, p)) return SIZE_MAX;
    return copy_bytes(n, p) + pn_cox_rows_work_size(n, p, 1);
}

/* Check the rows, make times equal that differ by rounding only, reorder the rows in exit
 * order, centre and scale the covariates as R does (weighted mean and mean absolute deviation;
 * columns whose values are all -1, 0 or 1 are left alone), all in the caller's arrays, and
 * carve the workspace. Returns PN_OK, PN_EINVAL for bad data, PN_ERANGE (timefix). */
static int setup(cox_ws *ws, pn_cox_rows *rows, const pn_cox_input *opt, void *work)
{
    size_t n = rows->n, p = rows->p;
    char *b = work;
    ws->n = n;
    ws->p = p;
    ws->counting = rows->entry != NULL;
    ws->efron = opt->ties == PN_COX_EFRON;
    char *rowpart = b;
    b += rows_bytes(n, ws->counting);
    double *d = (double *)b;
    ws->s1 = d; d += p; ws->d1 = d; d += p; ws->s2 = d; d += p * p; ws->d2 = d; d += p * p;
    ws->scale = d; d += p; ws->mean = d; d += p; ws->good = d; d += p; ws->trial = d; d += p;
    ws->step = d; d += p; ws->u = d; d += p; ws->imat = d; d += p * p; ws->chol = d; d += p * p;
    ws->xk = d; d += p;
    b += align8((11 * p + 5 * p * p) * sizeof(double));
    uint32_t *hist = (uint32_t *)b;
    /* the row part: scratch (8n bytes), perm (4n), tmp (4n); with entry, risk (8n) and 8n
     * more; timefix's set spans it all first */
    void *scratch = rowpart;
    uint32_t *perm = (uint32_t *)(void *)(rowpart + 8 * n);
    uint32_t *tmp = (uint32_t *)(void *)(rowpart + 12 * n);

    for (size_t i = 0; i < n; i++) {
        double t = rows->time[i];
        if (!isfinite(t) || (rows->stratum && rows->stratum[i] < 0)) return PN_EINVAL;
        if (rows->entry && !(rows->entry[i] < t && isfinite(rows->entry[i]))) return PN_EINVAL;
        if (rows->weight && !(rows->weight[i] > 0 && isfinite(rows->weight[i]))) return PN_EINVAL;
    }
    /* times that differ by rounding only are made equal first, as coxph's timefix (timefix.h) */
    if (pn_timefix_apply(rows->time, rows->entry, n, (double *)(void *)rowpart, NULL) != PN_OK)
        return PN_ERANGE;
    radix_order(rows->time, rows->stratum, n, perm, tmp, hist);
    permute(rows->time, sizeof *rows->time, n, perm, scratch);
    permute(rows->entry, sizeof *rows->entry, n, perm, scratch);
    permute(rows->weight, sizeof *rows->weight, n, perm, scratch);
    permute(rows->stratum, sizeof *rows->stratum, n, perm, scratch);
    permute(rows->event, 1, n, perm, scratch);
    for (size_t j = 0; j < p; j++) permute(rows->x + j * n, sizeof *rows->x, n, perm, scratch);
    ws->x = rows->x;
    ws->time = rows->time;
    ws->w = rows->weight;
    ws->stratum = rows->stratum;
    ws->event = rows->event;
    ws->entry = rows->entry;
    if (ws->counting) {
        ws->by_entry = perm;
        ws->eta = scratch;
        ws->risk = (double *)(void *)(rowpart + 16 * n);
        radix_order(rows->entry, rows->stratum, n, perm, tmp, hist);
    }

    double wsum = 0;
    for (size_t k = 0; k < n; k++) wsum += ws->w ? ws->w[k] : 1.0;
    for (size_t j = 0; j < p; j++) {
        int unit = 1;
        double m = 0, *x = rows->x + j * n;
        for (size_t k = 0; k < n; k++) {
            double v = x[k];
            if (!isfinite(v)) return PN_EINVAL;
            if (v != 0 && v != 1 && v != -1) unit = 0;
            m += (ws->w ? ws->w[k] : 1.0) * v;
        }
        ws->mean[j] = 0;
        ws->scale[j] = 1;
        if (unit) continue;
        m /= wsum;
        double dev = 0;
        for (size_t k = 0; k < n; k++) {
            x[k] -= m;
            dev += (ws->w ? ws->w[k] : 1.0) * fabs(x[k]);
        }
        double sc = dev > 0 ? wsum / dev : 1.0;
        for (size_t k = 0; k < n; k++) x[k] *= sc;
        ws->mean[j] = m;
        ws->scale[j] = sc;
    }
    return PN_OK;
}

/* The row loops below take the number of covariates `p` as an argument so that, inlined
 * into loglik_at's copies for small constant p, the compiler unrolls them (the same operations
 * in the same order: only the loop control changes). */
#if defined(__GNUC__)
#define PN_INLINE static inline __attribute__((always_inline))
#else
#define PN_INLINE static inline
#endif

/* Row k's covariates into ws->xk. */
PN_INLINE void row_x(const cox_ws *ws, size_t k, size_t p)
{
    for (size_t j = 0; j < p; j++) ws->xk[j] = ws->x[j * ws->n + k];
}

/* Add (sign +1) or remove (sign -1) a row of risk r and covariates xk from the sums. */
PN_INLINE void riskset_update(cox_ws *ws, const double *xk, double r, double sign, double *s0,
                              size_t p)
{
    r *= sign;
    *s0 += r;
    for (size_t i = 0; i < p; i++) {
        double rx = r * xk[i];
        ws->s1[i] += rx;
        for (size_t j = 0; j <= i; j++) ws->s2[i * p + j] += rx * xk[j];
    }
}

/* The linear predictor of row k (covariates in ws->xk) at beta. */
PN_INLINE double eta_of(const cox_ws *ws, const double *beta, size_t p)
{
    double e = 0;
    for (size_t j = 0; j < p; j++) e += beta[j] * ws->xk[j];
    return e;
}

/* The log partial likelihood at `beta` (scaled), with the score in ws->u and the information
 * matrix (full, symmetric) in ws->imat; p is ws->p. */
PN_INLINE double loglik_p(cox_ws *ws, const double *beta, size_t p)
{
    size_t n = ws->n;
    double *s1 = ws->s1, *s2 = ws->s2, *d1 = ws->d1, *d2 = ws->d2, *u = ws->u, *imat = ws->imat;
    double *xk = ws->xk;
    if (ws->counting)
        for (size_t k = 0; k < n; k++) {
            row_x(ws, k, p);
            double e = eta_of(ws, beta, p);
            ws->eta[k] = e;
            ws->risk[k] = (ws->w ? ws->w[k] : 1.0) * exp(e);
        }
    memset(u, 0, p * sizeof *u);
    memset(imat, 0, p * p * sizeof *imat);
    double loglik = 0;
    size_t k = 0, rm = 0;
    while (k < n) {
        /* one stratum: rows [k, end) in exit order, [rm, end) in entry order */
        int32_t s = ws->stratum ? ws->stratum[k] : 0;
        size_t end = k;
        if (ws->stratum == NULL) end = n;
        else
            while (end < n && ws->stratum[end] == s) end++;
        double s0 = 0;
        size_t nrisk = 0;
        memset(s1, 0, p * sizeof *s1);
        memset(s2, 0, p * p * sizeof *s2);
        while (k < end) {
            double t = ws->time[k];
            if (ws->counting) {
                /* rows whose entry is at or after t have left the risk set */
                for (; rm < end && ws->entry[ws->by_entry[rm]] >= t; rm++) {
                    if (--nrisk == 0) {
                        s0 = 0;
                        memset(s1, 0, p * sizeof *s1);
                        memset(s2, 0, p * p * sizeof *s2);
                    } else {
                        size_t q = ws->by_entry[rm];
                        row_x(ws, q, p);
                        riskset_update(ws, xk, ws->risk[q], -1.0, &s0, p);
                    }
                }
            }
            /* the rows tied at t: censored ones join the sums, deaths are gathered apart */
            size_t ndead = 0;
            double deadwt = 0, dd0 = 0;
            for (; k < end && ws->time[k] == t; k++) {
                nrisk++;
                row_x(ws, k, p);
                double wk = ws->w ? ws->w[k] : 1.0, e, r;
                if (ws->counting) {
                    e = ws->eta[k];
                    r = ws->risk[k];
                } else {
                    e = eta_of(ws, beta, p);
                    r = wk * exp(e);
                }
                if (!ws->event[k]) {
                    riskset_update(ws, xk, r, 1.0, &s0, p);
                    continue;
                }
                if (ndead == 0) {
                    memset(d1, 0, p * sizeof *d1);
                    memset(d2, 0, p * p * sizeof *d2);
                }
                ndead++;
                deadwt += wk;
                dd0 += r;
                loglik += wk * e;
                for (size_t i = 0; i < p; i++) {
                    double rx = r * xk[i];
                    u[i] += wk * xk[i];
                    d1[i] += rx;
                    for (size_t j = 0; j <= i; j++) d2[i * p + j] += rx * xk[j];
                }
            }
            if (ndead == 0) continue;
            /* Breslow: the deaths join the risk set at once. Efron: in ndead steps, each
             * adding 1/ndead of their sums, each step weighing deadwt/ndead. */
            size_t steps = (ws->efron && ndead > 1) ? ndead : 1;
            double frac = 1.0 / (double)steps, wt = deadwt / (double)steps;
            for (size_t st = 0; st < steps; st++) {
                s0 += dd0 * frac;
                loglik -= wt * log(s0);
                for (size_t i = 0; i < p; i++) {
                    s1[i] += d1[i] * frac;
                    double mi = s1[i] / s0;
                    u[i] -= wt * mi;
                    for (size_t j = 0; j <= i; j++) {
                        s2[i * p + j] += d2[i * p + j] * frac;
                        imat[i * p + j] += wt * (s2[i * p + j] - mi * s1[j]) / s0;
                    }
                }
            }
        }
        rm = end;
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) imat[j * p + i] = imat[i * p + j];
    return loglik;
}

/* loglik_p for ws->p, with copies for the usual small numbers of covariates. */
static double loglik_at(cox_ws *ws, const double *beta)
{
    switch (ws->p) {
    case 1: return loglik_p(ws, beta, 1);
    case 2: return loglik_p(ws, beta, 2);
    case 3: return loglik_p(ws, beta, 3);
    case 4: return loglik_p(ws, beta, 4);
    case 5: return loglik_p(ws, beta, 5);
    case 6: return loglik_p(ws, beta, 6);
    default: return loglik_p(ws, beta, ws->p);
    }
}

/* Factor the symmetric matrix `a` (p x p, row-major) as L D L' into `c` (L below the diagonal,
 * D on it). A pivot below toler times the largest diagonal (or not finite) marks its column
 * singular: D = 0 and the column of L is zeroed, so the column is dropped from solves. Returns
 * the rank, negated when a pivot was clearly negative (as R's cholesky2). */
static int ldl_factor(const double *a, double *c, size_t p, double toler)
{
    memcpy(c, a, p * p * sizeof *c);
    double big = 0;
    for (size_t i = 0; i < p; i++)
        if (c[i * p + i] > big) big = c[i * p + i];
    double eps = big > 0 ? big * toler : toler;
    int rank = 0, sign = 1;
    for (size_t i = 0; i < p; i++) {
        double piv = c[i * p + i];
        if (!isfinite(piv) || piv < eps) {
            if (piv < -8 * eps) sign = -1;
            c[i * p + i] = 0;
            for (size_t j = i + 1; j < p; j++) c[j * p + i] = 0;
            continue;
        }
        rank++;
        for (size_t j = i + 1; j < p; j++) {
            double l = c[j * p + i] / piv;
            c[j * p + i] = l;
            c[j * p + j] -= l * l * piv;
            for (size_t k = j + 1; k < p; k++) c[k * p + j] -= l * c[k * p + i];
        }
    }
    return rank * sign;
}

/* Solve L D L' y = b in place, with y = 0 on the dropped columns. */
static void ldl_solve(const double *c, size_t p, double *y)
{
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) y[i] -= c[i * p + j] * y[j];
    for (size_t i = p; i-- > 0;) {
        if (c[i * p + i] == 0) {
            y[i] = 0;
            continue;
        }
        double v = y[i] / c[i * p + i];
        for (size_t j = i + 1; j < p; j++) v -= c[j * p + i] * y[j];
        y[i] = v;
    }
}

/* The (generalised) inverse of the factored matrix into `inv`, with zero rows and columns for
 * the dropped columns. `col` is p scratch. */
static void ldl_inverse(const double *c, size_t p, double *inv, double *col)
{
    for (size_t k = 0; k < p; k++) {
        memset(col, 0, p * sizeof *col);
        col[k] = 1;
        ldl_solve(c, p, col);
        for (size_t i = 0; i < p; i++) inv[i * p + k] = c[k * p + k] == 0 ? 0 : col[i];
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) {
            double v = 0.5 * (inv[i * p + j] + inv[j * p + i]);
            inv[i * p + j] = inv[j * p + i] = v;
        }
}

static int all_finite(const double *v, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* R's convergence test: relative change of the log-likelihood (equal values also converge,
 * which only differs from R when both are exactly 0, where R divides 0 by 0). */
static int close_enough(double best, double now, double eps)
{
    return now == best || fabs(1 - best / now) <= eps;
}

/* Fill out's coef/var from the scaled estimate `beta` and the factored information `c`. */
static void finish(cox_ws *ws, const double *beta, const double *c, pn_cox_result *out)
{
    size_t p = ws->p;
    ldl_inverse(c, p, out->var, ws->step);
    for (size_t i = 0; i < p; i++) {
        out->coef[i] = c[i * p + i] == 0 ? NAN : beta[i] * ws->scale[i];
        for (size_t j = 0; j < p; j++) out->var[i * p + j] *= ws->scale[i] * ws->scale[j];
    }
}

/* R's toler.inf rule, after convergence: flag a coefficient whose one-step update u' V is still
 * large (coxph.fit: above eps and toler_inf |coef|; agreg.fit: above toler_inf (1 + |coef|)). */
static void flag_infinite(cox_ws *ws, const pn_cox_input *in, pn_cox_result *out)
{
    size_t p = ws->p;
    for (size_t j = 0; j < p; j++) {
        double s = 0;
        for (size_t i = 0; i < p; i++) s += ws->u[i] / ws->scale[i] * out->var[i * p + j];
        double a = fabs(s), b = isnan(out->coef[j]) ? 0 : fabs(out->coef[j]);
        int inf = !isfinite(ws->u[j]);
        if (ws->counting) inf |= a > in->toler_inf * (1 + b);
        else inf |= a > in->eps && a > in->toler_inf * b;
        out->infinite[j] = (unsigned char)inf;
    }
}

int pn_cox_fit_rows(pn_cox_rows *rows, const pn_cox_input *in, void *work, size_t work_size,
                    pn_cox_result *out)
{
    if (rows == NULL || in == NULL || out == NULL || rows->p == 0 || rows->time == NULL ||
        rows->event == NULL || rows->x == NULL || in->max_iter < 0 || work == NULL)
        return PN_EINVAL;
    size_t need = pn_cox_rows_work_size(rows->n, rows->p, rows->entry != NULL);
    if (need == SIZE_MAX || work_size < need) return PN_EINVAL;
    cox_ws ws;
    int rc = setup(&ws, rows, in, work);
    if (rc != PN_OK) return rc;
    size_t n = rows->n, p = rows->p;
    double *good = ws.good, *trial = ws.trial, *step = ws.step, *c = ws.chol;

    out->nevents = 0;
    for (size_t k = 0; k < n; k++) out->nevents += ws.event[k] != 0;
    memset(out->infinite, 0, p);
    out->converged = 1;
    out->score_test = 0;
    if (out->nevents == 0) {
        /* R's coxph() returns at once: nothing can be estimated without an event */
        for (size_t j = 0; j < p; j++) out->coef[j] = NAN;
        memset(out->var, 0, p * p * sizeof *out->var);
        out->loglik_null = out->loglik = 0;
        out->iterations = 0;
        out->rank = 0;
        return PN_OK;
    }

    memset(good, 0, p * sizeof *good);
    double ll0 = loglik_at(&ws, good);
    out->loglik_null = ll0;
    int rank0 = ldl_factor(ws.imat, c, p, in->toler_chol);
    memcpy(step, ws.u, p * sizeof *step);
    ldl_solve(c, p, step);
    for (size_t j = 0; j < p; j++) out->score_test += ws.u[j] * step[j];
    out->rank = rank0;
    out->iterations = 0;
    if (in->max_iter == 0 || !isfinite(ll0)) {
        out->loglik = ll0;
        finish(&ws, good, c, out);
        return PN_OK;
    }

    double best = ll0, newlk = ll0;
    int halving = 0, iter, rank = rank0;
    for (size_t j = 0; j < p; j++) trial[j] = good[j] + step[j];
    for (iter = 1; iter <= in->max_iter; iter++) {
        newlk = loglik_at(&ws, trial);
        rank = ldl_factor(ws.imat, c, p, in->toler_chol);
        int bad;
        if (ws.counting) {
            /* agfit4: a non-finite diagonal or log-likelihood, or a change of rank */
            bad = !isfinite(newlk) || rank != rank0;
            for (size_t j = 0; j < p; j++) bad |= !isfinite(ws.imat[j * p + j]);
            if (!bad && halving == 0 && close_enough(best, newlk, in->eps)) break;
            if (iter == in->max_iter) {
                out->converged = 0;
                if (in->max_iter > 1 && (newlk - best) / fabs(best) < -in->eps) {
                    /* the last try was worse than the best: report the best */
                    memcpy(trial, good, p * sizeof *trial);
                    newlk = loglik_at(&ws, trial);
                    rank = ldl_factor(ws.imat, c, p, in->toler_chol);
                }
                break;
            }
        } else {
            /* coxfit6: a non-finite score, information or log-likelihood */
            bad = !isfinite(newlk) || !all_finite(ws.u, p) || !all_finite(ws.imat, p * p);
            if (!bad && close_enough(best, newlk, in->eps)) break;
        }
        if (bad || newlk < best) {
            /* no progress: step back toward the best estimate, more each time */
            halving++;
            for (size_t j = 0; j < p; j++)
                trial[j] = (trial[j] + halving * good[j]) / (halving + 1.0);
        } else {
            halving = 0;
            best = newlk;
            memcpy(step, ws.u, p * sizeof *step);
            ldl_solve(c, p, step);
            for (size_t j = 0; j < p; j++) {
                good[j] = trial[j];
                trial[j] += step[j];
            }
        }
    }
    if (!ws.counting && iter > in->max_iter) {
        /* coxfit6 ran out of iterations: report the best estimate (iterations is then
         * max_iter + 1, as R's fit$iter) */
        out->converged = 0;
        memcpy(trial, good, p * sizeof *trial);
        newlk = in->max_iter > 1 ? loglik_at(&ws, trial) : best;
        if (in->max_iter > 1) rank = ldl_factor(ws.imat, c, p, in->toler_chol);
    }
    out->iterations = iter;
    out->loglik = newlk;
    out->rank = ws.counting ? rank0 : rank;
    finish(&ws, trial, c, out);
    if (out->converged && in->max_iter > 1) flag_infinite(&ws, in, out);
    return PN_OK;
}

int pn_cox_fit(const pn_cox_input *in, void *work, size_t work_size, pn_cox_result *out)
{
    if (in == NULL || out == NULL || in->p == 0 || in->time == NULL || in->event == NULL ||
        in->x == NULL || in->max_iter < 0 || work == NULL)
        return PN_EINVAL;
    size_t n = in->n, p = in->p, need = pn_cox_work_size(n, p);
    if (need == SIZE_MAX || work_size < need) return PN_EINVAL;
    /* a copy of the rows at the start of the workspace, fitted in place after it */
    char *b = work;
    pn_cox_rows rows = {.n = n, .p = p};
    rows.x = (double *)(void *)b;
    b += align8(n * p * sizeof(double));
    double *d = (double *)(void *)b;
    b += align8(3 * n * sizeof(double));
    int32_t *st = (int32_t *)(void *)b;
    b += align8(n * sizeof(int32_t));
    unsigned char *ev = (unsigned char *)b;
    b += align8(n);
    memcpy(rows.x, in->x, n * p * sizeof *rows.x);
    rows.time = d;
    memcpy(rows.time, in->time, n * sizeof *rows.time);
    if (in->entry) memcpy(rows.entry = d + n, in->entry, n * sizeof *rows.entry);
    if (in->weight) memcpy(rows.weight = d + 2 * n, in->weight, n * sizeof *rows.weight);
    if (in->stratum) memcpy(rows.stratum = st, in->stratum, n * sizeof *rows.stratum);
    for (size_t i = 0; i < n; i++) ev[i] = in->event[i] != 0;
    rows.event = ev;
    return pn_cox_fit_rows(&rows, in, b, work_size - (size_t)(b - (char *)work), out);
}
