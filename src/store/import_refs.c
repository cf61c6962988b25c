/* import_refs.c - pseudonyms of the rows' identifiers, and the references of a row to a loaded
 * patient or tumour (through the import's in-memory maps; store_map.h). */
#include "import_internal.h"

#include <string.h>


void pn__imp_patient_key(pn__imp *im, const pn__fval *id, unsigned char out[16])
{
    if (id->len < sizeof im->last_pid && id->len == im->last_pid_len &&
        memcmp(id->s, im->last_pid, id->len) == 0) {
        memcpy(out, im->last_pkey, 16);
        return;
    }
    pn_pseudonym(&im->st->key, "patient", id->s, id->len, out);
    if (id->len < sizeof im->last_pid) {
        memcpy(im->last_pid, id->s, id->len);
        im->last_pid_len = id->len;
        memcpy(im->last_pkey, out, 16);
    }
}

/* Tumour identifiers are a source's own numbering: the pseudonym includes the source. */
void pn__imp_tumour_key(pn__imp *im, const pn__fval *id, unsigned char out[16])
{
    if (id->len < sizeof im->last_tid && id->len == im->last_tid_len &&
        memcmp(id->s, im->last_tid, id->len) == 0) {
        memcpy(out, im->last_tkey, 16);
        return;
    }
    char buf[512];
    size_t sl = strlen(im->source_name);
    if (sl + 1 + id->len > sizeof buf) sl = sizeof buf - 1 - id->len; /* ids are <= 200 bytes */
    memcpy(buf, im->source_name, sl);
    buf[sl] = '\0';
    memcpy(buf + sl + 1, id->s, id->len);
    pn_pseudonym(&im->st->key, "tumour", buf, sl + 1 + id->len, out);
    if (id->len < sizeof im->last_tid) {
        memcpy(im->last_tid, id->s, id->len);
        im->last_tid_len = id->len;
        memcpy(im->last_tkey, out, 16);
    }
}

/* The loaded patient `id` refers to, or NULL after quarantining the row (*rc says whether that
 * failed). */
pn__entry *pn__imp_ref_patient(pn__imp *im, const pn__fval *id, const unsigned char *row_key, int *rc)
{
    unsigned char k[16];
    pn__imp_patient_key(im, id, k);
    pn__entry *p;
    if (im->last_pentry != NULL && im->last_pentry_count == im->pmap.count &&
        memcmp(im->last_pentry->key, k, 16) == 0)
        p = im->last_pentry; /* no insert since: the pointer is still good */
    else p = pn__map_find(&im->pmap, k);
    im->last_pentry = p;
    im->last_pentry_count = im->pmap.count;
    if (p != NULL && p->state == PN__ENTRY_LOADED) return p;
    *rc = pn__imp_quarantine(im, im->line, "patient_id", "error", row_key,
                        p ? "refers to a quarantined patient" : "unknown patient_id");
    return NULL;
}

/* Optional tumour reference: *tid 0 when absent; returns 0 after quarantining a bad one. */
int pn__imp_ref_tumour(pn__imp *im, const pn__fval *id, const pn__entry *patient, int64_t *tid, int *rc)
{
    *tid = 0;
    if (!id->present) return 1;
    unsigned char k[16];
    pn__imp_tumour_key(im, id, k);
    const pn__entry *t;
    if (im->last_tentry != NULL && im->last_tentry_count == im->tmap.count &&
        memcmp(im->last_tentry->key, k, 16) == 0)
        t = im->last_tentry; /* no insert since: the pointer is still good */
    else t = pn__map_find(&im->tmap, k);
    im->last_tentry = t;
    im->last_tentry_count = im->tmap.count;
    const char *why = NULL;
    if (t == NULL) why = "unknown tumour_id";
    else if (t->state != PN__ENTRY_LOADED) why = "refers to a quarantined tumour";
    else if (t->ref != patient->id) why = "tumour_id belongs to another patient";
    if (why) {
        *rc = pn__imp_quarantine(im, im->line, "tumour_id", "error", NULL, "%s", why);
        return 0;
    }
    *tid = t->id;
    return 1;
}

