/* cohort.c - extraction of a selection of the store into survival columns.
 *
 * One ordered scan of the tumours of the site with their patients (pn_store_scan_tumours). The first row of each person is the first primary tumour of the
 * site; the later ones are left out before any other filter, so that a second tumour of the
 * same site never enters a period as if it were new. Follow-up: diagnosis date to the
 * vital-status date, cut at the closing date.
 */
#include "select_internal.h"

#include "pronostic/cohort.h"
#include "pronostic/alloc.h"
#include "pronostic/date.h"
#include "pronostic/site.h"

#include <string.h>

void pn_cohort_filter_init(pn_cohort_filter *f)
{
    memset(f, 0, sizeof *f);
    f->age_min = 0;
    f->age_max = 1e9;
    f->closing = PN_COHORT_CLOSING_AUTO;
}

void pn_cohort_free(pn_cohort *c)
{
    if (c == NULL) return;
    pn_free(c->time);
    pn_free(c->event);
    pn_free(c->age_years);
    pn_free(c->sex);
    pn_free(c->diag_date);
    pn_free(c->diag_year);
    pn_free(c->site);
    pn_free(c->departement);
    pn_free(c->region);
    pn_free(c->tumour);
    pn_free(c);
}

/* Grow every column to hold `need` rows. */
static int reserve(pn_cohort *c, size_t *cap, size_t need)
{
    if (need <= *cap) return PN_OK;
    size_t n = *cap ? *cap * 2 : 4096;
    while (n < need) n *= 2;
#define GROW(field)                                                                \
    do {                                                                           \
        void *p = pn_reallocarray(c->field, n, sizeof *c->field);                  \
        if (p == NULL) return PN_ENOMEM;                                           \
        c->field = p;                                                              \
    } while (0)
    GROW(time); GROW(event); GROW(age_years); GROW(sex); GROW(diag_date); GROW(diag_year);
    GROW(site); GROW(departement); GROW(region); GROW(tumour);
#undef GROW
    *cap = n;
    return PN_OK;
}

int pn__select_take(const pn_store_tumour *t, void *ctx)
{
    pn__selecting *x = ctx;
    pn_cohort *c = x->c;
    const pn_cohort_filter *f = x->f;
    if (t->pid == x->last_pid && t->site == x->last_site) {
        c->n_later_primaries++;
        return PN_OK;
    }
    x->last_pid = t->pid;
    x->last_site = t->site;
    int32_t dx = t->diagnosis_date;
    /* sources that disagree on who the patient is, or a diagnosis after the death another
     * source reports: left out, counted (pronostic quarantine --conflicts lists them) */
    if (t->identity_conflict || (t->dead && dx > t->vital_status_date)) {
        c->n_conflicts++;
        return PN_OK;
    }
    if (dx < x->from || dx > x->to) return PN_OK;
    if (f->sex && t->sex != f->sex) return PN_OK;
    double age = (double)(dx - t->birth_date) / PN_DAYS_PER_YEAR;
    if (age < f->age_min || age >= f->age_max) return PN_OK;
    int di = t->residence ? pn_departement_index(t->residence, t->residence_len) : 0;
    if (x->want_dep && (di == 0 || strcmp(t->residence, f->departement) != 0)) return PN_OK;
    if (f->region && x->region_of[di] != f->region) return PN_OK;
    if (dx > c->closing) {
        c->n_after_closing++;
        return PN_OK;
    }
    if (reserve(c, &x->cap, c->n + 1) != PN_OK) return PN_ENOMEM;
    int dead = t->dead && t->vital_status_date <= c->closing;
    int32_t end = t->vital_status_date < c->closing ? t->vital_status_date : c->closing;
    size_t i = c->n++;
    c->time[i] = (double)(end - dx);
    c->event[i] = dead;
    c->age_years[i] = age;
    c->sex[i] = t->sex;
    c->diag_date[i] = dx;
    c->diag_year[i] = pn_decimal_year(dx);
    c->site[i] = t->site;
    memset(c->departement[i], 0, sizeof c->departement[i]);
    if (di) memcpy(c->departement[i], t->residence, t->residence_len);
    c->region[i] = x->region_of[di];
    c->tumour[i] = t->tid;
    return PN_OK;
}

int pn__select_begin(pn__selecting *x, const pn_cohort_filter *f, int32_t latest_vital,
                     pn_diag *diag)
{
    memset(x, 0, sizeof *x);
    if (f->site < 0 || f->site >= PN_SITE_COUNT || f->sex < 0 || f->sex > 2)
        return pn_diag_set(diag, PN_EINVAL, "invalid selection");
    if ((x->c = pn_calloc(1, sizeof *x->c)) == NULL)
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    x->c->closing = f->closing == PN_COHORT_CLOSING_AUTO ? latest_vital : f->closing;
    x->f = f;
    x->last_pid = -1;
    x->last_site = -1;
    for (int i = 1; i < PN_DEPARTEMENT_INDEXES; i++) {
        const char *code = pn_departement_code(i);
        x->region_of[i] = code ? pn_region_of_departement(code) : 0;
    }
    x->from = f->year_from ? pn_days_from_civil(f->year_from, 1, 1) : INT32_MIN;
    x->to = f->year_to ? pn_days_from_civil(f->year_to, 12, 31) : INT32_MAX;
    x->want_dep = f->departement[0] != '\0';
    return PN_OK;
}

int pn_cohort_select(pn_store *store, const pn_cohort_filter *f, pn_cohort **out, pn_diag *diag)
{
    *out = NULL;
    int32_t latest = 0;
    pn__selecting x;
    /* the closing date and the tumours from one state of the store */
    int rc = pn_store_read_begin(store, diag);
    if (rc != PN_OK) return rc;
    if (f->closing == PN_COHORT_CLOSING_AUTO)
        rc = pn_store_latest_vital_date(store, &latest, diag);
    if (rc == PN_OK && (rc = pn__select_begin(&x, f, latest, diag)) == PN_OK) {
        rc = pn_store_scan_tumours(store, f->site, pn__select_take, &x, diag);
        if (rc != PN_OK) pn_cohort_free(x.c);
    }
    pn_store_read_end(store);
    if (rc == PN_ENOMEM) rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
    if (rc != PN_OK) return rc;
    *out = x.c;
    return PN_OK;
}
