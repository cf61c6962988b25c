/* cuminc_internal.h - the layout of the competing-risks aggregate (cumincagg.c), shared with its
 * serialisation (cumincagg_wire.c), its tables and the estimators (cuminc.c, cuminc_gray.c)
 * inside stats/: the hash slots of (stratum, state, entry, exit time) and the tables' extra
 * arrays (unweighted counts, the exits by entry cohort for the variance). */
#ifndef PRONOSTIC_STATS_CUMINC_INTERNAL_H
#define PRONOSTIC_STATS_CUMINC_INTERNAL_H

#include "pronostic/cuminc.h"
#include "kmagg_internal.h" /* pn__csum, PN__EMPTY */

#include <stddef.h>
#include <stdint.h>

/* The entry of a row without delayed entry: at risk from the start. */
#define PN__NO_ENTRY (-INFINITY)

typedef struct pn__cislot {
    double entry;   /* PN__NO_ENTRY, or a finite time < time */
    double time;
    uint32_t group; /* PN__EMPTY when the slot is free */
    uint32_t state; /* 0 censored, 1..m */
    pn__csum w;     /* sum of the weights */
    pn__csum w2;    /* sum of the squared weights (the variance) */
    uint64_t n;     /* rows */
} pn__cislot;

struct pn_cumincagg {
    int m;             /* event types */
    pn__cislot *slots;
    size_t nslots;     /* power of two */
    size_t used;
    size_t *nrec;      /* rows per stratum code */
    size_t nrec_cap;
};

/* The slot of the key, created empty when absent (-0 taken as 0); NULL when out of memory. */
pn__cislot *pn__cumincagg_find(pn_cumincagg *a, uint32_t group, uint32_t state, double entry,
                               double time);
/* Add n rows to the count of stratum code `group`. PN_OK or PN_ENOMEM. */
int pn__cumincagg_count(pn_cumincagg *a, uint32_t group, size_t n);
/* Order of keys: stratum, exit time, state, entry (qsort comparator). */
int pn__cislot_cmp(const void *a, const void *b);
/* The used slots in the order of pn__cislot_cmp: *out (*n slots, at least one allocated) owned
 * by the caller (pn_free). PN_OK or PN_ENOMEM. */
int pn__cumincagg_sorted(const pn_cumincagg *a, pn__cislot **out, size_t *n);

/* One group of subjects leaving together: at exit index `exit` of their stratum, in `state`,
 * having entered the risk set at index `cohort` (the first time index they are at risk: 0
 * without delayed entry), with squared weights summing to w2. */
typedef struct pn__ciexit {
    uint32_t exit, cohort, state;
    double w2;
    uint64_t n;
} pn__ciexit;

struct pn_cuminctables {
    size_t ngroups, m;
    pn_cuminctable *tab;
    double *store;      /* the weighted arrays the tables view */
    double *cnt;        /* unweighted counts, per stratum: risk (k), event (k*m), censor (k) */
    size_t *cnt_off;    /* ngroups: offset of each stratum's counts in cnt */
    pn__ciexit *exits;
    size_t *exit_off;   /* ngroups + 1 offsets into exits (sorted by exit, cohort, state) */
    int any_entry;      /* a row had a delayed entry */
    int nonunit;        /* a row had a weight other than 1 */
};

#endif
