/* site.h - the seven poor-prognosis cancer sites (docs/interfaces.md 4) and the code checks of import.
 *
 * A tumour's site is decided from its codes: morphology first for acute myeloid leukaemia (a
 * haematological malignancy is defined by its histology, whatever the topography), then the
 * ICD-10 code when given, else the ICD-O-3 topography. Codes are accepted with or without the
 * dot ("C25.1" or "C251"). Sites are small integers so that they can be stored and compared
 * cheaply; PN_SITE_OTHER is any other cancer.
 */
#ifndef PRONOSTIC_SITE_H
#define PRONOSTIC_SITE_H

#include <stddef.h>

enum pn_site {
    PN_SITE_OTHER = 0,
    PN_SITE_PANCREAS = 1,
    PN_SITE_OESOPHAGUS = 2,
    PN_SITE_LIVER = 3,
    PN_SITE_LUNG = 4,
    PN_SITE_CNS = 5,
    PN_SITE_OVARY = 6,
    PN_SITE_AML = 7,
    PN_SITE_COUNT = 8
};

/* Name of a site ("pancreas", ..., "aml"; "other" for PN_SITE_OTHER), never NULL. */
const char *pn_site_name(int site);

/* The site named `name` (one of the seven names, case-insensitive) in *site.
 * Returns PN_OK or PN_ENOTFOUND. */
int pn_site_parse(const char *name, int *site);

/* ICSS standard of a site (Corazziari 2004): 2 for cns, 1 for the others. */
int pn_site_icss(int site);

/* Classify a tumour from its codes (each may be NULL or ""): returns an enum pn_site value.
 * The codes must have passed the checks below. */
int pn_site_classify(const char *icd10, const char *topography, const char *morphology);

/* Code checks (1 when valid). ICD-10: a letter, two digits, optionally a dot and one or two
 * digits ("C25", "C25.1", "C251"). ICD-O-3 topography: "C" two digits, optionally a dot and one
 * digit. ICD-O-3 morphology: four digits, "/" and a behaviour digit 0, 1, 2, 3, 6 or 9. */
int pn_icd10_valid(const char *s, size_t len);
int pn_topography_valid(const char *s, size_t len);
int pn_morphology_valid(const char *s, size_t len);

#endif
