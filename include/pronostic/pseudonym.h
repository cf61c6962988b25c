/* pseudonym.h - the store's secret key and the keyed pseudonyms that replace source identifiers.
 *
 * The key is 32 random bytes, kept beside the store in FILE.key as 64 hex digits and a newline
 * (mode 0600: the program refuses a key file that group or others can read), or given in the
 * environment variable PRONOSTIC_KEY (64 hex digits), which wins when set. A pseudonym is the
 * 16-byte keyed BLAKE2b hash (libsodium crypto_generichash) of a domain tag and the identifier:
 * the same patient_id from two sources gives the same pseudonym, and without the key it cannot
 * be recomputed from a guessed identifier.
 */
#ifndef PRONOSTIC_PSEUDONYM_H
#define PRONOSTIC_PSEUDONYM_H

#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

#define PN_KEY_BYTES 32
#define PN_PSEUDONYM_BYTES 16
#define PN_KEY_ENV "PRONOSTIC_KEY"

typedef struct pn_key {
    unsigned char bytes[PN_KEY_BYTES];
    unsigned char hash_key[16];   /* derived: BLAKE2b(bytes, "content-hash"), for SipHash */
} pn_key;

/* A new random key. Returns PN_OK or PN_ECRYPTO (libsodium could not start). */
int pn_key_generate(pn_key *key);

/* Parse 64 hex digits (exactly `len` bytes, a trailing newline allowed) into *key.
 * Returns PN_OK or PN_EPARSE. */
int pn_key_from_hex(const char *hex, size_t len, pn_key *key);

/* Write `key` as hex to a new file `path` with mode 0600 (PN_EDUP when it exists). */
int pn_key_write(const char *path, const pn_key *key, pn_diag *diag);

/* Load the key of the store `db_path`: PRONOSTIC_KEY when set, else the file `db_path`.key.
 * Errors: PN_ENOTFOUND (no key), PN_EPERM (group/other may read the file), PN_EPARSE. */
int pn_key_load(const char *db_path, pn_key *key, pn_diag *diag);

/* Pseudonym of the `len` bytes of `id` in domain `domain` (e.g. "patient"), into out. */
void pn_pseudonym(const pn_key *key, const char *domain, const char *id, size_t len,
                  unsigned char out[PN_PSEUDONYM_BYTES]);

/* A keyed 64-bit hash (SipHash-2-4 under the derived key->hash_key) of `len` bytes: the content
 * fingerprint of stored rows. */
uint64_t pn_keyed_hash64(const pn_key *key, const void *data, size_t len);

/* Wipe a key from memory. */
void pn_key_wipe(pn_key *key);

#endif
