/* writer.h - tabular output as csv, json or an aligned text table (docs/interfaces.md 1).
 *
 * One writer per output table: open with the column names, then give each row's cells in
 * order and end the row. CSV uses a header row, '.' decimals, %.17g and an empty field for a
 * missing value; JSON is an array of objects with null for missing, always valid UTF-8; `table`
 * is aligned text for a terminal (%.6g), printed when the writer is closed.
 */
#ifndef PRONOSTIC_WRITER_H
#define PRONOSTIC_WRITER_H

#include <stddef.h>
#include <stdio.h>

typedef enum pn_format { PN_FORMAT_CSV = 0, PN_FORMAT_JSON = 1, PN_FORMAT_TABLE = 2 } pn_format;

/* Parse "csv", "json" or "table"; returns PN_OK or PN_EINVAL. */
int pn_format_parse(const char *text, pn_format *out);
/* `table` when `out` is a terminal, else `csv`. */
pn_format pn_format_default(FILE *out);

typedef struct pn_writer pn_writer;

/* Begin a table on `out` (not owned). The column names are copied. */
int pn_writer_open(pn_writer **w, FILE *out, pn_format format, const char *const *columns,
                   size_t ncols);
/* The same, but the whole table is held in memory and reaches `out` only at pn_writer_close:
 * a command that can still fail after its first row writes nothing on stdout when it does
 * (pn_writer_discard). Memory grows with the size of the output. */
int pn_writer_open_held(pn_writer **w, FILE *out, pn_format format, const char *const *columns,
                        size_t ncols);
/* Cells, in column order. pn_writer_str(w, NULL) and a number that is not finite (NaN, +-Inf)
 * write a missing value. In JSON, bytes of a text that are not valid UTF-8 become U+FFFD. */
int pn_writer_str(pn_writer *w, const char *value);
int pn_writer_num(pn_writer *w, double value);
int pn_writer_int(pn_writer *w, long long value);
int pn_writer_missing(pn_writer *w);
int pn_writer_end_row(pn_writer *w);
/* Finish the table (prints it for `table`), flush, and free the writer. Accepts NULL.
 * Returns PN_EIO when a write failed at any point. */
int pn_writer_close(pn_writer *w);
/* Free the writer without finishing the table: nothing more is written, and a held table is
 * dropped. Accepts NULL. */
void pn_writer_discard(pn_writer *w);

/* Write `s` to `out` as a JSON string (RFC 8259), quotes included: quotes, backslashes and
 * control characters escaped, each byte that is not part of valid UTF-8 replaced by U+FFFD. */
void pn_json_string(FILE *out, const char *s);

#endif
