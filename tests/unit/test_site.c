/* test_site.c - site classification (docs/interfaces.md 4) and code checks. */
#include "pn_test.h"
#include "pronostic/error.h"
#include "pronostic/site.h"

PN_TEST(icd10_sites)
{
    PN_CHECK(pn_site_classify("C25.1", NULL, NULL) == PN_SITE_PANCREAS);
    PN_CHECK(pn_site_classify("C250", NULL, NULL) == PN_SITE_PANCREAS);
    PN_CHECK(pn_site_classify("C15.9", "", "") == PN_SITE_OESOPHAGUS);
    PN_CHECK(pn_site_classify("C22", NULL, NULL) == PN_SITE_LIVER);
    PN_CHECK(pn_site_classify("C33", NULL, NULL) == PN_SITE_LUNG);
    PN_CHECK(pn_site_classify("C34.1", NULL, NULL) == PN_SITE_LUNG);
    PN_CHECK(pn_site_classify("C70.0", NULL, NULL) == PN_SITE_CNS);
    PN_CHECK(pn_site_classify("C71.9", NULL, NULL) == PN_SITE_CNS);
    PN_CHECK(pn_site_classify("C72", NULL, NULL) == PN_SITE_CNS);
    PN_CHECK(pn_site_classify("C56", NULL, NULL) == PN_SITE_OVARY);
    PN_CHECK(pn_site_classify("C18.7", NULL, NULL) == PN_SITE_OTHER);
    PN_CHECK(pn_site_classify("C73", NULL, NULL) == PN_SITE_OTHER);
    PN_CHECK(pn_site_classify("C16", NULL, NULL) == PN_SITE_OTHER);
}

PN_TEST(icd10_aml_list)
{
    const char *aml[] = {"C92.0", "C92.4", "C92.5", "C92.6", "C92.8", "C93.0", "C94.0", "C94.2",
                         "C920", "C942"};
    for (size_t i = 0; i < sizeof aml / sizeof *aml; i++)
        PN_CHECK(pn_site_classify(aml[i], NULL, NULL) == PN_SITE_AML);
    const char *not_aml[] = {"C92.1", "C92.3", "C92.9", "C93.1", "C94.1", "C94.3", "C91.0", "C92"};
    for (size_t i = 0; i < sizeof not_aml / sizeof *not_aml; i++)
        PN_CHECK(pn_site_classify(not_aml[i], NULL, NULL) == PN_SITE_OTHER);
}

PN_TEST(topography_and_morphology)
{
    PN_CHECK(pn_site_classify(NULL, "C25.1", "8140/3") == PN_SITE_PANCREAS);
    PN_CHECK(pn_site_classify("", "C34.9", NULL) == PN_SITE_LUNG);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9861/3") == PN_SITE_AML);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9840/3") == PN_SITE_AML);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9865/3") == PN_SITE_AML);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9874/3") == PN_SITE_AML);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9896/3") == PN_SITE_AML);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9920/3") == PN_SITE_AML);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9931/3") == PN_SITE_AML);
    /* outside the ranges, or not malignant */
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9868/3") == PN_SITE_OTHER);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9863/3") == PN_SITE_OTHER);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9932/3") == PN_SITE_OTHER);
    PN_CHECK(pn_site_classify(NULL, "C42.1", "9861/1") == PN_SITE_OTHER);
    /* morphology decides for AML even when ICD-10 names an organ */
    PN_CHECK(pn_site_classify("C22.0", NULL, "9930/3") == PN_SITE_AML);
    /* ICD-10 wins over topography when both are given */
    PN_CHECK(pn_site_classify("C25.0", "C34.1", "8140/3") == PN_SITE_PANCREAS);
}

PN_TEST(code_checks)
{
    PN_CHECK(pn_icd10_valid("C25.1", 5));
    PN_CHECK(pn_icd10_valid("C25", 3));
    PN_CHECK(pn_icd10_valid("C251", 4));
    PN_CHECK(pn_icd10_valid("I21.01", 6));
    PN_CHECK(!pn_icd10_valid("C2", 2));
    PN_CHECK(!pn_icd10_valid("c25.1", 5));
    PN_CHECK(!pn_icd10_valid("C25.", 4));
    PN_CHECK(!pn_icd10_valid("C25.1x", 6));
    PN_CHECK(!pn_icd10_valid("25.1", 4));
    PN_CHECK(pn_topography_valid("C34.1", 5));
    PN_CHECK(pn_topography_valid("C341", 4));
    PN_CHECK(!pn_topography_valid("D34.1", 5));
    PN_CHECK(!pn_topography_valid("C34.12", 6));
    PN_CHECK(pn_morphology_valid("8140/3", 6));
    PN_CHECK(pn_morphology_valid("9861/3", 6));
    PN_CHECK(!pn_morphology_valid("8140/4", 6));
    PN_CHECK(!pn_morphology_valid("81403", 5));
    PN_CHECK(!pn_morphology_valid("814/03", 6));
}

PN_TEST(names)
{
    int s = -1;
    PN_CHECK(pn_site_parse("Lung", &s) == PN_OK && s == PN_SITE_LUNG);
    PN_CHECK(pn_site_parse("aml", &s) == PN_OK && s == PN_SITE_AML);
    PN_CHECK(pn_site_parse("colon", &s) == PN_ENOTFOUND);
    PN_CHECK(pn_site_parse("other", &s) == PN_ENOTFOUND);
    PN_CHECK_STR(pn_site_name(PN_SITE_OESOPHAGUS), "oesophagus");
    PN_CHECK_STR(pn_site_name(99), "other");
    PN_CHECK(pn_site_icss(PN_SITE_CNS) == 2);
    PN_CHECK(pn_site_icss(PN_SITE_LUNG) == 1);
}

PN_TEST_MAIN(PN_T(icd10_sites), PN_T(icd10_aml_list), PN_T(topography_and_morphology),
             PN_T(code_checks), PN_T(names))
