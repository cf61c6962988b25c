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

/* The arrays of the rows kept, grown together (to `need` rows exactly when `exact`). */
static int grow_all(pn_nsdata *d, int32_t **bycode, size_t nby, size_t *cap, size_t need,
                    int exact)
{
    if (need <= *cap) return PN_OK;
    size_t ncap = exact ? need : (*cap ? *cap * 2 : 1024);
    if (ncap < need) ncap = need;
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

/* The state of the rows read so far (nsdata.h: pn_nsload). */
enum { C_TIME, C_EVENT, C_AGE, C_SEX, C_YEAR, C_AGEGROUP, NCOL };
struct pn_nsload {
    const pn_nsspec *sp;
    pn_survspec spec;      /* the rules of surv's input: event values, numbers, negative times */
    int col[NCOL];
    int *bc;               /* nby: the --by fields */
    pn_nsdata *d;          /* the rows kept (d->n not yet set: `n`) */
    pn_strset *byset;      /* nby: distinct texts in order of first appearance */
    int32_t **bycode;      /* nby: per row kept, its text's code */
    size_t n, cap;
    pn_eventcol *ev;
};

void pn_nsload_free(pn_nsload *l)
{
    if (l == NULL) return;
    for (size_t b = 0; b < l->sp->nby; b++) {
        if (l->bycode != NULL) pn_free(l->bycode[b]);
        if (l->byset != NULL) pn_strset_free(&l->byset[b], 1);
    }
    pn_free(l->bycode);
    pn_free(l->byset);
    pn_free(l->bc);
    pn_eventcol_free(l->ev);
    pn_nsdata_free(l->d);
    pn_free(l);
}

int pn_nsload_new(pn_nsload **out, const pn_nsspec *sp, const pn_csv *csv, pn_diag *diag)
{
    *out = NULL;
    size_t nby = sp->nby;
    const char *path = sp->path;
    pn_nsload *l = pn_calloc(1, sizeof *l);
    if (l == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    l->sp = sp;
    l->spec = (pn_survspec){.path = path, .time = sp->time ? sp->time : sp->exit_date,
                            .event = sp->event, .event_value = sp->event_value};
    l->d = pn_calloc(1, sizeof *l->d);
    l->byset = pn_calloc(nby + 1, sizeof *l->byset);
    l->bycode = pn_calloc(nby + 1, sizeof *l->bycode);
    l->bc = pn_calloc(nby + 1, sizeof *l->bc);
    int rc;
    if (l->d == NULL || l->byset == NULL || l->bycode == NULL || l->bc == NULL ||
        pn_eventcol_new(&l->ev, sp->event_value) != PN_OK) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto fail;
    }
    l->d->time_scale = sp->time_scale;
    const char *names[NCOL] = {l->spec.time, sp->event, sp->age, sp->sex, sp->year,
                               sp->agegroup_col};
    const char *opts[NCOL] = {sp->time ? "time" : "exit-date", "event", "age", "sex", "year",
                              "agegroup-col"};
    for (int k = 0; k < NCOL; k++) {
        l->col[k] = -1;
        if (names[k] == NULL) continue;
        l->col[k] = pn_csv_find(csv, names[k]);
        if (l->col[k] < 0) {
            rc = pn_diag_set(diag, PN_ENOCOL, "option '--%s': %s has no column '%s'", opts[k], path,
                             names[k]);
            goto fail;
        }
    }
    for (size_t b = 0; b < nby; b++) {
        l->bc[b] = pn_csv_find(csv, sp->by[b]);
        if (l->bc[b] < 0) {
            rc = pn_diag_set(diag, PN_ENOCOL, "option '--by': %s has no column '%s'", path,
                             sp->by[b]);
            goto fail;
        }
    }
    *out = l;
    return PN_OK;
fail:
    pn_nsload_free(l);
    return rc;
}

int pn_nsload_read(pn_nsload *l, pn_csv *csv, pn_diag *diag)
{
    const pn_nsspec *sp = l->sp;
    const char *path = sp->path;
    const char *tcol = sp->time, *xcol = sp->exit_date;
    const char *ecol = sp->event, *acol = sp->age;
    const char *scol = sp->sex, *ycol = sp->year;
    const char *agegroup_col = sp->agegroup_col;
    double scale = sp->time_scale;
    double ascale = sp->age_in_days ? 1.0 : PN_DAYS_PER_YEAR;
    int32_t today = sp->today, closing = sp->closing;
    const pn_survspec *spec = &l->spec;
    size_t nby = sp->nby;
    pn_nsdata *d = l->d;
    const int *col = l->col, *bc = l->bc;
    int rc;
    size_t n = l->n;
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
        if ((rc = pn_survrow_event(l->ev, csv, col[C_EVENT], ecol, &status, diag)) != PN_OK)
            goto fail;
        if (status < 0) {
            keep = 0;
            status = 0;
        }
        if ((rc = pn_survrow_check(spec, path, line, t, NAN, NAN, keep, diag)) != PN_OK) goto fail;
        for (int k = C_AGE; k < NCOL; k++)
            if (col[k] >= 0 && pn_csv_missing(csv, (size_t)col[k])) keep = 0;
        for (size_t b = 0; b < nby; b++)
            if (pn_csv_missing(csv, (size_t)bc[b])) keep = 0;
        if (!keep) {
            d->dropped++;
            continue;
        }
        if ((rc = grow_all(d, l->bycode, nby, &l->cap, n + 1, 0)) != PN_OK) goto nomem;
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
            int64_t code = pn_strset_code(&l->byset[b], s, len);
            if (code < 0) goto nomem;
            l->bycode[b][n] = (int32_t)code;
        }
        d->line[n] = line;
        n++;
    }
    l->n = n;
    return rc < 0 ? rc : PN_OK;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
    l->n = n;
    return rc;
}

int pn_nsload_can_follow(const pn_nsload *dst, const pn_nsload *src)
{
    return pn_eventcol_can_follow(dst->ev, src->ev);
}

int pn_nsload_merge(pn_nsload *dst, pn_nsload *src, long line_shift, pn_diag *diag)
{
    size_t nd = dst->n, ns = src->n, nby = dst->sp->nby;
    pn_nsdata *a = dst->d, *b = src->d;
    int rc = pn_eventcol_merge(dst->ev, src->ev, line_shift);
    if (rc == PN_OK && ns > 0) rc = grow_all(a, dst->bycode, nby, &dst->cap, nd + ns, 1);
    if (rc != PN_OK) return pn_diag_set(diag, rc, "out of memory");
    a->dropped += b->dropped;
    if (ns == 0) return PN_OK;
    /* each array appended, then the range's freed, so that at most one is held twice */
#define PN__APPEND(f)                                               \
    do {                                                            \
        memcpy(a->f + nd, b->f, ns * sizeof *a->f);                 \
        pn_free(b->f);                                              \
        b->f = NULL;                                                \
    } while (0)
    PN__APPEND(time);
    PN__APPEND(status);
    PN__APPEND(age_days);
    PN__APPEND(date);
    PN__APPEND(sex);
    PN__APPEND(year);
    PN__APPEND(agegroup);
#undef PN__APPEND
    for (size_t r = 0; r < ns; r++) a->line[nd + r] = b->line[r] + line_shift;
    pn_free(b->line);
    b->line = NULL;
    for (size_t k = 0; k < nby; k++) {
        /* src's texts after dst's, in src's order of first appearance: the codes of one pass */
        pn_strset *set = &src->byset[k];
        int32_t *map = pn_malloc((set->n ? set->n : 1) * sizeof *map);
        if (map == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
        for (size_t i = 0; i < set->n; i++) {
            int64_t code = pn_strset_code(&dst->byset[k], set->items[i], set->len[i]);
            if (code < 0) {
                pn_free(map);
                return pn_diag_set(diag, (int)code, "out of memory");
            }
            map[i] = (int32_t)code;
        }
        for (size_t r = 0; r < ns; r++) dst->bycode[k][nd + r] = map[src->bycode[k][r]];
        pn_free(map);
        pn_free(src->bycode[k]);
        src->bycode[k] = NULL;
    }
    dst->n = nd + ns;
    src->n = src->cap = 0;
    return PN_OK;
}

int pn_nsload_finish(pn_nsload *l, pn_nsdata **out, pn_diag *diag)
{
    *out = NULL;
    const pn_nsspec *sp = l->sp;
    pn_nsdata *d = l->d;
    int rc = pn_eventcol_finish(l->ev, sp->path, sp->event, diag);
    if (rc != PN_OK) return rc;
    if (pn_eventcol_copy_censoring(l->ev, &d->censor_value, &d->censor_rows) != PN_OK)
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    d->n = l->n;
    if (sp->nby > 0 && (rc = by_groups(d, sp->by, sp->nby, l->byset, l->bycode)) != PN_OK)
        return pn_diag_set(diag, rc, "%s: %s", sp->path, rc == PN_ENOMEM ? "out of memory"
                                                                       : "too many group combinations");
    *out = d;
    l->d = NULL;
    return PN_OK;
}

int pn_nsdata_load(pn_nsdata **out, const pn_nsspec *sp, pn_diag *diag)
{
    *out = NULL;
    pn_csv *csv = NULL;
    pn_nsload *l = NULL;
    int rc = pn_csv_open(&csv, sp->path, NULL, diag);
    if (rc != PN_OK) return rc;
    if ((rc = pn_nsload_new(&l, sp, csv, diag)) == PN_OK &&
        (rc = pn_nsload_read(l, csv, diag)) == PN_OK)
        rc = pn_nsload_finish(l, out, diag);
    pn_nsload_free(l);
    pn_csv_close(csv);
    return rc;
}
