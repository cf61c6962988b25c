/* session.c - the server's memory of who logged in: sessions (a random id in an HttpOnly
 * cookie, kept here only as its BLAKE2b hash, with the account, its role and sources, a CSRF
 * token, an idle and an absolute expiry), API tokens already verified (by the hash of the
 * token, for a minute, so that argon2id runs once a minute per token, not per request), and
 * the failed logins of each account and each address, which slow the next attempts. */
#include "server_internal.h"

#include "pronostic/alloc.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#define MAX_SESSIONS 4096
#define MAX_THROTTLE 1024
#define TOKEN_TTL 60           /* seconds a verified API token is trusted without argon2id */
#define FREE_TRIES 5           /* failures within WINDOW before attempts are slowed */
#define WINDOW (15 * 60)
#define MAX_DELAY (15 * 60)

typedef struct sess {
    unsigned char hash[crypto_generichash_BYTES];
    int used, token;           /* token: a verified API token, not a session */
    pn__who who;               /* sources owned here */
    time_t created, last;
} sess;

typedef struct throttle {
    char key[96];              /* "u:NAME" or "a:ADDRESS" */
    int failures;
    time_t first, blocked_until, last;
} throttle;

struct pn__sessions {
    pthread_mutex_t lock;
    int idle, max;
    sess s[MAX_SESSIONS];
    throttle t[MAX_THROTTLE];
};

int pn__sessions_new(pn__sessions **out, int idle, int max)
{
    pn__sessions *ss = pn_calloc(1, sizeof *ss);
    if (ss == NULL) return PN_ENOMEM;
    pthread_mutex_init(&ss->lock, NULL);
    ss->idle = idle > 0 ? idle : 1800;
    ss->max = max > 0 ? max : 8 * 3600;
    *out = ss;
    return PN_OK;
}

void pn__sessions_free(pn__sessions *ss)
{
    if (ss == NULL) return;
    for (size_t i = 0; i < MAX_SESSIONS; i++)
        if (ss->s[i].used) pn__who_clear(&ss->s[i].who);
    pthread_mutex_destroy(&ss->lock);
    sodium_memzero(ss, sizeof *ss);
    pn_free(ss);
}

static void hash_of(const char *id, unsigned char *h)
{
    crypto_generichash(h, crypto_generichash_BYTES, (const unsigned char *)id, strlen(id), NULL, 0);
}

/* A copy of `src` into `dst` (sources duplicated): PN_OK or PN_ENOMEM. */
static int who_copy(pn__who *dst, const pn__who *src)
{
    *dst = *src;
    dst->sources = NULL;
    dst->nsources = 0;
    if (src->nsources == 0) return PN_OK;
    if ((dst->sources = pn_calloc(src->nsources, sizeof *dst->sources)) == NULL) return PN_ENOMEM;
    for (size_t i = 0; i < src->nsources; i++) {
        if ((dst->sources[i] = pn_strdup(src->sources[i])) == NULL) {
            pn__who_clear(dst);
            return PN_ENOMEM;
        }
        dst->nsources++;
    }
    return PN_OK;
}

static int expired(const pn__sessions *ss, const sess *s, time_t now)
{
    if (s->token) return now - s->created > TOKEN_TTL;
    return now - s->last > ss->idle || now - s->created > ss->max;
}

static sess *find(pn__sessions *ss, const unsigned char *h, int token)
{
    for (size_t i = 0; i < MAX_SESSIONS; i++)
        if (ss->s[i].used && ss->s[i].token == token &&
            sodium_memcmp(ss->s[i].hash, h, sizeof ss->s[i].hash) == 0)
            return &ss->s[i];
    return NULL;
}

/* A free slot (an expired one is freed; when none, the least recently used). */
static sess *slot(pn__sessions *ss, time_t now)
{
    sess *lru = &ss->s[0];
    for (size_t i = 0; i < MAX_SESSIONS; i++) {
        sess *s = &ss->s[i];
        if (s->used && expired(ss, s, now)) {
            pn__who_clear(&s->who);
            s->used = 0;
        }
        if (!s->used) return s;
        if (s->last < lru->last) lru = s;
    }
    pn__who_clear(&lru->who);
    lru->used = 0;
    return lru;
}

static void random_text(char *out, size_t bytes)
{
    unsigned char r[32];
    randombytes_buf(r, bytes);
    sodium_bin2base64(out, sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      r, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(r, sizeof r);
}

int pn__session_open(pn__sessions *ss, const pn__who *who, char *id, size_t idlen, char *csrf,
                     size_t csrflen)
{
    if (idlen < 64 || csrflen < 64) return PN_EINVAL;
    random_text(id, 32);
    time_t now = time(NULL);
    unsigned char h[crypto_generichash_BYTES];
    hash_of(id, h);
    pthread_mutex_lock(&ss->lock);
    sess *s = slot(ss, now);
    int rc = who_copy(&s->who, who);
    if (rc == PN_OK) {
        memcpy(s->hash, h, sizeof h);
        random_text(s->who.csrf, 24);
        s->who.by_session = 1;
        snprintf(csrf, csrflen, "%s", s->who.csrf);
        s->created = s->last = now;
        s->token = 0;
        s->used = 1;
    }
    pthread_mutex_unlock(&ss->lock);
    return rc;
}

int pn__session_find(pn__sessions *ss, const char *id, int token, pn__who *out)
{
    unsigned char h[crypto_generichash_BYTES];
    hash_of(id, h);
    time_t now = time(NULL);
    int rc = PN_ENOTFOUND;
    pthread_mutex_lock(&ss->lock);
    sess *s = find(ss, h, token);
    if (s && expired(ss, s, now)) {
        pn__who_clear(&s->who);
        s->used = 0;
        s = NULL;
    }
    if (s) {
        if (!token) s->last = now;
        rc = who_copy(out, &s->who);
    }
    pthread_mutex_unlock(&ss->lock);
    return rc;
}

void pn__session_close(pn__sessions *ss, const char *id)
{
    unsigned char h[crypto_generichash_BYTES];
    hash_of(id, h);
    pthread_mutex_lock(&ss->lock);
    sess *s = find(ss, h, 0);
    if (s) {
        pn__who_clear(&s->who);
        s->used = 0;
    }
    pthread_mutex_unlock(&ss->lock);
}

int pn__token_remember(pn__sessions *ss, const char *token, const pn__who *who)
{
    unsigned char h[crypto_generichash_BYTES];
    hash_of(token, h);
    time_t now = time(NULL);
    pthread_mutex_lock(&ss->lock);
    sess *s = find(ss, h, 1);
    if (s) {
        pn__who_clear(&s->who);
        s->used = 0;
    }
    s = slot(ss, now);
    int rc = who_copy(&s->who, who);
    if (rc == PN_OK) {
        memcpy(s->hash, h, sizeof h);
        s->who.by_session = 0;
        s->created = s->last = now;
        s->token = 1;
        s->used = 1;
    }
    pthread_mutex_unlock(&ss->lock);
    return rc;
}

void pn__sessions_prune(pn__sessions *ss, int (*still)(const pn__who *who, void *ctx), void *ctx)
{
    pthread_mutex_lock(&ss->lock);
    for (size_t i = 0; i < MAX_SESSIONS; i++) {
        sess *s = &ss->s[i];
        if (!s->used || (!s->token && still(&s->who, ctx))) continue;
        pn__who_clear(&s->who);
        s->used = 0;
    }
    pthread_mutex_unlock(&ss->lock);
}

static throttle *throttle_of(pn__sessions *ss, const char *key, time_t now, int create)
{
    throttle *lru = &ss->t[0];
    for (size_t i = 0; i < MAX_THROTTLE; i++) {
        throttle *t = &ss->t[i];
        if (t->key[0] && strcmp(t->key, key) == 0) {
            if (now - t->first > WINDOW && now >= t->blocked_until) {
                t->failures = 0;     /* the window has passed: a fresh count */
                t->first = now;
            }
            return t;
        }
        if (t->last < lru->last) lru = t;
    }
    if (!create) return NULL;
    memset(lru, 0, sizeof *lru);
    snprintf(lru->key, sizeof lru->key, "%s", key);
    lru->first = lru->last = now;
    return lru;
}

unsigned pn__login_wait(pn__sessions *ss, const char *user, const char *addr)
{
    char k[2][96];
    snprintf(k[0], sizeof k[0], "u:%.64s", user);
    snprintf(k[1], sizeof k[1], "a:%.64s", addr);
    time_t now = time(NULL), wait = 0;
    pthread_mutex_lock(&ss->lock);
    for (int i = 0; i < 2; i++) {
        throttle *t = throttle_of(ss, k[i], now, 0);
        if (t && t->blocked_until > now && t->blocked_until - now > wait) wait = t->blocked_until - now;
    }
    pthread_mutex_unlock(&ss->lock);
    return (unsigned)wait;
}

void pn__login_result(pn__sessions *ss, const char *user, const char *addr, int ok)
{
    char k[2][96];
    snprintf(k[0], sizeof k[0], "u:%.64s", user);
    snprintf(k[1], sizeof k[1], "a:%.64s", addr);
    time_t now = time(NULL);
    pthread_mutex_lock(&ss->lock);
    for (int i = 0; i < 2; i++) {
        throttle *t = throttle_of(ss, k[i], now, !ok);
        if (t == NULL) continue;
        if (ok) {
            memset(t, 0, sizeof *t);
            continue;
        }
        t->failures++;
        t->last = now;
        if (t->failures >= FREE_TRIES) {
            int e = t->failures - FREE_TRIES;
            time_t delay = e >= 10 ? MAX_DELAY : (time_t)1 << e;
            if (delay > MAX_DELAY) delay = MAX_DELAY;
            t->blocked_until = now + delay;
        }
    }
    pthread_mutex_unlock(&ss->lock);
}
