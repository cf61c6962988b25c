/* datadir.c - the data directory lookup: an explicit directory, $PRONOSTIC_DATA_DIR, data/. */
#include "pronostic/datadir.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef PN_DATA_DIR
#define PN_DATA_DIR "data"
#endif

const char *pn_data_dir(const char *dir)
{
    if (dir != NULL && dir[0] != '\0') return dir;
    const char *env = getenv("PRONOSTIC_DATA_DIR");
    if (env != NULL && env[0] != '\0') return env;
    return PN_DATA_DIR;
}

int pn_data_path(char *path, size_t size, const char *dir, const char *file, pn_diag *diag)
{
    const char *d = pn_data_dir(dir);
    int len = snprintf(path, size, "%s/%s", d, file);
    if (len < 0 || (size_t)len >= size)
        return pn_diag_set(diag, PN_EINVAL, "data directory path too long: %.200s", d);
    return PN_OK;
}
