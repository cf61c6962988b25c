/* period.h - periods of diagnosis: ranges of calendar years, the one definition every analysis
 * uses (the store variable `period`, the report's and trend's --periods and their default). */
#ifndef PRONOSTIC_PERIOD_H
#define PRONOSTIC_PERIOD_H

#include "pronostic/error.h"

#include <stddef.h>

/* Calendar years from..to, inclusive. */
typedef struct pn_period {
    int from, to;
} pn_period;

/* The period of `width` years that holds `year`, the periods starting at origin + k * width
 * (origin 0: 2015-2019, 2020-2024, ...). */
pn_period pn_period_of_year(int year, int origin, int width);

/* "FROM-TO" into buf (cap bytes; 16 are always enough). */
void pn_period_format(const pn_period *period, char *buf, size_t cap);

/* The default periods of diagnosis: 5-year periods from first_year (first_year..first_year+4,
 * ...) up to last_year, the last one cut at last_year. Writes at most `cap` periods into out[]
 * and returns how many there are (0 when last_year < first_year). */
size_t pn_periods_default(int first_year, int last_year, pn_period *out, size_t cap);

/* Parse a list "2010-2014,2015-2019" (increasing, disjoint year ranges of years 1800..2200):
 * writes at most `cap` periods into out[] and their count into *n (cap 0 counts them). PN_OK,
 * or PN_EUSAGE with a message "WHAT: ..." naming the bad item (`what`: how the caller names
 * the list, e.g. "option '--periods'"). */
int pn_periods_parse(const char *text, const char *what, pn_period *out, size_t cap, size_t *n,
                     pn_diag *diag);

#endif
