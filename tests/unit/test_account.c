/* test_account.c - accounts and API tokens (account.h): roles, names, passwords, checks that
 * answer alike for a wrong password and an unknown account, tokens, removal, the list, the
 * re-hash of an old hash; the audit's rows, filters and append-only triggers (store.h). Each
 * argon2id hash takes about 50 ms: the cases make few. */
#include "pn_test.h"
#include "pn_testfs.h"
#include "pronostic/account.h"
#include "pronostic/store.h"
#include "store/store_internal.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64], db[128];

/* A fresh empty store; opened for writing into *s. */
static void fresh_store(pn_store **s)
{
    pn_test_mkdir(dir, sizeof dir, "pn_test_account");
    unsetenv(PN_KEY_ENV);
    snprintf(db, sizeof db, "%s/s.db", dir);
    pn_diag d = {0};
    *s = NULL;
    PN_CHECK(pn_store_init(db, &d) == PN_OK);
    PN_CHECK(pn_store_open(s, db, &d) == PN_OK);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

/* One number from SQL on the store file, read with a connection of its own. */
static long long sql_int(const char *sql)
{
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -999;
    if (sqlite3_open(db, &raw) == SQLITE_OK && sqlite3_prepare_v2(raw, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return v;
}

/* Run SQL on the store file; the SQLite result code. */
static int sql_exec(const char *sql)
{
    sqlite3 *raw = NULL;
    int rc = sqlite3_open(db, &raw);
    if (rc == SQLITE_OK) rc = sqlite3_exec(raw, sql, NULL, NULL, NULL);
    sqlite3_close(raw);
    return rc;
}

PN_TEST(roles)
{
    int r = -1;
    PN_CHECK(pn_role_parse("admin", &r) == PN_OK && r == PN_ROLE_ADMIN);
    PN_CHECK(pn_role_parse("analyst", &r) == PN_OK && r == PN_ROLE_ANALYST);
    PN_CHECK(pn_role_parse("researcher", &r) == PN_OK && r == PN_ROLE_RESEARCHER);
    PN_CHECK(pn_role_parse("public", &r) == PN_OK && r == PN_ROLE_PUBLIC);
    r = 7;
    PN_CHECK(pn_role_parse("Admin", &r) == PN_EINVAL && r == 7);
    PN_CHECK(pn_role_parse("", &r) == PN_EINVAL);
    PN_CHECK(pn_role_parse(NULL, &r) == PN_EINVAL);
    for (int i = PN_ROLE_PUBLIC; i <= PN_ROLE_ADMIN; i++)
        PN_CHECK(pn_role_parse(pn_role_name(i), &r) == PN_OK && r == i);
    PN_CHECK(pn_role_name(4) == NULL && pn_role_name(-1) == NULL);
}

PN_TEST(bad_input)
{
    PN_CHECK(pn_account_name_valid("alice") && pn_account_name_valid("a.b_c-9") &&
             pn_account_name_valid("9lives"));
    char longest[66];
    memset(longest, 'x', 64);
    longest[64] = '\0';
    PN_CHECK(pn_account_name_valid(longest));
    longest[64] = 'x';
    longest[65] = '\0';
    PN_CHECK(!pn_account_name_valid(longest));
    PN_CHECK(!pn_account_name_valid("") && !pn_account_name_valid(NULL) &&
             !pn_account_name_valid(".hidden") && !pn_account_name_valid("-x") &&
             !pn_account_name_valid("a b") && !pn_account_name_valid("a,b") &&
             !pn_account_name_valid("é"));
    pn_store *s;
    fresh_store(&s);
    pn_diag d = {0};
    const char *pw = "correct horse battery";
    PN_CHECK(pn_account_add(s, "a b", PN_ROLE_ADMIN, pw, NULL, 0, &d) == PN_EINVAL);
    PN_CHECK(strstr(d.msg, "'a b'") != NULL);
    PN_CHECK(pn_account_add(s, longest, PN_ROLE_ADMIN, pw, NULL, 0, &d) == PN_EINVAL);
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_ADMIN, "elevenchars", NULL, 0, &d) == PN_EINVAL);
    PN_CHECK(strstr(d.msg, "password") != NULL && strstr(d.msg, "short") != NULL);
    char big[1026];
    memset(big, 'p', 1025);
    big[1025] = '\0';
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_ADMIN, big, NULL, 0, &d) == PN_EINVAL);
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_ADMIN, NULL, NULL, 0, &d) == PN_EINVAL);
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_PUBLIC, pw, NULL, 0, &d) == PN_EINVAL);
    PN_CHECK(pn_account_add(s, "alice", 9, pw, NULL, 0, &d) == PN_EINVAL);
    const char *src[] = {"hospital-a", "hospital-a"};
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_RESEARCHER, pw, src, 1, &d) == PN_EINVAL);
    PN_CHECK(strstr(d.msg, "analyst") != NULL);
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_ANALYST, pw, src, 2, &d) == PN_EINVAL);
    const char *bad_src[] = {"ok", "not ok"};
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_ANALYST, pw, bad_src, 2, &d) == PN_EINVAL);
    PN_CHECK(strstr(d.msg, "source 'not ok'") != NULL);
    PN_CHECK(sql_int("SELECT count(*) FROM accounts") == 0);
    pn_store_close(s);
    remove_dir();
}

PN_TEST(add_and_verify)
{
    pn_store *s;
    fresh_store(&s);
    pn_diag d = {0};
    const char *src[] = {"registry-c", "hospital-a"};
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_ANALYST, "correct horse battery", src, 2, &d) == PN_OK);
    PN_CHECK(pn_account_add(s, "alice", PN_ROLE_ADMIN, "another long password", NULL, 0, &d) == PN_EDUP);
    PN_CHECK(sql_int("SELECT count(*) FROM accounts WHERE name = 'alice' AND role = 'analyst'"
                     " AND sources = 'registry-c,hospital-a' AND hash LIKE '$argon2id$%'"
                     " AND hash NOT LIKE '%horse%' AND disabled = 0") == 1);
    pn_account *a = NULL;
    PN_CHECK(pn_account_verify_password(s, "alice", "correct horse battery", &a, &d) == PN_OK);
    PN_CHECK(a != NULL);
    if (a) {
        PN_CHECK_STR(a->name, "alice");
        PN_CHECK(a->role == PN_ROLE_ANALYST && a->nsources == 2);
        if (a->nsources == 2) {
            PN_CHECK_STR(a->sources[0], "registry-c");
            PN_CHECK_STR(a->sources[1], "hospital-a");
        }
    }
    pn_account_free(a);
    pn_account_free(NULL);
    /* a wrong password, an unknown account and a name that cannot be one: the same answer */
    pn_diag wrong = {0}, unknown = {0}, invalid = {0};
    a = (pn_account *)&d;  /* set to NULL on failure */
    PN_CHECK(pn_account_verify_password(s, "alice", "correct horse batterY", &a, &wrong) == PN_EPERM);
    PN_CHECK(a == NULL);
    PN_CHECK(pn_account_verify_password(s, "bob", "correct horse battery", &a, &unknown) == PN_EPERM);
    PN_CHECK(pn_account_verify_password(s, "no such!", "correct horse battery", &a, &invalid) == PN_EPERM);
    PN_CHECK_STR(wrong.msg, "wrong user name or password");
    PN_CHECK_STR(unknown.msg, wrong.msg);
    PN_CHECK_STR(invalid.msg, wrong.msg);
    PN_CHECK(a == NULL);
    /* disabled: refused alike; enabled again: accepted */
    PN_CHECK(pn_account_set_disabled(s, "alice", 1, &d) == PN_OK);
    PN_CHECK(pn_account_verify_password(s, "alice", "correct horse battery", &a, &d) == PN_EPERM);
    PN_CHECK_STR(d.msg, wrong.msg);
    PN_CHECK(pn_account_set_disabled(s, "alice", 0, &d) == PN_OK);
    PN_CHECK(pn_account_set_disabled(s, "bob", 1, &d) == PN_ENOTFOUND);
    /* a new password replaces the old one */
    PN_CHECK(pn_account_passwd(s, "alice", "short", &d) == PN_EINVAL);
    PN_CHECK(pn_account_passwd(s, "bob", "a new long password", &d) == PN_ENOTFOUND);
    PN_CHECK(pn_account_passwd(s, "alice", "a new long password", &d) == PN_OK);
    PN_CHECK(pn_account_verify_password(s, "alice", "correct horse battery", &a, &d) == PN_EPERM);
    PN_CHECK(pn_account_verify_password(s, "alice", "a new long password", &a, &d) == PN_OK);
    PN_CHECK(a != NULL && a->role == PN_ROLE_ANALYST);
    pn_account_free(a);
    pn_store_close(s);
    remove_dir();
}

/* The dummy hash is made with the parameters every new hash gets: an unknown account costs the
 * time of a known one. */
PN_TEST(dummy_hash)
{
    PN_CHECK(sodium_init() >= 0);
    const char *h = pn__account_dummy_hash();
    PN_CHECK(strncmp(h, "$argon2id$", 10) == 0);
    PN_CHECK(crypto_pwhash_str_needs_rehash(h, PN_ACCOUNT_OPSLIMIT, PN_ACCOUNT_MEMLIMIT) == 0);
}

static int token_chars_ok(const char *t)
{
    if (strlen(t) != PN_TOKEN_LEN || strncmp(t, "pnt_", 4) != 0 || t[20] != '_') return 0;
    for (int i = 4; i < 20; i++)
        if (!strchr("0123456789abcdef", t[i])) return 0;
    for (int i = 21; i < PN_TOKEN_LEN; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", t[i]))
            return 0;
    return 1;
}

PN_TEST(tokens)
{
    pn_store *s;
    fresh_store(&s);
    pn_diag d = {0};
    char tok[PN_TOKEN_LEN + 1], small[PN_TOKEN_LEN];
    PN_CHECK(pn_account_add(s, "robot", PN_ROLE_RESEARCHER, "correct horse battery", NULL, 0, &d) == PN_OK);
    PN_CHECK(pn_account_token_new(s, "robot", small, sizeof small, &d) == PN_EINVAL);
    PN_CHECK(pn_account_token_new(s, "nobody", tok, sizeof tok, &d) == PN_ENOTFOUND);
    PN_CHECK(pn_account_token_new(s, "robot", tok, sizeof tok, &d) == PN_OK);
    PN_CHECK(token_chars_ok(tok));
    /* only the secret's hash is kept */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM tokens WHERE id = '%.16s' AND account = 'robot'"
             " AND hash LIKE '$argon2id$%%' AND instr(hash, '%s') = 0", tok + 4, tok + 21);
    PN_CHECK(sql_int(sql) == 1);
    pn_account *a = NULL;
    PN_CHECK(pn_account_verify_token(s, tok, &a, &d) == PN_OK);
    PN_CHECK(a != NULL && strcmp(a->name, "robot") == 0 && a->role == PN_ROLE_RESEARCHER &&
             a->nsources == 0 && a->sources == NULL);
    pn_account_free(a);
    /* a wrong secret, a malformed token: refused with the login's message */
    char bad[PN_TOKEN_LEN + 1];
    memcpy(bad, tok, sizeof bad);
    bad[30] = bad[30] == 'A' ? 'B' : 'A';
    PN_CHECK(pn_account_verify_token(s, bad, &a, &d) == PN_EPERM && a == NULL);
    PN_CHECK_STR(d.msg, "wrong user name or password");
    PN_CHECK(pn_account_verify_token(s, "pnt_short", &a, &d) == PN_EPERM);
    PN_CHECK(pn_account_verify_token(s, NULL, &a, &d) == PN_EPERM);
    /* a password is not a token, nor a token a password */
    PN_CHECK(pn_account_verify_password(s, "robot", tok, &a, &d) == PN_EPERM);
    /* revoke: a bad id, the id, then it is gone */
    PN_CHECK(pn_account_token_revoke(s, "xyz", &d) == PN_EINVAL);
    PN_CHECK(pn_account_token_revoke(s, "0123456789abcdeF", &d) == PN_EINVAL);
    PN_CHECK(pn_account_token_revoke(s, "0123456789abcdef", &d) == PN_ENOTFOUND);
    char id[PN_TOKEN_ID_LEN + 1];
    memcpy(id, tok + 4, PN_TOKEN_ID_LEN);
    id[PN_TOKEN_ID_LEN] = '\0';
    PN_CHECK(pn_account_token_revoke(s, id, &d) == PN_OK);
    PN_CHECK(pn_account_token_revoke(s, id, &d) == PN_ENOTFOUND);
    PN_CHECK(pn_account_verify_token(s, tok, &a, &d) == PN_EPERM && a == NULL);
    PN_CHECK(sql_int("SELECT count(*) FROM tokens") == 0);
    pn_store_close(s);
    remove_dir();
}

typedef struct seen {
    int n;
    char names[4][16], sources[4][32];
    long long ntokens[4];
    int disabled[4];
} seen;

static int collect(const pn_account_row *r, void *ctx)
{
    seen *v = ctx;
    if (v->n < 4) {
        snprintf(v->names[v->n], sizeof v->names[0], "%s", r->name);
        snprintf(v->sources[v->n], sizeof v->sources[0], "%s", r->sources);
        v->ntokens[v->n] = r->ntokens;
        v->disabled[v->n] = r->disabled;
        if (strlen(r->created) != 20 || r->created[10] != 'T' || r->role == NULL) v->n = 100;
    }
    v->n++;
    return 0;
}

/* remove deletes the tokens with the account; the list shows what is left */
PN_TEST(remove_and_list)
{
    pn_store *s;
    fresh_store(&s);
    pn_diag d = {0};
    const char *src[] = {"a", "b"};
    char t1[PN_TOKEN_LEN + 1], t2[PN_TOKEN_LEN + 1];
    PN_CHECK(pn_account_add(s, "zoe", PN_ROLE_ANALYST, "correct horse battery", src, 2, &d) == PN_OK);
    PN_CHECK(pn_account_add(s, "carl", PN_ROLE_ADMIN, "correct horse battery", NULL, 0, &d) == PN_OK);
    PN_CHECK(pn_account_token_new(s, "carl", t1, sizeof t1, &d) == PN_OK);
    PN_CHECK(pn_account_token_new(s, "zoe", t2, sizeof t2, &d) == PN_OK);
    PN_CHECK(strcmp(t1, t2) != 0);
    PN_CHECK(pn_account_set_disabled(s, "zoe", 1, &d) == PN_OK);
    seen v = {0};
    PN_CHECK(pn_account_list(s, collect, &v, &d) == PN_OK);
    PN_CHECK(v.n == 2);
    PN_CHECK_STR(v.names[0], "carl");
    PN_CHECK_STR(v.names[1], "zoe");
    PN_CHECK_STR(v.sources[0], "");
    PN_CHECK_STR(v.sources[1], "a,b");
    PN_CHECK(v.ntokens[0] == 1 && v.ntokens[1] == 1 && v.disabled[0] == 0 && v.disabled[1] == 1);
    PN_CHECK(pn_account_remove(s, "carl", &d) == PN_OK);
    PN_CHECK(pn_account_remove(s, "carl", &d) == PN_ENOTFOUND);
    PN_CHECK(pn_account_remove(s, "bad name", &d) == PN_EINVAL);
    PN_CHECK(sql_int("SELECT count(*) FROM tokens WHERE account = 'carl'") == 0);
    PN_CHECK(sql_int("SELECT count(*) FROM tokens WHERE account = 'zoe'") == 1);
    memset(&v, 0, sizeof v);
    PN_CHECK(pn_account_list(s, collect, &v, &d) == PN_OK);
    PN_CHECK(v.n == 1);
    PN_CHECK_STR(v.names[0], "zoe");
    /* a rolled-back transaction leaves nothing */
    PN_CHECK(pn_store_begin(s, &d) == PN_OK);
    PN_CHECK(pn_account_remove(s, "zoe", &d) == PN_OK);
    pn_store_rollback(s);
    PN_CHECK(sql_int("SELECT count(*) FROM accounts WHERE name = 'zoe'") == 1);
    PN_CHECK(sql_int("SELECT count(*) FROM tokens WHERE account = 'zoe'") == 1);
    pn_store_close(s);
    remove_dir();
}

/* A hash made with other parameters is replaced at the next good login on a writable store,
 * left alone on a read-only one (which still checks it). */
PN_TEST(rehash)
{
    pn_store *s;
    fresh_store(&s);
    pn_diag d = {0};
    PN_CHECK(pn_account_add(s, "old", PN_ROLE_RESEARCHER, "correct horse battery", NULL, 0, &d) == PN_OK);
    char weak[crypto_pwhash_STRBYTES], sql[512];
    PN_CHECK(crypto_pwhash_str_alg(weak, "correct horse battery", 21, 1, 8192 * 1024,
                                   crypto_pwhash_ALG_ARGON2ID13) == 0);
    snprintf(sql, sizeof sql, "UPDATE accounts SET hash = '%s' WHERE name = 'old'", weak);
    pn_store_close(s);
    PN_CHECK(sql_exec(sql) == SQLITE_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM accounts WHERE hash = '%s'", weak);
    pn_account *a = NULL;
    PN_CHECK(pn_store_open_readonly(&s, db, &d) == PN_OK);
    PN_CHECK(pn_account_verify_password(s, "old", "correct horse battery", &a, &d) == PN_OK);
    pn_account_free(a);
    PN_CHECK(pn_account_verify_password(s, "nobody", "correct horse battery", &a, &d) == PN_EPERM);
    pn_store_close(s);
    PN_CHECK(sql_int(sql) == 1);
    PN_CHECK(pn_store_open(&s, db, &d) == PN_OK);
    PN_CHECK(pn_account_verify_password(s, "old", "correct horse battery", &a, &d) == PN_OK);
    pn_account_free(a);
    pn_store_close(s);
    PN_CHECK(sql_int(sql) == 0);
    PN_CHECK(sql_int("SELECT count(*) FROM accounts WHERE hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'") == 1);
    PN_CHECK(pn_store_open_readonly(&s, db, &d) == PN_OK);
    PN_CHECK(pn_account_verify_password(s, "old", "correct horse battery", &a, &d) == PN_OK);
    pn_account_free(a);
    pn_store_close(s);
    remove_dir();
}

typedef struct entries {
    int n;
    long long ids[8], rows[8];
} entries;

static int collect_audit(const pn_audit_row *r, void *ctx)
{
    entries *e = ctx;
    if (e->n < 8) {
        e->ids[e->n] = r->id;
        e->rows[e->n] = r->rows;
    }
    e->n++;
    return 0;
}

/* rows (NULL when not a read), the filters, and the triggers that keep the audit */
PN_TEST(audit)
{
    pn_store *s;
    fresh_store(&s);
    pn_diag d = {0};
    PN_CHECK(pn_store_audit(s, "ann", "no-suppress", "pronostic report", -1, &d) == PN_OK);
    PN_CHECK(pn_store_audit(s, "ben", "cases", "GET /api/v1/cases", 42, &d) == PN_OK);
    PN_CHECK(pn_store_audit(s, "ann", "cases", "GET /api/v1/cases", 0, &d) == PN_OK);
    pn_store_close(s);
    /* an entry of long ago (written by hand: the store writes the time of now) */
    PN_CHECK(sql_exec("INSERT INTO audit(id, at, who, action, detail) VALUES"
                      " (10, '2000-01-01T00:00:00Z', 'old', 'no-suppress', 'x')") == SQLITE_OK);
    PN_CHECK(pn_store_open(&s, db, &d) == PN_OK);
    entries e = {0};
    PN_CHECK(pn_store_audit_list(s, NULL, collect_audit, &e, &d) == PN_OK);
    PN_CHECK(e.n == 4 && e.ids[0] == 1 && e.ids[3] == 10);
    PN_CHECK(e.rows[0] == -1 && e.rows[1] == 42 && e.rows[2] == 0 && e.rows[3] == -1);
    pn_audit_filter f = {.who = "ann"};
    memset(&e, 0, sizeof e);
    PN_CHECK(pn_store_audit_list(s, &f, collect_audit, &e, &d) == PN_OK);
    PN_CHECK(e.n == 2 && e.ids[0] == 1 && e.ids[1] == 3);
    f = (pn_audit_filter){.action = "cases", .newest_first = 1};
    memset(&e, 0, sizeof e);
    PN_CHECK(pn_store_audit_list(s, &f, collect_audit, &e, &d) == PN_OK);
    PN_CHECK(e.n == 2 && e.ids[0] == 3 && e.ids[1] == 2);
    f = (pn_audit_filter){.limit = 1, .newest_first = 1};
    memset(&e, 0, sizeof e);
    PN_CHECK(pn_store_audit_list(s, &f, collect_audit, &e, &d) == PN_OK);
    PN_CHECK(e.n == 1 && e.ids[0] == 10);
    f = (pn_audit_filter){.since = "2001-01-01", .limit = 2};
    memset(&e, 0, sizeof e);
    PN_CHECK(pn_store_audit_list(s, &f, collect_audit, &e, &d) == PN_OK);
    PN_CHECK(e.n == 2 && e.ids[0] == 1 && e.ids[1] == 2);
    f = (pn_audit_filter){.since = "2000-01-01"};
    memset(&e, 0, sizeof e);
    PN_CHECK(pn_store_audit_list(s, &f, collect_audit, &e, &d) == PN_OK && e.n == 4);
    f = (pn_audit_filter){.since = "2000-13-01"};
    PN_CHECK(pn_store_audit_list(s, &f, collect_audit, &e, &d) == PN_EINVAL);
    PN_CHECK(strstr(d.msg, "since") != NULL);
    f = (pn_audit_filter){.since = "2000-01-01T00"};
    PN_CHECK(pn_store_audit_list(s, &f, collect_audit, &e, &d) == PN_EINVAL);
    f = (pn_audit_filter){.limit = -1};
    PN_CHECK(pn_store_audit_list(s, &f, collect_audit, &e, &d) == PN_EINVAL);
    pn_store_close(s);
    /* append-only: no change to any entry, no deletion of a fresh one; an old one may go */
    PN_CHECK(sql_exec("UPDATE audit SET who = 'someone else' WHERE id = 2") == SQLITE_CONSTRAINT);
    PN_CHECK(sql_exec("UPDATE audit SET detail = '' WHERE id = 10") == SQLITE_CONSTRAINT);
    PN_CHECK(sql_exec("DELETE FROM audit WHERE id = 2") == SQLITE_CONSTRAINT);
    PN_CHECK(sql_exec("DELETE FROM audit") == SQLITE_CONSTRAINT);
    PN_CHECK(sql_int("SELECT count(*) FROM audit") == 4);
    PN_CHECK(sql_int("SELECT count(*) FROM audit WHERE id = 2 AND who = 'ben' AND rows = 42") == 1);
    PN_CHECK(sql_exec("DELETE FROM audit WHERE id = 10") == SQLITE_OK);
    PN_CHECK(sql_int("SELECT count(*) FROM audit") == 3);
    /* an entry whose time cannot be read counts as fresh */
    PN_CHECK(sql_exec("INSERT INTO audit(id, at, who, action, detail) VALUES"
                      " (11, 'garbage', 'x', 'y', 'z')") == SQLITE_OK);
    PN_CHECK(sql_exec("DELETE FROM audit WHERE id = 11") == SQLITE_CONSTRAINT);
    remove_dir();
}

/* The digest of the accounts (pn_account_digest): the same while nothing changes, another
 * after each change a session or token depends on; and the stamp of a password's hash, the
 * same in a check and in the list, another after a new password. */
static int stamp_of_list(const pn_account_row *r, void *ctx)
{
    memcpy(ctx, r->stamp, PN_ACCOUNT_STAMP_LEN);
    return 0;
}

PN_TEST(digest_and_stamp)
{
    pn_store *s = NULL;
    fresh_store(&s);
    pn_diag d = {0};
    unsigned char states[8][PN_ACCOUNT_DIGEST_LEN];
    size_t n = 0;
    PN_CHECK(pn_account_digest(s, states[n++], &d) == PN_OK);
    PN_CHECK(pn_account_add(s, "ana", PN_ROLE_ANALYST, "a-long-password", NULL, 0, &d) == PN_OK);
    PN_CHECK(pn_account_digest(s, states[n++], &d) == PN_OK);
    unsigned char again[PN_ACCOUNT_DIGEST_LEN];
    PN_CHECK(pn_account_digest(s, again, &d) == PN_OK);
    PN_CHECK(memcmp(again, states[n - 1], sizeof again) == 0);
    pn_account *a = NULL;
    unsigned char listed[PN_ACCOUNT_STAMP_LEN], before[PN_ACCOUNT_STAMP_LEN];
    PN_CHECK(pn_account_verify_password(s, "ana", "a-long-password", &a, &d) == PN_OK);
    PN_CHECK(pn_account_list(s, stamp_of_list, listed, &d) == PN_OK);
    PN_CHECK(a && memcmp(a->stamp, listed, sizeof listed) == 0);
    memcpy(before, listed, sizeof before);
    pn_account_free(a);
    PN_CHECK(pn_account_passwd(s, "ana", "another-long-password", &d) == PN_OK);
    PN_CHECK(pn_account_digest(s, states[n++], &d) == PN_OK);
    PN_CHECK(pn_account_list(s, stamp_of_list, listed, &d) == PN_OK);
    PN_CHECK(memcmp(before, listed, sizeof listed) != 0);
    char tok[PN_TOKEN_LEN + 1];
    PN_CHECK(pn_account_token_new(s, "ana", tok, sizeof tok, &d) == PN_OK);
    PN_CHECK(pn_account_digest(s, states[n++], &d) == PN_OK);
    PN_CHECK(pn_account_token_revoke(s, tok, &d) == PN_OK);
    PN_CHECK(pn_account_digest(s, states[n++], &d) == PN_OK);
    PN_CHECK(pn_account_set_disabled(s, "ana", 1, &d) == PN_OK);
    PN_CHECK(pn_account_digest(s, states[n++], &d) == PN_OK);
    PN_CHECK(pn_account_remove(s, "ana", &d) == PN_OK);
    PN_CHECK(pn_account_digest(s, states[n++], &d) == PN_OK);
    /* every state differs from the one before; the empty store's comes back after the removal */
    for (size_t i = 1; i < n; i++) PN_CHECK(memcmp(states[i], states[i - 1], sizeof states[i]) != 0);
    PN_CHECK(memcmp(states[0], states[n - 1], sizeof states[0]) == 0);
    pn_store_close(s);
    remove_dir();
}

PN_TEST_MAIN(PN_T(digest_and_stamp), PN_T(roles), PN_T(bad_input), PN_T(add_and_verify), PN_T(dummy_hash),
             PN_T(tokens), PN_T(remove_and_list), PN_T(rehash), PN_T(audit))
