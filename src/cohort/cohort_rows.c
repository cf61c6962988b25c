/* cohort_rows.c - the store's tumours held in memory (every site, in the order of
 * pn_store_scan_tumours, with the latest vital-status date), and selections from them: the same
 * cohorts as pn_cohort_select gives from the store (one rule, select_internal.h), without a
 * store access each time. A server reads them once per generation of the store. */
#include "select_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/site.h"

#include <string.h>

/* One tumour row: pn_store_tumour with its residence held here. */
typedef struct row {
    pn_store_tumour t;
    char residence[8];
} row;

struct pn_cohort_rows {
    row *r;
    size_t n, cap;
    int32_t latest_vital;
};

static int keep_row(const pn_store_tumour *t, void *ctx)
{
    pn_cohort_rows *rs = ctx;
    if (pn_grow((void **)&rs->r, &rs->cap, rs->n + 1, sizeof *rs->r) != PN_OK) return PN_ENOMEM;
    row *w = &rs->r[rs->n++];
    w->t = *t;
    memset(w->residence, 0, sizeof w->residence);
    if (t->residence) {
        /* no code is longer than 3 bytes: a longer text stays one that matches none */
        size_t len = t->residence_len < sizeof w->residence - 1 ? t->residence_len
                                                                  : sizeof w->residence - 1;
        memcpy(w->residence, t->residence, len);
        w->t.residence_len = len;
    }
    w->t.residence = NULL;      /* set at each read: the array moves while it grows */
    return PN_OK;
}

int pn_cohort_rows_read(pn_store *store, pn_cohort_rows **out, pn_diag *diag)
{
    *out = NULL;
    pn_cohort_rows *rs = pn_calloc(1, sizeof *rs);
    if (rs == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int rc = pn_store_read_begin(store, diag);
    if (rc == PN_OK) rc = pn_store_latest_vital_date(store, &rs->latest_vital, diag);
    if (rc == PN_OK) rc = pn_store_scan_tumours(store, PN_SITE_OTHER, keep_row, rs, diag);
    pn_store_read_end(store);
    if (rc == PN_ENOMEM) rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
    if (rc != PN_OK) {
        pn_cohort_rows_free(rs);
        return rc;
    }
    *out = rs;
    return PN_OK;
}

void pn_cohort_rows_free(pn_cohort_rows *rs)
{
    if (rs == NULL) return;
    pn_free(rs->r);
    pn_free(rs);
}

size_t pn_cohort_rows_count(const pn_cohort_rows *rs) { return rs->n; }

int pn_cohort_select_rows(const pn_cohort_rows *rs, const pn_cohort_filter *f, pn_cohort **out,
                          pn_diag *diag)
{
    *out = NULL;
    pn__selecting x;
    int rc = pn__select_begin(&x, f, rs->latest_vital, diag);
    if (rc != PN_OK) return rc;
    for (size_t i = 0; i < rs->n && rc == PN_OK; i++) {
        const row *w = &rs->r[i];
        /* the store's scan of one site is this order with the other sites left out */
        if (f->site != PN_SITE_OTHER && w->t.site != f->site) continue;
        pn_store_tumour t = w->t;
        t.residence = w->t.residence_len ? w->residence : NULL;
        rc = pn__select_take(&t, &x);
    }
    if (rc != PN_OK) {
        pn_cohort_free(x.c);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    *out = x.c;
    return PN_OK;
}
