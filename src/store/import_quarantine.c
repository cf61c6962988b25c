/* import_quarantine.c - the import's quarantine entries: written in file order (queued behind
 * the rows before them while the writing thread runs), and replaced when a corrected row
 * arrives.
 *
 * A reason names the rule a row broke, never the value it broke it with: the value may be an
 * identifier sent in the wrong column. The file, line and field locate the value; the entry
 * keeps a keyed fingerprint of it, so that `pronostic quarantine --show-values DIR` can re-read
 * the source file and say whether the value there is still the one that was rejected.
 */
#include "import_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void pn__imp_krec_text(pn__imp *im, pn__krec *r, int slot, const char *s, size_t len, int present)
{
    r->present[slot] = (uint8_t)present;
    r->len[slot] = (uint32_t)len;
    r->off[slot] = present ? pn__pipe_text(im->pipe, s, len) : 0;
}

/* Write one quarantine entry (idempotent: the same entry twice is kept once). The texts are
 * borrowed for the call. */
int pn__imp_quarantine_write(pn__imp *im, long line, const char *field, size_t flen,
                             const char *reason, size_t rlen, const char *severity,
                             const unsigned char *key, int has_value_h, uint64_t value_h)
{
    sqlite3_stmt *s = im->q_ins;
    sqlite3_bind_int64(s, 1, im->source);
    sqlite3_bind_int64(s, 2, im->run);
    sqlite3_bind_text(s, 3, im->spec ? im->spec->file : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, line);
    sqlite3_bind_text(s, 5, field, (int)flen, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, reason, (int)rlen, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, severity, -1, SQLITE_STATIC);
    if (key) sqlite3_bind_blob(s, 8, key, 16, SQLITE_STATIC);
    else sqlite3_bind_null(s, 8);
    if (has_value_h) sqlite3_bind_int64(s, 9, (int64_t)value_h);
    else sqlite3_bind_null(s, 9);
    if (strcmp(severity, "error") == 0) im->stats->quarantined++;
    else im->stats->warnings++;
    return pn__imp_step(im, s, "writing the quarantine");
}

/* The keyed fingerprint of field `field` of the row being read at `line`, when there is one. */
static int value_hash(pn__imp *im, long line, const char *field, uint64_t *out)
{
    if (im->csv == NULL || line != im->line || field[0] == '\0' || line <= 1) return 0;
    int col = pn_csv_find(im->csv, field);
    if (col < 0 || (size_t)col >= pn_csv_nfields(im->csv)) return 0;
    size_t len;
    const char *s = pn_csv_field(im->csv, (size_t)col, &len);
    *out = pn__quarantine_value_hash(&im->st->key, s, len);
    return 1;
}

int pn__imp_quarantine(pn__imp *im, long line, const char *field, const char *severity,
                       const unsigned char *key, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    size_t flen = strlen(field), rlen = strlen(reason);
    uint64_t vh = 0;
    int has_vh = value_hash(im, line, field, &vh);
    if (im->pipe == NULL)
        return pn__imp_quarantine_write(im, line, field, flen, reason, rlen, severity, key,
                                        has_vh, vh);
    pn__krec *r = pn__pipe_reserve(im->pipe, flen + rlen);
    if (r == NULL) return pn_diag_set(im->diag, PN_ENOMEM, "import: cannot queue a row");
    r->kind = KREC_QUARANTINE;
    r->line = line;
    pn__imp_krec_text(im, r, 0, field, flen, 1);
    pn__imp_krec_text(im, r, 1, reason, rlen, 1);
    r->warning = strcmp(severity, "error") != 0;
    r->has_value_h = (uint8_t)has_vh;
    r->h = vh;
    if (key) {
        r->has_key = 1;
        memcpy(r->key, key, 16);
    }
    return PN_OK;
}

/* Rows found unchanged remove nothing; a row written removes the earlier runs' error entries
 * of the same source and file for its key, or for its line when it has no key. */
int pn__imp_unquarantine_line(pn__imp *im, const unsigned char *key, long line)
{
    if (!im->old_quarantine) return PN_OK;
    sqlite3_stmt *s = key ? im->q_del_key : im->q_del_line;
    sqlite3_bind_int64(s, 1, im->source);
    sqlite3_bind_text(s, 2, im->spec->file, -1, SQLITE_STATIC);
    if (key) sqlite3_bind_blob(s, 3, key, 16, SQLITE_STATIC);
    else sqlite3_bind_int64(s, 3, line);
    sqlite3_bind_int64(s, 4, im->run);
    return pn__imp_step(im, s, "updating the quarantine");
}

int pn__imp_unquarantine(pn__imp *im, const unsigned char *key)
{
    return pn__imp_unquarantine_line(im, key, im->line);
}
