/* fuzz_states.c - libFuzzer target for the deserialisers of every aggregate state (Kaplan-Meier,
 * net-survival times and sums, Grafféo's test): any bytes give a state or a clean PN_EPARSE;
 * a state that reads back serialises to the very same bytes, and its final step, a merge with
 * a copy of itself and the merged state's serialisation run without a fault. */
#include "pn_fuzz.h"
#include "pronostic/alloc.h"
#include "pronostic/km.h"
#include "pronostic/lifetable.h"
#include "pronostic/netsurv.h"
#include "pronostic/netsurv_test.h"

#include <gsl/gsl_errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off(); /* as the program does at start */
    return 0;
}

/* The state's bytes must be the input's; then merged with a copy, serialised again. */
#define SAME_BYTES(T, s)                                                                           \
    do {                                                                                           \
        unsigned char *out = NULL;                                                                 \
        size_t len = 0;                                                                            \
        if (pn_##T##_serialise(s, &out, &len) != PN_OK) abort();                                   \
        if (len != size || memcmp(out, data, size) != 0) abort();                                  \
        pn_free(out);                                                                              \
        pn_##T *copy = NULL;                                                                       \
        if (pn_##T##_deserialise(&copy, data, size, NULL) != PN_OK) abort();                       \
        if (pn_##T##_merge(s, copy) == PN_OK && pn_##T##_serialise(s, &out, &len) == PN_OK)        \
            pn_free(out);                                                                          \
        pn_##T##_free(copy);                                                                       \
    } while (0)

static void km_final(const pn_kmagg *a)
{
    size_t ng = pn_kmagg_ngroups(a);
    pn_kmtables *t = NULL;
    if (ng > 4096 || pn_kmagg_tables(a, ng, NULL, &t) != PN_OK) return;
    for (size_t g = 0; g < ng; g++) {
        const pn_kmtable *k = &t->tab[g];
        double *buf = pn_malloc((2 * k->k + 1) * sizeof *buf), v[6][3];
        const double cuts[3] = {1, 10, 100};
        if (buf == NULL) break;
        pn_km_curve(k, PN_KM_KAPLAN_MEIER, buf, buf + k->k);
        pn_km_curve(k, PN_KM_FLEMING_HARRINGTON, buf, buf + k->k);
        pn_lifetable(k, cuts, 3, v[0], v[1], v[2], v[3], v[4], v[5]);
        pn_free(buf);
    }
    pn_kmtables_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn_diag diag = {0};
    pn_kmagg *km = NULL;
    if (pn_kmagg_deserialise(&km, data, size, &diag) == PN_OK) {
        km_final(km);
        SAME_BYTES(kmagg, km);
        pn_kmagg_free(km);
    } else if (km != NULL || diag.msg[0] == '\0') {
        abort();
    }
    pn_nstimes *times = NULL;
    if (pn_nstimes_deserialise(&times, data, size, NULL) == PN_OK) {
        double *grid = NULL;
        size_t ng = 0;
        if (pn_nstimes_final(times, &grid, &ng) == PN_OK) pn_free(grid);
        SAME_BYTES(nstimes, times);
        pn_nstimes_free(times);
    }
    pn_nsagg *ns = NULL;
    if (pn_nsagg_deserialise(&ns, data, size, NULL) == PN_OK) {
        pn_netsurv_curve c;
        if (pn_netsurv_curve_init(&c, pn_nsagg_ntimes(ns)) == PN_OK) {
            if (pn_nsagg_final(ns, &c) != PN_OK) abort();
            pn_netsurv_curve_free(&c);
        }
        SAME_BYTES(nsagg, ns);
        pn_nsagg_free(ns);
    }
    pn_nstestagg *gt = NULL;
    if (pn_nstestagg_deserialise(&gt, data, size, NULL) == PN_OK) {
        double chisq, p;
        int df;
        unsigned flags = 0;
        pn_nstestagg_final(gt, &chisq, &df, &p, NULL, &flags);
        SAME_BYTES(nstestagg, gt);
        pn_nstestagg_free(gt);
    }
    return 0;
}
