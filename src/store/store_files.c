/* store_files.c - the store's files on disk, beside SQLite: the main file created 0600, and
 * the modes of an older store tightened.
 *
 * SQLite creates FILE-wal, FILE-shm and FILE-journal with the mode of FILE (whatever the
 * umask), so a main file made 0600 here makes every file of the store 0600.
 */
#include "store_internal.h"

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
