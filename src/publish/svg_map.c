/* svg_map.c - a choropleth as an SVG document (svg.h, pn_svg_map): the areas of a pn_svg_geo
 * filled by quantile class of their values (5 classes of a sequential palette), hatched grey for
 * a masked or absent value, plain grey outside the caller's codes, with a legend and a tooltip
 * per area.
 */
#include "svg_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/quantile.h"
#include "pronostic/svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAP_LEGEND_WIDTH 250.0
#define MAP_NA_TEXT "données masquées ou absentes"
#define MAP_OUT_TEXT "hors champ"
#define MAP_OUT_FILL "#bdbdbd"

typedef struct classes {
    size_t m;             /* 1 to 5 classes, 0 when no value is finite */
    double lo[5], hi[5];  /* class j holds lo[0] <= v <= hi[0], then hi[j-1] < v <= hi[j] */
    int colour[5];        /* index into pn__svg_seq5 */
    int decimals;
} classes;

/* A caller's code and its position in codes[], sorted by code for look-ups. */
typedef struct keyed {
    const char *code;
    size_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->code, ((const keyed *)b)->code);
}

/* The position in codes[] of `code` through the n sorted keys, or n. */
static size_t find(const keyed *order, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(order[mid].code, code);
        if (c == 0) return order[mid].i;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return n;
}

static int cmp_double_asc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Quantile classes of the nv finite values v[] (sorted here). */
static void make_classes(double *v, size_t nv, int percent, classes *c)
{
    memset(c, 0, sizeof *c);
    if (nv == 0) return;
    qsort(v, nv, sizeof *v, cmp_double_asc);
    double br[6];
    for (int k = 0; k <= 5; k++) br[k] = pn_quantile7(v, nv, k / 5.0);
    for (int k = 0; k < 5; k++) {
        if (c->m > 0 && br[k + 1] == c->hi[c->m - 1]) continue;
        c->lo[c->m] = c->m == 0 ? br[0] : c->hi[c->m - 1];
        c->hi[c->m] = br[k + 1];
        c->m++;
    }
    for (size_t j = 0; j < c->m; j++)
        c->colour[j] = c->m == 1 ? 2 : (int)lround((double)j * 4.0 / (double)(c->m - 1));
    double spread = (v[nv - 1] - v[0]) * (percent ? 100 : 1);
    if (percent) c->decimals = 1;
    else if (!(spread > 0)) c->decimals = 1;
    else {
        double d = 1 - floor(log10(spread));
        c->decimals = d < 0 ? 0 : d > 4 ? 4 : (int)d;
    }
}

static size_t class_of(const classes *c, double v)
{
    for (size_t j = 0; j < c->m; j++)
        if (v <= c->hi[j]) return j;
    return c->m - 1;
}

/* "a – b" for class j into buf. */
static void class_text(const classes *c, size_t j, int percent, char *buf, size_t len)
{
    char lo[48], hi[48];
    pn_svg_format_fr(c->lo[j], c->decimals, percent, lo, sizeof lo);
    pn_svg_format_fr(c->hi[j], c->decimals, percent, hi, sizeof hi);
    size_t a = strlen(lo), b = strlen(hi);
    if (a + b + 6 > len) {
        if (len > 0) buf[0] = '\0';
        return;
    }
    memcpy(buf, lo, a);
    memcpy(buf + a, " \xE2\x80\x93 ", 5);
    memcpy(buf + a + 5, hi, b + 1);
}

static void swatch(pn__svgbuf *b, double x, double y, const char *fill, const char *text)
{
    pn__svg_puts(b, "<rect stroke=\"" PN__SVG_MUTED "\" stroke-width=\"0.5\" width=\"18\" "
                    "height=\"14\" x=\"");
    pn__svg_num(b, x);
    pn__svg_puts(b, "\" y=\"");
    pn__svg_num(b, y);
    pn__svg_puts(b, "\" fill=\"");
    pn__svg_puts(b, fill);
    pn__svg_puts(b, "\"/>\n");
    pn__svg_text_at(b, "", x + 26, y + 11, text);
}

int pn_svg_map(const pn_svg_geo *g, const pn_svg_map_opts *o, const char *const *codes,
               const double *values, size_t n, char **out, size_t *len, pn_diag *diag)
{
    *out = NULL;
    if (len) *len = 0;
    if (g == NULL || o == NULL || (n > 0 && (codes == NULL || values == NULL)))
        return pn_diag_set(diag, PN_EINVAL, "pn_svg_map: no outlines, options, codes or values");
    size_t na = pn_svg_geo_count(g);
    keyed *order = pn_malloc((n + 1) * sizeof *order);
    size_t *match = pn_malloc((na + 1) * sizeof *match);
    double *finite = pn_malloc((na + 1) * sizeof *finite);
    pn__svgbuf b, desc;
    pn__svg_init(&b);
    pn__svg_init(&desc);
    int rc = PN_OK;
    if (order == NULL || match == NULL || finite == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (codes[i] == NULL) {
            rc = pn_diag_set(diag, PN_EINVAL, "pn_svg_map: codes[%zu] is NULL", i);
            goto done;
        }
        order[i].code = codes[i];
        order[i].i = i;
    }
    qsort(order, n, sizeof *order, cmp_keyed);
    for (size_t i = 1; i < n; i++)
        if (strcmp(order[i].code, order[i - 1].code) == 0) {
            rc = pn_diag_set(diag, PN_EINVAL, "pn_svg_map: code '%.40s' is given twice",
                             order[i].code);
            goto done;
        }
    size_t nv = 0, nan_areas = 0, out_areas = 0;
    for (size_t a = 0; a < na; a++) {
        match[a] = find(order, n, pn_svg_geo_code(g, a));
        if (match[a] == n) out_areas++;
        else if (isfinite(values[match[a]])) finite[nv++] = values[match[a]];
        else nan_areas++;
    }
    classes c;
    make_classes(finite, nv, o->percent != 0, &c);

    char num[48], range[112];
    double gw, gh;
    pn_svg_geo_size(g, &gw, &gh);
    double lx = gw + 30, rows = (double)c.m + (nan_areas > 0) + (out_areas > 0);
    double width = lx + MAP_LEGEND_WIDTH, height = gh + 60;
    if (height < 100 + 20 * rows) height = 100 + 20 * rows;

    pn__svg_printf(&desc, "Carte choroplèthe de %zu zones", na);
    if (o->legend) {
        pn__svg_puts(&desc, " : ");
        pn__svg_puts(&desc, o->legend);
    }
    if (c.m > 0) {
        pn__svg_printf(&desc, ", en %zu classe%s par quantiles (", c.m, c.m > 1 ? "s" : "");
        for (size_t j = 0; j < c.m; j++) {
            class_text(&c, j, o->percent != 0, range, sizeof range);
            if (j > 0) pn__svg_puts(&desc, " ; ");
            pn__svg_puts(&desc, range);
        }
        pn__svg_puts(&desc, ")");
    }
    pn__svg_printf(&desc, ". %zu zone%s aux données masquées ou absentes (hachurées), %zu hors "
                   "champ (en gris).", nan_areas, nan_areas > 1 ? "s" : "", out_areas);
    pn__svg_open(&b, width, height, o->title, desc.p);
    if (desc.err != PN_OK) b.err = desc.err;
    pn__svg_puts(&b, "<defs><pattern id=\"pn-hatch\" width=\"6\" height=\"6\" "
                     "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                     "<rect width=\"6\" height=\"6\" fill=\"#e0e0e0\"/><line x1=\"0\" y1=\"0\" "
                     "x2=\"0\" y2=\"6\" stroke=\"#6e6e6e\" stroke-width=\"1.5\"/></pattern></defs>\n"
                     "<text class=\"title\" font-size=\"15\" font-weight=\"bold\" x=\"10\" "
                     "y=\"24\">");
    pn__svg_text(&b, o->title);
    pn__svg_puts(&b, "</text>\n<g class=\"areas\" transform=\"translate(10 40)\" stroke=\"#ffffff\" "
                     "stroke-width=\"0.5\" fill-rule=\"evenodd\">\n");
    for (size_t a = 0; a < na; a++) {
        const char *fill = MAP_OUT_FILL, *shown = MAP_OUT_TEXT;
        if (match[a] < n) {
            double v = values[match[a]];
            if (isfinite(v)) {
                fill = pn__svg_seq5[c.colour[class_of(&c, v)]];
                pn_svg_format_fr(v, c.decimals, o->percent != 0, num, sizeof num);
                shown = num;
            } else {
                fill = "url(#pn-hatch)";
                shown = MAP_NA_TEXT;
            }
        }
        pn__svg_printf(&b, "<path id=\"d-%s\" fill=\"%s\" d=\"", pn_svg_geo_code(g, a), fill);
        pn__svg_puts(&b, pn_svg_geo_path(g, a));
        pn__svg_puts(&b, "\"><title>");
        pn__svg_text(&b, pn_svg_geo_name(g, a));
        pn__svg_puts(&b, " : ");
        pn__svg_text(&b, shown);
        pn__svg_puts(&b, "</title></path>\n");
    }
    pn__svg_puts(&b, "</g>\n<g class=\"legend\">\n");
    pn__svg_text_at(&b, "font-weight=\"bold\"", lx, 56, o->legend);
    double y = 68;
    for (size_t j = c.m; j-- > 0; y += 20) {
        class_text(&c, j, o->percent != 0, range, sizeof range);
        swatch(&b, lx, y, pn__svg_seq5[c.colour[j]], range);
    }
    if (nan_areas > 0) {
        swatch(&b, lx, y, "url(#pn-hatch)", MAP_NA_TEXT);
        y += 20;
    }
    if (out_areas > 0) swatch(&b, lx, y, MAP_OUT_FILL, MAP_OUT_TEXT);
    pn__svg_puts(&b, "</g>\n</svg>\n");
    rc = pn__svg_finish(&b, out, len, "pn_svg_map", diag);
done:
    pn_free(desc.p);
    pn_free(b.p);
    pn_free(finite);
    pn_free(match);
    pn_free(order);
    return rc;
}
