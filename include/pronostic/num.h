/* num.h - strict, fast conversion of text fields to numbers (no locale, no partial parses). */
#ifndef PRONOSTIC_NUM_H
#define PRONOSTIC_NUM_H

#include <stddef.h>
#include <stdint.h>

/* Parse exactly `len` bytes of `s` as a finite decimal number ("12", "-3.5", "1e-3", ".5").
 * Surrounding ASCII spaces are ignored; anything else (hex, "inf", "nan", "1,5", trailing text)
 * is refused. Correctly rounded. Returns PN_OK, PN_EPARSE, or PN_ERANGE (overflow). */
int pn_parse_double(const char *s, size_t len, double *out);

/* Parse exactly `len` bytes of `s` as a base-10 integer in [INT64_MIN, INT64_MAX]. */
int pn_parse_int64(const char *s, size_t len, int64_t *out);

/* Parse a comma-separated list of numbers ("1,2.5,3") into a new array the caller frees with
 * pn_free; *count receives its length. */
int pn_parse_double_list(const char *s, double **values, size_t *count);

/* 1 when the `len` bytes of `s` are valid UTF-8 (no overlongs, no surrogates, no NUL). */
int pn_utf8_valid(const char *s, size_t len);
/* The length (1 to 4 bytes) of the valid UTF-8 character that the `len` bytes of `s` begin
 * with, or 0 when they begin with an invalid sequence (or a NUL, or len is 0). */
size_t pn_utf8_seqlen(const char *s, size_t len);

/* A field's text for a message: at most 40 bytes of `s` (then "..."), control bytes shown as
 * \xHH and a byte-order mark as \uFEFF (invisible otherwise), into `buf` (`size` >= 16 bytes,
 * NUL-terminated), which is returned. */
const char *pn_text_shown(const char *s, char *buf, size_t size);

/* qsort comparator for doubles in increasing order (NaN compares equal to everything). */
int pn_cmp_double(const void *a, const void *b);

#endif
