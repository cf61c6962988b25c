/* carevocab.h - the care-pathway vocabularies of the bundle (docs/interfaces.md 2): the event
 * types of events.csv and the care settings of events.csv's `setting` and patients.csv's
 * `death_place`, with the integer codes the store keeps (the store's event_types table holds the
 * same names and codes). */
#ifndef PRONOSTIC_CAREVOCAB_H
#define PRONOSTIC_CAREVOCAB_H

#include <stddef.h>

/* Event types, in the order of their store codes (0..PN_EVENT_COUNT-1). */
enum pn_event_type {
    PN_EVENT_IMAGING = 0, PN_EVENT_BIOPSY, PN_EVENT_PATHOLOGY, PN_EVENT_TUMOUR_BOARD,
    PN_EVENT_SURGERY, PN_EVENT_CHEMOTHERAPY, PN_EVENT_RADIOTHERAPY, PN_EVENT_TARGETED_THERAPY,
    PN_EVENT_IMMUNOTHERAPY, PN_EVENT_EMERGENCY_VISIT, PN_EVENT_HOSPITAL_ADMISSION,
    PN_EVENT_ICU_ADMISSION, PN_EVENT_PALLIATIVE_CARE, PN_EVENT_SUPPORTIVE_CARE,
    PN_EVENT_PAIN_CONSULTATION, PN_EVENT_TRIAL_SCREENING, PN_EVENT_TRIAL_INCLUSION,
    PN_EVENT_PROGRESSION, PN_EVENT_DEATH, PN_EVENT_COUNT
};

/* The names of the event types by code, then NULL (PN_EVENT_COUNT + 1 entries). */
extern const char *const pn_event_type_names[];

/* Care settings, in the order of their store codes (0..PN_SETTING_COUNT-1). */
enum pn_setting {
    PN_SETTING_ACUTE_HOSPITAL = 0, PN_SETTING_HOME, PN_SETTING_HOSPICE,
    PN_SETTING_PALLIATIVE_UNIT, PN_SETTING_NURSING_HOME, PN_SETTING_OTHER, PN_SETTING_COUNT
};

/* The names of the settings by code ("acute_hospital", ...), then NULL. */
extern const char *const pn_setting_names[];

/* The code of the name of `len` bytes in the NULL-terminated list `names` (exact match), or -1. */
int pn_vocab_code(const char *const *names, const char *text, size_t len);

#endif
