/* cohort_columns.c - a store selection (cohort.h) as analysis columns: the store variables
 * (sex, age, agegroup, year, period, site, departement, region) as numeric or categorical
 * columns with R's level order, groups combining several of them, and the survival rows of
 * surv and cox. */
#include "pronostic/cohort.h"
#include "pronostic/alloc.h"
#include "pronostic/frame.h"
#include "pronostic/survinput.h"
#include "pronostic/period.h"
#include "pronostic/site.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const icss_labels[] = {"15-44", "45-54", "55-64", "65-74", "75+"};

static const char *agegroup_label(double age)
{
    if (age < 15) return "0-14";
    if (age < 45) return icss_labels[0];
    if (age < 55) return icss_labels[1];
    if (age < 65) return icss_labels[2];
    if (age < 75) return icss_labels[3];
    return icss_labels[4];
}

int pn_cohort_column(const pn_cohort *c, const char *name, int as_factor, pn_column *col,
                       pn_diag *diag)
{
    memset(col, 0, sizeof *col);
    int numeric = strcmp(name, "age") == 0 || strcmp(name, "year") == 0;
    if (!numeric && strcmp(name, "sex") != 0 && strcmp(name, "agegroup") != 0 &&
        strcmp(name, "period") != 0 && strcmp(name, "site") != 0 &&
        strcmp(name, "departement") != 0 && strcmp(name, "region") != 0)
        return pn_diag_set(diag, PN_ENOCOL, "'%s' is not a variable of the store (use sex, age, "
                           "agegroup, year, period, site, departement or region)", name);
    col->name = pn_strdup(name);
    if (col->name == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    size_t n = c->n;
    if (numeric && !as_factor) {
        col->kind = PN_COL_NUM;
        col->num = pn_malloc((n ? n : 1) * sizeof *col->num);
        if (col->num == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++) col->num[i] = name[0] == 'a' ? c->age_years[i] : c->diag_year[i];
        return PN_OK;
    }
    col->kind = PN_COL_CAT;
    const char **values = pn_malloc((n ? n : 1) * sizeof *values);
    pn_arena *arena = pn_arena_new();
    int rc = PN_OK;
    if (values == NULL || arena == NULL) { rc = PN_ENOMEM; goto done; }
    for (size_t i = 0; i < n && rc == PN_OK; i++) {
        char buf[32];
        const char *v = buf;
        if (strcmp(name, "sex") == 0) v = c->sex[i] == 1 ? "male" : "female";
        else if (strcmp(name, "agegroup") == 0) v = agegroup_label(c->age_years[i]);
        else if (strcmp(name, "site") == 0) v = pn_site_name(c->site[i]);
        else if (strcmp(name, "departement") == 0) v = c->departement[i][0] ? c->departement[i] : NULL;
        else if (strcmp(name, "region") == 0) v = c->region[i] ? pn_region_name(c->region[i]) : NULL;
        else if (strcmp(name, "period") == 0) {
            pn_period p = pn_period_of_year((int)floor(c->diag_year[i]), 0, 5);
            pn_period_format(&p, buf, sizeof buf);
        } else if (strcmp(name, "age") == 0) snprintf(buf, sizeof buf, "%.17g", c->age_years[i]);
        else snprintf(buf, sizeof buf, "%.17g", c->diag_year[i]);
        if (v == buf && (v = pn_arena_strndup(arena, buf, strlen(buf))) == NULL) rc = PN_ENOMEM;
        values[i] = v;
    }
    if (rc == PN_OK) rc = pn_column_factor(col, values, n);
done:
    pn_arena_free(arena);
    pn_free(values);
    return rc == PN_OK ? PN_OK : pn_diag_set(diag, rc, "out of memory");
}

void pn_cohort_column_free(pn_column *col)
{
    pn_free(col->name);
    pn_free(col->num);
    pn_free(col->code);
    for (size_t l = 0; l < col->nlevels; l++) pn_free(col->levels[l]);
    pn_free(col->levels);
    memset(col, 0, sizeof *col);
}

int pn_cohort_groups(const pn_cohort *c, const char *const *by, size_t nby, int32_t **codes,
                       char ***labels, size_t *ngroups, pn_diag *diag)
{
    *codes = NULL;
    *labels = NULL;
    *ngroups = 0;
    if (nby == 0) return PN_OK;
    pn_column *cols = pn_calloc(nby, sizeof *cols);
    const pn_column **ptrs = pn_calloc(nby, sizeof *ptrs);
    int rc = cols && ptrs ? PN_OK : pn_diag_set(diag, PN_ENOMEM, "out of memory");
    for (size_t b = 0; b < nby && rc == PN_OK; b++) {
        rc = pn_cohort_column(c, by[b], 1, &cols[b], diag);
        ptrs[b] = &cols[b];
    }
    if (rc == PN_OK) {
        *codes = pn_malloc((c->n ? c->n : 1) * sizeof **codes);
        if (*codes == NULL) rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    if (rc == PN_OK) rc = pn_combine_factors(ptrs, nby, c->n, *codes, labels, ngroups);
    if (rc != PN_OK) {
        pn_free(*codes);
        *codes = NULL;
    }
    for (size_t b = 0; cols && b < nby; b++) pn_cohort_column_free(&cols[b]);
    pn_free(cols);
    pn_free(ptrs);
    return rc;
}

int pn_cohort_survdata(const pn_cohort *c, const char *const *by, size_t nby,
                         const char *const *strata, size_t nstrata,
                         const char *const *covariates, size_t ncov,
                         const char *const *factors, size_t nfactors, pn_survdata **out,
                         pn_diag *diag)
{
    *out = NULL;
    pn_survdata *d = pn_calloc(1, sizeof *d);
    if (d == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    size_t n = c->n;
    int rc = PN_OK;
    d->n = n;
    d->time = pn_malloc((n ? n : 1) * sizeof *d->time);
    d->event = pn_malloc(n ? n : 1);
    if (d->time == NULL || d->event == NULL) { rc = pn_diag_set(diag, PN_ENOMEM, "out of memory"); goto fail; }
    for (size_t i = 0; i < n; i++) {
        d->time[i] = c->time[i];
        d->event[i] = (unsigned char)c->event[i];
        d->event_seen |= (size_t)c->event[i];
    }
    if ((rc = pn_cohort_groups(c, by, nby, &d->group, &d->group_labels, &d->ngroups, diag)) != PN_OK ||
        (rc = pn_cohort_groups(c, strata, nstrata, &d->stratum, &d->strata_labels, &d->nstrata,
                                 diag)) != PN_OK)
        goto fail;
    if (ncov > 0) {
        d->cov = pn_calloc(ncov, sizeof *d->cov);
        if (d->cov == NULL) { rc = pn_diag_set(diag, PN_ENOMEM, "out of memory"); goto fail; }
        for (size_t k = 0; k < ncov; k++) {
            int as_factor = 0;
            for (size_t j = 0; j < nfactors; j++) as_factor |= strcmp(factors[j], covariates[k]) == 0;
            if ((rc = pn_cohort_column(c, covariates[k], as_factor, &d->cov[k], diag)) != PN_OK) {
                d->ncov = k + 1;
                goto fail;
            }
            d->ncov = k + 1;
        }
    }
    *out = d;
    return PN_OK;
fail:
    pn_survdata_free(d);
    return rc;
}

