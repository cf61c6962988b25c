/* ratetable.h - population life tables: daily hazards by age, sex and calendar year.
 *
 * A table is loaded from a CSV with columns age,sex,year,value in any order (integer age in
 * completed years, sex male|female|M|F|1|2, integer calendar year, value a daily hazard), and
 * checked on load: every (age, sex, year) of the covered rectangle present exactly once, ages
 * and years contiguous, every rate finite and non-negative (relsurv's slopop has
 * zero rates where a small population saw no death). `fr` names the bundled French INSEE
 * table (data/fr_life_table_insee.csv), `slopop` the bundled Slovenian table of R's relsurv.
 *
 * Time scales are those of R's ratetables: age in days, with the hazard changing at ages
 * k * 365.241 days (PN_DAYS_PER_YEAR); calendar time as a day number (days since 1970-01-01,
 * see date.h), with the hazard changing on January 1st. A point (age, date) lies in the cell of
 * the last age cut <= age and the last year cut <= date; beyond the table's edges the first or
 * last age or year is carried (as R's relsurv does), and the lookup sets a flag so callers can
 * warn once.
 */
#ifndef PRONOSTIC_RATETABLE_H
#define PRONOSTIC_RATETABLE_H

#include "pronostic/error.h"
#include "pronostic/sex.h"

#include <stddef.h>

typedef struct pn_ratetable pn_ratetable;


/* Flags set by lookups that left the table (OR-ed into a caller-owned unsigned). */
enum {
    PN_RATE_AGE_ABOVE = 1u,   /* an age beyond the last age: the last age was used */
    PN_RATE_YEAR_ABOVE = 2u,  /* a date after the last year: the last year was used */
    PN_RATE_YEAR_BELOW = 4u,  /* a date before the first year: the first year was used */
    PN_RATE_AGE_BELOW = 8u,   /* an age below the first age: the first age was used */
};


/* Load a table from the CSV at `path`. *out is owned by the caller (pn_ratetable_free).
 * Errors name file, line and column: PN_EIO, PN_ENOCOL, PN_EPARSE (bad number, bad sex,
 * a duplicate cell, a missing cell of the grid, a rate negative or not finite). */
int pn_ratetable_load_csv(pn_ratetable **out, const char *path, pn_diag *diag);

/* The same from `len` bytes in memory; `name` is used in messages (tests, fuzzing). */
int pn_ratetable_load_mem(pn_ratetable **out, const char *name, const char *data, size_t len,
                          pn_diag *diag);

/* `name` is "fr" (bundled INSEE table), "slopop" (bundled relsurv table) or a CSV path. */
int pn_ratetable_open(pn_ratetable **out, const char *name, pn_diag *diag);

void pn_ratetable_free(pn_ratetable *rt);

/* The covered ages (completed years) and calendar years, inclusive. */
void pn_ratetable_range(const pn_ratetable *rt, int *age_min, int *age_max, int *year_min,
                        int *year_max);

/* Daily hazard in the cell that contains (age_days, date_days) for `sex`. */
double pn_ratetable_hazard(const pn_ratetable *rt, int sex, double age_days, double date_days,
                           unsigned *flags);

/* Cumulative expected hazard over follow-up [0, t] (days) of a person of `sex` aged
 * `age_days` on day `date_days` at time 0, integrating the piecewise-constant hazard exactly
 * (it changes at age cuts and on January 1st). */
double pn_ratetable_cumhaz(const pn_ratetable *rt, int sex, double age_days, double date_days,
                           double t, unsigned *flags);

/* A cursor walks one person's follow-up forward in time, for hot loops. It is a small value
 * the caller owns (usually on the stack); it points into `rt`, which must outlive it. */
typedef struct pn_rate_cursor {
    const double *rates;     /* the person's sex slice: rates[iy * nage + ia] */
    const double *age_cut;   /* the table's age cuts (days) */
    const double *year_cut;  /* the table's year cuts (day numbers) */
    int nage, nyear;
    int ia, iy;              /* current cell */
    double age0, date0;      /* at follow-up time 0 */
    double age_end, year_end; /* the table's far edges (age in days, day number) */
    double t0;               /* follow-up time where the current cell was entered */
    double t1;               /* follow-up time where it ends (INFINITY at the table's corner) */
    double cum0;             /* cumulative hazard at t0 */
    double lambda;           /* current daily hazard */
    double next_age;         /* hazard_at: the current cell holds ages < next_age ... */
    double next_date;        /* ... and dates < next_date (edges or table ends, else INFINITY) */
    unsigned flags;          /* PN_RATE_* flags met so far */
} pn_rate_cursor;

/* Place the cursor at follow-up time 0. */
void pn_rate_cursor_init(pn_rate_cursor *c, const pn_ratetable *rt, int sex, double age_days,
                         double date_days);
/* Exact cumulative hazard at follow-up time t (t never smaller than in the previous call). */
double pn_rate_cursor_cumhaz(pn_rate_cursor *c, double t);
/* The daily hazard of the cell that contains the point age0 + t, date0 + t, located as R's
 * relsurv locates it (comparisons of age0 + t with the cuts); t never decreases. Inline: the
 * common case is one comparison per time scale. Do not mix with pn_rate_cursor_cumhaz on one
 * cursor. */
double pn__rate_cursor_move(pn_rate_cursor *c, double t);
static inline double pn_rate_cursor_hazard_at(pn_rate_cursor *c, double t)
{
    if (c->age0 + t < c->next_age && c->date0 + t < c->next_date) return c->lambda;
    return pn__rate_cursor_move(c, t);
}

#endif
