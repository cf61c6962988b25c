/* survinput_rows.c - the rules of one survival row (pn_survrow_*): R's Surv() checks and the
 * numbers of a row, with messages naming file, line and column. */
#include "survinput_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/num.h"
#include "pronostic/strset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pn_survrow_check(const pn_survspec *spec, const char *source, long line, double t,
                     double entry, double w, int keep, pn_diag *diag)
{
    if (!isnan(t) && t < 0)
        return pn_diag_set(diag, PN_ERANGE, "%s:%ld: column '%s': negative time %g", source, line,
                           spec->time, t);
    if (!isnan(w) && w < 0)
        return pn_diag_set(diag, PN_ERANGE, "%s:%ld: column '%s': negative weight %g", source,
                           line, spec->weights, w);
    if (keep && spec->entry != NULL && !(entry < t))
        return pn_diag_set(diag, PN_ERANGE,
                           "%s:%ld: column '%s': entry time %g is not before the exit time %g",
                           source, line, spec->entry, entry, t);
    return PN_OK;
}

int pn_survrow_number(pn_csv *csv, int idx, const char *name, double *v, pn_diag *diag)
{
    *v = NAN;
    if (idx < 0 || pn_csv_missing(csv, (size_t)idx)) return PN_OK;
    size_t len;
    const char *text = pn_csv_field(csv, (size_t)idx, &len);
    if (pn_parse_double(text, len, v) != PN_OK)
        return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': '%.40s' is not a number",
                           pn_csv_name(csv), pn_csv_line(csv), name, text);
    return PN_OK;
}
