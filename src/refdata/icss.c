/* icss.c - the International Cancer Survival Standards (Corazziari, Quinn, Capocaccia, Eur J
 * Cancer 2004;40:2307-2316): the weights of the five age groups in each of the three standards,
 * and the age group of an age. */
#include "pronostic/icss.h"

#include <stddef.h>

/* Weights of the age groups 15-44, 45-54, 55-64, 65-74, 75+ (Corazziari 2004, table 2):
 * ICSS 1 for cancers whose incidence rises with age, 2 for cancers with broadly constant
 * incidence by age, 3 for cancers of mainly young adults. */
static const double icss[3][5] = {
    {0.07, 0.12, 0.23, 0.29, 0.29},
    {0.28, 0.17, 0.21, 0.20, 0.14},
    {0.60, 0.10, 0.10, 0.10, 0.10},
};

const double *pn_icss_weights(int standard)
{
    if (standard < 1 || standard > 3) return NULL;
    return icss[standard - 1];
}

int pn_icss_group(double age_years)
{
    if (!(age_years >= 15)) return -1;
    if (age_years < 45) return 0;
    if (age_years < 55) return 1;
    if (age_years < 65) return 2;
    if (age_years < 75) return 3;
    return 4;
}
