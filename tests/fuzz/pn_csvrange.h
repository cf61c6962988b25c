/* pn_csvrange.h - for the tests of range reading (csv.h): the rows of a CSV in memory read whole
 * and read over ranges as the threaded drivers read them, each as one text ("LINE|f1|f2|...\n"
 * per row, then the error message, if any), so that the two can be compared byte for byte.
 *
 * Over ranges: range 0 is read from the header on; each later range k is read on its own from
 * cuts[k] with lines counted from 1, and kept only when the rows read before it ended exactly at
 * cuts[k] (the proof that the cut is a row boundary) and it ended without an error; otherwise
 * its rows are read again, in sequence, after the rows kept (the drivers' fallback). */
#ifndef PN_CSVRANGE_H
#define PN_CSVRANGE_H

#include "pronostic/alloc.h"
#include "pronostic/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pn_rowtext {
    char *s;
    size_t len, cap;
} pn_rowtext;

static void pn__rowtext_add(pn_rowtext *t, const char *s, size_t len)
{
    if (t->len + len + 1 > t->cap) {
        t->cap = (t->len + len + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (t->s == NULL) abort();
    }
    memcpy(t->s + t->len, s, len);
    t->len += len;
    t->s[t->len] = '\0';
}

/* Append field text with its line feeds, carriage returns and backslashes escaped, so that a
 * row is one line of the text. */
static void pn__rowtext_field(pn_rowtext *t, const char *f, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (f[i] == '\n') pn__rowtext_add(t, "\\n", 2);
        else if (f[i] == '\r') pn__rowtext_add(t, "\\r", 2);
        else if (f[i] == '\\') pn__rowtext_add(t, "\\\\", 2);
        else pn__rowtext_add(t, f + i, 1);
    }
}

/* Append the rows of `csv` until its end (or an error) to `t`, lines shifted by `shift`.
 * Returns 0 at the end, or the (negative) error, whose message is in diag. */
static int pn__rowtext_read(pn_rowtext *t, pn_csv *csv, long shift, pn_diag *diag)
{
    int rc;
    char num[32];
    while ((rc = pn_csv_next(csv, diag)) > 0) {
        int n = snprintf(num, sizeof num, "%ld", pn_csv_line(csv) + shift);
        pn__rowtext_add(t, num, (size_t)n);
        for (size_t i = 0; i < pn_csv_nfields(csv); i++) {
            size_t len;
            const char *f = pn_csv_field(csv, i, &len);
            pn__rowtext_add(t, "|", 1);
            pn__rowtext_field(t, f, len);
        }
        pn__rowtext_add(t, "\n", 1);
    }
    return rc;
}

/* The rows of the whole input, then "error: MESSAGE" when the reading failed. */
static void pn_rowtext_whole(pn_rowtext *t, const char *data, size_t len, const pn_csv_opts *o)
{
    pn_csv *csv = NULL;
    pn_diag diag = {0};
    if (pn_csv_open_mem(&csv, "t.csv", data, len, o, &diag) != PN_OK) {
        pn__rowtext_add(t, "open error\n", 11);
        return;
    }
    if (pn__rowtext_read(t, csv, 0, &diag) < 0) {
        pn__rowtext_add(t, "error: ", 7);
        pn__rowtext_add(t, diag.msg, strlen(diag.msg));
    }
    pn_csv_close(csv);
}

/* The same over the ranges of `cuts` (nparts + 1 offsets, cuts[0] ignored: the header's end).
 * *proven counts the cuts proven to be row boundaries. */
static void pn_rowtext_ranges(pn_rowtext *t, const char *data, size_t len, const pn_csv_opts *o,
                              unsigned long long *cuts, size_t nparts, size_t *proven)
{
    pn_csv *head = NULL;
    pn_diag diag = {0};
    *proven = 0;
    if (pn_csv_open_mem(&head, "t.csv", data, len, o, &diag) != PN_OK) {
        pn__rowtext_add(t, "open error\n", 11);
        return;
    }
    cuts[0] = pn_csv_position(head);
    for (size_t k = 1; k <= nparts; k++)
        if (cuts[k] < cuts[k - 1]) cuts[k] = cuts[k - 1];
    cuts[nparts] = len;
    /* each range read alone, lines from 1 (as the threads read them) */
    pn_rowtext *part = calloc(nparts, sizeof *part);
    int *prc = calloc(nparts, sizeof *prc);
    unsigned long long *end = calloc(nparts, sizeof *end);
    long *lines = calloc(nparts, sizeof *lines);
    if (part == NULL || prc == NULL || end == NULL || lines == NULL) abort();
    for (size_t k = 1; k < nparts; k++) {
        pn_csv *r = NULL;
        pn_diag d = {0};
        if (pn_csv_open_range_mem(&r, head, data, len, cuts[k], cuts[k + 1], 1, &d) != PN_OK)
            abort();
        prc[k] = pn__rowtext_read(&part[k], r, 0, &d);
        end[k] = pn_csv_position(r);
        lines[k] = pn_csv_next_line(r) - 1;
        pn_csv_close(r);
    }
    /* in order: range 0 from the header on, then each later range kept or read again */
    unsigned long long at = cuts[0];
    long line = pn_csv_next_line(head);
    int rc = 0;
    for (size_t k = 0; k < nparts && rc == 0; k++) {
        if (k > 0 && at == cuts[k] && prc[k] == 0) {
            /* proven: the range's rows, lines shifted by the lines before it */
            (*proven)++;
            char num[32];
            for (const char *p = part[k].s; p != NULL && *p;) {
                const char *bar = strchr(p, '|'), *nl = strchr(p, '\n');
                if (bar == NULL || bar > nl) bar = nl;
                int n = snprintf(num, sizeof num, "%ld", strtol(p, NULL, 10) + line - 1);
                pn__rowtext_add(t, num, (size_t)n);
                pn__rowtext_add(t, bar, (size_t)(nl + 1 - bar));
                p = nl + 1;
            }
            at = end[k];
            line += lines[k];
            continue;
        }
        pn_csv *r = NULL;
        if (pn_csv_open_range_mem(&r, head, data, len, at, cuts[k + 1], line, &diag) != PN_OK)
            abort();
        rc = pn__rowtext_read(t, r, 0, &diag);
        at = pn_csv_position(r);
        line = pn_csv_next_line(r);
        pn_csv_close(r);
    }
    if (rc < 0) {
        pn__rowtext_add(t, "error: ", 7);
        pn__rowtext_add(t, diag.msg, strlen(diag.msg));
    }
    for (size_t k = 0; k < nparts; k++) free(part[k].s);
    free(part);
    free(prc);
    free(end);
    free(lines);
    pn_csv_close(head);
}

#endif
