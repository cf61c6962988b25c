/* import_pipe.h - a two-thread pipeline for the import's big files: the reading thread parses
 * and checks rows into fixed-size records, a writing thread hands batches of them to SQLite. */
#ifndef PRONOSTIC_IMPORT_PIPE_H
#define PRONOSTIC_IMPORT_PIPE_H

#include <stddef.h>

typedef struct pn__pipe pn__pipe;

/* Called on the writing thread for each batch, in order: `n` records of the pipe's size and the
 * batch's text area. Returns PN_OK or a negative code; after a failure the remaining batches
 * are dropped and pn__pipe_finish returns that code. */
typedef int (*pn__pipe_fn)(void *ctx, const void *records, size_t n, const char *text);

/* Start the writing thread. */
int pn__pipe_start(pn__pipe **out, size_t record_size, pn__pipe_fn fn, void *ctx);

/* Room for one more record with `text_need` bytes of text in the current batch (sending a full
 * batch first); returns the record (zeroed) or NULL when out of memory or after the writer
 * failed. Text offsets of pn__pipe_text stay valid for the records of the same batch. */
void *pn__pipe_reserve(pn__pipe *pipe, size_t text_need);
/* Copy `len` bytes into the current batch's text area; returns their offset. */
size_t pn__pipe_text(pn__pipe *pipe, const char *s, size_t len);

/* Send the last batch, wait for the writer, free the pipe; returns the writer's first error or
 * PN_OK. Accepts NULL. */
int pn__pipe_finish(pn__pipe *pipe);

#endif
