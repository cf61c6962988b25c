/* strset.c - distinct strings numbered in order of first appearance (open addressing). */
#include "pronostic/strset.h"
#include "pronostic/alloc.h"
#include "pronostic/hash.h"

#include <string.h>


static int rehash(pn_strset *set, size_t nslots)
{
    int32_t *slots = pn_calloc(nslots, sizeof *slots);
    if (slots == NULL) return PN_ENOMEM;
    for (size_t c = 0; c < set->n; c++) {
        size_t k = pn_hash_bytes(set->items[c], set->len[c]) & (nslots - 1);
        while (slots[k]) k = (k + 1) & (nslots - 1);
        slots[k] = (int32_t)c + 1;
    }
    pn_free(set->slots);
    set->slots = slots;
    set->nslots = nslots;
    return PN_OK;
}

int64_t pn__strset_code(pn_strset *set, const char *s, size_t len)
{
    if (set->n * 2 >= set->nslots && rehash(set, set->nslots ? set->nslots * 2 : 64) != PN_OK)
        return PN_ENOMEM;
    size_t k = pn_hash_bytes(s, len) & (set->nslots - 1);
    while (set->slots[k]) {
        size_t c = (size_t)set->slots[k] - 1;
        if (set->len[c] == len && memcmp(set->items[c], s, len) == 0) return (int64_t)c;
        k = (k + 1) & (set->nslots - 1);
    }
    if (set->n >= INT32_MAX - 1) return PN_ETOOBIG;
    if (pn_grow((void **)&set->items, &set->cap, set->n + 1, sizeof *set->items) != PN_OK ||
        pn_grow((void **)&set->len, &set->lencap, set->n + 1, sizeof *set->len) != PN_OK)
        return PN_ENOMEM;
    set->items[set->n] = pn_strndup(s, len);
    if (set->items[set->n] == NULL) return PN_ENOMEM;
    set->len[set->n] = len;
    set->slots[k] = (int32_t)set->n + 1;
    return (int64_t)set->n++;
}

void pn_strset_free(pn_strset *set, int free_items)
{
    if (free_items)
        for (size_t i = 0; i < set->n; i++) pn_free(set->items[i]);
    pn_free(set->items);
    pn_free(set->len);
    pn_free(set->slots);
    memset(set, 0, sizeof *set);
}
