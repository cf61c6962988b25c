/* test_wire.c - unit tests of the byte format of serialised states (base/wire.c): values come
 * back bit for bit in little-endian order, and the reader refuses a short header, another
 * magic or version, a payload length that does not match, a read past the end, a count beyond
 * the buffer and trailing bytes, each with PN_EPARSE and a message naming the state and byte. */
#include "pn_test.h"
#include "pronostic/alloc.h"
#include "pronostic/wire.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAGIC PN_WIRE_MAGIC('T', 'E', 'S', 'T')

/* A state of a u32, a u64, three doubles and a count of 2 doubles. */
static int sample(unsigned char **buf, size_t *len)
{
    pn_wire_writer w;
    pn_wire_begin(&w, MAGIC, 3);
    pn_wire_put_u32(&w, 0x01020304u);
    pn_wire_put_u64(&w, 0x1122334455667788ull);
    double v[3] = {-0.0, INFINITY, 0.1};
    pn_wire_put_f64s(&w, v, 3);
    pn_wire_put_u64(&w, 2);
    pn_wire_put_f64(&w, 1.5);
    pn_wire_put_f64(&w, NAN);
    return pn_wire_end(&w, buf, len);
}

PN_TEST(values_come_back_bit_for_bit_little_endian)
{
    unsigned char *b = NULL;
    size_t len = 0;
    PN_CHECK(sample(&b, &len) == PN_OK && len == PN_WIRE_HEADER + 4 + 8 + 24 + 8 + 16);
    if (b == NULL) return;
    /* the header: "TEST", version 3, payload length; then 04 03 02 01 */
    PN_CHECK(memcmp(b, "TEST", 4) == 0 && b[4] == 3 && b[5] == 0 && b[8] == len - 16 && b[9] == 0);
    PN_CHECK(b[16] == 4 && b[17] == 3 && b[18] == 2 && b[19] == 1);
    PN_CHECK(b[20] == 0x88 && b[27] == 0x11);
    PN_CHECK(b[28 + 7] == 0x80 && b[28] == 0); /* -0: only the sign bit, in the last byte */
    pn_wire_reader r;
    pn_diag diag = {0};
    PN_CHECK(pn_wire_open(&r, b, len, MAGIC, 3, "test state", &diag) == PN_OK);
    uint32_t u;
    uint64_t q;
    double v[3], x, y;
    size_t n;
    PN_CHECK(pn_wire_get_u32(&r, &u) == PN_OK && u == 0x01020304u);
    PN_CHECK(pn_wire_get_u64(&r, &q) == PN_OK && q == 0x1122334455667788ull);
    PN_CHECK(pn_wire_get_f64s(&r, v, 3) == PN_OK);
    PN_CHECK(v[0] == 0 && signbit(v[0]) && isinf(v[1]) && v[2] == 0.1);
    PN_CHECK(pn_wire_get_count(&r, 8, &n) == PN_OK && n == 2);
    PN_CHECK(pn_wire_get_f64(&r, &x) == PN_OK && x == 1.5);
    PN_CHECK(pn_wire_get_f64(&r, &y) == PN_OK && isnan(y));
    PN_CHECK(pn_wire_close(&r) == PN_OK);
    pn_free(b);
}

PN_TEST(reader_refuses_bad_headers_and_lengths)
{
    unsigned char *b = NULL;
    size_t len = 0;
    PN_CHECK(sample(&b, &len) == PN_OK);
    if (b == NULL) return;
    pn_wire_reader r;
    pn_diag diag = {0};
    /* every truncation: the payload length no longer matches (or the header is short) */
    for (size_t cut = 0; cut < len; cut++) {
        pn_diag_clear(&diag);
        PN_CHECK(pn_wire_open(&r, b, cut, MAGIC, 3, "test state", &diag) == PN_EPARSE);
        PN_CHECK(diag.code == PN_EPARSE && strstr(diag.msg, "test state at byte") != NULL);
    }
    PN_CHECK(strstr(diag.msg, "truncated") != NULL);
    /* oversized: one byte more than the header says */
    unsigned char *big = pn_malloc(len + 1);
    memcpy(big, b, len);
    big[len] = 0;
    PN_CHECK(pn_wire_open(&r, big, len + 1, MAGIC, 3, "test state", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "oversized") != NULL);
    pn_free(big);
    PN_CHECK(pn_wire_open(&r, b, len, PN_WIRE_MAGIC('T', 'E', 'S', 'U'), 3, "s", &diag) ==
             PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "magic") != NULL);
    PN_CHECK(pn_wire_open(&r, b, len, MAGIC, 4, "s", &diag) == PN_EPARSE);
    PN_CHECK(strstr(diag.msg, "version 3") != NULL);
    b[8]++; /* a corrupted payload length */
    PN_CHECK(pn_wire_open(&r, b, len, MAGIC, 3, "s", &diag) == PN_EPARSE);
    b[8]--;
    /* a count beyond the buffer, a read past the end, trailing bytes */
    PN_CHECK(pn_wire_open(&r, b, len, MAGIC, 3, "s", &diag) == PN_OK);
    size_t n;
    PN_CHECK(pn_wire_get_count(&r, 1u << 20, &n) == PN_EPARSE && r.off == 16);
    PN_CHECK(strstr(diag.msg, "beyond") != NULL);
    double v[16];
    PN_CHECK(pn_wire_get_f64s(&r, v, 16) == PN_EPARSE && r.off == 16);
    PN_CHECK(pn_wire_close(&r) == PN_EPARSE && strstr(diag.msg, "trailing") != NULL);
    r.off = len - 4;
    uint64_t q;
    PN_CHECK(pn_wire_get_u64(&r, &q) == PN_EPARSE);
    PN_CHECK(pn_wire_open(&r, NULL, 0, MAGIC, 3, "s", &diag) == PN_EPARSE);
    pn_free(b);
}

PN_TEST_MAIN(PN_T(values_come_back_bit_for_bit_little_endian),
             PN_T(reader_refuses_bad_headers_and_lengths))
