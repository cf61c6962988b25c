/* survinput_internal.h - what the files of the survival rows share (survinput_*.c): the distinct
 * texts of a column, the tuples of codes, the event column's state and the column helpers.
 * Private to src/cohort/. */
#ifndef PN_SURVINPUT_INTERNAL_H
#define PN_SURVINPUT_INTERNAL_H

#include "pronostic/alloc.h"
#include "pronostic/frame.h"
#include "pronostic/strset.h"
#include "pronostic/survinput.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One entry of the cache of texts: a text of `len` bytes, its key (a, b) (the text itself up
 * to 16 bytes; its first and last 8 bytes past that), and its code + 1 (0: an empty entry). */
typedef struct pn__textslot {
    uint64_t a, b;
    uint32_t len;
    int32_t code1;
} pn__textslot;

enum { PN__TEXTCACHE = 256 }; /* entries of the cache, a power of two */

/* Distinct texts of one column with codes in order of first appearance, and the line where
 * each first appears; in front of the set, a direct-mapped cache of the texts seen (the values
 * of a by or event column: one key comparison per row instead of a hash and memcmp, and one
 * memcmp for a text longer than 16 bytes). */
typedef struct interned {
    pn_strset set;
    long *first_line;
    size_t lcap;
    pn__textslot cache[PN__TEXTCACHE];
} interned;

/* The key of a text: up to 16 bytes every byte in (a, b), so that two texts of the same length
 * have the same key only when they are equal (1 is returned); past 16 bytes, its first and last
 * 8 bytes (0 is returned: equal keys must be confirmed). */
static inline int pn__textkey(const char *s, size_t len, uint64_t *a, uint64_t *b)
{
    if (len >= 8) { /* two loads that overlap when len < 16 */
        memcpy(a, s, 8);
        memcpy(b, s + len - 8, 8);
    } else if (len >= 4) {
        uint32_t x, y;
        memcpy(&x, s, 4);
        memcpy(&y, s + len - 4, 4);
        *a = x | (uint64_t)y << 32;
        *b = 0;
    } else {
        const unsigned char *u = (const unsigned char *)s;
        *a = len ? u[0] | (uint64_t)u[len / 2] << 8 | (uint64_t)u[len - 1] << 16 : 0;
        *b = 0;
    }
    return len <= 16;
}

/* The cache entry for the text of `len` bytes at `s`, with its key in *a, *b. */
static inline pn__textslot *pn__textslot_of(interned *in, const char *s, size_t len, uint64_t *a,
                                            uint64_t *b)
{
    (void)pn__textkey(s, len, a, b);
    uint64_t h = (*a * UINT64_C(0x9E3779B97F4A7C15)) ^ (*b * UINT64_C(0xC2B2AE3D27D4EB4F)) ^ len;
    return &in->cache[(h ^ (h >> 29)) & (PN__TEXTCACHE - 1)];
}

/* 1 when cache entry `slot` holds the text of `len` bytes at `s` of key (a, b). */
static inline int pn__textslot_holds(const interned *in, const pn__textslot *slot, const char *s,
                                     size_t len, uint64_t a, uint64_t b)
{
    return slot->code1 > 0 && slot->len == len && slot->a == a && slot->b == b &&
           (len <= 16 || memcmp(in->set.items[slot->code1 - 1], s, len) == 0);
}

/* The code of a text already seen when the cache holds it, else -1 (the text may still be in
 * the set). */
static inline int64_t pn__intern_cached(interned *in, const char *s, size_t len)
{
    uint64_t a = 0, b = 0;
    const pn__textslot *slot = pn__textslot_of(in, s, len, &a, &b);
    return pn__textslot_holds(in, slot, s, len, a, b) ? slot->code1 - 1 : -1;
}

/* pn__intern past the cache: the set's code of the text, added when new; the cache entry
 * `slot` (of key a, b) then holds it. */
int64_t pn__intern_set(interned *in, const char *s, size_t len, long line, pn__textslot *slot,
                       uint64_t a, uint64_t b);

/* Code of `len` bytes of `s`, added (first seen on `line`) when new; negative PN_E* on failure.
 * A text found in the cache is not new. */
static inline int64_t pn__intern(interned *in, const char *s, size_t len, long line)
{
    uint64_t a = 0, b = 0;
    pn__textslot *slot = pn__textslot_of(in, s, len, &a, &b);
    if (pn__textslot_holds(in, slot, s, len, a, b)) return slot->code1 - 1;
    return pn__intern_set(in, s, len, line, slot, a, b);
}

/* Distinct tuples of by-codes, numbered in order of first appearance. */
typedef struct tuples {
    int32_t *codes;     /* n * width */
    size_t n, cap, width;
    int32_t *slots;     /* tuple + 1, 0 = empty */
    size_t nslots;
} tuples;

struct pn_eventcol {
    interned texts;             /* distinct texts, with the line where each first appears */
    unsigned char *is_event;    /* per text: 1 when it means the event */
    size_t *rows;               /* per text: the rows that hold it */
    size_t cap, rcap;
    const char *value;          /* the event value (the caller's string) */
    int64_t censor;             /* the first non-event text, -1 before one is seen */
    long refused;               /* the line where the column became wrong, 0 while it is not */
    long bad_utf8;              /* the first line whose text is not UTF-8, 0 when none */
    int multi;                  /* 1: competing events (survspec.multistate): `value` is the
                                 * censoring value and every other text is an event type */
    uint32_t *state;            /* multi: per text, 0 (censored) or its provisional event type
                                 * (1.., in order of first appearance; texts equal as numbers
                                 * share one) */
    size_t scap;
    uint32_t nstates;           /* multi: the provisional event types */
};

/* Set up `ev` (zeroed) for the event column of `spec`: the binary rule, or the competing-events
 * rule of spec->multistate. */
void pn__eventcol_init(pn_eventcol *ev, const pn_survspec *spec);

/* Free the distinct texts of `in` (a zeroed one accepted); `in` is left zeroed. */
void pn__intern_free(interned *in);

/* The code of tuple `t` (tp->width codes) in order of first appearance, added when new;
 * PN_ENOMEM or PN_ETOOBIG (negative) on failure. */
int64_t pn__tuple_code(tuples *tp, const int32_t *t);

/* Free the contents of one column (its name, values and levels). */
void pn__free_column(pn_column *col);
/* Free `n` columns and their array (NULL accepted). */
void pn__free_cols(pn_column *cols, size_t n);
/* Free `n` label strings and their array (NULL accepted). */
void pn__free_labels(char **labels, size_t n);

/* Combine compacted categorical columns into codes and labels (NULL codes when none); *codes
 * and *labels are owned by the caller. */
int pn__combine(pn_column *cols, size_t ncols, size_t n, int32_t **codes, char ***labels,
                size_t *ncomb);

/* R's factor() order of the distinct texts of `in`: rank[i] for text i, and the column
 * (levels in order) in `col` (owned by the caller: pn__free_column). */
int pn__rank_levels(const interned *in, pn_column *col, const char *name);

/* Free the contents of an event column's state (embedded in a reader's state). */
void pn__eventcol_clear(pn_eventcol *ev);

#endif
