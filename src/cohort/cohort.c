/* cohort.c - extraction of a selection of the store into survival columns.
 *
 * One ordered scan of the tumours of the site (index tumours_site: site, pid, diagnosis date),
 * joined to their patients. The first row of each person is the first primary tumour of the
 * site; the later ones are left out before any other filter, so that a second tumour of the
 * same site never enters a period as if it were new. Follow-up: diagnosis date to the
 * vital-status date, cut at the closing date.
 */
#include "pronostic/cohort.h"
#include "pronostic/alloc.h"
#include "pronostic/date.h"
#include "pronostic/site.h"
#include "store/store_internal.h"

#include <string.h>

void pn_cohort_filter_init(pn_cohort_filter *f)
{
    memset(f, 0, sizeof *f);
    f->age_min = 0;
    f->age_max = 1e9;
    f->closing = PN_COHORT_CLOSING_AUTO;
}

void pn_cohort_free(pn_cohort *c)
{
    if (c == NULL) return;
    pn_free(c->time);
    pn_free(c->event);
    pn_free(c->age);
    pn_free(c->sex);
    pn_free(c->diag_date);
    pn_free(c->diag_year);
    pn_free(c->site);
    pn_free(c->departement);
    pn_free(c->region);
    pn_free(c->tumour);
    pn_free(c);
}

/* Grow every column to hold `need` rows. */
static int reserve(pn_cohort *c, size_t *cap, size_t need)
{
    if (need <= *cap) return PN_OK;
    size_t n = *cap ? *cap * 2 : 4096;
    while (n < need) n *= 2;
#define GROW(field)                                                                \
    do {                                                                           \
        void *p = pn_reallocarray(c->field, n, sizeof *c->field);                  \
        if (p == NULL) return PN_ENOMEM;                                           \
        c->field = p;                                                              \
    } while (0)
    GROW(time); GROW(event); GROW(age); GROW(sex); GROW(diag_date); GROW(diag_year);
    GROW(site); GROW(departement); GROW(region); GROW(tumour);
#undef GROW
    *cap = n;
    return PN_OK;
}

/* Index of a département code for a small lookup table: 1..95, 2A = 96, 2B = 97,
 * 971..976 = 98..103; 0 when not a département. */
static int dep_index(const char *code, size_t len)
{
    if (!pn_departement_valid(code, len)) return 0;
    if (len == 3) return 98 + (code[2] - '1');
    if (code[0] == '2' && code[1] == 'A') return 96;
    if (code[0] == '2' && code[1] == 'B') return 97;
    return (code[0] - '0') * 10 + (code[1] - '0');
}

static int latest_vital_date(sqlite3 *db, int32_t *out)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT max(vital_status_date) FROM patients", -1, &s, NULL) != SQLITE_OK)
        return PN_EDB;
    int rc = sqlite3_step(s) == SQLITE_ROW ? PN_OK : PN_EDB;
    *out = sqlite3_column_type(s, 0) == SQLITE_NULL ? 0 : sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return rc;
}

int pn_cohort_select(pn_store *store, const pn_cohort_filter *f, pn_cohort **out, pn_diag *diag)
{
    *out = NULL;
    if (f->site < 0 || f->site >= PN_SITE_COUNT || f->sex < 0 || f->sex > 2)
        return pn_diag_set(diag, PN_EINVAL, "invalid selection");
    sqlite3 *db = pn__store_db(store);
    pn_cohort *c = pn_calloc(1, sizeof *c);
    if (c == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    sqlite3_stmt *s = NULL;
    int rc = PN_OK;
    c->closing = f->closing;
    if (c->closing == PN_COHORT_CLOSING_AUTO && latest_vital_date(db, &c->closing) != PN_OK) {
        rc = pn__store_error(store, "reading the store", diag);
        goto fail;
    }
    /* regions of every département code, looked up once */
    int region_of[104] = {0};
    static const char *const outre_mer[] = {"971", "972", "973", "974", "975", "976"};
    for (int i = 1; i <= 95; i++) {
        char code[3] = {(char)('0' + i / 10), (char)('0' + i % 10), '\0'};
        region_of[i] = pn_region_of_departement(code);
    }
    region_of[96] = region_of[97] = pn_region_of_departement("2A");
    for (int i = 0; i < 6; i++) region_of[98 + i] = pn_region_of_departement(outre_mer[i]);

    const char *sql = f->site != PN_SITE_OTHER
        ? "SELECT t.tid, t.pid, t.diagnosis_date, t.site, p.sex, p.birth_date, p.vital_status,"
          " p.vital_status_date, p.residence, p.conflict FROM tumours t JOIN patients p"
          " ON p.pid = t.pid WHERE t.site = ?1 ORDER BY t.pid, t.diagnosis_date, t.tid"
        : "SELECT t.tid, t.pid, t.diagnosis_date, t.site, p.sex, p.birth_date, p.vital_status,"
          " p.vital_status_date, p.residence, p.conflict FROM tumours t JOIN patients p"
          " ON p.pid = t.pid WHERE ?1 = 0 ORDER BY t.pid, t.site, t.diagnosis_date, t.tid";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        rc = pn__store_error(store, "reading the store", diag);
        goto fail;
    }
    sqlite3_bind_int(s, 1, f->site);
    int32_t from = f->year_from ? pn_days_from_civil(f->year_from, 1, 1) : INT32_MIN;
    int32_t to = f->year_to ? pn_days_from_civil(f->year_to, 12, 31) : INT32_MAX;
    int want_dep = f->departement[0] != '\0';
    size_t cap = 0;
    int64_t last_pid = -1;
    int last_site = -1, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(s, 1);
        int site = sqlite3_column_int(s, 3);
        if (pid == last_pid && site == last_site) {
            c->n_later_primaries++;
            continue;
        }
        last_pid = pid;
        last_site = site;
        int32_t dx = sqlite3_column_int(s, 2);
        /* sources that disagree on who the patient is, or a diagnosis after the death another
         * source reports: left out, counted (pronostic quarantine --conflicts lists them) */
        if ((sqlite3_column_int(s, 9) & 1) ||
            (sqlite3_column_int(s, 6) == 1 && dx > sqlite3_column_int(s, 7))) {
            c->n_conflicts++;
            continue;
        }
        if (dx < from || dx > to) continue;
        int sex = sqlite3_column_int(s, 4);
        if (f->sex && sex != f->sex) continue;
        double age = (double)(dx - sqlite3_column_int(s, 5)) / PN_DAYS_PER_YEAR;
        if (age < f->age_min || age >= f->age_max) continue;
        const char *res = (const char *)sqlite3_column_text(s, 8);
        size_t rlen = res ? (size_t)sqlite3_column_bytes(s, 8) : 0;
        int di = res ? dep_index(res, rlen) : 0;
        if (want_dep && (di == 0 || strcmp(res, f->departement) != 0)) continue;
        if (f->region && region_of[di] != f->region) continue;
        if (dx > c->closing) {
            c->n_after_closing++;
            continue;
        }
        if (reserve(c, &cap, c->n + 1) != PN_OK) {
            rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
            goto fail;
        }
        int32_t vs_date = sqlite3_column_int(s, 7);
        int dead = sqlite3_column_int(s, 6) == 1 && vs_date <= c->closing;
        int32_t end = vs_date < c->closing ? vs_date : c->closing;
        size_t i = c->n++;
        c->time[i] = (double)(end - dx);
        c->event[i] = dead;
        c->age[i] = age;
        c->sex[i] = sex;
        c->diag_date[i] = dx;
        c->diag_year[i] = pn_decimal_year(dx);
        c->site[i] = site;
        memset(c->departement[i], 0, sizeof c->departement[i]);
        if (di) memcpy(c->departement[i], res, rlen);
        c->region[i] = region_of[di];
        c->tumour[i] = sqlite3_column_int64(s, 0);
    }
    if (step != SQLITE_DONE) {
        rc = pn__store_error(store, "reading the store", diag);
        goto fail;
    }
    sqlite3_finalize(s);
    *out = c;
    return PN_OK;
fail:
    sqlite3_finalize(s);
    pn_cohort_free(c);
    return rc;
}
