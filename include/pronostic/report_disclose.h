/* report_disclose.h - disclosure control of the survival report (docs/interfaces.md 1.4,
 * docs/methods.md "Disclosure control"): the report's counts protected as cubes, one per
 * count it prints (the patients of each measure, their deaths at each horizon), over site x
 * period x sex and site x period x region, whatever the report's --site and --by; each row's
 * n, events and estimate get a status (PN_DCELL_*, disclosure.h). */
#ifndef PRONOSTIC_REPORT_DISCLOSE_H
#define PRONOSTIC_REPORT_DISCLOSE_H

#include "pronostic/disclosure.h"
#include "pronostic/report.h"
#include "pronostic/writer.h"

#include <stddef.h>
#include <stdio.h>

typedef struct pn_report_masks {
    size_t n;                        /* rows of the report */
    unsigned char *n_status;         /* per row: the status of its n */
    unsigned char *events_status;    /* of its events */
    unsigned char *estimate_status;  /* of its estimate and limits (the `suppressed` column) */
    long long k;
    size_t ncubes;                   /* cubes protected */
    pn_daudit audit;                 /* their audits together: counts and nlp added, the
                                        narrowest interval, passed when all passed */
} pn_report_masks;

/* Protect the counts of `counts` (pn_report_counts_compute over the same report) at threshold
 * k and give each row of `r` its statuses. A period row's estimate is masked when its n or
 * events is (or 1 <= n < k); a trend row's n and events (sums over the periods the trend used)
 * are published only when the range check passes (pn_dcube_sum_publishable), and its estimate
 * is masked when a period estimate it used is. *out owned by the caller
 * (pn_report_masks_free). PN_OK, PN_EINTERNAL (a row that is no sum of the counts), the codes
 * of pn_dcube_protect. */
int pn_report_protect(const pn_report *r, const pn_report_counts *counts, long long k,
                      pn_report_masks **out, pn_diag *diag);
void pn_report_masks_free(pn_report_masks *m);

/* The report of `opts` over `store` (read only) as it is published: computed, and protected at
 * threshold k (pn_report_counts_compute, pn_report_protect) unless k is 0 (--no-suppress:
 * *masks NULL). *rep and *masks are the caller's; on an error both are NULL. */
int pn_report_published(pn_store *store, const pn_report_opts *opts, long long k,
                        pn_report **rep, pn_report_masks **masks, pn_diag *diag);

/* The status (PN_DCELL_*) of row `row` of `r`: which 0 its n, 1 its events, 2 its estimate;
 * PN_DCELL_PUBLISHED for everything when `m` is NULL. */
int pn_report_row_status(const pn_report_masks *m, const pn_report *r, const pn_report_row *row,
                         int which);
/* Write the report's long form (docs/interfaces.md 1.4: site,period,sex,measure,horizon_years,
 * estimate,lower,upper,n,events[,region],suppressed) to `out` (borrowed) as csv or json, masked
 * by `m` (NULL: everything published, --no-suppress). PN_OK or PN_EIO. */
int pn_report_write_long(FILE *out, pn_format format, const pn_report *r,
                         const pn_report_masks *m, int with_region);
/* "male", "female" or "all" for a row's sex (1, 2, 0). */
const char *pn_report_sex_name(int sex);

#endif
