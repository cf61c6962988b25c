/* main.c - the pronostic program: dispatch to subcommands, `help` and `--version`. */
#include "cli.h"

#include <gsl/gsl_errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>


typedef struct command {
    const char *name;
    pn_command_fn fn;
    const char *summary;
} command;

static const command commands[] = {
#define PN_COMMAND(name, fn, summary) {#name, fn, summary},
#include "commands.def"
#undef PN_COMMAND
    {NULL, NULL, NULL},
};

static void help(FILE *out)
{
    fprintf(out,
            "pronostic %s - survival and care indicators for the poor-prognosis cancers\n\n"
            "usage: pronostic SUBCOMMAND [options]   (pronostic SUBCOMMAND --help for details)\n\n"
            "subcommands:\n",
            PN_VERSION);
    for (const command *c = commands; c->name; c++) fprintf(out, "  %-14s %s\n", c->name, c->summary);
    fprintf(out, "\nexit codes: 0 success, 1 usage error, 2 input error, 3 partial success, "
                 "4 internal error\n");
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C");
    /* once for the program: GSL reports an error by its return value, never by aborting (the
     * stats/ kernels check what they get and leave the handler alone) */
    gsl_set_error_handler_off();
    if (argc < 2) {
        help(stderr);
        return PN_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("pronostic %s\n", PN_VERSION);
        return PN_EXIT_OK;
    }
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (argc > 2) {
            for (const command *c = commands; c->name; c++)
                if (strcmp(c->name, argv[2]) == 0) {
                    char *hargv[] = {argv[2], "--help", NULL};
                    return c->fn(2, hargv);
                }
        }
        help(stdout);
        return PN_EXIT_OK;
    }
    for (const command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0) return c->fn(argc - 1, argv + 1);
    fprintf(stderr, "pronostic: unknown subcommand '%s' (see pronostic help)\n", name);
    return PN_EXIT_USAGE;
}
