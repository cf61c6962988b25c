/* fuzz_import.c - libFuzzer target for the bundle import: the input, cut at lines "=====", is
 * patients.csv, tumours.csv, events.csv and trials.json of a bundle imported into a new store.
 * Any bytes must import or be refused cleanly, and importing the same bundle a second time must
 * change nothing (docs/interfaces.md 2: re-import is idempotent). */
#include "pn_fuzz.h"
#include "pronostic/pseudonym.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], db[128];

static void put(const char *name, const char *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) abort();
    if (len) fwrite(data, 1, len, f);
    fclose(f);
}

static void remove_store(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[160];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffix[i]);
        unlink(path);
    }
}

static void cleanup(void)
{
    static const char *const names[] = {"patients.csv", "tumours.csv", "events.csv", "trials.json"};
    char path[256];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    remove_store();
    snprintf(path, sizeof path, "%s.key", db);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/pn_fuzz_import_XXXXXX");
        if (mkdtemp(dir) == NULL) abort();
        atexit(cleanup);
        snprintf(db, sizeof db, "%s.db", dir);
        setenv(PN_KEY_ENV, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
        setenv("PRONOSTIC_TODAY", "2025-01-01", 1);
    }
    static const char *const files[] = {"patients.csv", "tumours.csv", "events.csv", "trials.json"};
    const char *p = (const char *)data, *end = p + size;
    for (size_t k = 0; k < 4; k++) {
        const char *cut = NULL;
        for (const char *q = p; q + 7 <= end; q++)
            if (memcmp(q, "\n=====\n", 7) == 0) { cut = q; break; }
        size_t len = (size_t)((cut ? cut : end) - p);
        if (k < 3 || p < end) put(files[k], p, len);
        else { char path[256]; snprintf(path, sizeof path, "%s/%s", dir, files[k]); unlink(path); }
        p = cut ? cut + 7 : end;
    }
    remove_store();
    pn_diag diag = {0};
    pn_store *store = NULL;
    if (pn_store_init(db, &diag) != PN_OK || pn_store_open(&store, db, &diag) != PN_OK) abort();
    pn_import_stats first = {0}, second = {0};
    int rc = pn_store_import(store, dir, NULL, &first, &diag);
    if (rc == PN_OK) {
        if (pn_store_import(store, dir, NULL, &second, &diag) != PN_OK) abort();
        if (second.loaded != 0) abort(); /* a re-import changed the store */
    }
    pn_store_close(store);
    return 0;
}
