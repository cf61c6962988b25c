/* store.c - opening, creating and migrating the store; its key check; the quarantine list. */
#include "store_internal.h"
#include "pronostic/alloc.h"
#include "pronostic/num.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pn__store_error(pn_store *store, const char *what, pn_diag *diag)
{
    /* what the user's files or system caused is bad input (exit 2), not our failure */
    const char *p = store->path;
    if (store->db == NULL) return pn_diag_set(diag, PN_ENOMEM, "%s: %s: out of memory", p, what);
    int code = sqlite3_extended_errcode(store->db), err = sqlite3_system_errno(store->db);
    const char *msg = sqlite3_errmsg(store->db);
    switch (code & 0xff) {
    case SQLITE_NOTADB:
        return pn_diag_set(diag, PN_EIO, "%s: %s: %s", p, what, msg);
    case SQLITE_CORRUPT:
        return pn_diag_set(diag, PN_EIO, "%s: %s: the store is damaged (%s); restore it from a "
                           "backup", p, what, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return pn_diag_set(diag, PN_EIO, "%s: %s: the store is locked by another process (an "
                           "import?); gave up after %g s, try again when it has finished", p, what,
                           store->busy_ms / 1000.0);
    case SQLITE_FULL:
        return pn_diag_set(diag, PN_EIO, "%s: %s: disk full; the store is left as it was, free "
                           "some space and try again", p, what);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return pn_diag_set(diag, PN_EIO, "%s: %s: %s (check the permissions of the store, its "
                           "directory and its -wal and -shm files, and that its file system is "
                           "writable)", p, what, msg);
    case SQLITE_IOERR:
        if (code == SQLITE_IOERR_NOMEM) break;
        if (err == ENOSPC || err == EDQUOT)
            return pn_diag_set(diag, PN_EIO, "%s: %s: disk full (%s); the store is left as it "
                               "was, free some space and try again", p, what, strerror(err));
        return pn_diag_set(diag, PN_EIO, "%s: %s: %s (%s)", p, what, msg,
                           err ? strerror(err) : "input/output error");
    case SQLITE_NOMEM:
        break;
    case SQLITE_CONSTRAINT:
        /* a trigger's refusal (the append-only audit): a rule of the store, not a bug */
        if (code == SQLITE_CONSTRAINT_TRIGGER)
            return pn_diag_set(diag, PN_EPERM, "%s: %s: %s", p, what, msg);
        return pn_diag_set(diag, PN_EDB, "%s: %s: %s", p, what, msg);
    default:
        return pn_diag_set(diag, PN_EDB, "%s: %s: %s", p, what, msg);
    }
    return pn_diag_set(diag, PN_ENOMEM, "%s: %s: out of memory", p, what);
}

int pn__store_exec(pn_store *store, const char *sql, const char *what, pn_diag *diag)
{
    if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return pn__store_error(store, what, diag);
    return PN_OK;
}

int pn__store_prepare(pn_store *store, const char *sql, sqlite3_stmt **out, pn_diag *diag)
{
    *out = NULL;
    if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK)
        return pn__store_error(store, "preparing a statement", diag);
    return PN_OK;
}

/* The key's fingerprint kept in meta.key_check: 16 bytes of a keyed hash, in hex. */
static void key_check(const pn_key *key, char hex[33])
{
    unsigned char fp[PN_PSEUDONYM_BYTES];
    pn_pseudonym(key, "key-check", "", 0, fp);
    sodium_bin2hex(hex, 33, fp, sizeof fp);
}

static int user_version(pn_store *store, int *version, pn_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc = pn__store_prepare(store, "PRAGMA user_version", &st, diag);
    if (rc != PN_OK) return rc;
    if (sqlite3_step(st) != SQLITE_ROW) rc = pn__store_error(store, "reading the schema version", diag);
    else *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* Apply the migrations the store lacks, each in its own transaction; a store opened read-only
 * that lacks one is refused instead. */
static int migrate(pn_store *store, pn_diag *diag)
{
    int version = 0, rc = user_version(store, &version, diag);
    if (rc != PN_OK) return rc;
    if (version > pn__store_nmigrations)
        return pn_diag_set(diag, PN_EDB, "%s: schema version %d is newer than this program's (%d)",
                           store->path, version, pn__store_nmigrations);
    if (version < pn__store_nmigrations && store->readonly)
        return pn_diag_set(diag, PN_EIO, "%s: schema version %d is older than this program's (%d) "
                           "and a read-only command does not migrate it: open it for writing "
                           "once (pronostic import), then try again", store->path, version,
                           pn__store_nmigrations);
    for (int v = version; v < pn__store_nmigrations; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if ((rc = pn__store_exec(store, "BEGIN IMMEDIATE", "starting a migration", diag)) != PN_OK)
            return rc;
        const pn__migration *m = &pn__store_migrations[v];
        if ((rc = pn__store_exec(store, m->sql, "migrating the schema", diag)) != PN_OK ||
            (m->fixup != NULL && (rc = m->fixup(store, diag)) != PN_OK) ||
            (rc = pn__store_exec(store, pragma, "migrating the schema", diag)) != PN_OK ||
            (rc = pn__store_exec(store, "COMMIT", "migrating the schema", diag)) != PN_OK) {
            sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return PN_OK;
}

/* Before SQLite's first use: no allocation statistics (they take a global mutex on every
 * allocation). Harmless when SQLite was already initialised (the call is then refused). */
static void sqlite_setup(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

/* How long a locked store is waited for: 10 s, or PRONOSTIC_BUSY_TIMEOUT_MS (milliseconds;
 * tests use a short one). A value that is not a number is ignored. */
static int busy_timeout_ms(void)
{
    const char *env = getenv("PRONOSTIC_BUSY_TIMEOUT_MS");
    int64_t ms;
    if (env != NULL && pn_parse_int64(env, strlen(env), &ms) == PN_OK && ms >= 0 && ms <= INT_MAX)
        return (int)ms;
    return 10000;
}

/* (Re)open the connection on `name` (a path, or a URI with SQLITE_OPEN_URI). */
static int open_db(pn_store *store, const char *name, int flags, pn_diag *diag)
{
    sqlite3_close(store->db);
    store->db = NULL;
    /* one connection per thread of use: no SQLite mutexes */
    int rc = sqlite3_open_v2(name, &store->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (store->db != NULL) {
        sqlite3_extended_result_codes(store->db, 1);
        sqlite3_busy_timeout(store->db, store->busy_ms);
    }
    return rc == SQLITE_OK ? PN_OK : pn__store_error(store, "cannot open", diag);
}

/* The first read of a store opened read-only. A store in WAL mode is read with its -shm file
 * (and -wal), which SQLite creates when they are missing; on a read-only directory or file
 * system it cannot, and the read fails (SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN). When the
 * write-ahead log is then absent or empty (a store closed cleanly), everything is in the main
 * file: it is read as immutable (no locks, no -shm). A non-empty log could hold committed
 * changes that only the -shm would let us read: refused with a message saying what to do. */
static int open_readonly(pn_store *store, pn_diag *diag)
{
    int rc = open_db(store, store->path, SQLITE_OPEN_READONLY, diag);
    if (rc != PN_OK) return rc;
    int version;
    if ((rc = user_version(store, &version, diag)) == PN_OK) return PN_OK;
    int code = sqlite3_errcode(store->db) & 0xff;
    if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN) return rc;
    if (pn__store_wal_pending(store->path))
        return pn_diag_set(diag, PN_EIO, "%s: cannot read the store here: its write-ahead log "
                           "%s-wal needs %s-shm, which cannot be created (read-only directory "
                           "or file system); copy the store with its -wal file to a writable "
                           "directory, or open it for writing once (pronostic import)",
                           store->path, store->path, store->path);
    char *uri = pn__store_immutable_uri(store->path);
    if (uri == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    rc = open_db(store, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, diag);
    pn_free(uri);
    return rc == PN_OK ? user_version(store, &version, diag) : rc;
}

enum { PN__CREATE, PN__WRITE, PN__READ };

static int connect(pn_store *store, int how, pn_diag *diag)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    store->busy_ms = busy_timeout_ms();
    store->readonly = how == PN__READ;
    int rc;
    if (how == PN__READ) {
        if ((rc = open_readonly(store, diag)) != PN_OK) return rc;
    } else {
        if ((rc = open_db(store, store->path, SQLITE_OPEN_READWRITE |
                          (how == PN__CREATE ? SQLITE_OPEN_CREATE : 0), diag)) != PN_OK)
            return rc;
        /* SQLite falls back to reading a file it may not write */
        if (sqlite3_db_readonly(store->db, "main") == 1)
            return pn_diag_set(diag, PN_EIO, "%s: cannot open the store for writing: no write "
                               "permission, or a read-only file system (the analyses can "
                               "still read it)", store->path);
        /* an older store's modes, before SQLite's first read makes its -wal and -shm (they
         * take the main file's mode) */
        if (how == PN__WRITE) store->tightened = pn__store_tighten(store->path);
        rc = pn__store_exec(store, "PRAGMA journal_mode=WAL", "setting WAL mode", diag);
        if (rc == PN_OK) rc = pn__store_exec(store, "PRAGMA synchronous=NORMAL", "setting synchronous", diag);
    }
    /* reads (cohort extraction) through a memory map: no copy per page */
    if (rc == PN_OK) rc = pn__store_exec(store, "PRAGMA mmap_size=8589934592", "setting mmap", diag);
    return rc;
}

/* PRAGMA quick_check before writing: a damaged store is refused (exit 2) rather than written
 * into. It reads every page (about 0.5 s for a store of 200,000 patients, 167 MB, in the page
 * cache, against 5.8 s for their import); the read-only commands skip it (it would cost four
 * times a `surv --db`) and rely on SQLite's checks of the pages they read. */
static int quick_check(pn_store *store, pn_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc = pn__store_prepare(store, "PRAGMA quick_check(1)", &st, diag);
    if (rc != PN_OK) return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = pn__store_error(store, "checking the store", diag);
    } else {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (r == NULL || strcmp(r, "ok") != 0) {
            char one[512];
            snprintf(one, sizeof one, "%s", r ? r : "no answer");
            for (char *c = one; *c; c++)
                if (*c == '\n' || *c == '\r') *c = ' ';
            static const char head[] = "*** in database main *** ";
            const char *what = strncmp(one, head, sizeof head - 1) == 0 ? one + sizeof head - 1 : one;
            rc = pn_diag_set(diag, PN_EIO, "%s: the store is damaged (PRAGMA quick_check: %s); "
                             "restore it from a backup", store->path, what);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int pn_store_init(const char *path, pn_diag *diag)
{
    char keypath[4096];
    if (snprintf(keypath, sizeof keypath, "%s.key", path) >= (int)sizeof keypath)
        return pn_diag_set(diag, PN_EINVAL, "%s: path too long", path);
    struct stat st;
    if (stat(path, &st) == 0)
        return pn_diag_set(diag, PN_EDUP, "%s: already exists; not overwritten", path);
    pn_store store = {0};
    store.path = (char *)path;
    int rc, wrote_key = 0, made_db = 0;
    const char *env = getenv(PN_KEY_ENV);
    if (env != NULL && env[0] != '\0') {
        if (pn_key_from_hex(env, strlen(env), &store.key) != PN_OK)
            return pn_diag_set(diag, PN_EPARSE, "%s is set but is not 64 hex digits", PN_KEY_ENV);
    } else {
        if (stat(keypath, &st) == 0) {
            /* a key without its store (an init stopped half-way, or a store rebuilt on purpose):
             * keep it, so that pseudonyms stay the same; pn_key_load checks its mode */
            if ((rc = pn_key_load(path, &store.key, diag)) != PN_OK) return rc;
        } else {
            if (pn_key_generate(&store.key) != PN_OK)
                return pn_diag_set(diag, PN_ECRYPTO, "cannot initialise libsodium");
            if ((rc = pn_key_write(keypath, &store.key, diag)) != PN_OK) goto done;
            wrote_key = 1;
        }
    }
    if ((rc = pn__store_create_file(path, diag)) != PN_OK) goto done;
    made_db = 1;
    if ((rc = connect(&store, PN__CREATE, diag)) != PN_OK) goto done;
    if ((rc = migrate(&store, diag)) != PN_OK) goto done;
    char check[33];
    key_check(&store.key, check);
    sqlite3_stmt *ins = NULL;
    if ((rc = pn__store_prepare(&store,
             "INSERT INTO meta(name, value) VALUES ('key_check', ?1), ('created', "
             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", &ins, diag)) != PN_OK)
        goto done;
    sqlite3_bind_text(ins, 1, check, -1, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) rc = pn__store_error(&store, "writing the key check", diag);
    sqlite3_finalize(ins);
done:
    sqlite3_close(store.db);
    if (rc != PN_OK) {
        if (made_db) {
            char side[4200];
            unlink(path);
            snprintf(side, sizeof side, "%s-wal", path);
            unlink(side);
            snprintf(side, sizeof side, "%s-shm", path);
            unlink(side);
            snprintf(side, sizeof side, "%s-journal", path);
            unlink(side);
        }
        if (wrote_key) unlink(keypath);
    }
    pn_key_wipe(&store.key);
    return rc;
}

static int open_store(pn_store **out, const char *path, int how, pn_diag *diag)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0)
        return pn_diag_set(diag, errno == ENOENT ? PN_ENOTFOUND : PN_EIO,
                           "%s: no such store (create it with pronostic init --db %s)", path, path);
    pn_store *store = pn_calloc(1, sizeof *store);
    if (store == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int rc;
    store->path = pn_strdup(path);
    if (store->path == NULL) { rc = pn_diag_set(diag, PN_ENOMEM, "out of memory"); goto fail; }
    if ((rc = pn_key_load(path, &store->key, diag)) != PN_OK) goto fail;
    if ((rc = connect(store, how, diag)) != PN_OK) goto fail;
    if (how == PN__WRITE && (rc = quick_check(store, diag)) != PN_OK) goto fail;
    if ((rc = migrate(store, diag)) != PN_OK) goto fail;
    sqlite3_stmt *q = NULL;
    if ((rc = pn__store_prepare(store, "SELECT value FROM meta WHERE name = 'key_check'", &q, diag)) != PN_OK)
        goto fail;
    char check[33];
    key_check(&store->key, check);
    int step = sqlite3_step(q);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = pn__store_error(store, "reading the key check", diag);
        sqlite3_finalize(q);
        goto fail;
    }
    if (step != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(q, 0), check) != 0) {
        sqlite3_finalize(q);
        rc = pn_diag_set(diag, PN_EPERM, "%s: the key (%s or %s.key) is not this store's key",
                         path, PN_KEY_ENV, path);
        goto fail;
    }
    sqlite3_finalize(q);
    *out = store;
    return PN_OK;
fail:
    pn_store_close(store);
    return rc;
}

int pn_store_open(pn_store **out, const char *path, pn_diag *diag)
{
    return open_store(out, path, PN__WRITE, diag);
}

/* The schema version of the store at `path` read without opening it as a store (0 when it
 * cannot be read: the read-only open then says why). */
static int schema_version_of(const char *path)
{
    sqlite3 *db = NULL;
    int version = 0;
    char *uri = pn__store_immutable_uri(path);
    if (uri != NULL &&
        sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                        NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    pn_free(uri);
    return version;
}

int pn_store_open_readonly(pn_store **out, const char *path, pn_diag *diag)
{
    /* a store of an older schema is migrated first when it can be written (after an upgrade of
     * the program, the first analysis migrates it); otherwise the read-only open refuses it */
    int version = schema_version_of(path);
    if (version > 0 && version < pn__store_nmigrations && access(path, W_OK) == 0) {
        pn_store *rw = NULL;
        int rc = open_store(&rw, path, PN__WRITE, diag);
        pn_store_close(rw);
        if (rc != PN_OK) return rc;
    }
    return open_store(out, path, PN__READ, diag);
}

int pn_store_tightened(const pn_store *store) { return store->tightened; }

void pn_store_close(pn_store *store)
{
    if (store == NULL) return;
    sqlite3_close(store->db);
    pn_key_wipe(&store->key);
    pn_free(store->path);
    pn_free(store);
}

int pn_store_begin(pn_store *store, pn_diag *diag)
{
    return pn__store_exec(store, "BEGIN IMMEDIATE", "starting a transaction", diag);
}

int pn_store_commit(pn_store *store, pn_diag *diag)
{
    int rc = pn__store_exec(store, "COMMIT", "committing a transaction", diag);
    if (rc != PN_OK) pn_store_rollback(store);
    return rc;
}

int pn_store_read_begin(pn_store *store, pn_diag *diag)
{
    return pn__store_exec(store, "SAVEPOINT pn_read", "starting a read", diag);
}

void pn_store_read_end(pn_store *store)
{
    if (store != NULL && store->db != NULL)
        sqlite3_exec(store->db, "RELEASE pn_read", NULL, NULL, NULL);
}

void pn_store_rollback(pn_store *store)
{
    if (store != NULL && store->db != NULL && !sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Accessors for other layers of the store module (cohort extraction). */
sqlite3 *pn__store_db(pn_store *store) { return store->db; }
