/* demo_geo.c - the synthetic France's geography: the 101 départements (data/departements.csv),
 * centres with FINESS-like ids, authorisations and networks, and territories with imaging
 * equipment and waiting times. Figures and sources: docs/methods.md, "Synthetic data". */
#include "demo_internal.h"

#include "pronostic/csv.h"
#include "pronostic/num.h"

#include <math.h>
#include <string.h>

/* Stream numbers of the per-run random streams (patients use streams 0..N-1 of another seed). */
#define STREAM_CENTRES 0x43454e5452455300ULL
#define STREAM_TERRITORIES 0x5445525249544f00ULL
#define STREAM_LOCAL 0x4c4f43414c000000ULL

static int copy_field(pn_csv *csv, int col, char *dst, size_t cap, const char *what,
                      pn_diag *diag)
{
    size_t len;
    const char *v = pn_csv_field(csv, (size_t)col, &len);
    if (len == 0 || len >= cap)
        return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%s' is empty or too long",
                           pn_csv_name(csv), pn_csv_line(csv), what, v);
    memcpy(dst, v, len);
    dst[len] = '\0';
    return PN_OK;
}

/* Luhn check digit over the characters of `body` (letters of Corsica's 2A/2B count as 0). */
static char luhn_digit(const char *body, size_t len)
{
    int sum = 0;
    for (size_t k = 0; k < len; k++) {
        char c = body[len - 1 - k];
        int d = (c >= '0' && c <= '9') ? c - '0' : 0;
        if (k % 2 == 0) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

static void make_finess(const pn__demo_dept *dept, pn_rng *rng, char id[10])
{
    char body[9];
    if (strlen(dept->code) == 3) {         /* overseas: 97 + the département's last digit */
        body[0] = '9';
        body[1] = '7';
        body[2] = dept->code[2];
    } else {
        body[0] = dept->code[0];
        body[1] = dept->code[1];
        body[2] = '0';
    }
    for (int k = 3; k < 8; k++) body[k] = (char)('0' + pn_rng_below(rng, 10));
    body[8] = '\0';
    memcpy(id, body, 8);
    id[8] = luhn_digit(body, 8);
    id[9] = '\0';
}

static void add_centre(pn__demo_geo *geo, int d, int kind, int k, pn_rng *rng)
{
    pn__demo_centre *c = &geo->centres[geo->ncentres];
    const pn__demo_dept *dept = &geo->depts[d];
    /* copies of the names: they are written into the same object (geo) */
    char dname[sizeof dept->name], region[sizeof dept->region];
    memcpy(dname, dept->name, sizeof dname);
    dname[sizeof dname - 1] = '\0';
    memcpy(region, dept->region, sizeof region);
    region[sizeof region - 1] = '\0';
    memset(c, 0, sizeof *c);
    c->dept = d;
    c->kind = kind;
    for (;;) {   /* redraw the (very unlikely) duplicate id */
        make_finess(dept, rng, c->id);
        int dup = 0;
        for (int j = 0; j < geo->ncentres && !dup; j++) dup = strcmp(geo->centres[j].id, c->id) == 0;
        if (!dup) break;
    }
    switch (kind) {
    case 0:
        snprintf(c->name, sizeof c->name, "CHU %s", dname);
        snprintf(c->authorisations, sizeof c->authorisations, "%s",
                 "SURG-A1;SURG-A2;SURG-A3;SURG-A4;SURG-A5;SURG-A6;SURG-A7;SURG-B1;SURG-B2;"
                 "SURG-B3;SURG-B4;SURG-B5;SURG-C;SYST-A;SYST-B;SYST-C;RT-A;RT-B;RT-C");
        snprintf(c->networks, sizeof c->networks, "FEM-NET;GLIOREC");
        break;
    case 1:
        snprintf(c->name, sizeof c->name, "Centre de lutte contre le cancer %s", region);
        snprintf(c->authorisations, sizeof c->authorisations, "%s",
                 "SURG-A1;SURG-A2;SURG-A5;SURG-A6;SURG-B5;SYST-A;SYST-B;RT-A;RT-B");
        snprintf(c->networks, sizeof c->networks, "FEM-NET");
        break;
    case 2:
        snprintf(c->name, sizeof c->name, "Centre hospitalier %s %d", dname, k);
        snprintf(c->authorisations, sizeof c->authorisations, "SURG-A1;%sSYST-A%s",
                 pn_rng_bernoulli(rng, 0.6) ? "SURG-A5;" : "",
                 pn_rng_bernoulli(rng, 0.4) ? ";RT-A" : "");
        if (pn_rng_bernoulli(rng, 0.15)) snprintf(c->networks, sizeof c->networks, "FEM-NET");
        break;
    case 4:   /* operates without an authorisation: no mention at all */
        snprintf(c->name, sizeof c->name, "Hôpital de proximité %s", dname);
        break;
    default:
        snprintf(c->name, sizeof c->name, "Clinique %s %d", dname, k);
        snprintf(c->authorisations, sizeof c->authorisations, "SURG-A1;SURG-A4;SURG-A6%s%s",
                 pn_rng_bernoulli(rng, 0.7) ? ";SYST-A" : "",
                 pn_rng_bernoulli(rng, 0.3) ? ";RT-A" : "");
        break;
    }
    geo->ncentres++;
}

/* One to eight centres per département (one per 400,000 inhabitants, plus one); the most
 * populous département of each region holds its university hospital and, in regions above
 * 2.5 million inhabitants, a cancer centre. */
static void build_centres(pn__demo_geo *geo, uint64_t seed)
{
    pn_rng rng;
    pn_rng_seed2(&rng, seed, STREAM_CENTRES);
    geo->ncentres = 0;
    for (int d = 0; d < geo->ndepts; d++) {
        pn__demo_dept *dept = &geo->depts[d];
        long region_pop = 0;
        int is_capital = 1;
        for (int e = 0; e < geo->ndepts; e++) {
            if (strcmp(geo->depts[e].region, dept->region) != 0) continue;
            region_pop += geo->depts[e].population;
            if (geo->depts[e].population > dept->population) is_capital = 0;
        }
        int n = 1 + (int)(dept->population / 400000);
        if (n > 8) n = 8;
        dept->first_centre = geo->ncentres;
        int k = 1;
        for (int j = 0; j < n && geo->ncentres < PN__DEMO_MAX_CENTRES; j++) {
            int kind;
            if (j == 0) kind = is_capital ? 0 : 2;
            else if (j == 1 && is_capital && region_pop > 2500000) kind = 1;
            else kind = (j % 2 == 0) ? 2 : 3;
            add_centre(geo, d, kind, k, &rng);
            if (kind >= 2) k++;
        }
        dept->ncentres = geo->ncentres - dept->first_centre;
    }
    /* Then one local hospital per département, from a stream of its own (the centres above
     * and the patients' draws among them stay those of earlier versions); it is no centre of
     * its département's range [first_centre, first_centre + ncentres). */
    pn_rng_seed2(&rng, seed, STREAM_LOCAL);
    for (int d = 0; d < geo->ndepts; d++) {
        geo->depts[d].local_centre = geo->ncentres < PN__DEMO_MAX_CENTRES ? geo->ncentres
                                                                          : geo->depts[d].first_centre;
        if (geo->ncentres < PN__DEMO_MAX_CENTRES) add_centre(geo, d, 4, 0, &rng);
    }
    for (int d = 0; d < geo->ndepts; d++) {
        geo->depts[d].reference_centre = geo->depts[d].first_centre;
        for (int c = 0; c < geo->ncentres; c++)
            if (geo->centres[c].kind == 0 &&
                strcmp(geo->depts[geo->centres[c].dept].region, geo->depts[d].region) == 0)
                geo->depts[d].reference_centre = c;
    }
}

int pn__demo_geo_load(pn__demo_geo *geo, const char *path, uint64_t seed, pn_diag *diag)
{
    pn_csv *csv = NULL;
    int rc = pn_csv_open(&csv, path, NULL, diag);
    if (rc != PN_OK) return rc;
    const char *names[4] = {"code", "name", "region", "population"};
    int col[4];
    for (int k = 0; k < 4; k++) {
        col[k] = pn_csv_find(csv, names[k]);
        if (col[k] < 0) {
            rc = pn_diag_set(diag, PN_ENOCOL, "%s: no column '%s'", path, names[k]);
            goto done;
        }
    }
    geo->ndepts = 0;
    while ((rc = pn_csv_next(csv, diag)) == 1) {
        if (geo->ndepts == PN__DEMO_MAX_DEPTS) {
            rc = pn_diag_set(diag, PN_ETOOBIG, "%s:%ld: more than %d départements", path,
                             pn_csv_line(csv), PN__DEMO_MAX_DEPTS);
            goto done;
        }
        pn__demo_dept *dept = &geo->depts[geo->ndepts];
        memset(dept, 0, sizeof *dept);
        if ((rc = copy_field(csv, col[0], dept->code, sizeof dept->code, "code", diag)) ||
            (rc = copy_field(csv, col[1], dept->name, sizeof dept->name, "name", diag)) ||
            (rc = copy_field(csv, col[2], dept->region, sizeof dept->region, "region", diag)))
            goto done;
        size_t len;
        const char *v = pn_csv_field(csv, (size_t)col[3], &len);
        int64_t pop;
        if (pn_parse_int64(v, len, &pop) != PN_OK || pop <= 0 || pop > 100000000) {
            rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column 'population': '%s' is not a "
                             "positive count", path, pn_csv_line(csv), v);
            goto done;
        }
        dept->population = (long)pop;
        geo->pop_cum[geo->ndepts] = (geo->ndepts ? geo->pop_cum[geo->ndepts - 1] : 0) + (double)pop;
        geo->ndepts++;
    }
    if (rc < 0) goto done;
    if (geo->ndepts == 0) {
        rc = pn_diag_set(diag, PN_EEMPTY, "%s: no département", path);
        goto done;
    }
    build_centres(geo, seed);
    rc = PN_OK;
done:
    pn_csv_close(csv);
    return rc;
}

int pn__demo_write_centres(const pn__demo_geo *geo, FILE *out, unsigned long long *rows)
{
    fputs("centre_id,name,departement,authorisations,networks\n", out);
    for (int c = 0; c < geo->ncentres; c++) {
        const pn__demo_centre *ce = &geo->centres[c];
        fprintf(out, "%s,%s,%s,%s,%s\n", ce->id, ce->name, geo->depts[ce->dept].code,
                ce->authorisations, ce->networks);
        (*rows)++;
    }
    return ferror(out) ? PN_EIO : PN_OK;
}

/* Equipment per million inhabitants around the national densities (MRI about 16, CT 19, PET
 * 2.4 per million), a log-normal spread between départements, and an MRI wait around the
 * national mean of about 34 days that grows where MRI is scarcer and overseas. */
int pn__demo_write_territories(const pn__demo_geo *geo, uint64_t seed, FILE *out,
                               unsigned long long *rows)
{
    pn_rng rng;
    pn_rng_seed2(&rng, seed, STREAM_TERRITORIES);
    fputs("departement,name,region,population,mri,ct,pet,mri_wait_days\n", out);
    for (int d = 0; d < geo->ndepts; d++) {
        const pn__demo_dept *dept = &geo->depts[d];
        double pop = (double)dept->population;
        long mri = lround(pop * 16e-6 * exp(0.25 * pn_rng_normal(&rng)));
        long ct = lround(pop * 19e-6 * exp(0.20 * pn_rng_normal(&rng)));
        long pet = lround(pop * 2.4e-6 * exp(0.30 * pn_rng_normal(&rng)));
        if (mri < 1) mri = 1;
        if (ct < 1) ct = 1;
        double wait = 34.0 * sqrt(pop * 16e-6 / (double)mri) * exp(0.2 * pn_rng_normal(&rng));
        if (strlen(dept->code) == 3) wait *= 1.3;
        fprintf(out, "%s,%s,%s,%ld,%ld,%ld,%ld,%ld\n", dept->code, dept->name, dept->region,
                dept->population, mri, ct, pet, lround(wait));
        (*rows)++;
    }
    return ferror(out) ? PN_EIO : PN_OK;
}
