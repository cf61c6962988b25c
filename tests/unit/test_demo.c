/* test_demo.c - unit tests of the synthetic France: the seeded generator (rng), the excess-hazard
 * model and its calibration, death-time draws against their exact distributions, patient ids,
 * and the bundle writer (row counts, determinism, the trial catalogue). */
#include "pn_test.h"
#include "pronostic/date.h"
#include "pronostic/demo.h"
#include "pronostic/standardise.h"
#include "pronostic/ratetable.h"
#include "pronostic/rng.h"
#include "pronostic/site.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* The demo's note callback: counts the injected rows it is told of. */
static void count_note(void *ctx, const char *file, unsigned long long line, const char *field,
                       const char *why)
{
    (void)file, (void)line, (void)field, (void)why;
    ++*(size_t *)ctx;
}

PN_TEST(rng_is_deterministic_and_streams_differ)
{
    pn_rng a, b, c;
    pn_rng_seed2(&a, 42, 7);
    pn_rng_seed2(&b, 42, 7);
    pn_rng_seed2(&c, 42, 8);
    int same_ab = 1, same_ac = 1;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = pn_rng_next(&a), y = pn_rng_next(&b), z = pn_rng_next(&c);
        same_ab &= x == y;
        same_ac &= x == z;
    }
    PN_CHECK(same_ab);
    PN_CHECK(!same_ac);
    /* The first output of xoshiro256** from a known state (Vigna's reference: state 1,2,3,4
     * gives 11520 first). */
    pn_rng r = {{1, 2, 3, 4}};
    PN_CHECK(pn_rng_next(&r) == 11520);
    PN_CHECK(pn_rng_next(&r) == 0);
    PN_CHECK(pn_rng_next(&r) == 1509978240);
}

PN_TEST(rng_draws_have_their_distributions)
{
    pn_rng r;
    pn_rng_seed(&r, 2024);
    enum { N = 200000 };
    double su = 0, se = 0, sn = 0, sn2 = 0, sp = 0;
    unsigned below[10] = {0};
    for (int i = 0; i < N; i++) {
        double u = pn_rng_uniform(&r);
        PN_CHECK(u >= 0 && u < 1);
        su += u;
        se += pn_rng_exp(&r);
        double z = pn_rng_normal(&r);
        sn += z;
        sn2 += z * z;
        sp += pn_rng_poisson(&r, 2.5);
        uint64_t k = pn_rng_below(&r, 10);
        PN_CHECK(k < 10);
        below[k]++;
    }
    /* Means within about 5 standard errors. */
    PN_CHECK_NEAR(su / N, 0.5, 5 * sqrt(1.0 / 12 / N));
    PN_CHECK_NEAR(se / N, 1.0, 5 * sqrt(1.0 / N));
    PN_CHECK_NEAR(sn / N, 0.0, 5 * sqrt(1.0 / N));
    PN_CHECK_NEAR(sn2 / N, 1.0, 5 * sqrt(2.0 / N));
    PN_CHECK_NEAR(sp / N, 2.5, 5 * sqrt(2.5 / N));
    for (int k = 0; k < 10; k++) PN_CHECK_NEAR(below[k] / (double)N, 0.1, 5 * sqrt(0.09 / N));
    double w[4] = {1, 0, 3, 0}, cum[4] = {1, 1, 4, 4};
    unsigned pick[4] = {0}, pickc[4] = {0};
    for (int i = 0; i < N; i++) {
        pick[pn_rng_pick(&r, w, 4)]++;
        pickc[pn_rng_pick_cumulative(&r, cum, 4)]++;
    }
    PN_CHECK(pick[1] == 0 && pick[3] == 0 && pickc[1] == 0 && pickc[3] == 0);
    PN_CHECK_NEAR(pick[0] / (double)N, 0.25, 5 * sqrt(0.1875 / N));
    PN_CHECK_NEAR(pickc[0] / (double)N, 0.25, 5 * sqrt(0.1875 / N));
}

PN_TEST(model_calibrates_to_the_published_targets)
{
    pn_demo_model m;
    PN_CHECK(pn_demo_model_calibrate(&m) == PN_OK);
    const double targets[7] = {0.11, 0.17, 0.18, 0.20, 0.26, 0.43, 0.27};
    for (int s = PN_SITE_PANCREAS; s <= PN_SITE_AML; s++) {
        PN_CHECK_NEAR(pn_demo_target_net5(s), targets[s - 1], 0);
        PN_CHECK_NEAR(pn_demo_std_net(&m, s, 5, 2010, 2016), targets[s - 1], 1e-9);
        /* Improvement over time, and net survival falling with follow-up. */
        PN_CHECK(pn_demo_std_net(&m, s, 5, 2020, 2025) > pn_demo_std_net(&m, s, 5, 2000, 2005));
        PN_CHECK(pn_demo_std_net(&m, s, 1, 2010, 2016) > pn_demo_std_net(&m, s, 5, 2010, 2016));
        /* The old do worse than the young. */
        PN_CHECK(pn_demo_excess_cumhaz(&m, s, 4, 2012, 5) > pn_demo_excess_cumhaz(&m, s, 0, 2012, 5));
    }
    PN_CHECK(isnan(pn_demo_target_net5(PN_SITE_OTHER)));
}

/* Excess death times drawn by inversion have the model's survival: per ICSS group, the share
 * alive at 5 years, standardised with the site's weights, is the target (no background deaths,
 * no censoring: net survival is then a plain proportion). */
PN_TEST(excess_draws_reproduce_the_calibrated_net_survival)
{
    pn_demo_model m;
    PN_CHECK(pn_demo_model_calibrate(&m) == PN_OK);
    pn_rng r;
    pn_rng_seed(&r, 99);
    enum { N = 40000 };
    for (int s = PN_SITE_PANCREAS; s <= PN_SITE_AML; s++) {
        const double *w = pn_icss_weights(pn_site_icss(s));
        double std = 0, var = 0;
        for (int g = 0; g < 5; g++) {
            int alive = 0;
            for (int i = 0; i < N; i++) {
                double year = 2010 + 6 * pn_rng_uniform(&r);
                if (pn_demo_draw_excess(&m, s, g, year, &r) > 5) alive++;
            }
            double p = alive / (double)N;
            std += w[g] * p;
            var += w[g] * w[g] * p * (1 - p) / N;
        }
        PN_CHECK_NEAR(std, pn_demo_target_net5(s), 5 * sqrt(var));
    }
}

/* Background death times follow the life table: P(T > t) = exp(-cumulative hazard). */
PN_TEST(background_draws_follow_the_life_table)
{
    pn_ratetable *rt = NULL;
    pn_diag diag;
    PN_CHECK(pn_ratetable_open(&rt, "fr", &diag) == PN_OK);
    if (rt == NULL) return;
    pn_rng r;
    pn_rng_seed(&r, 5);
    enum { N = 100000 };
    const struct { double age_years; int sex; int year; double t; } cases[] = {
        {70.3, PN_SEX_MALE, 2010, 5 * PN_DAYS_PER_YEAR},
        {85.9, PN_SEX_FEMALE, 2016, 8 * PN_DAYS_PER_YEAR},   /* crosses the table's last year */
        {40.0, PN_SEX_FEMALE, 2001, 20 * PN_DAYS_PER_YEAR},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        double age = cases[k].age_years * PN_DAYS_PER_YEAR;
        double date = pn_days_from_civil(cases[k].year, 3, 14);
        double horizon = 30 * PN_DAYS_PER_YEAR;
        int alive = 0, beyond = 0;
        for (int i = 0; i < N; i++) {
            double t = pn_demo_draw_background(rt, age, cases[k].sex, date, horizon, &r);
            alive += t > cases[k].t;
            beyond += isinf(t);
        }
        double p = exp(-pn_ratetable_cumhaz(rt, cases[k].sex, age, date, cases[k].t, NULL));
        double q = exp(-pn_ratetable_cumhaz(rt, cases[k].sex, age, date, horizon, NULL));
        PN_CHECK_NEAR(alive / (double)N, p, 5 * sqrt(p * (1 - p) / N) + 1e-9);
        PN_CHECK_NEAR(beyond / (double)N, q, 5 * sqrt(q * (1 - q) / N) + 1e-9);
    }
    pn_ratetable_free(rt);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* A demo-internal function, declared here to test it without exposing it. */
void pn__demo_patient_id(uint64_t seed, uint64_t i, char out[16]);

PN_TEST(patient_ids_are_distinct_ten_digit_numbers)
{
    enum { N = 100000 };
    char (*ids)[16] = malloc(N * sizeof *ids);
    PN_CHECK(ids != NULL);
    if (ids == NULL) return;
    for (int i = 0; i < N; i++) pn__demo_patient_id(7, (uint64_t)i, ids[i]);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        ok &= strlen(ids[i]) == 10 && ids[i][0] != '0';
        for (int k = 0; k < 10; k++) ok &= ids[i][k] >= '0' && ids[i][k] <= '9';
    }
    PN_CHECK(ok);
    qsort(ids, N, sizeof *ids, cmp_str);
    int distinct = 1;
    for (int i = 1; i < N; i++) distinct &= strcmp(ids[i - 1], ids[i]) != 0;
    PN_CHECK(distinct);
    free(ids);
}

static long count_lines(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    long n = 0;
    int c;
    while ((c = fgetc(f)) != EOF) n += c == '\n';
    fclose(f);
    return n;
}

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = '\0';
    fclose(f);
    return s;
}

PN_TEST(bundle_counts_determinism_and_catalogue)
{
    pn_ratetable *rt = NULL;
    pn_diag diag;
    PN_CHECK(pn_ratetable_open(&rt, "fr", &diag) == PN_OK);
    if (rt == NULL) return;
    char d1[] = "/tmp/pn_test_demo_XXXXXX", d2[] = "/tmp/pn_test_demo_XXXXXX";
    PN_CHECK(mkdtemp(d1) != NULL && mkdtemp(d2) != NULL);
    pn_demo_options o = {.out_dir = d1, .patients = 2000, .seed = 11, .ratetable = rt};
    pn_demo_counts c1, c2;
    PN_CHECK(pn_demo_write(&o, &c1, &diag) == PN_OK);
    o.out_dir = d2;
    PN_CHECK(pn_demo_write(&o, &c2, &diag) == PN_OK);
    PN_CHECK(c1.patients == 2000 && c1.tumours == 2000 && c1.injected_errors == 0);
    PN_CHECK(c1.events > 10 * 2000 && c1.territories == 101 && c1.centres > 101);
    PN_CHECK(count_lines(d1, "patients.csv") == 2001);
    PN_CHECK(count_lines(d1, "events.csv") == (long)c1.events + 1);
    PN_CHECK(count_lines(d1, "lines.csv") == (long)c1.lines + 1);
    PN_CHECK(count_lines(d1, "alterations.csv") == (long)c1.alterations + 1);
    PN_CHECK(count_lines(d1, "centres.csv") == (long)c1.centres + 1);
    const char *files[] = {"patients.csv", "tumours.csv", "events.csv", "lines.csv",
                           "alterations.csv", "centres.csv", "territories.csv", "trials.json"};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        char *a = slurp(d1, files[k]), *b = slurp(d2, files[k]);
        PN_CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
        free(a);
        free(b);
    }
    char *json = slurp(d1, "trials.json");
    json_error_t err;
    json_t *root = json ? json_loads(json, 0, &err) : NULL;
    PN_CHECK(root != NULL);
    json_t *trials = json_object_get(root, "trials");
    PN_CHECK(json_is_array(trials) && json_array_size(trials) == c1.trials && c1.trials == 6);
    for (size_t k = 0; k < json_array_size(trials); k++) {
        json_t *t = json_array_get(trials, k);
        PN_CHECK(json_is_string(json_object_get(t, "id")));
        const char *st = json_string_value(json_object_get(t, "status"));
        PN_CHECK(st && (!strcmp(st, "open") || !strcmp(st, "closed") || !strcmp(st, "preparing")));
        json_t *arms = json_object_get(t, "arms");
        PN_CHECK(json_is_array(arms) && json_array_size(arms) > 0);
        for (size_t a = 0; a < json_array_size(arms); a++)
            PN_CHECK(json_is_object(json_object_get(json_array_get(arms, a), "criteria")));
    }
    json_decref(root);
    free(json);

    /* --with-errors appends bad rows after the same good rows. */
    o.with_errors = 1;
    size_t notes = 0;
    o.note = count_note;
    o.note_ctx = &notes;
    PN_CHECK(pn_demo_write(&o, &c2, &diag) == PN_OK);
    PN_CHECK(c2.injected_errors >= 8 && c2.patients > c1.patients);
    PN_CHECK(notes == c2.injected_errors); /* each bad row reaches the caller's note */
    char *a = slurp(d1, "patients.csv"), *b = slurp(d2, "patients.csv");
    PN_CHECK(a && b && strncmp(a, b, strlen(a)) == 0 && strlen(b) > strlen(a));
    free(a);
    free(b);

    /* A different seed gives different patients. */
    o.with_errors = 0;
    o.seed = 12;
    PN_CHECK(pn_demo_write(&o, &c2, &diag) == PN_OK);
    a = slurp(d1, "patients.csv");
    b = slurp(d2, "patients.csv");
    PN_CHECK(a && b && strcmp(a, b) != 0);
    free(a);
    free(b);

    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", d1, files[k]);
        unlink(path);
        snprintf(path, sizeof path, "%s/%s", d2, files[k]);
        unlink(path);
    }
    rmdir(d1);
    rmdir(d2);
    pn_ratetable_free(rt);
}

PN_TEST(bundle_refuses_missing_inputs)
{
    pn_diag diag;
    pn_demo_options o = {.out_dir = "/tmp/pn_test_demo_never", .patients = 1, .seed = 1};
    PN_CHECK(pn_demo_write(&o, NULL, &diag) == PN_EINVAL);   /* no life table */
    PN_CHECK(pn_demo_write(NULL, NULL, &diag) == PN_EINVAL);
    pn_ratetable *rt = NULL;
    PN_CHECK(pn_ratetable_open(&rt, "fr", &diag) == PN_OK);
    o.ratetable = rt;
    o.patients = PN_DEMO_MAX_PATIENTS + 1;
    PN_CHECK(pn_demo_write(&o, NULL, &diag) == PN_EINVAL);
    pn_ratetable_free(rt);
}

PN_TEST_MAIN(PN_T(rng_is_deterministic_and_streams_differ), PN_T(rng_draws_have_their_distributions),
             PN_T(model_calibrates_to_the_published_targets),
             PN_T(excess_draws_reproduce_the_calibrated_net_survival),
             PN_T(background_draws_follow_the_life_table),
             PN_T(patient_ids_are_distinct_ten_digit_numbers),
             PN_T(bundle_counts_determinism_and_catalogue), PN_T(bundle_refuses_missing_inputs))
