/* test_cox.c - unit tests of the Cox kernel (stats/cox.c) and the design matrix
 * (cohort/design.c): likelihoods computed by hand, invariances the fit must respect, R's values
 * on small data, edge cases and bad input. */
#include "pn_test.h"
#include "pronostic/alloc.h"
#include "pronostic/cox.h"
#include "pronostic/design.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A fit with its own buffers. */
typedef struct fit {
    double coef[8], var[64];
    unsigned char inf[8];
    pn_cox_result r;
    int rc;
} fit;

static void run(fit *f, const pn_cox_input *in)
{
    size_t ws = pn_cox_work_size(in->n, in->p);
    void *work = ws == SIZE_MAX ? NULL : malloc(ws);
    f->r = (pn_cox_result){.coef = f->coef, .var = f->var, .infinite = f->inf};
    f->rc = work ? pn_cox_fit(in, work, ws, &f->r) : PN_ENOMEM;
    free(work);
}

static pn_cox_input input(size_t n, size_t p, const double *t, const unsigned char *e,
                          const double *x)
{
    pn_cox_input in;
    pn_cox_input_init(&in);
    in.n = n;
    in.p = p;
    in.time = t;
    in.event = e;
    in.x = x;
    return in;
}

/* At beta = 0 the partial likelihood is a product of 1 / (size of the risk set). */
PN_TEST(null_loglik_by_hand)
{
    double t[] = {1, 2, 3, 4}, x[] = {0, 1, 0, 2};
    unsigned char e[] = {1, 1, 0, 1};
    pn_cox_input in = input(4, 1, t, e, x);
    fit f;
    run(&f, &in);
    PN_CHECK(f.rc == PN_OK);
    PN_CHECK_NEAR(f.r.loglik_null, -log(4.0) - log(3.0) - log(1.0), 1e-14);
    PN_CHECK(f.r.nevents == 3);
    PN_CHECK(f.r.loglik >= f.r.loglik_null);
}

/* Two deaths tied among three at risk: Breslow -2 log 3, Efron -(log 3 + log 2). */
PN_TEST(ties_efron_breslow_null)
{
    double t[] = {1, 1, 2}, x[] = {0, 1, 1};
    unsigned char e[] = {1, 1, 0};
    pn_cox_input in = input(3, 1, t, e, x);
    fit f;
    run(&f, &in);
    PN_CHECK_NEAR(f.r.loglik_null, -log(3.0) - log(2.0), 1e-14);
    in.ties = PN_COX_BRESLOW;
    run(&f, &in);
    PN_CHECK_NEAR(f.r.loglik_null, -2 * log(3.0), 1e-14);
}

/* Without ties Efron and Breslow are the same likelihood. */
PN_TEST(no_ties_efron_equals_breslow)
{
    double t[] = {1, 2, 3, 4, 5, 6, 7, 8}, x[] = {1, 0, 2, 1, 3, 0, 1, 2};
    unsigned char e[] = {1, 0, 1, 1, 0, 1, 1, 0};
    pn_cox_input in = input(8, 1, t, e, x);
    fit a, b;
    run(&a, &in);
    in.ties = PN_COX_BRESLOW;
    run(&b, &in);
    PN_CHECK_NEAR(a.coef[0], b.coef[0], 1e-12);
    PN_CHECK_NEAR(a.r.loglik, b.r.loglik, 1e-12);
}

/* R 3.5.3: coxph(Surv(t, s) ~ x) with times of zero gives coef 0.4812118, se 1.237992,
 * loglik -4.276666 -4.197819, 3 iterations. */
PN_TEST(times_of_zero_as_r)
{
    double t[] = {0, 0, 1, 2, 3, 4}, x[] = {1, 0, 0, 1, 1, 0};
    unsigned char e[] = {1, 0, 1, 1, 0, 1};
    pn_cox_input in = input(6, 1, t, e, x);
    fit f;
    run(&f, &in);
    PN_CHECK(f.rc == PN_OK);
    PN_CHECK_NEAR(f.coef[0], 0.4812118, 1e-7);
    PN_CHECK_NEAR(sqrt(f.var[0]), 1.237992, 1e-6);
    PN_CHECK_NEAR(f.r.loglik_null, -4.276666, 1e-6);
    PN_CHECK_NEAR(f.r.loglik, -4.197819, 1e-6);
    PN_CHECK(f.r.iterations == 3);
    PN_CHECK(f.r.converged);
}

/* Rescaling a covariate rescales its coefficient, and leaves the likelihood unchanged. */
PN_TEST(scale_invariance)
{
    double t[] = {3, 5, 2, 8, 7, 1, 4, 6, 9, 10}, x[20], y[20];
    unsigned char e[] = {1, 1, 0, 1, 1, 1, 0, 1, 1, 0};
    double a[] = {1.2, 3.1, 0.4, 2.2, 5.0, 0.7, 1.9, 2.8, 4.1, 3.3};
    double b[] = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0};
    for (int i = 0; i < 10; i++) {
        x[i] = a[i];
        x[10 + i] = b[i];
        y[i] = 10 * a[i] + 7;
        y[10 + i] = b[i];
    }
    pn_cox_input in = input(10, 2, t, e, x);
    fit f, g;
    run(&f, &in);
    in.x = y;
    run(&g, &in);
    PN_CHECK_NEAR(g.coef[0] * 10, f.coef[0], 1e-9 * fabs(f.coef[0]));
    PN_CHECK_NEAR(g.coef[1], f.coef[1], 1e-9 * fabs(f.coef[1]));
    PN_CHECK_NEAR(g.r.loglik, f.r.loglik, 1e-10);
    PN_CHECK_NEAR(sqrt(g.var[0]) * 10, sqrt(f.var[0]), 1e-9);
}

/* Integer case weights are the same as repeating the rows (with Breslow ties: Efron's correction
 * counts rows, so a weighted death differs from repeated tied deaths there, in R as here). */
PN_TEST(weights_equal_repeated_rows)
{
    double t[] = {2, 4, 4, 6, 7, 9}, x[] = {1, 0, 2, 1, 3, 0}, w[] = {2, 1, 3, 1, 2, 1};
    unsigned char e[] = {1, 1, 1, 0, 1, 1};
    double t2[10], x2[10];
    unsigned char e2[10];
    size_t m = 0;
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < (int)w[i]; k++) {
            t2[m] = t[i];
            x2[m] = x[i];
            e2[m++] = e[i];
        }
    pn_cox_input in = input(6, 1, t, e, x);
    in.weight = w;
    in.ties = PN_COX_BRESLOW;
    fit f, g;
    run(&f, &in);
    pn_cox_input in2 = input(m, 1, t2, e2, x2);
    in2.ties = PN_COX_BRESLOW;
    run(&g, &in2);
    PN_CHECK(m == 10);
    PN_CHECK_NEAR(f.coef[0], g.coef[0], 1e-10);
    PN_CHECK_NEAR(f.r.loglik, g.r.loglik, 1e-10);
    PN_CHECK_NEAR(f.r.loglik_null, g.r.loglik_null, 1e-10);
}

/* Delayed entry before every time is right-censored data; row order does not matter. */
PN_TEST(entry_before_all_equals_right_censored)
{
    double t[] = {5, 3, 9, 1, 7, 4, 8, 2}, x[] = {1, 0, 2, 1, 0, 2, 1, 0};
    double en[] = {-1, -1, -1, -1, -1, -1, -1, -1};
    unsigned char e[] = {1, 1, 0, 1, 1, 0, 1, 1};
    pn_cox_input in = input(8, 1, t, e, x);
    fit f, g;
    run(&f, &in);
    in.entry = en;
    run(&g, &in);
    PN_CHECK(f.rc == PN_OK && g.rc == PN_OK);
    PN_CHECK_NEAR(f.coef[0], g.coef[0], 1e-12);
    PN_CHECK_NEAR(f.r.loglik, g.r.loglik, 1e-12);
    PN_CHECK_NEAR(f.var[0], g.var[0], 1e-12);
}

/* Delayed entry by hand: at beta = 0 the risk set at t holds entry < t <= exit. */
PN_TEST(entry_risk_set)
{
    /* deaths at 2 (at risk: rows 0, 1; row 2 enters at 2, so is not), 5 (rows 1, 2) */
    double t[] = {2, 6, 5}, en[] = {0, 1, 2}, x[] = {0, 1, 2};
    unsigned char e[] = {1, 0, 1};
    pn_cox_input in = input(3, 1, t, e, x);
    in.entry = en;
    fit f;
    run(&f, &in);
    PN_CHECK(f.rc == PN_OK);
    PN_CHECK_NEAR(f.r.loglik_null, -log(2.0) - log(2.0), 1e-14);
}

/* A covariate constant within each stratum carries no information: its coefficient is NaN. */
PN_TEST(strata_absorb_stratum_constant)
{
    double t[] = {1, 2, 3, 4, 5, 6, 7, 8}, x[16];
    int32_t s[] = {0, 0, 0, 0, 1, 1, 1, 1};
    unsigned char e[] = {1, 1, 0, 1, 1, 0, 1, 1};
    double z[] = {0.5, 1.5, 2.0, 0.1, 1.1, 0.3, 2.2, 0.9};
    for (int i = 0; i < 8; i++) {
        x[i] = z[i];
        x[8 + i] = s[i] ? 3.0 : 1.0;
    }
    pn_cox_input in = input(8, 2, t, e, x);
    in.stratum = s;
    fit f;
    run(&f, &in);
    PN_CHECK(f.rc == PN_OK);
    PN_CHECK(!isnan(f.coef[0]));
    PN_CHECK(isnan(f.coef[1]));
    PN_CHECK(f.var[3] == 0 && f.var[1] == 0);
    PN_CHECK(f.r.rank == 1);
}

/* Strata are independent: shuffling the stratum codes' values changes nothing. */
PN_TEST(strata_codes_arbitrary)
{
    double t[] = {1, 2, 3, 4, 5, 6, 7, 8}, x[] = {0.5, 1.5, 2.0, 0.1, 1.1, 0.3, 2.2, 0.9};
    int32_t s[] = {0, 1, 0, 1, 0, 1, 0, 1}, s2[] = {7, 2, 7, 2, 7, 2, 7, 2};
    unsigned char e[] = {1, 1, 0, 1, 1, 0, 1, 1};
    pn_cox_input in = input(8, 1, t, e, x);
    in.stratum = s;
    fit f, g;
    run(&f, &in);
    in.stratum = s2;
    run(&g, &in);
    PN_CHECK_NEAR(f.coef[0], g.coef[0], 1e-13);
    PN_CHECK_NEAR(f.r.loglik, g.r.loglik, 1e-13);
}

PN_TEST(everyone_censored)
{
    double t[] = {1, 2, 3}, x[] = {1, 2, 3};
    unsigned char e[] = {0, 0, 0};
    pn_cox_input in = input(3, 1, t, e, x);
    fit f;
    run(&f, &in);
    PN_CHECK(f.rc == PN_OK);
    PN_CHECK(isnan(f.coef[0]));
    PN_CHECK(f.r.iterations == 0 && f.r.nevents == 0);
    PN_CHECK(f.r.loglik == 0 && f.r.loglik_null == 0);
}

PN_TEST(one_subject)
{
    double t[] = {5}, x[] = {2};
    unsigned char e[] = {1};
    pn_cox_input in = input(1, 1, t, e, x);
    fit f;
    run(&f, &in);
    PN_CHECK(f.rc == PN_OK);
    PN_CHECK(isnan(f.coef[0]));
    PN_CHECK(f.r.loglik == 0);
    PN_CHECK(f.r.converged);
}

/* Complete separation: R warns that the coefficient may be infinite; so do we. */
PN_TEST(separated_flagged_infinite)
{
    double t[] = {1, 2, 3, 4, 5, 6, 7, 8}, x[] = {1, 1, 1, 1, 0, 0, 0, 0};
    unsigned char e[] = {1, 1, 1, 1, 0, 1, 0, 1};
    pn_cox_input in = input(8, 1, t, e, x);
    fit f;
    run(&f, &in);
    PN_CHECK(f.rc == PN_OK);
    PN_CHECK(f.inf[0] == 1);
    PN_CHECK(f.coef[0] > 10);
    in.max_iter = 3;
    run(&f, &in);
    PN_CHECK(!f.r.converged);
    PN_CHECK(f.r.iterations == 4); /* R's fit$iter for coxph.fit */
    PN_CHECK_NEAR(f.coef[0], 5.083913, 1e-6);
}

PN_TEST(bad_input)
{
    double t[] = {1, 2, 3}, x[] = {1, 2, 3}, en[] = {0, 2, 1}, tn[] = {1, NAN, 3};
    unsigned char e[] = {1, 1, 0};
    pn_cox_input in = input(3, 1, t, e, x);
    fit f;
    in.entry = en; /* entry 2 is not before exit 2 */
    run(&f, &in);
    PN_CHECK(f.rc == PN_EINVAL);
    in.entry = NULL;
    in.time = tn;
    run(&f, &in);
    PN_CHECK(f.rc == PN_EINVAL);
    in.time = t;
    in.p = 0;
    PN_CHECK(pn_cox_work_size(3, 0) == SIZE_MAX);
    in.p = 1;
    char small[16];
    pn_cox_result r = {.coef = f.coef, .var = f.var, .infinite = f.inf};
    PN_CHECK(pn_cox_fit(&in, small, sizeof small, &r) == PN_EINVAL);
}

/* Treatment contrasts: first used level is the reference, unused levels are left out. */
PN_TEST(design_factor_columns)
{
    char *lev[] = {"a", "b", "c", "d"};
    int32_t code[] = {1, 3, 3, 1, 0 + 1, 3}; /* levels b and d only: b is the reference */
    double num[] = {1, 2, 3, 4, 5, 6};
    pn_column cols[2] = {{.name = "age", .kind = PN_COL_NUM, .num = num},
                         {.name = "cell", .kind = PN_COL_CAT, .code = code, .levels = lev,
                          .nlevels = 4}};
    pn_design *d = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_design_build(&d, cols, 2, 6, &diag) == PN_OK);
    if (d == NULL) return;
    PN_CHECK(d->p == 2);
    PN_CHECK_STR(d->names[0], "age");
    PN_CHECK_STR(d->names[1], "celld");
    PN_CHECK(d->x[6 + 1] == 1 && d->x[6 + 0] == 0 && d->x[6 + 5] == 1);
    PN_CHECK(d->x[3] == 4);
    PN_CHECK(d->source[1] == 1);
    pn_design_free(d);

    int32_t one[] = {2, 2, 2, 2, 2, 2};
    cols[1].code = one;
    PN_CHECK(pn_design_build(&d, cols, 2, 6, &diag) == PN_EUSAGE);
    PN_CHECK(strstr(diag.msg, "cell") != NULL);
    PN_CHECK(d == NULL);
}

/* A fit on a larger random data set recovers the coefficients it was simulated with. */
PN_TEST(recovers_simulated_effects)
{
    enum { N = 20000 };
    double *t = malloc(N * sizeof *t), *x = malloc(2 * N * sizeof *x);
    unsigned char *e = malloc(N);
    unsigned long long s = 12345;
    for (int i = 0; i < N; i++) {
        double u[4];
        for (int k = 0; k < 4; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            u[k] = ((s >> 11) + 0.5) / 9007199254740992.0;
        }
        x[i] = u[0] < 0.5;
        x[N + i] = 4 * u[1] - 2;
        double rate = exp(0.7 * x[i] - 0.4 * x[N + i]);
        double death = -log(u[2]) / rate, censor = -log(u[3]) / 0.5;
        t[i] = death < censor ? death : censor;
        e[i] = death < censor;
    }
    pn_cox_input in = input(N, 2, t, e, x);
    fit f;
    run(&f, &in);
    PN_CHECK(f.rc == PN_OK && f.r.converged);
    PN_CHECK_NEAR(f.coef[0], 0.7, 4 * sqrt(f.var[0]));
    PN_CHECK_NEAR(f.coef[1], -0.4, 4 * sqrt(f.var[3]));
    free(t);
    free(x);
    free(e);
}


/* The partial likelihood by brute force: for each death time of each stratum, scan every row. */
static double brute_loglik(const pn_cox_input *in, const double *beta)
{
    double ll = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (!in->event[i]) continue;
        double t = in->time[i];
        int32_t s = in->stratum ? in->stratum[i] : 0;
        /* handle each (stratum, time) once: at its first dying row */
        int first = 1;
        for (size_t k = 0; k < i; k++)
            if (in->event[k] && in->time[k] == t && (in->stratum ? in->stratum[k] : 0) == s)
                first = 0;
        if (!first) continue;
        double s0 = 0, d0 = 0, dw = 0;
        size_t d = 0;
        for (size_t k = 0; k < in->n; k++) {
            if ((in->stratum ? in->stratum[k] : 0) != s) continue;
            if (in->time[k] < t || (in->entry && in->entry[k] >= t)) continue;
            double eta = 0;
            for (size_t j = 0; j < in->p; j++) eta += beta[j] * in->x[j * in->n + k];
            double r = (in->weight ? in->weight[k] : 1) * exp(eta);
            s0 += r;
            if (in->event[k] && in->time[k] == t) {
                d++;
                d0 += r;
                dw += in->weight ? in->weight[k] : 1;
                ll += (in->weight ? in->weight[k] : 1) * eta;
            }
        }
        size_t steps = in->ties == PN_COX_EFRON ? d : 1;
        for (size_t k = 0; k < steps; k++)
            ll -= dw / (double)steps * log(s0 - (double)k / (double)steps * d0);
    }
    return ll;
}

/* On random data with ties, strata, weights and delayed entry (negative entries too), the
 * reported log-likelihoods are the brute-force ones, and the estimate is a maximum. */
PN_TEST(matches_brute_force)
{
    enum { N = 300 };
    static double t[N], en[N], w[N], x[2 * N];
    static unsigned char e[N];
    static int32_t st[N];
    unsigned long long s = 987654321;
    for (int i = 0; i < N; i++) {
        double u[6];
        for (int k = 0; k < 6; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            u[k] = ((s >> 11) + 0.5) / 9007199254740992.0;
        }
        en[i] = floor(20 * u[0]) - 5;
        t[i] = en[i] + 1 + floor(15 * u[1]);
        e[i] = u[2] < 0.6;
        st[i] = (int32_t)(3 * u[3]) * 5;
        x[i] = u[4] < 0.4;
        x[N + i] = 10 * u[5] + 0.1 * t[i];
        w[i] = 1 + (i % 3);
    }
    for (int ties = 0; ties < 2; ties++)
        for (int entry = 0; entry < 2; entry++) {
            pn_cox_input in = input(N, 2, t, e, x);
            in.ties = ties ? PN_COX_BRESLOW : PN_COX_EFRON;
            in.entry = entry ? en : NULL;
            in.stratum = st;
            in.weight = w;
            fit f;
            run(&f, &in);
            PN_CHECK(f.rc == PN_OK && f.r.converged);
            double zero[2] = {0, 0};
            PN_CHECK_NEAR(f.r.loglik_null, brute_loglik(&in, zero), 1e-9);
            PN_CHECK_NEAR(f.r.loglik, brute_loglik(&in, f.coef), 1e-9);
            for (int j = 0; j < 2; j++)
                for (int sign = -1; sign <= 1; sign += 2) {
                    double b[2] = {f.coef[0], f.coef[1]};
                    b[j] += sign * 1e-3;
                    PN_CHECK(brute_loglik(&in, b) < f.r.loglik);
                }
        }
}

/* The fit in place (the caller's arrays reordered, no copy) gives pn_cox_fit's results bit for
 * bit, with or without strata, weights, delayed entry, ties and timefix's rounding; and the
 * design built taking the columns is the design built copying them. */
PN_TEST(fit_in_place_equals_fit)
{
    enum { N = 2000 };
    static double t[N], en[N], w[N], x[3 * N], t2[N], en2[N], w2[N], x2[3 * N];
    static unsigned char e[N], e2[N];
    static int32_t st[N], st2[N];
    unsigned long long s = 4242;
    for (int variant = 0; variant < 8; variant++) {
        for (int i = 0; i < N; i++) {
            double u[7];
            for (int k = 0; k < 7; k++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                u[k] = ((s >> 11) + 0.5) / 9007199254740992.0;
            }
            t[i] = floor(50 * u[0]) + 1 + (u[6] < 0.1 ? 1e-10 : 0); /* ties, near-ties */
            e[i] = u[1] < 0.7;
            st[i] = (int32_t)(3 * u[2]);
            w[i] = 0.5 + u[3];
            en[i] = floor(t[i] * u[4]) - 0.5;
            x[i] = u[5] < 0.4;
            x[N + i] = 3 * u[4] - 1;
            x[2 * N + i] = floor(10 * u[3]);
        }
        pn_cox_input in = input(N, 3, t, e, x);
        in.stratum = variant & 1 ? st : NULL;
        in.weight = variant & 2 ? w : NULL;
        in.entry = variant & 4 ? en : NULL;
        in.ties = variant == 3 ? PN_COX_BRESLOW : PN_COX_EFRON;
        fit a;
        run(&a, &in);
        memcpy(t2, t, sizeof t);
        memcpy(en2, en, sizeof en);
        memcpy(w2, w, sizeof w);
        memcpy(x2, x, sizeof x);
        memcpy(e2, e, sizeof e);
        memcpy(st2, st, sizeof st);
        pn_cox_rows rows = {.n = N, .p = 3, .time = t2, .event = e2, .x = x2,
                            .stratum = in.stratum ? st2 : NULL, .weight = in.weight ? w2 : NULL,
                            .entry = in.entry ? en2 : NULL};
        size_t ws = pn_cox_rows_work_size(N, 3, in.entry != NULL);
        void *work = malloc(ws);
        fit b;
        b.r = (pn_cox_result){.coef = b.coef, .var = b.var, .infinite = b.inf};
        b.rc = work ? pn_cox_fit_rows(&rows, &in, work, ws, &b.r) : PN_ENOMEM;
        free(work);
        PN_CHECK(a.rc == PN_OK && b.rc == PN_OK);
        PN_CHECK(memcmp(a.coef, b.coef, 3 * sizeof *a.coef) == 0);
        PN_CHECK(memcmp(a.var, b.var, 9 * sizeof *a.var) == 0);
        PN_CHECK(memcmp(&a.r.loglik, &b.r.loglik, sizeof a.r.loglik) == 0 &&
                 memcmp(&a.r.loglik_null, &b.r.loglik_null, sizeof a.r.loglik) == 0 &&
                 memcmp(&a.r.score_test, &b.r.score_test, sizeof a.r.loglik) == 0);
        PN_CHECK(a.r.iterations == b.r.iterations && a.r.nevents == b.r.nevents &&
                 a.r.rank == b.r.rank && a.r.converged == b.r.converged);
    }
    /* the design, copying or taking the columns */
    double *num = malloc(4 * sizeof *num);
    int32_t code[4] = {0, 1, 1, 0};
    char l0[] = "a", l1[] = "b", *levels[2] = {l0, l1};
    pn_column cols[2] = {{.name = (char *)"age", .kind = PN_COL_NUM, .num = num},
                         {.name = (char *)"g", .kind = PN_COL_CAT, .code = code, .levels = levels,
                          .nlevels = 2}};
    for (int i = 0; i < 4; i++) num[i] = 10 + i;
    pn_design *d1 = NULL, *d2 = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_design_build(&d1, cols, 2, 4, &diag) == PN_OK && cols[0].num == num);
    PN_CHECK(pn_design_build_take(&d2, cols, 2, 4, &diag) == PN_OK && cols[0].num == NULL);
    PN_CHECK(d1 && d2 && d1->p == 2 && d2->p == 2 &&
             memcmp(d1->x, d2->x, 8 * sizeof *d1->x) == 0);
    pn_design_free(d1);
    pn_design_free(d2);
}

PN_TEST_MAIN(PN_T(null_loglik_by_hand), PN_T(ties_efron_breslow_null),
             PN_T(no_ties_efron_equals_breslow), PN_T(times_of_zero_as_r), PN_T(scale_invariance),
             PN_T(weights_equal_repeated_rows), PN_T(entry_before_all_equals_right_censored),
             PN_T(entry_risk_set), PN_T(strata_absorb_stratum_constant),
             PN_T(strata_codes_arbitrary), PN_T(everyone_censored), PN_T(one_subject),
             PN_T(separated_flagged_infinite), PN_T(bad_input), PN_T(design_factor_columns),
             PN_T(recovers_simulated_effects), PN_T(matches_brute_force),
             PN_T(fit_in_place_equals_fit))
