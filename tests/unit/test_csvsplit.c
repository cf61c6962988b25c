/* test_csvsplit.c - unit tests of the CSV's ranges (csv.h): candidate cuts, and rows read over
 * ranges equal to the rows read whole for every cut, with quoted newlines, CRLF, a byte-order
 * mark, blank and empty last lines, a range inside one row, and an error after a cut. */
#include "pn_test.h"
#include "../fuzz/pn_csvrange.h"
#include "pronostic/csv.h"

#include <stdlib.h>
#include <unistd.h>

/* Rows over every 2- and 3-range cut at a line feed (and at every byte for 2 ranges) equal the
 * rows read whole; returns the number of 2-range cuts proven to be row boundaries. */
static size_t check_every_cut(const char *data, const pn_csv_opts *o)
{
    size_t len = strlen(data), proven_total = 0;
    pn_rowtext whole = {0};
    pn_rowtext_whole(&whole, data, len, o);
    for (size_t p = 0; p <= len; p++) {
        unsigned long long cuts[3] = {0, p, len};
        pn_rowtext t = {0};
        size_t proven;
        pn_rowtext_ranges(&t, data, len, o, cuts, 2, &proven);
        if (whole.s == NULL ? t.s != NULL : t.s == NULL || strcmp(t.s, whole.s) != 0) {
            fprintf(stderr, "cut at %zu:\n%s\n--- whole:\n%s\n", p, t.s ? t.s : "", whole.s);
            PN_CHECK(0);
        }
        proven_total += proven;
        free(t.s);
    }
    for (size_t p = 0; p < len; p++) {
        if (data[p] != '\n') continue;
        for (size_t q = p + 1; q < len; q++) {
            if (data[q] != '\n') continue;
            unsigned long long cuts[4] = {0, p + 1, q + 1, len};
            pn_rowtext t = {0};
            size_t proven;
            pn_rowtext_ranges(&t, data, len, o, cuts, 3, &proven);
            PN_CHECK(t.s != NULL && whole.s != NULL && strcmp(t.s, whole.s) == 0);
            free(t.s);
        }
    }
    free(whole.s);
    return proven_total;
}

/* The number of cuts proven for the ranges cut at `p` (2 ranges). */
static size_t proven_at(const char *data, size_t p)
{
    size_t len = strlen(data), proven;
    unsigned long long cuts[3] = {0, p, len};
    pn_rowtext t = {0};
    pn_rowtext_ranges(&t, data, len, NULL, cuts, 2, &proven);
    free(t.s);
    return proven;
}

PN_TEST(quoted_newlines_across_cuts)
{
    const char *data = "id,note,v\n1,\"a\nb\",2\n2,\"x\n3,\"\"y\"\"\n\",4\n3,plain,5\n"
                       "4,\"\n\n\",6\n5,z,7\n";
    check_every_cut(data, NULL);
    /* a cut after the line feed inside "a\nb" is refuted, one after a row end proven */
    const char *in_quotes = strstr(data, "a\n") + 2, *row_end = strstr(data, "3,plain");
    PN_CHECK(proven_at(data, (size_t)(in_quotes - data)) == 0);
    PN_CHECK(proven_at(data, (size_t)(row_end - data)) == 1);
    /* "3,""y""" looks like a row start inside the quoted field: refuted too */
    const char *fake = strstr(data, "3,\"\"y");
    PN_CHECK(proven_at(data, (size_t)(fake - data)) == 0);
}

PN_TEST(crlf_and_bom)
{
    check_every_cut("\xEF\xBB\xBFid,v\r\n1,2\r\n2,\"a\r\nb\"\r\n3,4\r\n", NULL);
    pn_csv *csv = NULL;
    pn_diag d = {0};
    const char *data = "\xEF\xBB\xBFid,v\r\n1,2\r\n";
    PN_CHECK(pn_csv_open_mem(&csv, "t", data, strlen(data), NULL, &d) == PN_OK);
    PN_CHECK(pn_csv_position(csv) == 3 + 6); /* the mark and "id,v\r\n" */
    PN_CHECK(pn_csv_next_line(csv) == 2);
    pn_csv_close(csv);
}

PN_TEST(cut_exactly_at_a_row_end)
{
    const char *data = "a,b\n1,2\n3,4\n5,6\n7,8\n";
    size_t len = strlen(data);
    unsigned long long cuts[5];
    pn_csv_split_mem(data, len, 4, 2, cuts);
    PN_CHECK(cuts[0] == 4 && cuts[2] == len);
    /* the middle, 4 + 16 / 2 = 12, is the start of "5,6": the first byte after a line feed at or
     * after it is 16 ("7,8"); a cut just after a line feed stays there */
    PN_CHECK(cuts[1] == 16);
    pn_csv_split_mem(data, len, 4, 4, cuts);
    for (int k = 1; k < 4; k++) PN_CHECK(data[cuts[k] - 1] == '\n');
    PN_CHECK(proven_at(data, 12) == 1);
    check_every_cut(data, NULL);
}

PN_TEST(blank_and_empty_last_lines)
{
    check_every_cut("a,b\n1,2\n\n\n3,4\n\n", NULL);
    check_every_cut("a,b\n1,2\n3,4", NULL);    /* no final line feed */
    check_every_cut("a,b\n\n\n1,2\n\n", NULL);
    check_every_cut("a,b\n", NULL);            /* the header only */
}

PN_TEST(range_with_no_full_row)
{
    /* one row spans most of the file: ranges inside it hold no row of their own */
    const char *data = "a,b\n1,\"x\ny\nz\nw\nv\n\"\n2,3\n";
    check_every_cut(data, NULL);
    size_t len = strlen(data);
    unsigned long long cuts[5] = {0, 10, 12, 14, len};
    pn_rowtext whole = {0}, t = {0};
    size_t proven;
    pn_rowtext_whole(&whole, data, len, NULL);
    pn_rowtext_ranges(&t, data, len, NULL, cuts, 4, &proven);
    PN_CHECK_STR(t.s, whole.s);
    PN_CHECK(proven == 0);
    free(whole.s);
    free(t.s);
}

PN_TEST(error_after_a_cut_names_its_line)
{
    /* a field with text after its closing quote, in the second range, and a ragged row */
    const char *data = "a,b\n1,2\n3,\"q\nr\"\n4,5\n6,\"x\"y\n7,8\n";
    check_every_cut(data, NULL);
    pn_rowtext whole = {0};
    pn_rowtext_whole(&whole, data, strlen(data), NULL);
    PN_CHECK(whole.s != NULL && strstr(whole.s, "error: t.csv:6: column b: text after a "
                                                "closing quote") != NULL);
    free(whole.s);
    pn_csv_opts small = {.max_row_bytes = 8, .read_bytes = 3};
    check_every_cut("a,b\n1,2\n3,4\n123456789,1\n5,6\n", &small); /* a row too long */
    check_every_cut("a,b\n1,2\n3,\"4\n", NULL);                     /* unterminated */
}

PN_TEST(split_of_a_file)
{
    char path[] = "/tmp/pn_csvsplit_XXXXXX";
    int fd = mkstemp(path);
    PN_CHECK(fd >= 0);
    if (fd < 0) return;
    char data[4000];
    size_t len = 0;
    len += (size_t)snprintf(data, sizeof data, "id,v\n");
    for (int i = 0; len + 16 < sizeof data; i++)
        len += (size_t)snprintf(data + len, sizeof data - len, "%d,\"%d\n\"\n", i, i * 7);
    PN_CHECK(write(fd, data, len) == (ssize_t)len);
    close(fd);
    for (size_t parts = 1; parts <= 7; parts++) {
        unsigned long long a[8], b[8];
        pn_diag d = {0};
        PN_CHECK(pn_csv_split(path, 5, len, parts, a, &d) == PN_OK);
        pn_csv_split_mem(data, len, 5, parts, b);
        for (size_t k = 0; k <= parts; k++) PN_CHECK(a[k] == b[k]);
        /* the file's ranges read as the drivers read them give the rows read whole */
        pn_csv *head = NULL;
        PN_CHECK(pn_csv_open(&head, path, NULL, &d) == PN_OK);
        size_t rows = 0;
        for (size_t k = 0; k < parts; k++) {
            pn_csv *r = NULL;
            PN_CHECK(pn_csv_open_range(&r, head, path, a[k], a[k + 1], 1, &d) == PN_OK);
            while (pn_csv_next(r, &d) > 0) rows++;
            pn_csv_close(r);
        }
        pn_csv_close(head);
        /* some cuts fall inside the quoted fields: those ranges start mid-row, so only the
         * reading of the whole counts are compared through pn_rowtext elsewhere */
        PN_CHECK(rows > 0);
    }
    unlink(path);
}

PN_TEST_MAIN(PN_T(quoted_newlines_across_cuts), PN_T(crlf_and_bom), PN_T(cut_exactly_at_a_row_end),
             PN_T(blank_and_empty_last_lines), PN_T(range_with_no_full_row),
             PN_T(error_after_a_cut_names_its_line), PN_T(split_of_a_file))
