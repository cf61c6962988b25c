/* parread.h - the driver of a CSV file read by threads side by side (private to analysis/): the
 * file is cut into ranges at candidate row boundaries (csv.h), one thread per range fills its
 * own state, and the states are merged in file order. A cut is proven to be a row boundary when
 * the rows before it end exactly there; when they do not, or when a range failed (a bad value,
 * the event column refused), the rows of that range are read again one by one into the state
 * of all the rows before it, so that every result and every message (file, line, column) is
 * the single-threaded one. Standard input, FIFOs and small files are read by one thread. */
#ifndef PN_ANALYSIS_PARREAD_H
#define PN_ANALYSIS_PARREAD_H

#include "pronostic/csv.h"
#include "pronostic/error.h"
#include "pronostic/threads.h"

#include <stddef.h>

/* The fewest bytes per range worth a thread (PN_MAX_THREADS, threads.h, bounds the threads). */
#define PN_PAR_MIN_RANGE_BYTES (1u << 20)

/* What the driver does with a state (`ctx` is the caller's): a new empty state (NULL when out
 * of memory), read the rows of a reader into it (its rows handed to the state's own
 * aggregates; stops at the first error, with the message), whether the rows of `src` may
 * follow those of `dst` (1) or must be read again into dst (0), merge `src` (rows that follow
 * dst's, lines shifted by `line_shift`) into dst, and free a state. read and the calls on the
 * states of other ranges run in other threads: they may share only what `ctx` holds read-only. */
typedef struct pn_par_ops {
    void *(*part_new)(void *ctx);
    int (*part_read)(void *ctx, void *part, pn_csv *csv, pn_diag *diag);
    int (*part_can_follow)(void *ctx, const void *dst, const void *src);
    int (*part_merge)(void *ctx, void *dst, void *src, long line_shift, pn_diag *diag);
    void (*part_free)(void *ctx, void *part);
} pn_par_ops;

/* Read the rows of `path` after the header `header` has read into the state `first` (from
 * ops->part_new), with up to `threads` threads, ranges of at least `min_range` bytes (0: the
 * default). On success `first` holds the state of all the rows, as if read in one pass by
 * ops->part_read(ctx, first, header). On failure, the first error in file order, with its
 * message in diag, exactly as that one pass gives it. */
int pn_par_read(const char *path, pn_csv *header, int threads, size_t min_range,
                const pn_par_ops *ops, void *ctx, void *first, pn_diag *diag);

#endif
