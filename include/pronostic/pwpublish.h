/* pwpublish.h - disclosure control of the care-pathway indicators (docs/methods.md,
 * "Disclosure control"): the counts of the indicators' cube (pathway.h) protected once, count by
 * count, whatever the query, and a row's figures masked by the protected cells.
 *
 * Identical counts (one denominator shared by several indicators) are protected once. Counts
 * tied by an identity are protected together in one table with the identity as relations, so
 * that a masked cell cannot be recovered through another indicator: decedents = decedents
 * without palliative care + decedents with palliative care (the denominator of the end-of-life
 * indicators, no_palliative's numerator and palliative_last_3d's denominator).
 */
#ifndef PRONOSTIC_PWPUBLISH_H
#define PRONOSTIC_PWPUBLISH_H

#include "pronostic/disclosure.h"
#include "pronostic/error.h"
#include "pronostic/pathway.h"
#include "pronostic/writer.h"

#include <stddef.h>
#include <stdio.h>

typedef struct pn_pw_protected pn_pw_protected;

/* Protect the counts of `cube` (borrowed; it must outlive the result) that the indicators
 * `indicators` read (bits 1 << indicator; 0: every indicator) with threshold k, each table
 * (group of counts) on its own, side by side on `nthreads` threads: *out is the caller's
 * (pn_pw_protected_free); its masks are for rows of those indicators only. PN_OK, PN_ENOMEM,
 * or the protection's error. A table's statuses depend on its own counts and k only, never on
 * the query, on which other tables are protected, nor on the number of threads. */
int pn_pw_protect(const pn_pw_cube *cube, long long k, unsigned indicators, int nthreads,
                  pn_pw_protected **out, pn_diag *diag);
void pn_pw_protected_free(pn_pw_protected *p);

/* What a row may show: a masked figure is 1; `suppressed` is the estimate's status
 * (pn_disclosure_derived): PN_DCELL_PUBLISHED, PN_DCELL_PRIMARY (a count from 1 to k-1 among
 * the row's, or a group of fewer than k subjects) or PN_DCELL_SECONDARY. */
typedef struct pn_pw_mask {
    int numerator, denominator, estimate;
    int suppressed;
} pn_pw_mask;

/* The mask of `row` (of an indicator that was protected). A count summing several cells (a
 * range of years) is shown only when every cell is published. */
void pn_pw_mask_row(const pn_pw_protected *p, const pn_pw_row *row, pn_pw_mask *m);

/* The audits of the protected tables summed into *a (min_width the narrowest, passed when all
 * passed). */
void pn_pw_protected_audit(const pn_pw_protected *p, pn_daudit *a);

/* Write every masked cell of the protected tables as CSV to `path`:
 * count,cell,status,value,min,max (count: the count's name "INDICATOR.numerator|denominator",
 * the first indicator reading it; cell: the cube cell index). PN_OK or PN_EIO. The true values
 * are in the file: it is for the data controller, not for publication. */
int pn_pw_protected_write_audit(const pn_pw_protected *p, const char *path, pn_diag *diag);

/* Write `n` rows (pn_pw_rows) to `out` (borrowed) as csv or json, each masked by `prot` (NULL:
 * published whole, --no-suppress). The table is held until complete. PN_OK or PN_EIO. */
int pn_pw_write_rows(FILE *out, pn_format format, const pn_pw_row *rows, size_t n,
                     const pn_pw_protected *prot);

#endif
