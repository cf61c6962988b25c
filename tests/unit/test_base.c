/* test_base.c - unit tests of base/: errors, dates, number parsing, the CSV reader. */
#include "pn_test.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/date.h"
#include "pronostic/datadir.h"
#include "pronostic/error.h"
#include "pronostic/frame.h"
#include "pronostic/num.h"
#include "pronostic/strset.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

PN_TEST(errors_have_names_and_messages)
{
    PN_CHECK_STR(pn_strerror(PN_OK), "success");
    PN_CHECK_STR(pn_strerror(PN_EPARSE), "malformed input");
    PN_CHECK_STR(pn_errname(PN_ENOCOL), "ENOCOL");
    PN_CHECK_STR(pn_strerror(-9999), "unknown error");
    PN_CHECK(pn_exit_code(PN_ENOCOL) == 1);
    PN_CHECK(pn_exit_code(PN_EPARSE) == 2);
    PN_CHECK(pn_exit_code(PN_EPARTIAL) == 3);
    PN_CHECK(pn_exit_code(PN_ENOMEM) == 4);
}

PN_TEST(dates_round_trip)
{
    PN_CHECK(pn_days_from_civil(1970, 1, 1) == 0);
    PN_CHECK(pn_days_from_civil(2000, 3, 1) == 11017);
    PN_CHECK(pn_days_from_civil(1969, 12, 31) == -1);
    for (int32_t d = -800000; d < 800000; d += 37) {
        int y, m, dd;
        pn_civil_from_days(d, &y, &m, &dd);
        PN_CHECK(pn_days_from_civil(y, m, dd) == d);
    }
    int32_t days;
    int prec;
    PN_CHECK(pn_date_parse("2024-02-29", 10, 0, &days, &prec) == PN_OK && prec == PN_DATE_DAY);
    PN_CHECK(pn_date_parse("2023-02-29", 10, 0, &days, NULL) == PN_EPARSE);
    PN_CHECK(pn_date_parse("2023-13-01", 10, 0, &days, NULL) == PN_EPARSE);
    PN_CHECK(pn_date_parse("2023-1-01", 9, 0, &days, NULL) == PN_EPARSE);
    PN_CHECK(pn_date_parse("2023-06", 7, 0, &days, NULL) == PN_EPARSE);
    PN_CHECK(pn_date_parse("2023-06", 7, 1, &days, &prec) == PN_OK && prec == PN_DATE_MONTH);
    char buf[11];
    pn_date_format(days, buf);
    PN_CHECK_STR(buf, "2023-06-15");
    PN_CHECK_NEAR(pn_decimal_year(pn_days_from_civil(2020, 1, 1)), 2020.0, 0);
    PN_CHECK_NEAR(pn_decimal_year(pn_days_from_civil(2021, 7, 2)), 2021 + 182.0 / 365, 1e-12);
}

PN_TEST(numbers_parse_strictly)
{
    double v;
    PN_CHECK(pn_parse_double("12", 2, &v) == PN_OK && v == 12);
    PN_CHECK(pn_parse_double(" -3.25 ", 7, &v) == PN_OK && v == -3.25);
    PN_CHECK(pn_parse_double("1e-3", 4, &v) == PN_OK && v == 1e-3);
    PN_CHECK(pn_parse_double(".5", 2, &v) == PN_OK && v == 0.5);
    PN_CHECK(pn_parse_double("0.1", 3, &v) == PN_OK && v == 0.1);
    PN_CHECK(pn_parse_double("3.0000000000000000000001", 24, &v) == PN_OK && v == 3.0);
    PN_CHECK(pn_parse_double("123456789012345678901234", 24, &v) == PN_OK && v == 123456789012345678901234.0);
    PN_CHECK(pn_parse_double("1e400", 5, &v) == PN_ERANGE);
    PN_CHECK(pn_parse_double("abc", 3, &v) == PN_EPARSE);
    PN_CHECK(pn_parse_double("1,5", 3, &v) == PN_EPARSE);
    PN_CHECK(pn_parse_double("nan", 3, &v) == PN_EPARSE);
    PN_CHECK(pn_parse_double("inf", 3, &v) == PN_EPARSE);
    PN_CHECK(pn_parse_double("0x10", 4, &v) == PN_EPARSE);
    PN_CHECK(pn_parse_double("", 0, &v) == PN_EPARSE);
    PN_CHECK(pn_parse_double("1e", 2, &v) == PN_EPARSE);
    /* the fast path agrees with strtod on many random decimals */
    srand(7);
    for (int i = 0; i < 100000; i++) {
        char buf[64];
        int len = snprintf(buf, sizeof buf, "%d.%0*d", rand() % 100000, 1 + rand() % 9, rand() % 1000000);
        PN_CHECK(pn_parse_double(buf, (size_t)len, &v) == PN_OK && v == strtod(buf, NULL));
    }
    int64_t n;
    PN_CHECK(pn_parse_int64("-9223372036854775808", 20, &n) == PN_OK && n == INT64_MIN);
    PN_CHECK(pn_parse_int64("9223372036854775808", 19, &n) == PN_ERANGE);
    PN_CHECK(pn_parse_int64("12a", 3, &n) == PN_EPARSE);
    double *list;
    size_t count;
    PN_CHECK(pn_parse_double_list("1,2.5,10", &list, &count) == PN_OK && count == 3 && list[1] == 2.5);
    pn_free(list);
    PN_CHECK(pn_parse_double_list("1,,2", &list, &count) == PN_EPARSE);
}

PN_TEST(utf8_validation)
{
    PN_CHECK(pn_utf8_valid("caf\xc3\xa9", 5));
    PN_CHECK(!pn_utf8_valid("caf\xe9", 4));             /* latin-1 */
    PN_CHECK(!pn_utf8_valid("\xc0\xaf", 2));            /* overlong */
    PN_CHECK(!pn_utf8_valid("\xed\xa0\x80", 3));        /* surrogate */
    PN_CHECK(!pn_utf8_valid("\xe2\x82", 2));            /* truncated */
    PN_CHECK(pn_utf8_valid("\xf0\x9f\x98\x80", 4));
}

static pn_csv *open_text(const char *text, pn_diag *diag)
{
    pn_csv *csv = NULL;
    pn_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, diag);
    return csv;
}

PN_TEST(csv_quotes_newlines_crlf_bom)
{
    pn_diag diag = {0};
    pn_csv *csv = open_text("\xEF\xBB\xBFid,note,x\r\n1,\"a,b\",2\r\n\r\n2,\"say \"\"hi\"\"\nnext\",NA\n3,,\n", &diag);
    PN_CHECK(csv != NULL);
    if (csv == NULL) return;
    PN_CHECK(pn_csv_ncols(csv) == 3);
    PN_CHECK(pn_csv_find(csv, "id") == 0);
    PN_CHECK(pn_csv_find(csv, "x") == 2);
    PN_CHECK(pn_csv_next(csv, &diag) == 1);
    PN_CHECK_STR(pn_csv_field(csv, 1, NULL), "a,b");
    PN_CHECK(pn_csv_line(csv) == 2);
    PN_CHECK(pn_csv_next(csv, &diag) == 1);
    PN_CHECK(pn_csv_line(csv) == 4);
    PN_CHECK_STR(pn_csv_field(csv, 1, NULL), "say \"hi\"\nnext");
    PN_CHECK(pn_csv_missing(csv, 2));
    PN_CHECK(pn_csv_next(csv, &diag) == 1);
    PN_CHECK(pn_csv_line(csv) == 6);
    PN_CHECK(pn_csv_nfields(csv) == 3);
    PN_CHECK(pn_csv_missing(csv, 1) && pn_csv_missing(csv, 2));
    PN_CHECK(pn_csv_next(csv, &diag) == 0);
    pn_csv_close(csv);
}

PN_TEST(csv_errors_name_line_and_column)
{
    pn_diag diag = {0};
    pn_csv *csv = open_text("a,b\n1,2\n3,\"open\n", &diag);
    PN_CHECK(pn_csv_next(csv, &diag) == 1);
    PN_CHECK(pn_csv_next(csv, &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "t.csv:3: column b: unterminated") != NULL);
    pn_csv_close(csv);

    csv = open_text("a,b\n1,2,3\n", &diag);
    PN_CHECK(pn_csv_next(csv, &diag) == 1);
    PN_CHECK(pn_csv_require_width(csv, &diag) == PN_EPARSE);
    PN_CHECK(strcmp(diag.msg, "t.csv:2: column 3: a field beyond the header (row has 3 fields, "
                    "header has 2)") == 0);
    pn_csv_close(csv);

    /* a short row names its first missing column */
    csv = open_text("a,b,c\n1\n1,2\n", &diag);
    PN_CHECK(pn_csv_next(csv, &diag) == 1);
    PN_CHECK(pn_csv_require_width(csv, &diag) == PN_EPARSE);
    PN_CHECK(strcmp(diag.msg, "t.csv:2: column 'b': missing (row has 1 fields, header has 3)") == 0);
    PN_CHECK(pn_csv_next(csv, &diag) == 1);
    PN_CHECK(pn_csv_require_width(csv, &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "t.csv:3: column 'c': missing") == diag.msg);
    pn_csv_close(csv);

    PN_CHECK(open_text("a,b,a\n", &diag) == NULL && diag.code == PN_EDUP);
    PN_CHECK(open_text("", &diag) == NULL && diag.code == PN_EEMPTY);
    PN_CHECK(open_text("a,\"b\"x\n", &diag) == NULL && diag.code == PN_EPARSE);
}

PN_TEST(csv_row_limit)
{
    size_t big = 200000;
    char *text = pn_malloc(big + 32);
    memcpy(text, "a,b\n1,", 6);
    memset(text + 6, '7', big);
    text[6 + big] = '\0';
    pn_csv *csv = NULL;
    pn_diag diag = {0};
    pn_csv_opts opts = {.max_row_bytes = 65536};
    PN_CHECK(pn_csv_open_mem(&csv, "big.csv", text, strlen(text), &opts, &diag) == PN_OK);
    PN_CHECK(pn_csv_next(csv, &diag) == PN_ETOOBIG);
    PN_CHECK(strstr(diag.msg, "big.csv:2: column b") != NULL);
    pn_csv_close(csv);
    pn_free(text);
}

PN_TEST(csv_rows_across_buffer_refills)
{
    /* 3 MB of rows, some quoted: every row must come back whole across 1 MiB chunks */
    size_t n = 150000, cap = n * 24 + 16, len = 0;
    char *text = pn_malloc(cap);
    len += (size_t)snprintf(text, cap, "k,v\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, i % 3 ? "%zu,%zu\n" : "%zu,\"%zu\"\n", i, i * 7);
    pn_csv *csv = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_csv_open_mem(&csv, "m.csv", text, len, NULL, &diag) == PN_OK);
    size_t rows = 0, bad = 0;
    while (pn_csv_next(csv, &diag) == 1) {
        long k = strtol(pn_csv_field(csv, 0, NULL), NULL, 10);
        long v = strtol(pn_csv_field(csv, 1, NULL), NULL, 10);
        bad += (size_t)k != rows || v != k * 7 || pn_csv_line(csv) != (long)rows + 2;
        rows++;
    }
    PN_CHECK(rows == n);
    PN_CHECK(bad == 0);
    pn_csv_close(csv);
    pn_free(text);
}

PN_TEST(arena_and_grow)
{
    pn_arena *a = pn_arena_new();
    char *s = pn_arena_strndup(a, "hello", 5);
    PN_CHECK_STR(s, "hello");
    void *big = pn_arena_alloc(a, 1 << 20);
    PN_CHECK(big != NULL);
    char *t = pn_arena_strndup(a, "world", 5);
    PN_CHECK_STR(t, "world");
    pn_arena_free(a);
    pn_arena_free(NULL);
    int *v = NULL;
    size_t cap = 0;
    PN_CHECK(pn_grow((void **)&v, &cap, 100, sizeof *v) == PN_OK && cap >= 100);
    pn_free(v);
}

/* A byte-order mark that arrives in pieces (a pipe) is still recognised: the reader must not
 * decide on the first read alone. */
PN_TEST(csv_bom_split_across_reads)
{
    int fds[2];
    PN_CHECK(pipe(fds) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const char *rest = "\xBB\xBFt,e\n1,1\n";
        if (write(fds[1], "\xEF", 1) != 1) _exit(1);
        usleep(100000); /* let the reader's first read() return the lone first byte */
        if (write(fds[1], rest, strlen(rest)) != (ssize_t)strlen(rest)) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    pn_csv *csv = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_csv_open(&csv, path, NULL, &diag) == PN_OK);
    if (csv != NULL) {
        PN_CHECK(pn_csv_find(csv, "t") == 0);
        PN_CHECK(pn_csv_next(csv, &diag) == 1);
    }
    pn_csv_close(csv);
    close(fds[0]);
    waitpid(pid, NULL, 0);
}

static pn_frame *frame_of(const char *text, const char *const *names, const int *kinds,
                          size_t n, int *rc, pn_diag *diag)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/pn_test_base_%d.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    if (f == NULL) return NULL;
    fputs(text, f);
    fclose(f);
    pn_frame *frame = NULL;
    *rc = pn_frame_read_csv(&frame, path, names, kinds, n, diag);
    unlink(path);
    return frame;
}

/* As R's read.csv + factor(): a column whose values are all numbers is numeric, so "1", "1.0"
 * and "01" are one level, and blank (whitespace-only) fields are missing. */
PN_TEST(frame_numeric_levels_merge_as_r)
{
    const char *names[] = {"g"};
    const int kinds[] = {PN_COL_CAT};
    pn_diag diag = {0};
    int rc;
    pn_frame *f = frame_of("g\n1.0\n2\n01\n \n1\n10\n2.00\n", names, kinds, 1, &rc, &diag);
    PN_CHECK(rc == PN_OK);
    if (f == NULL) return;
    const pn_column *g = &f->cols[0];
    PN_CHECK(g->nlevels == 3);
    PN_CHECK(g->code[0] == 0 && g->code[2] == 0 && g->code[4] == 0);
    PN_CHECK(g->code[1] == 1 && g->code[6] == 1);
    PN_CHECK(g->code[5] == 2);
    PN_CHECK(g->code[3] == -1);
    PN_CHECK(g->nlevels == 3 && strcmp(g->levels[2], "10") == 0);
    pn_frame_free(f);
    /* text columns keep every distinct text, blanks included */
    f = frame_of("g\nb\n a\nb\n \n", names, kinds, 1, &rc, &diag);
    PN_CHECK(rc == PN_OK);
    if (f == NULL) return;
    PN_CHECK(f->cols[0].nlevels == 3 && f->cols[0].code[3] >= 0);
    pn_frame_free(f);
}

PN_TEST(frame_blank_numeric_field_is_missing)
{
    const char *names[] = {"x"};
    const int kinds[] = {PN_COL_NUM};
    pn_diag diag = {0};
    int rc;
    pn_frame *f = frame_of("x,y\n1,a\n  ,b\n\" \",c\n 3 ,d\n", names, kinds, 1, &rc, &diag);
    PN_CHECK(rc == PN_OK);
    if (f == NULL) return;
    PN_CHECK(f->nrows == 4);
    PN_CHECK(f->cols[0].num[0] == 1 && isnan(f->cols[0].num[1]) && isnan(f->cols[0].num[2]));
    PN_CHECK(f->cols[0].num[3] == 3);
    pn_frame_free(f);
}

/* A bad value spanning lines (a quoted field) still gives a one-line message. */
PN_TEST(frame_error_message_is_one_line)
{
    const char *names[] = {"x"};
    const int kinds[] = {PN_COL_NUM};
    pn_diag diag = {0};
    int rc;
    pn_frame *f = frame_of("x\n1\n\"2\n3\"\n", names, kinds, 1, &rc, &diag);
    PN_CHECK(f == NULL && rc == PN_EPARSE);
    PN_CHECK(strchr(diag.msg, '\n') == NULL && strchr(diag.msg, '\r') == NULL);
    PN_CHECK(strstr(diag.msg, ":3: column 'x'") != NULL);
}

PN_TEST(csv_unnamed_row_name_column_only_first)
{
    pn_diag diag = {0};
    pn_csv *csv = open_text("\"\",t\n\"1\",3\n", &diag);
    PN_CHECK(csv != NULL && pn_csv_ncols(csv) == 2 && pn_csv_find(csv, "t") == 1);
    pn_csv_close(csv);
    PN_CHECK(open_text("t,,e\n1,2,3\n", &diag) == NULL && diag.code == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "column 2 has an empty name") != NULL);
}

PN_TEST(data_dir_lookup)
{
    pn_diag diag = {0};
    char path[64];
    unsetenv("PRONOSTIC_DATA_DIR");
    PN_CHECK_STR(pn_data_dir(NULL), PN_DATA_DIR);
    PN_CHECK_STR(pn_data_dir(""), PN_DATA_DIR);
    setenv("PRONOSTIC_DATA_DIR", "", 1); /* empty: as unset */
    PN_CHECK_STR(pn_data_dir(NULL), PN_DATA_DIR);
    setenv("PRONOSTIC_DATA_DIR", "/env/data", 1);
    PN_CHECK_STR(pn_data_dir(NULL), "/env/data");
    PN_CHECK_STR(pn_data_dir("/opt"), "/opt"); /* an explicit directory wins */
    PN_CHECK(pn_data_path(path, sizeof path, NULL, "fr.csv", &diag) == PN_OK);
    PN_CHECK_STR(path, "/env/data/fr.csv");
    PN_CHECK(pn_data_path(path, sizeof path, "/opt", "x.csv", &diag) == PN_OK);
    PN_CHECK_STR(path, "/opt/x.csv");
    PN_CHECK(pn_data_path(path, 10, NULL, "fr.csv", &diag) == PN_EINVAL);
    PN_CHECK(strstr(diag.msg, "too long") != NULL);
    unsetenv("PRONOSTIC_DATA_DIR");
}

PN_TEST(strset_codes_in_first_seen_order)
{
    pn_strset set = {0};
    PN_CHECK(pn_strset_code(&set, "b", 1) == 0);
    PN_CHECK(pn_strset_code(&set, "ab", 2) == 1);
    PN_CHECK(pn_strset_code(&set, "abc", 1) == 2 && set.len[2] == 1); /* "a": a prefix */
    PN_CHECK(pn_strset_code(&set, "ab", 2) == 1 && pn_strset_code(&set, "a", 1) == 2);
    /* past the linear scan and through several rehashes: every text keeps its code */
    char text[16];
    for (int i = 0; i < 300; i++) {
        int len = snprintf(text, sizeof text, "v%d", i);
        PN_CHECK(pn_strset_code(&set, text, (size_t)len) == 3 + i);
    }
    for (int i = 299; i >= 0; i--) {
        int len = snprintf(text, sizeof text, "v%d", i);
        PN_CHECK(pn_strset_code(&set, text, (size_t)len) == 3 + i);
    }
    PN_CHECK(set.n == 303);
    PN_CHECK_STR(set.items[0], "b");
    PN_CHECK_STR(set.items[302], "v299");
    PN_CHECK(pn_strset_code(&set, "", 0) == 303 && set.items[303][0] == '\0');
    pn_strset_free(&set, 1);
    PN_CHECK(set.n == 0 && set.items == NULL);
    pn_strset_free(&set, 1); /* a zeroed set */
}

/* Every row and field is the same whatever the size of each read (rows straddling refills,
 * a BOM or a CRLF split between reads). */
PN_TEST(csv_same_rows_for_any_read_size)
{
    const char *text = "\xEF\xBB\xBFid,note,x\r\n1,\"a,b\",2\r\n\r\n2,\"say \"\"hi\"\"\nnext\",NA\n"
                       "3,,\n4,\"\",\"\"\"\"\"\"\n";
    char want[512] = "";
    for (size_t chunk = 0; chunk <= 9; chunk++) {
        pn_csv *csv = NULL;
        pn_diag diag = {0};
        pn_csv_opts opts = {.read_bytes = chunk};
        PN_CHECK(pn_csv_open_mem(&csv, "r.csv", text, strlen(text), &opts, &diag) == PN_OK);
        if (csv == NULL) return;
        char got[512] = "";
        size_t pos = 0;
        while (pn_csv_next(csv, &diag) == 1)
            for (size_t i = 0; i < pn_csv_nfields(csv); i++)
                pos += (size_t)snprintf(got + pos, sizeof got - pos, "%ld:%s|", pn_csv_line(csv),
                                        pn_csv_field(csv, i, NULL));
        PN_CHECK(diag.code == 0);
        if (chunk == 0) memcpy(want, got, sizeof want);
        else PN_CHECK_STR(got, want);
        pn_csv_close(csv);
    }
    PN_CHECK_STR(want, "2:1|2:a,b|2:2|4:2|4:say \"hi\"\nnext|4:NA|6:3|6:|6:|7:4|7:|7:\"\"|");
}

PN_TEST_MAIN(PN_T(csv_same_rows_for_any_read_size), PN_T(strset_codes_in_first_seen_order), PN_T(data_dir_lookup), PN_T(csv_unnamed_row_name_column_only_first), PN_T(errors_have_names_and_messages), PN_T(dates_round_trip),
             PN_T(numbers_parse_strictly), PN_T(utf8_validation), PN_T(csv_quotes_newlines_crlf_bom),
             PN_T(csv_errors_name_line_and_column), PN_T(csv_row_limit),
             PN_T(csv_rows_across_buffer_refills), PN_T(arena_and_grow),
             PN_T(csv_bom_split_across_reads), PN_T(frame_numeric_levels_merge_as_r),
             PN_T(frame_blank_numeric_field_is_missing), PN_T(frame_error_message_is_one_line))
