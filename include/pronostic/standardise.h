/* standardise.h - age standardisation of net survival with the International Cancer Survival
 * Standards (Corazziari, Quinn, Capocaccia 2004; the weights and age groups: icss.h): direct
 * standardisation of group estimates, Brenner's individual weights, and net survival
 * (standardised or not) read at chosen times for the report and trend engines
 * (docs/methods.md, "Net survival", Age standardisation).
 *
 * stats/ kernels: no I/O, no global state, no threads; results go to caller-owned buffers.
 * Ages are in days in pn_netsurv_input (netsurv.h), in years for pn_icss_group.
 */
#ifndef PRONOSTIC_STANDARDISE_H
#define PRONOSTIC_STANDARDISE_H

#include "pronostic/error.h"
#include "pronostic/icss.h"
#include "pronostic/netsurv.h"
#include "pronostic/ratetable.h"

#include <stddef.h>


/* The number of ICSS age groups (standard 1..3) with a positive weight but no subject in the
 * input (`agegroup` as for pn_netsurv_point): the direct standardised estimate is then
 * undefined. A negative PN_E* code for an unknown standard. */
int pn_icss_empty_groups(const pn_netsurv_input *in, int standard, const int *agegroup);

/* Brenner's individual weights (Brenner, Arndt, Gefeller, Hakulinen 2004): subject i of ICSS
 * age group g gets w_g / (n_g / n), n_g the subjects of group g among the n of the input aged
 * 15 or more (`agegroup` as for pn_netsurv_point, NULL: from in->age). `weight` is a caller
 * buffer indexed like the input arrays; rows under 15 get 0. Returns the number of age groups
 * with a positive standard weight but no subject (the weights then do not reproduce the
 * standard), or a negative PN_E* code. */
int pn_brenner_weights(const pn_netsurv_input *in, int standard, const int *agegroup,
                       double *weight);

/* Direct standardisation: the weighted sum of `k` group estimates s[g] with standard errors of
 * the survival se_s[g] (weights w[g]); *std and *std_se receive the standardised estimate and
 * its standard error (variance the weighted sum of variances). A group with a NaN estimate
 * makes the result NaN. */
void pn_standardise(const double *w, const double *s, const double *se_s, size_t k, double *std,
                    double *std_se);

/* Net survival read at the times at[m] (days), for the report and trend engines: Pohar-Perme
 * when `standard` is 0, else the ICSS `standard` (1..3) age-standardised Pohar-Perme over the
 * five age groups (rows under 15 are left out). Each curve is estimated by `drv` (netsurv.h;
 * NULL: pn_netsurv_estimate in the caller's thread). `agegroup` gives each row's group 0..4
 * (-1: under 15), indexed like the input arrays; NULL derives it from in->age. Outputs (caller
 * buffers of length m): est, se (standard error of the survival, not of the cumulative
 * hazard), and when not NULL n_risk, n_event, n_censor summed over the groups. Past an age
 * group's last follow-up time its estimate keeps its last value when everyone at risk then died
 * (the curve is then ~0, as relsurv's summary(extend = TRUE) gives it); otherwise (the last
 * subject censored) est[j] is NaN. `flags` (may be NULL) receives PN_RATE_* flags. */
int pn_netsurv_point(const pn_netsurv_input *in, const pn_ratetable *rt,
                     const pn_netsurv_driver *drv, int scheme, int standard, const int *agegroup,
                     const double *at, size_t m, double *est, double *se, double *n_risk,
                     double *n_event, double *n_censor, unsigned *flags);

#endif
