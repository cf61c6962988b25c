/* import_pipe.c - batches of records from the reading thread to one writing thread.
 *
 * Three batches circulate: the reader fills one while the writer consumes another; a third
 * lets the reader go on when the writer is briefly behind. One mutex and two condition
 * variables guard the two queues (free and full batches).
 */
#include "import_pipe.h"
#include "pronostic/alloc.h"
#include "pronostic/error.h"

#include <pthread.h>
#include <string.h>

enum { NBATCH = 3, BATCH_RECORDS = 8192, BATCH_TEXT = 1 << 20 };

typedef struct batch {
    char *records;
    size_t n;
    char *text;
    size_t tlen, tcap;
    int last;
} batch;

struct pn__pipe {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t has_full, has_free;
    batch batches[NBATCH];
    batch *full[NBATCH], *free_[NBATCH];
    size_t nfull, nfree;
    batch *cur;
    size_t rsize;
    pn__pipe_fn fn;
    void *ctx;
    int error;          /* the writer's first error */
    int started;
};

static void *writer(void *arg)
{
    pn__pipe *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->nfull == 0) pthread_cond_wait(&p->has_full, &p->mu);
        batch *b = p->full[0];
        memmove(p->full, p->full + 1, (p->nfull - 1) * sizeof *p->full);
        p->nfull--;
        int failed = p->error;
        pthread_mutex_unlock(&p->mu);
        int rc = failed || b->n == 0 ? PN_OK : p->fn(p->ctx, b->records, b->n, b->text);
        int last = b->last;
        pthread_mutex_lock(&p->mu);
        if (rc != PN_OK && p->error == PN_OK) p->error = rc;
        b->n = 0;
        b->tlen = 0;
        b->last = 0;
        p->free_[p->nfree++] = b;
        pthread_cond_signal(&p->has_free);
        pthread_mutex_unlock(&p->mu);
        if (last) return NULL;
    }
}

static void destroy(pn__pipe *p)
{
    for (int i = 0; i < NBATCH; i++) {
        pn_free(p->batches[i].records);
        pn_free(p->batches[i].text);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->has_full);
    pthread_cond_destroy(&p->has_free);
    pn_free(p);
}

int pn__pipe_start(pn__pipe **out, size_t record_size, pn__pipe_fn fn, void *ctx)
{
    *out = NULL;
    pn__pipe *p = pn_calloc(1, sizeof *p);
    if (p == NULL) return PN_ENOMEM;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->has_full, NULL);
    pthread_cond_init(&p->has_free, NULL);
    p->rsize = record_size;
    p->fn = fn;
    p->ctx = ctx;
    for (int i = 0; i < NBATCH; i++) {
        batch *b = &p->batches[i];
        b->records = pn_calloc(BATCH_RECORDS, record_size);
        b->text = pn_malloc(BATCH_TEXT);
        b->tcap = BATCH_TEXT;
        if (b->records == NULL || b->text == NULL) {
            destroy(p);
            return PN_ENOMEM;
        }
        if (i > 0) p->free_[p->nfree++] = b;
    }
    p->cur = &p->batches[0];
    if (pthread_create(&p->thread, NULL, writer, p) != 0) {
        destroy(p);
        return PN_EINTERNAL;
    }
    p->started = 1;
    *out = p;
    return PN_OK;
}

/* Queue the current batch and take a free one. */
static int send(pn__pipe *p, int last)
{
    pthread_mutex_lock(&p->mu);
    p->cur->last = last;
    p->full[p->nfull++] = p->cur;
    pthread_cond_signal(&p->has_full);
    p->cur = NULL;
    if (!last) {
        while (p->nfree == 0) pthread_cond_wait(&p->has_free, &p->mu);
        p->cur = p->free_[--p->nfree];
    }
    int err = p->error;
    pthread_mutex_unlock(&p->mu);
    return err;
}

void *pn__pipe_reserve(pn__pipe *p, size_t text_need)
{
    batch *b = p->cur;
    if (b->n == BATCH_RECORDS || b->tcap - b->tlen < text_need) {
        if (b->n > 0 && send(p, 0) != PN_OK) return NULL;
        b = p->cur;
        if (b->tcap < text_need) {
            char *t = pn_reallocarray(b->text, text_need, 1);
            if (t == NULL) return NULL;
            b->text = t;
            b->tcap = text_need;
        }
    }
    void *r = b->records + b->n * p->rsize;
    memset(r, 0, p->rsize);
    b->n++;
    return r;
}

size_t pn__pipe_text(pn__pipe *p, const char *s, size_t len)
{
    batch *b = p->cur;
    size_t off = b->tlen;
    memcpy(b->text + off, s, len);
    b->tlen += len;
    return off;
}

int pn__pipe_finish(pn__pipe *p)
{
    if (p == NULL) return PN_OK;
    send(p, 1);
    pthread_join(p->thread, NULL);
    int rc = p->error;
    destroy(p);
    return rc;
}
