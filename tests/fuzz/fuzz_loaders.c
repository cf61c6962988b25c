/* fuzz_loaders.c - libFuzzer target for the loaders read over ranges (analysis/survread.c,
 * analysis/nsread.c): the input, after a fixed header, is written to a file and read once by
 * pn_survdata_load and pn_nsdata_load, once by pn_survread_csv and pn_nsread_csv with 4 threads
 * over ranges of 16 bytes (cuts inside quoted fields, in the middle of rows, refused event
 * columns); both must give the same error message, or the same rows, levels and groups. */
#include "pn_fuzz.h"
#include "pronostic/analysis.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write `head` then the input to a file of this process; its path (static), or NULL. */
static const char *write_input(const char *head, const uint8_t *data, size_t size)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/pn_fuzz_loaders_%d.csv", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL) return NULL;
    fputs(head, f);
    if (size > 0 && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    return path;
}

static void same_bytes(const void *a, const void *b, size_t n)
{
    if (n > 0 && memcmp(a, b, n) != 0) abort();
}

static void same_survdata(const pn_survdata *a, const pn_survdata *b)
{
    if (a->n != b->n || a->dropped != b->dropped || a->ncov != b->ncov ||
        a->nstrata != b->nstrata || a->censor_rows != b->censor_rows)
        abort();
    same_bytes(a->time, b->time, a->n * sizeof *a->time);
    same_bytes(a->event, b->event, a->n);
    same_bytes(a->stratum, b->stratum, a->n * sizeof *a->stratum);
    for (size_t k = 0; k < a->nstrata; k++)
        if (strcmp(a->strata_labels[k], b->strata_labels[k]) != 0) abort();
    for (size_t c = 0; c < a->ncov; c++) {
        const pn_column *x = &a->cov[c], *y = &b->cov[c];
        if (x->kind != y->kind || x->nlevels != y->nlevels) abort();
        if (x->kind == PN_COL_NUM)
            same_bytes(x->num, y->num, a->n * sizeof *x->num);
        else
            same_bytes(x->code, y->code, a->n * sizeof *x->code);
        for (size_t l = 0; l < x->nlevels; l++)
            if (strcmp(x->levels[l], y->levels[l]) != 0) abort();
    }
}

static void same_nsdata(const pn_nsdata *a, const pn_nsdata *b)
{
    if (a->n != b->n || a->dropped != b->dropped || a->ngroups != b->ngroups) abort();
    same_bytes(a->time, b->time, a->n * sizeof *a->time);
    same_bytes(a->status, b->status, a->n * sizeof *a->status);
    same_bytes(a->age_days, b->age_days, a->n * sizeof *a->age_days);
    same_bytes(a->date, b->date, a->n * sizeof *a->date);
    same_bytes(a->line, b->line, a->n * sizeof *a->line);
    same_bytes(a->group, b->group, a->n * sizeof *a->group);
    for (size_t g = 0; g < a->ngroups; g++)
        if (strcmp(a->group_labels[g], b->group_labels[g]) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = write_input("time,status,g,x,lev\n", data, size);
    if (path == NULL) return 0;
    const char *const cov[] = {"x", "lev"}, *const fac[] = {"lev"}, *const st[] = {"g"};
    pn_survspec spec = {.path = path,
                        .time = "time",
                        .event = "status",
                        .covariates = cov,
                        .ncov = 2,
                        .factors = fac,
                        .nfactors = 1,
                        .strata = st,
                        .nstrata = 1};
    pn_survdata *one = NULL, *par = NULL;
    pn_diag d1 = {0}, d2 = {0};
    int rc1 = pn_survdata_load(&one, &spec, &d1);
    int rc2 = pn_survread_csv(&spec, 4, 16, &par, &d2);
    if (rc1 != rc2 || (rc1 != PN_OK && strcmp(d1.msg, d2.msg) != 0)) abort();
    if (rc1 == PN_OK) same_survdata(one, par);
    pn_survdata_free(one);
    pn_survdata_free(par);

    path = write_input("time,status,age,sex,diag,site\n", data, size);
    if (path == NULL) return 0;
    const char *const by[] = {"site"};
    pn_nsspec ns = {.path = path,
                    .time = "time",
                    .event = "status",
                    .age = "age",
                    .sex = "sex",
                    .year = "diag",
                    .by = by,
                    .nby = 1,
                    .time_scale = 1,
                    .today = 20000,
                    .closing = INT32_MAX};
    pn_nsdata *n1 = NULL, *n2 = NULL;
    pn_diag e1 = {0}, e2 = {0};
    rc1 = pn_nsdata_load(&n1, &ns, &e1);
    rc2 = pn_nsread_csv(&ns, 4, 16, &n2, &e2);
    if (rc1 != rc2 || (rc1 != PN_OK && strcmp(e1.msg, e2.msg) != 0)) abort();
    if (rc1 == PN_OK) same_nsdata(n1, n2);
    pn_nsdata_free(n1);
    pn_nsdata_free(n2);
    unlink(path);
    return 0;
}
