/* analysis.h - the analyses' readers of large CSV files with one thread per core: the file is
 * read in ranges side by side, each thread filling its own aggregate state, the states merged
 * in file order (src/analysis/parread.h). Results are those of one pass to the last bit for the
 * counting estimators, and every message (file, line, column; the event column's rules) is the
 * one of one pass. Standard input, FIFOs and small files are read by one thread.
 */
#ifndef PRONOSTIC_ANALYSIS_H
#define PRONOSTIC_ANALYSIS_H

#include "pronostic/cuminc.h"
#include "pronostic/error.h"
#include "pronostic/km.h"
#include "pronostic/nsdata.h"
#include "pronostic/survinput.h"

/* The rows of a curve or a log-rank test (pronostic surv, logrank) as a survival aggregate. */
typedef struct pn_kmread {
    pn_survstream *stream;  /* counts, groups and strata (stream->recode: provisional group ->
                             * final group), the censoring value */
    pn_kmagg *agg;          /* per provisional group (pn_kmagg_tables with stream->recode) */
    int fractional_weight;  /* 1 when a kept row's weight is not an integer */
} pn_kmread;

/* Read the rows of `spec` (no covariates) with up to `threads` threads (ranges of at least
 * `min_range` bytes, 0: the default of 1 MiB) into *out (owned by the caller: pn_kmread_free).
 * Errors as pn_survdata_stream. */
int pn_kmread_csv(const pn_survspec *spec, int threads, size_t min_range, pn_kmread **out,
                  pn_diag *diag);
void pn_kmread_free(pn_kmread *r);

/* The rows of a competing-risks analysis (pronostic cuminc): spec->multistate set, the event
 * column holding the censoring value and the event types. */
typedef struct pn_cumincread {
    pn_survstream *stream;  /* counts, groups and strata (stream->recode: provisional group ->
                             * final group), the event types (stream->nstates, state_labels) */
    pn_cumincagg *agg;      /* per provisional group, the event types final (1..nstates); NULL
                             * when no row has an event (stream->nstates == 0) */
} pn_cumincread;

/* Read the rows of `spec` (spec->multistate, no covariates: else PN_EINVAL) with up to
 * `threads` threads (ranges of at least `min_range` bytes, 0: the default) into *out (owned by
 * the caller: pn_cumincread_free). Errors as pn_survdata_stream, and PN_ETOOBIG for more than
 * PN_CUMINC_MAX_STATES event values. */
int pn_cumincread_csv(const pn_survspec *spec, int threads, size_t min_range,
                      pn_cumincread **out, pn_diag *diag);
void pn_cumincread_free(pn_cumincread *r);

/* The rows of `spec` kept as columns (pronostic cox: covariates and --factor levels), read
 * with up to `threads` threads (ranges of at least `min_range` bytes, 0: the default) into
 * *out (owned by the caller: pn_survdata_free): the rows, levels, messages and errors of
 * pn_survdata_load, the ranges' columns concatenated into the final arrays. */
int pn_survread_csv(const pn_survspec *spec, int threads, size_t min_range, pn_survdata **out,
                    pn_diag *diag);

/* The rows of a net-survival analysis (netsurv, netsurv-diff, trend) read with up to `threads`
 * threads (ranges of at least `min_range` bytes, 0: the default) into *out (owned by the caller:
 * pn_nsdata_free): the rows, --by groups, lines, messages and errors of pn_nsdata_load. */
int pn_nsread_csv(const pn_nsspec *spec, int threads, size_t min_range, pn_nsdata **out,
                  pn_diag *diag);

#endif
