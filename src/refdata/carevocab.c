/* carevocab.c - the names of the event types and care settings (carevocab.h). */
#include "pronostic/carevocab.h"

#include <string.h>

const char *const pn_event_type_names[] = {
    "imaging", "biopsy", "pathology", "tumour_board", "surgery", "chemotherapy", "radiotherapy",
    "targeted_therapy", "immunotherapy", "emergency_visit", "hospital_admission",
    "icu_admission", "palliative_care", "supportive_care", "pain_consultation",
    "trial_screening", "trial_inclusion", "progression", "death", NULL,
};

const char *const pn_setting_names[] = {
    "acute_hospital", "home", "hospice", "palliative_unit", "nursing_home", "other", NULL,
};

int pn_vocab_code(const char *const *names, const char *text, size_t len)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strlen(names[i]) == len && memcmp(names[i], text, len) == 0) return i;
    return -1;
}
