/* demo_model.c - the synthetic France's survival model: sites, ICSS weights, the piecewise-
 * constant excess hazard, its calibration to published net survival, and death-time draws.
 * Pure computation: no I/O, no global state. Figures and references: docs/methods.md,
 * "Synthetic data". */
#include "pronostic/demo.h"

#include "pronostic/date.h"
#include "pronostic/standardise.h"
#include "pronostic/site.h"

#include <math.h>

/* ICSS-standardised 5-year net survival, diagnoses 2010-2015, France (Santé publique France,
 * INCa, Francim, Hospices civils de Lyon, 2021). */
static const double target_net5[PN_DEMO_NSITES] = {0.11, 0.17, 0.18, 0.20, 0.26, 0.43, 0.27};

/* Interval bounds (years since diagnosis); the last interval is open. */
static const double bounds[PN_DEMO_NINTERVALS + 1] = {0, 0.5, 1, 2, 3, 5, 10, INFINITY};

/* Relative excess hazard by interval: high early, falling to a near cure after 5-10 years
 * (the shapes of the Francim net survival curves: steep first year, plateau after 5 years). */
static const double shape[PN_DEMO_NSITES][PN_DEMO_NINTERVALS] = {
    /* pancreas   */ {1.00, 0.85, 0.55, 0.35, 0.20, 0.06, 0.02},
    /* oesophagus */ {1.00, 0.90, 0.65, 0.40, 0.22, 0.06, 0.02},
    /* liver      */ {1.00, 0.80, 0.60, 0.45, 0.30, 0.10, 0.03},
    /* lung       */ {1.00, 0.95, 0.65, 0.40, 0.25, 0.08, 0.03},
    /* cns        */ {0.80, 1.00, 0.80, 0.45, 0.22, 0.07, 0.03},
    /* ovary      */ {0.55, 0.65, 0.80, 0.75, 0.55, 0.18, 0.05},
    /* aml        */ {1.00, 0.75, 0.50, 0.25, 0.10, 0.02, 0.01},
};

/* Relative excess hazard by ICSS age group (65-74 = 1): steep for AML, CNS and ovary, where
 * the young do much better, shallow for pancreas and oesophagus. */
static const double age_factor[PN_DEMO_NSITES][PN_DEMO_NGROUPS] = {
    /* pancreas   */ {0.70, 0.80, 0.90, 1.00, 1.35},
    /* oesophagus */ {0.75, 0.80, 0.90, 1.00, 1.35},
    /* liver      */ {0.65, 0.75, 0.90, 1.00, 1.30},
    /* lung       */ {0.55, 0.70, 0.85, 1.00, 1.40},
    /* cns        */ {0.18, 0.45, 0.75, 1.00, 1.45},
    /* ovary      */ {0.30, 0.45, 0.70, 1.00, 1.70},
    /* aml        */ {0.22, 0.35, 0.60, 1.00, 1.90},
};

/* Yearly relative decrease of the excess hazard with the year of diagnosis (improvement over
 * time); the model is centred on 2012.5, the middle of the calibration period. */
static const double period_slope[PN_DEMO_NSITES] = {0.020, 0.015, 0.025, 0.030, 0.010, 0.012,
                                                     0.020};
#define CENTRE_YEAR 2012.5

double pn_demo_target_net5(int site)
{
    return site >= PN_SITE_PANCREAS && site <= PN_SITE_AML ? target_net5[site - 1] : NAN;
}

/* The multiplier of the baseline shape for one patient profile, per year. */
static double rate_multiplier(const pn_demo_model *model, int site, int group, double dx_year)
{
    int k = site - 1;
    if (group < 0) group = 0;
    return model->scale[k] * age_factor[k][group] * exp(-period_slope[k] * (dx_year - CENTRE_YEAR));
}

static double shape_cumhaz(int site, double t)
{
    double h = 0;
    for (int k = 0; k < PN_DEMO_NINTERVALS && t > bounds[k]; k++) {
        double end = t < bounds[k + 1] ? t : bounds[k + 1];
        h += shape[site - 1][k] * (end - bounds[k]);
    }
    return h;
}

double pn_demo_excess_cumhaz(const pn_demo_model *model, int site, int group, double dx_year,
                             double t)
{
    return rate_multiplier(model, site, group, dx_year) * shape_cumhaz(site, t);
}

double pn_demo_std_net(const pn_demo_model *model, int site, double t, double y0, double y1)
{
    enum { NODES = 60 };
    const double *w = pn_icss_weights(pn_site_icss(site));
    double sum = 0;
    for (int g = 0; g < PN_DEMO_NGROUPS; g++) {
        double mean = 0;
        for (int i = 0; i < NODES; i++) {   /* midpoint rule over the years of diagnosis */
            double y = y0 + (y1 - y0) * (i + 0.5) / NODES;
            mean += exp(-pn_demo_excess_cumhaz(model, site, g, y, t));
        }
        sum += w[g] * mean / NODES;
    }
    return sum;
}

int pn_demo_model_calibrate(pn_demo_model *model)
{
    for (int s = 0; s < PN_DEMO_NSITES; s++) {
        double lo = 1e-6, hi = 100;
        for (int it = 0; it < 200 && hi - lo > 1e-13 * hi; it++) {
            model->scale[s] = 0.5 * (lo + hi);
            double v = pn_demo_std_net(model, s + 1, 5.0, 2010.0, 2016.0);
            if (v > target_net5[s]) lo = model->scale[s];
            else hi = model->scale[s];
        }
        model->scale[s] = 0.5 * (lo + hi);
        if (fabs(pn_demo_std_net(model, s + 1, 5.0, 2010.0, 2016.0) - target_net5[s]) > 1e-9)
            return PN_ECONVERGE;
    }
    return PN_OK;
}

double pn_demo_draw_excess(const pn_demo_model *model, int site, int group, double dx_year,
                           pn_rng *rng)
{
    double e = pn_rng_exp(rng), m = rate_multiplier(model, site, group, dx_year);
    for (int k = 0; k < PN_DEMO_NINTERVALS; k++) {
        double rate = m * shape[site - 1][k];
        double width = bounds[k + 1] - bounds[k];
        if (rate > 0 && e <= rate * width) return bounds[k] + e / rate;
        if (rate > 0) e -= rate * width;
    }
    return INFINITY;
}

double pn_demo_draw_background(const pn_ratetable *rt, double age_days, int sex, double dx_date,
                               double horizon, pn_rng *rng)
{
    double e = pn_rng_exp(rng);
    pn_rate_cursor c;
    pn_rate_cursor_init(&c, rt, sex, age_days, dx_date);
    for (;;) {   /* the cursor's cell is [t0, t1], cumulative hazard cum0 at t0 */
        double end = c.t1 < horizon ? c.t1 : horizon;
        double cum_end = c.cum0 + c.lambda * (end - c.t0);
        if (e <= cum_end && c.lambda > 0) return c.t0 + (e - c.cum0) / c.lambda;
        if (end >= horizon) return INFINITY;
        pn_rate_cursor_cumhaz(&c, nextafter(c.t1, INFINITY));   /* enter the next cell */
    }
}
