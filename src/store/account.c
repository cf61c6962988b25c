/* account.c - the store's accounts and API tokens: names, roles, argon2id hashes, and the
 * checks of a password or a token that do not tell which accounts exist (account.h). */
#include "store_internal.h"
#include "pronostic/account.h"
#include "pronostic/alloc.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *const role_names[] = {"public", "researcher", "analyst", "admin"};

const char *pn_role_name(int role)
{
    return role >= PN_ROLE_PUBLIC && role <= PN_ROLE_ADMIN ? role_names[role] : NULL;
}

int pn_role_parse(const char *text, int *role)
{
    for (int r = PN_ROLE_PUBLIC; text != NULL && r <= PN_ROLE_ADMIN; r++)
        if (strcmp(text, role_names[r]) == 0) {
            *role = r;
            return PN_OK;
        }
    return PN_EINVAL;
}

static int name_char(char c, int first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    return !first && (c == '.' || c == '_' || c == '-');
}

int pn_account_name_valid(const char *name)
{
    if (name == NULL || name[0] == '\0') return 0;
    size_t n = 0;
    for (; name[n]; n++)
        if (n >= PN_ACCOUNT_NAME_MAX || !name_char(name[n], n == 0)) return 0;
    return 1;
}

void pn_account_free(pn_account *a)
{
    if (a == NULL) return;
    for (size_t i = 0; i < a->nsources; i++) pn_free(a->sources[i]);
    pn_free(a->sources);
    pn_free(a);
}

static const char wrong[] = "wrong user name or password";

/* A hash of a random password made with PN_ACCOUNT_OPSLIMIT and PN_ACCOUNT_MEMLIMIT (the unit
 * test checks that they agree): what an unknown account's password is checked against, so
 * that it takes the time of a known one. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$j8cddWFAWlFAZcXRbHppKQ$HQe8syrPHhhcTQIN5ohDipbOHUg8lLe/lv0kq7QElaA";

const char *pn__account_dummy_hash(void) { return dummy_hash; }

static int sodium_ready(pn_diag *diag)
{
    return sodium_init() >= 0 ? PN_OK : pn_diag_set(diag, PN_ECRYPTO, "cannot initialise libsodium");
}

/* The argon2id hash of `secret` (`len` bytes) into `hash`. */
static int hash_secret(const char *secret, size_t len, char hash[crypto_pwhash_STRBYTES],
                       pn_diag *diag)
{
    int rc = sodium_ready(diag);
    if (rc != PN_OK) return rc;
    if (crypto_pwhash_str_alg(hash, secret, len, PN_ACCOUNT_OPSLIMIT, PN_ACCOUNT_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return pn_diag_set(diag, PN_ENOMEM, "hashing a password: out of memory (argon2id needs "
                           "%zu MiB)", PN_ACCOUNT_MEMLIMIT >> 20);
    return PN_OK;
}

static int check_name(const char *name, const char *what, pn_diag *diag)
{
    if (pn_account_name_valid(name)) return PN_OK;
    return pn_diag_set(diag, PN_EINVAL, "%s '%.80s' is not a valid name (1 to %d characters of "
                       "A-Z a-z 0-9 . _ -, the first a letter or a digit)", what,
                       name ? name : "", PN_ACCOUNT_NAME_MAX);
}

static int check_password(const char *password, pn_diag *diag)
{
    size_t n = password ? strnlen(password, PN_PASSWORD_MAX + 1) : 0;
    if (n < PN_PASSWORD_MIN || n > PN_PASSWORD_MAX)
        return pn_diag_set(diag, PN_EINVAL, "password: %s (%d to %d bytes)",
                           n < PN_PASSWORD_MIN ? "too short" : "too long", PN_PASSWORD_MIN,
                           PN_PASSWORD_MAX);
    return PN_OK;
}

/* Step a statement that changes rows; its number of changed rows in *changes. */
static int step_change(pn_store *s, sqlite3_stmt *st, const char *what, int *changes,
                       pn_diag *diag)
{
    if (sqlite3_step(st) != SQLITE_DONE) return pn__store_error(s, what, diag);
    if (changes) *changes = sqlite3_changes(s->db);
    return PN_OK;
}

int pn_account_add(pn_store *s, const char *name, int role, const char *password,
                   const char *const *sources, size_t nsources, pn_diag *diag)
{
    int rc;
    if ((rc = check_name(name, "account", diag)) != PN_OK) return rc;
    if (role != PN_ROLE_RESEARCHER && role != PN_ROLE_ANALYST && role != PN_ROLE_ADMIN)
        return pn_diag_set(diag, PN_EINVAL, "role: an account is a researcher, an analyst or an "
                           "admin");
    if (nsources > 0 && role != PN_ROLE_ANALYST)
        return pn_diag_set(diag, PN_EINVAL, "sources: only an analyst is granted sources");
    if ((rc = check_password(password, diag)) != PN_OK) return rc;
    size_t len = 0;
    for (size_t i = 0; i < nsources; i++) {
        if ((rc = check_name(sources[i], "source", diag)) != PN_OK) return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sources[i], sources[j]) == 0)
                return pn_diag_set(diag, PN_EINVAL, "source '%s' given twice", sources[i]);
        len += strlen(sources[i]) + 1;
    }
    char *list = pn_malloc(len + 1), *p = list;
    if (list == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    *p = '\0';
    for (size_t i = 0; i < nsources; i++) {
        size_t n = strlen(sources[i]);
        if (i > 0) *p++ = ',';
        memcpy(p, sources[i], n + 1);
        p += n;
    }
    char hash[crypto_pwhash_STRBYTES];
    sqlite3_stmt *st = NULL;
    if ((rc = hash_secret(password, strlen(password), hash, diag)) != PN_OK) goto done;
    if ((rc = pn__store_prepare(s, "INSERT INTO accounts(name, role, hash, sources, created)"
                                " VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
                                " ON CONFLICT(name) DO NOTHING", &st, diag)) != PN_OK)
        goto done;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, pn_role_name(role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, list, -1, SQLITE_STATIC);
    int changes = 0;
    if ((rc = step_change(s, st, "adding an account", &changes, diag)) == PN_OK && changes == 0)
        rc = pn_diag_set(diag, PN_EDUP, "account '%s' already exists", name);
done:
    sqlite3_finalize(st);
    pn_free(list);
    return rc;
}

/* Run `sql` (one statement binding `name`, an account's or a token's, as ?1, `text` as ?2 when
 * not NULL, `number` as ?3 when it has a third parameter) and, when `noun` is not NULL, say
 * PN_ENOTFOUND ("no NOUN 'NAME'") when it changed no row. */
static int change_rows(pn_store *s, const char *sql, const char *name, const char *text,
                          long long number, const char *noun, const char *what, pn_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc = pn__store_prepare(s, sql, &st, diag), changes = 0;
    if (rc != PN_OK) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (text != NULL) sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 3) sqlite3_bind_int64(st, 3, number);
    if ((rc = step_change(s, st, what, &changes, diag)) == PN_OK && changes == 0 && noun)
        rc = pn_diag_set(diag, PN_ENOTFOUND, "no %s '%s'", noun, name);
    sqlite3_finalize(st);
    return rc;
}

int pn_account_remove(pn_store *s, const char *name, pn_diag *diag)
{
    int rc = check_name(name, "account", diag);
    if (rc != PN_OK) return rc;
    /* a savepoint: inside the caller's transaction, or a transaction of its own */
    if ((rc = pn__store_exec(s, "SAVEPOINT account_remove", "removing an account", diag)) != PN_OK)
        return rc;
    rc = change_rows(s, "DELETE FROM tokens WHERE account = ?1", name, NULL, 0, NULL,
                        "removing an account's tokens", diag);
    if (rc == PN_OK)
        rc = change_rows(s, "DELETE FROM accounts WHERE name = ?1", name, NULL, 0, "account",
                            "removing an account", diag);
    if (rc != PN_OK) sqlite3_exec(s->db, "ROLLBACK TO account_remove", NULL, NULL, NULL);
    int rrc = pn__store_exec(s, "RELEASE account_remove", "removing an account", diag);
    return rc != PN_OK ? rc : rrc;
}

int pn_account_passwd(pn_store *s, const char *name, const char *password, pn_diag *diag)
{
    int rc;
    char hash[crypto_pwhash_STRBYTES];
    if ((rc = check_name(name, "account", diag)) != PN_OK ||
        (rc = check_password(password, diag)) != PN_OK ||
        (rc = hash_secret(password, strlen(password), hash, diag)) != PN_OK)
        return rc;
    return change_rows(s, "UPDATE accounts SET hash = ?2 WHERE name = ?1", name,
                          hash, 0, "account", "changing a password", diag);
}

int pn_account_set_disabled(pn_store *s, const char *name, int disabled, pn_diag *diag)
{
    int rc = check_name(name, "account", diag);
    if (rc != PN_OK) return rc;
    return change_rows(s, "UPDATE accounts SET disabled = ?3 WHERE name = ?1", name, NULL,
                          disabled != 0, "account", disabled ? "disabling an account" : "enabling an account",
                          diag);
}

/* 1 when `t` holds 16 lowercase hex digits then a NUL or `end`. */
static int token_id_valid(const char *t, char end)
{
    for (int i = 0; i < PN_TOKEN_ID_LEN; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f'))) return 0;
    return t[PN_TOKEN_ID_LEN] == '\0' || t[PN_TOKEN_ID_LEN] == end;
}

/* A token split into its id (NUL-terminated copy) and its secret (borrowed); 0 when `token`
 * is not of the form "pnt_" ID "_" SECRET. */
static int token_split(const char *token, char id[PN_TOKEN_ID_LEN + 1], const char **secret)
{
    if (token == NULL || strnlen(token, PN_TOKEN_LEN + 1) != PN_TOKEN_LEN ||
        strncmp(token, "pnt_", 4) != 0 || token[4 + PN_TOKEN_ID_LEN] != '_' ||
        !token_id_valid(token + 4, '_'))
        return 0;
    memcpy(id, token + 4, PN_TOKEN_ID_LEN);
    id[PN_TOKEN_ID_LEN] = '\0';
    *secret = token + 5 + PN_TOKEN_ID_LEN;
    return 1;
}

int pn_account_token_new(pn_store *s, const char *name, char *out, size_t outlen, pn_diag *diag)
{
    int rc;
    if (out == NULL || outlen < PN_TOKEN_LEN + 1)
        return pn_diag_set(diag, PN_EINVAL, "out: a token needs %d bytes", PN_TOKEN_LEN + 1);
    out[0] = '\0';
    if ((rc = check_name(name, "account", diag)) != PN_OK || (rc = sodium_ready(diag)) != PN_OK)
        return rc;
    unsigned char idb[PN_TOKEN_ID_LEN / 2], secret[32];
    char token[PN_TOKEN_LEN + 1], hash[crypto_pwhash_STRBYTES];
    randombytes_buf(idb, sizeof idb);
    randombytes_buf(secret, sizeof secret);
    memcpy(token, "pnt_", 4);
    sodium_bin2hex(token + 4, PN_TOKEN_ID_LEN + 1, idb, sizeof idb);
    token[4 + PN_TOKEN_ID_LEN] = '_';
    sodium_bin2base64(token + 5 + PN_TOKEN_ID_LEN, sizeof token - 5 - PN_TOKEN_ID_LEN, secret,
                      sizeof secret, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(secret, sizeof secret);
    const char *sec = token + 5 + PN_TOKEN_ID_LEN;
    sqlite3_stmt *st = NULL;
    if ((rc = hash_secret(sec, strlen(sec), hash, diag)) != PN_OK) goto done;
    /* the account must exist: the row is made from it, in one statement */
    if ((rc = pn__store_prepare(s, "INSERT INTO tokens(id, account, hash, created)"
                                " SELECT ?1, name, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                                " FROM accounts WHERE name = ?3", &st, diag)) != PN_OK)
        goto done;
    token[4 + PN_TOKEN_ID_LEN] = '\0';
    sqlite3_bind_text(st, 1, token + 4, -1, SQLITE_TRANSIENT);
    token[4 + PN_TOKEN_ID_LEN] = '_';
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    int changes = 0;
    if ((rc = step_change(s, st, "making a token", &changes, diag)) == PN_OK && changes == 0)
        rc = pn_diag_set(diag, PN_ENOTFOUND, "no account '%s'", name);
    if (rc == PN_OK) memcpy(out, token, PN_TOKEN_LEN + 1);
done:
    sqlite3_finalize(st);
    sodium_memzero(token, sizeof token);
    return rc;
}

int pn_account_token_revoke(pn_store *s, const char *token_id, pn_diag *diag)
{
    char id[PN_TOKEN_ID_LEN + 1];
    const char *secret;
    if (token_split(token_id, id, &secret)) {
        /* a whole token: its id */
    } else if (token_id != NULL && token_id_valid(token_id, '\0')) {
        memcpy(id, token_id, sizeof id);
    } else {
        return pn_diag_set(diag, PN_EINVAL, "token id: not %d hex digits (the characters after "
                           "'pnt_' of a token)", PN_TOKEN_ID_LEN);
    }
    return change_rows(s, "DELETE FROM tokens WHERE id = ?1", id, NULL, 0, "token",
                          "revoking a token", diag);
}

/* The stamp of a stored hash (account.h, pn_account.stamp). */
static void stamp_of(const char *hash, unsigned char stamp[PN_ACCOUNT_STAMP_LEN])
{
    crypto_generichash(stamp, PN_ACCOUNT_STAMP_LEN, (const unsigned char *)(hash ? hash : ""),
                       hash ? strlen(hash) : 0, NULL, 0);
}

int pn_account_list(pn_store *s, int (*fn)(const pn_account_row *r, void *ctx), void *ctx,
                    pn_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc = pn__store_prepare(s, "SELECT a.name, a.role, a.sources, a.created, a.disabled,"
                               " (SELECT count(*) FROM tokens t WHERE t.account = a.name), a.hash"
                               " FROM accounts a ORDER BY a.name", &st, diag);
    if (rc != PN_OK) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        pn_account_row r = {
            .name = (const char *)sqlite3_column_text(st, 0),
            .role = (const char *)sqlite3_column_text(st, 1),
            .sources = (const char *)sqlite3_column_text(st, 2),
            .created = (const char *)sqlite3_column_text(st, 3),
            .disabled = sqlite3_column_int(st, 4) != 0,
            .ntokens = sqlite3_column_int64(st, 5),
        };
        stamp_of((const char *)sqlite3_column_text(st, 6), r.stamp);
        if ((rc = fn(&r, ctx)) != 0) break;
    }
    if (rc == PN_OK && step != SQLITE_DONE) rc = pn__store_error(s, "listing the accounts", diag);
    sqlite3_finalize(st);
    return rc;
}

/* The account of a matching check, from its row: name, role (text), sources (comma-separated).
 * *out is owned by the caller. */
static int make_account(const char *name, const char *role, const char *sources,
                        pn_account **out, pn_diag *diag)
{
    pn_account *a = pn_calloc(1, sizeof *a);
    if (a == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    snprintf(a->name, sizeof a->name, "%s", name);
    if (pn_role_parse(role, &a->role) != PN_OK || a->role == PN_ROLE_PUBLIC) {
        pn_account_free(a);
        return pn_diag_set(diag, PN_EDB, "account '%s': unknown role '%s' in the store", name,
                           role ? role : "");
    }
    size_t n = 0;
    for (const char *p = sources; p && *p; p++) n += *p == ',';
    if (sources && *sources) n++;
    if (n > 0 && (a->sources = pn_calloc(n, sizeof *a->sources)) == NULL) goto nomem;
    for (const char *p = sources; n > 0 && p != NULL;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if ((a->sources[a->nsources] = pn_strndup(p, len)) == NULL) goto nomem;
        a->nsources++;
        p = comma ? comma + 1 : NULL;
    }
    *out = a;
    return PN_OK;
nomem:
    pn_account_free(a);
    return pn_diag_set(diag, PN_ENOMEM, "out of memory");
}

/* The end of a check: `st` holds the row (hash, name, role, sources, disabled) when `found`;
 * the secret is checked against its hash, or the dummy hash when there is no row. A matching
 * hash made with other parameters is made again (writable stores only) by `rehash_sql`
 * (binding the new hash ?1, the key ?2 and the old hash ?3), after `st` is reset. */
static int finish_check(pn_store *s, sqlite3_stmt *st, int found, const char *secret,
                        const char *key, const char *rehash_sql, pn_account **out,
                        pn_diag *diag)
{
    char hash[crypto_pwhash_STRBYTES];
    const char *h = found ? (const char *)sqlite3_column_text(st, 0) : NULL;
    snprintf(hash, sizeof hash, "%s", h && strlen(h) < sizeof hash ? h : dummy_hash);
    int disabled = found && sqlite3_column_int(st, 4) != 0;
    size_t len = secret ? strnlen(secret, PN_PASSWORD_MAX + 1) : 0;
    int match = len <= PN_PASSWORD_MAX &&
                crypto_pwhash_str_verify(hash, secret ? secret : "", len) == 0;
    if (!found || disabled || !match) return pn_diag_set(diag, PN_EPERM, "%s", wrong);
    int rc = make_account((const char *)sqlite3_column_text(st, 1),
                          (const char *)sqlite3_column_text(st, 2),
                          (const char *)sqlite3_column_text(st, 3), out, diag);
    if (rc == PN_OK) stamp_of(hash, (*out)->stamp);
    if (rc != PN_OK || s->readonly ||
        crypto_pwhash_str_needs_rehash(hash, PN_ACCOUNT_OPSLIMIT, PN_ACCOUNT_MEMLIMIT) == 0)
        return rc;
    sqlite3_reset(st);  /* its read ends before the write */
    char fresh[crypto_pwhash_STRBYTES];
    sqlite3_stmt *up = NULL;
    pn_diag ignored = {0};
    if (hash_secret(secret, len, fresh, &ignored) == PN_OK &&
        pn__store_prepare(s, rehash_sql, &up, &ignored) == PN_OK) {
        sqlite3_bind_text(up, 1, fresh, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 3, hash, -1, SQLITE_STATIC);
        (void)sqlite3_step(up);  /* the check succeeded whether the new hash is kept or not */
    }
    sqlite3_finalize(up);
    return PN_OK;
}

/* Look up one row by `key` with `sql` and finish the check. */
static int check(pn_store *s, const char *sql, const char *key, const char *secret,
                 const char *rehash_sql, pn_account **out, pn_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc, step = SQLITE_DONE;
    if (key != NULL) {
        if ((rc = pn__store_prepare(s, sql, &st, diag)) != PN_OK) return rc;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        step = sqlite3_step(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE) {
            rc = pn__store_error(s, "checking a login", diag);
            sqlite3_finalize(st);
            return rc;
        }
    }
    rc = finish_check(s, st, step == SQLITE_ROW, secret, key, rehash_sql, out, diag);
    sqlite3_finalize(st);
    return rc;
}

int pn_account_verify_password(pn_store *s, const char *name, const char *password,
                               pn_account **out, pn_diag *diag)
{
    *out = NULL;
    int rc = sodium_ready(diag);
    if (rc != PN_OK) return rc;
    return check(s, "SELECT hash, name, role, sources, disabled FROM accounts WHERE name = ?1",
                 pn_account_name_valid(name) ? name : NULL, password,
                 "UPDATE accounts SET hash = ?1 WHERE name = ?2 AND hash = ?3", out, diag);
}

int pn_account_verify_token(pn_store *s, const char *token, pn_account **out, pn_diag *diag)
{
    *out = NULL;
    int rc = sodium_ready(diag);
    if (rc != PN_OK) return rc;
    char id[PN_TOKEN_ID_LEN + 1];
    const char *secret = NULL;
    int ok = token_split(token, id, &secret);
    return check(s, "SELECT t.hash, a.name, a.role, a.sources, a.disabled FROM tokens t"
                 " JOIN accounts a ON a.name = t.account WHERE t.id = ?1",
                 ok ? id : NULL, ok ? secret : NULL,
                 "UPDATE tokens SET hash = ?1 WHERE id = ?2 AND hash = ?3", out, diag);
}
