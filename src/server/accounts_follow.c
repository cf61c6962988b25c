/* accounts_follow.c - sessions follow the store's accounts: when `pronostic user` changes
 * anything (the digest of the accounts and tokens, account.h, differs from the last one the
 * watcher saw), the sessions of an account removed, disabled, given another password, role or
 * other sources end at once, and verified API tokens are checked again at their next use, so that a
 * revoked token or a removed account stops working within the watcher's period rather than at
 * the session's expiry. */
#include "server_internal.h"

#include "pronostic/account.h"
#include "pronostic/alloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

typedef struct held {
    char *name, *sources;
    int role, disabled;
    unsigned char stamp[PN_ACCOUNT_STAMP_LEN];
} held;

typedef struct helds {
    held *a;
    size_t n, cap;
    int failed;                 /* 1: the list is incomplete, no session is kept */
} helds;

static int collect(const pn_account_row *r, void *ctx)
{
    helds *l = ctx;
    int role;
    if (pn_role_parse(r->role, &role) != PN_OK) return 0; /* no session can match it */
    if (pn_grow((void **)&l->a, &l->cap, l->n + 1, sizeof *l->a) != PN_OK) return PN_ENOMEM;
    held *a = &l->a[l->n];
    a->name = pn_strdup(r->name);
    a->sources = pn_strdup(r->sources ? r->sources : "");
    a->role = role;
    a->disabled = r->disabled;
    memcpy(a->stamp, r->stamp, sizeof a->stamp);
    if (a->name == NULL || a->sources == NULL) {
        pn_free(a->name);
        pn_free(a->sources);
        return PN_ENOMEM;
    }
    l->n++;
    return 0;
}

static int by_name(const void *key, const void *elem)
{
    return strcmp(key, ((const held *)elem)->name);
}

/* 1 when the caller's account still exists, enabled, with the same role, sources and
 * password. */
static int still(const pn__who *w, void *ctx)
{
    const helds *l = ctx;
    if (l->failed) return 0;
    const held *a = bsearch(w->user, l->a, l->n, sizeof *l->a, by_name);
    if (a == NULL || a->disabled || a->role != w->role ||
        sodium_memcmp(a->stamp, w->stamp, sizeof a->stamp) != 0)
        return 0;
    /* the sources as the store keeps them: comma-separated, in the order granted */
    const char *p = a->sources;
    for (size_t i = 0; i < w->nsources; i++) {
        size_t len = strlen(w->sources[i]);
        if (i > 0 && *p++ != ',') return 0;
        if (strncmp(p, w->sources[i], len) != 0) return 0;
        p += len;
    }
    return *p == '\0';
}

void pn__accounts_follow(pn__srv *srv, pn_store *store, unsigned char *digest, int *known)
{
    unsigned char now[PN_ACCOUNT_DIGEST_LEN];
    pn_diag diag = {0};
    if (pn_account_digest(store, now, &diag) != PN_OK) return; /* tried again next time */
    int changed = *known && memcmp(now, digest, sizeof now) != 0;
    memcpy(digest, now, sizeof now);
    *known = 1;
    if (!changed) return;
    helds l = {0};
    /* pn_account_list lists in name order: bsearch by name */
    if (pn_account_list(store, collect, &l, &diag) != PN_OK) l.failed = 1;
    pn__sessions_prune(srv->sessions, still, &l);
    for (size_t i = 0; i < l.n; i++) {
        pn_free(l.a[i].name);
        pn_free(l.a[i].sources);
    }
    pn_free(l.a);
}
