/* import_trials.c - trials.json (docs/interfaces.md 3): a catalogue {"trials": [{"id": ...}, ...]},
 * at most 16 MiB like a CSV row; each trial is kept as compact JSON under its id.
 */
#include "import_internal.h"
#include "pronostic/alloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRIALS_MAX (16 << 20)

static const pn__filespec trials_spec = {"trials.json", 0, NULL, 0, 0, 0, NULL, NULL, NULL, 0};

/* The whole file into a new buffer (*out, caller frees), refused beyond TRIALS_MAX bytes;
 * returns 1 when read, 0 after quarantining the file, or a negative code. */
static int read_whole(pn__imp *im, const char *path, char **out, size_t *len)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        int rc = pn__imp_quarantine(im, 0, "", "error", NULL, "cannot be read; file not loaded");
        return rc < 0 ? rc : 0;
    }
    struct stat sb;
    int rc = PN_OK;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = pn__imp_quarantine(im, 0, "", "error", NULL, "not a regular file; not loaded");
        goto done;
    }
    if (sb.st_size > TRIALS_MAX) {
        rc = pn__imp_quarantine(im, 0, "", "error", NULL,
                                "larger than 16 MiB (the limit of a CSV row); file not loaded");
        goto done;
    }
    char *buf = pn_malloc((size_t)sb.st_size + 1);
    if (buf == NULL) {
        rc = pn_diag_set(im->diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    /* read one byte more than the size: a file growing meanwhile is caught below */
    size_t n = fread(buf, 1, (size_t)sb.st_size + 1, f);
    if (ferror(f)) {
        pn_free(buf);
        rc = pn__imp_quarantine(im, 0, "", "error", NULL, "read error; file not loaded");
        goto done;
    }
    struct stat now;
    if (n != (size_t)sb.st_size || fstat(fileno(f), &now) != 0 || now.st_size != sb.st_size ||
        now.st_mtim.tv_sec != sb.st_mtim.tv_sec || now.st_mtim.tv_nsec != sb.st_mtim.tv_nsec) {
        pn_free(buf);
        rc = pn_diag_set(im->diag, PN_EIO,
                         "%s: the file changed while it was read (its size or modification "
                         "time); nothing was imported: import it again once it is complete", path);
        goto done;
    }
    *out = buf;
    *len = n;
    fclose(f);
    return 1;
done:
    fclose(f);
    return rc < 0 ? rc : 0;
}

/* jansson's message without its "near 'TEXT'" part, which quotes the file's content. */
static void strip_near(char *text)
{
    char *near = strstr(text, " near '");
    if (near != NULL) *near = '\0';
}

int pn__imp_trials(pn__imp *im, const char *dir)
{
    char path[4096];
    im->spec = &trials_spec;
    im->line = 0;
    snprintf(path, sizeof path, "%s/trials.json", dir);
    struct stat sb;
    if (stat(path, &sb) != 0) return PN_OK;
    char *buf;
    size_t len;
    int got = read_whole(im, path, &buf, &len);
    if (got <= 0) return got;
    json_error_t err;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    pn_free(buf);
    if (root == NULL) {
        strip_near(err.text);
        return pn__imp_quarantine(im, err.line > 0 ? err.line : 0, "", "error", NULL,
                                  "not valid JSON: %s; file not loaded", err.text);
    }
    int rc = PN_OK;
    json_t *trials = json_object_get(root, "trials");
    if (!json_is_array(trials)) {
        rc = pn__imp_quarantine(im, 1, "trials", "error", NULL, "no \"trials\" array; file not loaded");
        goto done;
    }
    size_t i;
    json_t *t;
    json_array_foreach(trials, i, t) {
        char field[48];
        snprintf(field, sizeof field, "trials[%zu].id", i);
        json_t *id = json_object_get(t, "id");
        im->stats->read++;
        if (!json_is_string(id) || json_string_length(id) == 0) {
            if ((rc = pn__imp_quarantine(im, 0, field, "error", NULL, "trial without an id")) != PN_OK)
                goto done;
            continue;
        }
        char *text = json_dumps(t, JSON_COMPACT | JSON_SORT_KEYS);
        if (text == NULL) { rc = pn_diag_set(im->diag, PN_ENOMEM, "out of memory"); goto done; }
        uint64_t h = pn_keyed_hash64(&im->st->key, text, strlen(text));
        sqlite3_bind_text(im->j_sel, 1, json_string_value(id), -1, SQLITE_STATIC);
        rc = pn__imp_keyed_state(im, im->j_sel, h, "id", 0);
        if (rc > 0) {
            sqlite3_bind_text(im->j_put, 1, json_string_value(id), -1, SQLITE_STATIC);
            sqlite3_bind_int64(im->j_put, 2, (int64_t)h);
            sqlite3_bind_text(im->j_put, 3, text, -1, SQLITE_STATIC);
            sqlite3_bind_int64(im->j_put, 4, im->source);
            sqlite3_bind_int64(im->j_put, 5, im->run);
            rc = pn__imp_step(im, im->j_put, "writing a trial");
            if (rc == PN_OK) im->stats->loaded++;
        }
        free(text);
        if (rc < 0) goto done;
        rc = PN_OK;
    }
done:
    json_decref(root);
    return rc;
}

