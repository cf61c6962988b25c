/* date.h - civil (proleptic Gregorian) dates as day numbers since 1970-01-01, ISO 8601 I/O.
 *
 * A date is an int32_t count of days since 1970-01-01 (negative before). Day arithmetic is then
 * plain integer arithmetic; calendar conversions use Howard Hinnant's civil-day algorithms.
 */
#ifndef PRONOSTIC_DATE_H
#define PRONOSTIC_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Days in a Julian year as R's relsurv and survival use to convert days to years. */
#define PN_DAYS_PER_YEAR 365.241

/* Precision of a parsed date. */
enum pn_date_precision { PN_DATE_DAY = 0, PN_DATE_MONTH = 1 };

/* Day number of y-m-d; the caller guarantees a valid date (see pn_date_valid). */
int32_t pn_days_from_civil(int y, int m, int d);
/* Inverse of pn_days_from_civil. */
void pn_civil_from_days(int32_t days, int *y, int *m, int *d);
/* 1 when y-m-d is a real calendar date with 1 <= y <= 9999. */
int pn_date_valid(int y, int m, int d);
int pn_is_leap(int y);
int pn_days_in_month(int y, int m);

/* Parse exactly `len` bytes of `s` as YYYY-MM-DD, or, when `allow_month` is set, YYYY-MM too
 * (then the day is taken as the 15th, the usual registry imputation, and *precision says so).
 * Returns PN_OK, or PN_EPARSE for anything else (extra characters, impossible dates).
 * `precision` may be NULL. */
int pn_date_parse(const char *s, size_t len, int allow_month, int32_t *days, int *precision);

/* Write "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void pn_date_format(int32_t days, char buf[static 11]);

/* The calendar year as a real number: year + (day of year - 1) / days in that year, the
 * convention of R's date::mdy.date-based ratetable lookups (a date of January 1st is exact). */
double pn_decimal_year(int32_t days);

/* Today's date in UTC. */
int32_t pn_date_today(void);
/* "Today" for the checks of dates in the future: the environment variable PRONOSTIC_TODAY
 * (YYYY-MM-DD) when it is set to a valid date, else pn_date_today(). */
int32_t pn_date_today_env(void);

#endif
