/* wire.h - the byte format of serialised aggregate states (the stats/ kernels' serialise and
 * deserialise): little-endian fixed-width integers and IEEE-754 binary64 doubles after a
 * 16-byte header (a 4-byte magic naming the state, a u32 version, a u64 payload length). The
 * bytes are assembled by shifts, never by copying a struct, and no pointer is ever written, so
 * a state serialised on one machine reads back on any other (threads, PostgreSQL parallel
 * workers, Citus workers).
 *
 * The writer grows a buffer of its own; the reader is bounded: every read checks the bytes
 * left, a count is checked against the buffer before anything is allocated for it, the payload
 * length must match the bytes given and every byte must be read. Each refusal is PN_EPARSE with
 * a one-line message naming the state and the byte offset (docs/methods.md, "Aggregate states").
 */
#ifndef PRONOSTIC_WIRE_H
#define PRONOSTIC_WIRE_H

#include "pronostic/error.h"

#include <stddef.h>
#include <stdint.h>

#define PN_WIRE_HEADER 16 /* magic (4 bytes), version (u32), payload length (u64) */

/* The magic of a state: four ASCII letters, e.g. PN_WIRE_MAGIC('P','N','K','M'), stored as
 * these four bytes in this order. */
#define PN_WIRE_MAGIC(a, b, c, d)                                                                  \
    ((uint32_t)(unsigned char)(a) | (uint32_t)(unsigned char)(b) << 8 |                            \
     (uint32_t)(unsigned char)(c) << 16 | (uint32_t)(unsigned char)(d) << 24)

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct pn_wire_writer {
    unsigned char *buf; /* owned by the writer until pn_wire_end */
    size_t len, cap;
    int rc; /* PN_OK, or PN_ENOMEM once a growth failed (later writes do nothing) */
} pn_wire_writer;

/* Start a state: writes the header (its length filled in by pn_wire_end). */
void pn_wire_begin(pn_wire_writer *w, uint32_t magic, uint32_t version);
void pn_wire_put_u32(pn_wire_writer *w, uint32_t v);
void pn_wire_put_u64(pn_wire_writer *w, uint64_t v);
void pn_wire_put_f64(pn_wire_writer *w, double v); /* the double's 64 bits, NaN payload kept */
void pn_wire_put_f64s(pn_wire_writer *w, const double *v, size_t n);

/* Finish: on success *out (owned by the caller, pn_free) holds *len bytes; on failure the
 * buffer is freed, *out is NULL and PN_ENOMEM is returned. */
int pn_wire_end(pn_wire_writer *w, unsigned char **out, size_t *len);

/* ---- reading ------------------------------------------------------------------------------ */

typedef struct pn_wire_reader {
    const unsigned char *p; /* the caller's bytes (not owned) */
    size_t len, off;
    const char *what; /* the state's name in messages, e.g. "Kaplan-Meier state" */
    pn_diag *diag;    /* may be NULL */
} pn_wire_reader;

/* Open the `len` bytes at `buf` as a state `what` of `magic` and `version`: PN_OK, or
 * PN_EPARSE when the header is truncated, the magic or version differ, or the payload length
 * does not match the bytes given (truncated or oversized input). */
int pn_wire_open(pn_wire_reader *r, const void *buf, size_t len, uint32_t magic, uint32_t version,
                 const char *what, pn_diag *diag);
/* Each read: PN_OK, or PN_EPARSE when fewer bytes are left than it needs. */
int pn_wire_get_u32(pn_wire_reader *r, uint32_t *v);
int pn_wire_get_u64(pn_wire_reader *r, uint64_t *v);
int pn_wire_get_f64(pn_wire_reader *r, double *v);
int pn_wire_get_f64s(pn_wire_reader *r, double *v, size_t n);
/* A u64 count of items of `size` bytes each, all of which must still be in the buffer:
 * PN_EPARSE when they are not (a count beyond the buffer), so a corrupted count never makes the
 * caller allocate. */
int pn_wire_get_count(pn_wire_reader *r, size_t size, size_t *n);
/* The end: PN_OK when every byte was read, else PN_EPARSE (trailing bytes). */
int pn_wire_close(pn_wire_reader *r);
/* Refuse the input: records "WHAT at byte OFF: <message>" in the reader's diag and returns
 * PN_EPARSE. */
int pn_wire_fail(pn_wire_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
