/* cache.c - the cache of heavy answers: protected aggregates (the same for every caller allowed
 * to ask) kept as built responses under their canonical URL and the store's generation; an
 * import changes the generation, and what was cached before is no longer found. */
#include "server_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/hash.h"

#include <string.h>

#define SLOTS 4096           /* a power of two */
#define PROBE 8
#define MAX_BYTES (256u << 20)

typedef struct slot {
    char *key;
    long long gen;
    struct MHD_Response *resp;
    unsigned status;
    size_t bytes;
    unsigned long long used;
} slot;

struct pn__cache {
    pthread_rwlock_t lock;
    slot slots[SLOTS];
    size_t bytes;
    unsigned long long clock;
};

int pn__cache_new(pn__cache **out)
{
    pn__cache *c = pn_calloc(1, sizeof *c);
    if (c == NULL) return PN_ENOMEM;
    pthread_rwlock_init(&c->lock, NULL);
    *out = c;
    return PN_OK;
}

static void drop(pn__cache *c, slot *s)
{
    if (s->resp) MHD_destroy_response(s->resp);
    c->bytes -= s->bytes;
    pn_free(s->key);
    memset(s, 0, sizeof *s);
}

void pn__cache_free(pn__cache *c)
{
    if (c == NULL) return;
    for (size_t i = 0; i < SLOTS; i++)
        if (c->slots[i].key) drop(c, &c->slots[i]);
    pthread_rwlock_destroy(&c->lock);
    pn_free(c);
}

static size_t home(const char *key)
{
    return (size_t)(pn_hash_bytes(key, strlen(key)) & (SLOTS - 1));
}

int pn__cache_queue(pn__cache *c, const char *key, long long gen, struct MHD_Connection *conn)
{
    int out = -1;
    size_t h = home(key);
    /* the read lock is held while MHD takes its reference, so that no writer frees the
     * response in between */
    pthread_rwlock_rdlock(&c->lock);
    for (size_t p = 0; p < PROBE; p++) {
        slot *s = &c->slots[(h + p) & (SLOTS - 1)];
        if (s->key && s->gen == gen && strcmp(s->key, key) == 0) {
            __atomic_store_n(&s->used, __atomic_add_fetch(&c->clock, 1, __ATOMIC_RELAXED),
                             __ATOMIC_RELAXED);
            out = MHD_queue_response(conn, s->status, s->resp) == MHD_YES ? MHD_YES : MHD_NO;
            break;
        }
    }
    pthread_rwlock_unlock(&c->lock);
    return out;
}

int pn__cache_put(pn__cache *c, const char *key, long long gen, struct MHD_Response *m,
                  unsigned status, size_t bytes)
{
    if (bytes > MAX_BYTES / 16) return 0;
    char *k = pn_strdup(key);
    if (k == NULL) return 0;
    size_t h = home(key);
    pthread_rwlock_wrlock(&c->lock);
    /* the slot: this key's, else a free or stale one, else the least recently used */
    slot *best = NULL;
    for (size_t p = 0; p < PROBE; p++) {
        slot *s = &c->slots[(h + p) & (SLOTS - 1)];
        if (s->key && strcmp(s->key, key) == 0) {
            best = s;
            break;
        }
        if (best == NULL || (best->key && (s->key == NULL || s->gen != gen ||
                                           s->used < best->used)))
            best = s;
    }
    if (best->key) drop(c, best);
    /* over the byte budget: entries of older generations first, then any */
    for (size_t i = 0; c->bytes + bytes > MAX_BYTES && i < SLOTS; i++)
        if (c->slots[i].key && c->slots[i].gen != gen) drop(c, &c->slots[i]);
    for (size_t i = 0; c->bytes + bytes > MAX_BYTES && i < SLOTS; i++)
        if (c->slots[i].key) drop(c, &c->slots[i]);
    best->key = k;
    best->gen = gen;
    best->resp = m;
    /* the cache's own reference: MHD counts one per queueing, and this one until dropped */
    best->status = status;
    best->bytes = bytes;
    best->used = ++c->clock;
    c->bytes += bytes;
    pthread_rwlock_unlock(&c->lock);
    return 1;
}
