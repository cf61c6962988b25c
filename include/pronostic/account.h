/* account.h - the store's accounts: roles, argon2id password hashes, API tokens, and their
 * checks for the server's logins.
 *
 * An account has a name, a role (researcher, analyst or admin; "public" is who has no account),
 * for an analyst the sources whose patients it may read row by row, a password and any number
 * of API tokens. Only argon2id hashes of passwords and token secrets are stored (libsodium's
 * crypto_pwhash_str, OWASP's parameters below), in the tables accounts and tokens of the
 * store (docs/data-format.md, "The store"). The functions that change an account need a store
 * opened for writing (pn_store_open); the checks also work on a store opened read-only. A
 * connection is used by one thread at a time (store.h).
 */
#ifndef PRONOSTIC_ACCOUNT_H
#define PRONOSTIC_ACCOUNT_H

#include "pronostic/error.h"
#include "pronostic/store.h"

#include <stddef.h>

enum pn_role { PN_ROLE_PUBLIC = 0, PN_ROLE_RESEARCHER = 1, PN_ROLE_ANALYST = 2, PN_ROLE_ADMIN = 3 };

/* The role's name: "public", "researcher", "analyst", "admin"; NULL for another value (static
 * string). */
const char *pn_role_name(int role);

/* Parse a role's name into *role: PN_OK, or PN_EINVAL for another text (*role untouched).
 * "public" parses, but is not an account's role: pn_account_add refuses it. */
int pn_role_parse(const char *text, int *role);

/* argon2id's cost (OWASP's password storage cheat sheet): 2 passes over 19 MiB, one lane. A
 * hash made with other parameters is made again at the next successful check when the store is
 * writable. */
#define PN_ACCOUNT_OPSLIMIT 2ULL
#define PN_ACCOUNT_MEMLIMIT ((size_t)19 * 1024 * 1024)

/* Names of accounts and of sources: 1 to 64 bytes of [A-Za-z0-9._-], the first a letter or a
 * digit. Passwords: 12 to 1024 bytes (any bytes but NUL). */
#define PN_ACCOUNT_NAME_MAX 64
#define PN_PASSWORD_MIN 12
#define PN_PASSWORD_MAX 1024

/* 1 when `name` follows the rule of names above. */
int pn_account_name_valid(const char *name);

/* An account that passed a check. `sources` (nsources of them, each NUL-terminated) are the
 * analyst's sources, NULL when none. Owned by whoever received it: pn_account_free. */
#define PN_ACCOUNT_STAMP_LEN 16
typedef struct pn_account {
    char name[PN_ACCOUNT_NAME_MAX + 1];
    int role;             /* enum pn_role, never PN_ROLE_PUBLIC */
    char **sources;
    size_t nsources;
    /* a digest of the stored hash that matched (the password's, or the token's): a session
     * opened by a password may compare it with pn_account_row's to see the password changed */
    unsigned char stamp[PN_ACCOUNT_STAMP_LEN];
} pn_account;

/* Free an account and its sources. Accepts NULL. */
void pn_account_free(pn_account *a);

/* Create the account `name` with `role` (researcher, analyst or admin) and `password`; for an
 * analyst, the sources it is granted (`nsources` names following the rule of names, none
 * repeated; they need not have sent anything yet). The strings are borrowed. PN_OK; PN_EINVAL
 * naming the parameter at fault (a name, a role, a password's length, sources given to another
 * role than analyst, a source repeated); PN_EDUP when the account exists; or the store's error
 * (nothing written). */
int pn_account_add(pn_store *s, const char *name, int role, const char *password,
                   const char *const *sources, size_t nsources, pn_diag *diag);

/* Delete the account `name` and its tokens (together, or nothing). PN_ENOTFOUND when there is
 * no such account. */
int pn_account_remove(pn_store *s, const char *name, pn_diag *diag);

/* Replace the password of `name` (PN_EINVAL for a password's length, PN_ENOTFOUND when there is
 * no such account). Its tokens are kept. */
int pn_account_passwd(pn_store *s, const char *name, const char *password, pn_diag *diag);

/* 1 to disable the account `name` (every check of its password and tokens then fails), 0 to
 * enable it again. PN_ENOTFOUND when there is no such account. */
int pn_account_set_disabled(pn_store *s, const char *name, int disabled, pn_diag *diag);

/* An API token: "pnt_", its id (16 hex digits, 8 random bytes, public), "_", its secret (43
 * characters of unpadded base64url, 32 random bytes). */
#define PN_TOKEN_LEN 64
#define PN_TOKEN_ID_LEN 16

/* Make a new token for the account `name` and write it (PN_TOKEN_LEN characters and a NUL) into
 * `out` (`outlen` >= PN_TOKEN_LEN + 1, else PN_EINVAL); only the hash of its secret is stored,
 * so it cannot be shown again. Its id is out[4..20). PN_ENOTFOUND when there is no such
 * account. */
int pn_account_token_new(pn_store *s, const char *name, char *out, size_t outlen, pn_diag *diag);

/* Delete the token whose id is `token_id` (16 hex digits, or a whole token, whose id is then
 * used). PN_EINVAL for another text, PN_ENOTFOUND when there is no such token. */
int pn_account_token_revoke(pn_store *s, const char *token_id, pn_diag *diag);

/* One account as pn_account_list hands it to its callback (views valid during the call):
 * sources comma-separated ("" when none), created "YYYY-MM-DDTHH:MM:SSZ" (UTC), its number of
 * tokens, 1 when disabled, the stamp of its password's hash. No hash. */
typedef struct pn_account_row {
    const char *name, *role, *sources, *created;
    long long ntokens;
    int disabled;
    unsigned char stamp[PN_ACCOUNT_STAMP_LEN]; /* of the password's hash, as pn_account's */
} pn_account_row;

/* Call `fn` for every account in name order; stops and returns fn's value when non-zero. */
int pn_account_list(pn_store *s, int (*fn)(const pn_account_row *r, void *ctx), void *ctx,
                    pn_diag *diag);

/* Check a password, or a token: PN_OK and *out the account (the caller frees it with
 * pn_account_free) when it matches an enabled account. PN_EPERM, *out NULL, and the same
 * message "wrong user name or password" for an unknown or disabled account, a wrong password,
 * a malformed, unknown or revoked token: an unknown account is checked against a dummy hash so
 * that the time taken does not tell which accounts exist. Other errors are the store's. Works
 * on a store opened read-only; on a writable one, a hash made with other parameters than
 * PN_ACCOUNT_OPSLIMIT and PN_ACCOUNT_MEMLIMIT is replaced (a failure to replace it does not
 * fail the check). */
int pn_account_verify_password(pn_store *s, const char *name, const char *password,
                               pn_account **out, pn_diag *diag);
int pn_account_verify_token(pn_store *s, const char *token, pn_account **out, pn_diag *diag);

/* A digest of the accounts and tokens (PN_ACCOUNT_DIGEST_LEN bytes into out): equal digests,
 * no change to any account, password, role, source grant, disabled flag or token between the
 * two reads. PN_OK or the store's error (out zeroed). */
#define PN_ACCOUNT_DIGEST_LEN 32
int pn_account_digest(pn_store *s, unsigned char out[PN_ACCOUNT_DIGEST_LEN], pn_diag *diag);

#endif
