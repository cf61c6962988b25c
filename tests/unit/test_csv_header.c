/* test_csv_header.c - header rows that are not what they seem: CR-only line ends (the whole
 * file would be one header row) and byte-order marks left before or inside a header name (the
 * name would silently not match). Each gets a message naming the cause, whatever the read size. */
#include "pn_test.h"
#include "pronostic/csv.h"

#include <stdlib.h>

/* Open `len` bytes with reads of `chunk` bytes (0: whole buffers); returns the code, the reader
 * (or NULL) in *out, the message in diag. */
static int open_chunked(const char *text, size_t len, size_t chunk, size_t max_row, pn_csv **out,
                        pn_diag *diag)
{
    pn_csv_opts opts = {.read_bytes = chunk, .max_row_bytes = max_row};
    pn_diag_clear(diag);
    return pn_csv_open_mem(out, "h.csv", text, len, &opts, diag);
}

/* The open fails with `code` and exactly `msg`, for every read size from 1 to 9 bytes and for
 * whole buffers. */
static void expect_refused(const char *text, int code, const char *msg)
{
    for (size_t chunk = 0; chunk <= 9; chunk++) {
        pn_csv *csv = NULL;
        pn_diag diag = {0};
        int rc = open_chunked(text, strlen(text), chunk, 0, &csv, &diag);
        PN_CHECK(rc == code);
        PN_CHECK(csv == NULL);
        PN_CHECK_STR(diag.msg, msg);
        pn_csv_close(csv);
    }
}

/* The open succeeds for every read size and the header is `want` (names joined by '|'). */
static void expect_header(const char *text, const char *want)
{
    for (size_t chunk = 0; chunk <= 9; chunk++) {
        pn_csv *csv = NULL;
        pn_diag diag = {0};
        PN_CHECK(open_chunked(text, strlen(text), chunk, 0, &csv, &diag) == PN_OK);
        if (csv == NULL) {
            fprintf(stderr, "  %s\n", diag.msg);
            return;
        }
        char got[256] = "";
        size_t pos = 0;
        for (size_t i = 0; i < pn_csv_ncols(csv); i++)
            pos += (size_t)snprintf(got + pos, sizeof got - pos, "%s%s", i ? "|" : "",
                                    pn_csv_colname(csv, i));
        PN_CHECK_STR(got, want);
        pn_csv_close(csv);
    }
}

PN_TEST(cr_only_line_ends)
{
    const char *msg = "h.csv:1: CR-only line ends (convert the file to LF or CRLF)";
    expect_refused("time,event\r1,1\r2,0\r", PN_EENCODING, msg);
    expect_refused("\xEF\xBB\xBFtime,event\r1,1\r", PN_EENCODING, msg);
    expect_refused("\"time\",\"event\"\r1,1\r", PN_EENCODING, msg);
    /* blank lines before the header count */
    expect_refused("\n\ntime,event\r1,1\r", PN_EENCODING,
                   "h.csv:3: CR-only line ends (convert the file to LF or CRLF)");
    expect_refused("\r\ntime,event\r1,1\r", PN_EENCODING,
                   "h.csv:2: CR-only line ends (convert the file to LF or CRLF)");
    /* LF and CRLF files, a CR inside a quoted name, a header-only file ending in CR alone */
    expect_header("time,event\n1,1\n", "time|event");
    expect_header("time,event\r\n1,1\r\n", "time|event");
    expect_header("\"ti\rme\",event\n1,1\n", "ti\rme|event");
    expect_header("time,event\r", "time|event");
}

/* A CR-only file longer than the row limit is named for its line ends, not for its length. */
PN_TEST(cr_only_long_file)
{
    size_t n = 200000, len = 0;
    char *text = malloc(n + 64);
    PN_CHECK(text != NULL);
    if (text == NULL) return;
    len += (size_t)snprintf(text, 64, "time,event\r");
    while (len + 4 < n) {
        memcpy(text + len, "1,1\r", 4);
        len += 4;
    }
    pn_csv *csv = NULL;
    pn_diag diag = {0};
    PN_CHECK(open_chunked(text, len, 0, 4096, &csv, &diag) == PN_EENCODING);
    PN_CHECK(strstr(diag.msg, "CR-only line ends") != NULL);
    PN_CHECK(open_chunked(text, len, 7, 4096, &csv, &diag) == PN_EENCODING);
    PN_CHECK(strstr(diag.msg, "CR-only line ends") != NULL);
    /* a long header line with LF ends is still "longer than" the limit */
    memset(text, 'a', 5000);
    memcpy(text + 5000, "\n1\n", 3);
    PN_CHECK(open_chunked(text, 5003, 0, 4096, &csv, &diag) == PN_ETOOBIG);
    free(text);
}

PN_TEST(bom_before_header_name)
{
    /* a second mark (a file saved twice, or two files concatenated) */
    expect_refused("\xEF\xBB\xBF\xEF\xBB\xBFtime,event\n1,1\n", PN_EENCODING,
                   "h.csv:1: byte-order mark before header name 'time'");
    /* a mark inside quotes, or before a later name, or after spaces */
    expect_refused("\"\xEF\xBB\xBFtime\",event\n1,1\n", PN_EENCODING,
                   "h.csv:1: byte-order mark before header name 'time'");
    expect_refused("time,\xEF\xBB\xBF" "event\n1,1\n", PN_EENCODING,
                   "h.csv:1: byte-order mark before header name 'event'");
    expect_refused("time, \xEF\xBB\xBF" "event\r\n1,1\r\n", PN_EENCODING,
                   "h.csv:1: byte-order mark before header name 'event'");
    expect_refused("time,ev\xEF\xBB\xBF" "ent\n1,1\n", PN_EENCODING,
                   "h.csv:1: byte-order mark inside header name 'event'");
    expect_refused("time,\xEF\xBB\xBF\n1,1\n", PN_EENCODING,
                   "h.csv:1: column 2: a byte-order mark and no header name");
    /* the one mark at the very start, before a quote or not, is the file's and is dropped */
    expect_header("\xEF\xBB\xBFtime,event\n1,1\n", "time|event");
    expect_header("\xEF\xBB\xBF\"time\",event\n1,1\n", "time|event");
    /* a mark in a data row is data */
    expect_header("time,note\n1,\xEF\xBB\xBFx\n", "time|note");
}

PN_TEST_MAIN(PN_T(cr_only_line_ends), PN_T(cr_only_long_file), PN_T(bom_before_header_name))
