/* netsurv_cli.c - reading net-survival input rows (time, event, age, sex, date of diagnosis,
 * groups) with messages naming file, line and column; life-table and scheme options; Brenner's
 * period window. Shared by cmd_netsurv.c, cmd_netsurv_diff.c and cmd_trend.c. */
#include "netsurv_cli.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/date.h"
#include "pronostic/frame.h"
#include "pronostic/num.h"
#include "pronostic/survinput.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

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

static double unit_scale(const char *unit, int *ok)
{
    *ok = 1;
    if (unit == NULL || strcmp(unit, "days") == 0) return 1.0;
    if (strcmp(unit, "months") == 0) return PN_DAYS_PER_YEAR / 12.0;
    if (strcmp(unit, "years") == 0) return PN_DAYS_PER_YEAR;
    *ok = 0;
    return 0;
}

static int grow_all(pn_nsdata *d, char ***byvals, size_t nby, size_t *cap, size_t need)
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
        p = pn_reallocarray(byvals[b], ncap, sizeof(char *));
        if (p == NULL) return PN_ENOMEM;
        byvals[b] = p;
    }
    *cap = ncap;
    return PN_OK;
}

#define MAX_BY 4

int pn_nsdata_load(pn_nsdata **out, const pn_args *args, const char *by, const char *agegroup_col,
                   pn_diag *diag)
{
    *out = NULL;
    const char *path = args->positional[0];
    const char *tcol = pn_args_get(args, "time"), *xcol = pn_args_get(args, "exit-date");
    const char *ecol = pn_args_get(args, "event"), *acol = pn_args_get(args, "age");
    const char *scol = pn_args_get(args, "sex"), *ycol = pn_args_get(args, "year");
    const char *evalue = pn_args_get(args, "event-value");
    if (evalue == NULL) evalue = "1";
    if ((tcol == NULL) == (xcol == NULL))
        return pn_diag_set(diag, PN_EUSAGE, "give exactly one of '--time' and '--exit-date'");
    static const char *const need[] = {"event", "age", "sex", "year"};
    for (size_t i = 0; i < 4; i++)
        if (!pn_args_has(args, need[i]))
            return pn_diag_set(diag, PN_EUSAGE, "option '--%s' is required", need[i]);
    int ok;
    double scale = unit_scale(pn_args_get(args, "time-unit"), &ok);
    if (!ok)
        return pn_diag_set(diag, PN_EUSAGE, "option '--time-unit': '%s' is not days, months or years",
                           pn_args_get(args, "time-unit"));
    const char *aunit = pn_args_get(args, "age-unit");
    double ascale = PN_DAYS_PER_YEAR;
    if (aunit != NULL && strcmp(aunit, "days") == 0) ascale = 1.0;
    else if (aunit != NULL && strcmp(aunit, "years") != 0)
        return pn_diag_set(diag, PN_EUSAGE, "option '--age-unit': '%s' is not years or days", aunit);

    /* the --by columns */
    char bycopy[512] = "";
    const char *bynames[MAX_BY];
    size_t nby = 0;
    if (by != NULL) {
        if (strlen(by) >= sizeof bycopy)
            return pn_diag_set(diag, PN_EUSAGE, "option '--by': list too long");
        memcpy(bycopy, by, strlen(by) + 1);
        char *s = bycopy;
        for (;;) {
            char *comma = strchr(s, ',');
            if (comma) *comma = '\0';
            if (*s == '\0' || nby == MAX_BY)
                return pn_diag_set(diag, PN_EUSAGE, "option '--by': give 1 to %d column names", MAX_BY);
            bynames[nby++] = s;
            if (!comma) break;
            s = comma + 1;
        }
    }

    pn_csv *csv = NULL;
    pn_nsdata *d = pn_calloc(1, sizeof *d);
    char **byvals[MAX_BY] = {NULL};
    pn_arena *arena = pn_arena_new();
    pn_column bycol[MAX_BY];
    memset(bycol, 0, sizeof bycol);
    size_t cap = 0;
    int rc = PN_ENOMEM;
    if (d == NULL || arena == NULL) goto fail;
    d->time_scale = scale;
    if ((rc = pn_csv_open(&csv, path, NULL, diag)) != PN_OK) goto fail;
    const char *names[6] = {tcol ? tcol : xcol, ecol, acol, scol, ycol, agegroup_col};
    const char *opts[6] = {tcol ? "time" : "exit-date", "event", "age", "sex", "year", "agegroup-col"};
    int col[6], bc[MAX_BY];
    for (int k = 0; k < 6; k++) {
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
        bc[b] = pn_csv_find(csv, bynames[b]);
        if (bc[b] < 0) {
            rc = pn_diag_set(diag, PN_ENOCOL, "option '--by': %s has no column '%s'", path, bynames[b]);
            goto fail;
        }
    }
    size_t n = 0;
    while ((rc = pn_csv_next(csv, diag)) == 1) {
        long line = pn_csv_line(csv);
        int missing = 0;
        for (int k = 0; k < 6; k++)
            if (col[k] >= 0 && pn_csv_missing(csv, (size_t)col[k])) missing = 1;
        for (size_t b = 0; b < nby; b++)
            if (pn_csv_missing(csv, (size_t)bc[b])) missing = 1;
        if (missing) {
            d->dropped++;
            continue;
        }
        if ((rc = grow_all(d, byvals, nby, &cap, n + 1)) != PN_OK) goto fail;
        size_t len;
        const char *s;
        /* sex */
        s = pn_csv_field(csv, (size_t)col[3], &len);
        if (pn_sex_parse(s, len, &d->sex[n]) != PN_OK) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not a sex code (male|female|M|F|1|2)",
                             path, line, scol, (int)(len > 40 ? 40 : len), s);
            goto fail;
        }
        /* date of diagnosis */
        s = pn_csv_field(csv, (size_t)col[4], &len);
        if (parse_diag_date(s, len, &d->date[n]) != PN_OK) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not a date (YYYY-MM-DD) or a decimal year",
                             path, line, ycol, (int)(len > 40 ? 40 : len), s);
            goto fail;
        }
        d->year[n] = pn_decimal_year((int32_t)floor(d->date[n]));
        /* age */
        s = pn_csv_field(csv, (size_t)col[2], &len);
        double age;
        if (pn_parse_double(s, len, &age) != PN_OK || !(age >= 0) || age * ascale > 150 * PN_DAYS_PER_YEAR) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not an age in %s",
                             path, line, acol, (int)(len > 40 ? 40 : len), s,
                             ascale == 1.0 ? "days" : "years");
            goto fail;
        }
        d->age[n] = age * ascale;
        /* time */
        s = pn_csv_field(csv, (size_t)col[0], &len);
        if (tcol != NULL) {
            double t;
            if (pn_parse_double(s, len, &t) != PN_OK || !(t >= 0)) {
                rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not a non-negative time",
                                 path, line, tcol, (int)(len > 40 ? 40 : len), s);
                goto fail;
            }
            d->time[n] = t * scale;
        } else {
            int32_t exitday;
            if (pn_date_parse(s, len, 1, &exitday, NULL) != PN_OK) {
                rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not a date (YYYY-MM-DD)",
                                 path, line, xcol, (int)(len > 40 ? 40 : len), s);
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
        /* event */
        s = pn_csv_field(csv, (size_t)col[1], &len);
        d->status[n] = strlen(evalue) == len && memcmp(s, evalue, len) == 0;
        /* ICSS age group */
        d->agegroup[n] = pn_icss_group(d->age[n] / PN_DAYS_PER_YEAR);
        if (col[5] >= 0) {
            s = pn_csv_field(csv, (size_t)col[5], &len);
            if (parse_agegroup(s, len, &d->agegroup[n]) != PN_OK) {
                rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.*s' is not an ICSS age group (1..5, 15-44, 45-54, 55-64, 65-74, 75+)",
                                 path, line, agegroup_col, (int)(len > 40 ? 40 : len), s);
                goto fail;
            }
        }
        for (size_t b = 0; b < nby; b++) {
            s = pn_csv_field(csv, (size_t)bc[b], &len);
            byvals[b][n] = pn_arena_strndup(arena, s, len);
            if (byvals[b][n] == NULL) { rc = PN_ENOMEM; goto fail; }
        }
        d->line[n] = line;
        n++;
    }
    if (rc < 0) goto fail;
    d->n = n;
    if (nby > 0) {
        const pn_column *cols[MAX_BY];
        for (size_t b = 0; b < nby; b++) {
            bycol[b].name = (char *)bynames[b];
            if ((rc = pn_column_factor(&bycol[b], (const char *const *)byvals[b], n)) != PN_OK) goto fail;
            cols[b] = &bycol[b];
        }
        d->group = pn_malloc((n ? n : 1) * sizeof *d->group);
        if (d->group == NULL) { rc = PN_ENOMEM; goto fail; }
        if ((rc = pn_combine_factors(cols, nby, n, d->group, &d->group_labels, &d->ngroups)) != PN_OK)
            goto fail;
    }
    rc = PN_OK;
    *out = d;
    d = NULL;
fail:
    for (size_t b = 0; b < nby; b++) {
        pn_free(byvals[b]);
        pn_free(bycol[b].code);
        for (size_t l = 0; l < bycol[b].nlevels; l++) pn_free(bycol[b].levels[l]);
        pn_free(bycol[b].levels);
    }
    pn_arena_free(arena);
    pn_csv_close(csv);
    pn_nsdata_free(d);
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

int pn_ns_threads(const pn_args *args, int *threads, pn_diag *diag)
{
    long t = sysconf(_SC_NPROCESSORS_ONLN);
    if (pn_args_has(args, "threads")) {
        int rc = pn_args_long(args, "threads", &t, diag);
        if (rc != PN_OK) return rc;
        if (t < 1)
            return pn_diag_set(diag, PN_EUSAGE, "option '--threads': must be at least 1");
    }
    if (t < 1) t = 1;
    if (t > 16) t = 16;
    *threads = (int)t;
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

void pn_ns_period(const pn_nsdata *d, double from, double to, double *entry, double *time,
                  int *status, unsigned char *keep)
{
    /* Follow-up days t of subject i fall on calendar day date + t; the window [from, to] as
     * closed calendar days is the follow-up interval (from - date, to + 1 - date]. */
    for (size_t i = 0; i < d->n; i++) {
        double lo = from - d->date[i], hi = to + 1 - d->date[i];
        double e = lo > 0 ? lo : 0, t = d->time[i] < hi ? d->time[i] : hi;
        entry[i] = e;
        time[i] = t;
        status[i] = d->status[i] && d->time[i] <= hi;
        keep[i] = t > e;
    }
}
