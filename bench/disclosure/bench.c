/* bench.c - time the protection of pathway-like cubes (disclosure.h): per indicator a
 * denominator and a numerator cube over site (all > 7 sites) x year (all > 5 periods > 25
 * years) x sex x age group (all > 5 ICSS groups) x territory (France > 18 regions > 101
 * départements, and an unknown leaf) x centre (all > 400 centres, and an unknown leaf),
 * publishing site x each other dim. The subjects are synthetic (a fixed generator): sites
 * weighted 52:14:11:6:5:5:3, départements and centres of Zipf-like sizes (weight 1/rank^0.8),
 * ages and years uniform; a numerator keeps each subject with a probability from 2% to 90%
 * by indicator. Not real data: only the sizes of the tables and a spread of small cells.
 *
 * usage: bench CUBES SUBJECTS EXACT   (EXACT 1: every interval solved exactly, the slow
 * comparison). Prints the time of building and of protecting, and the audits' totals. */
#include "pronostic/disclosure.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rs = 88172645463325252ULL;
static double unif(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) / 9007199254740992.0;
}

/* Draw from cumulative weights cum[0..n-1]. */
static int pick(const double *cum, int n)
{
    double u = unif() * cum[n - 1];
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cum[mid] < u) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

enum { NSITE = 7, NPER = 5, NYEAR = 25, NAGE = 5, NREG = 18, NDEP = 101, NCEN = 400 };

int main(int argc, char **argv)
{
    int ncubes = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 40;
    long nsub = argc > 2 ? strtol(argv[2], NULL, 10) : 300000;
    int exact = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 0;
    /* the dims */
    static int site[1 + NSITE], year[1 + NPER + NYEAR], sex[3], age[1 + NAGE],
        terr[1 + NREG + NDEP + 1], cen[1 + NCEN + 1];
    site[0] = year[0] = sex[0] = age[0] = terr[0] = cen[0] = -1;
    for (int i = 1; i <= NSITE; i++) site[i] = 0;
    for (int p = 0; p < NPER; p++) year[1 + p] = 0;
    for (int y = 0; y < NYEAR; y++) year[1 + NPER + y] = 1 + y / 5;
    sex[1] = sex[2] = 0;
    for (int a = 1; a <= NAGE; a++) age[a] = 0;
    for (int r = 0; r < NREG; r++) terr[1 + r] = 0;
    for (int d = 0; d < NDEP; d++) terr[1 + NREG + d] = 1 + d % NREG;
    terr[1 + NREG + NDEP] = 0; /* unknown */
    for (int c = 0; c <= NCEN; c++) cen[1 + c] = 0; /* the last: unknown */
    pn_ddim dims[6] = {{"site", 1 + NSITE, site}, {"year", 1 + NPER + NYEAR, year},
                       {"sex", 3, sex}, {"age", 1 + NAGE, age},
                       {"territory", 1 + NREG + NDEP + 1, terr}, {"centre", 1 + NCEN + 1, cen}};
    const int tables[5][2] = {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}};
    static const double sw[NSITE] = {52, 14, 11, 6, 5, 5, 3};
    double scum[NSITE], dcum[NDEP + 1], ccum[NCEN + 1];
    double acc = 0;
    for (int i = 0; i < NSITE; i++) scum[i] = acc += sw[i];
    acc = 0;
    for (int i = 0; i <= NDEP; i++) dcum[i] = acc += i == NDEP ? 0.5 : 1 / pow(i + 1, 0.8);
    acc = 0;
    for (int i = 0; i <= NCEN; i++) ccum[i] = acc += i == NCEN ? 1.0 : 1 / pow(i + 1, 0.8);
    double t_build = 0, t_protect = 0;
    size_t cells = 0, primary = 0, secondary = 0, nlp = 0, added = 0, largest = 0;
    double minw = INFINITY;
    int failed = 0;
    for (int k = 0; k < ncubes; k++) {
        double t0 = now();
        pn_dcube *c = NULL;
        if (pn_dcube_new(&c, dims, 6, tables, 5) != PN_OK) return 1;
        double keep = k % 2 == 0 ? 1.0 : 0.02 + 0.88 * (double)(k / 2) / (ncubes / 2 + 1);
        for (long s = 0; s < nsub; s++) {
            int leaf[6] = {1 + pick(scum, NSITE), 1 + NPER + (int)(unif() * NYEAR),
                           1 + (int)(unif() * 2), 1 + (int)(unif() * NAGE),
                           1 + NREG + pick(dcum, NDEP + 1), 1 + pick(ccum, NCEN + 1)};
            if (unif() < keep) pn_dcube_add(c, leaf, 1);
        }
        double t1 = now();
        pn_dtable_set_exact(pn_dcube_dtable_mut(c), exact);
        pn_daudit a;
        pn_diag diag = {0};
        int rc = pn_dcube_protect(c, 10, &a, &diag);
        double t2 = now();
        if (rc != PN_OK) {
            fprintf(stderr, "cube %d: %s\n", k, diag.msg);
            failed++;
        }
        t_build += t1 - t0;
        t_protect += t2 - t1;
        cells += a.ncells;
        primary += a.nprimary;
        secondary += a.nsecondary;
        nlp += a.nlp;
        added += a.nadded;
        if (a.largest > largest) largest = a.largest;
        if (a.min_width < minw) minw = a.min_width;
        pn_dcube_free(c);
    }
    printf("cubes %d (%zu cells each), subjects per denominator %ld, audit %s\n", ncubes,
           cells / (size_t)(ncubes ? ncubes : 1), nsub, exact ? "exact" : "fast");
    printf("  build+add %.3f s, protect %.3f s (%.1f ms per cube)\n", t_build, t_protect,
           1000 * t_protect / (ncubes ? ncubes : 1));
    printf("  masked: %zu primary, %zu secondary (%zu added by failed audits); %zu LPs solved; "
           "largest group %zu cells; narrowest interval %g; failed %d\n",
           primary, secondary, added, nlp, largest, minw, failed);
    return failed != 0;
}
