/* fuzz_ratetable.c - libFuzzer target for the life-table loader and look-ups: any bytes give a
 * checked table or a clean error; on a table, hazards and cumulative hazards at points drawn
 * from the input are finite, non-negative and non-decreasing in time. */
#include "pn_fuzz.h"
#include "pronostic/ratetable.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn_ratetable *rt = NULL;
    pn_diag diag = {0};
    if (pn_ratetable_load_mem(&rt, "fuzz.csv", (const char *)data, size, &diag) != PN_OK) return 0;
    for (size_t i = 0; i + 4 <= size && i < 64; i += 4) {
        int sex = data[i] & 1;
        double age = (double)data[i + 1] * 200.0;        /* 0 .. 51000 days */
        double date = ((double)data[i + 2] - 128) * 400; /* 1935 .. 2109 */
        double t = (double)data[i + 3] * 40.0;
        unsigned flags = 0;
        double h = pn_ratetable_hazard(rt, sex, age, date, &flags);
        if (!(h >= 0) || !isfinite(h)) abort();
        pn_rate_cursor c;
        pn_rate_cursor_init(&c, rt, sex, age, date);
        double a = pn_rate_cursor_cumhaz(&c, t / 2), b = pn_rate_cursor_cumhaz(&c, t);
        if (!(a >= 0 && b >= a) || !isfinite(b)) abort();
        double whole = pn_ratetable_cumhaz(rt, sex, age, date, t, NULL);
        if (!(fabs(whole - b) <= 1e-9 * (1 + b))) abort();
        pn_rate_cursor_init(&c, rt, sex, age, date);
        double h2 = pn_rate_cursor_hazard_at(&c, 0);
        if (h2 != h) abort();
    }
    pn_ratetable_free(rt);
    return 0;
}
