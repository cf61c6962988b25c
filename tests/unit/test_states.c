/* test_states.c - unit tests of the mergeable aggregate states of stats/: the Kaplan-Meier
 * aggregate (and through it Nelson-Aalen, the log-rank test and the life table), the
 * net-survival times and sums (Pohar-Perme, Ederer II; exact and relsurv schemes; delayed entry,
 * weights) and Grafféo's test. For each: the states of random splits of the rows, each
 * serialised and read back as a worker's would be and merged in random order, equal the state
 * of all rows (counts bit for bit, sums to 1e-12 relative); serialise then deserialise gives the
 * same bytes; every truncation, a corrupted length and inconsistent contents are refused with
 * PN_EPARSE and a message. */
#include "pn_test.h"
#include "pronostic/alloc.h"
#include "pronostic/km.h"
#include "pronostic/lifetable.h"
#include "pronostic/logrank.h"
#include "pronostic/netsurv.h"
#include "pronostic/netsurv_test.h"
#include "pronostic/wire.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return (size_t)(rnd() % n);
}
static double unif(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* A random permutation of 0..n-1 into p. */
static void shuffle(size_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = below(i), t = p[i - 1];
        p[i - 1] = p[j];
        p[j] = t;
    }
}

static int near_rel(double a, double b, double rel)
{
    if (a == b || (isnan(a) && isnan(b))) return 1;
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b));
}

static void put_le64(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static double get_f64(const unsigned char *b)
{
    uint64_t u = get_le64(b);
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* One kind of state, through void pointers, for the byte-level checks. */
typedef struct kind {
    const char *name;
    int (*ser)(const void *s, unsigned char **out, size_t *len);
    int (*deser)(void **out, const void *buf, size_t len, pn_diag *diag);
    void (*free)(void *s);
} kind;

#define KIND(T, label)                                                                             \
    static int T##_ser(const void *s, unsigned char **o, size_t *l)                                \
    {                                                                                              \
        return pn_##T##_serialise(s, o, l);                                                        \
    }                                                                                              \
    static int T##_deser(void **o, const void *b, size_t l, pn_diag *d)                            \
    {                                                                                              \
        pn_##T *x = NULL;                                                                          \
        int rc = pn_##T##_deserialise(&x, b, l, d);                                                \
        *o = x;                                                                                    \
        return rc;                                                                                 \
    }                                                                                              \
    static void T##_free(void *s)                                                                  \
    {                                                                                              \
        pn_##T##_free(s);                                                                          \
    }                                                                                              \
    static const kind T##_kind = {label, T##_ser, T##_deser, T##_free};
KIND(kmagg, "Kaplan-Meier state")
KIND(nstimes, "net survival times")
KIND(nsagg, "net survival state")
KIND(nstestagg, "net survival test state")

/* Read back, then serialise again: the same bytes. The state read is freed. */
static int roundtrip_same(const kind *k, const unsigned char *b, size_t len)
{
    void *s = NULL;
    pn_diag diag = {0};
    if (k->deser(&s, b, len, &diag) != PN_OK) {
        fprintf(stderr, "%s: %s\n", k->name, diag.msg);
        return 0;
    }
    unsigned char *again = NULL;
    size_t len2 = 0;
    int same = k->ser(s, &again, &len2) == PN_OK && len2 == len && memcmp(again, b, len) == 0;
    pn_free(again);
    k->free(s);
    return same;
}

/* Refused with PN_EPARSE, a message naming the state, nothing returned. */
static int refused(const kind *k, const unsigned char *b, size_t len)
{
    void *s = (void *)&s;
    pn_diag diag = {0};
    int rc = k->deser(&s, b, len, &diag);
    int ok = rc == PN_EPARSE && s == NULL && diag.code == PN_EPARSE &&
             strncmp(diag.msg, k->name, strlen(k->name)) == 0;
    if (!ok) fprintf(stderr, "%s: not refused (rc %d): %s\n", k->name, rc, diag.msg);
    if (rc == PN_OK) k->free(s);
    return ok;
}

/* The checks every state's bytes pass: the round trip, every truncation (all of them when
 * `every`, else the header's, a sample and the last 64), one byte too many, a payload length
 * off by one either way, another magic and another version. */
static void check_bytes(const kind *k, const unsigned char *b, size_t len, int every)
{
    PN_CHECK(roundtrip_same(k, b, len));
    size_t bad = 0;
    for (size_t cut = 0; cut < len; cut++) {
        if (!every && cut > 32 && cut + 64 < len && cut % 97 != 0) continue;
        bad += !refused(k, b, cut);
    }
    PN_CHECK(bad == 0);
    unsigned char *c = pn_malloc(len + 1);
    if (c == NULL) return;
    memcpy(c, b, len);
    c[len] = 0;
    PN_CHECK(refused(k, c, len + 1));
    put_le64(c + 8, len - PN_WIRE_HEADER + 1);
    PN_CHECK(refused(k, c, len + 1)); /* the length says one more: still one byte over */
    PN_CHECK(refused(k, c, len));
    put_le64(c + 8, len - PN_WIRE_HEADER - 1);
    PN_CHECK(refused(k, c, len));
    put_le64(c + 8, UINT64_MAX);
    PN_CHECK(refused(k, c, len));
    put_le64(c + 8, len - PN_WIRE_HEADER);
    c[0] ^= 1;
    PN_CHECK(refused(k, c, len));
    c[0] ^= 1;
    c[4] ^= 2;
    PN_CHECK(refused(k, c, len));
    c[4] ^= 2;
    PN_CHECK(roundtrip_same(k, c, len));
    pn_free(c);
}

/* A copy of `b` with the 8 bytes at `off` set to `v`, refused. */
static int refused_with(const kind *k, const unsigned char *b, size_t len, size_t off, uint64_t v)
{
    unsigned char *c = pn_malloc(len);
    if (c == NULL) return 0;
    memcpy(c, b, len);
    put_le64(c + off, v);
    int r = refused(k, c, len);
    pn_free(c);
    return r;
}

static uint64_t bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* ---- Kaplan-Meier ------------------------------------------------------------------------- */

typedef struct kmrow {
    uint32_t g;
    double entry, time;
    int event;
    double w;
} kmrow;

static void km_rows(kmrow *r, size_t n, size_t ngroups, int entry, int fractional)
{
    for (size_t i = 0; i < n; i++) {
        r[i].g = (uint32_t)below(ngroups);
        r[i].time = (double)(1 + below(60)) + (below(5) == 0 ? 0.5 : 0);
        r[i].event = below(3) != 0;
        r[i].w = fractional ? 0.001 * (double)(1 + below(2000)) : (double)(1 + below(3));
        r[i].entry = entry ? floor(r[i].time * 0.9 * unif()) : NAN;
    }
}

static pn_kmagg *km_of(const kmrow *r, const size_t *idx, size_t n)
{
    pn_kmagg *a = NULL;
    if (pn_kmagg_new(&a) != PN_OK) return NULL;
    for (size_t i = 0; i < n; i++) {
        const kmrow *x = &r[idx ? idx[i] : i];
        if (pn_kmagg_add(a, x->g, x->entry, x->time, x->event, x->w) != PN_OK) {
            pn_kmagg_free(a);
            return NULL;
        }
    }
    return a;
}

/* Serialise and read back, as a worker's state reaches the leader: the state is replaced. */
static int km_ship(pn_kmagg **a)
{
    unsigned char *b = NULL;
    size_t len = 0;
    pn_kmagg *back = NULL;
    int rc = pn_kmagg_serialise(*a, &b, &len);
    if (rc == PN_OK) rc = pn_kmagg_deserialise(&back, b, len, NULL);
    pn_free(b);
    if (rc != PN_OK) return rc;
    pn_kmagg_free(*a);
    *a = back;
    return PN_OK;
}

/* The states of a random split of rows r into 1..7 parts, shipped and merged in random order. */
static pn_kmagg *km_split_merge(const kmrow *r, size_t n)
{
    size_t nparts = 1 + below(7), order[8], *idx = pn_malloc((n ? n : 1) * sizeof *idx);
    size_t *part = pn_malloc((n ? n : 1) * sizeof *part), cnt[8] = {0};
    pn_kmagg *st[8] = {0}, *out = NULL;
    if (idx == NULL || part == NULL) goto done;
    for (size_t i = 0; i < n; i++)
        part[i] = below(nparts), cnt[part[i]]++;
    for (size_t p = 0, at = 0; p < nparts; p++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (part[i] == p) idx[at + m++] = i;
        if ((st[p] = km_of(r, idx + at, m)) == NULL || km_ship(&st[p]) != PN_OK) goto done;
        at += m;
    }
    shuffle(order, nparts);
    for (size_t j = 1; j < nparts; j++)
        if (pn_kmagg_merge(st[order[0]], st[order[j]]) != PN_OK) goto done;
    out = st[order[0]];
    st[order[0]] = NULL;
done:
    for (size_t p = 0; p < 8; p++)
        pn_kmagg_free(st[p]);
    pn_free(part);
    pn_free(idx);
    return out;
}

static int same_or_near(const double *a, const double *b, size_t n, int exact)
{
    for (size_t i = 0; i < n; i++)
        if (exact ? bits(a[i]) != bits(b[i]) : !near_rel(a[i], b[i], 1e-12)) return 0;
    return 1;
}

PN_TEST(km_merge_of_random_splits_equals_whole)
{
    enum { N = 400 };
    kmrow r[N];
    for (int trial = 0; trial < 60; trial++) {
        size_t n = below(N + 1), ng = 1 + below(4);
        int entry = trial % 3 == 1, fractional = trial % 2 == 1;
        km_rows(r, n, ng, entry, fractional);
        pn_kmagg *whole = km_of(r, NULL, n), *merged = km_split_merge(r, n);
        PN_CHECK(whole != NULL && merged != NULL);
        if (whole == NULL || merged == NULL) {
            pn_kmagg_free(whole);
            pn_kmagg_free(merged);
            return;
        }
        PN_CHECK(pn_kmagg_ngroups(merged) == pn_kmagg_ngroups(whole));
        /* integer weights: the very same state, byte for byte */
        unsigned char *bw = NULL, *bm = NULL;
        size_t lw = 0, lm = 0;
        PN_CHECK(pn_kmagg_serialise(whole, &bw, &lw) == PN_OK &&
                 pn_kmagg_serialise(merged, &bm, &lm) == PN_OK);
        if (!fractional) PN_CHECK(lw == lm && memcmp(bw, bm, lw) == 0);
        pn_free(bw);
        pn_free(bm);
        pn_kmtables *tw = NULL, *tm = NULL;
        int rw = pn_kmagg_tables(whole, ng, NULL, &tw), rm = pn_kmagg_tables(merged, ng, NULL, &tm);
        PN_CHECK(rw == PN_OK && rm == PN_OK);
        for (size_t g = 0; tw && tm && g < ng; g++) {
            const pn_kmtable *a = &tw->tab[g], *b = &tm->tab[g];
            PN_CHECK(a->k == b->k && a->n_records == b->n_records);
            if (a->k != b->k) continue;
            PN_CHECK(same_or_near(a->time, b->time, a->k, 1));
            PN_CHECK(same_or_near(a->n_risk, b->n_risk, a->k, !fractional));
            PN_CHECK(same_or_near(a->n_event, b->n_event, a->k, !fractional));
            PN_CHECK(same_or_near(a->n_censor, b->n_censor, a->k, !fractional));
            /* Kaplan-Meier and Nelson-Aalen from them */
            double s1[N], e1[N], s2[N], e2[N];
            for (int m = 0; m < 2; m++) {
                pn_km_curve(a, m ? PN_KM_FLEMING_HARRINGTON : PN_KM_KAPLAN_MEIER, s1, e1);
                pn_km_curve(b, m ? PN_KM_FLEMING_HARRINGTON : PN_KM_KAPLAN_MEIER, s2, e2);
                PN_CHECK(same_or_near(s1, s2, a->k, !fractional));
            }
            if (!entry) { /* the life table, from the same state */
                const double cuts[4] = {10, 20, 40, 61};
                double x[6][4], y[6][4];
                pn_lifetable(a, cuts, 4, x[0], x[1], x[2], x[3], x[4], x[5]);
                pn_lifetable(b, cuts, 4, y[0], y[1], y[2], y[3], y[4], y[5]);
                for (int c = 0; c < 6; c++)
                    PN_CHECK(same_or_near(x[c], y[c], 4, !fractional));
            }
        }
        if (!entry && ng >= 2) { /* the log-rank test, from the same state */
            double bufw[4 * 4 + 12], bufm[4 * 4 + 12];
            pn_logrank_result lw_ = {
                .n = bufw, .observed = bufw + 4, .expected = bufw + 8, .var = bufw + 12};
            pn_logrank_result lm_ = {
                .n = bufm, .observed = bufm + 4, .expected = bufm + 8, .var = bufm + 12};
            PN_CHECK(pn_logrank_final(whole, ng, 1, NULL, 0, &lw_) == PN_OK);
            PN_CHECK(pn_logrank_final(merged, ng, 1, NULL, 0, &lm_) == PN_OK);
            PN_CHECK(same_or_near(&lw_.chisq, &lm_.chisq, 1, !fractional) && lw_.df == lm_.df);
            PN_CHECK(same_or_near(lw_.n, lm_.n, ng, 1) &&
                     same_or_near(lw_.observed, lm_.observed, ng, !fractional) &&
                     same_or_near(lw_.expected, lm_.expected, ng, !fractional) &&
                     same_or_near(lw_.var, lm_.var, ng * ng, !fractional));
        }
        pn_kmtables_free(tw);
        pn_kmtables_free(tm);
        pn_kmagg_free(whole);
        pn_kmagg_free(merged);
    }
}

/* Two stays of the same length, one of which falls into one class of times (with a third exit
 * between its ends) and one that does not: the stay that is checked, and so the answer, is the
 * same whatever the order of the rows and of the merges (it was the first row's). */
PN_TEST(km_shortest_stay_independent_of_row_order)
{
    const double g = 0x1p-25; /* above the tolerance 2^-26, exactly representable at 0.5 and 1 */
    kmrow rows[3] = {{0, 1, 1 + g, 1, 1}, {0, 0.5, 0.5 + g, 1, 1}, {0, NAN, 1 + 0x1p-26, 0, 1}};
    size_t orders[3][3] = {{0, 1, 2}, {1, 0, 2}, {2, 1, 0}};
    int rc[4];
    for (int o = 0; o < 3; o++) {
        pn_kmagg *a = km_of(rows, orders[o], 3);
        pn_kmtables *t = NULL;
        rc[o] = a ? pn_kmagg_tables(a, 1, NULL, &t) : PN_ENOMEM;
        pn_kmtables_free(t);
        pn_kmagg_free(a);
    }
    size_t p0[1] = {0}, p1[2] = {1, 2};
    pn_kmagg *a = km_of(rows, p0, 1), *b = km_of(rows, p1, 2);
    pn_kmtables *t = NULL;
    rc[3] = a && b && pn_kmagg_merge(a, b) == PN_OK ? pn_kmagg_tables(a, 1, NULL, &t) : PN_ENOMEM;
    pn_kmtables_free(t);
    pn_kmagg_free(a);
    pn_kmagg_free(b);
    PN_CHECK(rc[0] == rc[1] && rc[1] == rc[2] && rc[2] == rc[3]);
}

PN_TEST(km_add_refuses_what_cannot_be_serialised)
{
    pn_kmagg *a = NULL;
    PN_CHECK(pn_kmagg_new(&a) == PN_OK);
    if (a == NULL) return;
    PN_CHECK(pn_kmagg_add(a, 0, NAN, NAN, 1, 1) == PN_EINVAL);
    PN_CHECK(pn_kmagg_add(a, 0, NAN, INFINITY, 1, 1) == PN_EINVAL);
    PN_CHECK(pn_kmagg_add(a, 0, -INFINITY, 3, 1, 1) == PN_EINVAL);
    PN_CHECK(pn_kmagg_add(a, 0, NAN, 3, 1, -1) == PN_EINVAL);
    PN_CHECK(pn_kmagg_add(a, 0, NAN, 3, 1, NAN) == PN_EINVAL);
    PN_CHECK(pn_kmagg_add(a, UINT32_MAX, NAN, 3, 1, 1) == PN_EINVAL);
    PN_CHECK(pn_kmagg_ngroups(a) == 0);
    PN_CHECK(pn_kmagg_add(a, 2, NAN, -0.0, 1, 0) == PN_OK && pn_kmagg_ngroups(a) == 3);
    unsigned char *b = NULL;
    size_t len = 0;
    PN_CHECK(pn_kmagg_serialise(a, &b, &len) == PN_OK && roundtrip_same(&kmagg_kind, b, len));
    pn_free(b);
    pn_kmagg_free(a);
}

/* Offsets in a Kaplan-Meier state of `ncodes` codes: the slots start at 16 + 8 + 8 ncodes + 24. */
static size_t km_slots_at(size_t ncodes)
{
    return PN_WIRE_HEADER + 8 + 8 * ncodes + 16 + 8;
}

PN_TEST(km_bytes_refused_when_truncated_corrupted_or_inconsistent)
{
    kmrow r[5] = {
        {0, NAN, 3, 1, 1}, {0, NAN, 2, 0, 1}, {1, 1, 5, 0, 2}, {1, NAN, 2, 1, 1}, {1, 0, 4, 1, 1}};
    pn_kmagg *a = km_of(r, NULL, 5);
    unsigned char *b = NULL;
    size_t len = 0;
    PN_CHECK(a != NULL && pn_kmagg_serialise(a, &b, &len) == PN_OK);
    pn_kmagg_free(a);
    if (b == NULL) return;
    check_bytes(&kmagg_kind, b, len, 1);
    const kind *k = &kmagg_kind;
    size_t s = km_slots_at(2), nslots = get_le64(b + s - 8);
    PN_CHECK(nslots == 7 && len == s + 64 * nslots);
    PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER, 3));          /* ncodes beyond */
    PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER, UINT64_MAX)); /* a count beyond the buffer */
    PN_CHECK(refused_with(k, b, len, s - 8, nslots + 1));          /* slot count */
    PN_CHECK(refused_with(k, b, len, s - 8, nslots - 1));          /* trailing slot */
    PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER + 16, 0));     /* last code without rows */
    PN_CHECK(refused_with(k, b, len, s + 8, bits(NAN)));           /* a time that is NaN */
    PN_CHECK(refused_with(k, b, len, s + 8, bits(-0.0)));          /* -0 (never stored) */
    PN_CHECK(refused_with(k, b, len, s + 64 + 8, bits(0.0)));      /* slots out of order */
    PN_CHECK(refused_with(k, b, len, s + 16, bits(-1.0)));         /* a negative sum */
    PN_CHECK(refused_with(k, b, len, s + 24, bits(INFINITY)));     /* a sum that is not finite */
    PN_CHECK(refused_with(k, b, len, s, 7));                       /* a code beyond the codes */
    PN_CHECK(refused_with(k, b, len, s, 2ull << 32));              /* an exit flag of 2 */
    PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER + 8, 1));      /* more exit times than rows */
    PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER + 24, bits(NAN))); /* half a shortest stay */
    pn_free(b);
    /* the empty state reads back too */
    PN_CHECK(pn_kmagg_new(&a) == PN_OK && pn_kmagg_serialise(a, &b, &len) == PN_OK);
    check_bytes(&kmagg_kind, b, len, 1);
    pn_free(b);
    pn_kmagg_free(a);
}

/* The state built from `n` rows by `plan`: 0 all rows into one state in order; 1 and 2 the
 * rows of part[i] == 0 and of part[i] == 1 in two states, merged (1: the second into the
 * first, 2: the first into the second). Rows get `shift` added to their times (and entries).
 * NULL when out of memory. */
static pn_kmagg *km_plan(const kmrow *r, size_t n, const unsigned char *part, int plan,
                         double shift)
{
    pn_kmagg *st[2] = {NULL, NULL};
    if (pn_kmagg_new(&st[0]) != PN_OK || pn_kmagg_new(&st[1]) != PN_OK) goto fail;
    for (size_t i = 0; i < n; i++)
        if (pn_kmagg_add(st[plan ? part[i] : 0], r[i].g, r[i].entry + shift, r[i].time + shift,
                         r[i].event, r[i].w) != PN_OK)
            goto fail;
    if (plan == 0 || pn_kmagg_merge(st[plan - 1], st[2 - plan]) == PN_OK) {
        pn_kmagg *out = st[plan ? plan - 1 : 0];
        pn_kmagg_free(st[plan ? 2 - plan : 1]);
        return out;
    }
fail:
    pn_kmagg_free(st[0]);
    pn_kmagg_free(st[1]);
    return NULL;
}

/* Many rows of weight 1 at integer times are counted in dense arrays, not in the hash: the
 * state is still the one the hash alone gives. The same rows at times t + 0.5 (never dense)
 * serialise to the same bytes once the times are shifted back, built whole or as merges of two
 * parts, with integer times beyond the dense range, delayed entries, and a row of another
 * weight (which moves the dense counts into the hash) before, among or after the others. */
PN_TEST(km_dense_counts_give_the_state_of_the_hash)
{
    enum { N = 30000 };
    kmrow *r = pn_malloc(N * sizeof *r);
    unsigned char *part = pn_malloc(N);
    PN_CHECK(r != NULL && part != NULL);
    if (r == NULL || part == NULL) goto done;
    for (int trial = 0; trial < 12; trial++) {
        size_t n = N - below(N / 2), ng = 1 + below(3);
        for (size_t i = 0; i < n; i++) {
            r[i].g = (uint32_t)below(ng);
            r[i].time = (double)below(trial % 4 == 3 ? 5000 : 2500);
            if (below(50) == 0) r[i].time = (double)(1u << 24) + (double)below(3); /* beyond */
            if (below(50) == 0) r[i].time += 0.25;                            /* not integer */
            r[i].event = below(3) != 0;
            r[i].w = 1;
            r[i].entry = trial % 3 == 2 && below(4) == 0 ? floor(r[i].time * unif()) : NAN;
            if (r[i].entry == r[i].time) r[i].entry = NAN;
            part[i] = (unsigned char)below(2);
        }
        if (trial % 2 == 1) r[below(n)].w = 0.375; /* the first row of another weight */
        for (int plan = 0; plan < 3; plan++) {
            pn_kmagg *dense = km_plan(r, n, part, plan, 0), *hash = km_plan(r, n, part, plan, 0.5);
            unsigned char *bd = NULL, *bh = NULL;
            size_t ld = 0, lh = 0;
            PN_CHECK(dense != NULL && hash != NULL && pn_kmagg_serialise(dense, &bd, &ld) == PN_OK &&
                     pn_kmagg_serialise(hash, &bh, &lh) == PN_OK && ld == lh);
            if (bd != NULL && bh != NULL && ld == lh) {
                size_t ncodes = get_le64(bh + PN_WIRE_HEADER), at = km_slots_at(ncodes);
                for (size_t off = at - 24; off < at - 8; off += 8) /* the shortest stay */
                    if (!isnan(get_f64(bh + off))) put_le64(bh + off, bits(get_f64(bh + off) - 0.5));
                for (size_t off = at + 8; off + 56 <= lh; off += 64) /* each slot's time */
                    put_le64(bh + off, bits(get_f64(bh + off) - 0.5));
                PN_CHECK(memcmp(bd, bh, ld) == 0);
                PN_CHECK(roundtrip_same(&kmagg_kind, bd, ld));
            }
            pn_kmtables *td = NULL, *th = NULL;
            size_t ng2 = dense ? pn_kmagg_ngroups(dense) : 0;
            PN_CHECK(dense && hash && pn_kmagg_tables(dense, ng2, NULL, &td) == PN_OK &&
                     pn_kmagg_tables(hash, ng2, NULL, &th) == PN_OK);
            for (size_t g = 0; td && th && g < ng2; g++) {
                const pn_kmtable *a = &td->tab[g], *b = &th->tab[g];
                PN_CHECK(a->k == b->k && a->n_records == b->n_records);
                for (size_t i = 0; a->k == b->k && i < a->k; i++)
                    PN_CHECK(a->time[i] + 0.5 == b->time[i] && bits(a->n_risk[i]) == bits(b->n_risk[i]) &&
                             bits(a->n_event[i]) == bits(b->n_event[i]) &&
                             bits(a->n_censor[i]) == bits(b->n_censor[i]));
            }
            pn_kmtables_free(td);
            pn_kmtables_free(th);
            pn_free(bd);
            pn_free(bh);
            pn_kmagg_free(dense);
            pn_kmagg_free(hash);
        }
    }
done:
    pn_free(r);
    pn_free(part);
}

/* ---- net survival ------------------------------------------------------------------------- */

/* A table whose hazard grows with age, differs by sex and falls with calendar years, so that
 * cells change along the follow-up (ages 0-100, years 1990-2020). */
static pn_ratetable *varied_table(void)
{
    size_t cap = 400000, len = 0;
    char *csv = pn_malloc(cap);
    if (csv == NULL) return NULL;
    len += (size_t)snprintf(csv, cap, "age,sex,year,value\n");
    for (int a = 0; a <= 100; a++)
        for (int y = 1990; y <= 2020; y++)
            for (int s = 0; s < 2; s++)
                len += (size_t)snprintf(
                    csv + len, cap - len, "%d,%s,%d,%.17g\n", a, s ? "female" : "male", y,
                    1e-6 * exp(0.08 * a) * (s ? 0.7 : 1) * (1 - 0.01 * (y - 1990)));
    pn_ratetable *rt = NULL;
    pn_ratetable_load_mem(&rt, "varied.csv", csv, len, NULL);
    pn_free(csv);
    return rt;
}

typedef struct nsdata {
    size_t n;
    double time[600], entry[600], age_days[600], date[600], weight[600];
    int status[600], sex[600], group[600], stratum[600];
} nsdata;

static void ns_make(nsdata *d, size_t n, double tmax)
{
    d->n = n;
    for (size_t i = 0; i < n; i++) {
        d->time[i] = (double)(1 + below((size_t)tmax)) + (below(7) == 0 ? 0.25 : 0);
        d->entry[i] = below(3) == 0 ? floor(d->time[i] * 0.8 * unif()) : 0;
        d->status[i] = below(3) == 0;
        d->age_days[i] = (double)(40 + below(50)) * 365.241 + (double)below(365);
        d->date[i] = 9131 + (double)below(5000); /* 1995-01-01 and after */
        d->sex[i] = below(2) ? PN_SEX_FEMALE : PN_SEX_MALE;
        d->weight[i] = 0.5 + unif();
        d->group[i] = (int)below(3);
        d->stratum[i] = (int)below(2);
    }
}

static pn_netsurv_input ns_input(const nsdata *d, int entry, int weight)
{
    pn_netsurv_input in = {.n = d->n,
                           .time = d->time,
                           .entry = entry ? d->entry : NULL,
                           .status = d->status,
                           .age_days = d->age_days,
                           .date = d->date,
                           .sex = d->sex,
                           .weight = weight ? d->weight : NULL};
    return in;
}

/* A random split of the n subjects into 1..6 parts: part p's rows are rows[start[p] ..
 * start[p + 1]). */
static size_t ns_split(size_t n, size_t *rows, size_t start[8])
{
    size_t nparts = 1 + below(6), *part = pn_malloc((n ? n : 1) * sizeof *part);
    if (part == NULL) return 0;
    for (size_t i = 0; i < n; i++)
        part[i] = below(nparts);
    size_t at = 0;
    for (size_t p = 0; p < nparts; p++) {
        start[p] = at;
        for (size_t i = 0; i < n; i++)
            if (part[i] == p) rows[at++] = i;
    }
    start[nparts] = at;
    pn_free(part);
    return nparts;
}

/* Serialise and read back each kind of net-survival state. */
#define SHIP(T)                                                                                    \
    static int T##_ship(pn_##T **a)                                                                \
    {                                                                                              \
        unsigned char *b = NULL;                                                                   \
        size_t len = 0;                                                                            \
        pn_##T *back = NULL;                                                                       \
        int rc = pn_##T##_serialise(*a, &b, &len);                                                 \
        if (rc == PN_OK) rc = pn_##T##_deserialise(&back, b, len, NULL);                           \
        pn_free(b);                                                                                \
        if (rc != PN_OK) return rc;                                                                \
        pn_##T##_free(*a);                                                                         \
        *a = back;                                                                                 \
        return PN_OK;                                                                              \
    }
SHIP(nstimes)
SHIP(nsagg)
SHIP(nstestagg)

/* The sums of two net-survival states of one grid compared through their bytes: everything up
 * to the sums identical, the counts (the last three arrays of ng + 1) bit for bit, the other
 * sums to 1e-12 relative. */
static int ns_states_match(const pn_nsagg *x, const pn_nsagg *y)
{
    unsigned char *a = NULL, *b = NULL;
    size_t la = 0, lb = 0;
    int ok = pn_nsagg_serialise(x, &a, &la) == PN_OK && pn_nsagg_serialise(y, &b, &lb) == PN_OK &&
             la == lb;
    if (ok) {
        size_t ng = get_le64(a + 40), sums = PN_WIRE_HEADER + 24 + 8 + 8 * ng + 8;
        size_t nacc = get_le64(a + sums - 8), counts = nacc - 3 * (ng + 1);
        ok = memcmp(a, b, sums) == 0;
        for (size_t j = 0; ok && j < nacc; j++) {
            double u = get_f64(a + sums + 8 * j), v = get_f64(b + sums + 8 * j);
            if (j >= counts ? bits(u) != bits(v) : !near_rel(u, v, 1e-12)) {
                fprintf(stderr, "sum %zu of %zu: %.17g against %.17g\n", j, nacc, u, v);
                ok = 0;
            }
        }
    }
    pn_free(a);
    pn_free(b);
    return ok;
}

PN_TEST(netsurv_merge_of_random_splits_equals_whole)
{
    pn_ratetable *rt = varied_table();
    PN_CHECK(rt != NULL);
    if (rt == NULL) return;
    static nsdata d;
    size_t rows[600], start[8], order[8];
    int cases = 0;
    for (int method = 0; method < 2; method++)
        for (int scheme = 0; scheme < 2; scheme++)
            for (int variant = 0; variant < 3; variant++) { /* plain, delayed entry, weights */
                if (variant == 2 && method == PN_NETSURV_EDERER2) continue;
                for (int trial = 0; trial < 3; trial++) {
                    ns_make(&d, 50 + below(500), 2500);
                    pn_netsurv_input all = ns_input(&d, variant == 1, variant == 2);
                    size_t nparts = ns_split(d.n, rows, start);
                    pn_nstimes *tp[8] = {0}, *tw = NULL;
                    pn_nsagg *sp[8] = {0}, *sw = NULL;
                    double *grid = NULL, *gw = NULL;
                    size_t ng = 0, ngw = 0;
                    int ok = nparts > 0;
                    /* phase 1: the times of each part, shipped, merged in random order */
                    for (size_t p = 0; ok && p < nparts; p++) {
                        pn_netsurv_input in = all;
                        in.rows = rows + start[p];
                        in.n = start[p + 1] - start[p];
                        ok = pn_nstimes_new(&tp[p]) == PN_OK &&
                             pn_nstimes_add(tp[p], &in) == PN_OK &&
                             (trial == 1 || nstimes_ship(&tp[p]) == PN_OK); /* 1: as built */
                    }
                    shuffle(order, nparts);
                    for (size_t j = 1; ok && j < nparts; j++)
                        ok = pn_nstimes_merge(tp[order[0]], tp[order[j]]) == PN_OK;
                    ok = ok && pn_nstimes_final(tp[order[0]], &grid, &ng) == PN_OK;
                    ok = ok && pn_nstimes_new(&tw) == PN_OK && pn_nstimes_add(tw, &all) == PN_OK &&
                         pn_nstimes_final(tw, &gw, &ngw) == PN_OK;
                    PN_CHECK(ok && ng == ngw && memcmp(grid, gw, ng * sizeof *grid) == 0);
                    /* phase 2: the sums of each part on the grid, shipped, merged */
                    for (size_t p = 0; ok && p < nparts; p++) {
                        pn_netsurv_input in = all;
                        in.rows = rows + start[p];
                        in.n = start[p + 1] - start[p];
                        ok = pn_nsagg_new(&sp[p], grid, ng, method, scheme) == PN_OK &&
                             pn_nsagg_add(sp[p], &in, rt) == PN_OK && nsagg_ship(&sp[p]) == PN_OK;
                    }
                    shuffle(order, nparts);
                    for (size_t j = 1; ok && j < nparts; j++)
                        ok = pn_nsagg_merge(sp[order[0]], sp[order[j]]) == PN_OK;
                    ok = ok && pn_nsagg_new(&sw, grid, ng, method, scheme) == PN_OK &&
                         pn_nsagg_add(sw, &all, rt) == PN_OK;
                    PN_CHECK(ok);
                    if (ok) {
                        PN_CHECK(ns_states_match(sp[order[0]], sw));
                        /* the whole state's curve is pn_netsurv_estimate's, bit for bit; the
                         * merged one's agrees */
                        pn_netsurv_curve cw, cm, ce;
                        PN_CHECK(pn_netsurv_curve_init(&cw, ng) == PN_OK &&
                                 pn_netsurv_curve_init(&cm, ng) == PN_OK &&
                                 pn_netsurv_curve_init(&ce, d.n) == PN_OK);
                        PN_CHECK(pn_nsagg_final(sw, &cw) == PN_OK &&
                                 pn_nsagg_final(sp[order[0]], &cm) == PN_OK &&
                                 pn_netsurv_estimate(&all, rt, method, scheme, &ce) == PN_OK);
                        PN_CHECK(cw.len == ng && ce.len == ng && cm.len == ng);
                        PN_CHECK(memcmp(cw.surv, ce.surv, ng * sizeof *cw.surv) == 0 &&
                                 memcmp(cw.se, ce.se, ng * sizeof *cw.se) == 0);
                        for (size_t k = 0; k < ng && k < cm.len; k++)
                            PN_CHECK(near_rel(cw.surv[k], cm.surv[k], 1e-10) &&
                                     cw.n_risk[k] == cm.n_risk[k]);
                        pn_netsurv_curve_free(&cw);
                        pn_netsurv_curve_free(&cm);
                        pn_netsurv_curve_free(&ce);
                        cases++;
                    }
                    for (size_t p = 0; p < 8; p++) {
                        pn_nstimes_free(tp[p]);
                        pn_nsagg_free(sp[p]);
                    }
                    pn_nstimes_free(tw);
                    pn_nsagg_free(sw);
                    pn_free(grid);
                    pn_free(gw);
                }
            }
    PN_CHECK(cases == 30);
    pn_ratetable_free(rt);
}

PN_TEST(netsurv_states_refuse_mismatched_grids_and_bad_input)
{
    const double grid[3] = {1, 2, 5}, other[3] = {1, 2, 6}, bad[3] = {1, 3, 2};
    pn_nsagg *a = NULL, *b = NULL, *c = NULL;
    PN_CHECK(pn_nsagg_new(&a, grid, 3, PN_NETSURV_POHAR_PERME, PN_NETSURV_EXACT) == PN_OK);
    PN_CHECK(pn_nsagg_new(&b, other, 3, PN_NETSURV_POHAR_PERME, PN_NETSURV_EXACT) == PN_OK);
    PN_CHECK(pn_nsagg_new(&c, grid, 3, PN_NETSURV_POHAR_PERME, PN_NETSURV_RELSURV) == PN_OK);
    if (a && b && c) {
        PN_CHECK(pn_nsagg_merge(a, b) == PN_EINVAL && pn_nsagg_merge(a, c) == PN_EINVAL);
        /* a subject whose time is not a time of the grid */
        double t = 3, age = 20000, date = 10000;
        int st = 1, sex = 0;
        pn_netsurv_input in = {
            .n = 1, .time = &t, .status = &st, .age_days = &age, .date = &date, .sex = &sex};
        PN_CHECK(pn_nsagg_add(a, &in, NULL) == PN_EINVAL);
        t = -1;
        PN_CHECK(pn_nsagg_add(a, &in, NULL) == PN_EINVAL);
        pn_netsurv_curve cv;
        PN_CHECK(pn_netsurv_curve_init(&cv, 2) == PN_OK);
        PN_CHECK(pn_nsagg_final(a, &cv) == PN_EINVAL); /* room for 2 rows, 3 times */
        pn_netsurv_curve_free(&cv);
    }
    pn_nsagg_free(a);
    pn_nsagg_free(b);
    pn_nsagg_free(c);
    PN_CHECK(pn_nsagg_new(&a, bad, 3, PN_NETSURV_POHAR_PERME, PN_NETSURV_EXACT) == PN_EINVAL && !a);
    PN_CHECK(pn_nsagg_new(&a, grid, 3, 2, PN_NETSURV_EXACT) == PN_EINVAL);
    PN_CHECK(pn_nsagg_new(&a, grid, 3, PN_NETSURV_EDERER2, 5) == PN_EINVAL);
    const double far[1] = {2e6};
    PN_CHECK(pn_nsagg_new(&a, far, 1, PN_NETSURV_POHAR_PERME, PN_NETSURV_RELSURV) == PN_ERANGE);
    PN_CHECK(pn_nsagg_new(&a, far, 1, PN_NETSURV_POHAR_PERME, PN_NETSURV_EXACT) == PN_OK);
    pn_nsagg_free(a);
    pn_nstimes *t = NULL;
    PN_CHECK(pn_nstimes_new(&t) == PN_OK);
    double x[2] = {3, NAN};
    pn_netsurv_input in = {.n = 2, .time = x};
    PN_CHECK(pn_nstimes_add(t, &in) == PN_EINVAL);
    double *g = NULL;
    size_t ng = 9;
    PN_CHECK(pn_nstimes_final(t, &g, &ng) == PN_OK && ng == 0); /* unchanged: empty */
    pn_free(g);
    pn_nstimes_free(t);
}

/* A small state of each net-survival kind, its bytes checked at every truncation. */
PN_TEST(netsurv_bytes_refused_when_truncated_corrupted_or_inconsistent)
{
    pn_ratetable *rt = varied_table();
    if (rt == NULL) {
        PN_CHECK(0);
        return;
    }
    static nsdata d;
    ns_make(&d, 12, 20);
    d.status[0] = 1;
    pn_netsurv_input in = ns_input(&d, 0, 0);
    pn_nstimes *t = NULL;
    double *grid = NULL;
    size_t ng = 0;
    unsigned char *b = NULL;
    size_t len = 0;
    PN_CHECK(pn_nstimes_new(&t) == PN_OK && pn_nstimes_add(t, &in) == PN_OK &&
             pn_nstimes_final(t, &grid, &ng) == PN_OK && ng >= 3);
    PN_CHECK(pn_nstimes_serialise(t, &b, &len) == PN_OK && len == PN_WIRE_HEADER + 8 + 8 * ng);
    check_bytes(&nstimes_kind, b, len, 1);
    const size_t t0 = PN_WIRE_HEADER + 8;
    PN_CHECK(refused_with(&nstimes_kind, b, len, PN_WIRE_HEADER, ng + 1));
    PN_CHECK(refused_with(&nstimes_kind, b, len, t0 + 8, bits(grid[0]))); /* a repeated time */
    PN_CHECK(refused_with(&nstimes_kind, b, len, t0, bits(grid[2])));     /* out of order */
    PN_CHECK(refused_with(&nstimes_kind, b, len, t0, bits(0.0)));         /* not positive */
    PN_CHECK(refused_with(&nstimes_kind, b, len, t0 + 8 * (ng - 1), bits(INFINITY)));
    pn_free(b);
    for (int scheme = 0; scheme < 2; scheme++)
        for (int method = 0; method < 2; method++) {
            pn_nsagg *a = NULL;
            PN_CHECK(pn_nsagg_new(&a, grid, ng, method, scheme) == PN_OK &&
                     pn_nsagg_add(a, &in, rt) == PN_OK && pn_nsagg_serialise(a, &b, &len) == PN_OK);
            pn_nsagg_free(a);
            if (b == NULL) continue;
            check_bytes(&nsagg_kind, b, len, 1);
            const kind *k = &nsagg_kind;
            size_t g0 = PN_WIRE_HEADER + 32, sums = g0 + 8 * ng + 8;
            size_t nacc = get_le64(b + sums - 8), counts = sums + 8 * (nacc - 3 * (ng + 1));
            PN_CHECK(len == sums + 8 * nacc);
            PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER, 2));                     /* method 2 */
            PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER, (uint64_t)7 << 32));     /* scheme 7 */
            PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER + 8, (uint64_t)1 << 32)); /* reserved */
            PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER + 8, 16));       /* unknown flag */
            PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER + 16, d.n + 1)); /* subjects */
            PN_CHECK(refused_with(k, b, len, g0 - 8, ng - 1));               /* grid length */
            PN_CHECK(refused_with(k, b, len, g0 - 8, UINT64_MAX));
            PN_CHECK(refused_with(k, b, len, g0, bits(grid[1])));  /* grid order */
            PN_CHECK(refused_with(k, b, len, sums - 8, nacc - 1)); /* sums' length */
            PN_CHECK(refused_with(k, b, len, sums - 8, nacc + 1));
            PN_CHECK(refused_with(k, b, len, sums, bits(NAN)));    /* a NaN sum */
            PN_CHECK(refused_with(k, b, len, counts, bits(0.5)));  /* half a subject */
            PN_CHECK(refused_with(k, b, len, counts, bits(-1.0))); /* at risk below 0 */
            PN_CHECK(
                refused_with(k, b, len, counts + 8 * (ng + 1), bits(99.0))); /* deaths > exits */
            PN_CHECK(refused_with(k, b, len, counts + 16 * (ng + 1), bits(99.0))); /* exits */
            pn_free(b);
            b = NULL;
        }
    /* Grafféo's test state */
    pn_nstestagg *g = NULL;
    PN_CHECK(pn_nstestagg_new(&g, grid, ng, 3, 2) == PN_OK &&
             pn_nstestagg_add(g, &in, rt, d.group, d.stratum) == PN_OK &&
             pn_nstestagg_serialise(g, &b, &len) == PN_OK);
    pn_nstestagg_free(g);
    if (b != NULL) {
        check_bytes(&nstestagg_kind, b, len, 1);
        const kind *k = &nstestagg_kind;
        size_t t1 = PN_WIRE_HEADER + 32, sums = t1 + 8 * ng + 8;
        PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER, 1ull | 2ull << 32)); /* 1 group */
        PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER, 3ull));              /* 0 strata */
        PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER + 8, 2ull << 32));    /* death flag 2 */
        PN_CHECK(refused_with(k, b, len, PN_WIRE_HEADER + 8, 0));             /* deaths, no flag */
        PN_CHECK(refused_with(k, b, len, t1 - 8, ng + 1));
        PN_CHECK(refused_with(k, b, len, t1, bits(grid[1])));
        PN_CHECK(refused_with(k, b, len, sums - 8, get_le64(b + sums - 8) - 3));
        PN_CHECK(refused_with(k, b, len, sums, bits(-1.0))); /* at risk < 0 */
        PN_CHECK(refused_with(k, b, len, sums, bits(NAN)));
        pn_free(b);
    }
    pn_free(grid);
    pn_nstimes_free(t);
    pn_ratetable_free(rt);
}

PN_TEST(netsurv_test_merge_of_random_splits_equals_whole)
{
    gsl_set_error_handler_off(); /* as the program does at start (main.c) */
    pn_ratetable *rt = varied_table();
    if (rt == NULL) {
        PN_CHECK(0);
        return;
    }
    static nsdata d;
    size_t rows[600], start[8], order[8];
    int gp[600], sp_[600];
    for (int trial = 0; trial < 6; trial++) {
        ns_make(&d, 40 + below(300), 1500);
        pn_netsurv_input all = ns_input(&d, trial % 2, 0);
        size_t nparts = ns_split(d.n, rows, start);
        pn_nstimes *tw = NULL;
        pn_nstestagg *st[8] = {0}, *whole = NULL;
        double *grid = NULL;
        size_t ng = 0;
        int ok = nparts > 0 && pn_nstimes_new(&tw) == PN_OK && pn_nstimes_add(tw, &all) == PN_OK &&
                 pn_nstimes_final(tw, &grid, &ng) == PN_OK;
        for (size_t p = 0; ok && p < nparts; p++) {
            pn_netsurv_input in = all;
            in.rows = rows + start[p];
            in.n = start[p + 1] - start[p];
            for (size_t i = 0; i < in.n; i++) { /* codes per subject of the part */
                gp[i] = d.group[in.rows[i]];
                sp_[i] = d.stratum[in.rows[i]];
            }
            ok = pn_nstestagg_new(&st[p], grid, ng, 3, 2) == PN_OK &&
                 pn_nstestagg_add(st[p], &in, rt, gp, sp_) == PN_OK &&
                 nstestagg_ship(&st[p]) == PN_OK;
        }
        shuffle(order, nparts);
        for (size_t j = 1; ok && j < nparts; j++)
            ok = pn_nstestagg_merge(st[order[0]], st[order[j]]) == PN_OK;
        ok = ok && pn_nstestagg_new(&whole, grid, ng, 3, 2) == PN_OK &&
             pn_nstestagg_add(whole, &all, rt, d.group, d.stratum) == PN_OK;
        PN_CHECK(ok);
        if (ok) {
            unsigned char *a = NULL, *b = NULL;
            size_t la = 0, lb = 0;
            PN_CHECK(pn_nstestagg_serialise(whole, &a, &la) == PN_OK &&
                     pn_nstestagg_serialise(st[order[0]], &b, &lb) == PN_OK && la == lb);
            size_t sums = PN_WIRE_HEADER + 32 + 8 * ng + 8, bad = 0;
            PN_CHECK(a && b && memcmp(a, b, sums) == 0);
            for (size_t j = sums; a && b && j + 8 <= la; j += 8)
                bad += !near_rel(get_f64(a + j), get_f64(b + j), 1e-12);
            PN_CHECK(bad == 0);
            pn_free(a);
            pn_free(b);
            double c1, c2, p1, p2, z1[3], z2[3];
            int df1, df2;
            unsigned f1 = 0, f2 = 0;
            PN_CHECK(pn_nstestagg_final(whole, &c1, &df1, &p1, z1, &f1) == PN_OK &&
                     pn_nstestagg_final(st[order[0]], &c2, &df2, &p2, z2, &f2) == PN_OK);
            PN_CHECK(near_rel(c1, c2, 1e-9) && df1 == df2 && f1 == f2);
            /* the whole state is pn_netsurv_test's, bit for bit */
            double c3, p3, z3[3];
            int df3;
            PN_CHECK(pn_netsurv_test(&all, rt, d.group, 3, d.stratum, 2, &c3, &df3, &p3, z3,
                                     NULL) == PN_OK);
            PN_CHECK(bits(c1) == bits(c3) && df1 == df3 && memcmp(z1, z3, sizeof z1) == 0);
        }
        for (size_t p = 0; p < 8; p++)
            pn_nstestagg_free(st[p]);
        pn_nstestagg_free(whole);
        pn_nstimes_free(tw);
        pn_free(grid);
    }
    pn_ratetable_free(rt);
}

PN_TEST_MAIN(PN_T(km_merge_of_random_splits_equals_whole),
             PN_T(km_shortest_stay_independent_of_row_order),
             PN_T(km_add_refuses_what_cannot_be_serialised),
             PN_T(km_bytes_refused_when_truncated_corrupted_or_inconsistent),
             PN_T(km_dense_counts_give_the_state_of_the_hash),
             PN_T(netsurv_merge_of_random_splits_equals_whole),
             PN_T(netsurv_states_refuse_mismatched_grids_and_bad_input),
             PN_T(netsurv_bytes_refused_when_truncated_corrupted_or_inconsistent),
             PN_T(netsurv_test_merge_of_random_splits_equals_whole))
