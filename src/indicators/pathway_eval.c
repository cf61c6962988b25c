/* pathway_eval.c - one patient's care pathway as indicator records (pathway.h): for the first
 * primary tumour of each of the seven sites, which indicators the record enters (denominator)
 * and meets (numerator), its delays and its data for the cumulative incidence of treatment.
 * Every definition is in docs/methods.md, "Care-pathway indicators"; the comments here name
 * them only. Pure: reads the pathway handed over, writes the records.
 */
#include "pronostic/pathway.h"
#include "pronostic/carevocab.h"
#include "pronostic/date.h"
#include "pronostic/departement.h"
#include "pronostic/icss.h"
#include "pronostic/site.h"

#include <stdlib.h>
#include <string.h>

#define TREATMENT_TYPES                                                                      \
    ((1u << PN_EVENT_SURGERY) | (1u << PN_EVENT_CHEMOTHERAPY) | (1u << PN_EVENT_RADIOTHERAPY) | \
     (1u << PN_EVENT_TARGETED_THERAPY) | (1u << PN_EVENT_IMMUNOTHERAPY))
#define SYSTEMIC_TYPES                                                                       \
    ((1u << PN_EVENT_CHEMOTHERAPY) | (1u << PN_EVENT_TARGETED_THERAPY) |                     \
     (1u << PN_EVENT_IMMUNOTHERAPY))
#define WORKUP_TYPES                                                                         \
    ((1u << PN_EVENT_IMAGING) | (1u << PN_EVENT_BIOPSY) | (1u << PN_EVENT_PATHOLOGY))

static int is(const pn_scan_event *e, unsigned types)
{
    return e->type >= 0 && e->type < 32 && ((1u << e->type) & types) != 0;
}

static int cmp_id(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

/* The index of centre `id` (len bytes) in the sorted list, or -1. */
static int centre_index(const pn_pw_centres *c, const char *id, size_t len)
{
    if (c == NULL || c->n == 0 || id == NULL || len == 0 || len > 31) return -1;
    char key[32];
    memcpy(key, id, len);
    key[len] = '\0';
    char **hit = bsearch(key, c->id, c->n, sizeof *c->id, cmp_id);
    return hit ? (int)(hit - c->id) : -1;
}

/* 1 when the ';'-separated list `auth` holds one of the site's mentions. */
static int authorised(const pn_pathway_conf *conf, int site, const char *auth)
{
    if (auth == NULL) return 0;
    for (int m = 0; m < conf->nmentions[site]; m++) {
        const char *want = conf->mentions[site][m];
        size_t wl = strlen(want);
        for (const char *p = auth; *p;) {
            size_t n = strcspn(p, ";");
            if (n == wl && memcmp(p, want, n) == 0) return 1;
            p += n;
            if (*p) p++;
        }
    }
    return 0;
}

/* What one pass over the record's events finds. */
typedef struct facts {
    int32_t img, workup, ed_dx, t1, t_last, p1, prog1, surgery;
    int board;
    int surgery_centre;        /* centre index of the first surgery, -1 */
    int chemo_eol, newreg_eol, ed_eol, adm_eol, icu_eol;
    int death_setting;
} facts;

#define NONE PN_NO_DATE

static int keeps(const pn_scan_event *e, int64_t tid, int32_t end)
{
    return (e->tid == 0 || e->tid == tid) && e->date <= end;
}

/* A new regimen in [from, to]: a line starting then, or, for a patient without treatment
 * lines, a systemic treatment whose code was not given before. */
static int new_regimen(const pn_scan_patient *p, const pn_scan_event *ev, size_t nev,
                       int32_t from, int32_t to)
{
    if (p->nlines > 0) {
        for (size_t k = 0; k < p->nlines; k++)
            if (p->lines[k].start_date >= from && p->lines[k].start_date <= to) return 1;
        return 0;
    }
    for (size_t i = 0; i < nev; i++) {
        const pn_scan_event *e = &ev[i];
        if (!is(e, SYSTEMIC_TYPES) || e->date < from || e->date > to) continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = is(&ev[j], SYSTEMIC_TYPES) && ev[j].code_len == e->code_len &&
                   (e->code_len == 0 || memcmp(ev[j].code, e->code, e->code_len) == 0);
        if (!seen) return 1;
    }
    return 0;
}

static void gather(const pn_scan_patient *p, const pn_scan_tumour *t, const pn_pathway_conf *c,
                   int32_t end, int dead, const pn_pw_centres *centres, facts *f)
{
    int32_t dx = t->diagnosis_date, from = dx - c->imaging_lookback_days;
    int32_t death = p->vital_status_date;
    f->img = f->workup = f->ed_dx = f->t1 = f->t_last = f->p1 = f->prog1 = f->surgery = NONE;
    f->board = 0;
    f->surgery_centre = -1;
    f->chemo_eol = f->newreg_eol = f->ed_eol = f->adm_eol = f->icu_eol = 0;
    f->death_setting = -1;
    for (size_t i = 0; i < p->nevents; i++) {
        const pn_scan_event *e = &p->events[i];
        if (!keeps(e, t->tid, end)) continue;
        int32_t d = e->date;
        if (d >= from && d <= dx) {
            if (e->type == PN_EVENT_IMAGING && f->img == NONE) f->img = d;
            if (is(e, WORKUP_TYPES) && f->workup == NONE) f->workup = d;
        }
        if (e->type == PN_EVENT_EMERGENCY_VISIT && d >= dx - c->emergency_diagnosis_days &&
            d <= dx && f->ed_dx == NONE)
            f->ed_dx = d;
        if (is(e, TREATMENT_TYPES) && d >= dx) {
            if (f->t1 == NONE) f->t1 = d;
            if (d <= dx + c->window_days) f->t_last = d;
        }
        if (e->type == PN_EVENT_SURGERY && d >= dx && f->surgery == NONE) {
            f->surgery = d;
            f->surgery_centre = centre_index(centres, e->centre, e->centre_len);
        }
        if (e->type == PN_EVENT_PALLIATIVE_CARE && f->p1 == NONE) f->p1 = d;
        if (e->type == PN_EVENT_PROGRESSION && d >= dx && f->prog1 == NONE) f->prog1 = d;
        if (e->type == PN_EVENT_DEATH && e->setting >= 0) f->death_setting = e->setting;
        if (dead && d <= death) {
            if (is(e, c->eol_chemo_types) && d >= death - c->chemo_last_days) f->chemo_eol = 1;
            if (d >= death - c->acute_last_days) {
                f->ed_eol += e->type == PN_EVENT_EMERGENCY_VISIT;
                f->adm_eol += e->type == PN_EVENT_HOSPITAL_ADMISSION;
                f->icu_eol += e->type == PN_EVENT_ICU_ADMISSION;
            }
        }
    }
    if (f->t1 != NONE)
        for (size_t i = 0; i < p->nevents && !f->board; i++) {
            const pn_scan_event *e = &p->events[i];
            f->board = keeps(e, t->tid, end) && e->type == PN_EVENT_TUMOUR_BOARD &&
                       e->date >= from && e->date <= f->t1;
        }
    if (dead) {
        int32_t lo = death - c->new_regimen_last_days;
        f->newreg_eol = new_regimen(p, p->events, p->nevents, lo, death);
    }
}

/* Two consecutive contacts more than the gap apart between the first and the last treatment
 * of the window (a stay covers the days to its end). */
static int rupture(const pn_scan_patient *p, const pn_scan_tumour *t, const pn_pathway_conf *c,
                   int32_t end, int32_t t1, int32_t t_last)
{
    int32_t cover = t1;
    for (size_t i = 0; i < p->nevents; i++) {
        const pn_scan_event *e = &p->events[i];
        if (!keeps(e, t->tid, end) || e->type == PN_EVENT_DEATH) continue;
        if (e->date > t_last) break;
        int32_t last = e->end_date != NONE && e->end_date > e->date ? e->end_date : e->date;
        if (e->date > t1 && e->date - cover > c->rupture_gap_days) return 1;
        if (last > cover) cover = last;
    }
    return 0;
}

/* The date an event triggers the emergency-return rule on: a treatment's, or the end of a
 * hospital or ICU stay (a discharge); PN_NO_DATE for the other events. */
static int32_t trigger_date(const pn_scan_event *e)
{
    if (is(e, TREATMENT_TYPES)) return e->date;
    if ((e->type == PN_EVENT_HOSPITAL_ADMISSION || e->type == PN_EVENT_ICU_ADMISSION) &&
        e->end_date != NONE)
        return e->end_date;
    return NONE;
}

/* Emergency returns: *has_trigger when a discharge or a treatment falls in the window; returns
 * 1 when an emergency visit follows one within the days of the rule. Discharges are dated at a
 * stay's end, out of the events' date order, so each visit is tested against every trigger (a
 * patient has few visits). */
static int emergency_return(const pn_scan_patient *p, const pn_scan_tumour *t,
                            const pn_pathway_conf *c, int32_t end, int *has_trigger)
{
    int32_t dx = t->diagnosis_date, last = dx + c->window_days;
    *has_trigger = 0;
    for (size_t i = 0; i < p->nevents && !*has_trigger; i++) {
        int32_t d = trigger_date(&p->events[i]);
        *has_trigger = keeps(&p->events[i], t->tid, end) && d != NONE && d >= dx && d <= last;
    }
    if (!*has_trigger) return 0;
    for (size_t i = 0; i < p->nevents; i++) {
        const pn_scan_event *v = &p->events[i];
        if (!keeps(v, t->tid, end) || v->type != PN_EVENT_EMERGENCY_VISIT) continue;
        for (size_t j = 0; j < p->nevents; j++) {
            int32_t d = trigger_date(&p->events[j]);
            if (d != NONE && d >= dx && d <= last && keeps(&p->events[j], t->tid, end) &&
                d < v->date && v->date <= d + c->emergency_return_days)
                return 1;
        }
    }
    return 0;
}

#define SET(bits, i) ((bits) |= 1u << (i))

static void evaluate_one(const pn_scan_patient *p, const pn_scan_tumour *t,
                         const pn_pathway_conf *c, int32_t closing,
                         const pn_pw_centres *centres, pn_pw_record *r)
{
    memset(r, 0, sizeof *r);
    int32_t dx = t->diagnosis_date;
    int32_t end = p->vital_status_date < closing ? p->vital_status_date : closing;
    int dead = p->dead && p->vital_status_date <= closing;
    int32_t death = p->vital_status_date;
    int y, m, d;
    pn_civil_from_days(dx, &y, &m, &d);
    r->site = t->site;
    r->year = y;
    r->sex = p->sex;
    r->agegroup = pn_icss_group((double)(dx - p->birth_date) / PN_DAYS_PER_YEAR) + 1;
    r->departement = p->residence ? pn_departement_index(p->residence, p->residence_len) : 0;
    r->centre = centre_index(centres, t->centre, t->centre_len);
    r->delay[0] = r->delay[1] = r->delay[2] = -1;
    r->ci_time[0] = r->ci_time[1] = -1;

    facts f;
    gather(p, t, c, end, dead, centres, &f);
    uint32_t den = 0, num = 0;
    /* delays */
    SET(den, PN_PW_IMAGING_TO_DIAGNOSIS);
    SET(den, PN_PW_DIAGNOSIS_TO_TREATMENT);
    SET(den, PN_PW_DIAGNOSIS_TO_TREATMENT_CI);
    if (f.img != NONE) {
        r->delay[0] = dx - f.img;
        SET(num, PN_PW_IMAGING_TO_DIAGNOSIS);
        SET(den, PN_PW_IMAGING_TO_DIAGNOSIS_WT);
        if (r->delay[0] <= c->target_days[0]) SET(num, PN_PW_IMAGING_TO_DIAGNOSIS_WT);
        SET(den, PN_PW_IMAGING_TO_TREATMENT);
        SET(den, PN_PW_IMAGING_TO_TREATMENT_CI);
    }
    if (f.t1 != NONE) {
        r->delay[1] = f.t1 - dx;
        SET(num, PN_PW_DIAGNOSIS_TO_TREATMENT);
        SET(den, PN_PW_DIAGNOSIS_TO_TREATMENT_WT);
        if (r->delay[1] <= c->target_days[1]) {
            SET(num, PN_PW_DIAGNOSIS_TO_TREATMENT_WT);
            SET(num, PN_PW_DIAGNOSIS_TO_TREATMENT_CI);
        }
        if (f.img != NONE) {
            r->delay[2] = f.t1 - f.img;
            SET(num, PN_PW_IMAGING_TO_TREATMENT);
            SET(den, PN_PW_IMAGING_TO_TREATMENT_WT);
            if (r->delay[2] <= c->target_days[2]) {
                SET(num, PN_PW_IMAGING_TO_TREATMENT_WT);
                SET(num, PN_PW_IMAGING_TO_TREATMENT_CI);
            }
        }
        SET(den, PN_PW_TUMOUR_BOARD);
        if (f.board) SET(num, PN_PW_TUMOUR_BOARD);
    }
    /* the cumulative incidence of treatment from each origin: treated (1), died untreated (2),
     * or censored at the end of follow-up (0) */
    int32_t origin[2] = {dx, f.img};
    for (int o = 0; o < 2; o++) {
        if (origin[o] == NONE) continue;
        if (f.t1 != NONE) {
            r->ci_time[o] = f.t1 - origin[o];
            r->ci_state[o] = 1;
        } else {
            /* last news before the origin (an alive patient's date before the diagnosis):
             * censored at the origin */
            int32_t left = (dead ? death : end) - origin[o];
            r->ci_time[o] = left > 0 ? left : 0;
            r->ci_state[o] = dead ? 2 : 0;
        }
    }
    /* ruptures and emergency returns over the window */
    if (f.t1 != NONE && f.t1 <= dx + c->window_days) {
        SET(den, PN_PW_RUPTURE);
        if (rupture(p, t, c, end, f.t1, f.t_last)) SET(num, PN_PW_RUPTURE);
    }
    int trig = 0;
    if (emergency_return(p, t, c, end, &trig)) SET(num, PN_PW_EMERGENCY_RETURN);
    if (trig) SET(den, PN_PW_EMERGENCY_RETURN);
    SET(den, PN_PW_EMERGENCY_DIAGNOSIS);
    if (f.ed_dx != NONE && (f.workup == NONE || f.ed_dx <= f.workup))
        SET(num, PN_PW_EMERGENCY_DIAGNOSIS);
    /* palliative care after a stage IV diagnosis or a progression */
    int32_t meta = t->stage_iv ? dx : f.prog1;
    if (meta != NONE) {
        SET(den, PN_PW_EARLY_PALLIATIVE_METASTATIC);
        if (f.p1 != NONE && f.p1 <= meta + 7 * c->early_palliative_weeks)
            SET(num, PN_PW_EARLY_PALLIATIVE_METASTATIC);
    }
    /* the end of life */
    if (dead) {
        static const int eol[] = {PN_PW_EARLY_PALLIATIVE, PN_PW_CHEMO_LAST_14D,
                                  PN_PW_NEW_REGIMEN_LAST_30D, PN_PW_ED_LAST_30D,
                                  PN_PW_ADMISSIONS_LAST_30D, PN_PW_ICU_LAST_30D,
                                  PN_PW_NO_PALLIATIVE};
        for (size_t k = 0; k < sizeof eol / sizeof *eol; k++) SET(den, eol[k]);
        if (f.p1 != NONE && death - f.p1 > c->early_palliative_days) SET(num, PN_PW_EARLY_PALLIATIVE);
        if (f.chemo_eol) SET(num, PN_PW_CHEMO_LAST_14D);
        if (f.newreg_eol) SET(num, PN_PW_NEW_REGIMEN_LAST_30D);
        if (f.ed_eol > 1) SET(num, PN_PW_ED_LAST_30D);
        if (f.adm_eol > 1) SET(num, PN_PW_ADMISSIONS_LAST_30D);
        if (f.icu_eol > 0) SET(num, PN_PW_ICU_LAST_30D);
        if (f.p1 == NONE) SET(num, PN_PW_NO_PALLIATIVE);
        else {
            SET(den, PN_PW_PALLIATIVE_LAST_3D);
            if (death - f.p1 <= c->palliative_late_days) SET(num, PN_PW_PALLIATIVE_LAST_3D);
        }
        int place = p->death_place >= 0 ? p->death_place : f.death_setting;
        if (place >= 0) {
            SET(den, PN_PW_DEATH_ACUTE_HOSPITAL);
            if (place == PN_SETTING_ACUTE_HOSPITAL) SET(num, PN_PW_DEATH_ACUTE_HOSPITAL);
        }
    }
    /* surgery in a centre authorised for the site */
    if (f.surgery != NONE && f.surgery_centre >= 0 && c->nmentions[t->site] > 0) {
        SET(den, PN_PW_SURGERY_AUTHORISED);
        if (authorised(c, t->site, centres->authorisations[f.surgery_centre]))
            SET(num, PN_PW_SURGERY_AUTHORISED);
    }
    r->den = den;
    r->num = num & den;
}

void pn_pathway_evaluate(const pn_scan_patient *p, const pn_pathway_conf *conf, int32_t closing,
                         const pn_pw_centres *centres, pn_pw_record *out, size_t *n)
{
    *n = 0;
    if (p->identity_conflict) return;
    int last_site = -1;
    for (size_t k = 0; k < p->ntumours; k++) {
        const pn_scan_tumour *t = &p->tumours[k];
        if (t->site == last_site) continue;   /* a later primary of the same site */
        last_site = t->site;
        if (t->site < PN_SITE_PANCREAS || t->site > PN_SITE_AML) continue;
        if (t->diagnosis_date > closing) continue;
        if (p->dead && t->diagnosis_date > p->vital_status_date) continue;
        evaluate_one(p, t, conf, closing, centres, &out[(*n)++]);
    }
}
