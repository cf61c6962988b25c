/* consolidate.c - the consolidation rule of consolidate.h: one patient's facts from several
 * sources' observations, independent of the order in which they arrived. */
#include "consolidate.h"
#include "pronostic/date.h"

#include <string.h>

size_t pn__consolidate_max_conflicts(size_t n)
{
    /* sex and birth date: every pair; vital status, cause and place of death: every
     * observation against the one kept */
    return n * (n - 1) + 3 * n;
}

int pn__birth_compatible(int32_t a, int a_prec, int32_t b, int b_prec)
{
    if (a_prec == PN_DATE_DAY && b_prec == PN_DATE_DAY) return a == b;
    int ya, ma, da, yb, mb, db;
    pn_civil_from_days(a, &ya, &ma, &da);
    pn_civil_from_days(b, &yb, &mb, &db);
    return ya == yb && ma == mb;
}

static void add(pn__conflict *conf, size_t *n, const char *field, int a, int b)
{
    conf[*n].field = field;
    conf[*n].a = a;
    conf[*n].b = b;
    (*n)++;
}

void pn__consolidate(const pn__obs *obs, size_t n, pn__consolidated *out, pn__conflict *conf,
                     size_t *nconf)
{
    memset(out, 0, sizeof *out);
    *nconf = 0;
    /* identity: every pair must agree */
    int sex_bad = 0, birth_bad = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (obs[i].sex != obs[j].sex) {
                add(conf, nconf, "sex", (int)i, (int)j);
                sex_bad = 1;
            }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (!pn__birth_compatible(obs[i].birth, obs[i].birth_prec, obs[j].birth,
                                      obs[j].birth_prec)) {
                add(conf, nconf, "birth_date", (int)i, (int)j);
                birth_bad = 1;
            }
    out->sex = obs[0].sex;
    out->birth_from = 0;
    if (!birth_bad)
        for (size_t i = 0; i < n; i++)
            if (obs[i].birth_prec == PN_DATE_DAY) {
                out->birth_from = (int)i;
                break;
            }
    if (sex_bad || birth_bad) out->conflict |= PN__CONFLICT_IDENTITY;

    /* vital status: the earliest death stands; else the latest alive date */
    int v = -1;
    for (size_t i = 0; i < n; i++)
        if (obs[i].dead && (v < 0 || obs[i].date < obs[v].date)) v = (int)i;
    size_t before = *nconf;
    if (v >= 0) {
        for (size_t i = 0; i < n; i++) {
            if ((int)i == v) continue;
            if (obs[i].dead && obs[i].date != obs[v].date)
                add(conf, nconf, "vital_status_date", v, (int)i);
            else if (!obs[i].dead && obs[i].date > obs[v].date)
                add(conf, nconf, "vital_status", v, (int)i);
        }
        /* the cause: the kept death's, else that of another death on the same date */
        out->cause_from = -1;
        for (size_t k = 0; k <= n; k++) {
            int i = k == 0 ? v : (int)k - 1;
            if (k > 0 && i == v) continue;
            if (!obs[i].dead || obs[i].date != obs[v].date || obs[i].cause == NULL) continue;
            if (out->cause_from < 0) out->cause_from = i;
            else if (obs[i].cause_len != obs[out->cause_from].cause_len ||
                     memcmp(obs[i].cause, obs[out->cause_from].cause, obs[i].cause_len) != 0)
                add(conf, nconf, "death_cause", out->cause_from, i);
        }
        /* the place of death, by the same rule as the cause */
        out->place_from = -1;
        for (size_t k = 0; k <= n; k++) {
            int i = k == 0 ? v : (int)k - 1;
            if (k > 0 && i == v) continue;
            if (!obs[i].dead || obs[i].date != obs[v].date || obs[i].death_place < 0) continue;
            if (out->place_from < 0) out->place_from = i;
            else if (obs[i].death_place != obs[out->place_from].death_place)
                add(conf, nconf, "death_place", out->place_from, i);
        }
    } else {
        v = 0;
        for (size_t i = 1; i < n; i++)
            if (obs[i].date > obs[v].date) v = (int)i;
        out->cause_from = -1;
        out->place_from = -1;
    }
    if (*nconf > before) out->conflict |= PN__CONFLICT_VITAL;
    out->vital_from = v;

    /* residence: the most recent observation that gives one */
    out->residence_from = -1;
    for (size_t i = 0; i < n; i++)
        if (obs[i].has_residence &&
            (out->residence_from < 0 || obs[i].date > obs[out->residence_from].date))
            out->residence_from = (int)i;
}
