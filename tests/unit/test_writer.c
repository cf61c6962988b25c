/* test_writer.c - the output writers (publish/writer.c): JSON stays valid whatever bytes a text
 * holds (invalid UTF-8 becomes U+FFFD, control characters are escaped), a number that is not
 * finite is a missing value in every format, and a held table reaches its stream only when
 * closed (nothing at all when discarded). */
#include "pn_test.h"
#include "pronostic/error.h"
#include "pronostic/writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write one row of (text, a, b) as `format` and return the output (malloc'ed). */
static char *one_row(pn_format format, const char *column, const char *text, double a, double b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) return NULL;
    const char *cols[] = {column, "a", "b"};
    pn_writer *w = NULL;
    if (pn_writer_open(&w, f, format, cols, 3) == PN_OK) {
        pn_writer_str(w, text);
        pn_writer_num(w, a);
        pn_writer_num(w, b);
        pn_writer_end_row(w);
        pn_writer_close(w);
    }
    fclose(f);
    return buf;
}

PN_TEST(json_replaces_invalid_utf8)
{
    /* a latin-1 e-acute, a lone continuation byte, a truncated and an overlong sequence, a
     * surrogate, valid UTF-8 (e-acute, an emoji), a quote, a backslash and a tab */
    char *out = one_row(PN_FORMAT_JSON, "col\xe9", "caf\xe9 \x80 \xe2\x82 \xc0\xaf \xed\xa0\x80 "
                        "\xc3\xa9\xf0\x9f\x98\x80 \"\\\t", 1, 2);
    PN_CHECK_STR(out, "[\n{\"col\\ufffd\":\"caf\\ufffd \\ufffd \\ufffd\\ufffd \\ufffd\\ufffd "
                      "\\ufffd\\ufffd\\ufffd \xc3\xa9\xf0\x9f\x98\x80 \\\"\\\\\\u0009\",\"a\":1,"
                      "\"b\":2}\n]\n");
    free(out);
}

PN_TEST(non_finite_numbers_are_missing)
{
    char *csv = one_row(PN_FORMAT_CSV, "s", "x", INFINITY, -INFINITY);
    PN_CHECK_STR(csv, "s,a,b\nx,,\n");
    free(csv);
    char *json = one_row(PN_FORMAT_JSON, "s", "x", -INFINITY, NAN);
    PN_CHECK_STR(json, "[\n{\"s\":\"x\",\"a\":null,\"b\":null}\n]\n");
    free(json);
    char *table = one_row(PN_FORMAT_TABLE, "s", "x", INFINITY, 0.5);
    PN_CHECK_STR(table, "s  a  b  \nx     0.5\n");
    free(table);
}

PN_TEST(held_table_reaches_the_stream_at_close)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) return;
    const char *cols[] = {"x"};
    pn_writer *w = NULL;
    PN_CHECK(pn_writer_open_held(&w, f, PN_FORMAT_CSV, cols, 1) == PN_OK);
    pn_writer_num(w, 1);
    pn_writer_end_row(w);
    fflush(f);
    PN_CHECK(len == 0);                       /* not even the header yet */
    PN_CHECK(pn_writer_close(w) == PN_OK);
    fflush(f);
    PN_CHECK(len == 4 && memcmp(buf, "x\n1\n", 4) == 0);
    /* discarded: nothing written, for every format */
    for (int fmt = 0; fmt < 3; fmt++) {
        PN_CHECK(pn_writer_open_held(&w, f, (pn_format)fmt, cols, 1) == PN_OK);
        pn_writer_num(w, 2);
        pn_writer_end_row(w);
        pn_writer_discard(w);
    }
    pn_writer_discard(NULL);
    fflush(f);
    PN_CHECK(len == 4);
    fclose(f);
    free(buf);
}

/* Numbers are written as printf's "%.17g" writes them (CSV, JSON), integers (written without
 * printf) included: signs, -0, the largest integers written so and past them, fractions. */
PN_TEST(numbers_written_as_printf_writes_them)
{
    const double v[] = {0, -0.0, 1, -1, 7, 10, 2262, -4096, 999999, 1e6, -1e6, 1234567,
                        999999999999999, 1e15, -1e15, 1e15 + 2, 123456789012345678.0, 0.5,
                        -2.5, 1.0 / 3, 2.0650000000000004, 1e300, 5e-324, 4503599627370497.0};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char want[160], a[48];
        snprintf(a, sizeof a, "%.17g", v[i]);
        char *csv = one_row(PN_FORMAT_CSV, "s", "x", v[i], -v[i]);
        char b[48];
        snprintf(b, sizeof b, "%.17g", -v[i]);
        snprintf(want, sizeof want, "s,a,b\nx,%s,%s\n", a, b);
        PN_CHECK_STR(csv, want);
        free(csv);
        char *json = one_row(PN_FORMAT_JSON, "s", "x", v[i], -v[i]);
        snprintf(want, sizeof want, "[\n{\"s\":\"x\",\"a\":%s,\"b\":%s}\n]\n", a, b);
        PN_CHECK_STR(json, want);
        free(json);
    }
    char *table = one_row(PN_FORMAT_TABLE, "s", "x", 999999, 1234567);
    PN_CHECK_STR(table, "s  a       b          \nx  999999  1.23457e+06\n");
    free(table);
}

PN_TEST_MAIN(PN_T(json_replaces_invalid_utf8), PN_T(non_finite_numbers_are_missing),
             PN_T(held_table_reaches_the_stream_at_close),
             PN_T(numbers_written_as_printf_writes_them))
