/* ratetable.c - population life tables: CSV loading with grid checks, hazard look-up, exact
 * piecewise integration of the expected hazard, and a forward cursor for hot loops. */
#include "pronostic/ratetable.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/datadir.h"
#include "pronostic/date.h"
#include "pronostic/num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pn_ratetable {
    int age_min, nage;        /* ages age_min .. age_min + nage - 1 */
    int year_min, nyear;      /* years year_min .. year_min + nyear - 1 */
    double *age_cut;          /* nage: age * PN_DAYS_PER_YEAR */
    double *year_cut;         /* nyear: day number of January 1st */
    double age_end, year_end; /* first age (days) and date past the table */
    double *rates;            /* [sex][year][age] */
};

/* The slice of a sex in the table: 0 male, 1 female (PN_SEX_* codes are 1 and 2). */
static size_t sex_index(int sex) { return sex == PN_SEX_FEMALE ? 1 : 0; }

void pn_ratetable_free(pn_ratetable *rt)
{
    if (rt == NULL) return;
    pn_free(rt->age_cut);
    pn_free(rt->year_cut);
    pn_free(rt->rates);
    pn_free(rt);
}

typedef struct rt_row {
    int age, sex, year;
    double value;
    long line;
} rt_row;

/* Parse one integer field of the current row, naming it in the diagnostic on failure. */
static int int_field(pn_csv *csv, int col, const char *name, int lo, int hi, int *out,
                     pn_diag *diag)
{
    size_t len;
    const char *s = pn_csv_field(csv, (size_t)col, &len);
    int64_t v;
    if (pn_parse_int64(s, len, &v) != PN_OK || v < lo || v > hi)
        return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not an integer in %d..%d",
                           pn_csv_name(csv), pn_csv_line(csv), name, (int)(len > 40 ? 40 : len), s,
                           lo, hi);
    *out = (int)v;
    return PN_OK;
}

/* Read and check a table from an open reader (closed by the caller); `path` names it. */
static int load_reader(pn_ratetable **out, pn_csv *csv, const char *path, pn_diag *diag)
{
    *out = NULL;
    rt_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    pn_ratetable *rt = NULL;
    unsigned char *seen = NULL;
    int rc;
    static const char *const names[4] = {"age", "sex", "year", "value"};
    int col[4];
    for (int k = 0; k < 4; k++) {
        col[k] = pn_csv_find(csv, names[k]);
        if (col[k] < 0) {
            rc = pn_diag_set(diag, PN_ENOCOL, "%s:1: life table has no column '%s' (needs age,sex,year,value)",
                             path, names[k]);
            goto done;
        }
    }
    while ((rc = pn_csv_next(csv, diag)) == 1) {
        if ((rc = pn_csv_require_width(csv, diag)) != PN_OK) goto done;
        rt_row r;
        r.line = pn_csv_line(csv);
        if ((rc = int_field(csv, col[0], "age", 0, 200, &r.age, diag)) != PN_OK) goto done;
        if ((rc = int_field(csv, col[2], "year", 1000, 9998, &r.year, diag)) != PN_OK) goto done;
        size_t len;
        const char *s = pn_csv_field(csv, (size_t)col[1], &len);
        if (pn_sex_parse(s, len, &r.sex) != PN_OK) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column 'sex': '%.*s' is not a sex code (male|female|M|F|1|2)",
                             path, r.line, (int)(len > 40 ? 40 : len), s);
            goto done;
        }
        s = pn_csv_field(csv, (size_t)col[3], &len);
        if (pn_parse_double(s, len, &r.value) != PN_OK || !(r.value >= 0) || !isfinite(r.value)) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column 'value': '%.*s' is not a finite, non-negative daily hazard",
                             path, r.line, (int)(len > 40 ? 40 : len), s);
            goto done;
        }
        if ((rc = pn_grow((void **)&rows, &cap, nrows + 1, sizeof *rows)) != PN_OK) goto done;
        rows[nrows++] = r;
    }
    if (rc < 0) goto done;
    if (nrows == 0) {
        rc = pn_diag_set(diag, PN_EEMPTY, "%s: life table has no rows", path);
        goto done;
    }
    int amin = rows[0].age, amax = amin, ymin = rows[0].year, ymax = ymin;
    for (size_t i = 1; i < nrows; i++) {
        if (rows[i].age < amin) amin = rows[i].age;
        if (rows[i].age > amax) amax = rows[i].age;
        if (rows[i].year < ymin) ymin = rows[i].year;
        if (rows[i].year > ymax) ymax = rows[i].year;
    }
    rt = pn_calloc(1, sizeof *rt);
    if (rt == NULL) { rc = PN_ENOMEM; goto done; }
    rt->age_min = amin;
    rt->nage = amax - amin + 1;
    rt->year_min = ymin;
    rt->nyear = ymax - ymin + 1;
    size_t ncell = (size_t)2 * (size_t)rt->nage * (size_t)rt->nyear;
    rt->rates = pn_calloc(ncell, sizeof *rt->rates);
    rt->age_cut = pn_calloc((size_t)rt->nage, sizeof *rt->age_cut);
    rt->year_cut = pn_calloc((size_t)rt->nyear, sizeof *rt->year_cut);
    seen = pn_calloc(ncell, 1);
    if (!rt->rates || !rt->age_cut || !rt->year_cut || !seen) { rc = PN_ENOMEM; goto done; }
    for (size_t i = 0; i < nrows; i++) {
        size_t k = (sex_index(rows[i].sex) * (size_t)rt->nyear + (size_t)(rows[i].year - ymin)) *
                       (size_t)rt->nage + (size_t)(rows[i].age - amin);
        if (seen[k]) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: duplicate cell age %d, sex %s, year %d", path,
                             rows[i].line, rows[i].age, pn_sex_name(rows[i].sex), rows[i].year);
            goto done;
        }
        seen[k] = 1;
        rt->rates[k] = rows[i].value;
    }
    for (size_t k = 0; k < ncell; k++)
        if (!seen[k]) {
            size_t age = k % (size_t)rt->nage, rest = k / (size_t)rt->nage;
            size_t year = rest % (size_t)rt->nyear, sex = rest / (size_t)rt->nyear;
            rc = pn_diag_set(diag, PN_EPARSE,
                             "%s: incomplete grid: no rate for age %d, sex %s, year %d (ages %d-%d, years %d-%d)",
                             path, amin + (int)age, sex ? "female" : "male", ymin + (int)year, amin,
                             amax, ymin, ymax);
            goto done;
        }
    for (int a = 0; a < rt->nage; a++) rt->age_cut[a] = (double)(amin + a) * PN_DAYS_PER_YEAR;
    for (int y = 0; y < rt->nyear; y++) rt->year_cut[y] = pn_days_from_civil(ymin + y, 1, 1);
    rt->age_end = (double)(amax + 1) * PN_DAYS_PER_YEAR;
    rt->year_end = pn_days_from_civil(ymax + 1, 1, 1);
    *out = rt;
    rt = NULL;
    rc = PN_OK;
done:
    pn_free(seen);
    pn_ratetable_free(rt);
    pn_free(rows);
    return rc;
}

int pn_ratetable_load_csv(pn_ratetable **out, const char *path, pn_diag *diag)
{
    pn_csv *csv = NULL;
    *out = NULL;
    int rc = pn_csv_open(&csv, path, NULL, diag);
    if (rc == PN_OK) rc = load_reader(out, csv, path, diag);
    pn_csv_close(csv);
    return rc;
}

int pn_ratetable_load_mem(pn_ratetable **out, const char *name, const char *data, size_t len,
                          pn_diag *diag)
{
    pn_csv *csv = NULL;
    *out = NULL;
    int rc = pn_csv_open_mem(&csv, name, data, len, NULL, diag);
    if (rc == PN_OK) rc = load_reader(out, csv, name, diag);
    pn_csv_close(csv);
    return rc;
}

int pn_ratetable_open(pn_ratetable **out, const char *name, pn_diag *diag)
{
    const char *file = NULL;
    if (strcmp(name, "fr") == 0) file = "fr_life_table_insee.csv";
    else if (strcmp(name, "slopop") == 0) file = "slopop_relsurv.csv";
    if (file == NULL) return pn_ratetable_load_csv(out, name, diag);
    char path[4096];
    int rc = pn_data_path(path, sizeof path, NULL, file, diag);
    if (rc != PN_OK) return rc;
    return pn_ratetable_load_csv(out, path, diag);
}

void pn_ratetable_range(const pn_ratetable *rt, int *age_min, int *age_max, int *year_min,
                        int *year_max)
{
    if (age_min) *age_min = rt->age_min;
    if (age_max) *age_max = rt->age_min + rt->nage - 1;
    if (year_min) *year_min = rt->year_min;
    if (year_max) *year_max = rt->year_min + rt->nyear - 1;
}

/* Index of the last cut <= x, 0 when x is below the first cut (R's pystep with edge = 1). */
static int locate(const double *cut, int n, double x)
{
    int lo = 0, hi = n;  /* answer in [lo, hi) */
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (x < cut[mid]) hi = mid;
        else lo = mid;
    }
    return lo;
}

static unsigned edge_flags(const pn_ratetable *rt, double age, double date)
{
    unsigned f = 0;
    if (age >= rt->age_end) f |= PN_RATE_AGE_ABOVE;
    if (date >= rt->year_end) f |= PN_RATE_YEAR_ABOVE;
    if (date < rt->year_cut[0]) f |= PN_RATE_YEAR_BELOW;
    if (age < rt->age_cut[0]) f |= PN_RATE_AGE_BELOW;
    return f;
}

double pn_ratetable_hazard(const pn_ratetable *rt, int sex, double age_days, double date_days,
                           unsigned *flags)
{
    int ia = locate(rt->age_cut, rt->nage, age_days);
    int iy = locate(rt->year_cut, rt->nyear, date_days);
    if (flags) *flags |= edge_flags(rt, age_days, date_days);
    return rt->rates[(sex_index(sex) * (size_t)rt->nyear + (size_t)iy) * (size_t)rt->nage + (size_t)ia];
}

static void set_next(pn_rate_cursor *c);

/* Follow-up time at which the cursor's current cell ends. */
static double cell_end(const pn_rate_cursor *c)
{
    double ta = c->ia + 1 < c->nage ? c->age_cut[c->ia + 1] - c->age0 : INFINITY;
    double ty = c->iy + 1 < c->nyear ? c->year_cut[c->iy + 1] - c->date0 : INFINITY;
    return ta < ty ? ta : ty;
}

void pn_rate_cursor_init(pn_rate_cursor *c, const pn_ratetable *rt, int sex, double age_days,
                         double date_days)
{
    c->rates = rt->rates + sex_index(sex) * (size_t)rt->nyear * (size_t)rt->nage;
    c->age_cut = rt->age_cut;
    c->year_cut = rt->year_cut;
    c->nage = rt->nage;
    c->nyear = rt->nyear;
    c->age0 = age_days;
    c->date0 = date_days;
    c->age_end = rt->age_end;
    c->year_end = rt->year_end;
    c->ia = locate(rt->age_cut, rt->nage, age_days);
    c->iy = locate(rt->year_cut, rt->nyear, date_days);
    c->lambda = c->rates[(size_t)c->iy * (size_t)c->nage + (size_t)c->ia];
    c->t0 = 0;
    c->cum0 = 0;
    c->t1 = cell_end(c);
    c->flags = edge_flags(rt, age_days, date_days);
    set_next(c);
    /* Flags for leaving the table later are raised by the walk (see below). */
}

/* Raise the out-of-table flags when the walk reaches the last age or year cell and goes past
 * the table's end (one year after the last cut). */
static void walk_flags(pn_rate_cursor *c, double t)
{
    if (c->age0 + t >= c->age_end) c->flags |= PN_RATE_AGE_ABOVE;
    if (c->date0 + t >= c->year_end) c->flags |= PN_RATE_YEAR_ABOVE;
}

double pn_rate_cursor_cumhaz(pn_rate_cursor *c, double t)
{
    while (t > c->t1) {
        c->cum0 += c->lambda * (c->t1 - c->t0);
        c->t0 = c->t1;
        double ta = c->ia + 1 < c->nage ? c->age_cut[c->ia + 1] - c->age0 : INFINITY;
        double ty = c->iy + 1 < c->nyear ? c->year_cut[c->iy + 1] - c->date0 : INFINITY;
        if (ta <= c->t0) c->ia++;
        if (ty <= c->t0) c->iy++;
        c->lambda = c->rates[(size_t)c->iy * (size_t)c->nage + (size_t)c->ia];
        c->t1 = cell_end(c);
    }
    if (c->ia == c->nage - 1 || c->iy == c->nyear - 1) walk_flags(c, t);
    return c->cum0 + c->lambda * (t - c->t0);
}

/* hazard_at's thresholds: the next cut of each scale, or the table's end while its flag is not
 * yet raised, or INFINITY. */
static void set_next(pn_rate_cursor *c)
{
    if (c->ia + 1 < c->nage) c->next_age = c->age_cut[c->ia + 1];
    else c->next_age = (c->flags & PN_RATE_AGE_ABOVE) ? INFINITY : c->age_end;
    if (c->iy + 1 < c->nyear) c->next_date = c->year_cut[c->iy + 1];
    else c->next_date = (c->flags & PN_RATE_YEAR_ABOVE) ? INFINITY : c->year_end;
}

double pn__rate_cursor_move(pn_rate_cursor *c, double t)
{
    double a = c->age0 + t, d = c->date0 + t;
    while (c->ia + 1 < c->nage && !(a < c->age_cut[c->ia + 1])) c->ia++;
    while (c->iy + 1 < c->nyear && !(d < c->year_cut[c->iy + 1])) c->iy++;
    c->lambda = c->rates[(size_t)c->iy * (size_t)c->nage + (size_t)c->ia];
    walk_flags(c, t);
    set_next(c);
    return c->lambda;
}

double pn_ratetable_cumhaz(const pn_ratetable *rt, int sex, double age_days, double date_days,
                           double t, unsigned *flags)
{
    pn_rate_cursor c;
    pn_rate_cursor_init(&c, rt, sex, age_days, date_days);
    double h = pn_rate_cursor_cumhaz(&c, t);
    if (flags) *flags |= c.flags;
    return h;
}
