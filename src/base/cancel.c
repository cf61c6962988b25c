/* cancel.c - the process's request that long computations stop early (cancel.h): one flag,
 * read and written atomically. */
#include "pronostic/cancel.h"

static int requested;

void pn_cancel_request(void) { __atomic_store_n(&requested, 1, __ATOMIC_RELEASE); }

int pn_cancelled(void) { return __atomic_load_n(&requested, __ATOMIC_ACQUIRE); }
