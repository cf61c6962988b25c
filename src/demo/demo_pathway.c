/* demo_pathway.c - the care pathway that version 2 of the bundle carries, for one synthetic
 * patient: the row writer of events.csv, stays with their ends and settings, emergency visits
 * (unplanned admissions, returns after a discharge or a treatment), the administrations of
 * systemic lines in cycles (and pathway ruptures), radiotherapy sessions, follow-up imaging, and
 * the end of life (palliative care, acute care of the last month, the place of death).
 * Every draw here comes from the patient's pathway stream (demo_internal.h), so the survival,
 * the treatment lines and the alterations of a seed do not depend on it. The frequencies are
 * assumptions of the generator, not calibrated on a published source: docs/methods.md,
 * "Synthetic data", "Care pathway (bundle format version 2)". */
#include "demo_internal.h"

#include "pronostic/carevocab.h"
#include "pronostic/date.h"
#include "pronostic/hash.h"

#include <math.h>
#include <string.h>

static int32_t lognormal_days(pn_rng *rng, double median, double sigma)
{
    return (int32_t)lround(median * exp(sigma * pn_rng_normal(rng)));
}

/* ---- the row writer ------------------------------------------------------------------------ */

static char *put(char *o, const char *s)
{
    while (*s) *o++ = *s++;
    return o;
}

/* 1 when the row [line, end) was not written yet for this patient (and remember it); a full
 * table (more than 3/4 of PN__DEMO_SEEN rows) no longer tells. */
static int first_time(pn__demo_person *p, const char *line, const char *end)
{
    uint64_t h = 0x84222325cbf29ce4ULL;
    for (const char *c = line; c < end; c++) h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
    h = pn_hash_mix64(h);
    if (h == 0) h = 1;
    if (p->nseen >= PN__DEMO_SEEN / 4 * 3) return 1;
    for (size_t i = h & (PN__DEMO_SEEN - 1);; i = (i + 1) & (PN__DEMO_SEEN - 1)) {
        if (p->seen[i] == h) return 0;
        if (p->seen[i] == 0) {
            p->seen[i] = h;
            p->nseen++;
            return 1;
        }
    }
}

void pn__demo_event(pn__demo_person *p, const char *centre, int32_t date, const char *type,
                    const char *code, const char *detail, int32_t end, int setting)
{
    if (date > p->end) return;   /* nothing is recorded after death or the last contact */
    if (date < p->birth) date = p->birth; /* work-up of a newborn starts at birth */
    if (end != PN__DEMO_NO_END) {
        if (end < date) end = date;
        if (end > p->end) end = p->dead ? p->end : PN__DEMO_NO_END;
    }
    /* patient_id,date,type,tumour_id,centre_id,code,detail,end_date,setting: at most
     * 15 + 11 + 17 + 19 + 10 + 2 * 64 + 11 + 16 bytes (codes and details are the generator's
     * own short texts) */
    char line[320], *o = line;
    o = put(o, p->id);
    *o++ = ',';
    pn_date_format(date, o);
    o += 10;
    *o++ = ',';
    o = put(o, type);
    *o++ = ',';
    o = put(o, p->tumour);
    *o++ = ',';
    o = put(o, centre ? centre : p->centre);
    *o++ = ',';
    if (code) o = put(o, code);
    *o++ = ',';
    if (detail) o = put(o, detail);
    *o++ = ',';
    if (end != PN__DEMO_NO_END) {
        pn_date_format(end, o);
        o += 10;
    }
    *o++ = ',';
    if (setting >= 0) o = put(o, pn_setting_names[setting]);
    *o++ = '\n';
    if (!first_time(p, line, o)) return;
    fwrite(line, 1, (size_t)(o - line), p->run->files.events);
    p->run->counts.events++;
}

/* ---- the place of death -------------------------------------------------------------------- */

void pn__demo_death_place(pn__demo_person *p)
{
    pn_rng *r = &p->pw;
    /* palliative care: none, early (more than 90 days before death), between, late (the last
     * 3 days); early needs at least 4 months between diagnosis and death */
    static const double cancer[4] = {0.30, 0.20, 0.35, 0.15}, other[4] = {0.65, 0.05, 0.20, 0.10};
    p->palliative = (int)pn_rng_pick(r, p->cancer_death ? cancer : other, 4);
    if (p->palliative == PN__DEMO_PALL_EARLY && p->end - p->dx <= 120)
        p->palliative = PN__DEMO_PALL_MID;
    /* the place, by enum pn_setting: acute_hospital, home, hospice, palliative_unit,
     * nursing_home, other */
    static const double with_pc[PN_SETTING_COUNT] = {0.42, 0.22, 0.05, 0.20, 0.08, 0.03};
    static const double without_pc[PN_SETTING_COUNT] = {0.60, 0.24, 0.00, 0.00, 0.10, 0.06};
    p->death_place = (int)pn_rng_pick(r, p->palliative == PN__DEMO_PALL_NONE ? without_pc : with_pc,
                                      PN_SETTING_COUNT);
}

/* ---- stays and emergency visits ------------------------------------------------------------- */

/* The discharge of a stay from `date` of `los` days: capped at death, which ends the stay when
 * the patient dies in hospital, and is before the day of death otherwise. */
static int32_t discharge(pn__demo_person *p, int32_t date, int32_t los)
{
    int32_t end = date + (los < 0 ? 0 : los);
    if (p->dead && end >= p->end) {
        if (p->death_place == PN_SETTING_ACUTE_HOSPITAL) {
            p->dying_stay = 1;
            return p->end;
        }
        end = p->end - 1 < date ? date : p->end - 1;
    }
    return end;
}

void pn__demo_emergency(pn__demo_person *p, pn_rng *rng, int32_t date, double p_admit,
                        double p_icu)
{
    if (date > p->end) return;
    for (int k = 0; k < p->ned; k++)
        if (p->ed_days[k] == date) return;
    if (p->ned == PN__DEMO_MAX_ED) return;
    p->ed_days[p->ned++] = date;
    pn__demo_event(p, NULL, date, "emergency_visit", NULL, NULL, PN__DEMO_NO_END,
                   PN_SETTING_ACUTE_HOSPITAL);
    /* an admission on the day of an emergency visit is unplanned */
    if (!pn_rng_bernoulli(rng, p_admit)) return;
    int32_t out = discharge(p, date, lognormal_days(&p->pw, 6, 0.6));
    pn__demo_event(p, NULL, date, "hospital_admission", NULL, "via emergency", out,
                   PN_SETTING_ACUTE_HOSPITAL);
    if (p_icu > 0 && pn_rng_bernoulli(rng, p_icu)) {
        int32_t icu_out = date + lognormal_days(&p->pw, 4, 0.6);
        pn__demo_event(p, NULL, date, "icu_admission", NULL, NULL, icu_out < out ? icu_out : out,
                       PN_SETTING_ACUTE_HOSPITAL);
    }
}

/* An emergency return within `days` days after `from` with probability `prob`. */
static void maybe_return(pn__demo_person *p, int32_t from, int days, double prob)
{
    if (!pn_rng_bernoulli(&p->pw, prob)) return;
    pn__demo_emergency(p, &p->pw, from + 1 + (int32_t)pn_rng_below(&p->pw, (uint64_t)days), 0.5,
                       0.05);
}

int32_t pn__demo_stay(pn__demo_person *p, const char *centre, int32_t date, double los,
                      const char *detail)
{
    int32_t out = discharge(p, date, lognormal_days(&p->pw, los, 0.4));
    pn__demo_event(p, centre, date, "hospital_admission", NULL, detail, out,
                   PN_SETTING_ACUTE_HOSPITAL);
    if (!(p->dead && out >= p->end)) maybe_return(p, out, 30, 0.12);
    return out;
}

/* ---- active treatment ----------------------------------------------------------------------- */

/* Two-weekly regimens (FOLFIRINOX, FOLFOX, FOLFIRI, nivolumab, nal-irinotecan); the others
 * every three weeks. */
static int cycle_days(const char *name)
{
    return strncmp(name, "FOLF", 4) == 0 || strstr(name, "nivolumab") != NULL ||
                   strstr(name, "irinotecan") != NULL
               ? 14
               : 21;
}

void pn__demo_cycles(pn__demo_person *p, const char *type, const char *atc, const char *name,
                     int32_t start, int32_t stop, int ongoing)
{
    pn_rng *r = &p->pw;
    int every = cycle_days(name);
    /* a line still going at death: treatment stops 15-60 days before death for most */
    if (ongoing && p->dead && !pn_rng_bernoulli(r, 0.35))
        stop = p->end - 15 - (int32_t)pn_rng_below(r, 46);
    /* a rupture: once in 10% of the lines of more than 150 days, the next contact comes 61-110
     * days after the previous one */
    int rupture = stop - start > 150 && pn_rng_bernoulli(r, 0.10) ? 3 + (int)pn_rng_below(r, 3) : 0;
    const char *imaging = p->site == PN__DEMO_CNS ? "MRI" : "CT";
    /* a baseline imaging before the line for most */
    if (pn_rng_bernoulli(r, 0.8))
        pn__demo_event(p, NULL, start - 1 - (int32_t)pn_rng_below(r, 10), "imaging", imaging,
                       "baseline", PN__DEMO_NO_END, -1);
    int32_t t = start;
    for (int k = 2;; k++) {
        int32_t next = t + every + (int32_t)pn_rng_below(r, 3);
        if (k == rupture) next = t + 61 + (int32_t)pn_rng_below(r, 50);
        if (next >= stop || next > p->end) break;
        t = next;
        /* evaluation imaging every 3 cycles, the day before the cycle */
        if (k % 3 == 1) pn__demo_event(p, NULL, t - 1, "imaging", imaging, "evaluation",
                                       PN__DEMO_NO_END, -1);
        pn__demo_event(p, NULL, t, type, atc, name, PN__DEMO_NO_END, -1);
        /* on the day of a cycle: supportive care (nurse, dietitian, psycho-oncology), pain */
        if (pn_rng_bernoulli(r, 0.30))
            pn__demo_event(p, NULL, t, "supportive_care", NULL, NULL, PN__DEMO_NO_END, -1);
        if (pn_rng_bernoulli(r, 0.04))
            pn__demo_event(p, NULL, t, "pain_consultation", NULL, NULL, PN__DEMO_NO_END, -1);
        maybe_return(p, t, 14, 0.015);   /* e.g. febrile neutropenia */
    }
}

void pn__demo_radiotherapy(pn__demo_person *p, int32_t start, int days, const char *detail)
{
    int32_t end = start + (days > 0 ? days - 1 : 0);
    pn__demo_event(p, NULL, start, "radiotherapy", NULL, detail, end, -1);
    /* a short course: each day's session; a long one: a session a week (the course's others
     * are not written) */
    int step = days <= 14 ? 1 : 7;
    for (int32_t t = start + step; t <= end; t += step)
        pn__demo_event(p, NULL, t, "radiotherapy", NULL, "session", PN__DEMO_NO_END, -1);
    maybe_return(p, end, 30, 0.05);
}

void pn__demo_follow_up(pn__demo_person *p, int32_t from, int32_t until)
{
    const char *imaging = p->site == PN__DEMO_CNS ? "MRI" : p->site == PN__DEMO_AML ? "US" : "CT";
    if (until > p->end) until = p->end;
    for (int32_t t = from; t < until;) {
        pn__demo_event(p, NULL, t, "imaging", imaging, "follow-up", PN__DEMO_NO_END, -1);
        int32_t since = t - p->dx;
        t += (since < 730 ? 91 : since < 1826 ? 182 : 365) + (int32_t)pn_rng_below(&p->pw, 15);
    }
}

/* ---- the end of life ------------------------------------------------------------------------ */

/* The setting of the palliative care that lasts until death: the place of death when it is a
 * place of palliative care, else the hospital's (a mobile palliative care team). */
static int final_setting(const pn__demo_person *p)
{
    int d = p->death_place;
    return d == PN_SETTING_HOME || d == PN_SETTING_HOSPICE || d == PN_SETTING_PALLIATIVE_UNIT ||
                   d == PN_SETTING_NURSING_HOME
               ? d
               : PN_SETTING_ACUTE_HOSPITAL;
}

void pn__demo_end_of_life(pn__demo_person *p, const char *cause)
{
    pn_rng *r = &p->pw;
    int32_t death = p->end;
    /* palliative care */
    if (p->palliative == PN__DEMO_PALL_EARLY) {
        /* a first episode at least 91 days before death (the caller made room: 120 days) */
        int32_t d = p->dx + 30 + (int32_t)pn_rng_below(r, (uint64_t)(death - p->dx - 120));
        static const double where[PN_SETTING_COUNT] = {0.45, 0.40, 0.00, 0.10, 0.05, 0.00};
        int32_t out = d + lognormal_days(r, 10, 0.8);
        if (out > death - 30) out = death - 30;
        pn__demo_event(p, NULL, d, "palliative_care", NULL, "early", out,
                       (int)pn_rng_pick(r, where, PN_SETTING_COUNT));
        if (pn_rng_bernoulli(r, 0.6)) {
            int32_t last = death - 4 - (int32_t)pn_rng_below(r, 26);
            pn__demo_event(p, NULL, last, "palliative_care", NULL, NULL, death, final_setting(p));
        }
    } else if (p->palliative == PN__DEMO_PALL_MID) {
        int32_t d = death - 3 - (int32_t)pn_rng_below(r, 88);   /* 3-90 days before death */
        if (d < p->dx) d = p->dx;
        pn__demo_event(p, NULL, d, "palliative_care", NULL, NULL, death, final_setting(p));
    } else if (p->palliative == PN__DEMO_PALL_LATE) {
        pn__demo_event(p, NULL, death - (int32_t)pn_rng_below(r, 3), "palliative_care", NULL,
                       "late", death, final_setting(p));
    }
    /* symptom care of the last 3 months for half the cancer deaths: a pain or supportive
     * care consultation every 3 weeks */
    if (p->cancer_death && pn_rng_bernoulli(r, 0.5))
        for (int32_t d = death - 90 + (int32_t)pn_rng_below(r, 21); d < death; d += 21)
            if (d >= p->dx)
                pn__demo_event(p, NULL, d, pn_rng_bernoulli(r, 0.5) ? "pain_consultation"
                                                                    : "supportive_care",
                               NULL, NULL, PN__DEMO_NO_END, -1);
    /* acute care of the last month, more of it for a cancer death */
    if (p->cancer_death && pn_rng_bernoulli(r, 0.20)) {
        int n = 1 + (int)pn_rng_below(r, 2);
        for (int k = 0; k < n; k++) {
            int32_t d = death - (int32_t)pn_rng_below(r, 30);
            if (d >= p->dx) pn__demo_emergency(p, r, d, 0.6, 0.15);
        }
    }
    /* a death in hospital happens during a stay */
    if (p->death_place == PN_SETTING_ACUTE_HOSPITAL && !p->dying_stay) {
        int32_t los = lognormal_days(r, 6, 0.5);
        int32_t d = death - (los > 21 ? 21 : los);
        if (d < p->dx) d = p->dx;
        pn__demo_event(p, NULL, d, "hospital_admission", NULL, "last stay", death,
                       PN_SETTING_ACUTE_HOSPITAL);
        p->dying_stay = 1;
    }
    pn__demo_event(p, NULL, death, "death", cause, NULL, PN__DEMO_NO_END, p->death_place);
}
