/* survinput_eventcol.c - the event column's rule (pn_eventcol of survinput.h): the event value,
 * at most one censoring value, UTF-8, with the line where each text first appears. */
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

/* 1 when level text `level` means the event value `value`: equal text, or equal numbers. */
static int same_value(const char *level, const char *value)
{
    if (strcmp(level, value) == 0) return 1;
    double a, b;
    return pn_parse_double(level, strlen(level), &a) == PN_OK &&
           pn_parse_double(value, strlen(value), &b) == PN_OK && a == b;
}

/* The message for an event value that is neither the event value nor the censoring value. */
static int unknown_event(pn_diag *diag, const char *source, long line, const char *column,
                         const char *level, const char *value, const char *censor)
{
    return pn_diag_set(diag, PN_EPARSE,
                       "%s:%ld: column '%s': unknown event value '%s' (the event value is '%s'"
                       " and '%s' already means censored)",
                       source, line, column, level, value, censor);
}

void pn__eventcol_clear(pn_eventcol *ev)
{
    pn__intern_free(&ev->texts);
    pn_free(ev->is_event);
    pn_free(ev->rows);
    pn_free(ev->state);
}

void pn__eventcol_init(pn_eventcol *ev, const pn_survspec *spec)
{
    ev->multi = spec->multistate != 0;
    if (ev->multi) ev->value = spec->censor_value ? spec->censor_value : "0";
    else ev->value = spec->event_value ? spec->event_value : "1";
    ev->censor = -1;
}

/* Multi: the provisional event type of new text `code` (an event text): the type of an earlier
 * text equal to it as a number, else a new one. */
static uint32_t new_state(const pn_eventcol *ev, int64_t code)
{
    const char *text = ev->texts.set.items[code];
    for (int64_t i = 0; i < code; i++)
        if (ev->state[i] > 0 && same_value(ev->texts.set.items[i], text)) return ev->state[i];
    return ev->nstates + 1;
}

/* A new text (code `code`, first on `line`): is it the event, and does it make the column
 * wrong (a second non-event level, or bytes that are not UTF-8)? */
static void eventcol_new_text(pn_eventcol *ev, int64_t code, long line)
{
    const char *text = ev->texts.set.items[code];
    ev->is_event[code] = (unsigned char)(same_value(text, ev->value) != ev->multi);
    if (ev->multi) {
        ev->state[code] = 0;
        if (ev->is_event[code]) {
            ev->state[code] = new_state(ev, code);
            if (ev->state[code] > ev->nstates) ev->nstates = ev->state[code];
        } else if (ev->censor < 0) {
            ev->censor = code;
        }
    }
    if (!pn_utf8_valid(text, ev->texts.set.len[code])) {
        if (ev->bad_utf8 == 0) ev->bad_utf8 = line;
        if (ev->refused == 0) ev->refused = line;
        return;
    }
    if (ev->is_event[code] || ev->multi) return;
    if (ev->censor < 0) ev->censor = code;
    else if (!same_value(ev->texts.set.items[ev->censor], text) && ev->refused == 0)
        ev->refused = line;
}

/* Add `n` rows holding the text; 1 when it means the event, 0 otherwise, or a negative PN_E*
 * (inline: once per row). */
static inline int eventcol_add_n(pn_eventcol *ev, const char *text, size_t len, long line,
                                 size_t n)
{
    size_t before = ev->texts.set.n;
    int64_t code = pn__intern(&ev->texts, text, len, line);
    if (code < 0) return (int)code;
    if ((size_t)code >= ev->cap) {
        size_t old = ev->cap;
        if (pn_grow((void **)&ev->is_event, &ev->cap, (size_t)code + 1, 1) != PN_OK)
            return PN_ENOMEM;
        memset(ev->is_event + old, 0, ev->cap - old);
    }
    if ((size_t)code >= ev->rcap) {
        size_t old = ev->rcap;
        if (pn_grow((void **)&ev->rows, &ev->rcap, (size_t)code + 1, sizeof *ev->rows) != PN_OK)
            return PN_ENOMEM;
        memset(ev->rows + old, 0, (ev->rcap - old) * sizeof *ev->rows);
    }
    if (ev->multi && (size_t)code >= ev->scap) {
        if (pn_grow((void **)&ev->state, &ev->scap, (size_t)code + 1, sizeof *ev->state) != PN_OK)
            return PN_ENOMEM;
    }
    if (ev->texts.set.n > before) eventcol_new_text(ev, code, line);
    ev->rows[code] += n;
    return ev->multi ? (int)ev->state[code] : ev->is_event[code];
}

static inline int eventcol_add(pn_eventcol *ev, const char *text, size_t len, long line)
{
    return eventcol_add_n(ev, text, len, line, 1);
}

/* 1 when text `i` of `src` is among the texts of `dst`. */
static int has_text(const pn_eventcol *dst, const pn_eventcol *src, size_t i)
{
    for (size_t j = 0; j < dst->texts.set.n; j++)
        if (dst->texts.set.len[j] == src->texts.set.len[i] &&
            memcmp(dst->texts.set.items[j], src->texts.set.items[i], src->texts.set.len[i]) == 0)
            return 1;
    return 0;
}

int pn_eventcol_can_follow(const pn_eventcol *dst, const pn_eventcol *src)
{
    if (dst->refused || src->refused) return 0;
    const char *censor = dst->censor >= 0 ? dst->texts.set.items[dst->censor] : NULL;
    for (size_t i = 0; i < src->texts.set.n; i++) {
        if (has_text(dst, src, i)) continue; /* no news: it was judged in dst */
        const char *text = src->texts.set.items[i];
        if (!pn_utf8_valid(text, src->texts.set.len[i])) return 0;
        if (src->is_event[i] || src->multi) continue;
        if (censor == NULL) censor = text;
        else if (!same_value(censor, text)) return 0;
    }
    return 1;
}

int pn_eventcol_merge(pn_eventcol *dst, const pn_eventcol *src, long line_shift)
{
    for (size_t i = 0; i < src->texts.set.n; i++) {
        int rc = eventcol_add_n(dst, src->texts.set.items[i], src->texts.set.len[i],
                                src->texts.first_line[i] + line_shift, src->rows[i]);
        if (rc < 0) return rc;
    }
    return PN_OK;
}

int pn_eventcol_new(pn_eventcol **out, const char *value)
{
    *out = pn_calloc(1, sizeof **out);
    if (*out == NULL) return PN_ENOMEM;
    (*out)->value = value ? value : "1";
    (*out)->censor = -1;
    return PN_OK;
}

int pn_eventcol_add(pn_eventcol *ev, const char *text, size_t len, long line)
{
    return eventcol_add(ev, text, len, line);
}

int pn_eventcol_refused(const pn_eventcol *ev) { return ev->refused != 0; }

/* The censoring value is the first non-event text in R's factor() order, as pn_survdata_load
 * decides it; any other text is an error at the first line it appears on. A text that is not
 * UTF-8 is an error at its line; of two errors, the one on the earlier line is reported. */
int pn_eventcol_finish(const pn_eventcol *ev, const char *source, const char *column,
                       pn_diag *diag)
{
    if (ev->texts.set.n == 0) return PN_OK;
    pn_column col;
    int rc = pn__rank_levels(&ev->texts, &col, column);
    if (rc != PN_OK) {
        pn__free_column(&col);
        return rc;
    }
    int32_t censor = -1; /* the rank of the censoring level */
    for (size_t i = 0; i < ev->texts.set.n; i++)
        if (!ev->is_event[i] && (censor < 0 || col.code[i] < censor)) censor = col.code[i];
    size_t bad = ev->texts.set.n;
    for (size_t i = 0; i < ev->texts.set.n; i++)
        if (!ev->multi && !ev->is_event[i] && col.code[i] != censor &&
            (bad == ev->texts.set.n || ev->texts.first_line[i] < ev->texts.first_line[bad]))
            bad = i;
    if (ev->bad_utf8 > 0 && (bad == ev->texts.set.n || ev->bad_utf8 <= ev->texts.first_line[bad]))
        rc = pn_diag_set(diag, PN_EPARSE, "%s:%ld: column '%s': not valid UTF-8 (the file must be "
                         "encoded in UTF-8)", source, ev->bad_utf8, column);
    else if (bad < ev->texts.set.n) {
        char a[96], b[96];
        rc = unknown_event(diag, source, ev->texts.first_line[bad], column,
                           pn_text_shown(ev->texts.set.items[bad], a, sizeof a), ev->value,
                           pn_text_shown(col.levels[censor], b, sizeof b));
    }
    pn__free_column(&col);
    return rc;
}

int pn_eventcol_censoring(const pn_eventcol *ev, const char **text, size_t *rows)
{
    *text = NULL;
    *rows = 0;
    for (size_t i = 0; i < ev->texts.set.n; i++) {
        if (ev->is_event[i]) continue;
        if (*text == NULL) *text = ev->texts.set.items[i];
        *rows += ev->rows[i];
    }
    return *text != NULL;
}

int pn_event_code_usual(const char *text)
{
    double v;
    if (strcasecmp(text, "alive") == 0 || strcasecmp(text, "censored") == 0) return 1;
    return pn_parse_double(text, strlen(text), &v) == PN_OK && (v == 0 || v == 1 || v == 2);
}

void pn_eventcol_free(pn_eventcol *ev)
{
    if (ev == NULL) return;
    pn__eventcol_clear(ev);
    pn_free(ev);
}

/* 1 when the `len` bytes of `s` are only spaces and tabs (a blank field). */
static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

int pn_survrow_event(pn_eventcol *ev, pn_csv *csv, int idx, const char *column, int *event,
                     pn_diag *diag)
{
    *event = -1;
    if (pn_csv_missing(csv, (size_t)idx)) return PN_OK;
    size_t len;
    const char *text = pn_csv_field(csv, (size_t)idx, &len);
    if (blank(text, len)) return PN_OK;
    int is = eventcol_add(ev, text, len, pn_csv_line(csv));
    if (is < 0) return pn_diag_set(diag, is, "out of memory");
    if (ev->refused) {
        int rc = pn_eventcol_finish(ev, pn_csv_name(csv), column, diag);
        return rc != PN_OK ? rc : pn_diag_set(diag, PN_EINTERNAL, "event column check");
    }
    *event = is;
    return PN_OK;
}

int pn_eventcol_copy_censoring(const pn_eventcol *ev, char **text, size_t *rows)
{
    const char *t;
    *text = NULL;
    if (!pn_eventcol_censoring(ev, &t, rows)) return PN_OK;
    *text = pn_strdup(t);
    return *text ? PN_OK : PN_ENOMEM;
}

int pn_eventcol_states(const pn_eventcol *ev, const char *column, uint32_t **recode,
                       char ***labels, size_t *nstates)
{
    *recode = NULL;
    *labels = NULL;
    *nstates = 0;
    size_t np = ev->nstates, n = ev->texts.set.n;
    uint32_t *rc_ = pn_calloc(np + 1, sizeof *rc_);
    int32_t *rank = pn_malloc((np + 1) * sizeof *rank);
    int32_t *text_of = pn_malloc((np + 1) * sizeof *text_of);
    char **lab = pn_calloc(np + 1, sizeof *lab);
    pn_column col = {0};
    int rc = PN_ENOMEM;
    if (rc_ == NULL || rank == NULL || text_of == NULL || lab == NULL) goto done;
    if (n > 0 && (rc = pn__rank_levels(&ev->texts, &col, column)) != PN_OK) goto done;
    /* each provisional type's rank: the first in R's factor() order of its texts */
    for (size_t s = 0; s <= np; s++) rank[s] = -1;
    for (size_t i = 0; i < n; i++) {
        uint32_t s = ev->state[i];
        if (s == 0) continue;
        if (rank[s] < 0 || col.code[i] < rank[s]) {
            rank[s] = col.code[i];
            text_of[s] = (int32_t)i;
        }
    }
    /* final type of s: 1 + the number of types of a lower rank */
    for (size_t s = 1; s <= np; s++) {
        uint32_t f = 1;
        for (size_t t = 1; t <= np; t++) f += rank[t] < rank[s];
        rc_[s] = f;
    }
    rc = PN_ENOMEM;
    for (size_t s = 1; s <= np; s++) {
        lab[rc_[s] - 1] = pn_strdup(ev->texts.set.items[text_of[s]]);
        if (lab[rc_[s] - 1] == NULL) goto done;
    }
    *recode = rc_;
    *labels = lab;
    *nstates = np;
    rc_ = NULL;
    lab = NULL;
    rc = PN_OK;
done:
    pn__free_column(&col);
    pn_free(rc_);
    pn_free(rank);
    pn_free(text_of);
    pn__free_labels(lab, np + 1);
    return rc;
}

int pn_eventcol_state_map(const pn_eventcol *dst, const pn_eventcol *src, uint32_t *map)
{
    map[0] = 0;
    for (size_t i = 0; i < src->texts.set.n; i++) {
        uint32_t s = src->state[i];
        if (s == 0) continue;
        for (size_t j = 0; j < dst->texts.set.n; j++)
            if (dst->texts.set.len[j] == src->texts.set.len[i] &&
                memcmp(dst->texts.set.items[j], src->texts.set.items[i], src->texts.set.len[i]) == 0) {
                map[s] = dst->state[j];
                break;
            }
    }
    return PN_OK;
}
