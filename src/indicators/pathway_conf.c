/* pathway_conf.c - the care-pathway indicators' names and kinds, and their parameters: the
 * defaults and the reader of the configuration file (data/pathway.conf; docs/methods.md,
 * "Care-pathway indicators"). */
#include "pronostic/pathway.h"
#include "pronostic/alloc.h"
#include "pronostic/carevocab.h"
#include "pronostic/mentions.h"
#include "pronostic/site.h"

#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int kind, delay;
} indicators[PN_PW_COUNT] = {
    [PN_PW_IMAGING_TO_DIAGNOSIS] = {"imaging_to_diagnosis", PN_PW_DELAY, 0},
    [PN_PW_IMAGING_TO_DIAGNOSIS_WT] = {"imaging_to_diagnosis_within_target", PN_PW_SHARE, 0},
    [PN_PW_DIAGNOSIS_TO_TREATMENT] = {"diagnosis_to_treatment", PN_PW_DELAY, 1},
    [PN_PW_DIAGNOSIS_TO_TREATMENT_WT] = {"diagnosis_to_treatment_within_target", PN_PW_SHARE, 1},
    [PN_PW_DIAGNOSIS_TO_TREATMENT_CI] = {"diagnosis_to_treatment_cuminc", PN_PW_CUMINC, 1},
    [PN_PW_IMAGING_TO_TREATMENT] = {"imaging_to_treatment", PN_PW_DELAY, 2},
    [PN_PW_IMAGING_TO_TREATMENT_WT] = {"imaging_to_treatment_within_target", PN_PW_SHARE, 2},
    [PN_PW_IMAGING_TO_TREATMENT_CI] = {"imaging_to_treatment_cuminc", PN_PW_CUMINC, 2},
    [PN_PW_TUMOUR_BOARD] = {"tumour_board_before_treatment", PN_PW_SHARE, -1},
    [PN_PW_RUPTURE] = {"rupture", PN_PW_SHARE, -1},
    [PN_PW_EMERGENCY_RETURN] = {"emergency_return_30d", PN_PW_SHARE, -1},
    [PN_PW_EMERGENCY_DIAGNOSIS] = {"emergency_diagnosis", PN_PW_SHARE, -1},
    [PN_PW_EARLY_PALLIATIVE] = {"early_palliative", PN_PW_SHARE, -1},
    [PN_PW_EARLY_PALLIATIVE_METASTATIC] = {"early_palliative_metastatic", PN_PW_SHARE, -1},
    [PN_PW_CHEMO_LAST_14D] = {"chemo_last_14d", PN_PW_SHARE, -1},
    [PN_PW_NEW_REGIMEN_LAST_30D] = {"new_regimen_last_30d", PN_PW_SHARE, -1},
    [PN_PW_ED_LAST_30D] = {"ed_visits_last_30d", PN_PW_SHARE, -1},
    [PN_PW_ADMISSIONS_LAST_30D] = {"admissions_last_30d", PN_PW_SHARE, -1},
    [PN_PW_ICU_LAST_30D] = {"icu_last_30d", PN_PW_SHARE, -1},
    [PN_PW_DEATH_ACUTE_HOSPITAL] = {"death_acute_hospital", PN_PW_SHARE, -1},
    [PN_PW_PALLIATIVE_LAST_3D] = {"palliative_last_3d", PN_PW_SHARE, -1},
    [PN_PW_NO_PALLIATIVE] = {"no_palliative", PN_PW_SHARE, -1},
    [PN_PW_SURGERY_AUTHORISED] = {"surgery_in_authorised_centre", PN_PW_SHARE, -1},
};

const char *pn_pw_name(int i)
{
    return i >= 0 && i < PN_PW_COUNT ? indicators[i].name : "";
}

int pn_pw_kind(int i)
{
    return i >= 0 && i < PN_PW_COUNT ? indicators[i].kind : PN_PW_SHARE;
}

int pn_pw_delay_of(int i)
{
    return i >= 0 && i < PN_PW_COUNT ? indicators[i].delay : -1;
}

int pn_pw_parse(const char *name)
{
    for (int i = 0; i < PN_PW_COUNT; i++)
        if (strcmp(name, indicators[i].name) == 0) return i;
    return -1;
}

void pn_pathway_conf_defaults(pn_pathway_conf *c)
{
    memset(c, 0, sizeof *c);
    for (int d = 0; d < 3; d++) c->target_days[d] = 42;
    c->imaging_lookback_days = 180;
    c->window_days = 365;
    c->rupture_gap_days = 60;
    c->emergency_return_days = 30;
    c->emergency_diagnosis_days = 30;
    c->early_palliative_days = 90;
    c->early_palliative_weeks = 8;
    c->chemo_last_days = 14;
    c->new_regimen_last_days = 30;
    c->acute_last_days = 30;
    c->palliative_late_days = 3;
    c->eol_chemo_types = 1u << PN_EVENT_CHEMOTHERAPY;
    for (int s = 0; s < 8; s++) c->nmentions[s] = -1;
    /* the digestive sites' cancer surgery is a specific practice of mention B1, thoracic
     * surgery mention A2 or B2 (arrêté du 26 avril 2022; data/thresholds_2023_partial.csv);
     * ovary and cns: not in the reference data read (missing); aml: no cancer surgery */
    static const struct { int site; const char *m[2]; } known[] = {
        {PN_SITE_PANCREAS, {"SURG-B1", NULL}}, {PN_SITE_OESOPHAGUS, {"SURG-B1", NULL}},
        {PN_SITE_LIVER, {"SURG-B1", NULL}},    {PN_SITE_LUNG, {"SURG-A2", "SURG-B2"}},
    };
    for (size_t k = 0; k < sizeof known / sizeof *known; k++) {
        int s = known[k].site;
        c->nmentions[s] = 0;
        for (int j = 0; j < 2 && known[k].m[j]; j++)
            snprintf(c->mentions[s][c->nmentions[s]++], sizeof c->mentions[s][0], "%s",
                     known[k].m[j]);
    }
    c->nmentions[PN_SITE_AML] = 0;
    for (int i = 0; i < PN_PW_COUNT; i++) c->benchmark[i] = NAN;
    /* Earle et al. 2003, 2005 (the figures; docs/methods.md) */
    c->benchmark[PN_PW_CHEMO_LAST_14D] = 0.10;
    c->benchmark[PN_PW_NEW_REGIMEN_LAST_30D] = 0.02;
    c->benchmark[PN_PW_ED_LAST_30D] = 0.04;
    c->benchmark[PN_PW_ADMISSIONS_LAST_30D] = 0.04;
    c->benchmark[PN_PW_ICU_LAST_30D] = 0.04;
    c->benchmark[PN_PW_DEATH_ACUTE_HOSPITAL] = 0.17;
    c->benchmark[PN_PW_PALLIATIVE_LAST_3D] = 0.08;
    c->benchmark[PN_PW_NO_PALLIATIVE] = 0.45;
}

/* An integer value in [lo, hi]; 0 when it is not. */
static int int_value(const char *v, int lo, int hi, int *out)
{
    errno = 0;
    char *end = NULL;
    long x = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || x < lo || x > hi) return 0;
    *out = (int)x;
    return 1;
}

/* A ';'- or ','-separated list of event types into bits; 0 when an item is not one. */
static int types_value(const char *v, unsigned *bits)
{
    unsigned b = 0;
    while (*v) {
        size_t n = strcspn(v, ";,");
        int code = pn_vocab_code(pn_event_type_names, v, n);
        if (code < 0) return 0;
        b |= 1u << code;
        v += n;
        if (*v) v++;
    }
    if (b == 0) return 0;
    *bits = b;
    return 1;
}

/* "missing", "none", or a ';'-separated list of authorisation mentions. */
static int mentions_value(pn_pathway_conf *c, int site, const char *v)
{
    if (strcmp(v, "missing") == 0) return c->nmentions[site] = -1, 1;
    if (strcmp(v, "none") == 0) return c->nmentions[site] = 0, 1;
    int n = 0;
    while (*v) {
        size_t len = strcspn(v, ";");
        if (n == PN_PW_MAX_MENTIONS || len == 0 || len >= sizeof c->mentions[0][0] ||
            !pn_mention_known(v, len, PN_MENTIONS_AUTHORISATIONS))
            return 0;
        memcpy(c->mentions[site][n], v, len);
        c->mentions[site][n][len] = '\0';
        n++;
        v += len;
        if (*v) v++;
    }
    if (n == 0) return 0;
    c->nmentions[site] = n;
    return 1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

/* The integer keys and where they go. */
static int *int_key(pn_pathway_conf *c, const char *key)
{
    static const struct { const char *key; size_t off; } keys[] = {
#define K(f) {#f, offsetof(pn_pathway_conf, f)}
        K(imaging_lookback_days), K(window_days), K(rupture_gap_days), K(emergency_return_days),
        K(emergency_diagnosis_days), K(early_palliative_days), K(early_palliative_weeks),
        K(chemo_last_days), K(new_regimen_last_days), K(acute_last_days),
        K(palliative_late_days),
#undef K
        {"target_days.imaging_to_diagnosis", offsetof(pn_pathway_conf, target_days)},
        {"target_days.diagnosis_to_treatment", offsetof(pn_pathway_conf, target_days) + sizeof(int)},
        {"target_days.imaging_to_treatment", offsetof(pn_pathway_conf, target_days) + 2 * sizeof(int)},
    };
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        if (strcmp(key, keys[k].key) == 0) return (int *)(void *)((char *)c + keys[k].off);
    return NULL;
}

/* One "key = value" line; PN_OK or PN_EPARSE with the message. */
static int set_key(pn_pathway_conf *c, char *key, char *val, const char *name, long line,
                   pn_diag *diag)
{
    int *ip = int_key(c, key);
    if (ip != NULL || strcmp(key, "target_days") == 0) {
        int v;
        if (!int_value(val, 0, 36500, &v))
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: key '%s': '%s' is not a number of days"
                               " from 0 to 36500", name, line, key, val);
        if (ip) *ip = v;
        else for (int d = 0; d < 3; d++) c->target_days[d] = v;
        return PN_OK;
    }
    if (strcmp(key, "eol_chemo_types") == 0) {
        if (!types_value(val, &c->eol_chemo_types))
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: key '%s': '%s' is not a list of event"
                               " types (chemotherapy, targeted_therapy, immunotherapy, ...)",
                               name, line, key, val);
        return PN_OK;
    }
    if (strncmp(key, "surgery_mentions.", 17) == 0) {
        int site;
        if (pn_site_parse(key + 17, &site) != PN_OK)
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: key '%s': '%s' is not one of the seven"
                               " sites", name, line, key, key + 17);
        if (!mentions_value(c, site, val))
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: key '%s': '%s' is not 'missing',"
                               " 'none' or a ';'-separated list of at most %d authorisation"
                               " mentions (%s)", name, line, key, val, PN_PW_MAX_MENTIONS,
                               pn_mentions_vocabulary(PN_MENTIONS_AUTHORISATIONS));
        return PN_OK;
    }
    if (strncmp(key, "benchmark.", 10) == 0) {
        int ind = pn_pw_parse(key + 10);
        if (ind < 0)
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: key '%s': '%s' is not an indicator",
                               name, line, key, key + 10);
        if (strcmp(val, "none") == 0) {
            c->benchmark[ind] = NAN;
            return PN_OK;
        }
        errno = 0;
        char *end = NULL;
        double x = strtod(val, &end);
        if (errno != 0 || end == val || *end != '\0' || !(x >= 0 && x <= 1))
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: key '%s': '%s' is not a proportion"
                               " from 0 to 1 or 'none'", name, line, key, val);
        c->benchmark[ind] = x;
        return PN_OK;
    }
    return pn_diag_set(diag, PN_EPARSE, "%s:%ld: unknown key '%s' (docs/methods.md, \"Care-pathway"
                       " indicators\", lists the keys)", name, line, key);
}

int pn_pathway_conf_parse(pn_pathway_conf *c, const char *text, size_t len, const char *name,
                          pn_diag *diag)
{
    /* keys seen, to refuse one given twice (a line's key copied, at most this many) */
    enum { MAXKEYS = 128 };
    char seen[MAXKEYS][64];
    size_t nseen = 0;
    long line = 0;
    size_t pos = 0;
    char buf[512];
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n') end++;
        line++;
        size_t n = end - pos;
        if (n >= sizeof buf)
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: line longer than %zu bytes", name, line,
                               sizeof buf - 1);
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos = end + 1;
        if (memchr(buf, '\0', n) != NULL)
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: NUL byte in the line", name, line);
        char *hash = strchr(buf, '#');
        if (hash) *hash = '\0';
        char *s = trim(buf);
        if (*s == '\0') continue;
        char *eq = strchr(s, '=');
        if (eq == NULL)
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: expected 'key = value'", name, line);
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        if (*key == '\0' || *val == '\0')
            return pn_diag_set(diag, PN_EPARSE, "%s:%ld: expected 'key = value'", name, line);
        for (size_t k = 0; k < nseen; k++)
            if (strcmp(seen[k], key) == 0)
                return pn_diag_set(diag, PN_EPARSE, "%s:%ld: key '%s' given twice", name, line,
                                   key);
        if (nseen < MAXKEYS && strlen(key) < sizeof seen[0])
            snprintf(seen[nseen++], sizeof seen[0], "%s", key);
        int rc = set_key(c, key, val, name, line, diag);
        if (rc != PN_OK) return rc;
    }
    return PN_OK;
}

int pn_pathway_conf_load(pn_pathway_conf *c, const char *path, pn_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return pn_diag_set(diag, PN_EIO, "%s: cannot open the configuration: %s", path,
                           strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = PN_OK;
    for (;;) {
        if (len + 4096 > cap) {
            if (cap >= (1u << 20)) {
                rc = pn_diag_set(diag, PN_EPARSE, "%s: larger than 1 MiB: not a configuration",
                                 path);
                break;
            }
            char *p = pn_reallocarray(text, cap + 65536, 1);
            if (p == NULL) {
                rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
                break;
            }
            text = p;
            cap += 65536;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    if (rc == PN_OK && ferror(f))
        rc = pn_diag_set(diag, PN_EIO, "%s: cannot read the configuration", path);
    fclose(f);
    if (rc == PN_OK) rc = pn_pathway_conf_parse(c, text ? text : "", len, path, diag);
    pn_free(text);
    return rc;
}
