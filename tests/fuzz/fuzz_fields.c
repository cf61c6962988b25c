/* fuzz_fields.c - libFuzzer target for the field parsers: numbers, integers, dates, UTF-8.
 * Any bytes must give a value or a clean error; a parsed number must be finite, and a parsed
 * date must format back to the same text. */
#include "pn_fuzz.h"
#include "pronostic/date.h"
#include "pronostic/error.h"
#include "pronostic/num.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    double v;
    if (pn_parse_double(s, size, &v) == PN_OK && !isfinite(v)) abort();
    int64_t i;
    (void)pn_parse_int64(s, size, &i);
    int32_t days;
    int precision;
    if (pn_date_parse(s, size, 1, &days, &precision) == PN_OK && precision == PN_DATE_DAY) {
        char buf[11];
        pn_date_format(days, buf);
        if (size != 10 || memcmp(buf, s, 10) != 0) abort();
    }
    (void)pn_utf8_valid(s, size);
    return 0;
}
