/* svg.h - charts as standalone SVG documents in memory: survival curves with their confidence
 * bands, and choropleth maps of départements drawn from bundled outlines (GeoJSON).
 *
 * Every document is UTF-8, valid XML, with no script and no external reference (no link, no
 * font, no image), role="img" with a <title> and a <desc>. Texts given by the caller (titles,
 * labels, names) are escaped here; bytes that are not valid UTF-8 or not allowed in XML become
 * U+FFFD. Numbers shown to a reader are in French format (decimal comma, "25 %"); coordinates
 * are rounded to 0.1 px. Colours: Okabe-Ito for curves, a colour-blind-safe sequential
 * palette (viridis) for maps; all text is dark grey on white (contrast above WCAG AA).
 * The output buffer is the caller's (pn_free), so the command line and the web server share it.
 */
#ifndef PRONOSTIC_SVG_H
#define PRONOSTIC_SVG_H

#include "pronostic/error.h"

#include <stddef.h>

/* ---- survival curves --------------------------------------------------------------------- */

typedef struct pn_svg_series {
    const char *label;            /* legend text (UTF-8, escaped by the module) */
    size_t n;                     /* step points, time ascending; the curve starts at (0, 1) */
    const double *time;           /* in days */
    const double *estimate;       /* survival 0..1 after each step */
    const double *lower, *upper;  /* band, may be NULL; NaN entries: no band there */
} pn_svg_series;

typedef struct pn_svg_curves_opts {
    const char *title;            /* <title>, also aria-label */
    const char *x_label;          /* e.g. "Années depuis le diagnostic" */
    const char *y_label;          /* e.g. "Survie (%)" */
    double time_scale;            /* days per x unit (365.241 for years); 0: 1 (days) */
    double x_max;                 /* in x units; 0: the longest curve */
    double threshold;             /* a horizontal reference line (e.g. 0.33), NaN: none */
    int width, height;            /* pixels; 0: 720 x 440 */
} pn_svg_curves_opts;

/* Draw the `ns` step curves s[] (borrowed) with their confidence bands (a filled step polygon,
 * semi-transparent), axes with ticks and French-formatted labels (comma decimal: "0,5",
 * percentages "25 %"), a legend, <title> and <desc> for accessibility (role="img"), colours
 * from a colour-blind-safe palette (Okabe-Ito) with WCAG AA contrast for text.
 *
 * Geometry: the plot area's left edge is x = 0 and its right edge x = x_max; its bottom is
 * survival 0 and its top survival 1. Each curve is one <path class="curve" data-series="I">
 * whose data is "M x0 y0" (time 0, survival 1) then, for each step i, "H x(t_i)" and, when the
 * survival changes, "V y(S_i)": every (x(t_i), y(S_i)) is a vertex. The curve ends at its last
 * time, or at x_max when it goes beyond (its later steps are left out). Its band, when given,
 * is a <path class="band" data-series="I"> per run of steps with finite limits.
 *
 * *out (caller frees with pn_free, *len its length without the terminating NUL) is a complete
 * standalone SVG document. PN_EINVAL names the option or the series and point at fault (time
 * negative, not finite or not ascending; an estimate outside 0..1), PN_ENOMEM. */
int pn_svg_curves(const pn_svg_curves_opts *o, const pn_svg_series *s, size_t ns, char **out,
                  size_t *len, pn_diag *diag);

/* ---- outlines of areas ------------------------------------------------------------------- */

/* outlines of areas, loaded once, read-only after (shareable between threads) */
typedef struct pn_svg_geo pn_svg_geo;

/* Load a GeoJSON FeatureCollection of Polygon/MultiPolygon features with a property `code`
 * (and `nom`), projected (equirectangular with cos(46.5 deg) on longitude, y flipped) and
 * scaled into a viewBox whose larger side is 800 units (pn_svg_geo_size); coordinates rounded
 * to 0.1 px. *out is the caller's (pn_svg_geo_free). Errors name the file and the feature
 * index: PN_EIO (unreadable), PN_ETOOBIG (more than 64 MiB, 20,000 features or 4 million
 * positions), PN_EPARSE (not JSON, a wrong structure, a position that is not two finite
 * numbers within longitude -180..180 and latitude -90..90, a missing or invalid `code`: 1 to
 * 16 of [A-Za-z0-9_-]), PN_EDUP (a code twice), PN_EEMPTY (no feature, or no extent). */
int pn_svg_geo_load(const char *path, pn_svg_geo **out, pn_diag *diag);
/* The same from `len` bytes of `text` (borrowed; need not be NUL-terminated); `name` is the
 * file name the messages give. */
int pn_svg_geo_parse(const char *text, size_t len, const char *name, pn_svg_geo **out,
                     pn_diag *diag);
/* Accepts NULL. */
void pn_svg_geo_free(pn_svg_geo *g);
/* The number of areas, in the order of the file. */
size_t pn_svg_geo_count(const pn_svg_geo *g);
/* Area i's `code` and `nom` (`code` when the file has no `nom`): owned by g. */
const char *pn_svg_geo_code(const pn_svg_geo *g, size_t i);
const char *pn_svg_geo_name(const pn_svg_geo *g, size_t i);
/* Area i's SVG path data in viewBox units ("M x y L x y ... Z", one "M...Z" per ring; rings
 * that collapse below three points at 0.1 px are left out): owned by g. */
const char *pn_svg_geo_path(const pn_svg_geo *g, size_t i);
/* The viewBox's width and height (the larger is 800). */
void pn_svg_geo_size(const pn_svg_geo *g, double *width, double *height);

/* ---- choropleth maps --------------------------------------------------------------------- */

typedef struct pn_svg_map_opts {
    const char *title;    /* <title>, also aria-label */
    const char *legend;   /* the legend's heading, e.g. "Survie nette à 5 ans" */
    int percent;          /* values are proportions shown as % */
} pn_svg_map_opts;

/* A choropleth of g's areas (borrowed): area codes[i] gets values[i] (NaN: "données masquées ou
 * absentes", hatched grey); a sequential 5-class palette (quantile classes of the finite values
 * of the areas drawn, R's type 7; fewer classes when values tie; legend with French-formatted
 * bounds), each area a <path> with id "d-CODE", a <title> "NOM : 12,5 %" tooltip; areas missing
 * from codes are plain grey ("hors champ"); codes that are not areas of g are ignored (the
 * overseas départements of a metropolitan map). Region maps: the caller passes, for each
 * département code, its region's value (the module does not know regions).
 * *out as for pn_svg_curves. PN_EINVAL for a code given twice or a NULL code; PN_ENOMEM. */
int pn_svg_map(const pn_svg_geo *g, const pn_svg_map_opts *o, const char *const *codes,
               const double *values, size_t n, char **out, size_t *len, pn_diag *diag);

/* ---- French number format ---------------------------------------------------------------- */

/* v in French format into the caller's buf (`len` bytes, 48 are always enough; truncated and
 * NUL-terminated otherwise): `decimals` (0..9) digits after a decimal comma, rounded half away
 * from zero ("12,5" for 12.5 with 1); "12,5 %" when percent (v = 0.125: shown x 100, then a
 * space and %); a minus sign U+2212 for negatives ("−3,5"; never "−0"); groups of three digits
 * split by U+202F (narrow no-break space) from 10 000 up; "n.d." for NaN and infinities. */
void pn_svg_format_fr(double v, int decimals, int percent, char *buf, size_t len);

#endif
