/* fuzz_csv.c - libFuzzer target for the CSV reader: any bytes must give rows or a clean error. */
#include "pn_fuzz.h"
#include "pronostic/csv.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn_csv *csv = NULL;
    pn_diag diag = {0};
    /* the first byte also picks reads of 1 to 64 bytes, so rows straddle buffer refills */
    pn_csv_opts opts = {.max_row_bytes = 4096, .check_utf8 = size > 0 && (data[0] & 1),
                        .read_bytes = size > 0 ? 1 + (data[0] >> 2) : 0};
    if (pn_csv_open_mem(&csv, "fuzz.csv", (const char *)data, size, &opts, &diag) != PN_OK)
        return 0;
    size_t total = 0;
    while (pn_csv_next(csv, &diag) > 0) {
        for (size_t i = 0; i < pn_csv_nfields(csv); i++) {
            size_t len;
            const char *f = pn_csv_field(csv, i, &len);
            total += len + (size_t)(f[len] == '\0');
            (void)pn_csv_missing(csv, i);
        }
        (void)pn_csv_require_width(csv, &diag);
    }
    pn_csv_close(csv);
    return total == (size_t)-1;
}
