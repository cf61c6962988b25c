/* wire.c - the little-endian byte format of serialised states: a growing writer and a bounded
 * reader that refuses truncated, oversized or inconsistent input with a message (wire.h). */
#include "pronostic/wire.h"
#include "pronostic/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void put(pn_wire_writer *w, const unsigned char *b, size_t n)
{
    if (w->rc != PN_OK) return;
    if (w->len + n > w->cap) {
        if (pn_grow((void **)&w->buf, &w->cap, w->len + n, 1) != PN_OK) {
            w->rc = PN_ENOMEM;
            return;
        }
    }
    memcpy(w->buf + w->len, b, n);
    w->len += n;
}

static void le64(unsigned char b[8], uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

void pn_wire_begin(pn_wire_writer *w, uint32_t magic, uint32_t version)
{
    w->buf = NULL;
    w->len = w->cap = 0;
    w->rc = PN_OK;
    pn_wire_put_u32(w, magic);
    pn_wire_put_u32(w, version);
    pn_wire_put_u64(w, 0); /* the payload length, filled in by pn_wire_end */
}

void pn_wire_put_u32(pn_wire_writer *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(w, b, 4);
}

void pn_wire_put_u64(pn_wire_writer *w, uint64_t v)
{
    unsigned char b[8];
    le64(b, v);
    put(w, b, 8);
}

void pn_wire_put_f64(pn_wire_writer *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    pn_wire_put_u64(w, bits);
}

void pn_wire_put_f64s(pn_wire_writer *w, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pn_wire_put_f64(w, v[i]);
}

int pn_wire_end(pn_wire_writer *w, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (w->rc != PN_OK || w->len < PN_WIRE_HEADER) {
        pn_free(w->buf);
        w->buf = NULL;
        return PN_ENOMEM;
    }
    le64(w->buf + 8, (uint64_t)(w->len - PN_WIRE_HEADER));
    *out = w->buf;
    *len = w->len;
    w->buf = NULL;
    return PN_OK;
}

int pn_wire_fail(pn_wire_reader *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pn_diag_set(r->diag, PN_EPARSE, "%s at byte %zu: %s", r->what, r->off, msg);
}

static int need(pn_wire_reader *r, size_t n)
{
    if (r->len - r->off >= n) return PN_OK;
    return pn_wire_fail(r, "truncated: %zu bytes needed, %zu left", n, r->len - r->off);
}

static uint64_t rd64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

int pn_wire_get_u32(pn_wire_reader *r, uint32_t *v)
{
    int rc = need(r, 4);
    if (rc != PN_OK) return rc;
    const unsigned char *b = r->p + r->off;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    r->off += 4;
    return PN_OK;
}

int pn_wire_get_u64(pn_wire_reader *r, uint64_t *v)
{
    int rc = need(r, 8);
    if (rc != PN_OK) return rc;
    *v = rd64(r->p + r->off);
    r->off += 8;
    return PN_OK;
}

int pn_wire_get_f64(pn_wire_reader *r, double *v)
{
    uint64_t bits;
    int rc = pn_wire_get_u64(r, &bits);
    if (rc == PN_OK) memcpy(v, &bits, sizeof *v);
    return rc;
}

int pn_wire_get_f64s(pn_wire_reader *r, double *v, size_t n)
{
    if (n > (r->len - r->off) / 8)
        return pn_wire_fail(r, "truncated: %zu doubles needed, %zu bytes left", n, r->len - r->off);
    for (size_t i = 0; i < n; i++) {
        uint64_t bits = rd64(r->p + r->off + 8 * i);
        memcpy(&v[i], &bits, sizeof bits);
    }
    r->off += 8 * n;
    return PN_OK;
}

int pn_wire_get_count(pn_wire_reader *r, size_t size, size_t *n)
{
    uint64_t c;
    size_t at = r->off;
    int rc = pn_wire_get_u64(r, &c);
    if (rc != PN_OK) return rc;
    size_t left = r->len - r->off;
    if (size == 0 || c > left / size) {
        r->off = at;
        return pn_wire_fail(r, "a count of %llu items of %zu bytes, beyond the %zu bytes left",
                            (unsigned long long)c, size, left);
    }
    *n = (size_t)c;
    return PN_OK;
}

int pn_wire_close(pn_wire_reader *r)
{
    if (r->off == r->len) return PN_OK;
    return pn_wire_fail(r, "%zu trailing bytes after the state", r->len - r->off);
}

int pn_wire_open(pn_wire_reader *r, const void *buf, size_t len, uint32_t magic, uint32_t version,
                 const char *what, pn_diag *diag)
{
    r->p = buf;
    r->len = buf == NULL ? 0 : len;
    r->off = 0;
    r->what = what;
    r->diag = diag;
    uint32_t m, v;
    uint64_t payload;
    if (r->len < PN_WIRE_HEADER)
        return pn_wire_fail(r, "truncated: %zu bytes, shorter than the %d-byte header", r->len,
                            PN_WIRE_HEADER);
    pn_wire_get_u32(r, &m);
    pn_wire_get_u32(r, &v);
    if (m != magic) {
        r->off = 0;
        return pn_wire_fail(r, "not such a state (magic 0x%08x, expected 0x%08x)", m, magic);
    }
    if (v != version) {
        r->off = 4;
        return pn_wire_fail(r, "version %u, this build reads version %u", v, version);
    }
    pn_wire_get_u64(r, &payload);
    if (payload != (uint64_t)(r->len - PN_WIRE_HEADER)) {
        r->off = 8;
        return pn_wire_fail(r, "the header gives a payload of %llu bytes, %zu are given (%s)",
                            (unsigned long long)payload, r->len - PN_WIRE_HEADER,
                            payload > (uint64_t)(r->len - PN_WIRE_HEADER) ? "truncated"
                                                                          : "oversized");
    }
    return PN_OK;
}
