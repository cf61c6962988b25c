/* store_files.c - the store's files on disk, beside SQLite: the main file created 0600, the
 * modes of an older store tightened, its write-ahead log looked at, and the URI that reads it
 * as immutable.
 *
 * SQLite creates FILE-wal, FILE-shm and FILE-journal with the mode of FILE (whatever the
 * umask), so a main file made 0600 here makes every file of the store 0600.
 */
#include "store_internal.h"
#include "pronostic/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pn__store_create_file(const char *path, pn_diag *diag)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        int err = errno;
        return pn_diag_set(diag, err == EEXIST ? PN_EDUP : PN_EIO, "%s: cannot create: %s", path,
                           strerror(err));
    }
    /* the umask may have removed bits (0277 leaves 0400): make the mode exact */
    int rc = PN_OK;
    if (fchmod(fd, 0600) != 0)
        rc = pn_diag_set(diag, PN_EIO, "%s: cannot set mode 0600: %s", path, strerror(errno));
    close(fd);
    if (rc != PN_OK) unlink(path);
    return rc;
}

int pn__store_tighten(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    int changed = 0;
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        char p[4200];
        struct stat st;
        if (snprintf(p, sizeof p, "%s%s", path, suffix[i]) >= (int)sizeof p) continue;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) == 0) continue;
        if (chmod(p, st.st_mode & 0700) == 0) changed = 1;
    }
    return changed;
}

int pn__store_wal_pending(const char *path)
{
    char p[4200];
    struct stat st;
    if (snprintf(p, sizeof p, "%s-wal", path) >= (int)sizeof p) return 1;
    return stat(p, &st) == 0 && st.st_size > 0;
}

char *pn__store_immutable_uri(const char *path)
{
    static const char tail[] = "?immutable=1";
    size_t n = strlen(path);
    char *uri = pn_malloc(7 + 3 * n + sizeof tail);
    if (uri == NULL) return NULL;
    /* "file:///abs" (an empty authority), so that a path "//x" is not read as host x */
    size_t w = path[0] == '/' ? 7 : 5;
    memcpy(uri, "file://", w);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '/' || c == '.' || c == '_' || c == '-' || c == '~') {
            uri[w++] = (char)c;
        } else { /* '?', '#', '%', spaces, non-ASCII: percent-encoded (RFC 3986) */
            snprintf(uri + w, 4, "%%%02X", c);
            w += 3;
        }
    }
    memcpy(uri + w, tail, sizeof tail);
    return uri;
}
