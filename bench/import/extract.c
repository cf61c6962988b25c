/* extract.c - benchmark: time the extraction of a selection of the store into survival columns
 * (pn_cohort_select), as `--db FILE --site SITE` does. Prints rows, seconds, rows per second.
 *   extract DB SITE [REPEAT] */
#include "pronostic/cohort.h"
#include "pronostic/site.h"
#include "pronostic/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_of(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: extract DB SITE [REPEAT]\n");
        return 1;
    }
    int repeat = argc > 3 ? atoi(argv[3]) : 3;
    pn_diag d = {0};
    pn_store *s = NULL;
    pn_cohort_filter f;
    pn_cohort_filter_init(&f);
    if (pn_site_parse(argv[2], &f.site) != PN_OK || pn_store_open(&s, argv[1], &d) != PN_OK) {
        fprintf(stderr, "extract: %s\n", d.msg[0] ? d.msg : "unknown site");
        return 2;
    }
    double best = 1e9, best_cpu = 1e9;
    size_t n = 0;
    for (int r = 0; r < repeat; r++) {
        pn_cohort *c = NULL;
        double t0 = clock_of(CLOCK_MONOTONIC), c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
        if (pn_cohort_select(s, &f, &c, &d) != PN_OK) {
            fprintf(stderr, "extract: %s\n", d.msg);
            return 2;
        }
        double t = clock_of(CLOCK_MONOTONIC) - t0, cpu = clock_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (t < best) best = t;
        if (cpu < best_cpu) best_cpu = cpu;
        n = c->n;
        printf("extract: run %d: %zu tumours in %.3f s (%.3f s of CPU)\n", r + 1, c->n, t, cpu);
        pn_cohort_free(c);
    }
    printf("extraction: %zu tumours, best %.3f s wall (%.3f s CPU), %.0f tumours/s\n", n, best,
           best_cpu, (double)n / best);
    pn_store_close(s);
    return 0;
}
