/* pseudonym.c - the store's secret key (file or environment) and keyed BLAKE2b pseudonyms. */
#include "pronostic/pseudonym.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int sodium_ready(void) { return sodium_init() >= 0; }

/* Fill key->hash_key from key->bytes. */
static void derive(pn_key *key)
{
    static const char tag[] = "pronostic content-hash";
    crypto_generichash(key->hash_key, sizeof key->hash_key, (const unsigned char *)tag,
                       sizeof tag, key->bytes, PN_KEY_BYTES);
}

int pn_key_generate(pn_key *key)
{
    if (!sodium_ready()) return PN_ECRYPTO;
    randombytes_buf(key->bytes, sizeof key->bytes);
    derive(key);
    return PN_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int pn_key_from_hex(const char *hex, size_t len, pn_key *key)
{
    while (len > 0 && (hex[len - 1] == '\n' || hex[len - 1] == '\r')) len--;
    if (len != 2 * PN_KEY_BYTES) return PN_EPARSE;
    for (size_t i = 0; i < PN_KEY_BYTES; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return PN_EPARSE;
        key->bytes[i] = (unsigned char)(hi * 16 + lo);
    }
    if (!sodium_ready()) return PN_ECRYPTO;
    derive(key);
    return PN_OK;
}

int pn_key_write(const char *path, const pn_key *key, pn_diag *diag)
{
    char hex[2 * PN_KEY_BYTES + 2];
    sodium_bin2hex(hex, sizeof hex - 1, key->bytes, PN_KEY_BYTES);
    hex[2 * PN_KEY_BYTES] = '\n';
    hex[2 * PN_KEY_BYTES + 1] = '\0';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        int err = errno;
        sodium_memzero(hex, sizeof hex);
        return pn_diag_set(diag, err == EEXIST ? PN_EDUP : PN_EIO, "%s: cannot create: %s", path,
                           strerror(err));
    }
    /* the umask may have removed bits but never adds any; make the mode exact anyway */
    int rc = PN_OK;
    size_t n = 2 * PN_KEY_BYTES + 1;
    if (fchmod(fd, 0600) != 0 || write(fd, hex, n) != (ssize_t)n || fsync(fd) != 0)
        rc = pn_diag_set(diag, PN_EIO, "%s: cannot write the key: %s", path, strerror(errno));
    sodium_memzero(hex, sizeof hex);
    if (close(fd) != 0 && rc == PN_OK)
        rc = pn_diag_set(diag, PN_EIO, "%s: cannot write the key: %s", path, strerror(errno));
    if (rc != PN_OK) unlink(path);
    return rc;
}

int pn_key_load(const char *db_path, pn_key *key, pn_diag *diag)
{
    const char *env = getenv(PN_KEY_ENV);
    if (env != NULL && env[0] != '\0') {
        if (pn_key_from_hex(env, strlen(env), key) != PN_OK)
            return pn_diag_set(diag, PN_EPARSE, "%s is set but is not 64 hex digits", PN_KEY_ENV);
        return PN_OK;
    }
    char path[4096];
    if (snprintf(path, sizeof path, "%s.key", db_path) >= (int)sizeof path)
        return pn_diag_set(diag, PN_EINVAL, "%s: path too long", db_path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        int err = errno;
        return pn_diag_set(diag, err == ENOENT ? PN_ENOTFOUND : PN_EIO,
                           "%s: cannot open the store's key (%s); set %s or run pronostic init",
                           path, strerror(err), PN_KEY_ENV);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return pn_diag_set(diag, PN_EIO, "%s: not a regular file", path);
    }
    if ((st.st_mode & 077) != 0) {
        close(fd);
        return pn_diag_set(diag, PN_EPERM,
                           "%s: key file is accessible by group or others (mode %03o); "
                           "run chmod 600 on it", path, (unsigned)(st.st_mode & 0777));
    }
    char hex[2 * PN_KEY_BYTES + 8];
    ssize_t n = read(fd, hex, sizeof hex);
    close(fd);
    int rc = n > 0 ? pn_key_from_hex(hex, (size_t)n, key) : PN_EPARSE;
    sodium_memzero(hex, sizeof hex);
    if (rc != PN_OK) return pn_diag_set(diag, PN_EPARSE, "%s: not a key (64 hex digits)", path);
    return PN_OK;
}

void pn_pseudonym(const pn_key *key, const char *domain, const char *id, size_t len,
                  unsigned char out[PN_PSEUDONYM_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, key->bytes, PN_KEY_BYTES, PN_PSEUDONYM_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
    crypto_generichash_update(&st, (const unsigned char *)id, len);
    crypto_generichash_final(&st, out, PN_PSEUDONYM_BYTES);
}

uint64_t pn_keyed_hash64(const pn_key *key, const void *data, size_t len)
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, data, len, key->hash_key);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | h[i];
    return v;
}

void pn_key_wipe(pn_key *key) { sodium_memzero(key, sizeof *key); }
