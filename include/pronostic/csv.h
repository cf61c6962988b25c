/* csv.h - a streaming RFC 4180 reader with columns chosen by header name.
 *
 * Handles quoted fields with embedded commas, quotes ("") and newlines, CRLF or LF line ends,
 * a UTF-8 byte-order mark at the start, and blank lines (skipped). Two header mistakes are
 * named rather than read as strange column names (PN_EENCODING): CR-only line ends ("FILE:1:
 * CR-only line ends (convert the file to LF or CRLF)") and a byte-order mark left before or
 * inside a header name ("FILE:1: byte-order mark before header name 'X'"). Memory is bounded by the longest row,
 * which is itself bounded (max_row_bytes): a longer row is an error naming its line and column,
 * never an unbounded allocation. Each row's fields are NUL-terminated views into the reader's
 * buffer, valid until the next call to pn_csv_next.
 *
 * Line numbers are those an editor shows: the header is line 1, and a row whose quoted field
 * spans lines has the number of its first line.
 */
#ifndef PRONOSTIC_CSV_H
#define PRONOSTIC_CSV_H

#include "pronostic/error.h"

#include <stddef.h>

typedef struct pn_csv pn_csv;

typedef struct pn_csv_opts {
    size_t max_row_bytes;   /* 0: the default, 16 MiB */
    int check_utf8;         /* refuse rows that are not valid UTF-8 (PN_EENCODING) */
    size_t read_bytes;      /* 0: read as much as the buffer takes; else at most this many
                               bytes per read (tests and fuzzing use it to exercise refills) */
    char delimiter;         /* 0: ',' */
    int general_path;       /* 1: every row read by the general path, not the fast path for rows
                               without quotes (tests and fuzzing compare the two with it) */
} pn_csv_opts;

/* Open `path` ("-" is standard input) and read its header row. `opts` may be NULL.
 * On success *out owns the file; close it with pn_csv_close. Errors: PN_EIO (unreadable),
 * PN_EEMPTY (no header), PN_EDUP (a column name twice), PN_EPARSE, PN_ETOOBIG, PN_EENCODING
 * (also CR-only line ends and a byte-order mark in a header name). */
int pn_csv_open(pn_csv **out, const char *path, const pn_csv_opts *opts, pn_diag *diag);

/* The same over `len` bytes in memory (copied in chunks, not retained); `name` is used in
 * messages. Used by tests and the fuzz target. */
int pn_csv_open_mem(pn_csv **out, const char *name, const char *data, size_t len,
                    const pn_csv_opts *opts, pn_diag *diag);

/* Close the file and free the reader. Accepts NULL. */
void pn_csv_close(pn_csv *csv);

/* The header: number of columns, name of column i, index of a name (-1 when absent). */
size_t pn_csv_ncols(const pn_csv *csv);
const char *pn_csv_colname(const pn_csv *csv, size_t i);
int pn_csv_find(const pn_csv *csv, const char *name);

/* Read the next row: returns 1 when a row was read, 0 at the end of the file, or a negative
 * PN_E* code with a message in diag (naming file, line and column). A row may have more or
 * fewer fields than the header; pn_csv_require_width turns that into an error. */
int pn_csv_next(pn_csv *csv, pn_diag *diag);

/* Fields of the current row. pn_csv_field returns "" for an index past the row's end. */
size_t pn_csv_nfields(const pn_csv *csv);
const char *pn_csv_field(const pn_csv *csv, size_t i, size_t *len);
/* 1 when field i is missing: absent, empty, or the text NA (as R's read.csv). */
int pn_csv_missing(const pn_csv *csv, size_t i);
/* The fields of the current row at once, for the loops that read every row: sets *ptr and *len
 * to arrays of the pn_csv_nfields(csv) fields and lengths that pn_csv_field gives (views owned
 * by the reader, valid until the next pn_csv_next) and returns their number. */
size_t pn_csv_row(const pn_csv *csv, const char *const **ptr, const size_t **len);

/* PN_OK when the current row has as many fields as the header, else PN_EPARSE with a message
 * naming the column: for a short row the first missing one, "FILE:LINE: column 'NAME': missing
 * (row has N fields, header has M)"; for a long row the first extra field's position,
 * "FILE:LINE: column M+1: a field beyond the header (row has N fields, header has M)". */
int pn_csv_require_width(const pn_csv *csv, pn_diag *diag);

/* Line number of the current row's first line (header = 1), and the name given at open. */
long pn_csv_line(const pn_csv *csv);
const char *pn_csv_name(const pn_csv *csv);

/* Bytes consumed from the input so far (for progress reports). */
unsigned long long pn_csv_offset(const pn_csv *csv);

/* ---- ranges: the rows of one byte range of a file, for readers running side by side ------- */

/* The offset in the input where the next row starts (after the header and the rows read, and
 * after a byte-order mark), and the line number it starts on. */
unsigned long long pn_csv_position(const pn_csv *csv);
long pn_csv_next_line(const pn_csv *csv);

/* A reader of the rows that start in [begin, end) of the file `path`, with the header, the
 * name (for messages) and the options of `header` (a reader of the same file), `begin` being
 * the start of a row on line `first_line`. A row that starts before `end` is read whole, even
 * past `end`; pn_csv_next returns 0 at the first row starting at or after `end` (or at the end
 * of the file), and pn_csv_position then says where that is: the range really ended at the
 * next range's `begin` only when the two are equal. *out is owned by the caller
 * (pn_csv_close). PN_EIO or PN_ENOMEM. */
int pn_csv_open_range(pn_csv **out, const pn_csv *header, const char *path,
                      unsigned long long begin, unsigned long long end, long first_line,
                      pn_diag *diag);
/* The same over `len` bytes in memory (not copied: they must outlive the reader). */
int pn_csv_open_range_mem(pn_csv **out, const pn_csv *header, const char *data, size_t len,
                          unsigned long long begin, unsigned long long end, long first_line,
                          pn_diag *diag);

/* Where to cut [from, size) into `nparts` ranges of about equal size: cuts[0] = from,
 * cuts[nparts] = size, and each cuts[k] in between the first byte after a line feed at or after
 * from + k (size - from) / nparts (size when there is none), nondecreasing. A cut is only a
 * candidate: a line feed inside a quoted field is not a row end, which the reader of the range
 * before it proves or refutes (pn_csv_position). Over the file `path` (PN_EIO) or over `len`
 * bytes in memory. */
int pn_csv_split(const char *path, unsigned long long from, unsigned long long size,
                 size_t nparts, unsigned long long *cuts, pn_diag *diag);
void pn_csv_split_mem(const char *data, size_t len, unsigned long long from, size_t nparts,
                      unsigned long long *cuts);

#endif
