/* test_csv_fast.c - unit tests of the CSV reader's fast path (csv.c): rows without quotes read
 * by it give the same fields, lines and messages as the general path (pn_csv_opts.general_path),
 * over random rows mixing quotes, CRLF, blank lines, NUL bytes, empty and long fields, short
 * reads and long rows, and with another delimiter; and the same over two ranges. */
#include "pn_test.h"
#include "../fuzz/pn_csvrange.h"
#include "pronostic/csv.h"

#include <stdlib.h>

/* The rows of `data` read by both paths with `o` are the same text (and the same error). */
static void check_same(const char *data, size_t len, pn_csv_opts o)
{
    pn_rowtext fast = {0}, general = {0};
    o.general_path = 0;
    pn_rowtext_whole(&fast, data, len, &o);
    o.general_path = 1;
    pn_rowtext_whole(&general, data, len, &o);
    int same = fast.s != NULL && general.s != NULL && strcmp(fast.s, general.s) == 0;
    if (!same)
        fprintf(stderr, "fast:\n%s\n--- general:\n%s\n", fast.s ? fast.s : "",
                general.s ? general.s : "");
    PN_CHECK(same);
    /* and over two ranges cut in the middle, as the threads read them */
    pn_rowtext ranges = {0};
    unsigned long long cuts[3] = {0, len / 2, len};
    size_t proven;
    o.general_path = 0;
    pn_rowtext_ranges(&ranges, data, len, &o, cuts, 2, &proven);
    PN_CHECK(ranges.s != NULL && general.s != NULL && strcmp(ranges.s, general.s) == 0);
    free(ranges.s);
    free(fast.s);
    free(general.s);
}

/* A random CSV of `rows` rows over the bytes of `alphabet` (the header "a,b,c"). */
static size_t random_csv(char *buf, size_t cap, size_t rows, const char *alphabet, unsigned *seed)
{
    size_t n = (size_t)snprintf(buf, cap, "a,b,c\n"), na = strlen(alphabet);
    for (size_t r = 0; r < rows && n + 200 < cap; r++) {
        size_t width = (size_t)(rand_r(seed) % 90);
        for (size_t i = 0; i < width; i++)
            buf[n++] = alphabet[(size_t)rand_r(seed) % na];
        buf[n++] = '\n';
    }
    buf[n] = '\0';
    return n;
}

PN_TEST(random_rows_same_as_general_path)
{
    static char buf[1 << 16];
    unsigned seed = 12345;
    const char *alphabets[] = {"abc,,,12", "ab,\r\n", "a,\"b\n", "x,;y\tz ", "ab,\r"};
    for (size_t k = 0; k < 300; k++) {
        const char *alpha = alphabets[k % 5];
        size_t len = random_csv(buf, sizeof buf, 1 + k % 40, alpha, &seed);
        pn_csv_opts o = {.max_row_bytes = k % 3 == 0 ? 24 : 0,
                         .read_bytes = k % 4 == 0 ? 1 + k % 17 : 0,
                         .check_utf8 = (int)(k % 2),
                         .delimiter = k % 7 == 3 ? ';' : 0};
        check_same(buf, len, o);
    }
}

PN_TEST(nul_bytes_and_bad_utf8_same_as_general_path)
{
    const char data[] = "a,b\n1,2\n3,\0x\n5,6\n";
    check_same(data, sizeof data - 1, (pn_csv_opts){0});
    const char bad[] = "a,b\n1,2\n3,\xff\n5,6\n";
    check_same(bad, sizeof bad - 1, (pn_csv_opts){.check_utf8 = 1});
    const char tail[] = "a,b\n1,2\n3,4"; /* no line feed at the end */
    check_same(tail, sizeof tail - 1, (pn_csv_opts){0});
    const char longrow[] = "a,b\n1,2\n0123456789,0123456789012345678901234567890123456789\n5,6\n";
    check_same(longrow, sizeof longrow - 1, (pn_csv_opts){.max_row_bytes = 30});
    const char exact[] = "a,b\n1,2\n123456789\r\n5,6\n"; /* 10 bytes with the CR, max 9 */
    check_same(exact, sizeof exact - 1, (pn_csv_opts){.max_row_bytes = 9});
}

/* Rows of 1 to 200 fields, past the views the reader first allocates. */
PN_TEST(many_fields_same_as_general_path)
{
    static char buf[1 << 14];
    size_t n = (size_t)snprintf(buf, sizeof buf, "a\n");
    for (size_t r = 1; r <= 200 && n + 450 < sizeof buf; r += 13) {
        for (size_t i = 0; i < r; i++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%zu", i ? "," : "", i % 10);
        buf[n++] = '\n';
    }
    buf[n] = '\0';
    check_same(buf, n, (pn_csv_opts){0});
}

PN_TEST_MAIN(PN_T(random_rows_same_as_general_path),
             PN_T(nul_bytes_and_bad_utf8_same_as_general_path),
             PN_T(many_fields_same_as_general_path))
