/* strset.h - a set of distinct strings numbered in order of first appearance (the levels of a
 * categorical column as its rows are read), with an open-addressing hash table (FNV-1a).
 *
 * The struct is a value the caller owns (zero-initialise it: `pn_strset set = {0};`); its items
 * and lengths may be read directly. Strings are copied in; their bytes are compared exactly.
 */
#ifndef PRONOSTIC_STRSET_H
#define PRONOSTIC_STRSET_H

#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct pn_strset {
    char **items;       /* n NUL-terminated copies, by code (owned by the set) */
    size_t *len;        /* n lengths */
    size_t n;
    size_t cap, lencap; /* internal: allocated items and lengths */
    int32_t *slots;     /* internal: code + 1 per slot, 0 = empty */
    size_t nslots;
} pn_strset;

/* Internal: pn_strset_code past its inline fast path. */
int64_t pn__strset_code(pn_strset *set, const char *s, size_t len);

/* The code of the `len` bytes of `s` (0, 1, ... in order of first appearance), added when new.
 * Returns the code, or PN_ENOMEM, or PN_ETOOBIG past INT32_MAX - 1 strings. Inline for the
 * common case of a few values (an event column, a few groups: a linear scan), since it is
 * called for every field of a categorical column. */
static inline int64_t pn_strset_code(pn_strset *set, const char *s, size_t len)
{
    if (set->n <= 8)
        for (size_t i = 0; i < set->n; i++)
            if (set->len[i] == len && memcmp(set->items[i], s, len) == 0) return (int64_t)i;
    return pn__strset_code(set, s, len);
}

/* Free the set's storage, and its strings unless the caller took them (free_items = 0: the
 * caller then owns each items[i] but not the array). Accepts a zeroed set. */
void pn_strset_free(pn_strset *set, int free_items);

#endif
