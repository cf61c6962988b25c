/* fuzz_csv.c - libFuzzer target for the CSV reader: any bytes must give rows or a clean error,
 * and reading them over ranges (csv.h, as the threaded drivers do, cuts picked by the input)
 * must give the same rows and the same error as reading them whole, and the fast path the rows
 * and the error of the general path. */
#include "pn_fuzz.h"
#include "pn_csvrange.h"
#include "pronostic/csv.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* The rows over 2 to 4 ranges (as the input's second byte says) cut where its third to fifth
 * bytes say. */
static void check_ranges(const uint8_t *data, size_t size, const pn_csv_opts *opts)
{
    if (size < 5) return; /* data[1] to data[4] pick the cuts */
    size_t nparts = 2 + data[1] % 3;
    unsigned long long cuts[5] = {0};
    for (size_t k = 1; k < nparts; k++) cuts[k] = (unsigned long long)size * data[1 + k] / 255;
    for (size_t k = 2; k < nparts; k++)
        if (cuts[k] < cuts[k - 1]) cuts[k] = cuts[k - 1];
    pn_rowtext whole = {0}, ranges = {0};
    size_t proven;
    pn_rowtext_whole(&whole, (const char *)data, size, opts);
    pn_rowtext_ranges(&ranges, (const char *)data, size, opts, cuts, nparts, &proven);
    if ((whole.s == NULL) != (ranges.s == NULL) ||
        (whole.s != NULL && strcmp(whole.s, ranges.s) != 0))
        abort();
    free(whole.s);
    free(ranges.s);
}

/* The rows read with the fast path (rows without quotes) are those of the general path. */
static void check_general_path(const uint8_t *data, size_t size, const pn_csv_opts *opts)
{
    pn_csv_opts general = *opts;
    general.general_path = 1;
    pn_rowtext fast = {0}, slow = {0};
    pn_rowtext_whole(&fast, (const char *)data, size, opts);
    pn_rowtext_whole(&slow, (const char *)data, size, &general);
    if ((fast.s == NULL) != (slow.s == NULL) || (fast.s != NULL && strcmp(fast.s, slow.s) != 0))
        abort();
    free(fast.s);
    free(slow.s);
}

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
    check_ranges(data, size, &opts);
    check_general_path(data, size, &opts);
    return total == (size_t)-1;
}
