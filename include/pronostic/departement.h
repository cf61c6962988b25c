/* departement.h - the French départements and their regions (INSEE codes; the regions of 2016):
 * reference data for the checks of import and the territorial selections.
 */
#ifndef PRONOSTIC_DEPARTEMENT_H
#define PRONOSTIC_DEPARTEMENT_H

#include <stddef.h>

/* The INSEE code of the region of a département code ("75" -> 11), or 0
 * when the code is not a département. */
int pn_region_of_departement(const char *code);
/* 1 when `code` (len bytes) is a département code: 01..95 (not 20), 2A, 2B, 971..976. */
int pn_departement_valid(const char *code, size_t len);
/* Name of a region ("Île-de-France"), or "" for an unknown code. */
const char *pn_region_name(int region);
/* The region named `name` (its name with or without accents, case-insensitive, or its INSEE
 * code) in *region. Returns PN_OK or PN_ENOTFOUND. */
int pn_region_parse(const char *name, int *region);

#endif
