/* csv.c - streaming RFC 4180 reader: find a row's end, then split it into fields in place.
 *
 * A row without a quote or a NUL byte that lies whole in the buffer (the common case) is split
 * in one pass that finds its delimiters and its line feed together, 32 bytes at a time (SSE2;
 * a byte loop elsewhere); any other row (quotes, NUL bytes, a row not yet read in whole, the
 * end of the input, blank lines, long rows) is read by the general path: its end found with
 * memchr, then split with memchr or, with quotes, by a small state machine that unescapes in
 * place. The two give the same fields. The buffer grows only as far as the longest row needs,
 * and never past max_row_bytes.
 */
#include "pronostic/csv.h"
#include "pronostic/alloc.h"
#include "pronostic/num.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* PAD: bytes allocated past the buffer's capacity, so that the fast path may load 32 bytes at
 * any offset below the end of the data (the bytes past the end are masked off). */
enum { PN__CSV_CHUNK = 1 << 20, PN__CSV_DEFAULT_MAX = 16 << 20, PN__CSV_PAD = 64 };

struct pn_csv {
    int fd;                 /* -1 when reading from memory */
    const char *mem;        /* memory source, not owned */
    size_t mem_len, mem_pos;
    char *name;
    char *buf;
    size_t cap, start, end; /* unread bytes are buf[start, end) */
    int eof;
    size_t max_row;
    int check_utf8;
    size_t read_bytes;      /* 0 or the most bytes one read may bring */
    char delim;
    int general_only;       /* opts->general_path */
    long next_line;         /* line number where the next row starts */
    long row_line;
    unsigned long long consumed;
    unsigned long long origin; /* offset in the input of consumed == 0 (a range's start, past
                                  the byte-order mark) */
    unsigned long long limit;  /* a range: no row starts at or after consumed == limit; else
                                  ULLONG_MAX */
    char **fptr;            /* fields of the current row */
    size_t *flen;
    size_t nf, fcap;
    char **cols;            /* header names, owned */
    size_t ncols;
};

/* Read more bytes after buf[end]; first slides unread bytes to the front and grows the buffer
 * when it is full. Returns bytes read (0 at end of input) or PN_EIO / PN_ENOMEM. */
static long fill(pn_csv *csv)
{
    if (csv->start > 0) {
        memmove(csv->buf, csv->buf + csv->start, csv->end - csv->start);
        csv->end -= csv->start;
        csv->start = 0;
    }
    if (csv->cap - csv->end < PN__CSV_CHUNK / 2) {
        size_t ncap = csv->cap ? csv->cap * 2 : PN__CSV_CHUNK;
        char *nb = pn_reallocarray(csv->buf, ncap + 1 + PN__CSV_PAD, 1);
        if (nb == NULL) return PN_ENOMEM;
        memset(nb + ncap, 0, 1 + PN__CSV_PAD);
        csv->buf = nb;
        csv->cap = ncap;
    }
    size_t room = csv->cap - csv->end;
    if (csv->read_bytes && room > csv->read_bytes) room = csv->read_bytes;
    if (csv->fd < 0) {
        size_t n = csv->mem_len - csv->mem_pos;
        if (n > room) n = room;
        memcpy(csv->buf + csv->end, csv->mem + csv->mem_pos, n);
        csv->mem_pos += n;
        csv->end += n;
        if (n == 0) csv->eof = 1;
        return (long)n;
    }
    for (;;) {
        ssize_t n = read(csv->fd, csv->buf + csv->end, room);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return PN_EIO;
        csv->end += (size_t)n;
        if (n == 0) csv->eof = 1;
        return (long)n;
    }
}

/* Room for one more field than nf in fptr and flen. PN_OK or PN_ENOMEM. */
static int grow_fields(pn_csv *csv)
{
    size_t cap = csv->fcap;
    if (pn_grow((void **)&csv->fptr, &cap, csv->nf + 1, sizeof *csv->fptr) != PN_OK)
        return PN_ENOMEM;
    size_t cap2 = csv->fcap;
    if (pn_grow((void **)&csv->flen, &cap2, csv->nf + 1, sizeof *csv->flen) != PN_OK)
        return PN_ENOMEM;
    csv->fcap = cap < cap2 ? cap : cap2;
    return PN_OK;
}

static int push_field(pn_csv *csv, char *p, size_t len)
{
    if (csv->nf == csv->fcap && grow_fields(csv) != PN_OK) return PN_ENOMEM;
    p[len] = '\0';
    csv->fptr[csv->nf] = p;
    csv->flen[csv->nf] = len;
    csv->nf++;
    return PN_OK;
}

static const char *column_label(const pn_csv *csv, size_t field, char *tmp, size_t tmplen)
{
    if (field < csv->ncols) return csv->cols[field];
    snprintf(tmp, tmplen, "#%zu", field + 1);
    return tmp;
}

/* Scan buf[from, end) for the end of a row that may contain quotes. Returns the index of the
 * terminating '\n' (or `end` when the input ended without one), or SIZE_MAX when more input is
 * needed. *newlines receives the count of newlines inside quoted fields; *unterminated is set
 * when the input ended inside quotes; *field_at the field index where scanning stopped. */
static size_t scan_quoted(const pn_csv *csv, size_t from, long *newlines, int *unterminated,
                          size_t *field_at)
{
    const char *b = csv->buf;
    int in_quotes = 0, at_field_start = 1;
    long nl = 0;
    size_t field = 0;
    for (size_t i = from; i < csv->end; i++) {
        char c = b[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < csv->end && b[i + 1] == '"') i++;
                else if (i + 1 == csv->end && !csv->eof) { *field_at = field; return SIZE_MAX; }
                else in_quotes = 0;
            } else if (c == '\n') {
                nl++;
            }
            continue;
        }
        if (c == '"' && at_field_start) { in_quotes = 1; at_field_start = 0; continue; }
        at_field_start = 0;
        if (c == csv->delim) { at_field_start = 1; field++; }
        else if (c == '\n') { *newlines = nl; return i; }
    }
    *field_at = field;
    if (!csv->eof) return SIZE_MAX;
    *unterminated = in_quotes;
    *newlines = nl;
    return csv->end;
}

/* Split the row buf[s, e) (no line terminator) into fields, unescaping quotes in place. */
static int split_quoted(pn_csv *csv, size_t s, size_t e, pn_diag *diag)
{
    char *b = csv->buf;
    size_t i = s;
    char tmp[32];
    for (;;) {
        char *out = b + i;
        size_t w = 0;
        if (i < e && b[i] == '"') {
            i++;
            for (;;) {
                if (i >= e) break; /* unterminated: caught by the scan */
                if (b[i] == '"') {
                    if (i + 1 < e && b[i + 1] == '"') { out[w++] = '"'; i += 2; continue; }
                    i++;
                    break;
                }
                out[w++] = b[i++];
            }
            if (i < e && b[i] != csv->delim)
                return pn_diag_set(diag, PN_EPARSE,
                                   "%s:%ld: column %s: text after a closing quote", csv->name,
                                   csv->row_line, column_label(csv, csv->nf, tmp, sizeof tmp));
        } else {
            while (i < e && b[i] != csv->delim) out[w++] = b[i++];
        }
        /* out[w] may be the delimiter or beyond the row: both are ours to overwrite */
        if (push_field(csv, out, w) != PN_OK) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
        if (i >= e) return PN_OK;
        i++; /* skip the delimiter */
        if (i == e) { /* a trailing delimiter: one more empty field */
            if (push_field(csv, b + e, 0) != PN_OK)
                return pn_diag_set(diag, PN_ENOMEM, "out of memory");
            return PN_OK;
        }
    }
}

static int split_simple(pn_csv *csv, size_t s, size_t e, pn_diag *diag)
{
    char *b = csv->buf;
    size_t i = s;
    for (;;) {
        char *d = memchr(b + i, csv->delim, e - i);
        size_t fe = d ? (size_t)(d - b) : e;
        if (push_field(csv, b + i, fe - i) != PN_OK)
            return pn_diag_set(diag, PN_ENOMEM, "out of memory");
        if (d == NULL) return PN_OK;
        i = fe + 1;
    }
}

/* The field of the row starting at buf[s] that holds its byte past max_row (the row has more
 * bytes in the buffer): where the row becomes too long, whatever the buffer held, so that the
 * message does not depend on how the input was read in. */
static size_t field_past_limit(const pn_csv *csv, size_t s)
{
    const char *b = csv->buf;
    size_t stop = s + csv->max_row < csv->end ? s + csv->max_row : csv->end, field = 0;
    int in_quotes = 0, at_field_start = 1;
    for (size_t i = s; i < stop; i++) {
        char c = b[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < stop && b[i + 1] == '"') i++;
                else in_quotes = 0;
            }
            continue;
        }
        if (c == '"' && at_field_start) {
            in_quotes = 1;
            at_field_start = 0;
            continue;
        }
        at_field_start = c == csv->delim;
        field += c == csv->delim;
    }
    return field;
}

/* The row starting at buf[s] is longer than max_row bytes. */
static int too_long(pn_csv *csv, pn_diag *diag, size_t s)
{
    char tmp[32];
    return pn_diag_set(diag, PN_ETOOBIG, "%s:%ld: column %s: row longer than %zu bytes",
                       csv->name, csv->next_line,
                       column_label(csv, field_past_limit(csv, s), tmp, sizeof tmp),
                       csv->max_row);
}

/* The fast path gives the row up: the delimiters it overwrote come back, for the general path
 * to read the same bytes. */
static int fast_undo(pn_csv *csv, size_t nf)
{
    for (size_t k = 0; k < nf; k++) csv->fptr[k][csv->flen[k]] = csv->delim;
    csv->nf = 0;
    return 0;
}

#if defined(__SSE2__)
/* Bits of the 32 bytes at p equal to c (bit k: byte k). */
static inline uint32_t mask32(const char *p, __m128i c)
{
    __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(lo, c)) |
           (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(hi, c)) << 16;
}
#endif

/* The fast path: the row starting at buf[start], when it has no quote and no NUL byte, ends
 * with a line feed in the buffer, is not blank and not longer than max_row (and is valid UTF-8
 * when that is checked): splits it into fields as split_simple would (each NUL-terminated over
 * its delimiter), consumes it and returns 1. Else returns 0 with the buffer as it was, for the
 * general path to read the row; or PN_ENOMEM. */
static int read_row_fast(pn_csv *csv)
{
    char *b = csv->buf;
    const size_t s = csv->start, end = csv->end;
    const char delim = csv->delim;
    size_t fs = s, e = 0, nf = 0; /* fs: where the current field starts */
    /* the field views in locals: the stores into the buffer would make the compiler read them
     * again after each one */
    char **fptr = csv->fptr;
    size_t *flen = csv->flen, fcap = csv->fcap;
    if (delim == '\n' || delim == '"' || delim == '\0' || delim == '\r') return 0;
    csv->nf = 0;
#if defined(__SSE2__)
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n'), vq = _mm_set1_epi8('"'),
                  vz = _mm_setzero_si128();
    for (size_t i = s;; i += 32) {
        if (i >= end) return fast_undo(csv, nf); /* no line feed in the buffer */
        uint32_t md = mask32(b + i, vd), mn = mask32(b + i, vn);
        uint32_t mq = mask32(b + i, vq) | mask32(b + i, vz);
        if (end - i < 32) { /* bytes past the data (the padding) */
            uint32_t in = (UINT32_C(1) << (end - i)) - 1;
            md &= in;
            mn &= in;
            mq &= in;
        }
        uint32_t before = mn ? (mn & (0u - mn)) - 1 : UINT32_MAX; /* the bytes before a line feed */
        if (mq & before) return fast_undo(csv, nf);                /* a quote or a NUL byte */
        for (md &= before; md != 0; md &= md - 1) {
            size_t at = i + (size_t)__builtin_ctz(md);
            if (nf == fcap) {
                csv->nf = nf;
                if (grow_fields(csv) != PN_OK) return PN_ENOMEM;
                fptr = csv->fptr;
                flen = csv->flen;
                fcap = csv->fcap;
            }
            fptr[nf] = b + fs;
            flen[nf++] = at - fs;
            b[at] = '\0';
            fs = at + 1;
        }
        if (mn) {
            e = i + (size_t)__builtin_ctz(mn);
            break;
        }
        if (i + 32 - s > csv->max_row + 1) return fast_undo(csv, nf); /* too long */
    }
#else
    for (size_t at = s;; at++) {
        if (at >= end) return fast_undo(csv, nf);
        char c = b[at];
        if (c == delim) {
            if (nf == fcap) {
                csv->nf = nf;
                if (grow_fields(csv) != PN_OK) return PN_ENOMEM;
                fptr = csv->fptr;
                flen = csv->flen;
                fcap = csv->fcap;
            }
            fptr[nf] = b + fs;
            flen[nf++] = at - fs;
            b[at] = '\0';
            fs = at + 1;
        } else if (c == '\n') {
            e = at;
            break;
        } else if (c == '"' || c == '\0') {
            return fast_undo(csv, nf);
        }
    }
#endif
    size_t next = e + 1;
    if (e - s > csv->max_row) return fast_undo(csv, nf); /* too long (its CR counted) */
    if (e > s && b[e - 1] == '\r') e--;
    if (e == s) return fast_undo(csv, nf); /* a blank line */
    if (csv->check_utf8) { /* on the row as read, the delimiters back in place */
        for (size_t k = 0; k < nf; k++) fptr[k][flen[k]] = delim;
        if (!pn_utf8_valid(b + s, e - s)) return 0;
        for (size_t k = 0; k < nf; k++) fptr[k][flen[k]] = '\0';
    }
    if (nf == fcap) { /* the last field ends at the line end (before a CR) */
        csv->nf = nf;
        if (grow_fields(csv) != PN_OK) return PN_ENOMEM;
    }
    csv->fptr[nf] = b + fs;
    csv->flen[nf] = e - fs;
    b[e] = '\0';
    csv->nf = nf + 1;
    csv->row_line = csv->next_line;
    csv->next_line += 1;
    csv->consumed += next - s;
    csv->start = next;
    return 1;
}

/* Returns 1 when a row was read, 0 at the end of input, or a negative PN_E* code. */
static int read_row(pn_csv *csv, pn_diag *diag)
{
    for (;;) {
        if (csv->consumed >= csv->limit) return 0; /* a range's rows end here */
        int fast = csv->general_only ? 0 : read_row_fast(csv);
        if (fast != 0) return fast > 0 ? 1 : pn_diag_set(diag, fast, "out of memory");
        size_t s = csv->start, e, next;
        long extra_lines = 0;
        int has_quote;
        char *nl = memchr(csv->buf + s, '\n', csv->end - s);
        size_t scan_end = nl ? (size_t)(nl - csv->buf) : csv->end;
        has_quote = memchr(csv->buf + s, '"', scan_end - s) != NULL;
        if (!has_quote && nl == NULL && !csv->eof) {
            if (csv->end - s > csv->max_row) return too_long(csv, diag, s);
            long r = fill(csv);
            if (r < 0) return pn_diag_set(diag, (int)r, "%s: read error", csv->name);
            continue;
        }
        if (has_quote) {
            int unterminated = 0;
            size_t field = 0;
            e = scan_quoted(csv, s, &extra_lines, &unterminated, &field);
            if (e == SIZE_MAX) {
                if (csv->end - s > csv->max_row) return too_long(csv, diag, s);
                long r = fill(csv);
                if (r < 0) return pn_diag_set(diag, (int)r, "%s: read error", csv->name);
                continue;
            }
            if (unterminated) {
                char tmp[32];
                return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column %s: unterminated quoted field",
                                   csv->name, csv->next_line,
                                   column_label(csv, field, tmp, sizeof tmp));
            }
        } else {
            e = scan_end;
        }
        if (e == csv->end && s == e) return 0; /* end of input */
        next = e < csv->end ? e + 1 : e;
        if (e - s > csv->max_row) return too_long(csv, diag, s);
        csv->row_line = csv->next_line;
        csv->next_line += 1 + extra_lines;
        csv->consumed += next - s;
        csv->start = next;
        if (e > s && csv->buf[e - 1] == '\r') e--;
        if (e == s) continue; /* blank line */
        if (memchr(csv->buf + s, '\0', e - s) != NULL)
            return pn_diag_set(diag, PN_EENCODING, "%s:%ld: NUL byte in row", csv->name,
                               csv->row_line);
        if (csv->check_utf8 && !pn_utf8_valid(csv->buf + s, e - s))
            return pn_diag_set(diag, PN_EENCODING, "%s:%ld: row is not valid UTF-8", csv->name,
                               csv->row_line);
        csv->nf = 0;
        int rc = has_quote ? split_quoted(csv, s, e, diag) : split_simple(csv, s, e, diag);
        return rc < 0 ? rc : 1;
    }
}

int pn_csv_next(pn_csv *csv, pn_diag *diag)
{
    return read_row(csv, diag);
}

/* Before the header row is read: a file whose lines end with CR alone (classic Mac OS) has no
 * LF at all, so it would be read as one giant header row and every column would be "missing".
 * Looks at the header line only (after any blank lines): a CR outside quotes that is followed
 * by anything but LF means CR-only line ends. Reads more input while that line is incomplete,
 * never past max_row bytes (read_row then reports the long row). */
static int check_cr_only(pn_csv *csv, pn_diag *diag)
{
    int in_quotes = 0, seen = 0; /* seen: the header line has begun */
    long line = 1;
    for (size_t off = 0;;) { /* offsets from csv->start: fill() slides the buffer */
        for (; csv->start + off < csv->end; off++) {
            char c = csv->buf[csv->start + off];
            if (c == '"') {
                in_quotes = !in_quotes; /* a doubled quote toggles twice */
                seen = 1;
            } else if (c == '\n' && !in_quotes) {
                if (seen) return PN_OK;
                line++;
            } else if (c == '\r' && !in_quotes) {
                if (csv->start + off + 1 == csv->end) break; /* the next byte is not read yet */
                if (csv->buf[csv->start + off + 1] != '\n')
                    return pn_diag_set(diag, PN_EENCODING, "%s:%ld: CR-only line ends (convert "
                                       "the file to LF or CRLF)", csv->name, line);
            } else {
                seen = 1;
            }
        }
        if (csv->eof || csv->end - csv->start > csv->max_row) return PN_OK;
        long r = fill(csv);
        if (r < 0) return pn_diag_set(diag, (int)r, "%s: read error", csv->name);
    }
}

/* A UTF-8 byte-order mark left inside a header name (a second mark after the first, one inside
 * quotes, one after a concatenation or in the middle of the line): the name would silently
 * not match. `name` is column `field`'s trimmed, unquoted name (a view, not kept); the message
 * quotes it without the mark. */
static int check_bom_in_name(const pn_csv *csv, size_t field, const char *name, size_t len,
                             pn_diag *diag)
{
    static const char bom[] = "\xEF\xBB\xBF";
    const char *at = memmem(name, len, bom, 3);
    if (at == NULL) return PN_OK;
    char clean[256];
    size_t w = 0;
    for (size_t i = 0; i < len && w + 1 < sizeof clean; i++) {
        if (i + 3 <= len && memcmp(name + i, bom, 3) == 0) { i += 2; continue; }
        clean[w++] = name[i];
    }
    clean[w] = '\0';
    if (w == 0)
        return pn_diag_set(diag, PN_EENCODING, "%s:%ld: column %zu: a byte-order mark and no "
                           "header name", csv->name, csv->row_line, field + 1);
    return pn_diag_set(diag, PN_EENCODING, "%s:%ld: byte-order mark %s header name '%s'",
                       csv->name, csv->row_line, at == name ? "before" : "inside", clean);
}

static int read_header(pn_csv *csv, pn_diag *diag)
{
    /* a pipe may deliver the byte-order mark in pieces: read until 3 bytes or the end */
    do {
        long r = fill(csv);
        if (r < 0) return pn_diag_set(diag, (int)r, "%s: read error", csv->name);
    } while (csv->end - csv->start < 3 && !csv->eof);
    if (csv->end - csv->start >= 3 && memcmp(csv->buf + csv->start, "\xEF\xBB\xBF", 3) == 0) {
        csv->start += 3;
        csv->origin = 3;
    }
    int rc = check_cr_only(csv, diag);
    if (rc != PN_OK) return rc;
    rc = read_row(csv, diag);
    if (rc < 0) return rc;
    if (rc == 0 || csv->nf == 0)
        return pn_diag_set(diag, PN_EEMPTY, "%s: empty file (no header row)", csv->name);
    csv->cols = pn_calloc(csv->nf, sizeof *csv->cols);
    if (csv->cols == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    for (size_t i = 0; i < csv->nf; i++) {
        const char *name = csv->fptr[i];
        size_t len = csv->flen[i];
        while (len > 0 && (*name == ' ')) name++, len--;
        while (len > 0 && name[len - 1] == ' ') len--;
        if (len == 0 && i > 0) /* only R's write.csv row-name column may be unnamed */
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column %zu has an empty name",
                               csv->name, csv->row_line, i + 1);
        if ((rc = check_bom_in_name(csv, i, name, len, diag)) != PN_OK) return rc;
        csv->cols[i] = pn_strndup(name, len);
        if (csv->cols[i] == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
        csv->ncols = i + 1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(csv->cols[j], csv->cols[i]) == 0)
                return pn_diag_set(diag, PN_EDUP, "%s:%ld: column '%s' appears twice in the header",
                                   csv->name, csv->row_line, csv->cols[i]);
    }
    return PN_OK;
}

static int open_common(pn_csv **out, pn_csv *csv, const char *name, const pn_csv_opts *opts,
                       pn_diag *diag)
{
    csv->name = pn_strdup(name);
    csv->max_row = opts && opts->max_row_bytes ? opts->max_row_bytes : PN__CSV_DEFAULT_MAX;
    csv->check_utf8 = opts ? opts->check_utf8 : 0;
    csv->read_bytes = opts ? opts->read_bytes : 0;
    csv->delim = opts && opts->delimiter ? opts->delimiter : ',';
    csv->general_only = opts ? opts->general_path : 0;
    csv->next_line = 1;
    csv->limit = ULLONG_MAX;
    if (csv->name == NULL) {
        pn_csv_close(csv);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    int rc = read_header(csv, diag);
    if (rc != PN_OK) {
        pn_csv_close(csv);
        return rc;
    }
    *out = csv;
    return PN_OK;
}

int pn_csv_open(pn_csv **out, const char *path, const pn_csv_opts *opts, pn_diag *diag)
{
    *out = NULL;
    pn_csv *csv = pn_calloc(1, sizeof *csv);
    if (csv == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    if (strcmp(path, "-") == 0) {
        csv->fd = STDIN_FILENO;
    } else {
        csv->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (csv->fd < 0) {
            int err = errno;
            pn_free(csv);
            return pn_diag_set(diag, PN_EIO, "%s: cannot open: %s", path, strerror(err));
        }
    }
    return open_common(out, csv, strcmp(path, "-") == 0 ? "<stdin>" : path, opts, diag);
}

int pn_csv_open_mem(pn_csv **out, const char *name, const char *data, size_t len,
                    const pn_csv_opts *opts, pn_diag *diag)
{
    *out = NULL;
    pn_csv *csv = pn_calloc(1, sizeof *csv);
    if (csv == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    csv->fd = -1;
    csv->mem = data;
    csv->mem_len = len;
    return open_common(out, csv, name, opts, diag);
}

void pn_csv_close(pn_csv *csv)
{
    if (csv == NULL) return;
    if (csv->fd > STDIN_FILENO) close(csv->fd);
    for (size_t i = 0; i < csv->ncols; i++) pn_free(csv->cols[i]);
    pn_free(csv->cols);
    pn_free(csv->fptr);
    pn_free(csv->flen);
    pn_free(csv->buf);
    pn_free(csv->name);
    pn_free(csv);
}

size_t pn_csv_ncols(const pn_csv *csv) { return csv->ncols; }
const char *pn_csv_colname(const pn_csv *csv, size_t i) { return i < csv->ncols ? csv->cols[i] : ""; }

int pn_csv_find(const pn_csv *csv, const char *name)
{
    for (size_t i = 0; i < csv->ncols; i++)
        if (strcmp(csv->cols[i], name) == 0) return (int)i;
    return -1;
}

size_t pn_csv_nfields(const pn_csv *csv) { return csv->nf; }

const char *pn_csv_field(const pn_csv *csv, size_t i, size_t *len)
{
    if (i >= csv->nf) {
        if (len) *len = 0;
        return "";
    }
    if (len) *len = csv->flen[i];
    return csv->fptr[i];
}

size_t pn_csv_row(const pn_csv *csv, const char *const **ptr, const size_t **len)
{
    *ptr = (const char *const *)csv->fptr;
    *len = csv->flen;
    return csv->nf;
}

int pn_csv_missing(const pn_csv *csv, size_t i)
{
    if (i >= csv->nf) return 1;
    size_t len = csv->flen[i];
    const char *p = csv->fptr[i];
    return len == 0 || (len == 2 && p[0] == 'N' && p[1] == 'A');
}

int pn_csv_require_width(const pn_csv *csv, pn_diag *diag)
{
    size_t nf = csv->nf, nc = csv->ncols;
    if (nf == nc) return PN_OK;
    if (nf < nc)
        return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': missing (row has %zu fields, "
                           "header has %zu)", csv->name, csv->row_line, csv->cols[nf], nf, nc);
    return pn_diag_set(diag, PN_EPARSE, "%s:%ld: column %zu: a field beyond the header (row has "
                       "%zu fields, header has %zu)", csv->name, csv->row_line, nc + 1, nf, nc);
}

long pn_csv_line(const pn_csv *csv) { return csv->row_line; }
const char *pn_csv_name(const pn_csv *csv) { return csv->name; }
unsigned long long pn_csv_offset(const pn_csv *csv) { return csv->consumed; }

unsigned long long pn_csv_position(const pn_csv *csv) { return csv->origin + csv->consumed; }
long pn_csv_next_line(const pn_csv *csv) { return csv->next_line; }

/* A reader of the rows of [begin, end) of the input with the header, the name and the options
 * of `header`; `csv` has its source set (fd or memory, positioned at begin). Takes `csv`. */
static int range_common(pn_csv **out, pn_csv *csv, const pn_csv *header,
                        unsigned long long begin, unsigned long long end, long first_line,
                        pn_diag *diag)
{
    csv->name = pn_strdup(header->name);
    csv->max_row = header->max_row;
    csv->check_utf8 = header->check_utf8;
    csv->read_bytes = header->read_bytes;
    csv->delim = header->delim;
    csv->general_only = header->general_only;
    csv->next_line = first_line;
    csv->origin = begin;
    csv->limit = end > begin ? end - begin : 0;
    csv->cols = pn_calloc(header->ncols ? header->ncols : 1, sizeof *csv->cols);
    if (csv->name == NULL || csv->cols == NULL) {
        pn_csv_close(csv);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < header->ncols; i++) {
        csv->cols[i] = pn_strdup(header->cols[i]);
        if (csv->cols[i] == NULL) {
            pn_csv_close(csv);
            return pn_diag_set(diag, PN_ENOMEM, "out of memory");
        }
        csv->ncols = i + 1;
    }
    long r = fill(csv); /* the first bytes, so that the buffer exists before a row is looked for */
    if (r < 0) {
        int rc = pn_diag_set(diag, (int)r, "%s: read error", csv->name);
        pn_csv_close(csv);
        return rc;
    }
    *out = csv;
    return PN_OK;
}

int pn_csv_open_range(pn_csv **out, const pn_csv *header, const char *path,
                      unsigned long long begin, unsigned long long end, long first_line,
                      pn_diag *diag)
{
    *out = NULL;
    pn_csv *csv = pn_calloc(1, sizeof *csv);
    if (csv == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    csv->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (csv->fd < 0) {
        int err = errno;
        pn_free(csv);
        return pn_diag_set(diag, PN_EIO, "%s: cannot open: %s", header->name, strerror(err));
    }
    if (lseek(csv->fd, (off_t)begin, SEEK_SET) != (off_t)begin) {
        int err = errno;
        close(csv->fd);
        pn_free(csv);
        return pn_diag_set(diag, PN_EIO, "%s: cannot seek: %s", header->name, strerror(err));
    }
    return range_common(out, csv, header, begin, end, first_line, diag);
}

int pn_csv_open_range_mem(pn_csv **out, const pn_csv *header, const char *data, size_t len,
                          unsigned long long begin, unsigned long long end, long first_line,
                          pn_diag *diag)
{
    *out = NULL;
    pn_csv *csv = pn_calloc(1, sizeof *csv);
    if (csv == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    csv->fd = -1;
    csv->mem = data;
    csv->mem_len = len;
    csv->mem_pos = begin < len ? (size_t)begin : len;
    return range_common(out, csv, header, begin, end, first_line, diag);
}
