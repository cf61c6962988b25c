/* parread.c - a CSV file read by threads side by side, the states merged in file order, with
 * the results and messages of one pass (parread.h). */
#include "parread.h"
#include "pronostic/alloc.h"

#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

typedef struct range {
    const char *path;
    const pn_csv *header;
    const pn_par_ops *ops;
    void *ctx;
    unsigned long long begin, end; /* the candidate range */
    void *state;
    int rc;
    pn_diag diag;                   /* a message with lines counted from the range's start */
    unsigned long long stop;        /* where its rows ended */
    long lines;                     /* the lines its rows span */
} range;

/* Read one range (lines counted from 1) into its own state. */
static void *range_run(void *arg)
{
    range *r = arg;
    pn_csv *csv = NULL;
    r->rc = pn_csv_open_range(&csv, r->header, r->path, r->begin, r->end, 1, &r->diag);
    if (r->rc == PN_OK) {
        r->rc = r->ops->part_read(r->ctx, r->state, csv, &r->diag);
        r->stop = pn_csv_position(csv);
        r->lines = pn_csv_next_line(csv) - 1;
    }
    pn_csv_close(csv);
    return NULL;
}

/* Read the rows starting in [begin, end) on from line `*line` into `state`, in this thread:
 * the single pass over those rows. Updates *at and *line to where they ended. */
static int read_on(const char *path, const pn_csv *header, const pn_par_ops *ops, void *ctx,
                   void *state, unsigned long long *at, unsigned long long end, long *line,
                   pn_diag *diag)
{
    pn_csv *csv = NULL;
    int rc = pn_csv_open_range(&csv, header, path, *at, end, *line, diag);
    if (rc != PN_OK) return rc;
    rc = ops->part_read(ctx, state, csv, diag);
    *at = pn_csv_position(csv);
    *line = pn_csv_next_line(csv);
    pn_csv_close(csv);
    return rc;
}

/* The number of ranges worth reading apart in `path`: 1 for standard input, a FIFO, a file
 * that is not regular or small. */
static size_t nranges(const char *path, int threads, size_t min_range, unsigned long long from,
                      unsigned long long *size)
{
    struct stat sb;
    if (threads <= 1 || strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 1;
    *size = (unsigned long long)sb.st_size;
    if (*size <= from) return 1;
    unsigned long long by_size = (*size - from) / (min_range ? min_range : PN_PAR_MIN_RANGE_BYTES);
    size_t t = threads > PN_MAX_THREADS ? PN_MAX_THREADS : (size_t)threads;
    return by_size < t ? (by_size ? (size_t)by_size : 1) : t;
}

int pn_par_read(const char *path, pn_csv *header, int threads, size_t min_range,
                const pn_par_ops *ops, void *ctx, void *first, pn_diag *diag)
{
    unsigned long long size = 0, from = pn_csv_position(header);
    size_t t = nranges(path, threads, min_range, from, &size);
    if (t <= 1) return ops->part_read(ctx, first, header, diag);
    unsigned long long cuts[PN_MAX_THREADS + 1];
    int rc = pn_csv_split(path, from, size, t, cuts, diag);
    if (rc != PN_OK) return rc;
    range r[PN_MAX_THREADS];
    pthread_t tid[PN_MAX_THREADS];
    int started[PN_MAX_THREADS] = {0};
    memset(r, 0, sizeof r);
    for (size_t k = 1; k < t; k++) {
        r[k] = (range){.path = path, .header = header, .ops = ops, .ctx = ctx,
                       .begin = cuts[k], .end = cuts[k + 1]};
        r[k].state = ops->part_new(ctx);
        if (r[k].state == NULL) {
            rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (size_t k = 1; k < t; k++)
        started[k] = pthread_create(&tid[k], NULL, range_run, &r[k]) == 0;
    /* range 0, in this thread, into the state of all the rows */
    unsigned long long at = from;
    long line = pn_csv_next_line(header);
    rc = read_on(path, header, ops, ctx, first, &at, cuts[1], &line, diag);
    for (size_t k = 1; k < t; k++) {
        if (started[k]) pthread_join(tid[k], NULL);
        else r[k].rc = PN_EINTERNAL; /* no thread: its rows are read again below */
    }
    for (size_t k = 1; k < t && rc == PN_OK; k++) {
        if (at == cuts[k] && r[k].rc == PN_OK && ops->part_can_follow(ctx, first, r[k].state)) {
            /* the cut is a row boundary, and the range's rows follow the earlier ones */
            if ((rc = ops->part_merge(ctx, first, r[k].state, line - 1, diag)) != PN_OK) break;
            at = r[k].stop;
            line += r[k].lines;
        } else {
            rc = read_on(path, header, ops, ctx, first, &at, cuts[k + 1], &line, diag);
        }
    }
done:
    for (size_t k = 1; k < t; k++)
        if (r[k].state != NULL) ops->part_free(ctx, r[k].state);
    return rc;
}
