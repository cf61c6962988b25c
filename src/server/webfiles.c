/* webfiles.c - the dashboard's static files, read into memory once at start: a request names a
 * file of that table or nothing, so no request path ever reaches the file system (no
 * traversal, no symlink, no file changed under the server). */
#include "server_internal.h"

#include "pronostic/alloc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE (4u << 20)
#define MAX_TOTAL (32u << 20)
#define MAX_FILES 512

typedef struct webfile {
    char *path;                  /* "/index.html" */
    char *data;
    size_t len;
    const char *type;
    struct MHD_Response *resp;   /* built once, queued for every request */
} webfile;

struct pn__webfiles {
    webfile files[MAX_FILES];
    size_t n, total;
};

static const char *mime(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},          {".svg", "image/svg+xml"},
        {".png", "image/png"},                  {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},  {".geojson", "application/geo+json"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

/* 1 when every byte of the name is one a file of the table may have, and no segment starts
 * with a dot. */
static int name_ok(const char *s)
{
    if (*s == '\0' || *s == '.') return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int load_file(pn__webfiles *w, const char *fs, const char *url, pn_diag *diag)
{
    if (w->n == MAX_FILES)
        return pn_diag_set(diag, PN_ETOOBIG, "%s: more than %d files in the dashboard", fs,
                           MAX_FILES);
    FILE *f = fopen(fs, "rb");
    if (f == NULL) return pn_diag_set(diag, PN_EIO, "%s: cannot read the file", fs);
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size > (off_t)MAX_FILE ||
        w->total + (size_t)st.st_size > MAX_TOTAL) {
        fclose(f);
        return pn_diag_set(diag, PN_ETOOBIG, "%s: too large for the dashboard (4 MiB a file, "
                           "32 MiB in all)", fs);
    }
    webfile *x = &w->files[w->n];
    x->len = (size_t)st.st_size;
    x->data = pn_malloc(x->len + 1);
    x->path = pn_strdup(url);
    if (x->data == NULL || x->path == NULL || fread(x->data, 1, x->len, f) != x->len) {
        fclose(f);
        pn_free(x->data);
        pn_free(x->path);
        return pn_diag_set(diag, PN_EIO, "%s: cannot read the file", fs);
    }
    fclose(f);
    x->type = mime(url);
    x->resp = MHD_create_response_from_buffer(x->len, x->data, MHD_RESPMEM_PERSISTENT);
    if (x->resp == NULL) {
        pn_free(x->data);
        pn_free(x->path);
        return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    }
    pn__secure_headers(x->resp, 0);
    MHD_add_response_header(x->resp, "Content-Type", x->type);
    w->total += x->len;
    w->n++;
    return PN_OK;
}

static int load_dir(pn__webfiles *w, const char *fs, const char *url, int depth, pn_diag *diag)
{
    if (depth > 4) return pn_diag_set(diag, PN_ETOOBIG, "%s: folders nested too deep", fs);
    DIR *d = opendir(fs);
    if (d == NULL) return pn_diag_set(diag, PN_EIO, "%s: cannot read the dashboard's folder", fs);
    int rc = PN_OK;
    struct dirent *e;
    while (rc == PN_OK && (e = readdir(d)) != NULL) {
        if (!name_ok(e->d_name)) continue;   /* ., .., hidden files, odd names: not served */
        char fpath[4096], upath[1024];
        if ((size_t)snprintf(fpath, sizeof fpath, "%s/%s", fs, e->d_name) >= sizeof fpath ||
            (size_t)snprintf(upath, sizeof upath, "%s/%s", url, e->d_name) >= sizeof upath)
            continue;
        struct stat st;
        if (lstat(fpath, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) rc = load_dir(w, fpath, upath, depth + 1, diag);
        else if (S_ISREG(st.st_mode)) rc = load_file(w, fpath, upath, diag);
        /* symbolic links and devices are not served */
    }
    closedir(d);
    return rc;
}

void pn__webfiles_free(pn__webfiles *w)
{
    if (w == NULL) return;
    for (size_t i = 0; i < w->n; i++) {
        MHD_destroy_response(w->files[i].resp);
        pn_free(w->files[i].data);
        pn_free(w->files[i].path);
    }
    pn_free(w);
}

int pn__webfiles_load(const char *dir, pn__webfiles **out, pn_diag *diag)
{
    *out = NULL;
    pn__webfiles *w = pn_calloc(1, sizeof *w);
    if (w == NULL) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int rc = load_dir(w, dir, "", 0, diag);
    if (rc != PN_OK) {
        pn__webfiles_free(w);
        return rc;
    }
    *out = w;
    return PN_OK;
}

static const webfile *find(const pn__webfiles *w, const char *path)
{
    for (size_t i = 0; w && i < w->n; i++)
        if (strcmp(w->files[i].path, path) == 0) return &w->files[i];
    return NULL;
}

const char *pn__webfiles_get(const pn__webfiles *w, const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "/%s", name);
    const webfile *f = find(w, path);
    if (f == NULL) return NULL;
    *len = f->len;
    return f->data;
}

int pn__webfiles_serve(const pn__webfiles *w, const char *path, pn__resp *resp)
{
    if (strstr(path, "..") || strchr(path, '\\') || strstr(path, "//"))
        return pn__error(resp, 400, NULL, "the path is not one of the dashboard's files");
    for (const char *c = path; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == '-' || *c == '/'))
            return pn__error(resp, 400, NULL, "the path is not one of the dashboard's files");
    const webfile *f = find(w, strcmp(path, "/") == 0 ? "/index.html" : path);
    if (f == NULL) return pn__error(resp, 404, NULL, "no such file");
    resp->ready = f->resp;   /* borrowed: lives as long as the table */
    resp->status = 200;
    return 0;
}
