/* pathway_write.c - the care-pathway indicators' long form (docs/interfaces.md 1.4:
 * indicator,site,group,numerator,denominator,estimate,lower,upper,benchmark,suppressed) through a
 * writer, masked by the protected cube: for `pronostic pathway` and /api/v1/pathway. */
#include "pronostic/pwpublish.h"
#include "pronostic/site.h"
#include "pronostic/writer.h"

#include <math.h>

int pn_pw_write_rows(FILE *out, pn_format format, const pn_pw_row *rows, size_t n,
                     const pn_pw_protected *prot)
{
    static const char *const cols[] = {"indicator", "site", "group", "numerator", "denominator",
                                       "estimate", "lower", "upper", "benchmark", "suppressed"};
    pn_writer *w = NULL;
    int rc = pn_writer_open_held(&w, out, format, cols, sizeof cols / sizeof *cols);
    if (rc != PN_OK) return rc;
    for (size_t i = 0; i < n; i++) {
        const pn_pw_row *r = &rows[i];
        pn_pw_mask m = {0};
        if (prot) pn_pw_mask_row(prot, r, &m);
        pn_writer_str(w, pn_pw_name(r->indicator));
        pn_writer_str(w, r->site ? pn_site_name(r->site) : "all");
        pn_writer_str(w, r->group);
        if (m.numerator) pn_writer_missing(w);
        else pn_writer_int(w, r->numerator);
        if (m.denominator) pn_writer_missing(w);
        else pn_writer_int(w, r->denominator);
        pn_writer_num(w, m.estimate ? NAN : r->estimate);
        pn_writer_num(w, m.estimate ? NAN : r->lower);
        pn_writer_num(w, m.estimate ? NAN : r->upper);
        pn_writer_num(w, r->benchmark);
        pn_writer_str(w, m.suppressed ? pn_disclosure_status_name(m.suppressed) : NULL);
        pn_writer_end_row(w);
    }
    return pn_writer_close(w);
}

