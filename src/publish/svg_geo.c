/* svg_geo.c - outlines of areas for maps (svg.h, pn_svg_geo_*): a GeoJSON FeatureCollection of
 * Polygon and MultiPolygon features read with jansson, checked as hostile input (size, depth,
 * counts, finite coordinates in range, the `code` and `nom` properties), projected
 * equirectangularly (longitude x cos 46.5 deg, latitude flipped) and kept as SVG path data.
 */
#include "svg_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/svg.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GEO_MAX_BYTES ((size_t)64 << 20)
#define GEO_MAX_DEPTH 32
#define GEO_MAX_FEATURES 20000
#define GEO_MAX_POSITIONS 4000000
#define GEO_MAX_CODE 16
#define GEO_MAX_NAME 256
#define GEO_SIDE 800.0

typedef struct area {
    const char *code, *name, *path; /* owned by the geo's arena */
} area;

struct pn_svg_geo {
    size_t n;
    area *a;
    double width, height;
    pn_arena *arena;
};

/* One pass over the positions of every feature: the first checks them and finds the extent,
 * the second writes the path data. */
typedef struct walk {
    const char *name;       /* the file, for messages */
    size_t feature;
    pn_diag *diag;
    int emit;
    double minx, maxx, miny, maxy;
    size_t positions;
    double scale;
    long long *pts;         /* the ring being written, 2 values (tenths of a unit) a point */
    size_t cap;
    pn__svgbuf *b;
} walk;

static const double lon_factor = 0.68835457569375391; /* cos(46.5 degrees) */

/* PN_EPARSE when the JSON nests deeper than GEO_MAX_DEPTH (before jansson, which recurses). */
static int check_depth(const char *text, size_t len, const char *name, pn_diag *diag)
{
    int depth = 0, in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > GEO_MAX_DEPTH)
                return pn_diag_set(diag, PN_EPARSE, "%s: byte %zu: JSON nested deeper than %d "
                                   "levels", name, i, GEO_MAX_DEPTH);
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return PN_OK;
}

static int position(walk *w, const json_t *p, size_t poly, size_t ring, size_t k, double *x,
                    double *y)
{
    const json_t *lon = json_array_get(p, 0), *lat = json_array_get(p, 1);
    if (!json_is_array(p) || json_array_size(p) < 2 || !json_is_number(lon) ||
        !json_is_number(lat))
        return pn_diag_set(w->diag, PN_EPARSE, "%s: features[%zu]: polygon %zu, ring %zu, "
                           "position %zu: not an array of two numbers", w->name, w->feature,
                           poly, ring, k);
    double lo = json_number_value(lon), la = json_number_value(lat);
    if (!isfinite(lo) || !isfinite(la) || lo < -180 || lo > 180 || la < -90 || la > 90)
        return pn_diag_set(w->diag, PN_EPARSE, "%s: features[%zu]: polygon %zu, ring %zu, "
                           "position %zu: (%g, %g) is not a longitude in -180..180 and a "
                           "latitude in -90..90", w->name, w->feature, poly, ring, k, lo, la);
    *x = lo * lon_factor;
    *y = -la;
    return PN_OK;
}

/* A ring: checked and measured, or written as "M x y L ... Z" (points equal at 0.1 once
 * rounded merged; a ring left with fewer than 3 points is not written). */
static int ring(walk *w, const json_t *r, size_t poly, size_t ri)
{
    if (!json_is_array(r) || json_array_size(r) < 3)
        return pn_diag_set(w->diag, PN_EPARSE, "%s: features[%zu]: polygon %zu, ring %zu: not "
                           "an array of at least 3 positions", w->name, w->feature, poly, ri);
    size_t n = json_array_size(r), m = 0;
    for (size_t k = 0; k < n; k++) {
        double x = 0, y = 0;
        int rc = position(w, json_array_get(r, k), poly, ri, k, &x, &y);
        if (rc != PN_OK) return rc;
        if (!w->emit) {
            if (++w->positions > GEO_MAX_POSITIONS)
                return pn_diag_set(w->diag, PN_ETOOBIG, "%s: features[%zu]: more than %d "
                                   "positions in the file", w->name, w->feature,
                                   GEO_MAX_POSITIONS);
            if (x < w->minx) w->minx = x;
            if (x > w->maxx) w->maxx = x;
            if (y < w->miny) w->miny = y;
            if (y > w->maxy) w->maxy = y;
            continue;
        }
        long long px = llround((x - w->minx) * w->scale * 10);
        long long py = llround((y - w->miny) * w->scale * 10);
        if (m > 0 && w->pts[2 * m - 2] == px && w->pts[2 * m - 1] == py) continue;
        void *items = w->pts;
        if (pn_grow(&items, &w->cap, 2 * m + 2, sizeof *w->pts) != PN_OK)
            return pn_diag_set(w->diag, PN_ENOMEM, "out of memory");
        w->pts = items;
        w->pts[2 * m] = px;
        w->pts[2 * m + 1] = py;
        m++;
    }
    if (!w->emit) return PN_OK;
    if (m > 1 && w->pts[0] == w->pts[2 * m - 2] && w->pts[1] == w->pts[2 * m - 1]) m--;
    if (m < 3) return PN_OK;
    for (size_t k = 0; k < m; k++) {
        pn__svg_puts(w->b, k == 0 ? "M" : "L");
        pn__svg_num(w->b, (double)w->pts[2 * k] / 10);
        pn__svg_puts(w->b, " ");
        pn__svg_num(w->b, (double)w->pts[2 * k + 1] / 10);
    }
    pn__svg_puts(w->b, "Z");
    return PN_OK;
}

static int polygon(walk *w, const json_t *p, size_t poly)
{
    if (!json_is_array(p) || json_array_size(p) == 0)
        return pn_diag_set(w->diag, PN_EPARSE, "%s: features[%zu]: polygon %zu: not a "
                           "non-empty array of rings", w->name, w->feature, poly);
    for (size_t r = 0; r < json_array_size(p); r++) {
        int rc = ring(w, json_array_get(p, r), poly, r);
        if (rc != PN_OK) return rc;
    }
    return PN_OK;
}

static int geometry(walk *w, const json_t *feature)
{
    const json_t *g = json_object_get(feature, "geometry");
    const json_t *type = json_object_get(g, "type"), *coords = json_object_get(g, "coordinates");
    const char *t = json_string_value(type);
    if (!json_is_object(g) || t == NULL)
        return pn_diag_set(w->diag, PN_EPARSE, "%s: features[%zu]: no geometry with a type",
                           w->name, w->feature);
    int multi = strcmp(t, "MultiPolygon") == 0;
    if (!multi && strcmp(t, "Polygon") != 0)
        return pn_diag_set(w->diag, PN_EPARSE, "%s: features[%zu]: geometry type '%.40s' is "
                           "not Polygon or MultiPolygon", w->name, w->feature, t);
    if (!json_is_array(coords) || json_array_size(coords) == 0)
        return pn_diag_set(w->diag, PN_EPARSE, "%s: features[%zu]: coordinates are not a "
                           "non-empty array", w->name, w->feature);
    if (!multi) return polygon(w, coords, 0);
    for (size_t p = 0; p < json_array_size(coords); p++) {
        int rc = polygon(w, json_array_get(coords, p), p);
        if (rc != PN_OK) return rc;
    }
    return PN_OK;
}

/* Feature i's code and name (borrowed from the JSON), checked. */
static int properties(const json_t *feature, size_t i, const char *name, const char **code,
                      const char **nom, pn_diag *diag)
{
    const json_t *props = json_object_get(feature, "properties");
    if (!json_is_object(feature) || !json_is_object(props))
        return pn_diag_set(diag, PN_EPARSE, "%s: features[%zu]: not an object with properties",
                           name, i);
    *code = json_string_value(json_object_get(props, "code"));
    if (*code == NULL)
        return pn_diag_set(diag, PN_EPARSE, "%s: features[%zu]: no property 'code' (a string)",
                           name, i);
    size_t n = strlen(*code);
    int ok = n >= 1 && n <= GEO_MAX_CODE;
    for (size_t k = 0; ok && k < n; k++) {
        char c = (*code)[k];
        ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
             c == '_' || c == '-';
    }
    if (!ok)
        return pn_diag_set(diag, PN_EPARSE, "%s: features[%zu]: property 'code' is not 1 to %d "
                           "of A-Z, a-z, 0-9, _ and -", name, i, GEO_MAX_CODE);
    const json_t *jn = json_object_get(props, "nom");
    *nom = json_string_value(jn);
    if (jn != NULL && !json_is_null(jn) && *nom == NULL)
        return pn_diag_set(diag, PN_EPARSE, "%s: features[%zu] (code '%s'): property 'nom' is "
                           "not a string", name, i, *code);
    if (*nom != NULL && (strlen(*nom) == 0 || strlen(*nom) > GEO_MAX_NAME))
        return pn_diag_set(diag, PN_EPARSE, "%s: features[%zu] (code '%s'): property 'nom' is "
                           "empty or longer than %d bytes", name, i, *code, GEO_MAX_NAME);
    if (*nom == NULL) *nom = *code;
    return PN_OK;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const area *)a)->code, ((const area *)b)->code);
}

/* PN_EDUP naming a code given to two features. */
static int check_unique(const pn_svg_geo *g, const char *name, pn_diag *diag)
{
    area *sorted = pn_malloc(g->n * sizeof *sorted);
    if (sorted == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    memcpy(sorted, g->a, g->n * sizeof *sorted);
    qsort(sorted, g->n, sizeof *sorted, cmp_code);
    int rc = PN_OK;
    for (size_t i = 1; i < g->n && rc == PN_OK; i++)
        if (strcmp(sorted[i].code, sorted[i - 1].code) == 0)
            rc = pn_diag_set(diag, PN_EDUP, "%s: code '%s' is given to two features", name,
                             sorted[i].code);
    pn_free(sorted);
    return rc;
}

int pn_svg_geo_parse(const char *text, size_t len, const char *name, pn_svg_geo **out,
                     pn_diag *diag)
{
    *out = NULL;
    if (name == NULL) name = "(GeoJSON)";
    if (len > GEO_MAX_BYTES)
        return pn_diag_set(diag, PN_ETOOBIG, "%s: larger than 64 MiB", name);
    int rc = check_depth(text, len, name, diag);
    if (rc != PN_OK) return rc;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    pn_svg_geo *g = NULL;
    pn__svgbuf b;
    pn__svg_init(&b);
    walk w = {.name = name, .diag = diag, .minx = INFINITY, .maxx = -INFINITY,
              .miny = INFINITY, .maxy = -INFINITY, .b = &b};
    if (root == NULL) {
        rc = pn_diag_set(diag, PN_EPARSE, "%s:%d:%d: not valid JSON: %s", name, jerr.line,
                         jerr.column, jerr.text);
        goto done;
    }
    const json_t *type = json_object_get(root, "type");
    const json_t *features = json_object_get(root, "features");
    if (!json_is_object(root) || !json_is_array(features) ||
        (type != NULL && (!json_is_string(type) ||
                          strcmp(json_string_value(type), "FeatureCollection") != 0))) {
        rc = pn_diag_set(diag, PN_EPARSE, "%s: not a GeoJSON FeatureCollection (an object with "
                         "a 'features' array)", name);
        goto done;
    }
    size_t n = json_array_size(features);
    if (n == 0) {
        rc = pn_diag_set(diag, PN_EEMPTY, "%s: no feature", name);
        goto done;
    }
    if (n > GEO_MAX_FEATURES) {
        rc = pn_diag_set(diag, PN_ETOOBIG, "%s: more than %d features", name, GEO_MAX_FEATURES);
        goto done;
    }
    g = pn_calloc(1, sizeof *g);
    if (g == NULL || (g->a = pn_calloc(n, sizeof *g->a)) == NULL ||
        (g->arena = pn_arena_new()) == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    g->n = n;
    for (size_t i = 0; i < n; i++) {
        const json_t *f = json_array_get(features, i);
        const char *code = NULL, *nom = NULL;
        if ((rc = properties(f, i, name, &code, &nom, diag)) != PN_OK) goto done;
        w.feature = i;
        if ((rc = geometry(&w, f)) != PN_OK) goto done;
        g->a[i].code = pn_arena_strndup(g->arena, code, strlen(code));
        g->a[i].name = pn_arena_strndup(g->arena, nom, strlen(nom));
        if (g->a[i].code == NULL || g->a[i].name == NULL) {
            rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
            goto done;
        }
    }
    if ((rc = check_unique(g, name, diag)) != PN_OK) goto done;
    double spanx = w.maxx - w.minx, spany = w.maxy - w.miny;
    double span = spanx > spany ? spanx : spany;
    if (!(span > 0)) {
        rc = pn_diag_set(diag, PN_EEMPTY, "%s: the outlines have no extent (every position is "
                         "the same point)", name);
        goto done;
    }
    w.scale = GEO_SIDE / span;
    g->width = round(spanx * w.scale * 10) / 10;
    g->height = round(spany * w.scale * 10) / 10;
    w.emit = 1;
    for (size_t i = 0; i < n; i++) {
        b.len = 0;
        if (b.p != NULL) b.p[0] = '\0';
        w.feature = i;
        if ((rc = geometry(&w, json_array_get(features, i))) != PN_OK) goto done;
        if (b.err != PN_OK) {
            rc = pn_diag_set(diag, b.err, "%s: features[%zu]: %s", name, i,
                             pn_strerror(b.err));
            goto done;
        }
        g->a[i].path = pn_arena_strndup(g->arena, b.p ? b.p : "", b.len);
        if (g->a[i].path == NULL) {
            rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
            goto done;
        }
    }
    *out = g;
    g = NULL;
done:
    pn_free(w.pts);
    pn_free(b.p);
    pn_svg_geo_free(g);
    json_decref(root);
    return rc;
}

int pn_svg_geo_load(const char *path, pn_svg_geo **out, pn_diag *diag)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return pn_diag_set(diag, PN_EIO, "%s: cannot be read: %s", path, strerror(errno));
    char *text = NULL;
    int rc = PN_OK;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = pn_diag_set(diag, PN_EIO, "%s: not a regular file", path);
        goto done;
    }
    if ((unsigned long long)sb.st_size > GEO_MAX_BYTES) {
        rc = pn_diag_set(diag, PN_ETOOBIG, "%s: larger than 64 MiB", path);
        goto done;
    }
    text = pn_malloc((size_t)sb.st_size + 1);
    if (text == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    size_t n = fread(text, 1, (size_t)sb.st_size + 1, f);
    if (ferror(f) || n != (size_t)sb.st_size) {
        rc = pn_diag_set(diag, PN_EIO, "%s: read error or the file changed while it was read",
                         path);
        goto done;
    }
    rc = pn_svg_geo_parse(text, n, path, out, diag);
done:
    pn_free(text);
    fclose(f);
    return rc;
}

void pn_svg_geo_free(pn_svg_geo *g)
{
    if (g == NULL) return;
    pn_arena_free(g->arena);
    pn_free(g->a);
    pn_free(g);
}

size_t pn_svg_geo_count(const pn_svg_geo *g)
{
    return g ? g->n : 0;
}

const char *pn_svg_geo_code(const pn_svg_geo *g, size_t i)
{
    return g && i < g->n ? g->a[i].code : NULL;
}

const char *pn_svg_geo_name(const pn_svg_geo *g, size_t i)
{
    return g && i < g->n ? g->a[i].name : NULL;
}

const char *pn_svg_geo_path(const pn_svg_geo *g, size_t i)
{
    return g && i < g->n ? g->a[i].path : NULL;
}

void pn_svg_geo_size(const pn_svg_geo *g, double *width, double *height)
{
    *width = g ? g->width : 0;
    *height = g ? g->height : 0;
}
