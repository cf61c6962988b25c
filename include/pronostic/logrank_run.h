/* logrank_run.h - the log-rank (G-rho) test as `pronostic logrank` runs it, for every entry
 * point: the per-(group, stratum) tables of rows already counted (analysis.h, pn_kmread), their
 * limits checked, the test (logrank.h). Nothing is printed. */
#ifndef PRONOSTIC_LOGRANK_RUN_H
#define PRONOSTIC_LOGRANK_RUN_H

#include "pronostic/analysis.h"
#include "pronostic/error.h"
#include "pronostic/logrank.h"

/* The most groups the test compares: more is almost surely a wrong --by column (their k x k
 * variance matrix would take 8 k^2 bytes: 800 MB at this bound). */
#define PN_LOGRANK_MAX_GROUPS 10000

/* A test's result: `res`'s arrays (k groups) are the struct's own. pn_logrank_test_free. */
typedef struct pn_logrank_test {
    size_t k;
    pn_logrank_result res;
} pn_logrank_test;

/* The G-rho test (rho 0: log-rank) between the groups of the rows counted in `read` (borrowed),
 * within their strata. `source` and `by` (the file and the grouping option's text) make the
 * messages. Errors: PN_EEMPTY with fewer than two groups, PN_ETOOBIG beyond
 * PN_LOGRANK_MAX_GROUPS groups or too many group and stratum combinations, PN_ENOMEM,
 * PN_EINTERNAL; a message in `diag` each time. */
int pn_logrank_run(const pn_kmread *read, double rho, const char *source, const char *by,
                   pn_logrank_test *out, pn_diag *diag);

/* Free what `t` holds (its struct is the caller's). */
void pn_logrank_test_free(pn_logrank_test *t);

#endif
