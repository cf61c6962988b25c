/* netsurv_sink.h - the warnings of the net-survival analyses to their caller's sink
 * (netsurv_run.h), formatted once for netsurv_run.c and netsurv_diff_run.c. */
#ifndef PRONOSTIC_ANALYSIS_NETSURV_SINK_H
#define PRONOSTIC_ANALYSIS_NETSURV_SINK_H

#include "pronostic/netsurv_run.h"

/* A printf-formatted warning to `sink` (NULL, or one without `warn`: dropped). */
void pn__sink_warnf(const pn_netsurv_sink *sink, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
