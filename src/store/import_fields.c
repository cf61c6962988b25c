/* import_fields.c - the checks of one field by its kind (date, code, enumeration, ...) and the
 * keyed fingerprint of a row. Reasons name the rule, never the value (import_quarantine.c).
 */
#include "import_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/departement.h"
#include "pronostic/date.h"
#include "pronostic/mentions.h"
#include "pronostic/num.h"
#include "pronostic/site.h"

#include <stdio.h>
#include <string.h>

/* The fingerprint's text: each version-1 column's value (empty when absent) and a unit
 * separator, in spec order; then each later column that is present as its index, its value and a
 * separator (absent ones add nothing, so a version-1 row keeps its version-1 fingerprint). */
int pn__imp_row_hash(pn__imp *im, const pn__fval *v, uint64_t *out)
{
    int ncols = im->spec->ncols, v1 = im->spec->v1cols > 0 ? im->spec->v1cols : ncols;
    size_t need = 0;
    for (int c = 0; c < ncols; c++) need += v[c].len + 2;
    if (need > im->hcap) {
        size_t cap = im->hcap;
        if (pn_grow((void **)&im->hbuf, &cap, need, 1) != PN_OK)
            return pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        im->hcap = cap;
    }
    size_t n = 0;
    for (int c = 0; c < ncols; c++) {
        if (c >= v1) {
            if (!v[c].present) continue;
            im->hbuf[n++] = (char)('\x01' + c);   /* which later column (MAXCOLS < 31) */
        }
        if (v[c].present) memcpy(im->hbuf + n, v[c].s, v[c].len), n += v[c].len;
        im->hbuf[n++] = '\x1f';
    }
    *out = pn_keyed_hash64(&im->st->key, im->hbuf, n);
    return PN_OK;
}

/* ---- field checks ----------------------------------------------------------------------- */

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A ';'-separated list of centre mentions (authorisations, networks): no empty item, no item
 * twice; an unknown authorisation quarantines the row, an unknown network is a warning (the
 * networks of docs/interfaces.md 2 are examples, not a closed list). */
static int check_mentions(pn__imp *im, const pn__colspec *cs, pn__fval *v, const unsigned char *key)
{
    int auth = cs->kind == K_AUTHS;
    pn_mention_problem pb;
    int rc = PN_OK;
    if (pn_mentions_check(v->s, v->len, auth ? PN_MENTIONS_AUTHORISATIONS : PN_MENTIONS_NETWORKS,
                          &pb) == PN_OK)
        return 1;
    switch (pb.kind) {
    case PN_MENTION_EMPTY:
        rc = pn__imp_quarantine(im, im->line, cs->name, "error", key,
                                "item %zu is empty (items are separated by semicolons)", pb.item);
        break;
    case PN_MENTION_TWICE:
        rc = pn__imp_quarantine(im, im->line, cs->name, "error", key,
                                "item %zu repeats an earlier item", pb.item);
        break;
    default:
        if (auth) {
            rc = pn__imp_quarantine(im, im->line, cs->name, "error", key,
                                    "item %zu is not an authorisation mention (%s)", pb.item,
                                    pn_mentions_vocabulary(PN_MENTIONS_AUTHORISATIONS));
            break;
        }
        rc = pn__imp_quarantine(im, im->line, cs->name, "warning", key,
                                "item %zu is not a network of the national list (%s); kept",
                                pb.item, pn_mentions_vocabulary(PN_MENTIONS_NETWORKS));
        return rc < 0 ? rc : 1;
    }
    return rc < 0 ? rc : 0;
}

int pn__imp_check_field(pn__imp *im, int c, pn__fval *v, const unsigned char *key)
{
    const pn__colspec *cs = &im->spec->cols[c];
    long line = im->line;
    if (!v->present) {
        if (!cs->required) return 1;
        int rc = pn__imp_quarantine(im, line, cs->name, "error", key, "required field is empty");
        return rc < 0 ? rc : 0;
    }
    int rc = PN_OK;
    /* the other kinds are parsed strictly as ASCII, which refuses any other byte */
    if ((cs->kind == K_TEXT || cs->kind == K_ID) && !pn_utf8_valid(v->s, v->len)) {
        rc = pn__imp_quarantine(im, line, cs->name, "error", key,
                           "not valid UTF-8 (the file must be encoded in UTF-8)");
        return rc < 0 ? rc : 0;
    }
    switch (cs->kind) {
    case K_TEXT:
        return 1;
    case K_ID:
        if (v->len > 200)
            rc = pn__imp_quarantine(im, line, cs->name, "error", key, "identifier longer than 200 bytes");
        else return 1;
        break;
    case K_DATE: case K_DATE_YM: {
        int32_t days;
        int prec = PN_DATE_DAY;
        if (pn_date_parse(v->s, v->len, cs->kind == K_DATE_YM, &days, &prec) != PN_OK) {
            rc = pn__imp_quarantine(im, line, cs->name, "error", key, "not a date (%s)",
                                    cs->kind == K_DATE_YM ? "YYYY-MM-DD or YYYY-MM" : "YYYY-MM-DD");
        } else if (days > im->today) {
            /* the reason does not name today's date, so that a re-import on another day
             * finds the same entry */
            rc = pn__imp_quarantine(im, line, cs->name, "error", key, "date in the future");
        } else {
            v->i = days;
            v->prec = prec;
            return 1;
        }
        break;
    }
    case K_ENUM:
        for (int k = 0; cs->values[k]; k++)
            if (strlen(cs->values[k]) == v->len && memcmp(cs->values[k], v->s, v->len) == 0) {
                v->i = k;
                return 1;
            }
        if (cs->values == pn_event_type_names)
            rc = pn__imp_quarantine(im, line, cs->name, "error", key,
                                    "not an event type of the bundle format");
        else {
            char list[160] = "";
            size_t n = 0;
            for (int k = 0; cs->values[k] && n < sizeof list; k++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "", cs->values[k]);
            rc = pn__imp_quarantine(im, line, cs->name, "error", key, "not one of %s", list);
        }
        break;
    case K_SEX:
        if (v->len == 1 && (v->s[0] == 'M' || v->s[0] == 'F')) {
            v->i = v->s[0] == 'M' ? 1 : 2;
            return 1;
        }
        rc = pn__imp_quarantine(im, line, cs->name, "error", key, "not M or F");
        break;
    case K_ICD10:
        if (pn_icd10_valid(v->s, v->len)) return 1;
        rc = pn__imp_quarantine(im, line, cs->name, "error", key, "not an ICD-10 code");
        break;
    case K_TOPO:
        if (pn_topography_valid(v->s, v->len)) return 1;
        rc = pn__imp_quarantine(im, line, cs->name, "error", key,
                                "not an ICD-O-3 topography code");
        break;
    case K_MORPH:
        if (pn_morphology_valid(v->s, v->len)) return 1;
        rc = pn__imp_quarantine(im, line, cs->name, "error", key,
                                "not an ICD-O-3 morphology code (NNNN/B)");
        break;
    case K_DEP:
        if (pn_departement_valid(v->s, v->len)) return 1;
        rc = pn__imp_quarantine(im, line, cs->name, "error", key, "not a département code");
        break;
    case K_COUNT: case K_POSINT:
        if (pn_parse_int64(v->s, v->len, &v->i) == PN_OK && v->i >= (cs->kind == K_POSINT))
            return 1;
        rc = pn__imp_quarantine(im, line, cs->name, "error", key, "not a %s integer",
                                cs->kind == K_POSINT ? "positive" : "non-negative");
        break;
    case K_NUM:
        if (pn_parse_double(v->s, v->len, &v->d) == PN_OK && v->d >= 0) return 1;
        rc = pn__imp_quarantine(im, line, cs->name, "error", key, "not a non-negative number");
        break;
    case K_FINESS: {
        int ok = v->len == 9;
        for (size_t k = 0; ok && k < v->len; k++) ok = is_alnum(v->s[k]);
        if (ok) return 1;
        rc = pn__imp_quarantine(im, line, cs->name, "error", key,
                                "not a FINESS number (9 characters)");
        break;
    }
    case K_AUTHS: case K_NETWORKS:
        return check_mentions(im, cs, v, key);
    }
    return rc < 0 ? rc : 0;
}

