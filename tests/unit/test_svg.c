/* test_svg.c - the SVG charts (publish/svg_*.c): the French number format, the step curves read
 * back from their path data against the inputs and the axes' scaling, the escaping of texts,
 * the outlines loaded from small hand-written GeoJSON (a MultiPolygon, bad files), and the
 * choropleth's classes, tooltips and ids on the bundled départements. */
#include "pn_test.h"
#include "pn_testfs.h"
#include "publish/svg_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/datadir.h"
#include "pronostic/error.h"
#include "pronostic/svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *fr(double v, int decimals, int percent)
{
    static char buf[64];
    pn_svg_format_fr(v, decimals, percent, buf, sizeof buf);
    return buf;
}

PN_TEST(format_fr)
{
    PN_CHECK_STR(fr(12.5, 1, 0), "12,5");
    PN_CHECK_STR(fr(0.125, 1, 1), "12,5 %");
    PN_CHECK_STR(fr(0.25, 0, 1), "25 %");
    PN_CHECK_STR(fr(0.5, 1, 0), "0,5");
    PN_CHECK_STR(fr(0, 2, 0), "0,00");
    PN_CHECK_STR(fr(3, 0, 0), "3");
    PN_CHECK_STR(fr(1.25, 1, 0), "1,3");            /* half away from zero */
    PN_CHECK_STR(fr(-1.25, 1, 0), "\xE2\x88\x92" "1,3");
    PN_CHECK_STR(fr(-3.5, 1, 0), "\xE2\x88\x92" "3,5");
    PN_CHECK_STR(fr(-0.004, 2, 0), "0,00");          /* no minus zero */
    PN_CHECK_STR(fr(-0.5, 0, 1), "\xE2\x88\x92" "50 %");
    PN_CHECK_STR(fr(0.3333, 1, 1), "33,3 %");
    PN_CHECK_STR(fr(0.9999, 1, 1), "100,0 %");
    PN_CHECK_STR(fr(1234, 0, 0), "1234");
    PN_CHECK_STR(fr(12345.6, 1, 0), "12\xE2\x80\xAF" "345,6");
    PN_CHECK_STR(fr(-1234567, 0, 0), "\xE2\x88\x92" "1\xE2\x80\xAF" "234\xE2\x80\xAF" "567");
    PN_CHECK_STR(fr(NAN, 1, 1), "n.d.");
    PN_CHECK_STR(fr(INFINITY, 1, 0), "n.d.");
    PN_CHECK_STR(fr(0.000125, 3, 1), "0,013 %");
    char small[5];
    pn_svg_format_fr(12345.6, 1, 0, small, sizeof small);
    PN_CHECK(strlen(small) == 4);                    /* truncated, terminated */
}

/* ---- reading SVG back ---------------------------------------------------------------------- */

/* The value of attribute `name` of the first element at or after `from` whose text begins at a
 * '<' containing `marker` before its '>': a static copy, or NULL. */
static const char *attr_after(const char *from, const char *marker, const char *name,
                              const char **next)
{
    static char value[1 << 16];
    const char *m = strstr(from, marker);
    if (m == NULL) return NULL;
    const char *start = m;
    while (start > from && *start != '<') start--;
    const char *end = strchr(m, '>');
    char key[64];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(start, key);
    if (a == NULL || a > end) return NULL;
    a += strlen(key);
    const char *q = strchr(a, '"');
    size_t n = (size_t)(q - a) < sizeof value - 1 ? (size_t)(q - a) : sizeof value - 1;
    memcpy(value, a, n);
    value[n] = '\0';
    if (next) *next = end;
    return value;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

/* The vertices of path data made of absolute M, L, H, V and Z: up to `max` (x, y) pairs. */
static size_t vertices(const char *d, double *x, double *y, size_t max)
{
    size_t n = 0;
    double cx = 0, cy = 0;
    const char *p = d;
    while (*p && n < max) {
        char c = *p++;
        char *end;
        if (c == 'M' || c == 'L') {
            cx = strtod(p, &end);
            cy = strtod(end, &end);
            p = end;
        } else if (c == 'H') {
            cx = strtod(p, &end);
            p = end;
        } else if (c == 'V') {
            cy = strtod(p, &end);
            p = end;
        } else {
            continue;
        }
        x[n] = cx;
        y[n] = cy;
        n++;
    }
    return n;
}

typedef struct plotframe {
    double left, top, bottom, right;
} plotframe;

/* The plot area from the axes' path "M left top V bottom H right". */
static int read_frame(const char *svg, plotframe *f)
{
    const char *d = attr_after(svg, "class=\"axes\"", "d", NULL);
    if (d == NULL) return 0;
    return sscanf(d, "M%lf %lfV%lfH%lf", &f->left, &f->top, &f->bottom, &f->right) == 4;
}

PN_TEST(curve_steps)
{
    const double t[] = {10, 20, 35, 50}, s[] = {0.9, 0.9, 0.6, 0.3};
    const double lo[] = {0.8, NAN, 0.5, 0.2}, hi[] = {0.95, NAN, 0.7, 0.4};
    pn_svg_series series = {"groupe A", 4, t, s, lo, hi};
    pn_svg_curves_opts o = {.title = "Survie", .x_label = "Mois", .y_label = "Survie (%)",
                            .time_scale = 10, .threshold = 0.33};
    char *svg = NULL;
    size_t len = 0;
    pn_diag diag = {0};
    PN_CHECK(pn_svg_curves(&o, &series, 1, &svg, &len, &diag) == PN_OK);
    if (svg == NULL) return;
    PN_CHECK(strlen(svg) == len);
    PN_CHECK(strncmp(svg, "<?xml", 5) == 0);
    PN_CHECK(strstr(svg, "role=\"img\"") != NULL);
    PN_CHECK(strstr(svg, "<desc>") != NULL);
    PN_CHECK(strstr(svg, "<script") == NULL && strstr(svg, "href") == NULL);
    plotframe f;
    PN_CHECK(read_frame(svg, &f));
    double xmax = 50 / 10.0;
    /* the x tick labelled "2" stands where 2 x units are on the scale */
    const char *at = strstr(svg, ">2</text>");
    PN_CHECK(at != NULL);
    if (at) {
        const char *p = at;
        while (p > svg && strncmp(p, "<text", 5) != 0) p--;
        const char *x = attr_after(p, "class=\"xtick\"", "x", NULL);
        PN_CHECK(x && fabs(atof(x) - (f.left + 2 / xmax * (f.right - f.left))) <= 0.051);
    }
    /* the y tick "50 %" at half height */
    PN_CHECK(strstr(svg, ">50 %</text>") != NULL);
    const char *d = attr_after(svg, "class=\"curve\"", "d", NULL);
    PN_CHECK(d != NULL);
    if (d == NULL) goto done;
    double vx[32], vy[32];
    size_t nv = vertices(d, vx, vy, 32);
    /* expected: (0, 1), then for each step H to its time, V to its value when it changes */
    double ex[16], ey[16];
    size_t ne = 0;
    double prev = 1;
    ex[ne] = 0, ey[ne++] = 1;
    for (size_t i = 0; i < 4; i++) {
        ex[ne] = t[i] / 10, ey[ne++] = prev;
        if (s[i] != prev) ex[ne] = t[i] / 10, ey[ne++] = s[i], prev = s[i];
    }
    PN_CHECK(nv == ne);
    for (size_t i = 0; i < nv && i < ne; i++) {
        PN_CHECK_NEAR(vx[i], f.left + ex[i] / xmax * (f.right - f.left), 0.051);
        PN_CHECK_NEAR(vy[i], f.bottom - ey[i] * (f.bottom - f.top), 0.051);
    }
    /* a band for each run of finite limits: points 0, then 2..3 */
    PN_CHECK(count(svg, "class=\"band\"") == 2);
    const char *next = NULL;
    const char *b1 = attr_after(svg, "class=\"band\"", "d", &next);
    PN_CHECK(b1 != NULL);
    if (b1) {
        nv = vertices(b1, vx, vy, 32);
        /* from (t0, hi0) to t1 at hi0, down to lo0, back to t0 */
        PN_CHECK(nv == 4);
        PN_CHECK_NEAR(vx[0], f.left + 1 / xmax * (f.right - f.left), 0.051);
        PN_CHECK_NEAR(vy[0], f.bottom - 0.95 * (f.bottom - f.top), 0.051);
        PN_CHECK_NEAR(vx[1], f.left + 2 / xmax * (f.right - f.left), 0.051);
        PN_CHECK_NEAR(vy[2], f.bottom - 0.8 * (f.bottom - f.top), 0.051);
    }
    /* the threshold line at 33 % */
    const char *y1 = attr_after(svg, "class=\"threshold\"", "y1", NULL);
    PN_CHECK(y1 && fabs(atof(y1) - (f.bottom - 0.33 * (f.bottom - f.top))) <= 0.051);
    PN_CHECK(strstr(svg, ">33 %</text>") != NULL);
done:
    pn_free(svg);
}

PN_TEST(curve_x_max_cuts)
{
    const double t[] = {10, 20, 35, 50}, s[] = {0.9, 0.8, 0.6, 0.3};
    pn_svg_series series = {"a", 4, t, s, NULL, NULL};
    pn_svg_curves_opts o = {.title = "t", .time_scale = 10, .x_max = 3, .threshold = NAN};
    char *svg = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_svg_curves(&o, &series, 1, &svg, NULL, &diag) == PN_OK);
    if (svg == NULL) return;
    plotframe f;
    PN_CHECK(read_frame(svg, &f));
    const char *d = attr_after(svg, "class=\"curve\"", "d", NULL);
    double vx[32], vy[32];
    size_t nv = d ? vertices(d, vx, vy, 32) : 0;
    /* (0,1), t=1 (two), t=2 (two), then on at 0.8 to the right edge */
    PN_CHECK(nv == 6);
    if (nv == 6) {
        PN_CHECK_NEAR(vx[5], f.right, 0.051);
        PN_CHECK_NEAR(vy[5], f.bottom - 0.8 * (f.bottom - f.top), 0.051);
    }
    PN_CHECK(count(svg, "class=\"band\"") == 0);
    PN_CHECK(strstr(svg, "class=\"threshold\"") == NULL);
    pn_free(svg);
}

PN_TEST(curve_bad_input)
{
    const double t[] = {10, 5}, s[] = {0.9, 0.8}, bad[] = {0.9, 1.5};
    pn_svg_series series = {"a", 2, t, s, NULL, NULL};
    pn_svg_curves_opts o = {.title = "t", .threshold = NAN};
    char *svg = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_svg_curves(&o, &series, 1, &svg, NULL, &diag) == PN_EINVAL);
    PN_CHECK(svg == NULL && strstr(diag.msg, "point 1") != NULL);
    const double t2[] = {5, 10};
    pn_svg_series s2 = {"a", 2, t2, bad, NULL, NULL};
    PN_CHECK(pn_svg_curves(&o, &s2, 1, &svg, NULL, &diag) == PN_EINVAL);
    PN_CHECK(strstr(diag.msg, "estimate") != NULL);
    o.threshold = 2;
    pn_svg_series s3 = {"a", 2, t2, s, NULL, NULL};
    PN_CHECK(pn_svg_curves(&o, &s3, 1, &svg, NULL, &diag) == PN_EINVAL);
    PN_CHECK(strstr(diag.msg, "threshold") != NULL);
}

PN_TEST(escaping)
{
    const double t[] = {1}, s[] = {0.5};
    pn_svg_series series[2] = {{"a<&\"'b", 1, t, s, NULL, NULL}, {"bad\xff\x01z", 1, t, s, NULL, NULL}};
    pn_svg_curves_opts o = {.title = "T<i>&", .x_label = "x\"", .y_label = "y",
                            .threshold = NAN};
    char *svg = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_svg_curves(&o, series, 2, &svg, NULL, &diag) == PN_OK);
    if (svg == NULL) return;
    PN_CHECK(strstr(svg, ">a&lt;&amp;&quot;&apos;b</text>") != NULL);
    PN_CHECK(strstr(svg, "a<&") == NULL);
    PN_CHECK(strstr(svg, "aria-label=\"T&lt;i&gt;&amp;\"") != NULL);
    PN_CHECK(strstr(svg, "<title>T&lt;i&gt;&amp;</title>") != NULL);
    PN_CHECK(strstr(svg, ">x&quot;</text>") != NULL);
    PN_CHECK(strstr(svg, ">bad\xEF\xBF\xBD\xEF\xBF\xBDz</text>") != NULL);
    PN_CHECK(strstr(svg, "<i>") == NULL);
    /* two curves, two colours */
    PN_CHECK(count(svg, "class=\"curve\"") == 2);
    PN_CHECK(strstr(svg, pn__svg_okabe_ito[0]) && strstr(svg, pn__svg_okabe_ito[1]));
    pn_free(svg);
}

/* ---- outlines ------------------------------------------------------------------------------ */

static const char small_geo[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"A\",\"nom\":\"Aude & co\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,46],[2,46],[2,47],[0,47],[0,46]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"B\"},"
    "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
    "[[[2,46],[3,46],[3,47],[2,47],[2,46]]],"
    "[[[4,45],[5,45],[5,46],[4,46],[4,45]]]]}}]}";

static int parse(const char *text, pn_svg_geo **g, pn_diag *diag)
{
    return pn_svg_geo_parse(text, strlen(text), "t.geojson", g, diag);
}

PN_TEST(geo_small)
{
    pn_svg_geo *g = NULL;
    pn_diag diag = {0};
    PN_CHECK(parse(small_geo, &g, &diag) == PN_OK);
    if (g == NULL) return;
    PN_CHECK(pn_svg_geo_count(g) == 2);
    PN_CHECK_STR(pn_svg_geo_code(g, 0), "A");
    PN_CHECK_STR(pn_svg_geo_name(g, 0), "Aude & co");
    PN_CHECK_STR(pn_svg_geo_name(g, 1), "B"); /* no nom: the code */
    PN_CHECK(pn_svg_geo_code(g, 2) == NULL);
    /* the projection: x = lon cos(46.5 deg), y = -lat, scaled so the larger side is 800 */
    double k = cos(46.5 * M_PI / 180), spanx = 5 * k, spany = 2, scale = 800 / spanx;
    double w, h;
    pn_svg_geo_size(g, &w, &h);
    PN_CHECK_NEAR(w, 800, 0.051);
    PN_CHECK_NEAR(h, spany * scale, 0.051);
    const double lon[] = {0, 2, 2, 0}, lat[] = {46, 46, 47, 47};
    double vx[16], vy[16];
    size_t nv = vertices(pn_svg_geo_path(g, 0), vx, vy, 16);
    PN_CHECK(nv == 4); /* the closing position is Z */
    for (size_t i = 0; i < nv && i < 4; i++) {
        PN_CHECK_NEAR(vx[i], lon[i] * k * scale, 0.051);
        PN_CHECK_NEAR(vy[i], (47 - lat[i]) * scale, 0.051);
    }
    const char *p1 = pn_svg_geo_path(g, 1);
    PN_CHECK(count(p1, "M") == 2 && count(p1, "Z") == 2);
    nv = vertices(p1, vx, vy, 16);
    PN_CHECK(nv == 8);
    if (nv == 8) {
        PN_CHECK_NEAR(vx[4], 4 * k * scale, 0.051);
        PN_CHECK_NEAR(vy[4], (47 - 45) * scale, 0.051);
    }
    /* coordinates at 0.1: at most one decimal */
    const char *dot = strchr(p1, '.');
    PN_CHECK(dot == NULL || !(dot[1] >= '0' && dot[1] <= '9' && dot[2] >= '0' && dot[2] <= '9'));
    pn_svg_geo_free(g);
}

/* parse `text`: expect `code` and a message containing `word` and the file name */
static void bad(const char *text, int code, const char *word)
{
    pn_svg_geo *g = NULL;
    pn_diag diag = {0};
    int rc = parse(text, &g, &diag);
    if (rc != code || g != NULL || strstr(diag.msg, word) == NULL ||
        strstr(diag.msg, "t.geojson") == NULL) {
        fprintf(stderr, "bad(%.60s): rc %d, expected %d, message '%s', expected '%s'\n", text,
                rc, code, diag.msg, word);
        pn__test_failed = 1;
    }
    pn_svg_geo_free(g);
}

PN_TEST(geo_errors)
{
    bad("{\"type\":\"FeatureCollection\",\"features\":[", PN_EPARSE, "not valid JSON");
    bad("[1,2]", PN_EPARSE, "FeatureCollection");
    bad("{\"type\":\"Topology\",\"features\":[]}", PN_EPARSE, "FeatureCollection");
    bad("{\"type\":\"FeatureCollection\",\"features\":[]}", PN_EEMPTY, "no feature");
    const char *sq = "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,46],[1,46],[1,47],[0,46]]]}";
    char buf[1024];
    snprintf(buf, sizeof buf, "{\"features\":[{\"properties\":{\"code\":\"A\"},%s},"
             "{\"properties\":{\"nom\":\"x\"},%s}]}", sq, sq);
    bad(buf, PN_EPARSE, "features[1]: no property 'code'");
    snprintf(buf, sizeof buf, "{\"features\":[{\"properties\":{\"code\":\"A\"},%s},"
             "{\"properties\":{\"code\":\"A\"},%s}]}", sq, sq);
    bad(buf, PN_EDUP, "code 'A'");
    snprintf(buf, sizeof buf, "{\"features\":[{\"properties\":{\"code\":\"a b\"},%s}]}", sq);
    bad(buf, PN_EPARSE, "features[0]: property 'code'");
    snprintf(buf, sizeof buf, "{\"features\":[{\"properties\":{\"code\":7},%s}]}", sq);
    bad(buf, PN_EPARSE, "features[0]: no property 'code'");
    bad("{\"features\":[{\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[0,46],[200,46],[1,47],[0,46]]]}}]}", PN_EPARSE, "position 1");
    bad("{\"features\":[{\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[0,46],[1e999,46],[1,47],[0,46]]]}}]}", PN_EPARSE, "t.geojson");
    bad("{\"features\":[{\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[0,46],[\"1\",46],[1,47],[0,46]]]}}]}", PN_EPARSE, "two numbers");
    bad("{\"features\":[{\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[0,46],[1,46]]]}}]}", PN_EPARSE, "at least 3 positions");
    bad("{\"features\":[{\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[0,46]}}]}", PN_EPARSE, "'Point' is not Polygon");
    bad("{\"features\":[{\"properties\":{\"code\":\"A\"}}]}", PN_EPARSE, "features[0]: no geometry");
    bad("{\"features\":[{\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[1,46],[1,46],[1,46]]]}}]}", PN_EEMPTY, "no extent");
    /* a nesting bomb is refused before jansson recurses */
    char deep[400];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 199);
    deep[399] = '\0';
    bad(deep, PN_EPARSE, "nested deeper");
}

PN_TEST(geo_load_files)
{
    pn_svg_geo *g = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_svg_geo_load("/nonexistent/x.geojson", &g, &diag) == PN_EIO);
    PN_CHECK(g == NULL && strstr(diag.msg, "/nonexistent/x.geojson") != NULL);
    char dir[64];
    pn_test_mkdir(dir, sizeof dir, "test_svg");
    pn_test_write(dir, "s.geojson", small_geo);
    pn_test_write(dir, "bad.geojson", "{\"features\": 3}");
    char path[128];
    snprintf(path, sizeof path, "%s/s.geojson", dir);
    PN_CHECK(pn_svg_geo_load(path, &g, &diag) == PN_OK && pn_svg_geo_count(g) == 2);
    pn_svg_geo_free(g);
    g = NULL;
    unlink(path);
    snprintf(path, sizeof path, "%s/bad.geojson", dir);
    PN_CHECK(pn_svg_geo_load(path, &g, &diag) == PN_EPARSE && strstr(diag.msg, path) != NULL);
    unlink(path);
    PN_CHECK(pn_svg_geo_load(dir, &g, &diag) == PN_EIO); /* a directory */
    rmdir(dir);
    /* the bundled outlines: the 96 metropolitan départements */
    PN_CHECK(pn_data_path(path, sizeof path, NULL, "geo/departements-simplifie.geojson", &diag) == PN_OK);
    PN_CHECK(pn_svg_geo_load(path, &g, &diag) == PN_OK);
    PN_CHECK(pn_svg_geo_count(g) == 96);
    int corse = 0;
    for (size_t i = 0; i < pn_svg_geo_count(g); i++)
        corse += strcmp(pn_svg_geo_code(g, i), "2A") == 0 || strcmp(pn_svg_geo_code(g, i), "2B") == 0;
    PN_CHECK(corse == 2);
    pn_svg_geo_free(g);
}

/* ---- choropleth ---------------------------------------------------------------------------- */

static int palette_index(const char *fill)
{
    for (int k = 0; k < 5; k++)
        if (fill && strcmp(fill, pn__svg_seq5[k]) == 0) return k;
    return -1;
}

PN_TEST(map_small)
{
    pn_svg_geo *g = NULL;
    pn_diag diag = {0};
    PN_CHECK(parse(small_geo, &g, &diag) == PN_OK);
    if (g == NULL) return;
    const char *codes[] = {"B", "A", "971"};
    const double values[] = {NAN, 0.125, 0.5};
    pn_svg_map_opts o = {"Carte <test>", "Survie à 5 ans", 1};
    char *svg = NULL;
    size_t len = 0;
    PN_CHECK(pn_svg_map(g, &o, codes, values, 3, &svg, &len, &diag) == PN_OK);
    if (svg) {
        PN_CHECK(strlen(svg) == len);
        PN_CHECK(strstr(svg, "<title>Aude &amp; co : 12,5 %</title>") != NULL);
        PN_CHECK(strstr(svg, "<title>B : données masquées ou absentes</title>") != NULL);
        const char *fill = attr_after(svg, "id=\"d-B\"", "fill", NULL);
        PN_CHECK(fill && strcmp(fill, "url(#pn-hatch)") == 0);
        PN_CHECK(palette_index(attr_after(svg, "id=\"d-A\"", "fill", NULL)) >= 0);
        PN_CHECK(strstr(svg, "id=\"d-971\"") == NULL); /* not an area: ignored */
        PN_CHECK(strstr(svg, "<title>Carte &lt;test&gt;</title>") != NULL);
        PN_CHECK(strstr(svg, ">hors champ</text>") == NULL); /* no such legend entry */
    }
    pn_free(svg);
    svg = NULL;
    /* A only: B is outside the codes, plain grey */
    PN_CHECK(pn_svg_map(g, &o, codes + 1, values + 1, 1, &svg, NULL, &diag) == PN_OK);
    if (svg) {
        PN_CHECK(strstr(svg, "<title>B : hors champ</title>") != NULL);
        const char *fill = attr_after(svg, "id=\"d-B\"", "fill", NULL);
        PN_CHECK(fill && palette_index(fill) < 0 && strncmp(fill, "url(", 4) != 0);
    }
    pn_free(svg);
    svg = NULL;
    const char *twice[] = {"A", "A"};
    PN_CHECK(pn_svg_map(g, &o, twice, values, 2, &svg, NULL, &diag) == PN_EINVAL);
    PN_CHECK(svg == NULL && strstr(diag.msg, "'A' is given twice") != NULL);
    pn_svg_geo_free(g);
}

PN_TEST(map_quantile_classes)
{
    char path[512];
    pn_svg_geo *g = NULL;
    pn_diag diag = {0};
    PN_CHECK(pn_data_path(path, sizeof path, NULL, "geo/departements-simplifie.geojson", &diag) == PN_OK);
    PN_CHECK(pn_svg_geo_load(path, &g, &diag) == PN_OK);
    if (g == NULL) return;
    size_t n = pn_svg_geo_count(g);
    const char *codes[96];
    double values[96];
    for (size_t i = 0; i < n && i < 96; i++) {
        codes[i] = pn_svg_geo_code(g, i);
        values[i] = (double)((i * 37) % 96) / 100; /* a permutation of 0..0.95 */
    }
    pn_svg_map_opts o = {"Départements", "Valeur", 0};
    char *svg = NULL;
    PN_CHECK(pn_svg_map(g, &o, codes, values, n, &svg, NULL, &diag) == PN_OK);
    if (svg == NULL) goto done;
    int per_class[5] = {0};
    /* a larger value never falls in a lighter class; the classes hold a fifth each */
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "id=\"d-%s\"", codes[i]);
        int k = palette_index(attr_after(svg, id, "fill", NULL));
        PN_CHECK(k >= 0);
        if (k < 0) continue;
        per_class[k]++;
        for (size_t j = 0; j < i; j++) {
            char id2[32];
            snprintf(id2, sizeof id2, "id=\"d-%s\"", codes[j]);
            int k2 = palette_index(attr_after(svg, id2, "fill", NULL));
            if (values[j] < values[i]) PN_CHECK(k2 <= k);
            if (values[j] > values[i]) PN_CHECK(k2 >= k);
        }
    }
    for (int k = 0; k < 5; k++) PN_CHECK(per_class[k] >= 18 && per_class[k] <= 21);
    /* legend: 5 classes with French bounds, the first from the minimum */
    PN_CHECK(strstr(svg, ">0,00 \xE2\x80\x93 0,19</text>") != NULL);
    PN_CHECK(count(svg, "<path id=\"d-") == 96);
done:
    pn_free(svg);
    pn_svg_geo_free(g);
}

PN_TEST_MAIN(PN_T(format_fr), PN_T(curve_steps), PN_T(curve_x_max_cuts), PN_T(curve_bad_input),
             PN_T(escaping), PN_T(geo_small), PN_T(geo_errors), PN_T(geo_load_files),
             PN_T(map_small), PN_T(map_quantile_classes))
