/* pathread.h - the store's care pathways read side by side: the patients' row ids split into
 * one range per thread, each thread with its own read-only connection (pathscan.h), every
 * patient handed to the caller's function with the thread's own context. */
#ifndef PRONOSTIC_PATHREAD_H
#define PRONOSTIC_PATHREAD_H

#include "pronostic/error.h"
#include "pronostic/pathscan.h"

#include <stddef.h>

/* Read every patient of the store at `path` (opened read-only once per thread) with `nthreads`
 * threads (1..PN_MAX_THREADS): thread k calls fn(patient, ctxs[k]) for the patients of its range,
 * in row-id order; the ranges cover the row ids in increasing order of k, so that merging the
 * threads' results in k order gives the order of one scan. `ctxs` holds nthreads contexts, the
 * caller's. Returns PN_OK, or the first failing thread's error (with its message in diag). */
int pn_pathways_read(const char *path, int nthreads, int (*fn)(const pn_scan_patient *p, void *ctx),
                     void *const *ctxs, pn_diag *diag);

#endif
