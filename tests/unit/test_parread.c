/* test_parread.c - unit tests of the threaded reader (src/analysis/parread.c through
 * pn_kmread_csv): over small ranges, so that a small file is cut in many, 1 to 8 threads give the
 * same counts to the last bit, the same groups, and the same first error as one thread; the rows
 * kept as columns (pn_survread_csv, cox's reader, on pn_survload_merge and pn_framepart_merge)
 * are those of pn_survdata_load: same values in the same order, the same levels. */
#include "pn_test.h"
#include "pronostic/analysis.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Write `rows` rows (quoted notes with newlines in every third row) to a temporary file;
 * `bad_row` > 0 puts a text in its time. Returns the path (static). */
static const char *write_file(int rows, int bad_row)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/pn_parread_%d.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    if (f == NULL) return NULL;
    fprintf(f, "time,status,g,note,w\n");
    unsigned s = 12345;
    for (int i = 1; i <= rows; i++) {
        s = s * 1103515245u + 12345u;
        int t = (int)(s >> 8) % 500, st = (int)(s >> 20) & 1, g = (int)(s >> 24) % 5;
        if (i == bad_row) fprintf(f, "x%d,%d,g%d,n,1.5\n", t, st, g);
        else if (i % 3 == 0) fprintf(f, "%d,%d,g%d,\"a\nb,\"\"c\"\"\",%g\n", t, st, g, (i % 7) / 4.0);
        else fprintf(f, "%d,%d,g%d,n,%g\n", t, st, g, (i % 7) / 4.0);
    }
    fclose(f);
    return path;
}

/* The tables of `r`, flattened: every count of every group, in order. */
static double *flat(const pn_kmread *r, size_t *len)
{
    pn_kmtables *tabs = NULL;
    if (pn_kmagg_tables(r->agg, r->stream->ngroups, r->stream->recode, &tabs) != PN_OK) return NULL;
    size_t n = 0, cap = 1024;
    double *v = malloc(cap * sizeof *v);
    for (size_t g = 0; v != NULL && g < tabs->ngroups; g++) {
        const pn_kmtable *t = &tabs->tab[g];
        for (size_t i = 0; i < t->k; i++) {
            if (n + 4 > cap) v = realloc(v, (cap *= 2) * sizeof *v);
            if (v == NULL) break;
            v[n++] = t->time[i];
            v[n++] = t->n_risk[i];
            v[n++] = t->n_event[i];
            v[n++] = t->n_censor[i];
        }
    }
    pn_kmtables_free(tabs);
    *len = n;
    return v;
}

PN_TEST(threads_give_the_bits_of_one)
{
    const char *path = write_file(20000, 0);
    PN_CHECK(path != NULL);
    const char *const by[] = {"g"};
    pn_survspec spec = {.path = path, .time = "time", .event = "status", .weights = "w",
                        .by = by, .nby = 1};
    pn_kmread *one = NULL;
    pn_diag d = {0};
    PN_CHECK(pn_kmread_csv(&spec, 1, 0, &one, &d) == PN_OK);
    size_t n1 = 0;
    double *v1 = one ? flat(one, &n1) : NULL;
    PN_CHECK(v1 != NULL && n1 > 0);
    for (int t = 2; t <= 8; t += 3) {
        pn_kmread *r = NULL;
        PN_CHECK(pn_kmread_csv(&spec, t, 4096, &r, &d) == PN_OK);
        if (r == NULL || one == NULL) continue;
        size_t n = 0;
        double *v = flat(r, &n);
        PN_CHECK(v != NULL && n == n1 && memcmp(v, v1, n * sizeof *v) == 0);
        PN_CHECK(r->stream->n == one->stream->n && r->stream->ngroups == one->stream->ngroups);
        for (size_t g = 0; g < r->stream->ngroups; g++)
            PN_CHECK_STR(r->stream->group_labels[g], one->stream->group_labels[g]);
        PN_CHECK(r->fractional_weight == one->fractional_weight);
        free(v);
        pn_kmread_free(r);
    }
    free(v1);
    pn_kmread_free(one);
    unlink(path);
}

PN_TEST(threads_give_the_error_of_one)
{
    const char *path = write_file(20000, 17001);
    pn_survspec spec = {.path = path, .time = "time", .event = "status"};
    pn_kmread *r = NULL;
    pn_diag d1 = {0};
    PN_CHECK(pn_kmread_csv(&spec, 1, 0, &r, &d1) == PN_EPARSE);
    PN_CHECK(strstr(d1.msg, ":") != NULL);
    for (int t = 2; t <= 8; t += 3) {
        pn_diag d = {0};
        PN_CHECK(pn_kmread_csv(&spec, t, 4096, &r, &d) == PN_EPARSE);
        PN_CHECK_STR(d.msg, d1.msg);
    }
    unlink(path);
}

/* A file for the columns' reader: a factor whose levels first appear late ("k9" after row
 * 15000, sorting before no one; "0" there, sorting first), a numeric-looking factor whose
 * equal values are spelt differently in the two halves ("1" then "1.0", one level named by the
 * first), a missing covariate every 97 rows; `bad_row` > 0 puts a text in its covariate. */
static const char *write_cols(int rows, int bad_row)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/pn_parcols_%d.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    if (f == NULL) return NULL;
    fprintf(f, "time,status,g,note,x,lev\n");
    unsigned s = 777;
    for (int i = 1; i <= rows; i++) {
        s = s * 1103515245u + 12345u;
        int t = (int)(s >> 8) % 500, st = (int)(s >> 20) & 1, g = (int)(s >> 24) % 5;
        int late = i > 15000 && i % 5 == 0;
        const char *lev = (i % 4 == 0) ? (i > 10000 ? "1.0" : "1") : (i % 4 == 1 ? "2" : "3");
        if (i > 16000 && i % 9 == 0) lev = "0";
        char x[32];
        if (i == bad_row) snprintf(x, sizeof x, "bad");
        else if (i % 97 == 0) x[0] = '\0';
        else snprintf(x, sizeof x, "%.3f", (double)((s >> 4) % 10000) / 100.0);
        fprintf(f, "%d,%d,%s%d,%s,%s,%s\n", t, st, late ? "k" : "g", late ? 9 : g,
                i % 3 == 0 ? "\"a\nb,\"\"c\"\"\"" : "n", x, lev);
    }
    fclose(f);
    return path;
}

static void same_column(const pn_column *a, const pn_column *b, size_t n)
{
    PN_CHECK(a->kind == b->kind && a->nlevels == b->nlevels);
    if (a->kind == PN_COL_NUM) PN_CHECK(memcmp(a->num, b->num, n * sizeof *a->num) == 0);
    else PN_CHECK(memcmp(a->code, b->code, n * sizeof *a->code) == 0);
    for (size_t l = 0; l < a->nlevels && l < b->nlevels; l++) PN_CHECK_STR(a->levels[l], b->levels[l]);
}

PN_TEST(columns_by_threads_are_those_of_one_pass)
{
    const char *path = write_cols(20000, 0);
    PN_CHECK(path != NULL);
    const char *const cov[] = {"x", "g", "lev"}, *const fac[] = {"g", "lev"}, *const st[] = {"lev"};
    pn_survspec spec = {.path = path, .time = "time", .event = "status", .covariates = cov,
                        .ncov = 3, .factors = fac, .nfactors = 2, .strata = st, .nstrata = 1};
    pn_survdata *one = NULL;
    pn_diag d = {0};
    PN_CHECK(pn_survdata_load(&one, &spec, &d) == PN_OK);
    if (one == NULL) return;
    PN_CHECK(one->dropped > 0 && one->cov[1].nlevels == 6 && one->cov[2].nlevels == 4);
    PN_CHECK_STR(one->cov[2].levels[1], "1");
    for (int t = 1; t <= 8; t += (t == 1 ? 1 : 3)) {
        pn_survdata *r = NULL;
        PN_CHECK(pn_survread_csv(&spec, t, 4096, &r, &d) == PN_OK);
        if (r == NULL) continue;
        size_t n = one->n;
        PN_CHECK(r->n == n && r->dropped == one->dropped && r->ncov == one->ncov);
        PN_CHECK(memcmp(r->time, one->time, n * sizeof *r->time) == 0);
        PN_CHECK(memcmp(r->event, one->event, n) == 0);
        PN_CHECK(memcmp(r->stratum, one->stratum, n * sizeof *r->stratum) == 0);
        PN_CHECK(r->nstrata == one->nstrata);
        for (size_t k = 0; k < r->nstrata && k < one->nstrata; k++)
            PN_CHECK_STR(r->strata_labels[k], one->strata_labels[k]);
        for (size_t c = 0; c < r->ncov && c < one->ncov; c++) same_column(&r->cov[c], &one->cov[c], n);
        PN_CHECK(r->censor_rows == one->censor_rows && r->event_seen == one->event_seen);
        pn_survdata_free(r);
    }
    pn_survdata_free(one);
    unlink(path);
}

PN_TEST(columns_by_threads_give_the_error_of_one)
{
    const char *path = write_cols(20000, 18001);
    const char *const cov[] = {"x", "g"}, *const fac[] = {"g"};
    pn_survspec spec = {.path = path, .time = "time", .event = "status", .covariates = cov,
                        .ncov = 2, .factors = fac, .nfactors = 1};
    pn_survdata *r = NULL;
    pn_diag d1 = {0};
    PN_CHECK(pn_survdata_load(&r, &spec, &d1) == PN_EPARSE);
    PN_CHECK(strstr(d1.msg, "column 'x'") != NULL);
    for (int t = 2; t <= 8; t += 3) {
        pn_diag d = {0};
        PN_CHECK(pn_survread_csv(&spec, t, 4096, &r, &d) == PN_EPARSE && r == NULL);
        PN_CHECK_STR(d.msg, d1.msg);
    }
    unlink(path);
}

/* A net-survival file: --by texts first seen late ("z" after row 15000), missing ages every 89
 * rows, diagnosis dates as ISO and decimal years, quoted notes with newlines; `bad_row` > 0
 * puts a diagnosis date after `today` in its row. */
static const char *write_ns(int rows, int bad_row)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/pn_parns_%d.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    if (f == NULL) return NULL;
    fprintf(f, "time,status,age,sex,diag,note,site\n");
    unsigned s = 4242;
    for (int i = 1; i <= rows; i++) {
        s = s * 1103515245u + 12345u;
        int t = (int)(s >> 8) % 3000, st = (int)(s >> 20) & 1, g = (int)(s >> 24) % 4;
        char age[16], diag[32];
        if (i % 89 == 0) age[0] = '\0';
        else snprintf(age, sizeof age, "%d.%d", 40 + (int)((s >> 3) % 50), (int)(s % 10));
        if (i == bad_row) snprintf(diag, sizeof diag, "2031-01-01");
        else if (i % 2) snprintf(diag, sizeof diag, "20%02d-%02d-%02d", (int)(s % 15), 1 + (int)((s >> 5) % 12), 1 + (int)((s >> 9) % 28));
        else snprintf(diag, sizeof diag, "20%02d.%d", (int)(s % 15), (int)((s >> 7) % 10));
        fprintf(f, "%d,%d,%s,%s,%s,%s,%s%d\n", t, st, age, (s >> 11) & 1 ? "M" : "2", diag,
                i % 3 == 0 ? "\"a\nb,\"\"c\"\"\"" : "n", i > 15000 && i % 7 == 0 ? "z" : "s",
                i > 15000 && i % 7 == 0 ? 0 : g);
    }
    fclose(f);
    return path;
}

PN_TEST(netsurv_rows_by_threads_are_those_of_one_pass)
{
    const char *path = write_ns(20000, 0);
    PN_CHECK(path != NULL);
    const char *const by[] = {"site", "sex"};
    pn_nsspec spec = {.path = path, .time = "time", .event = "status", .age = "age",
                      .sex = "sex", .year = "diag", .by = by, .nby = 2, .time_scale = 1,
                      .today = 30000, .closing = INT32_MAX};
    pn_nsdata *one = NULL;
    pn_diag d = {0};
    PN_CHECK(pn_nsdata_load(&one, &spec, &d) == PN_OK);
    if (one == NULL) return;
    PN_CHECK(one->dropped > 0 && one->ngroups == 10);
    for (int t = 1; t <= 8; t += (t == 1 ? 1 : 3)) {
        pn_nsdata *r = NULL;
        PN_CHECK(pn_nsread_csv(&spec, t, 4096, &r, &d) == PN_OK);
        if (r == NULL) continue;
        size_t n = one->n;
        PN_CHECK(r->n == n && r->dropped == one->dropped && r->ngroups == one->ngroups);
        PN_CHECK(memcmp(r->time, one->time, n * sizeof *r->time) == 0);
        PN_CHECK(memcmp(r->status, one->status, n * sizeof *r->status) == 0);
        PN_CHECK(memcmp(r->age_days, one->age_days, n * sizeof *r->age_days) == 0);
        PN_CHECK(memcmp(r->date, one->date, n * sizeof *r->date) == 0);
        PN_CHECK(memcmp(r->sex, one->sex, n * sizeof *r->sex) == 0);
        PN_CHECK(memcmp(r->year, one->year, n * sizeof *r->year) == 0);
        PN_CHECK(memcmp(r->line, one->line, n * sizeof *r->line) == 0);
        PN_CHECK(memcmp(r->group, one->group, n * sizeof *r->group) == 0);
        PN_CHECK(memcmp(r->agegroup, one->agegroup, n * sizeof *r->agegroup) == 0);
        for (size_t g = 0; g < r->ngroups && g < one->ngroups; g++)
            PN_CHECK_STR(r->group_labels[g], one->group_labels[g]);
        pn_nsdata_free(r);
    }
    pn_nsdata_free(one);
    unlink(path);
}

PN_TEST(netsurv_rows_by_threads_give_the_error_of_one)
{
    const char *path = write_ns(20000, 17001);
    const char *const by[] = {"site"};
    pn_nsspec spec = {.path = path, .time = "time", .event = "status", .age = "age",
                      .sex = "sex", .year = "diag", .by = by, .nby = 1, .time_scale = 1,
                      .today = 20000, .closing = INT32_MAX};
    pn_nsdata *r = NULL;
    pn_diag d1 = {0};
    PN_CHECK(pn_nsdata_load(&r, &spec, &d1) == PN_EPARSE);
    PN_CHECK(strstr(d1.msg, "in the future") != NULL);
    for (int t = 2; t <= 8; t += 3) {
        pn_diag d = {0};
        PN_CHECK(pn_nsread_csv(&spec, t, 4096, &r, &d) == PN_EPARSE && r == NULL);
        PN_CHECK_STR(d.msg, d1.msg);
    }
    unlink(path);
}

PN_TEST_MAIN(PN_T(threads_give_the_bits_of_one), PN_T(threads_give_the_error_of_one),
             PN_T(columns_by_threads_are_those_of_one_pass),
             PN_T(columns_by_threads_give_the_error_of_one),
             PN_T(netsurv_rows_by_threads_are_those_of_one_pass),
             PN_T(netsurv_rows_by_threads_give_the_error_of_one))
