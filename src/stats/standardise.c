/* standardise.c - direct age standardisation of survival with the International Cancer Survival
 * Standards (Corazziari, Quinn, Capocaccia, Eur J Cancer 2004;40:2307-2316), and net survival
 * (standardised or not) read at chosen times for the report and trend engines. */
#include "pronostic/standardise.h"
#include "pronostic/icss.h"
#include "pronostic/alloc.h"
#include "pronostic/date.h"
#include "netsurv_internal.h"

#include <math.h>

void pn_standardise(const double *w, const double *s, const double *se_s, size_t k, double *std,
                    double *std_se)
{
    double est = 0, var = 0;
    for (size_t g = 0; g < k; g++) {
        est += w[g] * s[g];
        var += w[g] * w[g] * se_s[g] * se_s[g];
    }
    *std = est;
    *std_se = sqrt(var);
}

int pn_netsurv_point(const pn_netsurv_input *in, const pn_ratetable *rt,
                     const pn_netsurv_driver *drv, int scheme, int standard, const int *agegroup,
                     const double *at, size_t m, double *est, double *se, double *n_risk,
                     double *n_event, double *n_censor, unsigned *flags)
{
    const double *w = NULL;
    int ngroups = 1;
    if (standard != 0) {
        w = pn_icss_weights(standard);
        if (w == NULL) return PN_EINVAL;
        ngroups = 5;
    }
    size_t n = in->n;
    double *buf = pn_calloc(5 * m * 5 + 3 * m, sizeof *buf);
    size_t *sub = pn_malloc((n ? n : 1) * sizeof *sub);
    pn_netsurv_curve c = {0};
    int rc = PN_ENOMEM;
    if (buf == NULL || sub == NULL || pn_netsurv_curve_init(&c, n) != PN_OK) goto done;
    double *tot = buf + 25 * m;
    for (int g = 0; g < ngroups; g++) {
        size_t ns = 0;
        for (size_t i = 0; i < n; i++) {
            size_t r = pn__ns_row(in, i);
            if (standard != 0) {
                int ag = agegroup ? agegroup[r] : pn_icss_group(in->age_days[r] / PN_DAYS_PER_YEAR);
                if (ag != g) continue;
            }
            sub[ns++] = r;
        }
        double *s = buf + (size_t)g * 5 * m, *sg = s + m, *nr = s + 2 * m, *ne = s + 3 * m,
               *nc = s + 4 * m;
        if (ns == 0) {
            for (size_t j = 0; j < m; j++) s[j] = NAN;
            continue;
        }
        pn_netsurv_input gi = *in;
        gi.rows = sub;
        gi.n = ns;
        rc = drv && drv->estimate
                 ? drv->estimate(drv->ctx, &gi, rt, PN_NETSURV_POHAR_PERME, scheme, &c)
                 : pn_netsurv_estimate(&gi, rt, PN_NETSURV_POHAR_PERME, scheme, &c);
        if (rc != PN_OK) goto done;
        if (flags) *flags |= c.flags;
        pn_netsurv_at(&c, at, m, s, sg, nr, ne, nc);
        /* Past the group's last follow-up time the estimate is known only when everyone still
         * at risk then died (the observed factor of the product is 0, the curve ~0); it then
         * keeps its last value, as relsurv's summary(fit, times, extend = TRUE) does. A group
         * whose last subject was censored has no estimate there (docs/methods.md). */
        int ended_by_death = c.n_event[c.len - 1] == c.n_risk[c.len - 1];
        for (size_t j = 0; j < m; j++) {
            tot[j] += nr[j];
            tot[m + j] += ne[j];
            tot[2 * m + j] += nc[j];
            if (at[j] > c.time[c.len - 1] && !ended_by_death) s[j] = NAN;
            sg[j] = s[j] * sg[j];
        }
    }
    for (size_t j = 0; j < m; j++) {
        if (standard == 0) {
            est[j] = buf[j];
            se[j] = buf[m + j];
        } else {
            double sv[5], sev[5];
            for (int g = 0; g < 5; g++) {
                sv[g] = buf[(size_t)g * 5 * m + j];
                sev[g] = buf[(size_t)g * 5 * m + m + j];
            }
            pn_standardise(w, sv, sev, 5, &est[j], &se[j]);
        }
        if (n_risk) n_risk[j] = tot[j];
        if (n_event) n_event[j] = tot[m + j];
        if (n_censor) n_censor[j] = tot[2 * m + j];
    }
    rc = PN_OK;
done:
    pn_netsurv_curve_free(&c);
    pn_free(sub);
    pn_free(buf);
    return rc;
}

/* Subjects per ICSS age group in count[5]; returns the number of groups with a positive
 * standard weight and no subject. */
static int icss_counts(const pn_netsurv_input *in, const double *w, const int *agegroup,
                       double count[5])
{
    for (int g = 0; g < 5; g++) count[g] = 0;
    for (size_t i = 0; i < in->n; i++) {
        size_t r = pn__ns_row(in, i);
        int g = agegroup ? agegroup[r] : pn_icss_group(in->age_days[r] / PN_DAYS_PER_YEAR);
        if (g >= 0 && g <= 4) count[g] += 1;
    }
    int empty = 0;
    for (int g = 0; g < 5; g++)
        if (count[g] == 0 && w[g] > 0) empty++;
    return empty;
}

int pn_icss_empty_groups(const pn_netsurv_input *in, int standard, const int *agegroup)
{
    const double *w = pn_icss_weights(standard);
    if (w == NULL) return PN_EINVAL;
    double count[5];
    return icss_counts(in, w, agegroup, count);
}

int pn_brenner_weights(const pn_netsurv_input *in, int standard, const int *agegroup,
                       double *weight)
{
    const double *w = pn_icss_weights(standard);
    if (w == NULL) return PN_EINVAL;
    double count[5], total = 0;
    int empty = icss_counts(in, w, agegroup, count);
    for (int g = 0; g < 5; g++) total += count[g];
    for (size_t i = 0; i < in->n; i++) {
        size_t r = pn__ns_row(in, i);
        int g = agegroup ? agegroup[r] : pn_icss_group(in->age_days[r] / PN_DAYS_PER_YEAR);
        weight[r] = g < 0 || g > 4 ? 0 : w[g] / (count[g] / total);
    }
    return empty;
}
