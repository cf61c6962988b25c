/* departement.c - French départements and their regions (INSEE codes, regions of 2016). */
#include "pronostic/departement.h"
#include "pronostic/error.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct region {
    int code;
    const char *name;       /* official name, UTF-8 */
    const char *ascii;      /* the same without accents, for matching */
    const char *deps;       /* its départements, space-separated */
} region;

static const region regions[] = {
    {11, "Île-de-France", "Ile-de-France", "75 77 78 91 92 93 94 95"},
    {24, "Centre-Val de Loire", "Centre-Val de Loire", "18 28 36 37 41 45"},
    {27, "Bourgogne-Franche-Comté", "Bourgogne-Franche-Comte", "21 25 39 58 70 71 89 90"},
    {28, "Normandie", "Normandie", "14 27 50 61 76"},
    {32, "Hauts-de-France", "Hauts-de-France", "02 59 60 62 80"},
    {44, "Grand Est", "Grand Est", "08 10 51 52 54 55 57 67 68 88"},
    {52, "Pays de la Loire", "Pays de la Loire", "44 49 53 72 85"},
    {53, "Bretagne", "Bretagne", "22 29 35 56"},
    {75, "Nouvelle-Aquitaine", "Nouvelle-Aquitaine", "16 17 19 23 24 33 40 47 64 79 86 87"},
    {76, "Occitanie", "Occitanie", "09 11 12 30 31 32 34 46 48 65 66 81 82"},
    {84, "Auvergne-Rhône-Alpes", "Auvergne-Rhone-Alpes", "01 03 07 15 26 38 42 43 63 69 73 74"},
    {93, "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Cote d'Azur", "04 05 06 13 83 84"},
    {94, "Corse", "Corse", "2A 2B"},
    {1, "Guadeloupe", "Guadeloupe", "971"},
    {2, "Martinique", "Martinique", "972"},
    {3, "Guyane", "Guyane", "973"},
    {4, "La Réunion", "La Reunion", "974"},
    {6, "Mayotte", "Mayotte", "976"},
};

#define NREGIONS (sizeof regions / sizeof *regions)

int pn_departement_valid(const char *code, size_t len)
{
    if (len == 2) {
        if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B')) return 1;
        if (code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9') return 0;
        int n = (code[0] - '0') * 10 + (code[1] - '0');
        return n >= 1 && n <= 95 && n != 20;
    }
    if (len == 3) return code[0] == '9' && code[1] == '7' && code[2] >= '1' && code[2] <= '6';
    return 0;
}

_Static_assert(NREGIONS == PN_REGION_COUNT, "PN_REGION_COUNT is the number of regions");

int pn_region_code_at(int i)
{
    return i >= 0 && i < (int)NREGIONS ? regions[i].code : 0;
}

int pn_departement_index(const char *code, size_t len)
{
    if (!pn_departement_valid(code, len)) return 0;
    if (len == 3) return 98 + (code[2] - '1');
    if (code[0] == '2' && code[1] == 'A') return 96;
    if (code[0] == '2' && code[1] == 'B') return 97;
    return (code[0] - '0') * 10 + (code[1] - '0');
}

const char *pn_departement_code(int index)
{
    static const char codes[PN_DEPARTEMENT_INDEXES][4] = {
        "", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14",
        "15", "16", "17", "18", "19", "", "21", "22", "23", "24", "25", "26", "27", "28", "29",
        "30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44",
        "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59",
        "60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "74",
        "75", "76", "77", "78", "79", "80", "81", "82", "83", "84", "85", "86", "87", "88", "89",
        "90", "91", "92", "93", "94", "95", "2A", "2B", "971", "972", "973", "974", "975", "976",
    };
    if (index <= 0 || index >= PN_DEPARTEMENT_INDEXES || codes[index][0] == '\0') return NULL;
    return codes[index];
}

int pn_region_of_departement(const char *code)
{
    size_t len = strlen(code);
    if (!pn_departement_valid(code, len)) return 0;
    for (size_t r = 0; r < NREGIONS; r++) {
        const char *p = regions[r].deps;
        while (*p) {
            size_t n = strcspn(p, " ");
            if (n == len && memcmp(p, code, len) == 0) return regions[r].code;
            p += n;
            while (*p == ' ') p++;
        }
    }
    return 0; /* 975, Saint-Pierre-et-Miquelon: not a region */
}

const char *pn_region_name(int code)
{
    for (size_t r = 0; r < NREGIONS; r++)
        if (regions[r].code == code) return regions[r].name;
    return "";
}

int pn_region_parse(const char *name, int *out)
{
    for (size_t r = 0; r < NREGIONS; r++)
        if (strcasecmp(name, regions[r].name) == 0 || strcasecmp(name, regions[r].ascii) == 0) {
            *out = regions[r].code;
            return PN_OK;
        }
    /* an INSEE code, "11" or "01" */
    char *end = NULL;
    long v = strtol(name, &end, 10);
    if (name[0] != '\0' && end != NULL && *end == '\0')
        for (size_t r = 0; r < NREGIONS; r++)
            if (regions[r].code == v) {
                *out = regions[r].code;
                return PN_OK;
            }
    return PN_ENOTFOUND;
}
