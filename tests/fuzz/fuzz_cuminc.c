/* fuzz_cuminc.c - libFuzzer target for the deserialiser of the competing-risks aggregate: any
 * bytes give a state or a clean PN_EPARSE with a message; a state that reads back serialises to
 * the very same bytes, and its final (tables, curves, values, Gray's test) and a merge with a copy
 * of itself run without a fault. */
#include "pn_fuzz.h"
#include "pronostic/alloc.h"
#include "pronostic/cuminc.h"

#include <gsl/gsl_errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    return 0;
}

static void final(const pn_cumincagg *a)
{
    size_t ng = pn_cumincagg_ngroups(a);
    pn_cuminctables *t = NULL;
    if (ng > 256 || pn_cumincagg_tables(a, ng, NULL, PN_CUMINC_TIMEFIX, &t) != PN_OK) return;
    for (size_t g = 0; g < ng; g++) {
        const pn_cuminctable *k = pn_cuminctables_table(t, g);
        if (k->k * k->m > 100000) continue;
        double *buf = pn_malloc((2 * k->k * k->m + 1) * sizeof *buf), v[6][3];
        const double at[3] = {0, 10, 100};
        if (buf == NULL) break;
        if (pn_cuminc_curve(t, g, buf, buf + k->k * k->m, NULL) == PN_OK && k->k > 0)
            pn_cuminc_at(k, buf, buf + k->k * k->m, 1, at, 3, PN_CONF_LOG, 1.96, v[0], v[1], v[2],
                         v[3], v[4], v[5]);
        pn_free(buf);
    }
    pn_cuminctables_free(t);
    if (ng >= 2 && pn_cumincagg_tables(a, ng, NULL, 0, &t) == PN_OK) {
        uint32_t *grp = pn_malloc(ng * sizeof *grp);
        double *st = pn_malloc(2 * (size_t)pn_cumincagg_nstates(a) * sizeof *st);
        if (grp != NULL && st != NULL) {
            for (size_t g = 0; g < ng; g++) grp[g] = (uint32_t)g;
            pn_gray_result r = {.stat = st, .p = st + pn_cumincagg_nstates(a)};
            pn_cuminc_gray(t, grp, ng, NULL, 0, &r);
        }
        pn_free(grp);
        pn_free(st);
        pn_cuminctables_free(t);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn_diag diag = {0};
    pn_cumincagg *a = NULL;
    if (pn_cumincagg_deserialise(&a, data, size, &diag) == PN_OK) {
        final(a);
        unsigned char *out = NULL;
        size_t len = 0;
        if (pn_cumincagg_serialise(a, &out, &len) != PN_OK) abort();
        if (len != size || memcmp(out, data, size) != 0) abort();
        pn_free(out);
        pn_cumincagg *copy = NULL;
        if (pn_cumincagg_deserialise(&copy, data, size, NULL) != PN_OK) abort();
        if (pn_cumincagg_merge(a, copy) == PN_OK && pn_cumincagg_serialise(a, &out, &len) == PN_OK)
            pn_free(out);
        pn_cumincagg_free(copy);
        pn_cumincagg_free(a);
    } else if (a != NULL || diag.msg[0] == '\0') {
        abort();
    }
    return 0;
}
