/* store_map.h - the import's in-memory index of patients and tumours by pseudonym. */
#ifndef PRONOSTIC_STORE_MAP_H
#define PRONOSTIC_STORE_MAP_H

#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

enum { PN__ENTRY_EMPTY = 0, PN__ENTRY_NEW = 1, PN__ENTRY_LOADED = 2, PN__ENTRY_QUARANTINED = 3 };
/* Why a patient is consolidated at the end of the run: its observations changed, or it has
 * several sources and got a tumour (which may contradict another source's death). */
enum { PN__DIRTY_OBS = 1, PN__DIRTY_TUMOUR = 2 };

typedef struct pn__entry {
    unsigned char key[16];  /* the pseudonym */
    int64_t id;             /* pid or tid */
    int64_t ref;            /* tumours: the pid */
    uint64_t h;             /* tumours: content fingerprint; patients: fingerprint of the
                               observation of `source` */
    int32_t date1;          /* patients: consolidated birth date (first day of its month when
                               imprecise); tumours: diagnosis date */
    int32_t date2;          /* patients: consolidated vital-status date */
    int32_t own_date1;      /* patients, when line > 0: this run's row's birth date (as date1) */
    int32_t own_date2;      /* patients, when line > 0: this run's row's vital-status date */
    int32_t line;           /* line of this run's row that loaded it; 0: an earlier run */
    int64_t source;         /* source of `h` (patients) or that loaded it (tumours) */
    uint16_t nsrc;          /* patients: number of sources that sent it */
    uint8_t state;          /* PN__ENTRY_* */
    uint8_t flag;           /* patients: consolidated vital status (1 dead) */
    uint8_t own_flag;       /* patients, when line > 0: this run's row's vital status */
    uint8_t sex;            /* patients: 1 male, 2 female (consolidated) */
    uint8_t dirty;          /* patients: PN__DIRTY_* bits, consolidated at the end of the run */
    uint8_t conflict;       /* patients: PN__CONFLICT_* bits of consolidate.h */
    uint8_t had_conflict;   /* patients: the store listed conflicts of it before this run */
} pn__entry;

typedef struct pn__map {
    pn__entry *slots;
    size_t cap, count;
} pn__map;

int pn__map_init(pn__map *m, size_t expect);
void pn__map_free(pn__map *m);
/* The entry of `key` or NULL. */
pn__entry *pn__map_find(const pn__map *m, const unsigned char key[16]);
/* The entry of `key`, created (state PN__ENTRY_NEW) when absent; NULL when out of memory.
 * Pointers into the map are invalidated by the next insert. */
pn__entry *pn__map_insert(pn__map *m, const unsigned char key[16]);

#endif
