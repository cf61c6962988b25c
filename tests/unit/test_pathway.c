/* test_pathway.c - the pieces of the care-pathway indicators: the configuration file (its
 * defaults, its errors), the Wilson interval and the type-7 quantile against R, and the cube
 * (every relation holds, margins equal direct counts, the records do not depend on the order). */
#include "pn_test.h"
#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/pathway.h"
#include "pronostic/proportion.h"
#include "pronostic/quantile.h"
#include "pronostic/rng.h"

#include <math.h>
#include <string.h>

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-12 * (1 + fabs(b));
}

PN_TEST(conf_file_is_the_defaults)
{
    pn_pathway_conf d, f;
    pn_pathway_conf_defaults(&d);
    pn_pathway_conf_defaults(&f);
    /* start the file's reading from other values, so that every key must be in the file */
    for (int i = 0; i < 3; i++) f.target_days[i] = 1;
    f.window_days = f.rupture_gap_days = f.imaging_lookback_days = 1;
    pn_diag diag = {0};
    PN_CHECK(pn_pathway_conf_load(&f, "data/pathway.conf", &diag) == PN_OK);
    PN_CHECK(memcmp(d.target_days, f.target_days, sizeof d.target_days) == 0);
    PN_CHECK(d.window_days == f.window_days && d.rupture_gap_days == f.rupture_gap_days);
    PN_CHECK(d.imaging_lookback_days == f.imaging_lookback_days);
    PN_CHECK(d.eol_chemo_types == f.eol_chemo_types);
    PN_CHECK(memcmp(d.nmentions, f.nmentions, sizeof d.nmentions) == 0);
    PN_CHECK(memcmp(d.mentions, f.mentions, sizeof d.mentions) == 0);
    for (int i = 0; i < PN_PW_COUNT; i++)
        PN_CHECK((isnan(d.benchmark[i]) && isnan(f.benchmark[i])) || d.benchmark[i] == f.benchmark[i]);
}

static void refused(const char *text, const char *words)
{
    pn_pathway_conf c;
    pn_pathway_conf_defaults(&c);
    pn_diag diag = {0};
    PN_CHECK(pn_pathway_conf_parse(&c, text, strlen(text), "x.conf", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, words) != NULL);
}

PN_TEST(conf_errors_name_the_line_and_key)
{
    refused("target_days = 42\nwindow = 3\n", "x.conf:2: unknown key 'window'");
    refused("# c\n\nrupture_gap_days = -1\n", "x.conf:3: key 'rupture_gap_days'");
    refused("rupture_gap_days = 60days\n", "x.conf:1: key 'rupture_gap_days'");
    refused("rupture_gap_days = 6\nrupture_gap_days = 7\n", "x.conf:2: key 'rupture_gap_days' given twice");
    refused("eol_chemo_types = chemo\n", "x.conf:1: key 'eol_chemo_types'");
    refused("surgery_mentions.colon = SURG-A1\n", "'colon' is not one of the seven sites");
    refused("surgery_mentions.lung = SURG-Z9\n", "x.conf:1: key 'surgery_mentions.lung'");
    refused("benchmark.rupture = 1.5\n", "not a proportion");
    refused("benchmark.nothing = 0.1\n", "'nothing' is not an indicator");
    refused("just words\n", "x.conf:1: expected 'key = value'");
    refused("a\0b = 1\n", "x.conf:1");
}

PN_TEST(conf_values_read)
{
    const char *text = "target_days = 30\ntarget_days.imaging_to_treatment = 60 # comment\n"
                       "eol_chemo_types = chemotherapy;targeted_therapy\n"
                       "surgery_mentions.ovary = SURG-A5;SURG-B5\nbenchmark.rupture = 0.05\r\n";
    pn_pathway_conf c;
    pn_pathway_conf_defaults(&c);
    pn_diag diag = {0};
    PN_CHECK(pn_pathway_conf_parse(&c, text, strlen(text), "x.conf", &diag) == PN_OK);
    PN_CHECK(c.target_days[0] == 30 && c.target_days[1] == 30 && c.target_days[2] == 60);
    PN_CHECK(c.eol_chemo_types == ((1u << 5) | (1u << 7)));
    PN_CHECK(c.nmentions[6] == 2 && strcmp(c.mentions[6][1], "SURG-B5") == 0);
    PN_CHECK(c.benchmark[PN_PW_RUPTURE] == 0.05);
}

PN_TEST(wilson_as_r)
{
    /* R: prop.test(x, n, correct = FALSE)$conf.int */
    static const double cases[][4] = {
        {1, 3, 0.061491944720396291, 0.792340399197952294},
        {0, 5, 0.0, 0.43448246478317465},
        {5, 5, 0.56551753521682535, 1.0},
        {7, 20, 0.18119182410108206, 0.56714572331476365},
        {123, 4567, 0.022620022313028027, 0.032039816815401238},
    };
    double z = pn_conf_z(0.95), lo, hi;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pn_wilson(cases[i][0], cases[i][1], z, &lo, &hi);
        PN_CHECK(near(lo, cases[i][2]) && near(hi, cases[i][3]));
    }
    pn_wilson(1, 0, z, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));
    pn_wilson(4, 3, z, &lo, &hi);
    PN_CHECK(isnan(lo) && isnan(hi));
}

PN_TEST(quantile_as_r)
{
    /* R: quantile(c(3,1,4,1,5,9,2,6), c(.25,.5,.75)) = 1.75 3.50 5.25 */
    double x[] = {1, 1, 2, 3, 4, 5, 6, 9};
    PN_CHECK(near(pn_quantile7(x, 8, 0.25), 1.75));
    PN_CHECK(near(pn_quantile7(x, 8, 0.5), 3.5));
    PN_CHECK(near(pn_quantile7(x, 8, 0.75), 5.25));
    double one[] = {7};
    PN_CHECK(pn_quantile7(one, 1, 0.25) == 7 && pn_quantile7(one, 1, 1) == 7);
    PN_CHECK(isnan(pn_quantile7(x, 0, 0.5)));
}

/* Random records with every field in range. */
static pn_pw_record *random_records(size_t n, uint64_t seed, size_t ncentres)
{
    pn_pw_record *r = pn_calloc(n, sizeof *r);
    pn_rng rng;
    pn_rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++) {
        r[i].site = 1 + (int)pn_rng_below(&rng, 7);
        r[i].year = 2003 + (int)pn_rng_below(&rng, 19);
        r[i].sex = 1 + (int)pn_rng_below(&rng, 2);
        r[i].agegroup = (int)pn_rng_below(&rng, 6);
        r[i].departement = (int)pn_rng_below(&rng, 104);
        if (r[i].departement == 20) r[i].departement = 0;
        r[i].centre = (int)pn_rng_below(&rng, ncentres + 1) - 1;
        r[i].den = (uint32_t)pn_rng_below(&rng, 1u << 23);
        r[i].num = r[i].den & (uint32_t)pn_rng_below(&rng, 1u << 23);
        r[i].delay[0] = r[i].delay[1] = r[i].delay[2] = -1;
        r[i].ci_time[0] = r[i].ci_time[1] = -1;
    }
    return r;
}

PN_TEST(cube_relations_hold)
{
    char *ids[3] = {"130000002", "690000003", "750000001"}, *auth[3] = {NULL, NULL, NULL};
    pn_pw_centres centres = {3, ids, auth};
    size_t n = 5000;
    pn_pw_record *rec = random_records(n, 11, 3);
    pn_pathway_set *set = NULL;
    PN_CHECK(pn_pathway_set_from(rec, n, &centres, 0, &set) == PN_OK);
    pn_pw_cube *cube = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_pw_cube_build(set, &cube, &diag) == PN_OK);
    /* every relation holds for every count */
    size_t bad = 0;
    for (size_t c = 0; c < cube->ncounts; c++) {
        const long long *v = cube->counts + c * cube->ncells;
        for (size_t k = 0; k < cube->nrel; k++) {
            long long sum = 0;
            for (size_t j = cube->rel_start[k]; j < cube->rel_start[k + 1]; j++) sum += v[cube->rel_parts[j]];
            bad += sum != v[cube->rel_total[k]];
        }
    }
    PN_CHECK(bad == 0);
    /* the margins are the direct counts: the all-sites all-years cell (0), and a site's */
    pn_pw_query q = {.indicator = PN_PW_RUPTURE, .site = 0, .by = PN_PW_BY_REGION};
    pn_pw_row *rows = NULL;
    size_t nrows = 0;
    pn_pathway_conf conf;
    pn_pathway_conf_defaults(&conf);
    PN_CHECK(pn_pw_rows(set, cube, &conf, &q, &rows, &nrows, &diag) == PN_OK);
    long long den_all = 0, num_lung = 0, den_bzh = 0;
    for (size_t i = 0; i < n; i++) {
        int in = rec[i].den >> PN_PW_RUPTURE & 1;
        den_all += in;
        num_lung += in && rec[i].site == 4 && (rec[i].num >> PN_PW_RUPTURE & 1);
        /* Bretagne: 22, 29, 35, 56 */
        int d = rec[i].departement;
        den_bzh += in && (d == 22 || d == 29 || d == 35 || d == 56);
    }
    int seen = 0;
    for (size_t i = 0; i < nrows; i++) {
        if (rows[i].site == 0 && strcmp(rows[i].group, "all") == 0) seen += rows[i].denominator == den_all;
        if (rows[i].site == 4 && strcmp(rows[i].group, "all") == 0) seen += rows[i].numerator == num_lung;
        if (rows[i].site == 0 && strcmp(rows[i].group, "region=Bretagne") == 0)
            seen += rows[i].denominator == den_bzh;
    }
    PN_CHECK(seen == 3);
    pn_free(rows);
    /* a year range that cuts a period is refused with a breakdown other than the year */
    q.year_from = 2006;
    q.year_to = 2012;
    PN_CHECK(pn_pw_rows(set, cube, &conf, &q, &rows, &nrows, &diag) == PN_EUSAGE);
    PN_CHECK(strstr(diag.msg, "whole periods") != NULL);
    q.by = PN_PW_BY_YEAR;
    PN_CHECK(pn_pw_rows(set, cube, &conf, &q, &rows, &nrows, &diag) == PN_OK);
    pn_free(rows);
    pn_pw_cube_free(cube);
    pn_pathway_set_free(set);
    pn_free(rec);
}

PN_TEST_MAIN(PN_T(conf_file_is_the_defaults), PN_T(conf_errors_name_the_line_and_key),
             PN_T(conf_values_read), PN_T(wilson_as_r), PN_T(quantile_as_r),
             PN_T(cube_relations_hold))
