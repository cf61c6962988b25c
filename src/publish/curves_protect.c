/* curves_protect.c - disclosure control of survival curves (curvepub.h): curves cut where
 * fewer than k are at risk, small counts of events and censorings masked with their partner,
 * and a group's total masked when it would give a masked count back. */
#include "pronostic/curvepub.h"
#include "pronostic/disclosure.h"

#include <math.h>

static int small(double x, long long k) { return x >= 1 && x < (double)k; }

void pn_curves_protect(pn_curves *c, long long k)
{
    for (size_t g = 0; g < c->n; g++) {
        pn_curve *cv = &c->curve[g];
        cv->n_status = cv->events_status = PN_DCELL_PUBLISHED;
        if (cv->n < k) {
            cv->n_status = PN_DCELL_PRIMARY;
            cv->events_status = cv->events > 0 ? PN_DCELL_PRIMARY : PN_DCELL_PUBLISHED;
            cv->k = 0;
            continue;
        }
        size_t keep = 0;
        while (keep < cv->k && cv->n_risk[keep] >= (double)k) keep++;
        cv->k = keep;
        int masked = 0;
        for (size_t i = 0; i < cv->k; i++) {
            int se = small(cv->n_event[i], k), sc = small(cv->n_censor[i], k);
            if (!se && !sc) continue;
            cv->suppressed[i] = PN_DCELL_PRIMARY;
            cv->n_event[i] = NAN;
            cv->n_censor[i] = NAN;
            masked = 1;
        }
        if (small((double)cv->events, k)) cv->events_status = PN_DCELL_PRIMARY;
        else if (masked) cv->events_status = PN_DCELL_SECONDARY;
    }
}
