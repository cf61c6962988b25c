/* site.c - classification of tumours into the seven poor-prognosis sites, and code checks. */
#include "pronostic/site.h"
#include "pronostic/error.h"

#include <string.h>
#include <strings.h>

static const char *const site_names[PN_SITE_COUNT] = {
    "other", "pancreas", "oesophagus", "liver", "lung", "cns", "ovary", "aml",
};

const char *pn_site_name(int site)
{
    return site >= 0 && site < PN_SITE_COUNT ? site_names[site] : "other";
}

int pn_site_parse(const char *name, int *site)
{
    for (int s = 1; s < PN_SITE_COUNT; s++)
        if (strcasecmp(name, site_names[s]) == 0) {
            *site = s;
            return PN_OK;
        }
    return PN_ENOTFOUND;
}

int pn_site_icss(int site) { return site == PN_SITE_CNS ? 2 : 1; }

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

int pn_icd10_valid(const char *s, size_t len)
{
    if (len < 3 || !is_upper(s[0]) || !is_digit(s[1]) || !is_digit(s[2])) return 0;
    if (len == 3) return 1;
    if (s[3] == '.') return (len == 5 && is_digit(s[4])) || (len == 6 && is_digit(s[4]) && is_digit(s[5]));
    return (len == 4 && is_digit(s[3])) || (len == 5 && is_digit(s[3]) && is_digit(s[4]));
}

int pn_topography_valid(const char *s, size_t len)
{
    if (len < 3 || s[0] != 'C' || !is_digit(s[1]) || !is_digit(s[2])) return 0;
    if (len == 3) return 1;
    if (s[3] == '.') return len == 5 && is_digit(s[4]);
    return len == 4 && is_digit(s[3]);
}

int pn_morphology_valid(const char *s, size_t len)
{
    if (len != 6 || s[4] != '/') return 0;
    for (int i = 0; i < 4; i++)
        if (!is_digit(s[i])) return 0;
    return s[5] == '0' || s[5] == '1' || s[5] == '2' || s[5] == '3' || s[5] == '6' || s[5] == '9';
}

/* Three-character category as a number ("C25.1" -> 25 for letter C), -1 when not a C code. */
static int c_category(const char *code)
{
    if (code == NULL || code[0] != 'C' || !is_digit(code[1]) || !is_digit(code[2])) return -1;
    return (code[1] - '0') * 10 + (code[2] - '0');
}

/* The fourth character's digit ("C92.0" and "C920" -> 0), -1 when absent. */
static int subcategory(const char *code)
{
    const char *p = code + 3;
    if (*p == '.') p++;
    return is_digit(*p) ? *p - '0' : -1;
}

static int site_of_category(int cat)
{
    switch (cat) {
    case 25: return PN_SITE_PANCREAS;
    case 15: return PN_SITE_OESOPHAGUS;
    case 22: return PN_SITE_LIVER;
    case 33: case 34: return PN_SITE_LUNG;
    case 70: case 71: case 72: return PN_SITE_CNS;
    case 56: return PN_SITE_OVARY;
    default: return PN_SITE_OTHER;
    }
}

static int icd10_is_aml(const char *code)
{
    int cat = c_category(code), sub = subcategory(code);
    if (cat == 92) return sub == 0 || sub == 4 || sub == 5 || sub == 6 || sub == 8;
    if (cat == 93) return sub == 0;
    if (cat == 94) return sub == 0 || sub == 2;
    return 0;
}

static int morphology_is_aml(const char *m)
{
    if (m == NULL || !pn_morphology_valid(m, strlen(m)) || m[5] != '3') return 0;
    int h = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
    return h == 9840 || h == 9861 || (h >= 9865 && h <= 9867) || (h >= 9869 && h <= 9874) ||
           (h >= 9891 && h <= 9898) || (h >= 9910 && h <= 9931);
}

int pn_site_classify(const char *icd10, const char *topography, const char *morphology)
{
    int has_icd = icd10 != NULL && icd10[0] != '\0';
    int has_topo = topography != NULL && topography[0] != '\0';
    if (morphology_is_aml(morphology)) return PN_SITE_AML;
    if (has_icd) {
        if (icd10_is_aml(icd10)) return PN_SITE_AML;
        return site_of_category(c_category(icd10));
    }
    if (has_topo) return site_of_category(c_category(topography));
    return PN_SITE_OTHER;
}
