/* svg_buf.c - the text of an SVG document as it grows: markup, escaped texts, coordinates at
 * 0.1 px, the document's opening; the palettes; and the French number format of svg.h.
 */
#include "svg_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/num.h"
#include "pronostic/svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const pn__svg_okabe_ito[8] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                          "#E69F00", "#56B4E9", "#000000", "#F0E442"};
const char *const pn__svg_seq5[5] = {"#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"};

void pn__svg_init(pn__svgbuf *b)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->err = PN_OK;
}

/* Room for `n` more bytes and a NUL; 0, or -1 after setting the sticky error. */
static int reserve(pn__svgbuf *b, size_t n)
{
    if (b->err != PN_OK) return -1;
    if (n > PN__SVG_MAX - b->len) {
        b->err = PN_ETOOBIG;
        return -1;
    }
    if (b->len + n + 1 > b->cap) {
        void *p = b->p;
        size_t cap = b->cap;
        if (pn_grow(&p, &cap, b->len + n + 1 < 4096 ? 4096 : b->len + n + 1, 1) != PN_OK) {
            b->err = PN_ENOMEM;
            return -1;
        }
        b->p = p;
        b->cap = cap;
    }
    return 0;
}

void pn__svg_put(pn__svgbuf *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void pn__svg_puts(pn__svgbuf *b, const char *s)
{
    pn__svg_put(b, s, strlen(s));
}

void pn__svg_printf(pn__svgbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (b->err == PN_OK) b->err = PN_EINTERNAL;
        return;
    }
    if ((size_t)n < sizeof small) {
        pn__svg_put(b, small, (size_t)n);
        return;
    }
    if (reserve(b, (size_t)n) != 0) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void pn__svg_text(pn__svgbuf *b, const char *s)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    if (s == NULL) return;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        default: break;
        }
        if (rep != NULL) {
            pn__svg_puts(b, rep);
            i++;
            continue;
        }
        if (c < 0x20 && c != '\t' && c != '\n') {
            pn__svg_put(b, fffd, 3);
            i++;
            continue;
        }
        size_t k = pn_utf8_seqlen(s + i, n - i);
        if (k == 0) {
            pn__svg_put(b, fffd, 3);
            i++;
            continue;
        }
        if (k == 3 && c == 0xEF && (unsigned char)s[i + 1] == 0xBF &&
            ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
            pn__svg_put(b, fffd, 3); /* U+FFFE, U+FFFF: not XML characters */
        } else {
            pn__svg_put(b, s + i, k);
        }
        i += k;
    }
}

/* Digits of the non-negative integer m into buf (at least 21 bytes), grouped by `sep` (NULL:
 * none) from 10 000 up; returns the length. */
static size_t integer_digits(unsigned long long m, const char *sep, char *buf)
{
    char rev[24];
    size_t nd = 0;
    do {
        rev[nd++] = (char)('0' + m % 10);
        m /= 10;
    } while (m > 0);
    size_t len = 0, seplen = sep ? strlen(sep) : 0;
    int group = sep != NULL && nd >= 5;
    for (size_t i = nd; i-- > 0;) {
        buf[len++] = rev[i];
        if (group && i > 0 && i % 3 == 0) {
            memcpy(buf + len, sep, seplen);
            len += seplen;
        }
    }
    buf[len] = '\0';
    return len;
}

void pn__svg_num(pn__svgbuf *b, double v)
{
    char buf[48];
    if (!isfinite(v) || fabs(v) > 1e12) v = 0; /* never reached by checked geometry */
    long long t = llround(v * 10);
    unsigned long long m = t < 0 ? (unsigned long long)(-t) : (unsigned long long)t;
    size_t k = 0;
    if (t < 0) buf[k++] = '-';
    k += integer_digits(m / 10, NULL, buf + k);
    if (m % 10 != 0) {
        buf[k++] = '.';
        buf[k++] = (char)('0' + m % 10);
    }
    pn__svg_put(b, buf, k);
}

void pn_svg_format_fr(double v, int decimals, int percent, char *buf, size_t len)
{
    static const char minus[] = "\xE2\x88\x92", thin[] = "\xE2\x80\xAF";
    char out[96];
    size_t k = 0;
    if (len == 0) return;
    if (decimals < 0) decimals = 0;
    if (decimals > 9) decimals = 9;
    if (percent) v *= 100;
    if (!isfinite(v)) {
        snprintf(buf, len, "n.d.");
        return;
    }
    double p10 = 1;
    for (int i = 0; i < decimals; i++) p10 *= 10;
    double scaled = fabs(v) * p10;
    if (scaled < 1e18) {
        unsigned long long m = (unsigned long long)llround(scaled);
        if (v < 0 && m > 0) {
            memcpy(out, minus, 3);
            k = 3;
        }
        unsigned long long ip = m, fp = 0, pw = 1;
        for (int i = 0; i < decimals; i++) pw *= 10;
        ip = m / pw;
        fp = m % pw;
        k += integer_digits(ip, thin, out + k);
        if (decimals > 0) {
            out[k++] = ',';
            for (int i = decimals; i-- > 0;) {
                unsigned long long d = fp;
                for (int j = 0; j < i; j++) d /= 10;
                out[k++] = (char)('0' + d % 10);
            }
        }
    } else {
        /* beyond 1e18: whole digits as printf gives them, with the same sign */
        int n = snprintf(out + 3, sizeof out - 8, "%.0f", fabs(v));
        if (n < 0) n = 0;
        if (v < 0) {
            memcpy(out, minus, 3);
            k = 3 + (size_t)n;
        } else {
            memmove(out, out + 3, (size_t)n);
            k = (size_t)n;
        }
    }
    if (percent) {
        memcpy(out + k, " %", 2);
        k += 2;
    }
    out[k] = '\0';
    snprintf(buf, len, "%s", out);
}

size_t pn__svg_chars(const char *s)
{
    size_t n = 0;
    for (; s != NULL && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

void pn__svg_line(pn__svgbuf *b, const char *attrs, double x1, double y1, double x2, double y2)
{
    pn__svg_puts(b, "<line ");
    pn__svg_puts(b, attrs);
    const double v[4] = {x1, y1, x2, y2};
    static const char *const names[4] = {" x1=\"", "\" y1=\"", "\" x2=\"", "\" y2=\""};
    for (int i = 0; i < 4; i++) {
        pn__svg_puts(b, names[i]);
        pn__svg_num(b, v[i]);
    }
    pn__svg_puts(b, "\"/>\n");
}

void pn__svg_text_at(pn__svgbuf *b, const char *attrs, double x, double y, const char *text)
{
    pn__svg_puts(b, "<text ");
    pn__svg_puts(b, attrs);
    pn__svg_puts(b, " x=\"");
    pn__svg_num(b, x);
    pn__svg_puts(b, "\" y=\"");
    pn__svg_num(b, y);
    pn__svg_puts(b, "\">");
    pn__svg_text(b, text);
    pn__svg_puts(b, "</text>\n");
}

void pn__svg_open(pn__svgbuf *b, double width, double height, const char *title,
                  const char *desc)
{
    pn__svg_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    pn__svg_num(b, width);
    pn__svg_puts(b, "\" height=\"");
    pn__svg_num(b, height);
    pn__svg_puts(b, "\" viewBox=\"0 0 ");
    pn__svg_num(b, width);
    pn__svg_puts(b, " ");
    pn__svg_num(b, height);
    pn__svg_puts(b, "\" role=\"img\" aria-label=\"");
    pn__svg_text(b, title);
    pn__svg_puts(b, "\" font-family=\"sans-serif\" font-size=\"12\" fill=\"" PN__SVG_INK "\">\n"
                    "<title>");
    pn__svg_text(b, title);
    pn__svg_puts(b, "</title>\n<desc>");
    pn__svg_text(b, desc);
    pn__svg_puts(b, "</desc>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
}

int pn__svg_finish(pn__svgbuf *b, char **out, size_t *len, const char *what, pn_diag *diag)
{
    *out = NULL;
    if (len) *len = 0;
    if (b->err != PN_OK) {
        int rc = b->err;
        pn_free(b->p);
        pn__svg_init(b);
        if (rc == PN_ETOOBIG)
            return pn_diag_set(diag, rc, "%s: the SVG document would exceed 256 MiB", what);
        return pn_diag_set(diag, rc, "%s: %s", what, pn_strerror(rc));
    }
    if (b->p == NULL) pn__svg_put(b, "", 0);
    if (b->err != PN_OK) return pn__svg_finish(b, out, len, what, diag);
    *out = b->p;
    if (len) *len = b->len;
    pn__svg_init(b);
    return PN_OK;
}
