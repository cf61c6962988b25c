/* writer.c - csv, json and aligned-table writers behind one cell-by-cell interface. */
#include "pronostic/writer.h"
#include "pronostic/alloc.h"
#include "pronostic/error.h"
#include "pronostic/num.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pn_writer {
    FILE *out;            /* where cells go: the caller's stream, or `held` */
    FILE *dest;           /* a held table's destination, NULL when writing directly */
    char *held;           /* a held table's bytes (open_memstream) */
    size_t held_len;
    pn_format format;
    char **columns;
    size_t ncols;
    size_t cell;          /* index of the next cell in the current row */
    size_t nrows;
    char **cells;         /* table format: every cell as text, row-major */
    unsigned char *numeric; /* table format: 1 when the cell is right-aligned */
    size_t ncells, cap;
    int failed;
};

int pn_format_parse(const char *text, pn_format *out)
{
    if (strcmp(text, "csv") == 0) *out = PN_FORMAT_CSV;
    else if (strcmp(text, "json") == 0) *out = PN_FORMAT_JSON;
    else if (strcmp(text, "table") == 0) *out = PN_FORMAT_TABLE;
    else return PN_EINVAL;
    return PN_OK;
}

pn_format pn_format_default(FILE *out)
{
    return isatty(fileno(out)) ? PN_FORMAT_TABLE : PN_FORMAT_CSV;
}

/* Open a writer on `out`, or, when `hold`, on a memory stream copied to `out` at close. */
static int writer_open(pn_writer **w, FILE *out, int hold, pn_format format,
                       const char *const *columns, size_t ncols)
{
    pn_writer *wr = pn_calloc(1, sizeof *wr);
    if (wr == NULL) return PN_ENOMEM;
    wr->out = out;
    if (hold) {
        wr->dest = out;
        wr->out = open_memstream(&wr->held, &wr->held_len);
        if (wr->out == NULL) {
            pn_free(wr);
            return PN_ENOMEM;
        }
    }
    wr->format = format;
    wr->columns = pn_calloc(ncols, sizeof *wr->columns);
    if (wr->columns == NULL) {
        pn_free(wr);
        return PN_ENOMEM;
    }
    wr->ncols = ncols;
    for (size_t i = 0; i < ncols; i++) {
        wr->columns[i] = pn_strdup(columns[i]);
        if (wr->columns[i] == NULL) {
            pn_writer_discard(wr);
            return PN_ENOMEM;
        }
    }
    if (format == PN_FORMAT_CSV) {
        for (size_t i = 0; i < ncols; i++) fprintf(wr->out, "%s%s", i ? "," : "", columns[i]);
        fputc('\n', wr->out);
    } else if (format == PN_FORMAT_JSON) {
        fputc('[', wr->out);
    }
    *w = wr;
    return PN_OK;
}

int pn_writer_open(pn_writer **w, FILE *out, pn_format format, const char *const *columns,
                   size_t ncols)
{
    return writer_open(w, out, 0, format, columns, ncols);
}

int pn_writer_open_held(pn_writer **w, FILE *out, pn_format format, const char *const *columns,
                        size_t ncols)
{
    return writer_open(w, out, 1, format, columns, ncols);
}

static void csv_string(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* A JSON string (RFC 8259): quotes, backslashes and control characters escaped, valid UTF-8
 * copied, and each byte that is not part of a valid UTF-8 character (a latin-1 header name, a
 * file name or --source in another encoding) replaced by U+FFFD, so that the output always
 * parses; JSON has no way to carry such bytes. */
void pn_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : pn_utf8_seqlen(s + i, len - i);
        if (n == 0) {
            fputs("\\ufffd", out);
            i++;
            continue;
        }
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c == '\n') fputs("\\n", out);
        else if (c < 0x20) fprintf(out, "\\u%04x", c);
        else fwrite(s + i, 1, n, out);
        i += n;
    }
    fputc('"', out);
}

/* Emit one cell given as text; `kind` 0 string, 1 number, 2 missing. */
static int cell(pn_writer *w, const char *text, int kind)
{
    if (w->cell >= w->ncols) return PN_EINVAL;
    if (w->format == PN_FORMAT_CSV) {
        if (w->cell) fputc(',', w->out);
        if (kind == 0) csv_string(w->out, text);
        else if (kind == 1) fputs(text, w->out);
    } else if (w->format == PN_FORMAT_JSON) {
        fputs(w->cell ? "," : (w->nrows ? ",\n{" : "\n{"), w->out);
        pn_json_string(w->out, w->columns[w->cell]);
        fputc(':', w->out);
        if (kind == 0) pn_json_string(w->out, text);
        else if (kind == 1) fputs(text, w->out);
        else fputs("null", w->out);
    } else {
        if (pn_grow((void **)&w->cells, &w->cap, w->ncells + 1, sizeof *w->cells) != PN_OK)
            return PN_ENOMEM;
        unsigned char *num = pn_reallocarray(w->numeric, w->cap, 1);
        if (num == NULL) return PN_ENOMEM;
        w->numeric = num;
        w->cells[w->ncells] = pn_strdup(kind == 2 ? "" : text);
        if (w->cells[w->ncells] == NULL) return PN_ENOMEM;
        w->numeric[w->ncells] = kind != 0;
        w->ncells++;
    }
    w->cell++;
    return PN_OK;
}

int pn_writer_str(pn_writer *w, const char *value)
{
    return value ? cell(w, value, 0) : cell(w, "", 2);
}

/* A number that is not finite (NaN, an infinite limit or z) is a missing value in every
 * format: empty in CSV, null in JSON, blank in the table. */
/* The decimal digits of an integer value, as "%.17g" (and "%.6g" below 10^6) write it, into
 * buf (at least 24 bytes); 0 when `value` is not such an integer (a fraction, -0, too large). */
static int integer_text(double value, double limit, char *buf)
{
    if (!(fabs(value) < limit) || (value == 0 && signbit(value))) return 0;
    long long iv = (long long)value;
    if ((double)iv != value) return 0;
    char digits[24];
    size_t n = 0;
    unsigned long long u = iv < 0 ? (unsigned long long)(-iv) : (unsigned long long)iv;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    size_t at = 0;
    if (iv < 0) buf[at++] = '-';
    while (n > 0) buf[at++] = digits[--n];
    buf[at] = '\0';
    return 1;
}

int pn_writer_num(pn_writer *w, double value)
{
    if (!isfinite(value)) return cell(w, "", 2);
    char buf[40];
    int table = w->format == PN_FORMAT_TABLE;
    /* integers (times in days, counts) without printf, the same text */
    if (!integer_text(value, table ? 1e6 : 1e15, buf))
        snprintf(buf, sizeof buf, table ? "%.6g" : "%.17g", value);
    return cell(w, buf, 1);
}

int pn_writer_int(pn_writer *w, long long value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", value);
    return cell(w, buf, 1);
}

int pn_writer_missing(pn_writer *w) { return cell(w, "", 2); }

int pn_writer_end_row(pn_writer *w)
{
    while (w->cell < w->ncols) cell(w, "", 2);
    if (w->format == PN_FORMAT_CSV) fputc('\n', w->out);
    else if (w->format == PN_FORMAT_JSON) fputc('}', w->out);
    w->cell = 0;
    w->nrows++;
    if (ferror(w->out)) w->failed = 1;
    return w->failed ? PN_EIO : PN_OK;
}

static void print_table(pn_writer *w)
{
    size_t *width = pn_calloc(w->ncols, sizeof *width);
    if (width == NULL) return;
    for (size_t c = 0; c < w->ncols; c++) width[c] = strlen(w->columns[c]);
    for (size_t i = 0; i < w->ncells; i++) {
        size_t len = strlen(w->cells[i]);
        if (len > width[i % w->ncols]) width[i % w->ncols] = len;
    }
    for (size_t c = 0; c < w->ncols; c++)
        fprintf(w->out, "%s%-*s", c ? "  " : "", (int)width[c], w->columns[c]);
    fputc('\n', w->out);
    for (size_t i = 0; i < w->ncells; i++) {
        size_t c = i % w->ncols;
        int wd = (int)width[c];
        fprintf(w->out, w->numeric[i] ? "%s%*s" : "%s%-*s", c ? "  " : "", wd, w->cells[i]);
        if (c + 1 == w->ncols) fputc('\n', w->out);
    }
    pn_free(width);
}

/* Free the writer; a held table is copied to its destination first when `keep`. */
static int writer_end(pn_writer *w, int keep)
{
    if (w == NULL) return PN_OK;
    if (keep) {
        if (w->format == PN_FORMAT_JSON) fputs(w->nrows ? "\n]\n" : "]\n", w->out);
        else if (w->format == PN_FORMAT_TABLE && !w->failed) print_table(w);
        if (fflush(w->out) != 0 || ferror(w->out)) w->failed = 1;
    }
    if (w->dest != NULL) {
        if (fclose(w->out) != 0) w->failed = 1;
        if (keep && !w->failed) {
            if (fwrite(w->held, 1, w->held_len, w->dest) != w->held_len ||
                fflush(w->dest) != 0 || ferror(w->dest))
                w->failed = 1;
        }
        free(w->held); /* open_memstream's buffer comes from malloc */
    }
    int rc = w->failed ? PN_EIO : PN_OK;
    for (size_t i = 0; i < w->ncells; i++) pn_free(w->cells[i]);
    pn_free(w->cells);
    pn_free(w->numeric);
    for (size_t i = 0; i < w->ncols; i++) pn_free(w->columns[i]);
    pn_free(w->columns);
    pn_free(w);
    return rc;
}

int pn_writer_close(pn_writer *w) { return writer_end(w, 1); }

void pn_writer_discard(pn_writer *w) { writer_end(w, 0); }
