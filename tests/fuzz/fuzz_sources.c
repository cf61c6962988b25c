/* fuzz_sources.c - libFuzzer target for the consolidation of several sources: the input, cut at
 * lines "=====", is patients.csv, tumours.csv and events.csv of a source A, then the same three
 * files of a source B. A then B go into one store, B then A into another with the same key; the
 * two stores must hold the same content (docs/data-format.md "Several sources": the result does
 * not depend on the order of imports). Rows that refer to a patient only the other source sent
 * depend on that source being there first (they are "unknown" before); when there are such rows,
 * only the patients, their observations and their own conflicts are compared. */
#include "pn_fuzz.h"
#include "pronostic/pseudonym.h"
#include "pronostic/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];

static void path_of(char *out, size_t cap, const char *a, const char *b)
{
    snprintf(out, cap, "%s/%s%s%s", base, a, b[0] ? "/" : "", b);
}

static void put(const char *dir, const char *name, const char *data, size_t len)
{
    char path[256];
    path_of(path, sizeof path, dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) abort();
    if (len) fwrite(data, 1, len, f);
    fclose(f);
}

static void remove_store(const char *name)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[256];
    for (size_t i = 0; i < 4; i++) {
        path_of(path, sizeof path, name, "");
        strncat(path, suffix[i], sizeof path - strlen(path) - 1);
        unlink(path);
    }
}

static void cleanup(void)
{
    static const char *const names[] = {"patients.csv", "tumours.csv", "events.csv"};
    char path[256];
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < 3; i++) {
            path_of(path, sizeof path, s ? "B" : "A", names[i]);
            unlink(path);
        }
    for (int s = 0; s < 2; s++) {
        path_of(path, sizeof path, s ? "B" : "A", "");
        rmdir(path);
    }
    remove_store("ab.db");
    remove_store("ba.db");
    rmdir(base);
}

/* The content of a store, without row ids and run numbers (which depend on the order). */
static const char *const full_sql[] = {
    "SELECT hex(p.pseudonym), p.h, p.sex, p.birth_date, p.birth_precision, p.residence,"
    " p.vital_status, p.vital_status_date, p.death_cause, s.name, p.nsources, p.conflict,"
    " p.death_place FROM patients p JOIN sources s ON s.id = p.source ORDER BY 1",
    "SELECT hex(p.pseudonym), s.name, o.h, o.sex, o.birth_date, o.vital_status,"
    " o.vital_status_date, o.death_cause, o.line, o.death_place FROM patient_obs o JOIN patients p USING (pid)"
    " JOIN sources s ON s.id = o.source ORDER BY 1, 2",
    "SELECT hex(p.pseudonym), c.field, sa.name, sb.name FROM conflicts c JOIN patients p USING (pid)"
    " JOIN sources sa ON sa.id = c.source_a JOIN sources sb ON sb.id = c.source_b WHERE c.tid = 0"
    " ORDER BY 1, 2, 3, 4",
    /* the rest only without rows referring to the other source's patients */
    "SELECT hex(t.tkey), hex(p.pseudonym), t.h, t.diagnosis_date, t.site, s.name, t.line"
    " FROM tumours t JOIN patients p USING (pid) JOIN sources s ON s.id = t.source ORDER BY 1",
    "SELECT hex(p.pseudonym), e.h, e.date, e.type, hex(t.tkey), e.end_date, e.setting FROM events e"
    " JOIN patients p USING (pid) LEFT JOIN tumours t ON t.tid = e.tid ORDER BY 1, 2",
    "SELECT hex(p.pseudonym), c.field, hex(t.tkey), sa.name, sb.name FROM conflicts c"
    " JOIN patients p USING (pid) JOIN tumours t ON t.tid = c.tid"
    " JOIN sources sa ON sa.id = c.source_a JOIN sources sb ON sb.id = c.source_b"
    " ORDER BY 1, 2, 3, 4, 5",
    "SELECT s.name, q.file, q.line, q.field, q.reason, q.severity FROM quarantine q"
    " JOIN sources s ON s.id = q.source ORDER BY 1, 2, 3, 4, 5, 6",
};
#define N_PATIENT_LEVEL 3

/* Rows that refer to a patient their source did not send. */
static const char cross_sql[] =
    "SELECT (SELECT count(*) FROM tumours t WHERE NOT EXISTS (SELECT 1 FROM patient_obs o"
    "  WHERE o.pid = t.pid AND o.source = t.source))"
    " + (SELECT count(*) FROM events e JOIN runs r ON r.id = e.run WHERE NOT EXISTS"
    "  (SELECT 1 FROM patient_obs o WHERE o.pid = e.pid AND o.source = r.source))"
    " + (SELECT count(*) FROM quarantine WHERE field IN ('patient_id', 'tumour_id')"
    "  AND reason NOT LIKE 'duplicate%' AND reason NOT LIKE 'identifier%'"
    "  AND reason NOT LIKE 'required%' AND reason NOT LIKE 'not valid%')";

/* A query's rows as one text (caller frees). */
static char *rows_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) abort();
    size_t cap = 256, n = 0;
    char *out = malloc(cap);
    if (out == NULL) abort();
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const unsigned char *t = sqlite3_column_text(st, c);
            size_t len = (size_t)sqlite3_column_bytes(st, c) + 2;
            while (n + len + 1 > cap) {
                cap *= 2;
                if ((out = realloc(out, cap)) == NULL) abort();
            }
            if (t) memcpy(out + n, t, len - 2);
            n += len - 2;
            out[n++] = t ? '|' : '~';
        }
        out[n++] = '\n';
    }
    out[n] = '\0';
    sqlite3_finalize(st);
    return out;
}

static long long count_of(sqlite3 *db, const char *sql)
{
    char *t = rows_of(db, sql);
    long long v = strtoll(t, NULL, 10);
    free(t);
    return v;
}

static void import_in(const char *store_name, const char *first, const char *second)
{
    char db[256], dir[256];
    path_of(db, sizeof db, store_name, "");
    remove_store(store_name);
    pn_diag diag = {0};
    pn_store *store = NULL;
    if (pn_store_init(db, &diag) != PN_OK || pn_store_open(&store, db, &diag) != PN_OK) abort();
    const char *order[] = {first, second};
    for (int k = 0; k < 2; k++) {
        pn_import_opts o = {0};
        o.source = order[k];
        path_of(dir, sizeof dir, order[k], "");
        pn_import_stats st = {0};
        if (pn_store_import(store, dir, &o, &st, &diag) != PN_OK) abort(); /* no I/O can fail */
    }
    pn_store_close(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (base[0] == '\0') {
        /* on a memory file system when there is one: a store is created per input */
        snprintf(base, sizeof base, "%s/pn_fuzz_sources_XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (mkdtemp(base) == NULL) abort();
        char d[256];
        path_of(d, sizeof d, "A", "");
        mkdir(d, 0700);
        path_of(d, sizeof d, "B", "");
        mkdir(d, 0700);
        atexit(cleanup);
        setenv(PN_KEY_ENV, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
        setenv("PRONOSTIC_TODAY", "2025-01-01", 1);
    }
    static const char *const files[] = {"patients.csv", "tumours.csv", "events.csv"};
    const char *p = (const char *)data, *end = p + size;
    for (size_t k = 0; k < 6; k++) {
        const char *cut = NULL;
        for (const char *q = p; q + 7 <= end; q++)
            if (memcmp(q, "\n=====\n", 7) == 0) { cut = q; break; }
        size_t len = (size_t)((cut ? cut : end) - p);
        put(k < 3 ? "A" : "B", files[k % 3], p, len);
        p = cut ? cut + 7 : end;
    }
    import_in("ab.db", "A", "B");
    import_in("ba.db", "B", "A");
    char pa[256], pb[256];
    path_of(pa, sizeof pa, "ab.db", "");
    path_of(pb, sizeof pb, "ba.db", "");
    sqlite3 *a = NULL, *b = NULL;
    if (sqlite3_open_v2(pa, &a, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_open_v2(pb, &b, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        abort();
    int cross = count_of(a, cross_sql) + count_of(b, cross_sql) > 0;
    size_t nq = cross ? N_PATIENT_LEVEL : sizeof full_sql / sizeof *full_sql;
    for (size_t i = 0; i < nq; i++) {
        char *x = rows_of(a, full_sql[i]), *y = rows_of(b, full_sql[i]);
        if (strcmp(x, y) != 0) {
            fprintf(stderr, "fuzz_sources: the orders differ in\n%s\nA then B:\n%s\nB then A:\n%s\n",
                    full_sql[i], x, y);
            abort();
        }
        free(x);
        free(y);
    }
    sqlite3_close(a);
    sqlite3_close(b);
    return 0;
}
