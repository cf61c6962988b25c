/* sex.h - the one coding of sex across the store, the selections, the life tables and the
 * kernels: 1 male, 2 female (the codes of the bundle's M/F, of R's usual 1/2, and of
 * docs/interfaces.md's `--sex` values). */
#ifndef PRONOSTIC_SEX_H
#define PRONOSTIC_SEX_H

#include <stddef.h>

enum pn_sex { PN_SEX_MALE = 1, PN_SEX_FEMALE = 2 };

/* Parse a sex code of `len` bytes: male|female in any case, M|F|m|f, 1|2 (1 = male) into *sex.
 * PN_OK or PN_EPARSE. */
int pn_sex_parse(const char *s, size_t len, int *sex);

/* "male" or "female" (anything but PN_SEX_FEMALE is "male"). */
const char *pn_sex_name(int sex);

#endif
