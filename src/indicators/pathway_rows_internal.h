/* pathway_rows_internal.h - what the rows of a care-pathway query use from the other files of
 * indicators/ (private). */
#ifndef PRONOSTIC_PATHWAY_ROWS_INTERNAL_H
#define PRONOSTIC_PATHWAY_ROWS_INTERNAL_H

#include "pronostic/pathway.h"

#include <stddef.h>

/* The Aalen-Johansen cumulative incidence of treatment by `day` days from origin `origin`
 * (0 diagnosis, 1 first imaging) over the records set->rec[idx[0..n)] that have that origin,
 * death before treatment competing, with its 95% limits, into *est, *lower, *upper (NaN when no
 * record has the origin). PN_OK or PN_ENOMEM. */
int pn__pw_cuminc(const pn_pathway_set *set, const size_t *idx, size_t n, int origin, int day,
                  double *est, double *lower, double *upper, pn_diag *diag);

#endif
