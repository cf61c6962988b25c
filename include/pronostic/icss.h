/* icss.h - the International Cancer Survival Standards (Corazziari, Quinn, Capocaccia 2004):
 * reference data for age-standardised survival, used by the selections (the agegroup variable)
 * and the standardisation kernels (standardise.h). */
#ifndef PRONOSTIC_ICSS_H
#define PRONOSTIC_ICSS_H

/* The weights of the age groups 15-44, 45-54, 55-64, 65-74, 75+ in standard 1, 2 or 3: a
 * static array of 5 weights summing to 1, or NULL for an unknown standard. */
const double *pn_icss_weights(int standard);

/* The ICSS age group 0..4 of an age in years, or -1 below 15. */
int pn_icss_group(double age_years);

#endif
