/* pn_testfs.h - files for unit tests: a fresh temporary directory and small text files in it. */
#ifndef PN_TESTFS_H
#define PN_TESTFS_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Make a new directory /tmp/PREFIX_XXXXXX into dir (at least 64 bytes); dir is "" on failure. */
static inline void pn_test_mkdir(char *dir, size_t size, const char *prefix)
{
    snprintf(dir, size, "/tmp/%s_XXXXXX", prefix);
    if (mkdtemp(dir) == NULL) dir[0] = '\0';
}

/* Write `text` to the file `name` of directory `dir`. */
static inline void pn_test_write(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL) return;
    fputs(text, f);
    fclose(f);
}

/* Write `text` to /tmp/PREFIX_PID.csv (the same file at every call: one test file at a time)
 * and return its path, a static buffer. */
static inline const char *pn_test_tmpfile(const char *prefix, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "/tmp/%s_%d.csv", prefix, (int)getpid());
    FILE *f = fopen(path, "w");
    if (f == NULL) return path;
    fputs(text, f);
    fclose(f);
    return path;
}

#endif
