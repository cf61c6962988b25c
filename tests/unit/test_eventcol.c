/* test_eventcol.c - the row rules survinput.h shares with netsurv's reader: the event column's
 * rule (event value by text or number, one censoring value in R's order, a third value refused
 * at the line where it first appears) and R's Surv() value checks. */
#include "pronostic/survinput.h"
#include "pn_test.h"

#include <math.h>

PN_TEST(event_value_by_text_or_number)
{
    pn_eventcol *ev = NULL;
    PN_CHECK(pn_eventcol_new(&ev, "2") == PN_OK);
    if (ev == NULL) return;
    PN_CHECK(pn_eventcol_add(ev, "2", 1, 2) == 1);
    PN_CHECK(pn_eventcol_add(ev, "2.0", 3, 3) == 1);
    PN_CHECK(pn_eventcol_add(ev, "0", 1, 4) == 0);
    PN_CHECK(pn_eventcol_add(ev, "2", 1, 5) == 1);
    pn_diag diag = {0};
    PN_CHECK(pn_eventcol_finish(ev, "f.csv", "status", &diag) == PN_OK);
    pn_eventcol_free(ev);
    pn_eventcol_free(NULL);
}

PN_TEST(third_value_refused_at_its_first_line)
{
    pn_eventcol *ev = NULL;
    PN_CHECK(pn_eventcol_new(&ev, NULL) == PN_OK);  /* "1" */
    if (ev == NULL) return;
    /* "dead" first (line 2), then "alive" (line 3): "alive" comes first in R's order and is the
     * censoring value, so "dead" is the unknown one, named at line 2 */
    PN_CHECK(pn_eventcol_add(ev, "dead", 4, 2) == 0);
    PN_CHECK(pn_eventcol_add(ev, "alive", 5, 3) == 0);
    PN_CHECK(pn_eventcol_add(ev, "1", 1, 4) == 1);
    PN_CHECK(pn_eventcol_add(ev, "dead", 4, 5) == 0);
    pn_diag diag = {0};
    PN_CHECK(pn_eventcol_finish(ev, "f.csv", "status", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "f.csv:2: column 'status': unknown event value 'dead'") != NULL);
    PN_CHECK(strstr(diag.msg, "'alive' already means censored") != NULL);
    pn_eventcol_free(ev);
    /* no row at all: nothing to refuse */
    PN_CHECK(pn_eventcol_new(&ev, NULL) == PN_OK);
    PN_CHECK(pn_eventcol_finish(ev, "f.csv", "status", &diag) == PN_OK);
    pn_eventcol_free(ev);
}

PN_TEST(row_checks)
{
    pn_survspec spec = {.path = "f.csv", .time = "t", .event = "e", .entry = "a", .weights = "w"};
    pn_diag diag = {0};
    PN_CHECK(pn_survrow_check(&spec, "f.csv", 3, 5, 1, 2, 1, &diag) == PN_OK);
    PN_CHECK(pn_survrow_check(&spec, "f.csv", 3, NAN, NAN, NAN, 0, &diag) == PN_OK);
    PN_CHECK(pn_survrow_check(&spec, "f.csv", 7, -1, NAN, NAN, 0, &diag) == PN_ERANGE);
    PN_CHECK(strstr(diag.msg, "f.csv:7: column 't': negative time -1") != NULL);
    PN_CHECK(pn_survrow_check(&spec, "f.csv", 8, 5, NAN, -2, 1, &diag) == PN_ERANGE);
    PN_CHECK(strstr(diag.msg, "column 'w': negative weight -2") != NULL);
    PN_CHECK(pn_survrow_check(&spec, "f.csv", 9, 5, 5, 1, 1, &diag) == PN_ERANGE);
    PN_CHECK(strstr(diag.msg, "entry time 5 is not before the exit time 5") != NULL);
    /* a dropped row's entry is not compared */
    PN_CHECK(pn_survrow_check(&spec, "f.csv", 9, 5, 5, 1, 0, &diag) == PN_OK);
}

/* The column is known to be wrong at its second non-event value: refused from there (the
 * reader stops), with the message it would have at the end of a file ending there. */
PN_TEST(refused_at_the_second_censoring_value)
{
    pn_eventcol *ev = NULL;
    PN_CHECK(pn_eventcol_new(&ev, NULL) == PN_OK);
    if (ev == NULL) return;
    PN_CHECK(pn_eventcol_add(ev, "1", 1, 2) == 1);
    PN_CHECK(pn_eventcol_add(ev, "0", 1, 3) == 0);
    PN_CHECK(pn_eventcol_add(ev, "0.0", 3, 4) == 0);  /* the same level as 0 */
    PN_CHECK(!pn_eventcol_refused(ev));
    PN_CHECK(pn_eventcol_add(ev, "2", 1, 5) == 0);
    PN_CHECK(pn_eventcol_refused(ev));
    pn_diag diag = {0};
    PN_CHECK(pn_eventcol_finish(ev, "f.csv", "e", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "f.csv:5: column 'e': unknown event value '2'") != NULL);
    pn_eventcol_free(ev);
    /* text that is not UTF-8: refused at its line */
    PN_CHECK(pn_eventcol_new(&ev, NULL) == PN_OK);
    PN_CHECK(pn_eventcol_add(ev, "1", 1, 2) == 1);
    PN_CHECK(pn_eventcol_add(ev, "d\xe9" "c\xe9" "s", 5, 3) == 0);
    PN_CHECK(pn_eventcol_refused(ev));
    PN_CHECK(pn_eventcol_finish(ev, "f.csv", "e", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "f.csv:3: column 'e': not valid UTF-8") != NULL);
    pn_eventcol_free(ev);
}

/* The censoring value (its first spelling) and its rows; the usual codes. */
PN_TEST(censoring_value_and_usual_codes)
{
    pn_eventcol *ev = NULL;
    PN_CHECK(pn_eventcol_new(&ev, "dead") == PN_OK);
    if (ev == NULL) return;
    const char *rows[] = {"dead", "Dead", "dead", "Dead", "Dead"};
    for (int i = 0; i < 5; i++) pn_eventcol_add(ev, rows[i], strlen(rows[i]), i + 2);
    const char *text = NULL;
    size_t n = 0;
    PN_CHECK(pn_eventcol_censoring(ev, &text, &n) == 1);
    PN_CHECK_STR(text, "Dead");
    PN_CHECK(n == 3);
    pn_eventcol_free(ev);
    PN_CHECK(pn_event_code_usual("0") && pn_event_code_usual("1") && pn_event_code_usual("2.0"));
    PN_CHECK(pn_event_code_usual("Alive") && pn_event_code_usual("CENSORED"));
    PN_CHECK(!pn_event_code_usual("Dead") && !pn_event_code_usual("l"));
    PN_CHECK(!pn_event_code_usual("\xef\xbb\xbf" "1") && !pn_event_code_usual("3"));
}

PN_TEST_MAIN(PN_T(event_value_by_text_or_number), PN_T(third_value_refused_at_its_first_line),
             PN_T(row_checks), PN_T(refused_at_the_second_censoring_value),
             PN_T(censoring_value_and_usual_codes))
