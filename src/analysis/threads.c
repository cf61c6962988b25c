/* threads.c - the default number of threads of the analyses (threads.h). */
#include "pronostic/threads.h"

#include <unistd.h>

int pn_threads_default(void)
{
    long t = sysconf(_SC_NPROCESSORS_ONLN);
    if (t < 1) t = 1;
    if (t > PN_MAX_THREADS) t = PN_MAX_THREADS;
    return (int)t;
}
