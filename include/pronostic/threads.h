/* threads.h - how many threads the analyses use: the one bound every threaded driver and the
 * --threads option keep, and the default (the online processors). */
#ifndef PRONOSTIC_THREADS_H
#define PRONOSTIC_THREADS_H

/* The most threads any driver starts (its per-thread arrays are this long). */
#define PN_MAX_THREADS 16

/* The number of online processors, between 1 and PN_MAX_THREADS: the default of --threads. */
int pn_threads_default(void);

#endif
