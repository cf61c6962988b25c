/* svg_curves.c - survival curves as an SVG document (svg.h, pn_svg_curves): step curves with
 * their confidence bands, axes with French-formatted ticks, a reference line, a legend.
 */
#include "svg_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The plot area in pixels and the scales from data to it. */
typedef struct frame {
    double left, right, top, bottom; /* pixels */
    double x_max;                    /* x units at the right edge */
    double scale;                    /* days per x unit */
} frame;

static double fx(const frame *f, double days)
{
    return f->left + (days / f->scale) / f->x_max * (f->right - f->left);
}

static double fy(const frame *f, double s)
{
    if (s < 0) s = 0;
    if (s > 1) s = 1;
    return f->bottom - s * (f->bottom - f->top);
}

/* A step of 1, 2, 2.5 or 5 times a power of ten giving at most `most` intervals over `range`,
 * and the decimals its multiples need. */
static double nice_step(double range, int most, int *decimals)
{
    double raw = range / most, mag = pow(10, floor(log10(raw))), norm = raw / mag;
    double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
    *decimals = 0;
    while (*decimals < 6) {
        double p = step * pow(10, *decimals);
        if (fabs(p - round(p)) < 1e-9 * (p > 1 ? p : 1)) break;
        (*decimals)++;
    }
    return step;
}

/* Check series `k`: times finite, >= 0 and ascending, estimates in 0..1. */
static int check_series(const pn_svg_series *s, size_t k, pn_diag *diag)
{
    if (s->n > 0 && (s->time == NULL || s->estimate == NULL))
        return pn_diag_set(diag, PN_EINVAL, "series %zu: time or estimate is NULL", k);
    for (size_t i = 0; i < s->n; i++) {
        double t = s->time[i], e = s->estimate[i];
        if (!isfinite(t) || t < 0)
            return pn_diag_set(diag, PN_EINVAL, "series %zu: point %zu: time %g is not a finite "
                               "number >= 0", k, i, t);
        if (i > 0 && t < s->time[i - 1])
            return pn_diag_set(diag, PN_EINVAL, "series %zu: point %zu: time %g is before the "
                               "previous one (%g)", k, i, t, s->time[i - 1]);
        if (!(e >= 0 && e <= 1))
            return pn_diag_set(diag, PN_EINVAL, "series %zu: point %zu: estimate %g is not in "
                               "0..1", k, i, e);
    }
    return PN_OK;
}

/* The number of points of s at or before the right edge. */
static size_t points_shown(const frame *f, const pn_svg_series *s)
{
    size_t n = 0;
    while (n < s->n && s->time[n] / f->scale <= f->x_max * (1 + 1e-12)) n++;
    return n;
}

/* Lines 8 to 15 dashed, 16 to 23 dotted, and so on: the colours repeat after 8. */
static const char *const dashes[] = {"", " stroke-dasharray=\"8 4\"", " stroke-dasharray=\"2 3\""};

static void write_band(pn__svgbuf *b, const frame *f, const pn_svg_series *s, size_t k)
{
    size_t n = points_shown(f, s);
    int cut = n < s->n;
    if (s->lower == NULL || s->upper == NULL) return;
    size_t i = 0;
    while (i < n) {
        if (!isfinite(s->lower[i]) || !isfinite(s->upper[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < n && isfinite(s->lower[j + 1]) && isfinite(s->upper[j + 1])) j++;
        double end = j + 1 < n ? fx(f, s->time[j + 1])
                   : cut       ? f->right
                               : fx(f, s->time[j]);
        pn__svg_printf(b, "<path class=\"band\" data-series=\"%zu\" fill=\"%s\" "
                       "fill-opacity=\"0.2\" stroke=\"none\" d=\"M", k, pn__svg_okabe_ito[k % 8]);
        pn__svg_num(b, fx(f, s->time[i]));
        pn__svg_puts(b, " ");
        pn__svg_num(b, fy(f, s->upper[i]));
        for (size_t m = i + 1; m <= j; m++) {
            pn__svg_puts(b, "H");
            pn__svg_num(b, fx(f, s->time[m]));
            pn__svg_puts(b, "V");
            pn__svg_num(b, fy(f, s->upper[m]));
        }
        pn__svg_puts(b, "H");
        pn__svg_num(b, end);
        for (size_t m = j + 1; m-- > i;) {
            pn__svg_puts(b, "V");
            pn__svg_num(b, fy(f, s->lower[m]));
            pn__svg_puts(b, "H");
            pn__svg_num(b, fx(f, s->time[m]));
        }
        pn__svg_puts(b, "Z\"/>\n");
        i = j + 1;
    }
}

static void write_curve(pn__svgbuf *b, const frame *f, const pn_svg_series *s, size_t k)
{
    size_t n = points_shown(f, s);
    pn__svg_printf(b, "<path class=\"curve\" data-series=\"%zu\" fill=\"none\" stroke=\"%s\" "
                   "stroke-width=\"2\"", k, pn__svg_okabe_ito[k % 8]);
    pn__svg_puts(b, dashes[(k / 8) % 3]);
    pn__svg_puts(b, " d=\"M");
    pn__svg_num(b, fx(f, 0));
    pn__svg_puts(b, " ");
    pn__svg_num(b, fy(f, 1));
    double prev = 1;
    for (size_t i = 0; i < n; i++) {
        pn__svg_puts(b, "H");
        pn__svg_num(b, fx(f, s->time[i]));
        if (s->estimate[i] != prev) {
            pn__svg_puts(b, "V");
            pn__svg_num(b, fy(f, s->estimate[i]));
            prev = s->estimate[i];
        }
    }
    if (n < s->n) {
        pn__svg_puts(b, "H");
        pn__svg_num(b, f->right);
    }
    pn__svg_puts(b, "\"/>\n");
}

static void write_axes(pn__svgbuf *b, const frame *f, const pn_svg_curves_opts *o, double height)
{
    char num[48];
    /* y: 0 to 100 % by 25 %, with grid lines */
    for (int q = 0; q <= 4; q++) {
        double y = fy(f, q / 4.0);
        pn__svg_line(b, "stroke=\"" PN__SVG_GRID "\"", f->left, y, f->right, y);
        pn_svg_format_fr(q / 4.0, 0, 1, num, sizeof num);
        pn__svg_text_at(b, "class=\"ytick\" text-anchor=\"end\"", f->left - 6, y + 4, num);
    }
    /* x: 0 to x_max by a round step */
    int decimals;
    double step = nice_step(f->x_max, 8, &decimals);
    for (long k = 0; k * step <= f->x_max * (1 + 1e-9) && k <= 100; k++) {
        double x = fx(f, k * step * f->scale);
        pn__svg_line(b, "stroke=\"" PN__SVG_INK "\"", x, f->bottom, x, f->bottom + 5);
        pn_svg_format_fr(k * step, decimals, 0, num, sizeof num);
        pn__svg_text_at(b, "class=\"xtick\" text-anchor=\"middle\"", x, f->bottom + 18, num);
    }
    /* the axis lines, then their labels */
    pn__svg_puts(b, "<path class=\"axes\" fill=\"none\" stroke=\"" PN__SVG_INK "\" d=\"M");
    pn__svg_num(b, f->left);
    pn__svg_puts(b, " ");
    pn__svg_num(b, f->top);
    pn__svg_puts(b, "V");
    pn__svg_num(b, f->bottom);
    pn__svg_puts(b, "H");
    pn__svg_num(b, f->right);
    pn__svg_puts(b, "\"/>\n");
    pn__svg_text_at(b, "class=\"xlabel\" text-anchor=\"middle\"", (f->left + f->right) / 2,
                    height - 12, o->x_label);
    pn__svg_puts(b, "<text class=\"ylabel\" text-anchor=\"middle\" transform=\"translate(16 ");
    pn__svg_num(b, (f->top + f->bottom) / 2);
    pn__svg_puts(b, ") rotate(-90)\">");
    pn__svg_text(b, o->y_label);
    pn__svg_puts(b, "</text>\n");
    pn__svg_text_at(b, "class=\"title\" font-size=\"15\" font-weight=\"bold\"", f->left, 24,
                    o->title);
}

static void write_threshold(pn__svgbuf *b, const frame *f, double threshold)
{
    char num[48];
    double y = fy(f, threshold), pct = threshold * 100;
    pn_svg_format_fr(threshold, fabs(pct - round(pct)) < 1e-9 ? 0 : 1, 1, num, sizeof num);
    pn__svg_line(b, "class=\"threshold\" stroke=\"" PN__SVG_MUTED "\" stroke-dasharray=\"6 4\"",
                 f->left, y, f->right, y);
    pn__svg_text_at(b, "fill=\"" PN__SVG_MUTED "\" text-anchor=\"end\"", f->right - 4, y - 4, num);
}

static void write_legend(pn__svgbuf *b, const frame *f, const pn_svg_series *s, size_t ns)
{
    size_t chars = 1;
    for (size_t k = 0; k < ns; k++) {
        size_t c = pn__svg_chars(s[k].label);
        if (c > chars) chars = c;
    }
    double w = 24 + 8 + (double)chars * 6.6 + 16, h = 18.0 * (double)ns + 10;
    double x = f->right - w - 8, y = f->top + 8;
    if (x < f->left + 8) x = f->left + 8;
    pn__svg_puts(b, "<g class=\"legend\">\n<rect fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\""
                    PN__SVG_GRID "\" x=\"");
    pn__svg_num(b, x);
    pn__svg_puts(b, "\" y=\"");
    pn__svg_num(b, y);
    pn__svg_puts(b, "\" width=\"");
    pn__svg_num(b, w);
    pn__svg_puts(b, "\" height=\"");
    pn__svg_num(b, h);
    pn__svg_puts(b, "\"/>\n");
    for (size_t k = 0; k < ns; k++) {
        double ly = y + 14 + 18.0 * (double)k;
        char attrs[96];
        snprintf(attrs, sizeof attrs, "stroke=\"%s\" stroke-width=\"2\"%s",
                 pn__svg_okabe_ito[k % 8], dashes[(k / 8) % 3]);
        pn__svg_line(b, attrs, x + 8, ly - 4, x + 32, ly - 4);
        pn__svg_text_at(b, "", x + 40, ly, s[k].label);
    }
    pn__svg_puts(b, "</g>\n");
}

/* The <desc>: what the chart shows, in words, into b (a scratch buffer). */
static void describe(pn__svgbuf *b, const pn_svg_curves_opts *o, const frame *f,
                     const pn_svg_series *s, size_t ns)
{
    char num[48];
    pn__svg_printf(b, "Courbes de survie de %zu groupe%s", ns, ns > 1 ? "s" : "");
    for (size_t k = 0; k < ns && k < 20; k++) {
        pn__svg_puts(b, k == 0 ? " : " : ", ");
        pn__svg_puts(b, s[k].label ? s[k].label : "");
    }
    if (ns > 20) pn__svg_puts(b, ", …");
    pn__svg_puts(b, ". Axe horizontal : ");
    pn__svg_puts(b, o->x_label ? o->x_label : "temps");
    pn_svg_format_fr(f->x_max, f->x_max == round(f->x_max) ? 0 : 2, 0, num, sizeof num);
    pn__svg_printf(b, ", de 0 à %s ; axe vertical : ", num);
    pn__svg_puts(b, o->y_label ? o->y_label : "survie");
    pn__svg_puts(b, ", de 0 à 100 %");
    if (isfinite(o->threshold)) {
        pn_svg_format_fr(o->threshold, 1, 1, num, sizeof num);
        pn__svg_printf(b, " ; ligne de référence à %s", num);
    }
    pn__svg_puts(b, ". Les bandes claires sont les intervalles de confiance.");
}

int pn_svg_curves(const pn_svg_curves_opts *o, const pn_svg_series *s, size_t ns, char **out,
                  size_t *len, pn_diag *diag)
{
    *out = NULL;
    if (len) *len = 0;
    if (o == NULL || (ns > 0 && s == NULL))
        return pn_diag_set(diag, PN_EINVAL, "pn_svg_curves: no options or no series");
    double width = o->width ? o->width : 720, height = o->height ? o->height : 440;
    if (width < 200 || width > 10000 || height < 150 || height > 10000)
        return pn_diag_set(diag, PN_EINVAL, "pn_svg_curves: size %d x %d is not within "
                           "200..10000 x 150..10000 pixels", o->width, o->height);
    double scale = o->time_scale == 0 ? 1 : o->time_scale;
    if (!(scale > 0) || !isfinite(scale))
        return pn_diag_set(diag, PN_EINVAL, "pn_svg_curves: time_scale %g is not positive",
                           o->time_scale);
    if (!(o->x_max >= 0) || !isfinite(o->x_max))
        return pn_diag_set(diag, PN_EINVAL, "pn_svg_curves: x_max %g is not >= 0", o->x_max);
    if (!isnan(o->threshold) && !(o->threshold >= 0 && o->threshold <= 1))
        return pn_diag_set(diag, PN_EINVAL, "pn_svg_curves: threshold %g is not in 0..1",
                           o->threshold);
    double longest = 0;
    for (size_t k = 0; k < ns; k++) {
        int rc = check_series(&s[k], k, diag);
        if (rc != PN_OK) return rc;
        if (s[k].n > 0 && s[k].time[s[k].n - 1] > longest) longest = s[k].time[s[k].n - 1];
    }
    frame f = {.left = 64, .right = width - 20, .top = 40, .bottom = height - 56,
               .scale = scale, .x_max = o->x_max};
    if (f.x_max == 0) f.x_max = longest / scale;
    if (!(f.x_max > 0)) f.x_max = 1;

    pn__svgbuf desc, b;
    pn__svg_init(&desc);
    pn__svg_init(&b);
    describe(&desc, o, &f, s, ns);
    pn__svg_open(&b, width, height, o->title, desc.p);
    if (desc.err != PN_OK) b.err = desc.err;
    pn_free(desc.p);
    write_axes(&b, &f, o, height);
    if (isfinite(o->threshold)) write_threshold(&b, &f, o->threshold);
    for (size_t k = 0; k < ns; k++) write_band(&b, &f, &s[k], k);
    for (size_t k = 0; k < ns; k++) write_curve(&b, &f, &s[k], k);
    if (ns > 0) write_legend(&b, &f, s, ns);
    pn__svg_puts(&b, "</svg>\n");
    return pn__svg_finish(&b, out, len, "pn_svg_curves", diag);
}
