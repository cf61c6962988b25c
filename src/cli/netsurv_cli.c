/* netsurv_cli.c - reading net-survival input rows (time, event, age, sex, date of diagnosis,
 * groups) with messages naming file, line and column; life-table and scheme options; Brenner's
 * period window. Shared by cmd_netsurv.c, cmd_netsurv_diff.c and cmd_trend.c. */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/cohort.h"
#include "pronostic/csv.h"
#include "pronostic/date.h"
#include "pronostic/frame.h"
#include "pronostic/num.h"
#include "pronostic/strset.h"
#include "pronostic/survinput.h"

#include <math.h>
#include <string.h>

void pn_nsdata_free(pn_nsdata *d)
{
    if (d == NULL) return;
    pn_free(d->time);
    pn_free(d->status);
    pn_free(d->age);
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
    void **arrs[] = {(void **)&d->time, (void **)&d->age, (void **)&d->date, (void **)&d->year};
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
static int by_groups(pn_nsdata *d, const pn_list *by, pn_strset *set, int32_t **bycode)
{
    size_t nby = by->n, n = d->n;
    pn_column *cols = pn_calloc(nby, sizeof *cols);
    const pn_column **ptrs = pn_calloc(nby, sizeof *ptrs);
    int rc = PN_ENOMEM;
    if (cols == NULL || ptrs == NULL) goto done;
    for (size_t b = 0; b < nby; b++) {
        cols[b].name = (char *)by->items[b];
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

int pn_nsdata_load(pn_nsdata **out, const pn_args *args, pn_diag *diag)
{
    *out = NULL;
    const char *path = args->positional[0];
    const char *tcol = pn_args_get(args, "time"), *xcol = pn_args_get(args, "exit-date");
    const char *ecol = pn_args_get(args, "event"), *acol = pn_args_get(args, "age");
    const char *scol = pn_args_get(args, "sex"), *ycol = pn_args_get(args, "year");
    const char *agegroup_col = pn_args_get(args, "agegroup-col");
    if ((tcol == NULL) == (xcol == NULL))
        return pn_diag_set(diag, PN_EUSAGE, "give exactly one of '--time' and '--exit-date'");
    static const char *const need[] = {"event", "age", "sex", "year"};
    int rc = pn_args_require(args, need, 4, diag);
    if (rc != PN_OK) return rc;
    double scale;
    if ((rc = pn_args_time_unit(args, &scale, diag)) != PN_OK) return rc;
    const char *aunit = pn_args_get(args, "age-unit");
    double ascale = PN_DAYS_PER_YEAR;
    if (aunit != NULL && strcmp(aunit, "days") == 0) ascale = 1.0;
    else if (aunit != NULL && strcmp(aunit, "years") != 0)
        return pn_diag_set(diag, PN_EUSAGE, "option '--age-unit': '%s' is not years or days", aunit);
    /* a diagnosis may not be after today, nor after --closing when it is given, ISO dates and
     * decimal years alike (both are checked as the day they stand for); with --period-last,
     * --closing ends the analysis window instead, and later diagnoses are outside it */
    int32_t today = pn_date_today_env(), closing = INT32_MAX;
    const char *cl = pn_args_get(args, "closing");
    if (cl != NULL && pn_date_parse(cl, strlen(cl), 0, &closing, NULL) != PN_OK)
        return pn_diag_set(diag, PN_EUSAGE, "option '--closing': '%s' is not a date (YYYY-MM-DD)", cl);
    if (pn_args_has(args, "period-last")) closing = INT32_MAX;
    pn_list by;
    if ((rc = pn_args_list(args, "by", &by, diag)) != PN_OK) return rc;
    /* the rules of surv's input (survinput.h): event values, numbers, negative times */
    const pn_survspec spec = {.path = path, .time = tcol ? tcol : xcol, .event = ecol,
                              .event_value = pn_args_get(args, "event-value")};
    size_t nby = by.n;
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
        bc[b] = pn_csv_find(csv, by.items[b]);
        if (bc[b] < 0) {
            rc = pn_diag_set(diag, PN_ENOCOL, "option '--by': %s has no column '%s'", path,
                             by.items[b]);
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
        d->age[n] = age * ascale;
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
        d->agegroup[n] = pn_icss_group(d->age[n] / PN_DAYS_PER_YEAR);
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
    if (nby > 0 && (rc = by_groups(d, &by, byset, bycode)) != PN_OK) {
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
    pn_list_free(&by);
    return rc;
}

int pn_ns_load(const char *cmd, const pn_args *args, pn_nsdata **out, pn_diag *diag)
{
    static const char *const csv_only[] = {"time", "exit-date", "event", "event-value", "age",
                                           "age-unit", "year", "agegroup-col"};
    int rc = pn_args_refuse_with_db(args, csv_only, sizeof csv_only / sizeof *csv_only, diag);
    if (rc != PN_OK) return rc;
    pn_list by; /* its usage errors before the store is opened */
    if ((rc = pn_args_list(args, "by", &by, diag)) != PN_OK) return rc;
    pn_list_free(&by);
    struct pn_cohort *cohort = NULL;
    if ((rc = pn_dbselect_cohort(args, &cohort, diag)) != PN_OK) return rc;
    if (cohort != NULL) {
        rc = pn_dbselect_nsdata(cohort, args, out, diag);
        pn_cohort_free(cohort);
    } else {
        rc = pn_nsdata_load(out, args, diag);
    }
    if (rc == PN_OK) {
        pn_cli_report_dropped(cmd, (*out)->dropped);
        pn_cli_warn_censoring(cmd, args->npos ? args->positional[0] : NULL,
                              pn_args_get(args, "event"), pn_args_get(args, "event-value"),
                              (*out)->censor_value, (*out)->censor_rows);
    }
    return rc;
}

int pn_ns_open_ratetable(const pn_args *args, pn_ratetable **rt, pn_diag *diag)
{
    const char *name = pn_args_get(args, "ratetable");
    return pn_ratetable_open(rt, name ? name : "fr", diag);
}

int pn_ns_scheme(const pn_args *args, int *scheme, pn_diag *diag)
{
    const char *s = pn_args_get(args, "scheme");
    if (s == NULL || strcmp(s, "relsurv") == 0) *scheme = PN_NETSURV_RELSURV;
    else if (strcmp(s, "exact") == 0) *scheme = PN_NETSURV_EXACT;
    else return pn_diag_set(diag, PN_EUSAGE, "option '--scheme': '%s' is not exact or relsurv", s);
    return PN_OK;
}

void pn_ns_warn_flags(const char *cmd, const pn_ratetable *rt, unsigned flags)
{
    int amin, amax, ymin, ymax;
    pn_ratetable_range(rt, &amin, &amax, &ymin, &ymax);
    if (flags & PN_RATE_AGE_ABOVE)
        pn_cli_warn(cmd, "ages beyond the life table's last age (%d): its rates were carried forward", amax);
    if (flags & PN_RATE_YEAR_ABOVE)
        pn_cli_warn(cmd, "follow-up beyond the life table's last year (%d): its rates were carried forward", ymax);
    if (flags & PN_RATE_AGE_BELOW)
        pn_cli_warn(cmd, "ages below the life table's first age (%d): its rates were used", amin);
    if (flags & PN_RATE_YEAR_BELOW)
        pn_cli_warn(cmd, "diagnoses before the life table's first year (%d): its rates were used", ymin);
}

static int parse_bound(const char *s, size_t len, int is_to, double *day)
{
    int32_t dd;
    if (len >= 7 && memchr(s, '-', len) != NULL) {
        if (pn_date_parse(s, len, 0, &dd, NULL) != PN_OK) return PN_EPARSE;
        *day = dd;
        return PN_OK;
    }
    int64_t y;
    if (pn_parse_int64(s, len, &y) != PN_OK || y < 1 || y > 9998) return PN_EPARSE;
    *day = is_to ? pn_days_from_civil((int)y, 12, 31) : pn_days_from_civil((int)y, 1, 1);
    return PN_OK;
}

int pn_ns_parse_window(const char *text, const char *option, double *from, double *to,
                       pn_diag *diag)
{
    const char *comma = strchr(text, ',');
    if (comma == NULL || parse_bound(text, (size_t)(comma - text), 0, from) != PN_OK ||
        parse_bound(comma + 1, strlen(comma + 1), 1, to) != PN_OK || !(*from <= *to))
        return pn_diag_set(diag, PN_EUSAGE,
                           "option '--%s': '%s' is not FROM,TO (ISO dates or years, FROM <= TO)",
                           option, text);
    return PN_OK;
}
