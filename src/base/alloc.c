/* alloc.c - checked allocation wrappers and a bump-pointer string arena. */
#include "pronostic/alloc.h"
#include "pronostic/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *pn_malloc(size_t size) { return malloc(size ? size : 1); }

void *pn_calloc(size_t count, size_t size)
{
    if (count == 0 || size == 0) return calloc(1, 1);
    return calloc(count, size);
}

void *pn_reallocarray(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    size_t bytes = count * size;
    return realloc(ptr, bytes ? bytes : 1);
}

void pn_free(void *ptr) { free(ptr); }

char *pn_strndup(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *pn_strdup(const char *s) { return pn_strndup(s, strlen(s)); }

int pn_grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return PN_OK;
    size_t next = *cap ? *cap : 16;
    while (next < need) {
        if (next > SIZE_MAX / 2) return PN_ENOMEM;
        next *= 2;
    }
    void *grown = pn_reallocarray(*items, next, size);
    if (grown == NULL) return PN_ENOMEM;
    *items = grown;
    *cap = next;
    return PN_OK;
}

/* The arena: a list of blocks, newest first; big requests get a block of their own. */
typedef struct pn__block {
    struct pn__block *next;
    size_t used, size;
    max_align_t data[];
} pn__block;

struct pn_arena {
    pn__block *head;
};

enum { PN__BLOCK_BYTES = 64 * 1024 };

pn_arena *pn_arena_new(void) { return calloc(1, sizeof(pn_arena)); }

void pn_arena_free(pn_arena *arena)
{
    if (arena == NULL) return;
    pn__block *b = arena->head;
    while (b != NULL) {
        pn__block *next = b->next;
        free(b);
        b = next;
    }
    free(arena);
}

void *pn_arena_alloc(pn_arena *arena, size_t size)
{
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - align) return NULL;
    size = (size + align - 1) / align * align;
    pn__block *b = arena->head;
    if (b == NULL || b->size - b->used < size) {
        size_t bytes = size > PN__BLOCK_BYTES ? size : PN__BLOCK_BYTES;
        pn__block *nb = malloc(sizeof(pn__block) + bytes);
        if (nb == NULL) return NULL;
        nb->used = 0;
        nb->size = bytes;
        if (b != NULL && size > PN__BLOCK_BYTES) {
            /* keep filling the current block: put the big one behind it */
            nb->next = b->next;
            b->next = nb;
            nb->used = size;
            return (char *)nb->data;
        }
        nb->next = b;
        arena->head = b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

char *pn_arena_strndup(pn_arena *arena, const char *s, size_t len)
{
    char *copy = pn_arena_alloc(arena, len + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}
