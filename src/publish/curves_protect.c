/* curves_protect.c - disclosure control of survival curves (curvepub.h): curves cut where
 * fewer than k are at risk, small counts of events and censorings masked together, a group's
 * total masked when it would give a masked count or the cut tail's events back, and a second
 * group's masked when only one group's is. */
#include "pronostic/curvepub.h"
#include "pronostic/disclosure.h"

#include <math.h>

static int small(double x, long long k) { return x >= 1 && x < (double)k; }

/* Mask, as secondary, the n (which 0) or the events (which 1) of the smallest published other
 * group when exactly one group's is masked: otherwise the curves of the whole selection,
 * published by the same query without `by`, less the others would give it back. */
static void partner(pn_curves *c, int which)
{
    size_t masked = 0, best = c->n;
    for (size_t g = 0; g < c->n; g++) {
        const pn_curve *cv = &c->curve[g];
        int st = which ? cv->events_status : cv->n_status;
        long long v = which ? cv->events : cv->n;
        if (st != PN_DCELL_PUBLISHED) masked++;
        else if (v > 0 && (best == c->n || v < (which ? c->curve[best].events : c->curve[best].n)))
            best = g;
    }
    if (masked != 1 || best == c->n) return;
    if (which) c->curve[best].events_status = PN_DCELL_SECONDARY;
    else c->curve[best].n_status = PN_DCELL_SECONDARY;
}

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
        double shown = 0;       /* the events of the points kept */
        for (size_t i = 0; i < cv->k; i++) {
            shown += cv->n_event[i];
            int se = small(cv->n_event[i], k), sc = small(cv->n_censor[i], k);
            if (!se && !sc) continue;
            cv->suppressed[i] = PN_DCELL_PRIMARY;
            cv->n_event[i] = NAN;
            cv->n_censor[i] = NAN;
            masked = 1;
        }
        /* the total less the points' events: the events of the tail that was cut */
        if (small((double)cv->events, k)) cv->events_status = PN_DCELL_PRIMARY;
        else if (masked || small((double)cv->events - shown, k))
            cv->events_status = PN_DCELL_SECONDARY;
    }
    if (c->n > 1) {
        partner(c, 0);
        partner(c, 1);
    }
}
