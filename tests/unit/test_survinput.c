/* test_survinput.c - unit tests of the survival-input loader and factor combination. */
#include "pn_test.h"
#include "pn_testfs.h"
#include "pronostic/alloc.h"
#include "pronostic/survinput.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *write_tmp(const char *text) { return pn_test_tmpfile("pn_survinput", text); }

PN_TEST(loads_groups_in_r_order_and_drops_missing)
{
    const char *by[] = {"sex", "arm"};
    pn_survspec spec = {.time = "t", .event = "status", .event_value = "2", .by = by, .nby = 2};
    spec.path = write_tmp("t,status,sex,arm\n5,2,2,b\n3,1,1,b\n,2,1,a\n7,2,1,a\n9,NA,2,a\n4,1,10,a\n");
    pn_survdata *d = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_OK);
    if (d == NULL) return;
    PN_CHECK(d->n == 4 && d->dropped == 2);
    PN_CHECK(d->ngroups == 4);
    PN_CHECK_STR(d->group_labels[0], "sex=1,arm=a");
    PN_CHECK_STR(d->group_labels[1], "sex=1,arm=b");
    PN_CHECK_STR(d->group_labels[2], "sex=2,arm=b");
    PN_CHECK_STR(d->group_labels[3], "sex=10,arm=a");  /* numeric levels sort as numbers */
    PN_CHECK(d->time[0] == 5 && d->event[0] == 1 && d->group[0] == 2);
    PN_CHECK(d->time[1] == 3 && d->event[1] == 0 && d->group[1] == 1);
    PN_CHECK(d->time[3] == 4 && d->group[3] == 3);
    pn_survdata_free(d);
    unlink(spec.path);
}

PN_TEST(refuses_bad_values_naming_line_and_column)
{
    pn_survspec spec = {.time = "t", .event = "e"};
    pn_survdata *d = NULL;
    pn_diag diag = {0};
    spec.path = write_tmp("t,e\n1,1\n-2,0\n");
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_ERANGE);
    PN_CHECK(strstr(diag.msg, ":3: column 't': negative time") != NULL);
    spec.path = write_tmp("t,e\n1,1\n2,0\n3,2\n");
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, ":4: column 'e': unknown event value '2'") != NULL);
    spec.path = write_tmp("t,e\n1,1\nx,0\n");
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, ":3: column 't': 'x' is not a number") != NULL);
    spec.time = "time";
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_ENOCOL);
    PN_CHECK(strstr(diag.msg, "column 'time' not found") != NULL);
    spec.time = "t";
    spec.entry = "e0";
    spec.path = write_tmp("t,e,e0\n1,1,0\n2,0,2\n");
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_ERANGE);
    PN_CHECK(strstr(diag.msg, ":3: column 'e0': entry time 2 is not before") != NULL);
    unlink(spec.path);
}

PN_TEST(covariates_and_factors)
{
    const char *cov[] = {"age", "cell"};
    const char *fac[] = {"cell"};
    pn_survspec spec = {.time = "t", .event = "e", .covariates = cov, .ncov = 2, .factors = fac, .nfactors = 1};
    spec.path = write_tmp("t,e,age,cell\n1,1,50,squamous\n2,0,NA,large\n3,1,61,adeno\n");
    pn_survdata *d = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_OK);
    if (d == NULL) return;
    PN_CHECK(d->n == 2 && d->ncov == 2);
    PN_CHECK(d->cov[0].kind == PN_COL_NUM && d->cov[0].num[1] == 61);
    PN_CHECK(d->cov[1].kind == PN_COL_CAT && d->cov[1].nlevels == 3);
    PN_CHECK_STR(d->cov[1].levels[0], "adeno");
    PN_CHECK(d->cov[1].code[0] == 2 && d->cov[1].code[1] == 0);
    pn_survdata_free(d);
    unlink(spec.path);
}

/* No row (a header-only file): no combination, and nothing handed to qsort (UBSan: a NULL
 * array is undefined even for 0 elements). */
PN_TEST(combine_factors_of_no_row)
{
    pn_column a = {.name = "a", .kind = PN_COL_CAT}, b = {.name = "b", .kind = PN_COL_CAT};
    const pn_column *cols[] = {&a, &b};
    int32_t code = 7;
    char **labels = NULL;
    size_t ncomb = 99;
    PN_CHECK(pn_combine_factors(cols, 2, 0, &code, &labels, &ncomb) == PN_OK);
    PN_CHECK(ncomb == 0 && code == 7);
    pn_free(labels);
    /* the loader on a header-only file with --by and --strata: no row, no group */
    const char *by[] = {"g"}, *strata[] = {"s"};
    pn_survspec spec = {.time = "t", .event = "e", .by = by, .nby = 1, .strata = strata,
                        .nstrata = 1};
    spec.path = write_tmp("t,e,g,s\n");
    pn_survdata *d = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_survdata_load(&d, &spec, &diag) == PN_OK);
    PN_CHECK(d != NULL && d->n == 0 && d->ngroups == 0 && d->nstrata == 0);
    pn_survdata_free(d);
    unlink(spec.path);
}

PN_TEST_MAIN(PN_T(loads_groups_in_r_order_and_drops_missing),
             PN_T(refuses_bad_values_naming_line_and_column), PN_T(covariates_and_factors),
             PN_T(combine_factors_of_no_row))
