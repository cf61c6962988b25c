/* write_file.c - a whole output file written atomically (surv --plot): the bytes go to a
 * temporary file beside it, flushed to disk, then renamed over the name asked for, so a reader
 * sees the old file or the new one, never a part. */
#include "cli.h"
#include "pronostic/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int pn_cli_write_file(const char *path, const char *data, size_t len, pn_diag *diag)
{
    size_t n = strlen(path) + 32;
    char *tmp = pn_malloc(n);
    if (tmp == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    int rc = PN_OK, fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        rc = pn_diag_set(diag, PN_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto done;
    }
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            rc = pn_diag_set(diag, PN_EIO, "cannot write '%s': %s", path,
                             w < 0 ? strerror(errno) : "short write");
            goto unlink_tmp;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0) {
        rc = pn_diag_set(diag, PN_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto unlink_tmp;
    }
    int closed = close(fd);
    fd = -1;
    if (closed != 0 || rename(tmp, path) != 0) {
        rc = pn_diag_set(diag, PN_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto unlink_tmp;
    }
    goto done;
unlink_tmp:
    if (fd >= 0) close(fd);
    unlink(tmp);
done:
    pn_free(tmp);
    return rc;
}
