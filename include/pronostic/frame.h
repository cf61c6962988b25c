/* frame.h - the columns of an analysis, read by name from a flat CSV file.
 *
 * A frame holds the few columns a subcommand needs, each numeric (double, NaN = missing) or
 * categorical (an int32 level code, -1 = missing, with its level names). Categorical levels are
 * ordered as R's factor() orders them: numerically when every value is a number, else by byte
 * order of the text (R's C-locale sort). Missing values are "", "NA" or absent fields.
 * As R's read.csv: a blank field (only spaces) is missing in a numeric column, and in a
 * categorical column whose other values are all numbers; such a column's levels with equal
 * values ("1", "1.0", "01") are one level, named by the text seen first.
 */
#ifndef PRONOSTIC_FRAME_H
#define PRONOSTIC_FRAME_H

#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

/* PN_COL_SKIP: a column that must be present but is not stored (a row hook reads it). */
enum pn_col_kind { PN_COL_NUM = 0, PN_COL_CAT = 1, PN_COL_SKIP = 2 };

typedef struct pn_column {
    char *name;
    int kind;
    double *num;        /* PN_COL_NUM: nrows values */
    int32_t *code;      /* PN_COL_CAT: nrows level codes, -1 when missing */
    char **levels;      /* PN_COL_CAT: level names in R's order */
    size_t nlevels;
} pn_column;

typedef struct pn_frame {
    size_t nrows;
    size_t ncols;
    pn_column *cols;
    uint32_t *line;     /* nrows: the file line each row starts on (header = 1) */
    char *source;       /* the file name used in messages */
} pn_frame;

/* Read the `n` columns `names` (with kinds `kinds`) of the CSV at `path` ("-": stdin).
 * Errors, each with a message naming file, line and column: PN_ENOCOL (a column is absent: a
 * usage error), PN_EPARSE (a ragged row, a numeric field that is not a number), PN_EIO, ... */
int pn_frame_read_csv(pn_frame **out, const char *path, const char *const *names,
                      const int *kinds, size_t n, pn_diag *diag);

struct pn_csv;
/* Called once per data row, in file order, once the row's columns are stored in `frame` as row
 * `row`, with the reader still on that row (for its line and its PN_COL_SKIP fields). Returns
 * PN_OK to go on, or a PN_E* code with `diag` set, which stops the reading (and is returned). */
typedef int (*pn_frame_row_fn)(void *ctx, struct pn_csv *csv, const pn_frame *frame, size_t row,
                               pn_diag *diag);
/* pn_frame_read_csv with a row hook `fn` (may be NULL): a check that can refuse the file at the
 * row where it goes wrong, without reading the rest. */
int pn_frame_read_csv_rows(pn_frame **out, const char *path, const char *const *names,
                           const int *kinds, size_t n, pn_frame_row_fn fn, void *ctx,
                           pn_diag *diag);

/* ---- the columns of ranges of one file read side by side (the drivers of analysis/) ------ */

/* The rows read so far: from one reader, or from the readers of ranges of one file (csv.h)
 * merged in file order. pn_frame_read_csv_rows is new, read, finish. */
typedef struct pn_framepart pn_framepart;

/* A state for the `n` columns `names` (kinds `kinds`) of the file whose header `header` has
 * read: PN_ENOCOL (the message of pn_frame_read_csv), PN_ENOMEM or PN_OK. *out is owned by the
 * caller (pn_framepart_free). */
int pn_framepart_new(pn_framepart **out, const struct pn_csv *header, const char *const *names,
                     const int *kinds, size_t n, pn_diag *diag);
/* Read the rows of `csv` (the header's reader, or a range of its file) to its end, as
 * pn_frame_read_csv_rows reads them (`fn` with the part's frame and row); stops at the first
 * error (returned, with the message; lines as `csv` counts them). */
int pn_framepart_read(pn_framepart *fp, struct pn_csv *csv, pn_frame_row_fn fn, void *ctx,
                      pn_diag *diag);
/* The columns read so far (categorical codes in order of first appearance; borrowed). */
const pn_frame *pn_framepart_frame(const pn_framepart *fp);
/* Append the rows of `src` (rows that follow those of dst in the file, its lines shifted by
 * `line_shift`) to dst: numeric columns copied after dst's, categorical texts added to dst's
 * in src's order of first appearance and the codes recoded. src's columns are freed as they
 * are appended (src is left without rows). PN_OK, PN_ENOMEM or PN_ETOOBIG. */
int pn_framepart_merge(pn_framepart *dst, pn_framepart *src, long line_shift);
/* After the last row: the frame of all the rows, levels in R's order, as pn_frame_read_csv_rows
 * gives it; *out is owned by the caller and the part is left empty (still to be freed). */
int pn_framepart_finish(pn_framepart *fp, pn_frame **out, pn_diag *diag);
void pn_framepart_free(pn_framepart *fp);

/* The column named `name`, or NULL. */
pn_column *pn_frame_col(pn_frame *frame, const char *name);

/* Free the frame and its columns. Accepts NULL. */
void pn_frame_free(pn_frame *frame);

/* Build a categorical column's levels from its text values: used by the CSV reader and by
 * cohort extraction. `values[i]` NULL means missing. On success `col->code`, `col->levels` and
 * `col->nlevels` are set (owned by col). */
int pn_column_factor(pn_column *col, const char *const *values, size_t nrows);

#endif
