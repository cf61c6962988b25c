/* num.c - strict number parsing: plain integers of up to 15 digits directly, then an exact fast
 * path (Clinger) with strtod as the fallback. */
#include "pronostic/num.h"
#include "pronostic/alloc.h"
#include "pronostic/error.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

/* Validate the grammar [+-]digits[.digits][(e|E)[+-]digits] and try the exact fast path:
 * a mantissa below 2^53 times an exactly representable power of ten is correctly rounded by
 * one IEEE multiplication or division. Returns 1 (done), 0 (valid, use strtod), -1 (invalid). */
static int parse_fast(const char *p, const char *end, double *out)
{
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) neg = (*p++ == '-');
    uint64_t mant = 0;
    int ndig = 0, exp10 = 0, any = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++, any = 1) {
        if (ndig < 19) {
            mant = mant * 10 + (uint64_t)(*p - '0');
            if (mant) ndig++;
        } else {
            exp10++;
        }
    }
    if (p < end && *p == '.') {
        p++;
        for (; p < end && *p >= '0' && *p <= '9'; p++, any = 1) {
            if (ndig < 19) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                if (mant) ndig++;
                exp10--;
            }
        }
    }
    if (!any) return -1;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0, e = 0, edig = 0;
        if (p < end && (*p == '+' || *p == '-')) eneg = (*p++ == '-');
        for (; p < end && *p >= '0' && *p <= '9'; p++, edig++)
            if (e < 100000) e = e * 10 + (*p - '0');
        if (!edig) return -1;
        exp10 += eneg ? -e : e;
    }
    if (p != end) return -1;
    if (ndig >= 19 || mant > (UINT64_C(1) << 53)) return 0;
    double v = (double)mant;
    if (mant == 0) v = 0.0;
    else if (exp10 >= 0 && exp10 <= 22) v *= pow10_exact[exp10];
    else if (exp10 < 0 && exp10 >= -22) v /= pow10_exact[-exp10];
    else return 0;
    *out = neg ? -v : v;
    return 1;
}

int pn_parse_double(const char *s, size_t len, double *out)
{
    if (len - 1 < 15) { /* 1 to 15 digits, nothing else: the integer, exact in a double (as the
                           fast path below would give it) */
        uint64_t v = 0;
        size_t i = 0;
        for (; i < len; i++) {
            unsigned d = (unsigned)(unsigned char)s[i] - '0';
            if (d > 9) break;
            v = v * 10 + d;
        }
        if (i == len) {
            *out = (double)v;
            return PN_OK;
        }
    }
    trim(&s, &len);
    if (len == 0) return PN_EPARSE;
    int r = parse_fast(s, s + len, out);
    if (r < 0) return PN_EPARSE;
    if (r > 0) return PN_OK;
    char stackbuf[128];
    char *buf = len < sizeof stackbuf ? stackbuf : pn_strndup(s, len);
    if (buf == NULL) return PN_ENOMEM;
    if (buf == stackbuf) {
        memcpy(buf, s, len);
        buf[len] = '\0';
    }
    errno = 0;
    char *end = NULL;
    double v = strtod(buf, &end);
    int rc = PN_OK;
    if (end != buf + len) rc = PN_EPARSE;
    else if (errno == ERANGE && fabs(v) > 1.0) rc = PN_ERANGE;  /* underflow to 0 is fine */
    else if (!isfinite(v)) rc = PN_ERANGE;
    if (buf != stackbuf) pn_free(buf);
    if (rc == PN_OK) *out = v;
    return rc;
}

int pn_parse_int64(const char *s, size_t len, int64_t *out)
{
    trim(&s, &len);
    if (len == 0) return PN_EPARSE;
    size_t i = 0;
    int neg = 0;
    if (s[0] == '+' || s[0] == '-') neg = (s[i++] == '-');
    if (i == len) return PN_EPARSE;
    uint64_t v = 0;
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return PN_EPARSE;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (limit - d) / 10) return PN_ERANGE;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return PN_OK;
}

int pn_parse_double_list(const char *s, double **values, size_t *count)
{
    double *v = NULL;
    size_t n = 0, cap = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (pn_grow((void **)&v, &cap, n + 1, sizeof *v) != PN_OK) {
            pn_free(v);
            return PN_ENOMEM;
        }
        int rc = pn_parse_double(p, len, &v[n]);
        if (rc != PN_OK) {
            pn_free(v);
            return rc;
        }
        n++;
        if (comma == NULL) break;
        p = comma + 1;
    }
    *values = v;
    *count = n;
    return PN_OK;
}

size_t pn_utf8_seqlen(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0 || s[0] == 0) return 0;
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, cp = c & 0x07;
    else return 0;
    if (len <= n) return 0;
    for (size_t k = 1; k <= n; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return n + 1;
}

int pn_utf8_valid(const char *str, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = pn_utf8_seqlen(str + i, len - i);
        if (n == 0) return 0;
        i += n;
    }
    return 1;
}

const char *pn_text_shown(const char *s, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; s[i] != '\0' && o + 8 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i >= 40) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c == 0xEF && (unsigned char)s[i + 1] == 0xBB && (unsigned char)s[i + 2] == 0xBF) {
            memcpy(buf + o, "\\uFEFF", 6);
            o += 6;
            i += 2;
        } else if (c < 0x20 || c == 0x7F) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o] = '\0';
    return buf;
}

int pn_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
