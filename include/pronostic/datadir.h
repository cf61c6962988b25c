/* datadir.h - where bundled reference data (life tables, départements) is found.
 *
 * One rule for every reader of data/: an explicit directory when the caller has one (an option),
 * else $PRONOSTIC_DATA_DIR when set and not empty, else the source tree's data/ (PN_DATA_DIR,
 * set by the build).
 */
#ifndef PRONOSTIC_DATADIR_H
#define PRONOSTIC_DATADIR_H

#include "pronostic/error.h"

#include <stddef.h>

/* The data directory: `dir` when not NULL nor empty, else $PRONOSTIC_DATA_DIR when set and not
 * empty, else PN_DATA_DIR. The result is `dir`, the environment's string or a literal: not
 * owned by the caller. */
const char *pn_data_dir(const char *dir);

/* Write "DATADIR/file" into the caller's buffer `path` of `size` bytes, DATADIR as
 * pn_data_dir(dir) gives it. PN_OK, or PN_EINVAL with a message when it does not fit. */
int pn_data_path(char *path, size_t size, const char *dir, const char *file, pn_diag *diag);

#endif
