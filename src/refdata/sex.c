/* sex.c - the sex codes (sex.h): parsing the spellings the inputs use, and the names. */
#include "pronostic/sex.h"
#include "pronostic/error.h"

#include <string.h>
#include <strings.h>

int pn_sex_parse(const char *s, size_t len, int *sex)
{
    static const struct { const char *text; int sex; } codes[] = {
        {"male", PN_SEX_MALE}, {"female", PN_SEX_FEMALE}, {"M", PN_SEX_MALE},
        {"F", PN_SEX_FEMALE},  {"m", PN_SEX_MALE},        {"f", PN_SEX_FEMALE},
        {"1", PN_SEX_MALE},    {"2", PN_SEX_FEMALE},      {"Male", PN_SEX_MALE},
        {"Female", PN_SEX_FEMALE},
    };
    /* the words in any case (MALE, Female) */
    if (len == 4 && strncasecmp(s, "male", 4) == 0) return *sex = PN_SEX_MALE, PN_OK;
    if (len == 6 && strncasecmp(s, "female", 6) == 0) return *sex = PN_SEX_FEMALE, PN_OK;
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strlen(codes[i].text) == len && memcmp(codes[i].text, s, len) == 0) {
            *sex = codes[i].sex;
            return PN_OK;
        }
    return PN_EPARSE;
}

const char *pn_sex_name(int sex)
{
    return sex == PN_SEX_FEMALE ? "female" : "male";
}
