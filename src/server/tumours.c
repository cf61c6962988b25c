/* tumours.c - the store's tumours held in memory for each generation (cohort.h,
 * pn_cohort_rows), so that a survival curve or a page of cases selects its cohort without
 * reading the store: read once per import, in the background (the watcher's warm-up). */
#include "server_internal.h"

#include "pronostic/cohort.h"

int pn__tumours_build(pn__srv *srv, void **obj, pn_diag *diag)
{
    pn_store *store = NULL;
    pn_cohort_rows *rows = NULL;
    int rc = pn_store_open_readonly(&store, srv->db, diag);
    if (rc == PN_OK) rc = pn_cohort_rows_read(store, &rows, diag);
    pn_store_close(store);
    if (rc == PN_OK) *obj = rows;
    return rc;
}

void pn__tumours_destroy(void *obj) { pn_cohort_rows_free(obj); }

int pn__select(pn__req *req, const pn_cohort_filter *filter, pn_cohort **out, pn_diag *diag)
{
    pn__genobj *o = NULL;
    int rc = pn__gen_acquire(&req->srv->tumours, req->srv, &o, &req->stale, diag);
    if (rc == PN_OK) rc = pn_cohort_select_rows(pn__gen_obj(o), filter, out, diag);
    pn__gen_release(o);
    return rc;
}
