/* select_internal.h - the selection of a cohort from tumour rows in the order of
 * pn_store_scan_tumours, shared by the selection from the store (cohort.c) and from rows held
 * in memory (cohort_rows.c), so that both apply one rule. Private to cohort/. */
#ifndef PN_COHORT_SELECT_INTERNAL_H
#define PN_COHORT_SELECT_INTERNAL_H

#include "pronostic/cohort.h"
#include "pronostic/departement.h"
#include "pronostic/store.h"

/* A selection being built: the cohort (owned until handed over), the filter (borrowed). */
typedef struct pn__selecting {
    pn_cohort *c;
    const pn_cohort_filter *f;
    size_t cap;
    int64_t last_pid;
    int last_site;
    int32_t from, to;
    int want_dep;
    int region_of[PN_DEPARTEMENT_INDEXES];  /* the region of every département index, looked up once */
} pn__selecting;

/* Start a selection by `f` into x (its cohort x->c new, the caller's to free); `latest_vital`
 * is the store's latest vital-status date, the closing date when f's is automatic. PN_OK,
 * PN_EINVAL (a filter out of its domain), PN_ENOMEM. */
int pn__select_begin(pn__selecting *x, const pn_cohort_filter *f, int32_t latest_vital,
                     pn_diag *diag);
/* Take the next tumour row (a callback of pn_store_scan_tumours; ctx is the pn__selecting):
 * the first primary of a site per person, if the filter keeps it. PN_OK or PN_ENOMEM. */
int pn__select_take(const pn_store_tumour *t, void *ctx);

#endif
