/* account_digest.c - a digest of everything that decides who may log in and as what: the
 * accounts (name, role, hash, sources, disabled) and the API tokens. It changes with every
 * `pronostic user` change, so that a running server can end the sessions an account no longer
 * justifies (the server's watcher, src/server/accounts_follow.c). */
#include "store_internal.h"
#include "pronostic/account.h"

#include <sodium.h>
#include <string.h>

/* Feed every column of every row of `sql` into `h`, each value with its length (so that no two
 * tables of rows give the same stream). */
static int feed(pn_store *s, crypto_generichash_state *h, const char *sql, pn_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc = pn__store_prepare(s, sql, &st, diag);
    if (rc != PN_OK) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const unsigned char *v = sqlite3_column_text(st, c);
            unsigned long long len = v ? (unsigned long long)sqlite3_column_bytes(st, c) : ~0ULL;
            crypto_generichash_update(h, (const unsigned char *)&len, sizeof len);
            if (v) crypto_generichash_update(h, v, (unsigned long long)len);
        }
    }
    if (step != SQLITE_DONE) rc = pn__store_error(s, "reading the accounts", diag);
    sqlite3_finalize(st);
    return rc;
}

int pn_account_digest(pn_store *s, unsigned char out[PN_ACCOUNT_DIGEST_LEN], pn_diag *diag)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, PN_ACCOUNT_DIGEST_LEN);
    int rc = feed(s, &h, "SELECT name, role, hash, sources, disabled FROM accounts ORDER BY name",
                  diag);
    if (rc == PN_OK)
        rc = feed(s, &h, "SELECT id, account, hash FROM tokens ORDER BY id", diag);
    crypto_generichash_final(&h, out, PN_ACCOUNT_DIGEST_LEN);
    if (rc != PN_OK) memset(out, 0, PN_ACCOUNT_DIGEST_LEN);
    return rc;
}
