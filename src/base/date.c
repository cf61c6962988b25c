/* date.c - civil date arithmetic and strict ISO 8601 date parsing. */
#include "pronostic/date.h"
#include "pronostic/error.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms" (days_from_civil). */
int32_t pn_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void pn_civil_from_days(int32_t days, int *y, int *m, int *d)
{
    const int z = days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)yoe + era * 400 + (mm <= 2);
    *m = (int)mm;
    *d = (int)dd;
}

int pn_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int pn_days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && pn_is_leap(y) ? 29 : len[m - 1];
}

int pn_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= pn_days_in_month(y, m);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int pn_date_parse(const char *s, size_t len, int allow_month, int32_t *days, int *precision)
{
    int y, m, d = 15, prec = PN_DATE_MONTH;
    if (len != 10 && !(allow_month && len == 7)) return PN_EPARSE;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m)) return PN_EPARSE;
    if (len == 10) {
        if (s[7] != '-' || !digits(s + 8, 2, &d)) return PN_EPARSE;
        prec = PN_DATE_DAY;
    }
    if (!pn_date_valid(y, m, d)) return PN_EPARSE;
    *days = pn_days_from_civil(y, m, d);
    if (precision != NULL) *precision = prec;
    return PN_OK;
}

void pn_date_format(int32_t days, char buf[static 11])
{
    int y, m, d;
    pn_civil_from_days(days, &y, &m, &d);
    /* each field is range-limited by construction, so the output is exactly 10 characters */
    buf[0] = (char)('0' + y / 1000 % 10);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

double pn_decimal_year(int32_t days)
{
    int y, m, d;
    pn_civil_from_days(days, &y, &m, &d);
    const int32_t jan1 = pn_days_from_civil(y, 1, 1);
    return y + (double)(days - jan1) / (pn_is_leap(y) ? 366.0 : 365.0);
}

int32_t pn_date_today(void)
{
    return (int32_t)(time(NULL) / 86400);
}

int32_t pn_date_today_env(void)
{
    const char *env = getenv("PRONOSTIC_TODAY");
    int32_t d;
    if (env != NULL && pn_date_parse(env, strlen(env), 0, &d, NULL) == PN_OK) return d;
    return pn_date_today();
}
