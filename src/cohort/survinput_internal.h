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

/* Distinct texts of one column with codes in order of first appearance, and the line where
 * each first appears. */
typedef struct interned {
    pn_strset set;
    long *first_line;
    size_t lcap;
} interned;

/* Code of `len` bytes of `s`, added (first seen on `line`) when new; negative PN_E* on failure. */
static inline int64_t pn__intern(interned *in, const char *s, size_t len, long line)
{
    size_t before = in->set.n;
    int64_t code = pn_strset_code(&in->set, s, len);
    if (code < 0 || in->set.n == before) return code;
    if (pn_grow((void **)&in->first_line, &in->lcap, in->set.n, sizeof *in->first_line) != PN_OK)
        return PN_ENOMEM;
    in->first_line[code] = line;
    return code;
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
};

/* Free the distinct texts of `in` (a zeroed one accepted). */
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
