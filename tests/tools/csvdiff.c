/* csvdiff.c - compare two CSV tables cell by cell with numeric tolerances (golden tests).
 *
 * usage: csvdiff [--abs A] [--rel R] EXPECTED ACTUAL
 * Every column of EXPECTED must be in ACTUAL (ACTUAL may have more); rows are compared in
 * order and their counts must agree. Numbers agree when |a - e| <= A + R * |e|; "NA", "" and
 * "NaN" are all a missing value; "Inf"/"-Inf" must agree exactly, and an R infinity in
 * EXPECTED also agrees with a missing ACTUAL value (pronostic writes every number that is not
 * finite as a missing value); other text must be equal.
 * Prints each difference (up to 20) and exits 1 when there is any.
 */
#include "pronostic/csv.h"
#include "pronostic/num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_missing(const char *s)
{
    return s[0] == '\0' || strcmp(s, "NA") == 0 || strcmp(s, "NaN") == 0;
}

static int to_number(const char *s, double *v)
{
    if (strcmp(s, "Inf") == 0) { *v = INFINITY; return 1; }
    if (strcmp(s, "-Inf") == 0) { *v = -INFINITY; return 1; }
    return pn_parse_double(s, strlen(s), v) == PN_OK;
}

int main(int argc, char **argv)
{
    double abs_tol = 0, rel_tol = 0;
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--abs") == 0) abs_tol = strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "--rel") == 0) rel_tol = strtod(argv[i + 1], NULL);
        else break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: csvdiff [--abs A] [--rel R] EXPECTED ACTUAL\n");
        return 2;
    }
    pn_diag diag = {0};
    pn_csv *e = NULL, *a = NULL;
    if (pn_csv_open(&e, argv[i], NULL, &diag) != PN_OK || pn_csv_open(&a, argv[i + 1], NULL, &diag) != PN_OK) {
        fprintf(stderr, "csvdiff: %s\n", diag.msg);
        return 2;
    }
    size_t ncols = pn_csv_ncols(e);
    int *map = calloc(ncols, sizeof *map);
    for (size_t c = 0; c < ncols; c++) {
        map[c] = pn_csv_find(a, pn_csv_colname(e, c));
        if (map[c] < 0) {
            fprintf(stderr, "csvdiff: column '%s' missing from %s\n", pn_csv_colname(e, c), argv[i + 1]);
            return 1;
        }
    }
    long row = 0, diffs = 0;
    double worst_abs = 0, worst_rel = 0;
    for (;;) {
        int re = pn_csv_next(e, &diag), ra = pn_csv_next(a, &diag);
        if (re < 0 || ra < 0) {
            fprintf(stderr, "csvdiff: %s\n", diag.msg);
            return 2;
        }
        if (re == 0 && ra == 0) break;
        row++;
        if (re == 0 || ra == 0) {
            fprintf(stderr, "csvdiff: %s has more rows (row %ld)\n", re ? argv[i] : argv[i + 1], row);
            return 1;
        }
        for (size_t c = 0; c < ncols; c++) {
            const char *x = pn_csv_field(e, c, NULL), *y = pn_csv_field(a, (size_t)map[c], NULL);
            double vx, vy;
            int ok;
            if (is_missing(y) && to_number(x, &vx) && isinf(vx)) ok = 1;
            else if (is_missing(x) || is_missing(y)) ok = is_missing(x) && is_missing(y);
            else if (to_number(x, &vx) && to_number(y, &vy)) {
                double d = fabs(vx - vy);
                if (isinf(vx) || isinf(vy)) ok = vx == vy;
                else {
                    ok = d <= abs_tol + rel_tol * fabs(vx);
                    if (d > worst_abs) worst_abs = d;
                    if (vx != 0 && d / fabs(vx) > worst_rel) worst_rel = d / fabs(vx);
                }
            } else ok = strcmp(x, y) == 0;
            if (!ok && diffs++ < 20)
                fprintf(stderr, "row %ld column %s: expected %s, got %s\n", row, pn_csv_colname(e, c), x, y);
        }
    }
    printf("csvdiff: %ld rows, %zu columns, %ld differences; largest abs %.3g, rel %.3g\n", row,
           ncols, diffs, worst_abs, worst_rel);
    free(map);
    pn_csv_close(e);
    pn_csv_close(a);
    return diffs ? 1 : 0;
}
