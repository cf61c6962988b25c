/* fuzz_pathway.c - libFuzzer target for the care-pathway indicators: the configuration file's
 * parser (any bytes give a configuration or a clean error naming the line), then one patient's
 * pathway built from the input (tumours, events with stays, lines, in any order of dates) and
 * evaluated under that configuration: every record's numerator is within its denominator, its
 * delays are -1 or non-negative, its cumulative-incidence data consistent. */
#include "pn_fuzz.h"
#include "pronostic/carevocab.h"
#include "pronostic/pathway.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the first part (up to a 0xff byte) is the configuration text, the rest the patient */
    const uint8_t *cut = memchr(data, 0xff, size);
    size_t nconf = cut ? (size_t)(cut - data) : size;
    pn_pathway_conf conf;
    pn_pathway_conf_defaults(&conf);
    pn_diag diag = {0};
    if (pn_pathway_conf_parse(&conf, (const char *)data, nconf, "fuzz.conf", &diag) != PN_OK) {
        if (strncmp(diag.msg, "fuzz.conf:", 10) != 0) abort();
        pn_pathway_conf_defaults(&conf);
    }
    const uint8_t *p = cut ? cut + 1 : data + size;
    size_t n = (size_t)(data + size - p);
    pn_scan_tumour tum[4];
    pn_scan_event ev[64];
    pn_scan_line ln[8];
    size_t nt = 0, ne = 0, nl = 0;
    char *ids[2] = {"130000002", "750000001"}, *auth[2] = {"SURG-B1", NULL};
    pn_pw_centres centres = {2, ids, auth};
    int32_t base = 18000;   /* 2019 */
    for (size_t i = 0; i + 4 <= n; i += 4) {
        const uint8_t *b = p + i;
        int32_t d = base + (int32_t)(b[1] | (b[2] << 8)) % 2000 - 500;
        switch (b[0] % 4) {
        case 0:
            if (nt < 4) {
                pn_scan_tumour t = {.tid = 1 + (int64_t)(b[3] % 3), .diagnosis_date = d,
                                    .site = 1 + b[3] % 7, .stage_iv = b[3] >> 7,
                                    .centre = b[3] & 8 ? ids[b[3] & 1] : NULL, .centre_len = 9};
                tum[nt++] = t;
            }
            break;
        case 3:
            if (nl < 8) {
                ln[nl] = (pn_scan_line){.line = 1 + (int)nl, .start_date = d,
                                        .end_date = PN_NO_DATE};
                nl++;
            }
            break;
        default:
            if (ne < 64) {
                pn_scan_event e = {.date = d, .type = b[3] % PN_EVENT_COUNT,
                                   .end_date = b[0] & 0x40 ? d + b[3] % 40 : PN_NO_DATE,
                                   .setting = (int)(b[0] >> 5) % (PN_SETTING_COUNT + 1) - 1,
                                   .tid = b[0] & 0x10 ? 1 : 0,
                                   .centre = b[0] & 0x20 ? ids[b[3] & 1] : NULL,
                                   .centre_len = 9, .code = "L01XA03", .code_len = 7};
                ev[ne++] = e;
            }
        }
    }
    if (nt == 0) return 0;
    /* the scan's orders: tumours by site, date; events by date; lines by start */
    for (size_t i = 1; i < nt; i++)
        for (size_t j = i; j > 0 && (tum[j].site < tum[j - 1].site ||
                                     (tum[j].site == tum[j - 1].site &&
                                      tum[j].diagnosis_date < tum[j - 1].diagnosis_date)); j--) {
            pn_scan_tumour t = tum[j]; tum[j] = tum[j - 1]; tum[j - 1] = t;
        }
    for (size_t i = 1; i < ne; i++)
        for (size_t j = i; j > 0 && ev[j].date < ev[j - 1].date; j--) {
            pn_scan_event e = ev[j]; ev[j] = ev[j - 1]; ev[j - 1] = e;
        }
    for (size_t i = 1; i < nl; i++)
        for (size_t j = i; j > 0 && ln[j].start_date < ln[j - 1].start_date; j--) {
            pn_scan_line l = ln[j]; ln[j] = ln[j - 1]; ln[j - 1] = l;
        }
    pn_scan_patient pt = {.pid = 1, .sex = 1 + (p[0] & 1), .birth_date = base - 20000,
                          .dead = p[0] >> 7, .vital_status_date = base + 900,
                          .residence = "75", .residence_len = 2, .death_place = -1,
                          .ntumours = nt, .tumours = tum, .nevents = ne, .events = ev,
                          .nlines = nl, .lines = ln};
    pn_pw_record out[7];
    size_t nr = 0;
    pn_pathway_evaluate(&pt, &conf, base + 1000, &centres, out, &nr);
    if (nr > 7) abort();
    for (size_t i = 0; i < nr; i++) {
        const pn_pw_record *r = &out[i];
        if ((r->num & ~r->den) != 0) abort();
        for (int k = 0; k < 3; k++)
            if (r->delay[k] < -1) abort();
        for (int o = 0; o < 2; o++)
            if (r->ci_time[o] < -1 || (r->ci_time[o] >= 0 && (r->ci_state[o] < 0 || r->ci_state[o] > 2)))
                abort();
        /* a record always has the diagnosis as an origin */
        if (r->ci_time[0] < 0) abort();
    }
    return 0;
}
