/* store_map.c - an open-addressing hash map from 16-byte pseudonyms to row facts, for import.
 *
 * Keys are BLAKE2b outputs, already uniform: their first 8 bytes are the hash. Entries are
 * never removed; the table doubles when three quarters full.
 */
#include "store_map.h"
#include "pronostic/alloc.h"

#include <string.h>

static uint64_t slot_of(const unsigned char *key, size_t mask)
{
    uint64_t h;
    memcpy(&h, key, sizeof h);
    return h & mask;
}

int pn__map_init(pn__map *m, size_t expect)
{
    size_t cap = 1024;
    while (3 * cap < 4 * expect) cap *= 2;
    m->slots = pn_calloc(cap, sizeof *m->slots);
    if (m->slots == NULL) return PN_ENOMEM;
    m->cap = cap;
    m->count = 0;
    return PN_OK;
}

void pn__map_free(pn__map *m)
{
    pn_free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

pn__entry *pn__map_find(const pn__map *m, const unsigned char key[16])
{
    size_t mask = m->cap - 1;
    for (size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
        pn__entry *e = &m->slots[i];
        if (e->state == 0) return NULL;
        if (memcmp(e->key, key, 16) == 0) return e;
    }
}

static int grow(pn__map *m)
{
    size_t ncap = m->cap * 2, mask = ncap - 1;
    pn__entry *ns = pn_calloc(ncap, sizeof *ns);
    if (ns == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].state == 0) continue;
        size_t j = slot_of(m->slots[i].key, mask);
        while (ns[j].state != 0) j = (j + 1) & mask;
        ns[j] = m->slots[i];
    }
    pn_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return PN_OK;
}

pn__entry *pn__map_insert(pn__map *m, const unsigned char key[16])
{
    pn__entry *e = pn__map_find(m, key);
    if (e != NULL) return e;
    if (4 * (m->count + 1) > 3 * m->cap && grow(m) != PN_OK) return NULL;
    size_t mask = m->cap - 1, i = slot_of(key, mask);
    while (m->slots[i].state != 0) i = (i + 1) & mask;
    e = &m->slots[i];
    memset(e, 0, sizeof *e);
    memcpy(e->key, key, 16);
    e->state = PN__ENTRY_NEW;
    m->count++;
    return e;
}
