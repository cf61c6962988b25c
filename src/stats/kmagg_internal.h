/* kmagg_internal.h - the layout of the survival aggregate (kmagg.c), shared with its
 * serialisation (kmagg_wire.c) inside stats/: compensated sums, the hash slots of
 * (stratum, time), the dense per-stratum counts of integer times, and the slot look-up. */
#ifndef PRONOSTIC_STATS_KMAGG_INTERNAL_H
#define PRONOSTIC_STATS_KMAGG_INTERNAL_H

#include "pronostic/km.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define PN__EMPTY UINT32_MAX

/* A compensated sum: the value is hi + lo, lo the rounding errors of the additions. */
typedef struct pn__csum {
    double hi, lo;
} pn__csum;

/* Add x to the sum (Neumaier's variant of Kahan summation: exact error of each addition). */
static inline void pn__csum_add(pn__csum *c, double x)
{
    double t = c->hi + x;
    c->lo += fabs(c->hi) >= fabs(x) ? (c->hi - t) + x : (x - t) + c->hi;
    c->hi = t;
}

/* Add another compensated sum. */
static inline void pn__csum_merge(pn__csum *c, pn__csum x)
{
    pn__csum_add(c, x.hi);
    c->lo += x.lo;
}

static inline double pn__csum_value(pn__csum c)
{
    return c.hi + c.lo;
}

struct pn_wire_writer;
struct pn_wire_reader;
/* A compensated sum in a state's bytes (csum_wire.c): hi then lo; the reader refuses a sum that
 * is not finite and non-negative, naming it (`name`) in its message. */
void pn__csum_put(struct pn_wire_writer *w, pn__csum c);
int pn__csum_get(struct pn_wire_reader *r, pn__csum *c, const char *name);

/* Count n more rows of `group` in the per-group counts *nrec of *cap entries (grown, new
 * entries 0). PN_OK or PN_ENOMEM. */
int pn__count_rows(size_t **nrec, size_t *cap, uint32_t group, size_t n);

/* The per-group row counts nrec[0..ncodes) in a state's bytes; the reader fills *nrec (grown
 * to ncodes entries) and refuses a count too large or a last group without rows. */
void pn__rows_put(struct pn_wire_writer *w, const size_t *nrec, size_t ncodes);
int pn__rows_get(struct pn_wire_reader *r, size_t ncodes, size_t **nrec, size_t *cap);

typedef struct pn__kmslot {
    double time;
    uint32_t group;    /* PN__EMPTY when the slot is free */
    uint32_t exits;    /* 1 when at least one subject leaves at this time (0 for entries only) */
    pn__csum w_event;  /* weighted events at time */
    pn__csum w_censor; /* weighted censorings at time */
    pn__csum w_enter;  /* weighted entries at time (delayed entry) */
} pn__kmslot;

/* The dense counts of one stratum code: for each integer time t in [0, len), the rows with
 * weight 1 and no delayed entry leaving at t with an event (cnt[2t]) and censored (cnt[2t+1]).
 * A cell and the hash slot of the same (stratum, time) together make the count of that time:
 * both hold exact integers (unit mode below), so their sum does not depend on how the rows
 * were shared between them. */
typedef struct pn__kmdense {
    uint32_t *cnt; /* 2 * len counts, NULL while the stratum counts in the hash only */
    uint32_t len;  /* 0, or a power of two */
} pn__kmdense;

struct pn_kmagg {
    pn__kmslot *slots;
    size_t nslots; /* power of two */
    size_t used;
    size_t *nrec; /* rows per stratum code */
    size_t nrec_cap;
    pn__kmdense *dense; /* per stratum code below dense_cap (NULL when none is dense) */
    size_t dense_cap;
    int unit;           /* 1 while every row added had weight 1 (every sum an exact integer):
                           the dense counts are then used; 0 once a row had another weight,
                           and the dense counts are then moved into the slots */
    double gap_entry; /* the row with the shortest time from entry to exit (delayed entry), */
    double gap_time;  /* NaN when none: the one most likely to fall into one time class */
};

/* The slot of (group, time) in `a`, created empty when absent (-0 is taken as 0); NULL when
 * out of memory. The slot belongs to the aggregate. */
pn__kmslot *pn__kmagg_find(pn_kmagg *a, uint32_t group, double time);

/* Add `n` rows to the count of stratum code `group`. PN_OK or PN_ENOMEM. */
int pn__kmagg_count(pn_kmagg *a, uint32_t group, size_t n);

/* Order of slots: by stratum code, then time (qsort comparator). */
int pn__kmslot_cmp(const void *a, const void *b);

/* Every (stratum code, time) of `a` as one slot, the hash slot and the dense cell of a time
 * added up, in the order of pn__kmslot_cmp: *out (*n slots, at least one allocated) is owned
 * by the caller (pn_free). PN_OK or PN_ENOMEM. */
int pn__kmagg_sorted_slots(const pn_kmagg *a, pn__kmslot **out, size_t *n);

#endif
