/* fuzz_geo.c - libFuzzer target for the GeoJSON outlines of maps (pn_svg_geo_parse, the parser
 * pn_svg_geo_load uses): any bytes give outlines or a clean error naming the file; on outlines,
 * every area has a code, a name and path data of M, L, Z and numbers within the viewBox, and
 * a choropleth of them (values drawn from the input, some NaN) is a complete document. */
#include "pn_fuzz.h"
#include "pronostic/alloc.h"
#include "pronostic/svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn_svg_geo *g = NULL;
    pn_diag diag = {0};
    if (pn_svg_geo_parse((const char *)data, size, "fuzz.geojson", &g, &diag) != PN_OK) {
        if (g != NULL || strncmp(diag.msg, "fuzz.geojson", 12) != 0) abort();
        return 0;
    }
    size_t n = pn_svg_geo_count(g);
    double w, h;
    pn_svg_geo_size(g, &w, &h);
    if (n == 0 || !(w >= 0 && w <= 800.05 && h >= 0 && h <= 800.05) || (w < 799.95 && h < 799.95))
        abort();
    const char **codes = pn_malloc((n + 1) * sizeof *codes);
    double *values = pn_malloc((n + 1) * sizeof *values);
    if (codes == NULL || values == NULL) abort();
    for (size_t i = 0; i < n; i++) {
        const char *code = pn_svg_geo_code(g, i), *name = pn_svg_geo_name(g, i);
        const char *d = pn_svg_geo_path(g, i);
        if (code == NULL || name == NULL || d == NULL || code[0] == '\0') abort();
        for (const char *p = d; *p;) {
            if (*p == 'M' || *p == 'L' || *p == 'Z' || *p == ' ') {
                p++;
                continue;
            }
            char *end;
            double v = strtod(p, &end);
            if (end == p || !(v >= -0.05 && v <= 800.05)) abort();
            p = end;
        }
        codes[i] = code;
        values[i] = size > i && data[i] % 7 == 0 ? NAN : (double)(size > i ? data[i] : 0) / 255;
    }
    char *svg = NULL;
    size_t len = 0;
    pn_svg_map_opts o = {"fuzz", "valeur", 1};
    if (pn_svg_map(g, &o, codes, values, n, &svg, &len, &diag) != PN_OK) abort();
    if (len < 7 || strcmp(svg + len - 7, "</svg>\n") != 0) abort();
    pn_free(svg);
    pn_free(values);
    pn_free(codes);
    pn_svg_geo_free(g);
    return 0;
}
