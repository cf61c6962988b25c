/* test_cuminc.c - unit tests of the competing-risks aggregate (stats/cuminc*.c): the states of
 * random splits of the rows (with delayed entry, ties, several strata and event types), each
 * serialised and read back as a worker's would be and merged in random order, serialise to the
 * bytes of the state of all rows and give the same tables and curves; serialise then deserialise
 * gives the same bytes; truncated and corrupted bytes are refused with a message; the curve of
 * a tiny case checked by hand (estimates and the IJ variance); the one-call estimate. */
#include "pn_test.h"
#include "pronostic/alloc.h"
#include "pronostic/cuminc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x1234567887654321ull;

static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

typedef struct row {
    uint32_t group;
    double entry, time;
    int state;
} row;

enum { NROWS = 3000, NSTATES = 3, NGROUPS = 4 };

static void make_rows(row *r, size_t n, int entry)
{
    for (size_t i = 0; i < n; i++) {
        r[i].group = (uint32_t)(rnd() % NGROUPS);
        r[i].time = (double)(1 + rnd() % 200); /* integer times: many ties */
        r[i].state = (int)(rnd() % (NSTATES + 1));
        r[i].entry = entry && rnd() % 2 ? floor(r[i].time * (double)(rnd() % 100) / 100.0) : NAN;
        if (r[i].entry >= r[i].time) r[i].entry = NAN;
    }
}

static pn_cumincagg *build(const row *r, const size_t *idx, size_t n)
{
    pn_cumincagg *a = NULL;
    PN_CHECK(pn_cumincagg_new(&a, NSTATES) == PN_OK);
    for (size_t i = 0; i < n; i++) {
        const row *x = &r[idx ? idx[i] : i];
        PN_CHECK(pn_cumincagg_add(a, x->group, x->entry, x->time, x->state, 1.0) == PN_OK);
    }
    return a;
}

static void bytes_of(const pn_cumincagg *a, unsigned char **out, size_t *len)
{
    PN_CHECK(pn_cumincagg_serialise(a, out, len) == PN_OK);
}

/* The state of all rows against the merge of k random parts, round-tripped through bytes. */
static void check_split(int entry)
{
    row *r = pn_malloc(NROWS * sizeof *r);
    size_t *perm = pn_malloc(NROWS * sizeof *perm);
    PN_CHECK(r != NULL && perm != NULL);
    make_rows(r, NROWS, entry);
    pn_cumincagg *whole = build(r, NULL, NROWS);
    unsigned char *wb, *mb;
    size_t wl, ml;
    bytes_of(whole, &wb, &wl);
    for (int trial = 0; trial < 5; trial++) {
        for (size_t i = 0; i < NROWS; i++) perm[i] = i;
        for (size_t i = NROWS; i > 1; i--) {
            size_t j = rnd() % i, t = perm[i - 1];
            perm[i - 1] = perm[j];
            perm[j] = t;
        }
        size_t k = 2 + rnd() % 5, cut[8] = {0};
        for (size_t p = 1; p < k; p++) cut[p] = rnd() % NROWS;
        cut[k] = NROWS;
        /* parts in cut order (sorted by hand: k is small) */
        for (size_t a = 1; a < k; a++)
            for (size_t b = a + 1; b < k; b++)
                if (cut[b] < cut[a]) {
                    size_t t = cut[a];
                    cut[a] = cut[b];
                    cut[b] = t;
                }
        pn_cumincagg *merged = NULL;
        PN_CHECK(pn_cumincagg_new(&merged, NSTATES) == PN_OK);
        for (size_t p = k; p-- > 0;) { /* merged in reverse order */
            pn_cumincagg *part = build(r, perm + cut[p], cut[p + 1] - cut[p]), *back = NULL;
            unsigned char *pb;
            size_t pl;
            bytes_of(part, &pb, &pl);
            pn_diag diag = {0};
            PN_CHECK(pn_cumincagg_deserialise(&back, pb, pl, &diag) == PN_OK);
            PN_CHECK(pn_cumincagg_merge(merged, back) == PN_OK);
            pn_free(pb);
            pn_cumincagg_free(part);
            pn_cumincagg_free(back);
        }
        bytes_of(merged, &mb, &ml);
        PN_CHECK(ml == wl && memcmp(mb, wb, wl) == 0);
        /* the same curves */
        pn_cuminctables *t1, *t2;
        PN_CHECK(pn_cumincagg_tables(whole, NGROUPS, NULL, PN_CUMINC_TIMEFIX, &t1) == PN_OK);
        PN_CHECK(pn_cumincagg_tables(merged, NGROUPS, NULL, PN_CUMINC_TIMEFIX, &t2) == PN_OK);
        for (size_t g = 0; g < NGROUPS; g++) {
            const pn_cuminctable *a = pn_cuminctables_table(t1, g), *b = pn_cuminctables_table(t2, g);
            PN_CHECK(a->k == b->k && a->k > 0);
            size_t km = a->k * a->m;
            double *e1 = pn_malloc(4 * km * sizeof *e1);
            PN_CHECK(e1 != NULL);
            PN_CHECK(pn_cuminc_curve(t1, g, e1, e1 + km, NULL) == PN_OK);
            PN_CHECK(pn_cuminc_curve(t2, g, e1 + 2 * km, e1 + 3 * km, NULL) == PN_OK);
            PN_CHECK(memcmp(e1, e1 + 2 * km, 2 * km * sizeof *e1) == 0);
            for (size_t i = 0; i < a->k; i++) PN_CHECK(a->n_risk[i] == b->n_risk[i]);
            pn_free(e1);
        }
        pn_cuminctables_free(t1);
        pn_cuminctables_free(t2);
        pn_free(mb);
        pn_cumincagg_free(merged);
    }
    pn_free(wb);
    pn_cumincagg_free(whole);
    pn_free(r);
    pn_free(perm);
}

PN_TEST(merge_any_split) { check_split(0); }
PN_TEST(merge_any_split_entry) { check_split(1); }

PN_TEST(roundtrip_and_refusals)
{
    row r[200];
    make_rows(r, 200, 1);
    pn_cumincagg *a = build(r, NULL, 200), *b = NULL;
    unsigned char *bytes, *again;
    size_t len, len2;
    bytes_of(a, &bytes, &len);
    pn_diag diag = {0};
    PN_CHECK(pn_cumincagg_deserialise(&b, bytes, len, &diag) == PN_OK);
    bytes_of(b, &again, &len2);
    PN_CHECK(len2 == len && memcmp(again, bytes, len) == 0);
    pn_free(again);
    pn_cumincagg_free(b);
    /* every truncation is refused with a message */
    for (size_t cut = 0; cut < len; cut += 1 + cut / 7) {
        pn_diag d = {0};
        b = NULL;
        PN_CHECK(pn_cumincagg_deserialise(&b, bytes, cut, &d) == PN_EPARSE);
        PN_CHECK(b == NULL && d.msg[0] != '\0');
    }
    /* a state out of range in the first key (after header, m, ncodes, counts, nkeys, group) */
    size_t ncodes = pn_cumincagg_ngroups(a), off = 16 + 4 + 8 + 8 * ncodes + 8 + 4;
    unsigned char *bad = pn_malloc(len);
    PN_CHECK(bad != NULL);
    memcpy(bad, bytes, len);
    bad[off] = 0x7f;
    diag = (pn_diag){0};
    PN_CHECK(pn_cumincagg_deserialise(&b, bad, len, &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "state") != NULL);
    /* zero event types */
    memcpy(bad, bytes, len);
    memset(bad + 16, 0, 4);
    PN_CHECK(pn_cumincagg_deserialise(&b, bad, len, &diag) == PN_EPARSE);
    pn_free(bad);
    pn_free(bytes);
    pn_cumincagg_free(a);
}

PN_TEST(add_refuses)
{
    pn_cumincagg *a = NULL;
    PN_CHECK(pn_cumincagg_new(&a, 0) == PN_EINVAL);
    PN_CHECK(pn_cumincagg_new(&a, 2) == PN_OK);
    PN_CHECK(pn_cumincagg_add(a, 0, NAN, 1, 3, 1) == PN_EINVAL);
    PN_CHECK(pn_cumincagg_add(a, 0, NAN, 1, -1, 1) == PN_EINVAL);
    PN_CHECK(pn_cumincagg_add(a, 0, 2, 1, 1, 1) == PN_EINVAL);
    PN_CHECK(pn_cumincagg_add(a, 0, NAN, NAN, 1, 1) == PN_EINVAL);
    PN_CHECK(pn_cumincagg_add(a, 0, NAN, 1, 1, -1) == PN_EINVAL);
    PN_CHECK(pn_cumincagg_add(a, UINT32_MAX, NAN, 1, 1, 1) == PN_EINVAL);
    PN_CHECK(pn_cumincagg_ngroups(a) == 0);
    pn_cumincagg_free(a);
}

/* A tiny case by hand: times 1 (event 1), 2 (event 2), 3 (censored), 4 (event 1).
 * AJ: S = 3/4, 1/2, 1/2, 0; F1 = 1/4, 1/4, 1/4, 3/4; F2 = 0, 1/4, 1/4, 1/4. The IJ variance at
 * time 1 of F1 is sum_i U_i^2 with U = (1 - 1/4)/4 for the event, -(1/4)/4 for the three others:
 * (9 + 3) / 256 = 3/64. */
PN_TEST(hand_case)
{
    pn_cumincagg *a = NULL;
    PN_CHECK(pn_cumincagg_new(&a, 2) == PN_OK);
    PN_CHECK(pn_cumincagg_add(a, 0, NAN, 1, 1, 1) == PN_OK);
    PN_CHECK(pn_cumincagg_add(a, 0, NAN, 2, 2, 1) == PN_OK);
    PN_CHECK(pn_cumincagg_add(a, 0, NAN, 3, 0, 1) == PN_OK);
    PN_CHECK(pn_cumincagg_add(a, 0, NAN, 4, 1, 1) == PN_OK);
    pn_cuminctables *t;
    PN_CHECK(pn_cumincagg_tables(a, 1, NULL, PN_CUMINC_TIMEFIX, &t) == PN_OK);
    const pn_cuminctable *tab = pn_cuminctables_table(t, 0);
    PN_CHECK(tab->k == 4 && tab->m == 2);
    PN_CHECK(tab->n_risk[0] == 4 && tab->n_risk[3] == 1 && tab->n_censor[2] == 1);
    double est[8], se[8], surv[4];
    PN_CHECK(pn_cuminc_curve(t, 0, est, se, surv) == PN_OK);
    PN_CHECK_NEAR(est[0], 0.25, 1e-15);
    PN_CHECK_NEAR(est[1 * 2 + 1], 0.25, 1e-15);
    PN_CHECK_NEAR(est[3 * 2], 0.75, 1e-15);
    PN_CHECK_NEAR(surv[3], 0, 1e-15);
    PN_CHECK_NEAR(se[0], sqrt(3.0 / 64), 1e-15);
    double e, s, lo, hi;
    PN_CHECK(pn_cumincagg_estimate(a, 0, 1, 3.5, 0.95, &e, &s, &lo, &hi) == PN_OK);
    PN_CHECK_NEAR(e, 0.25, 1e-15);
    PN_CHECK(lo < e && e < hi);
    PN_CHECK(pn_cumincagg_estimate(a, 0, 1, 0.5, 0.95, &e, &s, &lo, &hi) == PN_OK);
    PN_CHECK(e == 0 && s == 0 && lo == 0 && hi == 0);
    pn_cuminctables_free(t);
    pn_cumincagg_free(a);
}

PN_TEST_MAIN(PN_T(merge_any_split), PN_T(merge_any_split_entry), PN_T(roundtrip_and_refusals),
             PN_T(add_refuses), PN_T(hand_case))
