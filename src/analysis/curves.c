/* curves.c - Kaplan-Meier curves of a store selection by group (curves.h): the selection's
 * rows into the survival aggregate, its tables, the estimator and its log limits, at every
 * time or at the times of a grid (as R's summary(survfit(...), times = grid)). */
#include "pronostic/curves.h"

#include "pronostic/alloc.h"
#include "pronostic/conf.h"
#include "pronostic/km.h"
#include "pronostic/survinput.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

void pn_curves_free(pn_curves *c)
{
    if (c == NULL) return;
    for (size_t g = 0; g < c->n; g++) {
        pn_free(c->curve[g].label);
        pn_free(c->curve[g].time);
        pn_free(c->curve[g].suppressed);
    }
    pn_free(c->curve);
    pn_free(c);
}

int pn_curve_points_alloc(pn_curve *cv, size_t k)
{
    size_t m = k ? k : 1;
    cv->time = pn_malloc(7 * m * sizeof *cv->time);
    cv->suppressed = pn_calloc(m, 1);
    if (cv->time == NULL || cv->suppressed == NULL) return PN_ENOMEM;
    cv->n_risk = cv->time + m;
    cv->n_event = cv->n_risk + m;
    cv->n_censor = cv->n_event + m;
    cv->surv = cv->n_censor + m;
    cv->lower = cv->surv + m;
    cv->upper = cv->lower + m;
    return PN_OK;
}

/* One group's points from its table. */
static int fill(pn_curve *cv, const pn_kmtable *t, const pn_curves_opts *o, double z)
{
    double *buf = pn_malloc(2 * (t->k ? t->k : 1) * sizeof *buf);
    if (buf == NULL) return PN_ENOMEM;
    double *surv = buf, *selog = buf + (t->k ? t->k : 1);
    pn_km_curve(t, PN_KM_KAPLAN_MEIER, surv, selog);
    cv->n = (long long)t->n_records;
    cv->events = 0;
    for (size_t i = 0; i < t->k; i++) cv->events += (long long)t->n_event[i];
    int rc = PN_OK;
    if (o->grid > 0) {
        double last = t->k ? t->time[t->k - 1] : 0;
        size_t nat = (size_t)floor(last / o->grid) + 1;
        double *at = pn_malloc(nat * sizeof *at), *selog_at = pn_malloc(nat * sizeof *at);
        if (at == NULL || selog_at == NULL || (rc = pn_curve_points_alloc(cv, nat)) != PN_OK) {
            pn_free(at);
            pn_free(selog_at);
            pn_free(buf);
            return PN_ENOMEM;
        }
        for (size_t j = 0; j < nat; j++) at[j] = (double)j * o->grid;
        cv->k = pn_km_at(t, surv, selog, at, nat, PN_CONF_LOG, z, cv->n_risk, cv->n_event,
                         cv->n_censor, cv->surv, selog_at, cv->lower, cv->upper);
        memcpy(cv->time, at, cv->k * sizeof *at);
        pn_free(at);
        pn_free(selog_at);
    } else {
        if ((rc = pn_curve_points_alloc(cv, t->k)) != PN_OK) {
            pn_free(buf);
            return rc;
        }
        cv->k = t->k;
        for (size_t i = 0; i < t->k; i++) {
            cv->time[i] = t->time[i];
            cv->n_risk[i] = t->n_risk[i];
            cv->n_event[i] = t->n_event[i];
            cv->n_censor[i] = t->n_censor[i];
            cv->surv[i] = surv[i];
            pn_conf_limits(surv[i], selog[i], PN_CONF_LOG, z, PN_CONF_SURVFIT, &cv->lower[i],
                           &cv->upper[i]);
        }
    }
    pn_free(buf);
    return rc;
}

int pn_curves_of(const pn_cohort *cohort, const pn_curves_opts *o, pn_curves **out,
                 pn_diag *diag)
{
    *out = NULL;
    pn_survdata *sd = NULL;
    pn_kmagg *agg = NULL;
    pn_kmtables *tabs = NULL;
    pn_curves *c = NULL;
    int rc = PN_OK;
    if (cohort->n == 0) {
        rc = pn_diag_set(diag, PN_EEMPTY, "the selection is empty");
        goto done;
    }
    const char *by[1] = {o->by};
    if ((rc = pn_cohort_survdata(cohort, by, o->by ? 1 : 0, NULL, 0, NULL, 0, NULL, 0, &sd,
                                 diag)) != PN_OK)
        goto done;
    if ((rc = pn_kmagg_new(&agg)) != PN_OK) goto nomem;
    for (size_t i = 0; i < sd->n && rc == PN_OK; i++)
        rc = pn_kmagg_add(agg, sd->group ? (uint32_t)sd->group[i] : 0, NAN, sd->time[i],
                          sd->event[i], 1.0);
    if (rc != PN_OK) goto nomem;
    size_t ngroups = sd->group ? sd->ngroups : 1;
    if ((rc = pn_kmagg_tables(agg, ngroups, NULL, &tabs)) != PN_OK) goto nomem;
    if ((c = pn_calloc(1, sizeof *c)) == NULL ||
        (c->curve = pn_calloc(ngroups, sizeof *c->curve)) == NULL)
        goto nomem;
    c->closing = cohort->closing;
    c->subjects = sd->n;
    double z = gsl_cdf_ugaussian_Pinv(0.5 + o->conf / 2);
    for (size_t g = 0; g < ngroups; g++) {
        pn_curve *cv = &c->curve[c->n++];
        cv->label = pn_strdup(sd->group_labels ? sd->group_labels[g] : "all");
        if (cv->label == NULL || fill(cv, &tabs->tab[g], o, z) != PN_OK) goto nomem;
    }
    *out = c;
    c = NULL;
    goto done;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
done:
    pn_curves_free(c);
    pn_kmtables_free(tabs);
    pn_kmagg_free(agg);
    pn_survdata_free(sd);
    return rc;
}
