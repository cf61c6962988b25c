/* cmd_user.c - `pronostic user ACT`: the store's accounts (add, remove, passwd, disable,
 * enable, list) and API tokens (token, revoke). Each change is made together with the audit
 * entry that records it (who, when, what, never a secret), or not at all. */
#include "cli.h"
#include "pronostic/account.h"
#include "pronostic/alloc.h"
#include "pronostic/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A generated password: 15 random bytes as 20 characters of unpadded base64url. */
enum { GENERATED_BYTES = 15, GENERATED_LEN = 20 };

static const char acts[] = "add, remove, passwd, disable, enable, list, token, revoke";

/* The one NAME (or TOKEN_ID) after the act, into *out (borrowed from args). */
static int one_name(const pn_args *args, const char *what, const char **out, pn_diag *diag)
{
    if (args->npos == 0) return pn_diag_set(diag, PN_EUSAGE, "missing %s", what);
    if (args->npos > 1)
        return pn_diag_set(diag, PN_EUSAGE, "expected one %s, got %zu arguments", what, args->npos);
    *out = args->positional[0];
    return PN_OK;
}

/* One line of standard input (its line feed, and a carriage return before it, stripped) into
 * *out, which the caller wipes and frees with free_secret. */
static int read_password(char **out, size_t *cap, pn_diag *diag)
{
    *out = NULL;
    *cap = 0;
    ssize_t n = getline(out, cap, stdin);
    if (n < 0)
        return pn_diag_set(diag, PN_EUSAGE, "option '--password-stdin': no password on "
                           "standard input");
    size_t len = (size_t)n;
    if (len > 0 && (*out)[len - 1] == '\n') (*out)[--len] = '\0';
    if (len > 0 && (*out)[len - 1] == '\r') (*out)[--len] = '\0';
    if (strlen(*out) != len)
        return pn_diag_set(diag, PN_EUSAGE, "option '--password-stdin': the password holds a "
                           "NUL byte");
    if (len < PN_PASSWORD_MIN || len > PN_PASSWORD_MAX)
        return pn_diag_set(diag, PN_EUSAGE, "option '--password-stdin': the password is too %s "
                           "(%d to %d bytes)", len < PN_PASSWORD_MIN ? "short" : "long",
                           PN_PASSWORD_MIN, PN_PASSWORD_MAX);
    return PN_OK;
}

static void free_secret(char *secret, size_t cap)
{
    if (secret == NULL) return;
    sodium_memzero(secret, cap);
    free(secret);  /* getline's buffer */
}

/* The password of add and passwd: read from standard input with --password-stdin, else
 * generated into `generated` (then *password points there and *shown is 1). */
static int get_password(const pn_args *args, char generated[GENERATED_LEN + 1], char **line,
                        size_t *cap, const char **password, int *shown, pn_diag *diag)
{
    *shown = 0;
    if (pn_args_has(args, "password-stdin")) {
        int rc = read_password(line, cap, diag);
        *password = *line;
        return rc;
    }
    if (sodium_init() < 0) return pn_diag_set(diag, PN_ECRYPTO, "cannot initialise libsodium");
    unsigned char bytes[GENERATED_BYTES];
    randombytes_buf(bytes, sizeof bytes);
    sodium_bin2base64(generated, GENERATED_LEN + 1, bytes, sizeof bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bytes, sizeof bytes);
    *password = generated;
    *shown = 1;
    return PN_OK;
}

/* What an act changes, between opening the store and recording it in the audit. */
typedef struct act {
    const char *name;        /* the positional argument: account, or token id */
    const char *password;    /* add, passwd */
    int role;                /* add */
    pn_list sources;         /* add */
    char token[PN_TOKEN_LEN + 1]; /* token: the new token */
    char detail[512];        /* the audit's detail, set by the act */
} act;

typedef int (*act_fn)(pn_store *s, act *a, pn_diag *diag);

static int do_add(pn_store *s, act *a, pn_diag *diag)
{
    char list[300] = "";
    for (size_t i = 0, at = 0; i < a->sources.n && at < sizeof list; i++)
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? "," : "",
                               a->sources.items[i]);
    snprintf(a->detail, sizeof a->detail, "name=%s role=%s%s%s", a->name, pn_role_name(a->role),
             a->sources.n ? " sources=" : "", list);
    return pn_account_add(s, a->name, a->role, a->password, a->sources.items, a->sources.n, diag);
}

static int do_remove(pn_store *s, act *a, pn_diag *diag)
{
    snprintf(a->detail, sizeof a->detail, "name=%s", a->name);
    return pn_account_remove(s, a->name, diag);
}

static int do_passwd(pn_store *s, act *a, pn_diag *diag)
{
    snprintf(a->detail, sizeof a->detail, "name=%s", a->name);
    return pn_account_passwd(s, a->name, a->password, diag);
}

static int do_disable(pn_store *s, act *a, pn_diag *diag)
{
    snprintf(a->detail, sizeof a->detail, "name=%s", a->name);
    return pn_account_set_disabled(s, a->name, 1, diag);
}

static int do_enable(pn_store *s, act *a, pn_diag *diag)
{
    snprintf(a->detail, sizeof a->detail, "name=%s", a->name);
    return pn_account_set_disabled(s, a->name, 0, diag);
}

static int do_token(pn_store *s, act *a, pn_diag *diag)
{
    int rc = pn_account_token_new(s, a->name, a->token, sizeof a->token, diag);
    if (rc == PN_OK)
        snprintf(a->detail, sizeof a->detail, "name=%s id=%.*s", a->name, PN_TOKEN_ID_LEN,
                 a->token + 4);
    return rc;
}

static int do_revoke(pn_store *s, act *a, pn_diag *diag)
{
    /* a whole token given by mistake: only its id reaches the audit */
    const char *id = a->name;
    int whole = strncmp(id, "pnt_", 4) == 0 && strlen(id) > 4 + PN_TOKEN_ID_LEN;
    snprintf(a->detail, sizeof a->detail, "id=%.*s", PN_TOKEN_ID_LEN, whole ? id + 4 : id);
    return pn_account_token_revoke(s, id, diag);
}

/* Open the store for writing and make the change with its audit entry, in one transaction. */
static int change(const char *db, const char *action, act_fn fn, act *a, pn_diag *diag)
{
    pn_store *s = NULL;
    int rc = pn_store_open(&s, db, diag);
    if (rc == PN_OK && (rc = pn_store_begin(s, diag)) == PN_OK) {
        if ((rc = fn(s, a, diag)) == PN_OK && (rc = pn_cli_audit(s, action, a->detail, -1, diag)) == PN_OK)
            rc = pn_store_commit(s, diag);
        if (rc != PN_OK) pn_store_rollback(s);
    }
    pn_store_close(s);
    return rc;
}

static int put_account(const pn_account_row *r, void *ctx)
{
    pn_writer *w = ctx;
    pn_writer_str(w, r->name);
    pn_writer_str(w, r->role);
    pn_writer_str(w, r->sources);
    pn_writer_str(w, r->created);
    pn_writer_int(w, r->ntokens);
    pn_writer_int(w, r->disabled);
    return pn_writer_end_row(w);
}

static int list_accounts(const char *db, pn_format format, pn_diag *diag)
{
    static const char *const cols[] = {"name", "role", "sources", "created", "tokens", "disabled"};
    pn_store *s = NULL;
    pn_writer *w = NULL;
    int rc = pn_store_open_readonly(&s, db, diag);
    if (rc == PN_OK && (rc = pn_writer_open(&w, stdout, format, cols, 6)) == PN_OK)
        rc = pn_account_list(s, put_account, w, diag);
    int wrc = pn_writer_close(w);
    if (rc == PN_OK && wrc != PN_OK) rc = pn_diag_set(diag, wrc, "writing the list");
    pn_store_close(s);
    return rc;
}

typedef struct act_def {
    const char *name, *action, *synopsis, *details;
    act_fn fn;            /* NULL: list */
    int password;         /* takes --password-stdin */
} act_def;

static const act_def act_defs[] = {
    {"add", "user-add", "NAME --db FILE --role admin|analyst|researcher [--source S[,S...]] "
     "[--password-stdin]",
     "Create the account NAME. Without --password-stdin a random password is generated and\n"
     "printed once on standard output (\"password: ...\"); with it, the password is the first\n"
     "line of standard input (12 to 1024 bytes). --source grants an analyst the sources whose\n"
     "patients it may read row by row. The act is recorded in the store's audit.",
     do_add, 1},
    {"remove", "user-remove", "NAME --db FILE", "Delete the account NAME and its tokens.",
     do_remove, 0},
    {"passwd", "user-passwd", "NAME --db FILE [--password-stdin]",
     "Give the account NAME a new password: generated and printed once, or read from the\n"
     "first line of standard input with --password-stdin. Its tokens are kept.",
     do_passwd, 1},
    {"disable", "user-disable", "NAME --db FILE",
     "Disable the account NAME: its password and tokens no longer log in.", do_disable, 0},
    {"enable", "user-enable", "NAME --db FILE", "Enable the account NAME again.", do_enable, 0},
    {"list", NULL, "--db FILE",
     "List the accounts: name,role,sources,created,tokens,disabled (no hashes).", NULL, 0},
    {"token", "user-token", "NAME --db FILE",
     "Make a new API token for the account NAME and print it once (\"token: pnt_ID_SECRET\");\n"
     "only its hash is kept. Its id is the 16 hex digits after 'pnt_'.", do_token, 0},
    {"revoke", "user-revoke", "TOKEN_ID --db FILE",
     "Delete the API token whose id is TOKEN_ID (the 16 hex digits after 'pnt_').", do_revoke, 0},
};

static int run_act(const act_def *d, int argc, char **argv)
{
    static const pn_optdef add_defs[] = {
        {"db", "FILE", "the store"},
        {"role", "ROLE", "admin, analyst or researcher (required)"},
        {"source", "S[,S...]", "an analyst's sources"},
        {"password-stdin", NULL, "read the password from the first line of standard input"},
        {NULL, NULL, NULL},
    };
    static const pn_optdef passwd_defs[] = {
        {"db", "FILE", "the store"},
        {"password-stdin", NULL, "read the password from the first line of standard input"},
        {NULL, NULL, NULL},
    };
    static const pn_optdef db_defs[] = {{"db", "FILE", "the store"}, {NULL, NULL, NULL}};
    const pn_optdef *defs = d->fn == do_add ? add_defs : d->password ? passwd_defs : db_defs;
    char cmd[32];
    snprintf(cmd, sizeof cmd, "user %s", d->name);
    pn_args args;
    int rc = pn_args_parse(&args, cmd, d->synopsis, d->details, defs, argc, argv);
    if (rc != PN_OK) {
        pn_args_free(&args);
        return rc == 1 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    pn_diag diag = {0};
    act a = {0};
    char generated[GENERATED_LEN + 1] = "", *line = NULL;
    size_t cap = 0;
    int shown = 0;
    const char *db = pn_args_get(&args, "db");
    static const char *const need_db[] = {"db"};
    if ((rc = pn_args_require(&args, need_db, 1, &diag)) != PN_OK) goto done;
    if (d->fn == NULL) {
        if (args.npos > 0) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "unexpected argument '%s'", args.positional[0]);
            goto done;
        }
        rc = list_accounts(db, args.format, &diag);
        goto done;
    }
    if ((rc = one_name(&args, d->fn == do_revoke ? "TOKEN_ID" : "account NAME", &a.name,
                       &diag)) != PN_OK)
        goto done;
    if (d->fn == do_add) {
        const char *role = pn_args_get(&args, "role");
        if (role == NULL) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "option '--role' is required");
            goto done;
        }
        if (pn_role_parse(role, &a.role) != PN_OK || a.role == PN_ROLE_PUBLIC) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "option '--role': '%s' is not admin, analyst or "
                             "researcher", role);
            goto done;
        }
        if ((rc = pn_args_list(&args, "source", &a.sources, &diag)) != PN_OK) goto done;
        for (size_t i = 0; i < a.sources.n; i++)
            if (!pn_account_name_valid(a.sources.items[i])) {
                rc = pn_diag_set(&diag, PN_EUSAGE, "option '--source': '%.80s' is not a valid "
                                 "source name", a.sources.items[i]);
                goto done;
            }
        if (a.sources.n > 0 && a.role != PN_ROLE_ANALYST) {
            rc = pn_diag_set(&diag, PN_EUSAGE, "option '--source': only an analyst is granted "
                             "sources (this account is a%s %s)",
                             a.role == PN_ROLE_ADMIN ? "n" : "", role);
            goto done;
        }
    }
    if (d->password &&
        (rc = get_password(&args, generated, &line, &cap, &a.password, &shown, &diag)) != PN_OK)
        goto done;
    if ((rc = change(db, d->action, d->fn, &a, &diag)) != PN_OK) goto done;
    if (shown) printf("password: %s\n", generated);
    if (d->fn == do_token) printf("token: %s\n", a.token);
    if (fflush(stdout) != 0) rc = pn_diag_set(&diag, PN_EIO, "cannot write to standard output");
done:;
    int exit_code = rc == PN_OK ? PN_EXIT_OK : pn_cli_fail(cmd, rc, &diag);
    sodium_memzero(generated, sizeof generated);
    sodium_memzero(a.token, sizeof a.token);
    free_secret(line, cap);
    pn_list_free(&a.sources);
    pn_args_free(&args);
    return exit_code;
}

int pn_cmd_user(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : NULL;
    for (size_t i = 0; name != NULL && i < sizeof act_defs / sizeof *act_defs; i++)
        if (strcmp(name, act_defs[i].name) == 0) return run_act(&act_defs[i], argc - 1, argv + 1);
    if (name != NULL && name[0] != '-') {
        fprintf(stderr, "pronostic user: unknown act '%s' (%s)\n", name, acts);
        return PN_EXIT_USAGE;
    }
    /* options without an act: --help, or the parser's errors (an unknown option, one given
     * twice), else the act is missing */
    static const pn_optdef defs[] = {
        {"db", "FILE", "the store"},
        {"role", "ROLE", "add: admin, analyst or researcher"},
        {"source", "S[,S...]", "add: an analyst's sources"},
        {"password-stdin", NULL, "add, passwd: read the password from standard input"},
        {NULL, NULL, NULL},
    };
    char details[1024];
    size_t at = (size_t)snprintf(details, sizeof details, "The store's accounts and API tokens; "
                                 "every change is recorded in its audit\n(pronostic user ACT "
                                 "--help for each act). Acts:");
    for (size_t i = 0; i < sizeof act_defs / sizeof *act_defs && at < sizeof details; i++)
        at += (size_t)snprintf(details + at, sizeof details - at, "\n  user %-8s %s",
                               act_defs[i].name, act_defs[i].synopsis);
    pn_args args;
    int rc = pn_args_parse(&args, "user", "ACT ARG --db FILE [options]", details, defs, argc,
                           argv);
    pn_args_free(&args);
    if (rc == 1) return PN_EXIT_OK;
    if (rc == PN_OK) fprintf(stderr, "pronostic user: missing act (%s)\n", acts);
    return PN_EXIT_USAGE;
}
