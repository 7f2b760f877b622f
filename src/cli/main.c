/*
 * main.c - the dyad command: parses arguments and calls libdyad, one subcommand per job.
 *
 *   dyad code [options] FILE|DIR|-...   news text in, events out (JSONL or TSV)
 *   dyad eval --gold FILE [options]     accuracy against gold records
 *   dyad dict lint|lookup|stats         dictionaries
 *
 * Errors go to stderr with the file and place; stdout carries only results.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: dyad COMMAND [options]\n"
          "\n"
          "commands:\n"
          "  code [FILE|DIR|-]...     code news stories into events (JSONL on stdout)\n"
          "  eval --gold FILE         score the coder against gold records\n"
          "  dict lint FILE...        report malformed dictionary lines (file:line: message)\n"
          "  dict lookup PHRASE       show what a phrase resolves to, and why\n"
          "  dict stats               sizes and load time of the dictionaries\n"
          "  ingest [FILE|DIR|-]...   code stories and store them with their events (SQLite, --db PATH)\n"
          "  events [filters]         query the stored events (jsonl, csv, tsv, phoenix, gdelt)\n"
          "  stats                    what the event store holds\n"
          "  trend A [B]              a dyad's events per day, week or month (table, json, csv; --svg/--png charts)\n"
          "  top                      the dyads that matter in a window (conflict, cooperation, volume, change)\n"
          "  alerts                   escalations detected against each dyad's own history, with their evidence\n"
          "  casualties [filters]     the stored stories' casualty counts (JSONL)\n"
          "  serve                    the event store as a JSON API and a dashboard (HTTP, --listen)\n"
          "  dict compile -o FILE     compile dictionaries to an image that loads without parsing\n"
          "  version                  print the version\n"
          "\n"
          "Run 'dyad COMMAND --help' for a command's options.\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "code") == 0)
        return cmd_code(argc - 1, argv + 1);
    if (strcmp(cmd, "eval") == 0)
        return cmd_eval(argc - 1, argv + 1);
    if (strcmp(cmd, "dict") == 0)
        return cmd_dict(argc - 1, argv + 1);
    if (strcmp(cmd, "ingest") == 0)
        return cmd_ingest(argc - 1, argv + 1);
    if (strcmp(cmd, "events") == 0)
        return cmd_events(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0)
        return cmd_stats(argc - 1, argv + 1);
    if (strcmp(cmd, "trend") == 0)
        return cmd_trend(argc - 1, argv + 1);
    if (strcmp(cmd, "top") == 0)
        return cmd_top(argc - 1, argv + 1);
    if (strcmp(cmd, "alerts") == 0)
        return cmd_alerts(argc - 1, argv + 1);
    if (strcmp(cmd, "casualties") == 0)
        return cmd_casualties(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("dyad %s\n", DYAD_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "dyad: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}

/* ---- shared helpers ---------------------------------------------------------------------------------- */

dyad_dict *cli_load_dict(const char *dicts_dir, double *load_ms)
{
    double t0 = cli_now_ms();
    dyad_dict *d = dyad_dict_new();
    if (!d) {
        fprintf(stderr, "dyad: out of memory\n");
        return NULL;
    }
    dyad_status st;
    if (dicts_dir && dyad_dict_is_image(dicts_dir)) {
        st = dyad_dict_load_image(d, dicts_dir); /* a compiled image holds everything, grammar included */
    } else {
        st = dicts_dir ? dyad_dict_load_grammar(d) : dyad_dict_load_builtin(d);
        if (st == DYAD_OK && dicts_dir)
            st = dyad_dict_load_path(d, dicts_dir);
    }
    if (st == DYAD_OK)
        st = dyad_dict_finish(d);
    if (st != DYAD_OK) {
        fprintf(stderr, "dyad: %s\n", dyad_dict_errmsg(d));
        dyad_dict_free(d);
        return NULL;
    }
    size_t np = dyad_dict_problem_count(d);
    if (np) {
        size_t show = np < 5 ? np : 5;
        for (size_t i = 0; i < show; i++)
            fprintf(stderr, "dyad: warning: %s\n", dyad_dict_problem(d, i));
        if (np > show)
            fprintf(stderr, "dyad: warning: %zu more dictionary problems (dyad dict lint shows all)\n", np - show);
    }
    if (load_ms)
        *load_ms = cli_now_ms() - t0;
    return d;
}

double cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

bool cli_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return false;
    if (argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
        return true;
    }
    if (argv[*i][n] != 0)
        return false;
    if (*i + 1 >= argc) {
        fprintf(stderr, "dyad: %s needs a value\n", name);
        exit(2);
    }
    *val = argv[++*i];
    return true;
}
