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
/* The départements as small indexes, for tables: 1..95 (the code's number), 2A = 96, 2B = 97,
 * 971..976 = 98..103 (PN_DEPARTEMENT_INDEXES is one past the last); 0 when `code` (len bytes) is
 * not a département. Index 20 is never used. */
#define PN_DEPARTEMENT_INDEXES 104
int pn_departement_index(const char *code, size_t len);
/* The code of a département index ("01", "2A", "971"), or NULL when `index` is none (static
 * storage). */
const char *pn_departement_code(int index);
/* The regions, for tables: PN_REGION_COUNT of them, the i-th's INSEE code by
 * pn_region_code_at(i) (0 <= i < PN_REGION_COUNT), in a fixed order. */
#define PN_REGION_COUNT 18
int pn_region_code_at(int i);
/* Name of a region ("Île-de-France"), or "" for an unknown code. */
const char *pn_region_name(int region);
/* The region named `name` (its name with or without accents, case-insensitive, or its INSEE
 * code) in *region. Returns PN_OK or PN_ENOTFOUND. */
int pn_region_parse(const char *name, int *region);

#endif
