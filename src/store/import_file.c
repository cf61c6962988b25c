/* import_file.c - one CSV file of the bundle: its header (required and unknown columns), then
 * each row through its field checks and its file's row handler (import_internal.h). A
 * malformed row is quarantined and the reader goes on; a file that changes while it is read
 * fails the whole import, so that nothing of a half-written file is loaded.
 */
#include "import_internal.h"
#include "pronostic/num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The text of a CSV diagnostic without its "file:line: " prefix. */
static const char *reason_of(const pn_diag *d, const char *name)
{
    const char *m = d->msg;
    size_t n = strlen(name);
    if (strncmp(m, name, n) == 0) {
        m += n;
        if (*m == ':') m++;
        while (*m >= '0' && *m <= '9') m++;
        if (*m == ':') m++;
        while (*m == ' ') m++;
    }
    return m;
}

/* The column name quoted in a "column 'X' appears twice" message. */
static void quoted_name(const char *msg, char *out, size_t cap)
{
    const char *a = strchr(msg, '\''), *b = a ? strchr(a + 1, '\'') : NULL;
    out[0] = '\0';
    if (a && b && (size_t)(b - a - 1) < cap) {
        memcpy(out, a + 1, (size_t)(b - a - 1));
        out[b - a - 1] = '\0';
    }
}

/* 1 when the file at `path` is no longer the one `before` described (size, modification time,
 * inode): written to, truncated or replaced while it was read. */
static int file_changed(const char *path, const struct stat *before)
{
    struct stat now;
    if (stat(path, &now) != 0) return 1;
    return now.st_size != before->st_size || now.st_ino != before->st_ino ||
           now.st_dev != before->st_dev || now.st_mtim.tv_sec != before->st_mtim.tv_sec ||
           now.st_mtim.tv_nsec != before->st_mtim.tv_nsec;
}

static int has_old_quarantine(pn__imp *im)
{
    sqlite3_stmt *s = NULL;
    int rc = pn__store_prepare(im->st,
        "SELECT 1 FROM quarantine WHERE source = ?1 AND file = ?2 AND severity = 'error' LIMIT 1",
        &s, im->diag);
    if (rc != PN_OK) return rc;
    sqlite3_bind_int64(s, 1, im->source);
    sqlite3_bind_text(s, 2, im->spec->file, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    sqlite3_finalize(s);
    if (step != SQLITE_ROW && step != SQLITE_DONE) return pn__imp_fail(im, "reading the quarantine");
    return step == SQLITE_ROW;
}

int pn__imp_file(pn__imp *im, const char *dir, const pn__filespec *spec)
{
    char path[4096];
    im->spec = spec;
    im->line = 0;
    if (snprintf(path, sizeof path, "%s/%s", dir, spec->file) >= (int)sizeof path)
        return pn_diag_set(im->diag, PN_EINVAL, "%s: path too long", dir);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (!spec->required) return PN_OK;
        return pn__imp_quarantine(im, 0, "", "error", NULL, "required file is missing");
    }
    if (!S_ISREG(sb.st_mode))
        return pn__imp_quarantine(im, 0, "", "error", NULL, "not a regular file; not loaded");
    pn_diag d = {0};
    pn_csv_opts o = {0};
    int rc = pn_csv_open(&im->csv, path, &o, &d);
    if (rc != PN_OK) {
        char col[128] = "";
        if (rc == PN_EDUP) {
            quoted_name(d.msg, col, sizeof col);
            return pn__imp_quarantine(im, 1, col, "error", NULL,
                                 "column appears twice in the header; file not loaded");
        }
        if (rc == PN_EEMPTY) return pn__imp_quarantine(im, 0, "", "error", NULL, "empty file (no header row)");
        if (rc == PN_ENOMEM) return pn_diag_set(im->diag, rc, "out of memory");
        return pn__imp_quarantine(im, rc == PN_EIO ? 0 : 1, "", "error", NULL, "%s; file not loaded",
                             reason_of(&d, path));
    }
    if ((rc = has_old_quarantine(im)) < 0) goto done;
    im->old_quarantine = rc;
    /* header: required columns, unknown columns */
    int missing = 0;
    for (int c = 0; c < spec->ncols; c++) {
        im->colidx[c] = pn_csv_find(im->csv, spec->cols[c].name);
        if (im->colidx[c] < 0 && spec->cols[c].required) {
            missing = 1;
            if ((rc = pn__imp_quarantine(im, 1, spec->cols[c].name, "error", NULL,
                                    "required column is missing; file not loaded")) != PN_OK)
                goto done;
        }
    }
    if (!missing && spec->header != NULL) {
        if ((rc = spec->header(im)) < 0) goto done;
        missing = rc == 0;
    }
    for (size_t k = 0; k < pn_csv_ncols(im->csv); k++) {
        const char *name = pn_csv_colname(im->csv, k);
        int known = 0;
        for (int c = 0; c < spec->ncols && !known; c++) known = strcmp(name, spec->cols[c].name) == 0;
        if (known) continue;
        /* a header row that is missing makes the first data row the header: its "names" are
         * values, which are named by position only */
        char pos[32];
        snprintf(pos, sizeof pos, "#%zu", k + 1);
        int named = !missing;
        if ((rc = pn__imp_quarantine(im, 1, named ? name : pos, "warning", NULL, "%s",
                                     named ? "unknown column, ignored"
                                           : "unknown column, ignored (named by its position: "
                                             "is the header row missing?)")) != PN_OK)
            goto done;
    }
    if (missing) { rc = PN_OK; goto done; }
    if (spec->piped &&
        (rc = pn__pipe_start(&im->pipe, sizeof(pn__krec), pn__imp_write_krecs, im)) != PN_OK) {
        rc = pn_diag_set(im->diag, rc, "cannot start the import's writing thread");
        goto done;
    }
    long rows = 0;
    pn__fval v[MAXCOLS];
    for (;;) {
        int r = pn_csv_next(im->csv, &d);
        if (r == 0) break;
        im->line = pn_csv_line(im->csv);
        if (r < 0) {
            if (r == PN_ENOMEM) { rc = pn_diag_set(im->diag, r, "out of memory"); goto done; }
            rows++;
            im->stats->read++;
            /* a malformed row; the reader resumes after it except at a broken end of file */
            int fatal = strstr(d.msg, "unterminated") != NULL || r == PN_ETOOBIG || r == PN_EIO;
            long at = fatal ? im->line + 1 : im->line;
            if (fatal) {
                /* the message names the line where the bad row starts */
                const char *m = d.msg + strlen(path);
                if (*m == ':') at = strtol(m + 1, NULL, 10);
            }
            if ((rc = pn__imp_quarantine(im, at, "", "error", NULL, "%s%s", reason_of(&d, path),
                                    fatal ? "; the rest of the file is not loaded" : "")) != PN_OK)
                goto done;
            if (fatal) break;
            continue;
        }
        rows++;
        im->stats->read++;
        if (pn_csv_nfields(im->csv) != pn_csv_ncols(im->csv)) {
            if ((rc = pn__imp_quarantine(im, im->line, "", "error", NULL,
                                    "row has %zu fields, header has %zu", pn_csv_nfields(im->csv),
                                    pn_csv_ncols(im->csv))) != PN_OK)
                goto done;
            continue;
        }
        for (int c = 0; c < spec->ncols; c++) {
            pn__fval *f = &v[c];
            memset(f, 0, sizeof *f);
            if (im->colidx[c] < 0) continue;
            f->s = pn_csv_field(im->csv, (size_t)im->colidx[c], &f->len);
            f->present = !pn_csv_missing(im->csv, (size_t)im->colidx[c]);
        }
        unsigned char key[16], *kp = NULL;
        if (spec->keyed && v[0].present && v[0].len <= 200 && pn_utf8_valid(v[0].s, v[0].len)) {
            if (spec->keyed == 1) pn__imp_patient_key(im, &v[0], key);
            else pn__imp_tumour_key(im, &v[0], key);
            kp = key;
        }
        int good = 1;
        for (int c = 0; c < spec->ncols; c++) {
            int ok = pn__imp_check_field(im, c, &v[c], kp);
            if (ok < 0) { rc = ok; goto done; }
            good &= ok;
        }
        if (!good) {
            if (kp) { /* later rows that refer to it say so */
                pn__entry *e = pn__map_insert(spec->keyed == 1 ? &im->pmap : &im->tmap, kp);
                if (e == NULL) { rc = pn_diag_set(im->diag, PN_ENOMEM, "out of memory"); goto done; }
                if (e->state == PN__ENTRY_NEW) e->state = PN__ENTRY_QUARANTINED;
            }
            continue;
        }
        if ((rc = spec->row(im, v, kp)) != PN_OK) goto done;
    }
    if (file_changed(path, &sb)) {
        rc = pn_diag_set(im->diag, PN_EIO,
                         "%s: the file changed while it was read (its size or modification "
                         "time); nothing was imported: import it again once it is complete", path);
        goto done;
    }
    if (rows == 0) rc = pn__imp_quarantine(im, 1, "", "warning", NULL, "header only: no data rows");
    else rc = PN_OK;
done:
    if (im->pipe != NULL) {
        int wrc = pn__pipe_finish(im->pipe);
        im->pipe = NULL;
        if (wrc != PN_OK) { /* the writer's failure is the cause of any reader's one */
            rc = wrc;
            *im->diag = im->wdiag;
        }
    }
    im->stats->bytes += (long long)pn_csv_offset(im->csv);
    pn_csv_close(im->csv);
    im->csv = NULL;
    return rc;
}

