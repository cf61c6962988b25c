/* svg_internal.h - what the SVG writers of publish/ share (svg_buf.c): a growing text buffer
 * with XML escaping and 0.1 px coordinates, the document's opening, and the palettes.
 * Private to src/publish/svg_*.c.
 */
#ifndef PN_SVG_INTERNAL_H
#define PN_SVG_INTERNAL_H

#include "pronostic/error.h"

#include <stddef.h>

/* A document being written: the buffer is owned by the pn__svgbuf until pn__svg_finish hands
 * it over. The first failure (out of memory, too large) sticks in `err`; later appends do
 * nothing, so writers check once at the end. */
typedef struct pn__svgbuf {
    char *p;
    size_t len, cap;
    int err;
} pn__svgbuf;

/* The largest document written (256 MiB): beyond it, PN_ETOOBIG. */
#define PN__SVG_MAX ((size_t)256 << 20)

void pn__svg_init(pn__svgbuf *b);
/* Append `n` bytes of `s` as they are (markup written by the module). */
void pn__svg_put(pn__svgbuf *b, const char *s, size_t n);
void pn__svg_puts(pn__svgbuf *b, const char *s);
/* Append printf-style markup (numbers as integers only: the locale never shows). */
void pn__svg_printf(pn__svgbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append a caller's text escaped for XML content or an attribute value: & < > " ' as entities,
 * invalid UTF-8, control bytes other than tab and line feed, U+FFFE and U+FFFF as U+FFFD.
 * NULL appends nothing. */
void pn__svg_text(pn__svgbuf *b, const char *s);
/* Append v rounded to 0.1 ("12.3", "-4", "0"), '.' decimal point whatever the locale. */
void pn__svg_num(pn__svgbuf *b, double v);
/* Append <line ATTRS x1=".." y1=".." x2=".." y2=".."/> (attrs: markup, may be ""). */
void pn__svg_line(pn__svgbuf *b, const char *attrs, double x1, double y1, double x2, double y2);
/* Append <text ATTRS x=".." y="..">TEXT</text>, the caller's text escaped. */
void pn__svg_text_at(pn__svgbuf *b, const char *attrs, double x, double y, const char *text);
/* The document's first lines: the XML declaration and the <svg> element of width x height
 * with role="img" and aria-label=title, then <title> and <desc>: the caller writes the rest
 * and "</svg>". */
void pn__svg_open(pn__svgbuf *b, double width, double height, const char *title,
                  const char *desc);
/* Hand the text to the caller (*out, pn_free; *len) and return PN_OK, or free it and return
 * the sticky error (PN_ENOMEM, PN_ETOOBIG) with a message in diag naming `what`. */
int pn__svg_finish(pn__svgbuf *b, char **out, size_t *len, const char *what,
                   pn_diag *diag);
/* The number of characters (code points) of UTF-8 text s, for estimating its width. */
size_t pn__svg_chars(const char *s);

/* Colours. Okabe-Ito (Okabe and Ito 2008), ordered for contrast against white: line i uses
 * pn__svg_okabe_ito[i % 8]. The map's five classes, light to dark: viridis (van der Walt and
 * Smith 2015), sampled at 5 evenly spaced points. Text: PN__SVG_INK on white (about 15:1). */
extern const char *const pn__svg_okabe_ito[8];
extern const char *const pn__svg_seq5[5];
#define PN__SVG_INK "#222222"
#define PN__SVG_MUTED "#595959"   /* secondary text: 7:1 on white */
#define PN__SVG_GRID "#d9d9d9"

#endif
