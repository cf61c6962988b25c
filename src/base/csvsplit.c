/* csvsplit.c - candidate cuts of a CSV file into byte ranges of about equal size, each just
 * after a line feed, for readers running side by side (csv.h). Whether a cut is a row boundary
 * (not a line feed inside a quoted field) is proven by the reader of the range before it. */
#include "pronostic/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The first byte after a line feed at or after `at` in `len` bytes of `data` (len if none). */
static unsigned long long after_newline(const char *data, size_t len, unsigned long long at)
{
    if (at >= len) return len;
    const char *nl = memchr(data + at, '\n', len - (size_t)at);
    return nl ? (unsigned long long)(nl - data) + 1 : len;
}

void pn_csv_split_mem(const char *data, size_t len, unsigned long long from, size_t nparts,
                      unsigned long long *cuts)
{
    if (from > len) from = len;
    cuts[0] = from;
    for (size_t k = 1; k < nparts; k++) {
        unsigned long long at = from + (len - from) * k / nparts;
        if (at < cuts[k - 1]) at = cuts[k - 1];
        cuts[k] = at == from ? from : after_newline(data, len, at);
    }
    cuts[nparts] = len;
}

int pn_csv_split(const char *path, unsigned long long from, unsigned long long size,
                 size_t nparts, unsigned long long *cuts, pn_diag *diag)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return pn_diag_set(diag, PN_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (from > size) from = size;
    cuts[0] = from;
    char buf[1 << 16];
    for (size_t k = 1; k < nparts; k++) {
        unsigned long long at = from + (size - from) * k / nparts;
        if (at < cuts[k - 1]) at = cuts[k - 1];
        cuts[k] = size;
        if (at == from) { /* an empty range: the cut before it */
            cuts[k] = from;
            continue;
        }
        while (at < size) {
            ssize_t n = pread(fd, buf, sizeof buf, (off_t)at);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                int err = errno;
                close(fd);
                return pn_diag_set(diag, PN_EIO, "%s: read error: %s", path, strerror(err));
            }
            if (n == 0) break;
            const char *nl = memchr(buf, '\n', (size_t)n);
            if (nl != NULL) {
                cuts[k] = at + (unsigned long long)(nl - buf) + 1;
                break;
            }
            at += (unsigned long long)n;
        }
    }
    cuts[nparts] = size;
    close(fd);
    return PN_OK;
}
