/* netsurv_run.c - a net-survival analysis by stratum (netsurv_run.h): period window, exclusions,
 * per-stratum estimate (plain, Brenner-weighted or directly ICSS-standardised), reading at the
 * requested times and conditioning on a first span. The formulas are the kernels' (netsurv.h,
 * standardise.h, netsurv_window.h; docs/methods.md, Net survival). */
#include "netsurv_sink.h"
#include "pronostic/netsurv_run.h"
#include "pronostic/alloc.h"
#include "pronostic/netsurv.h"
#include "pronostic/netsurv_threads.h"
#include "pronostic/netsurv_window.h"
#include "pronostic/standardise.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void pn__sink_warnf(const pn_netsurv_sink *sink, const char *fmt, ...)
{
    if (sink == NULL || sink->warn == NULL) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sink->warn(sink->ctx, msg);
}

/* What one stratum's estimate needs besides its rows. */
typedef struct run {
    const pn_netsurv_request *rq;
    int standard; /* the stratum's standard (rq->standard resolved) */
    const pn_ratetable *rt;
    pn_netsurv_driver drv;
    double *wbuf; /* Brenner's weights, one per input row */
    const int *agegroup;
    const pn_netsurv_sink *sink;
    unsigned *flags;
} run;

static int emit(const run *r, const char *label, double time, double nrisk, double nev,
                double ncens, double surv, double se_log)
{
    pn_netsurv_row row = {label, time, nrisk, nev, ncens, surv, se_log};
    return r->sink->row(r->sink->ctx, &row);
}

/* Survival and cumulative-hazard se read at `at` (days), conditional on `given` when > 0. */
static void read_at(const pn_netsurv_curve *c, const double *at, size_t m, double given, double *s,
                    double *se, double *nr, double *ne, double *nc)
{
    pn_netsurv_at(c, at, m, s, se, nr, ne, nc);
    if (given > 0) {
        double sg, seg, a, ev0, ce0;
        pn_netsurv_at(c, &given, 1, &sg, &seg, &a, &ev0, &ce0);
        pn_netsurv_condition(sg, seg, s, se, m);
        int first = 1;
        for (size_t j = 0; j < m; j++) {
            if (at[j] >= given && first) {
                /* the first reported time counts deaths and censorings after `given` */
                ne[j] -= ev0;
                nc[j] -= ce0;
                for (size_t i = 0; i < j; i++) {
                    ne[j] += ne[i];
                    nc[j] += nc[i];
                }
                first = 0;
            }
        }
    }
}

/* The curve of a stratum (plain or Brenner-weighted), at every time or at rq->at. */
static int curve_stratum(const run *r, const char *label, const pn_netsurv_input *in)
{
    const pn_netsurv_request *rq = r->rq;
    pn_netsurv_curve c;
    int rc = pn_netsurv_curve_init(&c, in->n);
    if (rc != PN_OK) return rc;
    rc = pn_ns_estimate(r->drv.ctx, in, r->rt, rq->method, rq->scheme, &c);
    if (rc != PN_OK) goto done;
    *r->flags |= c.flags;
    if (rq->nat > 0) {
        size_t m = rq->nat;
        double *buf = pn_malloc(5 * m * sizeof *buf);
        if (buf == NULL) {
            rc = PN_ENOMEM;
            goto done;
        }
        read_at(&c, rq->at, m, rq->given, buf, buf + m, buf + 2 * m, buf + 3 * m, buf + 4 * m);
        double last = c.len > 0 ? c.time[c.len - 1] : -1;
        for (size_t j = 0; j < m && rc == PN_OK; j++) {
            if (rq->given > 0 && rq->at[j] < rq->given) continue;
            if (rq->at[j] > last) continue; /* past the end: no row, as summary(extend=FALSE) */
            rc = emit(r, label, rq->at[j], buf[2 * m + j], buf[3 * m + j], buf[4 * m + j], buf[j],
                      buf[m + j]);
        }
        pn_free(buf);
    } else {
        double sg = 1, seg = 0;
        if (rq->given > 0) {
            double a, b, d;
            pn_netsurv_at(&c, &rq->given, 1, &sg, &seg, &a, &b, &d);
        }
        for (size_t k = 0; k < c.len && rc == PN_OK; k++) {
            if (rq->given > 0 && c.time[k] < rq->given) continue;
            double sk = c.surv[k], sek = c.se[k];
            pn_netsurv_condition(sg, seg, &sk, &sek, 1);
            rc = emit(r, label, c.time[k], c.n_risk[k], c.n_event[k], c.n_censor[k], sk, sek);
        }
    }
done:
    pn_netsurv_curve_free(&c);
    return rc;
}

/* ICSS standardisation: the weighted Pohar-Perme estimates of the age groups at the --at
 * times; conditional on `given` as the ratio of standardised estimates. */
static int standardised_stratum(const run *r, const char *label, const pn_netsurv_input *in)
{
    const pn_netsurv_request *rq = r->rq;
    size_t m = rq->nat;
    double *buf = pn_malloc((5 * m + 2) * sizeof *buf);
    if (buf == NULL) return PN_ENOMEM;
    double *est = buf, *se = buf + m, *nr = buf + 2 * m, *ne = buf + 3 * m, *nc = buf + 4 * m;
    double *g = buf + 5 * m;
    int rc = pn_netsurv_point(in, r->rt, &r->drv, rq->scheme, r->standard, r->agegroup, rq->at, m,
                              est, se, nr, ne, nc, r->flags);
    if (rc == PN_OK && rq->given > 0)
        rc = pn_netsurv_point(in, r->rt, &r->drv, rq->scheme, r->standard, r->agegroup, &rq->given,
                              1, &g[0], &g[1], NULL, NULL, NULL, r->flags);
    if (rc != PN_OK) goto done;
    size_t undefined = 0;
    for (size_t j = 0; j < m; j++)
        undefined += isnan(est[j]);
    if (undefined > 0) {
        int empty = pn_icss_empty_groups(in, r->standard, r->agegroup);
        if (empty > 0)
            pn__sink_warnf(r->sink,
                           "stratum %s: %d ICSS age group%s without patients: the standardised "
                           "estimate is undefined (empty)",
                           label, empty, empty == 1 ? "" : "s");
        else
            pn__sink_warnf(r->sink,
                           "stratum %s: the standardised estimate is undefined at %zu time%s, "
                           "past the end of an age group's follow-up",
                           label, undefined, undefined == 1 ? "" : "s");
    }
    for (size_t j = 0; j < m && rc == PN_OK; j++) {
        if (rq->given > 0 && rq->at[j] < rq->given) continue;
        double s = est[j], sc = est[j] > 0 ? se[j] / est[j] : NAN;
        if (rq->given > 0) pn_netsurv_condition(g[0], g[1] / g[0], &s, &sc, 1);
        rc = emit(r, label, rq->at[j], nr[j], ne[j], nc[j], s, sc);
    }
done:
    pn_free(buf);
    return rc;
}

/* One stratum: the rows `rows` (n) of the input arrays of `base`. */
static int run_stratum(const run *r, const char *label, const pn_netsurv_input *base,
                       const size_t *rows, size_t n)
{
    pn_netsurv_input in = *base;
    in.rows = rows;
    in.n = n;
    if (r->rq->brenner && r->standard != 0) {
        int empty = pn_brenner_weights(&in, r->standard, r->agegroup, r->wbuf);
        if (empty < 0) return empty;
        if (empty > 0)
            pn__sink_warnf(r->sink,
                           "stratum %s: %d ICSS age group%s without patients: Brenner's weights "
                           "cannot reproduce the standard",
                           label, empty, empty == 1 ? "" : "s");
        in.weight = r->wbuf;
    }
    if (r->standard == 0 || r->rq->brenner) return curve_stratum(r, label, &in);
    return standardised_stratum(r, label, &in);
}

/* The ICSS standard of a stratum under rq->standard = -1: cns takes ICSS 2, the other sites
 * ICSS 1 (docs/interfaces.md 4). */
static int stratum_standard(const char *label)
{
    const char *p = strstr(label, "site=");
    return p != NULL && strncmp(p + 5, "cns", 3) == 0 && (p[8] == ',' || p[8] == '\0') ? 2 : 1;
}

int pn_netsurv_run(const pn_nsdata *d, const pn_ratetable *rt, const pn_netsurv_request *rq,
                   const pn_netsurv_sink *sink, unsigned *flags, pn_diag *diag)
{
    size_t n = d->n, m = n ? n : 1;
    int threads = rq->threads;
    run r = {.rq = rq,
             .rt = rt,
             .drv = {pn_ns_estimate, &threads},
             .agegroup = d->agegroup,
             .sink = sink,
             .flags = flags};
    pn_netsurv_input base = {.n = n,
                             .time = d->time,
                             .status = d->status,
                             .age_days = d->age_days,
                             .date = d->date,
                             .sex = d->sex};
    size_t *rows = pn_malloc(m * sizeof *rows);
    double *pentry = NULL, *ptime = NULL;
    int *pstatus = NULL;
    unsigned char *keep = NULL;
    int rc = PN_ENOMEM;
    *flags = 0;
    if (rows == NULL) goto nomem;
    if (rq->brenner && (r.wbuf = pn_calloc(m, sizeof *r.wbuf)) == NULL) goto nomem;
    if (rq->have_period) {
        pentry = pn_malloc(m * sizeof *pentry);
        ptime = pn_malloc(m * sizeof *ptime);
        pstatus = pn_malloc(m * sizeof *pstatus);
        keep = pn_malloc(m);
        if (!pentry || !ptime || !pstatus || !keep) goto nomem;
        pn_netsurv_window(n, d->date, d->time, d->status, rq->pfrom, rq->pto, pentry, ptime,
                          pstatus, keep);
        base.entry = pentry;
        base.time = ptime;
        base.status = pstatus;
    }
    size_t zero = 0, young = 0, outside = 0;
    for (size_t i = 0; i < n; i++) {
        if (keep && !keep[i])
            outside++;
        else if (!(base.time[i] > 0))
            zero++;
        else if (rq->standard && d->agegroup[i] < 0)
            young++;
    }
    if (zero)
        pn__sink_warnf(sink, "%zu row%s with a follow-up time of 0 excluded (no time at risk)",
                       zero, zero == 1 ? "" : "s");
    if (young)
        pn__sink_warnf(sink, "%zu row%s aged under 15 excluded from the ICSS standardisation",
                       young, young == 1 ? "" : "s");
    if (outside)
        pn__sink_warnf(sink, "%zu row%s not under follow-up in the period window excluded", outside,
                       outside == 1 ? "" : "s");
    size_t ngroups = d->group ? d->ngroups : 1;
    rc = PN_OK;
    for (size_t g = 0; g < ngroups && rc == PN_OK; g++) {
        size_t nr = 0;
        for (size_t i = 0; i < n; i++) {
            if (d->group && d->group[i] != (int32_t)g) continue;
            if ((keep && !keep[i]) || !(base.time[i] > 0)) continue;
            if (rq->standard && d->agegroup[i] < 0) continue;
            rows[nr++] = i;
        }
        const char *label = d->group ? d->group_labels[g] : "all";
        if (nr == 0) {
            pn__sink_warnf(sink, "stratum %s has no rows to estimate", label);
            continue;
        }
        r.standard = rq->standard < 0 ? stratum_standard(label) : rq->standard;
        rc = run_stratum(&r, label, &base, rows, nr);
        if (rc == PN_ERANGE)
            rc = pn_diag_set(diag, PN_EPARSE,
                             "stratum %s: a follow-up longer than 10^6 days "
                             "(check --time-unit), too long for --scheme relsurv's daily steps",
                             label);
        else if (rc != PN_OK)
            pn_diag_set(diag, rc, "estimation failed for stratum %s: %s", label, pn_strerror(rc));
    }
    goto done;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
done:
    pn_free(r.wbuf);
    pn_free(rows);
    pn_free(pentry);
    pn_free(ptime);
    pn_free(pstatus);
    pn_free(keep);
    return rc;
}
