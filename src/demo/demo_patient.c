/* demo_patient.c - one synthetic patient: site, sex, age, residence, diagnosis, survival, care
 * pathway, treatment lines and molecular alterations, written as rows of the bundle's files.
 * Patient i uses random stream i of the run's seed, so it depends only on (seed, i).
 * Figures and sources: docs/methods.md, "Synthetic data". */
#include "demo_internal.h"

#include "pronostic/carevocab.h"
#include "pronostic/date.h"
#include "pronostic/standardise.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#define FIRST_YEAR 2000
#define NYEARS 25

/* ---- Demography (Defossez et al., Francim/HCL/SpF/INCa 2019, incidence 2018, rounded) ---- */

/* New cases in 2018, metropolitan France: {men, women}. */
static const double incidence[PN_DEMO_NSITES][2] = {
    {7300, 6900}, {4000, 1400}, {8200, 2400}, {31200, 15100}, {3100, 2600}, {0, 5200},
    {1800, 1600},
};
/* Yearly change of the incidence count (rate and demography), {men, women}. */
static const double trend[PN_DEMO_NSITES][2] = {
    {0.025, 0.035}, {-0.015, 0.010}, {0.010, 0.020}, {0.000, 0.050}, {0.010, 0.010},
    {0.000, -0.010}, {0.015, 0.015},
};
static const double age_bounds[8] = {0, 15, 45, 55, 65, 75, 85, 100};
/* Share of cases by age band 0-14, 15-44, 45-54, 55-64, 65-74, 75-84, 85+; {men, women}. */
static const double age_dist[PN_DEMO_NSITES][2][7] = {
    {{0, .02, .07, .20, .32, .28, .11}, {0, .02, .05, .15, .27, .33, .18}},
    {{0, .01, .08, .25, .32, .24, .10}, {0, .02, .05, .14, .24, .32, .23}},
    {{0, .02, .07, .22, .33, .28, .08}, {0, .03, .05, .12, .25, .37, .18}},
    {{0, .02, .09, .26, .33, .22, .08}, {0, .03, .12, .27, .30, .19, .09}},
    {{.07, .16, .12, .19, .23, .17, .06}, {.07, .15, .11, .17, .22, .20, .08}},
    {{0, 0, 0, 0, 0, 0, 0}, {.005, .07, .12, .19, .25, .24, .125}},
    {{.03, .08, .07, .14, .25, .31, .12}, {.03, .09, .07, .13, .23, .31, .14}},
};

/* ---- Tumour coding: ICD-10, ICD-O-3 topography and morphology, relative frequency ---- */

typedef struct pn__demo_coding {
    const char *icd10, *topography, *morphology;
    double weight;
} coding;

static const coding codings[PN_DEMO_NSITES][6] = {
    {{"C25.0", "C25.0", "8500/3", .50}, {"C25.1", "C25.1", "8500/3", .15},
     {"C25.2", "C25.2", "8500/3", .12}, {"C25.9", "C25.9", "8140/3", .15},
     {"C25.4", "C25.4", "8246/3", .05}, {"C25.9", "C25.9", "8000/3", .03}},
    {{"C15.3", "C15.3", "8070/3", .10}, {"C15.4", "C15.4", "8070/3", .25},
     {"C15.5", "C15.5", "8140/3", .40}, {"C15.9", "C15.9", "8070/3", .15},
     {"C15.9", "C15.9", "8140/3", .10}, {NULL, NULL, NULL, 0}},
    {{"C22.0", "C22.0", "8170/3", .85}, {"C22.1", "C22.1", "8160/3", .15},
     {NULL, NULL, NULL, 0}},
    {{"C34.1", "C34.1", "8140/3", .30}, {"C34.3", "C34.3", "8070/3", .15},
     {"C34.1", "C34.1", "8070/3", .10}, {"C34.9", "C34.9", "8041/3", .13},
     {"C34.3", "C34.3", "8140/3", .20}, {"C34.0", "C34.0", "8046/3", .12}},
    {{"C71.1", "C71.1", "9440/3", .25}, {"C71.2", "C71.2", "9440/3", .20},
     {"C71.9", "C71.9", "9400/3", .20}, {"C71.9", "C71.9", "9450/3", .10},
     {"C71.6", "C71.6", "9470/3", .05}, {"C71.9", "C71.9", "9380/3", .20}},
    {{"C56", "C56.9", "8461/3", .70}, {"C56", "C56.9", "8380/3", .10},
     {"C56", "C56.9", "8310/3", .10}, {"C56", "C56.9", "8480/3", .05},
     {"C56", "C56.9", "8460/3", .05}, {NULL, NULL, NULL, 0}},
    {{"C92.0", "C42.1", "9861/3", .70}, {"C92.4", "C42.1", "9866/3", .08},
     {"C92.5", "C42.1", "9867/3", .05}, {"C93.0", "C42.1", "9891/3", .04},
     {"C92.8", "C42.1", "9895/3", .10}, {"C94.0", "C42.1", "9840/3", .03}},
};

static const char *const stage_system[PN_DEMO_NSITES] = {"TNM8", "TNM8", "TNM8", "TNM8", "none",
                                                        "FIGO", "none"};
/* Cumulative share of stages I, II, III, IV at diagnosis. */
static const double stage_cum[PN_DEMO_NSITES][4] = {
    {.10, .25, .45, 1}, {.15, .30, .60, 1}, {.25, .45, .65, 1}, {.20, .30, .50, 1},
    {1, 1, 1, 1}, {.20, .27, .75, 1}, {1, 1, 1, 1},
};

/* ---- Treatments: regimens per site and line (event type, ATC code of the main drug, first year
 * of routine use in France, upper age), most recent first; the last of each line is always
 * available. Years are approximate marketing authorisations or guideline changes. ---- */

typedef struct regimen {
    const char *name, *type, *atc;
    int line;       /* 1: first line, 2: second and later lines */
    int from;       /* first year of use */
    int max_age;
} regimen;

#define MAX_REGIMENS 8
static const regimen regimens[PN_DEMO_NSITES][MAX_REGIMENS] = {
    {{"FOLFIRINOX", "chemotherapy", "L01XA03", 1, 2011, 75},
     {"gemcitabine-nab-paclitaxel", "chemotherapy", "L01BC05", 1, 2014, 120},
     {"gemcitabine", "chemotherapy", "L01BC05", 1, 1997, 120},
     {"nal-irinotecan-5FU", "chemotherapy", "L01CE02", 2, 2017, 120},
     {"FOLFOX", "chemotherapy", "L01XA03", 2, 2000, 120}},
    {{"nivolumab-FOLFOX", "immunotherapy", "L01FF01", 1, 2022, 120},
     {"FOLFOX", "chemotherapy", "L01XA03", 1, 2000, 120},
     {"carboplatin-paclitaxel", "chemotherapy", "L01XA02", 1, 2000, 120},
     {"nivolumab", "immunotherapy", "L01FF01", 2, 2020, 120},
     {"FOLFIRI", "chemotherapy", "L01CE02", 2, 2000, 120},
     {"paclitaxel", "chemotherapy", "L01CD01", 2, 2000, 120}},
    {{"atezolizumab-bevacizumab", "immunotherapy", "L01FF05", 1, 2020, 120},
     {"lenvatinib", "targeted_therapy", "L01EX08", 1, 2018, 120},
     {"sorafenib", "targeted_therapy", "L01EX02", 1, 2007, 120},
     {"doxorubicin", "chemotherapy", "L01DB01", 1, 1990, 120},
     {"cabozantinib", "targeted_therapy", "L01EX07", 2, 2018, 120},
     {"regorafenib", "targeted_therapy", "L01EX05", 2, 2017, 120},
     {"sorafenib", "targeted_therapy", "L01EX02", 2, 2007, 120},
     {"doxorubicin", "chemotherapy", "L01DB01", 2, 1990, 120}},
    {{"carboplatin-pemetrexed-pembrolizumab", "immunotherapy", "L01FF02", 1, 2019, 120},
     {"cisplatin-pemetrexed", "chemotherapy", "L01BA04", 1, 2008, 75},
     {"carboplatin-paclitaxel", "chemotherapy", "L01XA02", 1, 2000, 120},
     {"nivolumab", "immunotherapy", "L01FF01", 2, 2015, 120},
     {"docetaxel", "chemotherapy", "L01CD02", 2, 2000, 120}},
    {{"temozolomide", "chemotherapy", "L01AX03", 1, 2005, 120},
     {"PCV", "chemotherapy", "L01AD02", 1, 1990, 120},
     {"bevacizumab", "targeted_therapy", "L01FG01", 2, 2009, 120},
     {"lomustine", "chemotherapy", "L01AD02", 2, 1990, 120}},
    {{"carboplatin-paclitaxel-bevacizumab", "targeted_therapy", "L01FG01", 1, 2012, 120},
     {"carboplatin-paclitaxel", "chemotherapy", "L01XA02", 1, 1996, 120},
     {"carboplatin-pegylated-liposomal-doxorubicin", "chemotherapy", "L01XA02", 2, 2010, 120},
     {"weekly-paclitaxel", "chemotherapy", "L01CD01", 2, 2000, 120},
     {"topotecan", "chemotherapy", "L01CE01", 2, 2000, 120}},
    {{"azacitidine-venetoclax", "targeted_therapy", "L01XX52", 1, 2021, 120},
     {"cytarabine-daunorubicin", "chemotherapy", "L01BC01", 1, 1990, 75},
     {"azacitidine", "chemotherapy", "L01BC07", 1, 2009, 120},
     {"low-dose-cytarabine", "chemotherapy", "L01BC01", 1, 1990, 120},
     {"gilteritinib", "targeted_therapy", "L01EX13", 2, 2020, 120},
     {"high-dose-cytarabine", "chemotherapy", "L01BC01", 2, 2000, 70},
     {"azacitidine", "chemotherapy", "L01BC07", 2, 2009, 120},
     {"low-dose-cytarabine", "chemotherapy", "L01BC01", 2, 1990, 120}},
};

/* The regimen of line `line` started in `year` at `age`: each available one in order of
 * preference is taken with probability 0.7, else the last available one. */
static const regimen *choose_regimen(int site, int line, int year, double age, pn_rng *rng)
{
    const regimen *last = NULL;
    int want = line == 1 ? 1 : 2;
    for (int k = 0; k < MAX_REGIMENS && regimens[site][k].name; k++) {
        const regimen *cand = &regimens[site][k];
        if (cand->line != want || cand->from > year || age > cand->max_age) continue;
        if (pn_rng_bernoulli(rng, 0.7)) return cand;
        last = cand;
    }
    return last;
}

/* ---- Molecular alterations: share of tested patients carrying each (see docs) ---- */

typedef struct pn__demo_alteration {
    const char *gene, *alteration, *partner;
    double freq;
    int exclusive;   /* 1: one of the site's mutually exclusive drivers */
    const char *regimen, *type, *atc;   /* matched targeted treatment, or NULL */
    int from;                           /* its first year of use */
} alteration_def;

#define MAX_ALT 12
static const double tested_share[PN_DEMO_NSITES] = {0.35, 0.40, 0.15, 0.75, 0.70, 0.80, 0.90};
static const alteration_def alterations[PN_DEMO_NSITES][MAX_ALT] = {
    {{"KRAS", "G12D", NULL, .38, 1, NULL, NULL, NULL, 0},
     {"KRAS", "G12V", NULL, .28, 1, NULL, NULL, NULL, 0},
     {"KRAS", "G12R", NULL, .14, 1, NULL, NULL, NULL, 0},
     {"KRAS", "Q61H", NULL, .05, 1, NULL, NULL, NULL, 0},
     {"KRAS", "G12C", NULL, .01, 1, NULL, NULL, NULL, 0},
     {"NTRK1", "fusion", "TPM3", .003, 1, "larotrectinib", "targeted_therapy", "L01EX12", 2019},
     {"BRCA2", "S1982Rfs*22", NULL, .04, 0, "olaparib", "targeted_therapy", "L01XK01", 2020},
     {"BRCA1", "Q1756Pfs*74", NULL, .015, 0, "olaparib", "targeted_therapy", "L01XK01", 2020},
     {"TP53", "R273H", NULL, .70, 0, NULL, NULL, NULL, 0},
     {"MLH1", "msi-high", NULL, .01, 0, NULL, NULL, NULL, 0}},
    {{"ERBB2", "amplification", NULL, .12, 0, "trastuzumab-FOLFOX", "targeted_therapy", "L01FD01", 2010},
     {"TP53", "R175H", NULL, .75, 0, NULL, NULL, NULL, 0},
     {"CDKN2A", "deletion", NULL, .20, 0, NULL, NULL, NULL, 0},
     {"PIK3CA", "E545K", NULL, .05, 0, NULL, NULL, NULL, 0},
     {"MLH1", "msi-high", NULL, .02, 0, NULL, NULL, NULL, 0}},
    {{"CTNNB1", "S45P", NULL, .10, 0, NULL, NULL, NULL, 0},
     {"CTNNB1", "T41A", NULL, .10, 0, NULL, NULL, NULL, 0},
     {"CTNNB1", "D32G", NULL, .08, 0, NULL, NULL, NULL, 0},
     {"TP53", "R249S", NULL, .08, 0, NULL, NULL, NULL, 0},
     {"TP53", "R248Q", NULL, .15, 0, NULL, NULL, NULL, 0},
     {"FGF19", "amplification", NULL, .05, 0, NULL, NULL, NULL, 0},
     {"MET", "amplification", NULL, .02, 0, NULL, NULL, NULL, 0}},
    {{"KRAS", "G12C", NULL, .12, 1, "sotorasib", "targeted_therapy", "L01XX73", 2022},
     {"KRAS", "G12V", NULL, .06, 1, NULL, NULL, NULL, 0},
     {"KRAS", "G12D", NULL, .04, 1, NULL, NULL, NULL, 0},
     {"EGFR", "L858R", NULL, .045, 1, "osimertinib", "targeted_therapy", "L01EB04", 2016},
     {"EGFR", "E746_A750del", NULL, .05, 1, "osimertinib", "targeted_therapy", "L01EB04", 2016},
     {"ALK", "fusion", "EML4", .045, 1, "alectinib", "targeted_therapy", "L01ED03", 2017},
     {"ROS1", "fusion", "CD74", .015, 1, "crizotinib", "targeted_therapy", "L01ED01", 2012},
     {"BRAF", "V600E", NULL, .01, 1, "dabrafenib-trametinib", "targeted_therapy", "L01EC02", 2017},
     {"MET", "amplification", NULL, .02, 1, "crizotinib", "targeted_therapy", "L01ED01", 2012},
     {"ERBB2", "A775_G776insYVMA", NULL, .01, 1, NULL, NULL, NULL, 0},
     {"PIK3CA", "E545K", NULL, .026, 0, NULL, NULL, NULL, 0},
     {"TP53", "R273H", NULL, .45, 0, NULL, NULL, NULL, 0}},
    {{"IDH1", "R132H", NULL, .18, 0, NULL, NULL, NULL, 0},
     {"IDH2", "R172K", NULL, .01, 0, NULL, NULL, NULL, 0},
     {"EGFR", "amplification", NULL, .30, 0, NULL, NULL, NULL, 0},
     {"CDKN2A", "deletion", NULL, .35, 0, NULL, NULL, NULL, 0},
     {"BRAF", "V600E", NULL, .02, 0, NULL, NULL, NULL, 0},
     {"H3-3A", "K28M", NULL, .02, 0, NULL, NULL, NULL, 0}},
    {{"TP53", "R248Q", NULL, .80, 0, NULL, NULL, NULL, 0},
     {"BRCA1", "Q1756Pfs*74", NULL, .09, 0, "olaparib", "targeted_therapy", "L01XK01", 2015},
     {"BRCA2", "S1982Rfs*22", NULL, .06, 0, "olaparib", "targeted_therapy", "L01XK01", 2015},
     {"KRAS", "G12V", NULL, .04, 0, NULL, NULL, NULL, 0},
     {"BRAF", "V600E", NULL, .01, 0, NULL, NULL, NULL, 0},
     {"PIK3CA", "H1047R", NULL, .04, 0, NULL, NULL, NULL, 0}},
    {{"NPM1", "W288Cfs*12", NULL, .30, 0, NULL, NULL, NULL, 0},
     {"FLT3", "E598_Y599dup", NULL, .25, 0, "midostaurin", "targeted_therapy", "L01EX10", 2017},
     {"FLT3", "D835Y", NULL, .07, 0, "midostaurin", "targeted_therapy", "L01EX10", 2017},
     {"IDH1", "R132C", NULL, .07, 0, "ivosidenib", "targeted_therapy", "L01XX62", 2023},
     {"IDH2", "R140Q", NULL, .10, 0, NULL, NULL, NULL, 0},
     {"DNMT3A", "R882H", NULL, .20, 0, NULL, NULL, NULL, 0},
     {"TP53", "R248Q", NULL, .08, 0, NULL, NULL, NULL, 0},
     {"CBFB", "fusion", "MYH11", .05, 1, NULL, NULL, NULL, 0},
     {"RUNX1", "fusion", "RUNX1T1", .05, 1, NULL, NULL, NULL, 0},
     {"KMT2A", "fusion", "MLLT3", .04, 1, NULL, NULL, NULL, 0}},
};

static const char *const other_causes[] = {"I21.9", "I50.9", "I64", "J44.9", "F03",
                                           "G30.9", "J18.9", "E14.9", "C18.9", "W19"};

/* ---- Ids ---- */

void pn__demo_patient_id(uint64_t seed, uint64_t i, char out[16])
{
    /* An affine bijection of [0, 9e9): distinct indices give distinct 10-digit numbers that
     * look like hospital IPP numbers (1000000000-9999999999). */
    const uint64_t m = 9000000000ULL, a = 2654435761ULL;
    uint64_t b = (seed * 0x9e3779b97f4a7c15ULL) % m;
    unsigned __int128 x = ((unsigned __int128)a * (i % m) + b) % m;
    snprintf(out, 16, "%010llu", (unsigned long long)(x + 1000000000ULL));
}

/* ---- Rows ---- */

typedef pn__demo_person patient;

/* An event at the treating centre without end or setting (the rows of earlier versions). */
static void event(patient *p, int32_t date, const char *type, const char *code,
                  const char *detail)
{
    pn__demo_event(p, NULL, date, type, code, detail, PN__DEMO_NO_END, -1);
}

static int32_t days_lognormal(pn_rng *rng, double median, double sigma)
{
    return (int32_t)lround(median * exp(sigma * pn_rng_normal(rng)));
}

static double years(int32_t days)
{
    return days / PN_DAYS_PER_YEAR;
}

/* Systemic treatment lines from `start` until death or the end of follow-up. */
static void treatment_lines(patient *p, pn_rng *rng, int32_t start)
{
    FILE *f = p->run->files.lines;
    int site = p->site, line = 1;
    int32_t s = start;
    while (s <= p->end && line <= 5) {
        int year, month, day;
        pn_civil_from_days(s, &year, &month, &day);
        const regimen *r = choose_regimen(site, line, year, p->age, rng);
        regimen targeted;
        if (p->target && p->target->regimen && p->target->from <= year && line <= 2 &&
            pn_rng_bernoulli(rng, 0.7)) {
            targeted = *r;
            targeted.name = p->target->regimen;
            targeted.type = p->target->type;
            targeted.atc = p->target->atc;
            r = &targeted;
        }
        /* Line durations: about 5 months at the median, shorter in later lines. */
        int32_t e = s + days_lognormal(rng, 150.0 / line, 0.7) + 14;
        const char *reason;
        int32_t next = 0;
        char sd[11], ed[11];
        pn_date_format(s, sd);
        event(p, s, r->type, r->atc, r->name);
        pn__demo_cycles(p, r->type, r->atc, r->name, s, e, e >= p->end);
        if (e >= p->end) {
            if (p->dead) {
                pn_date_format(p->end, ed);
                fprintf(f, "%s,%d,%s,%s,%s,death\n", p->id, line, sd, ed, r->name);
            } else {
                fprintf(f, "%s,%d,%s,,%s,\n", p->id, line, sd, r->name);
            }
            p->run->counts.lines++;
            return;
        }
        double u = pn_rng_uniform(rng);
        reason = u < 0.72 ? "progression" : u < 0.85 ? "toxicity" : u < 0.97 ? "completed" : "other";
        p->treat_end = e;
        pn_date_format(e, ed);
        fprintf(f, "%s,%d,%s,%s,%s,%s\n", p->id, line, sd, ed, r->name, reason);
        p->run->counts.lines++;
        if (strcmp(reason, "progression") == 0) {
            event(p, e, "progression", NULL, NULL);
            if (p->first_progression == 0) p->first_progression = e;
            event(p, e - 5 - (int32_t)pn_rng_below(rng, 10), "imaging", "CT", "evaluation");
            /* the tumour board that decides what comes next */
            if (pn_rng_bernoulli(&p->pw, 0.8))
                event(p, e + 3 + (int32_t)pn_rng_below(&p->pw, 7), "tumour_board", NULL, NULL);
        }
        next = e + 14 + (int32_t)pn_rng_below(rng, 21);
        /* Fewer patients go on at each line; the sickest stop after progression. */
        if (!pn_rng_bernoulli(rng, line == 1 ? 0.65 : 0.45)) return;
        if (line == 1 && p->target == NULL && strcmp(reason, "progression") == 0) {
            /* Trial screening after a first progression (AcSé-like baskets). */
            if (pn_rng_bernoulli(rng, 0.03)) event(p, e + 10, "trial_screening", NULL, NULL);
        }
        s = next;
        line++;
    }
}

/* AcSé-like screening and inclusion for actionable alterations after a first progression. */
static void trial_events(patient *p, pn_rng *rng, const alteration_def *alt, int32_t when)
{
    const char *trial = NULL, *arm = NULL;
    int32_t open = 0, close = 0;
    if (strcmp(alt->gene, "ALK") == 0 || strcmp(alt->gene, "ROS1") == 0 ||
        strcmp(alt->gene, "MET") == 0) {
        trial = "NCT02034981";
        arm = p->site == PN__DEMO_LUNG ? (alt->gene[0] == 'A' ? "lung-ALK" : alt->gene[0] == 'R'
                                                                          ? "lung-ROS1" : "lung-MET")
                                      : "other-MET";
        open = pn_days_from_civil(2013, 8, 1);
        close = pn_days_from_civil(2018, 3, 31);
    } else if (strcmp(alt->gene, "BRAF") == 0 && strcmp(alt->alteration, "V600E") == 0) {
        trial = "NCT02304809";
        arm = p->site == PN__DEMO_LUNG ? "lung-BRAF" : "other-BRAF";
        open = pn_days_from_civil(2014, 10, 1);
        close = pn_days_from_civil(2019, 6, 30);
    } else if (strcmp(alt->alteration, "msi-high") == 0) {
        trial = "NCT03012620";
        arm = "msi-high";
        open = pn_days_from_civil(2017, 6, 1);
        close = pn_days_from_civil(2022, 12, 31);
    }
    if (trial == NULL || when < open || when > close || p->age < 18) return;
    if (!pn_rng_bernoulli(rng, 0.35)) return;
    int32_t screen = when + 7 + (int32_t)pn_rng_below(rng, 21);
    event(p, screen, "trial_screening", trial, arm);
    if (pn_rng_bernoulli(rng, 0.6))
        event(p, screen + 14 + (int32_t)pn_rng_below(rng, 21), "trial_inclusion", trial, arm);
}

static void write_alterations(patient *p, pn_rng *rng, const alteration_def **found, int *nfound)
{
    *nfound = 0;
    p->target = NULL;
    if (!pn_rng_bernoulli(rng, tested_share[p->site])) return;
    const alteration_def *defs = alterations[p->site];
    /* One exclusive driver at most (drawn with the listed frequencies), then the others
     * independently. */
    double u = pn_rng_uniform(rng);
    for (int k = 0; k < MAX_ALT && defs[k].gene; k++) {
        int has;
        if (defs[k].exclusive) {
            has = u >= 0 && u < defs[k].freq;
            u -= defs[k].freq;
            if (has) u = -1;
        } else {
            has = pn_rng_bernoulli(rng, defs[k].freq);
        }
        if (!has) continue;
        found[(*nfound)++] = &defs[k];
        if (defs[k].regimen && p->target == NULL) p->target = &defs[k];
    }
    if (*nfound == 0) return;
    int32_t when = p->dx + 15 + (int32_t)pn_rng_below(rng, 30);
    if (when > p->end) when = p->end; /* not after death or the last news */
    char d[11];
    pn_date_format(when, d);
    int platform = 1 + (int)pn_rng_below(rng, 28);
    for (int k = 0; k < *nfound; k++) {
        const alteration_def *a = found[k];
        fprintf(p->run->files.alterations, "%s,%s,%s,%s,%s,PGM-%02d,%s\n", p->id, a->gene,
                a->alteration, p->tumour, a->partner ? a->partner : "", platform, d);
        p->run->counts.alterations++;
    }
}

void pn__demo_run_init(pn__demo_run *run)
{
    double cum = 0;
    for (int s = 0; s < PN_DEMO_NSITES; s++)
        for (int x = 0; x < 2; x++)
            for (int y = 0; y < NYEARS; y++) {
                cum += incidence[s][x] * pow(1 + trend[s][x], FIRST_YEAR + y - 2018);
                run->incidence_cum[(s * 2 + x) * NYEARS + y] = cum;
            }
    run->closing = run->opt->closing ? run->opt->closing : pn_days_from_civil(2024, 12, 31);
}

int pn__demo_patient(pn__demo_run *run, uint64_t i)
{
    const pn_demo_options *opt = run->opt;
    const pn__demo_geo *geo = run->geo;
    pn_rng rng;
    pn_rng_seed2(&rng, opt->seed, i);
    patient p;
    memset(&p, 0, sizeof p);
    p.run = run;
    pn_rng_seed2(&p.pw, opt->seed, i | PN__DEMO_PATHWAY_STREAM);
    p.death_place = -1;
    pn__demo_patient_id(opt->seed, i, p.id);
    snprintf(p.tumour, sizeof p.tumour, "%s-T1", p.id);

    /* Site, sex, year of diagnosis, day in the year, age, residence, centre. */
    size_t cell = pn_rng_pick_cumulative(&rng, run->incidence_cum, PN_DEMO_NSITES * 2 * NYEARS);
    p.site = (int)(cell / (2 * NYEARS));
    int x = (int)(cell / NYEARS % 2);
    p.sex = x + 1;
    int year = FIRST_YEAR + (int)(cell % NYEARS);
    p.dx = pn_days_from_civil(year, 1, 1) + (int32_t)pn_rng_below(&rng, 365 + pn_is_leap(year));
    if (p.dx > run->closing) p.dx = run->closing;
    p.dx_year = pn_decimal_year(p.dx);
    size_t band = pn_rng_pick(&rng, age_dist[p.site][x], 7);
    p.age = age_bounds[band] + pn_rng_uniform(&rng) * (age_bounds[band + 1] - age_bounds[band]);
    if (p.age > 99.9) p.age = 99.9;
    p.birth = p.dx - (int32_t)floor(p.age * PN_DAYS_PER_YEAR);
    p.age = years(p.dx - p.birth);
    int dept = (int)pn_rng_pick_cumulative(&rng, geo->pop_cum, (size_t)geo->ndepts);
    const pn__demo_dept *dp = &geo->depts[dept];
    int centre = pn_rng_bernoulli(&rng, 0.25) ? dp->reference_centre
                 : dp->first_centre + (int)pn_rng_below(&rng, (uint64_t)dp->ncentres);
    p.centre = geo->centres[centre].id;
    /* 8% are operated on in their département's local hospital, which holds no surgery
     * authorisation (an assumption, docs/methods.md) */
    p.surgery_centre = pn_rng_bernoulli(&p.pw, 0.08) ? geo->centres[dp->local_centre].id : p.centre;
    size_t nc = 0;
    double cw[6];
    for (; nc < 6 && codings[p.site][nc].icd10; nc++) cw[nc] = codings[p.site][nc].weight;
    p.code = &codings[p.site][pn_rng_pick(&rng, cw, nc)];

    /* Survival: excess and background deaths, loss to follow-up, administrative end. */
    int group = pn_icss_group(p.age);
    double horizon = (double)(run->closing - p.dx);   /* days */
    double te = pn_demo_draw_excess(&run->model, p.site + 1, group, p.dx_year, &rng);
    double te_days = te * PN_DAYS_PER_YEAR;
    double tb_days = pn_demo_draw_background(opt->ratetable, (double)(p.dx - p.birth),
                                             p.sex,
                                             (double)p.dx, horizon + 1, &rng);
    double censor = horizon;
    if (pn_rng_bernoulli(&rng, 0.03)) censor = floor(horizon * pn_rng_uniform(&rng));
    double death = te_days < tb_days ? te_days : tb_days;
    if (death <= censor) {
        /* Deaths on the day of diagnosis count as one day (time 0 is not a survival time). */
        p.dead = 1;
        p.cancer_death = te_days <= tb_days;
        p.end = p.dx + (death < 1 ? 1 : (int32_t)floor(death));
    } else {
        p.end = p.dx + (int32_t)censor;
    }
    if (p.end > run->closing) p.end = run->closing;

    /* Stage: a noisy function of the excess-death quantile, so that it is prognostic while the
     * marginal stage shares and the calibrated survival stay as specified. */
    if (strcmp(stage_system[p.site], "none") != 0) {
        double v = exp(-pn_demo_excess_cumhaz(&run->model, p.site + 1, group, p.dx_year, te));
        if (v <= 0) v = 1e-12;
        if (v >= 1) v = 1 - 1e-12;
        double z = (gsl_cdf_ugaussian_Pinv(v) + 0.7 * pn_rng_normal(&rng)) / sqrt(1.49);
        double q = gsl_cdf_ugaussian_P(z);
        p.stage = 1;
        while (p.stage < 4 && q >= stage_cum[p.site][p.stage - 1]) p.stage++;
    }

    /* patients.csv and tumours.csv */
    char bd[11], vd[11], dd[11];
    pn_date_format(p.birth, bd);
    pn_date_format(p.end, vd);
    pn_date_format(p.dx, dd);
    const char *cause = !p.dead ? "" : p.cancer_death ? p.code->icd10
                                     : other_causes[pn_rng_below(&rng, 10)];
    if (p.dead) pn__demo_death_place(&p);
    fprintf(run->files.patients, "%s,%s,%s,%s,%s,%s,%s,%s\n", p.id, p.sex == 1 ? "M" : "F", bd,
            dp->code, p.dead ? "dead" : "alive", vd, cause,
            p.dead ? pn_setting_names[p.death_place] : "");
    run->counts.patients++;
    static const char *const roman[5] = {"", "I", "II", "III", "IV"};
    fprintf(run->files.tumours, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", p.tumour, p.id, dd, p.code->icd10,
            p.code->topography, p.code->morphology, stage_system[p.site], roman[p.stage],
            p.centre);
    run->counts.tumours++;

    /* Molecular alterations. */
    const alteration_def *found[MAX_ALT];
    int nfound;
    write_alterations(&p, &rng, found, &nfound);

    /* Diagnosis: imaging, biopsy, pathology, tumour board; for some, an emergency visit in the
     * days before the first imaging found the cancer. */
    int32_t img = p.dx - days_lognormal(&rng, 18, 0.6);
    static const double ed_found[PN_DEMO_NSITES] = {0.30, 0.15, 0.20, 0.25, 0.35, 0.20, 0.40};
    if (pn_rng_bernoulli(&p.pw, ed_found[p.site]))
        pn__demo_emergency(&p, &p.pw, img - (int32_t)pn_rng_below(&p.pw, 3), 0.6, 0.05);
    event(&p, img, "imaging", p.site == PN__DEMO_CNS ? "MRI" : p.site == PN__DEMO_AML ? "US" : "CT",
          "diagnostic");
    if (p.site != PN__DEMO_AML && pn_rng_bernoulli(&rng, 0.35))
        event(&p, img + 7, "imaging", "PET", "staging");
    event(&p, p.dx - (int32_t)pn_rng_below(&rng, 8), "biopsy", NULL,
          p.site == PN__DEMO_AML ? "bone marrow aspirate" : NULL);
    event(&p, p.dx, "pathology", p.code->morphology, NULL);
    int32_t board = p.dx + days_lognormal(&rng, 12, 0.5);
    if (pn_rng_bernoulli(&rng, 0.9)) event(&p, board, "tumour_board", NULL, NULL);

    /* First treatment: surgery for early stages, else systemic lines; AML: induction. */
    int32_t t1 = board + days_lognormal(&rng, p.site == PN__DEMO_AML ? 3 : 21, 0.5);
    int resectable = (p.stage >= 1 && p.stage <= 2) || (p.stage == 3 && p.site == PN__DEMO_OVARY) ||
                     (p.site == PN__DEMO_CNS && pn_rng_bernoulli(&rng, 0.7));
    if (resectable) {
        /* lengths of stay of the resection, by site (days, median) */
        static const double los[PN_DEMO_NSITES] = {14, 14, 10, 7, 8, 7, 7};
        int32_t out = pn__demo_stay(&p, p.surgery_centre, t1, los[p.site], "surgery");
        pn__demo_event(&p, p.surgery_centre, t1, "surgery", NULL,
                       p.stage == 0 ? "resection" : "curative resection", PN__DEMO_NO_END, -1);
        if (p.site == PN__DEMO_CNS) pn__demo_radiotherapy(&p, t1 + 30, 42, "Stupp");
        /* Adjuvant treatment (ATC of the main drug): mFOLFIRINOX, FLOT, none for liver,
         * cisplatin-vinorelbine, temozolomide (Stupp), carboplatin-paclitaxel. */
        static const char *const adjuvant[PN_DEMO_NSITES] = {"L01XA03", "L01XA03", NULL,
                                                             "L01XA01", "L01AX03", "L01XA02", NULL};
        int32_t follow = out + 60;
        if (adjuvant[p.site] && (p.site == PN__DEMO_CNS || pn_rng_bernoulli(&rng, 0.6))) {
            /* six months of adjuvant cycles (CNS: Stupp's temozolomide) */
            event(&p, t1 + 42, "chemotherapy", adjuvant[p.site], "adjuvant");
            pn__demo_cycles(&p, "chemotherapy", adjuvant[p.site], "adjuvant", t1 + 42,
                            t1 + 42 + 168, t1 + 42 + 168 >= p.end);
            follow = t1 + 42 + 168 + 60;
        }
        int32_t relapse = 0;
        if (p.dead && p.cancer_death) {
            /* Relapse before a cancer death: systemic lines from then on. */
            relapse = t1 + (int32_t)((p.end - t1) * (0.3 + 0.4 * pn_rng_uniform(&rng)));
            if (relapse > t1 + 60) {
                event(&p, relapse, "progression", NULL, "relapse");
                p.first_progression = relapse;
                treatment_lines(&p, &rng, relapse + 21);
            } else {
                relapse = 0;
            }
        }
        pn__demo_follow_up(&p, follow, relapse ? relapse - 14 : p.end);
    } else {
        if ((p.site == PN__DEMO_OESOPHAGUS || p.site == PN__DEMO_LUNG) && p.stage == 3 &&
            pn_rng_bernoulli(&rng, 0.5))
            pn__demo_radiotherapy(&p, t1, 40, "chemoradiation");
        if (p.site == PN__DEMO_AML) pn__demo_stay(&p, NULL, t1, 28, "induction");
        if (pn_rng_bernoulli(&rng, p.age < 80 ? 0.85 : 0.5)) treatment_lines(&p, &rng, t1);
        else pn__demo_follow_up(&p, t1 + 91, p.end);   /* best supportive care */
        /* palliative radiotherapy (bone or brain metastases) for 25% of stage IV */
        if (p.stage == 4 && pn_rng_bernoulli(&p.pw, 0.25))
            pn__demo_radiotherapy(&p, t1 + 7 + (int32_t)pn_rng_below(&p.pw, 180),
                                  1 + (int)pn_rng_below(&p.pw, 14), "palliative");
    }
    /* After the last line that ended: follow-up imaging. */
    if (p.treat_end != 0) pn__demo_follow_up(&p, p.treat_end + 91, p.end);
    /* After a first progression: trial screening for actionable alterations. */
    for (int k = 0; k < nfound && p.first_progression != 0; k++)
        trial_events(&p, &rng, found[k], p.first_progression);

    /* Acute care over follow-up, more of it near death. */
    double fu = years(p.end - p.dx);
    unsigned ned = pn_rng_poisson(&rng, 0.6 * (fu < 10 ? fu : 10));
    for (unsigned k = 0; k < ned; k++)
        pn__demo_emergency(&p, &rng, p.dx + (int32_t)pn_rng_below(&rng, (uint64_t)(p.end - p.dx) + 1), 0.5,
                  0);
    if (pn_rng_bernoulli(&rng, 0.3))
        event(&p, t1 + (int32_t)pn_rng_below(&rng, 60), "supportive_care", NULL, NULL);
    if (pn_rng_bernoulli(&rng, 0.15))
        event(&p, t1 + (int32_t)pn_rng_below(&rng, 120), "pain_consultation", NULL, NULL);
    if (p.dead) {
        if (pn_rng_bernoulli(&rng, 0.45)) {
            int32_t d = p.end - (int32_t)pn_rng_below(&rng, 30);
            if (d < p.dx) d = p.dx;
            pn__demo_emergency(&p, &rng, d, 0.7, 0.3);
        }
        /* Palliative care, the other acute care of the last month, the place of death. */
        pn__demo_end_of_life(&p, cause);
    } else if (p.stage == 4 && pn_rng_bernoulli(&rng, 0.15)) {
        int32_t d = p.dx + 30 + (int32_t)pn_rng_below(&rng, 90);
        pn__demo_event(&p, NULL, d, "palliative_care", NULL, "early",
                       d + days_lognormal(&p.pw, 10, 0.8),
                       pn_rng_bernoulli(&p.pw, 0.5) ? PN_SETTING_HOME : PN_SETTING_ACUTE_HOSPITAL);
    }
    return PN_OK;
}
