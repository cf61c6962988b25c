/* nsdata.c - reading the rows of a net-survival analysis from a flat CSV (time or exit date,
 * event, age, sex, date of diagnosis, ICSS age group, groups) with messages naming file, line and
 * column (nsdata.h). The rules of time, event and missing values are surv's (survinput.h). */
#include "pronostic/nsdata.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/date.h"
#include "pronostic/frame.h"
#include "pronostic/icss.h"
#include "pronostic/num.h"
#include "pronostic/sex.h"
#include "pronostic/strset.h"
#include "pronostic/survinput.h"

#include <math.h>
#include <string.h>

/* Free `d` and its arrays (NULL is accepted). */
void pn_nsdata_free(pn_nsdata *d)
{
    if (d == NULL) return;
    pn_free(d->time);
    pn_free(d->status);
    pn_free(d->age_days);
    pn_free(d->date);
    pn_free(d->sex);
    pn_free(d->year);
    pn_free(d->line);
    pn_free(d->group);
    pn_free(d->agegroup);
    for (size_t g = 0; g < d->ngroups; g++) pn_free(d->group_labels[g]);
    pn_free(d->group_labels);
    pn_free(d->censor_value);
    pn_free(d);
}

/* Parse a date of diagnosis: ISO YYYY-MM-DD (or YYYY-MM, the 15th) or a decimal year. */
static int parse_diag_date(const char *s, size_t len, double *day)
{
    int32_t dd;
    if (memchr(s, '-', len) != NULL && len >= 7) {
        if (pn_date_parse(s, len, 1, &dd, NULL) != PN_OK) return PN_EPARSE;
        *day = dd;
        return PN_OK;
    }
    double y;
    if (pn_parse_double(s, len, &y) != PN_OK || !(y >= 1 && y < 10000)) return PN_EPARSE;
    int yi = (int)floor(y);
    double jan1 = pn_days_from_civil(yi, 1, 1);
    *day = jan1 + (y - yi) * (pn_is_leap(yi) ? 366.0 : 365.0);
    return PN_OK;
}

static int parse_agegroup(const char *s, size_t len, int *g)
{
    static const char *const labels[5] = {"15-44", "45-54", "55-64", "65-74", "75+"};
    for (int k = 0; k < 5; k++)
        if ((strlen(labels[k]) == len && memcmp(labels[k], s, len) == 0) ||
            (len == 1 && s[0] == '1' + k)) {
            *g = k;
            return PN_OK;
        }
    return PN_EPARSE;
}

/* The arrays of the rows kept, grown together. */
static int grow_all(pn_nsdata *d, int32_t **bycode, size_t nby, size_t *cap, size_t need)
{
    if (need <= *cap) return PN_OK;
    size_t ncap = *cap ? *cap * 2 : 1024;
    void **arrs[] = {(void **)&d->time, (void **)&d->age_days, (void **)&d->date, (void **)&d->year};
    for (size_t i = 0; i < 4; i++) {
        void *p = pn_reallocarray(*arrs[i], ncap, sizeof(double));
        if (p == NULL) return PN_ENOMEM;
        *arrs[i] = p;
    }
    void *p = pn_reallocarray(d->status, ncap, sizeof(int));
    if (p == NULL) return PN_ENOMEM;
    d->status = p;
    p = pn_reallocarray(d->sex, ncap, sizeof(int));
    if (p == NULL) return PN_ENOMEM;
    d->sex = p;
    p = pn_reallocarray(d->line, ncap, sizeof(long));
    if (p == NULL) return PN_ENOMEM;
    d->line = p;
    p = pn_reallocarray(d->agegroup, ncap, sizeof(int));
    if (p == NULL) return PN_ENOMEM;
    d->agegroup = p;
    for (size_t b = 0; b < nby; b++) {
        p = pn_reallocarray(bycode[b], ncap, sizeof(int32_t));
        if (p == NULL) return PN_ENOMEM;
        bycode[b] = p;
    }
    *cap = ncap;
    return PN_OK;
}

/* The --by groups of the n rows kept: each column's distinct texts (`set`, codes per row in
 * `bycode`) put in R's factor() order, then combined as R's strata (pn_combine_factors). */
static int by_groups(pn_nsdata *d, const char *const *by, size_t nby, pn_strset *set,
                     int32_t **bycode)
{
    size_t n = d->n;
    pn_column *cols = pn_calloc(nby, sizeof *cols);
    const pn_column **ptrs = pn_calloc(nby, sizeof *ptrs);
    int rc = PN_ENOMEM;
    if (cols == NULL || ptrs == NULL) goto done;
    for (size_t b = 0; b < nby; b++) {
        cols[b].name = (char *)by[b];
        cols[b].kind = PN_COL_CAT;
        ptrs[b] = &cols[b];
        if ((rc = pn_column_factor(&cols[b], (const char *const *)set[b].items, set[b].n)) != PN_OK)
            goto done;
        /* rank of each text -> code of each row, in place */
        for (size_t i = 0; i < n; i++) bycode[b][i] = cols[b].code[bycode[b][i]];
        pn_free(cols[b].code);
        cols[b].code = bycode[b];
    }
    d->group = pn_malloc((n ? n : 1) * sizeof *d->group);
    if (d->group == NULL) { rc = PN_ENOMEM; goto done; }
    rc = pn_combine_factors(ptrs, nby, n, d->group, &d->group_labels, &d->ngroups);
done:
    for (size_t b = 0; cols != NULL && b < nby; b++) {
        if (cols[b].code != bycode[b]) pn_free(cols[b].code);
        for (size_t l = 0; l < cols[b].nlevels; l++) pn_free(cols[b].levels[l]);
        pn_free(cols[b].levels);
    }
    pn_free(ptrs);
    pn_free(cols);
    return rc;
}

/* Field `len` bytes of `s` clipped for a message. */
#define PN__SHOWN(len) ((int)((len) > 40 ? 40 : (len)))

int pn_nsdata_load(pn_nsdata **out, const pn_nsspec *sp, pn_diag *diag)
{
    *out = NULL;
    const char *path = sp->path;
    const char *tcol = sp->time, *xcol = sp->exit_date;
    const char *ecol = sp->event, *acol = sp->age;
    const char *scol = sp->sex, *ycol = sp->year;
    const char *agegroup_col = sp->agegroup_col;
    double scale = sp->time_scale;
    double ascale = sp->age_in_days ? 1.0 : PN_DAYS_PER_YEAR;
    int32_t today = sp->today, closing = sp->closing;
    int rc;
    /* the rules of surv's input (survinput.h): event values, numbers, negative times */
    const pn_survspec spec = {.path = path, .time = tcol ? tcol : xcol, .event = ecol,
                              .event_value = sp->event_value};
    size_t nby = sp->nby;
    pn_csv *csv = NULL;
    pn_eventcol *ev = NULL;
    pn_nsdata *d = pn_calloc(1, sizeof *d);
    pn_strset *byset = pn_calloc(nby + 1, sizeof *byset);
    int32_t **bycode = pn_calloc(nby + 1, sizeof *bycode);
    int *bc = pn_calloc(nby + 1, sizeof *bc);
    size_t cap = 0;
    rc = PN_ENOMEM;
    if (d == NULL || byset == NULL || bycode == NULL || bc == NULL) goto nomem;
    if (pn_eventcol_new(&ev, spec.event_value) != PN_OK) goto nomem;
    d->time_scale = scale;
    if ((rc = pn_csv_open(&csv, path, NULL, diag)) != PN_OK) goto fail;
    enum { C_TIME, C_EVENT, C_AGE, C_SEX, C_YEAR, C_AGEGROUP, NCOL };
    const char *names[NCOL] = {spec.time, ecol, acol, scol, ycol, agegroup_col};
    const char *opts[NCOL] = {tcol ? "time" : "exit-date", "event", "age", "sex", "year",
                              "agegroup-col"};
    int col[NCOL];
    for (int k = 0; k < NCOL; k++) {
        col[k] = -1;
        if (names[k] == NULL) continue;
        col[k] = pn_csv_find(csv, names[k]);
        if (col[k] < 0) {
            rc = pn_diag_set(diag, PN_ENOCOL, "option '--%s': %s has no column '%s'", opts[k], path,
                             names[k]);
            goto fail;
        }
    }
    for (size_t b = 0; b < nby; b++) {
        bc[b] = pn_csv_find(csv, sp->by[b]);
        if (bc[b] < 0) {
            rc = pn_diag_set(diag, PN_ENOCOL, "option '--by': %s has no column '%s'", path,
                             sp->by[b]);
            goto fail;
        }
    }
    size_t n = 0;
    while ((rc = pn_csv_next(csv, diag)) == 1) {
        long line = pn_csv_line(csv);
        if ((rc = pn_csv_require_width(csv, diag)) != PN_OK) goto fail;
        size_t len;
        const char *s;
        /* time and event first, checked as surv checks them, kept row or not */
        double t = NAN;
        if (tcol != NULL && (rc = pn_survrow_number(csv, col[C_TIME], tcol, &t, diag)) != PN_OK)
            goto fail;
        int keep = tcol == NULL ? !pn_csv_missing(csv, (size_t)col[C_TIME]) : !isnan(t);
        int status;
        if ((rc = pn_survrow_event(ev, csv, col[C_EVENT], ecol, &status, diag)) != PN_OK) goto fail;
        if (status < 0) {
            keep = 0;
            status = 0;
        }
        if ((rc = pn_survrow_check(&spec, path, line, t, NAN, NAN, keep, diag)) != PN_OK) goto fail;
        for (int k = C_AGE; k < NCOL; k++)
            if (col[k] >= 0 && pn_csv_missing(csv, (size_t)col[k])) keep = 0;
        for (size_t b = 0; b < nby; b++)
            if (pn_csv_missing(csv, (size_t)bc[b])) keep = 0;
        if (!keep) {
            d->dropped++;
            continue;
        }
        if ((rc = grow_all(d, bycode, nby, &cap, n + 1)) != PN_OK) goto nomem;
        d->status[n] = status;
        /* sex */
        s = pn_csv_field(csv, (size_t)col[C_SEX], &len);
        if (pn_sex_parse(s, len, &d->sex[n]) != PN_OK) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not a sex code (male|female|M|F|1|2)",
                             path, line, scol, PN__SHOWN(len), s);
            goto fail;
        }
        /* date of diagnosis */
        s = pn_csv_field(csv, (size_t)col[C_YEAR], &len);
        if (parse_diag_date(s, len, &d->date[n]) != PN_OK) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not a date (YYYY-MM-DD) or a decimal year",
                             path, line, ycol, PN__SHOWN(len), s);
            goto fail;
        }
        int32_t dday = (int32_t)floor(d->date[n]);
        if (dday > today || dday > closing) {
            char a[11], b[11];
            pn_date_format(dday, a);
            pn_date_format(dday > today ? today : closing, b);
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': diagnosis date %s ('%.*s') "
                             "is %s %s%s", path, line, ycol, a, PN__SHOWN(len), s,
                             dday > today ? "in the future (today is" : "after --closing", b,
                             dday > today ? ")" : "");
            goto fail;
        }
        d->year[n] = pn_decimal_year(dday);
        /* age */
        s = pn_csv_field(csv, (size_t)col[C_AGE], &len);
        double age;
        if (pn_parse_double(s, len, &age) != PN_OK || !(age >= 0) || age * ascale > 150 * PN_DAYS_PER_YEAR) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not an age in %s",
                             path, line, acol, PN__SHOWN(len), s, ascale == 1.0 ? "days" : "years");
            goto fail;
        }
        d->age_days[n] = age * ascale;
        /* time, or the exit date */
        if (tcol != NULL) {
            d->time[n] = t * scale;
        } else {
            s = pn_csv_field(csv, (size_t)col[C_TIME], &len);
            int32_t exitday;
            if (pn_date_parse(s, len, 1, &exitday, NULL) != PN_OK) {
                rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not a date (YYYY-MM-DD)",
                                 path, line, xcol, PN__SHOWN(len), s);
                goto fail;
            }
            if (exitday < d->date[n]) {
                char a[11], b[11];
                pn_date_format(exitday, a);
                pn_date_format((int32_t)floor(d->date[n]), b);
                rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': follow-up date %s is before the diagnosis date %s",
                                 path, line, xcol, a, b);
                goto fail;
            }
            d->time[n] = exitday - d->date[n];
        }
        /* ICSS age group */
        d->agegroup[n] = pn_icss_group(d->age_days[n] / PN_DAYS_PER_YEAR);
        if (col[C_AGEGROUP] >= 0) {
            s = pn_csv_field(csv, (size_t)col[C_AGEGROUP], &len);
            if (parse_agegroup(s, len, &d->agegroup[n]) != PN_OK) {
                rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not an ICSS age group (1..5, 15-44, 45-54, 55-64, 65-74, 75+)",
                                 path, line, agegroup_col, PN__SHOWN(len), s);
                goto fail;
            }
        }
        for (size_t b = 0; b < nby; b++) {
            s = pn_csv_field(csv, (size_t)bc[b], &len);
            int64_t code = pn_strset_code(&byset[b], s, len);
            if (code < 0) goto nomem;
            bycode[b][n] = (int32_t)code;
        }
        d->line[n] = line;
        n++;
    }
    if (rc < 0) goto fail;
    if ((rc = pn_eventcol_finish(ev, path, ecol, diag)) != PN_OK) goto fail;
    if (pn_eventcol_copy_censoring(ev, &d->censor_value, &d->censor_rows) != PN_OK) goto nomem;
    d->n = n;
    if (nby > 0 && (rc = by_groups(d, sp->by, nby, byset, bycode)) != PN_OK) {
        rc = pn_diag_set(diag, rc, "%s: %s", path, rc == PN_ENOMEM ? "out of memory"
                                                                   : "too many group combinations");
        goto fail;
    }
    rc = PN_OK;
    *out = d;
    d = NULL;
    goto done;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
done:
    for (size_t b = 0; b < nby; b++) {
        pn_free(bycode[b]);
        pn_strset_free(&byset[b], 1);
    }
    pn_free(bycode);
    pn_free(byset);
    pn_free(bc);
    pn_eventcol_free(ev);
    pn_csv_close(csv);
    pn_nsdata_free(d);
    return rc;
}
