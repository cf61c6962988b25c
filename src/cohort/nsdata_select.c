/* nsdata_select.c - the rows of a net-survival analysis taken from a selection of the store
 * (nsdata.h): no CSV in between, ages converted to days, groups of the store variables; and the
 * rows' latest end of follow-up. */
#include "pronostic/alloc.h"
#include "pronostic/date.h"
#include "pronostic/icss.h"
#include "pronostic/nsdata.h"

#include <math.h>

int pn_cohort_nsdata(const pn_cohort *c, const char *const *by, size_t nby, double time_scale,
                     pn_nsdata **out, pn_diag *diag)
{
    *out = NULL;
    pn_nsdata *d = pn_calloc(1, sizeof *d);
    if (d == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    size_t n = c->n, m = n ? n : 1;
    int rc = PN_OK;
    d->n = n;
    d->time_scale = time_scale;
    d->time = pn_malloc(m * sizeof *d->time);
    d->status = pn_malloc(m * sizeof *d->status);
    d->age_days = pn_malloc(m * sizeof *d->age_days);
    d->date = pn_malloc(m * sizeof *d->date);
    d->sex = pn_malloc(m * sizeof *d->sex);
    d->year = pn_malloc(m * sizeof *d->year);
    d->line = pn_malloc(m * sizeof *d->line);
    d->agegroup = pn_malloc(m * sizeof *d->agegroup);
    if (!d->time || !d->status || !d->age_days || !d->date || !d->sex || !d->year || !d->line ||
        !d->agegroup) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        d->time[i] = c->time[i];
        d->status[i] = c->event[i];
        d->age_days[i] = c->age_years[i] * PN_DAYS_PER_YEAR;
        d->date[i] = c->diag_date[i];
        d->sex[i] = c->sex[i];
        d->year[i] = c->diag_year[i];
        d->line[i] = (long)c->tumour[i]; /* messages name the store's tumour row */
        d->agegroup[i] = pn_icss_group(c->age_years[i]);
    }
    if (nby > 0 &&
        (rc = pn_cohort_groups(c, by, nby, &d->group, &d->group_labels, &d->ngroups, diag)) != PN_OK)
        goto fail;
    *out = d;
    return PN_OK;
fail:
    pn_nsdata_free(d);
    return rc;
}

int32_t pn_nsdata_last_exit(const pn_nsdata *d)
{
    int32_t last = INT32_MIN;
    for (size_t i = 0; i < d->n; i++) {
        double e = floor(d->date[i] + d->time[i]);
        if (e > last) last = (int32_t)e;
    }
    return last;
}
