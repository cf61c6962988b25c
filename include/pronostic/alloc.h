/* alloc.h - allocation wrappers with overflow checks, and a string arena.
 *
 * pn_malloc/pn_calloc/pn_realloc return NULL on failure (or on size overflow) and never abort:
 * callers turn NULL into PN_ENOMEM. pn_free accepts NULL. The arena hands out many small
 * strings freed together; it owns what it returns.
 */
#ifndef PRONOSTIC_ALLOC_H
#define PRONOSTIC_ALLOC_H

#include <stddef.h>

void *pn_malloc(size_t size);
void *pn_calloc(size_t count, size_t size);
/* Resize to count*size bytes, checking the product for overflow. On failure the old block is
 * left untouched and NULL is returned. */
void *pn_reallocarray(void *ptr, size_t count, size_t size);
void pn_free(void *ptr);

/* Copy of `len` bytes of `s` plus a terminating NUL; caller frees with pn_free. */
char *pn_strndup(const char *s, size_t len);
char *pn_strdup(const char *s);

/* Grow a dynamic array `*items` of `*cap` elements of `size` bytes so it holds at least `need`
 * elements (doubling). Returns PN_OK or PN_ENOMEM (the array is then unchanged). */
int pn_grow(void **items, size_t *cap, size_t need, size_t size);

typedef struct pn_arena pn_arena;

/* A new empty arena, or NULL when out of memory. */
pn_arena *pn_arena_new(void);
/* Frees every block the arena handed out, then the arena. Accepts NULL. */
void pn_arena_free(pn_arena *arena);
/* `size` bytes aligned for any type, owned by the arena; NULL when out of memory. */
void *pn_arena_alloc(pn_arena *arena, size_t size);
/* A NUL-terminated copy of `len` bytes of `s`, owned by the arena. */
char *pn_arena_strndup(pn_arena *arena, const char *s, size_t len);

#endif
