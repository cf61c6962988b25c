/* server.c - `pronostic serve` (server.h): the state loaded once (the dashboard's files, the
 * life table, the store opened for its audit), libmicrohttpd's daemon on its thread pool, a
 * watcher of the store's generation and of its accounts, and a clean stop on SIGINT or SIGTERM. */
#include "server_internal.h"

#include "pronostic/account.h"
#include "pronostic/alloc.h"
#include "pronostic/cancel.h"
#include "pronostic/datadir.h"
#include "pronostic/ratetable.h"
#include "pronostic/svg.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How often the watcher reads the store's generation. */
#define WATCH_MS 250

typedef struct watcher {
    pn__srv *srv;
    pthread_t thread, warmer;
    int stop;                   /* read and written atomically */
} watcher;

static void *watch(void *arg)
{
    watcher *w = arg;
    pn_store *store = NULL;
    unsigned char accounts[PN_ACCOUNT_DIGEST_LEN];
    int accounts_known = 0;
    while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        pn_diag diag = {0};
        long long gen;
        if (store == NULL && pn_store_open_readonly(&store, w->srv->db, &diag) != PN_OK)
            store = NULL;
        if (store && pn_store_generation(store, &gen, &diag) == PN_OK)
            __atomic_store_n(&w->srv->generation, gen, __ATOMIC_RELEASE);
        if (store) pn__accounts_follow(w->srv, store, accounts, &accounts_known);
        struct timespec ts = {0, WATCH_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
    pn_store_close(store);
    return NULL;
}

/* The warmer, beside the watcher so that a long build never delays what the watcher sees: the
 * store's tumours (for the curves) and the heavy state of the pathway indicators, built for
 * each new generation before they are asked for. */
static void *warm(void *arg)
{
    watcher *w = arg;
    long long warmed = -1;
    while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        long long gen = __atomic_load_n(&w->srv->generation, __ATOMIC_ACQUIRE);
        if (gen != warmed) {
            warmed = gen;
            pn__gen_warm(&w->srv->tumours, w->srv);
            pn__gen_warm(&w->srv->pathway, w->srv);
        }
        struct timespec ts = {0, WATCH_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, pn_diag *diag)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || (size_t)(colon - listen) >= sizeof host)
        return pn_diag_set(diag, PN_EUSAGE, "option '--listen': '%s' is not HOST:PORT", listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (errno || end == colon + 1 || *end || port < 0 || port > 65535 ||
        inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return pn_diag_set(diag, PN_EUSAGE, "option '--listen': '%s' is not IPV4-ADDRESS:PORT",
                           listen);
    sa->sin_port = htons((uint16_t)port);
    return PN_OK;
}

static char *read_file(const char *path, pn_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        pn_diag_set(diag, PN_EIO, "%s: cannot read the file", path);
        return NULL;
    }
    char *buf = pn_malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf == NULL) {
        pn_diag_set(diag, PN_ENOMEM, "out of memory");
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* Zero and free a secret (the TLS key). Accepts NULL. */
static void wipe(char *s)
{
    if (s == NULL) return;
    sodium_memzero(s, strlen(s));
    pn_free(s);
}

static void srv_free(pn__srv *s)
{
    pn__gen_clear(&s->pathway);
    pn__gen_clear(&s->tumours);
    pn__cache_free(s->cache);
    pn__sessions_free(s->sessions);
    pn__webfiles_free(s->web);
    pn_ratetable_free(s->rt);
    pn_svg_geo_free(s->geo);
    pn_store_close(s->writer);
    pn_free(s->db);
}

int pn_server_run(const pn_server_opts *opts, pn_diag *diag)
{
    pn__srv srv = {
        .opts = *opts,
        .pathway = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0,
                    pn__pathway_build, pn__pathway_destroy, "the care-pathway indicators"},
        .tumours = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0,
                    pn__tumours_build, pn__tumours_destroy, "the store's tumours"},
    };
    struct MHD_Daemon *d = NULL;
    watcher w = {.srv = &srv};
    int watching = 0;
    char *cert = NULL, *key = NULL;
    int rc = PN_OK;
    pthread_mutex_init(&srv.writer_lock, NULL);
    srv.min_cell = opts->min_cell > 0 ? opts->min_cell : 10;
    struct sockaddr_in sa;
    if ((rc = parse_listen(opts->listen ? opts->listen : "127.0.0.1:8080", &sa, diag)) != PN_OK)
        goto done;
    if ((opts->tls_cert == NULL) != (opts->tls_key == NULL)) {
        rc = pn_diag_set(diag, PN_EUSAGE, "options '--tls-cert' and '--tls-key' go together");
        goto done;
    }
    if (opts->tls_cert) {
        if ((cert = read_file(opts->tls_cert, diag)) == NULL ||
            (key = read_file(opts->tls_key, diag)) == NULL) {
            rc = diag->code ? diag->code : PN_EIO;
            goto done;
        }
        srv.tls = 1;
    }
    if ((srv.db = pn_strdup(opts->db)) == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    /* the store for writing: its audit; a store that cannot record reads is not served */
    if ((rc = pn_store_open(&srv.writer, opts->db, diag)) != PN_OK) goto done;
    if ((rc = pn_store_generation(srv.writer, &srv.generation, diag)) != PN_OK)
        goto done;
    if ((rc = pn_ratetable_open(&srv.rt, "fr", diag)) != PN_OK) goto done;
    char geo[4096];
    if ((rc = pn_data_path(geo, sizeof geo, NULL, "geo/departements-simplifie.geojson", diag)) !=
            PN_OK ||
        (rc = pn_svg_geo_load(geo, &srv.geo, diag)) != PN_OK)
        goto done;
    if ((rc = pn__webfiles_load(opts->web_dir ? opts->web_dir : PN_WEB_DIR, &srv.web, diag)) !=
        PN_OK)
        goto done;
    if ((rc = pn__cache_new(&srv.cache)) != PN_OK ||
        (rc = pn__sessions_new(&srv.sessions, opts->session_idle, opts->session_max)) != PN_OK) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = opts->threads > 0 ? (unsigned)opts->threads : ncpu > 0 ? (unsigned)ncpu : 2;
    /* the signals are waited for by this thread only: block them before MHD's threads start */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (srv.tls) flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_OptionItem none[] = {{MHD_OPTION_END, 0, NULL}};
    d = MHD_start_daemon(flags, 0, NULL, NULL, pn__access, &srv,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_THREAD_POOL_SIZE, threads,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)PN__MAX_CONNECTIONS,
                         MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PN__MAX_CONNECTIONS,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)PN__CONNECTION_TIMEOUT,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
                         MHD_OPTION_NOTIFY_COMPLETED, pn__completed, &srv,
                         MHD_OPTION_UNESCAPE_CALLBACK, pn__unescape, &srv,
                         MHD_OPTION_ARRAY, srv.tls ? tls_opts : none,
                         MHD_OPTION_END);
    if (d == NULL) {
        rc = pn_diag_set(diag, PN_EIO, "cannot listen on %s (in use, or not an address of this "
                         "machine)", opts->listen ? opts->listen : "127.0.0.1:8080");
        goto done;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : ntohs(sa.sin_port);
    char host[64];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    if (opts->port_file) {
        FILE *pf = fopen(opts->port_file, "w");
        if (pf) {
            fprintf(pf, "%u\n", port);
            fclose(pf);
        }
    }
    if (pthread_create(&w.thread, NULL, watch, &w) == 0) watching = 1;
    if (watching && pthread_create(&w.warmer, NULL, warm, &w) == 0) watching = 2;
    fprintf(stderr, "pronostic serve: listening on %s://%s:%u/ (%u threads; Ctrl-C stops)\n",
            srv.tls ? "https" : "http", host, port, threads);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "pronostic serve: stopping (signal %d)\n", sig);
done:
    if (d) MHD_stop_daemon(d);
    if (watching) {
        /* a build under way (the warm-up) gives up rather than delay the stop */
        pn_cancel_request();
        __atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
        pthread_join(w.thread, NULL);
        if (watching == 2) pthread_join(w.warmer, NULL);
    }
    srv_free(&srv);
    pthread_mutex_destroy(&srv.writer_lock);
    wipe(cert);
    wipe(key);
    return rc;
}
