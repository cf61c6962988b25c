/* survinput_stream.c - the rows of a curve handed over one by one without keeping them
 * (pn_survdata_stream), read in one pass or over ranges read side by side (pn_survpart). */
#include "survinput_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/csv.h"
#include "pronostic/num.h"
#include "pronostic/strset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void pn_survstream_free(pn_survstream *s)
{
    if (s == NULL) return;
    pn_free(s->censor_value);
    pn_free(s->recode);
    pn_free(s->stratum_recode);
    pn_free(s->state_recode);
    pn__free_labels(s->state_labels, s->nstates);
    pn__free_labels(s->group_labels, s->ngroups);
    pn__free_labels(s->strata_labels, s->nstrata);
    pn_free(s);
}

/* The state of the rows read so far (of a file, or of one range of it). */
struct pn_survpart {
    const pn_survspec *spec;
    size_t width;               /* nby + nstrata */
    int idx_time, idx_event, idx_entry, idx_weight;
    int *idx_by;                /* nby by columns, then nstrata strata columns */
    pn_eventcol event;
    interned *by;               /* width */
    tuples groups;
    int32_t *tuple;             /* width */
    int32_t *prov1;             /* one by column: its value's tuple, or -1 */
    size_t prov1_cap;
    pn_column *ranked;          /* width + 1 */
    size_t n, dropped, event_seen;
};

void pn_survpart_free(pn_survpart *st)
{
    if (st == NULL) return;
    pn_free(st->idx_by);
    pn__eventcol_clear(&st->event);
    if (st->by != NULL)
        for (size_t i = 0; i < st->width; i++) pn__intern_free(&st->by[i]);
    pn_free(st->by);
    pn_free(st->groups.codes);
    pn_free(st->groups.slots);
    pn_free(st->tuple);
    pn_free(st->prov1);
    pn__free_cols(st->ranked, st->width);
    pn_free(st);
}

static int find_column(const pn_csv *csv, const char *name, int *idx, pn_diag *diag)
{
    *idx = pn_csv_find(csv, name);
    if (*idx < 0)
        return pn_diag_set(diag, PN_ENOCOL, "column '%s' not found in %s", name, pn_csv_name(csv));
    return PN_OK;
}

int pn_survpart_new(pn_survpart **out, const pn_survspec *spec, const pn_csv *header,
                    pn_diag *diag)
{
    *out = NULL;
    if (spec->ncov > 0) return PN_EINVAL;
    size_t nby = spec->nby, width = nby + spec->nstrata; /* by columns, then strata columns */
    pn_survpart *st = pn_calloc(1, sizeof *st);
    if (st == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    st->spec = spec;
    st->width = width;
    st->idx_entry = st->idx_weight = -1;
    st->idx_by = pn_calloc(width + 1, sizeof *st->idx_by);
    st->by = pn_calloc(width + 1, sizeof *st->by);
    st->tuple = pn_calloc(width + 1, sizeof *st->tuple);
    if (st->idx_by == NULL || st->by == NULL || st->tuple == NULL) {
        pn_survpart_free(st);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    st->groups.width = width;
    pn__eventcol_init(&st->event, spec);
    int rc;
    if ((rc = find_column(header, spec->time, &st->idx_time, diag)) != PN_OK ||
        (rc = find_column(header, spec->event, &st->idx_event, diag)) != PN_OK ||
        (spec->entry && (rc = find_column(header, spec->entry, &st->idx_entry, diag)) != PN_OK) ||
        (spec->weights && (rc = find_column(header, spec->weights, &st->idx_weight, diag)) != PN_OK)) {
        pn_survpart_free(st);
        return rc;
    }
    for (size_t c = 0; c < width; c++)
        if ((rc = find_column(header, c < nby ? spec->by[c] : spec->strata[c - nby],
                              &st->idx_by[c], diag)) != PN_OK) {
            pn_survpart_free(st);
            return rc;
        }
    *out = st;
    return PN_OK;
}

/* 1 when the field of `len` bytes at `text` is missing (as pn_csv_missing). */
static inline int missing(const char *text, size_t len)
{
    return len == 0 || (len == 2 && text[0] == 'N' && text[1] == 'A');
}

/* Field idx (or none, idx < 0) of the current row as a number in *v, NaN when missing: as
 * pn_survrow_number, which says what is wrong. */
static inline int row_number(pn_csv *csv, const char *const *fp, const size_t *fl, int idx,
                             const char *name, double *v, pn_diag *diag)
{
    *v = NAN;
    if (idx < 0 || missing(fp[idx], fl[idx])) return PN_OK;
    const char *text = fp[idx];
    size_t len = fl[idx];
    if (len <= 8) { /* up to 8 digits and nothing else: the integer, as pn_parse_double gives it */
        uint32_t n = 0;
        size_t i = 0;
        for (; i < len && (unsigned)(unsigned char)text[i] - '0' <= 9; i++)
            n = n * 10 + (uint32_t)((unsigned char)text[i] - '0');
        if (i == len) {
            *v = (double)n;
            return PN_OK;
        }
    }
    if (pn_parse_double(text, len, v) == PN_OK) return PN_OK;
    return pn_survrow_number(csv, idx, name, v, diag);
}

int pn_survpart_read(pn_survpart *p, pn_csv *csv, pn_survrow_fn fn, void *ctx, pn_diag *diag)
{
    const pn_survspec *spec = p->spec;
    size_t width = p->width, ncols = pn_csv_ncols(csv);
    int rc;
    for (;;) {
        rc = pn_csv_next(csv, diag);
        if (rc < 0) return rc;
        if (rc == 0) break;
        long line = pn_csv_line(csv);
        const char *const *fp;
        const size_t *fl;
        if (pn_csv_row(csv, &fp, &fl) != ncols) return pn_csv_require_width(csv, diag);
        double t, entry, w;
        if ((rc = row_number(csv, fp, fl, p->idx_time, spec->time, &t, diag)) != PN_OK ||
            (rc = row_number(csv, fp, fl, p->idx_entry, spec->entry, &entry, diag)) != PN_OK ||
            (rc = row_number(csv, fp, fl, p->idx_weight, spec->weights, &w, diag)) != PN_OK)
            return rc;
        int keep = !isnan(t) && (p->idx_entry < 0 || !isnan(entry)) &&
                   (p->idx_weight < 0 || !isnan(w));
        int event;
        /* a text seen before (in the cache) while the column is right: counted here, as
         * pn_survrow_event would count it */
        int64_t seen = p->event.refused ? -1
                                        : pn__intern_cached(&p->event.texts, fp[p->idx_event],
                                                            fl[p->idx_event]);
        if (seen >= 0) {
            p->event.rows[seen]++;
            event = p->event.multi ? (int)p->event.state[seen] : p->event.is_event[seen];
        } else if ((rc = pn_survrow_event(&p->event, csv, p->idx_event, spec->event, &event,
                                          diag)) != PN_OK) {
            return rc;
        }
        if (event < 0) {
            keep = 0;
            event = 0;
        }
        for (size_t c = 0; c < width; c++) {
            size_t len = fl[p->idx_by[c]];
            const char *text = fp[p->idx_by[c]];
            if (missing(text, len)) {
                keep = 0;
                continue;
            }
            int64_t code = pn__intern(&p->by[c], text, len, line);
            if (code < 0) goto nomem;
            p->tuple[c] = (int32_t)code;
        }
        /* the cases pn_survrow_check refuses (NaN compares false) */
        if (t < 0 || w < 0 || (keep && spec->entry != NULL && !(entry < t))) {
            rc = pn_survrow_check(spec, pn_csv_name(csv), line, t, entry, w, keep, diag);
            if (rc != PN_OK) return rc;
        }
        if (!keep) {
            p->dropped++;
            continue;
        }
        uint32_t group = 0;
        if (width == 1) { /* one column: remember each value's tuple instead of hashing it */
            size_t code = (size_t)p->tuple[0];
            if (code >= p->prov1_cap) {
                size_t old = p->prov1_cap;
                if (pn_grow((void **)&p->prov1, &p->prov1_cap, code + 1, sizeof *p->prov1) != PN_OK)
                    goto nomem;
                for (size_t i = old; i < p->prov1_cap; i++) p->prov1[i] = -1;
            }
            if (p->prov1[code] < 0) {
                int64_t g = pn__tuple_code(&p->groups, p->tuple);
                if (g < 0) goto nomem;
                p->prov1[code] = (int32_t)g;
            }
            group = (uint32_t)p->prov1[code];
        } else if (width > 1) {
            int64_t g = pn__tuple_code(&p->groups, p->tuple);
            if (g < 0) goto nomem;
            group = (uint32_t)g;
        }
        rc = fn(ctx, group, p->idx_entry >= 0 ? entry : NAN, t, event,
                p->idx_weight >= 0 ? w : 1.0);
        if (rc != PN_OK) return pn_diag_set(diag, rc, "%s: %s", pn_csv_name(csv), pn_strerror(rc));
        p->n++;
        p->event_seen |= event != 0;
    }
    return PN_OK;
nomem:
    return pn_diag_set(diag, PN_ENOMEM, "out of memory");
}

size_t pn_survpart_nprov(const pn_survpart *p) { return p->width ? p->groups.n : 1; }

size_t pn_survpart_nstates(const pn_survpart *p) { return p->event.nstates; }

void pn_survpart_state_map(const pn_survpart *dst, const pn_survpart *src, uint32_t *smap)
{
    pn_eventcol_state_map(&dst->event, &src->event, smap);
}

int pn_survpart_can_follow(const pn_survpart *dst, const pn_survpart *src)
{
    return pn_eventcol_can_follow(&dst->event, &src->event);
}

int pn_survpart_merge(pn_survpart *dst, const pn_survpart *src, long line_shift, uint32_t *map)
{
    size_t width = dst->width;
    int32_t **textmap = pn_calloc(width + 1, sizeof *textmap);
    int rc = PN_ENOMEM;
    if (textmap == NULL) return PN_ENOMEM;
    if ((rc = pn_eventcol_merge(&dst->event, &src->event, line_shift)) != PN_OK) goto done;
    rc = PN_ENOMEM;
    for (size_t c = 0; c < width; c++) {
        const interned *in = &src->by[c];
        textmap[c] = pn_malloc((in->set.n ? in->set.n : 1) * sizeof **textmap);
        if (textmap[c] == NULL) goto done;
        for (size_t i = 0; i < in->set.n; i++) {
            int64_t code = pn__intern(&dst->by[c], in->set.items[i], in->set.len[i],
                                      in->first_line[i] + line_shift);
            if (code < 0) goto done;
            textmap[c][i] = (int32_t)code;
        }
    }
    if (width == 0) map[0] = 0;
    for (size_t t = 0; width > 0 && t < src->groups.n; t++) {
        for (size_t c = 0; c < width; c++)
            dst->tuple[c] = textmap[c][src->groups.codes[t * width + c]];
        int64_t g = pn__tuple_code(&dst->groups, dst->tuple);
        if (g < 0) {
            rc = (int)g;
            goto done;
        }
        map[t] = (uint32_t)g;
        if (width == 1) { /* the value's tuple, as pn_survpart_read remembers it */
            size_t code = (size_t)dst->tuple[0];
            if (code >= dst->prov1_cap) {
                size_t old = dst->prov1_cap;
                if (pn_grow((void **)&dst->prov1, &dst->prov1_cap, code + 1,
                            sizeof *dst->prov1) != PN_OK)
                    goto done;
                for (size_t i = old; i < dst->prov1_cap; i++) dst->prov1[i] = -1;
            }
            dst->prov1[code] = (int32_t)g;
        }
    }
    dst->n += src->n;
    dst->dropped += src->dropped;
    dst->event_seen |= src->event_seen;
    rc = PN_OK;
done:
    for (size_t c = 0; c < width; c++) pn_free(textmap[c]);
    pn_free(textmap);
    return rc;
}

/* Combine the ranked columns [first, first + ncols) over the np tuples into final codes in
 * R's strata order: recode[t] for tuple t, with *labels and *ncomb as pn_combine_factors. */
static int combine_tuples(pn_survpart *st, size_t first, size_t ncols, size_t np, uint32_t *recode,
                          char ***labels, size_t *ncomb)
{
    int32_t *codes = NULL;
    int rc = pn__combine(st->ranked + first, ncols, np, &codes, labels, ncomb);
    if (rc == PN_OK)
        for (size_t t = 0; t < np; t++) recode[t] = (uint32_t)codes[t];
    pn_free(codes);
    return rc;
}

/* Final groups and strata: each column's levels in R's order, then the combinations of the by
 * columns (and, apart, of the strata columns) as R's strata. */
static int finish_groups(pn_survpart *st, const pn_survspec *spec, pn_survstream *out)
{
    size_t nby = spec->nby, ns = spec->nstrata, width = nby + ns, np = st->groups.n;
    out->nprov = width ? np : 1;
    out->recode = pn_calloc(out->nprov ? out->nprov : 1, sizeof *out->recode);
    if (out->recode == NULL) return PN_ENOMEM;
    if (ns > 0) {
        out->stratum_recode = pn_calloc(out->nprov ? out->nprov : 1, sizeof *out->stratum_recode);
        if (out->stratum_recode == NULL) return PN_ENOMEM;
    }
    if (nby == 0) out->ngroups = 1;
    if (width == 0 || np == 0) return PN_OK; /* no row kept: no group */
    st->ranked = pn_calloc(width + 1, sizeof *st->ranked);
    if (st->ranked == NULL) return PN_ENOMEM;
    for (size_t c = 0; c < width; c++) {
        pn_column rank;
        int rc = pn__rank_levels(&st->by[c], &rank, c < nby ? spec->by[c] : spec->strata[c - nby]);
        st->ranked[c] = rank; /* owned by st from here */
        if (rc != PN_OK) return rc;
        /* the column over the tuples: the rank of each tuple's value */
        int32_t *tcode = pn_malloc(np * sizeof *tcode);
        if (tcode == NULL) return PN_ENOMEM;
        for (size_t t = 0; t < np; t++) tcode[t] = rank.code[st->groups.codes[t * width + c]];
        pn_free(st->ranked[c].code);
        st->ranked[c].code = tcode;
    }
    int rc = PN_OK;
    if (nby > 0) rc = combine_tuples(st, 0, nby, np, out->recode, &out->group_labels, &out->ngroups);
    if (rc == PN_OK && ns > 0)
        rc = combine_tuples(st, nby, ns, np, out->stratum_recode, &out->strata_labels,
                            &out->nstrata);
    return rc;
}

int pn_survpart_finish(pn_survpart *st, const char *source, pn_survstream **out, pn_diag *diag)
{
    *out = NULL;
    const pn_survspec *spec = st->spec;
    pn_survstream *res = pn_calloc(1, sizeof *res);
    if (res == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    res->n = st->n;
    res->dropped = st->dropped;
    res->event_seen = st->event_seen;
    int rc = pn_eventcol_finish(&st->event, source, spec->event, diag);
    if (rc == PN_ENOMEM) goto nomem;
    if (rc != PN_OK) goto fail;
    if (pn_eventcol_copy_censoring(&st->event, &res->censor_value, &res->censor_rows) != PN_OK)
        goto nomem;
    if (st->event.multi) {
        res->nprov_states = st->event.nstates;
        if (pn_eventcol_states(&st->event, spec->event, &res->state_recode, &res->state_labels,
                               &res->nstates) != PN_OK)
            goto nomem;
    }
    rc = finish_groups(st, spec, res);
    if (rc == PN_ENOMEM) goto nomem;
    if (rc != PN_OK) {
        rc = pn_diag_set(diag, rc, "%s: too many group combinations", source);
        goto fail;
    }
    *out = res;
    return PN_OK;
nomem:
    rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
fail:
    pn_survstream_free(res);
    return rc;
}

int pn_survdata_stream(const pn_survspec *spec, pn_survrow_fn fn, void *ctx, pn_survstream **out,
                       pn_diag *diag)
{
    *out = NULL;
    if (spec->ncov > 0) return PN_EINVAL;
    pn_csv *csv = NULL;
    pn_survpart *st = NULL;
    int rc = pn_csv_open(&csv, spec->path, NULL, diag);
    if (rc == PN_OK) rc = pn_survpart_new(&st, spec, csv, diag);
    if (rc == PN_OK) rc = pn_survpart_read(st, csv, fn, ctx, diag);
    if (rc == PN_OK) rc = pn_survpart_finish(st, pn_csv_name(csv), out, diag);
    pn_survpart_free(st);
    pn_csv_close(csv);
    return rc;
}
